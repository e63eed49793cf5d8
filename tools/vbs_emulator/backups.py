# -*- coding: utf-8 -*-
# Copyright: (c) 2026, huaweicloud.vbs contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""Backups, the jobs that make, restore and delete them, and the tasks of policy runs.

Nothing runs in the background: every job has a due time (``job_duration_ms`` after it started) and
each request first finishes the jobs that are due (advance()), under the store's lock. A job is INIT
for the first fifth of its duration, RUNNING until its due time, then SUCCESS or FAIL; what it does
(a backup becomes available, a disk is restored, a backup disappears, a policy task ends) happens
when it finishes. The caller of every method here holds Store.lock.
"""

import collections
import re
import time
import uuid

from . import errors
from .settings import iso_time

# Disk statuses a backup may be taken of (VolumeBackup.0012 otherwise).
BACKUP_STATUSES = ("available", "in-use")
# The volume status while a backup is restored onto it (OpenStack's; VBS does not say).
RESTORING_STATUS = "restoring-backup"
NAME_PATTERN = re.compile(r"^[A-Za-z0-9_-]{1,64}$")
VOLUME_ID_PATTERN = re.compile(r"^[A-Za-z0-9-]{1,64}$")
TAG_FORBIDDEN = set("=*<>\\,|/")
MAX_TAGS = 10
MAX_JOBS = 100000
# What a volume's next backups do (POST /_emulator/volumes/{id} backup_outcome).
BACKUP_OUTCOMES = ("normal", "fail", "timeout")
INIT_SHARE = 0.2


def code(number):
    """A documented VolumeBackup error code ("Error Codes" appendix of the VBS API reference)."""
    return "VolumeBackup.%04d" % number


class Backup:

    def __init__(self, name, volume, description=None, snapshot_id=None, status="creating", created_at=0.0,
                 listed=True, backup_id=None, size=None, policy_id=None, incremental=False):
        self.id = backup_id or str(uuid.uuid4())
        self.name = name
        self.description = description
        self.volume_id = volume.id if volume is not None else None
        self.size = size if size is not None else volume.size
        self.availability_zone = volume.availability_zone if volume is not None else None
        self.snapshot_id = snapshot_id or str(uuid.uuid4())
        self.status = status
        self.created_at = created_at
        self.updated_at = created_at
        self.listed = listed  # False: not yet shown (backup_id_before_success off)
        self.policy_id = policy_id
        self.incremental = incremental
        self.fail_reason = None

    def summary(self, links):
        return {"id": self.id, "name": self.name, "links": links}

    def detail(self, links, version, project_id):
        view = {
            "id": self.id, "name": self.name, "status": self.status, "description": self.description or None,
            "volume_id": self.volume_id, "snapshot_id": self.snapshot_id, "size": self.size,
            "availability_zone": self.availability_zone, "fail_reason": self.fail_reason,
            "created_at": iso_time(self.created_at), "updated_at": iso_time(self.updated_at),
            "data_timestamp": iso_time(self.created_at), "object_count": 0, "container": self.id,
            "is_incremental": self.incremental, "has_dependent_backups": False, "links": links,
        }
        if version == "v3":
            view["os-backup-project-attr:project_id"] = project_id
        else:
            view["os-bak-tenant-attr:tenant_id"] = project_id
            view["service_metadata"] = '{"Type": %d, "progress": "100", "bootable": false}' % int(self.incremental)
        return view

    def as_dict(self):
        return {"id": self.id, "name": self.name, "status": self.status, "volume_id": self.volume_id,
                "size": self.size, "listed": self.listed, "policy_id": self.policy_id,
                "created_at": iso_time(self.created_at)}


class Job:
    """Work that ends ``duration`` seconds after it began, with ``finish(job)`` deciding its outcome."""

    def __init__(self, job_type, duration, begin, entities, finish, refusal=None):
        self.id = str(uuid.uuid4())
        self.job_type = job_type
        self.started = time.monotonic()
        self.due = self.started + duration
        self.duration = duration
        self.begin_time = begin
        self.end_time = None
        self.entities = entities  # shown while it runs
        self.finish = finish  # finish(job) -> (error code, fail reason) or None; runs once, at the due time
        self.refusal = refusal  # a refusal that ends the job FAIL (backup_refusals=job)
        self.finished = False
        self.error_code = None
        self.fail_reason = None

    def status(self, now):
        if self.finished:
            return "FAIL" if self.error_code else "SUCCESS"
        return "INIT" if now - self.started < self.duration * INIT_SHARE else "RUNNING"

    def view(self, now):
        return {"status": self.status(now), "job_id": self.id, "job_type": self.job_type,
                "entities": dict(self.entities), "begin_time": iso_time(self.begin_time, "Z"),
                "end_time": iso_time(self.end_time, "Z") if self.end_time else None,
                "error_code": self.error_code, "fail_reason": self.fail_reason}


class PolicyTask:
    """One volume's backup in a run of its policy."""

    def __init__(self, job, volume_id, created_at):
        self.job = job
        self.volume_id = volume_id
        self.backup_name = "autobk_%s" % uuid.uuid4().hex[:4]
        self.created_at = created_at
        self.status = "RUNNING"  # set when the job finishes

    def view(self):
        view = {"job_id": self.job.id, "backup_name": self.backup_name, "resource_id": self.volume_id,
                "resource_type": "volume", "status": self.status, "created_at": iso_time(self.created_at)}
        if self.job.finished:
            view["finished_at"] = iso_time(self.job.end_time)
        return view


