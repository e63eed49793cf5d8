#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, huaweicloud.vbs contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r"""
module: vbs_backup
short_description: Create or delete a Huawei Cloud VBS backup of an EVS disk
version_added: 0.2.0
description:
  - Creates a Volume Backup Service (VBS) backup of one EVS disk (O(state=present)), typically right before
    a risky change, or deletes a backup (O(state=absent)).
  - Idempotent by name. A backup of O(volume_id) named O(name) that is C(available) (or C(restoring))
    counts as present and is returned unchanged; one that is still C(creating) is waited for (with
    O(wait=true)), never made a second time. A backup that exists is never changed; O(description),
    O(tags), O(full) and O(snapshot_id) apply to a new backup only.
  - A new backup is a VBS job (C(POST /v2/{project_id}/cloudbackups)); with O(wait=true) the module reads
    the job until it ends and returns the backup as VBS lists it. A job that ends C(FAIL) fails the task with
    the job's C(error_code) and C(fail_reason).
  - Backups are listed, read and deleted through the native API (C(/v3/{project_id}/backups)). Where the cloud
    does not serve it (Huawei Cloud documents only its deprecated C(/v2) twin), the module uses C(/v2) and
    says so in a warning.
  - VBS keeps at most 20 backups per disk (C(VolumeBackup.0040)) and refuses a backup while another one of the
    same disk is being made (C(VolumeBackup.0013)); see the collection's C(docs/backups.md).
author:
  - huaweicloud.vbs contributors (@huaweicloud-vbs)
options:
  state:
    description:
      - V(present) makes sure a backup of O(volume_id) named O(name) exists; V(absent) deletes the backup
        with O(backup_id), or the one of O(volume_id) named O(name).
    type: str
    choices: [present, absent]
    default: present
  volume_id:
    description:
      - ID (a UUID) of the EVS disk to back up. Required with O(state=present).
      - With O(state=absent), together with O(name), finds the backup to delete.
      - The disk must be C(available) or C(in-use).
    type: str
  name:
    description:
      - Name of the backup, 1 to 64 letters, digits, C(_) and C(-). It must not start with C(auto), which VBS keeps
        that for the backups its policies make (C(autobk_...)).
      - Required with O(state=present). The name is how the module recognises the backup on the next run,
        so give each backup of a disk its own name (for example with the date or a change number).
    type: str
  backup_id:
    description:
      - ID (a UUID) of the backup to delete, with O(state=absent). Mutually exclusive with O(name).
    type: str
  description:
    description:
      - Description of a new backup, at most 64 characters, without C(<) or C(>).
    type: str
  tags:
    description:
      - Tags of a new backup, as a dictionary. At most 10; a key has 1 to 36 characters and a value 0 to 43,
        neither with control characters or any of C(= * < > \ , | /).
    type: dict
  full:
    description:
      - Whether a new backup is a full backup. By default VBS makes an incremental backup when the disk has an
        earlier one.
    type: bool
    default: false
  snapshot_id:
    description:
      - ID (a UUID) of a snapshot of the disk to back up from, instead of the disk's current data.
    type: str
extends_documentation_fragment: [huaweicloud.vbs.vbs, huaweicloud.vbs.vbs.wait,
                                 huaweicloud.vbs.vbs.attributes, ansible.builtin.action_common_attributes]
notes:
  - Deleting a backup leaves the disk's other backups usable, incremental ones included.
attributes:
  check_mode:
    support: full
    details:
      - Reads the backups and reports the change a real run would make; creates, deletes and waits for nothing.
  diff_mode:
    support: none
    details:
      - A backup is made or deleted whole; RV(backup) shows it.
seealso:
  - module: huaweicloud.vbs.vbs_backup_info
  - module: huaweicloud.vbs.vbs_backup_policy
  - module: huaweicloud.vbs.vbs_backup_policy_info
  - module: huaweicloud.vbs.vbs_backup_policy_run
  - module: huaweicloud.vbs.vbs_backup_restore
  - module: huaweicloud.vbs.vbs_policy_resources
  - module: huaweicloud.vbs.vbs_volume_info
