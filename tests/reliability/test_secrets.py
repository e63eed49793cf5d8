# -*- coding: utf-8 -*-
# Copyright: (c) 2026, huaweicloud.vbs contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""No credential, token or signature in anything the collection produces, whatever the server does.

tests/integration/test_authentication.py scans the -vvvv output of a few
ad-hoc runs. These tests go further, in this process, for every kind of
credentials:

* every failure mode of the fault soak and of the integration scenarios
  (each injected fault, per-volume failures, unknown policies, refused
  credentials, a foreign project, a skewed clock, warnings);
* a hostile server that echoes the request it received (its headers first,
  then its body) in every place the collection may quote an answer: the
  error message or code of a JSON error, an HTML page, plain text, a 200
  answer with an unexpected shape, the X-Request-Id header.

Each run is checked twice: the result as Ansible prints it (no_log values
masked by Ansible), and the raw result and warnings *before* Ansible's
masking, which must be clean on their own. The client's VBSError (its text
and its result fields) is checked directly as well. A leak is any seeded
secret, any token, any Authorization value or signature the server received,
and any X-Security-Token.
"""

import json
import re

import pytest

from integration.test_authentication import CREDENTIALS, endpoints, leaks
from support import backups as backup_world
from support import seeds
from support.emulator import EmulatorProcess

from support.module_runner import clear_problem, run_module

from ansible_collections.huaweicloud.vbs.plugins.module_utils import vbs_auth
from ansible_collections.huaweicloud.vbs.plugins.module_utils.vbs_api import VBSClient
from ansible_collections.huaweicloud.vbs.plugins.module_utils.vbs_errors import VBSError
from ansible_collections.huaweicloud.vbs.plugins.module_utils.vbs_transport import Transport
from ansible_collections.huaweicloud.vbs.plugins.modules import (
    vbs_backup, vbs_backup_info, vbs_backup_policy_info, vbs_backup_policy_run, vbs_backup_restore,
    vbs_policy_resources)
from ansible_collections.huaweicloud.vbs.tests.support.scripted_server import Reply, ScriptedServer, json_reply

DAILY = seeds.policy_id(1)
V = seeds.volume_id
KINDS = sorted(CREDENTIALS)
# A token in the shape of the emulator's (and IAM's) tokens, for the scripted servers.
SCRIPTED_TOKEN = "MII" + "ScriptedTokenQ4w8Zx2Lk7Rt5Nv3Bm9Hc1Jd6Pf0Gs" * 3
SENSITIVE_HEADERS = ("authorization", "x-auth-token", "x-security-token")
MASK = "********"


def sent_secrets(requests):
    """Every secret header value (and bare signature) that reached a scripted server."""
    values = set()
    for recorded in requests:
        for name, value in recorded.header_items:
            if name.lower() in SENSITIVE_HEADERS:
                values.add(value)
                values.update(re.findall(r"Signature=([0-9a-f]{16,})", value))
    return values


def found_in(texts, known=()):
    """The leaks among ``texts``: the integration tests' detector, plus exact values the server saw."""
    found = []
    for text in texts:
        found += leaks(text, [SCRIPTED_TOKEN])
        found += [value for value in known if value and value in text]
    return found


def assert_clean(run, known=()):
    texts = run.texts()
    assert found_in(texts, known) == [], (found_in(texts, known), run)


# -- every failure mode against the emulator, every kind of credentials ---------------------

@pytest.fixture(scope="module")
def emulator():
    with EmulatorProcess(seed=seeds.seed(statuses={4: "error"}), args=["--slow-ms", "1500"]) as process:
        yield process


@pytest.fixture
def fresh(emulator):
    emulator.configure(fault_rate=0.0, clock_skew=0, fault_kinds=["throttle", "error500", "unavailable503", "drop",
                                                                  "slow", "error500_after_apply"],
                       evs_policy_metadata="sync")
    emulator.reset(seeds.seed(members={"daily": [1, 2]}, statuses={4: "error"}))
    return emulator


