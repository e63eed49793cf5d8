# -*- coding: utf-8 -*-
# Copyright: (c) 2026, huaweicloud.vbs contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""Hostile input: vbs_policy_resources refuses what it cannot use, before any request, and never crashes.

From the user's side (hypothesis property tests, in this process, against a
running emulator): malformed and path-like volume IDs, items that are not
strings, a list of 100 000 IDs with one bad, wrong types for every option,
both or neither policy option, URLs that are not plain http(s) roots,
numbers out of range, path-like policy and project IDs. Each ends in a failed
result with a clear one-line ``msg`` and the emulator's request log shows no
IAM or VBS request at all. A policy ID is never part of a URL (policies are
found by listing them): for a path-like one, the only request is the list,
on its usual path.

From the server's side (a scripted server): bodies that are not JSON, HTML
pages, truncated JSON, missing fields, wrong types, an empty 200 answer to an
associate call, and arbitrary bytes and JSON documents. The module fails with
a clear msg that quotes the status and a short excerpt of the body, or (for
a well-formed answer) goes on; it never crashes.
"""

import importlib
import json
import re
import string
import uuid

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from support import seeds
from support.emulator import EmulatorProcess

from support.module_runner import clear_problem, run_module

from ansible_collections.huaweicloud.vbs.plugins.modules import vbs_policy_resources
from ansible_collections.huaweicloud.vbs.tests.support.scripted_server import Reply, ScriptedServer, json_reply

DAILY = seeds.policy_id(1)
V = seeds.volume_id
# The format a volume ID must have, written from the API's point of view (a UUID), not taken from the module.
UUID = re.compile(r"^[0-9a-fA-F]{8}-([0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}\Z")
HOSTILE_FRAGMENTS = ["../", "..", "/", "\\", "%2F", "%2e%2e%2f", "?", "?x=1", "#", "#frag", " ", "\t", "\n", "\r\n",
                     "\u00a0", "\u200b", "\u2028", "\x00", "%00", ";", "&", "=", "é", "\u0661", "\uff10", "\U0001f4a3",
                     "{{", "'", '"', "*"]
MAX_MSG = 1200

SETTINGS = settings(max_examples=40, deadline=None, derandomize=True, database=None,
                    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])


@pytest.fixture(scope="module")
def emulator():
    with EmulatorProcess(seed=seeds.seed()) as process:
        yield process


def base_args(emulator, **changes):
    args = dict(endpoint=emulator.url, auth_url=emulator.url + "/v3", region=seeds.PROJECT_NAME,
                project_id=seeds.PROJECT_ID, access_key=seeds.ACCESS_KEY, secret_key=seeds.SECRET_KEY,
                backup_policy_id=DAILY, volumes=[V(1), V(2)], timeout=5, retries=0)
    args.update(changes)
    return args


def api_requests(emulator):
    return [entry for entry in emulator.requests() if entry["path"].startswith(("/v2/", "/v3/"))]


def refused_before_any_request(emulator, args, *words):
    """Run the module; it must fail clearly, name ``words`` in its msg and send nothing to IAM or VBS."""
    emulator.clear_requests()
    run = run_module(vbs_policy_resources.main, args)
    assert run.failed, run
    assert clear_problem(run) is None, (clear_problem(run), run)
    assert len(run.msg) <= MAX_MSG, run.msg
    for word in words:
        assert word in run.msg, (word, run.msg)
    assert api_requests(emulator) == [], (api_requests(emulator), run.msg)
    return run


# -- volume IDs --------------------------------------------------------------------

uuids = st.uuids().map(str)
fragments = st.sampled_from(HOSTILE_FRAGMENTS)
malformed_ids = st.one_of(
    st.sampled_from(["", " ", "..", "../", "%2F", "?", "#", "null", "None", "0", "-1"] + HOSTILE_FRAGMENTS),
    st.tuples(fragments, uuids).map("".join),                                    # ../<uuid>
    st.tuples(uuids, fragments).map("".join),                                    # <uuid>?x=1
    st.tuples(uuids, fragments, uuids).map(lambda parts: parts[0][:18] + parts[1] + parts[2][18:]),
    uuids.map(lambda value: value.replace("-", "")),                             # no dashes
    uuids.map(lambda value: value.translate(str.maketrans("0123456789", "\uff10\uff11\uff12\uff13\uff14"
                                                                        "\uff15\uff16\uff17\uff18\uff19"))),
    st.text(max_size=60),
).filter(lambda value: not UUID.match(value))


@SETTINGS
@given(good=st.lists(st.integers(1, 10).map(V), max_size=5), bad=malformed_ids, where=st.integers(0, 5))
def test_malformed_volume_ids_are_refused_before_any_request(emulator, good, bad, where):
    volumes = list(good)
    volumes.insert(min(where, len(volumes)), bad)
    refused_before_any_request(emulator, base_args(emulator, volumes=volumes), "volumes must be volume IDs")


non_strings = st.one_of(st.integers(), st.floats(allow_nan=True), st.booleans(), st.none(),
                        st.dictionaries(st.text(max_size=5), st.integers(), max_size=3),
                        st.lists(st.one_of(st.integers(), uuids), max_size=3))


@SETTINGS
@given(good=st.lists(st.integers(1, 10).map(V), max_size=5), bad=non_strings, where=st.integers(0, 5))
def test_items_that_are_not_strings_are_refused_before_any_request(emulator, good, bad, where):
    volumes = list(good)
    volumes.insert(min(where, len(volumes)), bad)
    refused_before_any_request(emulator, base_args(emulator, volumes=volumes), "volumes")


def test_a_hundred_thousand_ids_with_one_bad_is_refused_quickly_and_briefly(emulator):
    volumes = [str(uuid.UUID(int=number, version=4)) for number in range(1, 100001)]
    volumes[73411] = "../" + volumes[73411]
    run = refused_before_any_request(emulator, base_args(emulator, volumes=volumes), "volumes must be volume IDs",
                                     repr(volumes[73411]))
    assert run.elapsed < 30, run.elapsed


def test_a_hundred_thousand_bad_ids_make_a_short_message(emulator):
    volumes = ["bad-%d" % number for number in range(100000)]
    run = refused_before_any_request(emulator, base_args(emulator, volumes=volumes), "and 99995 more")
    assert len(run.msg) < 400, run.msg


# -- options --------------------------------------------------------------------------

INT_OPTIONS = ("timeout", "retries", "batch_size")
BOOL_OPTIONS = ("validate_certs", "fail_on_resource_errors")
# str options whose format the collection checks: any non-string value, once ansible made it a string, is refused.
CHECKED_STR_OPTIONS = ("region", "cloud", "endpoint", "auth_url", "project_id")
containers = st.one_of(st.dictionaries(st.text(string.ascii_letters, min_size=1, max_size=4), st.integers(),
                                       min_size=1, max_size=2),
                       # Not three items: ansible-core's int check reads a 3-item list as a Decimal tuple, and
                       # one with a huge number crashes inside AnsibleModule(), before the collection runs.
                       st.lists(st.integers(), min_size=2, max_size=2))


@pytest.mark.parametrize("option", INT_OPTIONS)
@SETTINGS
# Finite floats only: ansible-core 2.19's int check lets OverflowError out for an infinite one (fixed upstream,
# ansible/ansible pull request 87253), inside AnsibleModule(), before the collection runs.
@given(value=st.one_of(containers, st.booleans(),
                       st.floats(allow_nan=False, allow_infinity=False).filter(lambda value: not value.is_integer()),
                       st.text(string.ascii_letters + " .,", min_size=1, max_size=10), st.none()))
def test_an_int_option_of_another_type_is_refused_before_any_request(emulator, option, value):
    refused_before_any_request(emulator, base_args(emulator, **{option: value}), option)


@pytest.mark.parametrize("option", BOOL_OPTIONS)
@SETTINGS
@given(value=st.one_of(containers, st.integers().filter(lambda value: value not in (0, 1)),
                       st.floats().filter(lambda value: value not in (0, 1)),
                       st.text(string.ascii_letters, min_size=1, max_size=10).filter(
                           lambda value: value.lower() not in ("y", "yes", "n", "no", "true", "false", "on", "off",
                                                               "t", "f")),
                       st.none()))
def test_a_bool_option_of_another_type_is_refused_before_any_request(emulator, option, value):
    refused_before_any_request(emulator, base_args(emulator, **{option: value}), option)


@pytest.mark.parametrize("option", CHECKED_STR_OPTIONS)
@SETTINGS
@given(value=st.one_of(containers, st.booleans()))
def test_a_checked_str_option_of_another_type_is_refused_before_any_request(emulator, option, value):
    # Ansible turns a non-string into a string (2.5 -> "2.5", True -> "True"); those that make a well-formed
    # value ("True" as a project ID, "2.5" as a cloud, "inf" as a region) are then used as given.
    if option == "project_id" and isinstance(value, bool):
        value = [value, value]
    refused_before_any_request(emulator, base_args(emulator, **{option: value}), option)


@SETTINGS
@given(value=st.one_of(containers, st.integers(), st.floats(), st.booleans(), st.none(),
                       st.text(max_size=10).filter(lambda value: value not in ("present", "absent"))))
def test_a_state_that_is_not_a_choice_is_refused_before_any_request(emulator, value):
    refused_before_any_request(emulator, base_args(emulator, state=value), "state")


def test_volumes_of_another_type_are_refused_before_any_request(emulator):
    for value in ({"a": V(1)}, None, 7, "not-a-volume", True):
        refused_before_any_request(emulator, base_args(emulator, volumes=value), "volumes")


@pytest.mark.parametrize("changes, words", [
    (dict(backup_policy_name="daily"), ["mutually exclusive", "backup_policy_id", "backup_policy_name"]),
    (dict(backup_policy_id=None), ["backup_policy_id", "backup_policy_name"]),
    (dict(backup_policy_id=None, backup_policy_name=None), ["backup_policy_id", "backup_policy_name"]),
    (dict(backup_policy_id="", backup_policy_name=None), ["backup_policy_id"]),
    (dict(backup_policy_id="   "), ["backup_policy_id"]),
    (dict(backup_policy_id="x" * 256), ["backup_policy_id"]),
], ids=["both", "id null", "both null", "empty id", "blank id", "too long"])
def test_both_or_neither_policy_option_is_refused_before_any_request(emulator, changes, words):
    refused_before_any_request(emulator, base_args(emulator, **changes), *words)


def test_neither_policy_option_is_refused_before_any_request(emulator):
    args = base_args(emulator)
    del args["backup_policy_id"]
    refused_before_any_request(emulator, args, "backup_policy_id", "backup_policy_name")


# -- URLs ------------------------------------------------------------------------------

def bad_url(base, defect, text, number):
    """``base`` (http://127.0.0.1:<port>) with one defect that makes it no plain http(s) root URL."""
    host_port = base.split("://", 1)[1]
    host = host_port.rsplit(":", 1)[0]
    if defect == "no scheme":
        return host_port
    if defect == "other scheme":
        return "%s://%s" % (text or "ftp", host_port)
    if defect == "javascript":
        return "javascript:alert(%d)//%s" % (number, host_port)
    if defect == "file":
        return "file:///etc/passwd?%s" % host_port
    if defect == "user":
        return "http://%s@%s" % (text or "user", host_port)
    if defect == "user and password":
        return "http://%s:%d@%s" % (text or "user", number, host_port)
    if defect == "query":
        return "%s/?%s" % (base, text)
    if defect == "fragment":
        return "%s#%s" % (base, text)
    if defect == "space":
        position = number % (len(base) + 1)
        return base[:position] + (text[:1] if text[:1].isspace() else " ") + base[position:]
    if defect == "port too big":
        return "http://%s:%d" % (host, 65536 + number)
    if defect == "negative port":
        return "http://%s:-%d" % (host, 1 + number)
    if defect == "port zero":
        return "http://%s:0" % host
    if defect == "no host":
        return "http://:%s" % host_port.rsplit(":", 1)[1]
    raise AssertionError(defect)


DEFECTS = ("no scheme", "other scheme", "javascript", "file", "user", "user and password", "query", "fragment",
           "space", "port too big", "negative port", "port zero", "no host")


@pytest.mark.parametrize("option", ["endpoint", "auth_url"])
@SETTINGS
@given(defect=st.sampled_from(DEFECTS), number=st.integers(0, 10 ** 9),
       text=st.text(string.ascii_letters + string.digits + " \t\n\u00a0", max_size=8))
def test_urls_that_are_not_plain_roots_are_refused_before_any_request(emulator, option, defect, text, number):
    if defect == "other scheme":
        text = "".join(char for char in text if char.isalpha()) or "ftp"
        if text.lower() in ("http", "https"):
            text = "gopher"
    if defect in ("user", "user and password"):
        text = "".join(char for char in text if char.isalnum())
    url = bad_url(emulator.url, defect, text, number)
    args = base_args(emulator, **{option: url})
    if option == "auth_url":
        args.update(user_name=seeds.USER_NAME, password=seeds.PASSWORD, domain_name=seeds.DOMAIN,
                    access_key=None, secret_key=None)  # so that a bad auth_url would be used at once
    refused_before_any_request(emulator, args, option)


# -- numbers out of range ----------------------------------------------------------------

@SETTINGS
@given(option=st.sampled_from(INT_OPTIONS), value=st.integers(max_value=0) | st.integers(min_value=10 ** 6))
def test_numbers_out_of_range_are_refused_before_any_request(emulator, option, value):
    if option == "retries" and value == 0:
        value = -1
    refused_before_any_request(emulator, base_args(emulator, **{option: value}), option)


@pytest.mark.parametrize("option, value", [("timeout", 10 ** 30), ("timeout", 2 ** 63), ("retries", 21),
                                           ("batch_size", 501), ("retries", -(10 ** 30))])
def test_huge_numbers_are_refused_before_any_request(emulator, option, value):
    refused_before_any_request(emulator, base_args(emulator, **{option: value}), option)


# -- path-like IDs ------------------------------------------------------------------------

path_like = st.one_of(
    st.tuples(st.lists(fragments, min_size=1, max_size=3), st.sampled_from(["", DAILY, "x"])).map(
        lambda parts: "".join(parts[0]) + parts[1]),
    st.tuples(st.sampled_from([DAILY, "policy"]), st.lists(fragments, min_size=1, max_size=3)).map(
        lambda parts: parts[0] + "".join(parts[1])),
    st.text(min_size=1, max_size=30).filter(lambda value: value.strip() and not UUID.match(value)),
)


@pytest.mark.parametrize("option", ["backup_policy_id", "backup_policy_name"])
@SETTINGS
@given(value=path_like)
def test_a_path_like_policy_is_only_ever_looked_for_in_the_list(emulator, option, value):
    args = base_args(emulator, backup_policy_id=None)
    args[option] = value
    emulator.clear_requests()
    run = run_module(vbs_policy_resources.main, args)
    assert run.failed and clear_problem(run) is None, run
    sent = api_requests(emulator)
    assert [(entry["method"], entry["path"], entry["query"]) for entry in sent] in (
        [], [("GET", "/v2/%s/backuppolicy" % seeds.PROJECT_ID, "")]), sent
    assert sent or option in run.msg, run.msg
    assert not sent or run.msg.startswith("No backup policy with "), run.msg


def policy_module_args(emulator, module, state):
    """Arguments of ``module`` that would find a policy by its ID; the ID is the test's."""
    args = base_args(emulator)
    if module != "vbs_policy_resources":
        del args["volumes"]
    if module == "vbs_backup_policy_info":
        return args
    args["state"] = state
    if module == "vbs_backup_policy" and state == "present":
        args.update(frequency=1, retention_num=7, start_time=["02:00"])
    return args


@pytest.mark.parametrize("module, state", [
    ("vbs_backup_policy", "absent"), ("vbs_backup_policy", "present"), ("vbs_backup_policy_info", None),
    ("vbs_policy_resources", "present"), ("vbs_policy_resources", "absent")])
@pytest.mark.parametrize("value", ["../x", "..", ".", "a/b", "x?y", "-x"])
def test_every_module_refuses_a_policy_id_option_that_is_no_id_before_any_request(emulator, module, state, value):
    """One rule for the backup_policy_id option of every module (vbs_values.policy_id_option_problem)."""
    args = dict(policy_module_args(emulator, module, state), backup_policy_id=value)
    emulator.clear_requests()
    run = run_module(importlib.import_module("ansible_collections.huaweicloud.vbs.plugins.modules." + module).main,
                     args)
    assert run.failed and clear_problem(run) is None, run
    assert run.msg.startswith("backup_policy_id must be letters, digits and"), run.msg
    assert api_requests(emulator) == []


bad_project_ids = st.one_of(
    st.tuples(st.lists(fragments, min_size=1, max_size=3), st.sampled_from(["", seeds.PROJECT_ID, "v3"])).map(
        lambda parts: "".join(parts[0]) + parts[1]),
    st.just("a" * 65),
    st.text(min_size=1, max_size=70).filter(lambda value: not re.match(r"^[A-Za-z0-9-]{1,64}\Z", value)
                                            and value.strip()),
)


@SETTINGS
@given(value=bad_project_ids)
def test_a_path_like_project_id_is_refused_before_any_request(emulator, value):
    refused_before_any_request(emulator, base_args(emulator, project_id=value), "project_id")


@SETTINGS
@given(option=st.sampled_from(["region", "cloud"]), value=path_like)
def test_a_path_like_region_or_cloud_is_refused_before_any_request(emulator, option, value):
    refused_before_any_request(emulator, base_args(emulator, **{option: value}), option)


# -- hostile answers ----------------------------------------------------------------------

class HostileVBS:
    """Answers the list call, then the associate call, with what the test sets."""

    def __init__(self):
        self.list_reply = None
        self.associate_reply = None

    def __call__(self, recorded):
        if recorded.method == "GET" and recorded.path.endswith("/backuppolicy"):
            return self.list_reply
        if recorded.method == "POST" and recorded.path.endswith("/backuppolicyresources"):
            return self.associate_reply
        return json_reply(404, {"error_code": "APIGW.0101", "error_msg": "no such API"})


def good_list(count=0):
    return json_reply(200, {"backup_policies": [{"backup_policy_id": DAILY, "backup_policy_name": "daily",
                                                 "scheduled_policy": {"status": "ON"},
                                                 "policy_resource_count": count}]})


@pytest.fixture(scope="module")
def hostile():
    vbs = HostileVBS()
    with ScriptedServer(handler=vbs) as server:
        vbs.url = server.url
        yield vbs


def scripted_args(url):
    return dict(endpoint=url, auth_url=url + "/v3", region=seeds.PROJECT_NAME, project_id=seeds.PROJECT_ID,
                auth_token="a-token-for-the-scripted-server-Kq7Lm2Vb9R", backup_policy_id=DAILY, volumes=[V(1)], timeout=5,
                retries=0)


HTML = ("<!DOCTYPE html><html><head><title>502 Bad Gateway</title></head><body><center><h1>502 Bad Gateway"
        "</h1></center><hr><center>nginx</center></body></html>")
POLICY = {"backup_policy_id": DAILY, "backup_policy_name": "daily", "policy_resource_count": 0}
LIST_ANSWERS = [
    # (status, content type, body, words of the body the msg must quote)
    (200, "text/plain", "Service temporarily down", ["Service temporarily down"]),
    (200, "text/html", HTML, ["502 Bad Gateway"]),
    (502, "text/html", HTML, ["502 Bad Gateway"]),
    (404, "text/html", "<html><body>Not Found</body></html>", ["Not Found"]),
    (200, "application/json", '{"backup_policies": [{"backup_policy_id": "4444', ['{"backup_policies"']),
    (200, "application/json", "", []),
    (200, "application/json", "null", ["None"]),
    (200, "application/json", "[]", ["[]"]),
    (200, "application/json", '"ok"', ["ok"]),
    (200, "application/json", "42", ["42"]),
    (200, "application/json", "{}", ["{}"]),
    (200, "application/json", json.dumps({"backup_policies": {"id": DAILY}}), [DAILY]),
    (200, "application/json", json.dumps({"backup_policies": None}), ["None"]),
    (200, "application/json", json.dumps({"backup_policies": [None]}), ["None"]),
    (200, "application/json", json.dumps({"backup_policies": [1, 2]}), ["1"]),
    (200, "application/json", json.dumps({"backup_policies": [dict(POLICY, backup_policy_id=5)]}), ["5"]),
    (200, "application/json", json.dumps({"backup_policies": [dict(POLICY, policy_resource_count="3")]}), ["'3'"]),
    (200, "application/json", json.dumps({"backup_policies": [dict(POLICY, policy_resource_count=-1)]}), ["-1"]),
    (200, "application/json", json.dumps({"backup_policies": [dict(POLICY, policy_resource_count=1.5)]}), ["1.5"]),
    (200, "application/json", json.dumps({"backup_policies": [dict(POLICY, policy_resource_count=True)]}), ["True"]),
    (200, "application/json", json.dumps({"backup_policies": [dict(POLICY, policy_resource_count=None)]}), ["None"]),
    (200, "application/octet-stream", b"\xff\xfe\x00\x81garbage\xc3", ["garbage"]),
    (200, "text/plain", "x" * 1000000, ["xxxxx"]),
]


@pytest.mark.parametrize("status, content_type, body, words", LIST_ANSWERS,
                         ids=["%d-%s" % (answer[0], repr(answer[2])[:30]) for answer in LIST_ANSWERS])
def test_a_hostile_list_answer_fails_clearly_quoting_status_and_body(hostile, status, content_type, body, words):
    hostile.list_reply = Reply(status, {"Content-Type": content_type}, body)
    run = run_module(vbs_policy_resources.main, scripted_args(hostile.url))
    assert run.failed and clear_problem(run) is None, run
    assert str(status) in run.msg, run.msg
    assert len(run.msg) <= MAX_MSG, run.msg
    for word in words:
        assert word in run.msg, (word, run.msg)


ASSOCIATE_ANSWERS = [
    (200, "application/json", "", []),
    (204, "application/json", "", []),
    (200, "text/html", HTML, ["502 Bad Gateway"]),
    (200, "application/json", '{"success_resources": [{"resource_id": "3333', ['{"success_resources"']),
    (200, "application/json", "[]", ["[]"]),
    (200, "application/json", json.dumps({"success_resources": "all", "fail_resources": []}), ["all"]),
    (200, "application/json", json.dumps({"success_resources": [None]}), ["None"]),
    (200, "application/json", json.dumps({"success_resources": [{"resource_id": 5}]}), ["5"]),
    (200, "application/json", json.dumps({"fail_resources": {"resource_id": V(1)}}), [V(1)]),
    (200, "application/json", json.dumps({"fail_resources": [V(1)]}), [V(1)]),
]


@pytest.mark.parametrize("status, content_type, body, words", ASSOCIATE_ANSWERS,
                         ids=["%d-%s" % (answer[0], repr(answer[2])[:30]) for answer in ASSOCIATE_ANSWERS])
def test_a_hostile_associate_answer_fails_clearly_quoting_status_and_body(hostile, status, content_type, body,
                                                                          words):
    hostile.list_reply = good_list()
    hostile.associate_reply = Reply(status, {"Content-Type": content_type}, body)
    run = run_module(vbs_policy_resources.main, scripted_args(hostile.url))
    assert run.failed and clear_problem(run) is None, run
    assert str(status) in run.msg, run.msg
    for word in words:
        assert word in run.msg, (word, run.msg)


def test_an_associate_answer_that_names_no_volume_is_not_a_success(hostile):
    hostile.list_reply = good_list()
    hostile.associate_reply = json_reply(200, {})
    run = run_module(vbs_policy_resources.main, scripted_args(hostile.url))
    assert run.failed and clear_problem(run) is None, run
    assert "without reporting on this volume" in run.msg, run.msg


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=10),
    lambda children: st.lists(children, max_size=3) | st.dictionaries(
        st.sampled_from(["backup_policies", "backup_policy_id", "policy_resource_count", "backup_policy_name",
                         "backup_policies_links", "href", "rel", "success_resources", "fail_resources",
                         "resource_id", "code", "message", "error", "error_code", "error_msg"]) | st.text(max_size=5),
        children, max_size=4),
    max_leaves=12)


@settings(max_examples=150, deadline=None, derandomize=True, database=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(status=st.sampled_from([200, 201, 202, 204, 301, 400, 401, 403, 404, 409, 418, 501]),
       list_body=st.one_of(st.binary(max_size=200), json_values.map(lambda value: json.dumps(value).encode())),
       associate_body=st.one_of(st.binary(max_size=200), json_values.map(lambda value: json.dumps(value).encode())))
def test_any_answer_ends_in_a_clear_result_never_a_crash(hostile, status, list_body, associate_body):
    hostile.list_reply = Reply(status, {"Content-Type": "application/json"}, list_body)
    hostile.associate_reply = Reply(status, {"Content-Type": "application/json"}, associate_body)
    run = run_module(vbs_policy_resources.main, scripted_args(hostile.url))
    assert run.crash is None, run
    if run.failed:
        assert clear_problem(run) is None, (clear_problem(run), run)
        assert len(run.msg) <= MAX_MSG, run.msg
