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

from ansible_collections.huaweicloud.vbs.plugins.module_utils.vbs_policy_lookup import listed_policy_label
from ansible_collections.huaweicloud.vbs.plugins.module_utils.vbs_values import (
    MSG_TEXT_CHARS, clip, safe_field, unique_uuids)

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
# associated": the reference gives each of these codes a meaning of its own,
# and none of them is "already in the policy". Only a code the reference does
# not define, or no code, might be how VBS reports a volume that is already in
# the policy; the reference does not say, so the module reports those failures
# and says it cannot tell.
DEFINITE_ASSOCIATE_FAILURES = frozenset([
    "AutoBackup.0204",  # the policy holds the maximum number of volumes
    "AutoBackup.0206",  # the volume's status does not allow association
    "AutoBackup.0208",  # the volume's details could not be read
    "AutoBackup.0209",  # resource ID empty
    "AutoBackup.0210",  # HANA disk
    "AutoBackup.0211",  # invalid resource type
    "AutoBackup.0220",  # DESS disk
    "AutoBackup.0225",  # the policy is being executed
    "AutoBackup.1400",  # the resource is invalid (for example, no such volume)
])


def normalize_volume_ids(values):
    """(ids, problem): canonical lower-case IDs in first-seen order without duplicates, or the problem."""
    return unique_uuids(values, "volumes", "volume IDs")


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
    """The fail items of an association that might mean "already a member" (see DEFINITE_ASSOCIATE_FAILURES).

    Only for the count design: with a trusted member listing, no member is ever sent.
    """
    return [item for item in fail_items if item.get("code") not in DEFINITE_ASSOCIATE_FAILURES]


