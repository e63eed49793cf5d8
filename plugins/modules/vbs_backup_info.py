#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, huaweicloud.vbs contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r"""
module: vbs_backup_info
short_description: List Huawei Cloud VBS backups
version_added: 0.2.0
description:
  - Lists the Volume Backup Service (VBS) backups of a project, newest first, with their status, size, disk and
    creation time; or only those that match O(backup_id), O(name), O(volume_id) and O(status).
  - Reads the native API (C(GET /v3/{project_id}/backups/detail), following its page links), or its deprecated
    C(/v2) twin where the cloud does not serve C(/v3), with a warning that says so.
  - When no backup matches, RV(backups) is an empty list; that is not an error.
author:
  - huaweicloud.vbs contributors (@huaweicloud-vbs)
options:
  backup_id:
    description:
      - Return only the backup with this ID (a UUID).
    type: str
  name:
    description:
      - Return only the backups with exactly this name.
    type: str
  volume_id:
    description:
      - Return only the backups of the EVS disk with this ID (a UUID).
    type: str
  status:
    description:
      - Return only the backups in this status.
    type: str
    choices: [available, creating, restoring, deleting, error, error_restoring, error_deleting]
extends_documentation_fragment: [huaweicloud.vbs.vbs, huaweicloud.vbs.vbs.info_attributes,
                                 huaweicloud.vbs.vbs.attributes, ansible.builtin.action_common_attributes]
notes:
  - The backups that policies make are named C(autobk_...); the others were made by hand or with
    M(huaweicloud.vbs.vbs_backup).
seealso:
  - module: huaweicloud.vbs.vbs_backup
  - module: huaweicloud.vbs.vbs_backup_policy
  - module: huaweicloud.vbs.vbs_backup_policy_info
  - module: huaweicloud.vbs.vbs_backup_policy_run
  - module: huaweicloud.vbs.vbs_backup_restore
  - module: huaweicloud.vbs.vbs_policy_resources
  - module: huaweicloud.vbs.vbs_volume_info
"""

EXAMPLES = r"""
- name: List the backups of a disk
  huaweicloud.vbs.vbs_backup_info:
    volume_id: 11111111-0000-4000-8000-000000000003
  register: disk_backups

- name: Show them, newest first
  ansible.builtin.debug:
    msg: "{{ disk_backups.backups | map(attribute='name') | list }}"

- name: Find the backups that failed
  huaweicloud.vbs.vbs_backup_info:
    status: error
  register: failed_backups

# From the command line, with the HW_* environment variables set:
# ansible localhost -m huaweicloud.vbs.vbs_backup_info -a 'status=available'
"""

RETURN = r"""
# Returned by every module of the collection (Ansible has no doc fragments for return values).
auth_kind: {type: str, sample: aksk, returned: once the connection options are accepted, description: "The kind of
  credentials used, never their value: V(aksk) (access keys), V(password) (user name and password) or V(token)."}
auth_source: {type: str, sample: environment, returned: once the connection options are accepted, description: "Where
  the credentials came from: V(task) when the task or C(module_defaults) sets any credential option, else V(environment)."}
backups:
  description:
    - The matching backups, newest first (by RV(backups[].created_at)). Empty when none matches.
  returned: always
  type: list
  elements: dict
  contains:
    id:
      description: ID of the backup.
      type: str
      sample: 1d11c1a8-9f6e-4c2f-8d6f-5b0a6c7d8e9f
    name:
      description: Name of the backup (C(autobk_...) for the backups of policies).
      type: str
      sample: before-upgrade-4711
    status:
      description: C(creating), C(available), C(restoring), C(deleting), C(error) or C(error_restoring).
      type: str
      sample: available
    size:
      description: Size of the backed-up disk in GB.
      type: int
      sample: 40
    volume_id:
      description: ID of the disk the backup was made of.
      type: str
      sample: 6e7f8091-a2b3-4c4d-8e5f-60718293a4b5
    snapshot_id:
      description: ID of the snapshot the backup was made from.
      type: str
      sample: 66a5b2c1-0e1f-4a2b-8c3d-4e5f6a7b8c9d
    created_at:
      description: When the backup was made (UTC, as VBS writes it, without a zone).
      type: str
      sample: "2026-05-04T02:00:12.917245"
    updated_at:
      description: When the backup last changed (UTC).
      type: str
      sample: "2026-05-04T02:11:27.690000"
    description:
      description: Description of the backup; null when it has none.
      type: str
      sample: Taken before change 4711
    availability_zone:
      description: Availability zone of the backup.
      type: str
      sample: eu-de-01
    fail_reason:
      description: Why the backup failed, when it did.
      type: str
      sample: null
    is_incremental:
      description: Whether the backup is incremental.
      type: bool
      sample: true
    has_dependent_backups:
      description: Whether later incremental backups depend on it.
      type: bool
      sample: false
  sample:
    - id: 1d11c1a8-9f6e-4c2f-8d6f-5b0a6c7d8e9f
      name: before-upgrade-4711
      status: available
      size: 40
      volume_id: 6e7f8091-a2b3-4c4d-8e5f-60718293a4b5
      created_at: "2026-05-04T02:00:12.917245"
"""

from ansible_collections.huaweicloud.vbs.plugins.module_utils.vbs_module import VBSModule
from ansible_collections.huaweicloud.vbs.plugins.module_utils.vbs_values import uuid_option_problem

FILTERS = ("name", "volume_id", "status")


class VBSBackupInfoModule(VBSModule):
    argument_spec = dict(
        backup_id=dict(type="str"),
        name=dict(type="str"),
        volume_id=dict(type="str"),
        status=dict(type="str", choices=["available", "creating", "restoring", "deleting", "error",
                                         "error_restoring", "error_deleting"]),
    )

    def prepare(self):
        for option in ("backup_id", "volume_id"):
            problem = uuid_option_problem(option, self.params.get(option))
            if problem:
                return problem
        if self.params.get("name") is not None and not self.params["name"].strip():
            return "name must not be empty; leave it out to list every backup"
        return None

    def run(self):
        wanted = dict((key, self.params[key].lower() if key.endswith("_id") else self.params[key])
                      for key in FILTERS if self.params.get(key) is not None)
        backup_id = self.params.get("backup_id")
        if backup_id is not None:
            found = self.backup_client.get_backup(backup_id)
            listed = [found] if found is not None else []
        else:
            listed = self.backup_client.list_backups(sorted(wanted.items()))
        # VBS's own filtering is not relied on.
        self.results["backups"] = [backup for backup in listed
                                   if all(backup[key] == value for key, value in wanted.items())]


def main():
    VBSBackupInfoModule()()


if __name__ == "__main__":
    main()
