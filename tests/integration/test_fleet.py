# -*- coding: utf-8 -*-
# Copyright: (c) 2026, huaweicloud.vbs contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""The module used the way fleets use it: a real ansible-playbook over many inventory hosts.

The per-host pattern (examples/fleet_protect_per_host.yml) runs one task per
host, forks = hosts, all on one policy: with the members known from EVS each
host's ``changed`` is its own volumes' (no lock), and in the count design the
lock makes it so; the test checks host by host, under both. The run_once
pattern (examples/fleet_protect_run_once.yml) does the same in one task.
"Another actor" adds volumes to the policy during every associate call: no lock
can exclude that, and in the count design each run must say so. AWX job
slicing runs the per-host play in two processes with their own temporary
directories (two execution environments), where no lock reaches.
"""

import glob
import json
import os
import re
import time
from concurrent.futures import ThreadPoolExecutor

import pytest

from support import ansible_cli, seeds

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
PER_HOST = os.path.join(REPO, "examples", "fleet_protect_per_host.yml")
RUN_ONCE = os.path.join(REPO, "examples", "fleet_protect_run_once.yml")
FLEET_RESULTS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "playbooks", "fleet_results.yml")
POLICY = seeds.policy_id(1)  # "daily-db"
HOSTS = 30
VOLUMES_PER_HOST = 2
V = seeds.volume_id
RECAP = re.compile(r"^(\S+)\s*:\s*ok=(\d+)\s+changed=(\d+)\s+unreachable=(\d+)\s+failed=(\d+)", re.M)


def host_name(number):
    return "host%02d" % number


def host_volumes(number, offset=0):
    """The volume IDs of one host; ``offset`` leaves the first volumes of the seed to nobody."""
    first = offset + (number - 1) * VOLUMES_PER_HOST + 1
    return [V(volume) for volume in range(first, first + VOLUMES_PER_HOST)]


def member_numbers(hosts, offset=0):
    """Volume numbers of the first half of the hosts: already in the policy before the run."""
    return [offset + volume for number in range(1, hosts // 2 + 1)
            for volume in range((number - 1) * VOLUMES_PER_HOST + 1, number * VOLUMES_PER_HOST + 1)]


def write_inventory(directory, hosts, offset=0):
    inventory = {"all": {"hosts": {host_name(number): {"vbs_volume_ids": host_volumes(number, offset)}
                                   for number in range(1, hosts + 1)}}}
    path = os.path.join(str(directory), "inventory.json")
    with open(path, "w") as handle:
        json.dump(inventory, handle)
    return path


def fleet_env(emulator, inventory, forks):
    env = seeds.aksk_env(emulator.url)
    env.update({"ANSIBLE_INVENTORY": inventory, "ANSIBLE_FORKS": str(forks), "ANSIBLE_HOST_KEY_CHECKING": "false"})
    return env


def recap(run):
    """{host: (ok, changed, unreachable, failed)} from the PLAY RECAP."""
    return {host: tuple(int(value) for value in values) for host, *values in RECAP.findall(run.stdout)}


def fleet_seed(hosts, spare=0):
    """``spare`` free volumes first, then the hosts' volumes; the first half of the hosts' already in daily-db."""
    return seeds.seed(volumes=spare + hosts * VOLUMES_PER_HOST, policies=("daily-db", "weekly"),
                      policy_volume_limit=1000, members={"daily-db": member_numbers(hosts, spare)})


def all_host_volumes(hosts, offset=0):
    return sorted(volume for number in range(1, hosts + 1) for volume in host_volumes(number, offset))


def expected_recap(hosts, members):
    """{host: (ok, changed, unreachable, failed)}: a host changes exactly when its volumes are not members."""
    return {host_name(number): (1, 0 if number in members else 1, 0, 0) for number in hosts}


def wrong_hosts(recaps, expected):
    return sorted(host for host in expected if recaps.get(host) != expected[host])


@pytest.mark.parametrize("metadata", ["sync", "off"])
def test_per_host_fleet_reports_each_hosts_own_change(emulator, tmp_path, figures, metadata):
    emulator.reset(fleet_seed(HOSTS))
    emulator.configure(evs_policy_metadata=metadata)
    env = fleet_env(emulator, write_inventory(tmp_path, HOSTS), HOSTS)
    start = time.monotonic()
    first = ansible_cli.playbook(PER_HOST, env)
    first_seconds = time.monotonic() - start
    assert first.rc == 0, first
    hosts = recap(first)
    assert len(hosts) == HOSTS, first.stdout[-3000:]
    expected = {host_name(number): (1, 0 if number <= HOSTS // 2 else 1, 0, 0) for number in range(1, HOSTS + 1)}
    wrong = sorted(host for host in expected if hosts[host] != expected[host])
    assert wrong == [], "hosts with a wrong result: %s" % ", ".join(
        "%s %s (expected %s)" % (host, hosts[host], expected[host]) for host in wrong)
    assert emulator.members(POLICY) == all_host_volumes(HOSTS)
    assert "WARNING" not in first.stdout + first.stderr

    start = time.monotonic()
    again = ansible_cli.playbook(PER_HOST, env)
    again_seconds = time.monotonic() - start
    assert again.rc == 0, again
    assert set(recap(again).values()) == {(1, 0, 0, 0)}
    assert emulator.members(POLICY) == all_host_volumes(HOSTS)
    design = "members from EVS" if metadata == "sync" else "count design, with the lock"
    figures("fleet of %d hosts, per-host task (forks %d, policy by name, %s)" % (HOSTS, HOSTS, design), [
        "first run (15 hosts add 2 volumes each): %.1f s" % first_seconds,
        "second run (nothing to add): %.1f s" % again_seconds,
    ])


@pytest.mark.parametrize("metadata", ["sync", "off"])
def test_run_once_fleet_associates_every_hosts_volumes_in_one_task(emulator, tmp_path, figures, metadata):
    emulator.reset(fleet_seed(HOSTS))
    emulator.configure(evs_policy_metadata=metadata)
    env = fleet_env(emulator, write_inventory(tmp_path, HOSTS), HOSTS)
    emulator.clear_requests()
    start = time.monotonic()
    first = ansible_cli.playbook(RUN_ONCE, env)
    first_seconds = time.monotonic() - start
    assert first.rc == 0, first
    associate_calls = [entry for entry in emulator.requests()
                       if entry["method"] == "POST" and entry["path"].endswith("/backuppolicyresources")]
    # Known members: the 30 missing volumes only. The count design: all 60, in batches of 50.
    assert len(associate_calls) == (1 if metadata == "sync" else 2)
    assert recap(first)[host_name(1)] == (1, 1, 0, 0)
    assert emulator.members(POLICY) == all_host_volumes(HOSTS)

    start = time.monotonic()
    again = ansible_cli.playbook(RUN_ONCE, env)
    again_seconds = time.monotonic() - start
    assert again.rc == 0, again
    assert recap(again)[host_name(1)] == (1, 0, 0, 0)
    design = "members from EVS" if metadata == "sync" else "count design"
    figures("fleet of %d hosts, one run_once task (%s)" % (HOSTS, design), [
        "first run (30 of 60 volumes to add): %.1f s" % first_seconds,
        "second run (nothing to add): %.1f s" % again_seconds,
    ])


def host_results(emulator, tmp_path, hosts, spare):
    """Every host's whole result of one run of playbooks/fleet_results.yml."""
    results_dir = tmp_path / "results"
    results_dir.mkdir()
    env = fleet_env(emulator, write_inventory(tmp_path, hosts, spare), hosts)
    run = ansible_cli.playbook(FLEET_RESULTS, env, extra_vars={"results_dir": str(results_dir)})
    assert run.rc == 0, run
    results = {}
    for path in glob.glob(str(results_dir / "*.json")):
        with open(path) as handle:
            results[os.path.basename(path)[:-5]] = json.load(handle)
    assert sorted(results) == [host_name(number) for number in range(1, hosts + 1)]
    return run, results


