# -*- coding: utf-8 -*-
# Copyright: (c) 2026, huaweicloud.vbs contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""vbs_volume_info against the emulator: every filter alone and combined, unknown membership, paging.

The module's real main() runs in this process (support/module_runner.py) against the emulator process;
the example playbook runs through the real ansible-playbook command. Each test checks the volumes
returned against the seed, which says where every volume is attached, what tags it has and which policy
holds it, and checks in the emulator's request log which filters reached EVS.
"""

import json
import os
import re

import pytest

from support import ansible_cli, module_runner, seeds
from support.emulator import DEMO_SEED, EmulatorProcess

MODULE = "vbs_volume_info"
V = seeds.volume_id
DAILY = seeds.policy_id(1)
WEEKLY = seeds.policy_id(2)
MONTHLY = seeds.policy_id(3)
EXAMPLE = os.path.join(ansible_cli.REPO_ROOT, "examples", "protect_unprotected.yml")
VOLUME_INFO_DOC = os.path.join(ansible_cli.REPO_ROOT, "docs", "volume_info.md")


def server_id(number):
    return "aaaaaaaa-0000-4000-8000-%012d" % number


SERVERS = {"web-01": server_id(1), "web-010": server_id(2), "webX01": server_id(3), "db-01": server_id(4),
           "twin-a": server_id(5), "twin-b": server_id(6)}
# volume number: (name, server names, tags); the seed's volumes are in-use unless STATUSES says otherwise.
LAYOUT = {
    1: ("web-01-root", ["web-01"], {"app": "shop"}),
    2: ("web-01-data", ["web-01"], {"app": "shop", "backup": "daily"}),
    3: ("web-010-data", ["web-010"], {"app": "shop", "backup": "hourly"}),
    4: ("webX01-data", ["webX01"], {"backup": "daily"}),
    5: ("db-01-data", ["db-01"], {"app": "db", "backup": "daily"}),
    6: ("shared", ["web-01", "db-01"], {"backup": ""}),
    7: ("scratch", [], {}),
    8: ("twin-data", ["twin-a"], {}),
    9: ("data", [], {}),
    10: ("data", [], {"backup": "daily"}),
}
STATUSES = {7: "available", 9: "error"}
MEMBERS = {"daily": [2, 5], "weekly": [3]}
PROTECTED = {2: DAILY, 5: DAILY, 3: WEEKLY}


def layout_seed(policies=("daily", "weekly"), members=None):
    """Ten volumes on six servers (two of them both named twin), tagged and named as LAYOUT says."""
    document = seeds.seed(volumes=len(LAYOUT), policies=policies, members=MEMBERS if members is None else members,
                          statuses=STATUSES)
    document["servers"] = [{"id": ident, "name": name} for name, ident in SERVERS.items()]
    document["servers"][-1]["name"] = "twin-a"  # a second server of that name
    for volume in document["volumes"]:
        number = int(volume["id"][-4:], 16)
        name, servers, tags = LAYOUT[number]
        volume.update(name=name, server_ids=[SERVERS[server] for server in servers], tags=tags)
    return document


@pytest.fixture
def vbs(emulator):
    emulator.reset(layout_seed())
    return emulator


def run(vbs, args, check=False, env=None):
    return module_runner.adhoc(MODULE, args, dict(seeds.aksk_env(vbs.url), **(env or {})), check=check)


def found(vbs, args, **kwargs):
    """The volume numbers a successful run returns, in the order returned."""
    result = run(vbs, args, **kwargs)
    assert result.rc == 0, result
    return [int(volume["id"][-4:], 16) for volume in result.result["volumes"]]


def evs_reads(vbs):
    """(method, path end, query) of every EVS and ECS request of the last run, the policy counts left out."""
    reads = []
    for entry in vbs.requests():
        if "/cloudvolumes" in entry["path"] or "/os-vendor-volumes" in entry["path"] or "/cloudservers" in entry["path"]:
            if "metadata=" not in (entry["query"] or ""):
                reads.append((entry["method"], entry["path"].split("/", 3)[3], entry["query"], entry["body"]))
    return reads


def by_name(numbers):
    return sorted(numbers, key=lambda number: (LAYOUT[number][0], V(number)))


# -- each filter alone ------------------------------------------------------------------------

def test_without_a_filter_every_volume_with_its_policy(vbs):
    result = run(vbs, {})
    assert result.rc == 0, result
    volumes = dict((int(volume["id"][-4:], 16), volume) for volume in result.result["volumes"])
    assert sorted(volumes) == list(LAYOUT)
    assert result.result["backup_policy_known"] is True and "backup_policy_note" not in result.result
    for number, volume in volumes.items():
        assert volume["backup_policy_known"] is True
        assert volume["backup_policy_id"] == PROTECTED.get(number)
        assert volume["backup_policy_name"] == {DAILY: "daily", WEEKLY: "weekly"}.get(PROTECTED.get(number))
        assert volume["name"] == LAYOUT[number][0] and volume["tags"] == LAYOUT[number][2]
        assert volume["server_ids"] == [SERVERS[name] for name in LAYOUT[number][1]]
        assert set(volume) == {"id", "name", "status", "size", "availability_zone", "server_ids", "tags",
                               "backup_policy_known", "backup_policy_id", "backup_policy_name"}
    assert volumes[7]["status"] == "available" and volumes[1]["size"] == 10
    assert [entry[2] for entry in evs_reads(vbs)] == ["limit=1000"]


def test_volume_ids(vbs):
    vbs.clear_requests()
    assert found(vbs, {"volume_ids": [V(3).upper(), V(1), "0000dead-0000-4000-8000-00000000beef"]}) == [1, 3]
    [(_method, path, query, _body)] = evs_reads(vbs)
    assert path.endswith("cloudvolumes/detail") and "ids=" in query


def test_names(vbs):
    vbs.clear_requests()
    assert found(vbs, {"names": ["data"]}) == [9, 10]
    assert [entry[2] for entry in evs_reads(vbs)] == ["limit=1000&name=data"]
    vbs.clear_requests()
    assert found(vbs, {"names": ["web-01-root", "web-01-data", "none"]}) == [2, 1]
    assert len(evs_reads(vbs)) == 3


def test_server_ids(vbs):
    vbs.clear_requests()
    assert found(vbs, {"server_ids": [SERVERS["web-01"]]}) == by_name([1, 2, 6])
    assert [entry[2] for entry in evs_reads(vbs)] == ["limit=1000&server_id=%s" % SERVERS["web-01"]]


def test_server_names_take_exact_names_only(vbs):
    vbs.clear_requests()
    result = run(vbs, {"server_names": ["web-01"]})
    assert result.rc == 0, result
    assert [int(volume["id"][-4:], 16) for volume in result.result["volumes"]] == by_name([1, 2, 6])
    assert result.result["servers"] == [{"name": "web-01", "id": SERVERS["web-01"]}]
    reads = evs_reads(vbs)
    # ECS's fuzzy match also found web-010; only the server named exactly web-01 is read.
    assert reads[0][:3] == ("GET", "cloudservers/detail", "limit=1000&name=web-01&offset=1")
    assert [entry[2] for entry in reads[1:]] == ["limit=1000&server_id=%s" % SERVERS["web-01"]]


def test_server_names_with_a_dot(vbs):
    # "web.01" matches web-01 and webX01 in ECS's fuzzy match, and neither exactly.
    result = run(vbs, {"server_names": ["web.01"]})
    assert result.rc != 0
    assert result.result["msg"] == "server_names: no server is named 'web.01'"


@pytest.mark.parametrize("tags, expected", [
    ({"backup": "daily"}, [2, 4, 5, 10]),
    ({"backup": ["daily", "hourly"]}, [2, 3, 4, 5, 10]),
    ({"backup": ""}, [6]),
    ({"backup": "daily", "app": "shop"}, [2]),
    ({"owner": "nobody"}, []),
])
def test_tags(vbs, tags, expected):
    vbs.clear_requests()
    assert found(vbs, {"tags": tags}) == by_name(expected)
    [(method, path, _query, body)] = evs_reads(vbs)
    assert (method, path) == ("POST", "cloudvolumes/resource_instances/action")
    assert body["tags"] == [{"key": key, "values": value if isinstance(value, list) else [value]}
                            for key, value in tags.items()]
    assert (body["action"], body["limit"], body["offset"]) == ("filter", 1000, 0)


def test_status_and_availability_zone_go_to_evs(vbs):
    vbs.clear_requests()
    assert found(vbs, {"status": "available"}) == [7]
    assert [entry[2] for entry in evs_reads(vbs)] == ["limit=1000&status=available"]
    zone = "eu-de-0%d" % (1 + 4 % 3)
    expected = [number for number in LAYOUT if "eu-de-0%d" % (1 + number % 3) == zone]
    assert found(vbs, {"availability_zone": zone}) == by_name(expected)


@pytest.mark.parametrize("protection, expected", [
    ("unprotected", [1, 4, 6, 7, 8, 9, 10]),
    ("protected", [2, 3, 5]),
    ("any", list(LAYOUT)),
])
def test_protection(vbs, protection, expected):
    assert found(vbs, {"protection": protection}) == by_name(expected)


# -- combined ----------------------------------------------------------------------------------

@pytest.mark.parametrize("args, expected", [
    ({"server_names": ["web-01", "db-01"], "protection": "unprotected"}, [1, 6]),
    ({"server_names": ["web-01", "db-01"], "protection": "unprotected", "tags": {"app": "shop"}}, [1]),
    ({"server_names": ["web-01", "db-01"], "tags": {"backup": "daily"}, "status": "in-use"}, [2, 5]),
    ({"server_ids": [SERVERS["db-01"]], "server_names": ["web-01"]}, [6]),
    ({"names": ["data"], "status": "error"}, [9]),
    ({"names": ["data"], "tags": {"backup": "daily"}, "protection": "unprotected"}, [10]),
    ({"volume_ids": [V(1), V(2), V(3), V(5)], "names": ["web-01-data", "web-010-data"], "protection": "protected",
      "availability_zone": "eu-de-03"}, [2]),
    ({"tags": {"backup": "daily"}, "protection": "protected", "server_ids": [SERVERS["db-01"], SERVERS["webX01"]]},
     [5]),
])
def test_filters_combine_with_and(vbs, args, expected):
    assert found(vbs, args) == by_name(expected)


def test_servers_carry_status_zone_and_one_name_to_evs(vbs):
    vbs.clear_requests()
    assert found(vbs, {"server_ids": [SERVERS["web-01"]], "names": ["shared"], "status": "in-use",
                       "availability_zone": "eu-de-01"}) == [6]
    assert [entry[2] for entry in evs_reads(vbs)] == [
        "availability_zone=eu-de-01&limit=1000&name=shared&server_id=%s&status=in-use" % SERVERS["web-01"]]


def test_check_mode_returns_the_same_and_changes_nothing(vbs):
    args = {"server_names": ["web-01"], "tags": {"backup": "daily"}, "protection": "protected"}
    normal = run(vbs, args)
    vbs.clear_requests()
    checked = run(vbs, args, check=True)
    assert checked.rc == 0 and checked.result["volumes"] == normal.result["volumes"]
    assert [volume["id"] for volume in checked.result["volumes"]] == [V(2)]
    assert all(entry["method"] == "GET" for entry in vbs.requests())
    assert checked.result["changed"] is False


# -- server names that name no server or several -----------------------------------------------

def test_names_of_no_server_or_of_several_fail_before_any_volume_is_read(vbs):
    vbs.clear_requests()
    result = run(vbs, {"server_names": ["web-01", "nope", "twin-a", "also-missing"]})
    assert result.rc != 0
    assert result.result["msg"] == (
        "server_names: no server is named 'nope', 'also-missing'; 2 servers are named 'twin-a' (IDs %s, %s); "
        "give server_ids to choose among servers of one name" % (SERVERS["twin-a"], SERVERS["twin-b"]))
    assert result.result["volumes"] == []
    assert all("/cloudservers/" in entry["path"] for entry in vbs.requests()
               if entry["path"].startswith(("/v1/", "/v2/")))


def test_server_ids_choose_among_servers_of_one_name(vbs):
    assert found(vbs, {"server_ids": [SERVERS["twin-a"]]}) == [8]
    assert found(vbs, {"server_ids": [SERVERS["twin-b"]]}) == []


# -- unknown membership -------------------------------------------------------------------------

def test_without_policy_metadata_nothing_is_called_unprotected(vbs):
    vbs.configure(evs_policy_metadata="off")
    result = run(vbs, {"server_names": ["web-01"]})
    assert result.rc == 0, result
    assert result.result["backup_policy_known"] is False
    assert "VBS counts 2: this cloud's EVS metadata does not show the policy's membership" in \
        result.result["backup_policy_note"]
    assert [volume["backup_policy_known"] for volume in result.result["volumes"]] == [False, False, False]
    assert all("backup_policy_id" not in volume for volume in result.result["volumes"])
    for protection in ("unprotected", "protected"):
        refused = run(vbs, {"server_names": ["web-01"], "protection": protection})
        assert refused.rc != 0
        assert refused.result["msg"].startswith(
            "protection: %s needs the backup policy of every volume found, and it is not known for 3 of them"
            % protection)
        assert "does not show the policy's membership" in refused.result["msg"]
        assert refused.result["volumes"] == []


def test_with_partial_metadata_only_the_proven_policy_is_known(emulator):
    emulator.reset(layout_seed(policies=("daily", "weekly", "monthly")))
    emulator.configure(evs_policy_metadata="partial")
    protect = module_runner.adhoc("vbs_policy_resources", {"backup_policy_name": "monthly", "volumes": [V(7)],
                                                           "membership_source": "count"},
                                  seeds.aksk_env(emulator.url))
    assert protect.rc == 0, protect
    result = run(emulator, {"volume_ids": [V(7), V(2), V(1)]})
    known = dict((int(volume["id"][-4:], 16), (volume["backup_policy_known"], volume.get("backup_policy_name")))
                 for volume in result.result["volumes"])
    # Volume 7 joined monthly through the API and carries its metadata; the seeded members of daily
    # and weekly do not, so a volume without metadata may be in one of them.
    assert known == {7: (True, "monthly"), 2: (False, None), 1: (False, None)}
    assert result.result["backup_policy_known"] is False
    assert "policy daily" in result.result["backup_policy_note"] and "policy weekly" in \
        result.result["backup_policy_note"]
    assert run(emulator, {"volume_ids": [V(1)], "protection": "unprotected"}).rc != 0
    assert found(emulator, {"volume_ids": [V(7)], "protection": "protected"}) == [7]


def test_an_evs_that_ignores_the_metadata_filter_proves_nothing(vbs):
    vbs.configure(evs_metadata_filter="ignored")
    result = run(vbs, {"names": ["scratch"]})
    assert result.rc == 0, result
    assert result.result["volumes"][0]["backup_policy_known"] is False
    assert "does not apply that filter" in result.result["backup_policy_note"]
    assert run(vbs, {"names": ["scratch"], "protection": "unprotected"}).rc != 0


@pytest.mark.parametrize("action, args, words", [
    ("evs:volumes:list", {}, "EVS refused GET"),
    ("evs:volumeTags:get", {"tags": {"backup": "daily"}}, "EVS refused POST"),
    ("ecs:cloudServers:list", {"server_names": ["web-01"]}, "ECS refused GET"),
])
def test_a_denied_read_fails_with_the_permission_named(vbs, action, args, words):
    vbs.configure(denied_actions=[action])
    result = run(vbs, args)
    assert result.rc != 0
    assert words in result.result["msg"] and action in result.result["msg"] and "403" in result.result["msg"]


# -- paging ------------------------------------------------------------------------------------

def big_seed(count, members):
    document = seeds.seed(volumes=count, members={"daily": members}, policy_volume_limit=count)
    for volume in document["volumes"]:
        volume["tags"] = {"backup": "daily"}
    return document


def test_paging_past_1000_volumes(emulator):
    emulator.reset(big_seed(2500, range(1, 1201)))
    emulator.clear_requests()
    result = run(emulator, {"protection": "unprotected"})
    assert result.rc == 0, result
    assert sorted(volume["id"] for volume in result.result["volumes"]) == sorted(V(n) for n in range(1201, 2501))
    listings = [entry for entry in evs_reads(emulator) if entry[1].endswith("cloudvolumes/detail")]
    assert len(listings) == 3 and "marker=" in listings[2][2]
    emulator.clear_requests()
    tagged = run(emulator, {"tags": {"backup": "daily"}, "protection": "protected"})
    assert len(tagged.result["volumes"]) == 1200
    assert [entry[3]["offset"] for entry in evs_reads(emulator)] == [0, 1000, 2000]


def test_server_names_page_by_page_number(vbs):
    vbs.configure(ecs_page_size=1)
    vbs.clear_requests()
    result = run(vbs, {"server_names": ["web-01"]})
    assert result.rc == 0, result
    assert result.result["servers"] == [{"name": "web-01", "id": SERVERS["web-01"]}]
    offsets = [re.search(r"offset=(\d+)", entry[2]).group(1) for entry in evs_reads(vbs) if "cloudservers" in entry[1]]
    assert offsets == ["1", "2"]  # web-01 and web-010 match in part, one a page


def test_the_tag_query_path_of_open_telekom_cloud(vbs):
    vbs.clear_requests()
    result = run(vbs, {"tags": {"backup": "hourly"}, "cloud": "otc.t-systems.com"})
    assert [volume["id"] for volume in result.result["volumes"]] == [V(3)]
    assert [entry[1] for entry in evs_reads(vbs)] == ["os-vendor-volumes/resource_instances/action"]


# -- the result feeds vbs_policy_resources: the example playbook ----------------------------------

def demo_env(demo):
    with open(DEMO_SEED) as handle:
        key = json.load(handle)["credentials"]["access_keys"][0]
    return {"HW_VBS_ENDPOINT": demo.url, "HW_AUTH_URL": demo.url + "/v3", "HW_REGION_NAME": "eu-de",
            "HW_ACCESS_KEY": key["access_key"], "HW_SECRET_KEY": key["secret_key"]}


def weekly_archive(demo):
    [policy] = [policy for policy in demo.policies() if policy["name"] == "weekly-archive"]
    return policy["members"]


def demo_volume(number):
    return "11111111-0000-4000-8000-%012d" % number


def test_the_example_protects_the_unprotected_volumes_and_then_is_ok():
    with EmulatorProcess(seed=DEMO_SEED) as demo:
        env = demo_env(demo)
        checked = ansible_cli.playbook(EXAMPLE, env, check=True)
        assert checked.rc == 0, checked
        assert weekly_archive(demo) == [demo_volume(4), demo_volume(13)]

        first = ansible_cli.playbook(EXAMPLE, env)
        assert first.rc == 0, first
        assert "changed=1 " in first.stdout and "failed=0 " in first.stdout
        assert '"web-01-data",\n        "web-01-root"' in first.stdout
        assert weekly_archive(demo) == [demo_volume(number) for number in (4, 11, 12, 13)]

        second = ansible_cli.playbook(EXAMPLE, env)
        assert second.rc == 0, second
        assert "changed=0 " in second.stdout and "every volume of these servers is protected" in second.stdout
        assert weekly_archive(demo) == [demo_volume(number) for number in (4, 11, 12, 13)]


def test_the_example_takes_the_servers_of_an_inventory_group(tmp_path):
    inventory = tmp_path / "inventory.json"
    inventory.write_text(json.dumps({"all": {"hosts": {"localhost": {"ansible_connection": "local"}},
                                             "children": {"web": {"hosts": {"web-02": {}, "web-03": {}}}}}}))
    with EmulatorProcess(seed=DEMO_SEED) as demo:
        env = dict(demo_env(demo), ANSIBLE_INVENTORY=str(inventory))
        run_ = ansible_cli.playbook(EXAMPLE, env)
        assert run_.rc == 0, run_
        # web-02's volume 13 was protected already; web-03's volume 14 was not; web-01 is not in the group.
        assert weekly_archive(demo) == [demo_volume(number) for number in (4, 13, 14)]


# -- the report that docs/volume_info.md opens with ---------------------------------------------------

def test_the_first_example_of_the_guide_reports_the_unprotected_volumes(vbs, tmp_path):
    with open(VOLUME_INFO_DOC) as handle:
        text = handle.read()
    snippet = text.split("```yaml\n", 1)[1].split("```", 1)[0]
    assert "protection: unprotected" in snippet
    playbook = tmp_path / "report.yml"
    playbook.write_text(snippet)
    result = ansible_cli.playbook(str(playbook), seeds.aksk_env(vbs.url))
    assert result.rc == 0, result
    unprotected = [LAYOUT[number][0] for number in (1, 4, 6, 7, 8, 9, 10)]
    for name in unprotected:
        assert name in result.stdout, name
    for number in PROTECTED:
        assert LAYOUT[number][0] not in result.stdout
    assert "7 volume(s) in no backup policy" in result.stdout
