# -*- coding: utf-8 -*-
# Copyright: (c) 2026, huaweicloud.vbs contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""VBS jobs (GET /v1/{project_id}/jobs/{job_id}) and waiting for something to finish, within a time limit.

A create or restore answers with a job ID; the job runs for minutes (the published example: eleven)
and ends SUCCESS or FAIL. Waiting reads at once, then after 0.5, 1, 2, 4 ... seconds, at most
``poll_interval`` apart, and never beyond ``wait_timeout``: a job that never ends costs at most
that long. Every read goes through the transport, whose retries carry a poll through 429 and 5xx.
"""

import time

from urllib.parse import quote

from ansible_collections.huaweicloud.vbs.plugins.module_utils.vbs_errors import VBSError
from ansible_collections.huaweicloud.vbs.plugins.module_utils.vbs_evs import string_map
from ansible_collections.huaweicloud.vbs.plugins.module_utils.vbs_values import (
    is_whole_number, job_id_problem, safe_field, shown)

JOB_STATUSES = ("INIT", "RUNNING", "SUCCESS", "FAIL")
FINISHED = ("SUCCESS", "FAIL")
JOB_TEXT_FIELDS = ("job_type", "begin_time", "end_time", "fail_reason")

# The options of every module that waits (doc fragment huaweicloud.vbs.vbs.wait).
WAIT_ARGUMENT_SPEC = dict(
    wait=dict(type="bool", default=True),
    wait_timeout=dict(type="int", default=3600),
    poll_interval=dict(type="float", default=10.0),
)
MAX_WAIT_SECONDS = 86400
MIN_POLL_INTERVAL = 0.1
MAX_POLL_INTERVAL = 600.0
FIRST_PAUSE_SECONDS = 0.5
MAX_DOUBLINGS = 10


def wait_problem(params):
    """Why the wait options cannot be used, or None."""
    timeout = params.get("wait_timeout")
    if not is_whole_number(timeout) or not 1 <= timeout <= MAX_WAIT_SECONDS:
        return "wait_timeout must be between 1 and %d seconds, got %r" % (MAX_WAIT_SECONDS, timeout)
    interval = params.get("poll_interval")
    if not isinstance(interval, (int, float)) or isinstance(interval, bool) or \
            not MIN_POLL_INTERVAL <= interval <= MAX_POLL_INTERVAL:
        return "poll_interval must be between %s and %d seconds, got %r" % (
            MIN_POLL_INTERVAL, MAX_POLL_INTERVAL, interval)
    return None


def pause(reads, interval):
    """Seconds to wait after ``reads`` reads: 0.5, 1, 2, 4 ... and never more than ``interval``."""
    return min(interval, FIRST_PAUSE_SECONDS * 2 ** min(reads, MAX_DOUBLINGS))


def poll(read, finished, timeout, interval, sleep=time.sleep, clock=time.monotonic):
    """(last value, whether it is finished): ``read()`` until ``finished(value)``, for at most ``timeout`` seconds.

    The last read comes at the time limit, so that a job that ends just before it is not missed.
    """
    deadline = clock() + timeout
    reads = 0
    while True:
        value = read()
        if finished(value):
            return value, True
        remaining = deadline - clock()
        if remaining <= 0:
            return value, False
        sleep(min(pause(reads, interval), remaining))
        reads += 1


# -- one job ----------------------------------------------------------------------------------

def read_job(client, job_id):
    """The job's facts, checked (job_facts)."""
    problem = job_id_problem(job_id)
    if problem:
        raise VBSError("The job ID %s" % problem, service=client.service)
    received = client.checked_call("GET", client.url("/jobs/%s" % quote(job_id, safe=""), version="v1"))
    return job_facts(received, received.object(), job_id)


def job_facts(received, data, job_id):
    """The documented fields of a job, made safe; an answer about another job or with an unknown status is refused."""
    if data.get("job_id") not in (None, job_id):
        raise received.unexpected("it is about job %s" % shown(data.get("job_id"), quote=True), data)
    if data.get("status") not in JOB_STATUSES:
        raise received.unexpected("status is not one of %s" % ", ".join(JOB_STATUSES), data)
    facts = dict(job_id=job_id, status=data["status"], entities=string_map(data.get("entities")))
    for key in JOB_TEXT_FIELDS:
        facts[key] = safe_field(data.get(key))
    code = data.get("error_code")
    facts["error_code"] = str(code) if is_whole_number(code) else safe_field(code)
    return facts


def wait_for_job(client, job_id, timeout, interval, what):
    """(job, finished): the job read until it ends, or as it was at the time limit.

    A read that fails (after the transport's retries) says that the job may still be running.
    """
    def read():
        try:
            return read_job(client, job_id)
        except VBSError as error:
            error.add_hint("%s (job %s) may still be running in VBS" % (what, shown(job_id)))
            raise
    return poll(read, lambda job: job["status"] in FINISHED, timeout, interval, client.transport.sleep)


def job_problem(job, finished, what, timeout, advice):
    """The VBSError of a job that failed or did not finish within ``timeout`` seconds; None after SUCCESS.

    ``what`` names the work ("The backup of volume X"); ``advice`` says what to do after a timeout.
    """
    if not finished:
        return VBSError("%s did not finish within wait_timeout (%d s): job %s is still %s in VBS and goes on "
                        "there. %s" % (what, timeout, shown(job["job_id"]), job["status"], advice))
    if job["status"] == "FAIL":
        return VBSError("%s failed: job %s ended FAIL with error_code %s: %s"
                        % (what, shown(job["job_id"]), shown(job["error_code"] or "(none)"),
                           shown(job["fail_reason"] or "VBS gave no fail_reason")),
                        code=job["error_code"], error_message=job["fail_reason"], service="VBS")
    return None
