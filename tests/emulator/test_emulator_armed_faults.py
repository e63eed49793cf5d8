# -*- coding: utf-8 -*-
# Copyright: (c) 2026, huaweicloud.vbs contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""A fault armed for the next request with one method and path (POST /_emulator/faults)."""

from emulator_testlib import PROJECT_ID, SCHEDULE

CREATE_PATH = "/v2/%s/backuppolicy" % PROJECT_ID


def _arm(emulator, method, path, kind):
    return emulator.call("POST", "/_emulator/faults", {"method": method, "path": path, "kind": kind})


def _create(api, name):
    return api.with_token("POST", "/backuppolicy", {"backup_policy_name": name, "scheduled_policy": SCHEDULE})


def test_an_armed_fault_hits_only_the_next_matching_request(api, emulator):
    token = api.token()
    assert _arm(emulator, "post", CREATE_PATH + "/", "error500_after_apply")[0] == 204
    assert emulator.call("GET", "/_emulator/faults")[1] == {
        "armed": [{"method": "POST", "path": CREATE_PATH, "kind": "error500_after_apply", "skip": 0}]}
    assert api.with_token("GET", "/backuppolicy", token=token).status == 200  # another request: no fault
    failed = _create(api, "first")
    assert failed.status == 500 and failed.data["error"]["code"] == "AutoBackup.0009"
    names = [policy["name"] for policy in emulator.policies()]
    assert "first" in names  # applied before the 500
    assert _create(api, "second").status == 200  # one shot
    assert emulator.call("GET", "/_emulator/faults")[1] == {"armed": []}
    faults = [entry["fault"] for entry in emulator.requests() if entry["path"] == CREATE_PATH]
    assert faults == [None, "error500_after_apply", None]  # the list, the faulted create, the next create


def test_armed_faults_are_used_in_order_and_forgotten_on_reset(api, emulator):
    _arm(emulator, "POST", CREATE_PATH, "throttle")
    _arm(emulator, "POST", CREATE_PATH, "error500")
    assert _create(api, "one").status == 429
    assert _create(api, "one").status == 500
    assert "one" not in [policy["name"] for policy in emulator.policies()]
    _arm(emulator, "POST", CREATE_PATH, "error500")
    emulator.reset()
    assert emulator.call("GET", "/_emulator/faults")[1] == {"armed": []}


def test_an_armed_fault_can_skip_requests_and_match_any_id(api, emulator):
    token = api.token()
    first, second = [_create(api, name).data["backup_policy_id"] for name in ("first", "second")]
    emulator.clear_requests()
    any_policy = CREATE_PATH + "/*"
    assert _arm(emulator, "DELETE", any_policy, "error500")[0] == 204
    status, _data = emulator.call("POST", "/_emulator/faults", {"method": "GET", "path": any_policy + "/tags",
                                                                "kind": "error500", "skip": 2})
    assert status == 204
    for _twice in range(2):
        assert api.with_token("GET", "/backuppolicy/%s/tags" % second, token=token).status == 200
    assert api.with_token("GET", "/backuppolicy/%s/tags" % first, token=token).status == 500  # the third
    assert api.with_token("GET", "/backuppolicy/%s/tags" % first, token=token).status == 200  # one shot
    assert api.with_token("GET", "/backuppolicy", token=token).status == 200  # "*" is one whole segment
    assert api.with_token("DELETE", "/backuppolicy/%s" % first, token=token).status == 500
    assert first in [policy["id"] for policy in emulator.policies()]
    assert emulator.call("GET", "/_emulator/faults")[1] == {"armed": []}


def test_arming_checks_its_body(emulator):
    for body in ({"method": "POST", "path": CREATE_PATH, "kind": "explode"},
                 {"method": "POST", "path": "v2/x", "kind": "drop"},
                 {"method": "POST", "path": CREATE_PATH, "kind": "drop", "skip": -1},
                 {"method": "POST", "path": CREATE_PATH, "kind": "drop", "skip": True},
                 {"path": CREATE_PATH, "kind": "drop"}):
        status, data = emulator.call("POST", "/_emulator/faults", body)
        assert status == 400, body
        assert data["error"]["message"]
