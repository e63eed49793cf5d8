# -*- coding: utf-8 -*-
# Copyright: (c) 2026, huaweicloud.vbs contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""Each decision of vbs_policy_resources, one group of tests per decision (see docs/membership.md).

The module runs in this process against a scripted VBS (a real HTTP server on
loopback) that answers exactly the listings and associate/disassociate answers a
test needs, so every branch of the module is reached on purpose: when a decision
goes wrong, a test of its group fails.
"""

import threading

import pytest

from ansible_collections.huaweicloud.vbs.tests.support.module_runner import warning_texts
from ansible_collections.huaweicloud.vbs.tests.support.scripted_server import Stall, json_reply
from ansible_collections.huaweicloud.vbs.tests.support.scripted_vbs import (
    SERVER_ERROR, VOL1, VOL2, answer, listing, mutating, run_resources as run)

STRANGER = "ffffffff-0000-4000-8000-000000000000"


def posts(server):
    return len(mutating(server))


# -- nothing to do --------------------------------------------------------------------------

def test_an_empty_list_reads_the_policy_and_sends_nothing(server):
    server.add(listing(3))
    result = run(server, volumes=[])
    assert posts(server) == 0 and len(server.requests) == 1
    assert result["changed"] is False and result["membership_verified"] is True
    assert result["resource_count_before"] == result["resource_count_after"] == 3


def test_absent_from_an_empty_policy_sends_nothing(server):
    server.add(listing(0))
    result = run(server, state="absent")
    assert posts(server) == 0
    assert not result.get("failed"), result
    assert result["changed"] is False and result["membership_verified"] is True


def test_present_on_an_empty_policy_is_not_nothing_to_do(server):
    server.add(listing(0), answer(success=[{"resource_id": VOL1}, {"resource_id": VOL2}]), listing(2))
    result = run(server)
    assert posts(server) == 1
    assert result["changed"] is True


# -- check mode ---------------------------------------------------------------------------

def test_check_mode_proves_a_change_when_the_policy_holds_fewer_volumes(server):
    server.add(listing(1))
    result = run(server, _ansible_check_mode=True, _ansible_diff=True)
    assert posts(server) == 0
    assert result["changed"] is True and result["membership_verified"] is True
    assert warning_texts(result) == []
    assert result["diff"]["before"]["policy_resource_count"] == 1
    assert result["diff"]["after"]["policy_resource_count"] == 2  # at least one of the two is missing
    assert result["resource_count_after"] == 1  # nothing was changed


def test_check_mode_cannot_tell_when_the_policy_holds_as_many_volumes(server):
    server.add(listing(2))
    result = run(server, _ansible_check_mode=True, _ansible_diff=True)
    assert posts(server) == 0
    assert result["changed"] is False and result["membership_verified"] is False
    (warning,) = warning_texts(result)
    assert "Check mode cannot tell" in warning and "count (2)" in warning and "count rises" in warning
    assert result["diff"]["after"]["policy_resource_count"] == 2


def test_check_mode_absent_cannot_tell_on_a_policy_with_volumes(server):
    server.add(listing(5))
    result = run(server, state="absent", _ansible_check_mode=True)
    assert posts(server) == 0
    assert result["changed"] is False and result["membership_verified"] is False
    (warning,) = warning_texts(result)
    assert "count falls" in warning


def test_check_mode_absent_knows_an_empty_policy_needs_nothing(server):
    server.add(listing(0))
    result = run(server, state="absent", _ansible_check_mode=True)
    assert result["changed"] is False and result["membership_verified"] is True
    assert warning_texts(result) == []


# -- the count decides changed ------------------------------------------------------------

def test_present_is_changed_when_the_count_rose(server):
    server.add(listing(3), answer(success=[{"resource_id": VOL1}, {"resource_id": VOL2}]), listing(4))
    result = run(server, _ansible_diff=True)
    assert result["changed"] is True and result["membership_verified"] is True
    assert result["resource_count_after"] == 4 and result["policy"]["policy_resource_count"] == 4
    assert result["diff"]["after"]["policy_resource_count"] == 4


def test_present_is_unchanged_when_every_volume_was_a_member(server):
    server.add(listing(3), answer(success=[{"resource_id": VOL1}, {"resource_id": VOL2}]), listing(3))
    result = run(server)
    assert result["changed"] is False and result["membership_verified"] is True
    assert warning_texts(result) == []


def test_absent_is_changed_when_the_count_fell(server):
    server.add(listing(3), answer(success=[{"resource_id": VOL1}]), listing(2))
    result = run(server, state="absent", volumes=[VOL1])
    assert result["changed"] is True and result["membership_verified"] is True


def test_absent_is_unchanged_when_the_count_stayed(server):
    server.add(listing(3), answer(fail=[{"resource_id": VOL1}]), listing(3))
    result = run(server, state="absent", volumes=[VOL1])
    assert not result.get("failed"), result
    assert result["changed"] is False and result["membership_verified"] is True
    assert result["not_member_resources"] == [VOL1]


# -- the bounds verdict -------------------------------------------------------------------

def test_a_rise_up_to_the_success_items_is_this_runs_own(server):
    server.add(listing(1), answer(success=[{"resource_id": VOL1}, {"resource_id": VOL2}]), listing(3))
    result = run(server)
    assert result["membership_verified"] is True and warning_texts(result) == []


def test_a_rise_beyond_the_success_items_is_someone_elses(server):
    server.add(listing(1), answer(success=[{"resource_id": VOL1}, {"resource_id": VOL2}]), listing(4))
    result = run(server)
    assert result["membership_verified"] is False and result["changed"] is True
    (warning,) = warning_texts(result)
    assert "a change of +3" in warning and "by +0 to +2" in warning


def test_a_fall_during_an_association_is_someone_elses(server):
    server.add(listing(3), answer(success=[{"resource_id": VOL1}, {"resource_id": VOL2}]), listing(2))
    result = run(server)
    assert result["membership_verified"] is False
    assert result["changed"] is True  # the run may have added its volumes meanwhile


def test_a_foreign_change_with_no_success_item_is_not_changed(server):
    failed = [{"resource_id": volume, "code": "AutoBackup.0206"} for volume in (VOL1, VOL2)]
    server.add(listing(1), answer(fail=failed), listing(2))
    result = run(server, fail_on_resource_errors=False)
    assert result["membership_verified"] is False
    assert result["changed"] is False  # it cannot have added anything


def test_a_rise_during_a_disassociation_is_someone_elses(server):
    server.add(listing(3), answer(success=[{"resource_id": VOL1}]), listing(4))
    result = run(server, state="absent", volumes=[VOL1])
    assert result["membership_verified"] is False and result["changed"] is True
    (warning,) = warning_texts(result)
    assert "by -1 to +0" in warning


# -- failures of state=present ------------------------------------------------------------

def test_a_definite_failure_fails_the_task_with_its_code(server):
    server.add(listing(1), answer(success=[{"resource_id": VOL1}],
                                  fail=[{"resource_id": VOL2, "code": "AutoBackup.0206", "message": "in use"}]),
               listing(2))
    result = run(server)
    assert result["failed"] is True
    assert "1 of 2 volumes could not be associated with policy daily" in result["msg"]
    assert "%s (AutoBackup.0206: in use)" % VOL2 in result["msg"]
    assert "already in the policy" not in result["msg"]
    assert result["changed"] is True and result["fail_resources"][0]["resource_id"] == VOL2


def test_an_undecidable_failure_says_it_may_be_a_member(server):
    server.add(listing(2), answer(success=[{"resource_id": VOL1}],
                                  fail=[{"resource_id": VOL2, "code": "AutoBackup.7777"}]), listing(2))
    result = run(server)
    assert result["failed"] is True
    assert "VBS answered AutoBackup.7777 for 1 of these volumes, which the API reference does not define" in result["msg"]
    assert "If that is how VBS reports a volume that is already in the policy" in result["msg"]
    assert "went from 2 to 2" in result["msg"]


def test_a_volume_that_does_not_exist_is_never_called_maybe_a_member(server):
    # AutoBackup.1400 is the reference's "the resource is invalid" (no such volume): the message says what VBS
    # said and nothing that contradicts it.
    server.add(listing(2), answer(success=[{"resource_id": VOL1}], fail=[{
        "resource_id": VOL2, "code": "AutoBackup.1400", "message": "the volume does not exist"}]), listing(2))
    result = run(server)
    assert result["failed"] is True
    assert "%s (AutoBackup.1400: the volume does not exist)" % VOL2 in result["msg"]
    assert "already in the policy" not in result["msg"] and "protected" not in result["msg"]


def test_failures_are_a_warning_when_asked(server):
    server.add(listing(1), answer(success=[{"resource_id": VOL1}],
                                  fail=[{"resource_id": VOL2, "code": "AutoBackup.0206"}]), listing(2))
    result = run(server, fail_on_resource_errors=False)
    assert not result.get("failed"), result
    assert any("1 of 2 volumes could not be associated" in warning for warning in warning_texts(result))


def test_a_volume_that_vbs_did_not_report_on_fails_an_association(server):
    server.add(listing(1), answer(success=[{"resource_id": VOL1}]), listing(2))
    result = run(server)
    assert result["failed"] is True
    assert result["unreported_resources"] == [VOL2]
    assert "%s (VBS answered without reporting on this volume)" % VOL2 in result["msg"]


# -- failures of state=absent -------------------------------------------------------------

def test_absent_a_fail_item_without_code_means_not_a_member(server):
    server.add(listing(3), answer(success=[{"resource_id": VOL1}], fail=[{"resource_id": VOL2}]), listing(2))
    result = run(server, state="absent")
    assert not result.get("failed"), result
    assert result["not_member_resources"] == [VOL2]


def test_absent_the_not_a_member_code_is_no_failure(server):
    server.add(listing(3), answer(success=[{"resource_id": VOL1}],
                                  fail=[{"resource_id": VOL2, "code": "AutoBackup.1400"}]), listing(2))
    result = run(server, state="absent")
    assert not result.get("failed"), result
    assert result["not_member_resources"] == [VOL2]


def test_absent_another_code_fails_while_the_policy_still_holds_volumes(server):
    server.add(listing(3), answer(success=[{"resource_id": VOL1}],
                                  fail=[{"resource_id": VOL2, "code": "AutoBackup.0225", "message": "busy"}]),
               listing(2))
    result = run(server, state="absent")
    assert result["failed"] is True
    assert "1 of 2 volumes could not be removed from policy daily" in result["msg"]
    assert "AutoBackup.0225: busy" in result["msg"]
    assert "the API reference does not say" not in result["msg"]  # that hint is for associations only
    assert result["not_member_resources"] == []


def test_absent_an_unknown_code_fails_without_the_association_hint(server):
    server.add(listing(3), answer(success=[{"resource_id": VOL1}],
                                  fail=[{"resource_id": VOL2, "code": "AutoBackup.9999"}]), listing(2))
    result = run(server, state="absent")
    assert result["failed"] is True and "AutoBackup.9999" in result["msg"]
    assert "the API reference does not say" not in result["msg"]


def test_absent_any_code_is_no_failure_once_the_policy_is_empty(server):
    # The policy holds no volume afterwards: whatever the code says, no requested volume is in it.
    server.add(listing(1), answer(success=[{"resource_id": VOL1}],
                                  fail=[{"resource_id": VOL2, "code": "AutoBackup.0225", "message": "busy"}]),
               listing(0))
    result = run(server, state="absent")
    assert not result.get("failed"), result
    assert result["not_member_resources"] == [VOL2]
    assert result["changed"] is True


def test_absent_an_unreported_volume_fails_while_the_policy_still_holds_volumes(server):
    server.add(listing(3), answer(success=[{"resource_id": VOL1}]), listing(2))
    result = run(server, state="absent")
    assert result["failed"] is True
    assert result["unreported_resources"] == [VOL2]


def test_absent_an_unreported_volume_is_no_failure_once_the_policy_is_empty(server):
    server.add(listing(1), answer(success=[{"resource_id": VOL1}]), listing(0))
    result = run(server, state="absent")
    assert not result.get("failed"), result
    assert result["unreported_resources"] == [VOL2]


# -- items for volumes nobody asked about -------------------------------------------------

def test_unrequested_items_are_set_apart_and_never_fail_the_task(server):
    server.add(listing(1), answer(success=[{"resource_id": VOL1}, {"resource_id": VOL2}, {"resource_id": STRANGER}],
                                  fail=[{"resource_id": STRANGER, "code": "AutoBackup.0206"}]), listing(3))
    result = run(server)
    assert not result.get("failed"), result
    assert sorted(item["resource_id"] for item in result["success_resources"]) == sorted([VOL1, VOL2])
    assert result["fail_resources"] == []
    assert sorted(item["outcome"] for item in result["unrequested_resources"]) == ["fail", "success"]
    assert any("2 volume(s) that were not requested: %s, %s" % (STRANGER, STRANGER) in warning
               for warning in warning_texts(result))


# -- moves from other policies ------------------------------------------------------------

def test_a_move_is_reported_only_when_the_other_policy_lost_volumes(server):
    success = [{"resource_id": VOL1}, {"resource_id": VOL2}]
    server.add(listing(1, other_count=4), answer(success=success), listing(3, other_count=5))
    result = run(server)
    assert result["moved_from"] == [] and warning_texts(result) == []


# No move is reported for state=absent, nor when nothing was associated: test_vbs_policy_resources_counts.py.


# -- an error: what the run sent may have changed the policy ------------------------------

def test_an_error_after_sent_batches_reports_their_outcome_and_fails(server):
    # The refused request may have been applied all the same: VBS added both volumes.
    server.add(listing(1), answer(success=[{"resource_id": VOL1}]), json_reply(400, SERVER_ERROR), listing(3))
    result = run(server, batch_size=1, concurrency=1, retries=0)
    assert result["failed"] is True
    assert posts(server) == 2
    assert result["success_resources"] == [{"resource_id": VOL1}]
    assert result["resource_count_after"] == 3
    # The failed request makes every requested volume possible: +2 fits, and the run did change the policy.
    assert result["changed"] is True and result["membership_verified"] is True
    assert warning_texts(result) == []
    assert "AutoBackup.0009" in result["msg"]


def test_no_batch_is_started_after_an_error(server):
    server.add(listing(1), json_reply(400, SERVER_ERROR), listing(1))
    result = run(server, batch_size=1, concurrency=1, retries=0)
    assert result["failed"] is True
    assert posts(server) == 1
    assert result["changed"] is False  # the count shows that nothing changed
    assert "requests failed" not in result["msg"]  # only one was sent


def test_two_failed_requests_are_counted_in_the_message(server):
    # Both requests are held until both have arrived, so both are in flight when the first one fails.
    both_sent = threading.Barrier(2, timeout=10)

    def refuse_once_both_are_in(_request):
        both_sent.wait()
        return json_reply(400, SERVER_ERROR)

    server.add(listing(1), refuse_once_both_are_in, refuse_once_both_are_in, listing(1))
    result = run(server, batch_size=1, concurrency=2, retries=0)
    assert result["failed"] is True
    assert posts(server) == 2
    assert "2 of 2 requests failed" in result["msg"]


def test_a_request_without_answer_leaves_the_outcome_unknown(server):
    server.add(listing(1), Stall(3), listing(1))
    result = run(server, volumes=[VOL1], retries=0, timeout=1)
    assert result["failed"] is True
    assert result["changed"] is True and result["membership_verified"] is False
    assert "VBS may still apply a request that got no answer" in result["msg"]


def test_a_count_that_cannot_be_read_again_leaves_the_outcome_unknown(server):
    server.add(listing(1), answer(success=[{"resource_id": VOL1}, {"resource_id": VOL2}]),
               json_reply(400, SERVER_ERROR))
    result = run(server, retries=0)
    assert result["failed"] is True
    assert result["changed"] is True and result["membership_verified"] is False
    assert "could not be read again" in result["msg"]


def test_a_count_that_cannot_be_read_after_an_error_leaves_the_outcome_unknown(server):
    server.add(listing(1), json_reply(400, SERVER_ERROR), json_reply(400, SERVER_ERROR))
    result = run(server, retries=0)
    assert result["failed"] is True
    assert result["changed"] is True and result["membership_verified"] is False


@pytest.mark.parametrize("state", ["present", "absent"])
def test_a_request_sent_again_after_a_500_widens_the_bounds(server, state):
    # Both volumes changed by the first attempt, which only a repeat can explain: no warning.
    fail = [{"resource_id": VOL1}, {"resource_id": VOL2}]
    after = 3 if state == "present" else 1
    server.add(listing(3 if state == "absent" else 1), json_reply(500, SERVER_ERROR), answer(fail=fail),
               listing(after))
    result = run(server, state=state, fail_on_resource_errors=False)
    assert result["membership_verified"] is True
    assert result["changed"] is True


# -- the options: checked and set once, before any request ----------------------------------

def test_the_volume_ids_are_normalized_once(server, monkeypatch):
    from ansible_collections.huaweicloud.vbs.plugins.module_utils import vbs_membership_decisions
    calls = []
    original = vbs_membership_decisions.normalize_volume_ids

    def counting(values):
        calls.append(list(values))
        return original(values)

    monkeypatch.setattr(vbs_membership_decisions, "normalize_volume_ids", counting)
    server.add(listing(3))
    result = run(server, volumes=[VOL1.upper(), VOL1])
    assert result["volumes"] == [VOL1]
    assert len(calls) == 1


def test_options_that_fail_a_check_set_nothing(server):
    result = run(server, volumes=[VOL1], batch_size=0)
    assert result["failed"] is True and "batch_size must be between 1 and 500" in result["msg"]
    assert "volumes" not in result and server.requests == []
