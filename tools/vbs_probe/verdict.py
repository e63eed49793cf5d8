# -*- coding: utf-8 -*-
# Copyright: (c) 2026, huaweicloud.vbs contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""Which value of each emulator switch reproduces what the probe saw; no I/O.

Each function takes the facts of one or more observations and returns a Verdict: the switch's value
(one of the emulator's own choices, vbs_emulator.settings), or None with the reason why no value
reproduces the cloud or why the probe could not tell. A value is given only when the emulator, set to
it, answers as the cloud did.
"""

from vbs_emulator.settings import (
    EVS_IDS_FILTER, EVS_METADATA_FILTER, EVS_POLICY_METADATA, MEMBER_ASSOCIATION, NON_MEMBER_DISASSOCIATION)
from vbs_emulator.state import INVALID_RESOURCE_CODE

SUPPORTED, IGNORED = EVS_METADATA_FILTER
SYNC, PARTIAL, OFF = EVS_POLICY_METADATA


class Verdict:

    def __init__(self, value=None, reason=None):
        self.value = value
        self.reason = reason

    @property
    def settled(self):
        return self.reason is None


def unsettled(reason):
    return Verdict(reason=reason)


def _items_for(volume_id, success, fail):
    return ([item for item in success if item.get("resource_id") == volume_id],
            [item for item in fail if item.get("resource_id") == volume_id])


def _second_call(volume_id, answer, repeated, step, success, uncoded):
    """The verdict for the answer (success items, fail items) to a call sent a second time (``step``): the
    switch's value for a success item, for a fail item without a code (``uncoded``: None when no value
    answers so), or for the emulator's code."""
    if answer is None:
        return unsettled("%s got no answer" % step)
    if repeated:
        return unsettled("%s was sent again after an answer VBS may have applied" % step)
    succeeded, failed = _items_for(volume_id, *answer[:2])
    if succeeded and not failed:
        return Verdict(success)
    if not failed or succeeded:
        return unsettled("VBS named the volume in %d success and %d fail items" % (len(succeeded), len(failed)))
    code = failed[0].get("code")
    if code is None:
        if uncoded is None:
            return unsettled("VBS answered %s with a fail item without a code; no emulator switch answers so" % step)
        return Verdict(uncoded)
    if code == INVALID_RESOURCE_CODE:
        return Verdict("fail_with_code")
    return unsettled("VBS answered %s with a fail item of code %s; the emulator's fail_with_code answers %s, which "
                     "the collection reads differently" % (step, code, INVALID_RESOURCE_CODE))


def member_association(volume_id, answer, repeated):
    """member_association from the answer to associating a member again."""
    return _second_call(volume_id, answer, repeated, "the second association", MEMBER_ASSOCIATION[0], None)


def non_member_disassociation(volume_id, answer, repeated):
    """non_member_disassociation from the answer to disassociating a volume that is not in the policy."""
    return _second_call(volume_id, answer, repeated, "the second disassociation", "success",
                        NON_MEMBER_DISASSOCIATION[0])


def evs_policy_metadata(coverage, appeared, cleared):
    """evs_policy_metadata from the metadata of the project's volumes and of the probed volume.

    ``coverage``: [(policy_resource_count, volumes whose metadata names that policy)] for every policy, and
    the volumes whose metadata names no existing policy as a pair (0, n). ``appeared``: whether the probed
    volume's metadata came to name the temporary policy after it joined (None: not observed);
    ``cleared``: whether that went away after it left.
    """
    if coverage is None:
        return unsettled("EVS could not be read")
    named = sum(tally for _count, tally in coverage)
    members = sum(count for count, _tally in coverage)
    if any(tally > count for count, tally in coverage):
        return unsettled("EVS metadata names a policy on more volumes than VBS counts in it (stale metadata); no "
                         "emulator switch shows that")
    if appeared is False:
        if named:
            return unsettled("the probed volume's metadata did not name its new policy in time, while other "
                             "volumes' metadata names theirs: raise --metadata-wait")
        return Verdict(OFF)
    if appeared and cleared is False:
        return unsettled("the probed volume's metadata still named the temporary policy after it left it")
    short = any(tally < count for count, tally in coverage)
    if appeared:
        return Verdict(PARTIAL if short else SYNC)
    # Not observed on the probed volume (a dry run): the project's volumes alone.
    if not members:
        return unsettled("no policy holds a volume, so the metadata of members cannot be seen")
    if not named:
        return Verdict(OFF)
    return Verdict(PARTIAL if short else SYNC)


def _filter(name, choices, unmatched, total, error):
    if error is not None:
        return unsettled("EVS refused the %s filter (%s); no emulator switch answers so" % (name, error))
    if unmatched is None:
        return unsettled("the %s filter was not tried" % name)
    if unmatched == 0:
        return Verdict(choices[0])
    if unmatched == total:
        return Verdict(choices[1])
    return unsettled("EVS answered a %s filter that matches no volume with %d of the project's %d volumes"
                     % (name, unmatched, total))


def evs_metadata_filter(unmatched, total, error=None):
    """evs_metadata_filter from how many volumes EVS lists for a metadata filter that matches none."""
    return _filter("metadata", EVS_METADATA_FILTER, unmatched, total, error)


def evs_ids_filter(unmatched, total, error=None, own=None):
    """evs_ids_filter from how many volumes EVS lists for an ids filter of an unknown ID, and (``own``) whether
    a filter of the probed volume's ID lists exactly it."""
    verdict = _filter("ids", EVS_IDS_FILTER, unmatched, total, error)
    if verdict.value == EVS_IDS_FILTER[0] and own is False:
        return unsettled("EVS listed nothing for an unknown ID but not exactly the probed volume for its own ID")
    return verdict


def page_size(first_page, next_link, total):
    """page_size from the first page of the policy list: its length when a next link follows, else None."""
    if next_link:
        return Verdict(first_page)
    if first_page != total:
        return unsettled("the first page held %d of %d policies without a next link" % (first_page, total))
    return Verdict(None)