"""

EXAMPLES = r"""
- name: Back up the data disk before the upgrade
  huaweicloud.vbs.vbs_backup:
    volume_id: 11111111-0000-4000-8000-000000000003
    name: before-upgrade-4711
    description: Taken before change 4711
    tags:
      change: "4711"
  register: safety_backup

- name: Show the backup
  ansible.builtin.debug:
    msg: "Backup {{ safety_backup.backup.id }} ({{ safety_backup.backup.size }} GB) is {{ safety_backup.backup.status }}"

- name: Start a full backup and do not wait for it
  huaweicloud.vbs.vbs_backup:
    volume_id: 11111111-0000-4000-8000-000000000003
    name: monthly-full-2026-05
    full: true
    wait: false

- name: Delete the backup once the change went well
  huaweicloud.vbs.vbs_backup:
    volume_id: 11111111-0000-4000-8000-000000000003
    name: before-upgrade-4711
    state: absent

# From the command line, with the HW_* environment variables set:
# ansible localhost -m huaweicloud.vbs.vbs_backup -a 'volume_id=11111111-0000-4000-8000-000000000003 name=adhoc-1'
"""

RETURN = r"""
# Returned by every module of the collection (Ansible has no doc fragments for return values).
auth_kind: {type: str, sample: aksk, returned: once the connection options are accepted, description: "The kind of
  credentials used, never their value: V(aksk) (access keys), V(password) (user name and password) or V(token)."}
auth_source: {type: str, sample: environment, returned: once the connection options are accepted, description: "Where
  the credentials came from: V(task) when the task or C(module_defaults) sets any credential option, else V(environment)."}
backup:
  description:
    - The backup as VBS lists it (after the wait, with O(wait=true)); the backup deleted, with O(state=absent).
    - Its fields are those of each backup of RV(huaweicloud.vbs.vbs_backup_info#module:backups), among them C(id),
      C(status), C(size) (GB), C(created_at) (UTC) and C(volume_id).
    - In check mode, the backup that would be made, with C(id) and C(status) null.
    - Not returned when nothing matched, nor with O(wait=false) when VBS does not name the new backup yet.
  returned: when there is a backup
  type: dict
  sample:
    id: 1d11c1a8-9f6e-4c2f-8d6f-5b0a6c7d8e9f
    name: before-upgrade-4711
    status: available
    size: 40
    volume_id: 6e7f8091-a2b3-4c4d-8e5f-60718293a4b5
    snapshot_id: 66a5b2c1-0e1f-4a2b-8c3d-4e5f6a7b8c9d
    created_at: "2026-05-04T02:00:12.917245"
    updated_at: "2026-05-04T02:11:27.690000"
    description: Taken before change 4711
    availability_zone: eu-de-01
    fail_reason: null
    is_incremental: true
    has_dependent_backups: false
job:
  description:
    - The VBS job of a new backup, as last read.
  returned: when a backup was created, also when the task failed or timed out waiting for it
  type: dict
  contains:
    job_id:
      description: ID of the job; C(GET /v1/{project_id}/jobs/{job_id}) reads it.
      type: str
      sample: 70a599e0-31e7-49b7-b260-868f441e862b
    status:
      description: C(INIT), C(RUNNING), C(SUCCESS) or C(FAIL).
      type: str
      sample: SUCCESS
    job_type:
      description: Kind of job.
      type: str
      sample: bksCreateBackup
    entities:
      description: What the job is about (C(backup_id), C(volume_id), C(snapshot_id)), as strings.
      type: dict
      sample: {"backup_id": "1d11c1a8-9f6e-4c2f-8d6f-5b0a6c7d8e9f", "volume_id": "6e7f8091-a2b3-4c4d-8e5f-60718293a4b5"}
    begin_time:
      description: When the job began.
      type: str
      sample: "2026-05-04T02:00:09.466Z"
    end_time:
      description: When the job ended; null while it runs.
      type: str
      sample: "2026-05-04T02:11:27.690Z"
    error_code:
      description: VBS's error code when the job failed.
      type: str
      sample: VolumeBackup.0040
    fail_reason:
      description: Why the job failed.
      type: str
      sample: null
"""

from ansible_collections.huaweicloud.vbs.plugins.module_utils import vbs_backup_spec as spec
from ansible_collections.huaweicloud.vbs.plugins.module_utils import vbs_backups as backups
from ansible_collections.huaweicloud.vbs.plugins.module_utils import vbs_jobs
from ansible_collections.huaweicloud.vbs.plugins.module_utils.vbs_errors import VBSError
from ansible_collections.huaweicloud.vbs.plugins.module_utils.vbs_module import VBSModule
from ansible_collections.huaweicloud.vbs.plugins.module_utils.vbs_values import is_uuid, shown, uuid_option_problem

# The options that are plain text: IDs, the name and the description.
TEXT_OPTIONS = ("volume_id", "name", "backup_id", "description", "snapshot_id")
# Refusals whose message gains a hint (docs/backups.md).
HINTS = {
    "VolumeBackup.0013": "A backup of this disk is still being made (an earlier run that timed out may have "
                         "started it); run the task again once it has finished",
    "VolumeBackup.0040": "VBS keeps at most 20 backups per disk: delete old ones (state: absent) first",
}


class VBSBackupModule(VBSModule):
    argument_spec = dict(
        state=dict(type="str", choices=["present", "absent"], default="present"),
        tags=dict(type="dict"),
        full=dict(type="bool", default=False),
        **dict(dict((name, dict(type="str")) for name in TEXT_OPTIONS), **vbs_jobs.WAIT_ARGUMENT_SPEC)
    )
    module_kwargs = dict(
        mutually_exclusive=[("backup_id", "name")],
        required_if=[("state", "present", ("volume_id", "name"))],
    )

    def prepare(self):
        params = self.params
        if params["state"] == "absent" and not params.get("backup_id") and not (params.get("name")
                                                                                and params.get("volume_id")):
            return "state: absent needs backup_id, or name and volume_id"
        for option in ("volume_id", "backup_id", "snapshot_id"):
            problem = uuid_option_problem(option, params.get(option))
            if problem:
                return problem
        tags = spec.tags_as_text(params.get("tags"))
        problem = ((spec.creation_problem(dict(params, tags=tags)) if params["state"] == "present" else None)
                   or vbs_jobs.wait_problem(params))
        if problem:
            return problem
        params["tags"] = tags
        return None

    def run(self):
        if self.params["state"] == "absent":
            self._absent()
        else:
            self._present()

    # -- state: present -------------------------------------------------------------------

    def _present(self):
        volume_id, name = self.params["volume_id"].lower(), self.params["name"]
        listed = self.backup_client.list_backups([("volume_id", volume_id)])
        matches = backups.named(listed, name, volume_id)
        usable = [backup for backup in matches if backup["status"] in backups.USABLE]
        creating = [backup for backup in matches if backup["status"] == backups.CREATING]
        if usable or creating:
            self.results["backup"] = (usable or creating)[0]
            if not usable and self.params["wait"] and not self.check_mode:
                self._wait_for_creating(creating[0])
            return
        for backup in matches:
            self.warn("Backup %s of volume %s is not usable; a new backup with the same name is made"
                      % (backups.label(backup), volume_id))
        self.results["changed"] = True
        if self.check_mode:
            self.results["backup"] = backups.predicted(volume_id, name, self.params.get("description"))
            return
        self._create(volume_id, name, set(backup["id"] for backup in listed))

    def _create(self, volume_id, name, known_ids):
        client = self.backup_client

        def created_meanwhile(_error):
            new = [backup for backup in backups.named(client.list_backups([("volume_id", volume_id)]), name, volume_id)
                   if backup["id"] not in known_ids]
            return ("backup", new[0]) if new else None
        try:
            kind, found = client.transport.send_once_or_look(
                lambda: ("job", client.create_backup(spec.create_body(self.params))), created_meanwhile)
        except VBSError as error:
            self.results["changed"] = error.maybe_applied
            if error.code in HINTS:
                error.add_hint(HINTS[error.code])
            raise
        if kind == "backup":
            self.results["backup"] = found
            if self.params["wait"]:
                self._wait_for_creating(found)
            return
        what = "The backup %s of volume %s" % (shown(name), volume_id)
        if not self.params["wait"]:
            self._set_job(vbs_jobs.read_job(client, found))
            return
        job, finished = vbs_jobs.wait_for_job(client, found, self.params["wait_timeout"], self.params["poll_interval"],
                                              what)
        self._set_job(job)
        problem = vbs_jobs.job_problem(job, finished, what, self.params["wait_timeout"],
                                       "Run the task again to wait for it.")
        if problem:
            if problem.code in HINTS:
                problem.add_hint(HINTS[problem.code])
            raise problem
        if "backup" not in self.results:  # the job did not name it: the one with our name that was not there before
            self.results["backup"] = (created_meanwhile(None) or (None, None))[1]
        if self.results["backup"] is None:
            raise VBSError("%s succeeded (job %s), but VBS lists no backup of that name" % (what, shown(found)))

    def _set_job(self, job):
        """The job in the results, and the backup it names (when it names one that VBS lists)."""
        self.results["job"] = job
        backup_id = job["entities"].get("backup_id")
        backup = self.backup_client.get_backup(backup_id) if is_uuid(backup_id) else None
        if backup is not None:
            self.results["backup"] = backup

    def _wait_for_creating(self, backup):
        """Wait for a backup that is being made (by this run's create or an earlier one) to become available."""
        found, settled = backups.wait_for_backup(self.backup_client, backup["id"], backups.not_creating,
                                                 self.params["wait_timeout"], self.params["poll_interval"])
        self.results["backup"] = found or backup
        if not settled:
            raise VBSError("Backup %s is still creating after wait_timeout (%d s); VBS goes on making it. Run the "
                           "task again to wait for it" % (backups.label(backup), self.params["wait_timeout"]))
        if found is None:
            raise VBSError("Backup %s did not become available: VBS no longer lists it" % backups.label(backup))
        if found["status"] not in backups.USABLE:
            raise VBSError("Backup %s did not become available: its status is %s (%s)" % (
                backups.label(backup), shown(found["status"]), shown(found["fail_reason"] or "VBS gave no reason")))

    # -- state: absent --------------------------------------------------------------------

    def _absent(self):
        client = self.backup_client
        backup = self._to_delete()
        if backup is None:
            return
        self.results["backup"] = backup
        if backup["status"] not in ("available", "error", "deleting"):
            raise VBSError("Backup %s cannot be deleted while it is %s; VBS deletes available and error backups"
                           % (backups.label(backup), shown(backup["status"])))
        if backup["status"] != "deleting":
            self.results["changed"] = True
            if self.check_mode:
                return
            try:
                client.delete_backup(backup["id"])
            except VBSError:
                # A delete VBS applied before it failed (or before a retry) leaves the backup deleting or gone.
                if not backups.done_deleting(client.get_backup(backup["id"])):
                    raise
        if not self.params["wait"] or self.check_mode:
            return
        found, settled = backups.wait_for_backup(client, backup["id"], backups.done_deleting,
                                                 self.params["wait_timeout"], self.params["poll_interval"])
        if not settled:
            raise VBSError("Backup %s is still deleting after wait_timeout (%d s); VBS goes on deleting it"
                           % (backups.label(backup), self.params["wait_timeout"]))
        if found is not None:
            raise VBSError("VBS did not delete backup %s: its status is %s%s" % (
                backups.label(backup), shown(found["status"]),
                " (%s)" % shown(found["fail_reason"]) if found["fail_reason"] else ""))

    def _to_delete(self):
        """The backup with backup_id, or the one of volume_id named name; None when there is none."""
        client = self.backup_client
        if self.params.get("backup_id"):
            return client.get_backup(self.params["backup_id"])
        volume_id = self.params["volume_id"].lower()
        matches = backups.named(client.list_backups([("volume_id", volume_id)]), self.params["name"], volume_id)
        if len(matches) > 1:
            raise VBSError("%d backups of volume %s are named %s: %s; give backup_id to choose one" % (
                len(matches), volume_id, shown(self.params["name"]),
                "; ".join("%s created %s" % (backups.label(backup), shown(backup["created_at"])) for backup in matches)))
        return matches[0] if matches else None


def main():
    VBSBackupModule()()


if __name__ == "__main__":
    main()
