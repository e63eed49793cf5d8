# -*- coding: utf-8 -*-
# Copyright: (c) 2026, huaweicloud.vbs contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""``make demo`` from a fresh clone, as README.md tells a new user to run it.

The clone is of the working tree as it would be committed (support/checkout.py:
tracked files with their changes and new files that .gitignore does not
exclude), fetched into a ``git clone`` of this repository. ``make demo``
runs there with the machine's environment minus everything that would make it
less fresh: no HW_* or proxy variable, no virtual environment of this checkout
on PATH, no collection path, and a HOME of its own. pip's cache is the user's,
so the packages come from it as they would on a second clone.

The demo must pass, print at most MAX_LINES lines (pip's output goes to
build/logs/), move no volume out of another policy, and leave a .venv with
what a user needs (ansible-core, requests) and none of the test tools.
It costs about 20 seconds (docs/testing.md).
"""

import os
import re
import subprocess
import sys

import pytest

from support.checkout import git, working_tree_commit
from support.collection import REPO_ROOT

MAX_LINES = 100
TEST_TOOLS = ("pytest", "ansible-lint", "antsibull-docs", "antsibull-changelog", "ansible-builder", "hypothesis",
              "huaweicloudsdkcore", "ansible-runner", "sphinx")
USER_PACKAGES = ("ansible-core", "requests")
CHECKOUT_VENVS = re.compile(r"^%s/\.venv[^/]*/bin/?$" % re.escape(REPO_ROOT))


def pip_cache_dir():
    completed = subprocess.run([sys.executable, "-m", "pip", "cache", "dir"], capture_output=True, text=True,
                               check=False, timeout=60)
    return completed.stdout.strip() if completed.returncode == 0 else ""


def fresh_environment(home):
    drop = ("ANSIBLE_COLLECTIONS_PATH", "PYTHONPATH", "VIRTUAL_ENV", "MAKEFLAGS", "MFLAGS", "MAKELEVEL",
            "NO_INSTALL")
    env = dict((name, value) for name, value in os.environ.items()
               if not name.startswith("HW_") and name not in drop
               and name.lower() not in ("http_proxy", "https_proxy", "all_proxy", "no_proxy"))
    env["PATH"] = os.pathsep.join(entry for entry in os.environ.get("PATH", "").split(os.pathsep)
                                  if entry and not CHECKOUT_VENVS.match(entry))
    env["HOME"] = str(home)
    cache = pip_cache_dir()
    if cache:
        env["PIP_CACHE_DIR"] = cache
    return env


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    """(clone directory, completed `make demo`) of a fresh clone of the working tree."""
    work = tmp_path_factory.mktemp("fresh-clone")
    commit = working_tree_commit(work)
    clone = work / "huaweicloud.vbs"
    git("clone", "--quiet", "--no-checkout", REPO_ROOT, str(clone))
    git("-C", str(clone), "fetch", "--quiet", "origin", commit)
    git("-C", str(clone), "checkout", "--quiet", "--detach", commit)
    home = work / "home"
    home.mkdir()
    completed = subprocess.run(["make", "demo"], cwd=str(clone), env=fresh_environment(home), capture_output=True,
                               text=True, check=False, timeout=900, stdin=subprocess.DEVNULL)
    return clone, completed


def test_make_demo_passes_in_a_fresh_clone(demo):
    clone, completed = demo
    output = completed.stdout + completed.stderr
    assert completed.returncode == 0, output
    assert "run-demo: done" in completed.stdout, output
    for playbook in ("examples/demo.yml", "examples/protect_database.yml"):
        assert re.search(r"^%s: run 1 changed=[1-9]\d*, run 2 changed=0$" % re.escape(playbook), completed.stdout,
                         re.M), output


def test_the_demo_prints_what_the_user_came_to_see_and_not_pip(demo):
    _clone, completed = demo
    output = completed.stdout + completed.stderr
    lines = output.splitlines()
    assert len(lines) <= MAX_LINES, "%d lines:\n%s" % (len(lines), output)
    assert not re.search(r"^(Collecting|Downloading|Successfully installed|Requirement already)", output, re.M), output
    assert "build/logs/pip-venv.log" in output


def test_the_demo_moves_no_volume_out_of_another_policy(demo):
    _clone, completed = demo
    assert "[WARNING]" not in completed.stdout + completed.stderr
    # The table of the policies at the end: volumes were added (+), none was removed (-) from any policy.
    table = completed.stdout.split("the backup policies in the emulator", 1)[1].split("=====", 1)[0]
    assert re.search(r"^\s+daily-db\s+\d+\s+\d+\s+\+", table, re.M), table
    assert not re.search(r"\s-[0-9a-f]{8}-", table), table


def test_the_demo_environment_holds_what_a_user_needs_and_no_test_tool(demo):
    clone, _completed = demo
    listing = subprocess.run([str(clone / ".venv" / "bin" / "python"), "-m", "pip", "list", "--format", "freeze"],
                             capture_output=True, text=True, check=True, timeout=120).stdout
    installed = dict(line.lower().split("==", 1) for line in listing.splitlines() if "==" in line)
    assert set(USER_PACKAGES) <= set(installed), sorted(installed)
    with open(os.path.join(REPO_ROOT, "tests", "requirements.txt")) as handle:
        pinned = re.search(r"^ansible-core==(\S+)", handle.read(), re.M).group(1)
    assert installed["ansible-core"] == pinned
    assert not set(installed) & set(TEST_TOOLS), sorted(set(installed) & set(TEST_TOOLS))
    assert not (clone / ".venv-tests").exists()
