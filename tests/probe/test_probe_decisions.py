# -*- coding: utf-8 -*-
# Copyright: (c) 2026, huaweicloud.vbs contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""The probe's decisions that no emulator setting reaches: answers no switch reproduces, and counts that
others changed while the volume moved."""

import os
import sys

import pytest

from support.emulator import REPO_ROOT

sys.path.insert(0, os.path.join(REPO_ROOT, "tools"))

from vbs_probe import record, undo, verdict  # noqa: E402 - tools/ is on the path just above

VOLUME = "v"
TEMPORARY = "t"


def test_the_former_policy_is_the_one_whose_count_fell_by_one():
    before = {"a": 3, "b": 1, "c": 0}
    assert undo.origin_from_counts(before, {"a": 2, "b": 1, "c": 0, TEMPORARY: 1}, TEMPORARY) == ("a", None)
    assert undo.origin_from_counts(before, {"a": 3, "b": 1, "c": 1, TEMPORARY: 1}, TEMPORARY) == (None, None)


def test_when_several_counts_fell_only_the_metadata_can_tell_and_otherwise_nothing_is_guessed():
    before = {"a": 3, "b": 1}
    now = {"a": 2, "b": 0, TEMPORARY: 1}
    assert undo.origin_from_counts(before, now, TEMPORARY, guess="b") == ("b", None)
    origin, reason = undo.origin_from_counts(before, now, TEMPORARY)
    assert origin == undo.UNKNOWN and "the volume counts of 2 policies fell by one" in reason


@pytest.mark.parametrize("answer, expected", [
    (([{"resource_id": VOLUME}], []), "success"),
    (([], [{"resource_id": VOLUME, "code": "AutoBackup.1400"}]), "fail_with_code"),
])
def test_member_association_values(answer, expected):
    assert verdict.member_association(VOLUME, answer, repeated=False).value == expected


def test_a_fail_item_without_code_is_the_reference_s_answer_for_a_non_member_only():
    answer = ([], [{"resource_id": VOLUME}])
    assert verdict.non_member_disassociation(VOLUME, answer, repeated=False).value == "fail_without_code"
    found = verdict.member_association(VOLUME, answer, repeated=False)
    assert found.value is None and "a fail item without a code; no emulator switch answers so" in found.reason


@pytest.mark.parametrize("judge", [verdict.member_association, verdict.non_member_disassociation])
@pytest.mark.parametrize("answer, repeated, reason", [
    (([], [{"resource_id": VOLUME, "code": "AutoBackup.0299"}]), False, "of code AutoBackup.0299; the emulator's"),
    (([{"resource_id": VOLUME}], []), True, "sent again after an answer VBS may have applied"),
    (([{"resource_id": VOLUME}], [{"resource_id": VOLUME, "code": "X"}]), False, "in 1 success and 1 fail items"),
    (None, False, "got no answer"),
])
def test_answers_no_switch_reproduces_are_left_unsettled_with_the_reason(judge, answer, repeated, reason):
    found = judge(VOLUME, answer, repeated)
    assert found.value is None and reason in found.reason, found.reason


@pytest.mark.parametrize("coverage, appeared, cleared, expected", [
    ([(2, 2), (1, 1)], True, True, "sync"),
    ([(2, 0), (1, 1)], True, True, "partial"),
    ([(2, 0), (1, 0)], False, None, "off"),
    ([(2, 2), (0, 0)], None, None, "sync"),  # a dry run: the project's volumes alone
    ([(2, 0), (1, 0)], None, None, "off"),
])
def test_evs_policy_metadata_values(coverage, appeared, cleared, expected):
    assert verdict.evs_policy_metadata(coverage, appeared, cleared).value == expected


@pytest.mark.parametrize("coverage, appeared, cleared, reason", [
    ([(1, 2)], True, True, "stale metadata"),
    ([(2, 2)], False, None, "raise --metadata-wait"),
    ([(2, 2)], True, False, "still named the temporary policy after it left"),
    ([(0, 0)], None, None, "no policy holds a volume"),
    (None, True, True, "EVS could not be read"),
])
def test_evs_policy_metadata_no_switch_reproduces(coverage, appeared, cleared, reason):
    found = verdict.evs_policy_metadata(coverage, appeared, cleared)
    assert found.value is None and reason in found.reason


def test_filters_that_list_some_volumes_or_are_refused_are_unsettled():
    assert verdict.evs_metadata_filter(3, 10).reason.startswith("EVS answered a metadata filter that matches no")
    assert "EVS refused the ids filter (HTTP 400 EVS.0001)" in verdict.evs_ids_filter(None, 10, "HTTP 400 EVS.0001").reason
    assert "not exactly the probed volume" in verdict.evs_ids_filter(0, 10, own=False).reason
    assert verdict.evs_ids_filter(10, 10, own=False).value == "ignored"


def test_page_size_is_the_first_page_when_a_link_follows():
    assert verdict.page_size(2, True, 5).value == 2
    assert verdict.page_size(5, False, 5).settled and verdict.page_size(5, False, 5).value is None
    assert "without a next link" in verdict.page_size(2, False, 5).reason


def test_only_a_name_with_a_real_time_is_a_probe_s():
    assert record.is_probe_name("vbs-probe-20261204T153012Z-3f9a")
    assert record.created_at("vbs-probe-20261204T153012Z-3f9a") == 1796398212
    for name in ("vbs-probe-20261399T153012Z-3f9a", "vbs-probe-20261204T153012Z", "daily", None,
                 "vbs-probe-20261204T153012Z-3F9A", "xvbs-probe-20261204T153012Z-3f9a"):
        assert not record.is_probe_name(name), name
