# -*- coding: utf-8 -*-
# Copyright: (c) 2026, huaweicloud.vbs contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""What the probe refuses before it changes anything, what its report never shows, and where it runs: with
only requests installed (no ansible-core), from a checkout or from the installed collection."""

import os
import re
import subprocess
import sys

import pytest

from probe_testlib import (
    FREE, IN_DAILY, METADATA_WAIT, PROBE, UUID_PATTERN, environment, run, seed, snapshot, writes)
from support import seeds
from support.collection import INSTALLED

UNKNOWN_VOLUME = "0f6f2b5c-3b8e-4a6e-9d3c-7f1e2a4b5c6d"


@pytest.mark.parametrize("args, message", [
    (["--volume", "vol-1"], "--volume must be an EVS volume ID"),
    (["--volume", FREE, "--metadata-wait", "-1"], "--metadata-wait must be from 0 to 3600 seconds"),
    (["--volume", FREE, "--report", "/nonexistent-directory/report.json"], "not a file in a writable directory"),
])
def test_bad_arguments_are_refused_before_any_request(emulator, tmp_path, args, message):
    completed = subprocess.run([sys.executable, PROBE] + args, env=environment(emulator, tmp_path),
                               capture_output=True, text=True, timeout=60, check=False)
    assert completed.returncode == 2
    assert message in completed.stderr
    assert emulator.requests() == []


@pytest.mark.parametrize("unset, message", [
    ("HW_SECRET_KEY", "access_key and secret_key go together: secret_key (HW_SECRET_KEY) is missing"),
    ("HW_REGION_NAME HW_AUTH_URL", "region (HW_REGION_NAME) is required unless both endpoint"),
])
def test_the_connection_is_checked_by_the_modules_rules_before_any_request(emulator, tmp_path, unset, message):
    env = environment(emulator, tmp_path)
    for name in unset.split():
        env.pop(name)
    completed = subprocess.run([sys.executable, PROBE, "--volume", FREE], env=env, capture_output=True, text=True,
                               timeout=60, check=False)
    assert completed.returncode == 2, completed.stderr
    assert "vbs-probe: %s" % message in completed.stderr
    assert emulator.requests() == []


@pytest.mark.parametrize("volume, status, problem", [
    (UNKNOWN_VOLUME, None, "EVS has no volume with this ID in the project"),
    (seeds.volume_id(8), "error", "the volume's status is error, in which VBS refuses to associate a volume"),
])
def test_a_volume_that_cannot_be_probed_stops_the_probe_before_any_change(emulator, tmp_path, volume, status,
                                                                          problem):
    outcome = run(emulator, tmp_path, volume)
    assert outcome.returncode == 1, outcome
    assert outcome.report["outcome"] == "stopped"
    assert any(problem in line for line in outcome.report["problems"]), outcome.report["problems"]
    assert writes(emulator) == []


def test_a_project_without_room_for_one_more_policy_stops_the_probe_without_a_trace(emulator, tmp_path):
    document = seed()
    document["limits"] = {"policies_per_tenant": 3}
    emulator.reset(document)
    before = snapshot(emulator, probed=[FREE])
    outcome = run(emulator, tmp_path, FREE)
    assert outcome.returncode == 1, outcome
    assert any("VBS did not create the temporary policy" in line and "AutoBackup.0203" in line
               for line in outcome.report["problems"]), outcome.report["problems"]
    assert snapshot(emulator, probed=[FREE]) == before
    assert os.listdir(str(tmp_path / "state" / "huaweicloud-vbs-probe")) == []


@pytest.mark.parametrize("credentials", ["aksk", "password"])
def test_the_report_shows_no_secret_and_no_id_but_the_probed_volume_s(emulator, tmp_path, credentials):
    document = seed()
    document["volumes"][0]["name"] = "db-\x1b[31mred\x1b[0m"  # the probed volume's own name, shown escaped
    emulator.reset(document)
    env = environment(emulator, tmp_path / "state")
    if credentials == "password":
        for name in ("HW_ACCESS_KEY", "HW_SECRET_KEY"):
            env.pop(name)
        env.update(HW_USER_NAME=seeds.USER_NAME, HW_USER_PASSWORD=seeds.PASSWORD, HW_DOMAIN_NAME=seeds.DOMAIN)

    outcome = run(emulator, tmp_path, IN_DAILY, env=env)

    assert outcome.returncode == 0, outcome
    with open(str(sorted(tmp_path.glob("report-*.json"))[0])) as handle:
        written = handle.read()
    for text in (written, outcome.stdout, outcome.stderr):
        for secret in seeds.SECRETS:
            assert secret not in text
        assert not re.search(seeds.TOKEN_PATTERN, text)
        assert seeds.PROJECT_ID not in text
        assert set(re.findall(UUID_PATTERN, text)) <= {IN_DAILY}
        assert "\x1b" not in text
    assert "db-\\\\x1b[31mred" in outcome.stdout  # escaped, then quoted in JSON
    assert IN_DAILY in written and IN_DAILY in outcome.stdout
    assert "<former-policy>" in written and "<probe-policy>" in written and "<project>" in written
    assert '"backup_policy_name": "<name>"' in written  # the names of other policies are left out


def test_it_runs_with_requests_alone_and_from_the_installed_collection(emulator, tmp_path):
    """An ``ansible`` package that cannot be imported stands for a Python without ansible-core."""
    blocker = tmp_path / "no-ansible" / "ansible"
    blocker.mkdir(parents=True)
    (blocker / "__init__.py").write_text("raise ImportError('ansible-core is not installed here')\n")
    env = environment(emulator, tmp_path / "state", PYTHONPATH=str(blocker.parent))
    check = subprocess.run([sys.executable, "-c", "import ansible"], env=env, capture_output=True, text=True,
                           timeout=60, check=False)
    assert "ansible-core is not installed here" in check.stderr

    for probe in (PROBE, os.path.join(INSTALLED, "tools", "vbs-probe")):
        completed = subprocess.run([sys.executable, probe, "--volume", FREE, "--metadata-wait", METADATA_WAIT],
                                   env=env, capture_output=True, text=True, timeout=120, check=False)
        assert completed.returncode == 0, (probe, completed.stderr)
        assert "Outcome: **completed**; the cloud was left as it was found." in completed.stdout


def test_without_the_evs_reads_the_vbs_answers_are_still_settled(emulator, tmp_path):
    emulator.configure(denied_actions="evs:volumes:list,evs:volumes:get", member_association="fail_with_code")
    before = snapshot(emulator, probed=[IN_DAILY])
    outcome = run(emulator, tmp_path, IN_DAILY)
    assert outcome.returncode == 0, outcome
    assert outcome.report["emulator_switches"] == {"member_association": "fail_with_code",
                                                   "non_member_disassociation": "fail_without_code",
                                                   "page_size": None}
    assert set(outcome.report["unsettled"]) == {"evs_policy_metadata", "evs_metadata_filter", "evs_ids_filter"}
    assert all(reason == "EVS could not be read" for reason in outcome.report["unsettled"].values())
    volume = [entry for entry in outcome.report["observations"] if entry["step"] == "volume"][0]
    assert volume["calls"][0]["status"] == 403 and volume["calls"][0]["error"]["code"] == "EVS.0003"
    assert snapshot(emulator, probed=[IN_DAILY]) == before


def test_a_password_is_never_sent_over_plain_http_to_another_machine(emulator, tmp_path):
    env = environment(emulator, tmp_path, HW_USER_NAME=seeds.USER_NAME, HW_USER_PASSWORD=seeds.PASSWORD,
                      HW_DOMAIN_NAME=seeds.DOMAIN, HW_AUTH_URL="http://192.0.2.10/v3")
    for name in ("HW_ACCESS_KEY", "HW_SECRET_KEY"):
        env.pop(name)
    completed = subprocess.run([sys.executable, PROBE, "--volume", FREE], env=env, capture_output=True, text=True,
                               timeout=60, check=False)
    assert completed.returncode == 2, completed.stderr
    assert "auth_url is a plain http:// URL that goes to a host that is not this machine" in completed.stderr
    assert "--allow-plain-http" in subprocess.run([sys.executable, PROBE, "--help"], capture_output=True, text=True,
                                                  timeout=60, check=False).stdout