def with_fault(kind):
    def prepare(emulator, args):
        emulator.configure(fault_rate=1.0, fault_kinds=[kind])
        return args
    return prepare


def set_args(**changes):
    def prepare(emulator, args):
        args.update(changes)
        return args
    return prepare


def clock_skew(seconds):
    def prepare(emulator, args):
        emulator.configure(clock_skew=seconds)
        return args
    return prepare


def executing(emulator, args):
    emulator.set_executing(DAILY, True)
    args.update(state="absent", volumes=[V(1)])
    return args


def check_mode_unknown_members(emulator, args):
    """Check mode where EVS does not name the members: the module can only warn (docs/membership.md)."""
    emulator.configure(evs_policy_metadata="off")
    args.update(volumes=[V(1)], _ansible_check_mode=True)
    return args


def wrong_credentials(emulator, args):
    for name in ("secret_key", "password", "auth_token"):
        if name in args:
            args[name] = "wrong-" + args[name]
    return args


FAILURE_MODES = {
    "fault throttle": with_fault("throttle"),
    "fault unavailable503": with_fault("unavailable503"),
    "fault error500": with_fault("error500"),
    "fault drop": with_fault("drop"),
    "fault slow": with_fault("slow"),
    "fault error500_after_apply": with_fault("error500_after_apply"),
    "per-volume failures": set_args(volumes=[V(1), V(4), "0000dead-0000-4000-8000-00000000beef"]),
    "per-volume failures as a warning": set_args(volumes=[V(4)], fail_on_resource_errors=False),
    "unknown policy": set_args(backup_policy_name="no-such-policy", backup_policy_id=None),
    "executing policy": executing,
    "foreign project": set_args(project_id="0123456789abcdef0123456789abcdef"),
    "refused credentials": wrong_credentials,
    "clock 20 minutes ahead": clock_skew(1200),
    "check mode warning": check_mode_unknown_members,
}


def emulator_args(emulator, kind):
    """Module options for one kind of credentials: the integration tests' HW_* values, as options."""
    env = endpoints(emulator.url)
    env.update(CREDENTIALS[kind](emulator.url))
    names = {"HW_VBS_ENDPOINT": "endpoint", "HW_AUTH_URL": "auth_url", "HW_REGION_NAME": "region",
             "HW_ACCESS_KEY": "access_key", "HW_SECRET_KEY": "secret_key", "HW_SECURITY_TOKEN": "security_token",
             "HW_USER_NAME": "user_name", "HW_USER_PASSWORD": "password", "HW_DOMAIN_NAME": "domain_name",
             "HW_AUTH_TOKEN": "auth_token"}
    args = dict((names[key], value) for key, value in env.items())
    args.update(backup_policy_id=DAILY, volumes=[V(3)], retries=0, timeout=1)
    return args


@pytest.mark.parametrize("mode", sorted(FAILURE_MODES))
@pytest.mark.parametrize("kind", KINDS)
def test_no_secret_in_any_failure_against_the_emulator(fresh, kind, mode):
    args = emulator_args(fresh, kind)
    known = [args.get("auth_token")]
    args = FAILURE_MODES[mode](fresh, args)
    args = dict((key, value) for key, value in args.items() if value is not None)
    check_mode = bool(args.pop("_ansible_check_mode", False))

    run = run_module(vbs_policy_resources.main, args, check_mode=check_mode, diff=True)

    assert run.crash is None, run
    if mode == "check mode warning":
        assert not run.failed and run.raw_warnings, run
    elif mode == "per-volume failures as a warning":
        assert not run.failed and "could not be associated" in run.raw_warnings[0], run
    elif mode == "clock 20 minutes ahead" and not kind.startswith("aksk"):
        assert not run.failed, run  # a token does not depend on the clock
    else:
        assert run.failed and clear_problem(run) is None, run
    assert_clean(run, known)


# -- a hostile server that echoes what it received ------------------------------------------

