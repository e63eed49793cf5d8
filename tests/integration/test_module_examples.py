# -*- coding: utf-8 -*-
# Copyright: (c) 2026, huaweicloud.vbs contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""Every task of every module's EXAMPLES, as a user copies it.

For each file in plugins/modules/ (a module added later is covered without
touching this test):

* the EXAMPLES tasks pass ``ansible-playbook --syntax-check`` (one action per
  task, valid keywords);
* the arguments of every task of this collection's modules match the module's
  documented options (as ansible-doc reads them): no unknown option, every
  required one given (by the task or the module_defaults around it), literal
  values among the documented choices;
* every ID they name is one of the demo data (tools/seed/demo.json), so that a
  user who copies them into the emulator's world finds what they name;
* the tasks run against the emulator started with the demo data as it is, with
  the endpoints of the examples pointed at the emulator and the variables
  below defined: in check mode (no change is sent), then for real;
* the ad hoc commands in the examples' comments run against the same emulator.

Nothing is left out today. A new example that uses a variable not defined
below fails the runs; define the variable in EXAMPLE_VARIABLES (with demo IDs).
"""

import ast
import json
import os
import re
import shlex
import subprocess

import pytest
import yaml

from support import ansible_cli, seeds

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
MODULES_DIR = os.path.join(REPO, "plugins", "modules")
COLLECTION = "huaweicloud.vbs."
UUID = re.compile(r"\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b")
TEMPLATED = re.compile(r"{{|{%")
BLOCK_KEYS = ("block", "rescue", "always")
READ_POST_PATH = "/resource_instances/action"

# Variables that examples use as a user would define them: in the play, the inventory or extra vars.
# Volumes of the demo data that are in no policy.
EXAMPLE_VOLUMES = ["11111111-0000-4000-8000-000000000009", "11111111-0000-4000-8000-000000000010"]
EXAMPLE_VARIABLES = {
    "db_volume_ids": EXAMPLE_VOLUMES,
    "data_volume_id": EXAMPLE_VOLUMES[0],
}
# Inventory group "databases" with the host variable data_volume_id: the demo data's database server
# (examples take the inventory names for server names) and its data volume.
DATABASE_HOSTS = {"db-01": "11111111-0000-4000-8000-000000000001"}


def module_files():
    return sorted(name[:-3] for name in os.listdir(MODULES_DIR)
                  if name.endswith(".py") and not name.startswith("_"))


def module_text(module, variable):
    """A string constant of a module file (DOCUMENTATION, EXAMPLES ...), read without importing it."""
    with open(os.path.join(MODULES_DIR, module + ".py")) as handle:
        tree = ast.parse(handle.read())
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(getattr(target, "id", None) == variable for target in node.targets):
            return node.value.value
    raise AssertionError("%s has no %s" % (module, variable))


def example_tasks(module):
    tasks = yaml.safe_load(module_text(module, "EXAMPLES"))
    assert isinstance(tasks, list) and tasks, "%s: EXAMPLES is not a list of tasks" % module
    return tasks


def walk(tasks, defaults=None):
    """(task, module_defaults in force) for every task, blocks opened."""
    for task in tasks:
        inherited = dict(defaults or {})
        for key, value in (task.get("module_defaults") or {}).items():
            inherited[key] = dict(inherited.get(key, {}), **value)
        if any(key in task for key in BLOCK_KEYS):
            for key in BLOCK_KEYS:
                yield from walk(task.get(key) or [], inherited)
        else:
            yield task, inherited


def collection_action(task):
    """(module name, arguments) of a task that calls one of this collection's modules, else None."""
    for key, value in task.items():
        if key.startswith(COLLECTION):
            return key[len(COLLECTION):], dict(value or {})
    return None


_DOCS = {}


def documented_options(module):
    """The module's options as ansible-doc reads them (its doc fragments included)."""
    if module not in _DOCS:
        run = subprocess.run([os.path.join(ansible_cli.BIN_DIR, "ansible-doc"), "--json", COLLECTION + module],
                             env=ansible_cli.base_env(), capture_output=True, text=True, check=False, timeout=120)
        assert run.returncode == 0, run.stderr
        _DOCS[module] = json.loads(run.stdout)[COLLECTION + module]["doc"]["options"]
    return _DOCS[module]


