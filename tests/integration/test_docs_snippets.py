# -*- coding: utf-8 -*-
# Copyright: (c) 2026, huaweicloud.vbs contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""Every YAML and shell snippet of README.md and docs/*.md that a user would copy.

The snippets are written against the demo data (tools/seed/demo.json): every ID
they name is one of it, and they run against the emulator started with it as it
is, with the demo data's credentials (as README.md sets them).

Each YAML snippet is one of:

* a play that uses only ansible.builtin and this collection: it runs (for real)
  against the emulator (endpoints from the HW_* variables, the variables below
  as extra vars); a list of such tasks runs the same way, as the tasks of a
  play on localhost;
* a set of module options: every key is a documented option;
* the extra variables of the AWX job template: they run
  examples/awx_nightly_protect.yml;
* a requirements.yml: it names this collection's Git repository (the one of
  galaxy.yml), as the collection is not on Ansible Galaxy; the same file with
  a local clone in place of that URL installs the collection;
* a play or task of the ansible.controller collection (AWX set-up): it cannot
  run here (no AWX or Automation Controller, and no such collection offline).
  It must be valid YAML, name only modules of that collection, and every file
  it reads must exist.

Each shell snippet of docs/*.md (README.md's have tests/package/test_readme.py)
is one of:

* ad-hoc commands (``ansible localhost ...``) with the exports they need: the
  block runs in bash against the emulator, with the emulator's URL in place of
  http://127.0.0.1:8480, or, for a block that exports a real cloud's
  endpoints, with the emulator's endpoints in place of those; every variable
  it exports is one the modules read;
* a command that starts the emulator, or runs tests of the checkout: every
  file it names exists;
* an ``awx`` command (AWX's own command line, which cannot run here): every
  file it reads exists;
* the conformance probe (``tools/vbs-probe``) with the exports it needs: every
  variable it exports is one the probe reads; tests/probe/test_probe_docs.py
  runs these blocks against the emulator (and the profile they write).

A snippet that is none of these fails the test, so a new kind of snippet
cannot go unchecked.
"""

import glob
import json
import os
import re
import shlex
import subprocess

import pytest
import yaml

from support import ansible_cli, seeds
from support.checkout import local_repository, repository_url
from support.shell_snippets import commands, unknown_variables

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
DOCS = [os.path.join(REPO, "README.md")] + sorted(glob.glob(os.path.join(REPO, "docs", "*.md")))
NIGHTLY = os.path.join(REPO, "examples", "awx_nightly_protect.yml")
FENCE = re.compile(r"^( *)```yaml\n(.*?)^\1```", re.M | re.S)
SHELL_FENCE = re.compile(r"^( *)```sh\n(.*?)^\1```", re.M | re.S)
UUID = re.compile(r"\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b")
DEMO = seeds.demo()
DEMO_KEY = DEMO["credentials"]["access_keys"][0]
# Volumes of the demo data in no policy, for the variables below.
SNIPPET_VOLUMES = ["11111111-0000-4000-8000-000000000003", "11111111-0000-4000-8000-000000000005"]
HOST_VOLUMES = ["11111111-0000-4000-8000-000000000009", "11111111-0000-4000-8000-000000000010"]
# Variables the snippets use, as a user would set them (vault variables, extra vars, host variables).
SNIPPET_VARIABLES = {
    "otc_project_id": DEMO["project"]["id"],
    "vault_otc_access_key": DEMO_KEY["access_key"],
    "vault_otc_secret_key": DEMO_KEY["secret_key"],
    "db_volume_ids": SNIPPET_VOLUMES,
}
HOSTS = {"node1": HOST_VOLUMES[:1], "node2": HOST_VOLUMES[1:]}
TASK_BLOCKS = ("block", "rescue", "always")
PLAY_KEYS = ("hosts", "import_playbook")
# The emulator's address in the snippets (README.md's, docs/emulator.md's).
SNIPPET_EMULATOR = "http://127.0.0.1:8480"
# Commands of the checkout that the shell snippets run besides ad-hoc commands: the emulator and tests.
CHECKOUT_COMMANDS = ("tools/vbs-emulator ", ".venv-tests/bin/python -m pytest ")


def fenced(fence):
    """pytest params of the blocks that ``fence`` matches in the docs, with their file and line as ID."""
    found = []
    for path in DOCS:
        with open(path) as handle:
            text = handle.read()
        for match in fence.finditer(text):
            indent = len(match.group(1))
            body = "\n".join(line[indent:] for line in match.group(2).splitlines())
            line = text.count("\n", 0, match.start()) + 1
            found.append(pytest.param(body, id="%s:%d" % (os.path.relpath(path, REPO), line)))
    return found


def snippets():
    return fenced(FENCE)


def shell_snippets():
    """The shell blocks of docs/*.md (tests/package/test_readme.py runs README.md's)."""
    return [param for param in fenced(SHELL_FENCE) if not param.id.startswith("README.md:")]


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


def policy_id(emulator, name):
    """The ID of the one policy of the emulator with that name."""
    found = [policy["id"] for policy in emulator.policies() if policy["name"] == name]
    assert len(found) == 1, (name, emulator.policies())
    return found[0]


def run_play(emulator, tmp_path, plays):
    emulator.reset(DEMO)
    playbook = tmp_path / "snippet.yml"
    playbook.write_text(yaml.safe_dump(plays, sort_keys=False))
    inventory = {"all": {"hosts": dict({"localhost": {"ansible_connection": "local"}},
                                       **{host: {"vbs_volume_ids": volumes} for host, volumes in HOSTS.items()})}}
    (tmp_path / "inventory.json").write_text(json.dumps(inventory))
    env = seeds.demo_env(emulator.url)
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


def check_requirements(data, tmp_path):
    """A requirements.yml: the collection's Git repository; with a local stand-in, it installs."""
    assert len(data["collections"]) == 1, data
    entry = data["collections"][0]
    # Not on Ansible Galaxy: a name alone would not be found.
    assert entry.get("type") == "git" and entry.get("name") == repository_url(), entry
    assert entry.get("version"), entry
    local = dict(entry, name=local_repository(tmp_path, entry["version"]))
    requirements = tmp_path / "requirements.yml"
    requirements.write_text(yaml.safe_dump(dict(data, collections=[local])))
    install = subprocess.run([os.path.join(ansible_cli.BIN_DIR, "ansible-galaxy"), "collection", "install",
                              "-r", str(requirements), "-p", str(tmp_path / "collections")],
                             env=ansible_cli.base_env(), capture_output=True, text=True, check=False, timeout=300)
    assert install.returncode == 0, install.stdout + install.stderr
    assert (tmp_path / "collections" / "ansible_collections" / "huaweicloud" / "vbs" / "MANIFEST.json").is_file()


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
        run_play(emulator, tmp_path, data)
        return
    assert isinstance(data, dict), text
    if "collections" in data:
        check_requirements(data, tmp_path)
        return
    if all(key.startswith("vbs_") for key in data):
        # The job template's extra variables: they run the nightly playbook.
        emulator.reset(DEMO)
        run = ansible_cli.playbook(NIGHTLY, seeds.demo_env(emulator.url), extra_vars=data)
        assert run.rc == 0, run
        members = emulator.members(policy_id(emulator, data["vbs_backup_policy_name"]))
        assert set(data["vbs_volume_ids"]) <= set(members), members
        return
    unknown = set(data) - shared_options()
    assert not unknown, "not options of the collection: %s" % sorted(unknown)


@pytest.mark.parametrize("path", DOCS, ids=lambda path: os.path.relpath(path, REPO))
def test_the_docs_name_only_ids_of_the_demo_data(path):
    with open(path) as handle:
        unknown = sorted(set(UUID.findall(handle.read())) - seeds.demo_ids())
    assert not unknown, "IDs that tools/seed/demo.json does not have: %s" % unknown


def shell_kind(block):
    """adhoc, checkout, awx or probe (module docstring), else None."""
    lines = commands(block)
    if any(line.startswith("ansible ") for line in lines):
        return "adhoc"
    if lines and all(line.startswith(CHECKOUT_COMMANDS) for line in lines):
        return "checkout"
    if lines and all(line.startswith("awx ") for line in lines):
        return "awx"
    if any(line.startswith("tools/vbs-probe ") for line in lines) and all(
            line.startswith(("tools/vbs-probe ", "export ")) for line in lines):
        return "probe"
    return None


RELATIVE_PATH = re.compile(r"@?(?!\.venv)[\w.][\w.-]*/[\w./-]*")


