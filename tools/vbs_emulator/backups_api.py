# -*- coding: utf-8 -*-
# Copyright: (c) 2026, huaweicloud.vbs contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""Backups: the VBS calls that answer a job (create, restore), the job itself, and the native backup API.

- ``POST /v2/{project_id}/cloudbackups`` and ``POST /v2/{project_id}/cloudbackups/{id}/restore``: 200
  ``{"job_id"}``; errors in the VBS shape ``{"error": {"code": "VolumeBackup.xxxx", "message"}}``.
- ``GET /v1/{project_id}/jobs/{job_id}``: the job.
- ``GET /v3/{project_id}/backups[/detail]``, ``GET`` and ``DELETE /v3/{project_id}/backups/{id}``, and their
  deprecated twins under ``/v2``: errors in the OpenStack shape ``{"itemNotFound": {"code": 404, ...}}``.
  With ``native_v3_backups=absent`` the ``/v3`` paths do not exist (the gateway's 404).
"""

from . import errors
from .backups import MAX_TAGS, NAME_PATTERN, TAG_FORBIDDEN, VOLUME_ID_PATTERN, code
from .messages import BadJson, Response
from .routes import Routes
from .signer import vbs_signer
from .vbs_api import check_project

MAX_LIMIT = 1000
NATIVE_VERSIONS = ("v2", "v3")
route = Routes()


def handles(request):
    """Whether the path is a backup call: /v2/{p}/cloudbackups..., /v1/{p}/jobs/..., /v2 or /v3/{p}/backups..."""
    segments = request.segments()
    if len(segments) < 3:
        return False
    version, collection = segments[0], segments[2]
    return ((version, collection) in (("v2", "cloudbackups"), ("v1", "jobs"))
            or (version in NATIVE_VERSIONS and collection == "backups"))


def is_native(request):
    """Whether the native (OpenStack) error shape applies: the /backups paths."""
    segments = request.segments()
    return len(segments) >= 3 and segments[2] == "backups"


def handle(app, request):
    """Route, authenticate, check the project, then answer."""
    segments = request.segments()
    version, project_id = segments[0], segments[1]
    rest = "/" + "/".join(segments[2:])
    if version == "v3" and app.settings.native_v3_backups == "absent":
        raise errors.unknown_api(request.method, request.raw_path)
    handler, match = route.find(request.method, rest)
    if handler is None:
        raise errors.unknown_api(request.method, request.raw_path)
    identity = app.auth.authenticate(request, errors.VBS)
    check_project(app, request, identity, project_id)
    return handler(app, request, version, project_id, **match.groupdict())


def _bad(number, message):
    return errors.vbs_error(400, code(number), message)


def _body(request, number):
    try:
        body = request.json()
    except BadJson:
        raise _bad(number, "The request body format is invalid.") from None
    if not isinstance(body, dict):
        raise _bad(number, "The request body format is invalid.")
    return body


# -- create -------------------------------------------------------------------------------------

def _name(backup):
    name = backup.get("name")
    if name is None or name == "":
        raise _bad(7, "The backup name is empty.")
    if not isinstance(name, str):
        raise _bad(4, "The backup name contains invalid characters.")
    if len(name) > 64:
        raise _bad(3, "The backup name is too long.")
    if not NAME_PATTERN.match(name):
        raise _bad(4, "The backup name contains invalid characters.")
    if name.startswith("auto"):
        raise _bad(5, "The backup name cannot start with auto.")
    return name


def _description(backup):
    description = backup.get("description")
    if description is None:
        return None
    if not isinstance(description, str) or len(description) > 64 or "<" in description or ">" in description:
        raise _bad(6, "The backup description is too long or invalid.")
    return description


def _volume_id(backup):
    volume_id = backup.get("volume_id")
    if volume_id is None or volume_id == "":
        raise _bad(10, "The volume_id is empty.")
    if not isinstance(volume_id, str) or not VOLUME_ID_PATTERN.match(volume_id):
        raise _bad(11, "The volume_id format is invalid.")
    return volume_id


def _check_tags(backup):
    tags = backup.get("tags", [])
    if not isinstance(tags, list):
        raise _bad(49, "The tags are invalid.")
    if len(tags) > MAX_TAGS:
        raise _bad(50, "The number of tags exceeds %d." % MAX_TAGS)
    for tag in tags:
        key = tag.get("key") if isinstance(tag, dict) else None
        value = tag.get("value", "") if isinstance(tag, dict) else None
        for text, limit in ((key, 36), (value, 43)):
            if not isinstance(text, str) or len(text) > limit or any(ord(char) < 32 or char in TAG_FORBIDDEN
                                                                     for char in text):
                raise _bad(49, "The tag %r is invalid." % (tag,))
        if not key:
            raise _bad(49, "A tag key is empty.")


@route("POST", r"/cloudbackups")
def create_backup(app, request, version, project_id):
    backup = _body(request, 2).get("backup")
    if not isinstance(backup, dict):
        raise _bad(2, "The request body format is invalid: give a backup object.")
    snapshot_id = backup.get("snapshot_id")
    if snapshot_id is not None and not isinstance(snapshot_id, str):
        raise _bad(2, "The snapshot_id is invalid.")
    extend = backup.get("extend_param") or {}
    if not isinstance(extend, dict):
        raise _bad(2, "The extend_param is invalid.")
    _check_tags(backup)
    checked = {"name": _name(backup), "description": _description(backup), "volume_id": _volume_id(backup),
               "snapshot_id": snapshot_id, "full": str(extend.get("FullBackup", "")).lower() == "true"}
    job_id = app.store.with_backups(lambda book: book.create(checked))
    return Response(200, {"job_id": job_id})


@route("POST", r"/cloudbackups/(?P<backup_id>[^/]+)/restore")
def restore_backup(app, request, version, project_id, backup_id):
    restore = _body(request, 210).get("restore")
    if not isinstance(restore, dict):
        raise _bad(210, "The request body format is invalid: give a restore object.")
    volume_id = restore.get("volume_id")
    if not isinstance(volume_id, str) or not VOLUME_ID_PATTERN.match(volume_id):
        raise _bad(208, "The volume_id is empty or invalid.")
    if not VOLUME_ID_PATTERN.match(backup_id):
        raise _bad(204, "The backup_id format is invalid.")
    job_id = app.store.with_backups(lambda book: book.restore(backup_id, volume_id))
    return Response(200, {"job_id": job_id})


@route("GET", r"/jobs/(?P<job_id>[^/]+)")
def show_job(app, request, version, project_id, job_id):
    return Response(200, app.store.with_backups(lambda book: book.job_view(job_id)))


# -- the native API ---------------------------------------------------------------------------------

def _links(request, version, project_id, backup_id):
    return [{"href": "%s/%s/%s/backups/%s" % (request.base_url, version, project_id, backup_id), "rel": "self"}]


def _whole(query, name, minimum, maximum):
    value = query.get(name)
    if value is None:
        return None
    if not value.isdigit() or not minimum <= int(value) <= maximum:
        raise errors.native_error(400, "Invalid input: %s must be a whole number from %d to %d."
                                  % (name, minimum, maximum))
    return int(value)


def _listing(app, request, version, project_id, detail):
    query = request.query()
    sort_dir = query.get("sort_dir", "desc")
    if sort_dir not in ("asc", "desc"):
        raise errors.native_error(400, "Invalid input: sort_dir must be asc or desc.")
    limits = [size for size in (_whole(query, "limit", 1, MAX_LIMIT), app.settings.page_size, MAX_LIMIT) if size]
    limit = min(limits)
    offset = _whole(query, "offset", 0, 10 ** 9) or 0

    def answer(book):
        backups = [backup for backup in book.listed()
                   if all(query.get(name) in (None, getattr(backup, name)) for name in ("name", "status", "volume_id"))]
        if sort_dir == "asc":
            backups.reverse()
        marker = query.get("marker")
        if marker is not None:
            ids = [backup.id for backup in backups]
            if marker not in ids:
                raise errors.native_error(400, "Invalid input: marker %s is not a backup of this listing." % marker)
            backups = backups[ids.index(marker) + 1:]
        page = backups[offset:offset + limit]
        views = [backup.detail(_links(request, version, project_id, backup.id), version, project_id) if detail
                 else backup.summary(_links(request, version, project_id, backup.id)) for backup in page]
        body = {"backups": views}
        if len(backups) > offset + limit:
            next_query = [(key, value) for key, value in sorted(query.items())
                          if key not in ("marker", "offset", "limit")]
            next_query += [("limit", limit), ("marker", page[-1].id)]
            body["backups_links"] = [{"rel": "next", "href": "%s/%s/%s/backups%s?%s" % (
                request.base_url, version, project_id, "/detail" if detail else "",
                vbs_signer.canonical_query(next_query))}]
        return body
    return Response(200, app.store.with_backups(answer))


@route("GET", r"/backups")
def list_backups(app, request, version, project_id):
    return _listing(app, request, version, project_id, detail=False)


@route("GET", r"/backups/detail")
def list_backup_details(app, request, version, project_id):
    return _listing(app, request, version, project_id, detail=True)


@route("GET", r"/backups/(?P<backup_id>[^/]+)")
def show_backup(app, request, version, project_id, backup_id):
    def answer(book):
        return {"backup": book.get(backup_id).detail(_links(request, version, project_id, backup_id), version,
                                                     project_id)}
    return Response(200, app.store.with_backups(answer))


@route("DELETE", r"/backups/(?P<backup_id>[^/]+)")
def delete_backup(app, request, version, project_id, backup_id):
    app.store.with_backups(lambda book: book.delete(backup_id))
    return Response(202)
