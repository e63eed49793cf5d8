# -*- coding: utf-8 -*-
# Copyright: (c) 2026, huaweicloud.vbs contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""Backup policies: list (and its pages), create, modify, delete, run now, tasks, tags."""

import time

from emulator_testlib import FREE, IN_A, IN_B, POLICY_A, POLICY_B, POLICY_BUSY, SCHEDULE, build_seed
from support.emulator import DEFAULT_CONFIG
from support.emulator import EmulatorProcess

DEFAULT_BEHAVIOUR = {name: DEFAULT_CONFIG[name] for name in (
    "max_frequency", "max_retention_num", "unique_policy_names", "delete_policy_with_volumes",
    "modify_requires_interval", "exclusive_keys", "tag_create_existing")}

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


def _details(emulator, policy_id):
    status, data = emulator.call("GET", "/_emulator/policies/%s" % policy_id)
    assert status == 200, data
    return data["policy"]


def test_create_answers_the_id_and_lists_the_new_policy(api, emulator):
    answer = api.with_token("POST", "/backuppolicy", {"backup_policy_name": "nightly", "scheduled_policy": NEW_SCHEDULE,
                                                      "tags": [{"key": "env", "value": "test"}],
                                                      "time_zone": "UTC+08:00"})
    assert answer.status == 200, answer
    assert set(answer.data) == {"backup_policy_id"}  # as the reference's example answer
    policy_id = answer.data["backup_policy_id"]
    item = _by_id(api)[policy_id]
    assert item["backup_policy_name"] == "nightly"
    assert item["scheduled_policy"] == NEW_SCHEDULE
    assert item["policy_resource_count"] == 0
    assert item["time_zone"] == "UTC+08:00"
    assert [policy["id"] for policy in emulator.policies()][-1] == policy_id
    assert api.with_token("GET", "/backuppolicy/%s/tags" % policy_id).data == {"tags": [{"key": "env", "value": "test"}]}
    assert _details(emulator, policy_id)["tags"] == {"env": "test"}


def test_create_without_remain_first_backup_keeps_none(api):
    schedule = dict(SCHEDULE)
    del schedule["remain_first_backup_of_curMonth"]  # "Mandatory: No" in the reference
    answer = api.with_token("POST", "/backuppolicy", {"backup_policy_name": "lean", "scheduled_policy": schedule})
    assert answer.status == 200, answer
    assert _by_id(api)[answer.data["backup_policy_id"]]["scheduled_policy"]["remain_first_backup_of_curMonth"] == "N"


