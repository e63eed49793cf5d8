# -*- coding: utf-8 -*-
# Copyright: (c) 2026, huaweicloud.vbs contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""vbs_policy_spec: the backup policy module's options, VBS's fields, and how they compare."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest

from ansible_collections.huaweicloud.vbs.plugins.module_utils import vbs_policy_spec as spec
from ansible_collections.huaweicloud.vbs.plugins.module_utils.vbs_errors import VBSError

LISTED = {
    "backup_policy_id": "0ea1f4b3-7c2d-4f5e-9a6b-1c2d3e4f5a6b",
    "backup_policy_name": "daily-db",
    "scheduled_policy": {"start_time": "14:00,02:00", "frequency": 1, "rentention_num": 7,
                         "remain_first_backup_of_curMonth": "Y", "status": "ON"},
    "policy_resource_count": 3,
    "time_zone": "UTC+08:00",
}


def desired(**params):
    result, problem = spec.desired_from_params(params)
    assert problem is None, problem
    return result


def problem_of(**params):
    result, problem = spec.desired_from_params(params)
    assert result is None
    return problem


def current(schedule=None, tags=None, **item):
    listed = dict(LISTED, **item)
    if schedule is not None:
        listed["scheduled_policy"] = schedule
    return spec.current_from_vbs(listed, dict(tags or {}))


# -- options ------------------------------------------------------------------------

def test_options_left_out_are_not_managed():
    assert desired(start_time=None, frequency=None, tags=None, enabled=False) == {"enabled": False}


def test_start_times_are_normalized_to_full_hours():
    assert desired(start_time=["2:00", " 14:00 "])["start_time"] == ["02:00", "14:00"]


@pytest.mark.parametrize("value, expected", [
    (["25:00"], "got '25:00'"),
    (["12:30"], "got '12:30'"),
    (["noon"], "got 'noon'"),
    (["02:00", "2:00"], "lists 02:00 twice"),
    ([], "at least one"),
])
def test_bad_start_times_are_refused(value, expected):
    assert expected in problem_of(start_time=value)


def test_a_start_time_that_yaml_read_as_minutes_gets_a_quoting_hint():
    problem = problem_of(start_time=["720"])
    assert "unquoted 12:00" in problem and "'12:00'" in problem
    assert "got '1234'" in problem_of(start_time=["1234"])  # no hour: no guess


def test_weekdays_are_upper_case_in_week_order_without_repeats():
    assert desired(week_frequency=["fri", "MON", "Fri"])["week_frequency"] == ["MON", "FRI"]
    assert "got 'MONDAY'" in problem_of(week_frequency=["MONDAY"])
    assert "at least one" in problem_of(week_frequency=[])


@pytest.mark.parametrize("option, good, bad", [
    ("frequency", (1, 30), (0, 31)),
    ("retention_num", (2, 99), (1, 100)),
    ("retention_day", (2, 99999), (1, 100000)),
])
def test_numbers_must_be_in_the_widest_published_range(option, good, bad):
    for value in good:
        assert desired(**{option: value}) == {option: value}
    for value in bad:
        assert "from %d to %d, got %d" % (good[0], good[1], value) in problem_of(**{option: value})


def test_tags_become_strings_and_are_checked():
    assert desired(tags={"team": "dba", "tier": 1, "empty": None})["tags"] == {"team": "dba", "tier": "1", "empty": ""}
    assert "must be a string" in problem_of(tags={"team": ["a"]})
    assert "must be 1 to 36" in problem_of(tags={"k" * 37: "v"})
    assert "must be 0 to 43" in problem_of(tags={"k": "v" * 44})
    assert "control characters" in problem_of(tags={"k": "a/b"})
    assert "control characters" in problem_of(tags={"line\nbreak": "v"})
    assert "at most 10 tags, got 11" in problem_of(tags=dict(("k%d" % number, "v") for number in range(11)))


def test_name_rules_and_the_reserved_prefix_for_new_names():
    assert spec.name_problem("daily-db_2") is None
    assert "1 to 64" in spec.name_problem("has space")
    assert "1 to 64" in spec.name_problem("x" * 65)
    assert spec.name_problem("default-policy") is None  # an existing policy may be found by it
    assert "must not start with 'default'" in spec.name_problem("Default-policy", new=True)


