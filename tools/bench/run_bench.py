# -*- coding: utf-8 -*-
# Copyright: (c) 2026, huaweicloud.vbs contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""Benchmark of vbs_policy_resources (and vbs_volume_info) against the VBS emulator (`make bench`, docs/performance.md).

    python tools/bench/run_bench.py [--sizes 10,100] [--latencies 0] [--runs 3] [--no-doc]

Five contenders run through ansible-playbook, side by side, in a rotating order
within each repetition:

  module_first         vbs_policy_resources with all N volumes missing from the policy (exact mode)
  module_steady        the same playbook when all N volumes are already members: exact mode, the members
                       read from EVS volume metadata (emulator evs_policy_metadata: sync)
  module_steady_count  the same with membership_source: count (count mode, as on a cloud whose EVS does
                       not reveal the members: every volume is sent again)
  floor                ansible.builtin.uri: one token request, one associate request with all N
  uri_loop             ansible.builtin.uri: one token request, one associate request per volume

and one more scenario, which only reads:

  volume_info_unprotected  vbs_volume_info with protection: unprotected, the policy holding half of N

For each run it records the wall time of ansible-playbook, the IAM, VBS and EVS
requests the emulator received (and how many of them were write calls), and the
peak resident memory of every module process (the AnsiballZ Python process),
measured by a wrapper interpreter. The requests and write calls of every run are
checked against the formula of its contender (exact_mode_requests and the others).
It prints a table of medians and ratios, checks the performance targets and
writes the table between the markers of docs/performance.md.

Run it with the Python environment whose ansible-playbook is to be measured
(the Makefile uses .venv-tests); the collection must be on ANSIBLE_COLLECTIONS_PATH.
"""

import argparse
import datetime
import json
import math
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

BENCH_DIR = os.path.dirname(os.path.abspath(__file__))
REPO_ROOT = os.path.dirname(os.path.dirname(BENCH_DIR))
sys.path.insert(0, os.path.join(REPO_ROOT, "tests"))

from support import ansible_cli, seeds  # noqa: E402 - tests/ is put on the path just above
from support.emulator import EmulatorProcess  # noqa: E402

PLAYBOOKS = os.path.join(BENCH_DIR, "playbooks")
DOC = os.path.join(REPO_ROOT, "docs", "performance.md")
RESULTS_JSON = os.path.join(REPO_ROOT, "build", "bench", "results.json")
BEGIN_MARKER = "<!-- bench-results:begin (written by tools/bench/run_bench.py) -->"
END_MARKER = "<!-- bench-results:end -->"

POLICY_NAME = "daily"
POLICY_ID = seeds.policy_id(1)
SEED_POLICIES = 2  # the policies of seeds.seed(): daily and weekly
BATCH_SIZE = 50

# What a run sends, derived from plugins/module_utils/vbs_members.py and plugins/modules/vbs_policy_resources.py
# (docs/performance.md, "What a run costs in requests"); the benchmark checks every run against it.
TOKEN_REQUESTS = 1  # password authentication with the project ID given: one IAM token, no project lookup
EVS_PAGE = 200  # vbs_evs.PAGE_LIMIT: volumes per page of the EVS list
IDS_PER_EVS_READ = 60  # vbs_evs.IDS_PER_REQUEST: volumes per EVS read by ID

# Targets (docs/performance.md).
STEADY_OVER_FLOOR_MAX = 1.3
STEADY_OVER_FLOOR_LATENCY_MS = 20
LOOP_OVER_MODULE_MIN = 10.0
LOOP_OVER_MODULE_FROM_N = 100
MEMORY_LIMIT_MB = 100.0
MEMORY_AT_N = 5000
WRITES_AT_N = 100


# -- what a run sends ---------------------------------------------------------

def requests_needed(count, per_request):
    """Requests that read or send ``count`` items, ``per_request`` at a time."""
    return int(math.ceil(count / float(per_request)))


def membership_reads(n, members):
    """EVS requests with which vbs_policy_resources reads the membership of a policy that holds ``members`` of
    the ``n`` requested volumes and no other volume (exact mode, vbs_evs_members.read_membership).

    Either the policy's whole member listing (pages of EVS_PAGE, at least one), then by ID the requested volumes
    that are not members; or one request that counts the members, then every requested volume by ID. The
    listing when its pages are fewer than the reads of every requested volume by ID (cheaper_to_list_members).
    """
    member_pages = max(1, requests_needed(members, EVS_PAGE))
    all_by_id = requests_needed(n, IDS_PER_EVS_READ)
    if member_pages < all_by_id:
        return member_pages + requests_needed(n - members, IDS_PER_EVS_READ)
    return 1 + all_by_id


def exact_mode_writes(n, members):
    """Associate calls in exact mode: only the missing volumes are sent, BATCH_SIZE a call."""
    return requests_needed(n - members, BATCH_SIZE)


def exact_mode_requests(n, members):
    """A vbs_policy_resources run in exact mode (a trusted EVS listing): the token, the policies, the membership
    reads, the policies again; then, only when volumes are missing, the associate calls and the policies once
    more (the count after the change).

    Steady state (members == n): 5 for N <= 60, else 3 + ceil(N / 200). First run (members == 0):
    5 + ceil(N / 60) + ceil(N / 50).
    """
    writes = exact_mode_writes(n, members)
    return TOKEN_REQUESTS + 1 + membership_reads(n, members) + 1 + (writes + 1 if writes else 0)


def count_mode_writes(n, _members):
    """Associate calls with membership_source: count: every requested volume, member or not, BATCH_SIZE a call."""
    return requests_needed(n, BATCH_SIZE)


def count_mode_requests(n, members):
    """membership_source: count: the token, the policies, the associate calls, the policies again:
    3 + ceil(N / 50), whether volumes are missing or not."""
    return TOKEN_REQUESTS + 1 + count_mode_writes(n, members) + 1


def volume_info_requests(n, _members):
    """vbs_volume_info with protection: unprotected over a project of ``n`` volumes: the token, the policies, one
    EVS count per policy (SEED_POLICIES), the pages of volumes (at least one), the policies again:
    5 + ceil(N / 200) with the seed's two policies."""
    return TOKEN_REQUESTS + 1 + SEED_POLICIES + max(1, requests_needed(n, EVS_PAGE)) + 1


