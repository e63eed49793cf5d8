# -*- coding: utf-8 -*-
# Copyright: (c) 2026, huaweicloud.vbs contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""vbs_policy_resources against the emulator: playbooks through ansible-playbook, the rest in this process.

The ad-hoc cases run the module's real main() in this process
(support/module_runner.py) against the emulator process; the playbook tests
run the real ansible-playbook command.

Every test checks the truth VBS hides (which volumes each policy really
holds, and which requests were sent) through the emulator's inspection API.

The in-process tests run under each choice of the emulator's
evs_policy_metadata (the ``metadata`` fixture): "sync" proves each policy's
member listing, so the module is exact per volume; with "partial" (seeded
members carry no metadata) and "off" the policy's volume count decides.
"""

import math
import os

import pytest

from support import ansible_cli, module_runner, seeds

MODULE = "vbs_policy_resources"
PLAYBOOKS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "playbooks")
DAILY = seeds.policy_id(1)
WEEKLY = seeds.policy_id(2)
V = seeds.volume_id


@pytest.fixture(params=("sync", "partial", "off"))
def metadata(request, emulator):
    """The emulator's evs_policy_metadata for this test run."""
    emulator.configure(evs_policy_metadata=request.param)
    return request.param


def run(emulator, args, check=False, diff=False):
    """The module's real main() in this process against the emulator (the playbook tests use ansible)."""
    return module_runner.adhoc(MODULE, args, seeds.aksk_env(emulator.url), check=check, diff=diff)


def mutating_requests(emulator):
    return [entry for entry in emulator.requests() if entry["method"] == "POST" and "/backuppolicyresources" in entry["path"]]


def vbs_requests(emulator):
    return [entry for entry in emulator.requests() if entry["path"].startswith(("/v2/", "/v3/"))]


def test_first_run_changes_and_second_run_is_ok(emulator):
    emulator.reset(seeds.seed(members={"daily": [1]}))
    result = ansible_cli.playbook(os.path.join(PLAYBOOKS, "idempotence.yml"), seeds.aksk_env(emulator.url),
                                  extra_vars={"policy_name": "daily", "volume_ids": [V(1), V(2), V(3)]})
    assert result.rc == 0, result
    assert "changed=1" in result.stdout and "failed=0" in result.stdout
    assert emulator.members(DAILY) == sorted([V(1), V(2), V(3)])


def test_partial_failure_names_each_failed_volume_and_keeps_the_good_ones(emulator, metadata):
    emulator.reset(seeds.seed(statuses={4: "error"}))
    missing = "0000dead-0000-4000-8000-00000000beef"
    result = run(emulator, {"backup_policy_id": DAILY, "volumes": [V(1), V(4), missing, V(2)]})
    assert result.rc != 0
    outcome = result.result
    assert outcome["changed"] is True
    assert V(4) in outcome["msg"] and "AutoBackup.0206" in outcome["msg"]
    assert missing in outcome["msg"] and "AutoBackup.1400" in outcome["msg"]
    assert outcome["msg"].startswith("2 of 4 volumes could not be associated")
    failed = dict((item["resource_id"], item) for item in outcome["fail_resources"])
    assert set(failed) == {V(4), missing}
    assert failed[V(4)]["code"] == "AutoBackup.0206" and failed[V(4)]["message"]
    assert failed[V(4)]["availability_zone"] == "eu-de-02"
    assert sorted(item["resource_id"] for item in outcome["success_resources"]) == sorted([V(1), V(2)])
    assert (outcome["resource_count_before"], outcome["resource_count_after"]) == (0, 2)
    assert emulator.members(DAILY) == sorted([V(1), V(2)])


def test_resource_errors_can_be_reported_without_failing(emulator, metadata):
    emulator.reset(seeds.seed(statuses={4: "error_restoring"}))
    result = run(emulator, {"backup_policy_id": DAILY, "volumes": [V(1), V(4)], "fail_on_resource_errors": False})
    assert result.rc == 0, result
    assert result.result["changed"] is True
    assert [item["resource_id"] for item in result.result["fail_resources"]] == [V(4)]
    assert any("could not be associated" in warning for warning in result.warnings), result
    assert emulator.members(DAILY) == [V(1)]


def test_a_volume_moves_from_another_policy(emulator, metadata):
    emulator.reset(seeds.seed(members={"daily": [1], "weekly": [2, 3]}))
    result = run(emulator, {"backup_policy_name": "daily", "volumes": [V(1), V(2)]})
    assert result.rc == 0, result
    assert result.result["changed"] is True
    assert emulator.members(DAILY) == sorted([V(1), V(2)])
    assert emulator.members(WEEKLY) == [V(3)]


