# -*- coding: utf-8 -*-
# Copyright: (c) 2026, huaweicloud.vbs contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""The pure decisions of vbs_policy_resources: volume IDs, batches, check-mode predictions, failures."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest

from ansible_collections.huaweicloud.vbs.plugins.module_utils import vbs_membership_decisions as membership

from ansible_collections.huaweicloud.vbs.plugins.module_utils.vbs_batches import batches
from ansible_collections.huaweicloud.vbs.plugins.module_utils.vbs_membership_decisions import (
    NOT_A_MEMBER_CODES, bounds_reason, delta_problem, failure_message, moved_from, moved_warning,
    normalize_volume_ids, own_change_bounds, own_successes, predict_absent, predict_present,
    split_disassociate_failures, undecidable_associate_failures, undecidable_hint, unreported_volumes)
from ansible_collections.huaweicloud.vbs.plugins.module_utils.vbs_policy_lookup import (
    listed_policy_label as policy_label)
from ansible_collections.huaweicloud.vbs.plugins.module_utils.vbs_values import shown as printable

VOL1 = "0f6f2b5c-3b8e-4a6e-9d3c-7f1e2a4b5c6d"
VOL2 = "1a2b3c4d-0000-4000-8000-00000000beef"
VOL3 = "ffffffff-ffff-ffff-ffff-ffffffffffff"


# -- normalize_volume_ids ---------------------------------------------------------------

def test_normalize_keeps_order_lowercases_and_collapses_duplicates():
    ids, problem = normalize_volume_ids([VOL2.upper(), VOL1, VOL2, VOL1.upper(), VOL3])
    assert problem is None
    assert ids == [VOL2, VOL1, VOL3]


def test_normalize_empty():
    assert normalize_volume_ids([]) == ([], None)


@pytest.mark.parametrize("bad", [
    "", " ", VOL1 + " ", " " + VOL1, VOL1 + "\n", "\t" + VOL1, VOL1[:-1], VOL1 + "0",
    VOL1.replace("-", ""), "{%s}" % VOL1, "urn:uuid:" + VOL1,
    "../" + VOL1, VOL1 + "/../x", VOL1.replace("-", "%2F", 1), VOL1 + "?x=1", VOL1 + "#x",
    "%s%%2F%s" % (VOL1[:8], VOL1[9:]), VOL1.replace("0", "\u0660"), VOL1.replace("f", "\uff46"),
    "g" + VOL1[1:], "ボリューム",
])
def test_normalize_rejects_hostile_strings(bad):
    ids, problem = normalize_volume_ids([VOL1, bad])
    assert ids is None
    assert problem.startswith("volumes must be volume IDs (UUIDs such as ")
    assert repr(bad) in problem
    assert repr(VOL1) not in problem


@pytest.mark.parametrize("bad", [None, 42, 1.5, True, [VOL1], {"id": VOL1}, VOL1.encode()])
def test_normalize_rejects_non_strings(bad):
    ids, problem = normalize_volume_ids([bad])
    assert ids is None
    assert repr(bad) in problem


def test_normalize_names_at_most_five_bad_values():
    bad = ["bad-%d" % n for n in range(8)]
    ids, problem = normalize_volume_ids(bad + [VOL1])
    assert ids is None
    for value in bad[:5]:
        assert repr(value) in problem
    assert repr(bad[5]) not in problem
    assert problem.endswith(" and 3 more")


# -- batches ---------------------------------------------------------------------------------

@pytest.mark.parametrize("items,size,expected", [
    ([], 3, []),
    ([1], 3, [[1]]),
    ([1, 2, 3], 3, [[1, 2, 3]]),
    ([1, 2, 3, 4], 3, [[1, 2, 3], [4]]),
    (list(range(7)), 2, [[0, 1], [2, 3], [4, 5], [6]]),
    ([1, 2], 1, [[1], [2]]),
])
def test_batches(items, size, expected):
    assert batches(items, size) == expected


