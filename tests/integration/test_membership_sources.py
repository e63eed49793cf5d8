# -*- coding: utf-8 -*-
# Copyright: (c) 2026, huaweicloud.vbs contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""Where vbs_policy_resources and vbs_backup_policy_info learn a policy's members, against the emulator.

With a member listing from EVS that the policy's count proves (evs_policy_metadata
"sync"), the module sends only what differs, names each volume it added, removed
or moved, and can purge; without one (EVS refuses, ignores the filter, is
unreachable, or the cloud does not keep the metadata) the count decides, with one
warning where the user can act and none where the cloud is simply so.
"""

import socket

import pytest

from support import module_runner, seeds

DAILY = seeds.policy_id(1)
WEEKLY = seeds.policy_id(2)
V = seeds.volume_id


def run(emulator, args, check=False, diff=False, module="vbs_policy_resources", env=None):
    return module_runner.adhoc(module, args, dict(seeds.aksk_env(emulator.url), **(env or {})), check=check, diff=diff)


def writes(emulator):
    return [entry for entry in emulator.requests() if entry["method"] == "POST"]


def evs_reads(emulator):
    return [entry for entry in emulator.requests() if "/cloudvolumes" in entry["path"]]


# -- exact per volume ----------------------------------------------------------------------

def test_only_the_missing_volumes_are_sent_and_named(emulator):
    emulator.reset(seeds.seed(members={"daily": [1, 2]}))
    emulator.clear_requests()
    result = run(emulator, {"backup_policy_id": DAILY, "volumes": [V(1), V(2), V(3), V(4)]}).result
    assert result["changed"] is True and result["membership_source"] == "evs_metadata"
    assert result["added_volumes"] == [V(3), V(4)] and result["removed_volumes"] == []
    (associate,) = writes(emulator)
    assert [item["resource_id"] for item in associate["body"]["resources"]] == [V(3), V(4)]
    assert emulator.members(DAILY) == sorted([V(1), V(2), V(3), V(4)])


def test_a_steady_state_run_sends_no_write_call_and_no_lock_is_taken(emulator, tmp_path):
    emulator.reset(seeds.seed(members={"daily": [1, 2, 3]}))
    emulator.clear_requests()
    result = run(emulator, {"backup_policy_name": "daily", "volumes": [V(1), V(2), V(3)]},
                 env={"TMPDIR": str(tmp_path)}).result
    assert result["changed"] is False and result["membership_verified"] is True
    assert writes(emulator) == []
    paths = [entry["path"].rsplit("/", 1)[-1] for entry in emulator.requests() if entry["path"].startswith("/v2/")]
    assert paths == ["backuppolicy", "detail", "detail", "backuppolicy"]
    assert list(tmp_path.iterdir()) == []  # no lock directory, no lock file


def test_each_moved_volume_names_the_policy_it_left(emulator):
    emulator.reset(seeds.seed(members={"daily": [1], "weekly": [2, 3]}))
    run_ = run(emulator, {"backup_policy_name": "daily", "volumes": [V(1), V(2)]})
    result = run_.result
    assert result["added_volumes"] == [V(2)]
    assert result["moved_from"] == [{"backup_policy_id": WEEKLY, "backup_policy_name": "weekly", "count_before": 2,
                                     "count_after": 1, "volumes": [V(2)]}]
    (warning,) = run_.warnings
    assert "weekly (ID %s) from 2 to 1 (this run moved %s)" % (WEEKLY, V(2)) in warning
    assert emulator.members(WEEKLY) == [V(3)]


def test_check_mode_and_diff_are_exact_per_volume(emulator):
    emulator.reset(seeds.seed(members={"daily": [1, 2], "weekly": [3]}))
    emulator.clear_requests()
    check = run(emulator, {"backup_policy_name": "daily", "volumes": [V(2), V(3), V(4)]}, check=True, diff=True)
    result = check.result
    assert check.warnings == [] and writes(emulator) == []
    assert result["changed"] is True and result["added_volumes"] == [V(3), V(4)]
    assert result["moved_from"] == [{"backup_policy_id": WEEKLY, "backup_policy_name": "weekly", "count_before": 1,
                                     "count_after": 0, "volumes": [V(3)]}]
    assert result["diff"] == {
        "before": {"backup_policy_id": DAILY, "policy_resource_count": 2, "volumes": [V(2)]},
        "after": {"backup_policy_id": DAILY, "policy_resource_count": 4, "volumes": [V(2), V(3), V(4)]}}
    real = run(emulator, {"backup_policy_name": "daily", "volumes": [V(2), V(3), V(4)]}, diff=True).result
    assert real["added_volumes"] == result["added_volumes"] and real["diff"] == result["diff"]
    assert real["moved_from"] == result["moved_from"]


def test_absent_sends_only_the_members(emulator):
    emulator.reset(seeds.seed(members={"daily": [1, 2], "weekly": [3]}))
    emulator.clear_requests()
    result = run(emulator, {"backup_policy_id": DAILY, "volumes": [V(2), V(3), V(4)], "state": "absent"},
                 diff=True).result
    assert result["changed"] is True and result["removed_volumes"] == [V(2)]
    assert result["not_member_resources"] == [V(3), V(4)]
    (disassociate,) = writes(emulator)
    assert [item["resource_id"] for item in disassociate["body"]["resources"]] == [V(2)]
    assert result["diff"]["before"]["volumes"] == [V(2)] and result["diff"]["after"]["volumes"] == []
    assert emulator.members(WEEKLY) == [V(3)]


# -- purge_volumes -----------------------------------------------------------------------

def test_purge_makes_the_policy_hold_exactly_the_list(emulator):
    emulator.reset(seeds.seed(members={"daily": [1, 2, 3]}))
    args = {"backup_policy_name": "daily", "volumes": [V(2), V(4)], "purge_volumes": True}
    check = run(emulator, args, check=True, diff=True).result
    assert check["changed"] is True
    assert (check["added_volumes"], check["removed_volumes"]) == ([V(4)], [V(1), V(3)])
    assert check["diff"]["before"]["volumes"] == [V(1), V(2), V(3)]
    assert check["diff"]["after"]["volumes"] == [V(2), V(4)]
    assert emulator.members(DAILY) == [V(1), V(2), V(3)]
    first = run(emulator, args).result
    assert (first["changed"], first["added_volumes"], first["removed_volumes"]) == (True, [V(4)], [V(1), V(3)])
    assert emulator.members(DAILY) == [V(2), V(4)]
    again = run(emulator, args).result
    assert again["changed"] is False and emulator.members(DAILY) == [V(2), V(4)]


@pytest.mark.parametrize("metadata", ["partial", "off"])
def test_purge_without_known_members_fails_before_any_change(emulator, metadata):
    emulator.reset(seeds.seed(members={"daily": [1, 2, 3]}))
    emulator.configure(evs_policy_metadata=metadata)
    emulator.clear_requests()
    result = run(emulator, {"backup_policy_name": "daily", "volumes": [V(2)], "purge_volumes": True})
    assert result.rc != 0
    assert result.result["msg"].startswith("purge_volumes needs the policy's members, and they are not known: EVS lists")
    assert "Nothing was changed" in result.result["msg"]
    assert writes(emulator) == [] and emulator.members(DAILY) == [V(1), V(2), V(3)]


def test_purge_is_refused_for_state_absent_before_any_request(emulator):
    emulator.clear_requests()
    result = run(emulator, {"backup_policy_name": "daily", "volumes": [V(2)], "purge_volumes": True,
                            "state": "absent"})
    assert result.rc != 0 and "purge_volumes applies to state: present only" in result.result["msg"]
    assert emulator.requests() == []


# -- when the count decides -------------------------------------------------------------

def test_a_cloud_without_the_metadata_gets_no_warning(emulator):
    emulator.reset(seeds.seed(members={"daily": [1, 2]}))
    emulator.configure(evs_policy_metadata="off")
    first = run(emulator, {"backup_policy_name": "daily", "volumes": [V(1), V(2), V(3)]})
    again = run(emulator, {"backup_policy_name": "daily", "volumes": [V(1), V(2), V(3)]})
    for outcome, changed in ((first, True), (again, False)):
        assert outcome.rc == 0 and outcome.warnings == [], outcome
        assert outcome.result["changed"] is changed and outcome.result["membership_source"] == "count"
        assert "VBS counts" in outcome.result["membership_note"]
    assert "added_volumes" not in first.result


def test_partial_metadata_is_not_trusted_and_a_rerun_of_members_is_unchanged(emulator):
    emulator.reset(seeds.seed(members={"daily": [1, 2]}))
    emulator.configure(evs_policy_metadata="partial")
    emulator.clear_requests()
    result = run(emulator, {"backup_policy_name": "daily", "volumes": [V(1), V(2)]})
    assert result.rc == 0 and result.result["changed"] is False
    assert result.result["membership_source"] == "count"
    assert "EVS lists 0 volume(s)" in result.result["membership_note"]
    assert len(writes(emulator)) == 1  # the count design sends the members (a no-op)


def test_an_evs_permission_error_falls_back_with_one_warning_naming_the_permission(emulator):
    emulator.reset(seeds.seed(members={"daily": [1]}))
    emulator.configure(denied_actions=["evs:volumes:list"])
    outcome = run(emulator, {"backup_policy_name": "daily", "volumes": [V(1), V(2)]})
    assert outcome.rc == 0, outcome
    assert outcome.result["changed"] is True and outcome.result["membership_source"] == "count"
    (warning,) = outcome.warnings
    assert "EVS refused to list volumes (HTTP 403): grant the credentials the permission evs:volumes:list" in warning
    assert "403 EVS.0003" in outcome.result["membership_note"]
    assert emulator.members(DAILY) == [V(1), V(2)]


def test_an_evs_that_ignores_the_metadata_filter_is_not_trusted(emulator):
    emulator.reset(seeds.seed(members={"daily": [1]}, volumes=3))
    emulator.configure(evs_metadata_filter="ignored")
    outcome = run(emulator, {"backup_policy_name": "daily", "volumes": [V(1)]})
    assert outcome.rc == 0 and outcome.warnings == []
    assert outcome.result["membership_source"] == "count"
    assert "does not apply that filter" in outcome.result["membership_note"]


def test_an_unreachable_evs_falls_back_with_a_warning(emulator):
    with socket.socket() as closed:
        closed.bind(("127.0.0.1", 0))
        port = closed.getsockname()[1]
    emulator.reset(seeds.seed(members={"daily": [1]}))
    outcome = run(emulator, {"backup_policy_name": "daily", "volumes": [V(1), V(2)], "retries": 0},
                  env={"HW_EVS_ENDPOINT": "http://127.0.0.1:%d" % port})
    assert outcome.rc == 0, outcome
    assert outcome.result["changed"] is True and outcome.result["membership_source"] == "count"
    (warning,) = outcome.warnings
    assert warning.startswith("EVS could not be read, so the policy's volume count decides")
    assert "Could not reach EVS" in warning


def test_membership_source_evs_metadata_refuses_to_fall_back(emulator):
    emulator.reset(seeds.seed(members={"daily": [1]}))
    emulator.configure(evs_policy_metadata="off")
    emulator.clear_requests()
    outcome = run(emulator, {"backup_policy_name": "daily", "volumes": [V(2)], "membership_source": "evs_metadata"})
    assert outcome.rc != 0
    assert outcome.result["msg"].startswith("membership_source is evs_metadata, but the policy's members are not known")
    assert writes(emulator) == [] and emulator.members(DAILY) == [V(1)]


def test_membership_source_count_never_reads_evs(emulator):
    emulator.reset(seeds.seed(members={"daily": [1]}))
    emulator.clear_requests()
    outcome = run(emulator, {"backup_policy_name": "daily", "volumes": [V(1), V(2)], "membership_source": "count"})
    assert outcome.rc == 0 and outcome.result["changed"] is True
    assert outcome.result["membership_source"] == "count" and evs_reads(emulator) == []


# -- vbs_backup_policy_info include_volumes -------------------------------------------------

def info(emulator):
    outcome = run(emulator, {"include_volumes": True}, module="vbs_backup_policy_info")
    assert outcome.rc == 0, outcome
    return dict((policy["backup_policy_name"], policy) for policy in outcome.result["backup_policies"])


def test_include_volumes_lists_each_proven_policy(emulator):
    emulator.reset(seeds.seed(members={"daily": [1, 2], "weekly": [5]}))
    policies = info(emulator)
    assert policies["daily"]["volumes_known"] is True and policies["daily"]["volumes"] == [V(1), V(2)]
    assert policies["weekly"]["volumes"] == [V(5)] and "volumes_note" not in policies["weekly"]


def test_include_volumes_never_passes_off_a_partial_list(emulator):
    emulator.reset(seeds.seed(members={"daily": [1, 2]}))
    emulator.configure(evs_policy_metadata="partial")
    # One more member joins through the API: EVS now shows 1 of daily's 3 volumes, and both of weekly's.
    assert run(emulator, {"backup_policy_name": "daily", "volumes": [V(3)], "membership_source": "count"}).rc == 0
    assert run(emulator, {"backup_policy_name": "weekly", "volumes": [V(4), V(5)]}).rc == 0
    policies = info(emulator)
    assert policies["daily"]["volumes_known"] is False and "volumes" not in policies["daily"]
    assert "EVS lists 1 volume(s) whose metadata names policy daily" in policies["daily"]["volumes_note"]
    assert "VBS counts 3" in policies["daily"]["volumes_note"]
    assert policies["weekly"]["volumes_known"] is True and policies["weekly"]["volumes"] == [V(4), V(5)]
