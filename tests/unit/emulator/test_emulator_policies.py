# -*- coding: utf-8 -*-
# Copyright: (c) 2026, huaweicloud.vbs contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""Backup policies: list (and its pages), create, modify, delete, run now, tasks, tags."""

from emulator_testlib import FREE, IN_A, IN_B, POLICY_A, POLICY_B, POLICY_BUSY, SCHEDULE, build_seed

NEW_SCHEDULE = {"start_time": "01:00,13:00", "week_frequency": ["MON", "FRI"], "rentention_day": 14,
                "remain_first_backup_of_curMonth": "Y", "status": "ON"}


def _policies(api):
    return api.with_token("GET", "/backuppolicy").data["backup_policies"]


def _by_id(api):
    return {item["backup_policy_id"]: item for item in _policies(api)}


def test_list_items_have_the_documented_fields(api):
    items = _by_id(api)
    assert items[POLICY_A] == {"backup_policy_id": POLICY_A, "backup_policy_name": "policy-a",
                               "scheduled_policy": SCHEDULE, "policy_resource_count": 1}
    assert items[POLICY_B]["time_zone"] == "UTC+01:00"
    assert items[POLICY_B]["scheduled_policy"]["status"] == "OFF"
    assert "backup_policies_links" not in api.with_token("GET", "/backuppolicy").data


def test_create_lists_the_new_policy(api, emulator):
    answer = api.with_token("POST", "/backuppolicy", {"backup_policy_name": "nightly", "scheduled_policy": NEW_SCHEDULE,
                                                      "tags": [{"key": "env", "value": "test"}]})
    assert answer.status == 200, answer
    policy_id = answer.data["backup_policy_id"]
    item = _by_id(api)[policy_id]
    assert item["backup_policy_name"] == "nightly"
    assert item["scheduled_policy"] == NEW_SCHEDULE
    assert item["policy_resource_count"] == 0
    assert "time_zone" not in item
    assert [policy["id"] for policy in emulator.policies()][-1] == policy_id
    assert api.with_token("GET", "/backuppolicy/%s/tags" % policy_id).data == {"tags": [{"key": "env", "value": "test"}]}


def test_create_validates_the_body(api):
    bad_bodies = [
        {"backup_policy_name": "has space", "scheduled_policy": SCHEDULE},
        {"backup_policy_name": "default-x", "scheduled_policy": SCHEDULE},
        {"backup_policy_name": "x" * 65, "scheduled_policy": SCHEDULE},
        {"backup_policy_name": "ok"},
        {"backup_policy_name": "ok", "scheduled_policy": dict(SCHEDULE, start_time="12:30")},
        {"backup_policy_name": "ok", "scheduled_policy": dict(SCHEDULE, frequency=15)},
        {"backup_policy_name": "ok", "scheduled_policy": dict(SCHEDULE, week_frequency=["MON"])},
        {"backup_policy_name": "ok", "scheduled_policy": dict(SCHEDULE, rentention_num=1)},
        {"backup_policy_name": "ok", "scheduled_policy": dict(SCHEDULE, status="on")},
        {"backup_policy_name": "ok", "scheduled_policy": SCHEDULE, "tags": [{"key": "k%d" % n} for n in range(11)]},
    ]
    for body in bad_bodies:
        answer = api.with_token("POST", "/backuppolicy", body)
        assert answer.status == 400, body
        assert answer.data["error"]["code"].startswith("AutoBackup."), body
        assert answer.data["error"]["message"], body
    assert len(_policies(api)) == 3
    assert api.with_token("POST", "/backuppolicy", b"nope").data["error"]["code"] == "AutoBackup.0008"


def test_create_refuses_a_duplicate_name(api):
    answer = api.with_token("POST", "/backuppolicy", {"backup_policy_name": "policy-a", "scheduled_policy": SCHEDULE})
    assert answer.status == 400
    assert answer.data["error"]["code"] == "AutoBackup.0202"