# Each bad body, and the code the reference's error-code appendix gives for it.
BAD_BODIES = [
    ({"backup_policy_name": "", "scheduled_policy": SCHEDULE}, "AutoBackup.0101"),
    ({"backup_policy_name": "x" * 65, "scheduled_policy": SCHEDULE}, "AutoBackup.0101"),
    ({"backup_policy_name": "has space", "scheduled_policy": SCHEDULE}, "AutoBackup.0102"),
    ({"backup_policy_name": "default-x", "scheduled_policy": SCHEDULE}, "AutoBackup.0102"),
    ({"backup_policy_name": "ok"}, "AutoBackup.0001"),
    ({"backup_policy_name": "ok", "scheduled_policy": dict(SCHEDULE, start_time="12:30")}, "AutoBackup.0103"),
    ({"backup_policy_name": "ok", "scheduled_policy": dict(SCHEDULE, start_time="25:00")}, "AutoBackup.0103"),
    ({"backup_policy_name": "ok", "scheduled_policy": dict(SCHEDULE, start_time="02:00,02:00")}, "AutoBackup.0103"),
    ({"backup_policy_name": "ok", "scheduled_policy": dict(SCHEDULE, status="on")}, "AutoBackup.0104"),
    ({"backup_policy_name": "ok", "scheduled_policy": dict(SCHEDULE, remain_first_backup_of_curMonth="yes")},
     "AutoBackup.0105"),
    ({"backup_policy_name": "ok", "scheduled_policy": dict(SCHEDULE, frequency=31)}, "AutoBackup.0106"),
    ({"backup_policy_name": "ok", "scheduled_policy": dict(SCHEDULE, frequency=0)}, "AutoBackup.0106"),
    ({"backup_policy_name": "ok", "scheduled_policy": {"start_time": "02:00", "rentention_num": 7, "status": "ON"}},
     "AutoBackup.0106"),
    ({"backup_policy_name": "ok", "scheduled_policy": {"start_time": "02:00", "week_frequency": ["MON", "XYZ"],
                                                       "rentention_num": 7, "status": "ON"}}, "AutoBackup.0106"),
    ({"backup_policy_name": "ok", "scheduled_policy": dict(SCHEDULE, rentention_num=1)}, "AutoBackup.0107"),
    ({"backup_policy_name": "ok", "scheduled_policy": dict(SCHEDULE, rentention_num=100)}, "AutoBackup.0107"),
    ({"backup_policy_name": "ok", "scheduled_policy": {"start_time": "02:00", "frequency": 1, "status": "ON",
                                                       "rentention_day": 100000}}, "AutoBackup.0107"),
    ({"backup_policy_name": "ok", "scheduled_policy": SCHEDULE, "tags": [{"key": "k%d" % n} for n in range(11)]},
     "AutoBackup.0215"),
    ({"backup_policy_name": "ok", "scheduled_policy": SCHEDULE, "tags": [{"key": "a.b", "value": "v"}]},
     "AutoBackup.0214"),
    ({"backup_policy_name": "ok", "scheduled_policy": SCHEDULE, "tags": [{"key": "k", "value": "x" * 44}]},
     "AutoBackup.0214"),
]


def test_create_refuses_each_invalid_field_with_its_documented_code(api):
    for body, code in BAD_BODIES:
        answer = api.with_token("POST", "/backuppolicy", body)
        assert answer.status == 400, body
        assert answer.data["error"]["code"] == code, (body, answer.data)
        assert answer.data["error"]["message"], body
    assert len(_policies(api)) == 3
    assert api.with_token("POST", "/backuppolicy", b"nope").data["error"]["code"] == "AutoBackup.0008"


def test_create_with_both_keys_of_a_pair_keeps_the_one_that_prevails(api):
    schedule = dict(SCHEDULE, week_frequency=["MON"], rentention_day=30)
    answer = api.with_token("POST", "/backuppolicy", {"backup_policy_name": "both", "scheduled_policy": schedule})
    assert answer.status == 200, answer
    # "If you set both, this parameter is used": frequency and rentention_num.
    assert _by_id(api)[answer.data["backup_policy_id"]]["scheduled_policy"] == SCHEDULE


def test_schedule_ranges_follow_the_configured_reference_version(api, emulator):
    wide = dict(SCHEDULE, frequency=30, rentention_num=99)
    assert api.with_token("POST", "/backuppolicy", {"backup_policy_name": "wide", "scheduled_policy": wide}).status == 200
    emulator.configure(max_frequency=14, max_retention_num=14)
    for schedule, code in ((dict(SCHEDULE, frequency=15), "AutoBackup.0106"),
                           (dict(SCHEDULE, rentention_num=15), "AutoBackup.0107")):
        answer = api.with_token("POST", "/backuppolicy", {"backup_policy_name": "narrow", "scheduled_policy": schedule})
        assert answer.status == 400 and answer.data["error"]["code"] == code, answer
    narrow = dict(SCHEDULE, frequency=14, rentention_num=14)
    assert api.with_token("POST", "/backuppolicy", {"backup_policy_name": "narrow", "scheduled_policy": narrow}).status == 200


def test_duplicate_names_are_allowed_unless_configured_unique(api, emulator):
    answer = api.with_token("POST", "/backuppolicy", {"backup_policy_name": "policy-a", "scheduled_policy": SCHEDULE})
    assert answer.status == 200
    assert sorted(item["backup_policy_name"] for item in _policies(api)).count("policy-a") == 2
    emulator.configure(unique_policy_names=True)
    answer = api.with_token("POST", "/backuppolicy", {"backup_policy_name": "policy-b", "scheduled_policy": SCHEDULE})
    assert answer.status == 400
    assert answer.data["error"]["code"] == "AutoBackup.0202"
    rename = api.with_token("PUT", "/backuppolicy/%s" % POLICY_B, {"backup_policy_name": "policy-busy"})
    assert rename.status == 400 and rename.data["error"]["code"] == "AutoBackup.0202"


