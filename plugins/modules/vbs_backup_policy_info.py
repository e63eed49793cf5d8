#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, huaweicloud.vbs contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r"""
module: vbs_backup_policy_info
short_description: List Huawei Cloud VBS backup policies
version_added: 0.1.0
description:
  - Lists the Volume Backup Service (VBS) backup policies of a project, with their schedule,
    retention, status, time zone and number of associated volumes.
  - Lists every policy, or only the policy with O(backup_policy_id), or the policies named
    O(backup_policy_name).
  - When no policy matches, RV(backup_policies) is an empty list; that is not an error.
  - Returns each policy in the terms of the options of M(huaweicloud.vbs.vbs_backup_policy) (C(retention_num)
    for VBS's C(rentention_num), C(enabled) for its C(status), and so on), the same fields that every module of
    the collection returns for a policy. Fields VBS may add beyond these are left out, a field VBS lists in a
    form the module cannot read is V(null), and control characters in text (such as a policy name) are returned
    escaped (the escape character as C(\x1b)).
  - VBS has no call that lists the volumes of a policy; the C(policy_resource_count) of each policy
    is their number. With O(include_volumes=true), each policy's volumes are read from EVS volume metadata
    and returned only when that listing agrees with the policy's count (the collection's C(docs/membership.md)).
  - With O(include_tasks=true), each policy also gets its backup tasks of the last O(tasks_since) hours and a
    summary that names the volumes whose last backup failed, the morning check in one task (the collection's
    C(docs/backups.md)).
author:
  - huaweicloud.vbs contributors (@huaweicloud-vbs)
options:
  backup_policy_id:
    description:
      - Return only the policy with this ID.
      - Mutually exclusive with O(backup_policy_name).
      - Letters, digits, C(-), C(_), C(.) and C(:), starting with a letter or a digit, at most 255
        characters (VBS policy IDs are UUIDs); anything else fails the task before any request.
    type: str
  backup_policy_name:
    description:
      - Return only the policies with exactly this name. Names are not unique in VBS, so this
        can return more than one policy.
      - Mutually exclusive with O(backup_policy_id).
      - The alias O(name) is the name of this option in M(huaweicloud.vbs.vbs_backup_policy).
    type: str
    aliases: [name]
  tags:
    description:
      - Whether to read the tags of each returned policy and return them in
        their C(tags).
      - This costs one more request per returned policy.
    type: bool
    default: false
  include_volumes:
    version_added: 0.2.0
    description:
      - Whether to return the IDs of each returned policy's volumes in RV(backup_policies[].volumes).
      - VBS cannot list them. They are read from EVS (C(GET /v2/{project_id}/cloudvolumes/detail), the volumes
        whose metadata C(policy) names the policy), which needs the read permission C(evs:volumes:list), and
        returned only when that listing holds as many volumes as the policy's count read before and after it.
        Otherwise the policy gets RV(backup_policies[].volumes_known=false) and RV(backup_policies[].volumes_note)
        says why. A partial list is never returned as the policy's volumes.
      - This costs one EVS request per 1000 volumes of each returned policy, and two listings of the policies.
    type: bool
    default: false
  include_tasks:
    version_added: 0.2.0
    description:
      - Whether to return each returned policy's backup tasks of the last O(tasks_since) hours
        (RV(backup_policies[].tasks)) and their summary (RV(backup_policies[].task_summary)), which tells
        whether the last run backed up every volume.
      - The tasks come from C(GET /v2/{project_id}/backuppolicy/{policy_id}/backuptasks), newest first; the hours
        are counted on the server's clock (its C(Date) header). This costs one request per 100 tasks of each
        returned policy.
    type: bool
    default: false
  tasks_since:
    version_added: 0.2.0
    description:
      - With O(include_tasks=true), how many hours back the tasks are read. VBS keeps 30 days of them.
      - Between 1 and 720.
    type: int
    default: 24
extends_documentation_fragment:
  - huaweicloud.vbs.vbs
  - huaweicloud.vbs.vbs.attributes
  - huaweicloud.vbs.vbs.info_attributes
  - ansible.builtin.action_common_attributes
seealso:
  - module: huaweicloud.vbs.vbs_backup
  - module: huaweicloud.vbs.vbs_backup_info
  - module: huaweicloud.vbs.vbs_backup_policy
  - module: huaweicloud.vbs.vbs_backup_policy_run
  - module: huaweicloud.vbs.vbs_backup_restore
  - module: huaweicloud.vbs.vbs_policy_resources
  - module: huaweicloud.vbs.vbs_volume_info
"""

EXAMPLES = r"""
- name: List every backup policy of the project
  huaweicloud.vbs.vbs_backup_policy_info:
    region: eu-de
  register: all_policies

- name: Show the name and volume count of each policy
  ansible.builtin.debug:
    msg: "{{ item.name }}: {{ item.policy_resource_count }} volumes"
  loop: "{{ all_policies.backup_policies }}"
  loop_control:
    label: "{{ item.backup_policy_id }}"

