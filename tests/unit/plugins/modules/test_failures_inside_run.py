# -*- coding: utf-8 -*-
# Copyright: (c) 2026, huaweicloud.vbs contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""A module that cannot go on inside run() raises; VBSModule alone turns that into the failed task.

Each refusal a module finds while it runs (a policy that still protects volumes, a lock that cannot be
had, volumes VBS refused, volumes whose protection is not known ...) is run here against a scripted VBS. Every call of fail_json is recorded
with the functions it was called from: none is run() or a function that run() called, and the failed
result still holds what the run had found so far.
"""

import inspect

import pytest

from ansible_collections.huaweicloud.vbs.plugins.module_utils.vbs_lock import PolicyLock
from ansible_collections.huaweicloud.vbs.plugins.module_utils.vbs_module import VBSModule
from ansible_collections.huaweicloud.vbs.plugins.modules import vbs_backup_policy, vbs_volume_info
from ansible_collections.huaweicloud.vbs.tests.support.module_args import (
    PROJECT_ID, run_main, scripted_args)
from ansible_collections.huaweicloud.vbs.tests.support.scripted_server import json_reply
from ansible_collections.huaweicloud.vbs.tests.support.scripted_vbs import (
    POLICY_ID, VOL1, VOL2, answer, listing, run_resources)

SCHEDULE = {"start_time": "02:00", "frequency": 1, "rentention_num": 7, "status": "ON"}


@pytest.fixture
def fail_json_callers(monkeypatch):
    """The function names on the stack of every fail_json call, innermost first."""
    callers = []
    original = VBSModule.fail_json

    def recording(self, **kwargs):
        callers.append([frame.function for frame in inspect.stack()[1:]])
        return original(self, **kwargs)

    monkeypatch.setattr(VBSModule, "fail_json", recording)
    return callers


def assert_failed_outside_run(result, callers, message):
    assert result["failed"] is True and message in result["msg"], result
    assert len(callers) == 1 and "run" not in callers[0] and callers[0][0] == "__call__", callers


def policy(name="daily", policy_id=POLICY_ID, count=0):
    return {"backup_policy_id": policy_id, "backup_policy_name": name, "policy_resource_count": count,
            "scheduled_policy": dict(SCHEDULE)}


def run_policy(server, **options):
    return run_main(vbs_backup_policy.main, scripted_args(server, **dict(dict(retries=0), **options)))


def test_a_policy_that_still_protects_volumes_is_not_deleted(server, fail_json_callers):
    server.add(json_reply(200, {"backup_policies": [policy(count=2)]}), json_reply(200, {"tags": []}))
    result = run_policy(server, name="daily", state="absent")
    assert_failed_outside_run(result, fail_json_callers, "still protects 2 volume(s)")
    assert result["policy"]["policy_resource_count"] == 2


def test_a_policy_is_not_created_without_its_schedule(server, fail_json_callers):
    server.add(json_reply(200, {"backup_policies": []}))
    result = run_policy(server, name="daily", frequency=1)
    assert_failed_outside_run(result, fail_json_callers, "a new backup policy needs start_time")


def test_a_merge_beyond_ten_tags_is_refused(server, fail_json_callers):
    server.add(json_reply(200, {"backup_policies": [policy()]}),
               json_reply(200, {"tags": [{"key": "k%d" % number, "value": "v"} for number in range(9)]}))
    result = run_policy(server, name="daily", tags={"a": "1", "b": "2"}, purge_tags=False)
    assert_failed_outside_run(result, fail_json_callers, "would have 11 tags")
    assert len(result["policy"]["tags"]) == 9


def test_a_rename_to_a_name_another_policy_has_is_refused(server, fail_json_callers):
    other = "3f2e1d0c-9b8a-4766-a544-332211009988"
    server.add(json_reply(200, {"backup_policies": [policy(), policy("weekly", other)]}), json_reply(200, {"tags": []}))
    result = run_policy(server, backup_policy_id=POLICY_ID, name="weekly")
    assert_failed_outside_run(result, fail_json_callers, "already has that name")
    assert result["policy"]["name"] == "daily"


def test_volumes_vbs_refused_fail_the_task_with_the_answers(server, fail_json_callers):
    refused = [{"resource_id": VOL2, "code": "AutoBackup.0206", "message": "status error"}]
    server.add(listing(1), answer(success=[{"resource_id": VOL1}], fail=refused), listing(2))
    result = run_resources(server)
    assert_failed_outside_run(result, fail_json_callers, "1 of 2 volumes could not be associated")
    assert [item["resource_id"] for item in result["fail_resources"]] == [VOL2]
    assert result["resource_count_after"] == 2


def test_a_lock_that_cannot_be_had_fails_before_any_request(server, fail_json_callers):
    held = PolicyLock(server.url, PROJECT_ID, POLICY_ID, 0)
    held.acquire()
    try:
        result = run_resources(server, lock_timeout=0)
    finally:
        held.release()
    assert_failed_outside_run(result, fail_json_callers, "held the lock of backup policy")
    assert server.requests == []  # with backup_policy_id, the lock comes before the listing


def test_members_that_are_required_but_unknown_fail_before_any_change(server, fail_json_callers):
    server.add(listing(2), json_reply(404, {"error": {"code": "EVS.0001", "message": "no such filter"}}))
    result = run_resources(server, membership_source="evs_metadata")
    assert_failed_outside_run(result, fail_json_callers, "membership_source is evs_metadata, but the policy's members")
    assert result["membership_source"] == "count" and "EVS could not be read" in result["membership_note"]


# -- vbs_volume_info ----------------------------------------------------------------------------

def run_volume_info(server, **options):
    return run_main(vbs_volume_info.main, scripted_args(server, **dict(dict(retries=0), **options)))


def test_volumes_without_a_known_policy_are_no_answer_to_protection(server, fail_json_callers):
    volume = {"id": VOL1, "name": "data", "status": "available", "size": 10, "availability_zone": "eu-de-01",
              "attachments": [], "metadata": {}}
    server.add(listing(1), json_reply(403, {"error": {"code": "EVS.0003", "message": "Policy doesn't allow"}}),
               json_reply(200, {"count": 1, "volumes": [volume]}))
    result = run_volume_info(server, protection="unprotected")
    assert_failed_outside_run(result, fail_json_callers, "protection: unprotected needs the backup policy of every")
    assert result["volumes"] == [] and result["backup_policy_known"] is True


def test_a_server_name_no_server_has_fails_before_any_volume_is_read(server, fail_json_callers):
    server.add(json_reply(200, {"count": 0, "servers": []}))
    result = run_volume_info(server, server_names=["web-01"])
    assert_failed_outside_run(result, fail_json_callers, "server_names: no server is named 'web-01'")
    assert len(server.requests) == 1


def test_an_endpoint_that_names_no_evs_endpoint_fails_before_any_request(server, fail_json_callers):
    result = run_volume_info(server, endpoint="https://vbs-gateway.example.com", auth_url="https://iam.example.com/v3")
    assert_failed_outside_run(result, fail_json_callers, "no EVS endpoint follows from the endpoint option")
    assert server.requests == []