def echo_text(recorded):
    """The received request, secret headers first, as a careless server might quote it."""
    items = sorted(recorded.header_items, key=lambda item: item[0].lower() not in SENSITIVE_HEADERS)
    return "; ".join("%s: %s" % item for item in items) + " body: " + recorded.body.decode("utf-8", "replace")


def echo_reply(style, status, recorded):
    dump = echo_text(recorded)
    if style == "vbs json message":
        return json_reply(status, {"error": {"code": "AutoBackup.0213", "message": dump}})
    if style == "json code":
        return json_reply(status, {"error": {"code": dump, "message": "refused"}})
    if style == "gateway json":
        return json_reply(status, {"error_code": "APIGW.0301", "error_msg": dump})
    if style == "html page":
        return Reply(status, {"Content-Type": "text/html"}, "<html><body><h1>%d</h1><pre>%s</pre></body></html>"
                     % (status, dump))
    if style == "plain text":
        return Reply(status, {"Content-Type": "text/plain"}, dump)
    if style == "openstack fault":
        return json_reply(status, {"badRequest": {"code": status, "message": dump}})
    if style == "unexpected 200 body":
        if recorded.method == "GET":
            return json_reply(200, {"backup_policies": {"echo": dump}})
        return json_reply(200, {"success_resources": {"echo": dump}, "fail_resources": []})
    if style == "request id header":
        secret = [value for name, value in recorded.header_items if name.lower() in SENSITIVE_HEADERS]
        return json_reply(status, {"error": {"code": "AutoBackup.0213", "message": "refused"}},
                          {"X-Request-Id": (secret or ["none"])[0]})
    raise AssertionError(style)


STYLES = ("vbs json message", "json code", "gateway json", "openstack fault", "html page", "plain text",
          "unexpected 200 body", "request id header")
STATUSES = (401, 403, 500)


def scripted_credentials(kind):
    if kind == "aksk":
        return dict(access_key=seeds.ACCESS_KEY, secret_key=seeds.SECRET_KEY)
    if kind == "aksk_security_token":
        return dict(access_key=seeds.TEMP_ACCESS_KEY, secret_key=seeds.TEMP_SECRET_KEY,
                    security_token=seeds.SECURITY_TOKEN)
    if kind == "password":
        return dict(user_name=seeds.USER_NAME, password=seeds.PASSWORD, domain_name=seeds.DOMAIN)
    return dict(auth_token=SCRIPTED_TOKEN)


def echo_handler(style, status, echo_iam=False):
    """Echo every VBS call (and IAM's token call too when echo_iam); else IAM hands out SCRIPTED_TOKEN."""
    def handle(recorded):
        if recorded.path == "/v3/auth/tokens" and not echo_iam:
            return json_reply(201, {"token": {"project": {"id": seeds.PROJECT_ID, "name": seeds.PROJECT_NAME}}},
                              {"X-Subject-Token": SCRIPTED_TOKEN})
        return echo_reply(style, status, recorded)
    return handle


def scripted_args(url, kind):
    args = dict(endpoint=url, auth_url=url + "/v3", region=seeds.PROJECT_NAME, project_id=seeds.PROJECT_ID,
                backup_policy_id=DAILY, volumes=[V(1)], retries=0, timeout=5)
    args.update(scripted_credentials(kind))
    return args


@pytest.mark.parametrize("status", STATUSES)
@pytest.mark.parametrize("style", STYLES)
@pytest.mark.parametrize("kind", KINDS)
def test_no_echoed_secret_in_the_module_result(kind, style, status):
    with ScriptedServer(handler=echo_handler(style, status)) as server:
        run = run_module(vbs_policy_resources.main, scripted_args(server.url, kind))
        received = sent_secrets(server.requests)

    assert received, "the server received no secret header: the test proves nothing"
    assert run.failed and clear_problem(run) is None, run
    assert ("unexpected body" if style == "unexpected 200 body" else str(status)) in run.msg, run.msg
    assert_clean(run, received)
    # The answer is still quoted, with the echoed values masked by the collection itself.
    if style == "request id header":
        assert run.raw["request_id"] == MASK
    else:
        assert MASK in run.raw["msg"], run.raw["msg"]


