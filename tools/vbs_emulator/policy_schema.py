# -*- coding: utf-8 -*-
# Copyright: (c) 2026, huaweicloud.vbs contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""The shape of a backup policy: name, scheduled_policy, time_zone, tags.

Used for create and modify bodies and for policies in a seed document, so
that every policy the emulator lists is one VBS could have. The rules and the
error codes are those of the VBS API reference ("Creating a Backup Policy",
"Modifying a Backup Policy", the tag calls and the error-code appendix);
docs/backup_policy.md lists which version of the reference says what.
"""

import re

NAME_PATTERN = re.compile(r"^[A-Za-z0-9_-]+\Z")
MAX_NAME = 64
START_TIME_PATTERN = re.compile(r"^([01][0-9]|2[0-3]):00\Z")
TIME_ZONE_PATTERN = re.compile(r"^UTC[+-]([01][0-9]|2[0-3]):[0-5][0-9]\Z")
WEEKDAYS = ("SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT")
MAX_TAGS = 10
MAX_TAG_KEY = 36
MAX_TAG_VALUE = 43
# A delete action names tags by key (and optionally value), with looser lengths.
MAX_DELETE_TAG_KEY = 127
MAX_DELETE_TAG_VALUE = 255
TAG_PATTERN = re.compile(r"^[A-Za-z0-9_-]*\Z")
MIN_RETENTION = 2
MAX_RETENTION_DAY = 99999

# The widest ranges any version of the reference publishes: what a seed may hold.
WIDEST_LIMITS = {"max_frequency": 30, "max_retention_num": 99}

# Documented error codes (appendix "Error Codes", module "Backup Policy").
OBJECT_EMPTY = "AutoBackup.0001"
NAME_LENGTH = "AutoBackup.0101"
NAME_INVALID = "AutoBackup.0102"
START_TIME_INVALID = "AutoBackup.0103"
STATUS_INVALID = "AutoBackup.0104"
REMAIN_FIRST_INVALID = "AutoBackup.0105"
INTERVAL_INVALID = "AutoBackup.0106"
RETENTION_INVALID = "AutoBackup.0107"
TAG_INVALID = "AutoBackup.0214"
TAG_LIMIT = "AutoBackup.0215"

# What a seed policy gets for the schedule keys it leaves out.
DEFAULT_SCHEDULE = {
    "start_time": "02:00",
    "frequency": 1,
    "rentention_num": 7,
    "remain_first_backup_of_curMonth": "N",
    "status": "ON",
}

# Pairs of keys of which one is used: "If you set both, this parameter (the first) is used."
PREVAILS_OVER = {"frequency": "week_frequency", "rentention_num": "rentention_day"}
_PARTNER = dict(list(PREVAILS_OVER.items()) + [(other, key) for key, other in PREVAILS_OVER.items()])
KNOWN_KEYS = frozenset(DEFAULT_SCHEDULE) | frozenset(_PARTNER)


class SchemaError(ValueError):

    def __init__(self, code, message):
        super().__init__(message)
        self.code = code


def check_name(name):
    if not isinstance(name, str) or not name:
        raise SchemaError(NAME_LENGTH, "backup_policy_name must be 1 to %d characters, not %r" % (MAX_NAME, name))
    if len(name) > MAX_NAME:
        raise SchemaError(NAME_LENGTH, "backup_policy_name must be at most %d characters" % MAX_NAME)
    if not NAME_PATTERN.match(name):
        raise SchemaError(NAME_INVALID, "backup_policy_name may hold only letters, digits, '_' and '-', not %r" % name)
    if name.lower().startswith("default"):
        raise SchemaError(NAME_INVALID, "backup_policy_name must not start with 'default'")
    return name


def check_time_zone(value):
    if not isinstance(value, str) or not TIME_ZONE_PATTERN.match(value):
        raise SchemaError(OBJECT_EMPTY, "time_zone must look like UTC+08:00 or UTC-02:00, not %r" % (value,))
    return value


def _whole(code, name, value, minimum, maximum):
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not minimum <= int(value) <= maximum:
        raise SchemaError(code, "%s must be a whole number from %d to %d, not %r" % (name, minimum, maximum, value))
    return int(value)  # the reference: a floating point number is rounded down


def merge_schedule(current, change, replace_partner=True):
    """current with the keys of change applied.

    With replace_partner, a key drops its partner (frequency drops
    week_frequency, rentention_num drops rentention_day, and the other way
    round) unless the change sets both.
    """
    if not isinstance(change, dict):
        raise SchemaError(OBJECT_EMPTY, "scheduled_policy must be an object")
    merged = dict(current)
    for key, value in change.items():
        partner = _PARTNER.get(key)
        if replace_partner and partner and partner not in change:
            merged.pop(partner, None)
        merged[key] = value
    return merged


def check_schedule(schedule, limits=None):
    """The schedule with its values checked, in canonical key order, or SchemaError.

    limits: {"max_frequency": n, "max_retention_num": n}; the widest published
    ranges when None. Both keys of a pair may be present ("this parameter is used").
    """
    limits = limits or WIDEST_LIMITS
    if not isinstance(schedule, dict) or not schedule:
        raise SchemaError(OBJECT_EMPTY, "scheduled_policy must be a non-empty object")
    unknown = sorted(set(schedule) - KNOWN_KEYS)
    if unknown:
        raise SchemaError(OBJECT_EMPTY, "scheduled_policy has unknown key(s): %s" % ", ".join(unknown))
    checked = {}

    start_time = schedule.get("start_time")
    parts = start_time.split(",") if isinstance(start_time, str) else []
    if not parts or not all(START_TIME_PATTERN.match(part) for part in parts) or len(set(parts)) != len(parts):
        raise SchemaError(START_TIME_INVALID, "start_time must be one or more distinct full hours 'HH:00' separated "
                                              "by commas, not %r" % (start_time,))
    checked["start_time"] = start_time

    if "frequency" not in schedule and "week_frequency" not in schedule:
        raise SchemaError(INTERVAL_INVALID, "scheduled_policy needs frequency or week_frequency")
    if "frequency" in schedule:
        checked["frequency"] = _whole(INTERVAL_INVALID, "frequency", schedule["frequency"], 1, limits["max_frequency"])
    if "week_frequency" in schedule:
        days = schedule["week_frequency"]
        if (not isinstance(days, list) or not days or len(set(days)) != len(days)
                or not all(day in WEEKDAYS for day in days)):
            raise SchemaError(INTERVAL_INVALID, "week_frequency must be a non-empty list of distinct days from %s, "
                                                "not %r" % (", ".join(WEEKDAYS), days))
        checked["week_frequency"] = list(days)

    if "rentention_num" not in schedule and "rentention_day" not in schedule:
        raise SchemaError(RETENTION_INVALID, "scheduled_policy needs rentention_num or rentention_day")
    if "rentention_num" in schedule:
        checked["rentention_num"] = _whole(RETENTION_INVALID, "rentention_num", schedule["rentention_num"],
                                           MIN_RETENTION, limits["max_retention_num"])
    if "rentention_day" in schedule:
        checked["rentention_day"] = _whole(RETENTION_INVALID, "rentention_day", schedule["rentention_day"],
                                           MIN_RETENTION, MAX_RETENTION_DAY)

    remain = schedule.get("remain_first_backup_of_curMonth", "N")
    if remain not in ("Y", "N"):
        raise SchemaError(REMAIN_FIRST_INVALID, "remain_first_backup_of_curMonth must be 'Y' or 'N', not %r" % (remain,))
    checked["remain_first_backup_of_curMonth"] = remain

    status = schedule.get("status")
    if status not in ("ON", "OFF"):
        raise SchemaError(STATUS_INVALID, "status must be 'ON' or 'OFF', not %r" % (status,))
    checked["status"] = status
    return checked


def effective(schedule):
    """The schedule as VBS keeps it: of a pair of keys, only the one that prevails."""
    result = dict(schedule)
    for key, other in PREVAILS_OVER.items():
        if key in result:
            result.pop(other, None)
    return result


def check_tag(tag, deleting=False):
    """(key, value) of one {"key": ..., "value": ...} tag.

    For create and update: key 1 to 36 and value 0 to 43 letters, digits, '_'
    or '-'. A delete names tags by key: key 1 to 127 and value 0 to 255
    characters, without characters below 32.
    """
    if not isinstance(tag, dict):
        raise SchemaError(TAG_INVALID, "a tag must be an object with key and value")
    key = tag.get("key")
    value = tag.get("value", "")
    max_key, max_value = (MAX_DELETE_TAG_KEY, MAX_DELETE_TAG_VALUE) if deleting else (MAX_TAG_KEY, MAX_TAG_VALUE)
    if not isinstance(key, str) or not 1 <= len(key) <= max_key:
        raise SchemaError(TAG_INVALID, "a tag key must be 1 to %d characters, not %r" % (max_key, key))
    if not isinstance(value, str) or len(value) > max_value:
        raise SchemaError(TAG_INVALID, "a tag value must be 0 to %d characters, not %r" % (max_value, value))
    if deleting:
        if not key.isprintable():
            raise SchemaError(TAG_INVALID, "a tag key must not hold control characters")
    elif not TAG_PATTERN.match(key) or not TAG_PATTERN.match(value):
        raise SchemaError(TAG_INVALID, "tag keys and values may hold only letters, digits, '_' and '-', not %r=%r"
                                       % (key, value))
    return key, value


def check_tags(tags, deleting=False):
    """The tags as a dict key -> value, in their order; a repeated key keeps its last value."""
    if not isinstance(tags, list):
        raise SchemaError(TAG_INVALID, "tags must be a list")
    result = {}
    for tag in tags:
        key, value = check_tag(tag, deleting)
        result[key] = value
    if not deleting and len(result) > MAX_TAGS:
        raise SchemaError(TAG_LIMIT, "a backup policy has at most %d tags" % MAX_TAGS)
    return result
