# -*- coding: utf-8 -*-
# Copyright: (c) 2026, huaweicloud.vbs contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""VBSClient's backup policy writes over real HTTP: paths, bodies, and a create that is sent once."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest

from ansible_collections.huaweicloud.vbs.plugins.module_utils.vbs_api import VBSClient
from ansible_collections.huaweicloud.vbs.plugins.module_utils.vbs_auth import TokenAuth
from ansible_collections.huaweicloud.vbs.plugins.module_utils.vbs_errors import VBSError
from ansible_collections.huaweicloud.vbs.plugins.module_utils.vbs_transport import Transport
from ansible_collections.huaweicloud.vbs.tests.support.scripted_server import DROP, Reply, json_reply

PROJECT = "0b4a7c5e9f1d4e2a8c3b6d5f7e9a1c2b"
BASE = "/v2/%s" % PROJECT
BODY = {"backup_policy_name": "daily-db",
        "scheduled_policy": {"start_time": "02:00", "frequency": 1, "rentention_num": 7, "status": "ON"}}


def client_for(server, retries=2):
    transport = Transport(timeout=5, retries=retries, sleep=lambda seconds: None)
    return VBSClient(transport, TokenAuth("tok"), server.url, PROJECT)


def test_create_sends_the_body_and_returns_the_id(server):
    server.add(json_reply(200, {"backup_policy_id": "af8a20b0-117d-4fc3-ae53-aa3968a4f870"}))
    assert client_for(server).create_policy(BODY) == "af8a20b0-117d-4fc3-ae53-aa3968a4f870"
    request = server.requests[0]
    assert (request.method, request.target) == ("POST", BASE + "/backuppolicy")
    assert request.json() == BODY


@pytest.mark.parametrize("failure", [
    json_reply(500, {"error": {"code": "AutoBackup.0009", "message": "internal"}}),
    json_reply(503, {"error": {"code": "AutoBackup.0009", "message": "unavailable"}}),
    json_reply(429, {"error_code": "APIGW.0308", "error_msg": "throttled"}),
    DROP,
])
def test_create_is_sent_once_whatever_the_failure(server, failure):
    server.add(failure, json_reply(200, {"backup_policy_id": "second"}))
    client = client_for(server, retries=3)
    with pytest.raises(VBSError):
        client.create_policy(BODY)
    assert len(server.requests) == 1
    assert server.remaining == 1
    # The client's own retries are untouched for every other call.
    assert client.transport.retries == 3


@pytest.mark.parametrize("answer", [
    {}, {"backup_policy_id": ""}, {"backup_policy_id": 7}, {"backup_policy_id": "x" * 256},
    {"backup_policy_id": "line\nbreak"}, ["af8a20b0"],
])
def test_create_answer_without_a_usable_id_is_an_error(server, answer):
    server.add(json_reply(200, answer))
    with pytest.raises(VBSError) as caught:
        client_for(server).create_policy(BODY)
    assert "unexpected body" in caught.value.msg
    assert "\n" not in caught.value.msg


def test_modify_delete_and_tags_put_the_id_in_the_path(server):
    server.add(Reply(204), Reply(204), Reply(204))
    client = client_for(server)
    client.modify_policy("p-1:a.b", {"backup_policy_name": "renamed"})
    client.tag_action("p-1:a.b", "delete", {"env": "test", "team": ""})
    client.delete_policy("p-1:a.b")
    assert [(request.method, request.target) for request in server.requests] == [
        ("PUT", BASE + "/backuppolicy/p-1%3Aa.b"),
        ("POST", BASE + "/backuppolicy/p-1%3Aa.b/tags/action"),
        ("DELETE", BASE + "/backuppolicy/p-1%3Aa.b"),
    ]
    assert server.requests[0].json() == {"backup_policy_name": "renamed"}
    assert server.requests[1].json() == {"action": "delete", "tags": [{"key": "env", "value": "test"},
                                                                      {"key": "team", "value": ""}]}


@pytest.mark.parametrize("policy_id", ["a/b", "..", "."])
def test_writes_refuse_an_id_that_would_change_the_path_before_any_request(server, policy_id):
    client = client_for(server)
    for write in (lambda: client.modify_policy(policy_id, {"backup_policy_name": "renamed"}),
                  lambda: client.tag_action(policy_id, "delete", {"env": "test"}),
                  lambda: client.delete_policy(policy_id)):
        with pytest.raises(VBSError) as caught:
            write()
        assert "backup policy ID must be" in caught.value.msg
    assert server.requests == []


def test_modify_is_retried_like_any_call_that_is_safe_to_repeat(server):
    server.add(json_reply(503, {"error": {"code": "AutoBackup.0009", "message": "busy"}}),
               json_reply(200, {"backup_policy_id": "p1"}))
    client_for(server).modify_policy("p1", {"scheduled_policy": {"status": "OFF", "frequency": 1}})
    assert len(server.requests) == 2


def test_refusals_carry_the_code(server):
    server.add(json_reply(400, {"error": {"code": "AutoBackup.0106", "message": "frequency is invalid"}}))
    with pytest.raises(VBSError) as caught:
        client_for(server).modify_policy("p1", {"scheduled_policy": {"frequency": 20}})
    assert (caught.value.status, caught.value.code) == (400, "AutoBackup.0106")
    assert "frequency is invalid" in caught.value.msg
