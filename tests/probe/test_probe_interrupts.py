# -*- coding: utf-8 -*-
# Copyright: (c) 2026, huaweicloud.vbs contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""Interrupted at each step, the probe leaves the cloud as it found it: after Ctrl-C (SIGINT) it undoes
its own changes; killed (SIGKILL), the next run undoes them; a step that fails for good is undone by the
next run too.

Each case stalls one request of the probe (an armed ``slow`` fault: the emulator applies the request
after the stall) and interrupts the probe while it waits for that answer, so the request lands after the
interruption, as a real one may.
"""

import signal

import pytest

from probe_testlib import DAILY, FREE, IN_DAILY, Running, run, settled, snapshot, wait_until
from support import seeds

STALL_MS = 500
POLICIES = "/v2/%s/backuppolicy" % seeds.PROJECT_ID
ASSOCIATE = "/v2/%s/backuppolicyresources" % seeds.PROJECT_ID
DISASSOCIATE = ASSOCIATE + "/*/deleted_resources"
VOLUME = "/v2/%s/cloudvolumes/*" % seeds.PROJECT_ID

# (step, method, path, matching requests let through first) of a run on a volume in a policy; the first
# deleted_resources call is the one on a policy that does not exist.
STEPS = [
    ("create", "POST", POLICIES, 0),
    ("associate_new", "POST", ASSOCIATE, 0),
    ("counts_after_associate_new", "GET", POLICIES, 3),  # the volume is in the temporary policy, origin not tagged
    ("origin_tag", "POST", POLICIES + "/*/tags/action", 0),
    ("metadata_after_associate", "GET", VOLUME, 5),  # after the volume, its listing and three filtered ones
    ("associate_member", "POST", ASSOCIATE, 1),
    ("disassociate_unknown_policy", "POST", DISASSOCIATE, 0),
    ("disassociate_member", "POST", DISASSOCIATE, 1),
    ("disassociate_non_member", "POST", DISASSOCIATE, 2),
    ("restore", "POST", ASSOCIATE, 2),
    ("delete", "DELETE", POLICIES + "/*", 0),
]
# Where the volume is, and whether EVS metadata names its policy (else the counts tell the probe).
SETUPS = [(IN_DAILY, "off"), (FREE, "sync")]


def _cases():
    for index, (step, method, path, skip) in enumerate(STEPS):
        volume, metadata = SETUPS[index % 2]
        if step == "restore" and volume == FREE:
            # A volume in no policy goes back by leaving the temporary policy: the third disassociation.
            method, path, skip = "POST", DISASSOCIATE, 3
        yield pytest.param(volume, metadata, method, path, skip, id="%s-%s" % (step, metadata))


CASES = list(_cases())


def stall(emulator, method, path, skip):
    emulator.configure(slow_ms=STALL_MS)
    status, _data = emulator.call("POST", "/_emulator/faults", {"method": method, "path": path, "kind": "slow",
                                                                "skip": skip})
    assert status == 204


def interrupt_while_stalled(emulator, probe, signum):
    """Send ``signum`` once the stalled request has reached the emulator."""
    wait_until(lambda: emulator.call("GET", "/_emulator/faults")[1]["armed"] == [] or probe.poll() is not None,
               what="the stalled request")
    assert probe.poll() is None, "the probe ended before the stalled request"
    probe.send_signal(signum)


@pytest.mark.parametrize("volume, metadata, method, path, skip", CASES)
def test_ctrl_c_at_any_step_undoes_what_the_probe_did(emulator, tmp_path, volume, metadata, method, path, skip):
    emulator.configure(evs_policy_metadata=metadata)
    before = snapshot(emulator, probed=[volume])
    stall(emulator, method, path, skip)

    probe = Running(emulator, tmp_path, volume)
    interrupt_while_stalled(emulator, probe, signal.SIGINT)
    outcome = probe.finish()
    settled(emulator)

    assert outcome.returncode == 130, outcome
    assert outcome.report["outcome"] == "interrupted"
    assert outcome.report["left_as_found"] is True, outcome.report["problems"]
    assert snapshot(emulator, probed=[volume]) == before
    assert list((tmp_path / "state" / "huaweicloud-vbs-probe").iterdir()) == []


@pytest.mark.parametrize("volume, metadata, method, path, skip", CASES)
def test_a_run_after_a_killed_one_undoes_what_that_one_did(emulator, tmp_path, volume, metadata, method, path,
                                                           skip):
    emulator.configure(evs_policy_metadata=metadata)
    before = snapshot(emulator, probed=[volume])
    stall(emulator, method, path, skip)

    probe = Running(emulator, tmp_path, volume)
    interrupt_while_stalled(emulator, probe, signal.SIGKILL)
    probe.finish()
    settled(emulator)  # the stalled request has done what it does
    left_over = [policy for policy in emulator.policies() if policy["name"].startswith("vbs-probe-")]

    outcome = run(emulator, tmp_path, volume)

    assert outcome.returncode == 0, outcome
    assert outcome.report["left_as_found"] is True, outcome.report["problems"]
    assert snapshot(emulator, probed=[volume]) == before
    assert list((tmp_path / "state" / "huaweicloud-vbs-probe").iterdir()) == []
    # The killed run's policy, unless that run had deleted it already, was undone before anything else.
    assert len(left_over) == (0 if path == POLICIES + "/*" else 1)
    undone = [entry for entry in outcome.report["observations"] if entry["step"] == "leftover_tags"]
    assert len(undone) == len(left_over), [entry["step"] for entry in outcome.report["observations"]]


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGHUP])
def test_sigterm_and_sighup_stop_the_probe_as_ctrl_c_does(emulator, tmp_path, signum):
    before = snapshot(emulator, probed=[IN_DAILY])
    stall(emulator, "POST", ASSOCIATE, 1)  # the second association
    probe = Running(emulator, tmp_path, IN_DAILY)
    interrupt_while_stalled(emulator, probe, signum)
    outcome = probe.finish()
    settled(emulator)
    assert outcome.returncode == 130, outcome
    assert outcome.report["left_as_found"] is True
    assert snapshot(emulator, probed=[IN_DAILY]) == before


def test_a_second_ctrl_c_while_undoing_leaves_the_rest_to_the_next_run(emulator, tmp_path):
    before = snapshot(emulator, probed=[IN_DAILY])
    stall(emulator, "POST", ASSOCIATE, 2)  # the way back, while the probe undoes
    probe = Running(emulator, tmp_path, IN_DAILY)
    interrupt_while_stalled(emulator, probe, signal.SIGINT)
    wait_until(lambda: "interrupt once more" in probe.stderr_so_far(), what="the probe's answer to Ctrl-C")
    probe.send_signal(signal.SIGINT)
    outcome = probe.finish()
    settled(emulator)

    assert outcome.returncode == 3, outcome
    assert "run the probe again to finish" in " ".join(outcome.report["problems"])
    assert [policy for policy in emulator.policies() if policy["name"].startswith("vbs-probe-")]
    again = run(emulator, tmp_path, IN_DAILY)
    assert again.returncode == 0, again
    assert snapshot(emulator, probed=[IN_DAILY]) == before


def test_a_step_that_fails_for_good_is_undone_by_the_next_run(emulator, tmp_path):
    """The policy the volume goes back to is being executed: VBS refuses to take the volume back. The
    temporary policy and the journal stay, so that the next run can put the volume back."""
    before = snapshot(emulator, probed=[IN_DAILY])
    stall(emulator, "POST", ASSOCIATE, 2)  # the way back
    probe = Running(emulator, tmp_path, IN_DAILY)
    wait_until(lambda: emulator.call("GET", "/_emulator/faults")[1]["armed"] == [], what="the way back")
    emulator.set_executing(DAILY, True)
    outcome = probe.finish()

    assert outcome.returncode == 3, outcome
    assert outcome.report["left_as_found"] is False
    assert any("did not take the volume back" in problem and "AutoBackup.0225" in problem
               for problem in outcome.report["problems"]), outcome.report["problems"]
    assert IN_DAILY not in emulator.members(DAILY)
    assert [policy["name"] for policy in emulator.policies() if policy["name"].startswith("vbs-probe-")]
    assert len(list((tmp_path / "state" / "huaweicloud-vbs-probe").iterdir())) == 1

    emulator.set_executing(DAILY, False)
    again = run(emulator, tmp_path, IN_DAILY)
    assert again.returncode == 0, again
    assert snapshot(emulator, probed=[IN_DAILY]) == before
    assert list((tmp_path / "state" / "huaweicloud-vbs-probe").iterdir()) == []


def test_an_answer_lost_after_the_delete_does_not_leave_anything(emulator, tmp_path):
    """VBS deleted the temporary policy but answered 500: the repeated delete finds it gone (404)."""
    before = snapshot(emulator, probed=[FREE])
    emulator.call("POST", "/_emulator/faults", {"method": "DELETE", "path": POLICIES + "/*",
                                                "kind": "error500_after_apply"})
    outcome = run(emulator, tmp_path, FREE)
    assert outcome.returncode == 0, outcome
    assert outcome.report["left_as_found"] is True
    assert snapshot(emulator, probed=[FREE]) == before
    deletes = [entry for entry in emulator.requests() if entry["method"] == "DELETE"]
    assert [entry["status"] for entry in deletes] == [500, 404]
