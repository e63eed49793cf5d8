# -*- coding: utf-8 -*-
# Copyright: (c) 2026, huaweicloud.vbs contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""Finding a backup policy by ID or name in a listing, and naming it in messages."""

from ansible_collections.huaweicloud.vbs.plugins.module_utils.vbs_errors import VBSError
from ansible_collections.huaweicloud.vbs.plugins.module_utils.vbs_values import shown

# A policy's name or ID as an option gives it, to look the policy up.
MAX_LOOKUP_LENGTH = 255
# How much of a policy's name a message shows.
MAX_SHOWN_NAME = 100


def lookup_problem(params, options):
    """Why the ``options`` that find the policy (its ID and name options) cannot find one, or None."""
    if all(params.get(option) is None for option in options):
        # required_one_of counts an option given as null as given
        return "one of the following is required: %s" % ", ".join(options)
    for option in options:
        value = params.get(option)
        if value is not None and (not value.strip() or len(value) > MAX_LOOKUP_LENGTH):
            return "%s must be a non-empty name or ID of at most %d characters" % (option, MAX_LOOKUP_LENGTH)
    return None


def where(project_id, region=None, endpoint=None):
    """'project P (region R) at E', for the messages of a lookup."""
    text = "project %s%s" % (project_id, " (region %s)" % region if region else "")
    return text + (" at %s" % endpoint if endpoint else "")


def policy_label(name, policy_id):
    """'name (ID id)' of a policy, for messages: a server's text escaped and bounded."""
    return "%s (ID %s)" % (shown(name, MAX_SHOWN_NAME), shown(policy_id, MAX_SHOWN_NAME))


def listed_policy_label(policy):
    """policy_label() of a policy as VBS lists it."""
    return policy_label(policy.get("backup_policy_name"), policy.get("backup_policy_id"))


def matching(policies, policy_id=None, policy_name=None):
    """The listed policies with ``policy_id`` when it is given, else those named ``policy_name`` (VBS does not keep
    names unique), else every policy."""
    if policy_id is not None:
        return [policy for policy in policies if policy["backup_policy_id"] == policy_id]
    if policy_name is not None:
        return [policy for policy in policies if policy.get("backup_policy_name") == policy_name]
    return list(policies)


def find_policy(policies, where_text, policy_id=None, policy_name=None):
    """The one listed policy with this ID (when given) or name, None for none; a VBSError that lists the IDs when
    several policies have the name."""
    matches = matching(policies, policy_id, policy_name)
    if policy_id is None and len(matches) > 1:
        ids = ", ".join(sorted(shown(policy["backup_policy_id"]) for policy in matches))
        raise VBSError("%d backup policies are named %s in %s: %s; give backup_policy_id to choose one"
                       % (len(matches), shown(policy_name), where_text, ids))
    return matches[0] if matches else None


def pick_policy(policies, where_text, policy_id=None, policy_name=None):
    """find_policy(), and a VBSError that says why when there is no such policy."""
    policy = find_policy(policies, where_text, policy_id, policy_name)
    if policy is None:
        label = "name %s" % shown(policy_name) if policy_id is None else "ID %s" % shown(policy_id)
        raise VBSError("No backup policy with %s in %s" % (label, where_text))
    return policy