def test_members_only_is_ok_and_sends_no_write_call_once_members_are_known(emulator, metadata):
    emulator.reset(seeds.seed(members={"daily": [1, 2, 3]}))
    emulator.clear_requests()
    result = run(emulator, {"backup_policy_id": DAILY, "volumes": [V(2), V(3)]})
    assert result.rc == 0, result
    assert result.result["changed"] is False and result.result["membership_verified"] is True
    # Known members are never sent; the count design sends every requested volume (a member is a no-op).
    assert len(mutating_requests(emulator)) == (0 if metadata == "sync" else 1)
    assert emulator.members(DAILY) == sorted([V(1), V(2), V(3)])


def test_check_mode_sends_no_change_and_predicts_a_provable_change(emulator, metadata):
    emulator.reset(seeds.seed(members={"daily": [1]}))
    emulator.clear_requests()
    result = run(emulator, {"backup_policy_id": DAILY, "volumes": [V(1), V(2), V(3)]}, check=True, diff=True)
    assert result.rc == 0, result
    assert result.result["changed"] is True and result.result["membership_verified"] is True
    assert mutating_requests(emulator) == []
    assert all(entry["method"] == "GET" for entry in vbs_requests(emulator))
    assert emulator.members(DAILY) == [V(1)]


def test_check_mode_says_when_it_cannot_tell(emulator, metadata):
    emulator.reset(seeds.seed(members={"daily": [1, 2, 3]}))
    emulator.clear_requests()
    result = run(emulator, {"backup_policy_id": DAILY, "volumes": [V(4), V(5)]}, check=True)
    assert result.rc == 0, result
    assert mutating_requests(emulator) == []
    if metadata == "sync":
        # The members are known: check mode is exact and has nothing to warn about.
        assert result.result["changed"] is True and result.result["membership_verified"] is True
        assert result.result["added_volumes"] == [V(4), V(5)] and result.warnings == []
        return
    assert result.result["changed"] is False and result.result["membership_verified"] is False
    (warning,) = result.warnings
    assert warning.startswith("Check mode cannot tell whether the requested volumes are already in policy daily")
    assert "A real run associates them and reports changed only if the count rises" in warning


def test_check_mode_for_absent_sends_nothing(emulator, metadata):
    emulator.reset(seeds.seed(members={"daily": [1, 2]}))
    emulator.clear_requests()
    result = run(emulator, {"backup_policy_id": DAILY, "volumes": [V(1)], "state": "absent"}, check=True)
    assert result.rc == 0, result
    assert mutating_requests(emulator) == []
    assert emulator.members(DAILY) == sorted([V(1), V(2)])
    if metadata == "sync":
        assert result.result["changed"] is True and result.result["membership_verified"] is True
        assert result.result["removed_volumes"] == [V(1)] and result.warnings == []
        return
    assert result.result["membership_verified"] is False
    # The warning speaks of removing, as state absent does.
    (warning,) = result.warnings
    assert warning.startswith("Check mode cannot tell whether any of the requested volumes is in policy daily")
    assert "A real run removes them and reports changed only if the count falls" in warning
    assert "associates" not in warning and "rises" not in warning


def test_absent_removes_and_its_rerun_is_ok(emulator, metadata):
    emulator.reset(seeds.seed(members={"daily": [1, 2, 3]}))
    first = run(emulator, {"backup_policy_id": DAILY, "volumes": [V(1), V(2), V(9)], "state": "absent"})
    assert first.rc == 0, first
    assert first.result["changed"] is True
    assert first.result["not_member_resources"] == [V(9)]
    assert emulator.members(DAILY) == [V(3)]
    second = run(emulator, {"backup_policy_id": DAILY, "volumes": [V(1), V(2), V(9)], "state": "absent"})
    assert second.rc == 0, second
    assert second.result["changed"] is False
    assert sorted(second.result["not_member_resources"]) == sorted([V(1), V(2), V(9)])
    assert emulator.members(DAILY) == [V(3)]


def test_absent_on_an_empty_policy_sends_no_disassociate_call(emulator, metadata):
    emulator.clear_requests()
    result = run(emulator, {"backup_policy_id": DAILY, "volumes": [V(1)], "state": "absent"})
    assert result.rc == 0, result
    assert result.result["changed"] is False
    assert mutating_requests(emulator) == []


