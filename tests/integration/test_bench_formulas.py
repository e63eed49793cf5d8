# -*- coding: utf-8 -*-
# Copyright: (c) 2026, huaweicloud.vbs contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""The request formulas of `make bench` (tools/bench/run_bench.py, docs/performance.md) against real runs.

Each module runs here against the emulator, authenticated as the benchmark does
(password, project ID given), and the requests in the emulator's log are
counted with the benchmark's own counter. The sizes sit on both sides of the
points where the module's reads change shape: 60 volumes (one read by ID) and
61 (the member listing is cheaper), 200 and 201 (a second page of 200).
"""

import importlib.util
import os

import pytest

from support import module_runner, seeds

BENCH = os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))),
                     "tools", "bench", "run_bench.py")
_SPEC = importlib.util.spec_from_file_location("run_bench", BENCH)
run_bench = importlib.util.module_from_spec(_SPEC)
_SPEC.loader.exec_module(run_bench)

DAILY = seeds.policy_id(1)


def run_resources(emulator, n, members, **options):
    """(requests, write calls, kinds) of one vbs_policy_resources run over n volumes, the policy holding
    the first ``members`` of them."""
    emulator.reset(seeds.seed(volumes=n, members={"daily": range(1, members + 1)}, policy_volume_limit=n + 10))
    emulator.clear_requests()
    args = dict({"backup_policy_id": DAILY, "volumes": [seeds.volume_id(number) for number in range(1, n + 1)],
                 "batch_size": run_bench.BATCH_SIZE}, **options)
    result = module_runner.adhoc("vbs_policy_resources", args, run_bench.module_env(emulator.url)).result
    assert not result.get("failed"), result
    return counted(emulator), result


def counted(emulator):
    requests = emulator.requests()
    kinds = run_bench.count_kinds(requests)
    return len(requests), run_bench.write_calls(kinds), kinds


@pytest.mark.parametrize("n", [10, 60, 61, 200, 201])
def test_a_steady_run_in_exact_mode_sends_what_the_formula_says_and_no_write(emulator, n):
    (requests, writes, kinds), result = run_resources(emulator, n, n)
    assert result["membership_source"] == "evs_metadata" and result["changed"] is False
    assert (requests, writes) == (run_bench.exact_mode_requests(n, n), 0), kinds


@pytest.mark.parametrize("n", [60, 61])
def test_a_first_run_in_exact_mode_sends_what_the_formula_says(emulator, n):
    (requests, writes, kinds), result = run_resources(emulator, n, 0)
    assert result["membership_source"] == "evs_metadata" and result["changed"] is True
    assert (requests, writes) == (run_bench.exact_mode_requests(n, 0), run_bench.exact_mode_writes(n, 0)), kinds
    assert kinds["associate"] == writes


def test_a_steady_run_in_count_mode_sends_every_volume_again(emulator):
    (requests, writes, kinds), result = run_resources(emulator, 61, 61, membership_source="count")
    assert result["membership_source"] == "count" and result["changed"] is False
    assert (requests, writes) == (run_bench.count_mode_requests(61, 61), run_bench.count_mode_writes(61, 61)), kinds


def test_removals_count_as_write_calls(emulator):
    (_requests, writes, kinds), result = run_resources(emulator, 3, 3, state="absent", membership_source="count")
    assert result["changed"] is True
    assert writes == 1 and kinds.get("disassociate") == 1, kinds


def test_the_unprotected_report_sends_what_the_formula_says(emulator):
    n = 201
    emulator.reset(seeds.seed(volumes=n, members={"daily": range(1, 101)}))
    emulator.clear_requests()
    result = module_runner.adhoc("vbs_volume_info", {"protection": "unprotected"},
                                 run_bench.module_env(emulator.url)).result
    assert len(result["volumes"]) == n - 100
    requests, writes, kinds = counted(emulator)
    assert (requests, writes) == (run_bench.volume_info_requests(n, 100), 0), kinds
