# -*- coding: utf-8 -*-
# Copyright: (c) 2026, huaweicloud.vbs contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""Finding a backup policy by ID or name, and the summary the modules return."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.huaweicloud.vbs.plugins.module_utils.vbs_errors import VBSError
from ansible_collections.huaweicloud.vbs.plugins.module_utils.vbs_text import safe_field

# The documented fields of a policy's schedule: text, and whole numbers.
SCHEDULE_TEXT_FIELDS = ("start_time", "remain_first_backup_of_curMonth", "status")
SCHEDULE_NUMBER_FIELDS = ("frequency", "rentention_num", "rentention_day")
WEEKDAYS = 7


def _where(client, params):
    region = params.get("region")
    where = "project %s" % client.project_id
    return where + (" (region %s)" % region if region else "") + " at %s" % params.get("endpoint")


def shown(value):
    """A user's value as it goes into a one-line message: quoted when it holds line breaks or other controls."""
    return value if value.isprintable() else repr(value)


def find_policy(client, params, policy_id=None, policy_name=None):
    """The one policy with this ID or name; a VBSError that says why when there is not exactly one."""
    return pick_policy(client.list_policies(), client, params, policy_id, policy_name)


def pick_policy(policies, client, params, policy_id=None, policy_name=None):
    """find_policy() on a listing already made (a caller that also needs the other policies)."""
    if policy_id is not None:
        matches = [policy for policy in policies if policy["backup_policy_id"] == policy_id]
        label = "ID %s" % shown(policy_id)
    else:
        matches = [policy for policy in policies if policy.get("backup_policy_name") == policy_name]
        label = "name %s" % shown(policy_name)
    if not matches:
        raise VBSError("No backup policy with %s in %s" % (label, _where(client, params)))
    if len(matches) > 1:
        ids = ", ".join(sorted(policy["backup_policy_id"] for policy in matches))
        raise VBSError("%d backup policies have the %s in %s: %s; use backup_policy_id to choose one"
                       % (len(matches), label, _where(client, params), ids))
    return matches[0]


def policy_summary(policy):
    """backup_policy_id, backup_policy_name, status (ON/OFF) and policy_resource_count, as safe text."""
    scheduled = policy.get("scheduled_policy") if isinstance(policy.get("scheduled_policy"), dict) else {}
    return dict(
        backup_policy_id=policy["backup_policy_id"],
        backup_policy_name=safe_field(policy.get("backup_policy_name")),
        status=safe_field(scheduled.get("status")),
        policy_resource_count=policy.get("policy_resource_count", 0),
    )


def _whole_number(value):
    return isinstance(value, int) and not isinstance(value, bool)


def policy_facts(policy):
    """The documented fields of a policy (vbs_backup_policy_info), text made safe; nothing else.

    A server's unknown fields, or documented ones of the wrong type, are left
    out: no structure that nobody documented reaches a result.
    """
    facts = dict(backup_policy_id=policy["backup_policy_id"],
                 policy_resource_count=policy.get("policy_resource_count", 0))
    for key in ("backup_policy_name", "time_zone"):
        if safe_field(policy.get(key)) is not None:
            facts[key] = safe_field(policy.get(key))
    scheduled = policy.get("scheduled_policy")
    if isinstance(scheduled, dict):
        schedule = dict((key, safe_field(scheduled[key])) for key in SCHEDULE_TEXT_FIELDS
                        if isinstance(scheduled.get(key), str))
        schedule.update((key, scheduled[key]) for key in SCHEDULE_NUMBER_FIELDS if _whole_number(scheduled.get(key)))
        days = scheduled.get("week_frequency")
        if isinstance(days, list):
            schedule["week_frequency"] = [safe_field(day, 16) for day in days if isinstance(day, str)][:WEEKDAYS]
        facts["scheduled_policy"] = schedule
    return facts
