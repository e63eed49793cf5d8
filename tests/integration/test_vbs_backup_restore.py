# -*- coding: utf-8 -*-
# Copyright: (c) 2026, huaweicloud.vbs contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""vbs_backup_restore against the emulator: the checks of the disk before anything is sent, the job, and
the refusals VBS makes itself, under each switch the reference leaves open.

The emulator's inspection API says what was restored onto which disk (``restored_from``).
"""

import pytest

from support import seeds

from support.backups import (ATTACHED, ATTACHED_BACKUP, BACKUP, BIG_BACKUP, FREE, SERVER, SMALL, SPARE, prepare,
                             run, sent)

RESTORE = "/restore"


@pytest.fixture
def vbs(emulator):
    return prepare(emulator)


def restored_from(vbs, volume_id):
    [volume] = [volume for volume in vbs.volumes() if volume["id"] == volume_id]
    return volume["restored_from"]


def test_a_backup_is_restored_onto_its_own_disk_and_every_run_is_changed(vbs):
    for attempt in (1, 2):
        restored = run(vbs, "vbs_backup_restore", {"backup_id": BACKUP})
        assert restored.rc == 0 and restored.result["changed"] is True, restored
        assert restored.result["job"]["status"] == "SUCCESS"
        assert restored.result["job"]["entities"] == {"backup_id": BACKUP, "volume_id": FREE}
        assert restored_from(vbs, FREE) == [BACKUP] * attempt
    assert restored.result["restore"] == {"backup_id": BACKUP, "backup_name": "nightly-1",
                                          "backup_created_at": "2026-02-01T00:00:00.000000", "backup_size": 10,
                                          "volume_id": FREE, "volume_name": "disk-03", "volume_size": 10}
    assert [entry["body"] for entry in sent(vbs, "POST", RESTORE)] == [{"restore": {"volume_id": FREE}}] * 2


def test_check_mode_says_what_would_be_restored_and_sends_nothing(vbs):
    checked = run(vbs, "vbs_backup_restore", {"backup_id": BACKUP, "volume_id": SPARE}, check=True)
    assert checked.rc == 0 and checked.result["changed"] is True
    assert checked.result["msg"] == ("Would restore backup nightly-1 (ID %s, available), made 2026-02-01T00:00:00.000000, "
                                     "onto volume %s (disk-05)" % (BACKUP, SPARE))
    assert sent(vbs, "POST") == [] and restored_from(vbs, SPARE) == []


@pytest.mark.parametrize("restore_in_use", ["refuse", "allow"])
def test_an_attached_disk_fails_with_its_server_and_nothing_is_sent(vbs, restore_in_use):
    vbs.configure(restore_in_use=restore_in_use)
    refused = run(vbs, "vbs_backup_restore", {"backup_id": ATTACHED_BACKUP})
    assert refused.rc == 2 and refused.result["changed"] is False
    assert refused.result["msg"] == (
        "Volume %s (disk-01) is attached to server %s: stop the server and detach the disk before restoring backup "
        "db-1 (ID %s, available) onto it" % (ATTACHED, SERVER, ATTACHED_BACKUP))
    assert sent(vbs, "POST") == [] and restored_from(vbs, ATTACHED) == []


def test_a_disk_smaller_than_the_backup_fails_before_the_call(vbs):
    refused = run(vbs, "vbs_backup_restore", {"backup_id": BIG_BACKUP, "volume_id": SMALL})
    assert refused.rc == 2
    assert refused.result["msg"] == ("Volume %s (disk-04) has 5 GB, less than the 20 GB of backup big (ID %s, "
                                     "available); a restore needs a disk at least as large as the backup"
                                     % (SMALL, BIG_BACKUP))
    assert sent(vbs, "POST") == []


@pytest.mark.parametrize("args, message", [
    ({"backup_id": "0000dead-0000-4000-8000-00000000beef"}, "No backup with ID 0000dead-0000-4000-8000-00000000beef"),
    ({"backup_id": BACKUP, "volume_id": "0000dead-0000-4000-8000-00000000beef"}, "No EVS volume with ID 0000dead"),
    ({"backup_id": "nightly-1"}, "backup_id must be a UUID"),
])
def test_a_missing_backup_or_disk_fails_before_the_call(vbs, args, message):
    refused = run(vbs, "vbs_backup_restore", args)
    assert refused.rc == 2 and message in refused.result["msg"], refused
    assert sent(vbs, "POST") == []


def test_a_backup_still_being_created_is_not_restored(vbs):
    vbs.configure(job_duration_ms=3000)
    started = run(vbs, "vbs_backup", {"volume_id": SPARE, "name": "fresh", "wait": False})
    refused = run(vbs, "vbs_backup_restore", {"backup_id": started.result["backup"]["id"]})
    assert refused.rc == 2 and "cannot be restored while it is creating" in refused.result["msg"]
    assert sent(vbs, "POST", RESTORE) == []


@pytest.mark.parametrize("refusals", ["immediate", "job"])
def test_a_refusal_of_vbs_itself_fails_the_task_with_its_code(vbs, refusals):
    """A backup of the target disk is being made (VolumeBackup.0206), which the module does not check itself."""
    vbs.configure(job_duration_ms=2000, backup_refusals=refusals)
    assert run(vbs, "vbs_backup", {"volume_id": FREE, "name": "in-between", "wait": False}).rc == 0
    refused = run(vbs, "vbs_backup_restore", {"backup_id": BACKUP})
    assert refused.rc == 2 and refused.result["error_code"] == "VolumeBackup.0206", refused
    assert refused.result["changed"] is (refusals == "job")
    if refusals == "job":
        assert refused.result["job"]["status"] == "FAIL" and refused.result["job"]["fail_reason"]
        assert refused.result["msg"].startswith("The restore of backup nightly-1 (ID %s, available) onto volume %s "
                                                "failed: job %s ended FAIL with error_code VolumeBackup.0206: "
                                                % (BACKUP, FREE, refused.result["job"]["job_id"]))
    assert restored_from(vbs, FREE) == []


def test_a_restore_longer_than_wait_timeout_is_reported_with_its_job_and_changed(vbs):
    vbs.configure(job_duration_ms=4000)
    late = run(vbs, "vbs_backup_restore", {"backup_id": BACKUP, "wait_timeout": 1})
    assert late.rc == 2 and late.result["changed"] is True
    job = late.result["job"]
    assert late.result["msg"].endswith("did not finish within wait_timeout (1 s): job %s is still %s in VBS and goes "
                                       "on there. Do not restore again meanwhile: read the job to see when it ends."
                                       % (job["job_id"], job["status"]))


def test_without_waiting_the_job_is_returned_as_it_starts(vbs):
    vbs.configure(job_duration_ms=2000)
    started = run(vbs, "vbs_backup_restore", {"backup_id": BACKUP, "wait": False})
    assert started.rc == 0 and started.result["changed"] is True
    assert started.result["job"]["status"] in ("INIT", "RUNNING")


def test_a_restore_answered_with_a_server_error_is_not_sent_again_when_it_runs(vbs):
    vbs.configure(job_duration_ms=2000)
    vbs.arm_fault("POST", "/v2/%s/cloudbackups/%s/restore" % (seeds.PROJECT_ID, BACKUP), "error500_after_apply")
    uncertain = run(vbs, "vbs_backup_restore", {"backup_id": BACKUP})
    assert uncertain.rc == 2 and uncertain.result["changed"] is True
    assert "may have started though VBS answered with an error" in uncertain.result["msg"]
    assert "the backup is restoring, but the job ID is unknown" in uncertain.result["msg"]
    assert [entry["status"] for entry in sent(vbs, "POST", RESTORE)] == [500]
