# -*- coding: utf-8 -*-
# Copyright: (c) 2026, huaweicloud.vbs contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""examples/backup_before_change.yml and examples/morning_check.yml through ansible-playbook, against the
emulator with the demo data, as `make demo` and a user run them."""

import json
import os

import pytest

from support import ansible_cli
from support.backups import JOB_MS, run
from support.emulator import DEMO_SEED, EmulatorProcess

EXAMPLES = os.path.join(ansible_cli.REPO_ROOT, "examples")
BACKUP_BEFORE_CHANGE = os.path.join(EXAMPLES, "backup_before_change.yml")
MORNING_CHECK = os.path.join(EXAMPLES, "morning_check.yml")
DATA_DISK = "11111111-0000-4000-8000-000000000005"
DAILY_DB = "22222222-0000-4000-8000-000000000001"
DB_DISKS = ("11111111-0000-4000-8000-000000000001", "11111111-0000-4000-8000-000000000002")


@pytest.fixture(scope="module")
def demo():
    with EmulatorProcess(seed=DEMO_SEED) as process:
        yield process


@pytest.fixture
def demo_vbs(demo):
    demo.reset()
    demo.configure(job_duration_ms=JOB_MS)
    return demo


def demo_env(emulator):
    with open(DEMO_SEED) as handle:
        key = json.load(handle)["credentials"]["access_keys"][0]
    return {"HW_VBS_ENDPOINT": emulator.url, "HW_AUTH_URL": emulator.url + "/v3", "HW_REGION_NAME": "eu-de",
            "HW_ACCESS_KEY": key["access_key"], "HW_SECRET_KEY": key["secret_key"]}


def recap(run):
    """{name: number} of the PLAY RECAP line of localhost."""
    line = [text for text in run.stdout.splitlines() if text.startswith("localhost") and "ok=" in text][-1]
    return dict((part.split("=")[0], int(part.split("=")[1])) for part in line.split()[2:])


def disk_backups(emulator):
    return [backup for backup in emulator.backups() if backup["volume_id"] == DATA_DISK]


def test_backup_before_change_backs_up_once_then_is_ok_and_restores_when_the_change_fails(demo_vbs):
    env = demo_env(demo_vbs)
    checked = ansible_cli.playbook(BACKUP_BEFORE_CHANGE, env, check=True)
    assert checked.rc == 0 and recap(checked)["changed"] == 1, checked
    assert disk_backups(demo_vbs) == []

    first = ansible_cli.playbook(BACKUP_BEFORE_CHANGE, env)
    assert first.rc == 0, first
    assert recap(first)["changed"] == 1 and recap(first)["rescued"] == 0
    [backup] = disk_backups(demo_vbs)
    assert backup["name"] == "before-change-4711" and backup["status"] == "available"

    second = ansible_cli.playbook(BACKUP_BEFORE_CHANGE, env)
    assert second.rc == 0 and recap(second)["changed"] == 0 and recap(second)["ok"] == 2, second
    assert len(disk_backups(demo_vbs)) == 1

    failed_change = ansible_cli.playbook(BACKUP_BEFORE_CHANGE, env, extra_vars={"simulate_failure": True})
    assert failed_change.rc == 2
    assert recap(failed_change)["rescued"] == 1 and recap(failed_change)["changed"] == 1
    assert ("Change 4711 failed; volume %s was restored from backup before-change-4711 (%s)"
            % (DATA_DISK, backup["id"])) in failed_change.stdout
    [volume] = [volume for volume in demo_vbs.volumes() if volume["id"] == DATA_DISK]
    assert volume["restored_from"] == [backup["id"]] and volume["status"] == "available"


def test_the_morning_check_is_ok_until_a_volumes_last_backup_failed(demo_vbs):
    env = demo_env(demo_vbs)
    assert run(demo_vbs, "vbs_backup_policy_run", {"backup_policy_id": DAILY_DB}, env=env).rc == 0
    for _run in range(2):
        quiet = ansible_cli.playbook(MORNING_CHECK, env)
        assert quiet.rc == 0 and recap(quiet)["changed"] == 0, quiet
        assert "daily-db: 2 backed up, 0 failed, 0 running" in quiet.stdout

    demo_vbs.set_volume(DB_DISKS[1], backup_outcome="fail")
    assert run(demo_vbs, "vbs_backup_policy_run", {"backup_policy_id": DAILY_DB}, env=env).rc == 2
    alarm = ansible_cli.playbook(MORNING_CHECK, env)
    assert alarm.rc == 2 and recap(alarm)["changed"] == 0
    assert "daily-db: 3 backed up, 1 failed, 0 running" in alarm.stdout
    assert "daily-db: no backup in the last 24 hours for %s" % DB_DISKS[1] in alarm.stdout
