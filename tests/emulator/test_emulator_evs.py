# -*- coding: utf-8 -*-
# Copyright: (c) 2026, huaweicloud.vbs contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""The emulator's EVS volume reads: filters, paging, the policy metadata switch, permissions, the seed."""

import json
from urllib.parse import parse_qsl, quote, urlsplit

import pytest

from emulator_testlib import FREE, IN_A, IN_B, POLICY_A, POLICY_B, build_seed
from support.emulator import EmulatorError


def listing(api, **query):
    """GET cloudvolumes/detail with these query parameters (values as sent), with a token."""
    text = "&".join("%s=%s" % (key, quote(str(value), safe="")) for key, value in query.items())
    return api.with_token("GET", "/cloudvolumes/detail" + ("?" + text if text else ""))


def ids(answer):
    return [volume["id"] for volume in answer.data["volumes"]]


def members_by_metadata(api, policy_id):
    answer = listing(api, metadata=json.dumps({"policy": policy_id}))
    assert answer.status == 200, answer
    return sorted(ids(answer))


def test_the_list_shows_every_volume_newest_first_with_its_fields(api):
    answer = listing(api)
    assert answer.status == 200
    assert answer.data["count"] == len(build_seed()["volumes"])
    assert ids(answer) == [volume["id"] for volume in reversed(build_seed()["volumes"])]
    (volume,) = [item for item in answer.data["volumes"] if item["id"] == IN_A]
    assert volume["status"] == "in-use" and volume["availability_zone"] == "eu-de-02"
    assert volume["size"] == 10 and volume["attachments"] == [] and volume["tags"] == {}
    assert volume["metadata"] == {"policy": POLICY_A}
    assert "volumes_links" not in answer.data


def test_sync_metadata_follows_every_change_of_membership(api):
    assert members_by_metadata(api, POLICY_A) == [IN_A]
    api.associate(POLICY_A, FREE[0], IN_B)  # a free volume joins, a member of B moves
    assert members_by_metadata(api, POLICY_A) == sorted([IN_A, IN_B, FREE[0]])
    assert members_by_metadata(api, POLICY_B) == []
    api.disassociate(POLICY_A, IN_A)
    assert members_by_metadata(api, POLICY_A) == sorted([IN_B, FREE[0]])
    (volume,) = [item for item in listing(api).data["volumes"] if item["id"] == IN_A]
    assert "policy" not in volume["metadata"]


def test_partial_metadata_shows_only_volumes_that_joined_through_the_api(api, emulator):
    emulator.configure(evs_policy_metadata="partial")
    assert members_by_metadata(api, POLICY_A) == []  # the seed's member carries none
    api.associate(POLICY_A, FREE[0])
    assert members_by_metadata(api, POLICY_A) == [FREE[0]]
    assert api.count(POLICY_A) == 2  # VBS counts both


def test_off_metadata_never_names_a_policy(api, emulator):
    emulator.configure(evs_policy_metadata="off")
    api.associate(POLICY_A, FREE[0])
    assert members_by_metadata(api, POLICY_A) == []
    assert all("policy" not in volume["metadata"] for volume in listing(api).data["volumes"])


def test_an_ignored_metadata_filter_lists_every_volume(api, emulator):
    emulator.configure(evs_metadata_filter="ignored")
    answer = listing(api, metadata=json.dumps({"policy": POLICY_A}))
    assert answer.data["count"] == len(build_seed()["volumes"])


def test_the_ids_filter_takes_up_to_sixty_ids_and_ignores_unknown_ones(api):
    answer = listing(api, ids="['%s','%s','no-such-volume']" % (IN_A, FREE[0]))
    assert answer.status == 200 and sorted(ids(answer)) == sorted([IN_A, FREE[0]]) and answer.data["count"] == 2
    too_many = listing(api, ids="[%s]" % ",".join("'v%d'" % number for number in range(61)))
    assert too_many.status == 400 and too_many.data["error"]["code"] == "EVS.0001"
    assert listing(api, ids="%s" % IN_A).status == 400  # not a list


def test_exact_filters_combine(api):
    answer = listing(api, status="in-use", availability_zone="eu-de-02")
    assert sorted(ids(answer)) == sorted([IN_A, IN_B])
    assert ids(listing(api, name="no-such-name")) == []


