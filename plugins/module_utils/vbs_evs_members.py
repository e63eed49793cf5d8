# -*- coding: utf-8 -*-
# Copyright: (c) 2026, huaweicloud.vbs contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""Which volumes a backup policy holds: read from EVS volume metadata, used only when VBS's count proves it.

VBS cannot list a policy's volumes. EVS can list the volumes whose metadata
``policy`` names the policy, on clouds that keep that metadata (Open Telekom
Cloud does; others are not known to). That listing is *trusted* only when its
size equals the policy's ``policy_resource_count`` read around it:

1. list the policies (count c1), count the volumes that carry the policy's
   metadata (m), read the requested volumes (and every member, when asked),
   list the policies again (count c2);
2. c1 == c2 == m: the listing is the policy's membership (trusted);
3. c1 != c2: someone changed the policy meanwhile, which proves nothing
   either way; read again after a short random pause (up to MAX_ATTEMPTS);
4. c1 == c2 != m: the metadata does not match the count. Once more after a
   pause (the metadata may show a change a moment late), then give up: the
   count decides (docs/membership.md).

Any EVS failure (no permission, no such filter, unreachable) gives up at once.

read_volume_policies applies the same rule to every policy of the project at
once, to tell which policy each of a set of volumes is in, or that it is in none.
"""

import math
import random
import time

from ansible_collections.huaweicloud.vbs.plugins.module_utils.vbs_errors import VBSError
from ansible_collections.huaweicloud.vbs.plugins.module_utils.vbs_evs import (
    IDS_PER_REQUEST, PAGE_LIMIT, FilterIgnored, policy_filter)
from ansible_collections.huaweicloud.vbs.plugins.module_utils.vbs_policy_lookup import listed_policy_label

EVS_METADATA = "evs_metadata"
COUNT = "count"
MAX_ATTEMPTS = 8
MAX_DISAGREEMENTS = 2
PAUSE_BASE_SECONDS = 0.1
PAUSE_CAP_SECONDS = 2.0
LIST_PERMISSION = "evs:volumes:list"
NO_EVS_NOTE = "no EVS endpoint is known (set evs_endpoint)"


class Reading:
    """What one reading of a policy's membership found.

    ``policies`` is the VBS listing of the last window (every policy) and ``policy`` the policy in it.
    When trusted, ``volumes`` maps each requested volume that EVS knows to its facts (``backup_policy_id``
    is its policy), and ``members`` is the set of every member's ID when the whole listing was read.
    Otherwise ``note`` says why the count decides, and ``warning`` is what the user must be told, if anything.
    """

    def __init__(self, policies, policy, volumes=None, members=None, note=None, warning=None):
        self.policies = policies
        self.policy = policy
        self.volumes = volumes
        self.members = members
        self.note = note
        self.warning = warning

    @property
    def trusted(self):
        return self.note is None

    @property
    def source(self):
        return EVS_METADATA if self.trusted else COUNT

    def policy_of(self, volume_id):
        """The policy a requested volume is in (None: in none, or unknown to EVS). Trusted readings only."""
        if self.members is not None and volume_id in self.members:
            return self.policy["backup_policy_id"]
        volume = self.volumes.get(volume_id)
        return volume["backup_policy_id"] if volume else None


def untrusted(policies, policy, note, warning=None):
    return Reading(policies, policy, note=note, warning=warning)


def read_membership(vbs, evs, find_policy, requested, whole_listing=False, concurrency=1,
                    sleep=time.sleep, rand=random.random):
    """The Reading of one policy's membership.

    ``find_policy(policies, policy_id=None)`` picks the policy from a VBS listing (by the task's ID or
    name, then by ``policy_id``) and raises VBSError when it is not there. ``evs`` is None when no EVS
    endpoint is known. ``requested`` are the volume IDs whose membership is wanted; ``whole_listing``
    reads every member too. Every member is read as well when that costs fewer requests than reading the
    requested volumes one by one (cheaper_to_list_members); then only the requested volumes that are not
    members are read (for the policy they are in).
    """
    policies = vbs.list_policies()
    policy = find_policy(policies)
    if evs is None:
        return untrusted(policies, policy, NO_EVS_NOTE)
    disagreements = 0
    for attempt in range(MAX_ATTEMPTS):
        if attempt:
            _pause(attempt, sleep, rand)
            policies = vbs.list_policies()
            policy = find_policy(policies, policy["backup_policy_id"])
        count = policy["policy_resource_count"]
        whole = whole_listing or cheaper_to_list_members(count, requested)
        try:
            listed, members = _count_listed(evs, policy["backup_policy_id"], whole)
            if listed == count:
                others = [volume for volume in requested if members is None or volume not in members]
                volumes = evs.volumes_by_ids(others, concurrency) if others else {}
        except VBSError as error:
            return untrusted(policies, policy, *_evs_failure(error))
        if listed != count and listed == 0:
            # Not one member carries the metadata: this cloud does not keep it (or not here).
            return untrusted(policies, policy, _disagreement(policy, listed, count))
        policies_after = vbs.list_policies()
        policy_after = find_policy(policies_after, policy["backup_policy_id"])
        if policy_after["policy_resource_count"] != count:
            continue  # the policy changed during the reads: they prove nothing, read again
        if listed == count:
            return Reading(policies_after, policy_after, volumes=volumes, members=members)
        disagreements += 1
        if disagreements >= MAX_DISAGREEMENTS:
            return untrusted(policies_after, policy_after, _disagreement(policy_after, listed, count))
    return untrusted(policies, policy, "the volume count of policy %s kept changing while its members were read "
                                       "(%d attempts)" % (listed_policy_label(policy), MAX_ATTEMPTS))


def cheaper_to_list_members(count, requested):
    """Whether reading every one of a policy's ``count`` members (PAGE_LIMIT a request) costs fewer requests
    than reading the ``requested`` volumes (IDS_PER_REQUEST a request): a steady run over many volumes.
    Either way one listing request is made (it answers the count), so an empty policy is never worth it."""
    member_pages = max(1, math.ceil(count / float(PAGE_LIMIT)))
    return member_pages < math.ceil(len(requested) / float(IDS_PER_REQUEST))


def _pause(attempt, sleep, rand):
    """A short random pause before another reading (the metadata may show a change a moment late)."""
    sleep(rand() * min(PAUSE_CAP_SECONDS, PAUSE_BASE_SECONDS * 2 ** attempt))


def _count_listed(evs, policy_id, whole_listing):
    """(how many volumes carry the policy's metadata, the set of their IDs or None)."""
    if whole_listing:
        volumes, _count = evs.list_volumes([policy_filter(policy_id)])
        _check_filtered(volumes, policy_id)
        return len(volumes), set(volume["id"] for volume in volumes)
    count, first = evs.count_volumes([policy_filter(policy_id)])
    _check_filtered([first] if first else [], policy_id)
    return count, None


def _check_filtered(volumes, policy_id):
    stray = [volume["id"] for volume in volumes if volume["backup_policy_id"] != policy_id]
    if stray:
        raise FilterIgnored("EVS answered the metadata filter with volumes of no or another policy (%s): it does "
                            "not apply that filter" % ", ".join(stray[:3]), service="EVS")


def _disagreement(policy, listed, count):
    return ("EVS lists %d volume(s) whose metadata names policy %s, VBS counts %d: this cloud's EVS metadata does "
            "not show the policy's membership" % (listed, listed_policy_label(policy), count))


def _evs_failure(error):
    """(note, warning or None) for an EVS read that failed: the count decides."""
    note = "EVS could not be read: %s" % error.msg
    if error.status in (401, 403):
        return note, ("EVS refused to list volumes (HTTP %d): grant the credentials the permission %s (read-only) "
                      "so that the module knows each volume's policy; until then the policy's volume count decides "
                      "(docs/membership.md)" % (error.status, LIST_PERMISSION))
    if isinstance(error, FilterIgnored) or error.status in (400, 404):
        # This EVS has no such filter: a fact about the cloud, nothing the user can change.
        return note, None
    return note, ("EVS could not be read, so the policy's volume count decides (docs/membership.md): %s"
                  % error.msg)


def read_policies_members(vbs, evs, policy_ids, sleep=time.sleep, rand=random.random):
    """({policy ID: (sorted member IDs or None, note or None)}, warning or None) for several policies.

    The same proof as read_membership, for every member of each policy: a policy's listing is kept only when
    its size equals the policy's count read before and after it; otherwise its note says why not.
    """
    if evs is None:
        return dict((policy_id, (None, NO_EVS_NOTE)) for policy_id in policy_ids), None
    results = {}
    disagreements = dict((policy_id, 0) for policy_id in policy_ids)
    pending = list(policy_ids)
    for attempt in range(MAX_ATTEMPTS):
        if attempt:
            _pause(attempt, sleep, rand)
        before = _policies_by_id(vbs.list_policies())
        listed = {}
        try:
            for policy_id in pending:
                if policy_id in before:
                    listed[policy_id] = _count_listed(evs, policy_id, True)[1]
        except VBSError as error:
            note, warning = _evs_failure(error)
            results.update((policy_id, (None, note)) for policy_id in pending)
            return results, warning
        after = _policies_by_id(vbs.list_policies())
        still_pending = []
        for policy_id in pending:
            if policy_id not in before or policy_id not in after:
                results[policy_id] = (None, "the policy was deleted while its members were read")
                continue
            members, count = listed[policy_id], before[policy_id]["policy_resource_count"]
            if after[policy_id]["policy_resource_count"] != count:
                still_pending.append(policy_id)
            elif len(members) == count:
                results[policy_id] = (sorted(members), None)
            else:
                disagreements[policy_id] += 1
                if not members or disagreements[policy_id] >= MAX_DISAGREEMENTS:
                    results[policy_id] = (None, _disagreement(after[policy_id], len(members), count))
                else:
                    still_pending.append(policy_id)
        pending = still_pending
        if not pending:
            return results, None
    results.update((policy_id, (None, "the policy's volume count kept changing while its members were read (%d "
                                      "attempts)" % MAX_ATTEMPTS)) for policy_id in pending)
    return results, None


def _policies_by_id(policies):
    return dict((policy["backup_policy_id"], policy) for policy in policies)


class VolumePolicies:
    """Which policy each of a set of volumes is in, as far as a reading of every policy proves it.

    ``volumes`` are the volumes as read inside the reading's last window, ``policies`` the VBS listing that
    closed it, ``proven`` the IDs of the policies whose members carry their ``policy`` metadata (the volumes
    that carry it number the policy's count, read before and after). ``note`` says why some or all are not
    proven, ``warning`` what the user must be told, if anything.
    """

    def __init__(self, volumes, policies, proven, note=None, warning=None):
        self.volumes = volumes
        self.policies = _policies_by_id(policies)
        self.proven = set(proven)
        self.note = note
        self.warning = warning

    def policy_of(self, volume):
        """(known, the listed policy the volume is in or None). Never a guess: unknown unless proven.

        A volume whose metadata names a proven policy is in it; a volume without that metadata is in no
        policy only when every policy is proven (else it may be in one that is not).
        """
        policy_id = volume["backup_policy_id"]
        if policy_id is None:
            return self.proven == set(self.policies), None
        if policy_id in self.proven:
            return True, self.policies[policy_id]
        return False, None


def read_volume_policies(vbs, evs, read_volumes, sleep=time.sleep, rand=random.random):
    """The VolumePolicies of the volumes that ``read_volumes()`` returns (EVS volume facts).

    One window: list the policies, count the volumes that carry each policy's metadata, read the volumes,
    list the policies again. A policy is proven when its count is the same before and after and equals the
    number of volumes that carry its metadata. When a count changed during the window, the window is read
    again (after a short random pause, up to MAX_ATTEMPTS); a policy whose metadata disagrees with its count
    gets one more window unless not one volume carries its metadata. A failure of ``read_volumes`` is the
    caller's (it raises); a failure of the counts leaves every policy unproven.
    """
    disagreements = {}
    volumes, policies = [], []
    for attempt in range(MAX_ATTEMPTS):
        if attempt:
            _pause(attempt, sleep, rand)
        before = _policies_by_id(vbs.list_policies())
        try:
            listed = dict((policy_id, _count_listed(evs, policy_id, False)[0]) for policy_id in before)
        except VBSError as error:
            note, warning = _evs_failure(error)
            policies = list(before.values())
            return VolumePolicies(read_volumes(), policies, (), note, warning)
        volumes = read_volumes()
        policies = vbs.list_policies()
        after = _policies_by_id(policies)
        counts = dict((policy_id, policy["policy_resource_count"]) for policy_id, policy in after.items())
        if set(after) != set(before) or any(counts[policy_id] != before[policy_id]["policy_resource_count"]
                                            for policy_id in after):
            continue  # a policy changed during the reads: they prove nothing, read again
        disagreeing = [policy_id for policy_id in after if listed[policy_id] != counts[policy_id]]
        for policy_id in disagreeing:
            disagreements[policy_id] = disagreements.get(policy_id, 0) + 1
        if all(not listed[policy_id] or disagreements[policy_id] >= MAX_DISAGREEMENTS for policy_id in disagreeing):
            note = "; ".join(_disagreement(after[policy_id], listed[policy_id], counts[policy_id])
                             for policy_id in disagreeing) or None
            return VolumePolicies(volumes, policies, set(after) - set(disagreeing), note)
    note = "the policies' volume counts kept changing while the volumes were read (%d attempts)" % MAX_ATTEMPTS
    return VolumePolicies(volumes, policies, (), note)
