# -*- coding: utf-8 -*-
# Copyright: (c) 2026, huaweicloud.vbs contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""Under every combination of the switches it reports, the probe recovers each exactly and leaves the
emulator as it found it: every policy whole (members, schedule, tags), every volume, no journal."""

import itertools
import json
import os

import pytest

from probe_testlib import FREE, IN_DAILY, SWITCH_VALUES, run, snapshot, writes

COMBINATIONS = [dict(zip(SWITCH_VALUES, values)) for values in itertools.product(*SWITCH_VALUES.values())]


def combination_id(switches):
    return "-".join(str(value) for value in switches.values())


@pytest.mark.parametrize("switches", COMBINATIONS, ids=combination_id)
def test_the_probe_recovers_every_switch_and_leaves_everything_as_it_was(emulator, tmp_path, switches):
    # Half the combinations probe a volume that is in a policy, the other half one that is in none.
    volume = IN_DAILY if COMBINATIONS.index(switches) % 2 else FREE
    emulator.configure(**switches)
    before = snapshot(emulator, probed=[volume])

    outcome = run(emulator, tmp_path, volume)

    assert outcome.returncode == 0, outcome
    assert outcome.report["emulator_switches"] == switches, json.dumps(outcome.report["unsettled"])
    assert outcome.report["unsettled"] == {}
    assert outcome.report["left_as_found"] is True and outcome.report["problems"] == []
    assert snapshot(emulator, probed=[volume]) == before
    if switches["evs_policy_metadata"] == "partial" and volume == IN_DAILY:
        # Going back through the API made EVS name the policy where the seed's membership showed none.
        assert outcome.report["notes"] == [
            "the volume's EVS metadata names policy <former-policy> now, and named no policy before the probe (EVS "
            "sets it; the probe never writes metadata)"]
    else:
        assert outcome.report["notes"] == []
    # It touched no other volume: every association call names the probed volume alone.
    for entry in writes(emulator):
        if "backuppolicyresources" in entry["path"]:
            assert [item["resource_id"] for item in entry["body"]["resources"]] == [volume], entry
    assert os.listdir(str(tmp_path / "state" / "huaweicloud-vbs-probe")) == []  # its journal is gone


def test_the_markdown_on_the_terminal_says_what_the_json_report_says(emulator, tmp_path):
    emulator.configure(member_association="fail_with_code", non_member_disassociation="success")
    outcome = run(emulator, tmp_path, IN_DAILY)
    assert outcome.returncode == 0, outcome
    assert outcome.stdout.startswith("# VBS conformance probe\n")
    assert "Outcome: **completed**; the cloud was left as it was found." in outcome.stdout
    for name, value in outcome.report["emulator_switches"].items():
        assert "| `%s` | `%s` |" % (name, json.dumps(value) if value is None else value) in outcome.stdout
    for observation in outcome.report["observations"]:
        assert "(`%s`)" % observation["step"] in outcome.stdout
    # What docs/conformance.md says a run costs.
    assert len(writes(emulator)) == 9
    assert len(emulator.requests()) <= 35
