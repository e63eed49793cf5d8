#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, huaweicloud.vbs contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r"""
module: vbs_backup_policy_run
short_description: Run a Huawei Cloud VBS backup policy now and follow its backups
version_added: 0.2.0
description:
  - Runs a Volume Backup Service (VBS) backup policy at once (C(POST /v2/{project_id}/backuppolicy/{policy_id}/action)),
    outside its schedule. VBS backs up every volume of the policy, each in a task of its own, and names the
    backups C(autobk_...).
  - With O(wait=true) the module follows the tasks this run created (C(GET .../backuptasks)) until none is
    running, and returns one entry per volume. It fails when any task ended C(EXECUTE_FAIL) or
    C(EXECUTE_TIMEOUT), unless O(fail_on_task_errors=false).
  - A run is an action, so every run reports C(changed).
  - VBS refuses to run a policy that is already running (C(AutoBackup.0225)), for example during its scheduled
    run; the task then fails and says so. Whether VBS runs a disabled or empty policy is not documented.
author:
  - huaweicloud.vbs contributors (@huaweicloud-vbs)
options:
  backup_policy_id:
    description:
      - ID of the policy to run. Mutually exclusive with O(backup_policy_name).
    type: str
  backup_policy_name:
    description:
      - Name of the policy to run. When several policies have this name, the task fails and lists their IDs.
      - The alias O(name) is the name of this option in M(huaweicloud.vbs.vbs_backup_policy).
    type: str
    aliases: [name]
  fail_on_task_errors:
    description:
      - Whether the task fails when the backup of any volume ended C(EXECUTE_FAIL) or C(EXECUTE_TIMEOUT).
      - With V(false) it succeeds with a warning that lists them; RV(tasks) has every outcome.
    type: bool
    default: true
extends_documentation_fragment: [huaweicloud.vbs.vbs, huaweicloud.vbs.vbs.wait,
                                 huaweicloud.vbs.vbs.attributes, ansible.builtin.action_common_attributes]
notes:
  - VBS runs a policy on its schedule at most 24 times a day; backups made with M(huaweicloud.vbs.vbs_backup)
    have no such limit.
attributes:
  check_mode:
    support: full
    details:
      - Finds the policy and says what would run; sends nothing.
  diff_mode:
    support: none
    details:
      - A run changes backups, not the policy; RV(tasks) shows them.
seealso:
  - module: huaweicloud.vbs.vbs_backup
  - module: huaweicloud.vbs.vbs_backup_info
  - module: huaweicloud.vbs.vbs_backup_policy
  - module: huaweicloud.vbs.vbs_backup_policy_info
  - module: huaweicloud.vbs.vbs_backup_restore
  - module: huaweicloud.vbs.vbs_policy_resources
  - module: huaweicloud.vbs.vbs_volume_info
"""

EXAMPLES = r"""
- name: Back up every volume of the policy now, before the maintenance window
  huaweicloud.vbs.vbs_backup_policy_run:
    backup_policy_name: daily-db
    wait_timeout: 7200
  register: run

- name: Show how the volumes' backups ended
  ansible.builtin.debug:
    msg: "{{ run.summary.succeeded }} volumes backed up: {{ run.tasks | map(attribute='backup_name') | list }}"

- name: Start the policy's backups and return at once
  huaweicloud.vbs.vbs_backup_policy_run:
    backup_policy_id: 22222222-0000-4000-8000-000000000001
    wait: false
