# -*- coding: utf-8 -*-
# Copyright: (c) 2026, huaweicloud.vbs contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""The probe's changes, in order, each observed: create the temporary policy (switched off), associate the
probed volume with it (new), associate it again (a member), disassociate it from a policy that does not
exist, disassociate it (a member), disassociate it again (not a member); then undo (undo.py).

The volume's former policy is recorded (journal, then the temporary policy's tags) before the volume can
leave it, or, when EVS metadata does not name it, right after the first association from the counts of
every policy (undo.origin_from_counts).
"""

import time

from ansible_collections.huaweicloud.vbs.plugins.module_utils.vbs_evs import policy_filter
from ansible_collections.huaweicloud.vbs.plugins.module_utils.vbs_values import policy_id_problem

from . import record, undo, verdict
from .reads import counts_of, read_policies
from .session import ProbeStop

# The temporary policy: switched off, so that no backup ever runs; the smallest schedule every cloud takes.
SCHEDULE = {"start_time": "00:00", "frequency": 1, "rentention_num": 2, "remain_first_backup_of_curMonth": "N",
            "status": "OFF"}
FIRST_POLL_SECONDS = 0.25
MAX_POLL_SECONDS = 4.0
# Tag values hold at most this many letters, digits, "-" and "_" (VBS API reference).
MAX_TAG_VALUE = 43


def tag_problem(value):
    """Why ``value`` cannot be a policy tag's value, or None."""
    if len(value) > MAX_TAG_VALUE or not all(char.isalnum() or char in "-_" for char in value):
        return "it is longer than %d characters or holds characters other than letters, digits, - and _" % (
            MAX_TAG_VALUE)
    return None


