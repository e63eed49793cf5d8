# -*- coding: utf-8 -*-
# Copyright: (c) 2026, huaweicloud.vbs contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Run the test tiers of ``make test``: quietly, side by side, the cheap ones first.

    python3 tools/run-tests.py [--jobs N] [--keep-going] TIER[:NEEDS,...] ...

Every tier is a make target, run as ``make TIER NO_INSTALL=1`` with its whole
output in build/logs/TIER.log. Tiers start in the order given, up to ``--jobs``
at a time, each once the tiers it needs (after the colon) have passed (and the
ones after it wait): list the cheap checks first, then the long tiers, longest
first. The terminal gets one
line per tier (result, duration, CPU time and counts), a summary table, and the
tail of the log of a tier that fails.

The first tier that fails stops the run: no tier starts after it and the tiers
still running are stopped (``--keep-going`` runs every tier that can run).
Standard library only: it runs before any virtual environment exists.
"""

from __future__ import absolute_import, division, print_function

import argparse
import os
import re
import signal
import subprocess
import sys
import time
from xml.etree import ElementTree

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
LOGS = os.path.join(REPO, "build", "logs")
TAIL_LINES = 60
POLL_SECONDS = 0.2
ANSI_ESCAPE = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")


# -- what a tier's log says ---------------------------------------------------------

def read(path):
    try:
        with open(path, encoding="utf-8", errors="replace") as handle:
            return ANSI_ESCAPE.sub("", handle.read())
    except OSError:
        return ""


def pytest_counts(tier):
    """'N passed, N failed, N skipped' from the JUnit XML the pytest tiers write."""
    path = os.path.join(LOGS, tier + ".xml")
    try:
        root = ElementTree.parse(path).getroot()
    except (OSError, ElementTree.ParseError):
        return None
    suites = [root] if root.tag == "testsuite" else root.findall("testsuite")
    total = failed = skipped = 0
    for suite in suites:
        total += int(suite.get("tests", 0))
        failed += int(suite.get("failures", 0)) + int(suite.get("errors", 0))
        skipped += int(suite.get("skipped", 0))
    return "%d passed, %d failed, %d skipped" % (total - failed - skipped, failed, skipped)


def sanity_counts(log):
    core = re.search(r"^run-sanity: ansible-core (\S+)", log, re.M)
    pythons = re.search(r"^run-sanity: per-Python tests on Python ([0-9. ]+)", log, re.M)
    runs = len(re.findall(r'^Running sanity test "', log, re.M))
    errors = len(re.findall(r"^ERROR: ", log, re.M))
    text = "ansible-core %s: %d tests run" % (core.group(1) if core else "?", runs)
    if pythons:
        text += ", per-Python ones on %s" % pythons.group(1).strip()
    if errors:
        text += ", %d error lines" % errors
    skipped = re.search(r"^run-sanity: tests left to other runs: (.+)$", log, re.M)
    if skipped:
        text += ", skips %s" % skipped.group(1).strip()
    not_covered = re.search(r"NOT COVERED: the per-Python tests on Python ([0-9. ]+),", log)
    if not_covered:
        text += " (%s: no interpreter)" % not_covered.group(1).strip()
    return text


def counts(tier, log):
    """A short account of what the tier did, read from its log (and JUnit XML)."""
    skipped = re.search(r"^\S+: SKIPPED: (.+)$", log, re.M)  # a pytest tier without tests (ALLOW_NO_TESTS=1)
    if skipped:
        return "SKIPPED: " + skipped.group(1)
    from_pytest = pytest_counts(tier)
    if from_pytest:
        return from_pytest
    if tier.startswith("sanity"):
        return sanity_counts(log)
    if tier == "ee":
        return "%d Python requirement(s) reach the image" % len(re.findall(r"^ok: ", log, re.M))
    patterns = (
        (r"Passed: (\d+) failure\(s\), (\d+) warning\(s\) in (\d+) files", "{2} files: {0} failures, {1} warnings"),
        (r"Failed: (\d+) failure\(s\), (\d+) warning\(s\) in (\d+) files", "{2} files: {0} failures, {1} warnings"),
        (r"ansible-doc rendered (\d+) module", "{0} modules rendered, reference pages up to date"),
        (r"changelog: (\d+) fragments", "changelog.yaml and {0} fragments linted"),
        (r"Created collection for \S+ at \S*/(huaweicloud-vbs-[0-9.]+\.tar\.gz)", "built and installed {0}"),
        (r"^(?:environments|test-tools): (.+)$", "{0}"),
    )
    for pattern, template in patterns:
        found = re.findall(pattern, log, re.M)
        if found:
            groups = found[-1] if isinstance(found[-1], tuple) else (found[-1],)
            return template.format(*groups)
    return ""


# -- running tiers ------------------------------------------------------------------

class Tier:

    def __init__(self, name, needs=()):
        self.name = name
        self.needs = tuple(needs)
        self.log = os.path.join(LOGS, name + ".log")
        self.process = None
        self.handle = None
        self.started = None
        self.seconds = 0.0
        self.cpu_seconds = 0.0
        self.status = "not run"
        self.counts = ""

    def start(self):
        for stale in (self.log, os.path.join(LOGS, self.name + ".xml")):
            if os.path.exists(stale):
                os.remove(stale)
        # closed when the tier ends (_ended)
        self.handle = open(self.log, "w", encoding="utf-8")  # pylint: disable=consider-using-with
        self.started = time.monotonic()
        self.process = subprocess.Popen(["make", "--no-print-directory", self.name, "NO_INSTALL=1"], cwd=REPO,
                                        stdin=subprocess.DEVNULL, stdout=self.handle, stderr=subprocess.STDOUT,
                                        start_new_session=True)
        self.status = "running"

    def poll(self):
        """True once the tier has ended (its status, CPU time and counts are then set)."""
        # wait4 rather than Popen.poll: it also gives the CPU time of everything the tier ran.
        pid, status, usage = os.wait4(self.process.pid, os.WNOHANG)
        if pid == 0:
            return False
        self.process.returncode = os.waitstatus_to_exitcode(status)
        self.cpu_seconds = usage.ru_utime + usage.ru_stime
        self._ended("passed" if self.process.returncode == 0 else "FAILED")
        return True

    def stop(self):
        """Stop the tier and everything it started (its own process group)."""
        for sig, grace in ((signal.SIGTERM, 10), (signal.SIGKILL, None)):
            try:
                os.killpg(self.process.pid, sig)
            except ProcessLookupError:
                pass
            deadline = time.monotonic() + (grace or 60)
            while time.monotonic() < deadline:
                if self.poll():
                    self.status = "stopped"
                    return
                time.sleep(POLL_SECONDS)

    def _ended(self, status):
        self.handle.close()
        self.seconds = time.monotonic() - self.started
        self.status = status
        self.counts = counts(self.name, read(self.log))

    def line(self):
        figures = (self.status, self.name, self.seconds, self.cpu_seconds, self.counts)
        return "%-8s %-14s %5.0f s %5.0f s CPU  %s" % figures

    def tail(self):
        lines = read(self.log).splitlines()
        shown = lines[-TAIL_LINES:]
        header = "---- last %d of %d lines of %s" % (len(shown), len(lines), os.path.relpath(self.log, REPO))
        return "\n".join([header] + shown + ["---- end of %s" % os.path.relpath(self.log, REPO)])


def say(text=""):
    print(text, flush=True)


def parse_plan(items):
    """Tiers from TIER[:NEEDS,...] items; a tier may only need tiers listed before it."""
    tiers, seen = [], set()
    for item in items:
        name, _colon, needs = item.partition(":")
        needed = [need for need in needs.split(",") if need]
        unknown = [need for need in needed if need not in seen]
        if unknown:
            raise ValueError("%s needs %s, which is not listed before it" % (name, ", ".join(unknown)))
        tiers.append(Tier(name, needed))
        seen.add(name)
    return tiers


def run_plan(tiers, jobs, keep_going):
    """Run the tiers, up to ``jobs`` at a time; True when every tier passed."""
    by_name = dict((tier.name, tier) for tier in tiers)
    waiting = list(tiers)
    running = []
    failed = False
    while waiting or running:
        if not failed or keep_going:
            for tier in list(waiting):
                if len(running) >= jobs:
                    break
                needs = [by_name[need].status for need in tier.needs]
                if any(status in ("FAILED", "stopped", "not run (needs failed)") for status in needs):
                    tier.status = "not run (needs failed)"
                    waiting.remove(tier)
                elif all(status == "passed" for status in needs):
                    tier.start()
                    waiting.remove(tier)
                    running.append(tier)
                else:
                    break  # tiers start in the order given: the next one waits for what it needs
        if not running:
            break
        time.sleep(POLL_SECONDS)
        for tier in [tier for tier in running if tier.poll()]:
            running.remove(tier)
            say(tier.line())
            if tier.status != "passed":
                failed = True
                say(tier.tail())
                if not keep_going:
                    for other in running:
                        other.stop()
                        say(other.line())
                    running = []
    return not failed and all(tier.status == "passed" for tier in tiers)


def summary(tiers, elapsed):
    lines = ["", "make test summary (full logs in build/logs/):",
             "  %-14s %-8s %7s %9s  %s" % ("tier", "result", "time", "CPU", "counts")]
    for tier in tiers:
        result = "not run" if tier.status.startswith("not run") else tier.status
        figures = (tier.name, result, tier.seconds, tier.cpu_seconds, tier.counts)
        lines.append("  %-14s %-8s %5.0f s %7.0f s  %s" % figures)
    failed = [tier.name for tier in tiers if tier.status == "FAILED"]
    cpu = sum(tier.cpu_seconds for tier in tiers)
    if failed:
        overall = "FAILED"
    else:
        overall = "passed" if all(tier.status == "passed" for tier in tiers) else "stopped"
    lines.append("  %-14s %-8s %5.0f s %7.0f s" % ("total", overall, elapsed, cpu))
    passed = sum(1 for tier in tiers if tier.status == "passed")
    verdict = "make test: %d of %d tiers passed in %.0f s" % (passed, len(tiers), elapsed)
    if failed:
        verdict += "; FAILED: %s" % " ".join(failed)
    others = [tier.name for tier in tiers if tier.status not in ("passed", "FAILED")]
    if others:
        verdict += "; not run or stopped: %s" % " ".join(others)
    lines.append(verdict)
    return "\n".join(lines)


class StoppedBySignal(Exception):
    pass


def stopped_by_signal(_signum, _frame):
    raise StoppedBySignal()


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--jobs", type=int, default=4, help="tiers run at once (default 4)")
    parser.add_argument("--keep-going", action="store_true", help="run every tier that can run after one failed")
    parser.add_argument("plan", nargs="+", metavar="TIER[:NEEDS,...]", help="the tiers, in the order they start")
    args = parser.parse_args(argv)
    if args.jobs < 1:
        parser.error("--jobs must be 1 or more")
    try:
        tiers = parse_plan(args.plan)
    except ValueError as error:
        parser.error(str(error))

    os.makedirs(LOGS, exist_ok=True)
    say("make test: %d tiers, %d at a time, full logs in build/logs/" % (len(tiers), args.jobs))
    start = time.monotonic()
    # The tiers run in sessions of their own (so that each can be stopped as a whole): a
    # SIGTERM or Ctrl-C of this run stops them here, or they would outlive it.
    signal.signal(signal.SIGTERM, stopped_by_signal)
    try:
        ok = run_plan(tiers, args.jobs, args.keep_going)
    except (KeyboardInterrupt, StoppedBySignal):
        for tier in tiers:
            if tier.status == "running":
                tier.stop()
                say(tier.line())
        say(summary(tiers, time.monotonic() - start))
        return 130
    say(summary(tiers, time.monotonic() - start))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