def undecidable_hint(count_before, count_after, undecidable):
    """Why the module cannot tell what the undecidable fail items of an association mean."""
    codes = sorted(set(str(item.get("code") or "no code") for item in undecidable))
    return ("VBS answered %s for %d of these volumes, which the API reference does not define. If that is how VBS "
            "reports a volume that is already in the policy, those volumes are protected; the module cannot tell, "
            "because the policy's members are not known here (the policy's volume count went from %d to %d). "
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

def moved_from(policies_before, policies_after, policy_id, moves=None):
    """The other policies whose volume count fell between the two listings, as dicts for the result.

    ``moves`` ({volume: the policy it was in}, from a trusted member listing) adds to each policy the
    volumes that this run moved out of it (``volumes``).
    """
    before = dict((item["backup_policy_id"], item) for item in policies_before)
    moved = []
    for item in policies_after:
        other_id = item["backup_policy_id"]
        if other_id == policy_id or other_id not in before:
            continue
        count_before = before[other_id]["policy_resource_count"]
        count_after = item["policy_resource_count"]
        if count_after < count_before:
            entry = dict(backup_policy_id=other_id, backup_policy_name=safe_field(item.get("backup_policy_name")),
                         count_before=count_before, count_after=count_after)
            if moves is not None:
                entry["volumes"] = sorted(volume for volume, other in moves.items() if other == other_id)
            moved.append(entry)
    return moved


def moved_warning(label, moved):
    """One warning that names every policy that lost volumes while this run associated volumes."""
    losses = ["%s from %d to %d%s" % (listed_policy_label(item), item["count_before"], item["count_after"],
                                      " (this run moved %s)" % ", ".join(item["volumes"]) if item.get("volumes") else "")
              for item in moved]
    return ("While this run associated volumes with policy %s, the volume count of %s fell: %s. A volume belongs to "
            "at most one backup policy, so associating a volume of another policy moves it here, and that policy "
            "no longer backs it up (another change made at the same time would show the same way)"
            % (label, "another policy" if len(moved) == 1 else "%d other policies" % len(moved),
               "; ".join(losses)))


def unprovable_warning(present, label, count_before):
    """Check mode's warning when the count cannot tell whether a real run would change the policy."""
    if present:
        what = ("whether the requested volumes are already in policy %s" % label,
                "its count (%d) is not below the number of requested volumes" % count_before,
                "associates them and reports changed only if the count rises")
    else:
        what = ("whether any of the requested volumes is in policy %s" % label,
                "the policy holds %d volume(s)" % count_before,
                "removes them and reports changed only if the count falls")
    return ("Check mode cannot tell %s: the policy's members are not known here (see membership_note), and %s. "
            "A real run %s (membership_verified: false)" % what)


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


# -- with a trusted member listing (vbs_evs_members): exact per volume --------------------------

class ExactPlan:
    """What a run with a trusted member listing sends: only what differs from the listing."""

    def __init__(self, to_add, to_remove, not_members, moves, members_before, members_after):
        self.to_add = to_add  # requested volumes that are not members (state present)
        self.to_remove = to_remove  # members to remove: requested (absent) or not requested (purge_volumes)
        self.not_members = not_members  # requested volumes that are not members (state absent)
        self.moves = moves  # {volume: the other policy it is in now} of the volumes to add
        self.members_before = members_before  # the members among the volumes this run looks at
        self.members_after = members_after

    @property
    def changes(self):
        return bool(self.to_add or self.to_remove)


def exact_plan(present, volumes, policy_of, policy_id, members=None):
    """The ExactPlan for ``volumes``: ``policy_of(volume)`` is the policy a volume is in (None for none).

    ``members`` (every member, for purge_volumes) adds the members that were not requested to the removals.
    """
    is_member = [volume for volume in volumes if policy_of(volume) == policy_id]
    others = [volume for volume in volumes if policy_of(volume) != policy_id]
    if not present:
        return ExactPlan([], is_member, others, {}, is_member, [])
    moves = dict((volume, policy_of(volume)) for volume in others if policy_of(volume) is not None)
    extra = sorted(set(members) - set(volumes)) if members is not None else []
    return ExactPlan(others, extra, [], moves, sorted(is_member + extra), sorted(volumes))


def exact_diff(policy_id, count_before, plan):
    """(before, after) of diff mode: the policy's volumes among those this run looks at, and its count."""
    count_after = count_before + len(plan.to_add) - len(plan.to_remove)
    return (dict(backup_policy_id=policy_id, policy_resource_count=count_before, volumes=plan.members_before),
            dict(backup_policy_id=policy_id, policy_resource_count=count_after, volumes=plan.members_after))


def succeeded(success_items, volumes):
    """The ``volumes`` that VBS reported as a success, in their order."""
    reported = set(item.get("resource_id") for item in success_items)
    return [volume for volume in volumes if volume in reported]


def planned_moves(policies, policy_id, moves):
    """Check mode: moved_from as a real run would report it, from the volumes' current policies."""
    leaving = {}
    for volume, other in moves.items():
        leaving.setdefault(other, []).append(volume)
    planned = []
    for item in policies:
        volumes = leaving.get(item["backup_policy_id"])
        if volumes and item["backup_policy_id"] != policy_id:
            count = item["policy_resource_count"]
            planned.append(dict(backup_policy_id=item["backup_policy_id"],
                                backup_policy_name=safe_field(item.get("backup_policy_name")),
                                count_before=count, count_after=max(0, count - len(volumes)),
                                volumes=sorted(volumes)))
    return planned


def purge_problem(purge, state, source):
    """Why purge_volumes cannot be used with these options, or None."""
    if not purge:
        return None
    if state != "present":
        return "purge_volumes applies to state: present only (state: absent removes the listed volumes)"
    if source == "count":
        return ("purge_volumes needs the policy's members, which membership_source: count does not read; use "
                "membership_source: auto or evs_metadata")
    return None


def count_design_problem(purge, source, note):
    """Why a run that needs the policy's members cannot go on without them, or None."""
    if purge:
        return ("purge_volumes needs the policy's members, and they are not known: %s. Nothing was changed "
                "(docs/membership.md)" % note)
    if source == "evs_metadata":
        return ("membership_source is evs_metadata, but the policy's members are not known: %s. Nothing was "
                "changed (docs/membership.md)" % note)
    return None
