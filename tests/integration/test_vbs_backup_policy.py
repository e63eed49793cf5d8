# -*- coding: utf-8 -*-
# Copyright: (c) 2026, huaweicloud.vbs contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""vbs_backup_policy against the emulator: its behaviours in this process, its examples through ansible.

The behaviours run the module's real main() in this process (support/module_runner.py)
against the emulator process; the example playbooks and the guide's task run
through the real ansible-playbook command.

Every test checks what the emulator really holds (GET /_emulator/policies/{id})
and which requests reached it, not only what the module says. The emulator's
backup policy behaviour settings (docs/emulator.md) are switched per test
to show the module right under each choice the VBS reference leaves open.
"""

import json
import os

import pytest

from support import ansible_cli, module_runner, seeds
from support.emulator import DEMO_SEED, EmulatorProcess

MODULE = "vbs_backup_policy"
DAILY = seeds.policy_id(1)
WEEKLY = seeds.policy_id(2)
V = seeds.volume_id
SEED_SCHEDULE = seeds.SCHEDULE
WRITE_METHODS = ("POST", "PUT", "DELETE")


@pytest.fixture
def vbs(emulator):
    """The emulator (settings restored by the emulator fixture) with policies daily (volumes 1 and 2) and weekly."""
    emulator.reset(seed_with())
    return emulator


def seed_with(**policies):
    """The default seed; ``policies`` maps "daily"/"weekly" to extra fields of that policy."""
    document = seeds.seed(members={"daily": [1, 2]})
    for policy in document["policies"]:
        policy.update(policies.get(policy["name"], {}))
    return document


def run(vbs, args, check=False, diff=False):
    """The module's real main() in this process against the emulator; the end-to-end tests below use ansible."""
    return module_runner.adhoc(MODULE, args, seeds.aksk_env(vbs.url), check=check, diff=diff)


def policy_path(vbs):
    return "/v2/%s/backuppolicy" % seeds.PROJECT_ID


def arm(vbs, method, path, kind):
    """The next request with this method and path gets the fault ``kind`` (POST /_emulator/faults)."""
    status, data = vbs.call("POST", "/_emulator/faults", {"method": method, "path": path, "kind": kind})
    assert status == 204, data


def requests(vbs):
    return [entry for entry in vbs.requests() if entry["path"].startswith(("/v2/", "/v3/"))]


def writes(vbs):
    """VBS requests that change something (the IAM token request is not one)."""
    return [entry for entry in vbs.requests() if entry["method"] in WRITE_METHODS and entry["path"].startswith("/v2/")]


def details(vbs, policy_id):
    status, data = vbs.call("GET", "/_emulator/policies/%s" % policy_id)
    assert status == 200, data
    return data["policy"]


def named(vbs, name):
    return [policy["id"] for policy in vbs.policies() if policy["name"] == name]


NIGHTLY = {"name": "nightly", "start_time": ["02:00", "14:00"], "week_frequency": ["mon", "FRI"], "retention_day": 30,
           "keep_first_backup_of_month": True, "tags": {"team": "dba", "env": "prod"}}


# -- create and idempotence -------------------------------------------------------------------

