# -*- coding: utf-8 -*-
# Copyright: (c) 2026, huaweicloud.vbs contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""The temporary policies of interrupted runs: found by name, their records read, and undone.

A leftover is undone from its tags (the probed volume and its former policy) or this machine's journal
(the same, or every policy's count before the volume moved). A leftover that no record explains is left
alone when it holds a volume; so is one younger than GRACE_SECONDS with no journal here, which may belong
to a probe running elsewhere, and one whose journal a live probe on this machine holds.
"""

import os
import time

from ansible_collections.huaweicloud.vbs.plugins.module_utils.vbs_values import is_uuid, policy_id_problem

from . import record, undo
from .reads import counts_of, probe_policies, read_policies
from .session import ProbeStop

GRACE_SECONDS = 600


class Leftover:
    """A temporary policy of an earlier run, what its records say, and its journal (locked) if there is one."""

    def __init__(self, policy, tags, journal, journal_facts):
        self.policy = policy
        self.policy_id = policy["backup_policy_id"]
        self.name = policy["backup_policy_name"]
        self.count = policy["policy_resource_count"]
        self.journal = journal
        facts = journal_facts or {}
        self.volume_id = _agreed(tags.get(record.TAG_VOLUME), facts.get("volume_id"), is_uuid)
        self.origin = _origin(_agreed(tags.get(record.TAG_ORIGIN), facts.get("origin"), _is_origin))
        before = facts.get("counts_before")
        self.counts_before = before if isinstance(before, dict) else None

    def plan(self):
        """What undoing it does, in words."""
        if self.volume_id is None:
            return ("delete the leftover policy %s (%s)" % (self.policy_id, self.name) if not self.count else
                    "leave the leftover policy %s alone: it holds %d volume(s) and no record says which" %
                    (self.policy_id, self.count))
        where = {undo.UNKNOWN: "the policy the counts before it moved say", None: "no policy"}.get(
            self.origin, "policy %s" % self.origin)
        return "put volume %s back in %s, then delete the leftover policy %s (%s)" % (
            self.volume_id, where, self.policy_id, self.name)


def _is_origin(value):
    return value == record.NO_POLICY or not policy_id_problem(value)


def _origin(value):
    if value is None:
        return undo.UNKNOWN
    return None if value == record.NO_POLICY else value


def _agreed(tagged, journaled, valid):
    """The value the tag and the journal give (either, when only one does); None when they disagree or it is
    not valid."""
    values = set(value for value in (tagged, journaled) if value is not None)
    if len(values) != 1:
        return None
    value = values.pop()
    return value if isinstance(value, str) and valid(value) else None


def find(session, policies, journal_directory, now=None):
    """The Leftovers among ``policies``, each journal locked; ProbeStop when one may belong to a live probe."""
    now = time.time() if now is None else now
    found = []
    for policy in probe_policies(policies):
        name = policy["backup_policy_name"]
        journal, facts = record.Journal.take_over(journal_directory, name)
        if facts is not None and facts.get("project_id") != session.vbs.project_id:
            journal.release()
            journal, facts = None, None
        if journal is None and now - record.created_at(name) < GRACE_SECONDS:
            raise ProbeStop("the policy %s (%s) was made by a probe less than %d minutes ago that this machine has "
                            "no journal of: another probe may be running; wait, or run the probe where it ran"
                            % (policy["backup_policy_id"], name, GRACE_SECONDS // 60))
        observation = session.observe("leftover_tags", "Read the tags of the leftover policy %s" % name,
                                      lambda: session.vbs.list_tags(policy["backup_policy_id"]), tolerate=True)
        tags = observation.result or {}
        found.append(Leftover(policy, tags, journal, facts))
    return found


def clean(session, leftover):
    """Undo one leftover; whether it is gone (problems are said in the session)."""
    if leftover.volume_id is None:
        if leftover.count:
            session.problems.append(leftover.plan())
            return False
        return _done(leftover, undo.undo(session, None, leftover.policy_id, None, moved=False))
    origin, moved = leftover.origin, True
    if origin == undo.UNKNOWN:
        now = counts_of(read_policies(session, "leftover_counts", "List the backup policies: where is the "
                                      "leftover's volume?"))
        if not now.get(leftover.policy_id):
            moved = False
        elif leftover.counts_before is not None:
            origin, _reason = undo.origin_from_counts(leftover.counts_before, now, leftover.policy_id)
    return _done(leftover, undo.undo(session, leftover.volume_id, leftover.policy_id, origin, moved))


def _done(leftover, done):
    if leftover.journal is not None:
        if done:
            leftover.journal.remove()
        else:
            leftover.journal.release()
    return done


def release(leftovers):
    for leftover in leftovers:
        if leftover.journal is not None:
            leftover.journal.release()


def stale_journals(journal_directory, policies, project_id, now=None):
    """Journals of this project whose policy is not listed (any more): removed. They are what remains of a run
    stopped after it deleted its policy, or before it created one. A journal without the policy's ID (its
    create got no answer: VBS may still create it) is kept for GRACE_SECONDS.
    """
    now = time.time() if now is None else now
    names = set(policy.get("backup_policy_name") for policy in policies)
    listed = set(policy.get("backup_policy_id") for policy in policies)
    try:
        files = os.listdir(journal_directory)
    except OSError:
        return []
    removed = []
    for file_name in sorted(files):
        name = file_name[:-len(".json")]
        if not file_name.endswith(".json") or not record.is_probe_name(name) or name in names:
            continue
        try:
            journal, facts = record.Journal.take_over(journal_directory, name)
        except ProbeStop:  # a live run holds it, or it is not one of ours
            continue
        if journal is None:
            continue
        created = facts.get("policy_id") is not None and facts.get("policy_id") not in listed
        if facts.get("project_id") == project_id and (created or now - record.created_at(name) >= GRACE_SECONDS):
            journal.remove()
            removed.append(name)
        else:
            journal.release()
    return removed
