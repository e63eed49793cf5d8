# -*- coding: utf-8 -*-
# Copyright: (c) 2026, huaweicloud.vbs contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""Putting the probed volume back where it was and deleting the temporary policy: after a run, after an
interruption, and for the leftovers of an earlier run. Every step looks at the cloud as it is now, so it
can be repeated from any point."""

from ansible_collections.huaweicloud.vbs.plugins.module_utils.vbs_errors import VBSError
from ansible_collections.huaweicloud.vbs.plugins.module_utils.vbs_membership_decisions import (
    DEFINITE_ASSOCIATE_FAILURES)

from .reads import counts_of, read_policies

# The volume's former policy is not known (yet): distinct from None, "in no policy".
UNKNOWN = "unknown"
# The reference's "the resource is invalid", which some clouds answer for a volume already in the policy.
NOT_A_VOLUME_CODE = "AutoBackup.1400"
# How long to let the server finish a write that an interruption cut off before undoing anything.
SETTLE_SECONDS = 2.0


def origin_from_counts(before, now, temporary_id, guess=None):
    """(former policy, reason): the policy the volume was in, from every policy's count before the volume
    joined the temporary policy and now that it is in it. None: in no policy. When several counts fell by
    one (others changed them at the same time), ``guess`` (what EVS metadata said before) decides if it is
    one of them; otherwise (UNKNOWN, why)."""
    fell = sorted(policy_id for policy_id, count in before.items()
                  if policy_id != temporary_id and now.get(policy_id) == count - 1)
    if len(fell) > 1:
        if guess in fell:
            return guess, None
        return UNKNOWN, ("the volume counts of %d policies fell by one while the volume moved (%s): someone else "
                         "changed them at the same time" % (len(fell), ", ".join(fell)))
    return (fell[0] if fell else None), None


def put_back(session, volume_id, temporary_id, origin, surely_moved):
    """Associate the volume with its former policy ``origin`` again, or take it out of the temporary policy
    when it was in none; whether it is back. A former policy that no longer exists leaves the volume in none,
    with a problem said.

    The volume may be in the temporary policy or in none; unless it ``surely_moved`` (this run saw it leave),
    it may also be in its former policy still, and a fail item that names no definite failure is then taken
    for "already a member" (how some clouds answer that is what the probe finds out).
    """
    if origin is not None:
        observation = session.observe("restore", "Associate the volume with the policy it was in again",
                                      lambda: session.vbs.associate(origin, [volume_id]), tolerate=True)
        error = observation.error
        if error is None:
            failed = [item for item in observation.result[1] if item.get("resource_id") == volume_id]
            code = failed[0].get("code") if failed else None
            # A request sent again after an answer VBS may have applied may find the volume back already.
            surely_out = surely_moved and not observation.repeated
            if failed and (surely_out or code in DEFINITE_ASSOCIATE_FAILURES - set([NOT_A_VOLUME_CODE])):
                session.problems.append("VBS did not take the volume back into the policy it was in (%s): %s %s"
                                        % (origin, code, failed[0].get("message")))
                return False
            return True
        if error.status != 404:
            raise error
        session.problems.append("the policy the volume was in (%s) no longer exists; the volume is left in no "
                                "policy" % origin)
    observation = session.observe("restore", "Take the volume out of the temporary policy",
                                  lambda: session.vbs.disassociate(temporary_id, [volume_id]), tolerate=True)
    if observation.error is not None and observation.error.status != 404:  # 404: the policy is gone, so is the volume
        raise observation.error
    return True


def delete_temporary(session, temporary_id):
    """Delete the temporary policy when it holds no volume; whether it is gone. A policy that still holds
    volumes is left, with a problem said."""
    policies = read_policies(session, "check_temporary", "List the backup policies: is the temporary policy empty?")
    counts = counts_of(policies)
    if temporary_id not in counts:
        return True
    if counts[temporary_id]:
        session.problems.append("the temporary policy %s still holds %d volume(s); it was not deleted"
                                % (temporary_id, counts[temporary_id]))
        return False
    observation = session.observe("delete", "Delete the temporary policy",
                                  lambda: session.vbs.delete_policy(temporary_id), tolerate=True)
    if observation.error is not None and observation.error.status != 404:
        session.problems.append("the temporary policy %s could not be deleted: %s"
                                % (temporary_id, observation.error.msg))
        return False
    return True


def undo(session, volume_id, temporary_id, origin, moved, surely_moved=False):
    """Put the volume back (when it may have ``moved``; ``surely_moved``: this run saw it leave its policy)
    and delete the temporary policy; whether both are done. ``origin`` UNKNOWN with a volume that moved:
    nothing is touched, a problem is said."""
    try:
        if moved:
            if origin == UNKNOWN:
                session.problems.append(
                    "the volume %s is in the temporary policy %s and the policy it was in is not known: associate it "
                    "with that policy again (vbs_policy_resources), then delete %s"
                    % (volume_id, temporary_id, temporary_id))
                return False
            if not put_back(session, volume_id, temporary_id, origin, surely_moved):
                return False  # the temporary policy and its records stay, for the next run
        return delete_temporary(session, temporary_id)
    except VBSError as error:
        session.problems.append("undoing the probe's changes failed: %s" % error.msg)
        return False
