# -*- coding: utf-8 -*-
# Copyright: (c) 2026, huaweicloud.vbs contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""A policy as the modules return it: the documented fields only, text made safe."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest

from ansible_collections.huaweicloud.vbs.plugins.module_utils.vbs_errors import VBSError
from ansible_collections.huaweicloud.vbs.plugins.module_utils.vbs_policy import (
    find_policy, matching, pick_policy, policy_facts, policy_summary)

POLICY = {"backup_policy_id": "p1", "backup_policy_name": "daily", "policy_resource_count": 3, "time_zone": "UTC",
          "scheduled_policy": {"start_time": "02:00,14:00", "frequency": 1, "rentention_num": 7,
                               "remain_first_backup_of_curMonth": "Y", "status": "ON"}}


def test_a_documented_policy_is_returned_as_it_is():
    assert policy_facts(POLICY) == POLICY
    weekly = dict(POLICY, scheduled_policy={"start_time": "02:00", "week_frequency": ["MON", "THU"],
                                            "rentention_day": 30, "status": "OFF"})
    assert policy_facts(weekly) == weekly


def test_unknown_fields_and_wrong_types_are_left_out():
    policy = dict(POLICY, internal={"deep": [{"deeper": 1}]}, links=[{"rel": "self"}], time_zone=8,
                  scheduled_policy=dict(POLICY["scheduled_policy"], frequency="1", rentention_num=True,
                                        status={"on": True}, hidden=[1, 2],
                                        week_frequency=["MON", {"x": 1}, "TUE"] + ["SUN"] * 50))
    facts = policy_facts(policy)
    assert facts == {"backup_policy_id": "p1", "backup_policy_name": "daily", "policy_resource_count": 3,
                     "scheduled_policy": {"start_time": "02:00,14:00", "remain_first_backup_of_curMonth": "Y",
                                          "week_frequency": ["MON", "TUE"] + ["SUN"] * 5}}


def test_text_is_escaped_and_bounded():
    policy = dict(POLICY, backup_policy_name="\x1b[2Jdaily\r\n" + "n" * 5000)
    for returned in (policy_facts(policy), policy_summary(policy)):
        name = returned["backup_policy_name"]
        assert name.startswith("\\x1b[2Jdaily\\r\\nnnn") and len(name) == 2003, name[:40]


def test_a_policy_without_schedule():
    listed = {"backup_policy_id": "p1", "policy_resource_count": 0}  # the listing sets a count VBS left out
    assert policy_facts(listed) == {"backup_policy_id": "p1", "policy_resource_count": 0}
    assert policy_summary(listed) == {"backup_policy_id": "p1", "backup_policy_name": None,
                                                          "status": None, "policy_resource_count": 0}


# -- finding a policy in a listing ---------------------------------------------------------

LISTED = [{"backup_policy_id": "p1", "backup_policy_name": "daily"},
          {"backup_policy_id": "p2", "backup_policy_name": "daily"},
          {"backup_policy_id": "p3", "backup_policy_name": "weekly"}]


def test_matching_finds_by_id_else_by_name_else_every_policy():
    assert matching(LISTED, "p2", "weekly") == [LISTED[1]]
    assert matching(LISTED, policy_name="daily") == LISTED[:2]
    assert matching(LISTED) == LISTED


def test_find_policy_is_the_one_match_or_none():
    assert find_policy(LISTED, "project x", policy_id="p2") is LISTED[1]
    assert find_policy(LISTED, "project x", policy_name="weekly") is LISTED[2]
    assert find_policy(LISTED, "project x", policy_id="p9") is None
    assert find_policy(LISTED, "project x", policy_name="hourly") is None


def test_find_policy_refuses_a_name_that_several_policies_have():
    with pytest.raises(VBSError) as caught:
        find_policy(LISTED, "project x", policy_name="daily")
    assert caught.value.msg == "2 backup policies are named daily in project x: p1, p2; give backup_policy_id to choose one"


def test_pick_policy_says_why_there_is_none():
    assert pick_policy(LISTED, "project x", policy_id="p3") is LISTED[2]
    with pytest.raises(VBSError) as caught:
        pick_policy(LISTED, "project x", policy_name="hourly")
    assert caught.value.msg == "No backup policy with name hourly in project x"
