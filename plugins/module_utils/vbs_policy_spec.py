# -*- coding: utf-8 -*-
# Copyright: (c) 2026, huaweicloud.vbs contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""A backup policy in the terms of the vbs_backup_policy module's options.

The module's options are checked and normalized here, mapped to the fields
VBS uses (``scheduled_policy.rentention_num`` and the like), and a policy
VBS lists is put into the same terms, so that the two can be compared, shown
in a diff and returned: every module of the collection returns a policy in
these terms (current_from_vbs). Nothing here sends a request.
"""

import re

from ansible_collections.huaweicloud.vbs.plugins.module_utils.vbs_errors import VBSError, excerpt
from ansible_collections.huaweicloud.vbs.plugins.module_utils.vbs_values import (
    is_whole_number, safe_field, whole_number_between)

WEEKDAYS = ("SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT")
# The widest ranges any version of the VBS API reference publishes; a cloud that
# follows an older version refuses more, with its own error (docs/backup_policy.md).
MIN_FREQUENCY, MAX_FREQUENCY = 1, 30
MIN_RETENTION = 2
MAX_RETENTION_NUM = 99
MAX_RETENTION_DAY = 99999
MAX_NAME = 64
MAX_TAGS = 10
MAX_TAG_KEY = 36
MAX_TAG_VALUE = 43
# Characters no version of the reference allows in a tag key or value.
FORBIDDEN_TAG_CHARACTERS = frozenset("=*<>\\,|/")

NAME_PATTERN = re.compile(r"^[A-Za-z0-9_-]+\Z")
START_TIME_PATTERN = re.compile(r"^([01]?[0-9]|2[0-3]):00\Z")
DIGITS = re.compile(r"^[0-9]+\Z")

SCHEDULE_FIELDS = ("start_time", "frequency", "week_frequency", "retention_num", "retention_day",
                   "keep_first_backup_of_month", "enabled")
# The fields a diff shows, in this order.
MANAGED_FIELDS = ("name",) + SCHEDULE_FIELDS + ("tags",)
# The fields of the policy every module returns (docs/backup_policy.md, "The policy the modules return").
RETURNED_FIELDS = ("backup_policy_id",) + MANAGED_FIELDS + ("policy_resource_count", "time_zone")
# How much of a start time or a weekday VBS lists that is no time or day is kept.
MAX_SHOWN_DAY = 16
# Of each pair exactly one is in effect; VBS uses the first when it lists both.
PAIRS = (("frequency", "week_frequency"), ("retention_num", "retention_day"))
PARTNER = dict(PAIRS + tuple((second, first) for first, second in PAIRS))
# Our option name -> VBS's scheduled_policy key.
API_KEYS = {
    "start_time": "start_time",
    "frequency": "frequency",
    "week_frequency": "week_frequency",
    "retention_num": "rentention_num",  # sic: VBS spells it "rentention"
    "retention_day": "rentention_day",
    "keep_first_backup_of_month": "remain_first_backup_of_curMonth",
    "enabled": "status",
}
# What a new policy gets when its options are left out.
CREATE_DEFAULTS = {"keep_first_backup_of_month": False, "enabled": True}


# -- the module's options ----------------------------------------------------

def desired_from_params(params):
    """(desired, problem): the managed options the user gave, normalized; or the reason they are wrong.

    Options left out (None) are not in ``desired``: they are neither compared
    nor changed.
    """
    desired = {}
    checks = (
        ("start_time", _start_times),
        ("frequency", lambda value: _whole("frequency", value, MIN_FREQUENCY, MAX_FREQUENCY, "days")),
        ("week_frequency", _weekdays),
        ("retention_num", lambda value: _whole("retention_num", value, MIN_RETENTION, MAX_RETENTION_NUM, "backups")),
        ("retention_day", lambda value: _whole("retention_day", value, MIN_RETENTION, MAX_RETENTION_DAY, "days")),
        ("keep_first_backup_of_month", lambda value: (value, None)),
        ("enabled", lambda value: (value, None)),
        ("tags", _tags),
    )
    for name, check in checks:
        if params.get(name) is None:
            continue
        value, problem = check(params[name])
        if problem:
            return None, problem
        desired[name] = value
    return desired, None


def name_problem(name, new=False):
    """Why ``name`` cannot be a policy's name, or None. ``new``: the name is about to be given to a policy."""
    if not name or len(name) > MAX_NAME or not NAME_PATTERN.match(name):
        return ("name must be 1 to %d letters, digits, '_' or '-' (the VBS naming rule), got %r"
                % (MAX_NAME, name))
    if new and name.lower().startswith("default"):
        return "name must not start with 'default' (VBS reserves it for its default policy), got %r" % name
    return None


