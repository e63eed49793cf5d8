# -*- coding: utf-8 -*-
# Copyright: (c) 2026, huaweicloud.vbs contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""Each decision of vbs_backup_policy, one group of tests per decision (see docs/backup_policy.md).

The module's real main() runs in this process against a scripted VBS (a real HTTP
server on loopback) that answers exactly the listings, tags and write answers a
test needs, so every branch is reached on purpose; each test checks the requests
that reached the server, not only what the module says.
"""

from ansible_collections.huaweicloud.vbs.plugins.modules import vbs_backup_policy
from ansible_collections.huaweicloud.vbs.tests.support.module_args import PROJECT_ID, run_main, scripted_args
from ansible_collections.huaweicloud.vbs.tests.support.scripted_server import Reply, json_reply

POLICY_ID = "0ea1f4b3-7c2d-4f5e-9a6b-1c2d3e4f5a6b"
NEW_ID = "7b6a5c4d-3e2f-4a1b-8c9d-0e1f2a3b4c5d"
SCHEDULE = {"start_time": "02:00", "frequency": 1, "rentention_num": 7, "remain_first_backup_of_curMonth": "N",
            "status": "ON"}


def listed(*policies):
    return json_reply(200, {"backup_policies": list(policies)})


def nightly(count=0, **schedule):
    return {"backup_policy_id": POLICY_ID, "backup_policy_name": "nightly", "policy_resource_count": count,
            "scheduled_policy": dict(SCHEDULE, **schedule)}


def tags(*pairs, **spelling):
    """A tag answer; ``spelling`` value_key="values" spells the value as the reference's example once does."""
    value_key = spelling.get("value_key", "value")
    return json_reply(200, {"tags": [{"key": key, value_key: value} for key, value in pairs]})


def run(server, **options):
    args = dict(name="nightly", retries=0)
    args.update(options)
    return run_main(vbs_backup_policy.main, scripted_args(server, **args))


def sent(server):
    return [(request.method, request.path.replace("/v2/" + PROJECT_ID, "")) for request in server.requests]


def writes(server):
    return [request for request in sent(server) if request[0] != "GET"]


# -- tags ----------------------------------------------------------------------------------------

def test_a_tag_value_spelled_values_is_the_tag_the_task_asks_for(server):
    # The reference's example answer of "Querying Tags of a Backup Policy" spells one value "values".
    server.add(listed(nightly()), tags(("team", "dba"), value_key="values"))
    result = run(server, tags={"team": "dba"})
    assert not result.get("failed"), result.get("msg")
    assert result["changed"] is False
    assert writes(server) == []
    assert result["policy"]["tags"] == {"team": "dba"}


def test_a_tag_that_no_reference_allows_is_refused_before_any_request(server):
    result = run(server, tags={"team": "a/b"})
    assert result["failed"] is True
    assert "must not hold control characters or any of" in result["msg"]
    assert server.requests == []


def test_a_tag_that_only_some_references_allow_is_left_to_vbs(server):
    refusal = {"error": {"code": "AutoBackup.0214", "message": "invalid tag"}}
    server.add(listed(nightly()), tags(), json_reply(400, refusal), listed(nightly()), tags())
    result = run(server, tags={"team.name": "dba"})
    assert writes(server) == [("POST", "/backuppolicy/%s/tags/action" % POLICY_ID)]
    assert server.requests[2].json() == {"action": "create", "tags": [{"key": "team.name", "value": "dba"}]}
    assert result["failed"] is True and "400 AutoBackup.0214 invalid tag" in result["msg"]
    assert result["changed"] is False


# -- create: sent once, looked for before it is sent again --------------------------------------

CREATE = dict(start_time=["02:00"], frequency=1, retention_num=7)
SERVER_ERROR = {"error": {"code": "AutoBackup.0009", "message": "internal error"}}


def created(policy_id=NEW_ID):
    return dict(nightly(), backup_policy_id=policy_id)