- name: Get one policy by ID, with its tags
  huaweicloud.vbs.vbs_backup_policy_info:
    backup_policy_id: 22222222-0000-4000-8000-000000000001
    tags: true
  register: one_policy

- name: Find the policies named daily-db
  huaweicloud.vbs.vbs_backup_policy_info:
    backup_policy_name: daily-db
  register: daily_db

- name: List each policy's volumes, where the cloud reveals them
  huaweicloud.vbs.vbs_backup_policy_info:
    include_volumes: true
  register: with_volumes

- name: Show them
  ansible.builtin.debug:
    msg: >-
      {{ item.name }}:
      {{ item.volumes | join(', ') if item.volumes_known else 'unknown (' ~ item.volumes_note ~ ')' }}
  loop: "{{ with_volumes.backup_policies }}"
  loop_control:
    label: "{{ item.backup_policy_id }}"

- name: The morning check - did the backups of the last 24 hours reach every volume?
  huaweicloud.vbs.vbs_backup_policy_info:
    include_tasks: true
    tasks_since: 24
  register: last_night

- name: Fail for each policy that has a volume whose last backup failed
  ansible.builtin.assert:
    that: item.task_summary.failed_volumes | length == 0
    fail_msg: "{{ item.name }}: no backup for {{ item.task_summary.failed_volumes | join(', ') }}"
  loop: "{{ last_night.backup_policies }}"
  loop_control:
    label: "{{ item.name }}"

- name: Fail unless exactly one policy has that name
  ansible.builtin.assert:
    that:
      - daily_db.backup_policies | length == 1
    fail_msg: "Expected one policy named daily-db, found {{ daily_db.backup_policies | length }}"

- name: Set the connection options once for every module of the collection
  module_defaults:
    group/huaweicloud.vbs.vbs:
      region: eu-de
      endpoint: https://vbs.eu-de.otc.t-systems.com
      auth_url: https://iam.eu-de.otc.t-systems.com/v3
  block:
    - name: List the policies on Open Telekom Cloud
      huaweicloud.vbs.vbs_backup_policy_info:
      register: otc_policies

