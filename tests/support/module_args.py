# -*- coding: utf-8 -*-
# Copyright: (c) 2026, huaweicloud.vbs contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""The connection options of a module run against a local server, and the run itself: in one place.

``connection_args`` reaches the emulator or a ScriptedServer with access keys;
``scripted_args`` adds the project ID, so that no IAM request needs scripting.
``run_main`` runs a module's real main() in this process and returns its result.
"""

from ansible_collections.huaweicloud.vbs.tests.support.module_runner import run_module

ACCESS_KEY = "HPUAEXAMPLEACCESSKEY"
SECRET_KEY = "exampleSecretKey0123456789abcdefghijklmn"
PROJECT_ID = "6c1f0e7a9b2d4c3e8f5a7b9c0d1e2f3a"
REGION = "eu-de"


def connection_args(url, **options):
    """Options for the server at ``url`` (VBS and IAM on it) with the access keys above; an option given as None
    is left out."""
    args = dict(endpoint=url, auth_url=url + "/v3", region=REGION, access_key=ACCESS_KEY, secret_key=SECRET_KEY,
                timeout=5)
    args.update(options)
    return dict((key, value) for key, value in args.items() if value is not None)


def scripted_args(server, **options):
    """connection_args() for a ScriptedServer, with the project ID given."""
    return connection_args(server.url, project_id=PROJECT_ID, **options)


def run_main(main, args):
    """The result of one run of a module's ``main`` with ``args``; the run must not crash."""
    module_run = run_module(main, args)
    assert module_run.crash is None, module_run.crash
    assert bool(module_run.exit_code) == bool(module_run.result.get("failed")), module_run.result
    return module_run.result
