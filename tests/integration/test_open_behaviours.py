# -*- coding: utf-8 -*-
# Copyright: (c) 2026, huaweicloud.vbs contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""The module under every choice of the behaviours the API reference leaves open.

For each combination of the emulator's switches (how VBS answers a request to
associate a volume that is already a member, and to disassociate a volume that
is not, and whether EVS volume metadata names each member's policy), the
idempotence, check-mode and state=absent scenarios run: the module's real
main() in this process, task after task as in playbooks/open_behaviours.yml,
and for the published defaults that playbook itself through ansible-playbook.
In each, the module either converges and its re-run is ok, or it fails with a
message that says what VBS answered. The emulator's inspection API holds the
truth.

With evs_policy_metadata "sync" every policy's member listing is proven and the
module is exact per volume; with "partial" (the seeded members carry no
metadata) and "off" it is not, and the policy's count decides.
"""

import json
import os

import pytest

from support import ansible_cli, module_runner, seeds

PLAYBOOK = os.path.join(os.path.dirname(os.path.abspath(__file__)), "playbooks", "open_behaviours.yml")
V = seeds.volume_id
POLICIES = ("idempotence", "lenient", "check", "absent")
IDEMPOTENCE, LENIENT, CHECK, ABSENT = (seeds.policy_id(number) for number in range(1, 5))
MEMBERS = {"idempotence": [1], "lenient": [10], "check": [4, 5, 6], "absent": [7, 8, 9]}
SCENARIO_VARS = {
    "idempotence_volumes": [V(1), V(2), V(3)],
    "lenient_volumes": [V(10), V(11)],
    "check_members": [V(4), V(5)],
    "check_more": [V(4), V(5), V(6), V(12)],
    "absent_volumes": [V(7), V(8), V(13)],
}

MEMBER_ASSOCIATION = ("success", "fail_with_code")
NON_MEMBER_DISASSOCIATION = ("fail_without_code", "fail_with_code", "success")
EVS_POLICY_METADATA = ("sync", "partial", "off")
PUBLISHED_DEFAULTS = ("success", "fail_without_code", "sync")

# The tasks of playbooks/open_behaviours.yml, in order: (registered name, policy, arguments, check mode).
SCENARIOS = (
    ("idempotence_first", "idempotence", {"volumes": SCENARIO_VARS["idempotence_volumes"]}, False),
    ("idempotence_second", "idempotence", {"volumes": SCENARIO_VARS["idempotence_volumes"]}, False),
    ("lenient_first", "lenient", {"volumes": SCENARIO_VARS["lenient_volumes"], "fail_on_resource_errors": False}, False),
    ("lenient_second", "lenient", {"volumes": SCENARIO_VARS["lenient_volumes"], "fail_on_resource_errors": False}, False),
    ("check_members_only", "check", {"volumes": SCENARIO_VARS["check_members"]}, True),
    ("check_more_than_held", "check", {"volumes": SCENARIO_VARS["check_more"]}, True),
    ("check_absent", "check", {"volumes": SCENARIO_VARS["check_members"][:1], "state": "absent"}, True),
    ("absent_first", "absent", {"volumes": SCENARIO_VARS["absent_volumes"], "state": "absent"}, False),
    ("absent_second", "absent", {"volumes": SCENARIO_VARS["absent_volumes"], "state": "absent"}, False),
)


def ids(items):
    return sorted(item["resource_id"] for item in items)


def results_in_process(emulator):
    """The scenarios' results, each task run by the module's main() in this process."""
    results = {}
    for name, policy, args, check in SCENARIOS:
        run = module_runner.adhoc("vbs_policy_resources", dict(args, backup_policy_name=policy),
                                  seeds.aksk_env(emulator.url), check=check)
        results[name] = run.result
    return results


def results_of_the_playbook(emulator, tmp_path):
    results_file = tmp_path / "results.json"
    extra = dict(SCENARIO_VARS, results_file=str(results_file))
    run = ansible_cli.playbook(PLAYBOOK, seeds.aksk_env(emulator.url), extra_vars=extra)
    assert run.rc == 0, run
    return json.loads(results_file.read_text())


@pytest.mark.parametrize("metadata", EVS_POLICY_METADATA)
@pytest.mark.parametrize("non_member", NON_MEMBER_DISASSOCIATION)
@pytest.mark.parametrize("member", MEMBER_ASSOCIATION)
def test_scenarios_under_every_choice(emulator, member, non_member, metadata):
    check_scenarios(emulator, member, non_member, metadata, results_in_process)


def test_the_scenario_playbook_under_the_published_defaults(emulator, tmp_path):
    check_scenarios(emulator, *PUBLISHED_DEFAULTS, run_scenarios=lambda vbs: results_of_the_playbook(vbs, tmp_path))


def check_scenarios(emulator, member, non_member, metadata, run_scenarios):
    emulator.reset(seeds.seed(volumes=14, policies=POLICIES, members=MEMBERS))
    emulator.configure(member_association=member, non_member_disassociation=non_member, evs_policy_metadata=metadata)
    results = run_scenarios(emulator)

    exact = metadata == "sync"
    for name, result in results.items():
        assert result["membership_source"] == ("evs_metadata" if exact else "count"), (name, result)
    if exact:
        check_exact(results)
    else:
        check_idempotence(results, member)
        check_lenient(results, member)
        check_check_mode(results)
        check_absent(results, non_member)
    # Check mode never sent a change.
    check_paths = [entry["path"] for entry in emulator.requests() if entry["method"] == "POST"
                   and CHECK in json.dumps(entry["body"]) + entry["path"]]
    assert check_paths == []

    # Whatever VBS answered, the membership converged.
    truth = {policy["name"]: policy["members"] for policy in emulator.policies()}
    assert truth == {
        "idempotence": sorted([V(1), V(2), V(3)]),
        "lenient": sorted([V(10), V(11)]),
        "check": sorted([V(4), V(5), V(6)]),
        "absent": [V(9)],
    }


def check_idempotence(results, member):
    first, second = results["idempotence_first"], results["idempotence_second"]
    assert first["changed"] is True and first["membership_verified"] is True
    assert second["changed"] is False and second["membership_verified"] is True
    assert (second["resource_count_before"], second["resource_count_after"]) == (3, 3)
    if member == "success":
        assert not first.get("failed") and not second.get("failed"), (first, second)
        return
    # VBS answers a member with a fail item: the module cannot tell "already a member" from a failure.
    assert first["failed"] is True and second["failed"] is True
    assert first["msg"].startswith("1 of 3 volumes could not be associated with policy idempotence")
    assert "%s (AutoBackup.1400: the resource is already associated" % V(1) in first["msg"]
    assert second["msg"].startswith("3 of 3 volumes could not be associated with policy idempotence")
    # AutoBackup.1400 is the reference's "the resource is invalid": quoted as VBS said it, never read as
    # "maybe already a member".
    for result in (first, second):
        assert "already in the policy" not in result["msg"]


def check_lenient(results, member):
    first, second = results["lenient_first"], results["lenient_second"]
    assert first["changed"] is True and second["changed"] is False
    assert not first.get("failed") and not second.get("failed")
    assert first["membership_verified"] is True and second["membership_verified"] is True
    if member == "success":
        assert first["fail_resources"] == [] and second["fail_resources"] == []
    else:
        assert ids(first["fail_resources"]) == [V(10)]
        assert ids(second["fail_resources"]) == sorted([V(10), V(11)])


def check_check_mode(results):
    members_only, more, absent = (results["check_members_only"], results["check_more_than_held"],
                                  results["check_absent"])
    assert (members_only["changed"], members_only["membership_verified"]) == (False, False)
    assert (more["changed"], more["membership_verified"]) == (True, True)
    assert (absent["changed"], absent["membership_verified"]) == (False, False)
    for result in (members_only, more, absent):
        assert result["success_resources"] == [] and result["moved_from"] == []


def check_absent(results, non_member):
    first, second = results["absent_first"], results["absent_second"]
    for result in (first, second):
        assert not result.get("failed"), result
        assert result["membership_verified"] is True
    assert first["changed"] is True and second["changed"] is False
    assert (first["resource_count_before"], first["resource_count_after"]) == (3, 1)
    assert (second["resource_count_before"], second["resource_count_after"]) == (1, 1)
    if non_member == "success":
        assert first["not_member_resources"] == [] and second["not_member_resources"] == []
        assert ids(second["success_resources"]) == sorted([V(7), V(8), V(13)])
    else:
        assert first["not_member_resources"] == [V(13)]
        assert sorted(second["not_member_resources"]) == sorted([V(7), V(8), V(13)])
        codes = {item.get("code") for item in second["fail_resources"]}
        assert codes == ({None} if non_member == "fail_without_code" else {"AutoBackup.1400"})


def check_exact(results):
    """With a proven member listing only what differs is sent, whatever VBS would answer for the rest."""
    for name, result in results.items():
        assert not result.get("failed"), (name, result)
        assert result["membership_verified"] is True, (name, result)
    first, second = results["idempotence_first"], results["idempotence_second"]
    assert first["changed"] is True and first["added_volumes"] == [V(2), V(3)]
    assert ids(first["success_resources"]) == [V(2), V(3)]  # the member was not sent
    assert second["changed"] is False and second["added_volumes"] == [] and second["success_resources"] == []
    lenient_first, lenient_second = results["lenient_first"], results["lenient_second"]
    assert lenient_first["changed"] is True and lenient_first["fail_resources"] == []
    assert lenient_second["changed"] is False and lenient_second["fail_resources"] == []
    # Check mode is exact per volume.
    assert results["check_members_only"]["changed"] is False
    assert results["check_more_than_held"]["changed"] is True
    assert results["check_more_than_held"]["added_volumes"] == [V(12)]
    assert results["check_absent"]["changed"] is True and results["check_absent"]["removed_volumes"] == [V(4)]
    absent_first, absent_second = results["absent_first"], results["absent_second"]
    assert absent_first["changed"] is True and absent_first["removed_volumes"] == [V(7), V(8)]
    assert absent_first["not_member_resources"] == [V(13)]
    assert absent_second["changed"] is False and absent_second["success_resources"] == []
    assert absent_second["not_member_resources"] == sorted([V(7), V(8), V(13)])
