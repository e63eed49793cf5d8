# -*- coding: utf-8 -*-
# Copyright: (c) 2026, huaweicloud.vbs contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""The playbooks of examples/ run as AWX / Automation Controller runs a job.

AWX turns a credential into environment variables with the injector templates
of its credential type (extras/awx/): every field the credential fills is a
template variable, secret fields decrypted; a field left empty is simply
missing, which Jinja renders as an empty string; the environment AWX records
for the job shows secret fields as '**********'. It then hands the job to
ansible-runner, whose events give each host's result. This test does the same
with the real ansible-runner, against the emulator, and reads every file the
job left behind for the secrets.
"""

import json
import os
import re

import ansible_runner
import pytest
import yaml
from jinja2.sandbox import ImmutableSandboxedEnvironment

from support import ansible_cli, seeds

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
INPUTS = os.path.join(REPO, "extras", "awx", "credential_type_inputs.yml")
INJECTORS = os.path.join(REPO, "extras", "awx", "credential_type_injectors.yml")
NIGHTLY = os.path.join(REPO, "examples", "awx_nightly_protect.yml")
PER_HOST = os.path.join(REPO, "examples", "fleet_protect_per_host.yml")
SAFE_MASK = "**********"
DAILY = seeds.policy_id(1)
V = seeds.volume_id


@pytest.fixture(autouse=True)
def job_environment(monkeypatch):
    """As in an execution environment: ansible-playbook on the PATH, and no HW_* variable but the injected ones."""
    monkeypatch.setenv("PATH", ansible_cli.BIN_DIR + os.pathsep + os.environ.get("PATH", ""))
    for name in list(os.environ):
        if name.startswith("HW_"):
            monkeypatch.delenv(name)


def load_yaml(path):
    with open(path) as handle:
        return yaml.safe_load(handle)


def render_credential(inputs):
    """(env, safe_env) of a credential with these input values, rendered as AWX renders custom credentials."""
    fields = load_yaml(INPUTS)["fields"]
    secret = {field["id"] for field in fields if field.get("secret")}
    namespace, safe_namespace = {}, {}
    for name, value in inputs.items():
        if value:  # an empty field never becomes a template variable
            namespace[name] = value
            safe_namespace[name] = SAFE_MASK if name in secret else value
        elif name in secret:
            safe_namespace[name] = SAFE_MASK
    sandbox = ImmutableSandboxedEnvironment()
    env, safe_env = {}, {}
    for variable, template in load_yaml(INJECTORS)["env"].items():
        env[variable] = sandbox.from_string(template).render(**namespace)
        safe_env[variable] = sandbox.from_string(template).render(**safe_namespace)
    return env, safe_env


def credential_inputs(emulator, **fields):
    """A credential as an operator fills it in: the emulator's endpoints, the rest as given, other fields empty."""
    inputs = {field["id"]: "" for field in load_yaml(INPUTS)["fields"]}
    inputs.update(region=seeds.PROJECT_NAME, endpoint=emulator.url, auth_url=emulator.url + "/v3")
    inputs.update(fields)
    return inputs


def run_job(tmp_path, name, playbook, credential_env, extravars=None, inventory=None, forks=None, verbosity=0):
    """One job through ansible_runner.run(); (runner, private data directory)."""
    private = tmp_path / name
    (private / "project").mkdir(parents=True)
    envvars = {key: value for key, value in ansible_cli.base_env().items()
               if key.startswith("ANSIBLE_") or key in ("PATH", "PYTHONWARNINGS")}
    # The job runs in its project directory: a relative collections path would point elsewhere.
    envvars["ANSIBLE_COLLECTIONS_PATH"] = os.pathsep.join(
        os.path.abspath(entry) for entry in envvars["ANSIBLE_COLLECTIONS_PATH"].split(os.pathsep))
    envvars.update(credential_env)
    kwargs = dict(private_data_dir=str(private), playbook=playbook, envvars=envvars, extravars=extravars or {},
                  verbosity=verbosity, quiet=True, suppress_env_files=True, ident="job")
    kwargs["inventory"] = inventory or "localhost ansible_connection=local ansible_python_interpreter=%s" % (
        ansible_cli.sys.executable)
    if forks:
        kwargs["forks"] = forks
    return ansible_runner.run(**kwargs), private


def task_results(runner, task_name):
    """{host: (changed, failed)} of one task, from the job's events."""
    results = {}
    for event in runner.events:
        data = event.get("event_data", {})
        if event["event"] in ("runner_on_ok", "runner_on_failed") and data.get("task") == task_name:
            results[data["host"]] = (bool(data["res"].get("changed")), event["event"] == "runner_on_failed")
    return results


def files_holding(private, secrets, injected):
    """Every file the job left under ``private`` that holds one of ``secrets``, as (path, secret).

    One exception, checked narrowly: ansible-runner itself records the environment it was given in
    artifacts/<ident>/command (mode 0600). The credential variables AWX injected are that input, not
    something the job wrote; they are taken out of that record, and everything else in it is checked.
    """
    found = []
    for root, _dirs, files in os.walk(str(private)):
        for name in files:
            path = os.path.join(root, name)
            with open(path, "rb") as handle:
                content = handle.read()
            if os.path.relpath(path, str(private)) == os.path.join("artifacts", "job", "command"):
                record = json.loads(content.decode("utf-8"))
                assert all(record["env"].get(variable) == value for variable, value in injected.items())
                record["env"] = {key: value for key, value in record["env"].items() if key not in injected}
                content = json.dumps(record).encode("utf-8")
            found.extend((path, secret) for secret in secrets if secret.encode("utf-8") in content)
    return found


