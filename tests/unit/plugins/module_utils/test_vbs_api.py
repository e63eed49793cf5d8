# -*- coding: utf-8 -*-
# Copyright: (c) 2026, huaweicloud.vbs contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""VBSClient over real HTTP: paging, request bodies, and answers of the wrong shape."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest

from ansible_collections.huaweicloud.vbs.plugins.module_utils import vbs_api
from ansible_collections.huaweicloud.vbs.plugins.module_utils.vbs_api import VBSClient
from ansible_collections.huaweicloud.vbs.plugins.module_utils.vbs_auth import AkSkAuth, TokenAuth
from ansible_collections.huaweicloud.vbs.plugins.module_utils.vbs_errors import VBSError
from ansible_collections.huaweicloud.vbs.plugins.module_utils.vbs_transport import Transport
from ansible_collections.huaweicloud.vbs.tests.support.scripted_server import (
    Reply, ScriptedServer, json_reply, official_authorization)

PROJECT = "0b4a7c5e9f1d4e2a8c3b6d5f7e9a1c2b"
BASE = "/v2/%s" % PROJECT
VOL1 = "0f6f2b5c-3b8e-4a6e-9d3c-7f1e2a4b5c6d"
VOL2 = "1a2b3c4d-0000-4000-8000-00000000beef"


def client_for(server, auth=None, project_id=PROJECT):
    transport = Transport(timeout=5, retries=2, sleep=lambda seconds: None)
    return VBSClient(transport, auth or TokenAuth("tok"), server.url + "/", project_id)


def policy(policy_id, name=None, count=0, status="ON"):
    return {"backup_policy_id": policy_id, "backup_policy_name": name or "name-" + policy_id,
            "scheduled_policy": {"start_time": "01:00", "frequency": 1, "rentention_num": 7,
                                 "remain_first_backup_of_curMonth": "N", "status": status},
            "policy_resource_count": count}


def page(policies, next_href=None, extra_links=()):
    body = {"backup_policies": policies}
    if next_href is not None or extra_links:
        links = list(extra_links)
        if next_href is not None:
            links.append({"rel": "next", "href": next_href})
        body["backup_policies_links"] = links
    return json_reply(200, body)


# -- listing -------------------------------------------------------------------------

def test_list_without_links(server):
    server.add(page([policy("a", count=2), policy("b")]))
    policies = client_for(server).list_policies()
    assert [item["backup_policy_id"] for item in policies] == ["a", "b"]
    assert policies[0]["policy_resource_count"] == 2
    assert [(r.method, r.target) for r in server.requests] == [("GET", BASE + "/backuppolicy")]
    assert server.requests[0].header("X-Auth-Token") == "tok"


def test_a_listed_policy_without_a_count_gets_zero_where_it_is_checked(server):
    # VBS leaves a zero count out: the listing sets it once, so every reader finds the key.
    uncounted = policy("a")
    del uncounted["policy_resource_count"]
    server.add(page([uncounted, policy("b", count=3)]))
    assert [item["policy_resource_count"] for item in client_for(server).list_policies()] == [0, 3]


def test_list_follows_links_on_own_endpoint_only(server):
    with ScriptedServer() as elsewhere:
        elsewhere.add(page([policy("evil")]))
        server.add(
            page([policy("a"), policy("b")], elsewhere.url + BASE + "/backuppolicy?limit=2&marker=b",
                 extra_links=[{"rel": "self", "href": elsewhere.url + "/self"}]),
            page([policy("c"), policy("d")], "https://vbs.example.com/v2/other/backuppolicy?marker=d&limit=2"),
            page([policy("e")]))
        policies = client_for(server, AkSkAuth("AK", "SK")).list_policies()
        assert elsewhere.requests == []
    assert [item["backup_policy_id"] for item in policies] == ["a", "b", "c", "d", "e"]
    assert [r.target for r in server.requests] == [
        BASE + "/backuppolicy",
        BASE + "/backuppolicy?limit=2&marker=b",
        BASE + "/backuppolicy?limit=2&marker=d",
    ]
    for received in server.requests:
        assert received.header("Host") == "127.0.0.1:%d" % server.port
        assert official_authorization(received, "AK", "SK") == received.header("Authorization")