def test_batches_cover_every_item_once_in_order():
    items = ["v%d" % n for n in range(101)]
    parts = batches(items, 40)
    assert [len(part) for part in parts] == [40, 40, 21]
    assert [item for part in parts for item in part] == items


# -- check mode predictions --------------------------------------------------------------------

@pytest.mark.parametrize("count,requested,expected", [
    (0, [], (False, True, 0)),
    (5, [], (False, True, 0)),
    (0, [VOL1, VOL2], (True, True, 2)),
    (1, [VOL1, VOL2, VOL3], (True, True, 2)),
    (2, [VOL1, VOL2, VOL3], (True, True, 1)),
    (3, [VOL1, VOL2, VOL3], (False, False, 0)),
    (50, [VOL1], (False, False, 0)),
])
def test_predict_present(count, requested, expected):
    assert predict_present(count, requested) == expected


@pytest.mark.parametrize("count,requested,expected", [
    (0, [], (False, True)),
    (3, [], (False, True)),
    (0, [VOL1], (False, True)),
    (1, [VOL1], (False, False)),
    (9, [VOL1, VOL2], (False, False)),
])
def test_predict_absent(count, requested, expected):
    assert predict_absent(count, requested) == expected


# -- failures of a disassociation -------------------------------------------------------------

NOT_MEMBER = {"resource_id": VOL1, "code": "AutoBackup.1400", "message": "invalid resource"}
BUSY = {"resource_id": VOL2, "code": "AutoBackup.0225", "message": "the policy is being executed"}
NO_CODE = {"resource_id": VOL3}


def test_not_a_member_codes():
    assert "AutoBackup.1400" in NOT_A_MEMBER_CODES
    assert "AutoBackup.0225" not in NOT_A_MEMBER_CODES


def test_empty_policy_afterwards_makes_every_failure_benign():
    real, benign = split_disassociate_failures([NOT_MEMBER, BUSY, NO_CODE], 0)
    assert real == []
    assert benign == [NOT_MEMBER, BUSY, NO_CODE]


@pytest.mark.parametrize("count_after", [1, 7, None])
def test_otherwise_the_code_decides(count_after):
    real, benign = split_disassociate_failures([BUSY, NOT_MEMBER, NO_CODE], count_after)
    assert real == [BUSY]
    assert benign == [NOT_MEMBER, NO_CODE]


@pytest.mark.parametrize("item", [
    {"resource_id": VOL3},  # the API reference's example answer
    {"resource_id": VOL3, "code": None, "message": None},
    {"resource_id": VOL3, "code": ""},
    {"resource_id": VOL3, "message": "not associated"},
])
def test_a_fail_item_without_code_means_not_a_member(item):
    assert split_disassociate_failures([item], 4) == ([], [item])


@pytest.mark.parametrize("code", ["AutoBackup.0225", "AutoBackup.0009", "AutoBackup.9999", "1400"])
def test_known_and_unknown_codes_stay_failures(code):
    item = {"resource_id": VOL3, "code": code, "message": "x"}
    assert split_disassociate_failures([item], 4) == ([item], [])


def test_no_failures():
    assert split_disassociate_failures([], 3) == ([], [])


def test_failure_message_names_every_volume_with_code_and_message():
    text = failure_message("associated with", "daily (ID p-1)", [BUSY, NO_CODE,
                                                                 {"resource_id": VOL1, "code": "AutoBackup.0206"}], 5)
    assert text.startswith("3 of 5 volumes could not be associated with policy daily (ID p-1): ")
    assert "%s (AutoBackup.0225: the policy is being executed)" % VOL2 in text
    assert "%s (no code: no message)" % VOL3 in text
    assert "%s (AutoBackup.0206: no message)" % VOL1 in text
    assert text.index(VOL2) < text.index(VOL3) < text.index(VOL1)