def creation_problem(desired):
    """Why a policy cannot be created from ``desired``, or None."""
    missing = []
    if "start_time" not in desired:
        missing.append("start_time")
    if "frequency" not in desired and "week_frequency" not in desired:
        missing.append("frequency or week_frequency")
    if "retention_num" not in desired and "retention_day" not in desired:
        missing.append("retention_num or retention_day")
    if missing:
        return "a new backup policy needs %s" % ", ".join(missing)
    return None


def _whole(name, value, low, high, unit):
    if not whole_number_between(value, low, high):
        return None, "%s must be a whole number of %s from %d to %d, got %r" % (name, unit, low, high, value)
    return value, None


def _start_times(values):
    times = []
    for value in values:
        text = value.strip() if isinstance(value, str) else value
        if isinstance(text, str) and DIGITS.match(text):
            return None, _sexagesimal_hint(text)
        if not isinstance(text, str) or not START_TIME_PATTERN.match(text):
            return None, ("start_time must be full hours in UTC such as '02:00' (VBS starts backups on the hour), "
                          "got %r" % (value,))
        time = "%02d:00" % int(text.split(":")[0])
        if time in times:
            return None, "start_time lists %s twice" % time
        times.append(time)
    if not times:
        return None, "start_time must list at least one time"
    return times, None


