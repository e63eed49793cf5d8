# -*- coding: utf-8 -*-
# Copyright: (c) 2026, huaweicloud.vbs contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""Associate / disassociate semantics, checked against the true membership the
inspection API shows."""

import threading

from emulator_testlib import (
    ERROR_VOLUME, FREE, IN_A, IN_B, POLICY_A, POLICY_B, POLICY_BUSY, TRANSFER_VOLUME, UNKNOWN_VOLUME, build_seed, resources)


def _codes(answer):
    return {item["resource_id"]: item["code"] for item in answer.data["fail_resources"]}


def test_partial_failure_is_reported_item_by_item(api, emulator):
    answer = api.associate(POLICY_A, FREE[0], ERROR_VOLUME, UNKNOWN_VOLUME)
    assert answer.status == 200
    assert answer.data["success_resources"] == [{
        "resource_id": FREE[0], "resource_type": "volume",
        "availability_zone": "eu-de-01", "os_vol_host_attr": "pod01.eu-de-01"}]
    assert _codes(answer) == {ERROR_VOLUME: "AutoBackup.0206", UNKNOWN_VOLUME: "AutoBackup.1400"}
    failed = {item["resource_id"]: item for item in answer.data["fail_resources"]}
    assert failed[ERROR_VOLUME]["availability_zone"] == "eu-de-01"
    assert failed[ERROR_VOLUME]["os_vol_host_attr"] == "pod01.eu-de-01"
    assert failed[ERROR_VOLUME]["message"]
    assert emulator.members(POLICY_A) == sorted([IN_A, FREE[0]])
    assert api.count(POLICY_A) == 2


def test_awaiting_transfer_is_refused_until_the_status_changes(api, emulator):
    assert _codes(api.associate(POLICY_A, TRANSFER_VOLUME)) == {TRANSFER_VOLUME: "AutoBackup.0206"}
    emulator.set_volume(TRANSFER_VOLUME, status="available")
    answer = api.associate(POLICY_A, TRANSFER_VOLUME)
    assert [item["resource_id"] for item in answer.data["success_resources"]] == [TRANSFER_VOLUME]
    assert TRANSFER_VOLUME in emulator.members(POLICY_A)


def test_reassociating_a_member_is_a_no_op_success(api, emulator):
    before = api.count(POLICY_A)
    answer = api.associate(POLICY_A, IN_A)
    assert [item["resource_id"] for item in answer.data["success_resources"]] == [IN_A]
    assert answer.data["fail_resources"] == []
    assert api.count(POLICY_A) == before
    assert emulator.members(POLICY_A) == [IN_A]


def test_associating_a_member_of_another_policy_moves_it(api, emulator):
    answer = api.associate(POLICY_A, IN_B)
    assert [item["resource_id"] for item in answer.data["success_resources"]] == [IN_B]
    assert emulator.members(POLICY_A) == sorted([IN_A, IN_B])
    assert emulator.members(POLICY_B) == []
    assert api.count(POLICY_B) == 0
    volumes = {volume["id"]: volume for volume in emulator.volumes()}
    assert volumes[IN_B]["policy_id"] == POLICY_A


def test_full_policy_refuses_with_0204_and_keeps_moved_volume_where_it_was(api, emulator):
    emulator.configure(policy_volume_limit=2)
    answer = api.associate(POLICY_A, FREE[0], FREE[1], IN_B)
    assert [item["resource_id"] for item in answer.data["success_resources"]] == [FREE[0]]
    assert _codes(answer) == {FREE[1]: "AutoBackup.0204", IN_B: "AutoBackup.0204"}
    assert emulator.members(POLICY_A) == sorted([IN_A, FREE[0]])
    assert emulator.members(POLICY_B) == [IN_B]
    # A member is still a no-op success when the policy is full.
    assert _codes(api.associate(POLICY_A, IN_A)) == {}


def test_seed_limit_sets_the_policy_volume_limit(api, emulator):
    seed = build_seed()
    seed["limits"]["policy_volume_limit"] = 1
    emulator.reset(seed)
    assert _codes(api.associate(POLICY_A, FREE[0])) == {FREE[0]: "AutoBackup.0204"}


def test_unknown_policy_is_404_autobackup_0205(api):
    answer = api.associate("no-such-policy", FREE[0])
    assert answer.status == 404
    assert answer.data["error"]["code"] == "AutoBackup.0205"
    answer = api.disassociate("no-such-policy", FREE[0])
    assert answer.status == 404
    assert answer.data["error"]["code"] == "AutoBackup.0205"


def test_request_level_body_errors(api, emulator):
    cases = [
        (b"{not json", "AutoBackup.0008"),
        (b"[]", "AutoBackup.0008"),
        ({"resources": resources(FREE[0])}, "AutoBackup.0006"),
        ({"backup_policy_id": "", "resources": resources(FREE[0])}, "AutoBackup.0006"),
        ({"backup_policy_id": POLICY_A}, "AutoBackup.0207"),
        ({"backup_policy_id": POLICY_A, "resources": []}, "AutoBackup.0207"),
    ]
    for body, code in cases:
        answer = api.with_token("POST", "/backuppolicyresources", body)
        assert answer.status == 400, body
        assert answer.data == {"error": {"code": code, "message": answer.data["error"]["message"]}}, body
    assert emulator.members(POLICY_A) == [IN_A]


def test_bad_resource_items_fail_one_by_one(api, emulator):
    body = {"backup_policy_id": POLICY_A, "resources": [
        {"resource_type": "volume"},
        {"resource_id": FREE[0], "resource_type": "server"},
        {"resource_id": FREE[1], "resource_type": "volume"},
    ]}
    answer = api.with_token("POST", "/backuppolicyresources", body)
    assert answer.status == 200
    assert [item["code"] for item in answer.data["fail_resources"]] == ["AutoBackup.0209", "AutoBackup.0211"]
    assert [item["resource_id"] for item in answer.data["success_resources"]] == [FREE[1]]
    assert emulator.members(POLICY_A) == sorted([IN_A, FREE[1]])


def test_executing_policy_fails_every_item_with_0225(api, emulator):
    answer = api.associate(POLICY_BUSY, FREE[0], FREE[1])
    assert _codes(answer) == {FREE[0]: "AutoBackup.0225", FREE[1]: "AutoBackup.0225"}
    assert answer.data["success_resources"] == []
    emulator.set_executing(POLICY_A, True)
    assert _codes(api.associate(POLICY_A, FREE[2])) == {FREE[2]: "AutoBackup.0225"}
    assert _codes(api.disassociate(POLICY_A, IN_A)) == {IN_A: "AutoBackup.0225"}
    emulator.set_executing(POLICY_A, False)
    assert _codes(api.associate(POLICY_A, FREE[2])) == {}
    assert emulator.members(POLICY_BUSY) == []
    assert emulator.members(POLICY_A) == sorted([IN_A, FREE[2]])


def test_disassociate_member_and_non_member(api, emulator):
    answer = api.disassociate(POLICY_A, IN_A, FREE[0], IN_B)
    assert answer.status == 200
    assert answer.data["success_resources"] == [{"resource_id": IN_A}]
    # By default a non-member is answered as the API reference's example shows: no code, no message.
    assert answer.data["fail_resources"] == [{"resource_id": FREE[0]}, {"resource_id": IN_B}]
    assert emulator.members(POLICY_A) == []
    assert emulator.members(POLICY_B) == [IN_B]
    assert api.count(POLICY_A) == 0


def test_concurrent_associations_are_atomic(api, emulator):
    """Threads moving the same volumes between two policies leave each volume in exactly one."""
    token = api.token()
    errors = []

    def worker(index):
        policy = (POLICY_A, POLICY_B)[index % 2]
        for _round in range(10):
            answer = api.with_token("POST", "/backuppolicyresources",
                                    {"backup_policy_id": policy, "resources": resources(*FREE)}, token=token)
            if answer.status != 200 or answer.data["fail_resources"]:
                errors.append(answer)

    threads = [threading.Thread(target=worker, args=(index,)) for index in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert errors == []
    members_a = set(emulator.members(POLICY_A))
    members_b = set(emulator.members(POLICY_B))
    assert not members_a & members_b
    assert members_a | members_b == set(FREE) | {IN_A, IN_B}
    assert api.count(POLICY_A) + api.count(POLICY_B) == len(FREE) + 2


def test_disassociate_checks_the_policy_before_the_resource_list(api):
    answer = api.with_token("POST", "/backuppolicyresources/no-such-policy/deleted_resources", {"resources": []})
    assert (answer.status, answer.data["error"]["code"]) == (404, "AutoBackup.0205")
    answer = api.with_token("POST", "/backuppolicyresources/%s/deleted_resources" % POLICY_A, {"resources": []})
    assert (answer.status, answer.data["error"]["code"]) == (400, "AutoBackup.0207")
    answer = api.with_token("POST", "/backuppolicyresources/%s/deleted_resources" % POLICY_A, b"{")
    assert (answer.status, answer.data["error"]["code"]) == (400, "AutoBackup.0008")
