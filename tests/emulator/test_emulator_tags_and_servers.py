# -*- coding: utf-8 -*-
# Copyright: (c) 2026, huaweicloud.vbs contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""EVS's query of volumes by tag and ECS's list of servers by name, as the API references describe them.

The tag query: AND across keys, OR across the values of a key, an empty list of values for "has the key",
``offset``/``limit`` paging with ``total_count``, on Huawei Cloud's path and on Open Telekom Cloud's.
The server list: ``name`` matches a part of the name with "." as any character, and ``offset`` is a page
number starting at 1.
"""

import pytest

from emulator_testlib import PROJECT_ID, build_seed

SERVERS = [("aaaaaaaa-0000-4000-8000-%012d" % number, name) for number, name in enumerate(
    ["web-01", "web-010", "webX01", "web-02", "db.01", "dbX01", "app"], start=1)]
HUAWEI_PATH = "/cloudvolumes/resource_instances/action"
OTC_PATH = "/os-vendor-volumes/resource_instances/action"


def tagged_seed():
    """The test seed with servers, and tags on its free volumes."""
    seed = build_seed()
    seed["servers"] = [{"id": server_id, "name": name} for server_id, name in SERVERS]
    tags = [{"backup": "daily", "app": "shop"}, {"backup": "weekly", "app": "shop"}, {"backup": "daily"},
            {"backup": ""}, {"app": "shop"}, {}]
    free = [volume for volume in seed["volumes"] if volume["id"].startswith("vol-free-")]
    for volume, volume_tags in zip(free, tags):
        volume["tags"] = volume_tags
    return seed


@pytest.fixture
def tagged(emulator):
    emulator.reset(tagged_seed())
    return emulator


def by_tags(api, tags, path=HUAWEI_PATH, **fields):
    body = dict({"action": "filter", "tags": tags}, **fields)
    return api.with_token("POST", path, body)


def ids(answer):
    return sorted(resource["resource_id"] for resource in answer.data["resources"])


@pytest.mark.parametrize("path", [HUAWEI_PATH, OTC_PATH])
def test_tags_combine_with_and_across_keys_and_or_across_values(api, tagged, path):
    answer = by_tags(api, [{"key": "backup", "values": ["daily", "weekly"]}, {"key": "app", "values": ["shop"]}],
                     path)
    assert answer.status == 200, answer
    assert ids(answer) == ["vol-free-1", "vol-free-2"]
    assert answer.data["total_count"] == 2
    resource = answer.data["resources"][0]
    assert resource["resource_detail"]["id"] == resource["resource_id"]
    assert {"key": "app", "value": "shop"} in resource["tags"]


def test_an_empty_value_is_a_value_and_an_empty_list_means_any_value(api, tagged):
    assert ids(by_tags(api, [{"key": "backup", "values": [""]}])) == ["vol-free-4"]
    any_value = by_tags(api, [{"key": "backup", "values": []}])
    assert ids(any_value) == ["vol-free-1", "vol-free-2", "vol-free-3", "vol-free-4"]


def test_the_tag_query_pages_by_offset_and_counts(api, tagged):
    tags = [{"key": "backup", "values": []}]
    pages = [by_tags(api, tags, limit=3, offset=offset) for offset in (0, 3)]
    assert [len(page.data["resources"]) for page in pages] == [3, 1]
    assert all(page.data["total_count"] == 4 for page in pages)
    assert sorted(ids(pages[0]) + ids(pages[1])) == ["vol-free-1", "vol-free-2", "vol-free-3", "vol-free-4"]
    # The reference's own example writes limit and offset as strings.
    assert len(by_tags(api, tags, limit="2", offset="1").data["resources"]) == 2
    count = api.with_token("POST", HUAWEI_PATH, {"action": "count", "tags": tags})
    assert count.data == {"total_count": 4}


@pytest.mark.parametrize("body", [
    {"action": "delete", "tags": [{"key": "a", "values": []}]},
    {"action": "filter", "tags": []},
    {"action": "filter", "tags": [{"key": "k%d" % number, "values": []} for number in range(11)]},
    {"action": "filter", "tags": [{"key": "a", "values": ["v%d" % number for number in range(11)]}]},
    {"action": "filter", "tags": [{"key": "a", "values": "x"}]},
    {"action": "filter", "tags": [{"key": "a", "values": []}, {"key": "a", "values": []}]},
    {"action": "filter", "tags": [{"key": "a", "values": []}], "limit": 1001},
    {"action": "filter", "tags": [{"key": "a", "values": []}], "offset": -1},
])
def test_a_bad_tag_query_is_refused(api, tagged, body):
    answer = api.with_token("POST", HUAWEI_PATH, body)
    assert answer.status == 400
    assert answer.data["error"]["code"] == "EVS.0001"


def servers(api, **query):
    path = "/v1/%s/cloudservers/detail" % PROJECT_ID
    text = "&".join("%s=%s" % item for item in query.items())
    return api.send("GET", api.base + path + ("?" + text if text else ""), {"X-Auth-Token": api.token()})


def names(answer):
    return sorted(server["name"] for server in answer.data["servers"])


def test_a_server_name_matches_in_part_with_a_dot_for_any_character(api, tagged):
    assert names(servers(api, name="web-01")) == ["web-01", "web-010"]
    assert names(servers(api, name="web.01")) == ["web-01", "web-010", "webX01"]
    assert names(servers(api, name="db.01")) == ["db.01", "dbX01"]
    assert servers(api, name="web").data["count"] == 4


def test_the_offset_of_the_server_list_is_a_page_number(api, tagged):
    first, second, third = (servers(api, limit=3, offset=page) for page in (1, 2, 3))
    assert [len(answer.data["servers"]) for answer in (first, second, third)] == [3, 3, 1]
    assert names(servers(api, limit=3, offset=0)) == names(first)
    listed = [server["id"] for answer in (first, second, third) for server in answer.data["servers"]]
    assert sorted(listed) == sorted(server_id for server_id, _name in SERVERS)
    assert first.data["count"] == len(SERVERS)
    assert len(servers(api).data["servers"]) == len(SERVERS)  # the default limit is 25


def test_ecs_page_size_caps_a_page(api, tagged):
    tagged.configure(ecs_page_size=2)
    answer = servers(api, limit=1000, offset=2)
    assert [server["name"] for server in answer.data["servers"]] == [SERVERS[2][1], SERVERS[3][1]]
    assert answer.data["count"] == len(SERVERS)


@pytest.mark.parametrize("action, call", [
    ("ecs:cloudServers:list", lambda api: servers(api, name="web")),
    ("evs:volumeTags:get", lambda api: by_tags(api, [{"key": "backup", "values": []}])),
])
def test_denied_actions_answer_403(api, tagged, action, call):
    tagged.configure(denied_actions=[action])
    answer = call(api)
    assert answer.status == 403
    assert action in answer.data["error"]["message"]
    tagged.configure(denied_actions=[])
    assert call(api).status == 200