def no_writes(_n, _members):
    return 0


class Contender:

    def __init__(self, name, playbook, members_before, expect_changed=None, extra_vars=None, default=True,
                 reads_only=False, formula=None):
        self.name = name
        self.playbook = os.path.join(PLAYBOOKS, playbook)
        self.members_before = members_before  # members_before(N): how many of the N volumes the policy holds
        self.expect_changed = expect_changed  # tasks the PLAY RECAP must count as changed, or None
        self.extra_vars = extra_vars or {}  # override the vars file (extra vars take precedence)
        self.default = default  # run unless --contenders says otherwise
        self.reads_only = reads_only  # the policy holds as many volumes after the run as before, else all N
        # (text, requests(N, members before), writes(N, members before)): what every run must send, or None
        self.formula = formula

    def members_after(self, n):
        return self.members_before(n) if self.reads_only else n

    def expected(self, n):
        """(requests, write calls) that a run at N must send, or None when the contender has no formula."""
        if self.formula is None:
            return None
        _text, requests, writes = self.formula
        return requests(n, self.members_before(n)), writes(n, self.members_before(n))


def _none(_n):
    return 0


def _all(n):
    return n


def _half(n):
    return n // 2


EXACT_STEADY = ("5 for N <= 60, else 3 + ceil(N/200); no write call", exact_mode_requests, exact_mode_writes)
EXACT_FIRST = ("5 + ceil(N/60) + ceil(N/50), of which ceil(N/50) writes", exact_mode_requests, exact_mode_writes)
COUNT_STEADY = ("3 + ceil(N/50), of which ceil(N/50) writes", count_mode_requests, count_mode_writes)
VOLUME_INFO = ("5 + ceil(N/200); no write call", volume_info_requests, no_writes)

CONTENDERS = (
    Contender("module_first", "module.yml", members_before=_none, expect_changed=1, formula=EXACT_FIRST),
    Contender("module_steady", "module.yml", members_before=_all, expect_changed=0, formula=EXACT_STEADY),
    Contender("module_steady_count", "module.yml", members_before=_all, expect_changed=0,
              extra_vars={"membership_source": "count"}, formula=COUNT_STEADY),
    Contender("floor", "floor.yml", members_before=_all),
    Contender("uri_loop", "uri_loop.yml", members_before=_all),
    # The unprotected half of the N volumes, found by vbs_volume_info (the playbook checks how many).
    Contender("volume_info_unprotected", "volume_info.yml", members_before=_half, expect_changed=0,
              reads_only=True, formula=VOLUME_INFO),
    # Not in the default set: how much the largest batch_size saves on round trips.
    Contender("module_steady_batch500", "module.yml", members_before=_all, expect_changed=0,
              extra_vars={"batch_size": 500}, default=False),
)
CONTENDER_NAMES = tuple(contender.name for contender in CONTENDERS)
DEFAULT_CONTENDERS = tuple(contender.name for contender in CONTENDERS if contender.default)


class BenchError(RuntimeError):
    pass


# -- command line -----------------------------------------------------------

def _int_list(text):
    try:
        values = [int(part) for part in text.split(",") if part.strip()]
    except ValueError:
        raise argparse.ArgumentTypeError("expected comma-separated whole numbers, got %r" % text) from None
    if not values or any(value < 0 for value in values):
        raise argparse.ArgumentTypeError("expected comma-separated whole numbers >= 0, got %r" % text)
    return values


