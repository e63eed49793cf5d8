# -*- coding: utf-8 -*-
# Copyright: (c) 2026, huaweicloud.vbs contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""A policy as the modules return it: the documented fields only, text made safe."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.huaweicloud.vbs.plugins.module_utils.vbs_policy import policy_facts, policy_summary

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


def test_a_policy_without_schedule_or_count():
    assert policy_facts({"backup_policy_id": "p1"}) == {"backup_policy_id": "p1", "policy_resource_count": 0}
    assert policy_summary({"backup_policy_id": "p1"}) == {"backup_policy_id": "p1", "backup_policy_name": None,
                                                          "status": None, "policy_resource_count": 0}
