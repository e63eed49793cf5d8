# -*- coding: utf-8 -*-
# Copyright: (c) 2026, huaweicloud.vbs contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""The per-policy lock seen from outside, moves from other policies, and another actor on state=absent.

The lock belongs to the count design: these tests run on a cloud whose EVS does not
keep the policy metadata (evs_policy_metadata "off"), where the count decides, unless
a test says otherwise.
"""

import time

import pytest

from ansible_collections.huaweicloud.vbs.plugins.module_utils.vbs_lock import PolicyLock

from support import ansible_cli, seeds

MODULE = "vbs_policy_resources"
DAILY, WEEKLY, MONTHLY = (seeds.policy_id(number) for number in (1, 2, 3))
V = seeds.volume_id


@pytest.fixture(autouse=True)
def count_design(emulator):
    emulator.configure(evs_policy_metadata="off")


def run(emulator, args, **kwargs):
    return ansible_cli.adhoc(MODULE, args, seeds.aksk_env(emulator.url), **kwargs)


def policy_lock(emulator, policy_id, timeout=0):
    """The very lock the module takes for this policy of the emulator's project."""
    return PolicyLock(emulator.url, seeds.PROJECT_ID, policy_id, timeout)


def sent(emulator):
    return [(entry["method"], entry["path"].split("/v2/%s" % seeds.PROJECT_ID)[-1]) for entry in emulator.requests()
            if entry["path"].startswith("/v2/")]


def warnings(run_result):
    return " ".join(run_result.stderr.split())


def test_a_held_lock_makes_the_run_wait_then_fail_naming_lock_and_policy(emulator):
    emulator.reset(seeds.seed(members={"daily": [1]}))
    emulator.clear_requests()
    with policy_lock(emulator, DAILY) as held:
        start = time.monotonic()
        result = run(emulator, {"backup_policy_id": DAILY, "volumes": [V(2)], "lock_timeout": 1})
        elapsed = time.monotonic() - start
    assert result.rc != 0
    message = result.result["msg"]
    assert held.path in message and DAILY in message and "lock_timeout=1" in message
    assert elapsed >= 1
    # Nothing was changed: the lock comes before the count is read for the change.
    assert [call for call in sent(emulator) if call[0] == "POST"] == []
    assert emulator.members(DAILY) == [V(1)]


def test_with_known_members_no_lock_is_taken(emulator):
    emulator.configure(evs_policy_metadata="sync")
    emulator.reset(seeds.seed(members={"daily": [1]}))
    with policy_lock(emulator, DAILY):
        result = run(emulator, {"backup_policy_id": DAILY, "volumes": [V(2)], "lock_timeout": 0})
    assert result.rc == 0, result
    assert result.result["changed"] is True and result.result["membership_source"] == "evs_metadata"
    assert emulator.members(DAILY) == [V(1), V(2)]


def test_a_lock_on_another_policy_does_not_delay_the_run(emulator):
    with policy_lock(emulator, WEEKLY):
        result = run(emulator, {"backup_policy_id": DAILY, "volumes": [V(2)], "lock_timeout": 0})
    assert result.rc == 0, result
    assert emulator.members(DAILY) == [V(2)]


def test_check_mode_takes_no_lock(emulator):
    with policy_lock(emulator, DAILY):
        result = run(emulator, {"backup_policy_name": "daily", "volumes": [V(2)], "lock_timeout": 0}, check=True)
    assert result.rc == 0, result
    assert result.result["changed"] is True


def test_the_lock_is_released_after_the_run(emulator):
    result = run(emulator, {"backup_policy_id": DAILY, "volumes": [V(2)]})
    assert result.rc == 0, result
    with policy_lock(emulator, DAILY, timeout=0) as lock:
        assert lock.held


