# -*- coding: utf-8 -*-
# Copyright: (c) 2026, huaweicloud.vbs contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""vbs_volume_info, run in this process against a scripted cloud: the proof of each volume's policy, and
answers the emulator does not give on its own.

The scripted server answers in the order the module reads: the policies, one EVS count per policy, the
volumes, the policies again. So a count that changes between the two policy listings, or metadata that
agrees with the count only on a second look, is reached on purpose.
"""

import pytest

from ansible_collections.huaweicloud.vbs.plugins.module_utils.vbs_evs import PAGE_LIMIT
from ansible_collections.huaweicloud.vbs.plugins.modules import vbs_volume_info
from ansible_collections.huaweicloud.vbs.tests.support.module_runner import run_module, warning_texts
from ansible_collections.huaweicloud.vbs.tests.support.scripted_server import json_reply

PROJECT_ID = "6c1f0e7a9b2d4c3e8f5a7b9c0d1e2f3a"
POLICY_ID = "0ea1f4b3-7c2d-4f5e-9a6b-1c2d3e4f5a6b"
VOL1 = "5d1f8f2e-0b4a-4a43-9d7e-3c1a2b3c4d5e"
VOL2 = "8a9b0c1d-2e3f-4a5b-8c7d-9e0f1a2b3c4d"
SRV1 = "0f6f2b5c-3b8e-4a6e-9d3c-7f1e2a4b5c6d"
SRV2 = "1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d"


def listing(count):
    return json_reply(200, {"backup_policies": [{"backup_policy_id": POLICY_ID, "backup_policy_name": "daily",
                                                 "policy_resource_count": count}]})


def evs_volume(volume_id, policy=None, name="data", tags=None):
    return {"id": volume_id, "name": name, "status": "in-use", "size": 10, "availability_zone": "eu-de-01",
            "attachments": [], "metadata": {"policy": policy} if policy else {}, "tags": tags or {}}


def volumes(*items, count=None):
    return json_reply(200, {"count": len(items) if count is None else count, "volumes": list(items)})


def window(count_before, listed, members, count_after=None):
    """The four answers of one reading: policies, the EVS count of the policy's metadata, the volumes, policies."""
    first = [evs_volume(VOL1, POLICY_ID)] if listed else []
    return [listing(count_before), volumes(*first, count=listed), volumes(*members),
            listing(count_before if count_after is None else count_after)]


def run(server, **options):
    args = dict(endpoint=server.url, auth_url=server.url + "/v3", region="eu-de", project_id=PROJECT_ID,
                access_key="HPUAEXAMPLEACCESSKEY", secret_key="exampleSecretKey0123456789abcdefghijklmn",
                timeout=5, retries=0)
    args.update(options)
    module_run = run_module(vbs_volume_info.main, args)
    assert module_run.crash is None, module_run.crash
    return module_run.result


def policies_of(result):
    return dict((item["id"], (item["backup_policy_known"], item.get("backup_policy_id"))) for item in result["volumes"])


def listings_of_policies(server):
    return [request for request in server.requests if request.path.endswith("/backuppolicy")]


# -- the proof window -------------------------------------------------------------------------

def test_a_count_that_changes_during_the_reads_is_read_again(server):
    # The metadata agrees with the count after, not with the count before: that proves nothing.
    server.add(*window(1, 2, [evs_volume(VOL1, POLICY_ID), evs_volume(VOL2, POLICY_ID)], count_after=2))
    server.add(*window(2, 2, [evs_volume(VOL1, POLICY_ID), evs_volume(VOL2, POLICY_ID)]))
    result = run(server, protection="protected")
    assert not result.get("failed"), result
    assert policies_of(result) == {VOL1: (True, POLICY_ID), VOL2: (True, POLICY_ID)}
    assert len(listings_of_policies(server)) == 4 and server.remaining == 0


def test_metadata_that_agrees_on_the_second_look_is_trusted(server):
    server.add(*window(2, 1, [evs_volume(VOL1, POLICY_ID), evs_volume(VOL2)]))
    server.add(*window(2, 2, [evs_volume(VOL1, POLICY_ID), evs_volume(VOL2, POLICY_ID)]))
    result = run(server)
    assert result["backup_policy_known"] is True
    assert policies_of(result) == {VOL1: (True, POLICY_ID), VOL2: (True, POLICY_ID)}
    assert server.remaining == 0


