# -*- coding: utf-8 -*-
# Copyright: (c) 2026, huaweicloud.vbs contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""The shared connection options through real module runs against the emulator.

Each test runs a module's main() in this process (support/module_runner.py)
with task options and, where it matters, HW_* and proxy variables in the
environment, and reads what the emulator received from its request log:

* host names that do not resolve: one attempt, a message that names the host
  and the option;
* the access key ID is named in messages, the secret key never.
"""

import json

import pytest

from support import seeds
from support.emulator import EmulatorProcess
from support.module_runner import clear_problem, run_module

from ansible_collections.huaweicloud.vbs.plugins.modules import vbs_backup_policy_info

UNKNOWN_HOST = "vbs.eu-de.example.invalid"  # .invalid never resolves (RFC 6761)


@pytest.fixture(scope="module")
def emulator():
    with EmulatorProcess(seed=seeds.seed()) as process:
        yield process


def base_args(emulator, **changes):
    args = dict(endpoint=emulator.url, auth_url=emulator.url + "/v3", region=seeds.PROJECT_NAME,
                project_id=seeds.PROJECT_ID, access_key=seeds.ACCESS_KEY, secret_key=seeds.SECRET_KEY,
                timeout=5, retries=0)
    args.update(changes)
    return dict((key, value) for key, value in args.items() if value is not None)


def api_requests(emulator):
    return [entry for entry in emulator.requests() if entry["path"].startswith(("/v2/", "/v3/"))]


def failed_clearly(run):
    assert run.failed, run
    assert clear_problem(run) is None, (clear_problem(run), run)
    return run.msg


# -- host names that do not resolve --------------------------------------------------------------

@pytest.mark.parametrize("option", ["endpoint", "auth_url"])
def test_a_host_name_that_does_not_resolve_fails_at_once_naming_the_option(emulator, option):
    url = "https://%s%s" % (UNKNOWN_HOST, "/v3" if option == "auth_url" else "")
    args = base_args(emulator, retries=4, **{option: url})
    if option == "auth_url":
        args.pop("project_id")  # so that the first request goes to IAM's project list
    msg = failed_clearly(run_module(vbs_backup_policy_info.main, args))
    assert "the host name %s of %s does not resolve" % (UNKNOWN_HOST, option) in msg, msg
    assert msg.count("(") == msg.count(")"), msg


# -- the access key ID is an identifier ----------------------------------------------------------

def test_a_refused_signature_names_the_access_key_id_and_no_secret(emulator):
    wrong_secret = "not-the-" + seeds.SECRET_KEY
    run = run_module(vbs_backup_policy_info.main, base_args(emulator, secret_key=wrong_secret))
    msg = failed_clearly(run)
    assert "signature mismatch for access key %s:" % seeds.ACCESS_KEY in msg, msg
    for text in run.texts() + [json.dumps(run.result)]:
        assert wrong_secret not in text and seeds.SECRET_KEY not in text