class Change:
    """One run's changes and what it knows to undo them (``origin`` is undo.UNKNOWN until known)."""

    def __init__(self, session, journal_directory, metadata_wait, before, metadata_guess, unknown_policy_id,
                 clock=time.monotonic, sleep=time.sleep):
        self.session = session
        self.journal_directory = journal_directory
        self.metadata_wait = metadata_wait
        self.before = before  # {policy ID: count} before any change
        self.metadata_guess = metadata_guess  # the policy EVS metadata named before any change, or None
        self.unknown_policy_id = unknown_policy_id
        self.clock = clock
        self.sleep = sleep
        self.name = record.policy_name()
        self.temporary_id = None
        self.create_sent = False
        self.moved = False
        self.origin = undo.UNKNOWN
        self.journal = None
        self.verdicts = {}
        self.metadata_appeared = None
        self.metadata_cleared = None

    # -- the steps ------------------------------------------------------------------

    def run(self):
        self.create()
        self.associate_new()
        self.associate_member()
        self.disassociate_unknown_policy()
        self.disassociate_member()
        self.disassociate_non_member()

    def _created_or_stop(self, error):
        """After a create that may have been applied: the ID of the policy with the probe's name, else ``error``.

        The create is never sent twice: one that is applied late is found by its name and removed as a leftover.
        """
        named = [policy for policy in self.session.vbs.list_policies() if policy["backup_policy_name"] == self.name]
        if len(named) == 1:
            return named[0]["backup_policy_id"]
        raise error

    def create(self):
        session = self.session
        self.journal = record.Journal.start(self.journal_directory, self.name, self._journal_facts())
        body = {"backup_policy_name": self.name, "scheduled_policy": dict(SCHEDULE),
                "tags": [{"key": record.TAG_VOLUME, "value": session.volume_id}]}
        self.create_sent = True
        observation = session.observe("create", "Create the temporary policy %s, switched off" % self.name,
                                      lambda: session.vbs.create_policy(body, self._created_or_stop), tolerate=True)
        if observation.error is not None:
            if not observation.error.maybe_applied:
                self.create_sent = False
            raise ProbeStop("VBS did not create the temporary policy: %s" % observation.error.msg)
        self.temporary_id = observation.result
        self._save_journal()
        policies = read_policies(session, "after_create", "List the backup policies: the temporary policy")
        listed = [policy for policy in policies if policy["backup_policy_id"] == self.temporary_id]
        status = (listed[0].get("scheduled_policy") or {}).get("status") if listed else None
        session.find("after_create").facts.update(temporary_status=status)
        if status != "OFF":
            raise ProbeStop("the temporary policy is listed with status %r, not OFF: a backup could run" % (status,))
        tags = session.observe("temporary_tags", "Read the temporary policy's tags",
                               lambda: session.vbs.list_tags(self.temporary_id), tolerate=True)
        kept = tags.error is None and tags.result.get(record.TAG_VOLUME) == session.volume_id
        tags.facts.update(volume_tag_kept=kept)
        if not kept:
            session.notes.append("VBS did not keep the temporary policy's tags: an interrupted run can be finished "
                                 "only from this machine's journal (%s)" % self.journal.path)

    def associate_new(self):
        session = self.session
        self.moved = True
        observation = session.observe("associate_new", "Associate the volume with the temporary policy (new)",
                                      lambda: session.vbs.associate(self.temporary_id, [session.volume_id]))
        success, fail = observation.result[:2]
        now = self._counts("after_associate_new")
        if now.get(self.temporary_id) != 1:
            if not now.get(self.temporary_id):
                self.moved = False
            raise ProbeStop("the volume did not join the temporary policy (its count is %s): %s"
                            % (now.get(self.temporary_id), fail or success))
        self.origin, reason = undo.origin_from_counts(self.before, now, self.temporary_id, self.metadata_guess)
        observation.facts.update(former_policy=self.origin, metadata_said=self.metadata_guess)
        if self.origin == undo.UNKNOWN:
            raise ProbeStop(reason)
        if self.metadata_guess is not None and self.origin != self.metadata_guess:
            session.notes.append("EVS metadata named %s as the volume's policy before the probe, the volume counts "
                                 "say %s; the volume goes back to %s" % (self.metadata_guess, self.origin, self.origin))
        self._record_origin()
        waited = self._wait_for_metadata("metadata_after_associate", "Wait for the volume's EVS metadata to name "
                                         "the temporary policy", lambda policy: policy == self.temporary_id)
        self.metadata_appeared = waited
        if waited:
            self._check_own_metadata_filter()

    def associate_member(self):
        session = self.session
        observation = session.observe("associate_member", "Associate the volume with the temporary policy again "
                                      "(a member)", lambda: session.vbs.associate(self.temporary_id,
                                                                                  [session.volume_id]))
        self.verdicts["member_association"] = verdict.member_association(session.volume_id, observation.result,
                                                                         observation.repeated)
        self._counts("after_associate_member")

    def disassociate_unknown_policy(self):
        session = self.session
        observation = session.observe("unknown_policy_write", "Disassociate the volume from a policy that does "
                                      "not exist", lambda: session.vbs.disassociate(self.unknown_policy_id,
                                                                                    [session.volume_id]),
                                      tolerate=True)
        error = observation.error
        observation.facts.update(status=error.status if error else 200, code=error.code if error else None)
        self._counts("after_unknown_policy_write")

    def disassociate_member(self):
        session = self.session
        session.observe("disassociate_member", "Disassociate the volume from the temporary policy (a member)",
                        lambda: session.vbs.disassociate(self.temporary_id, [session.volume_id]))
        now = self._counts("after_disassociate_member")
        if now.get(self.temporary_id) != 0:
            raise ProbeStop("the volume did not leave the temporary policy (its count is %s)"
                            % now.get(self.temporary_id))
        if self.metadata_appeared:
            self.metadata_cleared = self._wait_for_metadata(
                "metadata_after_disassociate", "Wait for the volume's EVS metadata to stop naming the temporary "
                "policy", lambda policy: policy != self.temporary_id)

    def disassociate_non_member(self):
        session = self.session
        observation = session.observe("disassociate_non_member", "Disassociate the volume from the temporary "
                                      "policy again (not a member)",
                                      lambda: session.vbs.disassociate(self.temporary_id, [session.volume_id]))
        self.verdicts["non_member_disassociation"] = verdict.non_member_disassociation(
            session.volume_id, observation.result, observation.repeated)
        self._counts("after_disassociate_non_member")

    # -- undoing -----------------------------------------------------------------

    def undo(self, in_flight):
        """Put everything back; whether it is. ``in_flight``: a write was interrupted before its answer, and
        the server may still apply it: wait a moment first."""
        session = self.session
        if in_flight:
            self.sleep(undo.SETTLE_SECONDS)
        if not self.create_sent:
            self._forget()
            return True
        if self.temporary_id is None and not self._find_temporary():
            session.problems.append("the request that creates the temporary policy %s got no answer and the policy "
                                    "is not listed: if VBS creates it late, the next run of the probe removes it "
                                    "(journal %s)" % (self.name, self.journal.path))
            return False
        surely_moved = self.moved and self.origin != undo.UNKNOWN  # origin is known once it left, not before
        if self.moved and self.origin == undo.UNKNOWN:
            now = counts_of(read_policies(session, "undo_counts", "List the backup policies: did the volume move?"))
            if not now.get(self.temporary_id):
                self.moved = False
            else:
                self.origin, _reason = undo.origin_from_counts(self.before, now, self.temporary_id,
                                                               self.metadata_guess)
        done = undo.undo(session, session.volume_id, self.temporary_id, self.origin, self.moved, surely_moved)
        if done:
            self._forget()
        return done

    def _find_temporary(self):
        policies = read_policies(self.session, "find_temporary", "List the backup policies: was the temporary "
                                 "policy created?")
        found = [policy["backup_policy_id"] for policy in policies if policy.get("backup_policy_name") == self.name]
        if found:
            self.temporary_id = found[0]
        return bool(found)

    def _forget(self):
        if self.journal is not None:
            self.journal.remove()
            self.journal = None

    # -- helpers -----------------------------------------------------------------

    def _journal_facts(self):
        vbs = self.session.vbs
        facts = {"policy_name": self.name, "policy_id": self.temporary_id, "volume_id": self.session.volume_id,
                 "project_id": vbs.project_id, "endpoint": vbs.endpoint, "counts_before": self.before,
                 "metadata_policy": self.metadata_guess}
        if self.origin != undo.UNKNOWN:
            facts["origin"] = record.origin_tag(self.origin)
        return facts

    def _save_journal(self):
        self.journal.save(self._journal_facts())

    def _record_origin(self):
        """The former policy into the journal and the temporary policy's tags."""
        session = self.session
        self._save_journal()
        value = record.origin_tag(self.origin)
        problem = tag_problem(value)
        if problem is None:
            observation = session.observe("origin_tag", "Tag the temporary policy with the volume's former policy",
                                          lambda: session.vbs.tag_action(self.temporary_id, "create",
                                                                         {record.TAG_ORIGIN: value}), tolerate=True)
            problem = observation.error.msg if observation.error is not None else None
        if problem is not None:
            session.notes.append("the volume's former policy is not among the temporary policy's tags (%s): an "
                                 "interrupted run can be finished only from this machine's journal" % problem)

    def _counts(self, name):
        now = counts_of(read_policies(self.session, name, "List the backup policies: the volume counts"))
        changed = dict((policy_id, [self.before.get(policy_id), count]) for policy_id, count in now.items()
                       if self.before.get(policy_id) != count)
        self.session.find(name).facts.update(changed_counts=changed)
        return now

    def _wait_for_metadata(self, name, title, wanted):
        """Whether the volume's metadata policy came to satisfy ``wanted`` within metadata_wait seconds (None:
        EVS could not be read)."""
        session = self.session
        if session.evs is None:
            return None

        def wait():
            start, pause, reads = self.clock(), FIRST_POLL_SECONDS, 0
            while True:
                volume = session.evs.get_volume(session.volume_id)
                reads += 1
                policy = volume["backup_policy_id"] if volume else None
                elapsed = self.clock() - start
                if wanted(policy) or elapsed >= self.metadata_wait:
                    return dict(seen=wanted(policy), seconds=round(elapsed, 2), reads=reads, metadata_policy=policy)
                self.sleep(min(pause, self.metadata_wait - elapsed))
                pause = min(pause * 2, MAX_POLL_SECONDS)

        observation = session.observe(name, title, wait, tolerate=True)
        if observation.error is not None:
            return None
        observation.facts.update(observation.result)
        return observation.result["seen"]

    def _check_own_metadata_filter(self):
        session = self.session
        observation = session.observe("metadata_filter_own", "Filter the volumes by the temporary policy's metadata",
                                      lambda: session.evs.count_volumes([policy_filter(self.temporary_id)]),
                                      tolerate=True)
        if observation.error is None:
            count, first = observation.result
            observation.facts.update(count=count, first=first["id"] if first else None)
            self.verdicts["metadata_filter_own"] = count == 1 and first is not None and first["id"] == session.volume_id


def usable_guess(volume, before):
    """The policy that the probed volume's EVS metadata names, when it is a listed policy; else None."""
    policy_id = volume["backup_policy_id"] if volume else None
    if policy_id is None or policy_id_problem(policy_id) or policy_id not in before:
        return None
    return policy_id