@pytest.mark.parametrize("kind", KINDS)
def test_no_echoed_secret_in_the_fail_items_of_a_successful_answer(kind):
    """VBS answers 200, with the request quoted in a fail item's message: returned, and named in the msg."""
    def handle(recorded):
        if recorded.path == "/v3/auth/tokens":
            return echo_handler("vbs json message", 401)(recorded)
        if recorded.method == "GET":
            return json_reply(200, {"backup_policies": [{"backup_policy_id": DAILY, "policy_resource_count": 0}]})
        return json_reply(200, {"success_resources": [], "fail_resources": [
            {"resource_id": V(1), "code": "AutoBackup.0206", "message": echo_text(recorded)}]})

    with ScriptedServer(handler=handle) as server:
        run = run_module(vbs_policy_resources.main, scripted_args(server.url, kind))
        received = sent_secrets(server.requests)

    assert received
    assert run.failed and clear_problem(run) is None, run
    assert run.raw["msg"].startswith("1 of 1 volumes could not be associated"), run.raw["msg"]
    assert MASK in run.raw["fail_resources"][0]["message"]
    assert_clean(run, received)


@pytest.mark.parametrize("style", STYLES)
@pytest.mark.parametrize("kind", ["aksk", "aksk_security_token", "token"])
def test_no_echoed_secret_from_the_project_lookup(kind, style):
    """Without project_id the first request is IAM's project lookup, signed or with the token: echoed there."""
    with ScriptedServer(handler=echo_handler(style, 401)) as server:
        args = scripted_args(server.url, kind)
        del args["project_id"]
        run = run_module(vbs_policy_resources.main, args)
        received = sent_secrets(server.requests)
        assert server.requests[0].path == "/v3/projects"

    assert received
    assert run.failed and clear_problem(run) is None, run
    assert_clean(run, received)


@pytest.mark.parametrize("style", STYLES)
def test_no_echoed_password_from_iam_in_the_module_result(style):
    with ScriptedServer(handler=echo_handler(style, 401, echo_iam=True)) as server:
        run = run_module(vbs_policy_resources.main, scripted_args(server.url, "password"))
        assert json.loads(server.requests[0].body)["auth"]["identity"]["password"]["user"]["password"] == seeds.PASSWORD

    assert run.failed and clear_problem(run) is None, run
    assert_clean(run)


def client_for(kind, url):
    transport = Transport(timeout=5, retries=0)
    params = dict(scripted_credentials(kind), auth_url=url + "/v3", project_id=seeds.PROJECT_ID,
                  project_name=seeds.PROJECT_NAME)
    auth = vbs_auth.build_auth(params, transport)
    return VBSClient(transport, auth, url, seeds.PROJECT_ID)


@pytest.mark.parametrize("style", STYLES)
@pytest.mark.parametrize("kind", KINDS)
def test_no_echoed_secret_in_the_clients_error(kind, style):
    """The VBSError itself (its text and its result fields) is clean, not only what Ansible prints."""
    with ScriptedServer(handler=echo_handler(style, 403)) as server:
        client = client_for(kind, server.url)
        with pytest.raises(VBSError) as caught:
            client.list_policies()
        with pytest.raises(VBSError) as caught_post:
            client.associate(DAILY, [V(1)])
        received = sent_secrets(server.requests)

    assert received
    for error in (caught.value, caught_post.value):
        texts = [str(error), error.msg, json.dumps(error.result_fields()), repr(error.args)]
        assert found_in(texts, received) == [], (found_in(texts, received), texts)


# -- the backup modules: every way they fail, and a server that echoes --------------------------------

NEW_BACKUP = {"volume_id": backup_world.SPARE, "name": "before-upgrade"}
DAILY_RUN = {"backup_policy_id": DAILY}


