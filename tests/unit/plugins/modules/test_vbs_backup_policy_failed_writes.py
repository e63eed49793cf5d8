# -*- coding: utf-8 -*-
# Copyright: (c) 2026, huaweicloud.vbs contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""vbs_backup_policy after a write that failed with a server error: when VBS cannot even be asked
whether the write was applied, the outcome is unknown, and the result never claims that nothing changed."""

from ansible_collections.huaweicloud.vbs.plugins.modules import vbs_backup_policy
from ansible_collections.huaweicloud.vbs.tests.support.module_args import PROJECT_ID, run_main, scripted_args
from ansible_collections.huaweicloud.vbs.tests.support.scripted_server import json_reply

POLICY_ID = "0ea1f4b3-7c2d-4f5e-9a6b-1c2d3e4f5a6b"
SERVER_ERROR = {"error": {"code": "AutoBackup.0009", "message": "internal error"}}
NIGHTLY = {"backup_policy_id": POLICY_ID, "backup_policy_name": "nightly", "policy_resource_count": 0,
           "scheduled_policy": {"start_time": "02:00", "frequency": 1, "rentention_num": 7,
                                "remain_first_backup_of_curMonth": "N", "status": "ON"}}


def run(server, **options):
    return run_main(vbs_backup_policy.main, scripted_args(server, **dict(dict(name="nightly", retries=0), **options)))


def sent(server):
    return [(request.method, request.path.split("?")[0].replace("/v2/" + PROJECT_ID, "")) for request in server.requests]


def test_a_create_that_failed_and_cannot_be_looked_for_may_have_been_applied(server):
    server.add(json_reply(200, {"backup_policies": []}), json_reply(500, SERVER_ERROR), json_reply(500, SERVER_ERROR))
    result = run(server, start_time=["02:00"], frequency=1, retention_num=7)
    assert sent(server) == [("GET", "/backuppolicy"), ("POST", "/backuppolicy"), ("GET", "/backuppolicy")]
    assert result["failed"] is True
    assert result["changed"] is True
    assert "The create before it (" in result["msg"] and "may have been applied" in result["msg"]


def test_a_delete_that_failed_and_cannot_be_checked_may_have_been_applied(server):
    server.add(json_reply(200, {"backup_policies": [NIGHTLY]}), json_reply(200, {"tags": []}),
               json_reply(500, SERVER_ERROR), json_reply(500, SERVER_ERROR))
    result = run(server, state="absent")
    assert sent(server) == [("GET", "/backuppolicy"), ("GET", "/backuppolicy/%s/tags" % POLICY_ID),
                            ("DELETE", "/backuppolicy/%s" % POLICY_ID), ("GET", "/backuppolicy")]
    assert result["failed"] is True
    assert result["changed"] is True
    assert "The delete before it (" in result["msg"] and "may have been applied" in result["msg"]