def test_create_then_the_same_run_is_ok_with_zero_writes(vbs):
    vbs.clear_requests()
    first = run(vbs, NIGHTLY)
    assert first.rc == 0, first
    assert first.result["changed"] is True
    [policy_id] = named(vbs, "nightly")
    truth = details(vbs, policy_id)
    assert truth["scheduled_policy"] == {"start_time": "02:00,14:00", "week_frequency": ["MON", "FRI"],
                                         "rentention_day": 30, "remain_first_backup_of_curMonth": "Y", "status": "ON"}
    assert truth["tags"] == {"team": "dba", "env": "prod"}
    creates = [entry for entry in writes(vbs) if entry["method"] == "POST"]
    assert len(creates) == 1 and creates[0]["body"]["tags"] == [{"key": "team", "value": "dba"},
                                                                {"key": "env", "value": "prod"}]
    assert first.result["policy"] == {
        "backup_policy_id": policy_id, "name": "nightly", "start_time": ["02:00", "14:00"], "frequency": None,
        "week_frequency": ["MON", "FRI"], "retention_num": None, "retention_day": 30,
        "keep_first_backup_of_month": True, "enabled": True, "tags": {"team": "dba", "env": "prod"},
        "policy_resource_count": 0, "time_zone": None}

    vbs.clear_requests()
    again = run(vbs, dict(NIGHTLY, start_time="14:00,02:00", week_frequency=["FRI", "MON"]))
    assert again.rc == 0, again
    assert again.result["changed"] is False
    assert writes(vbs) == []
    assert again.result["policy"] == first.result["policy"]


def test_create_needs_the_schedule_and_sends_no_write_without_it(vbs):
    vbs.clear_requests()
    result = run(vbs, {"name": "half", "start_time": "02:00", "frequency": 1})
    assert result.rc != 0
    assert result.result["msg"] == "Cannot create backup policy half: a new backup policy needs retention_num or retention_day"
    assert writes(vbs) == []
    assert named(vbs, "half") == []


def test_create_with_a_given_id_is_refused(vbs):
    vbs.clear_requests()
    result = run(vbs, dict(NIGHTLY, backup_policy_id="0000beef-0000-4000-8000-000000000000"))
    assert result.rc != 0
    assert "No backup policy with ID 0000beef-0000-4000-8000-000000000000" in result.result["msg"]
    assert writes(vbs) == []


def test_a_create_applied_before_a_500_is_found_not_repeated(vbs):
    arm(vbs, "POST", policy_path(vbs), "error500_after_apply")
    vbs.clear_requests()
    result = run(vbs, NIGHTLY)
    assert result.rc == 0, result
    assert result.result["changed"] is True
    assert len(named(vbs, "nightly")) == 1
    assert [entry["fault"] for entry in writes(vbs)] == ["error500_after_apply"]
    assert result.result["policy"]["backup_policy_id"] == named(vbs, "nightly")[0]


@pytest.mark.parametrize("kind", ["error500", "unavailable503", "drop", "throttle"])
def test_a_create_that_failed_before_it_ran_is_sent_again(vbs, kind):
    arm(vbs, "POST", policy_path(vbs), kind)
    vbs.clear_requests()
    result = run(vbs, NIGHTLY)
    assert result.rc == 0, result
    assert result.result["changed"] is True
    assert len(named(vbs, "nightly")) == 1
    assert [entry["fault"] for entry in writes(vbs)] == [kind, None]


def test_a_create_that_vbs_refuses_changes_nothing(vbs):
    vbs.configure(policies_per_tenant=2)
    result = run(vbs, NIGHTLY)
    assert result.rc != 0
    assert result.result["changed"] is False
    assert "400 AutoBackup.0203" in result.result["msg"]
    assert named(vbs, "nightly") == []


def test_a_create_that_keeps_failing_before_it_runs_is_not_claimed(vbs):
    for _attempt in range(2):
        arm(vbs, "POST", policy_path(vbs), "error500")
    result = run(vbs, dict(NIGHTLY, retries=1))
    assert result.rc != 0
    assert result.result["changed"] is False
    assert result.result["msg"].endswith("VBS lists no new policy named nightly, so the create was not applied")
    assert named(vbs, "nightly") == []


# -- check mode and diff --------------------------------------------------------------------

def test_check_mode_with_diff_predicts_a_create_and_sends_no_write(vbs):
    vbs.clear_requests()
    result = run(vbs, NIGHTLY, check=True, diff=True)
    assert result.rc == 0, result
    assert result.result["changed"] is True
    assert result.result["diff"]["before"] == {}
    assert result.result["diff"]["after"] == {
        "name": "nightly", "start_time": ["02:00", "14:00"], "frequency": None, "week_frequency": ["MON", "FRI"],
        "retention_num": None, "retention_day": 30, "keep_first_backup_of_month": True, "enabled": True,
        "tags": {"team": "dba", "env": "prod"}}
    assert result.result["policy"]["backup_policy_id"] is None
    assert writes(vbs) == []
    assert named(vbs, "nightly") == []


