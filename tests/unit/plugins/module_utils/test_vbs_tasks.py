# -*- coding: utf-8 -*-
# Copyright: (c) 2026, huaweicloud.vbs contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""A policy's recent backup tasks over real HTTP: pages, the time window on the server's clock, the order and
count the reference leaves open, and the summary of the morning check."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from email.utils import formatdate

import pytest

from ansible_collections.huaweicloud.vbs.plugins.module_utils import vbs_tasks
from ansible_collections.huaweicloud.vbs.plugins.module_utils.vbs_api import VBSClient
from ansible_collections.huaweicloud.vbs.plugins.module_utils.vbs_auth import TokenAuth
from ansible_collections.huaweicloud.vbs.plugins.module_utils.vbs_errors import VBSError
from ansible_collections.huaweicloud.vbs.plugins.module_utils.vbs_transport import Transport
from ansible_collections.huaweicloud.vbs.tests.support.scripted_server import json_reply

PROJECT = "0b4a7c5e9f1d4e2a8c3b6d5f7e9a1c2b"
POLICY = "0ea1f4b3-7c2d-4f5e-9a6b-1c2d3e4f5a6b"
# 2026-05-04T12:00:00Z, the server's time in these answers.
SERVER_NOW = 1777896000
LIMIT = vbs_tasks.PAGE_LIMIT


def client_for(server):
    return VBSClient(Transport(timeout=5, retries=0, sleep=lambda seconds: None), TokenAuth("tok"), server.url,
                     PROJECT)


def task(number, hours_ago, status="EXECUTE_SUCCESS", volume=None):
    created = vbs_tasks.datetime.fromtimestamp(SERVER_NOW - hours_ago * 3600, vbs_tasks.timezone.utc)
    return {"job_id": "job-%04d" % number, "status": status, "backup_name": "autobk_%04d" % number,
            "resource_id": volume or "vol-%d" % (number % 3), "resource_type": "volume",
            "created_at": created.strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3]}


def page(tasks, count=None):
    return json_reply(200, {"tasks": tasks, "count": len(tasks) if count is None else count},
                      {"Date": formatdate(SERVER_NOW, usegmt=True)})


def test_pages_are_read_newest_first_until_a_task_is_older_than_the_window(server):
    tasks = [task(number, number * 0.1) for number in range(250)]  # one every 6 minutes
    server.add(page(tasks[:LIMIT], 250), page(tasks[LIMIT:2 * LIMIT], 250))
    found, cutoff = vbs_tasks.recent_tasks(client_for(server), POLICY, window=12 * 3600)
    assert cutoff == SERVER_NOW - 12 * 3600
    assert [item["job_id"] for item in found] == ["job-%04d" % number for number in range(121)]
    assert [received.query_pairs for received in server.requests] == [
        [("limit", "100"), ("offset", "0"), ("sort_dir", "desc"), ("sort_key", "created_at")],
        [("limit", "100"), ("offset", "100"), ("sort_dir", "desc"), ("sort_key", "created_at")]]
    assert server.requests[0].path == "/v2/%s/backuppolicy/%s/backuptasks" % (PROJECT, POLICY)


def test_a_count_that_is_only_the_page_size_does_not_end_the_listing(server):
    tasks = [task(number, 1) for number in range(150)]
    server.add(page(tasks[:LIMIT], LIMIT), page(tasks[LIMIT:], 50))
    found, _cutoff = vbs_tasks.recent_tasks(client_for(server), POLICY, window=24 * 3600)
    assert len(found) == 150


def test_tasks_in_the_wrong_order_are_all_read_and_filtered(server):
    old_first = [task(number, 40 - number * 0.1) for number in range(LIMIT)] + [task(500, 1), task(501, 30)]
    server.add(page(old_first[:LIMIT]), page(old_first[LIMIT:]))
    found, _cutoff = vbs_tasks.recent_tasks(client_for(server), POLICY, window=24 * 3600)
    assert "job-0500" in [item["job_id"] for item in found] and "job-0501" not in [item["job_id"] for item in found]
    assert len(server.requests) == 2


def test_a_server_that_ignores_the_offset_is_read_once(server):
    tasks = [task(number, 1) for number in range(LIMIT)]
    server.add(page(tasks), page(tasks))
    found, _cutoff = vbs_tasks.recent_tasks(client_for(server), POLICY, window=24 * 3600)
    assert len(found) == LIMIT and len(server.requests) == 2


@pytest.mark.parametrize("item", [{"job_id": "../x", "status": "RUNNING"}, {"status": "RUNNING"}, "task"])
def test_a_task_without_a_usable_job_id_makes_the_answer_unusable(server, item):
    server.add(page([task(1, 1), item]))
    with pytest.raises(VBSError, match="a task without a usable job_id"):
        vbs_tasks.recent_tasks(client_for(server), POLICY)


def test_the_summary_counts_outcomes_and_names_volumes_whose_newest_task_failed():
    tasks = [task(1, 1, "EXECUTE_FAIL", "vol-a"), task(2, 1, "EXECUTE_SUCCESS", "vol-b"),
             task(3, 1, "RUNNING", "vol-c"), task(4, 25, "EXECUTE_SUCCESS", "vol-a"),
             task(5, 25, "EXECUTE_TIMEOUT", "vol-b"), task(6, 25, "SKIP", "vol-d"),
             task(7, 26, "EXECUTE_TIMEOUT", "vol-e")]
    facts = [dict(item, finished_at=None) for item in tasks]
    assert vbs_tasks.summary(facts) == {"succeeded": 2, "failed": 3, "running": 1, "skipped": 1,
                                        "failed_volumes": ["vol-a", "vol-e"]}