def test_metadata_that_disagrees_twice_is_not_trusted_and_unprotected_fails(server):
    server.add(*window(2, 1, [evs_volume(VOL1, POLICY_ID), evs_volume(VOL2)]))
    server.add(*window(2, 1, [evs_volume(VOL1, POLICY_ID), evs_volume(VOL2)]))
    result = run(server, protection="unprotected")
    assert result["failed"] is True
    assert result["msg"].startswith("protection: unprotected needs the backup policy of every volume found, and it "
                                    "is not known for 2 of them")
    assert "EVS lists 1 volume(s) whose metadata names policy daily (ID %s), VBS counts 2" % POLICY_ID in result["msg"]
    assert result["volumes"] == []
    assert server.remaining == 0


def test_no_volume_with_the_metadata_is_final_at_once(server):
    server.add(*window(3, 0, [evs_volume(VOL1), evs_volume(VOL2)]))
    result = run(server)
    assert not result.get("failed"), result
    assert result["backup_policy_known"] is False
    assert "EVS lists 0 volume(s)" in result["backup_policy_note"]
    assert policies_of(result) == {VOL1: (False, None), VOL2: (False, None)}
    assert all("backup_policy_id" not in item for item in result["volumes"])
    assert len(listings_of_policies(server)) == 2


def test_metadata_of_a_policy_that_does_not_exist_is_no_proof(server):
    stale = "9c0e4f1a-2b3c-4d5e-8f70-1a2b3c4d5e6f"
    server.add(*window(1, 1, [evs_volume(VOL1, POLICY_ID), evs_volume(VOL2, stale)]))
    result = run(server)
    assert policies_of(result) == {VOL1: (True, POLICY_ID), VOL2: (False, None)}
    assert result["backup_policy_known"] is False


def test_evs_refusing_the_count_warns_and_still_lists_the_volumes(server):
    server.add(listing(1), json_reply(403, {"error": {"code": "EVS.0003", "message": "Policy doesn't allow"}}),
               volumes(evs_volume(VOL1, POLICY_ID)))
    result = run(server)
    assert not result.get("failed"), result
    assert policies_of(result) == {VOL1: (False, None)}
    assert any("grant the credentials the permission evs:volumes:list" in text for text in warning_texts(result))


def test_a_project_without_policies_proves_every_volume_unprotected(server):
    server.add(json_reply(200, {"backup_policies": []}), volumes(evs_volume(VOL1), evs_volume(VOL2)),
               json_reply(200, {"backup_policies": []}))
    result = run(server, protection="unprotected")
    assert [item["id"] for item in result["volumes"]] == [VOL1, VOL2]
    assert all(item["backup_policy_id"] is None and item["backup_policy_name"] is None for item in result["volumes"])


# -- ECS answers ------------------------------------------------------------------------------

def servers_page(count, *servers):
    return json_reply(200, {"count": count, "servers": [{"id": server_id, "name": name} for server_id, name in servers]})


def test_server_pages_that_repeat_are_an_error_not_a_resolution(server):
    # An ECS that read offset as an item offset would answer overlapping pages.
    server.add(servers_page(3, (SRV1, "web-01"), (SRV2, "web-010")), servers_page(3, (SRV2, "web-010")))
    result = run(server, server_names=["web-01"])
    assert result["failed"] is True
    assert result["msg"] == ("ECS listed 2 of the 3 servers whose name matches web-01 (GET /v1/%s/cloudservers/detail): "
                             "its pages repeat or end early, so the servers of that name are not known" % PROJECT_ID)
    assert [dict(request.query_pairs)["offset"] for request in server.requests] == ["1", "2"]


def test_server_pages_are_numbered_and_only_exact_names_count(server):
    server.add(servers_page(3, (SRV1, "web-01"), (SRV2, "web-010")),
               servers_page(3, ("2a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d", "web.01")))
    server.add(json_reply(200, {"backup_policies": []}), volumes(), json_reply(200, {"backup_policies": []}))
    result = run(server, server_names=["web-01"])
    assert result["servers"] == [{"name": "web-01", "id": SRV1}]
    queries = [dict(request.query_pairs) for request in server.requests[:2]]
    assert queries == [{"name": "web-01", "limit": "1000", "offset": "1"},
                       {"name": "web-01", "limit": "1000", "offset": "2"}]
    assert dict(server.requests[3].query_pairs)["server_id"] == SRV1


