# -*- coding: utf-8 -*-
# Copyright: (c) 2026, huaweicloud.vbs contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""Policies, volumes and what associating them means.

Everything is kept in dicts and sets so that a request costs what its answer
costs, whatever the number of volumes. One lock guards the whole state: each
change (a whole associate request included) is atomic for the threaded server.
"""

import collections
import threading
import uuid

from . import errors, policy_schema
from .backups import BackupBook

# Volume statuses that refuse association (AutoBackup.0206).
BLOCKED_STATUSES = frozenset([
    "error", "error_extending", "error_restoring", "error_rollbacking", "error_deleting", "awaiting-transfer",
])

# Documented codes ("Error Codes" appendix of the VBS API reference).
POLICY_LIMIT_CODE = "AutoBackup.0203"   # the number of backup policies has reached the upper limit
DELETE_FAILED_CODE = "AutoBackup.1300"  # failed to delete the policy
TAG_MISSING_CODE = "AutoBackup.0216"    # the tag does not exist
# ASSUMED code: the reference documents no duplicate-name error (see unique_policy_names).
DUPLICATE_NAME_CODE = "AutoBackup.0202"
# The answers to the cases the reference leaves open (settings member_association and
# non_member_disassociation): the "fail_with_code" choices use the reference's
# "the resource is invalid" code.
INVALID_RESOURCE_CODE = "AutoBackup.1400"
NOT_ASSOCIATED_MESSAGE = "the resource is not associated with the backup policy"
ALREADY_ASSOCIATED_MESSAGE = "the resource is already associated with the backup policy"

MAX_TASKS_PER_POLICY = 10000
# When the seeded volumes were created (2026-01-01T00:00:00Z), one second apart.
SEED_EPOCH = 1767225600.0


class Volume:
    __slots__ = ("availability_zone", "created_at", "id", "metadata", "name", "pod", "policy_id", "policy_via_api",
                 "restored_from", "server_ids", "size", "status", "tags")

    def __init__(self, volume_id, status, availability_zone, pod, name="", size=10, server_ids=(), tags=None,
                 metadata=None, created_at=0.0):
        self.id = volume_id
        self.name = name
        self.status = status
        self.size = size
        self.availability_zone = availability_zone
        self.pod = pod
        self.server_ids = list(server_ids)
        self.tags = dict(tags or {})
        self.metadata = dict(metadata or {})  # the user's own metadata; EVS adds "policy" (evs_view)
        self.created_at = created_at
        self.policy_id = None
        # Whether the volume joined its policy through the API since the emulator started (or was reset):
        # with evs_policy_metadata=partial, only those volumes carry the "policy" metadata.
        self.policy_via_api = False
        self.restored_from = []  # the backups restored onto it, oldest first (inspection only)

    def as_dict(self):
        return {"id": self.id, "name": self.name, "status": self.status, "size": self.size,
                "availability_zone": self.availability_zone, "pod": self.pod, "server_ids": list(self.server_ids),
                "tags": dict(self.tags), "metadata": dict(self.metadata), "policy_id": self.policy_id,
                "policy_via_api": self.policy_via_api, "restored_from": list(self.restored_from)}

    def join(self, policy_id):
        """Join a policy through the API (an associate call, or another client's)."""
        self.policy_id = policy_id
        self.policy_via_api = True

    def leave(self):
        self.policy_id = None
        self.policy_via_api = False

    def visible_policy(self, mode):
        """The "policy" metadata EVS shows for this volume under evs_policy_metadata ``mode``, or None."""
        if mode == "sync" or (mode == "partial" and self.policy_via_api):
            return self.policy_id
        return None


class Policy:
    __slots__ = ("forced_executing", "id", "members", "name", "schedule", "seq", "tags", "tasks", "time_zone")

    def __init__(self, policy_id, name, schedule, tags, seq, time_zone=None, executing=False):
        self.id = policy_id
        self.name = name
        self.schedule = schedule
        self.members = set()
        self.forced_executing = executing  # set by the seed or the inspection API
        self.tags = dict(tags)  # key -> value, in insertion order
        self.time_zone = time_zone
        self.seq = seq  # creation order: the order of the list and what a page marker points into
        self.tasks = collections.deque(maxlen=MAX_TASKS_PER_POLICY)  # backups.PolicyTask, oldest first

    @property
    def executing(self):
        """Marked as executing, or a run of it still has a running task."""
        return self.forced_executing or any(not task.job.finished for task in self.tasks)

    def list_item(self):
        item = {
            "backup_policy_id": self.id,
            "backup_policy_name": self.name,
            "scheduled_policy": dict(self.schedule),
            "policy_resource_count": len(self.members),
        }
        if self.time_zone is not None:
            item["time_zone"] = self.time_zone
        return item

    def tag_list(self):
        return [{"key": key, "value": value} for key, value in self.tags.items()]


def _resource_item(resource_id, resource_type, volume):
    return {
        "resource_id": resource_id,
        "resource_type": resource_type,
        "availability_zone": volume.availability_zone if volume else "",
        "os_vol_host_attr": volume.pod if volume else "",
    }


def _failed(item, code, message):
    failed = dict(item)
    failed["code"] = code
    failed["message"] = message
    return failed


class StateLock:
    """The store's lock; whoever takes it first finishes the backup jobs that are due (backups.BackupBook)."""

    def __init__(self, on_enter):
        self._lock = threading.Lock()
        self._on_enter = on_enter

    def __enter__(self):
        self._lock.acquire()
        try:
            self._on_enter()
        except BaseException:
            self._lock.release()
            raise
        return self

    def __exit__(self, *exc_info):
        self._lock.release()
        return False


class Store:

    def __init__(self, settings):
        self.settings = settings
        self.backups = BackupBook(self)
        self.lock = StateLock(self.backups.advance)
        self.project = None
        self.credentials = None
        self._policies = {}  # id -> Policy, in creation order
        self._volumes = {}  # id -> Volume
        self._servers = {}  # id -> {"id", "name", "status"}, in seed order
        self._seq_of = {}  # policy id -> seq, deleted policies included, so a stale page marker still works
        self._next_seq = 0

    # -- loading ----------------------------------------------------------

    def load(self, seed):
        """Replace the whole state with a parsed seed (see seed.parse_seed)."""
        with self.lock:
            self.project = seed["project"]
            self.credentials = seed["credentials"]
            self._policies = {}
            self._seq_of = {}
            self._next_seq = 0
            # Seeded volumes were created one second apart, in seed order (EVS lists the newest first).
            self._volumes = {item["id"]: Volume(item["id"], item["status"], item["availability_zone"], item["pod"],
                                                item["name"], item["size"], item["server_ids"], item["tags"],
                                                item["metadata"], SEED_EPOCH + index)
                             for index, item in enumerate(seed["volumes"])}
            self._servers = {item["id"]: dict(item) for item in seed["servers"]}
            for item in seed["policies"]:
                policy = self._add_policy(item["name"], item["scheduled_policy"], item["tags"], item["id"],
                                          item["time_zone"], item["executing"])
                for volume_id in item["members"]:
                    policy.members.add(volume_id)
                    self._volumes[volume_id].policy_id = policy.id
            self.backups.load(seed["backups"])

    def volume(self, volume_id):
        """The Volume with this ID, or None (the caller holds the lock)."""
        return self._volumes.get(volume_id)

    def _add_policy(self, name, schedule, tags, policy_id=None, time_zone=None, executing=False):
        self._next_seq += 1
        policy = Policy(policy_id or str(uuid.uuid4()), name, schedule, tags, self._next_seq, time_zone, executing)
        self._policies[policy.id] = policy
        self._seq_of[policy.id] = policy.seq
        return policy

    def require_policy(self, policy_id):
        """ApiError 404 (AutoBackup.0205) when there is no such policy."""
        with self.lock:
            self._policy(policy_id)

    def _policy(self, policy_id):
        policy = self._policies.get(policy_id)
        if policy is None:
            raise errors.policy_not_found(policy_id)
        return policy

    # -- policies ---------------------------------------------------------

    def list_policies(self, marker=None, limit=None):
        """(list items, id of the last item when more remain, else None)."""
        with self.lock:
            policies = self._policies.values()
            if marker is not None:
                if marker not in self._seq_of:
                    raise errors.invalid_parameter("marker %s is not a backup policy ID" % marker)
                after = self._seq_of[marker]
                policies = [policy for policy in policies if policy.seq > after]
            policies = list(policies)
            if limit is None or len(policies) <= limit:
                return [policy.list_item() for policy in policies], None
            page = policies[:limit]
            return [policy.list_item() for policy in page], page[-1].id

    def _check_name_free(self, name, policy_id=None):
        """With unique_policy_names (ASSUMED: the reference documents no such error), a taken name is refused."""
        if not self.settings.unique_policy_names:
            return
        for policy in self._policies.values():
            if policy.name == name and policy.id != policy_id:
                raise errors.vbs_error(400, DUPLICATE_NAME_CODE, "A backup policy named %s already exists." % name)

    def schedule_limits(self):
        return {"max_frequency": self.settings.max_frequency, "max_retention_num": self.settings.max_retention_num}

    def create_policy(self, name, schedule, tags, time_zone=None):
        """Add a policy (schedule already checked); its list item."""
        with self.lock:
            limit = self.settings.policies_per_tenant
            if len(self._policies) >= limit:
                raise errors.vbs_error(400, POLICY_LIMIT_CODE,
                                       "The number of backup policies has reached the upper limit (%d)." % limit)
            self._check_name_free(name)
            return self._add_policy(name, policy_schema.effective(schedule), tags, time_zone=time_zone).list_item()

    def modify_policy(self, policy_id, name=None, schedule_change=None, time_zone=None):
        """Change the name, the time zone and/or the schedule (merged into the current one, then checked)."""
        with self.lock:
            policy = self._policy(policy_id)
            schedule = None
            if schedule_change is not None:
                replace = self.settings.exclusive_keys == "replace"
                try:
                    merged = policy_schema.merge_schedule(policy.schedule, schedule_change, replace_partner=replace)
                    schedule = policy_schema.check_schedule(merged, self.schedule_limits())
                except policy_schema.SchemaError as error:
                    raise errors.vbs_error(400, error.code, str(error)) from None
                if replace:
                    schedule = policy_schema.effective(schedule)
            if name is not None:
                self._check_name_free(name, policy_id)
                policy.name = name
            if schedule is not None:
                policy.schedule = schedule
            if time_zone is not None:
                policy.time_zone = time_zone
            return policy.list_item()

    def delete_policy(self, policy_id):
        """Delete the policy; its volumes become free (or, with delete_policy_with_volumes=refuse, 400)."""
        with self.lock:
            policy = self._policy(policy_id)
            if policy.members and self.settings.delete_policy_with_volumes == "refuse":
                raise errors.vbs_error(400, DELETE_FAILED_CODE, "Failed to delete the policy: %d volumes are still "
                                                                "associated with it." % len(policy.members))
            for volume_id in policy.members:
                volume = self._volumes.get(volume_id)
                if volume is not None:
                    volume.leave()
            del self._policies[policy_id]

    def policy_details(self, policy_id):
        """Everything the emulator keeps about one policy, for the inspection API; None when there is none."""
        with self.lock:
            policy = self._policies.get(policy_id)
            if policy is None:
                return None
            return {"id": policy.id, "name": policy.name, "scheduled_policy": dict(policy.schedule),
                    "time_zone": policy.time_zone, "tags": dict(policy.tags), "members": sorted(policy.members),
                    "executing": policy.executing}

    # -- association ------------------------------------------------------

    def associate(self, policy_id, resources):
        """Associate each resource; (success items, fail items). resources is a non-empty list."""
        with self.lock:
            policy = self._policy(policy_id)
            limit = self.settings.policy_volume_limit
            success, fail = [], []
            for resource in resources:
                ok, item = self._associate_one(policy, resource, limit)
                (success if ok else fail).append(item)
            self._other_actor(policy, limit)
            return success, fail

    def _other_actor(self, policy, limit):
        """Another client associates other_actor_volumes free volumes with the policy, within the same call.

        It happens while the caller's request is being answered, so it always
        lands between the caller's reads of the policy before and after.
        """
        wanted = self.settings.other_actor_volumes
        if not wanted or policy.executing:
            return
        for volume in self._volumes.values():
            if wanted == 0 or len(policy.members) >= limit:
                return
            if volume.policy_id is None and volume.status not in BLOCKED_STATUSES:
                policy.members.add(volume.id)
                volume.join(policy.id)
                wanted -= 1

    def _associate_one(self, policy, resource, limit):
        resource = resource if isinstance(resource, dict) else {}
        resource_id = resource.get("resource_id")
        resource_type = resource.get("resource_type")
        shown_type = resource_type if isinstance(resource_type, str) else ""
        if not isinstance(resource_id, str) or not resource_id.strip():
            item = _resource_item(resource_id if isinstance(resource_id, str) else "", shown_type, None)
            return False, _failed(item, "AutoBackup.0209", "resource_id is empty")
        volume = self._volumes.get(resource_id)
        item = _resource_item(resource_id, shown_type, volume)
        if resource_type != "volume":
            return False, _failed(item, "AutoBackup.0211", "invalid resource type %r: the only type is volume" % (resource_type,))
        if policy.executing:
            return False, _failed(item, "AutoBackup.0225", "the backup policy is being executed")
        if volume is None:
            return False, _failed(item, INVALID_RESOURCE_CODE, "the volume %s does not exist" % resource_id)
        if volume.status in BLOCKED_STATUSES:
            return False, _failed(item, "AutoBackup.0206", "the volume status %s does not allow association" % volume.status)
        if volume.policy_id == policy.id:
            # Already a member: nothing changes. The reference does not say how VBS answers.
            if self.settings.member_association == "fail_with_code":
                return False, _failed(item, INVALID_RESOURCE_CODE, ALREADY_ASSOCIATED_MESSAGE)
            return True, item
        if len(policy.members) >= limit:
            return False, _failed(item, "AutoBackup.0204",
                                  "the backup policy already holds the maximum number of volumes (%d)" % limit)
        if volume.policy_id is not None:
            # A volume belongs to at most one policy: associating it elsewhere moves it.
            self._policies[volume.policy_id].members.discard(resource_id)
        policy.members.add(resource_id)
        volume.join(policy.id)
        return True, item

    def disassociate(self, policy_id, resources):
        """Disassociate each resource; (success items, fail items). resources is a non-empty list."""
        with self.lock:
            policy = self._policy(policy_id)
            success, fail = [], []
            for resource in resources:
                resource = resource if isinstance(resource, dict) else {}
                resource_id = resource.get("resource_id")
                if not isinstance(resource_id, str) or not resource_id.strip():
                    fail.append({"resource_id": resource_id if isinstance(resource_id, str) else "",
                                 "code": "AutoBackup.0209", "message": "resource_id is empty"})
                elif policy.executing:
                    fail.append({"resource_id": resource_id, "code": "AutoBackup.0225",
                                 "message": "the backup policy is being executed"})
                elif resource_id not in policy.members:
                    ok, item = self._not_a_member(resource_id)
                    (success if ok else fail).append(item)
                else:
                    policy.members.discard(resource_id)
                    self._volumes[resource_id].leave()
                    success.append({"resource_id": resource_id})
            self._other_actor(policy, self.settings.policy_volume_limit)
            return success, fail

    def _not_a_member(self, resource_id):
        """(ok, item) for disassociating a volume that is not in the policy: the reference leaves it open.

        Its only example answer to a disassociation is a fail item with no code
        and no message, which is the default.
        """
        choice = self.settings.non_member_disassociation
        if choice == "success":
            return True, {"resource_id": resource_id}
        if choice == "fail_with_code":
            return False, {"resource_id": resource_id, "code": INVALID_RESOURCE_CODE,
                           "message": NOT_ASSOCIATED_MESSAGE}
        return False, {"resource_id": resource_id}

    # -- run now and its tasks ----------------------------------------------

    def run_policy(self, policy_id):
        """Start one backup task per member volume (backups.BackupBook.run_policy); 400 while it runs."""
        with self.lock:
            policy = self._policy(policy_id)
            if policy.executing:
                raise errors.vbs_error(400, "AutoBackup.0225", "The backup policy is being executed.")
            self.backups.run_policy(policy)

    def tasks(self, policy_id, status=None, newest_first=True):
        with self.lock:
            tasks = [task.view() for task in self._policy(policy_id).tasks]
        if status is not None:
            tasks = [task for task in tasks if task["status"] == status]
        if newest_first:
            tasks.reverse()
        return tasks

    # -- tags ---------------------------------------------------------------

    def tags(self, policy_id):
        with self.lock:
            return self._policy(policy_id).tag_list()

    def all_tags(self):
        """Every tag key with its distinct values, over all policies."""
        with self.lock:
            values = {}
            for policy in self._policies.values():
                for key, value in policy.tags.items():
                    values.setdefault(key, [])
                    if value not in values[key]:
                        values[key].append(value)
        return [{"key": key, "values": found} for key, found in values.items()]

    def set_tags(self, policy_id, tags, overwrite=None):
        """Add tags (a dict); all or nothing.

        An existing key is overwritten when ``overwrite`` is True (the update
        action), else as tag_create_existing says: overwrite, keep the old
        value, or refuse the whole request (ASSUMED: the reference says what
        create does only for a new key).
        """
        with self.lock:
            policy = self._policy(policy_id)
            mode = "overwrite" if overwrite else self.settings.tag_create_existing
            existing = [key for key in tags if key in policy.tags]
            if existing and mode == "refuse":
                raise errors.vbs_error(400, policy_schema.TAG_INVALID,
                                       "The tag(s) %s already exist." % ", ".join(existing))
            merged = dict(policy.tags)
            for key, value in tags.items():
                if key not in merged or mode == "overwrite":
                    merged[key] = value
            if len(merged) > policy_schema.MAX_TAGS:
                raise errors.vbs_error(400, policy_schema.TAG_LIMIT,
                                       "The number of tags has reached the upper limit (%d)." % policy_schema.MAX_TAGS)
            policy.tags = merged

    def delete_tags(self, policy_id, keys, missing_ok):
        with self.lock:
            policy = self._policy(policy_id)
            if not missing_ok:
                for key in keys:
                    if key not in policy.tags:
                        raise errors.vbs_error(404, TAG_MISSING_CODE, "The tag %s does not exist." % key)
            for key in keys:
                policy.tags.pop(key, None)

    # -- inspection ---------------------------------------------------------

    def policies_snapshot(self):
        with self.lock:
            return [{"id": policy.id, "name": policy.name, "members": sorted(policy.members),
                     "executing": policy.executing} for policy in self._policies.values()]

    def volumes_snapshot(self):
        with self.lock:
            return [volume.as_dict() for volume in self._volumes.values()]

    # -- EVS and ECS --------------------------------------------------------------

    def evs_volumes(self, view, ids=None, policy_id=None):
        """``view(volume, visible policy)`` of every volume, in creation order: one consistent snapshot.

        ``ids`` (a set) and ``policy_id`` (the visible policy) leave out the other volumes before any view is
        made, so that a filtered request costs what its answer costs, whatever the number of volumes.
        """
        mode = self.settings.evs_policy_metadata
        with self.lock:
            volumes = self._volumes.values()
            if ids is not None:
                volumes = [self._volumes[volume_id] for volume_id in ids if volume_id in self._volumes]
                volumes.sort(key=lambda volume: volume.created_at)
            if policy_id is not None:
                volumes = [volume for volume in volumes if volume.visible_policy(mode) == policy_id]
            return [view(volume, volume.visible_policy(mode)) for volume in volumes]

    def evs_volume(self, volume_id, view):
        """``view(volume, visible policy)`` of one volume, or None when there is no such volume."""
        with self.lock:
            volume = self._volumes.get(volume_id)
            return None if volume is None else view(volume, volume.visible_policy(self.settings.evs_policy_metadata))

    def servers(self):
        with self.lock:
            return [dict(server) for server in self._servers.values()]

    def set_executing(self, policy_id, executing):
        """Mark a policy as being executed (or not); False when there is no such policy."""
        with self.lock:
            policy = self._policies.get(policy_id)
            if policy is None:
                return False
            policy.forced_executing = executing
            return True

    def update_volume(self, volume_id, changes):
        """Change status, availability_zone, pod and/or backup_outcome of a volume; None when there is no such volume."""
        with self.lock:
            volume = self._volumes.get(volume_id)
            if volume is None:
                return None
            for key, value in changes.items():
                if key == "backup_outcome":
                    self.backups.outcomes[volume_id] = value
                else:
                    setattr(volume, key, value)
            view = volume.as_dict()
            view["backup_outcome"] = self.backups.outcomes.get(volume_id, "normal")
            return view

    # -- backups, restores and jobs (backups.BackupBook) ---------------------------------

    def with_backups(self, action):
        """``action(book)`` under the lock, with the jobs that are due finished first."""
        with self.lock:
            return action(self.backups)
