# -*- coding: utf-8 -*-
# Copyright: (c) 2026, huaweicloud.vbs contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""How vbs_policy_resources decides, kept free of I/O so it can be tested alone.

VBS v2 cannot list a policy's volumes; the one exact fact is the policy's
``policy_resource_count``. Associating only ever adds volumes to the policy
(a member is a no-op, a volume of another policy moves here), and
disassociating only ever removes them, so within one run the count rises
exactly when an association changed something and falls exactly when a
disassociation did. docs/membership.md explains the whole reasoning.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import re

from ansible_collections.huaweicloud.vbs.plugins.module_utils.vbs_text import MSG_TEXT_CHARS, clip

VOLUME_ID_PATTERN = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}\Z")

# Fail items of a disassociation that mean "this volume is not in the policy",
# which is the state that state=absent asks for. Any other code is a real
# failure (for example AutoBackup.0225, the policy is being executed).
# VBS does not publish the code it uses for a non-member; these are the ones
# it is known or assumed to use (see docs/membership.md).
NOT_A_MEMBER_CODES = frozenset([
    "AutoBackup.1400",  # the resource is invalid for this policy
])


def normalize_volume_ids(values):
    """(ids, problem): canonical lower-case IDs in first-seen order without duplicates, or the problem."""
    bad = [value for value in values if not isinstance(value, str) or not VOLUME_ID_PATTERN.match(value)]
    if bad:
        shown = ", ".join(repr(value) for value in bad[:5])
        more = "" if len(bad) <= 5 else " and %d more" % (len(bad) - 5)
        return None, "volumes must be volume IDs (UUIDs such as 0f6f2b5c-3b8e-4a6e-9d3c-7f1e2a4b5c6d); not valid: %s%s" % (
            shown, more)
    seen = set()
    ids = []
    for value in values:
        volume_id = value.lower()
        if volume_id not in seen:
            seen.add(volume_id)
            ids.append(volume_id)
    return ids, None


def batches(items, size):
    """Consecutive slices of at most ``size`` items."""
    return [items[start:start + size] for start in range(0, len(items), size)]


def unreported_volumes(batch, success_items, fail_items):
    """Volumes of a batch that VBS named in neither list: their outcome is unknown, never a success."""
    reported = set(item.get("resource_id") for item in success_items + fail_items)
    return [volume_id for volume_id in batch if volume_id not in reported]


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
        (not_members if item.get("code") in NOT_A_MEMBER_CODES else real).append(item)
    return real, not_members


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


def failure_message(action, policy_label, failures, total, unreported=()):
    """One line naming every failed volume with its code and message, and every volume VBS did not report on."""
    # VBS's code and message are cut short here; fail_resources keeps them whole (up to FIELD_TEXT_CHARS).
    parts = ["%s (%s: %s)" % (item.get("resource_id"), clip(item.get("code") or "no code", MSG_TEXT_CHARS),
                              clip(item.get("message") or "no message", MSG_TEXT_CHARS)) for item in failures]
    parts += ["%s (VBS answered without reporting on this volume)" % volume_id for volume_id in unreported]
    return "%d of %d volumes could not be %s policy %s: %s" % (
        len(parts), total, action, policy_label, "; ".join(parts))
