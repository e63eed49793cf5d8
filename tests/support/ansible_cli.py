# -*- coding: utf-8 -*-
# Copyright: (c) 2026, huaweicloud.vbs contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""Run the collection's modules through the real ansible and ansible-playbook commands.

The commands come from the Python environment that runs the tests. They see
the collection that ``make install`` built from this checkout into
build/collections (support/collection.py), and nothing else.
"""

import json
import os
import subprocess
import sys

from support import collection

REPO_ROOT = collection.REPO_ROOT
BIN_DIR = os.path.dirname(sys.executable)


def collections_path():
    """ANSIBLE_COLLECTIONS_PATH of every command: the installed collection of this checkout."""
    return collection.COLLECTIONS_PATH


def base_env(extra=None):
    """The environment of a run: no HW_* variable of the caller leaks in, only ``extra``."""
    env = dict((key, value) for key, value in os.environ.items() if not key.startswith("HW_"))
    env.update({
        "ANSIBLE_COLLECTIONS_PATH": collections_path(),
        "ANSIBLE_LOCALHOST_WARNING": "false",
        "ANSIBLE_INVENTORY_UNPARSED_WARNING": "false",
        "ANSIBLE_NOCOLOR": "true",
        "ANSIBLE_FORCE_COLOR": "false",
        "ANSIBLE_RETRY_FILES_ENABLED": "false",
        "ANSIBLE_PYTHON_INTERPRETER": sys.executable,
        "PYTHONWARNINGS": "ignore",
    })
    env.update(extra or {})
    return env


class Run:
    """The outcome of one command: exit code, outputs and the module's result (ad hoc only)."""

    def __init__(self, command, completed, result=None):
        self.command = command
        self.rc = completed.returncode
        self.stdout = completed.stdout
        self.stderr = completed.stderr
        self.result = result

    @property
    def output(self):
        return self.stdout + self.stderr

    def __repr__(self):
        return "Run(rc=%s, stdout=%r, stderr=%r)" % (self.rc, self.stdout[-3000:], self.stderr[-3000:])


def adhoc(module, args, env, check=False, diff=False, verbosity=0, timeout=600):
    """``ansible localhost -m huaweicloud.vbs.<module> -a <JSON args>``; Run.result is the module's result."""
    command = [os.path.join(BIN_DIR, "ansible"), "localhost", "-m", "huaweicloud.vbs." + module,
               "-a", json.dumps(args)]
    command += _flags(check, diff, verbosity)
    completed = subprocess.run(command, env=base_env(env), capture_output=True, text=True, timeout=timeout,
                               stdin=subprocess.DEVNULL, check=False)
    return Run(command, completed, _adhoc_result(completed.stdout))


def playbook(path, env, extra_vars=None, check=False, diff=False, verbosity=0, timeout=600):
    command = [os.path.join(BIN_DIR, "ansible-playbook"), path]
    if extra_vars:
        command += ["-e", json.dumps(extra_vars)]
    command += _flags(check, diff, verbosity)
    completed = subprocess.run(command, env=base_env(env), capture_output=True, text=True, timeout=timeout,
                               stdin=subprocess.DEVNULL, check=False)
    return Run(command, completed)


def _flags(check, diff, verbosity):
    flags = []
    if check:
        flags.append("--check")
    if diff:
        flags.append("--diff")
    if verbosity:
        flags.append("-" + "v" * verbosity)
    return flags


def _adhoc_result(stdout):
    """The JSON after 'localhost | STATUS => ' in the ad-hoc output, or None."""
    marker = stdout.find("localhost | ")
    if marker < 0:
        return None
    start = stdout.find("=> ", marker)
    if start < 0:
        return None
    try:
        result, _end = json.JSONDecoder().raw_decode(stdout[start + 3:])
    except ValueError:
        return None
    return result