def _sexagesimal_hint(text):
    """YAML 1.1 reads an unquoted 12:00 as the number 720 (minutes): say so."""
    minutes = int(text)
    if minutes % 60 == 0 and minutes < 24 * 60:
        return ("start_time %s is not a time: YAML reads an unquoted %02d:00 as the number %s. "
                "Quote it: '%02d:00'" % (text, minutes // 60, text, minutes // 60))
    return "start_time must be full hours in UTC such as '02:00', got %r" % text


def _weekdays(values):
    days = set()
    for value in values:
        day = value.strip().upper() if isinstance(value, str) else value
        if day not in WEEKDAYS:
            return None, "week_frequency must name days as %s, got %r" % (", ".join(WEEKDAYS), value)
        days.add(day)
    if not days:
        return None, "week_frequency must name at least one day"
    return [day for day in WEEKDAYS if day in days], None


def _tags(value):
    tags = {}
    for key, item in value.items():
        if item is None:
            item = ""
        if isinstance(item, bool) or not isinstance(item, (str, int, float)):
            return None, "the value of tag %r must be a string, got %r" % (key, item)
        key, item = str(key), str(item)
        for kind, text, limit, minimum in (("key", key, MAX_TAG_KEY, 1), ("value", item, MAX_TAG_VALUE, 0)):
            if not minimum <= len(text) <= limit:
                return None, "a tag %s must be %d to %d characters, got %r" % (kind, minimum, limit, text)
            if not text.isprintable() or FORBIDDEN_TAG_CHARACTERS.intersection(text):
                return None, ("a tag %s must not hold control characters or any of %s, got %r"
                              % (kind, " ".join(sorted(FORBIDDEN_TAG_CHARACTERS)), text))
        tags[key] = item
    if len(tags) > MAX_TAGS:
        return None, "a backup policy has at most %d tags, got %d" % (MAX_TAGS, len(tags))
    return tags, None


# -- a policy as VBS lists it: the policy every module returns --------------------

def current_from_vbs(item, tags=None, strict=True):
    """A listed policy in the terms of the options: the one shape every module returns (docs/backup_policy.md).

    ``item`` is one element of the policy list (its ID and count are checked by
    the client); ``tags`` its tags as VBSClient.list_tags() reads them, or None
    when they were not read. Text is made safe. A documented field that VBS
    lists in a form this cannot read is a VBSError when ``strict`` (the policy
    is about to be compared and changed), else None.
    """
    def read(reader, *args):
        try:
            return reader(item, *args)
        except VBSError:
            if strict:
                raise
            return None

    schedule = item.get("scheduled_policy")
    if not isinstance(schedule, dict):
        if strict:
            raise _unexpected(item, "scheduled_policy is not an object")
        schedule = None
    policy = dict((field, None) for field in RETURNED_FIELDS)
    policy.update(backup_policy_id=item["backup_policy_id"], name=read(_listed_name),
                  tags=tags, policy_resource_count=item["policy_resource_count"],
                  time_zone=safe_field(item.get("time_zone")))
    if schedule is not None:
        policy.update(
            start_time=read(_listed_start_times, schedule.get("start_time")),
            frequency=read(_listed_whole, schedule, "frequency"),
            week_frequency=read(_listed_weekdays, schedule.get("week_frequency")),
            retention_num=read(_listed_whole, schedule, "rentention_num"),
            retention_day=read(_listed_whole, schedule, "rentention_day"),
            keep_first_backup_of_month=read(_listed_choice, schedule, "remain_first_backup_of_curMonth", "Y", "N"),
            enabled=read(_listed_choice, schedule, "status", "ON", "OFF"))
    # "If you set both, this parameter is used": frequency and rentention_num prevail.
    for first, second in PAIRS:
        if policy[first] is not None:
            policy[second] = None
    return policy


def _unexpected(item, what):
    return VBSError("VBS listed backup policy %s with an unexpected body (%s): %s"
                    % (excerpt(item["backup_policy_id"], 80), what, excerpt(repr(item))))


def _listed_name(item):
    if not isinstance(item.get("backup_policy_name"), str):
        raise _unexpected(item, "backup_policy_name is not a string")
    return safe_field(item["backup_policy_name"])


def _listed_start_times(item, value):
    if not isinstance(value, str):
        raise _unexpected(item, "start_time is not a string")
    return [safe_field(part.strip(), MAX_SHOWN_DAY) for part in value.split(",") if part.strip()]


def _listed_whole(item, schedule, key):
    value = schedule.get(key)
    if value is None:
        return None
    if not is_whole_number(value):
        raise _unexpected(item, "%s is not a whole number" % key)
    return value


def _listed_weekdays(item, value):
    if value is None:
        return None
    if not isinstance(value, list) or not all(isinstance(day, str) for day in value):
        raise _unexpected(item, "week_frequency is not a list of days")
    days = set(day.upper() for day in value)
    unknown = sorted(safe_field(day, MAX_SHOWN_DAY) for day in days - set(WEEKDAYS))
    return [day for day in WEEKDAYS if day in days] + unknown[:len(WEEKDAYS)]


def _listed_choice(item, schedule, key, yes, no):
    value = schedule.get(key)
    if value == yes:
        return True
    if value == no:
        return False
    if key == "remain_first_backup_of_curMonth" and value is None:
        return False  # optional in the reference; VBS keeps none when it is left out
    raise _unexpected(item, "%s is neither %s nor %s" % (key, yes, no))


# -- comparing and changing -------------------------------------------------------

def changed_fields(current, desired, new_name=None):
    """The managed fields (tags aside) whose desired value differs from the current one, in MANAGED_FIELDS order."""
    changed = []
    if new_name is not None and new_name != current["name"]:
        changed.append("name")
    for field in SCHEDULE_FIELDS:
        if field in desired and not same_value(field, current.get(field), desired[field]):
            changed.append(field)
    return changed


def same_value(field, current, wanted):
    """Start times and weekdays are sets: their order does not change the schedule."""
    if field in ("start_time", "week_frequency") and current is not None and wanted is not None:
        return set(current) == set(wanted)
    return current == wanted


def tag_changes(current, wanted, purge):
    """(to_delete, to_create, final): dicts of tags.

    A changed value is deleted and created again, which every version of the
    tag calls supports (what "create" does with an existing key is not
    documented).
    """
    changed = dict((key, value) for key, value in wanted.items() if key in current and current[key] != value)
    added = dict((key, value) for key, value in wanted.items() if key not in current)
    removed = dict((key, value) for key, value in current.items() if key not in wanted) if purge else {}
    to_delete = dict(removed)
    to_delete.update((key, current[key]) for key in changed)
    to_create = dict(added)
    to_create.update(changed)
    final = dict((key, value) for key, value in current.items() if key not in removed)
    final.update(wanted)
    return to_delete, to_create, final


def predicted(current, desired, fields, tags=None, new_name=None):
    """``current`` with the changed ``fields`` (and tags, and name) applied, as VBS should list it afterwards."""
    policy = dict(current)
    if "name" in fields:
        policy["name"] = new_name
    for field in fields:
        if field == "name":
            continue
        policy[field] = desired[field]
        if field in PARTNER:
            policy[PARTNER[field]] = None
    if tags is not None:
        policy["tags"] = tags
    return policy


def new_policy(name, desired):
    """The policy a create should make, in the module's terms (no ID yet)."""
    policy = dict((field, None) for field in RETURNED_FIELDS)
    policy.update(CREATE_DEFAULTS)
    policy.update(desired)
    policy.update(name=name, tags=desired.get("tags", {}), policy_resource_count=0)
    return policy


def mismatches(listed, expected, fields):
    """Of ``fields``, those where the policy VBS lists differs from what the run should have made it."""
    return [field for field in MANAGED_FIELDS
            if field in fields and not same_value(field, listed.get(field), expected.get(field))]


def diff_view(policy):
    """The managed fields of a policy, for diff mode; {} for no policy."""
    if policy is None:
        return {}
    return dict((field, policy.get(field)) for field in MANAGED_FIELDS)


# -- request bodies ----------------------------------------------------------------

def schedule_body(current, desired, fields):
    """scheduled_policy for a modify of ``fields``, in VBS's terms.

    It always carries the interval (frequency or week_frequency), the
    desired one or else the current one: the reference marks them "either
    this field or the other must be specified" for a modify too.
    """
    body = {}
    for field in fields:
        if field in API_KEYS:
            body[API_KEYS[field]] = api_value(field, desired[field])
    if "frequency" not in body and "week_frequency" not in body:
        for field in ("frequency", "week_frequency"):
            if current.get(field) is not None:
                body[field] = api_value(field, current[field])
                break
    return body


def create_body(name, desired):
    """The body of POST /backuppolicy."""
    wanted = dict(CREATE_DEFAULTS)
    wanted.update(desired)
    schedule = dict((API_KEYS[field], api_value(field, wanted[field])) for field in SCHEDULE_FIELDS if field in wanted)
    body = {"backup_policy_name": name, "scheduled_policy": schedule}
    if wanted.get("tags"):
        body["tags"] = tag_list(wanted["tags"])
    return body


def api_value(field, value):
    if field == "start_time":
        return ",".join(value)
    if field == "keep_first_backup_of_month":
        return "Y" if value else "N"
    if field == "enabled":
        return "ON" if value else "OFF"
    return value


def tag_list(tags):
    return [{"key": key, "value": value} for key, value in tags.items()]
