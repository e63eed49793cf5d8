# -*- coding: utf-8 -*-
# Copyright: (c) 2026, huaweicloud.vbs contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Run the test tiers of ``make test``: quietly, the slow ones side by side.

    python3 tools/run-tests.py [--jobs N] [--keep-going] --first TIERS --fast TIERS --slow TIERS

Every tier is a make target, run as ``make TIER NO_INSTALL=1`` with its whole
output in build/logs/TIER.log. The terminal gets one line per tier (its
result, duration and counts) and a summary table; when a tier fails, the tail
of its log.

* ``--first`` tiers (the install) run one after the other before anything else;
* ``--fast`` tiers (cheap checks) run next, one after the other, so a lint
  finding is reported within seconds;
* ``--slow`` tiers run up to ``--jobs`` at a time, in the order given (the
  longest first).

The first tier that fails stops the run: no tier starts after it and the
tiers still running are stopped (``--keep-going`` runs every tier instead).
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
    not_covered = re.search(r"NOT COVERED: the per-Python tests on Python ([0-9. ]+),", log)
    if not_covered:
        text += " (%s: no interpreter)" % not_covered.group(1).strip()
    return text


def counts(tier, log):
    """A short account of what the tier did, read from its log (and JUnit XML)."""
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
    )
    for pattern, template in patterns:
        found = re.findall(pattern, log)
        if found:
            groups = found[-1] if isinstance(found[-1], tuple) else (found[-1],)
            return template.format(*groups)
    return ""


# -- running tiers ------------------------------------------------------------------

class Tier:

    def __init__(self, name):
        self.name = name
        self.log = os.path.join(LOGS, name + ".log")
        self.process = None
        self.handle = None
        self.started = None
        self.seconds = 0.0
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

    def poll(self):
        """True once the tier has ended (its status and counts are then set)."""
        rc = self.process.poll()
        if rc is None:
            return False
        self._ended("passed" if rc == 0 else "FAILED")
        return True

    def stop(self):
        """Stop the tier and everything it started (its own process group)."""
        try:
            os.killpg(self.process.pid, signal.SIGTERM)
        except ProcessLookupError:
            pass
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()
        self._ended("stopped")

    def _ended(self, status):
        self.handle.close()
        self.seconds = time.monotonic() - self.started
        self.status = status
        self.counts = counts(self.name, read(self.log))

    def line(self):
        return "%-8s %-14s %5.0f s  %s" % (self.status, self.name, self.seconds, self.counts)

    def tail(self):
        lines = read(self.log).splitlines()
        shown = lines[-TAIL_LINES:]
        header = "---- last %d of %d lines of %s" % (len(shown), len(lines), os.path.relpath(self.log, REPO))
        return "\n".join([header] + shown + ["---- end of %s" % os.path.relpath(self.log, REPO)])


def say(text=""):
    print(text, flush=True)


def run_tiers(names, jobs, keep_going, running_all):
    """Run tiers, up to ``jobs`` at a time, in order; False once one has failed (and not keep_going)."""
    waiting = [Tier(name) for name in names]
    running_all.extend(waiting)
    running = []
    ok = True
    while waiting or running:
        while waiting and len(running) < jobs and (ok or keep_going):
            tier = waiting.pop(0)
            tier.start()
            running.append(tier)
        if not running:
            break
        time.sleep(POLL_SECONDS)
        for tier in [tier for tier in running if tier.poll()]:
            running.remove(tier)
            say(tier.line())
            if tier.status != "passed":
                ok = False
                say(tier.tail())
                if not keep_going:
                    for other in running:
                        other.stop()
                        say(other.line())
                    running = []
    return ok


def summary(tiers, elapsed):
    ran = [tier for tier in tiers if tier.status != "not run"]
    failed = [tier.name for tier in ran if tier.status == "FAILED"]
    lines = ["", "make test summary (logs in build/logs/):", "  %-14s %-8s %7s  %s" % ("tier", "result", "time", "counts")]
    for tier in tiers:
        lines.append("  %-14s %-8s %5.0f s  %s" % (tier.name, tier.status, tier.seconds, tier.counts))
    lines.append("  %-14s %-8s %5.0f s" % ("total", "FAILED" if failed else "passed", elapsed))
    passed = sum(1 for tier in ran if tier.status == "passed")
    verdict = "make test: %d tiers passed" % passed
    if failed:
        verdict += ", FAILED: %s" % " ".join(failed)
    not_run = [tier.name for tier in tiers if tier.status in ("not run", "stopped")]
    if not_run:
        verdict += "; not run or stopped: %s" % " ".join(not_run)
    lines.append(verdict)
    return "\n".join(lines)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--jobs", type=int, default=3, help="slow tiers run at once (default 3)")
    parser.add_argument("--keep-going", action="store_true", help="run every tier even after one failed")
    parser.add_argument("--first", default="", help="tiers run before anything else, one at a time")
    parser.add_argument("--fast", default="", help="cheap tiers, one at a time, before the slow ones")
    parser.add_argument("--slow", default="", help="tiers run up to --jobs at a time, longest first")
    args = parser.parse_args(argv)
    if args.jobs < 1:
        parser.error("--jobs must be 1 or more")

    os.makedirs(LOGS, exist_ok=True)
    phases = [(args.first.split(), 1), (args.fast.split(), 1), (args.slow.split(), args.jobs)]
    say("make test: %s; %s at a time: %s; full logs in build/logs/"
        % (" ".join(args.first.split() + args.fast.split()), args.jobs, " ".join(args.slow.split())))
    start = time.monotonic()
    tiers = []
    ok = True
    try:
        for names, jobs in phases:
            if not (ok or args.keep_going):
                tiers.extend(Tier(name) for name in names)
                continue
            ok = run_tiers(names, jobs, args.keep_going, tiers) and ok
    except KeyboardInterrupt:
        for tier in tiers:
            if tier.process is not None and tier.process.poll() is None:
                tier.stop()
        say(summary(tiers, time.monotonic() - start))
        return 130
    say(summary(tiers, time.monotonic() - start))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