"""

RETURN = r"""
# Returned by every module of the collection (Ansible has no doc fragments for return values).
auth_kind: {type: str, sample: aksk, returned: once the connection options are accepted, description: "The kind of
  credentials used, never their value: V(aksk) (access keys), V(password) (user name and password) or V(token)."}
auth_source: {type: str, sample: environment, returned: once the connection options are accepted, description: "Where
  the credentials came from: V(task) when the task or C(module_defaults) sets any credential option, else V(environment)."}
policy:
  description:
    - The policy that ran, as listed before the run; its C(policy_resource_count) is the number of volumes it held
      then. Its C(tags) are V(null), since the module does not read them.
    - Every module of the collection returns a policy with the same fields, in the terms of the options of
      M(huaweicloud.vbs.vbs_backup_policy), namely C(backup_policy_id), C(name), C(start_time), C(frequency),
      C(week_frequency), C(retention_num), C(retention_day), C(keep_first_backup_of_month), C(enabled), C(tags),
      C(policy_resource_count) and C(time_zone). The collection's C(docs/backup_policy.md) describes them
      (The policy the modules return).
  returned: when the policy was found
  type: dict
  sample: {backup_policy_id: 0ea1f4b3-7c2d-4f5e-9a6b-1c2d3e4f5a6b, name: daily-db, start_time: ["02:00"],
    frequency: 1, week_frequency: null, retention_num: 7, retention_day: null, keep_first_backup_of_month: false,
    enabled: true, tags: null, policy_resource_count: 2, time_zone: "UTC+08:00"}
tasks:
  description:
    - One entry per volume that has a task of this run, as last read, in the order of the volume IDs; each with the
      fields of RV(huaweicloud.vbs.vbs_backup_policy_info#module:backup_policies[].tasks) (C(volume_id), C(status),
      C(backup_name), C(job_id), C(created_at), C(finished_at)).
    - With O(wait=false), the tasks VBS listed right after the run started (possibly none yet); in check mode, none.
  returned: when the policy was found
  type: list
  elements: dict
  sample:
    - volume_id: 6e7f8091-a2b3-4c4d-8e5f-60718293a4b5
      status: EXECUTE_SUCCESS
      backup_name: autobk_e6d2
      job_id: c11b2a56-3a7e-4c8f-9f3a-6b7c8d9e0f1a
      created_at: "2026-05-04T09:06:46.706"
      finished_at: "2026-05-04T09:17:02.121"
summary:
  description:
    - How the tasks of RV(tasks) stand, counted as in
      RV(huaweicloud.vbs.vbs_backup_policy_info#module:backup_policies[].task_summary); C(failed_volumes) lists the
      volumes whose task of this run failed.
  returned: when the policy was found
  type: dict
  sample:
    succeeded: 1
    failed: 1
    running: 0
    skipped: 0
    failed_volumes: [7f8091a2-b3c4-4d5e-8f60-718293a4b5c6]
msg:
  description: In check mode, what would run.
  returned: in check mode
  type: str
  sample: Would run backup policy daily-db (ID 0ea1f4b3-...) now, for its 2 volumes
"""

from ansible_collections.huaweicloud.vbs.plugins.module_utils import vbs_jobs, vbs_tasks
from ansible_collections.huaweicloud.vbs.plugins.module_utils.vbs_errors import VBSError
from ansible_collections.huaweicloud.vbs.plugins.module_utils.vbs_module import VBSModule
from ansible_collections.huaweicloud.vbs.plugins.module_utils.vbs_policy_lookup import (
    listed_policy_label, lookup_problem, pick_policy, where)
from ansible_collections.huaweicloud.vbs.plugins.module_utils.vbs_policy_spec import current_from_vbs

# Tasks created this long before the run began count as known: a run's tasks are the ones that were not.
KNOWN_TASK_WINDOW = 600
ALREADY_RUNNING = "AutoBackup.0225"


class VBSBackupPolicyRunModule(VBSModule):
    argument_spec = dict(
        backup_policy_id=dict(type="str"),
        backup_policy_name=dict(type="str", aliases=["name"]),
        fail_on_task_errors=dict(type="bool", default=True),
        **vbs_jobs.WAIT_ARGUMENT_SPEC
    )
    module_kwargs = dict(
        mutually_exclusive=[("backup_policy_id", "backup_policy_name")],
    )

    def prepare(self):
        return (lookup_problem(self.params, ("backup_policy_id", "backup_policy_name"))
                or vbs_jobs.wait_problem(self.params)
                or self.policy_id_problem())

    def run(self):
        policy = pick_policy(self.client.list_policies(), where(self.client.project_id, self.params.get("region")),
                             self.params.get("backup_policy_id"), self.params.get("backup_policy_name"))
        policy_id, label, expected = policy["backup_policy_id"], listed_policy_label(policy), policy["policy_resource_count"]
        self.results.update(policy=current_from_vbs(policy, strict=False), changed=True)
        if self.check_mode:
            self.results["msg"] = "Would run backup policy %s now, for its %d volumes" % (label, expected)
            self._report([])
            return
        known, cutoff = vbs_tasks.recent_tasks(self.client, policy_id, window=KNOWN_TASK_WINDOW)
        known_ids = set(task["job_id"] for task in known)

        def new_tasks():
            return [task for task in vbs_tasks.recent_tasks(self.client, policy_id, since=cutoff)[0]
                    if task["job_id"] not in known_ids]
        self._start(policy_id, label, new_tasks)
        if expected == 0:
            self.warn("Backup policy %s has no volumes: the run backs up nothing" % label)
        if not self.params["wait"]:
            self._report(new_tasks())
            return
        tasks, finished = vbs_jobs.poll(new_tasks, lambda found: self._finished(found, expected),
                                        self.params["wait_timeout"], self.params["poll_interval"],
                                        self.client.transport.sleep)
        per_volume = self._report(tasks)
        if not finished:
            self._timed_out(label, expected, per_volume)
        self._check_outcomes(label, per_volume)

    def _start(self, policy_id, label, new_tasks):
        """Run the policy; sent again only when no task shows the first attempt ran."""
        try:
            self.client.transport.send_once_or_look(lambda: vbs_tasks.run_policy(self.client, policy_id),
                                                    lambda _error: new_tasks() or None)
        except VBSError as error:
            self.results["changed"] = error.maybe_applied
            if error.code == ALREADY_RUNNING:
                error.add_hint("Backup policy %s is already being executed (a scheduled run, or an earlier one "
                               "that is not finished): run it again once its tasks have ended" % label)
            raise

    @staticmethod
    def _finished(tasks, expected):
        per_volume = vbs_tasks.newest_per_volume(tasks)
        return len(per_volume) >= expected and not any(task["status"] in vbs_tasks.RUNNING for task in per_volume)

    def _report(self, tasks):
        per_volume = vbs_tasks.newest_per_volume(tasks)
        self.results["tasks"] = [vbs_tasks.task_view(task) for task in per_volume]
        self.results["summary"] = vbs_tasks.summary(per_volume)
        return per_volume

    def _timed_out(self, label, expected, per_volume):
        running = [task for task in per_volume if task["status"] in vbs_tasks.RUNNING]
        missing = max(0, expected - len(per_volume))
        raise VBSError("Backup policy %s is still running after wait_timeout (%d s): %s%s. VBS goes on; "
                       "huaweicloud.vbs.vbs_backup_policy_info with include_tasks shows how it ends"
                       % (label, self.params["wait_timeout"],
                          "; ".join(vbs_tasks.task_label(task) for task in running) or "no task still running",
                          "; %d of its %d volumes have no task yet" % (missing, expected) if missing else ""))

    def _check_outcomes(self, label, per_volume):
        failed = [task for task in per_volume if task["status"] in vbs_tasks.FAILED]
        if not failed:
            return
        message = "%d of %d volumes of backup policy %s were not backed up: %s" % (
            len(failed), len(per_volume), label, "; ".join(vbs_tasks.task_label(task) for task in failed))
        if self.params["fail_on_task_errors"]:
            raise VBSError(message)
        self.warn(message)


def main():
    VBSBackupPolicyRunModule()()


if __name__ == "__main__":
    main()