def named_files(line):
    """The files of the checkout that a command line names (``@file`` too); the virtual environments,
    which make creates, left out."""
    return [word.lstrip("@") for word in shlex.split(line) if RELATIVE_PATH.fullmatch(word)]


def run_adhoc_block(block, emulator):
    """The block in bash against the emulator with the demo data; a block for a real cloud runs its
    ansible commands with the emulator's endpoints and the demo data's keys instead of its own."""
    if "https://" in block or "HW_CLOUD" in block:
        script = "\n".join(line for line in commands(block) if line.startswith("ansible "))
    else:
        script = block.replace(SNIPPET_EMULATOR, emulator.url)
    env = ansible_cli.base_env(seeds.demo_env(emulator.url))
    env.update(NO_PROXY="127.0.0.1,localhost", PATH=ansible_cli.BIN_DIR + os.pathsep + env.get("PATH", ""))
    return subprocess.run(["bash", "-euo", "pipefail", "-c", script], cwd=REPO, env=env, capture_output=True,
                          text=True, check=False, timeout=300, stdin=subprocess.DEVNULL)


@pytest.mark.parametrize("block", shell_snippets())
def test_shell_snippet(block, emulator):
    kind = shell_kind(block)
    assert kind, "a shell snippet that the test does not know: %r" % block
    for line in commands(block):
        for path in named_files(line):
            assert os.path.exists(os.path.join(REPO, path)), (path, line)
    if kind == "probe":
        assert not unknown_variables(block)
    if kind != "adhoc":
        return
    assert not unknown_variables(block)
    emulator.reset(DEMO)
    run = run_adhoc_block(block, emulator)
    output = run.stdout + run.stderr
    assert run.returncode == 0, output
    assert "localhost | " in run.stdout and "FAILED" not in output, output
    assert DEMO_KEY["secret_key"] not in output


def test_the_docs_have_snippets_of_every_kind():
    """The classification above is exercised: plays that run, option sets, AWX set-up, shell snippets."""
    texts = [param.values[0] for param in snippets()]
    assert len(texts) >= 10
    assert any("huaweicloud.vbs.vbs_policy_resources" in text and "hosts:" in text for text in texts)
    assert any("ansible.controller." in text for text in texts)
    assert any("type: git" in text for text in texts)
    kinds = [shell_kind(param.values[0]) for param in shell_snippets()]
    assert {"adhoc", "checkout", "awx"} <= set(kinds), kinds