def test_creation_needs_start_time_interval_and_retention():
    assert spec.creation_problem(desired(start_time=["02:00"], week_frequency=["MON"], retention_day=7)) is None
    assert spec.creation_problem({}) == ("a new backup policy needs start_time, frequency or week_frequency, "
                                         "retention_num or retention_day")
    assert spec.creation_problem(desired(start_time=["02:00"], frequency=1)) == (
        "a new backup policy needs retention_num or retention_day")


# -- what VBS lists --------------------------------------------------------------------

def test_a_listed_policy_in_the_module_terms():
    policy = current(tags={"team": "dba"})
    assert policy == {
        "backup_policy_id": LISTED["backup_policy_id"], "name": "daily-db", "start_time": ["14:00", "02:00"],
        "frequency": 1, "week_frequency": None, "retention_num": 7, "retention_day": None,
        "keep_first_backup_of_month": True, "enabled": True, "tags": {"team": "dba"},
        "policy_resource_count": 3, "time_zone": "UTC+08:00"}


def test_of_a_listed_pair_the_documented_one_prevails():
    policy = current({"start_time": "02:00", "frequency": 2, "week_frequency": ["sun"], "rentention_num": 3,
                      "rentention_day": 30, "status": "OFF"})
    assert (policy["frequency"], policy["week_frequency"]) == (2, None)
    assert (policy["retention_num"], policy["retention_day"]) == (3, None)
    assert policy["enabled"] is False
    assert policy["keep_first_backup_of_month"] is False  # left out: VBS keeps none


@pytest.mark.parametrize("schedule, what", [
    ("daily", "scheduled_policy is not an object"),
    ({"start_time": 2, "frequency": 1, "status": "ON"}, "start_time is not a string"),
    ({"start_time": "02:00", "frequency": "1", "status": "ON"}, "frequency is not a whole number"),
    ({"start_time": "02:00", "frequency": True, "status": "ON"}, "frequency is not a whole number"),
    ({"start_time": "02:00", "week_frequency": "MON", "status": "ON"}, "week_frequency is not a list of days"),
    ({"start_time": "02:00", "frequency": 1, "status": "on"}, "status is neither ON nor OFF"),
])
def test_a_policy_vbs_describes_strangely_is_an_error(schedule, what):
    with pytest.raises(VBSError) as caught:
        current(schedule)
    assert "unexpected body (%s)" % what in caught.value.msg
    assert LISTED["backup_policy_id"] in caught.value.msg


# -- the policy every module returns (lenient: what cannot be read is None) ------------------

def returned(**item):
    return spec.current_from_vbs(dict(LISTED, **item), strict=False)


def test_the_returned_policy_has_every_field_and_tags_only_when_read():
    policy = returned()
    assert set(policy) == set(spec.RETURNED_FIELDS)
    assert policy == dict(current(), tags=None)


def test_unknown_fields_are_left_out_and_unreadable_ones_are_none():
    policy = returned(internal={"deep": [{"deeper": 1}]}, links=[{"rel": "self"}], time_zone=8,
                      scheduled_policy=dict(LISTED["scheduled_policy"], frequency="1", rentention_num=True,
                                            status={"on": True}, hidden=[1, 2]))
    assert set(policy) == set(spec.RETURNED_FIELDS)
    assert (policy["frequency"], policy["retention_num"], policy["enabled"], policy["time_zone"]) == (None,) * 4
    assert policy["start_time"] == ["14:00", "02:00"] and policy["keep_first_backup_of_month"] is True


def test_weekdays_vbs_does_not_know_are_escaped_and_bounded():
    odd = returned(scheduled_policy={"start_time": "02:00", "week_frequency": ["tue", "MON", "\x1bx"], "status": "ON"})
    assert odd["week_frequency"] == ["MON", "TUE", "\\x1bX"]
    many = returned(scheduled_policy={"start_time": "02:00", "week_frequency": ["day%d" % number for number in range(50)],
                                      "status": "ON"})
    assert len(many["week_frequency"]) == 7


def test_text_is_escaped_and_bounded():
    for strict in (True, False):
        policy = spec.current_from_vbs(dict(LISTED, backup_policy_name="\x1b[2Jdaily\r\n" + "n" * 5000), {}, strict)
        assert policy["name"].startswith("\\x1b[2Jdaily\\r\\nnnn") and len(policy["name"]) == 2003


def test_a_policy_without_schedule_has_none_of_its_fields():
    policy = returned(scheduled_policy=None, backup_policy_name=None)
    assert policy == dict((field, None) for field in spec.RETURNED_FIELDS) | {
        "backup_policy_id": LISTED["backup_policy_id"], "policy_resource_count": 3, "time_zone": "UTC+08:00"}