def test_check_mode_with_diff_predicts_an_update_exactly(vbs):
    vbs.reset(seed_with(daily={"tags": [{"key": "team", "value": "dba"}]}))
    vbs.clear_requests()
    args = {"name": "daily", "enabled": False, "retention_day": 14, "tags": {"team": "dba", "env": "prod"}}
    predicted = run(vbs, args, check=True, diff=True)
    assert predicted.rc == 0, predicted
    assert predicted.result["changed"] is True
    diff = predicted.result["diff"]
    changed = sorted(key for key in diff["after"] if diff["after"][key] != diff["before"][key])
    assert changed == ["enabled", "retention_day", "retention_num", "tags"]
    assert (diff["before"]["retention_num"], diff["after"]["retention_num"]) == (7, None)
    assert writes(vbs) == []
    assert details(vbs, DAILY)["scheduled_policy"] == SEED_SCHEDULE

    real = run(vbs, args, diff=True)
    assert real.rc == 0, real
    assert real.result["diff"] == diff  # the prediction was exact
    assert real.result["policy"] == dict(predicted.result["policy"])


# -- updates ------------------------------------------------------------------------------------

@pytest.mark.parametrize("args, schedule_change, put", [
    ({"start_time": ["03:00", "15:00"]}, {"start_time": "03:00,15:00"}, {"start_time": "03:00,15:00", "frequency": 1}),
    ({"frequency": 3}, {"frequency": 3}, {"frequency": 3}),
    ({"week_frequency": ["SAT"]}, {"week_frequency": ["SAT"]}, {"week_frequency": ["SAT"]}),
    ({"retention_num": 14}, {"rentention_num": 14}, {"rentention_num": 14, "frequency": 1}),
    ({"retention_day": 60}, {"rentention_day": 60}, {"rentention_day": 60, "frequency": 1}),
    ({"keep_first_backup_of_month": True}, {"remain_first_backup_of_curMonth": "Y"},
     {"remain_first_backup_of_curMonth": "Y", "frequency": 1}),
    ({"enabled": False}, {"status": "OFF"}, {"status": "OFF", "frequency": 1}),
])
def test_each_field_is_changed_alone_with_one_modify(vbs, args, schedule_change, put):
    vbs.clear_requests()
    result = run(vbs, dict(args, name="daily"))
    assert result.rc == 0, result
    assert result.result["changed"] is True
    expected = dict(SEED_SCHEDULE)
    for key in schedule_change:
        partner = {"frequency": "week_frequency", "week_frequency": "frequency", "rentention_num": "rentention_day",
                   "rentention_day": "rentention_num"}.get(key)
        expected.pop(partner, None)
    expected.update(schedule_change)
    assert details(vbs, DAILY)["scheduled_policy"] == expected
    assert [(entry["method"], entry["body"]) for entry in writes(vbs)] == [("PUT", {"scheduled_policy": put})]
    assert details(vbs, WEEKLY)["scheduled_policy"] == SEED_SCHEDULE  # the other policy is untouched

    vbs.clear_requests()
    again = run(vbs, dict(args, name="daily"))
    assert again.rc == 0 and again.result["changed"] is False, again
    assert writes(vbs) == []


def test_disable_and_enable(vbs):
    assert run(vbs, {"name": "daily", "enabled": False}).result["changed"] is True
    assert details(vbs, DAILY)["scheduled_policy"]["status"] == "OFF"
    assert run(vbs, {"name": "daily", "enabled": False}).result["changed"] is False
    enabled = run(vbs, {"name": "daily", "enabled": True})
    assert enabled.result["changed"] is True and enabled.result["policy"]["enabled"] is True
    assert details(vbs, DAILY)["scheduled_policy"]["status"] == "ON"