def test_link_loop_stops(server):
    server.add(page([policy("a")], "/v2/x/backuppolicy?marker=a"),
               page([policy("b")], "/v2/x/backuppolicy?marker=a"),
               page([policy("never")]))
    policies = client_for(server).list_policies()
    assert [item["backup_policy_id"] for item in policies] == ["a", "b"]
    assert len(server.requests) == 2


def test_link_back_to_first_page_stops(server):
    server.add(page([policy("a")], "https://vbs.example.com" + BASE + "/backuppolicy"), page([policy("never")]))
    assert [item["backup_policy_id"] for item in client_for(server).list_policies()] == ["a"]
    assert len(server.requests) == 1


def test_empty_page_with_next_link_stops(server):
    server.add(page([policy("a")], "?marker=a"), page([], "?marker=z"), page([policy("never")]))
    assert [item["backup_policy_id"] for item in client_for(server).list_policies()] == ["a"]
    assert len(server.requests) == 2


@pytest.mark.parametrize("links", [
    {"rel": "next", "href": "?marker=a"},
    [{"rel": "previous", "href": "?marker=a"}],
    [{"rel": "next", "href": 5}],
    ["?marker=a"],
    None,
])
def test_links_of_other_shapes_are_not_followed(server, links):
    server.add(json_reply(200, {"backup_policies": [policy("a")], "backup_policies_links": links}),
               page([policy("never")]))
    assert [item["backup_policy_id"] for item in client_for(server).list_policies()] == ["a"]
    assert len(server.requests) == 1


def test_endless_paging_is_an_error():
    def endless(received):
        number = len(endless.served)
        endless.served.append(received.target)
        return page([policy("p%d" % number)], "?marker=p%d" % number)
    endless.served = []
    with ScriptedServer(handler=endless) as server:
        with pytest.raises(VBSError) as caught:
            client_for(server).list_policies()
    assert caught.value.msg == "VBS kept paging GET %s/backuppolicy beyond %d pages" % (BASE, vbs_api.MAX_POLICY_PAGES)
    assert len(endless.served) == vbs_api.MAX_POLICY_PAGES
    assert len(set(endless.served)) == vbs_api.MAX_POLICY_PAGES


@pytest.mark.parametrize("body,what", [
    ({"backup_policies": {"a": 1}}, "backup_policies is not a list"),
    ({"backup_policies": "none"}, "backup_policies is not a list"),
    ({}, "backup_policies is not a list"),
    ({"backup_policies": ["a"]}, "backup_policies is not a list"),
    ({"backup_policies": [{"backup_policy_name": "x"}]}, "a policy without backup_policy_id"),
    ({"backup_policies": [{"backup_policy_id": ""}]}, "a policy without backup_policy_id"),
    ({"backup_policies": [{"backup_policy_id": 12}]}, "a policy without backup_policy_id"),
    ({"backup_policies": [{"backup_policy_id": "a", "policy_resource_count": -1}]},
     "policy_resource_count is not a count"),
    ({"backup_policies": [{"backup_policy_id": "a", "policy_resource_count": "3"}]},
     "policy_resource_count is not a count"),
    ({"backup_policies": [{"backup_policy_id": "a", "policy_resource_count": True}]},
     "policy_resource_count is not a count"),
    ({"backup_policies": [{"backup_policy_id": "a", "policy_resource_count": 1.5}]},
     "policy_resource_count is not a count"),
    ({"backup_policies": [{"backup_policy_id": "a", "policy_resource_count": None}]},
     "policy_resource_count is not a count"),
    ([policy("a")], "not a JSON object"),
    ("backup_policies", "not a JSON object"),
])
def test_malformed_policy_lists(server, body, what):
    server.add(json_reply(200, body))
    with pytest.raises(VBSError) as caught:
        client_for(server).list_policies()
    error = caught.value
    assert error.msg.startswith("VBS answered GET %s/backuppolicy with an unexpected body (%s" % (BASE, what))
    assert error.path == BASE + "/backuppolicy" and error.method == "GET"


