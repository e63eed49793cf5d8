#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, huaweicloud.vbs contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r"""
module: vbs_policy_resources
short_description: Associate EVS volumes with a VBS backup policy, or remove them from it
version_added: 0.1.0
description:
  - Makes a Huawei Cloud Volume Backup Service (VBS) backup policy protect the given EVS volumes
    (O(state=present)) or stop protecting them (O(state=absent)), or (O(purge_volumes=true)) protect exactly them.
  - VBS has no call that lists the volumes of a policy; the one exact fact it exposes is the policy's volume
    count. The module therefore reads which policy each volume is in from EVS (the volume metadata C(policy))
    and uses that listing only when it holds as many volumes as the policy's count, read before and after it.
    With such a listing (RV(membership_source=evs_metadata)) it sends the associate call only for the requested
    volumes that are not members (O(state=absent) disassociates only the members), reports C(changed) exactly
    per volume (RV(added_volumes), RV(removed_volumes)), and check and diff mode are exact.
  - Without one (the cloud does not keep that metadata, the credentials may not read EVS, EVS is unreachable,
    or O(membership_source=count)), the policy's volume count decides (RV(membership_source=count)). The
    associate call then goes to every requested volume (a member is a no-op), and C(changed) is whether the count
    rose (or fell, for O(state=absent)). Runs of this module on one machine that change the same policy then take
    turns (a file lock per policy, see O(lock_timeout)); a change that the count shows but this run's own answers
    cannot explain (someone else changed the policy at the same time) is reported with
    RV(membership_verified=false) and a warning. Runs on different machines do not take turns.
    The collection's C(docs/membership.md) explains both.
  - A volume that is in another backup policy is moved to this one (a volume belongs to at most one policy).
    The policies whose volume count fell meanwhile are returned in RV(moved_from), with a warning.
  - Every per-volume failure that VBS reports is returned in RV(fail_resources) with its code and message.
  - The module never writes EVS volume metadata (writing it can drop a volume's association).
author:
  - huaweicloud.vbs contributors (@huaweicloud-vbs)
options:
  backup_policy_id:
    description:
      - ID of the backup policy.
      - Exactly one of O(backup_policy_id) and O(backup_policy_name) is required.
      - Letters, digits, C(-), C(_), C(.) and C(:), starting with a letter or a digit, at most 255
        characters (VBS policy IDs are UUIDs); anything else fails the task before any request.
    type: str
  backup_policy_name:
    description:
      - Name of the backup policy. The name must match exactly one policy of the project;
        when several policies share it, the module fails and lists their IDs.
      - The alias O(name) is the name of this option in M(huaweicloud.vbs.vbs_backup_policy).
    type: str
    aliases: [name]
  volumes:
    description:
      - IDs of the EVS volumes (UUIDs). Duplicates are collapsed; upper-case IDs are lower-cased.
      - Anything that is not a UUID fails the task before any request is sent.
      - An empty list asks for nothing and sends no request.
    type: list
    elements: str
    required: true
  state:
    description:
      - V(present) associates the volumes with the policy; V(absent) disassociates them.
    type: str
    choices: [present, absent]
    default: present
  purge_volumes:
    version_added: 0.2.0
    description:
      - With O(state=present), also remove from the policy every volume that is not in O(volumes), so that the
        policy holds exactly O(volumes). An empty O(volumes) then removes every volume from the policy.
      - This needs the policy's members. When the EVS listing is not trusted (see RV(membership_note)), the task
        fails before it changes anything. Volumes leave the policy only after every association was answered.
      - Check and diff mode show what would leave (RV(removed_volumes)).
    type: bool
    default: false
  membership_source:
    version_added: 0.2.0
    description:
      - Where the module learns which volumes the policy holds.
      - V(auto) reads the EVS member listing and uses it when the policy's count proves it, else the count decides.
      - V(evs_metadata) requires a proven EVS listing. Without one the task fails before any change (for runs
        that must be exact, such as AWX jobs with slicing).
      - V(count) never reads EVS. The count decides, as on a cloud without the metadata.
    type: str
    choices: [auto, evs_metadata, count]
    default: auto
  batch_size:
    description:
      - How many volumes each associate or disassociate request carries (between 1 and 500).
      - The default keeps each request small enough to finish quickly (the VBS console warns that
        associating more than 40 volumes at once can take long) while 1000 volumes still need only
        20 requests.
    type: int
    default: 50
  concurrency:
    description:
      - How many associate or disassociate requests (batches) are in flight at once, between 1 and 10.
      - Over a link with some latency, sending a few batches at once makes a run over thousands of
        volumes about as fast as a single request with all of them. V(1) sends one batch after the other.
      - After a request fails, no further batch is started; the answers of those in flight are still reported.
    type: int
    default: 4
  fail_on_resource_errors:
    description:
      - Whether a volume that VBS could not associate (or disassociate) fails the task.
      - When V(false), the failures are still returned in RV(fail_resources) and reported as a warning.
    type: bool
    default: true
  lock_timeout:
    version_added: 0.2.0
    description:
      - Only when the count decides (RV(membership_source=count)); with a proven EVS listing no lock is taken.
      - How many seconds to wait for other runs of this module on the same machine that change the same
        backup policy (same endpoint, project and policy), between 0 and 3600. V(0) does not wait.
      - Each run holds the policy's lock from reading its volume count before the change to reading it
        after, a few requests; runs on other policies do not wait. When the lock cannot be had in time,
        the task fails before it sends any change, naming the lock file and the policy.
      - The lock is a file lock in a directory of the user's own, which no other user can create first;
        under E(XDG_RUNTIME_DIR) when it is a private directory, else under E(XDG_CACHE_HOME) or
        C(~/.cache), else (last resort) in the temporary directory. It serializes runs of one user on one
        machine (for example the forks of one play that delegates the task to C(localhost)), not runs on
        different machines or containers. See the collection's C(docs/membership.md).
      - Check mode changes nothing and takes no lock.
    type: int
    default: 300
extends_documentation_fragment:
  - huaweicloud.vbs.vbs
  - huaweicloud.vbs.vbs.attributes
  - ansible.builtin.action_common_attributes
attributes:
  check_mode:
    support: partial
    details:
      - With a proven EVS listing, check mode is exact per volume, moves included (RV(added_volumes),
        RV(removed_volumes), RV(moved_from)).
      - When the count decides, check mode predicts a change only when the count proves one (for
        O(state=present), the policy holds fewer volumes than requested). Otherwise it reports no change,
        returns RV(membership_verified=false) and warns; it cannot predict moves from other policies.
  diff_mode:
    support: full
    details:
      - With a proven EVS listing, the diff shows the policy's volume count and its members among the volumes
        the run looks at (the requested ones; every member with O(purge_volumes=true)) before and after.
      - When the count decides, it shows the policy's volume count and the requested volumes.
seealso:
  - module: huaweicloud.vbs.vbs_backup
  - module: huaweicloud.vbs.vbs_backup_info
  - module: huaweicloud.vbs.vbs_backup_policy
  - module: huaweicloud.vbs.vbs_backup_policy_info
  - module: huaweicloud.vbs.vbs_backup_policy_run
  - module: huaweicloud.vbs.vbs_backup_restore
  - module: huaweicloud.vbs.vbs_volume_info
"""

EXAMPLES = r"""
- name: Protect the database volumes with the daily policy
  huaweicloud.vbs.vbs_policy_resources:
    backup_policy_name: daily-db
    volumes:
      - 11111111-0000-4000-8000-000000000003
      - 11111111-0000-4000-8000-000000000005
  register: protected

- name: Set the connection once for every module of the collection
  module_defaults:
    group/huaweicloud.vbs.vbs:
      region: eu-de
      endpoint: https://vbs.eu-de.otc.t-systems.com
      auth_url: https://iam.eu-de.otc.t-systems.com/v3
      # access_key and secret_key come from HW_ACCESS_KEY and HW_SECRET_KEY
  block:
    - name: Find the policy
      huaweicloud.vbs.vbs_backup_policy_info:
        backup_policy_name: daily-db
      register: policy_info

    - name: Protect the volumes
      huaweicloud.vbs.vbs_policy_resources:
        backup_policy_id: "{{ policy_info.backup_policies[0].backup_policy_id }}"
        volumes: "{{ db_volume_ids }}"

- name: Protect a list built from inventory variables, reporting but not failing on bad volumes
  huaweicloud.vbs.vbs_policy_resources:
    backup_policy_id: 22222222-0000-4000-8000-000000000001
    volumes: "{{ groups['databases'] | map('extract', hostvars, 'data_volume_id') | list }}"
    batch_size: 100
    fail_on_resource_errors: false
  register: result

- name: Protect each host's data volume from its own task, all on one policy
  huaweicloud.vbs.vbs_policy_resources:
    backup_policy_name: daily-db
    volumes:
      - "{{ data_volume_id }}"
  delegate_to: localhost

- name: Make the policy protect exactly these volumes, and no others
  huaweicloud.vbs.vbs_policy_resources:
    backup_policy_name: daily-db
    volumes:
      - 11111111-0000-4000-8000-000000000001
      - 11111111-0000-4000-8000-000000000003
    purge_volumes: true
    membership_source: evs_metadata

- name: Stop backing up a retired volume
  huaweicloud.vbs.vbs_policy_resources:
    backup_policy_name: daily-db
    volumes:
      - 11111111-0000-4000-8000-000000000002
    state: absent

# From the command line, with the HW_* environment variables set (never give secret_key with -a:
# ansible-core prints an -a string it cannot split, secret included, and ps shows command lines):
# ansible localhost -m huaweicloud.vbs.vbs_policy_resources \
#   -a 'backup_policy_name=daily-db volumes=11111111-0000-4000-8000-000000000003'
"""

RETURN = r"""
# Returned by every module of the collection (Ansible has no doc fragments for return values).
auth_kind: {type: str, sample: aksk, returned: once the connection options are accepted, description: "The kind of
  credentials used, never their value: V(aksk) (access keys), V(password) (user name and password) or V(token)."}
auth_source: {type: str, sample: environment, returned: once the connection options are accepted, description: "Where
  the credentials came from: V(task) when the task or C(module_defaults) sets any credential option, else V(environment)."}
policy:
  description:
    - The backup policy after the run. Its C(tags) are V(null), since the module does not read them.
    - Every module of the collection returns a policy with the same fields, in the terms of the options of
      M(huaweicloud.vbs.vbs_backup_policy), namely C(backup_policy_id), C(name), C(start_time), C(frequency),
      C(week_frequency), C(retention_num), C(retention_day), C(keep_first_backup_of_month), C(enabled), C(tags),
      C(policy_resource_count) and C(time_zone). The collection's C(docs/backup_policy.md) describes them
      (The policy the modules return).
  returned: when the policy was found
  type: dict
  sample: {backup_policy_id: 0ea1f4b3-7c2d-4f5e-9a6b-1c2d3e4f5a6b, name: daily-db, start_time: ["02:00"],
    frequency: 1, week_frequency: null, retention_num: 7, retention_day: null, keep_first_backup_of_month: false,
    enabled: true, tags: null, policy_resource_count: 12, time_zone: "UTC+08:00"}
resource_count_before:
  description: Number of volumes in the policy before the run.
  returned: when the policy was found
  type: int
  sample: 10
resource_count_after:
  description:
    - Number of volumes in the policy after the run (in check mode, the same as before). Other runs' changes
      made at the same time are in it too.
  returned: when the policy was found
  type: int
  sample: 12
success_resources:
  description:
    - The success items of every associate (or disassociate) request, merged, each with C(resource_id) and
      C(resource_type), C(availability_zone) and C(os_vol_host_attr) when VBS gave them.
    - Other fields are left out; control characters in the values are escaped, and each value is cut at
      2000 characters.
  returned: when the policy was found
  type: list
  elements: dict
  sample:
    - resource_id: 5d1f8f2e-0b4a-4a43-9d7e-3c1a2b3c4d5e
      resource_type: volume
      availability_zone: eu-de-01
      os_vol_host_attr: pod01.eu-de-01
fail_resources:
  description:
    - The fail items of every request, merged, each with C(resource_id), C(code) and C(message), and
      C(resource_type), C(availability_zone) and C(os_vol_host_attr) when VBS gave them, made safe as in
      RV(success_resources). The task's C(msg) quotes each code and message cut at 300 characters.
    - For O(state=absent), items that only say a volume is not in the policy (no code, as in the API
      reference's example answer, or C(AutoBackup.1400)) are listed here too, and in
      RV(not_member_resources); they do not fail the task.
  returned: when the policy was found
  type: list
  elements: dict
  sample:
    - resource_id: 8a9b0c1d-2e3f-4a5b-8c7d-9e0f1a2b3c4d
      resource_type: volume
      availability_zone: eu-de-02
      os_vol_host_attr: pod01.eu-de-02
      code: AutoBackup.0206
      message: The volume status does not allow association.
not_member_resources:
  description:
    - For O(state=absent), IDs of the requested volumes that are not in the policy, known from the proven EVS
      listing (nothing is sent for them) or reported so by VBS.
  returned: when the policy was found
  type: list
  elements: str
  sample: []
unreported_resources:
  description:
    - IDs of requested volumes that VBS named neither in its success nor in its fail items.
      Their outcome is unknown, so they count as failures (see O(fail_on_resource_errors)).
  returned: when the policy was found
  type: list
  elements: str
  sample: []
unrequested_resources:
  description:
    - Items of VBS's answers that name a volume the request did not ask for, each with C(outcome) (V(success)
      or V(fail), the list VBS put it in) and the fields of a success or fail item.
    - They are not this run's work. They are left out of RV(success_resources) and RV(fail_resources), one
      with V(fail) does not fail the task, and a warning names them.
  returned: when the policy was found
  type: list
  elements: dict
  sample: []
membership_source:
  description:
    - What decided. V(evs_metadata) is each volume's policy from an EVS listing that the policy's count proved,
      V(count) the policy's volume count alone (RV(membership_note) says why).
  returned: always
  type: str
  sample: evs_metadata
membership_note:
  description: Why the policy's volume count decided, for example that this cloud's EVS does not keep the metadata.
  returned: when RV(membership_source=count)
  type: str
  sample: "EVS lists 0 volume(s) whose metadata names policy daily-db (ID 0ea1f4b3-...), VBS counts 12: ..."
added_volumes:
  description:
    - The requested volumes that were not in the policy and that VBS associated (in check mode, that it would
      associate), in the order requested. Each of them made the run C(changed).
  returned: when RV(membership_source=evs_metadata)
  type: list
  elements: str
  sample: [8a9b0c1d-2e3f-4a5b-8c7d-9e0f1a2b3c4d]
removed_volumes:
  description:
    - The members that VBS disassociated (in check mode, that it would), the requested ones for O(state=absent)
      and the ones not requested for O(purge_volumes=true).
  returned: when RV(membership_source=evs_metadata)
  type: list
  elements: str
  sample: []
membership_verified:
  description:
    - V(true) when the result rests on facts VBS exposes, that is each volume's policy from a proven EVS listing,
      or the policy's volume count before and after when the count's change fits this run's own answers.
    - V(false) in check mode when the count cannot tell whether a change would happen; a warning says so.
    - V(false) when the count changed in a way this run alone cannot have caused (someone else changed the
      policy at the same time); a warning gives the counts. C(changed) is then V(true) if this run may
      have changed the policy (VBS reported a volume as associated or removed) and V(false) only if it
      cannot have.
    - V(false) in a failed run when changes were sent but what they did is unknown (the count could not be
      read again, or a request got no answer and may still take effect); C(changed) is then V(true).
  returned: when the policy was found
  type: bool
  sample: true
moved_from:
  description:
    - For O(state=present), the other backup policies whose volume count fell while this run associated
      volumes. A volume belongs to at most one policy, so associating a volume of another policy moves it
      and that policy no longer backs it up; a warning names each of these policies.
    - A change that someone else made to another policy at the same time shows here in the same way.
    - In check mode, the moves a real run would make, from each volume's policy in the proven EVS listing;
      always empty when the count decides.
  returned: when the policy was found
  type: list
  elements: dict
  contains:
    backup_policy_id:
      description: ID of the other policy.
      type: str
      sample: 9c0e4f1a-2b3c-4d5e-8f70-1a2b3c4d5e6f
    backup_policy_name:
      description: Name of the other policy.
      type: str
      sample: weekly-archive
    count_before:
      description: Its volume count before this run's change.
      type: int
      sample: 5
    count_after:
      description: Its volume count after this run's change.
      type: int
      sample: 4
    volumes:
      description: The volumes this run moved out of it, as the proven EVS listing named their policy.
      type: list
      elements: str
      returned: when RV(membership_source=evs_metadata)
      sample: [5d1f8f2e-0b4a-4a43-9d7e-3c1a2b3c4d5e]
  sample:
    - backup_policy_id: 9c0e4f1a-2b3c-4d5e-8f70-1a2b3c4d5e6f
      backup_policy_name: weekly-archive
      count_before: 5
      count_after: 4
volumes:
  description: The requested volume IDs after validation (lower-cased, duplicates removed).
  returned: always
  type: list
  elements: str
  sample: [5d1f8f2e-0b4a-4a43-9d7e-3c1a2b3c4d5e]
"""

from ansible_collections.huaweicloud.vbs.plugins.module_utils import vbs_evs_members
from ansible_collections.huaweicloud.vbs.plugins.module_utils import vbs_membership_decisions as membership
from ansible_collections.huaweicloud.vbs.plugins.module_utils import vbs_batches
from ansible_collections.huaweicloud.vbs.plugins.module_utils.vbs_errors import VBSError
from ansible_collections.huaweicloud.vbs.plugins.module_utils.vbs_lock import LockError, PolicyLock
from ansible_collections.huaweicloud.vbs.plugins.module_utils.vbs_module import ModuleFailure, VBSModule
from ansible_collections.huaweicloud.vbs.plugins.module_utils.vbs_policy_lookup import (
    listed_policy_label, lookup_problem, pick_policy, where)
from ansible_collections.huaweicloud.vbs.plugins.module_utils.vbs_policy_spec import current_from_vbs
from ansible_collections.huaweicloud.vbs.plugins.module_utils.vbs_values import range_problem

MAX_LOCK_TIMEOUT = 3600
MEMBERSHIP_SOURCES = ("auto", vbs_evs_members.EVS_METADATA, vbs_evs_members.COUNT)


class VBSPolicyResourcesModule(VBSModule):
    argument_spec = dict(
        backup_policy_id=dict(type="str"),
        backup_policy_name=dict(type="str", aliases=["name"]),
        volumes=dict(type="list", elements="str", required=True),
        state=dict(type="str", choices=["present", "absent"], default="present"),
        purge_volumes=dict(type="bool", default=False),
        membership_source=dict(type="str", choices=list(MEMBERSHIP_SOURCES), default="auto"),
        batch_size=dict(type="int", default=50),
        fail_on_resource_errors=dict(type="bool", default=True),
        concurrency=dict(type="int", default=4),
        lock_timeout=dict(type="int", default=300),
    )
    module_kwargs = dict(
        mutually_exclusive=[("backup_policy_id", "backup_policy_name")],
        required_one_of=[("backup_policy_id", "backup_policy_name")],
    )

    def prepare(self):
        params = self.params
        volumes, problem = membership.normalize_volume_ids(params["volumes"])
        problem = (problem
                   or vbs_batches.options_problem(params["batch_size"], params["concurrency"])
                   or range_problem("lock_timeout", params["lock_timeout"], 0, MAX_LOCK_TIMEOUT, "seconds")
                   or lookup_problem(params, ("backup_policy_id", "backup_policy_name"))
                   or membership.purge_problem(params["purge_volumes"], params["state"], params["membership_source"])
                   or self.policy_id_problem())
        if problem:
            return problem
        self.volumes = volumes
        self.results["volumes"] = volumes
        return None

    # -- the algorithm of docs/membership.md ---------------------------------------------

    def run(self):
        present = self.params["state"] == "present"
        asked = bool(self.volumes) or self.params["purge_volumes"]
        if not asked or self.params["membership_source"] == vbs_evs_members.COUNT:
            self.results.update(membership_source=vbs_evs_members.COUNT, membership_note=(
                "membership_source is count" if asked else "no volume was requested"))
            self._run_by_count(None, present)
            return
        reading = vbs_evs_members.read_membership(self.client, self.evs_client, self._find_policy, self.volumes,
                                                  whole_listing=self.params["purge_volumes"],
                                                  concurrency=self.params["concurrency"])
        self.results["membership_source"] = reading.source
        if reading.warning:
            self.warn(reading.warning)
        if reading.trusted:
            self._run_exact(reading, present)
            return
        self.results["membership_note"] = reading.note
        problem = membership.count_design_problem(self.params["purge_volumes"], self.params["membership_source"],
                                                  reading.note)
        if problem:
            raise ModuleFailure(problem)
        self._run_by_count(reading.policy, present)

    # -- with a trusted member listing: exact per volume, no lock ---------------------------

    def _run_exact(self, reading, present):
        """Send only what differs from the listing; changed is what VBS reports for those volumes."""
        policy = reading.policy
        policy_id = policy["backup_policy_id"]
        plan = membership.exact_plan(present, self.volumes, reading.policy_of, policy_id,
                                     reading.members if self.params["purge_volumes"] else None)
        self._record_before(policy)
        self.results["not_member_resources"] = plan.not_members
        self._set_exact_diff(policy, plan)
        if self.check_mode:
            self.results.update(changed=plan.changes, added_volumes=plan.to_add, removed_volumes=plan.to_remove,
                                moved_from=membership.planned_moves(reading.policies, policy_id, plan.moves))
            return
        self.results.update(added_volumes=[], removed_volumes=[])
        if not plan.changes:
            return  # nothing differs: not one write call
        errors, answered_count, uncertain = self._send_exact(policy_id, plan)
        if uncertain:
            self._confirm_from_evs(policy_id, plan)
        if self.results["added_volumes"] or self.results["removed_volumes"]:
            self.results["changed"] = True
        try:
            policies_after, policy_after = self._read_count_again(policy_id)
        except VBSError as error:
            if errors:
                self._raise_first(errors, answered_count)
            error.add_hint("The changes were sent (added_volumes and removed_volumes say what they did), but the "
                           "policy could not be read again")
            raise
        if self.results["added_volumes"]:
            self.results["moved_from"] = membership.moved_from(reading.policies, policies_after, policy_id,
                                                               plan.moves)
            if self.results["moved_from"]:
                self.warn(membership.moved_warning(listed_policy_label(policy_after), self.results["moved_from"]))
        if errors:
            self._raise_first(errors, answered_count)
        self._report_exact(policy_after, plan)

    def _send_exact(self, policy_id, plan):
        """Associate the missing volumes, then (purge_volumes) disassociate the others.

        (request errors, answered requests, uncertain): uncertain when a request failed or was sent again
        after an attempt that VBS may have applied, so that its answer may not show what was done.
        """
        errors, answered, uncertain = [], [], False
        if plan.to_add:
            answered, errors, uncertain = self._send_in_batches(self.client.associate, policy_id, plan.to_add)
            self._record_answers(answered)
            self.results["added_volumes"] = membership.succeeded(self.results["success_resources"], plan.to_add)
        if plan.to_remove and not errors:
            # Volumes leave the policy only once every association was answered: never less protection
            # because a request failed.
            removed, errors, removal_uncertain = self._send_in_batches(self.client.disassociate, policy_id,
                                                                       plan.to_remove)
            self._record_answers(removed)
            answered = answered + removed
            uncertain = uncertain or removal_uncertain
            self.results["removed_volumes"] = membership.succeeded(self.results["success_resources"],
                                                                   plan.to_remove)
        return errors, len(answered), uncertain

    def _confirm_from_evs(self, policy_id, plan):
        """After an uncertain request, EVS says what was done: an earlier attempt's effect is in no answer."""
        sent = plan.to_add + plan.to_remove
        try:
            now = self.evs_client.volumes_by_ids(sent, self.params["concurrency"])
        except VBSError as error:
            self._outcome_unknown()
            self.warn("A request was sent again or failed, and EVS could not be read afterwards to tell what it "
                      "did (%s): changed is not verified (membership_verified: false)" % error.msg)
            return
        in_policy = set(volume for volume in sent if volume in now and now[volume]["backup_policy_id"] == policy_id)
        self.results["added_volumes"] = [volume for volume in plan.to_add if volume in in_policy]
        self.results["removed_volumes"] = [volume for volume in plan.to_remove if volume not in in_policy]

    def _report_exact(self, policy_after, plan):
        """Every volume that failed: the task fails on them, or warns (fail_on_resource_errors).

        A fail item for a volume that ended as asked (an earlier attempt of a repeated request did it)
        is no failure.
        """
        to_add = set(plan.to_add) - set(self.results["added_volumes"])
        to_remove = set(plan.to_remove) - set(self.results["removed_volumes"])
        failed = [item for item in self.results["fail_resources"] if item["resource_id"] in to_add]
        removal_failures = [item for item in self.results["fail_resources"] if item["resource_id"] in to_remove]
        real_removal_failures, gone = membership.split_disassociate_failures(
            removal_failures, policy_after["policy_resource_count"])
        self.results["not_member_resources"] = sorted(set(self.results["not_member_resources"])
                                                      | set(item["resource_id"] for item in gone))
        messages = []
        unreported = [volume for volume in self.results["unreported_resources"] if volume in to_add]
        if failed or unreported:
            messages.append(membership.failure_message("associated with", listed_policy_label(policy_after),
                                                       failed, len(plan.to_add), unreported))
        unreported = [volume for volume in self.results["unreported_resources"] if volume in to_remove]
        if real_removal_failures or unreported:
            messages.append(membership.failure_message("removed from", listed_policy_label(policy_after),
                                                       real_removal_failures, len(plan.to_remove), unreported))
        self._fail_or_warn("; ".join(messages))

    def _set_exact_diff(self, policy, plan):
        if self.ansible._diff:
            before, after = membership.exact_diff(policy["backup_policy_id"], policy["policy_resource_count"], plan)
            self.results["diff"] = dict(before=before, after=after)

    # -- without one: the policy's volume count, runs on one machine take turns -----------

    def _run_by_count(self, policy, present):
        """``policy`` as listed already, or None when nothing was read yet."""
        if self.check_mode or not self.volumes:
            # Nothing will be changed, so no other run needs to wait for this one.
            policy = policy or self._read_policy()[1]
            count_before = self._record_before(policy)
            if not self._nothing_to_do(count_before, present):
                self._predict(policy, count_before, present)
            return
        policy_id = policy["backup_policy_id"] if policy else self.params.get("backup_policy_id")
        if policy_id is None:
            # Only a listing turns the name into an ID; the count is read again once the lock is held.
            policy_id = self._read_policy()[1]["backup_policy_id"]
        with self._take_lock(policy_id):
            # Read count, change, read count: all inside the lock, so the count's change is this run's own
            # (as far as runs on this machine go).
            policies_before, policy = self._read_policy(policy_id)
            count_before = self._record_before(policy)
            if self._nothing_to_do(count_before, present):
                return
            call = self.client.associate if present else self.client.disassociate
            answered, errors, uncertain = self._send_in_batches(call, policy_id, self.volumes)
            self._record_answers(answered)
            if errors:
                self._fail_after_errors(errors, len(answered), policies_before, policy, present, uncertain)
            try:
                policies_after, policy_after = self._read_count_again(policy_id)
            except VBSError as error:
                self._outcome_unknown()
                error.add_hint("The changes were sent, but the policy's volume count could not be read again "
                               "to tell what they changed")
                raise
            bounds = self._judge_delta(policy_after, count_before, present, uncertain)
            self._report_moves(policies_before, policies_after, policy_after, present, bounds)
            self._report(policy, policy_after["policy_resource_count"], present)

    # -- read the policy, take the lock, read the count ------------------------------------

    def _find_policy(self, policies, policy_id=None):
        """The policy in a listing: by ``policy_id`` when given, else by the task's options."""
        if policy_id is not None:
            return pick_policy(policies, self._where(), policy_id)
        return pick_policy(policies, self._where(), self.params.get("backup_policy_id"),
                           self.params.get("backup_policy_name"))

    def _read_policy(self, policy_id=None):
        """(every policy, the requested one): by ``policy_id`` when given, else by the task's options."""
        policies = self.client.list_policies()
        return policies, self._find_policy(policies, policy_id)

    def _where(self):
        return where(self.client.project_id, self.params.get("region"), self.params.get("endpoint"))

    def _take_lock(self, policy_id):
        """The policy's lock, held (a context manager that releases it); the task fails when it cannot be had."""
        lock = PolicyLock(self.params["endpoint"], self.client.project_id, policy_id, self.params["lock_timeout"])
        try:
            lock.acquire()
        except LockError as error:
            raise ModuleFailure(error.msg)
        return lock

    def _record_before(self, policy):
        """Start the results from the policy as read before any change; its volume count."""
        count_before = policy["policy_resource_count"]
        self.results.update(
            policy=current_from_vbs(policy, strict=False),
            resource_count_before=count_before,
            resource_count_after=count_before,
            success_resources=[],
            fail_resources=[],
            not_member_resources=[],
            unreported_resources=[],
            moved_from=[],
            unrequested_resources=[],
            membership_verified=True,
        )
        self._set_diff(policy, count_before, count_before)
        return count_before

    def _nothing_to_do(self, count_before, present):
        """No volume asked for, or none to remove from an empty policy: nothing is sent."""
        return not self.volumes or (not present and count_before == 0)

    def _predict(self, policy, count_before, present):
        """Check mode: changed only when the count proves it."""
        if present:
            changed, provable, at_least = membership.predict_present(count_before, self.volumes)
            count_after = count_before + at_least
        else:
            changed, provable = membership.predict_absent(count_before, self.volumes)
            count_after = count_before
        self.results["membership_verified"] = provable
        if not provable:
            self.warn(membership.unprovable_warning(present, listed_policy_label(policy), count_before))
        self.results["changed"] = changed
        self._set_diff(policy, count_before, count_after)

    # -- send in batches ------------------------------------------------------------------

    def _send_in_batches(self, call, policy_id, volumes):
        """(answered, errors, uncertain): uncertain when a request may have done more than its answer shows."""
        answered, errors = vbs_batches.send_in_batches(call, policy_id,
                                                       vbs_batches.batches(volumes, self.params["batch_size"]),
                                                       self.params["concurrency"])
        # A failed request, or one sent again after an attempt VBS may have applied, may have changed more
        # than the answers show.
        uncertain = bool(errors) or any(maybe_applied_before for _batch, _done, _failed, maybe_applied_before
                                        in answered)
        return answered, errors, uncertain

    def _record_answers(self, answered):
        """Sort the items of every answered batch: this run's successes and failures, unreported, unrequested."""
        unrequested = []
        for batch, succeeded, failed, _maybe_applied_before in answered:
            succeeded, other_succeeded = membership.split_unrequested(batch, succeeded)
            failed, other_failed = membership.split_unrequested(batch, failed)
            unrequested.extend(membership.unrequested_entries(other_succeeded, other_failed))
            self.results["success_resources"].extend(succeeded)
            self.results["fail_resources"].extend(failed)
            self.results["unreported_resources"].extend(membership.unreported_volumes(batch, succeeded, failed))
        if unrequested:
            self.results["unrequested_resources"].extend(unrequested)
            self.warn(membership.unrequested_warning(unrequested))

    def _fail_after_errors(self, errors, answered_count, policies_before, policy, present, uncertain):
        """Report what the answered batches did, if the count can still be read, and fail with the first error."""
        try:
            policies_after, policy_after = self._read_count_again(policy["backup_policy_id"])
            bounds = self._judge_delta(policy_after, self.results["resource_count_before"], present, uncertain)
            self._report_moves(policies_before, policies_after, policy_after, present, bounds)
        except VBSError:
            self._outcome_unknown()
        self._raise_first(errors, answered_count)

    def _raise_first(self, errors, answered_count):
        """Fail with the first request error; a request without an answer leaves the outcome open."""
        error = errors[0]
        if any(failure.unanswered for failure in errors):
            # No answer at all (a timeout): VBS may apply that request after the count was read.
            self._outcome_unknown()
            error.add_hint("VBS may still apply a request that got no answer; run the task again to converge")
        if len(errors) > 1:
            error.add_hint("%d of %d requests failed" % (len(errors), answered_count + len(errors)))
        raise error

    def _outcome_unknown(self):
        """Changes were sent and what they did cannot be known: never claim that nothing changed."""
        self.results["changed"] = True
        self.results["membership_verified"] = False

    # -- read the count again, judge the delta -------------------------------------------

    def _read_count_again(self, policy_id):
        """(every policy, the policy) after the change; the results show the policy as it is now."""
        policies_after, policy_after = self._read_policy(policy_id)
        self.results["policy"] = current_from_vbs(policy_after, strict=False)
        self.results["resource_count_after"] = policy_after["policy_resource_count"]
        return policies_after, policy_after

    def _judge_delta(self, policy_after, count_before, present, uncertain):
        """Set changed and membership_verified from the count's change and this run's own answers; the bounds."""
        count_after = policy_after["policy_resource_count"]
        successes = membership.own_successes(self.results["success_resources"], self.volumes)
        bounds = membership.own_change_bounds(present, successes, len(self.volumes), uncertain)
        problem = membership.delta_problem(listed_policy_label(policy_after), count_before, count_after, bounds,
                                           membership.bounds_reason(present, successes, uncertain))
        if problem is None:
            self.results["changed"] = count_after != count_before
        else:
            # The count's change is not this run's own: it proves nothing about what this run did,
            # which may have changed the policy unless it could not change anything.
            self.warn(problem)
            self.results["membership_verified"] = False
            self.results["changed"] = bounds != (0, 0)
        return bounds

    def _report_moves(self, policies_before, policies_after, policy_after, present, bounds):
        """The other policies that lost volumes while this run may have associated some."""
        if present and bounds[1] > 0:
            moved = membership.moved_from(policies_before, policies_after, policy_after["backup_policy_id"])
            if moved:
                self.results["moved_from"] = moved
                self.warn(membership.moved_warning(listed_policy_label(policy_after), moved))

    # -- report ---------------------------------------------------------------------------

    def _report(self, policy, count_after, present):
        """The diff, and every volume that failed: the task fails on them, or warns (fail_on_resource_errors)."""
        self._set_diff(policy, self.results["resource_count_before"], count_after)
        failed = self.results["fail_resources"]
        unreported = self.results["unreported_resources"]
        if not present:
            failed, not_members = membership.split_disassociate_failures(failed, count_after)
            self.results["not_member_resources"] = [item["resource_id"] for item in not_members]
            if count_after == 0:
                unreported = []  # nothing is in the policy, whatever VBS left unsaid
        if not failed and not unreported:
            return
        message = membership.failure_message("associated with" if present else "removed from",
                                             listed_policy_label(policy), failed, len(self.volumes), unreported)
        undecidable = membership.undecidable_associate_failures(failed) if present else []
        if undecidable:
            message += ". " + membership.undecidable_hint(self.results["resource_count_before"], count_after,
                                                          undecidable)
        self._fail_or_warn(message)

    def _fail_or_warn(self, message):
        """The task fails with ``message``, or warns (fail_on_resource_errors: false); nothing when it is empty."""
        if not message:
            return
        if self.params["fail_on_resource_errors"]:
            raise ModuleFailure(message)
        self.warn(message)

    def _set_diff(self, policy, count_before, count_after):
        if not self.ansible._diff:
            return
        state = self.params["state"]
        self.results["diff"] = dict(
            before=dict(backup_policy_id=policy["backup_policy_id"], policy_resource_count=count_before,
                        requested_volumes=self.volumes, state=state),
            after=dict(backup_policy_id=policy["backup_policy_id"], policy_resource_count=count_after,
                       requested_volumes=self.volumes, state=state),
        )


def main():
    VBSPolicyResourcesModule()()


if __name__ == "__main__":
    main()