def test_tenant_policy_limit(api, emulator):
    seed = build_seed()
    seed["limits"]["policies_per_tenant"] = 4
    emulator.reset(seed)
    assert api.with_token("POST", "/backuppolicy", {"backup_policy_name": "fourth", "scheduled_policy": SCHEDULE}).status == 200
    answer = api.with_token("POST", "/backuppolicy", {"backup_policy_name": "fifth", "scheduled_policy": SCHEDULE})
    assert answer.status == 400
    assert answer.data["error"]["code"] == "AutoBackup.0201"
    assert len(emulator.policies()) == 4


def test_modify_name_and_status(api):
    answer = api.with_token("PUT", "/backuppolicy/%s" % POLICY_A,
                            {"backup_policy_name": "renamed", "scheduled_policy": {"status": "OFF"}})
    assert answer.status == 200, answer
    assert answer.data["backup_policy_name"] == "renamed"
    item = _by_id(api)[POLICY_A]
    assert item["backup_policy_name"] == "renamed"
    assert item["scheduled_policy"] == dict(SCHEDULE, status="OFF")
    assert item["policy_resource_count"] == 1


def test_modify_switches_frequency_to_week_frequency(api):
    answer = api.with_token("PUT", "/backuppolicy/%s" % POLICY_A,
                            {"scheduled_policy": {"week_frequency": ["SUN"], "rentention_day": 30}})
    assert answer.status == 200, answer
    schedule = _by_id(api)[POLICY_A]["scheduled_policy"]
    assert schedule["week_frequency"] == ["SUN"]
    assert schedule["rentention_day"] == 30
    assert "frequency" not in schedule and "rentention_num" not in schedule


def test_modify_refuses_bad_values_and_unknown_policies(api):
    answer = api.with_token("PUT", "/backuppolicy/%s" % POLICY_A, {"scheduled_policy": {"status": "MAYBE"}})
    assert answer.status == 400
    assert _by_id(api)[POLICY_A]["scheduled_policy"] == SCHEDULE
    answer = api.with_token("PUT", "/backuppolicy/nope", {"scheduled_policy": {"status": "OFF"}})
    assert answer.status == 404
    assert answer.data["error"]["code"] == "AutoBackup.0205"


def test_delete_frees_the_volumes(api, emulator):
    answer = api.with_token("DELETE", "/backuppolicy/%s" % POLICY_A)
    assert answer.status == 204
    assert answer.raw == b""
    assert POLICY_A not in _by_id(api)
    volumes = {volume["id"]: volume["policy_id"] for volume in emulator.volumes()}
    assert volumes[IN_A] is None
    associate = api.with_token("POST", "/backuppolicyresources", {
        "backup_policy_id": POLICY_B, "resources": [{"resource_id": IN_A, "resource_type": "volume"}]})
    assert associate.data["fail_resources"] == []
    assert emulator.members(POLICY_B) == sorted([IN_A, IN_B])
    assert api.with_token("DELETE", "/backuppolicy/%s" % POLICY_A).status == 404


def _create(api, count):
    for number in range(count):
        answer = api.with_token("POST", "/backuppolicy", {"backup_policy_name": "extra-%d" % number,
                                                          "scheduled_policy": SCHEDULE})
        assert answer.status == 200


def _all_pages(api, first_url):
    url, pages = first_url, []
    while url:
        answer = api.send("GET", url, {"X-Auth-Token": api.token()})
        assert answer.status == 200, answer
        pages.append([item["backup_policy_id"] for item in answer.data["backup_policies"]])
        links = answer.data.get("backup_policies_links") or []
        url = links[0]["href"] if links else None
        if links:
            assert links[0]["rel"] == "next"
            assert links[0]["href"].startswith(api.base + api.vbs_path("/backuppolicy?"))
        assert len(pages) < 20
    return pages


def test_page_size_pages_the_list_with_next_links(api, emulator):
    _create(api, 4)
    every = [policy["id"] for policy in emulator.policies()]
    emulator.configure(page_size=3)
    pages = _all_pages(api, api.base + api.vbs_path("/backuppolicy"))
    assert [len(page) for page in pages] == [3, 3, 1]
    assert [policy_id for page in pages for policy_id in page] == every