def test_by_name_the_count_is_read_again_inside_the_lock(emulator, figures):
    """The cost of a name: one more listing than with the ID (measured with 100 ms per answer)."""
    emulator.reset(seeds.seed(members={"daily": [1]}))
    emulator.configure(latency_ms=100)
    timings = {}
    for option, value in (("backup_policy_id", DAILY), ("backup_policy_name", "daily")):
        emulator.clear_requests()
        start = time.monotonic()
        result = run(emulator, {option: value, "volumes": [V(1)], "membership_source": "count"})
        timings[option] = time.monotonic() - start
        assert result.rc == 0, result
        assert result.result["changed"] is False
        calls = sent(emulator)
        listings = calls.count(("GET", "/backuppolicy"))
        assert calls[-2:] == [("POST", "/backuppolicyresources"), ("GET", "/backuppolicy")]
        timings[option + " listings"] = listings
    assert timings["backup_policy_id listings"] == 2
    assert timings["backup_policy_name listings"] == 3
    figures("one run, 100 ms per VBS/IAM answer: backup_policy_id vs backup_policy_name", [
        "by ID: %d listings, %.2f s" % (timings["backup_policy_id listings"], timings["backup_policy_id"]),
        "by name: %d listings, %.2f s" % (timings["backup_policy_name listings"], timings["backup_policy_name"]),
    ])


def test_a_move_names_every_policy_that_lost_a_volume(emulator):
    emulator.reset(seeds.seed(members={"daily": [1], "weekly": [2, 3], "monthly": [4]},
                              policies=("daily", "weekly", "monthly")))
    result = run(emulator, {"backup_policy_name": "daily", "volumes": [V(1), V(2), V(4), V(5)]})
    assert result.rc == 0, result
    assert result.result["changed"] is True and result.result["membership_verified"] is True
    assert result.result["moved_from"] == [
        {"backup_policy_id": WEEKLY, "backup_policy_name": "weekly", "count_before": 2, "count_after": 1},
        {"backup_policy_id": MONTHLY, "backup_policy_name": "monthly", "count_before": 1, "count_after": 0},
    ]
    text = warnings(result)
    assert text.count("the volume count of 2 other policies fell") == 1
    assert "weekly (ID %s) from 2 to 1; monthly (ID %s) from 1 to 0" % (WEEKLY, MONTHLY) in text
    assert emulator.members(WEEKLY) == [V(3)] and emulator.members(MONTHLY) == []


def test_no_move_no_warning(emulator):
    emulator.reset(seeds.seed(members={"weekly": [3]}))
    result = run(emulator, {"backup_policy_name": "daily", "volumes": [V(1), V(2)]})
    assert result.rc == 0, result
    assert result.result["moved_from"] == []
    assert "WARNING" not in result.output


def test_another_actor_during_a_removal_is_reported(emulator):
    emulator.reset(seeds.seed(members={"daily": [8, 9, 10]}))
    emulator.configure(other_actor_volumes=2)  # it takes the first free volumes: 1 and 2
    result = run(emulator, {"backup_policy_id": DAILY, "volumes": [V(8)], "state": "absent"})
    assert result.rc == 0, result
    outcome = result.result
    assert (outcome["resource_count_before"], outcome["resource_count_after"]) == (3, 4)
    assert outcome["membership_verified"] is False
    assert outcome["changed"] is True  # VBS reported the volume as removed, which the count cannot confirm
    assert "went from 3 to 4 during this run, a change of +1 that this run alone cannot have made" in warnings(result)
    assert emulator.members(DAILY) == [V(1), V(2), V(9), V(10)]


def test_another_actor_during_a_removal_cannot_blur_known_members(emulator):
    emulator.configure(evs_policy_metadata="sync")
    emulator.reset(seeds.seed(members={"daily": [8, 9, 10]}))
    emulator.configure(other_actor_volumes=2)
    result = run(emulator, {"backup_policy_id": DAILY, "volumes": [V(8)], "state": "absent"})
    assert result.rc == 0, result
    outcome = result.result
    assert (outcome["resource_count_before"], outcome["resource_count_after"]) == (3, 4)
    # Each volume's own membership decides: the other actor's additions are not this run's, nor a doubt.
    assert outcome["changed"] is True and outcome["membership_verified"] is True
    assert outcome["removed_volumes"] == [V(8)]
    assert "WARNING" not in result.output