def argument_problems(tasks, label_prefix):
    problems = []
    for task, defaults in walk(tasks):
        found = collection_action(task)
        if found is None:
            continue
        name, args = found
        options = documented_options(name)
        known = set(options)
        for spec in options.values():
            known.update(spec.get("aliases") or [])
        given = dict(defaults.get("group/huaweicloud.vbs.vbs", {}))
        given.update(defaults.get(COLLECTION + name, {}))
        given.update(args)
        label = "%s example %r" % (label_prefix, task.get("name"))
        for option in sorted(set(args) - known):
            problems.append("%s: unknown option %s of %s" % (label, option, name))
        for option, spec in sorted(options.items()):
            if spec.get("required") and option not in given:
                problems.append("%s: required option %s is missing" % (label, option))
            value = args.get(option)
            if spec.get("choices") and value is not None and not (isinstance(value, str) and TEMPLATED.search(value)):
                if value not in spec["choices"]:
                    problems.append("%s: %s=%r is not one of %s" % (label, option, value, spec["choices"]))
    return problems


def pointed_at(value, url):
    """The examples' endpoints, anywhere in a task, replaced by the emulator's."""
    if isinstance(value, dict):
        replaced = {}
        for key, item in value.items():
            if key == "endpoint":
                replaced[key] = url
            elif key == "auth_url":
                replaced[key] = url + "/v3"
            else:
                replaced[key] = pointed_at(item, url)
        return replaced
    if isinstance(value, list):
        return [pointed_at(item, url) for item in value]
    return value


def write_play(directory, module, tasks, url=None):
    play = [{"name": "EXAMPLES of %s" % module, "hosts": "localhost", "gather_facts": False,
             "vars": EXAMPLE_VARIABLES, "tasks": pointed_at(tasks, url) if url else tasks}]
    path = os.path.join(str(directory), "%s_examples.yml" % module)
    with open(path, "w") as handle:
        yaml.safe_dump(play, handle, sort_keys=False)
    inventory = {"all": {"hosts": {"localhost": {"ansible_connection": "local"}},
                         "children": {"databases": {"hosts": {host: {"data_volume_id": volume}
                                                              for host, volume in DATABASE_HOSTS.items()}}}}}
    inventory_path = os.path.join(str(directory), "inventory.json")
    with open(inventory_path, "w") as handle:
        json.dump(inventory, handle)
    return path, inventory_path


def adhoc_commands(module):
    """The ``ansible ...`` command lines in the comments of EXAMPLES (continuation lines joined)."""
    commands, current = [], None
    for line in module_text(module, "EXAMPLES").splitlines():
        text = line.strip()
        if not text.startswith("#"):
            current = None
            continue
        text = text.lstrip("#").strip()
        if current is not None:
            current += " " + text.rstrip("\\").strip()
            if not text.endswith("\\"):
                commands.append(current)
                current = None
        elif text.startswith("ansible "):
            if text.endswith("\\"):
                current = text.rstrip("\\").strip()
            else:
                commands.append(text)
    return commands


MODULES = module_files()


def test_every_module_is_covered():
    assert {"vbs_policy_resources", "vbs_backup_policy_info", "vbs_volume_info", "vbs_backup", "vbs_backup_info",
            "vbs_backup_restore", "vbs_backup_policy_run"} <= set(MODULES)


@pytest.mark.parametrize("module", MODULES)
def test_see_also_names_every_other_module_of_the_collection(module):
    seealso = yaml.safe_load(module_text(module, "DOCUMENTATION")).get("seealso") or []
    named = set(entry.get("module") for entry in seealso)
    missing = sorted(COLLECTION + other for other in MODULES if other != module and COLLECTION + other not in named)
    assert not missing, "%s: seealso lacks %s" % (module, missing)


@pytest.mark.parametrize("module", MODULES)
def test_examples_pass_the_syntax_check(module, tmp_path):
    playbook, inventory = write_play(tmp_path, module, example_tasks(module))
    run = subprocess.run([os.path.join(ansible_cli.BIN_DIR, "ansible-playbook"), "--syntax-check", "-i", inventory,
                          playbook], env=ansible_cli.base_env(), capture_output=True, text=True, check=False,
                         timeout=120)
    assert run.returncode == 0, run.stdout + run.stderr


@pytest.mark.parametrize("module", MODULES)
def test_example_arguments_match_the_documented_options(module):
    assert argument_problems(example_tasks(module), module) == []


@pytest.mark.parametrize("module", MODULES)
def test_examples_name_only_ids_of_the_demo_data(module):
    unknown = sorted(set(UUID.findall(module_text(module, "EXAMPLES"))) - seeds.demo_ids())
    assert not unknown, "IDs that tools/seed/demo.json does not have: %s" % unknown


