# -*- coding: utf-8 -*-
# Copyright: (c) 2026, huaweicloud.vbs contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""vbs_backup against a VBS whose jobs and backups are hostile: a job that never ends, IDs that would leave
their path, text that would forge output lines, answers too large to read.

The module runs in this process against a scripted server that answers the backup listing, the create and
the job as each case says; whatever the job says, the run ends with a clear result within wait_timeout.
"""

import json

import pytest

from support.module_runner import clear_problem, run_module

from ansible_collections.huaweicloud.vbs.plugins.module_utils.vbs_answer import MAX_ANSWER_BYTES
from ansible_collections.huaweicloud.vbs.plugins.modules import vbs_backup
from ansible_collections.huaweicloud.vbs.tests.support.scripted_server import ScriptedServer, json_reply

PROJECT = "0b4a7c5e9f1d4e2a8c3b6d5f7e9a1c2b"
VOLUME = "6e7f8091-a2b3-4c4d-8e5f-60718293a4b5"
BACKUP = "1d11c1a8-9f6e-4c2f-8d6f-5b0a6c7d8e9f"
JOB = "70a599e0-31e7-49b7-b260-868f441e862b"
FORGED = "\x1b[2J\r\n[WARNING]: all backups deleted"


def backup_item(status="available"):
    return {"id": BACKUP, "name": "before-upgrade", "status": status, "volume_id": VOLUME, "size": 10,
            "created_at": "2026-05-04T02:00:12.917245"}


class FakeVBS:
    """Answers the listing (empty until the job ends), the create, and the job as ``job`` says."""

    def __init__(self, job):
        self.job = job
        self.created = False
        self.job_reads = 0

    def __call__(self, recorded):
        if recorded.method == "POST" and recorded.path.endswith("/cloudbackups"):
            self.created = True
            return json_reply(200, {"job_id": JOB})
        if recorded.path.startswith("/v1/"):
            self.job_reads += 1
            return self.job(self.job_reads)
        if recorded.path.endswith("/backups/detail"):
            return json_reply(200, {"backups": [backup_item()] if self.job_reads else []})
        if recorded.path.endswith("/backups/" + BACKUP):
            return json_reply(200, {"backup": backup_item()})
        return json_reply(404, {"error_code": "APIGW.0101", "error_msg": "no such API"})


def job_reply(status, **fields):
    body = {"status": status, "job_id": JOB, "job_type": "bksCreateBackup", "entities": {"volume_id": VOLUME},
            "begin_time": "2026-05-04T02:00:09.466Z", "end_time": None, "error_code": None, "fail_reason": None}
    body.update(fields)
    return lambda reads: json_reply(200, body)


def run_backup(job, **args):
    fake = FakeVBS(job)
    with ScriptedServer(handler=fake) as server:
        run = run_module(vbs_backup.main, dict(
            endpoint=server.url, auth_url=server.url + "/v3", region="eu-de", project_id=PROJECT,
            auth_token="MII" + "T" * 120, volume_id=VOLUME, name="before-upgrade", retries=1, timeout=5,
            poll_interval=0.2, **args))
        paths = [received.target for received in server.requests]
    return run, fake, paths


def test_a_job_that_never_ends_is_bounded_by_wait_timeout():
    run, fake, _paths = run_backup(job_reply("RUNNING"), wait_timeout=2)
    assert run.failed and clear_problem(run) is None, run
    assert run.result["changed"] is True
    assert "did not finish within wait_timeout (2 s): job %s is still RUNNING" % JOB in run.result["msg"]
    # At once, then after 0.2 s each, until the time limit: about ten reads, never an endless loop.
    assert 5 <= fake.job_reads <= 15


def test_ids_in_a_job_that_would_leave_their_path_are_never_used():
    run, _fake, paths = run_backup(job_reply("SUCCESS", entities={"backup_id": "../../../v2/%s/backuppolicy" % PROJECT,
                                                                  "volume_id": VOLUME}))
    assert not run.failed, run
    assert run.result["backup"]["id"] == BACKUP
    assert not [path for path in paths if ".." in path or "backuppolicy" in path]


@pytest.mark.parametrize("job, message", [
    (job_reply("FAIL", error_code="VolumeBackup.0064" + FORGED, fail_reason=FORGED * 500),
     "ended FAIL with error_code VolumeBackup.0064\\x1b[2J\\r\\n[WARNING]: all backups deleted"),
    (job_reply("FINISHED"), "status is not one of INIT, RUNNING, SUCCESS, FAIL"),
    (job_reply("SUCCESS", job_id="another-job"), "it is about job 'another-job'"),
    (lambda reads: json_reply(200, {"status": "RUNNING", "job_id": JOB, "padding": "x" * (MAX_ANSWER_BYTES + 1)}),
     "an answer larger than %d bytes" % MAX_ANSWER_BYTES),
])
def test_a_hostile_job_answer_ends_the_task_with_one_clear_line(job, message):
    run, _fake, _paths = run_backup(job)
    assert run.failed and clear_problem(run) is None, run
    assert message in run.result["msg"], run.result["msg"]
    assert "\x1b" not in json.dumps(run.raw) and "\r\n[WARNING]" not in run.result["msg"]
    assert run.result["changed"] is True