# -- comparing --------------------------------------------------------------------------

def test_only_given_options_that_differ_are_changes():
    policy = current()
    assert spec.changed_fields(policy, desired(start_time=["02:00", "14:00"], frequency=1, retention_num=7)) == []
    assert spec.changed_fields(policy, desired(start_time=["02:00"], enabled=False)) == ["start_time", "enabled"]
    assert spec.changed_fields(policy, desired(week_frequency=["SUN"], retention_day=7)) == [
        "week_frequency", "retention_day"]
    assert spec.changed_fields(policy, {}, new_name="daily-database") == ["name"]
    assert spec.changed_fields(policy, {}, new_name="daily-db") == []


def test_tag_changes_with_and_without_purge():
    have = {"team": "dba", "env": "test", "old": "x"}
    want = {"team": "dba", "env": "prod", "new": "y"}
    assert spec.tag_changes(have, want, True) == (
        {"env": "test", "old": "x"}, {"env": "prod", "new": "y"}, {"team": "dba", "env": "prod", "new": "y"})
    assert spec.tag_changes(have, want, False) == (
        {"env": "test"}, {"env": "prod", "new": "y"}, {"team": "dba", "env": "prod", "old": "x", "new": "y"})
    assert spec.tag_changes(have, dict(have), True) == ({}, {}, have)


def test_predicted_switches_the_pair_and_renames():
    policy = current()
    after = spec.predicted(policy, desired(week_frequency=["SUN"]), ["week_frequency", "name"], {"a": "b"}, "weekly")
    assert (after["name"], after["frequency"], after["week_frequency"]) == ("weekly", None, ["SUN"])
    assert after["tags"] == {"a": "b"}
    assert policy["frequency"] == 1  # the current policy is not changed


def test_mismatches_name_only_the_checked_fields_that_differ():
    policy = current()
    expected = dict(policy, frequency=None, week_frequency=["SUN"], enabled=False)
    assert spec.mismatches(policy, expected, {"frequency", "week_frequency"}) == ["frequency", "week_frequency"]
    assert spec.mismatches(policy, expected, {"start_time"}) == []
    assert spec.mismatches(policy, dict(policy, start_time=["02:00", "14:00"]), spec.MANAGED_FIELDS) == []


def test_diff_view_holds_every_managed_field():
    assert set(spec.diff_view(current())) == set(spec.MANAGED_FIELDS)
    assert spec.diff_view(None) == {}


# -- request bodies ------------------------------------------------------------------------

def test_a_modify_always_carries_the_interval():
    policy = current()
    assert spec.schedule_body(policy, desired(enabled=False), ["enabled"]) == {"status": "OFF", "frequency": 1}
    weekly = current({"start_time": "02:00", "week_frequency": ["MON"], "rentention_day": 9, "status": "ON"})
    assert spec.schedule_body(weekly, desired(retention_num=5), ["retention_num"]) == {
        "rentention_num": 5, "week_frequency": ["MON"]}
    assert spec.schedule_body(policy, desired(week_frequency=["SUN"], start_time=["03:00", "01:00"]),
                              ["start_time", "week_frequency"]) == {"start_time": "03:00,01:00",
                                                                    "week_frequency": ["SUN"]}


def test_a_create_body_in_vbs_terms_with_the_defaults():
    body = spec.create_body("daily-db", desired(start_time=["02:00"], frequency=1, retention_num=7,
                                                tags={"team": "dba"}))
    assert body == {"backup_policy_name": "daily-db",
                    "scheduled_policy": {"start_time": "02:00", "frequency": 1, "rentention_num": 7,
                                         "remain_first_backup_of_curMonth": "N", "status": "ON"},
                    "tags": [{"key": "team", "value": "dba"}]}
    body = spec.create_body("weekly", desired(start_time=["02:00"], week_frequency=["MON"], retention_day=30,
                                              keep_first_backup_of_month=True, enabled=False))
    assert body["scheduled_policy"] == {"start_time": "02:00", "week_frequency": ["MON"], "rentention_day": 30,
                                        "remain_first_backup_of_curMonth": "Y", "status": "OFF"}
    assert "tags" not in body


def test_new_policy_is_what_a_create_makes():
    policy = spec.new_policy("daily-db", desired(start_time=["02:00"], frequency=1, retention_num=7))
    assert policy["backup_policy_id"] is None and policy["tags"] == {}
    assert (policy["enabled"], policy["keep_first_backup_of_month"], policy["week_frequency"]) == (True, False, None)