def test_pages_follow_the_next_link_and_count_stays_the_number_of_all_matches(api):
    seen, query = [], {"limit": 3}
    for _page in range(10):
        answer = listing(api, **query)
        assert answer.status == 200 and answer.data["count"] == len(build_seed()["volumes"])
        seen.extend(ids(answer))
        links = answer.data.get("volumes_links")
        if not links:
            break
        (link,) = links
        assert link["rel"] == "next" and link["href"].startswith(api.base + api.vbs_path("/cloudvolumes/detail?"))
        query = dict(parse_qsl(urlsplit(link["href"]).query))
    assert seen == [volume["id"] for volume in reversed(build_seed()["volumes"])]


@pytest.mark.parametrize("query", [{"limit": "0"}, {"limit": "1001"}, {"offset": "-1"}, {"sort_key": "name"},
                                   {"sort_dir": "up"}, {"marker": "no-such-volume"}, {"metadata": "{not json"}])
def test_a_bad_query_is_a_400_with_the_evs_shape(api, query):
    answer = listing(api, **query)
    assert answer.status == 400
    assert answer.data["error"]["code"] == "EVS.0001" and answer.data["error"]["message"]


def test_one_volume_and_an_unknown_one(api):
    answer = api.with_token("GET", "/cloudvolumes/%s" % IN_A)
    assert answer.status == 200 and answer.data["volume"]["id"] == IN_A
    missing = api.with_token("GET", "/cloudvolumes/no-such-volume")
    assert missing.status == 404 and missing.data["error"]["code"] == "EVS.0004"


def test_a_denied_action_is_a_403_that_names_it(api, emulator):
    emulator.configure(denied_actions="evs:volumes:list")
    answer = listing(api)
    assert answer.status == 403
    assert answer.data["error"] == {"code": "EVS.0003",
                                    "message": "Policy doesn't allow evs:volumes:list to be performed."}
    assert api.with_token("GET", "/cloudvolumes/%s" % IN_A).status == 200  # another action is allowed


def test_evs_reads_need_authentication_and_the_project(api):
    assert api.send("GET", api.base + api.vbs_path("/cloudvolumes/detail")).status == 401
    other = api.send("GET", api.base + "/v2/0123456789abcdef0123456789abcdef/cloudvolumes/detail",
                     {"X-Auth-Token": api.token()})
    assert other.status == 403


def test_an_official_signature_is_accepted_on_a_filtered_listing(api):
    query = [("metadata", json.dumps({"policy": POLICY_A})), ("limit", "1")]
    answer = api.signed("GET", api.vbs_path("/cloudvolumes/detail"), query=query)
    assert answer.status == 200, answer
    assert answer.data["count"] == 1 and ids(answer) == [IN_A]


def test_seeded_names_sizes_attachments_tags_and_metadata(api, emulator):
    seed = build_seed()
    seed["servers"] = [{"id": "srv-1", "name": "db-1"}]
    seed["volumes"][0].update(name="data-1", size=100, server_ids=["srv-1"], tags={"backup": "daily"},
                              metadata={"owner": "dba"})
    emulator.reset(seed)
    volume = api.with_token("GET", "/cloudvolumes/%s" % FREE[0]).data["volume"]
    assert (volume["name"], volume["size"], volume["tags"], volume["metadata"]) == (
        "data-1", 100, {"backup": "daily"}, {"owner": "dba"})
    assert [item["server_id"] for item in volume["attachments"]] == ["srv-1"]
    assert ids(listing(api, server_id="srv-1")) == [FREE[0]]


@pytest.mark.parametrize("change,message", [
    ({"servers": [{"id": "srv-1", "name": "db-1"}], "server_ids": ["srv-2"]}, "server srv-2 is not among"),
    ({"metadata": {"policy": POLICY_A}}, "must not set policy"),
    ({"size": 0}, "size must be a whole number"),
])
def test_a_bad_seed_volume_is_refused(emulator, change, message):
    seed = build_seed()
    servers = change.pop("servers", None)
    if servers:
        seed["servers"] = servers
    seed["volumes"][0].update(change)
    with pytest.raises(EmulatorError) as refused:
        emulator.reset(seed)
    assert message in str(refused.value)
