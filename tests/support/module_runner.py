# -*- coding: utf-8 -*-
# Copyright: (c) 2026, huaweicloud.vbs contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""Run a module's main() in this process, as Ansible runs it, and keep everything it said.

Nothing of the module is replaced: its arguments reach it through
``ansible.module_utils.testing.patch_module_args`` and it talks HTTP to a real
server. The runner only watches:

* ``result``: the JSON the module printed (what Ansible shows the user, with
  no_log values already masked);
* ``raw``: the same result *before* Ansible masked no_log values, and the
  warnings as the module emitted them, so a test sees what the collection
  itself produced, not what Ansible's masking saved;
* ``crash``: the traceback of any exception that escaped ``main()``.

``adhoc()`` runs a module of the collection this way with the environment and
flags an ``ansible localhost -m ...`` command would give it: the tests of
behaviour matrices use it, and keep the real ansible commands for the
end-to-end runs.
"""

import contextlib
import copy
import importlib
import io
import json
import os
import time
import traceback

from ansible.module_utils import basic
from ansible.module_utils.common import warnings as ansible_warnings
from ansible.module_utils.testing import patch_module_args


class ModuleRun:

    def __init__(self):
        self.exit_code = None
        self.result = None
        self.raw = None
        self.raw_warnings = []
        self.stdout = ""
        self.stderr = ""
        self.crash = None
        self.elapsed = 0.0

    @property
    def failed(self):
        return self.result is None or bool(self.result.get("failed")) or self.exit_code not in (0, None)

    @property
    def msg(self):
        return (self.result or {}).get("msg")

    def texts(self):
        """Every text a person or a log could see from this run, as one string per source."""
        return [self.stdout, self.stderr, json.dumps(self.raw, default=str), "\n".join(self.raw_warnings),
                self.crash or ""]

    def __repr__(self):
        return "ModuleRun(exit=%r, crash=%r, result=%s)" % (self.exit_code, self.crash, json.dumps(self.result)[:3000])


def warning_texts(result):
    """The texts of a result's warnings (ansible-core 2.19 returns each as a structured event)."""
    return [item["event"]["msg"] if isinstance(item, dict) else item for item in (result or {}).get("warnings") or []]


def _clear_ansible_globals():
    """In one process, Ansible's warning and deprecation lists would carry over from run to run."""
    ansible_warnings._global_warnings.clear()
    ansible_warnings._global_deprecations.clear()


@contextlib.contextmanager
def _watch_results(run):
    original = basic.AnsibleModule._return_formatted

    def watching(module, kwargs):
        run.raw = copy.deepcopy(kwargs)
        run.raw_warnings = list(ansible_warnings.get_warning_messages())
        return original(module, kwargs)

    basic.AnsibleModule._return_formatted = watching
    try:
        yield
    finally:
        basic.AnsibleModule._return_formatted = original


def run_module(main, args, check_mode=False, diff=False):
    """Run ``main()`` (a module's main function) with ``args``; a ModuleRun, whatever happens."""
    args = dict(args)
    if check_mode:
        args["_ansible_check_mode"] = True
    if diff:
        args["_ansible_diff"] = True
    run = ModuleRun()
    out, err = io.StringIO(), io.StringIO()
    _clear_ansible_globals()
    start = time.monotonic()
    try:
        with patch_module_args(args), _watch_results(run), \
                contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            try:
                main()
            except SystemExit as exit_info:
                run.exit_code = exit_info.code
            except Exception:  # the very thing these tests look for
                run.crash = traceback.format_exc()
    finally:
        run.elapsed = time.monotonic() - start
        _clear_ansible_globals()
    run.stdout, run.stderr = out.getvalue(), err.getvalue()
    text = run.stdout.strip()
    if text:
        try:
            run.result = json.loads(text.splitlines()[-1])
        except ValueError:
            run.crash = (run.crash or "") + "\nthe module printed something that is not one JSON result:\n" + text[-2000:]
    elif run.crash is None:
        run.crash = "the module printed no result (exit code %r)" % (run.exit_code,)
    return run


def clear_problem(run):
    """Why a failed run's outcome is not a clear failure, or None.

    Clear: a JSON result with failed true, a non-empty one-line msg, no
    traceback in what the module printed, and a non-zero exit. (Standard
    error is left out: in this process it also gets what the test servers'
    threads write.)
    """
    if run.crash:
        return "an exception escaped the module: %s" % run.crash[-1500:]
    result = run.result
    if not result.get("failed"):
        return "not failed"
    if run.exit_code in (0, None):
        return "failed but exit code %r" % (run.exit_code,)
    msg = result.get("msg")
    if not isinstance(msg, str) or not msg.strip():
        return "no msg"
    if len(msg.splitlines()) > 1:
        return "msg has several lines: %r" % msg
    if "Traceback" in msg or "exception" in result or "module_stderr" in result:
        return "a traceback in the result: %r" % msg
    if "Traceback" in run.stdout:
        return "a traceback in the output"
    return None


class AdhocRun:
    """What ``ansible localhost -m huaweicloud.vbs.<module>`` would report of one in-process run.

    ``rc`` is the ansible command's exit code for one host (2 when the module
    failed), ``result`` the module's result, ``warnings`` its warnings' texts.
    """

    def __init__(self, module_run):
        self.module_run = module_run
        self.result = module_run.result
        self.rc = 2 if module_run.failed else 0
        self.warnings = warning_texts(module_run.result)

    def __repr__(self):
        return "AdhocRun(rc=%r, result=%s)" % (self.rc, json.dumps(self.result)[:3000])


@contextlib.contextmanager
def _environment(env):
    """os.environ with no HW_* variable of the caller and ``env`` added, restored afterwards."""
    saved = dict(os.environ)
    for name in list(os.environ):
        if name.startswith("HW_"):
            del os.environ[name]
    os.environ.update(env or {})
    try:
        yield
    finally:
        os.environ.clear()
        os.environ.update(saved)


def adhoc(module, args, env, check=False, diff=False):
    """Run huaweicloud.vbs.``module``'s real main() here, as the ansible command would run it.

    The module gets ``args`` as its task arguments, ``env`` as the HW_* variables
    of the controller, check and diff mode as the flags would set them. An
    exception that escapes the module fails the test at once.
    """
    main = importlib.import_module("ansible_collections.huaweicloud.vbs.plugins.modules." + module).main
    with _environment(env):
        module_run = run_module(main, args, check_mode=check, diff=diff)
    if module_run.crash:
        raise AssertionError("huaweicloud.vbs.%s crashed: %s" % (module, module_run.crash))
    return AdhocRun(module_run)