def test_a_create_applied_before_a_server_error_is_found_and_not_sent_again(server):
    server.add(listed(), json_reply(500, SERVER_ERROR), listed(created()), listed(created()), tags())
    result = run(server, retries=3, **CREATE)
    assert not result.get("failed"), result.get("msg")
    assert writes(server) == [("POST", "/backuppolicy")]
    assert result["changed"] is True and result["policy"]["backup_policy_id"] == NEW_ID


def test_a_create_not_applied_is_sent_again_after_looking(server):
    server.add(listed(), json_reply(503, SERVER_ERROR), listed(), json_reply(200, {"backup_policy_id": NEW_ID}),
               listed(created()), tags())
    result = run(server, retries=3, **CREATE)
    assert not result.get("failed"), result.get("msg")
    assert sent(server)[:4] == [("GET", "/backuppolicy"), ("POST", "/backuppolicy"), ("GET", "/backuppolicy"),
                                ("POST", "/backuppolicy")]
    assert result["policy"]["backup_policy_id"] == NEW_ID


def test_a_create_that_failed_every_time_and_never_appeared_changed_nothing(server):
    server.add(listed(), *[json_reply(500, SERVER_ERROR), listed()] * 2)
    result = run(server, retries=1, **CREATE)
    assert result["failed"] is True and result["changed"] is False
    assert result["msg"].endswith("VBS lists no new policy named nightly, so the create was not applied")
    assert len(writes(server)) == 2


# -- finding the policy -----------------------------------------------------------------------------

def test_several_policies_with_the_name_fail_with_their_ids_before_any_write(server):
    twin = dict(nightly(), backup_policy_id=NEW_ID)
    server.add(listed(nightly(), twin))
    result = run(server, enabled=False)
    assert result["failed"] is True
    assert "2 backup policies are named nightly" in result["msg"] and NEW_ID in result["msg"]
    assert writes(server) == []


def test_a_given_id_that_vbs_does_not_list_is_never_created(server):
    server.add(listed())
    result = run(server, backup_policy_id=NEW_ID, **dict(start_time=["02:00"], frequency=1, retention_num=7))
    assert result["failed"] is True and "to create a policy, give its name without backup_policy_id" in result["msg"]
    assert writes(server) == []


# -- update: only the options given, only what differs ------------------------------------------------

def test_options_that_match_send_no_write(server):
    server.add(listed(nightly()), tags(("team", "dba")))
    result = run(server, start_time="02:00", frequency=1, retention_num=7, enabled=True, tags={"team": "dba"})
    assert result["changed"] is False and writes(server) == []


def test_a_changed_field_is_sent_with_the_interval_and_read_back(server):
    server.add(listed(nightly()), tags(), json_reply(200, {"backup_policy_id": POLICY_ID}),
               listed(nightly(rentention_num=14)), tags())
    result = run(server, retention_num=14)
    assert not result.get("failed"), result.get("msg")
    assert writes(server) == [("PUT", "/backuppolicy/%s" % POLICY_ID)]
    assert server.requests[2].json() == {"scheduled_policy": {"rentention_num": 14, "frequency": 1}}
    assert result["changed"] is True and result["policy"]["retention_num"] == 14


def test_setting_one_of_a_pair_replaces_the_other(server):
    weekly = nightly(week_frequency=["MON"])
    del weekly["scheduled_policy"]["frequency"]
    server.add(listed(nightly()), tags(), json_reply(200, {"backup_policy_id": POLICY_ID}), listed(weekly), tags())
    result = run(server, week_frequency=["mon"])
    assert not result.get("failed"), result.get("msg")
    assert server.requests[2].json() == {"scheduled_policy": {"week_frequency": ["MON"]}}
    assert (result["policy"]["frequency"], result["policy"]["week_frequency"]) == (None, ["MON"])