def test_failure_message_single():
    assert failure_message("removed from", "p", [BUSY], 1) == (
        "1 of 1 volumes could not be removed from policy p: %s (AutoBackup.0225: the policy is being executed)" % VOL2)


def test_unreported_volumes_are_those_named_in_neither_list():
    assert unreported_volumes([VOL1, VOL2, VOL3], [{"resource_id": VOL1}], [{"resource_id": VOL3}]) == [VOL2]
    assert unreported_volumes([VOL1], [], []) == [VOL1]
    assert unreported_volumes([VOL1], [{"resource_id": VOL1}], []) == []


def test_failure_message_counts_unreported_volumes():
    text = failure_message("associated with", "p", [BUSY], 3, [VOL1])
    assert text.startswith("2 of 3 volumes could not be associated with policy p: ")
    assert "%s (VBS answered without reporting on this volume)" % VOL1 in text


# -- failures of an association that the module cannot classify --------------------------------

def test_definite_association_failures_are_not_undecidable():
    definite = [{"resource_id": VOL1, "code": code} for code in ("AutoBackup.0204", "AutoBackup.0206", "AutoBackup.0225")]
    assert undecidable_associate_failures(definite) == []


def test_only_undefined_codes_and_no_code_are_undecidable():
    # AutoBackup.1400 is the reference's "the resource is invalid" (no such volume): never "maybe a member".
    items = [{"resource_id": VOL1, "code": "AutoBackup.1400"}, {"resource_id": VOL2},
             {"resource_id": VOL3, "code": "AutoBackup.7777"}, {"resource_id": VOL3, "code": "AutoBackup.0206"}]
    assert undecidable_associate_failures(items) == items[1:3]


def test_undecidable_hint_says_what_vbs_answered_and_why_the_module_cannot_tell():
    hint = undecidable_hint(3, 3, [{"resource_id": VOL1, "code": "AutoBackup.7777"}, {"resource_id": VOL2}])
    assert "VBS answered AutoBackup.7777, no code for 2 of these volumes, which the API reference does not define" in hint
    assert "the policy's members are not known here" in hint
    assert "went from 3 to 3" in hint
    assert "fail_on_resource_errors: false" in hint


# -- bounds of a run's own change ------------------------------------------------------------

@pytest.mark.parametrize("present,successes,requested,repeated,expected", [
    (True, 0, 5, False, (0, 0)),
    (True, 3, 5, False, (0, 3)),
    (True, 3, 5, True, (0, 5)),
    (False, 2, 4, False, (-2, 0)),
    (False, 2, 4, True, (-4, 0)),
    (False, 0, 4, False, (0, 0)),
])
def test_own_change_bounds(present, successes, requested, repeated, expected):
    assert own_change_bounds(present, successes, requested, repeated) == expected


def test_own_successes_counts_distinct_requested_volumes_only():
    items = [{"resource_id": VOL1}, {"resource_id": VOL1}, {"resource_id": VOL3}, {"resource_id": None}]
    assert own_successes(items, [VOL1, VOL2]) == 1
    assert own_successes([], [VOL1]) == 0


@pytest.mark.parametrize("before,after,bounds", [
    (4, 4, (0, 0)), (4, 6, (0, 2)), (4, 5, (0, 2)), (4, 4, (0, 2)),
    (6, 4, (-2, 0)), (6, 6, (-2, 0)),
])
def test_a_change_within_the_bounds_is_no_problem(before, after, bounds):
    assert delta_problem("p (ID 1)", before, after, bounds, "why") is None


@pytest.mark.parametrize("before,after,bounds,shown", [
    (4, 5, (0, 0), "+1"), (4, 7, (0, 2), "+3"), (4, 3, (0, 2), "-1"),
    (6, 3, (-2, 0), "-3"), (6, 7, (-2, 0), "+1"),
])
def test_a_change_outside_the_bounds_is_reported_with_the_counts(before, after, bounds, shown):
    text = delta_problem("daily (ID p-1)", before, after, bounds, "VBS reported 2 of its volumes as associated")
    assert text.startswith("The volume count of policy daily (ID p-1) went from %d to %d during this run, "
                           "a change of %s that this run alone cannot have made" % (before, after, shown))
    assert "(it can change the count by %+d to %+d: VBS reported 2 of its volumes as associated)" % bounds in text
    assert text.endswith("membership_verified: false)")


