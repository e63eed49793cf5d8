# -*- coding: utf-8 -*-
# Copyright: (c) 2026, huaweicloud.vbs contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""vbs_backup and vbs_backup_info against the emulator, under each switch the reference leaves open.

Every test checks what the emulator holds (GET /_emulator/backups) and which requests reached it,
not only what the module says. Jobs run 150 ms and the module polls every 0.1 s.
"""

import pytest

from support import seeds
from support.backups import BACKUP, BIG_BACKUP, FREE, SPARE, held, prepare, run, seed, sent

CREATE = "/cloudbackups"
NEW = {"volume_id": SPARE, "name": "before-upgrade", "description": "before change 4711",
       "tags": {"change": 4711, "team": "dba"}}


@pytest.fixture
def vbs(emulator):
    return prepare(emulator)


# -- create, and idempotence --------------------------------------------------------------------

def test_a_backup_is_created_waited_for_and_the_same_run_is_then_ok(vbs):
    first = run(vbs, "vbs_backup", dict(NEW, full=True))
    assert first.rc == 0, first
    [backup] = held(vbs, "before-upgrade")
    assert first.result["changed"] is True and backup["status"] == "available"
    assert first.result["backup"]["id"] == backup["id"] and first.result["backup"]["status"] == "available"
    assert first.result["backup"]["size"] == 10 and first.result["backup"]["volume_id"] == SPARE
    job = first.result["job"]
    assert job["status"] == "SUCCESS" and job["entities"]["backup_id"] == backup["id"]
    [post] = sent(vbs, "POST", CREATE)
    assert post["body"] == {"backup": {"volume_id": SPARE, "name": "before-upgrade", "description": "before change 4711",
                                       "tags": [{"key": "change", "value": "4711"}, {"key": "team", "value": "dba"}],
                                       "extend_param": {"FullBackup": "true"}}}
    vbs.clear_requests()
    second = run(vbs, "vbs_backup", dict(NEW, full=True))
    assert second.rc == 0 and second.result["changed"] is False, second
    assert second.result["backup"] == first.result["backup"] and "job" not in second.result
    assert sent(vbs, "POST") == [] and len(held(vbs, "before-upgrade")) == 1


def test_check_mode_is_exact_and_sends_nothing(vbs):
    would = run(vbs, "vbs_backup", NEW, check=True)
    assert would.rc == 0 and would.result["changed"] is True
    assert would.result["backup"]["id"] is None and would.result["backup"]["name"] == "before-upgrade"
    existing = run(vbs, "vbs_backup", {"volume_id": FREE, "name": "nightly-1"}, check=True)
    assert existing.rc == 0 and existing.result["changed"] is False
    assert existing.result["backup"]["id"] == BACKUP
    assert sent(vbs, "POST") == [] and held(vbs, "before-upgrade") == []


def test_a_backup_being_created_is_waited_for_not_made_twice(vbs):
    vbs.configure(job_duration_ms=1500)
    started = run(vbs, "vbs_backup", dict(NEW, wait=False))
    assert started.rc == 0 and started.result["changed"] is True, started
    assert started.result["job"]["status"] in ("INIT", "RUNNING")
    assert started.result["backup"]["status"] == "creating"
    again = run(vbs, "vbs_backup", NEW)
    assert again.rc == 0 and again.result["changed"] is False, again
    assert again.result["backup"]["status"] == "available"
    assert len(sent(vbs, "POST", CREATE)) == 1 and len(held(vbs, "before-upgrade")) == 1


@pytest.mark.parametrize("refusals", ["immediate", "job"])
def test_when_a_backup_in_creation_is_not_listed_a_second_run_says_a_backup_is_running(vbs, refusals):
    vbs.configure(job_duration_ms=3000, backup_id_before_success=False, backup_refusals=refusals)
    started = run(vbs, "vbs_backup", dict(NEW, wait=False))
    assert started.rc == 0 and "backup" not in started.result and "backup_id" not in started.result["job"]["entities"]
    again = run(vbs, "vbs_backup", NEW)
    assert again.rc == 2
    assert "VolumeBackup.0013" in again.result["msg"]
    assert "A backup of this disk is still being made" in again.result["msg"]
    assert again.result["changed"] is (refusals == "job")
    assert len(held(vbs, "before-upgrade")) == 1


@pytest.mark.parametrize("backup_id_before_success", [True, False])
def test_without_the_backup_id_before_success_the_job_still_leads_to_the_backup(vbs, backup_id_before_success):
    vbs.configure(backup_id_before_success=backup_id_before_success)
    created = run(vbs, "vbs_backup", NEW)
    assert created.rc == 0, created
    assert created.result["backup"]["id"] == held(vbs, "before-upgrade")[0]["id"]


def test_a_job_that_fails_fails_the_task_with_its_code_and_reason(vbs):
    vbs.set_volume(SPARE, backup_outcome="fail")
    failed = run(vbs, "vbs_backup", NEW)
    assert failed.rc == 2
    job = failed.result["job"]
    assert job["status"] == "FAIL" and failed.result["error_code"] == "VolumeBackup.0064"
    assert failed.result["changed"] is True
    assert failed.result["msg"] == ("The backup before-upgrade of volume %s failed: job %s ended FAIL with error_code "
                                    "VolumeBackup.0064: The backup status is error." % (SPARE, job["job_id"]))
    assert held(vbs, "before-upgrade")[0]["status"] == "error"


@pytest.mark.parametrize("refusals", ["immediate", "job"])
def test_the_limit_of_backups_per_disk_is_explained(vbs, refusals):
    vbs.configure(backups_per_disk=2, backup_refusals=refusals)
    refused = run(vbs, "vbs_backup", {"volume_id": FREE, "name": "third"})
    assert refused.rc == 2
    assert "VolumeBackup.0040" in refused.result["msg"] and "at most 20 backups per disk" in refused.result["msg"]
    assert refused.result["error_code"] == "VolumeBackup.0040"
    assert held(vbs, "third") == []


def test_a_job_longer_than_wait_timeout_is_reported_with_its_id_and_changed(vbs):
    vbs.configure(job_duration_ms=8000)
    late = run(vbs, "vbs_backup", dict(NEW, wait_timeout=1))
    assert late.rc == 2
    job = late.result["job"]
    assert job["status"] in ("INIT", "RUNNING") and late.result["changed"] is True
    assert late.result["msg"] == ("The backup before-upgrade of volume %s did not finish within wait_timeout (1 s): job "
                                  "%s is still %s in VBS and goes on there. Run the task again to wait for it."
                                  % (SPARE, job["job_id"], job["status"]))


def test_the_poll_goes_through_throttling_and_server_errors(vbs):
    vbs.configure(job_duration_ms=600)
    jobs = "/v1/%s/jobs/*" % seeds.PROJECT_ID
    for kind in ("throttle", "unavailable503", "error500", "throttle"):
        vbs.arm_fault("GET", jobs, kind)
    created = run(vbs, "vbs_backup", NEW)
    assert created.rc == 0 and created.result["job"]["status"] == "SUCCESS", created
    faulted = [entry["fault"] for entry in sent(vbs, "GET") if "/jobs/" in entry["path"] and entry["fault"]]
    assert faulted == ["throttle", "unavailable503", "error500", "throttle"]
    assert len(held(vbs, "before-upgrade")) == 1


@pytest.mark.parametrize("args, message", [
    ({"name": "autobackup-1"}, "name must not start with 'auto'"),
    ({"name": "has space"}, "name must be 1 to 64 letters, digits, _ and -"),
    ({"description": "<b>bold</b>"}, "description must be at most 64 characters without < or >"),
    ({"tags": {"a/b": "x"}}, "tag key must not hold control characters"),
    ({"tags": dict(("k%d" % number, "v") for number in range(11))}, "a backup has at most 10 tags"),
    ({"volume_id": "../../backuppolicy"}, "volume_id must be a UUID"),
    ({"snapshot_id": "snap"}, "snapshot_id must be a UUID"),
    ({"wait_timeout": 0}, "wait_timeout must be between 1 and 86400"),
])
def test_bad_options_fail_before_any_request(vbs, args, message):
    refused = run(vbs, "vbs_backup", dict(NEW, **args))
    assert refused.rc == 2 and message in refused.result["msg"], refused
    assert vbs.requests() == []


# -- delete ----------------------------------------------------------------------------------------

def test_a_backup_is_deleted_by_name_and_volume_waited_for_and_then_ok(vbs):
    checked = run(vbs, "vbs_backup", {"volume_id": FREE, "name": "nightly-1", "state": "absent"}, check=True)
    assert checked.rc == 0 and checked.result["changed"] is True and sent(vbs, "DELETE") == []
    deleted = run(vbs, "vbs_backup", {"volume_id": FREE, "name": "nightly-1", "state": "absent"})
    assert deleted.rc == 0 and deleted.result["changed"] is True, deleted
    assert deleted.result["backup"]["id"] == BACKUP and held(vbs, "nightly-1") == []
    [delete] = sent(vbs, "DELETE")
    assert delete["path"] == "/v3/%s/backups/%s" % (seeds.PROJECT_ID, BACKUP)
    again = run(vbs, "vbs_backup", {"volume_id": FREE, "name": "nightly-1", "state": "absent"})
    assert again.rc == 0 and again.result["changed"] is False and len(sent(vbs, "DELETE")) == 1


def test_a_backup_is_deleted_by_id_without_waiting(vbs):
    vbs.configure(job_duration_ms=2000)
    deleted = run(vbs, "vbs_backup", {"backup_id": BIG_BACKUP, "state": "absent", "wait": False})
    assert deleted.rc == 0 and deleted.result["changed"] is True
    assert [backup["status"] for backup in held(vbs, "big")] == ["deleting"]
    again = run(vbs, "vbs_backup", {"backup_id": BIG_BACKUP, "state": "absent"})
    assert again.rc == 0 and again.result["changed"] is False and held(vbs, "big") == []
    assert len(sent(vbs, "DELETE")) == 1


def test_several_backups_with_the_name_are_listed_and_none_is_deleted(vbs):
    document = seed()
    twins = ["c0000000-0000-4000-8000-000000000001", "c0000000-0000-4000-8000-000000000002"]
    document["backups"] += [{"id": backup_id, "name": "twin", "volume_id": SPARE} for backup_id in twins]
    vbs.reset(document)
    refused = run(vbs, "vbs_backup", {"volume_id": SPARE, "name": "twin", "state": "absent"})
    assert refused.rc == 2
    assert refused.result["msg"].startswith("2 backups of volume %s are named twin: twin (ID %s, available) created "
                                            % (SPARE, twins[1]))
    assert twins[0] in refused.result["msg"] and refused.result["msg"].endswith("; give backup_id to choose one")
    assert sent(vbs, "DELETE") == [] and len(held(vbs, "twin")) == 2


def test_a_backup_being_created_cannot_be_deleted(vbs):
    vbs.configure(job_duration_ms=3000)
    assert run(vbs, "vbs_backup", dict(NEW, wait=False)).rc == 0
    refused = run(vbs, "vbs_backup", {"volume_id": SPARE, "name": "before-upgrade", "state": "absent"})
    assert refused.rc == 2 and "cannot be deleted while it is creating" in refused.result["msg"]
    assert sent(vbs, "DELETE") == []


# -- where /v3 is missing ----------------------------------------------------------------------------

def test_without_the_v3_paths_the_module_uses_v2_and_says_so(vbs):
    vbs.configure(native_v3_backups="absent")
    created = run(vbs, "vbs_backup", NEW)
    assert created.rc == 0 and created.result["backup"]["status"] == "available", created
    [warning] = created.warnings
    assert "does not serve the native backup API under /v3" in warning and "APIGW.0101" in warning
    deleted = run(vbs, "vbs_backup", {"volume_id": SPARE, "name": "before-upgrade", "state": "absent"})
    assert deleted.rc == 0 and held(vbs, "before-upgrade") == []
    assert [entry["path"].split("/")[1] for entry in sent(vbs, "DELETE")] == ["v2"]


# -- vbs_backup_info ---------------------------------------------------------------------------------

def test_info_lists_newest_first_through_pages_and_filters(vbs):
    vbs.configure(page_size=1)
    listed = run(vbs, "vbs_backup_info", {})
    assert listed.rc == 0 and listed.result["changed"] is False
    assert [backup["name"] for backup in listed.result["backups"]] == ["db-1", "big", "nightly-1"]
    assert len(sent(vbs, "GET", "/backups/detail")) == 3
    by_volume = run(vbs, "vbs_backup_info", {"volume_id": FREE, "status": "available"})
    assert [backup["id"] for backup in by_volume.result["backups"]] == [BIG_BACKUP, BACKUP]
    by_name = run(vbs, "vbs_backup_info", {"name": "big"})
    assert [backup["size"] for backup in by_name.result["backups"]] == [20]
    by_id = run(vbs, "vbs_backup_info", {"backup_id": BACKUP.upper()})
    assert [backup["name"] for backup in by_id.result["backups"]] == ["nightly-1"]
    none = run(vbs, "vbs_backup_info", {"backup_id": "0000dead-0000-4000-8000-00000000beef"})
    assert none.rc == 0 and none.result["backups"] == []


def test_info_without_v3_reads_v2_with_a_warning(vbs):
    vbs.configure(native_v3_backups="absent")
    listed = run(vbs, "vbs_backup_info", {"name": "db-1"})
    assert listed.rc == 0 and [backup["name"] for backup in listed.result["backups"]] == ["db-1"]
    assert len(listed.warnings) == 1 and "/v3" in listed.warnings[0]


# -- what is left of an earlier backup, and a create VBS may have applied ---------------------------------

def test_a_backup_in_error_does_not_count_and_a_new_one_is_made_with_a_warning(vbs):
    document = seed()
    broken = "c0000000-0000-4000-8000-000000000003"
    document["backups"].append({"id": broken, "name": "before-upgrade", "volume_id": SPARE, "status": "error"})
    vbs.reset(document)
    created = run(vbs, "vbs_backup", NEW)
    assert created.rc == 0 and created.result["changed"] is True, created
    assert created.result["backup"]["id"] != broken and created.result["backup"]["status"] == "available"
    assert created.warnings == ["Backup before-upgrade (ID %s, error) of volume %s is not usable; a new backup with "
                                "the same name is made" % (broken, SPARE)]
    assert sorted(backup["status"] for backup in held(vbs, "before-upgrade")) == ["available", "error"]


def test_a_create_answered_with_a_server_error_is_found_and_not_sent_again(vbs):
    vbs.arm_fault("POST", "/v2/%s/cloudbackups" % seeds.PROJECT_ID, "error500_after_apply")
    created = run(vbs, "vbs_backup", NEW)
    assert created.rc == 0 and created.result["changed"] is True, created
    assert created.result["backup"]["status"] == "available"
    assert [entry["status"] for entry in sent(vbs, "POST", CREATE)] == [500]
    assert len(held(vbs, "before-upgrade")) == 1


def test_a_throttled_create_is_sent_again(vbs):
    vbs.arm_fault("POST", "/v2/%s/cloudbackups" % seeds.PROJECT_ID, "throttle")
    created = run(vbs, "vbs_backup", NEW)
    assert created.rc == 0 and created.result["job"]["status"] == "SUCCESS", created
    assert [entry["status"] for entry in sent(vbs, "POST", CREATE)] == [429, 200]
    assert len(held(vbs, "before-upgrade")) == 1


def test_a_backup_being_created_that_ends_in_error_fails_the_run_that_waits_for_it(vbs):
    vbs.configure(job_duration_ms=800)
    vbs.set_volume(SPARE, backup_outcome="fail")
    assert run(vbs, "vbs_backup", dict(NEW, wait=False)).rc == 0
    waited = run(vbs, "vbs_backup", NEW)
    assert waited.rc == 2 and waited.result["changed"] is False
    [backup] = held(vbs, "before-upgrade")
    assert waited.result["msg"] == ("Backup before-upgrade (ID %s, creating) did not become available: its status is "
                                    "error (The backup failed (emulated).)" % backup["id"])
    assert len(sent(vbs, "POST", CREATE)) == 1
