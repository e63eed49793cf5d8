# -*- coding: utf-8 -*-
# Copyright: (c) 2026, huaweicloud.vbs contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""vbs_backup_policy_run and the morning check of vbs_backup_policy_info (include_tasks) against the emulator.

A run's tasks take 150 ms each; a volume's backup_outcome (an emulator setting) makes its task end
EXECUTE_FAIL or EXECUTE_TIMEOUT. The emulator's own listing of the tasks is the truth.
"""

import pytest

from support import seeds
from support.backups import ATTACHED, FREE, SPARE, V, prepare, run, sent

DAILY = seeds.policy_id(1)
WEEKLY = seeds.policy_id(2)  # no volumes
ACTION = "/action"


@pytest.fixture
def vbs(emulator):
    return prepare(emulator)


def password_env(vbs):
    """IAM user credentials: a token does not depend on the clock, so the emulator's clock may move."""
    return {"HW_VBS_ENDPOINT": vbs.url, "HW_AUTH_URL": vbs.url + "/v3", "HW_REGION_NAME": seeds.PROJECT_NAME,
            "HW_USER_NAME": seeds.USER_NAME, "HW_USER_PASSWORD": seeds.PASSWORD, "HW_DOMAIN_NAME": seeds.DOMAIN}


def test_a_run_backs_up_each_volume_and_returns_one_entry_per_volume(vbs):
    ran = run(vbs, "vbs_backup_policy_run", {"backup_policy_name": "daily"})
    assert ran.rc == 0 and ran.result["changed"] is True, ran
    assert [(task["volume_id"], task["status"]) for task in ran.result["tasks"]] == [
        (ATTACHED, "EXECUTE_SUCCESS"), (V(2), "EXECUTE_SUCCESS")]
    assert all(task["backup_name"].startswith("autobk_") and task["finished_at"] for task in ran.result["tasks"])
    assert ran.result["summary"] == {"succeeded": 2, "failed": 0, "running": 0, "skipped": 0, "failed_volumes": []}
    assert ran.result["policy"]["backup_policy_id"] == DAILY
    [action] = sent(vbs, "POST", ACTION)
    assert action["path"] == "/v2/%s/backuppolicy/%s/action" % (seeds.PROJECT_ID, DAILY) and action["body"] is None
    names = sorted(backup["name"] for backup in vbs.backups() if backup["name"].startswith("autobk_"))
    assert names == sorted(task["backup_name"] for task in ran.result["tasks"])


def test_a_second_run_follows_only_its_own_tasks(vbs):
    assert run(vbs, "vbs_backup_policy_run", {"backup_policy_id": DAILY}).rc == 0
    vbs.set_volume(V(2), backup_outcome="fail")
    again = run(vbs, "vbs_backup_policy_run", {"backup_policy_id": DAILY, "fail_on_task_errors": False})
    assert again.rc == 0, again
    assert [task["status"] for task in again.result["tasks"]] == ["EXECUTE_SUCCESS", "EXECUTE_FAIL"]
    assert again.result["summary"]["failed_volumes"] == [V(2)]
    [warning] = again.warnings
    assert warning.startswith("1 of 2 volumes of backup policy daily (ID %s) were not backed up: volume %s: "
                              "EXECUTE_FAIL" % (DAILY, V(2)))


@pytest.mark.parametrize("outcome, status", [("fail", "EXECUTE_FAIL"), ("timeout", "EXECUTE_TIMEOUT")])
def test_a_volume_that_was_not_backed_up_fails_the_task(vbs, outcome, status):
    vbs.set_volume(ATTACHED, backup_outcome=outcome)
    failed = run(vbs, "vbs_backup_policy_run", {"backup_policy_name": "daily"})
    assert failed.rc == 2 and failed.result["changed"] is True
    [task] = [task for task in failed.result["tasks"] if task["volume_id"] == ATTACHED]
    assert failed.result["msg"] == ("1 of 2 volumes of backup policy daily (ID %s) were not backed up: volume %s: %s "
                                    "(backup %s, job %s)" % (DAILY, ATTACHED, status, task["backup_name"],
                                                             task["job_id"]))


def test_a_policy_already_running_is_an_error_that_says_so(vbs):
    vbs.set_executing(DAILY)
    refused = run(vbs, "vbs_backup_policy_run", {"backup_policy_name": "daily"})
    assert refused.rc == 2 and refused.result["changed"] is False
    assert refused.result["error_code"] == "AutoBackup.0225"
    assert refused.result["msg"].endswith("Backup policy daily (ID %s) is already being executed (a scheduled run, or "
                                          "an earlier one that is not finished): run it again once its tasks have "
                                          "ended" % DAILY)


def test_check_mode_finds_the_policy_and_sends_nothing(vbs):
    checked = run(vbs, "vbs_backup_policy_run", {"backup_policy_name": "daily"}, check=True)
    assert checked.rc == 0 and checked.result["changed"] is True
    assert checked.result["msg"] == "Would run backup policy daily (ID %s) now, for its 2 volumes" % DAILY
    assert sent(vbs, "POST") == [] and sent(vbs, "GET", "/backuptasks") == []


def test_a_run_longer_than_wait_timeout_names_what_still_runs_and_is_changed(vbs):
    vbs.configure(job_duration_ms=4000)
    late = run(vbs, "vbs_backup_policy_run", {"backup_policy_name": "daily", "wait_timeout": 1})
    assert late.rc == 2 and late.result["changed"] is True
    assert late.result["msg"].startswith("Backup policy daily (ID %s) is still running after wait_timeout (1 s): "
                                         "volume %s: RUNNING (backup autobk_" % (DAILY, ATTACHED))
    for task in late.result["tasks"]:
        assert task["job_id"] in late.result["msg"]
    assert late.result["summary"]["running"] == 2