class BackupBook:
    """The backups and jobs of the project; the store's lock guards them."""

    def __init__(self, store):
        self.store = store
        self.settings = store.settings
        self.backups = collections.OrderedDict()  # id -> Backup, in creation order
        self.jobs = collections.OrderedDict()  # id -> Job
        self.outcomes = {}  # volume id -> backup_outcome other than normal

    def load(self, seeded):
        """Seeded backups (seed.parse_seed), available unless they say otherwise."""
        self.backups.clear()
        self.jobs.clear()
        self.outcomes.clear()
        for item in seeded:
            volume = self.store.volume(item["volume_id"])
            backup = Backup(item["name"], volume, item["description"], status=item["status"],
                            created_at=item["created_at"], backup_id=item["id"],
                            size=item["size"] if item["size"] is not None else (volume.size if volume else 10))
            if volume is None:
                backup.volume_id = item["volume_id"]
            self.backups[backup.id] = backup

    # -- time ---------------------------------------------------------------------------------

    def advance(self):
        """Finish every job that is due, in the order they are due."""
        now = time.monotonic()
        due = sorted((job for job in self.jobs.values() if not job.finished and job.due <= now), key=lambda j: j.due)
        for job in due:
            outcome = job.refusal or job.finish(job)
            job.finished = True
            job.end_time = job.begin_time + job.duration
            if outcome:
                job.error_code, job.fail_reason = outcome

    def _job(self, job_type, entities, finish, refusal=None):
        while len(self.jobs) >= MAX_JOBS:
            self.jobs.popitem(last=False)
        job = Job(job_type, self.settings.job_duration_ms / 1000.0, self.settings.now(), entities, finish, refusal)
        self.jobs[job.id] = job
        return job

    def job_view(self, job_id):
        job = self.jobs.get(job_id)
        if job is None:
            # ASSUMED: the only code that fits is common.0011 "Failed to query the task".
            raise errors.vbs_error(404, "common.0011", "Failed to query the task %s." % job_id)
        return job.view(time.monotonic())

    def _refuse(self, refusal, job_type, entities):
        """A refused create or restore: 400 at once, or (backup_refusals=job) a job that ends FAIL."""
        if self.settings.backup_refusals == "immediate":
            raise errors.vbs_error(400, refusal[0], refusal[1])
        return self._job(job_type, entities, None, refusal).id

    # -- what blocks a backup or a restore -----------------------------------------------------

    def _creating_on(self, volume_id, other_than=None):
        """Whether a backup of the volume is being made (by a job other than ``other_than``)."""
        return any(not job.finished and job is not other_than and job.job_type == "bksCreateBackup"
                   and job.entities.get("volume_id") == volume_id for job in self.jobs.values())

    def _count_of(self, volume_id):
        return sum(backup.volume_id == volume_id for backup in self.backups.values())

    def _backup_refusal(self, volume, volume_id, job=None):
        """(code, message) that refuses a backup of this volume now (by ``job``, when it runs already), or None."""
        if volume is None:
            return code(21), "The disk %s does not exist." % volume_id
        if volume.status not in BACKUP_STATUSES:
            return code(12), "The disk status %s is not available or in-use." % volume.status
        if self._creating_on(volume.id, job):
            return code(13), "The previous backup of the disk %s is still running." % volume.id
        limit = self.settings.backups_per_disk
        if self._count_of(volume.id) >= limit:
            return code(40), "The number of backups for the disk has reached the upper limit (%d)." % limit
        return None

    # -- create ------------------------------------------------------------------------------

    def create(self, request):
        """A checked create request (backups_api) -> job ID; 400 for what is refused at once."""
        volume_id = request["volume_id"]
        volume = self.store.volume(volume_id)
        entities = {"volume_id": volume_id}
        refusal = self._backup_refusal(volume, volume_id)
        if refusal:
            return self._refuse(refusal, "bksCreateBackup", entities)
        listed = self.settings.backup_id_before_success
        incremental = not request["full"] and any(b.volume_id == volume.id and b.status == "available"
                                                  for b in self.backups.values())
        backup = Backup(request["name"], volume, request["description"], request["snapshot_id"],
                        created_at=self.settings.now(), listed=listed, incremental=incremental)
        self.backups[backup.id] = backup
        entities["snapshot_id"] = backup.snapshot_id
        if listed:
            entities["backup_id"] = backup.id

        def finish(job):
            backup.updated_at = self.settings.now()
            backup.listed = True
            job.entities["backup_id"] = backup.id
            if self.outcomes.get(volume.id) in ("fail", "timeout"):
                backup.status = "error"
                backup.fail_reason = "The backup failed (emulated)."
                return code(64), "The backup status is error."
            backup.status = "available"
            return None
        return self._job("bksCreateBackup", entities, finish).id

    # -- restore -----------------------------------------------------------------------------

    def _restore_refusal(self, backup, backup_id, volume, volume_id):
        if backup is None or not backup.listed:
            return code(111), "The backup %s does not exist." % backup_id
        if volume is None:
            return code(207), "The disk %s does not exist." % volume_id
        if backup.status != "available":
            return code(89), "The backup status %s is unavailable." % backup.status
        if volume.status == "error":
            return code(202), "The disk status is error."
        attached = volume.status == "in-use" or volume.server_ids
        if attached and self.settings.restore_in_use == "refuse":
            return code(205), "The disk status in-use is unavailable: detach the disk first."
        if volume.status not in BACKUP_STATUSES:
            return code(205), "The disk status %s is unavailable." % volume.status
        if self._creating_on(volume.id):
            return code(206), "A backup of the disk is being created."
        if volume.size < backup.size:
            return code(209), "The disk capacity must be greater than or equal to the backup size (%d GB)." % backup.size
        return None

    def restore(self, backup_id, volume_id):
        backup = self.backups.get(backup_id)
        volume = self.store.volume(volume_id)
        entities = {"backup_id": backup_id, "volume_id": volume_id}
        refusal = self._restore_refusal(backup, backup_id, volume, volume_id)
        if refusal:
            return self._refuse(refusal, "bksRestoreBackup", entities)
        previous = volume.status
        backup.status = "restoring"
        volume.status = RESTORING_STATUS

        def finish(job):
            backup.status = "available"
            volume.status = previous
            volume.restored_from.append(backup.id)
            return None
        return self._job("bksRestoreBackup", entities, finish).id

    # -- list, show, delete ---------------------------------------------------------------------

    def listed(self):
        """The backups the native API shows, newest first."""
        return sorted((backup for backup in self.backups.values() if backup.listed),
                      key=lambda backup: (backup.created_at, backup.id), reverse=True)

    def get(self, backup_id):
        backup = self.backups.get(backup_id)
        if backup is None or not backup.listed:
            raise errors.native_error(404, "Backup %s could not be found." % backup_id)
        return backup

    def delete(self, backup_id):
        backup = self.get(backup_id)
        if backup.status not in ("available", "error"):
            raise errors.native_error(400, "Invalid backup: Backup status must be available or error, not %s."
                                      % backup.status)
        backup.status = "deleting"

        def finish(job):
            self.backups.pop(backup.id, None)
            return None
        self._job("bksDeleteBackup", {"backup_id": backup.id}, finish)

    # -- policy runs ----------------------------------------------------------------------------

    def running_tasks(self, policy):
        return any(not task.job.finished for task in policy.tasks)

    def run_policy(self, policy):
        """One task per member volume, each a backup that ends after job_duration_ms."""
        inactive = policy.schedule.get("status") == "OFF" or not policy.members
        if inactive and self.settings.run_inactive_policy == "refuse":
            raise errors.vbs_error(400, "AutoBackup.1700", "Failed to execute the backup policy: it is %s."
                                   % ("disabled" if policy.members else "empty"))
        created = self.settings.now()
        for volume_id in sorted(policy.members):
            task = PolicyTask(None, volume_id, created)
            task.job = self._job("bksCreateBackup", {"volume_id": volume_id}, self._task_finish(policy, task))
            policy.tasks.append(task)

    def _task_finish(self, policy, task):
        def finish(job):
            volume = self.store.volume(task.volume_id)
            outcome = self.outcomes.get(task.volume_id)
            refusal = self._backup_refusal(volume, task.volume_id, job) if outcome is None else None
            if outcome == "timeout":
                task.status = "EXECUTE_TIMEOUT"
                return code(64), "The backup task timed out (emulated)."
            if outcome == "fail" or refusal:
                task.status = "EXECUTE_FAIL"
                return refusal or (code(64), "The backup failed (emulated).")
            backup = Backup(task.backup_name, volume, status="available", created_at=self.settings.now(),
                            policy_id=policy.id)
            self.backups[backup.id] = backup
            job.entities["backup_id"] = backup.id
            task.status = "EXECUTE_SUCCESS"
            return None
        return finish

    def snapshot(self):
        now = time.monotonic()
        return {"backups": [backup.as_dict() for backup in self.backups.values()],
                "jobs": [job.view(now) for job in self.jobs.values()]}