def build_parser():
    parser = argparse.ArgumentParser(
        prog="run_bench.py",
        description="Benchmark vbs_policy_resources against ansible.builtin.uri on the VBS emulator.")
    parser.add_argument("--sizes", type=_int_list, default=[10, 100, 1000, 5000], metavar="N,N,...",
                        help="numbers of volumes (default 10,100,1000,5000)")
    parser.add_argument("--latencies", type=_int_list, default=[0, 20], metavar="MS,MS,...",
                        help="round-trip latencies the emulator adds to every IAM/VBS answer, in ms (default 0,20)")
    parser.add_argument("--runs", type=int, default=5, help="runs of each contender per size and latency (default 5)")
    parser.add_argument("--loop-max", type=int, default=100, metavar="N",
                        help="largest N for the uri loop, which sends one request per volume (default 100)")
    parser.add_argument("--loop-runs", type=int, default=3, metavar="RUNS",
                        help="runs of the uri loop below N=--loop-large (default 3; at most --runs)")
    parser.add_argument("--loop-runs-large", type=int, default=1, metavar="RUNS",
                        help="runs of the uri loop from N=--loop-large on (default 1: it is the slow part)")
    parser.add_argument("--loop-large", type=int, default=100, metavar="N",
                        help="from which N the uri loop gets --loop-runs-large runs (default 100)")
    parser.add_argument("--volume-info-sizes", type=_int_list, default=[5000], metavar="N,N,...",
                        help="the numbers of volumes (of --sizes) at which vbs_volume_info runs (default 5000)")
    parser.add_argument("--contenders", default=",".join(DEFAULT_CONTENDERS), metavar="NAME,...",
                        help="contenders to run (default %s; also known: %s)" % (
                            ",".join(DEFAULT_CONTENDERS),
                            ",".join(name for name in CONTENDER_NAMES if name not in DEFAULT_CONTENDERS)))
    parser.add_argument("--doc", default=DOC, metavar="FILE",
                        help="Markdown file whose results section is rewritten (default docs/performance.md)")
    parser.add_argument("--no-doc", action="store_true", help="do not write the results into --doc")
    parser.add_argument("--json", default=RESULTS_JSON, metavar="FILE",
                        help="where to save every run's figures (default build/bench/results.json)")
    parser.add_argument("--strict", action="store_true",
                        help="exit with status 1 when a target is missed (default: report it and exit 0)")
    return parser


# -- measuring the module processes ---------------------------------------

PY_WRAPPER = """#!%(python)s -S
# Runs the real interpreter and appends its peak RSS (KiB) and command line to %(out)s.
import os
import sys
pid = os.fork()
if pid == 0:
    os.execv(%(python)r, [%(python)r] + sys.argv[1:])
_pid, status, usage = os.wait4(pid, 0)
with open(%(out)r, "a") as handle:
    handle.write("%%d %%s\\n" %% (usage.ru_maxrss, " ".join([%(python)r] + sys.argv[1:])))
sys.exit(os.waitstatus_to_exitcode(status) if hasattr(os, "waitstatus_to_exitcode") else status >> 8)
"""

GNU_TIME_WRAPPER = """#!/bin/sh
# Runs the real interpreter under GNU time, which appends its peak RSS (KiB) and command line to %(out)s.
exec %(time)s -a -o %(out)s -f '%%M %%C' %(python)s "$@"
"""


def gnu_time():
    """The path of GNU time (which knows -f %M), or None."""
    path = shutil.which("time", path="/usr/bin:/bin:/usr/local/bin")
    if not path:
        return None
    try:
        completed = subprocess.run([path, "--version"], capture_output=True, text=True, timeout=10, check=False)
    except (OSError, subprocess.SubprocessError):
        return None
    return path if "GNU" in completed.stdout + completed.stderr else None


def write_interpreter_wrapper(directory, out_file):
    """A script to use as ansible_python_interpreter: it runs this Python and records the peak RSS.

    Returns (path, how). GNU time costs a few milliseconds per module run; the
    Python fallback about 20 ms (one more interpreter start).
    """
    path = os.path.join(directory, "python-maxrss")
    time_path = gnu_time()
    if time_path:
        text = GNU_TIME_WRAPPER % {"time": time_path, "out": out_file, "python": sys.executable}
        how = "GNU time (%s -f %%M)" % time_path
    else:
        text = PY_WRAPPER % {"python": sys.executable, "out": out_file}
        how = "os.wait4() in a Python wrapper interpreter"
    with open(path, "w") as handle:
        handle.write(text)
    os.chmod(path, 0o755)
    return path, how


def read_module_peaks(out_file):
    """{module name: [peak RSS in KiB, one per process]} of the AnsiballZ processes recorded in out_file."""
    peaks = {}
    if not os.path.exists(out_file):
        return peaks
    with open(out_file) as handle:
        for line in handle:
            match = re.match(r"^(\d+) .*AnsiballZ_(\w+)\.py", line)
            if match:
                peaks.setdefault(match.group(2), []).append(int(match.group(1)))
    return peaks


# -- the collection under test ----------------------------------------------

COLLECTION_PARTS = ("plugins", "meta", "MANIFEST.json", "FILES.json", "galaxy.yml")