def test_without_waiting_the_run_returns_its_first_tasks(vbs):
    vbs.configure(job_duration_ms=3000)
    started = run(vbs, "vbs_backup_policy_run", {"backup_policy_name": "daily", "wait": False})
    assert started.rc == 0 and started.result["changed"] is True
    assert [task["status"] for task in started.result["tasks"]] == ["RUNNING", "RUNNING"]


@pytest.mark.parametrize("setting", ["run", "refuse"])
def test_a_policy_without_volumes_runs_with_a_warning_or_is_refused(vbs, setting):
    vbs.configure(run_inactive_policy=setting)
    ran = run(vbs, "vbs_backup_policy_run", {"backup_policy_name": "weekly"})
    if setting == "run":
        assert ran.rc == 0 and ran.result["tasks"] == [], ran
        assert ran.warnings == ["Backup policy weekly (ID %s) has no volumes: the run backs up nothing" % WEEKLY]
    else:
        assert ran.rc == 2 and ran.result["error_code"] == "AutoBackup.1700" and ran.result["changed"] is False


def test_a_run_that_may_have_been_applied_is_not_sent_twice(vbs):
    vbs.arm_fault("POST", "/v2/%s/backuppolicy/%s/action" % (seeds.PROJECT_ID, DAILY), "error500_after_apply")
    ran = run(vbs, "vbs_backup_policy_run", {"backup_policy_name": "daily"})
    assert ran.rc == 0 and len(ran.result["tasks"]) == 2, ran
    assert [entry["status"] for entry in sent(vbs, "POST", ACTION)] == [500]


def test_a_throttled_run_is_sent_again(vbs):
    vbs.arm_fault("POST", "/v2/%s/backuppolicy/%s/action" % (seeds.PROJECT_ID, DAILY), "throttle")
    ran = run(vbs, "vbs_backup_policy_run", {"backup_policy_name": "daily"})
    assert ran.rc == 0 and len(ran.result["tasks"]) == 2, ran
    assert [entry["status"] for entry in sent(vbs, "POST", ACTION)] == [429, 204]


# -- the morning check: vbs_backup_policy_info with include_tasks ----------------------------------------

def test_the_morning_check_counts_last_nights_tasks_and_names_the_failed_volumes(vbs):
    env = password_env(vbs)
    vbs.configure(clock_skew=-30 * 3600)  # a run of yesterday morning, outside the 24 hours
    vbs.set_volume(V(2), backup_outcome="fail")
    assert run(vbs, "vbs_backup_policy_run", {"backup_policy_name": "daily"}, env=env).rc == 2
    vbs.configure(clock_skew=-8 * 3600)  # last night: the volume that failed yesterday is backed up
    vbs.set_volume(V(2), backup_outcome="normal")
    vbs.set_volume(ATTACHED, backup_outcome="timeout")
    assert run(vbs, "vbs_backup_policy_run", {"backup_policy_name": "daily"}, env=env).rc == 2
    vbs.configure(clock_skew=0)
    checked = run(vbs, "vbs_backup_policy_info", {"include_tasks": True}, env=env)
    assert checked.rc == 0 and checked.result["changed"] is False, checked
    daily, weekly = checked.result["backup_policies"]
    assert daily["task_summary"] == {"succeeded": 1, "failed": 1, "running": 0, "skipped": 0,
                                     "failed_volumes": [ATTACHED]}
    assert sorted((task["volume_id"], task["status"]) for task in daily["tasks"]) == [
        (ATTACHED, "EXECUTE_TIMEOUT"), (V(2), "EXECUTE_SUCCESS")]
    assert weekly["tasks"] == [] and weekly["task_summary"]["failed_volumes"] == []
    two_days = run(vbs, "vbs_backup_policy_info", {"include_tasks": True, "tasks_since": 48,
                                                   "backup_policy_name": "daily"}, env=env)
    [daily] = two_days.result["backup_policies"]
    assert daily["task_summary"]["failed"] == 2 and daily["task_summary"]["failed_volumes"] == [ATTACHED]
    assert len(daily["tasks"]) == 4


def test_info_without_include_tasks_reads_no_task(vbs):
    listed = run(vbs, "vbs_backup_policy_info", {})
    assert listed.rc == 0 and "tasks" not in listed.result["backup_policies"][0]
    assert sent(vbs, "GET", "/backuptasks") == []


def test_tasks_since_is_bounded_before_any_request(vbs):
    refused = run(vbs, "vbs_backup_policy_info", {"include_tasks": True, "tasks_since": 721})
    assert refused.rc == 2 and refused.result["msg"] == "tasks_since must be between 1 and 720 hours, got 721"
    assert vbs.requests() == []


def test_include_tasks_and_include_volumes_work_together(vbs):
    assert run(vbs, "vbs_backup_policy_run", {"backup_policy_name": "daily"}).rc == 0
    both = run(vbs, "vbs_backup_policy_info", {"backup_policy_name": "daily", "include_tasks": True,
                                               "include_volumes": True})
    [daily] = both.result["backup_policies"]
    assert daily["volumes_known"] is True and sorted(daily["volumes"]) == [ATTACHED, V(2)]
    assert daily["task_summary"]["succeeded"] == 2 and FREE not in daily["volumes"] and SPARE not in daily["volumes"]
