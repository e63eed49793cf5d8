# -*- coding: utf-8 -*-
# Copyright: (c) 2026, huaweicloud.vbs contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""The EVS reads as docs/emulator.md describes them: the policy metadata and the filters as the switches
evs_policy_metadata, evs_metadata_filter and evs_ids_filter say, errors, and denied actions."""

import json
from urllib.parse import quote

import pytest

from emulator_testlib import FREE, IN_A, IN_B, POLICY_A, POLICY_B, build_seed


EVS_DEFAULTS = {"evs_policy_metadata": "sync", "evs_metadata_filter": "supported", "evs_ids_filter": "supported",
                "denied_actions": []}


@pytest.fixture
def evs(api, emulator):
    emulator.configure(**EVS_DEFAULTS)
    yield lambda query: api.with_token("GET", "/cloudvolumes/detail?" + query)
    emulator.configure(**EVS_DEFAULTS)


def policy_query(policy_id):
    return "metadata=" + quote(json.dumps({"policy": policy_id}))


def listed(answer):
    assert answer.status == 200, answer
    return answer.data["count"], sorted(volume["id"] for volume in answer.data["volumes"])


def test_the_ids_filter_lists_only_the_given_volumes_by_default(evs, emulator):
    assert emulator.config()["evs_ids_filter"] == "supported"
    assert listed(evs("ids=['%s','%s']" % (IN_A, FREE[0]))) == (2, sorted([IN_A, FREE[0]]))
    assert listed(evs("ids=['no-such-volume']")) == (0, [])
    assert evs("ids=no-list").status == 400


def test_an_evs_that_ignores_the_ids_filter_lists_every_volume(evs, emulator):
    emulator.configure(evs_ids_filter="ignored")
    every = sorted(volume["id"] for volume in build_seed()["volumes"])
    assert listed(evs("ids=['no-such-volume']")) == (len(every), every)
    assert listed(evs("ids=no-list")) == (len(every), every)  # not read, so not refused either
    assert listed(evs("ids=['%s']&status=in-use" % FREE[0]))[1] == sorted(
        volume["id"] for volume in build_seed()["volumes"] if volume["status"] == "in-use")


def test_the_switch_takes_only_its_two_values(emulator):
    status, data = emulator.call("POST", "/_emulator/config", {"evs_ids_filter": "sometimes"})
    assert status == 400 and "evs_ids_filter must be one of supported, ignored" in data["error"]["message"]


@pytest.mark.parametrize("mode, named", [("sync", [IN_A, FREE[0]]), ("partial", [FREE[0]]), ("off", [])])
def test_the_policy_metadata_follows_evs_policy_metadata(api, evs, emulator, mode, named):
    emulator.configure(evs_policy_metadata=mode)
    assert api.associate(POLICY_A, FREE[0]).status == 200  # FREE[0] joins through the API; IN_A was seeded
    volumes = dict((volume["id"], volume) for volume in evs("limit=1000").data["volumes"])
    assert sorted(volume_id for volume_id, volume in volumes.items() if volume["metadata"].get("policy") == POLICY_A) \
        == sorted(named)
    assert listed(evs(policy_query(POLICY_A)))[1] == sorted(named)
    one = api.with_token("GET", "/cloudvolumes/%s" % FREE[0]).data["volume"]
    assert one["metadata"].get("policy") == (POLICY_A if named else None)


def test_an_evs_that_ignores_the_metadata_filter_lists_every_volume(evs, emulator):
    assert listed(evs(policy_query(POLICY_B)))[1] == [IN_B]
    emulator.configure(evs_metadata_filter="ignored")
    assert listed(evs(policy_query(POLICY_B)))[0] == len(build_seed()["volumes"])


def test_the_list_is_newest_first_and_pages_with_a_link(evs):
    every = [volume["id"] for volume in build_seed()["volumes"]]
    first = evs("limit=3")
    assert [volume["id"] for volume in first.data["volumes"]] == every[::-1][:3]
    assert first.data["count"] == len(every)
    assert "marker=%s" % every[-3] in first.data["volumes_links"][0]["href"]


def test_bad_queries_unknown_volumes_and_denied_actions(api, evs, emulator):
    for query in ("limit=0", "limit=1001", "sort_key=colour", "metadata=%7Bnot", "marker=nobody"):
        answer = evs(query)
        assert (answer.status, answer.data["error"]["code"]) == (400, "EVS.0001"), query
    missing = api.with_token("GET", "/cloudvolumes/no-such-volume")
    assert (missing.status, missing.data["error"]["code"]) == (404, "EVS.0004")
    emulator.configure(denied_actions="evs:volumes:list")
    denied = evs("limit=1")
    assert (denied.status, denied.data["error"]["code"]) == (403, "EVS.0003")
    assert "evs:volumes:list" in denied.data["error"]["message"]
    assert api.with_token("GET", "/cloudvolumes/%s" % IN_A).status == 200  # the other action is allowed
