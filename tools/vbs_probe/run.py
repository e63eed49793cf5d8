# -*- coding: utf-8 -*-
# Copyright: (c) 2026, huaweicloud.vbs contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""One probe run from start to end: the reads, the leftovers of earlier runs, the changes, their undoing
(also after an error or an interruption), the check that the cloud is as it was, and the verdicts."""

import signal
import time
import uuid

from ansible_collections.huaweicloud.vbs.plugins.module_utils.vbs_errors import VBSError

from . import leftovers, reads, verdict
from .session import ProbeStop
from .steps import Change, usable_guess

COMPLETED, DRY_RUN, STOPPED, INTERRUPTED = "completed", "dry run", "stopped", "interrupted"
STOPPING_SIGNALS = tuple(getattr(signal, name) for name in ("SIGINT", "SIGTERM", "SIGHUP") if hasattr(signal, name))
NOT_REACHED = "the probe did not reach the step that shows it"


class Signals:
    """SIGINT (Ctrl-C), SIGTERM and SIGHUP while the probe runs.

    While it reads and changes, a signal interrupts it (KeyboardInterrupt), so that what it changed is
    undone. Once ``undoing``, the first signal only says so; a second one stops the undoing (the next run
    of the probe finishes it). ``received`` counts the signals of the undoing.
    """

    def __init__(self, say):
        self.say = say
        self.undoing = False
        self.received = 0
        self._previous = {}

    def __enter__(self):
        self._previous = dict((signum, signal.signal(signum, self._on_signal)) for signum in STOPPING_SIGNALS)
        return self

    def __exit__(self, *exc_info):
        for signum, handler in self._previous.items():
            signal.signal(signum, handler)

    def _on_signal(self, _signum, _frame):
        if not self.undoing:
            raise KeyboardInterrupt
        self.received += 1
        if self.received > 1:
            raise KeyboardInterrupt
        self.say("putting the cloud back as it was; interrupt once more to leave that to the next run of the probe")


class Run:
    """A probe run over a Session; execute() leaves outcome, left_as_found, verdicts and plan set."""

    def __init__(self, session, journal_directory, metadata_wait, dry_run, endpoints, version):
        self.session = session
        self.journal_directory = journal_directory
        self.metadata_wait = metadata_wait
        self.dry_run = dry_run
        self.endpoints = endpoints
        self.version = version
        self.started = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
        self.unknown_policy_id = str(uuid.uuid4())
        self.outcome = None
        self.left_as_found = None
        self.plan = []
        self.verdicts = {}
        self.policies = []
        self.volume = None
        self.coverage = None
        self.change = None
        self._leftovers = []

    def execute(self):
        with Signals(self.session.say) as signals:
            try:
                self._reads()
                if self.dry_run:
                    self.outcome = DRY_RUN
                    self._plan()
                else:
                    self._changes()
                    self.outcome = COMPLETED
            except VBSError as error:  # a refused call, or a ProbeStop: the probe cannot go on
                signals.undoing = True
                self.session.problems.append(error.msg)
                self.outcome = STOPPED
            except KeyboardInterrupt:
                signals.undoing = True
                self.session.problems.append("interrupted")
                self.outcome = INTERRUPTED
            finally:
                signals.undoing = True
                leftovers.release(self._leftovers)
            if self.change is not None:
                self._undo(signals)
        self._judge()

    # -- phases ---------------------------------------------------------------

    def _reads(self):
        session = self.session
        self.volume = reads.read_volume(session)
        self.policies = reads.read_policies(session)
        reads.read_client_limit(session)
        reads.read_unknown_policy(session, self.unknown_policy_id)
        self.coverage, total = reads.read_metadata_coverage(session, self.policies)
        metadata_filter, ids_filter = reads.read_filters(session, total)
        self.verdicts.update(evs_metadata_filter=metadata_filter, evs_ids_filter=ids_filter)
        observation = session.find("policies")
        self.verdicts["page_size"] = verdict.page_size(observation.facts["first_page"],
                                                       observation.facts["next_link"], len(self.policies))
        if session.evs is None:
            session.notes.append("no EVS endpoint is known (set HW_EVS_ENDPOINT): EVS was not read")
        if session.evs is not None and session.find("volume").error is None:
            problem = reads.volume_problem(self.volume)
            if problem:
                raise ProbeStop(problem)
        self._leftovers = leftovers.find(session, self.policies, self.journal_directory)

    def _changes(self):
        session = self.session
        if self._leftovers:
            for leftover in self._leftovers:
                session.say("undo a leftover of an earlier run: %s" % leftover.plan())
                if not leftovers.clean(session, leftover):
                    self.left_as_found = False
                    raise ProbeStop("a leftover of an earlier run could not be undone; nothing else was changed")
            self._leftovers = []
            self.volume = reads.read_volume(session, "volume_again", "Read the probed volume again (EVS)")
            self.policies = reads.read_policies(session, "policies_again", "List the backup policies again (VBS)")
        for name in leftovers.stale_journals(self.journal_directory, self.policies, session.vbs.project_id):
            session.notes.append("removed the journal of %s, a policy that no longer exists" % name)
        before = reads.counts_of(self.policies)
        self.change = Change(session, self.journal_directory, self.metadata_wait, before,
                             usable_guess(self.volume, before), self.unknown_policy_id)
        self.change.run()

    def _undo(self, signals):
        session = self.session
        try:
            in_flight = session.transport.write_in_flight()
            done = self.change.undo(in_flight)
            final = reads.counts_of(reads.read_policies(session, "final", "List the backup policies: as before?"))
        except VBSError as error:
            session.problems.append("checking that the cloud is as it was failed: %s" % error.msg)
            self.left_as_found = False
            return
        except KeyboardInterrupt:
            session.problems.append("interrupted while putting things back: run the probe again to finish")
            self.left_as_found = False
            return
        if signals.received and self.outcome != INTERRUPTED:
            session.problems.append("interrupted")
            self.outcome = INTERRUPTED
        differences = ["policy %s holds %s volume(s), %s before" % (policy_id, final.get(policy_id), count)
                       for policy_id, count in sorted(self.change.before.items()) if final.get(policy_id) != count]
        if self.change.temporary_id in final:
            differences.append("the temporary policy %s is still there" % self.change.temporary_id)
        session.problems.extend(differences)
        self.left_as_found = done and not differences
        if session.evs is not None:
            after = reads.read_volume(session, "volume_after", "Read the probed volume again (EVS): its metadata")
            was = self.volume["backup_policy_id"] if self.volume is not None else None
            if after is not None and self.volume is not None and after["backup_policy_id"] != was:
                session.notes.append("the volume's EVS metadata names %s now, and named %s before the probe (EVS "
                                     "sets it; the probe never writes metadata)"
                                     % (_policy_words(after["backup_policy_id"]), _policy_words(was)))

    def _judge(self):
        change = self.change
        verdicts = change.verdicts if change is not None else {}
        reason = "a dry run does not send the calls that show it" if self.dry_run else NOT_REACHED
        for name in ("member_association", "non_member_disassociation"):
            self.verdicts[name] = verdicts.get(name) or verdict.unsettled(reason)
        appeared = change.metadata_appeared if change is not None else None
        if not self.dry_run and appeared is None and self.coverage is not None:
            self.verdicts["evs_policy_metadata"] = verdict.unsettled(NOT_REACHED)
        else:
            self.verdicts["evs_policy_metadata"] = verdict.evs_policy_metadata(
                self.coverage, appeared, change.metadata_cleared if change is not None else None)
        if verdicts.get("metadata_filter_own") is False and self.verdicts["evs_metadata_filter"].value == "supported":
            self.verdicts["evs_metadata_filter"] = verdict.unsettled(
                "EVS listed nothing for a metadata policy no volume has, but not exactly the probed volume for the "
                "temporary policy")

    def _plan(self):
        volume = self.session.volume_id
        guess = usable_guess(self.volume, reads.counts_of(self.policies))
        self.plan = [leftover.plan() for leftover in self._leftovers]
        self.plan += [
            "create a temporary policy named vbs-probe-<UTC time>-<4 hex digits>, status OFF (no backup runs), "
            "tagged with the volume",
            "associate volume %s with it (new), list every policy's volume count and tag the temporary policy with "
            "the policy the volume was in (EVS metadata says %s)" % (volume, guess or "none"),
            "wait up to %s s for the volume's EVS metadata to name the temporary policy, and filter the volumes by "
            "that metadata" % self.metadata_wait,
            "associate the volume with it again (a member)",
            "disassociate the volume from a policy that does not exist (%s)" % self.unknown_policy_id,
            "disassociate the volume from it (a member) and wait for the metadata to go",
            "disassociate the volume from it again (not a member)",
            "associate the volume with the policy it was in again (or leave it in none), delete the temporary "
            "policy, and compare every policy's volume count with the counts before",
        ]


def _policy_words(policy_id):
    return "no policy" if policy_id is None else "policy %s" % policy_id


def exit_status(run):
    """0: done (or a dry run) and the cloud as found; 1: stopped on an error, the cloud as found; 3: something
    is left over (the problems say what; run the probe again); 130: interrupted, the cloud as found."""
    if run.left_as_found is False:
        return 3
    return {COMPLETED: 0, DRY_RUN: 0, STOPPED: 1, INTERRUPTED: 130}[run.outcome]