def run_examples(module, emulator, tmp_path, check):
    """ansible-playbook over the module's EXAMPLES against the emulator with the demo data; the run."""
    emulator.reset(seeds.demo())
    playbook, inventory = write_play(tmp_path, module, example_tasks(module), emulator.url)
    env = seeds.demo_env(emulator.url)
    env["ANSIBLE_INVENTORY"] = inventory
    emulator.clear_requests()
    run = ansible_cli.playbook(playbook, env, check=check)
    assert run.rc == 0, run
    recap = re.search(r"localhost\s*:\s*ok=(\d+)\s+changed=(\d+)\s+unreachable=0\s+failed=0\s+skipped=0", run.stdout)
    assert recap, run.stdout
    assert int(recap.group(1)) == len(list(walk(example_tasks(module)))), run.stdout  # every task ran
    return run, int(recap.group(2))


def sent_changes(emulator):
    # EVS's query of volumes by tag is a read that is sent as a POST.
    return [entry for entry in emulator.requests() if entry["method"] != "GET" and entry["path"].startswith("/v2/")
            and not entry["path"].endswith(READ_POST_PATH)]


@pytest.mark.parametrize("module", MODULES)
def test_examples_run_in_check_mode_against_the_demo_data(module, emulator, tmp_path):
    run_examples(module, emulator, tmp_path, check=True)
    assert sent_changes(emulator) == []


@pytest.mark.parametrize("module", MODULES)
def test_examples_run_for_real_against_the_demo_data(module, emulator, tmp_path):
    _run, changed = run_examples(module, emulator, tmp_path, check=False)
    # The examples that change something did, and sent what they reported.
    assert (changed > 0) == bool(sent_changes(emulator)), (changed, sent_changes(emulator))


@pytest.mark.parametrize("module", MODULES)
def test_adhoc_commands_in_the_examples_run(module, emulator):
    commands = adhoc_commands(module)
    emulator.reset(seeds.demo())
    for command in commands:
        argv = shlex.split(command)
        assert argv[:2] == ["ansible", "localhost"], command
        argv[0] = os.path.join(ansible_cli.BIN_DIR, "ansible")
        run = subprocess.run(argv, env=ansible_cli.base_env(seeds.demo_env(emulator.url)), capture_output=True,
                             text=True, check=False, timeout=300, stdin=subprocess.DEVNULL)
        assert run.returncode == 0, (command, run.stdout, run.stderr)
        assert "localhost | " in run.stdout and "FAILED" not in run.stdout, (command, run.stdout)


# The third vbs_policy_resources example once had an option's documentation pasted into it.
BROKEN_EXAMPLE = """
- name: Protect a list built from inventory variables, reporting but not failing on bad volumes
  huaweicloud.vbs.vbs_policy_resources:
    backup_policy_id: 0ea1f4b3-7c2d-4f5e-9a6b-1c2d3e4f5a6b
    volumes: "{{ groups['databases'] | map('extract', hostvars, 'data_volume_id') | list }}"
    batch_size: 100
    concurrency:
    description:
      - How many associate or disassociate requests (batches) are in flight at once, between 1 and 10.
    type: int
    default: 4
  fail_on_resource_errors: false
  register: result
"""


def test_the_checks_catch_the_example_that_was_broken(tmp_path):
    broken = yaml.safe_load(BROKEN_EXAMPLE)
    playbook, inventory = write_play(tmp_path, "broken", broken)
    run = subprocess.run([os.path.join(ansible_cli.BIN_DIR, "ansible-playbook"), "--syntax-check", "-i", inventory,
                          playbook], env=ansible_cli.base_env(), capture_output=True, text=True, check=False,
                         timeout=120)
    assert run.returncode != 0
    assert "conflicting action statements" in run.stdout + run.stderr
    problems = argument_problems(broken, "broken")
    assert any("unknown option description" in problem for problem in problems)
    assert any("unknown option default" in problem for problem in problems)
    wrong_choice = [{"name": "Wrong", "huaweicloud.vbs.vbs_policy_resources": {"backup_policy_id": "x",
                                                                               "state": "gone"}}]
    problems = argument_problems(wrong_choice, "wrong")
    assert any("state='gone' is not one of" in problem for problem in problems)
    assert any("required option volumes is missing" in problem for problem in problems)
