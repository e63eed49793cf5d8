# -*- coding: utf-8 -*-
# Copyright: (c) 2026, huaweicloud.vbs contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""vbs_evs_members: when an EVS member listing is trusted, and what each reading costs.

The real VBS and EVS clients talk HTTP to a scripted server that answers the
policy listings and the EVS pages a test needs, in order: the sequences of
counts that a busy policy, a cloud without the metadata or an EVS without a
filter produce. Pauses go to a recorder instead of sleeping.
"""

import json
from urllib.parse import parse_qsl, urlsplit

import pytest

from ansible_collections.huaweicloud.vbs.plugins.module_utils import vbs_evs_members
from ansible_collections.huaweicloud.vbs.plugins.module_utils.vbs_api import VBSClient
from ansible_collections.huaweicloud.vbs.plugins.module_utils.vbs_auth import AkSkAuth
from ansible_collections.huaweicloud.vbs.plugins.module_utils.vbs_evs import EVSClient
from ansible_collections.huaweicloud.vbs.plugins.module_utils.vbs_policy_lookup import pick_policy
from ansible_collections.huaweicloud.vbs.plugins.module_utils.vbs_transport import Transport
from ansible_collections.huaweicloud.vbs.tests.support.scripted_server import json_reply

PROJECT = "6c1f0e7a9b2d4c3e8f5a7b9c0d1e2f3a"
POLICY = "0ea1f4b3-7c2d-4f5e-9a6b-1c2d3e4f5a6b"
OTHER = "3f2e1d0c-9b8a-4766-a544-332211009988"
VOL1 = "5d1f8f2e-0b4a-4a43-9d7e-3c1a2b3c4d5e"
VOL2 = "8a9b0c1d-2e3f-4a5b-8c7d-9e0f1a2b3c4d"
VOL3 = "1a2b3c4d-0000-4000-8000-00000000beef"


def policies(count, other=0):
    return json_reply(200, {"backup_policies": [
        {"backup_policy_id": POLICY, "backup_policy_name": "daily", "policy_resource_count": count},
        {"backup_policy_id": OTHER, "backup_policy_name": "weekly", "policy_resource_count": other}]})


def volume(volume_id, policy=None):
    return {"id": volume_id, "name": "data", "status": "in-use", "size": 10, "availability_zone": "eu-de-01",
            "attachments": [], "metadata": {} if policy is None else {"policy": policy}, "tags": {}}


def evs_page(volumes, count=None, links=None):
    body = {"volumes": volumes, "count": len(volumes) if count is None else count}
    if links:
        body["volumes_links"] = links
    return json_reply(200, body)


class Script:
    """Answers VBS listings and EVS reads from two queues; records what was asked, in order."""

    def __init__(self, listings, evs_answers):
        self.listings = list(listings)
        self.evs_answers = list(evs_answers)
        self.asked = []

    def __call__(self, recorded):
        parts = urlsplit(recorded.target)
        if parts.path.endswith("/backuppolicy"):
            self.asked.append("list")
            return self.listings.pop(0)
        query = dict(parse_qsl(parts.query))
        self.asked.append("ids" if "ids" in query else "count" if query.get("limit") == "1" else "members")
        return self.evs_answers.pop(0)


@pytest.fixture
def pauses():
    return []


def read(server, script, pauses, requested=(VOL1, VOL2), whole_listing=False, evs=True):
    server.answer_with(script)
    transport = Transport(timeout=5, retries=0)
    auth = AkSkAuth("HPUAEXAMPLEACCESSKEY", "exampleSecretKey0123456789abcdefghijklmn")
    vbs = VBSClient(transport, auth, server.url, PROJECT)
    evs_client = EVSClient(transport, auth, server.url, PROJECT) if evs else None

    def find_policy(listed, policy_id=None):
        return pick_policy(listed, "the test project", policy_id or POLICY)

    return vbs_evs_members.read_membership(vbs, evs_client, find_policy, list(requested), whole_listing=whole_listing,
                                           sleep=pauses.append, rand=lambda: 1.0)


def test_a_listing_that_agrees_with_the_count_before_and_after_is_trusted(server, pauses):
    script = Script([policies(2), policies(2)],
                    [evs_page([volume(VOL3, POLICY)], count=2), evs_page([volume(VOL1, POLICY), volume(VOL2, OTHER)])])
    reading = read(server, script, pauses)
    assert reading.trusted and reading.source == "evs_metadata" and reading.warning is None
    assert script.asked == ["list", "count", "ids", "list"]
    assert reading.policy_of(VOL1) == POLICY and reading.policy_of(VOL2) == OTHER
    assert reading.members is None and pauses == []


def test_a_volume_evs_does_not_know_is_in_no_policy(server, pauses):
    script = Script([policies(1), policies(1)], [evs_page([volume(VOL3, POLICY)]), evs_page([volume(VOL1, POLICY)])])
    reading = read(server, script, pauses)
    assert reading.trusted and reading.policy_of(VOL2) is None


def test_a_count_that_changed_during_the_reads_proves_nothing_and_is_read_again(server, pauses):
    # Someone added a volume between the two listings: neither 2 nor 3 is known to match the EVS read.
    script = Script([policies(2), policies(3), policies(3), policies(3)],
                    [evs_page([volume(VOL3, POLICY)], count=2), evs_page([]),
                     evs_page([volume(VOL3, POLICY)], count=3), evs_page([])])
    reading = read(server, script, pauses)
    assert reading.trusted
    assert script.asked == ["list", "count", "ids", "list", "list", "count", "ids", "list"]
    assert pauses == [vbs_evs_members.PAUSE_BASE_SECONDS * 2]  # one pause before the second window


def test_a_stable_disagreement_is_read_once_more_then_the_count_decides(server, pauses):
    script = Script([policies(3), policies(3), policies(3), policies(3)],
                    [evs_page([volume(VOL3, POLICY)], count=2), evs_page([volume(VOL3, POLICY)], count=2)])
    reading = read(server, script, pauses)
    assert not reading.trusted and reading.source == "count"
    assert reading.note.startswith("EVS lists 2 volume(s) whose metadata names policy daily")
    assert "VBS counts 3" in reading.note and reading.warning is None  # a fact about the cloud, not a fault
    assert script.asked == ["list", "count", "list", "list", "count", "list"]
    assert len(pauses) == 1


def test_no_member_with_the_metadata_gives_up_at_once(server, pauses):
    script = Script([policies(5)], [evs_page([], count=0)])
    reading = read(server, script, pauses)
    assert not reading.trusted and reading.warning is None
    assert script.asked == ["list", "count"] and pauses == []


def test_an_empty_policy_agrees_with_an_empty_listing(server, pauses):
    script = Script([policies(0), policies(0)], [evs_page([], count=0), evs_page([volume(VOL1)])])
    reading = read(server, script, pauses)
    assert reading.trusted and reading.policy_of(VOL1) is None


def test_a_count_that_never_settles_gives_up_after_the_last_attempt(server, pauses):
    listings = []
    for attempt in range(vbs_evs_members.MAX_ATTEMPTS):
        listings += [policies(attempt), policies(attempt + 1)]
    answers = [answer for attempt in range(vbs_evs_members.MAX_ATTEMPTS)
               for answer in (evs_page([volume(VOL3, POLICY)] if attempt else [], count=attempt), evs_page([]))]
    script = Script(listings, answers)
    reading = read(server, script, pauses)
    assert not reading.trusted
    assert "kept changing while its members were read (%d attempts)" % vbs_evs_members.MAX_ATTEMPTS in reading.note
    assert len(pauses) == vbs_evs_members.MAX_ATTEMPTS - 1
    assert max(pauses) == vbs_evs_members.PAUSE_CAP_SECONDS


@pytest.mark.parametrize("status,warned", [(403, True), (401, True), (400, False), (404, False), (500, True)])
def test_an_evs_error_gives_up_at_once_and_warns_when_the_user_can_act(server, pauses, status, warned):
    script = Script([policies(2)], [json_reply(status, {"error": {"code": "EVS.0003", "message": "no"}})])
    reading = read(server, script, pauses)
    assert not reading.trusted and reading.note.startswith("EVS could not be read: EVS refused GET")
    assert script.asked == ["list", "count"]
    if not warned:
        assert reading.warning is None
    elif status in (401, 403):
        assert "grant the credentials the permission evs:volumes:list" in reading.warning
    else:
        assert reading.warning.startswith("EVS could not be read, so the policy's volume count decides")


def test_an_evs_that_ignores_the_metadata_filter_is_not_trusted(server, pauses):
    # Asked for the members of POLICY, it answers a volume of another policy: it lists everything.
    script = Script([policies(2)], [evs_page([volume(VOL3, OTHER)], count=2)])
    reading = read(server, script, pauses)
    assert not reading.trusted and "does not apply that filter" in reading.note and reading.warning is None


def test_an_evs_that_ignores_the_ids_filter_is_not_trusted(server, pauses):
    script = Script([policies(1)], [evs_page([volume(VOL3, POLICY)]), evs_page([volume(VOL3, POLICY)])])
    reading = read(server, script, pauses, requested=(VOL1,))
    assert not reading.trusted and "ids filter" in reading.note and reading.warning is None


def test_a_policy_metadata_that_is_no_policy_id_makes_the_answer_unusable(server, pauses):
    script = Script([policies(1)], [evs_page([volume(VOL3, "../../x")])])
    reading = read(server, script, pauses)
    assert not reading.trusted and "no policy ID" in reading.note


def test_without_an_evs_endpoint_the_count_decides(server, pauses):
    script = Script([policies(1)], [])
    reading = read(server, script, pauses, evs=False)
    assert not reading.trusted and "no EVS endpoint" in reading.note and script.asked == ["list"]


def test_the_whole_listing_follows_the_pages(server, pauses):
    link = [{"rel": "next", "href": "http://elsewhere.example/v2/%s/cloudvolumes/detail?marker=%s" % (PROJECT, VOL1)}]
    script = Script([policies(2), policies(2)],
                    [evs_page([volume(VOL1, POLICY)], count=2, links=link), evs_page([volume(VOL2, POLICY)], count=2)])
    reading = read(server, script, pauses, whole_listing=True)
    assert reading.trusted and reading.members == {VOL1, VOL2}
    # Both requested volumes are members: the listing told their policy, so no volume is read by ID.
    assert script.asked == ["list", "members", "members", "list"]
    # The link's host is never followed: the next page is asked of the same server.
    second = [recorded for recorded in server.requests if "marker" in recorded.target]
    assert len(second) == 1 and dict(parse_qsl(urlsplit(second[0].target).query))["marker"] == VOL1


def test_policies_members_are_kept_only_where_their_count_agrees(server, pauses):
    server.answer_with(Script(
        [policies(2, other=3), policies(2, other=3), policies(2, other=3), policies(2, other=3)],
        [evs_page([volume(VOL1, POLICY), volume(VOL2, POLICY)]), evs_page([volume(VOL3, OTHER)]),
         evs_page([volume(VOL3, OTHER)])]))
    transport = Transport(timeout=5, retries=0)
    auth = AkSkAuth("HPUAEXAMPLEACCESSKEY", "exampleSecretKey0123456789abcdefghijklmn")
    found, warning = vbs_evs_members.read_policies_members(
        VBSClient(transport, auth, server.url, PROJECT), EVSClient(transport, auth, server.url, PROJECT),
        [POLICY, OTHER], sleep=pauses.append, rand=lambda: 0.5)
    assert warning is None
    assert found[POLICY] == (sorted([VOL1, VOL2]), None)
    volumes, note = found[OTHER]
    assert volumes is None and "EVS lists 1 volume(s) whose metadata names policy weekly" in note
    asked = [json.loads(dict(parse_qsl(urlsplit(recorded.target).query)).get("metadata", "{}")).get("policy")
             for recorded in server.requests if "cloudvolumes" in recorded.target]
    assert asked == [POLICY, OTHER, OTHER]  # the agreeing policy is not read again


@pytest.mark.parametrize("count,requested,whole", [
    (0, 1, False), (30, 2, False), (200, 60, False), (199, 61, True), (100, 100, True), (5000, 5000, True),
    (400, 120, False), (400, 121, True)])
def test_every_member_is_read_when_that_costs_fewer_requests(count, requested, whole):
    assert vbs_evs_members.cheaper_to_list_members(count, ["v"] * requested) is whole


def test_a_steady_run_over_many_volumes_reads_the_members_and_no_volume(server, pauses):
    many = ["00000000-0000-4000-8000-%012d" % number for number in range(61)]
    script = Script([policies(61), policies(61)], [evs_page([volume(volume_id, POLICY) for volume_id in many])])
    reading = read(server, script, pauses, requested=many)
    assert reading.trusted and script.asked == ["list", "members", "list"]
    assert all(reading.policy_of(volume_id) == POLICY for volume_id in many)


def test_with_every_member_read_only_the_other_volumes_are_read_one_by_one(server, pauses):
    many = ["00000000-0000-4000-8000-%012d" % number for number in range(61)]
    script = Script([policies(2), policies(2)],
                    [evs_page([volume(many[0], POLICY), volume(many[1], POLICY)]), evs_page([volume(many[2], OTHER)])])
    reading = read(server, script, pauses, requested=many)
    assert reading.trusted and script.asked == ["list", "members", "ids", "list"]
    (ids_read,) = [recorded for recorded in server.requests if "ids=" in recorded.target]
    assert many[0] not in ids_read.target and many[60] in ids_read.target
    assert (reading.policy_of(many[0]), reading.policy_of(many[2]), reading.policy_of(many[3])) == (POLICY, OTHER, None)