def test_tenant_policy_limit(api, emulator):
    seed = build_seed()
    seed["limits"]["policies_per_tenant"] = 4
    emulator.reset(seed)
    assert api.with_token("POST", "/backuppolicy", {"backup_policy_name": "fourth", "scheduled_policy": SCHEDULE}).status == 200
    answer = api.with_token("POST", "/backuppolicy", {"backup_policy_name": "fifth", "scheduled_policy": SCHEDULE})
    assert answer.status == 400
    assert answer.data["error"]["code"] == "AutoBackup.0203"
    assert len(emulator.policies()) == 4


def test_modify_name_and_status_answers_the_id(api):
    answer = api.with_token("PUT", "/backuppolicy/%s" % POLICY_A,
                            {"backup_policy_name": "renamed", "scheduled_policy": {"status": "OFF", "frequency": 1}})
    assert answer.status == 200, answer
    assert answer.data == {"backup_policy_id": POLICY_A}
    item = _by_id(api)[POLICY_A]
    assert item["backup_policy_name"] == "renamed"
    assert item["scheduled_policy"] == dict(SCHEDULE, status="OFF")
    assert item["policy_resource_count"] == 1


def test_modify_must_carry_the_interval_unless_configured_otherwise(api, emulator):
    answer = api.with_token("PUT", "/backuppolicy/%s" % POLICY_A, {"scheduled_policy": {"status": "OFF"}})
    assert answer.status == 400
    assert answer.data["error"]["code"] == "AutoBackup.0106"
    assert _by_id(api)[POLICY_A]["scheduled_policy"]["status"] == "ON"
    emulator.configure(modify_requires_interval=False)
    assert api.with_token("PUT", "/backuppolicy/%s" % POLICY_A, {"scheduled_policy": {"status": "OFF"}}).status == 200
    assert _by_id(api)[POLICY_A]["scheduled_policy"]["status"] == "OFF"
    # A name alone needs no schedule.
    assert api.with_token("PUT", "/backuppolicy/%s" % POLICY_A, {"backup_policy_name": "only-name"}).status == 200


def test_modify_switches_frequency_to_week_frequency(api):
    answer = api.with_token("PUT", "/backuppolicy/%s" % POLICY_A,
                            {"scheduled_policy": {"week_frequency": ["SUN"], "rentention_day": 30}})
    assert answer.status == 200, answer
    schedule = _by_id(api)[POLICY_A]["scheduled_policy"]
    assert schedule["week_frequency"] == ["SUN"]
    assert schedule["rentention_day"] == 30
    assert "frequency" not in schedule and "rentention_num" not in schedule


def test_modify_can_keep_both_keys_of_a_pair(api, emulator):
    emulator.configure(exclusive_keys="keep")
    answer = api.with_token("PUT", "/backuppolicy/%s" % POLICY_A,
                            {"scheduled_policy": {"week_frequency": ["SUN"], "rentention_day": 30}})
    assert answer.status == 200, answer
    schedule = _by_id(api)[POLICY_A]["scheduled_policy"]
    assert schedule["frequency"] == 1 and schedule["week_frequency"] == ["SUN"]
    assert schedule["rentention_num"] == 7 and schedule["rentention_day"] == 30