def test_absent_on_a_policy_being_executed_fails_with_the_code(emulator, metadata):
    emulator.reset(seeds.seed(members={"daily": [1, 2]}))
    emulator.set_executing(DAILY, True)
    result = run(emulator, {"backup_policy_id": DAILY, "volumes": [V(1)], "state": "absent"})
    assert result.rc != 0
    assert "AutoBackup.0225" in result.result["msg"] and V(1) in result.result["msg"]
    assert result.result["changed"] is False
    assert emulator.members(DAILY) == sorted([V(1), V(2)])


def test_policy_name_that_matches_several_policies_is_refused(emulator, metadata):
    emulator.reset(seeds.seed(extra_policies=[(7, "daily")]))
    emulator.clear_requests()
    result = run(emulator, {"backup_policy_name": "daily", "volumes": [V(1)]})
    assert result.rc != 0
    assert DAILY in result.result["msg"] and seeds.policy_id(7) in result.result["msg"]
    assert mutating_requests(emulator) == []


def test_unknown_policy_is_refused_naming_project_and_region(emulator, metadata):
    emulator.clear_requests()
    result = run(emulator, {"backup_policy_name": "no-such-policy", "volumes": [V(1)]})
    assert result.rc != 0
    message = result.result["msg"]
    assert "no-such-policy" in message and seeds.PROJECT_ID in message and "eu-de" in message
    assert mutating_requests(emulator) == []


def test_malformed_volume_id_fails_before_any_request(emulator, metadata):
    emulator.clear_requests()
    result = run(emulator, {"backup_policy_id": DAILY, "volumes": [V(1), "../" + V(2)]})
    assert result.rc != 0
    assert "../" in result.result["msg"] and "UUID" in result.result["msg"]
    assert vbs_requests(emulator) == []


def test_thousand_volumes_go_in_batches(emulator, metadata):
    emulator.reset(seeds.seed(volumes=1000, policy_volume_limit=5000))
    emulator.clear_requests()
    volume_ids = [V(number) for number in range(1, 1001)]
    result = run(emulator, {"backup_policy_id": DAILY, "volumes": volume_ids})
    assert result.rc == 0, result
    assert result.result["resource_count_after"] == 1000
    associate_calls = mutating_requests(emulator)
    assert len(associate_calls) == math.ceil(1000 / 50)
    assert all(len(entry["body"]["resources"]) <= 50 for entry in associate_calls)
    assert len(emulator.members(DAILY)) == 1000

    emulator.clear_requests()
    again = run(emulator, {"backup_policy_id": DAILY, "volumes": volume_ids, "batch_size": 300})
    assert again.rc == 0, again
    assert again.result["changed"] is False
    # Every volume joined through the API, so even "partial" metadata proves the listing now.
    assert len(mutating_requests(emulator)) == (math.ceil(1000 / 300) if metadata == "off" else 0)


def test_duplicates_are_collapsed(emulator, metadata):
    emulator.clear_requests()
    result = run(emulator, {"backup_policy_id": DAILY, "volumes": [V(1), V(1).upper(), V(2)]})
    assert result.rc == 0, result
    assert result.result["volumes"] == [V(1), V(2)]
    sent = [item["resource_id"] for item in mutating_requests(emulator)[0]["body"]["resources"]]
    assert sent == [V(1), V(2)]


def test_empty_list_sends_no_associate_call(emulator, metadata):
    emulator.clear_requests()
    result = run(emulator, {"backup_policy_id": DAILY, "volumes": []})
    assert result.rc == 0, result
    assert result.result["changed"] is False
    assert mutating_requests(emulator) == []


def test_module_defaults_group_and_absent_playbook(emulator):
    emulator.reset(seeds.seed(members={"weekly": [5]}))
    env = {"HW_VBS_ENDPOINT": emulator.url}  # the rest comes from module_defaults in the play
    result = ansible_cli.playbook(os.path.join(PLAYBOOKS, "module_defaults.yml"), env, extra_vars={
        "emulator_url": emulator.url, "access_key": seeds.ACCESS_KEY, "secret_key": seeds.SECRET_KEY,
        "volume_ids": [V(5), V(6)]})
    assert result.rc == 0, result
    assert emulator.members(WEEKLY) == []
    assert emulator.members(DAILY) == sorted([V(5), V(6)])


def test_a_policy_limit_is_a_per_volume_failure(emulator, metadata):
    emulator.reset(seeds.seed(members={"daily": [1, 2]}, policy_volume_limit=3))
    result = run(emulator, {"backup_policy_id": DAILY, "volumes": [V(3), V(4)]})
    assert result.rc != 0
    assert [item["code"] for item in result.result["fail_resources"]] == ["AutoBackup.0204"]
    assert result.result["changed"] is True
    assert len(emulator.members(DAILY)) == 3
