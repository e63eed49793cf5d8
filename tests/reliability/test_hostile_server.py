# -*- coding: utf-8 -*-
# Copyright: (c) 2026, huaweicloud.vbs contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""The modules against a hostile or broken endpoint, an odd credential or a hostile environment.

Every case runs the module in a child process of its own (child_module.py)
against hostile_server.py and asserts, whatever the server does: no traceback,
a failed run has a one-line msg, the module process's peak memory stays under
MAX_RSS, and the run ends within the documented time bound of its timeout and
retries (plus MARGIN). The figures of every case are printed at the end of the
test run (docs/reliability.md has those of a full run); the number in a test's
name is that of its behaviour in the table of docs/reliability.md.
"""

import base64
import json
import os
import re

import pytest

from support import seeds

from ansible_collections.huaweicloud.vbs.plugins.module_utils.vbs_answer import MAX_ANSWER_BYTES, MAX_JSON_VALUES
from child_module import run_in_child
from hostile_server import DAILY, PROJECT_ID, TOKEN, VOLUME, HostileServer
from support.figures import report
from support.module_runner import clear_problem

V = seeds.volume_id
MAX_RSS = 100 * (1 << 20)
MARGIN = 2.0  # seconds on top of a documented bound
MAX_MSG = 2000
CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
REPO_ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
FIGURES = []


@pytest.fixture(scope="module")
def server():
    with HostileServer() as hostile:
        yield hostile


@pytest.fixture(scope="module", autouse=True)
def figures():
    yield
    if FIGURES:
        report("hostile endpoints: peak RSS of the module process, time in the module",
               ["%-58s %6.1f MB %6.2f s  (bound %4.1f s)" % row for row in FIGURES])


def worst_case_seconds(timeout, retries):
    """The documented bound of one request: every attempt times out, every wait is its longest."""
    waits = sum(min(20.0, 0.5 * 2 ** attempt) for attempt in range(1, retries + 1))
    return (retries + 1) * timeout + waits


def token_args(server, **changes):
    args = dict(endpoint=server.url, auth_url=server.url + "/v3", region=seeds.PROJECT_NAME, project_id=PROJECT_ID,
                auth_token=TOKEN, backup_policy_id=DAILY, volumes=[V(1)], timeout=2, retries=0)
    args.update(changes)
    return args


def aksk_args(server, **changes):
    args = token_args(server, auth_token=None, access_key=seeds.ACCESS_KEY, secret_key=seeds.SECRET_KEY)
    args.update(changes)
    return args


def password_args(server, **changes):
    args = token_args(server, auth_token=None, user_name=seeds.USER_NAME, password=seeds.PASSWORD,
                      domain_name=seeds.DOMAIN, project_id=None)
    args.update(changes)
    return args


def run(name, args, module="vbs_policy_resources", requests_in_run=1, env=None, failed=True):
    """Run the module; assert what holds for every hostile mode; record the figures."""
    args = dict((key, value) for key, value in args.items() if value is not None)
    bound = requests_in_run * worst_case_seconds(args.get("timeout", 30), args.get("retries", 4))
    child = run_in_child(module, args, env=env, kill_after=bound + 20)
    FIGURES.append((name, child.peak_rss_mb, child.elapsed or child.wall, bound))
    assert not child.killed, "still running after %.0f s: %r" % (child.wall, child)
    assert child.crash is None, child
    assert "Traceback" not in child.stderr and "Traceback" not in child.stdout, child
    if failed:
        assert child.failed, child
        assert clear_problem(child) is None, (clear_problem(child), child)
        assert len(child.msg) <= MAX_MSG, (len(child.msg), child.msg[:300])
    else:
        assert not child.failed, child
    assert child.peak_rss < MAX_RSS, "peak RSS %.1f MB: %r" % (child.peak_rss_mb, child)
    assert child.elapsed <= bound + MARGIN, "%.2f s, bound %.1f s: %r" % (child.elapsed, bound, child)
    return child


def leaked(child, *values):
    """The values (and their escaped forms) that appear anywhere in what the run showed."""
    forms = set()
    for value in values:
        for form in (value, value.strip(), repr(value)[1:-1], json.dumps(value)[1:-1]):
            if len(form) >= 6:
                forms.add(form)
    return sorted(form for form in forms if any(form in text for text in child.texts()))


# -- 1: answers too large to hold ---------------------------------------------------------

@pytest.mark.parametrize("mode, where, options", [
    ("big_body", "list", {}), ("big_body", "list", {"announce": False}), ("endless_chunks", "associate", {}),
    ("gzip_bomb", "list", {}), ("gzip_bomb", "token", {}),
], ids=["2 GiB announced", "2 GiB unannounced", "endless chunks", "gzip bomb", "gzip bomb from IAM"])
def test_1_an_answer_too_large_to_hold_is_cut_off(server, mode, where, options):
    server.use(mode, where=where, **options)
    args = password_args(server) if where == "token" else token_args(server)
    child = run("1 %s (%s)%s" % (mode, where, ", no Content-Length" if options else ""), args)
    assert "larger than" in child.msg, child.msg


LARGEST = MAX_ANSWER_BYTES - 300
TEN_AT_ONCE = {
    "one long string with an emoji": '{"fail_resources": [], "note": "%s\U0001F600"}' % ("x" * LARGEST),
    "50000 values": json.dumps({"note": [{}] * (MAX_JSON_VALUES - 10)}),
    "a requested fail item, long message": json.dumps({"fail_resources": [
        {"resource_id": V(1), "code": "AutoBackup.0206", "message": "m" * LARGEST + "\U0001F600"}]},
        ensure_ascii=False),
}


@pytest.mark.parametrize("body", sorted(TEN_AT_ONCE))
def test_1_ten_of_the_largest_answers_at_once_stay_within_the_memory_bound(server, body):
    """10 batches in flight (the most concurrency allows), all answered at the same moment with the most
    the collection reads: an answer of MAX_ANSWER_BYTES, every character of its text 4 bytes wide in memory."""
    raw = TEN_AT_ONCE[body].encode("utf-8")
    assert len(raw) <= MAX_ANSWER_BYTES
    server.use("answer", where="associate", body=raw, together=10)
    child = run("1 ten answers of %d bytes at once: %s" % (len(raw), body),
                token_args(server, volumes=[V(number) for number in range(1, 11)], batch_size=1, concurrency=10))
    assert len([path for _method, path in server.paths() if path.endswith("/backuppolicyresources")]) == 10
    assert "10 volumes" in child.msg or "10 of 10" in child.msg, child.msg


# -- 2: servers that drip ----------------------------------------------------------------

@pytest.mark.parametrize("mode, where, retries", [
    ("drip_body", "list", 0), ("drip_headers", "associate", 1), ("drip_headers", "token", 0),
])
def test_2_a_dripping_server_cannot_stretch_a_request(server, mode, where, retries):
    server.use(mode, where=where, interval=0.4)
    args = password_args(server) if where == "token" else token_args(server)
    args.update(timeout=1, retries=retries)
    child = run("2 %s (%s), timeout 1, retries %d" % (mode, where, retries), args)
    assert "within 1 s" in child.msg, child.msg
    attempts = [recorded for recorded in server.requests if recorded.path.endswith(
        {"list": "/backuppolicy", "associate": "/backuppolicyresources", "token": "/auth/tokens"}[where])]
    assert len(attempts) == retries + 1, server.paths()


# -- 3: answers nested too deep, and fields nobody documented --------------------------------

def nested(depth):
    value = "bottom"
    for _level in range(depth):
        value = {"deeper": [value]}
    return value


@pytest.mark.parametrize("where, status, depth", [("list", 200, 100000), ("associate", 400, 100000)])
def test_3_a_deeply_nested_answer_is_refused(server, where, status, depth):
    server.use("deep_json", where=where, status=status, depth=depth)
    args = password_args(server) if where == "token" else token_args(server)
    child = run("3 nested %d deep (%s %d)" % (depth, where, status), args)
    assert str(status) in child.msg, child.msg


def test_3_a_fail_item_nested_deep_enough_to_break_result_encoding_is_refused(server):
    item = {"resource_id": V(1), "code": "AutoBackup.0206", "message": "no", "details": nested(450)}
    server.use("answer", where="associate", body={"success_resources": [], "fail_resources": [item]})
    child = run("3 fail item nested 900 deep", token_args(server))
    assert "nested deeper than" in child.msg, child.msg


# The policy every module returns (docs/backup_policy.md).
RETURNED_POLICY = {"backup_policy_id", "name", "start_time", "frequency", "week_frequency", "retention_num",
                   "retention_day", "keep_first_backup_of_month", "enabled", "tags", "policy_resource_count",
                   "time_zone"}
DOCUMENTED_ITEM = {"resource_id", "resource_type", "availability_zone", "os_vol_host_attr", "code", "message"}


def test_3_the_info_module_returns_only_documented_fields(server):
    policy = {"backup_policy_id": DAILY, "backup_policy_name": "daily", "policy_resource_count": 1,
              "scheduled_policy": {"start_time": "02:00", "frequency": 1, "rentention_num": 7, "status": "ON",
                                   "remain_first_backup_of_curMonth": "N", "hidden": nested(6)},
              "time_zone": "UTC", "internal": nested(8), "backup_policy_links": [{"rel": "self"}]}
    server.use("answer", where="list", body={"backup_policies": [policy]})
    child = run("3 unknown nested fields in a policy", token_args(server, volumes=None, tags=False),
                module="vbs_backup_policy_info", failed=False)
    returned = child.result["backup_policies"][0]
    assert set(returned) == RETURNED_POLICY, returned
    assert returned["retention_num"] == 7 and returned["name"] == "daily"


def test_3_fail_and_success_items_keep_only_documented_fields(server):
    extra = {"internal": nested(8), "links": [{"href": "x"}]}
    success = dict(resource_id=V(1), resource_type="volume", availability_zone="eu-de-01", **extra)
    failure = dict(resource_id=V(2), code="AutoBackup.0206", message="status error", **extra)
    server.use("answer", where="associate", body={"success_resources": [success], "fail_resources": [failure]})
    child = run("3 unknown nested fields in items", token_args(server, volumes=[V(1), V(2)],
                                                               fail_on_resource_errors=False), failed=False)
    items = child.result["success_resources"] + child.result["fail_resources"]
    assert [item["resource_id"] for item in items] == [V(1), V(2)]
    assert all(set(item) <= DOCUMENTED_ITEM for item in items), items


# -- 3 (EVS and ECS): vbs_volume_info gets the same hostile answers from the other services -------

DOCUMENTED_VOLUME = {"id", "name", "status", "size", "availability_zone", "server_ids", "tags", "backup_policy_known",
                     "backup_policy_id", "backup_policy_name"}


def volume_info_args(server, **changes):
    return token_args(server, volumes=None, backup_policy_id=None, **changes)


@pytest.mark.parametrize("mode, where, options", [
    ("big_body", "volumes", {}), ("gzip_bomb", "servers", {"server_names": ["web-01"]}),
    ("endless_chunks", "tag_query", {"tags": {"backup": "daily"}}), ("deep_json", "volumes", {}),
], ids=["2 GiB from EVS", "gzip bomb from ECS", "endless chunks from the tag query", "nested from EVS"])
def test_3_answers_of_evs_and_ecs_are_bounded_like_those_of_vbs(server, mode, where, options):
    server.use(mode, where=where)
    # A refused metadata count leaves the policies unproven; the listing that follows fails the task.
    child = run("3 %s (vbs_volume_info)" % mode, volume_info_args(server, **options), module="vbs_volume_info",
                requests_in_run=3)
    assert ("ECS" if where == "servers" else "EVS") in child.msg, child.msg


def test_3_vbs_volume_info_returns_only_documented_fields_made_safe(server):
    volume = dict(VOLUME, name="evil\x1b[2J\r\n[WARNING]: forged", internal=nested(8), links=[{"href": "x"}],
                  tags={"backup": "daily\x1b[31m", "deep": {"no": "map"}})
    server.use("answer", where="volumes", body={"count": 1, "volumes": [volume]})
    child = run("3 unknown fields and control characters in a volume", volume_info_args(server),
                module="vbs_volume_info", failed=False)
    [returned] = child.result["volumes"]
    assert set(returned) <= DOCUMENTED_VOLUME, returned
    assert returned["name"] == "evil\\x1b[2J\\r\\n[WARNING]: forged"
    assert returned["tags"] == {"backup": "daily\\x1b[31m"}
    assert not CONTROL.search(json.dumps(child.result, ensure_ascii=False))


# -- 4: credentials the environment would add ---------------------------------------------

NETRC_PASSWORD = "netrc-Secret-Pw-0427"
PROXY_PASSWORD = "proxy-Secret-Pw-8812"


def test_4_a_netrc_file_adds_no_credentials(server, tmp_path):
    netrc = tmp_path / "netrc"
    netrc.write_text("machine 127.0.0.1 login netrc-user password %s\n" % NETRC_PASSWORD)
    netrc.chmod(0o600)
    server.use("echo", where="list", status=401)
    child = run("4 a netrc file in the environment", aksk_args(server),
                env={"NETRC": str(netrc), "HOME": str(tmp_path)})
    sent = [recorded.header("Authorization") for recorded in server.requests]
    assert sent and all(value.startswith("SDK-HMAC-SHA256 Access=%s," % seeds.ACCESS_KEY) for value in sent), sent
    basic = base64.b64encode(("netrc-user:" + NETRC_PASSWORD).encode()).decode()
    assert leaked(child, NETRC_PASSWORD, basic) == []


def test_4_a_proxy_password_is_masked_when_echoed(server):
    server.use("echo", where="list", status=407)
    proxy = "http://proxy-user:%s@127.0.0.1:%d" % (PROXY_PASSWORD, server.port)
    child = run("4 proxy credentials echoed", token_args(server, endpoint="http://vbs.proxied.test",
                                                         auth_url="http://iam.proxied.test/v3", allow_plain_http=True),
                env={"HTTP_PROXY": proxy, "http_proxy": proxy, "NO_PROXY": "", "no_proxy": ""})
    sent = [recorded.header("Proxy-Authorization") for recorded in server.requests]
    assert sent and all(sent), sent  # the proxy did receive its credentials: the echo is real
    assert "refused" in child.msg, child.msg
    assert leaked(child, PROXY_PASSWORD, sent[0], sent[0].split()[-1]) == []


# -- 5: credentials with white space or control characters -------------------------------------

@pytest.mark.parametrize("option, value", [
    ("auth_token", TOKEN + "\n"), ("security_token", seeds.SECURITY_TOKEN + "\r\n"),
    ("access_key", seeds.ACCESS_KEY + "\n"), ("secret_key", "\t" + seeds.SECRET_KEY + "\n"),
])
def test_5_white_space_around_a_credential_never_shows_it(server, option, value):
    server.use("echo", where="list", status=401)
    if option == "auth_token":
        args = token_args(server, auth_token=value)
    else:
        args = aksk_args(server, **{option: value})
        if option == "security_token":
            args.update(access_key=seeds.TEMP_ACCESS_KEY, secret_key=seeds.TEMP_SECRET_KEY)
    child = run("5 %s with white space around it" % option, args)
    assert "refused" in child.msg, child.msg  # the request was sent, with the value stripped
    secrets = [value] + [recorded.header("Authorization") or "" for recorded in server.requests]
    assert leaked(child, *secrets) == [], leaked(child, *secrets)
    assert any("white space" in warning and option in warning for warning in child.warnings), child.warnings


@pytest.mark.parametrize("option, value", [
    ("auth_token", TOKEN[:40] + "\x1b" + TOKEN[40:]),
    ("security_token", seeds.SECURITY_TOKEN[:20] + "\r\n" + seeds.SECURITY_TOKEN[20:]),
])
def test_5_a_control_character_inside_a_credential_is_refused_unquoted(server, option, value):
    server.use(None)
    args = token_args(server, auth_token=value) if option == "auth_token" else aksk_args(
        server, access_key=seeds.TEMP_ACCESS_KEY, secret_key=seeds.TEMP_SECRET_KEY, **{option: value})
    child = run("5 %s with a control character inside" % option, args)
    assert option in child.msg, child.msg
    assert server.requests == [], server.paths()
    assert leaked(child, value, value[:20], value[-20:]) == []


# -- 6: IDs that would change the request path ------------------------------------------------------

KNOWN_PATHS = re.compile(r"^/v3/(auth/tokens|projects)$|^/v2/%s/(backuppolicy|backuppolicyresources|"
                         r"backuppolicy/[0-9a-f-]{36}/tags)$" % PROJECT_ID)


@pytest.mark.parametrize("bad_id", ["..", "."])
def test_6_a_dot_policy_id_in_a_listing_never_reaches_a_path(server, bad_id):
    policies = [{"backup_policy_id": DAILY, "backup_policy_name": "daily", "policy_resource_count": 0},
                {"backup_policy_id": bad_id, "backup_policy_name": "dots", "policy_resource_count": 0}]
    server.use("answer", where="list", body={"backup_policies": policies})
    child = run("6 policy ID %r in the listing (info, tags)" % bad_id,
                token_args(server, volumes=None, backup_policy_id=None, tags=True), module="vbs_backup_policy_info")
    assert all(KNOWN_PATHS.match(path) for _method, path in server.paths()), server.paths()
    assert "policy ID" in child.msg, child.msg


@pytest.mark.parametrize("where, body", [
    ("token", {"token": {"project": {"id": ".."}}}),
    ("projects", {"projects": [{"id": "x/../..", "name": seeds.PROJECT_NAME}]}),
])
def test_6_a_project_id_from_iam_is_checked_like_the_option(server, where, body):
    headers = {"X-Subject-Token": TOKEN} if where == "token" else None
    server.use("answer", where=where, status=201 if where == "token" else 200, body=body, headers=headers)
    args = password_args(server) if where == "token" else aksk_args(server, project_id=None)
    child = run("6 project ID %r from IAM (%s)" % (json.dumps(body)[-30:], where), args, requests_in_run=2)
    assert [path for _method, path in server.paths() if path.startswith("/v2") or "backuppolicy" in path] == []
    assert "project ID" in child.msg, child.msg


def test_6_a_dot_policy_id_option_is_refused_before_any_request(server):
    server.use(None)
    child = run("6 backup_policy_id '..'", token_args(server, backup_policy_id=".."))
    assert server.requests == [] and "backup_policy_id" in child.msg, (server.paths(), child.msg)


# -- 7: which URLs are this machine -------------------------------------------------------------------

# The unit tests of the options try many more URLs; these go through a real run, with a proxy.
@pytest.mark.parametrize("url, warned", [
    ("HTTP://10.0.0.1", True), ("http://127.0.0.1.nip.io", True), ("http://127.0.0.2", False),
    ("http://[::1]", False),
])
def test_7_only_real_loopback_urls_go_without_the_plain_http_warning(server, url, warned):
    server.use(None)
    proxy = server.url
    child = run("7 plain http to %s" % url, aksk_args(server, endpoint=url, auth_url=url + "/v3"), failed=False,
                env={"HTTP_PROXY": proxy, "http_proxy": proxy, "NO_PROXY": "", "no_proxy": ""})
    plain = [warning for warning in child.warnings if "plain http://" in warning]
    assert bool(plain) is warned, child.warnings
    assert server.requests, "the run did not go through the hostile server"


@pytest.mark.parametrize("url", ["HTTP://10.0.0.1", "http://127.0.0.1.nip.io"])
def test_7_a_token_over_plain_http_beyond_this_machine_is_refused_before_any_request(server, url):
    server.use(None)
    proxy = server.url
    child = run("7 token over plain http to %s" % url, token_args(server, endpoint=url, auth_url=url + "/v3"),
                env={"HTTP_PROXY": proxy, "http_proxy": proxy, "NO_PROXY": "", "no_proxy": ""})
    assert "plain http://" in child.msg and "allow_plain_http" in child.msg, child.msg
    assert server.requests == []


# -- 8: server text that would forge or flood the output ----------------------------------------------

FORGED = "\x1b[2J\x1b[31mboom\r\n[WARNING]: forged line\r\n\x07"


def test_8_an_error_message_is_escaped_and_cut_short(server):
    server.use("answer", where="associate", status=400, body={
        "error": {"code": "AutoBackup.0009" + FORGED, "message": FORGED + "y" * 500000}})
    child = run("8 error message: escapes, 500 kB", token_args(server))
    assert not CONTROL.search(child.msg), child.msg[:300]
    assert "forged line" in child.msg, child.msg[:300]
    for field in ("error_message", "error_code"):
        value = child.result[field]
        assert not CONTROL.search(value) and len(value) <= 2100, (field, value[:300])
    assert child.stdout_size < 50000, child.stdout_size


def test_8_a_fail_item_message_cannot_forge_a_warning_line(server):
    server.use("answer", where="associate", body={"success_resources": [], "fail_resources": [
        {"resource_id": V(1), "code": "AutoBackup.0206", "message": FORGED + "z" * 200000}]})
    child = run("8 fail item message: escapes, 200 kB", token_args(server, fail_on_resource_errors=False),
                failed=False)
    warnings = [warning for warning in child.warnings if "could not be associated" in warning]
    assert warnings and not any(CONTROL.search(warning) or len(warning) > MAX_MSG for warning in warnings), warnings
    message = child.result["fail_resources"][0]["message"]
    assert not CONTROL.search(message) and "forged line" in message and len(message) <= 2100, message[:300]
    assert child.stdout_size < 50000, child.stdout_size


# -- 9: a token too short to be one ----------------------------------------------------------------------

def test_9_a_short_token_from_iam_is_refused_and_never_masks_data(server):
    short = V(1)[:4]
    server.use("answer", where="token", status=201, headers={"X-Subject-Token": short},
               body={"token": {"project": {"id": PROJECT_ID}}})
    child = run("9 a 4-character token from IAM", password_args(server))
    assert child.result["volumes"] == [V(1)] and child.result["invocation"]["module_args"]["volumes"] == [V(1)], child
    assert "token" in child.msg and "32" in child.msg, child.msg
    assert [path for _method, path in server.paths() if path.startswith("/v2/")] == []


def test_9_a_short_auth_token_is_refused_before_any_request(server):
    server.use(None)
    child = run("9 a 4-character auth_token", token_args(server, auth_token=V(1)[:4]))
    assert "auth_token" in child.msg and "32" in child.msg, child.msg
    assert server.requests == []


# -- 10: items nobody asked about, duplicated IDs -------------------------------------------------------

def test_10_a_success_item_for_an_unrequested_volume_is_reported_apart(server):
    server.use("answer", where="associate", body={"success_resources": [
        {"resource_id": V(1), "resource_type": "volume"}, {"resource_id": V(9), "resource_type": "volume"}]})
    child = run("10 success item for an unrequested volume", token_args(server), failed=False)
    assert [item["resource_id"] for item in child.result["success_resources"]] == [V(1)]
    assert [item["resource_id"] for item in child.result["unrequested_resources"]] == [V(9)]
    assert any(V(9) in warning and "not requested" in warning for warning in child.warnings), child.warnings


def test_10_a_fail_item_for_an_unrequested_volume_does_not_fail_the_task(server):
    server.use("answer", where="associate", body={
        "success_resources": [{"resource_id": V(1), "resource_type": "volume"}],
        "fail_resources": [{"resource_id": V(9), "code": "AutoBackup.0206", "message": "status error"}]})
    child = run("10 fail item for an unrequested volume", token_args(server), failed=False)
    assert child.result["fail_resources"] == []
    assert [item["resource_id"] for item in child.result["unrequested_resources"]] == [V(9)]
    assert any(V(9) in warning for warning in child.warnings), child.warnings


def test_10_a_duplicated_policy_id_is_refused_before_any_change(server):
    policies = [{"backup_policy_id": DAILY, "backup_policy_name": "daily", "policy_resource_count": 0},
                {"backup_policy_id": DAILY, "backup_policy_name": "other", "policy_resource_count": 3}]
    server.use("answer", where="list", body={"backup_policies": policies})
    child = run("10 the same policy ID twice in a listing", token_args(server, backup_policy_id=None,
                                                                       backup_policy_name="daily"))
    assert [method for method, _path in server.paths() if method == "POST"] == [], server.paths()
    assert DAILY in child.msg and "more than once" in child.msg, child.msg


# -- 11: the documentation says what an empty associate answer does ---------------------------------------

def test_11_an_empty_associate_answer_fails_as_documented(server):
    server.use("answer", where="associate", body={})
    child = run("11 associate answered 200 {}", token_args(server))
    assert "without reporting on this volume" in child.msg, child.msg
    with open(os.path.join(REPO_ROOT, "docs", "reliability.md")) as handle:
        text = handle.read()
    # Every statement about it: paragraphs, list items and table rows.
    said = [paragraph for paragraph in re.split(r"\n\s*\n|\n(?=- |\|)", text) if "`200 {}`" in paragraph]
    assert said and all("fail" in paragraph and "`ok`" not in paragraph for paragraph in said), said


# -- what held up and must stay so -------------------------------------------------------------------------

def test_held_a_redirect_is_not_followed(server):
    with HostileServer() as elsewhere:
        server.use("redirect", where="list", location=elsewhere.url + "/v2/%s/backuppolicy" % PROJECT_ID)
        child = run("held: 302 to another server", aksk_args(server))
        assert elsewhere.requests == []
    assert "302" in child.msg, child.msg


def test_held_a_401_storm_asks_iam_for_one_new_token_only(server):
    server.use("expired")
    child = run("held: every VBS call 401 token expired", password_args(server, volumes=[V(1), V(2), V(3)],
                                                                        batch_size=1, concurrency=3),
                requests_in_run=3)
    tokens = [recorded for recorded in server.requests if recorded.path.endswith("/auth/tokens")]
    assert len(tokens) == 2, (server.paths(), child.msg)
    assert "401" in child.msg, child.msg
