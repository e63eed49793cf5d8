# -*- coding: utf-8 -*-
# Copyright: (c) 2026, huaweicloud.vbs contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""tools/vbs-emulator --profile REPORT: the emulator starts with the switches of a probe's report."""

import json
import subprocess
import sys

import pytest

from support.emulator import LAUNCHER, EmulatorProcess

SWITCHES = {"member_association": "fail_with_code", "non_member_disassociation": "success",
            "evs_policy_metadata": "partial", "evs_metadata_filter": "ignored", "evs_ids_filter": "ignored",
            "page_size": 2}


def write(tmp_path, document):
    path = tmp_path / "report.json"
    path.write_text(json.dumps(document))
    return str(path)


def test_the_profile_s_switches_are_the_starting_settings(tmp_path):
    report = {"report_format": 1, "volume_id": "not read", "emulator_switches": SWITCHES,
              "unsettled": {"other": "not read either"}}
    # The profile wins over a flag of the same switch.
    with EmulatorProcess(args=["--profile", write(tmp_path, report), "--member-association", "success",
                               "--latency-ms", "3"]) as emulator:
        config = emulator.config()
        assert dict((name, config[name]) for name in SWITCHES) == SWITCHES
        assert config["latency_ms"] == 3  # flags of other settings still apply
        emulator.reset()
        assert emulator.config()["evs_policy_metadata"] == "partial"  # a reset keeps the settings


@pytest.mark.parametrize("document, message", [
    ({"emulator_switches": {"fault_rate": 0.5}}, "unknown switch(es) fault_rate; a profile may set: "),
    ({"emulator_switches": {"member_assocation": "success"}}, "unknown switch(es) member_assocation"),
    ({"emulator_switches": {"member_association": "maybe"}},
     "member_association must be one of success, fail_with_code, not 'maybe'"),
    ({"emulator_switches": {"page_size": "two"}}, "page_size must be a number"),
    ({"volume_id": "x"}, "no emulator_switches object"),
    ([], "no emulator_switches object"),
])
def test_a_profile_with_an_unknown_switch_or_value_is_refused(tmp_path, document, message):
    completed = subprocess.run([sys.executable, LAUNCHER, "--port", "0", "--profile", write(tmp_path, document)],
                               capture_output=True, text=True, timeout=60, check=False)
    assert completed.returncode == 2
    assert completed.stdout == ""  # it never listened
    assert "vbs-emulator: --profile %s: " % (tmp_path / "report.json") in completed.stderr
    assert message in completed.stderr


def test_a_profile_that_cannot_be_read_is_refused(tmp_path):
    path = tmp_path / "report.json"
    path.write_text("{not json")
    completed = subprocess.run([sys.executable, LAUNCHER, "--port", "0", "--profile", str(path)],
                               capture_output=True, text=True, timeout=60, check=False)
    assert completed.returncode == 2 and "cannot read" in completed.stderr