def find_collection():
    """The huaweicloud.vbs that ansible-playbook would load (ANSIBLE_COLLECTIONS_PATH, as the tests use it)."""
    for entry in ansible_cli.collections_path().split(os.pathsep):
        for root in (entry, os.path.dirname(entry) if os.path.basename(entry) == "ansible_collections" else None):
            if not root:
                continue
            candidate = os.path.join(root, "ansible_collections", "huaweicloud", "vbs")
            if os.path.isfile(os.path.join(candidate, "plugins", "modules", "vbs_policy_resources.py")):
                return os.path.realpath(candidate)
    raise BenchError("huaweicloud.vbs is not on ANSIBLE_COLLECTIONS_PATH (%s)" % ansible_cli.collections_path())


def snapshot_collection(workdir):
    """(collections path, source): a private copy of the collection, so every run measures the same code.

    A reinstall of the collection while the benchmark runs (make install, make
    test) would otherwise swap the files between two runs, or under one.
    """
    source = find_collection()
    root = os.path.join(workdir, "collections")
    dest = os.path.join(root, "ansible_collections", "huaweicloud", "vbs")
    os.makedirs(dest)
    for name in COLLECTION_PARTS:
        path = os.path.join(source, name)
        if os.path.isdir(path):
            shutil.copytree(path, os.path.join(dest, name), ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
        elif os.path.isfile(path):
            shutil.copy2(path, os.path.join(dest, name))
    if not os.path.isfile(os.path.join(dest, "plugins", "modules", "vbs_policy_resources.py")):
        raise BenchError("could not copy the collection from %s" % source)
    return root, source


# -- one run ----------------------------------------------------------------

def module_env(url):
    """Password authentication with the project ID given: no project lookup, like the uri contenders."""
    return {
        "HW_VBS_ENDPOINT": url,
        "HW_AUTH_URL": url + "/v3",
        "HW_REGION_NAME": seeds.PROJECT_NAME,
        "HW_PROJECT_ID": seeds.PROJECT_ID,
        "HW_USER_NAME": seeds.USER_NAME,
        "HW_USER_PASSWORD": seeds.PASSWORD,
        "HW_DOMAIN_NAME": seeds.DOMAIN,
    }


def bench_vars(url, volume_ids):
    """Variables of the playbooks, for one N: identical inputs for every contender."""
    return {
        "policy_id": POLICY_ID,
        "volume_ids": volume_ids,
        "batch_size": BATCH_SIZE,
        "endpoint": url,
        "auth_url": url + "/v3",
        "project_id": seeds.PROJECT_ID,
        "token_request": {"auth": {
            "identity": {"methods": ["password"], "password": {"user": {
                "name": seeds.USER_NAME, "password": seeds.PASSWORD, "domain": {"name": seeds.DOMAIN}}}},
            "scope": {"project": {"id": seeds.PROJECT_ID}},
        }},
        "associate_body": {
            "backup_policy_id": POLICY_ID,
            "resources": [{"resource_id": volume_id, "resource_type": "volume"} for volume_id in volume_ids],
        },
        "unprotected_count": len(volume_ids) - _half(len(volume_ids)),
    }


def recap_changed(output):
    counts = [int(value) for value in re.findall(r"\bchanged=(\d+)", output)]
    return sum(counts) if counts else None


WRITE_KINDS = ("associate", "disassociate", "other_write")


def request_kind(entry):
    """What a request of the emulator's log was: token, list, evs_members, evs_by_id, associate, ...

    A write is anything that may change VBS: every request but a GET, the token request and the EVS tag query
    (a POST that only reads).
    """
    path = entry.get("path") or ""
    if path.startswith("/v3/auth/tokens"):
        return "token"
    if path.startswith("/v3/"):
        return "iam_other"
    if path.endswith("/backuppolicyresources"):
        return "associate"
    if path.endswith("/deleted_resources"):
        return "disassociate"
    if (entry.get("method") or "GET") not in ("GET", "HEAD") and not path.endswith("/resource_instances/action"):
        return "other_write"
    if path.endswith("/backuppolicy") or "/backuppolicy?" in path:
        return "list"
    if path.endswith("/cloudvolumes/detail"):
        query = entry.get("query") or ""
        if "metadata=" in query:
            return "evs_members"  # a policy's members: counted (limit=1) or listed page by page
        return "evs_by_id" if "ids=" in query else "evs_list"
    return "other"


def count_kinds(requests):
    """{kind: number} of a run's requests (request_kind)."""
    kinds = {}
    for entry in requests:
        kind = request_kind(entry)
        kinds[kind] = kinds.get(kind, 0) + 1
    return kinds


def write_calls(kinds):
    """The write calls among a run's requests, from count_kinds()."""
    return sum(kinds.get(kind, 0) for kind in WRITE_KINDS)


class Bench:

    def __init__(self, emulator, wrapper, rss_file, volume_ids_by_n, collections):
        self.emulator = emulator
        self.wrapper = wrapper
        self.rss_file = rss_file
        self.volume_ids_by_n = volume_ids_by_n
        self.env = module_env(emulator.url)
        self.env["ANSIBLE_COLLECTIONS_PATH"] = collections

    def prepare(self, contender, n):
        """Reset the emulator to a policy that holds the contender's share of the N volumes (not timed)."""
        members = {POLICY_NAME: range(1, contender.members_before(n) + 1)}
        self.emulator.reset(seeds.seed(volumes=n, members=members, policy_volume_limit=n + 10))
        self.emulator.clear_requests()
        with open(self.rss_file, "w"):
            pass

    def run(self, contender, n, vars_file):
        self.prepare(contender, n)
        extra_vars = dict(contender.extra_vars, bench_vars_file=vars_file, ansible_python_interpreter=self.wrapper)
        started = time.perf_counter()
        run = ansible_cli.playbook(contender.playbook, self.env, extra_vars=extra_vars, timeout=7200)
        wall = time.perf_counter() - started
        if run.rc != 0:
            raise BenchError("%s at N=%d failed (rc %d):\n%s" % (contender.name, n, run.rc, run.output[-4000:]))
        changed = recap_changed(run.stdout)
        if contender.expect_changed is not None and changed != contender.expect_changed:
            raise BenchError("%s at N=%d: expected changed=%d in the recap, got %s:\n%s"
                             % (contender.name, n, contender.expect_changed, changed, run.stdout[-4000:]))
        requests = self.emulator.requests(clear=True)
        members = self.emulator.members(POLICY_ID)
        if len(members) != contender.members_after(n):
            raise BenchError("%s at N=%d left %d volumes in the policy" % (contender.name, n, len(members)))
        kinds = count_kinds(requests)
        statuses = sorted(set(entry.get("status") for entry in requests))
        peaks = read_module_peaks(self.rss_file)
        return {
            "contender": contender.name,
            "n": n,
            "wall_s": wall,
            "requests": len(requests),
            "writes": write_calls(kinds),
            "request_kinds": kinds,
            "statuses": statuses,
            "module_processes": {name: len(values) for name, values in peaks.items()},
            "peak_rss_kib": max((value for values in peaks.values() for value in values), default=None),
        }


def rotated(items, shift):
    shift %= len(items)
    return list(items[shift:]) + list(items[:shift])


def loop_runs(args, n):
    if n > args.loop_max:
        return 0
    return min(args.runs, args.loop_runs_large if n >= args.loop_large else args.loop_runs)


def run_matrix(args, contenders, emulator, bench, workdir, log):
    runs = []
    for latency in args.latencies:
        # EVS keeps each volume's policy in its metadata (the default): vbs_policy_resources runs in exact mode
        # unless told membership_source: count.
        emulator.configure(latency_ms=latency, evs_policy_metadata="sync")
        for n in args.sizes:
            vars_file = os.path.join(workdir, "vars-%d.json" % n)
            with open(vars_file, "w") as handle:
                json.dump(bench_vars(emulator.url, bench.volume_ids_by_n(n)), handle)
            for repetition in range(args.runs):
                for contender in rotated(contenders, repetition):
                    if contender.name == "uri_loop" and repetition >= loop_runs(args, n):
                        continue
                    if contender.name == "volume_info_unprotected" and n not in args.volume_info_sizes:
                        continue
                    record = bench.run(contender, n, vars_file)
                    record.update(latency_ms=latency, repetition=repetition)
                    runs.append(record)
                    log("latency %3d ms  N=%-5d run %d  %-23s %8.2f s  %5d requests  %5d writes  peak %s"
                        % (latency, n, repetition + 1, contender.name, record["wall_s"], record["requests"],
                           record["writes"], _mb(record["peak_rss_kib"])))
    return runs


# -- summary ----------------------------------------------------------------

def _mb(kib):
    return "-" if kib is None else "%.1f MB" % (kib / 1024.0)


def summarize(runs):
    """{(latency, n, contender): summary}."""
    groups = {}
    for record in runs:
        groups.setdefault((record["latency_ms"], record["n"], record["contender"]), []).append(record)
    summary = {}
    for key, records in groups.items():
        requests = sorted(set(record["requests"] for record in records))
        writes = sorted(set(record["writes"] for record in records))
        peaks = [record["peak_rss_kib"] for record in records if record["peak_rss_kib"] is not None]
        summary[key] = {
            "runs": len(records),
            "median_s": statistics.median(record["wall_s"] for record in records),
            "min_s": min(record["wall_s"] for record in records),
            "max_s": max(record["wall_s"] for record in records),
            "requests": requests[0] if len(requests) == 1 else requests,
            "writes": writes[0] if len(writes) == 1 else writes,
            "peak_rss_kib": max(peaks) if peaks else None,
        }
    return summary


def ratio(summary, latency, n, top, bottom):
    a, b = summary.get((latency, n, top)), summary.get((latency, n, bottom))
    if not a or not b or not b["median_s"]:
        return None
    return a["median_s"] / b["median_s"]


def check_targets(args, summary):
    """[(target text, PASS/MISS/NOT MEASURED, detail)]."""
    checks = []

    # 1. steady state within 1.3x of the floor at every N with 20 ms latency
    details, ok, measured = [], True, False
    for n in args.sizes:
        value = ratio(summary, STEADY_OVER_FLOOR_LATENCY_MS, n, "module_steady", "floor")
        if value is None:
            continue
        measured = True
        ok = ok and value <= STEADY_OVER_FLOOR_MAX
        details.append("N=%d: %.2fx" % (n, value))
    checks.append(("module steady state within %.1fx of the floor at every N with %d ms latency"
                   % (STEADY_OVER_FLOOR_MAX, STEADY_OVER_FLOOR_LATENCY_MS),
                   _verdict(measured, ok), ", ".join(details)))

    # 2. module at least 10x faster than the uri loop from N=100 on
    details, ok, measured = [], True, False
    for latency in args.latencies:
        for n in args.sizes:
            if n < LOOP_OVER_MODULE_FROM_N:
                continue
            value = ratio(summary, latency, n, "uri_loop", "module_steady")
            if value is None:
                continue
            measured = True
            ok = ok and value >= LOOP_OVER_MODULE_MIN
            details.append("%d ms N=%d: %.1fx" % (latency, n, value))
    checks.append(("module (steady state) at least %dx faster than the uri loop at N >= %d"
                   % (LOOP_OVER_MODULE_MIN, LOOP_OVER_MODULE_FROM_N), _verdict(measured, ok), ", ".join(details)))

    # 3. steady state with a trusted EVS listing: not one write call, above all at N=100
    checks.append(_writes_target(args, summary, "module_steady"))

    # 3b. requests and write calls of every run follow the formula of its contender (docs/performance.md)
    for contender in CONTENDERS:
        if contender.formula is not None:
            checks.append(_formula_target(args, summary, contender))

    # 4. peak memory of the module process under 100 MB at N=5000
    details, ok, measured = [], True, False
    for latency in args.latencies:
        for name in ("module_first", "module_steady"):
            entry = summary.get((latency, MEMORY_AT_N, name))
            if not entry or entry["peak_rss_kib"] is None:
                continue
            measured = True
            megabytes = entry["peak_rss_kib"] / 1024.0
            ok = ok and megabytes < MEMORY_LIMIT_MB
            details.append("%d ms %s: %.1f MB" % (latency, name, megabytes))
    checks.append(("peak memory of the module process under %d MB at N=%d" % (MEMORY_LIMIT_MB, MEMORY_AT_N),
                   _verdict(measured, ok), ", ".join(details)))
    return checks


def _formula_target(args, summary, contender):
    """(text, verdict, figures): every run of the contender sent the requests and write calls of its formula."""
    details, ok, measured = [], True, False
    for latency in args.latencies:
        for n in args.sizes:
            entry = summary.get((latency, n, contender.name))
            if not entry:
                continue
            measured = True
            requests, writes = contender.expected(n)
            right = entry["requests"] == requests and entry["writes"] == writes
            ok = ok and right
            if not right or latency == args.latencies[0]:
                details.append("%d ms N=%d: %s, %s writes (expected %d, %d)"
                               % (latency, n, entry["requests"], entry["writes"], requests, writes))
    text = "requests per run of the %s = %s" % (LABELS[contender.name], contender.formula[0])
    return text, _verdict(measured, ok), ", ".join(details)


def _writes_target(args, summary, contender):
    """(text, verdict, figures): the contender's runs sent no write call; N=WRITES_AT_N must be among them."""
    details, ok, measured = [], True, False
    for latency in args.latencies:
        for n in args.sizes:
            entry = summary.get((latency, n, contender))
            if entry:
                measured = measured or n == WRITES_AT_N
                ok = ok and entry["writes"] == 0
                details.append("%d ms N=%d: %s" % (latency, n, entry["writes"]))
    return ("no write call in a steady-state run with a trusted EVS listing (at N=%d and every N measured)"
            % WRITES_AT_N, _verdict(measured, ok), ", ".join(details))


def _verdict(measured, ok):
    if not measured:
        return "NOT MEASURED"
    return "PASS" if ok else "MISS"


# -- report -----------------------------------------------------------------

LABELS = {
    "module_first": "module, first run",
    "module_steady": "module, steady, exact",
    "module_steady_count": "module, steady, count mode",
    "floor": "floor (2 uri tasks)",
    "uri_loop": "uri loop",
    "module_steady_batch500": "module, steady, batch_size 500",
    "volume_info_unprotected": "vbs_volume_info, unprotected",
}


def _fmt_ratio(value, digits=2):
    return "-" if value is None else ("%.*fx" % (digits, value))


def results_markdown(args, summary, checks, machine, elapsed, contenders):
    names = [contender.name for contender in contenders]
    lines = []
    lines.append("Measured %s on: %s." % (machine["date"], machine_line(machine)))
    lines.append("")
    lines.append("Command: `%s` (%d run(s) per contender; the uri loop %s). The whole benchmark took %s."
                 % (machine["command"], args.runs, _loop_note(args), _duration(elapsed)))
    lines.append("Load average before and after: %s / %s." % (machine["load_before"], machine["load_after"]))
    lines.append("")
    lines.append("| latency | N | contender | runs | median wall time | min-max | requests | of which writes | "
                 "peak module RSS |")
    lines.append("|---:|---:|---|---:|---:|---:|---:|---:|---:|")
    for latency in args.latencies:
        for n in args.sizes:
            for name in names:
                entry = summary.get((latency, n, name))
                if entry is None:
                    if name == "uri_loop" and n > args.loop_max:
                        lines.append("| %d ms | %d | %s | - | not run (N > %d) | | | | |"
                                     % (latency, n, LABELS[name], args.loop_max))
                    continue
                lines.append("| %d ms | %d | %s | %d | %.2f s | %.2f-%.2f s | %s | %s | %s |" % (
                    latency, n, LABELS[name], entry["runs"], entry["median_s"], entry["min_s"], entry["max_s"],
                    entry["requests"], entry["writes"], _mb(entry["peak_rss_kib"])))
    lines.append("")
    lines.extend(_requests_side_by_side(args, summary, names))
    lines.append("Ratios of median wall times:")
    lines.append("")
    batch500 = "module_steady_batch500" in names
    lines.append("| latency | N | steady exact / floor | steady count mode / floor | steady exact / count mode | "
                 "module first / floor | uri loop / steady exact |%s"
                 % (" module steady, batch_size 500 / floor |" if batch500 else ""))
    lines.append("|---:|---:|---:|---:|---:|---:|---:|%s" % ("---:|" if batch500 else ""))
    for latency in args.latencies:
        for n in args.sizes:
            loop = ratio(summary, latency, n, "uri_loop", "module_steady")
            lines.append("| %d ms | %d | %s | %s | %s | %s | %s |%s" % (
                latency, n, _fmt_ratio(ratio(summary, latency, n, "module_steady", "floor")),
                _fmt_ratio(ratio(summary, latency, n, "module_steady_count", "floor")),
                _fmt_ratio(ratio(summary, latency, n, "module_steady", "module_steady_count")),
                _fmt_ratio(ratio(summary, latency, n, "module_first", "floor")),
                _fmt_ratio(loop, 1) if loop is not None else
                ("not run (N > %d)" % args.loop_max if n > args.loop_max else "-"),
                (" %s |" % _fmt_ratio(ratio(summary, latency, n, "module_steady_batch500", "floor")))
                if batch500 else ""))
    lines.append("")
    lines.append("Targets:")
    lines.append("")
    lines.append("| target | result | figures |")
    lines.append("|---|---|---|")
    for text, verdict, detail in checks:
        lines.append("| %s | **%s** | %s |" % (text, verdict, detail or "-"))
    return "\n".join(lines)


SIDE_BY_SIDE = ("module_first", "module_steady", "module_steady_count", "volume_info_unprotected")


def _requests_side_by_side(args, summary, names):
    """Lines of a table: requests per run (of which writes) of the module's contenders at each N, the same at
    every latency (the targets check that they are)."""
    shown = [name for name in SIDE_BY_SIDE if name in names]
    if not shown:
        return []
    lines = ["Requests per run (of which write calls), at every latency:", "",
             "| N | %s |" % " | ".join(LABELS[name] for name in shown),
             "|---:|%s" % ("---:|" * len(shown))]
    for n in args.sizes:
        cells = []
        for name in shown:
            entry = next((summary[(latency, n, name)] for latency in args.latencies
                          if (latency, n, name) in summary), None)
            cells.append("-" if entry is None else "%s (%s)" % (entry["requests"], entry["writes"]))
        lines.append("| %d | %s |" % (n, " | ".join(cells)))
    lines.append("")
    return lines


def _loop_note(args):
    """How often the uri loop ran, when that differs from --runs."""
    parts = []
    small = [n for n in args.sizes if n <= args.loop_max and n < args.loop_large]
    large = [n for n in args.sizes if args.loop_large <= n <= args.loop_max]
    if small and min(args.runs, args.loop_runs) != args.runs:
        parts.append("%d run(s) below N=%d" % (min(args.runs, args.loop_runs), args.loop_large))
    if large and min(args.runs, args.loop_runs_large) != args.runs:
        parts.append("%d run(s) from N=%d" % (min(args.runs, args.loop_runs_large), args.loop_large))
    return "only up to N=%d%s" % (args.loop_max, (", " + " and ".join(parts)) if parts else "")


def _duration(seconds):
    minutes, seconds = divmod(int(round(seconds)), 60)
    return "%d min %02d s" % (minutes, seconds)


def machine_info(memory_how):
    cpu = "unknown CPU"
    memory = "unknown"
    try:
        with open("/proc/cpuinfo") as handle:
            for line in handle:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
        with open("/proc/meminfo") as handle:
            for line in handle:
                if line.startswith("MemTotal:"):
                    memory = "%.1f GiB" % (int(line.split()[1]) / 1024.0 / 1024.0)
                    break
    except OSError:
        pass
    try:
        from ansible.release import __version__ as ansible_version
    except ImportError:
        ansible_version = "unknown"
    return {
        "nproc": len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count(),
        "cpu": cpu,
        "memory": memory,
        "python": platform.python_version(),
        "ansible_core": ansible_version,
        "date": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        "memory_how": memory_how,
        "revision": revision(),
        "load_before": _load(),
    }


def machine_line(machine):
    return "%s CPU(s) (%s), %s RAM, Python %s, ansible-core %s; collection at %s; module memory measured with %s" % (
        machine["nproc"], machine["cpu"], machine["memory"], machine["python"], machine["ansible_core"],
        machine["revision"], machine["memory_how"])


def revision():
    """The commit of this checkout, and whether plugins/ differs from it (what the numbers belong to)."""
    def git(*args):
        completed = subprocess.run(["git", "-C", REPO_ROOT] + list(args), capture_output=True, text=True,
                                   timeout=30, check=False)
        return completed.stdout.strip() if completed.returncode == 0 else None
    try:
        commit = git("rev-parse", "--short", "HEAD")
        changed = git("status", "--porcelain", "--", "plugins")
    except (OSError, subprocess.SubprocessError):
        commit = changed = None
    if not commit:
        return "an unknown commit"
    return "commit %s%s" % (commit, " with local changes in plugins/" if changed else "")


def _load():
    try:
        return " ".join("%.2f" % value for value in os.getloadavg())
    except OSError:
        return "unknown"


def _doc_sections(path):
    """(text before the results, text after them) of the results document; BenchError without markers."""
    try:
        with open(path) as handle:
            text = handle.read()
    except OSError as error:
        raise BenchError("cannot read %s: %s" % (path, error)) from None
    start, end = text.find(BEGIN_MARKER), text.find(END_MARKER)
    if start < 0 or end < start:
        raise BenchError("%s has no results section (%s ... %s)" % (path, BEGIN_MARKER, END_MARKER))
    return text[:start + len(BEGIN_MARKER)], text[end:]


def write_doc(path, markdown):
    """Replace what is between the markers; the prose around them stays."""
    before, after = _doc_sections(path)
    with open(path, "w") as handle:
        handle.write(before + "\n" + markdown + "\n" + after)


def main(argv=None):
    args = build_parser().parse_args(argv)
    wanted = [name.strip() for name in args.contenders.split(",") if name.strip()]
    unknown = sorted(set(wanted) - set(CONTENDER_NAMES))
    if unknown:
        sys.stderr.write("run_bench.py: unknown contender(s) %s; known: %s\n"
                         % (", ".join(unknown), ", ".join(CONTENDER_NAMES)))
        return 2
    if args.runs < 1 or args.loop_runs < 0 or args.loop_runs_large < 0:
        sys.stderr.write("run_bench.py: --runs must be at least 1, --loop-runs and --loop-runs-large at least 0\n")
        return 2
    contenders = [contender for contender in CONTENDERS if contender.name in wanted]
    command = "run_bench.py " + " ".join(argv if argv is not None else sys.argv[1:])

    def log(text):
        sys.stdout.write(text + "\n")
        sys.stdout.flush()

    if not args.no_doc:
        try:
            _doc_sections(args.doc)  # find a missing results section now, not after the runs
        except BenchError as error:
            sys.stderr.write("run_bench.py: %s\n" % error)
            return 2
    started = time.perf_counter()
    workdir = tempfile.mkdtemp(prefix="vbs-bench-")
    try:
        rss_file = os.path.join(workdir, "maxrss.txt")
        wrapper, memory_how = write_interpreter_wrapper(workdir, rss_file)
        collections, source = snapshot_collection(workdir)
        machine = machine_info(memory_how)
        machine["command"] = command.strip()
        machine["collection_source"] = source
        log("vbs bench: %s" % machine_line(machine))
        log("vbs bench: huaweicloud.vbs copied from %s" % source)
        biggest = max(args.sizes)
        all_ids = [seeds.volume_id(number) for number in range(1, biggest + 1)]
        with EmulatorProcess(seed=seeds.seed(volumes=1)) as emulator:
            log("vbs bench: emulator at %s" % emulator.url)
            bench = Bench(emulator, wrapper, rss_file, lambda n: all_ids[:n], collections)
            runs = run_matrix(args, contenders, emulator, bench, workdir, log)
    except BenchError as error:
        sys.stderr.write("run_bench.py: %s\n" % error)
        return 1
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    elapsed = time.perf_counter() - started
    machine["load_after"] = _load()

    summary = summarize(runs)
    checks = check_targets(args, summary)
    markdown = results_markdown(args, summary, checks, machine, elapsed, contenders)
    log("")
    log(markdown)

    os.makedirs(os.path.dirname(os.path.abspath(args.json)), exist_ok=True)
    with open(args.json, "w") as handle:
        json.dump({"machine": machine, "args": vars(args), "elapsed_s": elapsed, "runs": runs,
                   "summary": [dict(latency_ms=key[0], n=key[1], contender=key[2], **value)
                               for key, value in sorted(summary.items())],
                   "targets": checks}, handle, indent=1)
    log("")
    log("vbs bench: every run's figures in %s" % os.path.relpath(args.json, os.getcwd()))
    if not args.no_doc:
        write_doc(args.doc, markdown)
        log("vbs bench: results written to %s" % os.path.relpath(args.doc, os.getcwd()))
    missed = [text for text, verdict, _detail in checks if verdict == "MISS"]
    if missed:
        log("vbs bench: %d target(s) missed: %s" % (len(missed), "; ".join(missed)))
        if args.strict:
            return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
