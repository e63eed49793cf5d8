# -*- coding: utf-8 -*-
# Copyright: (c) 2026, huaweicloud.vbs contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""Random sequences of associate / disassociate / volume status changes, checked
item by item against a small model of the documented rules (docs/emulator.md)."""

from emulator_testlib import Api, build_seed
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

POLICIES = ["p-1", "p-2", "p-busy"]
VOLUMES = ["v-%d" % number for number in range(6)]
UNKNOWN = "v-unknown"
LIMIT = 3
BLOCKED = {"error", "error_extending", "awaiting-transfer"}
STATUSES = ["available", "in-use", "error", "error_extending", "awaiting-transfer"]


def _seed():
    seed = build_seed()
    seed["limits"]["policy_volume_limit"] = LIMIT
    seed["volumes"] = [{"id": volume_id} for volume_id in VOLUMES]
    seed["policies"] = [{"id": "p-1", "name": "p-1"}, {"id": "p-2", "name": "p-2"},
                        {"id": "p-busy", "name": "p-busy", "executing": True}]
    return seed


class Model:
    """The documented association rules, in plain Python."""

    def __init__(self):
        self.owner = dict.fromkeys(VOLUMES)
        self.status = dict.fromkeys(VOLUMES, "available")

    def members(self, policy):
        return sorted(volume for volume, owner in self.owner.items() if owner == policy)

    def associate(self, policy, volume_ids):
        results = []
        for volume in volume_ids:
            if policy == "p-busy":
                results.append(("fail", volume, "AutoBackup.0225"))
            elif volume not in self.owner:
                results.append(("fail", volume, "AutoBackup.1400"))
            elif self.status[volume] in BLOCKED:
                results.append(("fail", volume, "AutoBackup.0206"))
            elif self.owner[volume] == policy:
                results.append(("ok", volume, None))
            elif len(self.members(policy)) >= LIMIT:
                results.append(("fail", volume, "AutoBackup.0204"))
            else:
                self.owner[volume] = policy
                results.append(("ok", volume, None))
        return results

    def disassociate(self, policy, volume_ids):
        results = []
        for volume in volume_ids:
            if policy == "p-busy":
                results.append(("fail", volume, "AutoBackup.0225"))
            elif self.owner.get(volume) != policy:
                results.append(("fail", volume, None))  # the reference's example: no code
            else:
                self.owner[volume] = None
                results.append(("ok", volume, None))
        return results


def _outcome(answer):
    """The answer as [(ok|fail, resource_id, code)], successes first as VBS lists them."""
    assert answer.status == 200, answer
    return ([("ok", item["resource_id"], None) for item in answer.data["success_resources"]]
            + [("fail", item["resource_id"], item.get("code")) for item in answer.data["fail_resources"]])


def _ordered(results):
    return [item for item in results if item[0] == "ok"] + [item for item in results if item[0] == "fail"]


volume_lists = st.lists(st.sampled_from(VOLUMES + [UNKNOWN]), min_size=1, max_size=5)
operations = st.lists(st.one_of(
    st.tuples(st.just("associate"), st.sampled_from(POLICIES), volume_lists),
    st.tuples(st.just("disassociate"), st.sampled_from(POLICIES), volume_lists),
    st.tuples(st.just("status"), st.sampled_from(VOLUMES), st.sampled_from(STATUSES)),
), min_size=1, max_size=10)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(steps=operations)
def test_association_follows_the_documented_rules(emulator_process, steps):
    emulator_process.reset(_seed())
    api = Api(emulator_process)
    model = Model()
    for kind, target, argument in steps:
        if kind == "status":
            emulator_process.set_volume(target, status=argument)
            model.status[target] = argument
        elif kind == "associate":
            answer = api.with_token("POST", "/backuppolicyresources", {
                "backup_policy_id": target,
                "resources": [{"resource_id": volume, "resource_type": "volume"} for volume in argument]})
            assert _outcome(answer) == _ordered(model.associate(target, argument)), (kind, target, argument)
        else:
            answer = api.with_token("POST", "/backuppolicyresources/%s/deleted_resources" % target,
                                    {"resources": [{"resource_id": volume} for volume in argument]})
            assert _outcome(answer) == _ordered(model.disassociate(target, argument)), (kind, target, argument)
    truth = {policy["id"]: policy["members"] for policy in emulator_process.policies()}
    assert truth == {policy: model.members(policy) for policy in POLICIES}
    counts = {item["backup_policy_id"]: item["policy_resource_count"]
              for item in api.with_token("GET", "/backuppolicy").data["backup_policies"]}
    assert counts == {policy: len(model.members(policy)) for policy in POLICIES}