def test_another_actor_during_the_runs_cannot_blur_known_members(emulator, tmp_path):
    hosts, added_by_other = 6, 3
    spare = hosts * added_by_other
    emulator.reset(fleet_seed(hosts, spare=spare))
    emulator.configure(other_actor_volumes=added_by_other)
    run, results = host_results(emulator, tmp_path, hosts, spare)
    for number in range(1, hosts + 1):
        result = results[host_name(number)]
        member = number <= hosts // 2
        assert result["membership_source"] == "evs_metadata", result
        assert result["membership_verified"] is True and result["changed"] is (not member), result
        assert result["added_volumes"] == ([] if member else host_volumes(number, spare)), result
    assert "WARNING" not in run.output


def test_another_actor_during_the_runs_is_reported_not_hidden(emulator, tmp_path):
    hosts = 6
    added_by_other = 3
    spare = hosts * added_by_other
    emulator.reset(fleet_seed(hosts, spare=spare))
    emulator.configure(evs_policy_metadata="off")
    # During every associate call, another client associates 3 free volumes (the spare ones, which come
    # first in the seed) with the same policy: inside each run's window, whatever the timing, and more
    # than any host's own 2 volumes.
    emulator.configure(other_actor_volumes=added_by_other)
    run, results = host_results(emulator, tmp_path, hosts, spare)
    for number in range(1, hosts + 1):
        result = results[host_name(number)]
        own_added = 0 if number <= hosts // 2 else VOLUMES_PER_HOST
        assert result["resource_count_after"] - result["resource_count_before"] == own_added + added_by_other
        assert result["membership_verified"] is False, result
        # VBS reported the host's volumes as associated: this run may have changed the policy.
        assert result["changed"] is True, result
    warnings = " ".join(run.output.split())
    assert warnings.count("that this run alone cannot have made") == hosts
    assert warnings.count("Someone else changed the policy at the same time") == hosts
    members = emulator.members(POLICY)
    assert members == sorted(set(all_host_volumes(hosts, spare)) | {V(number) for number in range(1, spare + 1)})


