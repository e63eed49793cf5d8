# -*- coding: utf-8 -*-
# Copyright: (c) 2026, huaweicloud.vbs contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""Run a module in a child process of its own and measure it: peak memory and time.

The child runs the module's ``main()`` through support/module_runner.run_module (so it
reports the result as Ansible prints it, the raw result before Ansible's
no_log masking, the warnings and any traceback) and writes that report as JSON.

Peak memory is the child's ``ru_maxrss`` from ``os.wait4``. Linux starts a
child's peak at the resident size of the process that forked it (even with
posix_spawn), so the test process, which is large, does not fork the module
itself: a fresh, small launcher process (LAUNCHER, some 10 MB) does, and reports
the child's usage. The launcher also caps the child's address space
(``MEMORY_LIMIT``), so that a module that does read a 2 GiB answer into memory
fails there instead of taking the machine with it, and kills it when it
outlives ``kill_after`` seconds.
"""

import json
import os
import subprocess
import sys
import tempfile

from ansible_collections.huaweicloud.vbs.plugins.modules import vbs_policy_resources

RELIABILITY_DIR = os.path.dirname(os.path.abspath(__file__))
TESTS_DIR = os.path.dirname(RELIABILITY_DIR)
# The directory that holds ansible_collections/ (the installed copy under test).
COLLECTIONS_ROOT = os.path.abspath(os.path.join(os.path.dirname(vbs_policy_resources.__file__), *[".."] * 6))
# glibc reserves address space for each thread's arena: 10 batches in flight need well over 1 GiB of it.
MEMORY_LIMIT = 3 << 30

CHILD = r"""
import importlib, json, sys
sys.path[:0] = json.loads(sys.argv[1])
from support.module_runner import run_module
module = importlib.import_module("ansible_collections.huaweicloud.vbs.plugins.modules." + sys.argv[2])
run = run_module(module.main, json.loads(sys.stdin.read()))
report = dict(result=run.result, raw=run.raw, raw_warnings=run.raw_warnings, crash=run.crash,
              exit_code=run.exit_code, elapsed=run.elapsed, stdout=run.stdout[-4000:], stdout_size=len(run.stdout))
sys.__stdout__.write(json.dumps(report, default=str))
"""

# argv: the file for its report, memory limit, seconds before the kill, then the child's command line. stdin,
# stdout and stderr are the child's; the launcher's report is the child's peak RSS in KiB and its exit status.
LAUNCHER = r"""
import json, os, resource, subprocess, sys, threading, time
report_path, limit, kill_after, command = sys.argv[1], int(sys.argv[2]), float(sys.argv[3]), sys.argv[4:]
resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
start = time.monotonic()
child = subprocess.Popen(command)
killed = threading.Event()
def kill():
    killed.set()
    child.kill()
timer = threading.Timer(kill_after, kill)
timer.daemon = True
timer.start()
_pid, status, usage = os.wait4(child.pid, 0)
timer.cancel()
child.returncode = os.waitstatus_to_exitcode(status)
with open(report_path, "w") as report:
    report.write(json.dumps(dict(maxrss_kib=usage.ru_maxrss, returncode=child.returncode, killed=killed.is_set(),
                                 wall=time.monotonic() - start)))
"""


class ChildRun:
    """What one module run in a child process did, and what it cost."""

    def __init__(self, report, returncode, peak_rss, wall, killed, stderr):
        report = report or {}
        self.result = report.get("result")
        self.raw = report.get("raw")
        self.raw_warnings = report.get("raw_warnings") or []
        self.crash = report.get("crash")
        self.exit_code = report.get("exit_code")
        self.elapsed = report.get("elapsed")  # seconds in main(), interpreter start and imports left out
        self.stdout = report.get("stdout", "")
        self.stdout_size = report.get("stdout_size", 0)
        self.returncode = returncode
        self.peak_rss = peak_rss  # bytes
        self.wall = wall
        self.killed = killed
        self.stderr = stderr
        if not report and not killed:
            self.crash = "the child process reported nothing (exit %r): %s" % (returncode, stderr[-3000:])

    @property
    def failed(self):
        return self.result is None or bool(self.result.get("failed"))

    @property
    def msg(self):
        return (self.result or {}).get("msg")

    @property
    def warnings(self):
        """The warnings as Ansible returns them (ansible-core 2.19 wraps each in a structure)."""
        found = []
        for warning in (self.result or {}).get("warnings") or []:
            if isinstance(warning, dict):
                warning = (warning.get("event") or {}).get("msg", json.dumps(warning))
            found.append(warning)
        return found

    @property
    def peak_rss_mb(self):
        return self.peak_rss / float(1 << 20)

    def texts(self):
        """Everything a person or a log could see of this run."""
        return [self.stdout, self.stderr, json.dumps(self.result), json.dumps(self.raw), "\n".join(self.raw_warnings),
                self.crash or ""]

    def __repr__(self):
        return "ChildRun(rc=%r, killed=%r, rss=%.1f MB, wall=%.1f s, crash=%r, stderr=%r, result=%s)" % (
            self.returncode, self.killed, self.peak_rss_mb, self.wall, (self.crash or "")[-1500:],
            self.stderr[-1500:], json.dumps(self.result)[:3000])


def run_in_child(module, args, env=None, kill_after=60.0):
    """Run huaweicloud.vbs.``module`` with ``args`` in a child process; a ChildRun."""
    child_env = dict(os.environ)
    child_env.update(env or {})
    path = [COLLECTIONS_ROOT, TESTS_DIR]
    command = [sys.executable, "-c", CHILD, json.dumps(path), module]
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err, \
            tempfile.NamedTemporaryFile(suffix=".json") as usage:
        launcher = subprocess.Popen(  # noqa: S603 - our own interpreter and code
            [sys.executable, "-c", LAUNCHER, usage.name, str(MEMORY_LIMIT), str(kill_after)] + command,
            stdin=subprocess.PIPE, stdout=out, stderr=err, env=child_env)
        launcher.communicate(json.dumps(args).encode("utf-8"), timeout=kill_after + 30)
        for handle in (out, err, usage):
            handle.seek(0)
        text = out.read().decode("utf-8", "replace")
        stderr = err.read().decode("utf-8", "replace")
        measured = json.loads(usage.read().decode("utf-8") or "{}")
    if not measured:
        raise AssertionError("the launcher failed (exit %r): %s" % (launcher.returncode, stderr[-3000:]))
    try:
        report = json.loads(text) if text.strip() else None
    except ValueError:
        report = {"crash": "the child's report is not JSON: %s" % text[-2000:]}
    return ChildRun(report, measured["returncode"], measured["maxrss_kib"] * 1024, measured["wall"],
                    measured["killed"], stderr)