@pytest.mark.parametrize("requires_interval", [True, False])
def test_a_modify_is_accepted_whether_or_not_vbs_insists_on_the_interval(vbs, requires_interval):
    vbs.configure(modify_requires_interval=requires_interval)
    result = run(vbs, {"name": "daily", "enabled": False})
    assert result.rc == 0, result
    assert details(vbs, DAILY)["scheduled_policy"] == dict(SEED_SCHEDULE, status="OFF")


def test_a_cloud_on_the_older_reference_refuses_a_long_interval_and_nothing_changes(vbs):
    vbs.configure(max_frequency=14, max_retention_num=14)
    vbs.clear_requests()
    result = run(vbs, {"name": "daily", "frequency": 20})
    assert result.rc != 0
    assert result.result["changed"] is False
    assert "400 AutoBackup.0106" in result.result["msg"]
    assert result.result["policy"]["frequency"] == 1
    assert details(vbs, DAILY)["scheduled_policy"] == SEED_SCHEDULE


def test_a_vbs_that_keeps_the_old_interval_is_reported_not_believed(vbs):
    vbs.configure(exclusive_keys="keep")
    result = run(vbs, {"name": "daily", "week_frequency": ["SUN"]})
    assert result.rc != 0
    assert result.result["changed"] is True
    assert result.result["msg"].startswith("VBS accepted the changes to backup policy daily (ID %s) but lists other "
                                           "values afterwards: frequency: VBS lists 1, expected none; "
                                           "week_frequency: VBS lists none, expected SUN" % DAILY)
    assert result.result["policy"]["frequency"] == 1


def test_a_modify_whose_every_attempt_fails_after_vbs_applied_it_is_not_called_ok(vbs):
    for _attempt in range(2):
        arm(vbs, "PUT", policy_path(vbs) + "/" + DAILY, "error500_after_apply")
    result = run(vbs, {"name": "daily", "enabled": False, "retries": 1})
    assert result.rc != 0
    assert result.result["changed"] is True
    assert "VBS may have applied (or may still apply) the failed request" in result.result["msg"]
    assert result.result["policy"]["enabled"] is False  # as VBS lists it after the failure
    assert details(vbs, DAILY)["scheduled_policy"]["status"] == "OFF"


# -- tags --------------------------------------------------------------------------------------

@pytest.mark.parametrize("create_existing", ["overwrite", "keep", "refuse"])
def test_tags_are_added_changed_and_purged(vbs, create_existing):
    vbs.reset(seed_with(daily={"tags": [{"key": "team", "value": "dba"}, {"key": "env", "value": "test"},
                                        {"key": "old", "value": "x"}]}))
    vbs.configure(tag_create_existing=create_existing)
    vbs.clear_requests()
    result = run(vbs, {"name": "daily", "tags": {"team": "dba", "env": "prod", "new": "y"}})
    assert result.rc == 0, result
    assert result.result["changed"] is True
    assert details(vbs, DAILY)["tags"] == {"team": "dba", "env": "prod", "new": "y"}
    assert result.result["policy"]["tags"] == {"team": "dba", "env": "prod", "new": "y"}
    assert [(entry["method"], entry["body"]["action"]) for entry in writes(vbs)] == [("POST", "delete"),
                                                                                     ("POST", "create")]
    vbs.clear_requests()
    again = run(vbs, {"name": "daily", "tags": {"new": "y", "env": "prod", "team": "dba"}})
    assert again.result["changed"] is False and writes(vbs) == []


