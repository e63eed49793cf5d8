# -*- coding: utf-8 -*-
# Copyright: (c) 2026, huaweicloud.vbs contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""vbs_backup_policy_info, run in this process against the VBS emulator in a child process."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json
import os

import pytest


from ansible_collections.huaweicloud.vbs.plugins.modules import vbs_backup_policy_info
from ansible_collections.huaweicloud.vbs.tests.support import seeds
from ansible_collections.huaweicloud.vbs.tests.support.emulator import EmulatorProcess
from ansible_collections.huaweicloud.vbs.tests.support.module_args import (
    ACCESS_KEY, PROJECT_ID, REGION, SECRET_KEY, connection_args, run_main)

PROJECT = {"id": PROJECT_ID, "name": REGION, "domain": "acme"}
USER = {"name": "backup-operator", "password": "Correct-Horse-9", "domain": "acme"}

VOLUMES = [
    "5d1f8f2e-0b4a-4a43-9d7e-3c1a2b3c4d5e",
    "8a9b0c1d-2e3f-4a5b-8c7d-9e0f1a2b3c4d",
    "1b2c3d4e-5f60-4718-8293-a4b5c6d7e8f9",
]

DAILY_ID = "0ea1f4b3-7c2d-4f5e-9a6b-1c2d3e4f5a6b"
WEEKLY_ID = "3f2e1d0c-9b8a-4766-a544-332211009988"
DAILY_TWIN_ID = "9d8c7b6a-5f4e-4d3c-8b2a-1f0e9d8c7b6a"

DAILY_SCHEDULE = {"start_time": "02:00", "frequency": 1, "rentention_num": 7,
                  "remain_first_backup_of_curMonth": "N", "status": "ON"}
WEEKLY_SCHEDULE = {"start_time": "03:00,15:00", "week_frequency": ["SUN", "WED"], "rentention_day": 30,
                   "remain_first_backup_of_curMonth": "Y", "status": "OFF"}

SEED = seeds.document(
    project=PROJECT,
    access_keys=[{"access_key": ACCESS_KEY, "secret_key": SECRET_KEY}],
    users=[USER],
    volumes=[{"id": volume_id, "status": "available"} for volume_id in VOLUMES],
    policies=[
        {"id": DAILY_ID, "name": "daily-db", "scheduled_policy": DAILY_SCHEDULE,
         "members": VOLUMES[:2], "tags": [{"key": "team", "value": "dba"}, {"key": "tier", "value": "gold"}],
         "time_zone": "UTC+01:00"},
        {"id": WEEKLY_ID, "name": "weekly-archive", "scheduled_policy": WEEKLY_SCHEDULE, "members": VOLUMES[2:]},
        {"id": DAILY_TWIN_ID, "name": "daily-db", "scheduled_policy": DAILY_SCHEDULE,
         "tags": [{"key": "env", "value": "test"}]},
    ],
)


@pytest.fixture(scope="module")
def emulator():
    with EmulatorProcess(seed=SEED) as running:
        yield running


def connection(emulator, **extra):
    """Options that reach the emulator with the seeded access keys (project found by its name)."""
    return connection_args(emulator.url, retries=0, timeout=10, **extra)


def run(args):
    """(failed, result) of one module run with these arguments."""
    result = run_main(vbs_backup_policy_info.main, args)
    return bool(result.get("failed")), result


def listed(emulator, **options):
    failed, result = run(connection(emulator, **options))
    assert not failed, result
    assert result["changed"] is False
    return result["backup_policies"]


def test_lists_every_policy_in_the_terms_of_the_options(emulator):
    policies = listed(emulator)

    assert [policy["backup_policy_id"] for policy in policies] == [DAILY_ID, WEEKLY_ID, DAILY_TWIN_ID]
    daily, weekly, twin = policies
    assert daily == {"backup_policy_id": DAILY_ID, "name": "daily-db", "start_time": ["02:00"], "frequency": 1,
                     "week_frequency": None, "retention_num": 7, "retention_day": None,
                     "keep_first_backup_of_month": False, "enabled": True, "tags": None,
                     "policy_resource_count": 2, "time_zone": "UTC+01:00"}
    assert weekly == {"backup_policy_id": WEEKLY_ID, "name": "weekly-archive", "start_time": ["03:00", "15:00"],
                      "frequency": None, "week_frequency": ["SUN", "WED"], "retention_num": None, "retention_day": 30,
                      "keep_first_backup_of_month": True, "enabled": False, "tags": None,
                      "policy_resource_count": 1, "time_zone": None}
    assert twin["policy_resource_count"] == 0


