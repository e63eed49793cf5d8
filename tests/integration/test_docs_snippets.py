# -*- coding: utf-8 -*-
# Copyright: (c) 2026, huaweicloud.vbs contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""Every YAML snippet of README.md and docs/*.md that a user would copy.

Each snippet is one of:

* a play that uses only ansible.builtin and this collection: it runs against
  the emulator (endpoints from the HW_* variables, the variables below as
  extra vars, the policies and volumes it names seeded); a list of such tasks
  runs the same way, as the tasks of a play on localhost;
* a set of module options: every key is a documented option;
* the extra variables of the AWX job template: they run
  examples/awx_nightly_protect.yml;
* a collections/requirements.yml: it names this collection;
* a play or task of the ansible.controller collection (AWX set-up): it cannot
  run here (no AWX or Automation Controller, and no such collection offline).
  It must be valid YAML, name only modules of that collection, and every file
  it reads must exist.

A snippet that is none of these fails the test, so a new kind of snippet
cannot go unchecked.
"""

import glob
import json
import os
import re

import pytest
import yaml

from support import ansible_cli, seeds

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
DOCS = [os.path.join(REPO, "README.md")] + sorted(glob.glob(os.path.join(REPO, "docs", "*.md")))
NIGHTLY = os.path.join(REPO, "examples", "awx_nightly_protect.yml")
FENCE = re.compile(r"^( *)```yaml\n(.*?)^\1```", re.M | re.S)
UUID = re.compile(r"\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b")
SNIPPET_VOLUMES = ["91a2b3c4-d5e6-4f70-8192-a3b4c5d6e7f8", "a2b3c4d5-e6f7-4081-92a3-b4c5d6e7f809"]
# Variables the snippets use, as a user would set them (vault variables, extra vars, host variables).
SNIPPET_VARIABLES = {
    "otc_project_id": seeds.PROJECT_ID,
    "vault_otc_access_key": seeds.ACCESS_KEY,
    "vault_otc_secret_key": seeds.SECRET_KEY,
    "db_volume_ids": SNIPPET_VOLUMES,
}
HOSTS = {"node1": SNIPPET_VOLUMES[:1], "node2": SNIPPET_VOLUMES[1:]}
# The ECS servers the snippets name, each with one of the snippet volumes attached.
SNIPPET_SERVERS = {"web-01": "b3c4d5e6-f708-4192-a3b4-c5d6e7f8091a", "web-02": "c4d5e6f7-0819-42a3-b4c5-d6e7f8091a2b"}
TASK_BLOCKS = ("block", "rescue", "always")
PLAY_KEYS = ("hosts", "import_playbook")


def snippets():
    found = []
    for path in DOCS:
        with open(path) as handle:
            text = handle.read()
        for match in FENCE.finditer(text):
            indent = len(match.group(1))
            body = "\n".join(line[indent:] for line in match.group(2).splitlines())
            line = text.count("\n", 0, match.start()) + 1
            found.append(pytest.param(body, id="%s:%d" % (os.path.relpath(path, REPO), line)))
    return found


def tasks_of(plays_or_tasks):
    """Every task of a list of plays, or of a list of tasks, blocks opened."""
    for item in plays_or_tasks:
        if not isinstance(item, dict):
            continue
        if "tasks" in item or any(key in item for key in PLAY_KEYS):
            yield from tasks_of(item.get("tasks") or [])
        elif any(key in item for key in TASK_BLOCKS):
            for key in TASK_BLOCKS:
                yield from tasks_of(item.get(key) or [])
        else:
            yield item


def actions(task):
    """The dotted module names a task calls."""
    return [key for key in task if key.count(".") >= 2]


def shared_options():
    run = ansible_cli.subprocess.run(
        [os.path.join(ansible_cli.BIN_DIR, "ansible-doc"), "--json", "huaweicloud.vbs.vbs_backup_policy_info"],
        env=ansible_cli.base_env(), capture_output=True, text=True, check=False, timeout=120)
    assert run.returncode == 0, run.stderr
    return set(json.loads(run.stdout)["huaweicloud.vbs.vbs_backup_policy_info"]["doc"]["options"])


def seed_for(text):
    document = seeds.seed(volumes=0, policies=())
    document["servers"] = [{"id": server, "name": name} for name, server in SNIPPET_SERVERS.items()]
    attached = dict(zip(SNIPPET_VOLUMES, SNIPPET_SERVERS.values()))
    document["volumes"] = [{"id": volume, "server_ids": [attached[volume]] if volume in attached else [],
                            "tags": {"backup": "daily"}}
                           for volume in dict.fromkeys(UUID.findall(text) + SNIPPET_VOLUMES)
                           if volume not in SNIPPET_SERVERS.values()]
    document["policies"] = [{"id": seeds.policy_id(1), "name": "daily-db"}]
    return document


def run_play(emulator, tmp_path, text, plays):
    emulator.reset(seed_for(text))
    playbook = tmp_path / "snippet.yml"
    playbook.write_text(yaml.safe_dump(plays, sort_keys=False))
    inventory = {"all": {"hosts": dict({"localhost": {"ansible_connection": "local"}},
                                       **{host: {"vbs_volume_ids": volumes} for host, volumes in HOSTS.items()})}}
    (tmp_path / "inventory.json").write_text(json.dumps(inventory))
    env = seeds.aksk_env(emulator.url)
    env["ANSIBLE_INVENTORY"] = str(tmp_path / "inventory.json")
    run = ansible_cli.playbook(str(playbook), env, extra_vars=SNIPPET_VARIABLES)
    assert run.rc == 0, run
    assert "failed=0" in run.stdout and "unreachable=0" in run.stdout
    return run


def check_controller_snippet(items):
    """AWX set-up: only ansible.controller modules, and every file it looks up exists."""
    called = [action for task in tasks_of(items) for action in actions(task)]
    assert called and all(action.startswith("ansible.controller.") for action in called), called
    for path in re.findall(r"lookup\('ansible\.builtin\.file', '([^']+)'\)", yaml.safe_dump(items)):
        with open(os.path.join(REPO, path)) as handle:
            assert yaml.safe_load(handle), path


@pytest.mark.parametrize("text", snippets())
def test_snippet(text, emulator, tmp_path):
    data = yaml.safe_load(text)
    if isinstance(data, list) and data and all(isinstance(item, dict) for item in data):
        called = [action for task in tasks_of(data) for action in actions(task)]
        if any(action.startswith("ansible.controller.") for action in called):
            check_controller_snippet(data)
            return
        assert all(action.startswith(("ansible.builtin.", "huaweicloud.vbs.")) for action in called), called
        if not any(key in item for item in data for key in PLAY_KEYS):
            # Tasks to copy into a play of one's own.
            data = [{"name": "tasks of the snippet", "hosts": "localhost", "gather_facts": False, "tasks": data}]
        assert all("hosts" in item for item in data), "plays and tasks mixed: %s" % text
        run_play(emulator, tmp_path, text, data)
        return
    assert isinstance(data, dict), text
    if "collections" in data:
        assert {"name": "huaweicloud.vbs"} in data["collections"]
        return
    if all(key.startswith("vbs_") for key in data):
        # The job template's extra variables: they run the nightly playbook.
        emulator.reset(seed_for(text))
        run = ansible_cli.playbook(NIGHTLY, seeds.aksk_env(emulator.url), extra_vars=data)
        assert run.rc == 0, run
        assert sorted(emulator.members(seeds.policy_id(1))) == sorted(data["vbs_volume_ids"])
        return
    unknown = set(data) - shared_options()
    assert not unknown, "not options of the collection: %s" % sorted(unknown)


def test_the_docs_have_snippets_of_every_kind():
    """The classification above is exercised: plays that run, option sets, AWX set-up."""
    texts = [param.values[0] for param in snippets()]
    assert len(texts) >= 10
    assert any("huaweicloud.vbs.vbs_policy_resources" in text and "hosts:" in text for text in texts)
    assert any("ansible.controller." in text for text in texts)
