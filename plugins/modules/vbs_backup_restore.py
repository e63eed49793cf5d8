#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, huaweicloud.vbs contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r"""
module: vbs_backup_restore
short_description: Restore an EVS disk from a Huawei Cloud VBS backup
version_added: 0.2.0
description:
  - Restores the VBS backup O(backup_id) onto an EVS disk, by default the disk the backup was made of. The disk's
    data is replaced by the backup's.
  - A restore is an action, so every run that restores reports C(changed). Run it only when a restore is wanted,
    for example in the C(rescue) of a block that made a risky change (the collection's C(docs/backups.md)).
  - Before anything is sent, the module reads the backup and the disk (EVS, C(GET /v2/{project_id}/cloudvolumes/{id})).
    It fails without restoring when the backup is not C(available), when the disk does not exist, when the disk is
    attached to a server (it names the server; stop the server and detach the disk first, as the VBS user guide
    asks), or when the disk is smaller than the backup.
  - The restore is a VBS job (C(POST /v2/{project_id}/cloudbackups/{backup_id}/restore)); with O(wait=true) the
    module reads the job until it ends. A job that ends C(FAIL) fails the task with its C(error_code) and
    C(fail_reason).
author:
  - huaweicloud.vbs contributors (@huaweicloud-vbs)
options:
  backup_id:
    description:
      - ID (a UUID) of the backup to restore. It must be C(available).
    type: str
    required: true
  volume_id:
    description:
      - ID (a UUID) of the EVS disk to restore onto. Defaults to the disk the backup was made of.
      - The disk must be detached (C(available)) and at least as large as the backup.
    type: str
extends_documentation_fragment: [huaweicloud.vbs.vbs, huaweicloud.vbs.vbs.wait,
                                 huaweicloud.vbs.vbs.attributes, ansible.builtin.action_common_attributes]
notes:
  - The disk is read from EVS at O(evs_endpoint), with the permission C(evs:volumes:get).
attributes:
  check_mode:
    support: full
    details:
      - Reads the backup and the disk, makes the same checks and says what would be restored; sends no restore.
  diff_mode:
    support: none
    details:
      - The data of a disk has no diff to show; RV(restore) names the backup and the disk.
seealso:
  - module: huaweicloud.vbs.vbs_backup
  - module: huaweicloud.vbs.vbs_backup_info
  - module: huaweicloud.vbs.vbs_backup_policy
  - module: huaweicloud.vbs.vbs_backup_policy_info
  - module: huaweicloud.vbs.vbs_backup_policy_run
  - module: huaweicloud.vbs.vbs_policy_resources
  - module: huaweicloud.vbs.vbs_volume_info
"""

EXAMPLES = r"""
- name: Restore the data disk from the backup taken before the change
  huaweicloud.vbs.vbs_backup_restore:
    backup_id: 55555555-0000-4000-8000-000000000001
    wait_timeout: 7200
  register: restored

- name: Restore a backup onto another (detached) disk
  huaweicloud.vbs.vbs_backup_restore:
    backup_id: 55555555-0000-4000-8000-000000000001
    volume_id: 11111111-0000-4000-8000-000000000005
"""

RETURN = r"""
# Returned by every module of the collection (Ansible has no doc fragments for return values).
auth_kind: {type: str, sample: aksk, returned: once the connection options are accepted, description: "The kind of
  credentials used, never their value: V(aksk) (access keys), V(password) (user name and password) or V(token)."}
auth_source: {type: str, sample: environment, returned: once the connection options are accepted, description: "Where
  the credentials came from: V(task) when the task or C(module_defaults) sets any credential option, else V(environment)."}
restore:
  description: What is restored (or, in check mode, would be).
  returned: when the backup and the disk were found
  type: dict
  contains:
    backup_id:
      description: ID of the backup.
      type: str
      sample: 1d11c1a8-9f6e-4c2f-8d6f-5b0a6c7d8e9f
    backup_name:
      description: Name of the backup.
      type: str
      sample: before-upgrade-4711
    backup_created_at:
      description: When the backup was made (UTC).
      type: str
      sample: "2026-05-04T02:00:12.917245"
    backup_size:
      description: Size of the backup in GB.
      type: int
      sample: 40
    volume_id:
      description: ID of the disk restored onto.
      type: str
      sample: 6e7f8091-a2b3-4c4d-8e5f-60718293a4b5
    volume_name:
      description: Name of that disk.
      type: str
      sample: orders-db-data
    volume_size:
      description: Size of that disk in GB.
      type: int
      sample: 40
msg:
  description: In check mode, what would be restored.
  returned: in check mode
  type: str
  sample: Would restore backup before-upgrade-4711 (...) onto volume 6e7f8091-...
job:
  description: The VBS job of the restore, as last read (see M(huaweicloud.vbs.vbs_backup) for its fields).
  returned: when the restore was sent, also when the task failed or timed out waiting for it
  type: dict
  sample:
    job_id: 4010b39b5281d3590152874bfa3b1604
    status: SUCCESS
    job_type: bksRestoreBackup
    entities: {"backup_id": "1d11c1a8-9f6e-4c2f-8d6f-5b0a6c7d8e9f", "volume_id": "6e7f8091-a2b3-4c4d-8e5f-60718293a4b5"}
    error_code: null
    fail_reason: null
"""

from ansible_collections.huaweicloud.vbs.plugins.module_utils import vbs_backups as backups
from ansible_collections.huaweicloud.vbs.plugins.module_utils import vbs_jobs
from ansible_collections.huaweicloud.vbs.plugins.module_utils.vbs_errors import VBSError
from ansible_collections.huaweicloud.vbs.plugins.module_utils.vbs_module import VBSModule
from ansible_collections.huaweicloud.vbs.plugins.module_utils.vbs_values import shown, uuid_option_problem


class RestoreUnderWay(VBSError):
    """A restore that failed with a server error, yet runs: the backup is restoring."""

    maybe_applied = True


class VBSBackupRestoreModule(VBSModule):
    argument_spec = dict(
        backup_id=dict(type="str", required=True),
        volume_id=dict(type="str"),
        **vbs_jobs.WAIT_ARGUMENT_SPEC
    )

    def prepare(self):
        for option in ("backup_id", "volume_id"):
            problem = uuid_option_problem(option, self.params.get(option))
            if problem:
                return problem
        return vbs_jobs.wait_problem(self.params)

    def run(self):
        client = self.backup_client
        backup = client.get_backup(self.params["backup_id"])
        if backup is None:
            raise VBSError("No backup with ID %s in project %s" % (self.params["backup_id"], client.project_id))
        if backup["status"] != "available":
            raise VBSError("Backup %s cannot be restored while it is %s; a restore needs an available backup"
                           % (backups.label(backup), shown(backup["status"])))
        volume = self._target(backup)
        self.results["restore"] = dict(
            backup_id=backup["id"], backup_name=backup["name"], backup_created_at=backup["created_at"],
            backup_size=backup["size"], volume_id=volume["id"], volume_name=volume["name"],
            volume_size=volume["size"])
        self.results["changed"] = True
        what = "The restore of backup %s onto volume %s" % (backups.label(backup), volume["id"])
        if self.check_mode:
            self.results["msg"] = "Would restore backup %s, made %s, onto volume %s" % (
                backups.label(backup), shown(backup["created_at"]), volume_label(volume))
            return
        job_id = self._send(backup, volume)
        if not self.params["wait"]:
            self.results["job"] = vbs_jobs.read_job(client, job_id)
            return
        job, finished = vbs_jobs.wait_for_job(client, job_id, self.params["wait_timeout"],
                                              self.params["poll_interval"], what)
        self.results["job"] = job
        problem = vbs_jobs.job_problem(job, finished, what, self.params["wait_timeout"],
                                       "Do not restore again meanwhile: read the job to see when it ends.")
        if problem:
            raise problem

    def _target(self, backup):
        """The disk to restore onto, read from EVS and checked: it exists, is detached and large enough."""
        volume_id = (self.params.get("volume_id") or backup["volume_id"] or "").lower()
        if not volume_id:
            raise VBSError("Backup %s names no volume; give volume_id" % backups.label(backup))
        if self.evs_client is None:
            raise VBSError("The disk cannot be checked before the restore: no EVS endpoint is known for the "
                           "endpoint %s; set evs_endpoint (HW_EVS_ENDPOINT)" % self.params["endpoint"])
        volume = self.evs_client.get_volume(volume_id)
        if volume is None:
            raise VBSError("No EVS volume with ID %s to restore backup %s onto" % (volume_id, backups.label(backup)))
        if volume["server_ids"] or volume["status"] == "in-use":
            raise VBSError("Volume %s is attached to server %s: stop the server and detach the disk before "
                           "restoring backup %s onto it" % (
                               volume_label(volume), ", ".join(volume["server_ids"]) or "(EVS names none)",
                               backups.label(backup)))
        if volume["status"] != "available":
            raise VBSError("Volume %s is %s; a restore needs an available (detached) disk"
                           % (volume_label(volume), shown(volume["status"])))
        if volume["size"] is not None and backup["size"] is not None and volume["size"] < backup["size"]:
            raise VBSError("Volume %s has %d GB, less than the %d GB of backup %s; a restore needs a disk at "
                           "least as large as the backup" % (volume_label(volume), volume["size"], backup["size"],
                                                             backups.label(backup)))
        return volume

    def _send(self, backup, volume):
        """The restore's job ID; sent again only when VBS shows it was not applied."""
        client = self.backup_client

        def applied(error):
            now = client.get_backup(backup["id"])
            if now is not None and now["status"] == "restoring":
                raise RestoreUnderWay(
                    "The restore of backup %s may have started though VBS answered with an error (%s): the backup is "
                    "restoring, but the job ID is unknown. Wait for the backup to be available again before anything "
                    "else" % (backups.label(backup), error.msg))
            return None
        try:
            return client.transport.send_once_or_look(lambda: client.restore_backup(backup["id"], volume["id"]),
                                                      applied)
        except VBSError as error:
            self.results["changed"] = error.maybe_applied
            raise


def volume_label(volume):
    """'ID (name)' of an EVS volume, or its ID when it has no name."""
    return "%s (%s)" % (volume["id"], shown(volume["name"])) if volume["name"] else volume["id"]


def main():
    VBSBackupRestoreModule()()


if __name__ == "__main__":
    main()
