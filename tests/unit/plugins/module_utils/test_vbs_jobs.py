# -*- coding: utf-8 -*-
# Copyright: (c) 2026, huaweicloud.vbs contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""Waiting for a job: the pauses, the time limit, and a job answer that is not what the reference shows."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest

from ansible_collections.huaweicloud.vbs.plugins.module_utils import vbs_jobs
from ansible_collections.huaweicloud.vbs.plugins.module_utils.vbs_auth import TokenAuth
from ansible_collections.huaweicloud.vbs.plugins.module_utils.vbs_backups import BackupClient
from ansible_collections.huaweicloud.vbs.plugins.module_utils.vbs_errors import VBSError
from ansible_collections.huaweicloud.vbs.plugins.module_utils.vbs_transport import Transport
from ansible_collections.huaweicloud.vbs.tests.support.scripted_server import json_reply

PROJECT = "0b4a7c5e9f1d4e2a8c3b6d5f7e9a1c2b"
JOB = "4010b39b5281d3590152874bfa3b1604"


class Clock:
    """A clock that only the test's sleeps move."""

    def __init__(self):
        self.now = 1000.0
        self.sleeps = []

    def sleep(self, seconds):
        self.sleeps.append(round(seconds, 3))
        self.now += seconds

    def __call__(self):
        return self.now


def test_the_pauses_double_from_half_a_second_up_to_the_poll_interval():
    clock = Clock()
    reads = []
    value, done = vbs_jobs.poll(lambda: reads.append(clock()) or len(reads), lambda count: count == 8, 3600, 5,
                                clock.sleep, clock)
    assert (value, done) == (8, True)
    assert clock.sleeps == [0.5, 1, 2, 4, 5, 5, 5]


def test_a_job_that_never_ends_is_read_for_the_last_time_at_the_time_limit():
    clock = Clock()
    reads = []
    value, done = vbs_jobs.poll(lambda: reads.append(clock()) or "RUNNING", lambda status: False, 20, 10,
                                clock.sleep, clock)
    assert (value, done) == ("RUNNING", False)
    assert clock.sleeps == [0.5, 1, 2, 4, 8, 4.5]
    assert reads[-1] == 1020.0 and len(reads) == 7


def test_a_poll_interval_below_half_a_second_is_every_pause():
    clock = Clock()
    vbs_jobs.poll(clock, lambda now: now >= 1000.35, 60, 0.1, clock.sleep, clock)
    assert clock.sleeps == [0.1, 0.1, 0.1, 0.1]


@pytest.mark.parametrize("params, problem", [
    ({"wait_timeout": 0, "poll_interval": 10}, "wait_timeout must be between 1 and 86400"),
    ({"wait_timeout": 86401, "poll_interval": 10}, "wait_timeout must be between 1 and 86400"),
    ({"wait_timeout": 60, "poll_interval": 0.01}, "poll_interval must be between 0.1 and 600"),
    ({"wait_timeout": 60, "poll_interval": 601}, "poll_interval must be between 0.1 and 600"),
    ({"wait_timeout": 60, "poll_interval": 0.1}, None),
])
def test_the_wait_options_are_bounded(params, problem):
    found = vbs_jobs.wait_problem(params)
    assert (found is None) if problem is None else found.startswith(problem)


def client_for(server):
    return BackupClient(Transport(timeout=5, retries=3, sleep=lambda seconds: None), TokenAuth("tok"), server.url,
                        PROJECT)


def job(status, **fields):
    body = {"status": status, "job_id": JOB, "job_type": "bksCreateBackup", "entities": {"backup_id": "b"},
            "begin_time": "2016-01-28T16:14:09.466Z", "end_time": None, "error_code": None, "fail_reason": None}
    body.update(fields)
    return json_reply(200, body)


def test_a_job_is_read_from_v1_through_throttling_and_server_errors(server):
    server.add(json_reply(429, {"error_code": "APIGW.0308", "error_msg": "throttled"}, {"Retry-After": "0"}),
               json_reply(503, {"error": {"code": "VBS.0001", "message": "busy"}}), job("RUNNING"), job("SUCCESS"))
    found, finished = vbs_jobs.wait_for_job(client_for(server), JOB, 60, 0.1, "The backup")
    assert finished and found["status"] == "SUCCESS"
    assert [received.path for received in server.requests] == ["/v1/%s/jobs/%s" % (PROJECT, JOB)] * 4


def test_a_read_that_keeps_failing_says_the_job_may_still_run(server):
    server.add(*[json_reply(503, {"error": {"code": "VBS.0001", "message": "busy"}})] * 4)
    with pytest.raises(VBSError) as caught:
        vbs_jobs.wait_for_job(client_for(server), JOB, 60, 0.1, "The backup of volume v")
    assert "The backup of volume v (job %s) may still be running in VBS" % JOB in caught.value.msg


@pytest.mark.parametrize("body, what", [
    ({"status": "DONE", "job_id": JOB}, "status is not one of INIT, RUNNING, SUCCESS, FAIL"),
    ({"status": "SUCCESS", "job_id": "another"}, "it is about job 'another'"),
    (["SUCCESS"], "not a JSON object"),
])
def test_a_job_answer_of_the_wrong_shape_is_refused(server, body, what):
    server.add(json_reply(200, body))
    with pytest.raises(VBSError) as caught:
        vbs_jobs.read_job(client_for(server), JOB)
    assert what in caught.value.msg


def test_a_failed_jobs_text_is_escaped_and_bounded(server):
    server.add(job("FAIL", error_code=40, fail_reason="full\x1b[31m\n" + "y" * 9000,
                   entities={"backup_id": "b", "nested": {"no": 1}, "k" * 300: "v"}))
    found = vbs_jobs.read_job(client_for(server), JOB)
    assert found["error_code"] == "40"
    assert found["fail_reason"].startswith("full\\x1b[31m\\n") and len(found["fail_reason"]) <= 2003
    assert found["entities"] == {"backup_id": "b"}
    problem = vbs_jobs.job_problem(found, True, "The backup", 60, "")
    assert problem.code == "40" and "job %s ended FAIL with error_code 40: full\\x1b" % JOB in problem.msg


def test_a_job_id_that_is_no_id_never_reaches_a_path(server):
    with pytest.raises(VBSError, match="The job ID must be"):
        vbs_jobs.read_job(client_for(server), "../../backuppolicy")
    assert server.requests == []