# -- EVS answers ------------------------------------------------------------------------------

def test_the_tag_query_pages_by_offset_until_total_count(server):
    many = [{"resource_id": "00000000-0000-4000-8000-%012d" % number,
             "resource_detail": evs_volume("00000000-0000-4000-8000-%012d" % number, tags={"backup": "daily"})}
            for number in range(1002)]
    pages = [many[start:start + PAGE_LIMIT] for start in range(0, len(many), PAGE_LIMIT)]
    server.add(json_reply(200, {"backup_policies": []}),
               *[json_reply(200, {"total_count": 1002, "resources": page}) for page in pages])
    server.add(json_reply(200, {"backup_policies": []}))
    result = run(server, tags={"backup": "daily"})
    assert len(result["volumes"]) == 1002
    bodies = [request.json() for request in server.requests if request.method == "POST"]
    assert [(body["offset"], body["limit"]) for body in bodies] == [
        (start, PAGE_LIMIT) for start in range(0, 1002, PAGE_LIMIT)]
    assert bodies[0]["tags"] == [{"key": "backup", "values": ["daily"]}] and bodies[0]["action"] == "filter"


def test_a_tag_query_that_ignores_the_tags_returns_only_what_matches(server):
    resources = [{"resource_detail": evs_volume(VOL1, tags={"backup": "daily"})},
                 {"resource_detail": evs_volume(VOL2, tags={"backup": "weekly"})}]
    server.add(json_reply(200, {"backup_policies": []}), json_reply(200, {"total_count": 2, "resources": resources}),
               json_reply(200, {"backup_policies": []}))
    result = run(server, tags={"backup": "daily"})
    assert [item["id"] for item in result["volumes"]] == [VOL1]


@pytest.mark.parametrize("answer, words", [
    ({"total_count": 1, "resources": [{"resource_detail": {"id": "../x"}}]}, "a volume without a volume ID"),
    ({"total_count": 0, "resources": [{"resource_detail": evs_volume(VOL1)}]}, "total_count is not the number"),
    ({"resources": "all"}, "resources is not a list"),
])
def test_a_bad_tag_query_answer_fails_with_what_was_wrong(server, answer, words):
    server.add(json_reply(200, {"backup_policies": []}), json_reply(200, answer))
    result = run(server, tags={"backup": "daily"})
    assert result["failed"] is True
    assert words in result["msg"] and "EVS answered POST" in result["msg"]


@pytest.mark.parametrize("cloud, path", [
    (None, "/v2/%s/cloudvolumes/resource_instances/action"),
    ("otc.t-systems.com", "/v2/%s/os-vendor-volumes/resource_instances/action"),
    ("sc.otc.t-systems.com", "/v2/%s/os-vendor-volumes/resource_instances/action"),
])
def test_the_tag_query_path_follows_the_cloud(server, cloud, path):
    server.add(json_reply(200, {"backup_policies": []}), json_reply(200, {"total_count": 0, "resources": []}),
               json_reply(200, {"backup_policies": []}))
    options = {"tags": {"backup": "daily"}}
    if cloud:
        options["cloud"] = cloud
    run(server, **options)
    assert [request.path for request in server.requests if request.method == "POST"] == [path % PROJECT_ID]


# -- before any request --------------------------------------------------------------------------

def test_an_empty_list_reads_nothing(server):
    result = run(server, server_names=[], protection="unprotected")
    assert result["volumes"] == [] and not result.get("failed")
    assert server.requests == []


@pytest.mark.parametrize("options, missing", [
    ({}, "evs_endpoint (HW_EVS_ENDPOINT)"),
    ({"server_names": ["web-01"], "evs_endpoint": "https://evs.example.com"}, "ecs_endpoint (HW_ECS_ENDPOINT)"),
])
def test_no_endpoint_for_a_service_fails_before_any_request(server, options, missing):
    result = run(server, endpoint="https://backup-proxy.example.com", **options)
    assert result["failed"] is True
    assert result["msg"].endswith("set %s" % missing), result["msg"]
    assert server.requests == []


def test_bad_tags_fail_before_any_request(server):
    result = run(server, tags={"backup": True})
    assert result["failed"] is True and "quote it in YAML" in result["msg"]
    assert server.requests == []