def test_modify_refuses_bad_values_and_unknown_policies(api):
    answer = api.with_token("PUT", "/backuppolicy/%s" % POLICY_A, {"scheduled_policy": {"status": "MAYBE", "frequency": 1}})
    assert answer.status == 400
    assert answer.data["error"]["code"] == "AutoBackup.0104"
    answer = api.with_token("PUT", "/backuppolicy/%s" % POLICY_A, {"scheduled_policy": {"frequency": 31}})
    assert answer.data["error"]["code"] == "AutoBackup.0106"
    answer = api.with_token("PUT", "/backuppolicy/%s" % POLICY_A, {"time_zone": "CET"})
    assert answer.status == 400
    assert api.with_token("PUT", "/backuppolicy/%s" % POLICY_A, {}).data["error"]["code"] == "AutoBackup.0001"
    assert _by_id(api)[POLICY_A]["scheduled_policy"] == SCHEDULE
    answer = api.with_token("PUT", "/backuppolicy/nope", {"scheduled_policy": {"status": "OFF", "frequency": 1}})
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


def test_delete_can_refuse_a_policy_that_holds_volumes(api, emulator):
    emulator.configure(delete_policy_with_volumes="refuse")
    answer = api.with_token("DELETE", "/backuppolicy/%s" % POLICY_A)
    assert answer.status == 400
    assert answer.data["error"]["code"] == "AutoBackup.1300"
    assert emulator.members(POLICY_A) == [IN_A]
    assert api.with_token("DELETE", "/backuppolicy/%s" % POLICY_BUSY).status == 204  # it holds none


def test_policy_behaviour_settings_are_checked(emulator):
    before = emulator.config()
    for bad in ({"exclusive_keys": "maybe"}, {"unique_policy_names": "yes"}, {"max_frequency": 0},
                {"max_retention_num": 1}, {"delete_policy_with_volumes": "cascade"}, {"tag_create_existing": None},
                {"modify_requires_interval": 1}):
        status, data = emulator.call("POST", "/_emulator/config", bad)
        assert status == 400, bad
        assert list(bad)[0] in data["error"]["message"]
    assert emulator.config() == before


def test_policy_behaviour_defaults_follow_the_huawei_cloud_reference():
    with EmulatorProcess() as process:
        config = process.config()
    assert {name: config[name] for name in DEFAULT_BEHAVIOUR} == {
        "max_frequency": 30, "max_retention_num": 99, "unique_policy_names": False,
        "delete_policy_with_volumes": "free", "modify_requires_interval": True, "exclusive_keys": "replace",
        "tag_create_existing": "overwrite"}


def test_policy_behaviour_flags_set_the_starting_values():
    flags = ["--max-frequency", "14", "--max-retention-num", "14", "--unique-policy-names",
             "--delete-policy-with-volumes", "refuse", "--modify-without-interval", "--exclusive-keys", "keep",
             "--tag-create-existing", "refuse"]
    with EmulatorProcess(args=flags) as process:
        config = process.config()
    assert {name: config[name] for name in DEFAULT_BEHAVIOUR} == {
        "max_frequency": 14, "max_retention_num": 14, "unique_policy_names": True,
        "delete_policy_with_volumes": "refuse", "modify_requires_interval": False, "exclusive_keys": "keep",
        "tag_create_existing": "refuse"}


def test_inspection_shows_one_policy_whole(emulator):
    details = _details(emulator, POLICY_B)
    assert details == {"id": POLICY_B, "name": "policy-b", "scheduled_policy": dict(SCHEDULE, status="OFF"),
                       "time_zone": "UTC+01:00", "tags": {}, "members": [IN_B], "executing": False}
    assert emulator.call("GET", "/_emulator/policies/nope")[0] == 404


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