def test_malformed_second_page(server):
    server.add(page([policy("a")], "?marker=a"), json_reply(200, {"backup_policies": [{"policy_resource_count": 1}]}))
    with pytest.raises(VBSError) as caught:
        client_for(server).list_policies()
    assert "unexpected body (a policy without backup_policy_id)" in caught.value.msg


def test_empty_200_is_unexpected(server):
    server.add(Reply(200, {}, b""))
    with pytest.raises(VBSError) as caught:
        client_for(server).list_policies()
    assert "unexpected body (not a JSON object)" in caught.value.msg


def test_count_missing_is_zero(server):
    server.add(page([{"backup_policy_id": "a"}]))
    assert client_for(server).list_policies() == [{"backup_policy_id": "a", "policy_resource_count": 0}]


def test_errors_of_list_pass_through(server):
    server.add(json_reply(403, {"error": {"code": "AutoBackup.0213", "message": "not authorized"}}))
    with pytest.raises(VBSError) as caught:
        client_for(server).list_policies()
    assert caught.value.status == 403 and caught.value.code == "AutoBackup.0213"


# -- tags -----------------------------------------------------------------------------

def test_list_tags(server):
    server.add(json_reply(200, {"tags": [{"key": "env", "value": "prod"}]}), json_reply(200, {}))
    client = client_for(server)
    assert client.list_tags("pol:1") == {"env": "prod"}
    assert client.list_tags("p2") == {}
    assert [r.target for r in server.requests] == [BASE + "/backuppolicy/pol%3A1/tags", BASE + "/backuppolicy/p2/tags"]


@pytest.mark.parametrize("policy_id", ["..", ".", "pol/1", "pol 1/x", "%2e%2e", "", "a" * 256, "p\n1"])
def test_a_policy_id_that_would_change_the_path_is_refused_before_any_request(server, policy_id):
    client = client_for(server)
    for call in (lambda: client.list_tags(policy_id), lambda: client.disassociate(policy_id, [VOL1])):
        with pytest.raises(VBSError) as caught:
            call()
        assert caught.value.msg.startswith("The backup policy ID must be letters, digits and - _ . :")
    assert server.requests == []


@pytest.mark.parametrize("project_id", ["..", ".", "p/x", "", "a" * 65])
def test_a_project_id_that_would_change_the_path_is_refused(project_id):
    with pytest.raises(VBSError) as caught:
        VBSClient(Transport(sleep=lambda s: None), TokenAuth("t"), "https://vbs.eu-de.example.com", project_id)
    assert caught.value.msg.startswith("The project ID must be letters, digits and dashes")


@pytest.mark.parametrize("bad_id", ["..", ".", "a/b", "x" * 256, 7])
def test_a_listing_with_a_policy_id_that_is_no_id_is_refused(server, bad_id):
    server.add(json_reply(200, {"backup_policies": [{"backup_policy_id": "p1"}, {"backup_policy_id": bad_id}]}))
    with pytest.raises(VBSError) as caught:
        client_for(server).list_policies()
    assert "unexpected body" in caught.value.msg and "policy" in caught.value.msg


def test_a_listing_that_names_one_policy_id_twice_is_refused(server):
    server.add(json_reply(200, {"backup_policies": [{"backup_policy_id": "p1"}, {"backup_policy_id": "p2"}],
                                "backup_policies_links": [{"rel": "next", "href": "x?marker=p2"}]}),
               json_reply(200, {"backup_policies": [{"backup_policy_id": "p1", "backup_policy_name": "again"}]}))
    with pytest.raises(VBSError) as caught:
        client_for(server).list_policies()
    assert caught.value.msg == ("VBS listed the backup policy ID p1 more than once (GET %s/backuppolicy); nothing was "
                                "changed" % BASE)


