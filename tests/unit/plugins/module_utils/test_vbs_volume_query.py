# -*- coding: utf-8 -*-
# Copyright: (c) 2026, huaweicloud.vbs contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""The filter logic of vbs_volume_info: the options' checks, which listing reads the volumes, the match."""

import pytest

from ansible_collections.huaweicloud.vbs.plugins.module_utils import vbs_volume_query as query_module
from ansible_collections.huaweicloud.vbs.plugins.module_utils.vbs_volume_query import (
    ALL, BY_IDS, BY_NAME, BY_SERVER, BY_TAGS, MAX_LISTINGS, VolumeQuery, listing_plan, matches, protection_problem,
    query_from_options, selected, servers_problem, tag_filters)

VOL1 = "5d1f8f2e-0b4a-4a43-9d7e-3c1a2b3c4d5e"
VOL2 = "8a9b0c1d-2e3f-4a5b-8c7d-9e0f1a2b3c4d"
SRV1 = "0f6f2b5c-3b8e-4a6e-9d3c-7f1e2a4b5c6d"
SRV2 = "1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d"


def volume(volume_id=VOL1, name="data", status="in-use", zone="eu-de-01", servers=(SRV1,), tags=None):
    return dict(id=volume_id, name=name, status=status, availability_zone=zone, server_ids=list(servers),
                tags=dict(tags or {}), size=10, metadata={}, backup_policy_id=None)


def query(**options):
    found, problem = query_from_options(options)
    assert problem is None, problem
    return found


# -- the options ------------------------------------------------------------------------

def test_ids_are_lower_cased_and_collapsed_and_lists_keep_their_first_order():
    found = query(volume_ids=[VOL1.upper(), VOL1, VOL2], server_ids=[SRV2, SRV1.upper()], names=["b", "a", "b"])
    assert found.volume_ids == [VOL1, VOL2]
    assert found.server_ids == [SRV2, SRV1]
    assert found.names == ["b", "a"]
    assert found.server_names is None and found.tags is None


@pytest.mark.parametrize("options, message", [
    ({"volume_ids": ["not-a-uuid"]}, "volume_ids must be volume IDs (UUIDs"),
    ({"server_ids": [VOL1, "../x"]}, "server_ids must be server IDs (UUIDs"),
    ({"names": ["ok", ""]}, "names must be non-empty texts"),
    ({"server_names": ["web\n01"]}, "server_names must be non-empty texts"),
    ({"server_names": ["x" * 256]}, "server_names must be non-empty texts of at most 255"),
    ({"status": " "}, "status must be a non-empty text"),
    ({"availability_zone": "eu-de-01\x1b[2J"}, "availability_zone must be a non-empty text"),
])
def test_bad_values_are_refused_with_the_option_named(options, message):
    found, problem = query_from_options(options)
    assert found is None
    assert problem.startswith(message), problem


def test_a_control_character_is_shown_escaped_in_the_message():
    _found, problem = query_from_options({"names": ["evil\x1b[31m"]})
    assert "\x1b" not in problem and "\\x1b" in problem


# -- tags ------------------------------------------------------------------------------

def test_a_tag_value_or_a_list_of_values():
    assert tag_filters({"backup": "daily", "tier": ["gold", "silver", "gold"]}) == (
        [("backup", ["daily"]), ("tier", ["gold", "silver"])], None)


def test_an_empty_value_stays_a_value_and_never_becomes_any_value():
    filters, problem = tag_filters({"backup": ""})
    assert problem is None
    assert filters == [("backup", [""])]
    plan = listing_plan(VolumeQuery(tags=filters))
    assert plan.values == [{"key": "backup", "values": [""]}]


@pytest.mark.parametrize("tags, message", [
    ({"backup": []}, "tags.backup is an empty list"),
    ({"backup": True}, "tags.backup must be a text or a list of texts, got True; quote it in YAML"),
    ({"tier": 1}, "tags.tier must be a text or a list of texts, got 1"),
    ({"tier": ["gold", None]}, "tags.tier must be a text or a list of texts, got None"),
    ({"": "x"}, "tags: a key must be a non-empty text"),
    (dict(("k%d" % number, "v") for number in range(11)), "tags may hold at most 10 keys"),
    ({"k": ["v%d" % number for number in range(11)]}, "tags.k may list at most 10 values"),
    ({"k": "line\nbreak"}, "tags.k: a value must be at most 255 printable characters"),
    ("backup=daily", "tags must be a dictionary"),
    ({}, "tags must not be empty; leave it out"),
])
def test_bad_tags_are_refused(tags, message):
    filters, problem = tag_filters(tags)
    assert filters is None
    assert problem.startswith(message), problem


def test_tags_match_every_key_and_any_of_its_values():
    filters = tag_filters({"backup": ["daily", "hourly"], "app": "shop"})[0]
    found = VolumeQuery(tags=filters)
    assert matches(volume(tags={"backup": "hourly", "app": "shop", "other": "x"}), found)
    assert not matches(volume(tags={"backup": "weekly", "app": "shop"}), found)
    assert not matches(volume(tags={"backup": "daily"}), found)
    assert not matches(volume(tags={"app": "shop"}), found)
    empty = VolumeQuery(tags=[("backup", [""])])
    assert matches(volume(tags={"backup": ""}), empty)
    assert not matches(volume(tags={"backup": "daily"}), empty) and not matches(volume(), empty)


