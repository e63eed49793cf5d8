# -*- coding: utf-8 -*-
# Copyright: (c) 2026, huaweicloud.vbs contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""The temporary policies of earlier runs (leftovers), found by name: undone from their tags when no journal
of theirs is on this machine, left alone when nothing says what to undo or another probe may own them."""

import fcntl
import json
import os
import subprocess
import sys
import time

import pytest

from probe_testlib import FREE, run, seed, writes
from support import seeds

MOVED = seeds.volume_id(4)  # the leftover's volume: in the weekly policy before that earlier run
WEEKLY = seeds.policy_id(2)
LEFTOVER_ID = seeds.policy_id(9)


def name(age_seconds):
    return "vbs-probe-%s-beef" % time.strftime("%Y%m%dT%H%M%SZ", time.gmtime(time.time() - age_seconds))


def with_leftover(emulator, age_seconds=3600, tags=None, members=()):
    """The probe seed and a leftover policy; the leftover's name."""
    document = seed()
    leftover_name = name(age_seconds)
    document["policies"].append({"id": LEFTOVER_ID, "name": leftover_name, "members": list(members),
                                 "scheduled_policy": {"status": "OFF"},
                                 "tags": [{"key": key, "value": value} for key, value in (tags or {}).items()]})
    emulator.reset(document)
    return leftover_name


def memberships(emulator):
    return dict((policy["name"], policy["members"]) for policy in emulator.policies())


def test_a_leftover_is_undone_from_its_tags_before_the_probe_runs(emulator, tmp_path):
    expected = memberships(emulator)
    expected["weekly"] = sorted(expected["weekly"] + [MOVED])
    leftover = with_leftover(emulator, tags={"vbs-probe-volume": MOVED, "vbs-probe-origin": WEEKLY},
                             members=[MOVED])

    outcome = run(emulator, tmp_path, FREE)

    assert outcome.returncode == 0, outcome
    assert leftover not in memberships(emulator)
    assert memberships(emulator) == expected
    assert "undo a leftover of an earlier run: put volume %s back in policy %s" % (MOVED, WEEKLY) in outcome.stderr
    assert outcome.report["emulator_switches"]["member_association"] == "success"  # and then it probed


def test_a_leftover_whose_volume_was_in_no_policy_is_emptied_and_deleted(emulator, tmp_path):
    expected = memberships(emulator)
    leftover = with_leftover(emulator, tags={"vbs-probe-volume": MOVED, "vbs-probe-origin": "none"},
                             members=[MOVED])
    outcome = run(emulator, tmp_path, FREE)
    assert outcome.returncode == 0, outcome
    assert leftover not in memberships(emulator) and memberships(emulator) == expected


def test_an_empty_leftover_without_records_is_deleted(emulator, tmp_path):
    expected = memberships(emulator)
    leftover = with_leftover(emulator)
    outcome = run(emulator, tmp_path, FREE)
    assert outcome.returncode == 0, outcome
    assert leftover not in memberships(emulator) and memberships(emulator) == expected


@pytest.mark.parametrize("tags, why", [
    ({}, "no record says which"),
    ({"vbs-probe-volume": MOVED}, "the policy it was in is not known"),
])
def test_a_leftover_holding_a_volume_that_no_record_explains_is_left_alone(emulator, tmp_path, tags, why):
    leftover = with_leftover(emulator, tags=tags, members=[MOVED])
    before = memberships(emulator)

    outcome = run(emulator, tmp_path, FREE)

    assert outcome.returncode == 3, outcome
    assert any(why in problem for problem in outcome.report["problems"]), outcome.report["problems"]
    assert memberships(emulator) == before and leftover in before
    assert writes(emulator) == []  # and the probe did not go on


def test_a_young_leftover_of_another_machine_stops_the_probe_before_any_change(emulator, tmp_path):
    with_leftover(emulator, age_seconds=60, tags={"vbs-probe-volume": MOVED, "vbs-probe-origin": WEEKLY},
                  members=[MOVED])
    outcome = run(emulator, tmp_path, FREE)
    assert outcome.returncode == 1, outcome
    assert any("another probe may be running" in problem for problem in outcome.report["problems"])
    assert writes(emulator) == []


def test_a_leftover_whose_journal_a_live_probe_holds_stops_the_probe(emulator, tmp_path):
    leftover = with_leftover(emulator, age_seconds=60, members=[MOVED])
    journals = tmp_path / "state" / "huaweicloud-vbs-probe"
    journals.mkdir(parents=True, mode=0o700)
    journal = journals / (leftover + ".json")
    journal.write_text(json.dumps({"policy_name": leftover, "project_id": seeds.PROJECT_ID}))
    # Another process holds the journal's lock, as a running probe does.
    holder = subprocess.Popen([sys.executable, "-c", "import fcntl, sys, time\n"
                               "handle = open(sys.argv[1], 'r+')\nfcntl.flock(handle, fcntl.LOCK_EX)\n"
                               "print('locked', flush=True)\ntime.sleep(60)\n", str(journal)],
                              stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "locked"
        outcome = run(emulator, tmp_path, FREE)
    finally:
        holder.kill()
        holder.wait(10)
        holder.stdout.close()
    assert outcome.returncode == 1, outcome
    assert any("still running" in problem for problem in outcome.report["problems"]), outcome.report["problems"]
    assert writes(emulator) == []
    assert journal.exists()
    with open(str(journal)) as handle:  # the probe let go of it
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)


def test_the_journal_of_a_policy_that_is_gone_is_removed(emulator, tmp_path):
    journals = tmp_path / "state" / "huaweicloud-vbs-probe"
    journals.mkdir(parents=True, mode=0o700)
    stale = journals / (name(60) + ".json")
    stale.write_text(json.dumps({"policy_name": name(60), "policy_id": LEFTOVER_ID,
                                 "project_id": seeds.PROJECT_ID}))
    unanswered = journals / (name(30).replace("beef", "cafe") + ".json")  # its create may still be applied
    unanswered.write_text(json.dumps({"policy_name": "x", "policy_id": None, "project_id": seeds.PROJECT_ID}))
    outcome = run(emulator, tmp_path, FREE)
    assert outcome.returncode == 0, outcome
    assert not stale.exists()
    assert sorted(os.listdir(str(journals))) == [unanswered.name]