def test_by_id_returns_that_policy_only(emulator):
    policies = listed(emulator, backup_policy_id=WEEKLY_ID)

    assert [policy["backup_policy_id"] for policy in policies] == [WEEKLY_ID]
    assert policies[0]["name"] == "weekly-archive"


def test_by_name_returns_the_one_policy_of_that_name(emulator):
    policies = listed(emulator, backup_policy_name="weekly-archive")

    assert [policy["backup_policy_id"] for policy in policies] == [WEEKLY_ID]


def test_by_name_returns_every_policy_that_shares_the_name(emulator):
    policies = listed(emulator, backup_policy_name="daily-db")

    assert [policy["backup_policy_id"] for policy in policies] == [DAILY_ID, DAILY_TWIN_ID]


@pytest.mark.parametrize("option, value", [
    ("backup_policy_id", "00000000-0000-4000-8000-000000000000"),
    ("backup_policy_name", "no-such-policy"),
    ("backup_policy_name", "Daily-DB"),  # names are compared exactly
])
def test_no_match_is_an_empty_list_not_an_error(emulator, option, value):
    assert listed(emulator, **{option: value}) == []


def test_tags_are_read_only_on_request(emulator):
    emulator.clear_requests()
    without = listed(emulator)
    assert all(policy["tags"] is None for policy in without)
    assert not any(entry["path"].endswith("/tags") for entry in emulator.requests())

    with_tags = listed(emulator, tags=True)
    tags = dict((policy["backup_policy_id"], policy["tags"]) for policy in with_tags)
    assert tags == {
        DAILY_ID: {"team": "dba", "tier": "gold"},
        WEEKLY_ID: {},
        DAILY_TWIN_ID: {"env": "test"},
    }


def test_tags_are_read_only_for_the_matching_policies(emulator):
    emulator.clear_requests()
    policies = listed(emulator, backup_policy_id=DAILY_ID, tags=True)

    assert policies[0]["tags"] == {"team": "dba", "tier": "gold"}
    tag_paths = [entry["path"] for entry in emulator.requests() if entry["path"].endswith("/tags")]
    assert tag_paths == ["/v2/%s/backuppolicy/%s/tags" % (PROJECT["id"], DAILY_ID)]


def test_follows_every_page_of_the_list():
    many = dict(SEED, policies=[
        {"id": "policy-%02d" % number, "name": "policy-%02d" % number, "scheduled_policy": DAILY_SCHEDULE}
        for number in range(7)])
    with EmulatorProcess(seed=many, args=["--page-size", "2"]) as paging:
        policies = listed(paging)
        list_calls = [entry for entry in paging.requests()
                      if entry["method"] == "GET" and entry["path"].endswith("/backuppolicy")]

    assert [policy["backup_policy_id"] for policy in policies] == ["policy-%02d" % number for number in range(7)]
    assert len(list_calls) == 4
    assert all(entry["query"] for entry in list_calls[1:])


def test_check_mode_returns_the_same_and_sends_only_get_requests(emulator):
    normal = listed(emulator, tags=True)
    emulator.clear_requests()

    failed, result = run(dict(connection(emulator, tags=True), _ansible_check_mode=True))

    assert not failed, result
    assert result["changed"] is False
    assert result["backup_policies"] == normal
    requests = emulator.requests()
    assert requests and set(entry["method"] for entry in requests) == {"GET"}
    assert emulator.members(DAILY_ID) == sorted(VOLUMES[:2])


def test_password_authentication_lists_the_policies(emulator):
    emulator.clear_requests()

    policies = listed(emulator, access_key=None, secret_key=None,
                      user_name=USER["name"], password=USER["password"], domain_name=USER["domain"])

    assert len(policies) == 3
    first = emulator.requests()[0]
    assert (first["method"], first["path"]) == ("POST", "/v3/auth/tokens")