# From the command line, with the HW_* environment variables set (never give secret_key with -a:
# ansible-core prints an -a string it cannot split, secret included, and ps shows command lines):
# ansible localhost -m huaweicloud.vbs.vbs_backup_policy_info
# ansible localhost -m huaweicloud.vbs.vbs_backup_policy_info -a 'backup_policy_name=daily-db tags=true'
"""

RETURN = r"""
# Returned by every module of the collection (Ansible has no doc fragments for return values).
auth_kind: {type: str, sample: aksk, returned: once the connection options are accepted, description: "The kind of
  credentials used, never their value: V(aksk) (access keys), V(password) (user name and password) or V(token)."}
auth_source: {type: str, sample: environment, returned: once the connection options are accepted, description: "Where
  the credentials came from: V(task) when the task or C(module_defaults) sets any credential option, else V(environment)."}
backup_policies:
  description:
    - The matching backup policies, in the order VBS lists them; empty when no policy matches.
    - The C(tags) of each are V(null) unless O(tags=true).
    - Every module of the collection returns a policy with the same fields, in the terms of the options of
      M(huaweicloud.vbs.vbs_backup_policy), namely C(backup_policy_id), C(name), C(start_time), C(frequency),
      C(week_frequency), C(retention_num), C(retention_day), C(keep_first_backup_of_month), C(enabled), C(tags),
      C(policy_resource_count) and C(time_zone). The collection's C(docs/backup_policy.md) describes them
      (The policy the modules return).
  returned: always
  type: list
  elements: dict
  contains:
    volumes_known:
      description:
        - Whether RV(backup_policies[].volumes) holds the policy's volumes, that is EVS listed as many volumes with
          the policy's metadata as the policy's count, read before and after the listing.
      type: bool
      returned: when O(include_volumes=true)
      sample: true
    volumes:
      description: IDs of the policy's volumes, sorted.
      type: list
      elements: str
      returned: when O(include_volumes=true) and RV(backup_policies[].volumes_known=true)
      sample: [5d1f8f2e-0b4a-4a43-9d7e-3c1a2b3c4d5e]
    volumes_note:
      description: Why the policy's volumes are not known, for example that this cloud's EVS does not keep the metadata.
      type: str
      returned: when O(include_volumes=true) and RV(backup_policies[].volumes_known=false)
      sample: "EVS lists 0 volume(s) whose metadata names policy daily-db (ID 0ea1f4b3-...), VBS counts 12 ..."
    tasks:
      description:
        - The policy's backup tasks created in the last O(tasks_since) hours, newest first, one per volume and run.
      type: list
      elements: dict
      returned: when O(include_tasks=true)
      contains:
        volume_id:
          description: ID of the volume backed up (the task's C(resource_id)).
          type: str
          sample: 6e7f8091-a2b3-4c4d-8e5f-60718293a4b5
        status:
          description: C(RUNNING), C(WAITING), C(EXECUTE_SUCCESS), C(EXECUTE_FAIL), C(EXECUTE_TIMEOUT) or C(SKIP).
          type: str
          sample: EXECUTE_SUCCESS
        backup_name:
          description: Name of the backup the task made.
          type: str
          sample: autobk_e6d2
        job_id:
          description: ID of the task.
          type: str
          sample: c11b2a56-3a7e-4c8f-9f3a-6b7c8d9e0f1a
        created_at:
          description: When the task began (UTC).
          type: str
          sample: "2026-05-04T02:00:00.706"
        finished_at:
          description: When the task ended (UTC); null while it runs.
          type: str
          sample: "2026-05-04T02:11:02.121"
    task_summary:
      description: How the tasks of RV(backup_policies[].tasks) ended.
      type: dict
      returned: when O(include_tasks=true)
      contains:
        succeeded:
          description: Tasks that ended C(EXECUTE_SUCCESS).
          type: int
          sample: 12
        failed:
          description: Tasks that ended C(EXECUTE_FAIL) or C(EXECUTE_TIMEOUT).
          type: int
          sample: 1
        running:
          description: Tasks still C(RUNNING) or C(WAITING).
          type: int
          sample: 0
        skipped:
          description: Tasks VBS skipped (C(SKIP)).
          type: int
          sample: 0
        failed_volumes:
          description: The volumes whose newest task failed.
          type: list
          elements: str
          sample: [6e7f8091-a2b3-4c4d-8e5f-60718293a4b5]
  sample: [{backup_policy_id: 0ea1f4b3-7c2d-4f5e-9a6b-1c2d3e4f5a6b, name: daily-db, start_time: ["02:00"],
    frequency: 1, week_frequency: null, retention_num: 7, retention_day: null, keep_first_backup_of_month: false,
    enabled: true, tags: null, policy_resource_count: 12, time_zone: "UTC+08:00"}]
"""

from ansible_collections.huaweicloud.vbs.plugins.module_utils import vbs_evs_members, vbs_tasks
from ansible_collections.huaweicloud.vbs.plugins.module_utils.vbs_module import VBSModule
from ansible_collections.huaweicloud.vbs.plugins.module_utils.vbs_policy_lookup import matching
from ansible_collections.huaweicloud.vbs.plugins.module_utils.vbs_policy_spec import current_from_vbs
from ansible_collections.huaweicloud.vbs.plugins.module_utils.vbs_values import range_problem

# VBS keeps 30 days of tasks.
MAX_TASK_HOURS = 720


class VBSBackupPolicyInfoModule(VBSModule):
    argument_spec = dict(
        backup_policy_id=dict(type="str"),
        backup_policy_name=dict(type="str", aliases=["name"]),
        tags=dict(type="bool", default=False),
        include_volumes=dict(type="bool", default=False),
        include_tasks=dict(type="bool", default=False),
        tasks_since=dict(type="int", default=24),
    )
    module_kwargs = dict(
        mutually_exclusive=[("backup_policy_id", "backup_policy_name")],
    )

    def prepare(self):
        for name in ("backup_policy_id", "backup_policy_name"):
            value = self.params.get(name)
            if value is not None and not value.strip():
                return "%s must not be empty; leave it out to list every policy" % name
        return (range_problem("tasks_since", self.params["tasks_since"], 1, MAX_TASK_HOURS, "hours")
                or self.policy_id_problem())

    def run(self):
        policies = [current_from_vbs(policy, self._tags(policy), strict=False) for policy in matching(
            self.client.list_policies(), self.params.get("backup_policy_id"), self.params.get("backup_policy_name"))]
        if self.params["include_volumes"] and policies:
            self._add_volumes(policies)
        if self.params["include_tasks"]:
            for policy in policies:
                self._add_tasks(policy)
        self.results["backup_policies"] = policies

    def _tags(self, policy):
        """The policy's tags when the task asks for them (one request per policy), else None."""
        return self.client.list_tags(policy["backup_policy_id"]) if self.params["tags"] else None

    def _add_tasks(self, policy):
        """The policy's tasks of the last tasks_since hours, and how they ended (vbs_tasks)."""
        tasks, _cutoff = vbs_tasks.recent_tasks(self.client, policy["backup_policy_id"],
                                                window=self.params["tasks_since"] * 3600)
        policy["tasks"] = [vbs_tasks.task_view(task) for task in tasks]
        policy["task_summary"] = vbs_tasks.summary(tasks)

    def _add_volumes(self, policies):
        """Each policy's volumes from EVS, where its count proves the listing (vbs_evs_members)."""
        found, warning = vbs_evs_members.read_policies_members(
            self.client, self.evs_client, [policy["backup_policy_id"] for policy in policies])
        if warning:
            self.warn(warning)
        for policy in policies:
            volumes, note = found[policy["backup_policy_id"]]
            policy["volumes_known"] = note is None
            if note is None:
                policy["volumes"] = volumes
            else:
                policy["volumes_note"] = note


def main():
    VBSBackupPolicyInfoModule()()


if __name__ == "__main__":
    main()