# -- the match ---------------------------------------------------------------------------

def test_the_filters_combine_with_and():
    found = query(names=["data", "logs"], status="in-use", availability_zone="eu-de-01", volume_ids=[VOL1, VOL2])
    assert matches(volume(), found)
    assert not matches(volume(name="root"), found)
    assert not matches(volume(status="available"), found)
    assert not matches(volume(zone="eu-de-02"), found)
    assert not matches(volume(volume_id="00000000-0000-4000-8000-000000000000"), found)


def test_each_server_filter_must_hold():
    assert matches(volume(servers=[SRV1, SRV2]), VolumeQuery(), [{SRV1}, {SRV2}])
    assert not matches(volume(servers=[SRV1]), VolumeQuery(), [{SRV1}, {SRV2}])
    assert not matches(volume(servers=[]), VolumeQuery(), [{SRV1, SRV2}])
    assert matches(volume(servers=[]), VolumeQuery(), [])


def test_selected_keeps_each_volume_once_sorted_by_name_and_id():
    first = volume(VOL2, name="b")
    second = volume(VOL1, name="b")
    third = volume("00000000-0000-4000-8000-000000000000", name="a")
    result = selected([first, second, first, third, volume(name="c", status="error")], query(status="in-use"))
    assert [item["id"] for item in result] == [third["id"], VOL1, VOL2]


@pytest.mark.parametrize("options", [{"volume_ids": []}, {"names": []}, {"server_ids": []}, {"server_names": []}])
def test_an_empty_list_matches_nothing(options):
    assert query(**options).matches_nothing()


def test_no_filter_matches_everything():
    found = query()
    assert not found.matches_nothing()
    assert matches(volume(servers=[], tags={}), found)


# -- which listing reads the volumes ---------------------------------------------------------

def test_ids_are_read_with_the_ids_filter_whatever_else_is_given():
    plan = listing_plan(query(volume_ids=[VOL1], names=["data"], status="in-use", tags={"a": "b"}), [SRV1])
    assert (plan.kind, plan.values, plan.filters) == (BY_IDS, [VOL1], [])


def test_servers_come_before_tags_and_carry_status_zone_and_a_single_name():
    found = query(server_ids=[SRV1, SRV2], tags={"a": "b"}, names=["data"], status="in-use",
                  availability_zone="eu-de-01")
    plan = listing_plan(found, found.server_ids)
    assert plan.kind == BY_SERVER and plan.values == [SRV1, SRV2]
    assert plan.filters == [("status", "in-use"), ("availability_zone", "eu-de-01"), ("name", "data")]
    two_names = listing_plan(query(server_ids=[SRV1], names=["a", "b"]), [SRV1])
    assert ("name", "a") not in two_names.filters


def test_too_many_servers_read_every_volume_instead():
    servers = ["%08d-0000-4000-8000-000000000000" % number for number in range(MAX_LISTINGS + 1)]
    plan = listing_plan(query(server_ids=servers, status="available"), servers)
    assert (plan.kind, plan.filters) == (ALL, [("status", "available")])
    assert listing_plan(query(server_ids=servers[:MAX_LISTINGS]), servers[:MAX_LISTINGS]).kind == BY_SERVER


def test_tags_use_the_tag_query_which_takes_no_other_filter():
    plan = listing_plan(query(tags={"backup": ["daily", "hourly"]}, status="in-use", names=["x"]))
    assert plan.kind == BY_TAGS
    assert plan.values == [{"key": "backup", "values": ["daily", "hourly"]}]
    assert plan.filters == []


def test_names_are_read_one_listing_each_up_to_the_limit():
    plan = listing_plan(query(names=["a", "b"], availability_zone="eu-de-02"))
    assert (plan.kind, plan.values, plan.filters) == (BY_NAME, ["a", "b"], [("availability_zone", "eu-de-02")])
    many = ["n%d" % number for number in range(MAX_LISTINGS + 1)]
    assert listing_plan(query(names=many)).kind == ALL


def test_without_a_filter_every_volume_is_read():
    plan = listing_plan(query())
    assert (plan.kind, plan.filters) == (ALL, [])


# -- server names and protection --------------------------------------------------------------

def test_every_name_of_no_server_or_several_servers_is_in_one_message():
    problem = servers_problem({"web-01": [{"id": SRV1}], "web-02": [], "web-03": [],
                               "db": [{"id": SRV2}, {"id": SRV1}]})
    assert problem == ("server_names: no server is named 'web-02', 'web-03'; 2 servers are named 'db' (IDs %s, %s); "
                       "give server_ids to choose among servers of one name" % (SRV1, SRV2))
    assert servers_problem({"web-01": [{"id": SRV1}]}) is None
    assert "give server_ids" not in servers_problem({"web-09": []})


def test_protection_needs_every_policy_known():
    assert protection_problem("any", [VOL1], "why") is None
    assert protection_problem("unprotected", [], None) is None
    problem = protection_problem("unprotected", [VOL2, VOL1], "EVS could not be read")
    assert problem.startswith("protection: unprotected needs the backup policy of every volume found, and it is "
                              "not known for 2 of them (%s, %s): EVS could not be read." % (VOL1, VOL2))
    many = ["%08d-0000-4000-8000-000000000000" % number for number in range(query_module.MAX_NAMED + 2)]
    assert " ...)" in protection_problem("protected", many, "why")
