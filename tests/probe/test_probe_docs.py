# -*- coding: utf-8 -*-
# Copyright: (c) 2026, huaweicloud.vbs contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""docs/conformance.md's commands work as a user pastes them.

The emulator block runs in bash from the top of the checkout, against the emulator started with the
page's command on a free port (its URL replaces ``http://127.0.0.1:8480``), with a HOME of its own. The
profile block then starts the emulator from the report that block wrote. The real-cloud block cannot
reach a cloud from here: it must name only variables that the probe reads and run the probe the way the
emulator block does.
"""

import json
import os
import re
import signal
import subprocess
import sys
import urllib.request

import pytest

from ansible_collections.huaweicloud.vbs.plugins.module_utils.vbs_auth import CREDENTIAL_OPTIONS
from ansible_collections.huaweicloud.vbs.plugins.module_utils.vbs_connection import (
    INSECURE_VARIABLE, SETTING_VARIABLES)
from support.collection import REPO_ROOT

PAGE = os.path.join(REPO_ROOT, "docs", "conformance.md")
PAGE_URL = "http://127.0.0.1:8480"
START = "`tools/vbs-emulator --seed tools/seed/demo.json`"
PROBE_VARIABLES = set(variable for _name, variable in SETTING_VARIABLES + CREDENTIAL_OPTIONS) | {INSECURE_VARIABLE}


def blocks():
    """{what: shell text} of the page's ```sh blocks, each recognised by what it does."""
    with open(PAGE) as handle:
        text = handle.read()
    assert START in text
    kinds = (("emulator", PAGE_URL), ("cloud", "HW_CLOUD"), ("profile", "--profile"))
    found = {}
    for block in re.findall(r"```sh\n(.*?)```", text, re.S):
        what = [kind for kind, marker in kinds if marker in block and kind not in found]
        assert len(what) == 1, "a block of docs/conformance.md that the test does not know: %r" % block
        found[what[0]] = block
    assert sorted(found) == sorted(kind for kind, _marker in kinds)
    return found


BLOCKS = blocks()


def environment(home):
    """The machine's environment without HW_* variables, proxies or the tests' collection paths, and a
    python3 with requests (the tests' own) first on PATH."""
    env = dict((name, value) for name, value in os.environ.items()
               if not name.startswith("HW_") and name.lower() not in ("http_proxy", "https_proxy", "no_proxy")
               and name not in ("PYTHONPATH", "ANSIBLE_COLLECTIONS_PATH", "XDG_STATE_HOME"))
    env.update(HOME=str(home), NO_PROXY="127.0.0.1,localhost",
               PATH=os.path.dirname(sys.executable) + os.pathsep + os.environ.get("PATH", ""))
    return env


def bash(script, home, timeout=300):
    return subprocess.run(["bash", "-euo", "pipefail", "-c", script], cwd=str(home), env=environment(home),
                          capture_output=True, text=True, timeout=timeout, stdin=subprocess.DEVNULL, check=False)


def start_emulator(command, home):
    """``command`` (the page's) on a free port, in the user's directory: (process, URL)."""
    process = subprocess.Popen(["bash", "-c", "exec %s --port 0" % command], cwd=str(home),
                               env=environment(home), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                               start_new_session=True)
    return process, process.stdout.readline().strip()


def stop(process):
    os.killpg(process.pid, signal.SIGTERM)
    process.wait(timeout=30)
    process.stdout.close()
    process.stderr.close()


@pytest.fixture
def home(tmp_path):
    """The user's directory, with the checkout's tools and seed where the page's relative paths find them."""
    os.symlink(os.path.join(REPO_ROOT, "tools"), str(tmp_path / "tools"))
    return tmp_path


def test_the_emulator_block_runs_and_its_report_starts_the_emulator_as_that_cloud(home):
    emulator, url = start_emulator(START.strip("`"), home)
    try:
        assert url.startswith("http://127.0.0.1:"), url
        result = bash(BLOCKS["emulator"].replace(PAGE_URL, url), home)
    finally:
        stop(emulator)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    assert result.stdout.count("# VBS conformance probe") == 2  # the dry run, then the run
    assert "(dry run: reads only)" in result.stdout
    assert "Outcome: **completed**; the cloud was left as it was found." in result.stdout
    with open(str(home / "report.json")) as handle:
        report = json.load(handle)
    assert report["unsettled"] == {}

    profile, url = start_emulator(BLOCKS["profile"].strip(), home)
    try:
        assert url.startswith("http://127.0.0.1:"), url
        with urllib.request.urlopen(url + "/_emulator/config", timeout=30) as answer:
            config = json.loads(answer.read().decode("utf-8"))["config"]
    finally:
        stop(profile)
    assert dict((name, config[name]) for name in report["emulator_switches"]) == report["emulator_switches"]


def test_the_cloud_block_names_only_the_probe_s_variables_and_runs_it_as_the_emulator_block_does():
    assigned = set(re.findall(r"\b([A-Z][A-Z0-9_]*)=", BLOCKS["cloud"]))
    assert assigned and assigned <= PROBE_VARIABLES, assigned - PROBE_VARIABLES

    def probe_lines(block):
        return [re.sub(r"--volume \S+", "--volume ID", line) for line in block.splitlines()
                if line.startswith("tools/vbs-probe")]

    assert probe_lines(BLOCKS["cloud"]) == probe_lines(BLOCKS["emulator"])
    assert len(probe_lines(BLOCKS["cloud"])) == 2