def test_purge_tags_false_keeps_the_other_tags(vbs):
    vbs.reset(seed_with(daily={"tags": [{"key": "team", "value": "dba"}]}))
    result = run(vbs, {"name": "daily", "tags": {"cost-center": "cc-4711"}, "purge_tags": False})
    assert result.rc == 0 and result.result["changed"] is True, result
    assert details(vbs, DAILY)["tags"] == {"team": "dba", "cost-center": "cc-4711"}
    vbs.clear_requests()
    assert run(vbs, {"name": "daily", "tags": {"cost-center": "cc-4711"}, "purge_tags": False}).result["changed"] is False
    assert writes(vbs) == []
    emptied = run(vbs, {"name": "daily", "tags": {}})
    assert emptied.result["changed"] is True
    assert details(vbs, DAILY)["tags"] == {}


def test_too_many_tags_after_a_merge_are_refused_before_any_write(vbs):
    vbs.reset(seed_with(daily={"tags": [{"key": "k%d" % number, "value": "v"} for number in range(8)]}))
    vbs.clear_requests()
    result = run(vbs, {"name": "daily", "tags": {"a": "1", "b": "2", "c": "3"}, "purge_tags": False})
    assert result.rc != 0
    assert "would have 11 tags" in result.result["msg"]
    assert writes(vbs) == []


def test_a_tag_refused_after_a_modify_is_reported_with_what_was_done(vbs):
    vbs.clear_requests()
    result = run(vbs, {"name": "daily", "enabled": False, "tags": {"team.name": "dba"}})
    assert result.rc != 0
    assert result.result["changed"] is True
    message = result.result["msg"]
    assert "400 AutoBackup.0214" in message
    assert message.endswith("Already done in this run: changed enabled")
    assert result.result["policy"]["enabled"] is False  # read back after the failure
    assert details(vbs, DAILY)["scheduled_policy"]["status"] == "OFF"


# -- rename ------------------------------------------------------------------------------------

def test_rename_by_id(vbs):
    result = run(vbs, {"backup_policy_id": DAILY, "name": "daily-renamed"}, diff=True)
    assert result.rc == 0, result
    assert result.result["changed"] is True
    assert result.result["diff"]["before"]["name"] == "daily" and result.result["diff"]["after"]["name"] == "daily-renamed"
    assert details(vbs, DAILY)["name"] == "daily-renamed"
    assert details(vbs, DAILY)["members"] == [V(1), V(2)]
    vbs.clear_requests()
    assert run(vbs, {"backup_policy_id": DAILY, "name": "daily-renamed"}).result["changed"] is False
    assert writes(vbs) == []


@pytest.mark.parametrize("unique", [False, True])
def test_rename_to_a_taken_name_is_refused_before_any_write(vbs, unique):
    vbs.configure(unique_policy_names=unique)
    vbs.clear_requests()
    result = run(vbs, {"backup_policy_id": DAILY, "name": "weekly"})
    assert result.rc != 0
    assert WEEKLY in result.result["msg"] and "already has that name" in result.result["msg"]
    assert writes(vbs) == []
    assert details(vbs, DAILY)["name"] == "daily"


def test_an_ambiguous_name_lists_the_ids_and_changes_nothing(vbs):
    vbs.reset(seeds.seed(extra_policies=[(7, "daily")]))
    vbs.clear_requests()
    result = run(vbs, {"name": "daily", "enabled": False})
    assert result.rc != 0
    message = result.result["msg"]
    assert message.startswith("2 backup policies are named daily in project %s" % seeds.PROJECT_ID)
    assert DAILY in message and seeds.policy_id(7) in message
    assert writes(vbs) == []
    by_id = run(vbs, {"backup_policy_id": seeds.policy_id(7), "enabled": False})
    assert by_id.rc == 0 and by_id.result["changed"] is True, by_id
    assert details(vbs, seeds.policy_id(7))["scheduled_policy"]["status"] == "OFF"
    assert details(vbs, DAILY)["scheduled_policy"]["status"] == "ON"


# -- absent ------------------------------------------------------------------------------------