# -- AWX job slicing: two processes, no shared lock ------------------------------------------

SLICES = 2
SLICE_HOSTS = 15


def slicing_seed():
    """30 hosts' volumes; the even hosts' volumes are already in daily-db."""
    members = [volume for number in range(2, SLICES * SLICE_HOSTS + 1, 2) for volume in
               range((number - 1) * VOLUMES_PER_HOST + 1, number * VOLUMES_PER_HOST + 1)]
    return seeds.seed(volumes=SLICES * SLICE_HOSTS * VOLUMES_PER_HOST, policies=("daily-db", "weekly"),
                      policy_volume_limit=1000, members={"daily-db": members})


def run_sliced_job(emulator, tmp_path, round_number):
    """Both slices of the per-host play at once, each with its own inventory and temporary directory.

    The {host: recap} of both slices together.
    """
    runs = []
    for index in range(SLICES):
        directory = tmp_path / ("round%d-slice%d" % (round_number, index))
        (directory / "tmp").mkdir(parents=True)
        first = index * SLICE_HOSTS + 1
        inventory = {"all": {"hosts": {host_name(number): {"vbs_volume_ids": host_volumes(number)}
                                       for number in range(first, first + SLICE_HOSTS)}}}
        path = directory / "inventory.json"
        path.write_text(json.dumps(inventory))
        env = fleet_env(emulator, str(path), SLICE_HOSTS)
        env.update({"TMPDIR": str(directory / "tmp"), "ANSIBLE_LOCAL_TEMP": str(directory / "tmp")})
        runs.append(env)
    with ThreadPoolExecutor(max_workers=SLICES) as pool:
        done = list(pool.map(lambda env: ansible_cli.playbook(PER_HOST, env), runs))
    recaps = {}
    for run in done:
        assert run.rc == 0, run
        recaps.update(recap(run))
    return recaps


def sliced_rounds(emulator, tmp_path, metadata, rounds):
    """The number of hosts with a wrong changed in each round, from a fresh seed each time."""
    hosts = range(1, SLICES * SLICE_HOSTS + 1)
    expected = expected_recap(hosts, members=set(range(2, SLICES * SLICE_HOSTS + 1, 2)))
    wrong = []
    for round_number in range(rounds):
        emulator.reset(slicing_seed())
        emulator.configure(evs_policy_metadata=metadata, latency_ms=20)
        recaps = run_sliced_job(emulator, tmp_path / metadata, round_number)
        assert len(recaps) == len(expected)
        wrong.append(len(wrong_hosts(recaps, expected)))
        assert emulator.members(POLICY) == all_host_volumes(len(hosts))
    return wrong


def test_job_slicing_is_exact_with_known_members(emulator, tmp_path, figures):
    rounds = 3
    wrong_with_evs = sliced_rounds(emulator, tmp_path, "sync", rounds)
    assert wrong_with_evs == [0] * rounds
    # The count design cannot tell another machine's change inside its bounds from its own: measured, not asserted.
    wrong_by_count = sliced_rounds(emulator, tmp_path, "off", 2)
    figures("AWX job slicing: 2 slices x 15 hosts (forks 15 each, own temporary directory), 20 ms per answer, "
            "the even hosts' volumes already members", [
                "members from EVS: wrong changed in %s of %d host results per round (%d rounds)"
                % ("/".join(str(count) for count in wrong_with_evs), SLICES * SLICE_HOSTS, rounds),
                "count design: wrong changed in %s of %d host results per round (%d rounds)"
                % ("/".join(str(count) for count in wrong_by_count), SLICES * SLICE_HOSTS, len(wrong_by_count)),
            ])
