# -*- coding: utf-8 -*-
# Copyright: (c) 2026, huaweicloud.vbs contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""The switches for what the API reference leaves open, and the "other actor" switch.

Defaults are the reference's published example answers; every other choice is
set at run time (POST /_emulator/config) or on the command line.
"""

import pytest

from emulator_testlib import FREE, IN_A, IN_B, POLICY_A, POLICY_B, POLICY_BUSY, UNKNOWN_VOLUME, build_seed
from support.emulator import EmulatorProcess


# -- defaults: the published examples ------------------------------------------------------------

def test_defaults_are_the_published_choices(emulator):
    config = emulator.config()
    assert config["member_association"] == "success"
    assert config["non_member_disassociation"] == "fail_without_code"
    assert config["other_actor_volumes"] == 0


def test_default_associate_answer_has_the_published_shape(api):
    # The reference's example: one success item with exactly these four fields, and an empty fail list.
    answer = api.associate(POLICY_A, FREE[0])
    assert answer.status == 200
    assert answer.data == {"success_resources": [{"resource_id": FREE[0], "resource_type": "volume",
                                                  "availability_zone": "eu-de-01", "os_vol_host_attr": "pod01.eu-de-01"}],
                           "fail_resources": []}


def test_default_disassociate_answer_for_a_non_member_is_the_published_example(api, emulator):
    answer = api.disassociate(POLICY_A, FREE[1])
    assert answer.status == 200
    assert answer.data == {"success_resources": [], "fail_resources": [{"resource_id": FREE[1]}]}
    # A volume that does not exist is no member either.
    answer = api.disassociate(POLICY_A, UNKNOWN_VOLUME)
    assert answer.data == {"success_resources": [], "fail_resources": [{"resource_id": UNKNOWN_VOLUME}]}
    assert emulator.members(POLICY_A) == [IN_A]


# -- re-associating a member ----------------------------------------------------------------------

def test_member_association_fail_with_code(api, emulator):
    emulator.configure(member_association="fail_with_code")
    answer = api.associate(POLICY_A, IN_A, FREE[0], IN_B)
    assert [item["resource_id"] for item in answer.data["success_resources"]] == [FREE[0], IN_B]
    assert answer.data["fail_resources"] == [{
        "resource_id": IN_A, "resource_type": "volume", "availability_zone": "eu-de-02",
        "os_vol_host_attr": "pod02.eu-de-02", "code": "AutoBackup.1400",
        "message": "the resource is already associated with the backup policy"}]
    # The member stays; the free volume joins; the volume of another policy still moves.
    assert emulator.members(POLICY_A) == sorted([IN_A, FREE[0], IN_B])
    assert emulator.members(POLICY_B) == []


def test_member_association_success_is_a_no_op(api, emulator):
    emulator.configure(member_association="success")
    before = api.count(POLICY_A)
    answer = api.associate(POLICY_A, IN_A)
    assert [item["resource_id"] for item in answer.data["success_resources"]] == [IN_A]
    assert api.count(POLICY_A) == before


# -- disassociating a non-member --------------------------------------------------------------------

@pytest.mark.parametrize("choice,success,fail", [
    ("fail_without_code", [], [{"resource_id": FREE[1]}]),
    ("fail_with_code", [], [{"resource_id": FREE[1], "code": "AutoBackup.1400",
                             "message": "the resource is not associated with the backup policy"}]),
    ("success", [{"resource_id": FREE[1]}], []),
])
def test_non_member_disassociation_choices(api, emulator, choice, success, fail):
    emulator.configure(non_member_disassociation=choice)
    answer = api.disassociate(POLICY_A, IN_A, FREE[1])
    assert answer.data["success_resources"] == [{"resource_id": IN_A}] + success
    assert answer.data["fail_resources"] == fail
    assert emulator.members(POLICY_A) == []
    volumes = {volume["id"]: volume for volume in emulator.volumes()}
    assert volumes[FREE[1]]["policy_id"] is None


def test_an_executing_policy_still_refuses_with_0225_whatever_the_choice(api, emulator):
    emulator.configure(non_member_disassociation="success", member_association="fail_with_code")
    answer = api.disassociate(POLICY_BUSY, FREE[0])
    assert [item["code"] for item in answer.data["fail_resources"]] == ["AutoBackup.0225"]


# -- another actor ----------------------------------------------------------------------------------

def test_another_actor_adds_free_volumes_during_each_associate_call(api, emulator):
    emulator.configure(other_actor_volumes=2)
    answer = api.associate(POLICY_A, IN_A)
    # The caller's answer is only about its own volume ...
    assert [item["resource_id"] for item in answer.data["success_resources"]] == [IN_A]
    assert answer.data["fail_resources"] == []
    # ... but the policy gained the first two free volumes in seed order.
    assert emulator.members(POLICY_A) == sorted([IN_A, FREE[0], FREE[1]])
    assert api.count(POLICY_A) == 3
    api.associate(POLICY_A, IN_A)
    assert emulator.members(POLICY_A) == sorted([IN_A, FREE[0], FREE[1], FREE[2], FREE[3]])


def test_another_actor_adds_during_a_disassociate_call_too(api, emulator):
    emulator.configure(other_actor_volumes=1)
    api.disassociate(POLICY_A, IN_A)
    assert emulator.members(POLICY_A) == [FREE[0]]


def test_another_actor_never_takes_volumes_of_other_policies_or_blocked_ones(api, emulator):
    emulator.configure(other_actor_volumes=100)
    api.associate(POLICY_A, IN_A)
    members = emulator.members(POLICY_A)
    assert members == sorted([IN_A] + FREE)  # not IN_B (policy B), not the error / awaiting-transfer volumes
    assert emulator.members(POLICY_B) == [IN_B]


def test_another_actor_respects_the_policy_volume_limit(api, emulator):
    emulator.configure(other_actor_volumes=5, policy_volume_limit=3)
    api.associate(POLICY_A, IN_A)
    assert len(emulator.members(POLICY_A)) == 3


# -- setting the switches --------------------------------------------------------------------------

@pytest.mark.parametrize("change", [
    {"member_association": "fail"}, {"member_association": None},
    {"non_member_disassociation": "fail-without-code"}, {"non_member_disassociation": 1},
    {"other_actor_volumes": -1}, {"other_actor_volumes": 1.5}, {"other_actor_volumes": "2"},
])
def test_bad_switch_values_are_refused_and_change_nothing(emulator, change):
    before = emulator.config()
    status, data = emulator.call("POST", "/_emulator/config", change)
    assert status == 400
    assert list(change)[0] in data["error"]["message"]
    assert emulator.config() == before


def test_switches_from_the_command_line():
    args = ["--member-association", "fail_with_code", "--non-member-disassociation", "success",
            "--other-actor-volumes", "3"]
    with EmulatorProcess(seed=build_seed(), args=args) as process:
        config = process.config()
    assert (config["member_association"], config["non_member_disassociation"], config["other_actor_volumes"]) == (
        "fail_with_code", "success", 3)


def test_a_bad_command_line_choice_stops_the_emulator_before_it_listens():
    process = EmulatorProcess(seed=build_seed(), args=["--non-member-disassociation", "maybe"])
    with pytest.raises(Exception) as caught:
        process.start()
    assert "exited with status 2" in str(caught.value)
    assert "--non-member-disassociation" in str(caught.value)