def test_bounds_reason():
    assert bounds_reason(True, 2, False) == "VBS reported 2 of its volumes as associated"
    assert bounds_reason(False, 1, False) == "VBS reported 1 of its volumes as removed"
    assert "sent again" in bounds_reason(True, 2, True)


# -- moves -----------------------------------------------------------------------------------

def _listed(policy_id, count, name=None):
    return {"backup_policy_id": policy_id, "backup_policy_name": name or policy_id, "policy_resource_count": count}


def test_moved_from_names_each_other_policy_whose_count_fell():
    before = [_listed("a", 1), _listed("b", 5), _listed("c", 2), _listed("d", 3), _listed("gone", 4)]
    after = [_listed("a", 4), _listed("b", 3), _listed("c", 2), _listed("d", 4), _listed("new", 0)]
    assert moved_from(before, after, "a") == [
        {"backup_policy_id": "b", "backup_policy_name": "b", "count_before": 5, "count_after": 3}]


def test_moved_from_never_names_the_policy_itself():
    assert moved_from([_listed("a", 5)], [_listed("a", 1)], "a") == []


def test_moved_warning_names_every_policy_once():
    moved = [{"backup_policy_id": "b", "backup_policy_name": "weekly", "count_before": 5, "count_after": 3},
             {"backup_policy_id": "c", "backup_policy_name": "monthly", "count_before": 1, "count_after": 0}]
    text = moved_warning("daily (ID a)", moved)
    assert "associated volumes with policy daily (ID a)" in text
    assert "2 other policies fell: weekly (ID b) from 5 to 3; monthly (ID c) from 1 to 0" in text
    assert text.count("weekly") == 1


def test_names_from_vbs_are_escaped_and_bounded_in_messages():
    hostile = {"backup_policy_id": "x\x1b[2J", "backup_policy_name": "evil\n\x1b]0;owned\x07" + "n" * 500}
    label = policy_label(hostile)
    assert "\n" not in label and "\x1b" not in label and "\x07" not in label
    assert len(label) < 250
    assert printable(None) == "None"
    assert printable("daily") == "daily"


# -- items for volumes that were not requested ----------------------------------------

def test_items_for_volumes_outside_the_batch_are_set_apart():
    batch = ["v1", "v2"]
    items = [{"resource_id": "v1"}, {"resource_id": "v9", "code": "X"}, {"resource_id": "v2"},
             {"resource_id": "V1"}]
    requested, unrequested = membership.split_unrequested(batch, items)
    assert requested == [{"resource_id": "v1"}, {"resource_id": "v2"}]
    assert unrequested == [{"resource_id": "v9", "code": "X"}, {"resource_id": "V1"}]
    assert membership.split_unrequested(batch, []) == ([], [])


def test_unrequested_entries_say_which_list_they_came_from():
    entries = membership.unrequested_entries([{"resource_id": "a"}], [{"resource_id": "b", "code": "c"}])
    assert entries == [{"resource_id": "a", "outcome": "success"},
                       {"resource_id": "b", "code": "c", "outcome": "fail"}]


def test_the_unrequested_warning_names_at_most_five():
    entries = [{"resource_id": "v%d" % number} for number in range(7)]
    assert membership.unrequested_warning(entries[:1]) == (
        "VBS reported on 1 volume(s) that were not requested: v0; they are not counted as this run's work "
        "(see unrequested_resources)")
    assert "v0, v1, v2, v3, v4 and 2 more;" in membership.unrequested_warning(entries)