def test_absent_refuses_a_policy_that_protects_volumes_without_force(vbs):
    vbs.clear_requests()
    result = run(vbs, {"name": "daily", "state": "absent"})
    assert result.rc != 0
    assert result.result["changed"] is False
    assert result.result["msg"].startswith("Backup policy daily (ID %s) still protects 2 volume(s)" % DAILY)
    assert "force: true" in result.result["msg"]
    assert writes(vbs) == []
    assert details(vbs, DAILY)["members"] == [V(1), V(2)]


def test_absent_with_force_deletes_and_its_rerun_is_ok(vbs):
    result = run(vbs, {"name": "daily", "state": "absent", "force": True}, diff=True)
    assert result.rc == 0, result
    assert result.result["changed"] is True
    assert result.result["diff"]["after"] == {} and result.result["diff"]["before"]["name"] == "daily"
    assert result.result["policy"]["policy_resource_count"] == 2
    assert named(vbs, "daily") == []
    assert {volume["id"]: volume["policy_id"] for volume in vbs.volumes()}[V(1)] is None
    vbs.clear_requests()
    again = run(vbs, {"name": "daily", "state": "absent", "force": True})
    assert again.rc == 0 and again.result["changed"] is False, again
    assert writes(vbs) == []


def test_absent_of_an_empty_policy_needs_no_force_and_check_mode_sends_nothing(vbs):
    vbs.clear_requests()
    checked = run(vbs, {"name": "weekly", "state": "absent"}, check=True)
    assert checked.rc == 0 and checked.result["changed"] is True, checked
    assert writes(vbs) == [] and named(vbs, "weekly") == [WEEKLY]
    deleted = run(vbs, {"name": "weekly", "state": "absent"})
    assert deleted.rc == 0 and deleted.result["changed"] is True, deleted
    assert named(vbs, "weekly") == []


def test_absent_with_force_on_a_vbs_that_refuses_reports_its_error(vbs):
    vbs.configure(delete_policy_with_volumes="refuse")
    result = run(vbs, {"name": "daily", "state": "absent", "force": True})
    assert result.rc != 0
    assert result.result["changed"] is False
    assert "400 AutoBackup.1300" in result.result["msg"]
    assert details(vbs, DAILY)["members"] == [V(1), V(2)]


@pytest.mark.parametrize("retries", [{}, {"retries": 0}], ids=["retried", "only-attempt"])
def test_a_delete_applied_before_a_500_counts_as_done(vbs, retries):
    arm(vbs, "DELETE", policy_path(vbs) + "/" + WEEKLY, "error500_after_apply")
    result = run(vbs, dict({"name": "weekly", "state": "absent"}, **retries))
    assert result.rc == 0, result
    assert result.result["changed"] is True
    assert named(vbs, "weekly") == []


def test_a_delete_that_fails_before_it_runs_changes_nothing(vbs):
    arm(vbs, "DELETE", policy_path(vbs) + "/" + WEEKLY, "error500")
    result = run(vbs, {"name": "weekly", "state": "absent", "retries": 0})
    assert result.rc != 0
    assert result.result["changed"] is False
    assert "500 AutoBackup.0009" in result.result["msg"]
    assert named(vbs, "weekly") == [WEEKLY]


# -- bad input -----------------------------------------------------------------------------------

@pytest.mark.parametrize("args, message", [
    ({"start_time": "25:00"}, "start_time must be full hours in UTC such as '02:00'"),
    ({"start_time": "12:30"}, "got '12:30'"),
    ({"frequency": 1, "week_frequency": ["MON"]}, "parameters are mutually exclusive: frequency|week_frequency"),
    ({"retention_num": 7, "retention_day": 7}, "parameters are mutually exclusive: retention_num|retention_day"),
    ({"retention_num": 1}, "retention_num must be a whole number of backups from 2 to 99, got 1"),
    ({"retention_day": 100000}, "retention_day must be a whole number of days from 2 to 99999, got 100000"),
    ({"frequency": 31}, "frequency must be a whole number of days from 1 to 30, got 31"),
    ({"week_frequency": ["Monday"]}, "week_frequency must name days as SUN, MON"),
    ({"tags": {"a/b": "x"}}, "a tag key must not hold"),
])
def test_bad_input_is_refused_before_any_request(vbs, args, message):
    vbs.clear_requests()
    result = run(vbs, dict(args, name="daily"))
    assert result.rc != 0
    assert message in result.result["msg"]
    assert requests(vbs) == []


