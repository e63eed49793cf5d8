# -*- coding: utf-8 -*-
# Copyright: (c) 2026, huaweicloud.vbs contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""Run the collection's modules through the real ansible and ansible-playbook commands.

The commands come from the Python environment that runs the tests. The
collection must be importable through ANSIBLE_COLLECTIONS_PATH (the Makefile
points it at the collection installed from the built tarball); without it,
a link to this checkout is used so a developer can run a single test.
"""

import json
import os
import subprocess
import sys
import tempfile

REPO_ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BIN_DIR = os.path.dirname(sys.executable)
_LINKED_COLLECTIONS = []


def collections_path():
    configured = os.environ.get("ANSIBLE_COLLECTIONS_PATH")
    if configured:
        return configured
    if not _LINKED_COLLECTIONS:
        root = tempfile.mkdtemp(prefix="vbs-collections-")
        os.makedirs(os.path.join(root, "ansible_collections", "huaweicloud"))
        os.symlink(REPO_ROOT, os.path.join(root, "ansible_collections", "huaweicloud", "vbs"))
        _LINKED_COLLECTIONS.append(root)
    return _LINKED_COLLECTIONS[0]


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