def backup_failure(module, args, **settings):
    """(module, args) after the emulator was set up: settings to configure, or volume=(id, fields)."""
    def prepare(emulator):
        pending = dict(settings)
        volume = pending.pop("volume", None)
        if volume:
            emulator.set_volume(volume[0], **volume[1])
        if pending.pop("executing", False):
            emulator.set_executing(DAILY)
        if pending:
            emulator.configure(**pending)
        return module, dict(args)
    return prepare


BACKUP_FAILURES = {
    "backup job fails": backup_failure(vbs_backup, NEW_BACKUP, volume=(backup_world.SPARE, {"backup_outcome": "fail"})),
    "backup times out": backup_failure(vbs_backup, dict(NEW_BACKUP, wait_timeout=1), job_duration_ms=5000),
    "backup limit as a failed job": backup_failure(vbs_backup, dict(NEW_BACKUP, volume_id=backup_world.FREE),
                                                   backups_per_disk=1, backup_refusals="job"),
    "restore of an attached disk": backup_failure(vbs_backup_restore, {"backup_id": backup_world.ATTACHED_BACKUP}),
    "restore times out": backup_failure(vbs_backup_restore, {"backup_id": backup_world.BACKUP, "wait_timeout": 1},
                                        job_duration_ms=5000),
    "policy run with a failed volume": backup_failure(vbs_backup_policy_run, DAILY_RUN,
                                                      volume=(V(2), {"backup_outcome": "timeout"})),
    "policy already running": backup_failure(vbs_backup_policy_run, DAILY_RUN, executing=True),
    "tasks through a fault": backup_failure(vbs_backup_policy_info, {"include_tasks": True}, fault_rate=1.0,
                                            fault_kinds=["unavailable503"]),
    "backups without v3": backup_failure(vbs_backup_info, {}, native_v3_backups="absent"),
}


@pytest.mark.parametrize("mode", sorted(BACKUP_FAILURES))
@pytest.mark.parametrize("kind", KINDS)
def test_no_secret_in_any_failure_of_the_backup_modules(emulator, kind, mode):
    backup_world.prepare(emulator, fault_rate=0.0, clock_skew=0)
    connection = emulator_args(emulator, kind)
    known = [connection.get("auth_token")]
    module, args = BACKUP_FAILURES[mode](emulator)
    for name in ("backup_policy_id", "volumes"):
        connection.pop(name)
    if module is not vbs_backup_info and module is not vbs_backup_policy_info:
        args["poll_interval"] = backup_world.POLL

    run = run_module(module.main, dict(connection, **args))

    assert run.crash is None, run
    if mode == "backups without v3":
        assert not run.failed and "/v3" in run.raw_warnings[0], run
    else:
        assert run.failed and clear_problem(run) is None, run
    assert_clean(run, known)


BACKUP_MODULES = {
    "vbs_backup": (vbs_backup, NEW_BACKUP),
    "vbs_backup absent": (vbs_backup, {"backup_id": backup_world.BACKUP, "state": "absent"}),
    "vbs_backup_info": (vbs_backup_info, {}),
    "vbs_backup_restore": (vbs_backup_restore, {"backup_id": backup_world.BACKUP}),
    "vbs_backup_policy_run": (vbs_backup_policy_run, DAILY_RUN),
    "vbs_backup_policy_info with tasks": (vbs_backup_policy_info, {"include_tasks": True}),
}


@pytest.mark.parametrize("style", ["vbs json message", "openstack fault", "html page", "unexpected 200 body"])
@pytest.mark.parametrize("module_name", sorted(BACKUP_MODULES))
@pytest.mark.parametrize("kind", ["aksk", "password"])
def test_no_echoed_secret_in_the_results_of_the_backup_modules(kind, module_name, style):
    module, args = BACKUP_MODULES[module_name]
    with ScriptedServer(handler=echo_handler(style, 403)) as server:
        connection = scripted_args(server.url, kind)
        for name in ("backup_policy_id", "volumes"):
            connection.pop(name)
        run = run_module(module.main, dict(connection, **args))
        received = sent_secrets(server.requests)

    assert received
    assert run.failed and clear_problem(run) is None, run
    assert_clean(run, received)
