# -*- coding: utf-8 -*-
# Copyright: (c) 2026, huaweicloud.vbs contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""--dry-run sends nothing but reads (the emulator's request log says so), prints the plan, and settles the
switches that reads show."""

import re

import pytest

from probe_testlib import FREE, IN_DAILY, MONTHLY, associate, run, seed, snapshot
from support import seeds


@pytest.mark.parametrize("switches", [
    {"evs_policy_metadata": "sync", "evs_metadata_filter": "supported", "evs_ids_filter": "supported",
     "page_size": None},
    {"evs_policy_metadata": "partial", "evs_metadata_filter": "ignored", "evs_ids_filter": "ignored",
     "page_size": 2},
    {"evs_policy_metadata": "off", "evs_metadata_filter": "supported", "evs_ids_filter": "ignored",
     "page_size": 2},
], ids=["sync", "partial", "off"])
def test_a_dry_run_sends_only_reads_and_settles_what_reads_show(emulator, tmp_path, switches):
    emulator.configure(member_association="fail_with_code", **switches)
    # One member joined through the API: under partial only it shows its policy in EVS metadata.
    associate(emulator, MONTHLY, seeds.volume_id(6))
    emulator.clear_requests()
    before = snapshot(emulator)

    outcome = run(emulator, tmp_path, IN_DAILY, "--dry-run")

    assert outcome.returncode == 0, outcome
    sent = emulator.requests()
    assert sent and all(entry["method"] == "GET" for entry in sent), sorted(set(
        (entry["method"], entry["path"]) for entry in sent))
    assert snapshot(emulator) == before
    assert outcome.report["dry_run"] is True and outcome.report["outcome"] == "dry run"
    assert outcome.report["emulator_switches"] == switches
    for name in ("member_association", "non_member_disassociation"):
        assert outcome.report["unsettled"][name] == "a dry run does not send the calls that show it"
    assert outcome.report["left_as_found"] is None
    assert "## Plan" in outcome.stdout and "(dry run: reads only)" in outcome.stdout
    assert "create a temporary policy named vbs-probe-<UTC time>-<4 hex digits>, status OFF" in outcome.stdout
    assert "associate volume %s with it (new)" % IN_DAILY in outcome.stdout
    assert not (tmp_path / "state" / "huaweicloud-vbs-probe").exists()  # no journal either


def test_a_dry_run_plans_the_undoing_of_a_leftover_without_doing_it(emulator, tmp_path):
    leftover = {"id": "44444444-0000-0000-4000-800000000009", "name": "vbs-probe-20200101T000000Z-0001",
                "scheduled_policy": {"status": "OFF"}, "members": [FREE],
                "tags": [{"key": "vbs-probe-volume", "value": FREE}, {"key": "vbs-probe-origin", "value": "none"}]}
    seeded = seed()
    seeded["policies"].append(leftover)
    emulator.reset(seeded)
    before = snapshot(emulator)

    outcome = run(emulator, tmp_path, IN_DAILY, "--dry-run")

    assert outcome.returncode == 0, outcome
    assert all(entry["method"] == "GET" for entry in emulator.requests())
    assert snapshot(emulator) == before
    # The leftover's volume is not the probed one: the report names it by a label.
    assert re.match(r"^put volume <volume-\d+> back in no policy, then delete the leftover policy <policy-4> "
                    r"\(vbs-probe-20200101T000000Z-0001\)$", outcome.report["plan"][0]), outcome.report["plan"]
    assert FREE not in outcome.stdout