def files_matching(private, pattern):
    """Every file under ``private`` whose content matches the regular expression ``pattern``."""
    found = []
    for root, _dirs, files in os.walk(str(private)):
        for name in files:
            with open(os.path.join(root, name), "rb") as handle:
                if re.search(pattern.encode("ascii"), handle.read()):
                    found.append(os.path.join(root, name))
    return found


def test_credential_type_renders_every_variable_and_masks_secrets(emulator):
    env, safe_env = render_credential(credential_inputs(emulator, access_key=seeds.ACCESS_KEY,
                                                        secret_key=seeds.SECRET_KEY))
    # AWX sets every variable of the injectors, the empty ones included.
    assert env["HW_USER_NAME"] == env["HW_USER_PASSWORD"] == env["HW_PROJECT_ID"] == ""
    assert env["HW_SECRET_KEY"] == seeds.SECRET_KEY and env["HW_ACCESS_KEY"] == seeds.ACCESS_KEY
    assert safe_env["HW_SECRET_KEY"] == safe_env["HW_USER_PASSWORD"] == safe_env["HW_SECURITY_TOKEN"] == SAFE_MASK
    assert seeds.SECRET_KEY not in json.dumps(safe_env)
    assert env["HW_EVS_ENDPOINT"] == env["HW_ECS_ENDPOINT"] == ""


def test_credential_type_carries_the_evs_and_ecs_endpoints(emulator):
    env, _safe = render_credential(credential_inputs(emulator, evs_endpoint="https://evs.eu-de.example.com",
                                                     ecs_endpoint="https://ecs.eu-de.example.com"))
    assert (env["HW_EVS_ENDPOINT"], env["HW_ECS_ENDPOINT"]) == ("https://evs.eu-de.example.com",
                                                                "https://ecs.eu-de.example.com")


def test_nightly_job_changes_then_is_ok_and_leaves_no_secret(emulator, tmp_path):
    emulator.reset(seeds.seed(policies=("daily-db", "weekly"), members={"daily-db": [1]}))
    env, _safe = render_credential(credential_inputs(emulator, access_key=seeds.ACCESS_KEY,
                                                     secret_key=seeds.SECRET_KEY))
    extravars = {"vbs_backup_policy_name": "daily-db", "vbs_volume_ids": "%s\n%s\n" % (V(1), V(2))}
    first, first_dir = run_job(tmp_path, "first", NIGHTLY, env, extravars)
    assert (first.status, first.rc) == ("successful", 0), first.stdout.read()
    assert task_results(first, "Associate the volumes with the policy") == {"localhost": (True, False)}
    assert first.stats["changed"] == {"localhost": 1}
    assert emulator.members(DAILY) == sorted([V(1), V(2)])

    second, second_dir = run_job(tmp_path, "second", NIGHTLY, env, extravars)
    assert (second.status, second.rc) == ("successful", 0)
    assert task_results(second, "Associate the volumes with the policy") == {"localhost": (False, False)}
    assert second.stats.get("changed", {}) == {}

    for private in (first_dir, second_dir):
        assert os.listdir(str(private / "artifacts" / "job" / "job_events"))  # the events are there to read
        assert files_holding(private, seeds.SECRETS, env) == []


def test_password_credential_at_high_verbosity_leaves_no_secret(emulator, tmp_path):
    emulator.reset(seeds.seed(policies=("daily-db",), members={"daily-db": [1]}))
    env, _safe = render_credential(credential_inputs(emulator, user_name=seeds.USER_NAME, password=seeds.PASSWORD,
                                                     domain_name=seeds.DOMAIN))
    extravars = {"vbs_backup_policy_name": "daily-db", "vbs_volume_ids": [V(1)]}
    job, private = run_job(tmp_path, "password", NIGHTLY, env, extravars, verbosity=4)
    assert (job.status, job.rc) == ("successful", 0), job.stdout.read()
    assert task_results(job, "Associate the volumes with the policy") == {"localhost": (False, False)}
    assert files_holding(private, seeds.SECRETS, env) == []
    # The IAM token the module obtained is a secret too: it appears in no file either.
    assert [entry for entry in emulator.requests() if entry["path"] == "/v3/auth/tokens"]
    assert files_matching(private, seeds.TOKEN_PATTERN) == []


def test_per_host_fleet_job_reports_each_host(emulator, tmp_path):
    hosts = 5
    emulator.reset(seeds.seed(policies=("daily-db",), members={"daily-db": [1, 2]}))
    inventory = {"all": {"hosts": {"node%d" % number: {"vbs_volume_ids": [V(number)]}
                                   for number in range(1, hosts + 1)}}}
    env, _safe = render_credential(credential_inputs(emulator, access_key=seeds.ACCESS_KEY,
                                                     secret_key=seeds.SECRET_KEY))
    job, private = run_job(tmp_path, "fleet", PER_HOST, env, inventory=inventory, forks=hosts)
    assert (job.status, job.rc) == ("successful", 0), job.stdout.read()
    assert task_results(job, "Associate this host's volumes with the policy") == {
        "node1": (False, False), "node2": (False, False),
        "node3": (True, False), "node4": (True, False), "node5": (True, False)}
    assert emulator.members(DAILY) == sorted(V(number) for number in range(1, hosts + 1))
    assert files_holding(private, seeds.SECRETS, env) == []