@pytest.mark.parametrize("credentials, secret, refusal", [
    (dict(secret_key="wrong" + SECRET_KEY), "wrong" + SECRET_KEY, "VBS refused GET /v2/%s/backuppolicy: 401"),
    (dict(user_name=USER["name"], password="Wrong-Horse-1", domain_name=USER["domain"]), "Wrong-Horse-1",
     "IAM refused POST /v3/auth/tokens: 401"),
    (dict(auth_token="expired-or-foreign-token-Kq7Lm2Vb9Rt4Ws1"), "expired-or-foreign-token-Kq7Lm2Vb9Rt4Ws1", "VBS refused GET /v2/%s/backuppolicy: 401"),
], ids=["wrong-secret-key", "wrong-password", "unknown-token"])
def test_refused_credentials_fail_with_a_clear_message(emulator, credentials, secret, refusal):
    if "secret_key" not in credentials:
        credentials = dict(credentials, access_key=None, secret_key=None)
    args = connection(emulator, project_id=PROJECT["id"], **credentials)

    failed, result = run(args)

    assert failed
    assert result["msg"].startswith(refusal.replace("%s", PROJECT["id"]))
    assert result["status_code"] == 401
    assert "backup_policies" not in result
    assert secret not in json.dumps(result)


def test_no_credentials_fail_before_any_request(emulator):
    emulator.clear_requests()
    args = connection(emulator, access_key=None, secret_key=None)

    failed, result = run(args)

    assert failed
    assert "No usable credentials" in result["msg"]
    assert emulator.requests() == []


@pytest.mark.parametrize("options, message", [
    (dict(backup_policy_id=DAILY_ID, backup_policy_name="daily-db"), "mutually exclusive"),
    (dict(backup_policy_name="  "), "backup_policy_name must not be empty"),
    (dict(backup_policy_id=""), "backup_policy_id must not be empty"),
])
def test_contradictory_or_empty_filters_fail_before_any_request(emulator, options, message):
    emulator.clear_requests()

    failed, result = run(connection(emulator, **options))

    assert failed
    assert message in result["msg"]
    assert emulator.requests() == []


def test_options_come_from_the_hw_environment_variables(emulator, monkeypatch):
    monkeypatch.setenv("HW_VBS_ENDPOINT", emulator.url)
    monkeypatch.setenv("HW_AUTH_URL", emulator.url + "/v3")
    monkeypatch.setenv("HW_REGION_NAME", PROJECT["name"])
    monkeypatch.setenv("HW_ACCESS_KEY", ACCESS_KEY)
    monkeypatch.setenv("HW_SECRET_KEY", SECRET_KEY)
    # What an AWX credential with access keys only injects for its empty fields.
    for name in ("HW_SECURITY_TOKEN", "HW_USER_NAME", "HW_USER_PASSWORD", "HW_DOMAIN_NAME"):
        monkeypatch.setenv(name, "")

    failed, result = run(dict(backup_policy_name="weekly-archive", retries=0))

    assert not failed, result
    assert [policy["backup_policy_id"] for policy in result["backup_policies"]] == [WEEKLY_ID]


def awx_injected_environment(inputs):
    """The environment AWX gives a job for a credential of the collection's credential type.

    AWX renders every template of the injector configuration; a field that the
    credential leaves empty is missing from the template's namespace, so its
    variable is set to an empty string.
    """
    yaml = pytest.importorskip("yaml")
    sandbox = pytest.importorskip("jinja2.sandbox")
    root = os.path.dirname(os.path.abspath(vbs_backup_policy_info.__file__))
    with open(os.path.join(root, "..", "..", "extras", "awx", "credential_type_injectors.yml")) as handle:
        injectors = yaml.safe_load(handle)
    environment = sandbox.ImmutableSandboxedEnvironment()
    filled_in = dict((key, value) for key, value in inputs.items() if value)
    return dict((name, environment.from_string(template).render(**filled_in))
                for name, template in injectors["env"].items())


@pytest.mark.parametrize("inputs", [
    dict(access_key=ACCESS_KEY, secret_key=SECRET_KEY),
    dict(user_name=USER["name"], password=USER["password"], domain_name=USER["domain"]),
], ids=["access-keys", "password"])
def test_the_awx_credential_type_environment_works(emulator, monkeypatch, inputs):
    credential = dict(inputs, region=PROJECT["name"], endpoint=emulator.url, auth_url=emulator.url + "/v3")
    environment = awx_injected_environment(credential)
    assert environment["HW_PROJECT_ID"] == "" and environment["HW_SECURITY_TOKEN"] == ""
    for name, value in environment.items():
        monkeypatch.setenv(name, value)

    failed, result = run(dict(retries=0))

    assert not failed, result
    assert len(result["backup_policies"]) == 3
