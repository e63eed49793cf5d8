# -*- coding: utf-8 -*-
# Copyright: (c) 2026, huaweicloud.vbs contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""Injected faults: the documented statuses, reproducible with a fixed random seed."""

import http.client
import threading
import time
from urllib.parse import urlsplit

import pytest
from emulator_testlib import FREE, IN_A, POLICY_A


def _associate(api, volume_id, token):
    return api.with_token("POST", "/backuppolicyresources", {
        "backup_policy_id": POLICY_A, "resources": [{"resource_id": volume_id, "resource_type": "volume"}]},
        token=token)


def _only(emulator, kind, **settings):
    emulator.configure(fault_rate=1, fault_kinds=[kind], random_seed=1, **settings)


def _associate_under(api, emulator, kind, **settings):
    """The answer to associating one free volume while every request draws the fault `kind`."""
    token = api.token()
    _only(emulator, kind, **settings)
    return _associate(api, FREE[0], token)


def test_throttle_is_429_with_retry_after_and_changes_nothing(api, emulator):
    answer = _associate_under(api, emulator, "throttle", retry_after=7)
    assert answer.status == 429
    assert answer.headers["Retry-After"] == "7"
    assert answer.data["error_code"] == "APIGW.0308"
    assert emulator.members(POLICY_A) == [IN_A]
    assert emulator.requests()[-1]["fault"] == "throttle"


def test_error500_fails_before_anything_is_done(api, emulator):
    answer = _associate_under(api, emulator, "error500")
    assert answer.status == 500
    assert answer.data["error"]["code"] == "AutoBackup.0009"
    assert emulator.members(POLICY_A) == [IN_A]


def test_unavailable503(api, emulator):
    answer = _associate_under(api, emulator, "unavailable503")
    assert answer.status == 503
    assert "error" in answer.data
    assert emulator.members(POLICY_A) == [IN_A]


def test_error500_after_apply_applies_the_change(api, emulator):
    answer = _associate_under(api, emulator, "error500_after_apply")
    assert answer.status == 500
    assert answer.data["error"]["code"] == "AutoBackup.0009"
    assert emulator.members(POLICY_A) == sorted([IN_A, FREE[0]])
    entry = emulator.requests()[-1]
    assert (entry["fault"], entry["status"]) == ("error500_after_apply", 500)


def test_drop_closes_the_connection_without_an_answer(api, emulator):
    token = api.token()
    _only(emulator, "drop")
    connection = http.client.HTTPConnection(urlsplit(api.base).netloc, timeout=10)
    try:
        connection.request("GET", api.vbs_path("/backuppolicy"), headers={"X-Auth-Token": token})
        with pytest.raises((http.client.RemoteDisconnected, ConnectionResetError)):
            connection.getresponse()
    finally:
        connection.close()
    entry = emulator.requests()[-1]
    assert (entry["fault"], entry["status"]) == ("drop", None)


def test_slow_stalls_then_answers(api, emulator):
    token = api.token()
    _only(emulator, "slow", slow_ms=400)
    started = time.monotonic()
    answer = api.with_token("GET", "/backuppolicy", token=token)
    assert answer.status == 200
    assert time.monotonic() - started >= 0.4


def test_a_slow_request_is_in_flight_until_it_has_applied_its_change(api, emulator):
    token = api.token()
    _only(emulator, "slow", slow_ms=3000)
    assert emulator.in_flight() == 0
    outcome = {}
    client = threading.Thread(target=lambda: outcome.update(answer=_associate(api, FREE[0], token)))
    client.start()
    seen = 0
    while client.is_alive() and not seen:
        seen = emulator.in_flight()  # the stall gives three seconds to see it
    client.join(10)
    assert seen == 1
    assert outcome["answer"].status == 200
    assert emulator.in_flight() == 0
    assert emulator.members(POLICY_A) == sorted([IN_A, FREE[0]])


def test_iam_calls_are_faulted_too(api, emulator):
    _only(emulator, "error500")
    answer = api.get_token()
    assert answer.status == 500
    assert answer.data["error"]["code"] == 500


def test_inspection_is_never_faulted_or_delayed(emulator):
    emulator.configure(fault_rate=1, fault_kinds=["drop"], latency_ms=2000)
    started = time.monotonic()
    assert len(emulator.policies()) == 3
    assert time.monotonic() - started < 1.5


def test_latency_is_added_to_vbs_answers(api, emulator):
    token = api.token()
    emulator.configure(latency_ms=300)
    started = time.monotonic()
    assert api.with_token("GET", "/backuppolicy", token=token).status == 200
    assert time.monotonic() - started >= 0.3


def _run(api, emulator, token, count):
    statuses = [api.with_token("GET", "/backuppolicy", token=token).status for _number in range(count)]
    faults = [entry["fault"] for entry in emulator.requests()]
    return statuses, faults


def test_fixed_random_seed_reproduces_the_same_faults(api, emulator):
    token = api.token()
    settings = {"fault_rate": 0.5, "fault_kinds": ["throttle", "error500", "unavailable503"], "random_seed": 42}
    emulator.configure(**settings)
    emulator.clear_requests()
    first = _run(api, emulator, token, 30)
    emulator.configure(**settings)  # setting random_seed restarts the sequence
    emulator.clear_requests()
    second = _run(api, emulator, token, 30)
    assert first == second
    statuses, faults = first
    expected = {None: 200, "throttle": 429, "error500": 500, "unavailable503": 503}
    assert statuses == [expected[fault] for fault in faults]
    assert 200 in statuses and len(set(statuses)) >= 3