def test_a_new_name_must_follow_the_vbs_rules_before_any_request(vbs):
    vbs.clear_requests()
    assert "1 to 64 letters" in run(vbs, {"name": "has space", "enabled": True}).result["msg"]
    assert requests(vbs) == []
    reserved = run(vbs, dict(NIGHTLY, name="default-nightly"))
    assert "must not start with 'default'" in reserved.result["msg"]
    assert writes(vbs) == []


# -- the example playbook ----------------------------------------------------------------------

def test_the_protect_database_example_runs_twice_and_then_is_all_ok():
    example = os.path.join(ansible_cli.REPO_ROOT, "examples", "protect_database.yml")
    with open(DEMO_SEED) as handle:
        demo = json.load(handle)
    key = demo["credentials"]["access_keys"][0]
    with EmulatorProcess(seed=DEMO_SEED) as demo_vbs:
        env = {"HW_VBS_ENDPOINT": demo_vbs.url, "HW_AUTH_URL": demo_vbs.url + "/v3", "HW_REGION_NAME": "eu-de",
               "HW_ACCESS_KEY": key["access_key"], "HW_SECRET_KEY": key["secret_key"]}
        checked = ansible_cli.playbook(example, env, check=True)
        assert checked.rc == 0, checked
        assert "changed=1 " in checked.stdout and "skipped=1 " in checked.stdout
        assert named(demo_vbs, "orders-db-nightly") == []

        first = ansible_cli.playbook(example, env)
        assert first.rc == 0, first
        assert "changed=2 " in first.stdout and "failed=0 " in first.stdout
        [policy_id] = named(demo_vbs, "orders-db-nightly")
        truth = details(demo_vbs, policy_id)
        assert truth["scheduled_policy"] == {"start_time": "01:00", "frequency": 1, "rentention_num": 14,
                                             "remain_first_backup_of_curMonth": "Y", "status": "ON"}
        assert truth["tags"] == {"app": "orders-db", "owner": "dba"}
        assert truth["members"] == ["11111111-0000-4000-8000-000000000009", "11111111-0000-4000-8000-000000000010"]

        demo_vbs.clear_requests()
        second = ansible_cli.playbook(example, env)
        assert second.rc == 0, second
        assert "changed=0 " in second.stdout and "ok=3 " in second.stdout
        # Neither the policy nor its members are written again: the emulator's EVS shows the members.
        assert writes(demo_vbs) == []


def test_the_task_in_the_backup_policy_guide_runs_and_then_is_ok(vbs, tmp_path):
    guide = os.path.join(ansible_cli.REPO_ROOT, "docs", "backup_policy.md")
    with open(guide) as handle:
        text = handle.read()
    snippet = text.split("```yaml\n", 1)[1].split("```", 1)[0]
    play = "- hosts: localhost\n  gather_facts: false\n  tasks:\n" + "".join(
        "    " + line + "\n" for line in snippet.splitlines())
    playbook = tmp_path / "guide.yml"
    playbook.write_text(play)
    first = ansible_cli.playbook(str(playbook), seeds.aksk_env(vbs.url))
    assert first.rc == 0, first
    assert "changed=1 " in first.stdout
    [policy_id] = named(vbs, "daily-db")
    assert details(vbs, policy_id)["scheduled_policy"]["rentention_num"] == 7
    second = ansible_cli.playbook(str(playbook), seeds.aksk_env(vbs.url))
    assert second.rc == 0 and "changed=0 " in second.stdout, second