def test_a_change_vbs_accepts_but_does_not_make_fails_and_names_the_field(server):
    server.add(listed(nightly()), tags(), json_reply(200, {"backup_policy_id": POLICY_ID}), listed(nightly()), tags())
    result = run(server, enabled=False)
    assert result["failed"] is True and result["changed"] is True
    assert "enabled: VBS lists True, expected False" in result["msg"]


# -- tags: purge or merge -----------------------------------------------------------------------------

def test_purge_removes_the_tags_not_given_and_changes_a_value_by_delete_then_create(server):
    server.add(listed(nightly()), tags(("team", "dba"), ("env", "test")), Reply(204), Reply(204),
               listed(nightly()), tags(("team", "ops")))
    result = run(server, tags={"team": "ops"})
    assert not result.get("failed"), result.get("msg")
    assert [request.json() for request in server.requests[2:4]] == [
        {"action": "delete", "tags": [{"key": "env", "value": "test"}, {"key": "team", "value": "dba"}]},
        {"action": "create", "tags": [{"key": "team", "value": "ops"}]}]
    assert result["policy"]["tags"] == {"team": "ops"}


def test_without_purge_the_other_tags_stay(server):
    server.add(listed(nightly()), tags(("env", "test")), Reply(204), listed(nightly()),
               tags(("env", "test"), ("team", "ops")))
    result = run(server, tags={"team": "ops"}, purge_tags=False)
    assert not result.get("failed"), result["msg"]
    assert writes(server) == [("POST", "/backuppolicy/%s/tags/action" % POLICY_ID)]
    assert server.requests[2].json() == {"action": "create", "tags": [{"key": "team", "value": "ops"}]}


# -- check mode and diff mode ---------------------------------------------------------------------------

def test_check_mode_predicts_the_change_with_read_requests_only(server):
    server.add(listed(nightly()), tags(("env", "test")))
    result = run(server, enabled=False, tags={"team": "ops"}, _ansible_check_mode=True, _ansible_diff=True)
    assert result["changed"] is True and writes(server) == []
    assert result["policy"]["enabled"] is False and result["policy"]["tags"] == {"team": "ops"}
    assert result["diff"]["before"]["enabled"] is True and result["diff"]["before"]["tags"] == {"env": "test"}
    assert result["diff"]["after"]["enabled"] is False and result["diff"]["after"]["tags"] == {"team": "ops"}


def test_check_mode_create_has_no_id_and_an_empty_before(server):
    server.add(listed())
    result = run(server, start_time=["02:00"], frequency=1, retention_num=7, _ansible_check_mode=True,
                 _ansible_diff=True)
    assert result["changed"] is True and writes(server) == []
    assert result["policy"]["backup_policy_id"] is None and result["policy"]["enabled"] is True
    assert result["diff"]["before"] == {} and result["diff"]["after"]["name"] == "nightly"


# -- absent -------------------------------------------------------------------------------------------------

def test_absent_deletes_a_policy_without_volumes(server):
    server.add(listed(nightly()), tags(), Reply(204))
    result = run(server, state="absent")
    assert result["changed"] is True and writes(server) == [("DELETE", "/backuppolicy/%s" % POLICY_ID)]


def test_absent_with_force_deletes_a_policy_that_protects_volumes(server):
    server.add(listed(nightly(count=3)), tags(), Reply(204))
    result = run(server, state="absent", force=True)
    assert result["changed"] is True and result["policy"]["policy_resource_count"] == 3
    assert writes(server) == [("DELETE", "/backuppolicy/%s" % POLICY_ID)]


def test_absent_of_a_policy_that_does_not_exist_is_ok(server):
    server.add(listed())
    result = run(server, state="absent")
    assert result["changed"] is False and "policy" not in result and writes(server) == []


def test_a_delete_answered_not_found_after_vbs_applied_it_is_a_success(server):
    gone = {"error": {"code": "AutoBackup.0205", "message": "The policy does not exist."}}
    server.add(listed(nightly()), tags(), json_reply(404, gone), listed())
    result = run(server, state="absent")
    assert not result.get("failed"), result.get("msg")
    assert result["changed"] is True