def test_list_tags_not_a_list(server):
    server.add(json_reply(200, {"tags": {"env": "prod"}}))
    with pytest.raises(VBSError) as caught:
        client_for(server).list_tags("p1")
    assert "unexpected body (tags is not a list)" in caught.value.msg


# -- membership -----------------------------------------------------------------------

def success(volume_id):
    return {"resource_id": volume_id, "resource_type": "volume", "availability_zone": "eu-de-01",
            "os_vol_host_attr": "pod01.eu-de-01"}


def failure(volume_id, code="AutoBackup.0206", message="status not allowed"):
    item = success(volume_id)
    item.update(code=code, message=message)
    return item


def test_associate_request_and_partial_answer(server):
    server.add(json_reply(200, {"success_resources": [success(VOL1)], "fail_resources": [failure(VOL2)]}))
    succeeded, failed, maybe_applied_before = client_for(server).associate("pol-1", [VOL1, VOL2])
    assert maybe_applied_before is False
    assert succeeded == [success(VOL1)]
    assert failed == [failure(VOL2)]
    received = server.requests[0]
    assert (received.method, received.target) == ("POST", BASE + "/backuppolicyresources")
    assert received.json() == {"backup_policy_id": "pol-1", "resources": [
        {"resource_id": VOL1, "resource_type": "volume"}, {"resource_id": VOL2, "resource_type": "volume"}]}
    assert received.header("Content-Type") == "application/json;charset=UTF-8"


def test_items_keep_only_their_documented_fields_as_safe_text(server):
    odd = dict(success(VOL1), internal={"deep": [1]}, links=[{"href": "x"}], availability_zone=["eu-de-01"])
    bad = dict(failure(VOL2, code=4711, message="\x1b[31mno\r\n[WARNING]: forged" + "m" * 3000), extra=1)
    server.add(json_reply(200, {"success_resources": [odd], "fail_resources": [bad]}))
    succeeded, failed, _maybe_applied_before = client_for(server).associate("p", [VOL1, VOL2])
    assert succeeded == [{"resource_id": VOL1, "resource_type": "volume", "os_vol_host_attr": "pod01.eu-de-01"}]
    assert set(failed[0]) == {"resource_id", "resource_type", "availability_zone", "os_vol_host_attr", "code",
                              "message"}
    assert failed[0]["code"] == "4711"
    assert failed[0]["message"].startswith("\\x1b[31mno\\r\\n[WARNING]: forgedmmm")
    assert len(failed[0]["message"]) == 2003


def test_tags_keep_only_key_and_value(server):
    server.add(json_reply(200, {"tags": [{"key": "env", "value": "prod", "extra": {"a": 1}}, {"key": "k"},
                                         {"value": "no key"}, "text", {"key": 5, "value": "v"},
                                         {"key": "n", "value": 7}]}))
    assert client_for(server).list_tags("p1") == {"env": "prod", "k": ""}


def test_a_tag_value_spelled_values_is_read(server):
    # The reference's example answer of "Querying Tags of a Backup Policy" spells one value "values".
    server.add(json_reply(200, {"tags": [{"key": "team", "values": "dba"}, {"key": "env", "value": "prod"}]}))
    assert client_for(server).list_tags("p1") == {"team": "dba", "env": "prod"}


def test_tag_text_is_made_safe(server):
    server.add(json_reply(200, {"tags": [{"key": "k\x1b[2J", "value": "v\r\n[WARNING]: forged"}]}))
    assert client_for(server).list_tags("p1") == {"k\\x1b[2J": "v\\r\\n[WARNING]: forged"}


def test_more_tags_than_any_policy_list_holds_are_refused(server):
    server.add(json_reply(200, {"tags": [{"key": "k%d" % number, "value": ""} for number in range(1001)]}))
    with pytest.raises(VBSError) as caught:
        client_for(server).list_tags("p1")
    assert "1001 tags for one backup policy, more than the 1000 this client reads" in caught.value.msg


