# -*- coding: utf-8 -*-
# Copyright: (c) 2026, huaweicloud.vbs contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""VBS backups: create and restore (jobs of /v2/{project_id}/cloudbackups), list, show and delete.

Listing, showing and deleting use the native API, ``/v3/{project_id}/backups``, which the Open Telekom
Cloud reference documents as current. Huawei Cloud documents only its deprecated twin under ``/v2``:
when ``/v3`` answers 404 with anything but the native "itemNotFound", the client uses ``/v2`` from then
on and keeps a note that the module shows as a warning.
"""

from urllib.parse import quote

from ansible_collections.huaweicloud.vbs.plugins.module_utils.vbs_api import VBS, ServiceClient
from ansible_collections.huaweicloud.vbs.plugins.module_utils.vbs_errors import ITEM_NOT_FOUND, VBSError
from ansible_collections.huaweicloud.vbs.plugins.module_utils.vbs_jobs import poll
from ansible_collections.huaweicloud.vbs.plugins.module_utils.vbs_values import (
    UUID_RULE, is_uuid, is_whole_number, job_id_problem, safe_field, shown)

NATIVE = "v3"
DEPRECATED_NATIVE = "v2"
LIST_PATH = "/backups/detail"
PAGE_LIMIT = 1000  # the most a page holds
MAX_PAGES = 1000
TEXT_FIELDS = ("name", "status", "availability_zone", "created_at", "updated_at", "fail_reason")
FLAG_FIELDS = ("is_incremental", "has_dependent_backups")
# A backup in these states is there to use; "creating" will be; the others (error, deleting, ...) are not.
USABLE = ("available", "restoring")
CREATING = "creating"


class BackupClient(ServiceClient):
    """The backups of one project."""

    service = VBS

    def __init__(self, transport, auth, endpoint, project_id):
        super(BackupClient, self).__init__(transport, auth, endpoint, project_id)
        self.native_version = NATIVE
        self.notes = []  # what a module should tell its user (the fall-back to /v2)

    # -- VBS jobs ---------------------------------------------------------------------

    def create_backup(self, body):
        """POST /cloudbackups, one attempt (a repeat could make a second backup); the job ID."""
        return self._job_id(self.checked_call("POST", self.url("/cloudbackups"), body, retries=0))

    def restore_backup(self, backup_id, volume_id):
        """POST /cloudbackups/{backup_id}/restore, one attempt; the job ID."""
        url = self.url("/cloudbackups/%s/restore" % path_id(backup_id))
        return self._job_id(self.checked_call("POST", url, {"restore": {"volume_id": volume_id}}, retries=0))

    @staticmethod
    def _job_id(received):
        data = received.object()
        problem = job_id_problem(data.get("job_id"))
        if problem:
            raise received.unexpected("a job_id that %s" % problem, data)
        return data["job_id"]

    # -- the native backup API --------------------------------------------------------------

    def list_backups(self, filters=()):
        """Every backup the ``filters`` (query pairs: name, status, volume_id) match, newest first.

        VBS's filtering is not relied on: the caller matches what it needs again.
        """
        query = list(filters) + [("limit", PAGE_LIMIT)]
        received = self._native("GET", LIST_PATH, query)
        backups, seen = [], set()
        for _page in range(MAX_PAGES):
            data = received.object()
            page = data.get("backups")
            if not isinstance(page, list):
                raise received.unexpected("backups is not a list", data)
            for item in page:
                backup = backup_facts(received, item)
                if backup["id"] in seen:
                    raise received.unexpected("backup %s listed twice" % backup["id"], {"backups": "..."})
                seen.add(backup["id"])
                backups.append(backup)
            url = self.next_page_url(data.get("backups_links"), LIST_PATH, self.native_version)
            if url is None or not page:
                return newest_first(backups)
            received = self.checked_call("GET", url)
        raise VBSError("VBS kept paging GET %s beyond %d pages" % (received.path, MAX_PAGES),
                       method="GET", path=received.path, service=VBS)

    def get_backup(self, backup_id):
        """One backup, or None when VBS says it does not exist (404 itemNotFound)."""
        try:
            received = self._native("GET", "/backups/%s" % path_id(backup_id))
        except VBSError as error:
            if error.status == 404:
                return None
            raise
        return backup_facts(received, received.object().get("backup"))

    def delete_backup(self, backup_id):
        """DELETE /backups/{id}: VBS answers 202 and deletes in the background (status deleting)."""
        self._native("DELETE", "/backups/%s" % path_id(backup_id))

    def _native(self, method, path, query=None):
        """One call to the native API: /v3, or /v2 once /v3 proved missing (a 404 that is no itemNotFound)."""
        try:
            return self.checked_call(method, self.url(path, query, self.native_version))
        except VBSError as error:
            if self.native_version != NATIVE or error.status != 404 or error.code == ITEM_NOT_FOUND:
                raise
            self.native_version = DEPRECATED_NATIVE
            self.notes.append(
                "VBS at %s does not serve the native backup API under /v3 (%s %s answered 404%s); the "
                "deprecated /v2/{project_id}/backups calls were used instead, as Huawei Cloud documents them"
                % (self.endpoint, method, error.path, " " + shown(error.code) if error.code else ""))
        return self.checked_call(method, self.url(path, query, self.native_version))


def path_id(backup_id):
    """A backup ID for a path, once it is a UUID."""
    if not is_uuid(backup_id):
        raise VBSError("The backup ID %s is no backup ID (%s)" % (shown(backup_id, quote=True), UUID_RULE),
                       service=VBS)
    return quote(backup_id.lower(), safe="")


# -- one backup as the collection keeps it ------------------------------------------------------

def backup_facts(received, item):
    """The documented facts of a backup, checked and made safe; nothing else of what VBS sent.

    A backup without a usable ID makes the whole answer unusable: its ID would go into paths.
    """
    if not isinstance(item, dict) or not is_uuid(item.get("id")):
        raise received.unexpected("a backup without a backup ID", item)
    facts = dict(id=item["id"].lower())
    for key in TEXT_FIELDS:
        facts[key] = safe_field(item.get(key))
    for key in ("volume_id", "snapshot_id"):
        facts[key] = item[key].lower() if is_uuid(item.get(key)) else None
    size = item.get("size")
    facts["size"] = size if is_whole_number(size) and size >= 0 else None
    # Documented both as a string and as a structure: only a string is a description.
    facts["description"] = safe_field(item.get("description"))
    for key in FLAG_FIELDS:
        facts[key] = item[key] if isinstance(item.get(key), bool) else None
    return facts


def predicted(volume_id, name, description=None):
    """The facts of a backup that check mode predicts: what the options say; what only VBS knows is None."""
    facts = dict((key, None) for key in ("id",) + TEXT_FIELDS + ("snapshot_id", "size") + FLAG_FIELDS)
    facts.update(name=name, volume_id=volume_id, description=description)
    return facts


def newest_first(backups):
    """By created_at, newest first (one timestamp format, so the text sorts as the time); IDs break ties."""
    return sorted(backups, key=lambda backup: (backup["created_at"] or "", backup["id"]), reverse=True)


def named(backups, name, volume_id):
    """The backups of ``volume_id`` named ``name``, newest first."""
    return [backup for backup in newest_first(backups) if backup["name"] == name and backup["volume_id"] == volume_id]


def label(backup):
    """'name (ID id, status s)' of a backup, for messages."""
    return "%s (ID %s, %s)" % (shown(backup["name"]), backup["id"], shown(backup["status"]))


def wait_for_backup(client, backup_id, settled, timeout, interval):
    """(backup or None when gone, whether ``settled(backup)``): the backup read until it settles or time is up."""
    return poll(lambda: client.get_backup(backup_id), settled, timeout, interval, client.transport.sleep)


def not_creating(backup):
    return backup is None or backup["status"] != CREATING


def done_deleting(backup):
    """Gone, or no longer deleting (error_deleting: the delete failed)."""
    return backup is None or backup["status"] != "deleting"