def test_run_now_starts_one_task_per_member_that_ends_after_the_job_duration(api, emulator):
    emulator.configure(job_duration_ms=300)
    api.with_token("POST", "/backuppolicyresources", {
        "backup_policy_id": POLICY_A, "resources": [{"resource_id": FREE[0], "resource_type": "volume"}]})
    assert api.with_token("GET", "/backuppolicy/%s/backuptasks" % POLICY_A).data == {"count": 0, "tasks": []}
    answer = api.with_token("POST", "/backuppolicy/%s/action" % POLICY_A)
    assert answer.status == 204 and answer.raw == b""
    tasks = api.with_token("GET", "/backuppolicy/%s/backuptasks" % POLICY_A).data
    assert tasks["count"] == 2
    assert sorted(task["resource_id"] for task in tasks["tasks"]) == sorted([IN_A, FREE[0]])
    # The reference's task: finished_at is missing while it runs.
    assert all(task["status"] == "RUNNING" and "finished_at" not in task for task in tasks["tasks"])
    assert api.with_token("POST", "/backuppolicy/%s/action" % POLICY_A).data["error"]["code"] == "AutoBackup.0225"
    time.sleep(0.4)
    tasks = api.with_token("GET", "/backuppolicy/%s/backuptasks" % POLICY_A).data
    assert all(task["status"] == "EXECUTE_SUCCESS" and task["finished_at"] >= task["created_at"]
               for task in tasks["tasks"])
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
    missing = api.with_token("DELETE", path + "/env")
    assert missing.status == 404 and missing.data["error"]["code"] == "AutoBackup.0216"
    batch = {"action": "create", "tags": [{"key": "k%d" % number, "value": "v"} for number in range(10)]}
    assert api.with_token("POST", path + "/action", batch).status == 204
    answer = api.with_token("POST", path, {"tag": {"key": "eleventh", "value": "v"}})
    assert answer.status == 400 and answer.data["error"]["code"] == "AutoBackup.0215"
    assert len(api.with_token("GET", path).data["tags"]) == 10
    assert api.with_token("POST", path + "/action", {"action": "delete", "tags": [{"key": "k0"}]}).status == 204
    assert len(api.with_token("GET", path).data["tags"]) == 9


def test_tag_actions_update_and_unknown(api):
    path = "/backuppolicy/%s/tags" % POLICY_A
    assert api.with_token("POST", path + "/action", {"action": "create", "tags": [{"key": "env", "value": "a"}]}).status == 204
    assert api.with_token("POST", path + "/action", {"action": "update", "tags": [{"key": "env", "value": "b"},
                                                                                  {"key": "new", "value": ""}]}).status == 204
    assert api.with_token("GET", path).data == {"tags": [{"key": "env", "value": "b"}, {"key": "new", "value": ""}]}
    answer = api.with_token("POST", path + "/action", {"action": "replace", "tags": []})
    assert answer.status == 400 and answer.data["error"]["code"] == "AutoBackup.0222"
    # A delete names a tag by key, with the delete action's longer limits.
    assert api.with_token("POST", path + "/action", {"action": "delete", "tags": [{"key": "k" * 127}]}).status == 204
    assert api.with_token("POST", path + "/action", {"action": "delete", "tags": [{"key": "k" * 128}]}).status == 400
    unknown = api.with_token("POST", "/backuppolicy/nope/tags/action", {"action": "create", "tags": []})
    assert unknown.status == 404


def test_tag_create_on_an_existing_key_follows_the_setting(api, emulator):
    path = "/backuppolicy/%s/tags" % POLICY_A
    create = {"action": "create", "tags": [{"key": "env", "value": "second"}]}
    assert api.with_token("POST", path + "/action", {"action": "create", "tags": [{"key": "env", "value": "first"}]}).status == 204
    emulator.configure(tag_create_existing="keep")
    assert api.with_token("POST", path + "/action", create).status == 204
    assert api.with_token("GET", path).data["tags"] == [{"key": "env", "value": "first"}]
    emulator.configure(tag_create_existing="refuse")
    answer = api.with_token("POST", path + "/action", create)
    assert answer.status == 400 and answer.data["error"]["code"] == "AutoBackup.0214"
    assert api.with_token("GET", path).data["tags"] == [{"key": "env", "value": "first"}]
    emulator.configure(tag_create_existing="overwrite")
    assert api.with_token("POST", path + "/action", create).status == 204
    assert api.with_token("GET", path).data["tags"] == [{"key": "env", "value": "second"}]


def test_unknown_api_is_404_from_the_gateway(api):
    for method, path in (("GET", "/backuppolicy/%s" % POLICY_A), ("PATCH", "/backuppolicy"), ("GET", "/volumes")):
        answer = api.with_token(method, path)
        assert answer.status == 404, (method, path)
        assert answer.data["error_code"] == "APIGW.0101"