def test_an_answer_after_a_server_error_says_an_earlier_attempt_may_have_been_applied(server):
    server.add(json_reply(500, {"error": {"code": "AutoBackup.0009", "message": "internal"}}),
               json_reply(200, {"success_resources": [], "fail_resources": [failure(VOL1, "AutoBackup.1400")]}))
    succeeded, failed, maybe_applied_before = client_for(server).associate("p", [VOL1])
    assert (succeeded, len(failed), maybe_applied_before) == ([], 1, True)


def test_disassociate_request(server):
    server.add(json_reply(200, {"success_resources": [{"resource_id": VOL1}],
                                "fail_resources": [{"resource_id": VOL2}]}))
    succeeded, failed, _maybe_applied_before = client_for(server).disassociate("pol:1.x", [VOL1, VOL2])
    assert succeeded == [{"resource_id": VOL1}] and failed == [{"resource_id": VOL2}]
    received = server.requests[0]
    assert (received.method, received.target) == ("POST", BASE + "/backuppolicyresources/pol%3A1.x/deleted_resources")
    assert received.json() == {"resources": [{"resource_id": VOL1}, {"resource_id": VOL2}]}


def test_associate_signed(server):
    server.add(json_reply(200, {"success_resources": [success(VOL1)]}))
    succeeded, failed, _maybe_applied_before = client_for(server, AkSkAuth("AK", "SK", "sts")).associate("p", [VOL1])
    assert (succeeded, failed) == ([success(VOL1)], [])
    received = server.requests[0]
    assert official_authorization(received, "AK", "SK") == received.header("Authorization")
    assert "content-type;host;x-project-id;x-sdk-date;x-security-token" in received.header("Authorization")


@pytest.mark.parametrize("body", [{}, {"success_resources": None, "fail_resources": []}])
def test_membership_answer_without_lists_is_empty(server, body):
    server.add(json_reply(200, body))
    assert client_for(server).associate("p", [VOL1]) == ([], [], False)


@pytest.mark.parametrize("body,what", [
    ({"success_resources": [], "fail_resources": {"resource_id": VOL1}}, "fail_resources is not a list"),
    ({"success_resources": "all", "fail_resources": []}, "success_resources is not a list"),
    ({"success_resources": [], "fail_resources": 0}, "fail_resources is not a list"),
    ({"success_resources": "", "fail_resources": []}, "success_resources is not a list"),
    ({"success_resources": [{"resource_type": "volume"}]}, "an item of success_resources without resource_id"),
    ({"fail_resources": [{"code": "AutoBackup.0206", "message": "m"}]}, "an item of fail_resources without resource_id"),
    ({"fail_resources": [VOL1]}, "an item of fail_resources without resource_id"),
    ({"fail_resources": [{"resource_id": 7}]}, "an item of fail_resources without resource_id"),
    ([], "not a JSON object"),
])
@pytest.mark.parametrize("action", ["associate", "disassociate"])
def test_malformed_membership_answers(server, body, what, action):
    server.add(json_reply(200, body))
    with pytest.raises(VBSError) as caught:
        getattr(client_for(server), action)("p", [VOL1])
    assert "with an unexpected body (%s)" % what in caught.value.msg
    assert caught.value.method == "POST"


def test_request_level_error_of_associate(server):
    server.add(json_reply(400, {"error": {"code": "AutoBackup.0205", "message": "The policy does not exist."}}))
    with pytest.raises(VBSError) as caught:
        client_for(server).associate("gone", [VOL1])
    assert caught.value.msg == ("VBS refused POST %s/backuppolicyresources: 400 AutoBackup.0205 The policy does not "
                                "exist." % BASE)


def test_url_building():
    client = VBSClient(Transport(sleep=lambda s: None), TokenAuth("t"), "https://vbs.eu-de.example.com//", "p-x")
    assert client.url("/backuppolicy") == "https://vbs.eu-de.example.com/v2/p-x/backuppolicy"
    assert client.url("/backuppolicy", [("marker", "b c"), ("limit", 5)]) == \
        "https://vbs.eu-de.example.com/v2/p-x/backuppolicy?limit=5&marker=b%20c"
