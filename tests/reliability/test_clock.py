# -*- coding: utf-8 -*-
# Copyright: (c) 2026, huaweicloud.vbs contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""A skewed clock: AK/SK signatures are refused beyond 15 minutes, and the msg says to check the clock.

The emulator runs with --clock-skew (its clock shifted against this host's),
and checks X-Sdk-Date against its own clock as VBS does. At 20 minutes
either way a signed request is refused with 401, once (a 401 is not
retried), and the module's msg says which way this host's clock is off. At
10 minutes either way it works. A password token does not depend on the
clock.
"""

import pytest

from support import seeds
from support.emulator import EmulatorProcess

from support.module_runner import clear_problem, run_module

from ansible_collections.huaweicloud.vbs.plugins.modules import vbs_policy_resources

DAILY = seeds.policy_id(1)
V = seeds.volume_id
CREDENTIALS = {
    "aksk": dict(access_key=seeds.ACCESS_KEY, secret_key=seeds.SECRET_KEY),
    "temporary aksk": dict(access_key=seeds.TEMP_ACCESS_KEY, secret_key=seeds.TEMP_SECRET_KEY,
                           security_token=seeds.SECURITY_TOKEN),
    "password": dict(user_name=seeds.USER_NAME, password=seeds.PASSWORD, domain_name=seeds.DOMAIN),
}


def run(emulator, kind, project_id=True):
    args = dict(endpoint=emulator.url, auth_url=emulator.url + "/v3", region=seeds.PROJECT_NAME,
                backup_policy_id=DAILY, volumes=[V(1)], timeout=10)
    if project_id:
        args["project_id"] = seeds.PROJECT_ID
    args.update(CREDENTIALS[kind])
    return run_module(vbs_policy_resources.main, args)


@pytest.mark.parametrize("kind", ["aksk", "temporary aksk"])
@pytest.mark.parametrize("skew, direction", [(1200, "behind"), (-1200, "ahead of")],
                         ids=["server 20 min ahead", "server 20 min behind"])
def test_a_signature_twenty_minutes_off_is_refused_and_the_msg_says_check_the_clock(kind, skew, direction):
    with EmulatorProcess(seed=seeds.seed(), args=["--clock-skew", str(skew)]) as emulator:
        result = run(emulator, kind)
        sent = emulator.requests()
        members = emulator.members(DAILY)

    assert result.failed and clear_problem(result) is None, result
    message = result.msg
    assert result.result["status_code"] == 401, result.result
    assert "check the clock" in message, message
    assert "this host's clock is 20 minutes %s the server's" % direction in message, message
    assert "15 minutes" in message, message
    assert [entry["status"] for entry in sent] == [401]  # refused once, not retried
    assert members == []


def test_the_project_lookup_gets_the_clock_hint_too():
    """Without project_id the first signed request goes to IAM; its refusal must say the same."""
    with EmulatorProcess(seed=seeds.seed(), args=["--clock-skew", "1200"]) as emulator:
        result = run(emulator, "aksk", project_id=False)
        sent = emulator.requests()

    assert result.failed and clear_problem(result) is None, result
    assert [(entry["path"], entry["status"]) for entry in sent] == [("/v3/projects", 401)], sent
    assert "check the clock" in result.msg, result.msg


@pytest.mark.parametrize("kind", sorted(CREDENTIALS))
@pytest.mark.parametrize("skew", [600, -600], ids=["server 10 min ahead", "server 10 min behind"])
def test_ten_minutes_off_works(kind, skew):
    with EmulatorProcess(seed=seeds.seed(), args=["--clock-skew", str(skew)]) as emulator:
        result = run(emulator, kind)
        members = emulator.members(DAILY)

    assert not result.failed, result
    assert result.result["changed"] is True
    assert members == [V(1)]


def test_a_password_token_does_not_depend_on_the_clock():
    with EmulatorProcess(seed=seeds.seed(), args=["--clock-skew", "1200"]) as emulator:
        result = run(emulator, "password")
        members = emulator.members(DAILY)

    assert not result.failed, result
    assert members == [V(1)]
