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
    slept = []
    transport = Transport(timeout=5, retries=retries, sleep=slept.append)
    transport.slept = slept
    return VBSClient(transport, TokenAuth("tok"), server.url, PROJECT)


def test_create_sends_the_body_and_returns_the_id(server):
    server.add(json_reply(200, {"backup_policy_id": "af8a20b0-117d-4fc3-ae53-aa3968a4f870"}))
    assert client_for(server).create_policy(BODY, Looker()) == "af8a20b0-117d-4fc3-ae53-aa3968a4f870"
    request = server.requests[0]
    assert (request.method, request.target) == ("POST", BASE + "/backuppolicy")
    assert request.json() == BODY


SERVER_ERROR = {"error": {"code": "AutoBackup.0009", "message": "internal"}}
NEW_ID = "af8a20b0-117d-4fc3-ae53-aa3968a4f870"


class Looker:
    """The callback that looks for the created policy: records each failed create it is asked about."""

    def __init__(self, *found):
        self.found = list(found)
        self.asked = []

    def __call__(self, error):
        self.asked.append(error.status)
        return self.found.pop(0) if self.found else None


@pytest.mark.parametrize("failure", [json_reply(500, SERVER_ERROR), json_reply(503, SERVER_ERROR), DROP])
def test_a_create_that_may_have_been_applied_is_looked_for_before_it_is_sent_again(server, failure):
    server.add(failure, json_reply(200, {"backup_policy_id": NEW_ID}))
    look = Looker()
    assert client_for(server, retries=3).create_policy(BODY, look) == NEW_ID
    assert len(server.requests) == 2 and len(look.asked) == 1


def test_a_create_found_after_it_failed_is_not_sent_again(server):
    server.add(json_reply(500, SERVER_ERROR), json_reply(200, {"backup_policy_id": "second"}))
    assert client_for(server, retries=3).create_policy(BODY, Looker(NEW_ID)) == NEW_ID
    assert len(server.requests) == 1 and server.remaining == 1


def test_a_throttled_create_was_not_applied_and_is_sent_again_without_looking(server):
    server.add(json_reply(429, {"error_code": "APIGW.0308", "error_msg": "throttled"}),
               json_reply(200, {"backup_policy_id": NEW_ID}))
    look = Looker()
    client = client_for(server, retries=3)
    assert client.create_policy(BODY, look) == NEW_ID
    assert look.asked == [] and len(server.requests) == 2
    assert len(client.transport.slept) == 1  # the client's backoff, as for every retry


def test_a_create_never_found_is_sent_retries_times_and_says_it_was_not_applied(server):
    server.add(*[json_reply(500, SERVER_ERROR)] * 3)
    look = Looker()
    with pytest.raises(VBSError) as caught:
        client_for(server, retries=2).create_policy(BODY, look, "VBS lists no new policy named daily-db")
    assert len(server.requests) == 3 and look.asked == [500, 500, 500]
    assert caught.value.msg.endswith("VBS lists no new policy named daily-db")


def test_a_refused_create_is_neither_looked_for_nor_sent_again(server):
    server.add(json_reply(400, {"error": {"code": "AutoBackup.0203", "message": "too many policies"}}))
    look = Looker()
    with pytest.raises(VBSError) as caught:
        client_for(server, retries=3).create_policy(BODY, look)
    assert caught.value.code == "AutoBackup.0203"
    assert len(server.requests) == 1 and look.asked == []


@pytest.mark.parametrize("answer", [
    {}, {"backup_policy_id": ""}, {"backup_policy_id": 7}, {"backup_policy_id": "x" * 256},
    {"backup_policy_id": "line\nbreak"}, ["af8a20b0"],
])
def test_create_answer_without_a_usable_id_is_an_error(server, answer):
    server.add(json_reply(200, answer))
    with pytest.raises(VBSError) as caught:
        client_for(server).create_policy(BODY, Looker())
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