def test_client_limit_and_marker(api, emulator):
    every = [policy["id"] for policy in emulator.policies()]
    pages = _all_pages(api, api.base + api.vbs_path("/backuppolicy?limit=1"))
    assert pages == [[policy_id] for policy_id in every]
    answer = api.with_token("GET", "/backuppolicy?limit=5&marker=%s" % every[0])
    assert [item["backup_policy_id"] for item in answer.data["backup_policies"]] == every[1:]
    assert "backup_policies_links" not in answer.data
    assert api.with_token("GET", "/backuppolicy?limit=0").status == 400
    assert api.with_token("GET", "/backuppolicy?marker=unknown").status == 400


def test_marker_of_a_deleted_policy_still_continues(api, emulator):
    every = [policy["id"] for policy in emulator.policies()]
    first = api.with_token("GET", "/backuppolicy?limit=1").data
    assert api.with_token("DELETE", "/backuppolicy/%s" % every[0]).status == 204
    answer = api.send("GET", first["backup_policies_links"][0]["href"], {"X-Auth-Token": api.token()})
    assert [item["backup_policy_id"] for item in answer.data["backup_policies"]] == [every[1]]


def test_run_now_records_one_task_per_member(api):
    api.with_token("POST", "/backuppolicyresources", {
        "backup_policy_id": POLICY_A, "resources": [{"resource_id": FREE[0], "resource_type": "volume"}]})
    assert api.with_token("GET", "/backuppolicy/%s/backuptasks" % POLICY_A).data == {"count": 0, "tasks": []}
    answer = api.with_token("POST", "/backuppolicy/%s/action" % POLICY_A)
    assert answer.status == 204
    tasks = api.with_token("GET", "/backuppolicy/%s/backuptasks" % POLICY_A).data
    assert tasks["count"] == 2
    assert sorted(task["resource_id"] for task in tasks["tasks"]) == sorted([IN_A, FREE[0]])
    assert all(task["status"] == "EXEC_SUCCESS" for task in tasks["tasks"])
    limited = api.with_token("GET", "/backuppolicy/%s/backuptasks?limit=1&offset=1" % POLICY_A).data
    assert limited["count"] == 2 and len(limited["tasks"]) == 1
    assert api.with_token("POST", "/backuppolicy/nope/action").status == 404
    assert api.with_token("POST", "/backuppolicy/%s/action" % POLICY_BUSY).data["error"]["code"] == "AutoBackup.0225"


def test_tags_add_list_delete_and_limit(api):
    path = "/backuppolicy/%s/tags" % POLICY_A
    assert api.with_token("GET", path).data == {"tags": []}
    assert api.with_token("POST", path, {"tag": {"key": "env", "value": "prod"}}).status == 204
    assert api.with_token("POST", path, {"tag": {"key": "env", "value": "test"}}).status == 204
    assert api.with_token("GET", path).data == {"tags": [{"key": "env", "value": "test"}]}
    assert api.with_token("GET", "/backuppolicy/tags").data == {"tags": [{"key": "env", "values": ["test"]}]}
    assert api.with_token("DELETE", path + "/env").status == 204
    assert api.with_token("DELETE", path + "/env").status == 404
    batch = {"action": "create", "tags": [{"key": "k%d" % number, "value": "v"} for number in range(10)]}
    assert api.with_token("POST", path + "/action", batch).status == 204
    answer = api.with_token("POST", path, {"tag": {"key": "eleventh", "value": "v"}})
    assert answer.status == 400
    assert len(api.with_token("GET", path).data["tags"]) == 10
    assert api.with_token("POST", path + "/action", {"action": "delete", "tags": [{"key": "k0"}]}).status == 204
    assert len(api.with_token("GET", path).data["tags"]) == 9


def test_unknown_api_is_404_from_the_gateway(api):
    for method, path in (("GET", "/backuppolicy/%s" % POLICY_A), ("PATCH", "/backuppolicy"), ("GET", "/volumes")):
        answer = api.with_token(method, path)
        assert answer.status == 404, (method, path)
        assert answer.data["error_code"] == "APIGW.0101"
