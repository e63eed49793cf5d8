# -*- coding: utf-8 -*-
# Copyright: (c) 2026, huaweicloud.vbs contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""How vbs_policy_resources decides, kept free of I/O so it can be tested alone.

VBS v2 cannot list a policy's volumes; the one exact fact is the policy's
``policy_resource_count``. Associating only ever adds volumes to the policy
(a member is a no-op, a volume of another policy moves here), and
disassociating only ever removes them, so within one run the count rises
exactly when an association changed something and falls exactly when a
disassociation did, as long as nobody else changes the policy meanwhile.
A run's own change is also bounded by its own answers (it cannot add more
volumes than VBS reported as associated), which exposes many changes by
others. docs/membership.md explains the whole reasoning.
"""

import re

from ansible_collections.huaweicloud.vbs.plugins.module_utils.vbs_policy import listed_policy_label
from ansible_collections.huaweicloud.vbs.plugins.module_utils.vbs_text import MSG_TEXT_CHARS, clip, shown

VOLUME_ID_PATTERN = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}\Z")

# Fail items of a disassociation that mean "this volume is not in the policy",
# which is the state that state=absent asks for. The API reference's only
# example answer to a disassociation is a fail item without code and message,
# so a fail item without a code means "not a member" too. Any other code is a
# real failure (for example AutoBackup.0225, the policy is being executed).
# See the table of open behaviours in docs/membership.md.
NOT_A_MEMBER_CODES = frozenset([
    "AutoBackup.1400",  # the resource is invalid for this policy
])

# Fail items of an association that certainly mean "this volume was not
# associated": the reference gives each of these codes one meaning. Any other
# code (AutoBackup.1400, "the resource is invalid", included) or no code might
# be how VBS reports a volume that is already in the policy; the reference does
# not say, so the module reports those failures and says it cannot tell.
DEFINITE_ASSOCIATE_FAILURES = frozenset([
    "AutoBackup.0204",  # the policy holds the maximum number of volumes
    "AutoBackup.0206",  # the volume's status does not allow association
    "AutoBackup.0208",  # the volume's details could not be read
    "AutoBackup.0209",  # resource ID empty
    "AutoBackup.0210",  # HANA disk
    "AutoBackup.0211",  # invalid resource type
    "AutoBackup.0220",  # DESS disk
    "AutoBackup.0225",  # the policy is being executed
])


def normalize_volume_ids(values):
    """(ids, problem): canonical lower-case IDs in first-seen order without duplicates, or the problem."""
    bad = [value for value in values if not isinstance(value, str) or not VOLUME_ID_PATTERN.match(value)]
    if bad:
        named = ", ".join(shown(value, quote=True) for value in bad[:5])
        more = "" if len(bad) <= 5 else " and %d more" % (len(bad) - 5)
        return None, "volumes must be volume IDs (UUIDs such as 0f6f2b5c-3b8e-4a6e-9d3c-7f1e2a4b5c6d); not valid: %s%s" % (
            named, more)
    seen = set()
    ids = []
    for value in values:
        volume_id = value.lower()
        if volume_id not in seen:
            seen.add(volume_id)
            ids.append(volume_id)
    return ids, None


def unreported_volumes(batch, success_items, fail_items):
    """Volumes of a batch that VBS named in neither list: their outcome is unknown, never a success."""
    reported = set(item.get("resource_id") for item in success_items + fail_items)
    return [volume_id for volume_id in batch if volume_id not in reported]


def means_not_a_member(item):
    """Whether a disassociation fail item says only that the volume is not in the policy.

    No code at all is the answer the API reference publishes for that case.
    """
    code = item.get("code")
    return code is None or code == "" or code in NOT_A_MEMBER_CODES


def split_unrequested(batch, items):
    """(requested, unrequested): the items that name a volume of ``batch`` (the request they answer), and the others.

    An item for a volume nobody asked about is not this run's work: it must
    neither count as a success nor fail the task.
    """
    asked = set(batch)
    requested, unrequested = [], []
    for item in items:
        (requested if item.get("resource_id") in asked else unrequested).append(item)
    return requested, unrequested


def unrequested_entries(success_items, fail_items):
    """The unrequested items of one answer, each marked with the list VBS put it in (``outcome``)."""
    return ([dict(item, outcome="success") for item in success_items]
            + [dict(item, outcome="fail") for item in fail_items])


def unrequested_warning(entries):
    """One line naming (the first few of) the unrequested volumes VBS reported on."""
    ids = [entry.get("resource_id") for entry in entries]
    named = ", ".join(ids[:5]) + ("" if len(ids) <= 5 else " and %d more" % (len(ids) - 5))
    return ("VBS reported on %d volume(s) that were not requested: %s; they are not counted as this run's work "
            "(see unrequested_resources)" % (len(ids), named))


def split_disassociate_failures(fail_items, count_after):
    """(real_failures, not_members) among the fail items of a disassociation.

    When the policy holds no volume afterwards, no requested volume can be a
    member, whatever the codes say; otherwise the code decides.
    """
    if count_after == 0:
        return [], list(fail_items)
    real, not_members = [], []
    for item in fail_items:
        (not_members if means_not_a_member(item) else real).append(item)
    return real, not_members


def undecidable_associate_failures(fail_items):
    """The fail items of an association that might mean "already a member" (see DEFINITE_ASSOCIATE_FAILURES)."""
    return [item for item in fail_items if item.get("code") not in DEFINITE_ASSOCIATE_FAILURES]


def undecidable_hint(count_before, count_after, undecidable):
    """Why the module cannot tell what the undecidable fail items of an association mean."""
    codes = sorted(set(str(item.get("code") or "no code") for item in undecidable))
    return ("VBS answered %s for %d of these volumes. If that is how VBS reports a volume that is already in the "
            "policy (the API reference does not say), those volumes are protected; VBS has no call that lists a "
            "policy's volumes, so the module cannot tell (the policy's volume count went from %d to %d). "
            "fail_on_resource_errors: false reports them as a warning instead"
            % (", ".join(codes), len(undecidable), count_before, count_after))


# -- what a run alone can have changed -------------------------------------------------

def own_change_bounds(present, own_successes, requested, repeated):
    """(low, high): how far this run alone can have moved the policy's volume count.

    Associating adds at most one volume per success item (a member is a no-op)
    and removes none; disassociating removes at most one per success item and
    adds none. When a request was sent again after an attempt that VBS may
    have applied (a 5xx answer, a timeout), that first attempt's effect shows
    in no answer: the bound is then every requested volume.
    """
    reach = requested if repeated else own_successes
    return (0, reach) if present else (-reach, 0)


def own_successes(success_items, requested):
    """How many distinct requested volumes VBS reported as a success (items for other volumes do not count)."""
    wanted = set(requested)
    return len(set(item.get("resource_id") for item in success_items) & wanted)


def bounds_reason(present, successes, repeated):
    """Where the bounds come from, for the warning of delta_problem."""
    if repeated:
        return "a request failed, or was sent again, after an attempt that VBS may have applied"
    return "VBS reported %d of its volumes as %s" % (successes, "associated" if present else "removed")


def delta_problem(label, count_before, count_after, bounds, reason):
    """None when the count's change fits this run's own answers; otherwise the warning that says why not."""
    delta = count_after - count_before
    low, high = bounds
    if low <= delta <= high:
        return None
    return ("The volume count of policy %s went from %d to %d during this run, a change of %+d that this run alone "
            "cannot have made (it can change the count by %+d to %+d: %s). Someone else changed the policy at the "
            "same time, so changed is not verified (membership_verified: false)"
            % (label, count_before, count_after, delta, low, high, reason))


# -- volumes moved from other policies --------------------------------------------------

def moved_from(policies_before, policies_after, policy_id):
    """The other policies whose volume count fell between the two listings, as dicts for the result."""
    before = dict((item["backup_policy_id"], item) for item in policies_before)
    moved = []
    for item in policies_after:
        other_id = item["backup_policy_id"]
        if other_id == policy_id or other_id not in before:
            continue
        count_before = before[other_id].get("policy_resource_count", 0)
        count_after = item.get("policy_resource_count", 0)
        if count_after < count_before:
            moved.append(dict(backup_policy_id=other_id, backup_policy_name=item.get("backup_policy_name"),
                              count_before=count_before, count_after=count_after))
    return moved


def moved_warning(label, moved):
    """One warning that names every policy that lost volumes while this run associated volumes."""
    losses = ["%s from %d to %d" % (listed_policy_label(item), item["count_before"], item["count_after"]) for item in moved]
    return ("While this run associated volumes with policy %s, the volume count of %s fell: %s. A volume belongs to "
            "at most one backup policy, so associating a volume of another policy moves it here, and that policy "
            "no longer backs it up (another change made at the same time would show the same way)"
            % (label, "another policy" if len(moved) == 1 else "%d other policies" % len(moved),
               "; ".join(losses)))


def predict_present(count_before, requested):
    """Check mode for state=present: (changed, provable, at_least_missing).

    With no volume in the policy, every requested volume is missing. With
    fewer volumes than requested, at least the difference is missing.
    Otherwise the API cannot tell.
    """
    if not requested:
        return False, True, 0
    if count_before < len(requested):
        return True, True, len(requested) - count_before
    return False, False, 0


def predict_absent(count_before, requested):
    """Check mode for state=absent: (changed, provable). Provable only for an empty policy."""
    if not requested or count_before == 0:
        return False, True
    return False, False


def failure_message(action, label, failures, total, unreported=()):
    """One line naming every failed volume with its code and message, and every volume VBS did not report on."""
    # VBS's code and message are cut short here; fail_resources keeps them whole (up to FIELD_TEXT_CHARS).
    parts = ["%s (%s: %s)" % (item.get("resource_id"), clip(item.get("code") or "no code", MSG_TEXT_CHARS),
                              clip(item.get("message") or "no message", MSG_TEXT_CHARS)) for item in failures]
    parts += ["%s (VBS answered without reporting on this volume)" % volume_id for volume_id in unreported]
    return "%d of %d volumes could not be %s policy %s: %s" % (
        len(parts), total, action, label, "; ".join(parts))
