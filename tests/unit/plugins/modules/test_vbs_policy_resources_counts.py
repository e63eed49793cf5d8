# -*- coding: utf-8 -*-
# Copyright: (c) 2026, huaweicloud.vbs contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""vbs_policy_resources, run in this process against a scripted VBS: what it concludes from the counts.

The scripted server answers exactly the sequences a real VBS can produce and
the emulator does not script on demand: a request applied and then answered
with a 500, so that its retry sees the result of the first attempt.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.huaweicloud.vbs.tests.support.module_runner import warning_texts
from ansible_collections.huaweicloud.vbs.tests.support.scripted_server import json_reply
from ansible_collections.huaweicloud.vbs.tests.support.scripted_vbs import (
    OTHER_ID, SERVER_ERROR, VOL1, VOL2, answer, listing, mutating, run_resources as run)


def test_a_removal_applied_before_a_500_and_retried_is_still_this_runs_own(server):
    # The first attempt removed both volumes, then failed; the retry finds them gone (no-code fail
    # items, the published answer). The count fell by 2 with no success item: the retry explains it.
    server.add(listing(5), json_reply(500, SERVER_ERROR),
               answer(fail=[{"resource_id": VOL1}, {"resource_id": VOL2}]), listing(3))
    result = run(server, state="absent")
    assert len(mutating(server)) == 2
    assert not result.get("failed"), result
    assert result["changed"] is True
    assert result["membership_verified"] is True
    assert sorted(result["not_member_resources"]) == sorted([VOL1, VOL2])
    assert warning_texts(result) == []


def test_the_same_fall_without_a_retry_is_someone_elses(server):
    server.add(listing(5), answer(fail=[{"resource_id": VOL1}, {"resource_id": VOL2}]), listing(3))
    result = run(server, state="absent")
    assert result["membership_verified"] is False
    assert result["changed"] is False  # no success item: this run cannot have removed anything
    (warning,) = warning_texts(result)
    assert "went from 5 to 3 during this run, a change of -2 that this run alone cannot have made" in warning
    assert "(it can change the count by +0 to +0: VBS reported 0 of its volumes as removed)" in warning


def test_a_throttled_request_was_not_applied_and_widens_nothing(server):
    server.add(listing(5), json_reply(429, {"error_code": "APIGW.0308"}, {"Retry-After": "0"}),
               answer(fail=[{"resource_id": VOL1}, {"resource_id": VOL2}]), listing(3))
    result = run(server, state="absent")
    assert len(mutating(server)) == 2
    assert result["membership_verified"] is False


def test_an_association_applied_before_a_500_whose_retry_fails_each_member(server):
    # A VBS that answers a member with a fail item: the retry reports both volumes as failed.
    failed = [{"resource_id": volume, "code": "AutoBackup.1400", "message": "already associated"}
              for volume in (VOL1, VOL2)]
    server.add(listing(1), json_reply(500, SERVER_ERROR), answer(fail=failed), listing(3))
    result = run(server, fail_on_resource_errors=False)
    assert result["changed"] is True
    assert result["membership_verified"] is True
    assert not [warning for warning in warning_texts(result) if "cannot have made" in warning], warning_texts(result)


def test_more_added_than_reported_is_someone_elses(server):
    success = [{"resource_id": VOL1, "resource_type": "volume"}]
    server.add(listing(1), answer(success=success, fail=[{"resource_id": VOL2, "code": "AutoBackup.0206"}]),
               listing(4))
    result = run(server, fail_on_resource_errors=False)
    assert result["membership_verified"] is False
    assert result["changed"] is True  # its own volume may have been added
    assert any("a change of +3 that this run alone cannot have made (it can change the count by +0 to +1"
               in warning for warning in warning_texts(result))


def test_success_items_for_volumes_never_requested_do_not_widen_the_bound(server):
    stranger = "ffffffff-0000-4000-8000-000000000000"
    success = [{"resource_id": VOL1}, {"resource_id": stranger}, {"resource_id": VOL1}]
    server.add(listing(1), answer(success=success, fail=[{"resource_id": VOL2, "code": "AutoBackup.0206"}]),
               listing(3))
    result = run(server, fail_on_resource_errors=False)
    assert result["membership_verified"] is False


def test_a_move_names_the_policy_that_lost_the_volume(server):
    success = [{"resource_id": VOL1}, {"resource_id": VOL2}]
    server.add(listing(1, other_count=4), answer(success=success), listing(3, other_count=2))
    result = run(server)
    assert result["changed"] is True and result["membership_verified"] is True
    assert result["moved_from"] == [{"backup_policy_id": OTHER_ID, "backup_policy_name": "weekly",
                                     "count_before": 4, "count_after": 2}]
    (warning,) = warning_texts(result)
    assert "the volume count of another policy fell: weekly (ID %s) from 4 to 2" % OTHER_ID in warning


def test_no_move_is_reported_when_nothing_was_associated(server):
    failed = [{"resource_id": volume, "code": "AutoBackup.0225"} for volume in (VOL1, VOL2)]
    server.add(listing(1, other_count=4), answer(fail=failed), listing(1, other_count=2))
    result = run(server, fail_on_resource_errors=False)
    assert result["moved_from"] == []


def test_absent_never_reports_moves(server):
    server.add(listing(3, other_count=4), answer(success=[{"resource_id": VOL1}, {"resource_id": VOL2}]),
               listing(1, other_count=2))
    result = run(server, state="absent")
    assert result["changed"] is True and result["moved_from"] == []
