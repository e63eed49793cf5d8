# -*- coding: utf-8 -*-
# Copyright: (c) 2026, huaweicloud.vbs contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""Finding a backup policy in a listing, by ID or by name."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest

from ansible_collections.huaweicloud.vbs.plugins.module_utils.vbs_errors import VBSError
from ansible_collections.huaweicloud.vbs.plugins.module_utils.vbs_policy_lookup import (
    find_policy, matching, pick_policy)

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
