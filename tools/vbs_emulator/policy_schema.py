# -*- coding: utf-8 -*-
# Copyright: (c) 2026, huaweicloud.vbs contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""The shape of a backup policy: name, scheduled_policy, tags.

Used for create and modify bodies and for policies in a seed document, so
that every policy the emulator lists is one VBS could have.
"""

import re

NAME_PATTERN = re.compile(r"^[A-Za-z0-9_-]{1,64}$")
START_TIME_PATTERN = re.compile(r"^([01][0-9]|2[0-3]):00$")
WEEKDAYS = ("SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT")
MAX_TAGS = 10
MAX_TAG_KEY = 36
MAX_TAG_VALUE = 43
MAX_RETENTION = 99999

# What a seed policy gets for the schedule keys it leaves out.
DEFAULT_SCHEDULE = {
    "start_time": "02:00",
    "frequency": 1,
    "rentention_num": 7,
    "remain_first_backup_of_curMonth": "N",
    "status": "ON",
}

# Keys that exclude each other: setting one in a modify drops the other.
_EXCLUSIVE = {
    "frequency": "week_frequency",
    "week_frequency": "frequency",
    "rentention_num": "rentention_day",
    "rentention_day": "rentention_num",
}


class SchemaError(ValueError):
    pass


def check_name(name):
    if not isinstance(name, str) or not NAME_PATTERN.match(name):
        raise SchemaError("backup_policy_name must be 1 to 64 letters, digits, '_' or '-', not %r" % (name,))
    if name.lower().startswith("default"):
        raise SchemaError("backup_policy_name must not start with 'default'")
    return name


def _whole(name, value, minimum, maximum):
    if isinstance(value, bool) or not isinstance(value, int) or not minimum <= value <= maximum:
        raise SchemaError("%s must be a whole number from %d to %d, not %r" % (name, minimum, maximum, value))
    return value


def merge_schedule(current, change):
    """current with the keys of change applied; a key drops the one it excludes."""
    if not isinstance(change, dict):
        raise SchemaError("scheduled_policy must be an object")
    merged = dict(current)
    for key, value in change.items():
        other = _EXCLUSIVE.get(key)
        if other and other not in change:
            merged.pop(other, None)
        merged[key] = value
    return merged


def check_schedule(schedule):
    """The schedule in its canonical key order, or SchemaError saying what is wrong."""
    if not isinstance(schedule, dict):
        raise SchemaError("scheduled_policy must be an object")
    known = set(DEFAULT_SCHEDULE) | set(_EXCLUSIVE)
    unknown = sorted(set(schedule) - known)
    if unknown:
        raise SchemaError("scheduled_policy has unknown key(s): %s" % ", ".join(unknown))
    checked = {}

    start_time = schedule.get("start_time")
    if not isinstance(start_time, str) or not all(START_TIME_PATTERN.match(part) for part in start_time.split(",")):
        raise SchemaError("start_time must be one or more full hours 'HH:00' separated by commas, not %r" % (start_time,))
    checked["start_time"] = start_time

    if ("frequency" in schedule) == ("week_frequency" in schedule):
        raise SchemaError("scheduled_policy needs exactly one of frequency and week_frequency")
    if "frequency" in schedule:
        checked["frequency"] = _whole("frequency", schedule["frequency"], 1, 14)
    else:
        days = schedule["week_frequency"]
        if (not isinstance(days, list) or not days or len(set(days)) != len(days)
                or not all(day in WEEKDAYS for day in days)):
            raise SchemaError("week_frequency must be a non-empty list of distinct days from %s, not %r"
                              % (", ".join(WEEKDAYS), days))
        checked["week_frequency"] = list(days)

    if ("rentention_num" in schedule) == ("rentention_day" in schedule):
        raise SchemaError("scheduled_policy needs exactly one of rentention_num and rentention_day")
    if "rentention_num" in schedule:
        checked["rentention_num"] = _whole("rentention_num", schedule["rentention_num"], 2, MAX_RETENTION)
    else:
        checked["rentention_day"] = _whole("rentention_day", schedule["rentention_day"], 2, MAX_RETENTION)

    remain = schedule.get("remain_first_backup_of_curMonth")
    if remain not in ("Y", "N"):
        raise SchemaError("remain_first_backup_of_curMonth must be 'Y' or 'N', not %r" % (remain,))
    checked["remain_first_backup_of_curMonth"] = remain

    status = schedule.get("status")
    if status not in ("ON", "OFF"):
        raise SchemaError("status must be 'ON' or 'OFF', not %r" % (status,))
    checked["status"] = status
    return checked


def check_tag(tag):
    """(key, value) of one {"key": ..., "value": ...} tag."""
    if not isinstance(tag, dict):
        raise SchemaError("a tag must be an object with key and value")
    key = tag.get("key")
    value = tag.get("value", "")
    if not isinstance(key, str) or not 1 <= len(key) <= MAX_TAG_KEY:
        raise SchemaError("a tag key must be 1 to %d characters, not %r" % (MAX_TAG_KEY, key))
    if not isinstance(value, str) or len(value) > MAX_TAG_VALUE:
        raise SchemaError("a tag value must be 0 to %d characters, not %r" % (MAX_TAG_VALUE, value))
    return key, value


def check_tags(tags):
    """The tags as a dict key -> value, in their order; a repeated key keeps its last value."""
    if not isinstance(tags, list):
        raise SchemaError("tags must be a list")
    result = {}
    for tag in tags:
        key, value = check_tag(tag)
        result[key] = value
    if len(result) > MAX_TAGS:
        raise SchemaError("a backup policy has at most %d tags" % MAX_TAGS)
    return result
