# -*- coding: utf-8 -*-
# Copyright: (c) 2026, huaweicloud.vbs contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""The policy every module returns: one shape, documented once and said the same way in each module.

Each module's real main() runs in this process against the VBS emulator in a child process.
"""

import os
import re

import pytest
import yaml

from ansible_collections.huaweicloud.vbs.plugins.modules import (
    vbs_backup_policy, vbs_backup_policy_info, vbs_backup_policy_run, vbs_policy_resources)
from ansible_collections.huaweicloud.vbs.tests.support import seeds
from ansible_collections.huaweicloud.vbs.tests.support.collection import REPO_ROOT
from ansible_collections.huaweicloud.vbs.tests.support.emulator import EmulatorProcess
from ansible_collections.huaweicloud.vbs.tests.support.module_args import (
    ACCESS_KEY, PROJECT_ID, REGION, SECRET_KEY, connection_args, run_main)

WEEKLY_ID = "3f2e1d0c-9b8a-4766-a544-332211009988"
VOLUME = "5d1f8f2e-0b4a-4a43-9d7e-3c1a2b3c4d5e"
SEED = seeds.document(
    project={"id": PROJECT_ID, "name": REGION, "domain": "acme"},
    access_keys=[{"access_key": ACCESS_KEY, "secret_key": SECRET_KEY}], users=[],
    volumes=[{"id": VOLUME, "status": "available"}],
    policies=[{"id": WEEKLY_ID, "name": "weekly-archive", "members": [VOLUME], "time_zone": "UTC+01:00",
               "tags": [{"key": "team", "value": "dba"}],
               "scheduled_policy": {"start_time": "03:00,15:00", "week_frequency": ["SUN", "WED"],
                                    "rentention_day": 30, "remain_first_backup_of_curMonth": "Y", "status": "OFF"}}],
)
MODULES = (vbs_backup_policy, vbs_backup_policy_info, vbs_policy_resources, vbs_backup_policy_run)
# What each module needs beyond the policy: vbs_backup_policy_run only says, in check mode, what it would run.
EXTRA_OPTIONS = {vbs_policy_resources: dict(volumes=[]), vbs_backup_policy_run: dict(_ansible_check_mode=True)}
TABLE_ROW = re.compile(r"^\| `(\w+)`(?:, `(\w+)`)? \|", re.M)


@pytest.fixture(scope="module")
def emulator():
    with EmulatorProcess(seed=SEED) as running:
        yield running


def run(emulator, module, **options):
    result = run_main(module.main, connection_args(emulator.url, project_id=PROJECT_ID, retries=0, **options))
    assert not result.get("failed"), result
    return result


def returned_by_each_module(emulator):
    by_policy = run(emulator, vbs_backup_policy, backup_policy_id=WEEKLY_ID)["policy"]
    (by_info,) = run(emulator, vbs_backup_policy_info, backup_policy_id=WEEKLY_ID, tags=True)["backup_policies"]
    by_resources = run(emulator, vbs_policy_resources, backup_policy_id=WEEKLY_ID, volumes=[])["policy"]
    by_run = run(emulator, vbs_backup_policy_run, backup_policy_id=WEEKLY_ID, _ansible_check_mode=True)["policy"]
    return by_policy, by_info, by_resources, by_run


def test_the_modules_return_one_policy_the_same_way(emulator):
    by_policy, by_info, by_resources, by_run = returned_by_each_module(emulator)
    assert set(by_policy) == set(by_info) == set(by_resources) == set(by_run)
    assert by_policy == by_info == dict(by_resources, tags={"team": "dba"}) == dict(by_run, tags={"team": "dba"})
    assert by_resources["tags"] is None and by_run["tags"] is None  # neither module reads tags
    assert by_info == {
        "backup_policy_id": WEEKLY_ID, "name": "weekly-archive", "start_time": ["03:00", "15:00"], "frequency": None,
        "week_frequency": ["SUN", "WED"], "retention_num": None, "retention_day": 30,
        "keep_first_backup_of_month": True, "enabled": False, "tags": {"team": "dba"}, "policy_resource_count": 1,
        "time_zone": "UTC+01:00"}


def test_a_policy_read_by_the_info_module_passed_back_changes_nothing(emulator):
    (policy,) = run(emulator, vbs_backup_policy_info, backup_policy_id=WEEKLY_ID, tags=True)["backup_policies"]
    options = dict((key, value) for key, value in policy.items()
                   if key not in ("policy_resource_count", "time_zone") and value is not None)
    emulator.clear_requests()
    result = run(emulator, vbs_backup_policy, **options)
    assert result["changed"] is False
    assert [entry["method"] for entry in emulator.requests()] == ["GET", "GET"]


def documented_policy(module):
    """(the paragraph of the module's RETURN that names the policy's fields, the sample's first policy)."""
    returned = yaml.safe_load(module.RETURN)
    entry = returned["backup_policies"] if "backup_policies" in returned else returned["policy"]
    (paragraph,) = [text for text in entry["description"] if "docs/backup_policy.md" in text]
    sample = entry["sample"][0] if isinstance(entry["sample"], list) else entry["sample"]
    return paragraph, sample


def test_every_module_documents_the_policy_in_the_same_words(emulator):
    fields = set(returned_by_each_module(emulator)[0])
    documented = [documented_policy(module) for module in MODULES]
    assert all(paragraph == documented[0][0] for paragraph, _sample in documented)
    assert set(re.findall(r"C\((\w+)\)", documented[0][0])) == fields
    assert all(set(sample) == fields for _paragraph, sample in documented)
    with open(os.path.join(REPO_ROOT, "docs", "backup_policy.md")) as handle:
        section = handle.read().split("## The policy the modules return", 1)[1].split("\n## ", 1)[0]
    assert set(name for pair in TABLE_ROW.findall(section) for name in pair if name) == fields


# -- the policy name option: name and backup_policy_name in every module ------------------------

@pytest.mark.parametrize("module", MODULES, ids=lambda module: module.__name__.rsplit(".", 1)[-1])
@pytest.mark.parametrize("option", ["name", "backup_policy_name"])
def test_every_module_finds_the_policy_by_either_spelling_of_the_name(emulator, module, option):
    result = run(emulator, module, **dict(EXTRA_OPTIONS.get(module, {}), **{option: "weekly-archive"}))
    found = result["backup_policies"][0] if module is vbs_backup_policy_info else result["policy"]
    assert found["backup_policy_id"] == WEEKLY_ID
