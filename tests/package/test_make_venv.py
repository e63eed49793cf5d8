# -*- coding: utf-8 -*-
# Copyright: (c) 2026, huaweicloud.vbs contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""tools/make-venv, which makes the Makefile's environments: quiet when pip works, clear when it fails.

Its success is tested by every ``make`` run (and in a fresh clone, by
test_fresh_clone.py); here pip is given a requirement that cannot be met
(a local path that does not exist, so nothing is looked up on an index).
"""

import os
import subprocess
import sys

from support.collection import REPO_ROOT

MAKE_VENV = os.path.join(REPO_ROOT, "tools", "make-venv")


def test_a_failing_pip_shows_the_end_of_its_log_and_where_the_whole_log_is(tmp_path):
    environment = tmp_path / "venv-that-fails"
    log = os.path.join(REPO_ROOT, "build", "logs", "pip-venv-that-fails.log")
    try:
        run = subprocess.run([MAKE_VENV, str(environment), sys.executable, "./no-such-requirement"],
                             capture_output=True, text=True, check=False, timeout=600, stdin=subprocess.DEVNULL)
        assert run.returncode != 0
        assert run.stdout.count("\n") == 1, run.stdout  # the one line of a run, before pip failed
        assert "installing failed" in run.stderr, run.stderr
        assert "no-such-requirement" in run.stderr, run.stderr  # pip's own message, from the log's end
        assert log in run.stderr, run.stderr
        with open(log) as handle:
            assert "no-such-requirement" in handle.read()
        assert not (environment / ".installed").exists()  # make will try again
    finally:
        if os.path.exists(log):
            os.remove(log)
