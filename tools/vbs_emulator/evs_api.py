# -*- coding: utf-8 -*-
# Copyright: (c) 2026, huaweicloud.vbs contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""EVS v2 volume reads under /v2/{project_id}: the list with its filters and paging, the query by tag, one volume.

The query by tag answers on Huawei Cloud's path (cloudvolumes/resource_instances/action) and on Open
Telekom Cloud's (os-vendor-volumes/resource_instances/action) alike.

Each volume carries the metadata key "policy" naming its VBS policy as the
switch evs_policy_metadata says (sync, partial, off): EVS, not VBS, keeps it.
Errors come in the EVS shape {"error": {"code": "EVS.xxxx", "message": ...}}.
"""

import json
import re

from . import errors
from .messages import BadJson, Response
from .settings import iso_time
from .signer import vbs_signer
from .vbs_api import check_project

MAX_LIMIT = 1000
MAX_IDS = 60
MAX_TAG_KEYS = 10
MAX_TAG_VALUES = 10
TAG_QUERY_ACTIONS = ("filter", "count")
# The first path segment after the project of every EVS call the emulator serves.
RESOURCES = ("cloudvolumes", "os-vendor-volumes")
SORT_KEYS = ("id", "status", "size", "created_at")
# ASSUMED codes (the references publish none for these cases; docs/emulator.md).
BAD_QUERY_CODE = "EVS.0001"
DENIED_CODE = "EVS.0003"
NOT_FOUND_CODE = "EVS.0004"
ID_IN_LIST = re.compile(r"^\s*['\"]?([^'\"]*?)['\"]?\s*$")


def route_into(routes):
    """The decorator ``@route(method, path pattern, IAM action)`` that registers a handler in ``routes``."""
    def route(method, pattern, action):
        def register(handler):
            routes.append((method, re.compile("^" + pattern + "$"), action, handler))
            return handler
        return register
    return route


ROUTES = []
route = route_into(ROUTES)


def handles(request):
    """Whether the request is an EVS call (/v2/{project_id}/cloudvolumes... or /os-vendor-volumes...)."""
    segments = request.segments()
    return len(segments) >= 3 and segments[0] == "v2" and segments[2] in RESOURCES


def handle(app, request):
    return dispatch(app, request, ROUTES, DENIED_CODE)


def dispatch(app, request, routes, denied_code):
    """Route /{version}/{project_id}/..., authenticate, check the project and the permission, then answer
    (EVS and ECS alike)."""
    segments = request.segments()
    project_id = segments[1]
    rest = "/" + "/".join(segments[2:])
    for method, pattern, action, handler in routes:
        match = pattern.match(rest)
        if match and method == request.method:
            identity = app.auth.authenticate(request, errors.VBS)
            check_project(app, request, identity, project_id)
            if action in app.settings.denied_actions:
                raise errors.vbs_error(403, denied_code, "Policy doesn't allow %s to be performed." % action)
            return handler(app, request, project_id, **match.groupdict())
    raise errors.unknown_api(request.method, request.raw_path)


def _bad_query(message):
    return errors.vbs_error(400, BAD_QUERY_CODE, message)


def volume_view(volume, policy_id):
    """A volume as cloudvolumes answers it, with "policy" in its metadata when EVS shows it."""
    metadata = dict(volume.metadata)
    if policy_id is not None:
        metadata["policy"] = policy_id
    created = iso_time(volume.created_at)
    return {
        "id": volume.id,
        "name": volume.name,
        "status": volume.status,
        "size": volume.size,
        "availability_zone": volume.availability_zone,
        "os-vol-host-attr:host": volume.pod,
        "attachments": [{"server_id": server_id, "attachment_id": "%s-%d" % (volume.id[:8], index),
                         "volume_id": volume.id, "id": volume.id, "device": "/dev/vd%s" % "bcdefgh"[index % 7],
                         "attached_at": created}
                        for index, server_id in enumerate(volume.server_ids)],
        "metadata": metadata,
        "tags": dict(volume.tags),
        "bootable": "false",
        "multiattach": False,
        "volume_type": "SSD",
        "created_at": created,
        "updated_at": created,
        "description": "",
    }


def _whole(query, name, minimum, maximum=None):
    """A whole number of a query (or body): digits (or, in a body, an int); None when absent."""
    value = query.get(name)
    if value is None:
        return None
    number = value if isinstance(value, int) and not isinstance(value, bool) else None
    if isinstance(value, str) and value.isdigit():
        number = int(value)
    if number is None or number < minimum or (maximum is not None and number > maximum):
        raise _bad_query("%s must be a whole number from %d%s, not %r"
                         % (name, minimum, "" if maximum is None else " to %d" % maximum, value))
    return number


def _metadata_filter(query):
    raw = query.get("metadata")
    if raw is None:
        return None
    try:
        wanted = json.loads(raw)
    except ValueError:
        raise _bad_query("metadata must be a JSON object, not %r" % raw) from None
    if not isinstance(wanted, dict) or not all(isinstance(value, str) for value in wanted.values()):
        raise _bad_query("metadata must be a JSON object of strings, not %r" % raw)
    return wanted


def _ids_filter(query):
    """The ids filter, written as EVS documents it: ['id1','id2'] (at most 60)."""
    raw = query.get("ids")
    if raw is None:
        return None
    text = raw.strip()
    if not (text.startswith("[") and text.endswith("]")):
        raise _bad_query("ids must be a list such as ['id1','id2'], not %r" % raw)
    ids = [ID_IN_LIST.match(part).group(1) for part in text[1:-1].split(",") if part.strip()]
    if len(ids) > MAX_IDS:
        raise _bad_query("ids holds %d IDs; at most %d" % (len(ids), MAX_IDS))
    return set(ids)


def _matches(view, query, metadata, ids):
    if ids is not None and view["id"] not in ids:
        return False
    if metadata is not None and any(view["metadata"].get(key) != value for key, value in metadata.items()):
        return False
    for name in ("id", "name", "status", "availability_zone"):
        if name in query and view[name] != query[name]:
            return False
    if "server_id" in query and query["server_id"] not in [item["server_id"] for item in view["attachments"]]:
        return False
    return True


def _sorted(views, sort_key="created_at", sort_dir="desc"):
    """The views in listing order; created_at ties (none in a seed) fall back to the ID, so that paging is stable."""
    return sorted(views, key=lambda view: (view[sort_key], view["id"]), reverse=sort_dir == "desc")


@route("GET", r"/cloudvolumes/detail", "evs:volumes:list")
def list_volumes(app, request, project_id):
    query = request.query()
    limit = _whole(query, "limit", 1, MAX_LIMIT) or MAX_LIMIT
    offset = _whole(query, "offset", 0) or 0
    sort_key = query.get("sort_key", "created_at")
    if sort_key not in SORT_KEYS:
        raise _bad_query("sort_key must be one of %s" % ", ".join(SORT_KEYS))
    sort_dir = query.get("sort_dir", "desc")
    if sort_dir not in ("asc", "desc"):
        raise _bad_query("sort_dir must be asc or desc")
    metadata = _metadata_filter(query)
    if app.settings.evs_metadata_filter == "ignored":
        metadata = None
    # An EVS that ignores the ids filter does not read it at all.
    ids = None if app.settings.evs_ids_filter == "ignored" else _ids_filter(query)
    wanted_policy = metadata.get("policy") if metadata else None
    candidates = app.store.evs_volumes(volume_view, ids, wanted_policy)
    views = _sorted([view for view in candidates if _matches(view, query, metadata, ids)],
                    sort_key, sort_dir)
    count = len(views)
    marker = query.get("marker")
    if marker is not None:
        positions = [index for index, view in enumerate(views) if view["id"] == marker]
        if not positions:
            raise _bad_query("marker %s is not a volume of this listing" % marker)
        views = views[positions[0] + 1:]
    page = views[offset:offset + limit]
    body = {"count": count, "volumes": page}
    if len(views) > offset + limit:
        next_query = [(key, value) for key, value in sorted(query.items()) if key not in ("marker", "offset")]
        next_query.append(("marker", page[-1]["id"]))
        body["volumes_links"] = [{"rel": "next", "href": "%s/v2/%s/cloudvolumes/detail?%s" % (
            request.base_url, project_id, vbs_signer.canonical_query(next_query))}]
    return Response(200, body)


@route("GET", r"/cloudvolumes/(?P<volume_id>[^/]+)", "evs:volumes:get")
def show_volume(app, request, project_id, volume_id):
    view = app.store.evs_volume(volume_id, volume_view)
    if view is None:
        raise errors.vbs_error(404, NOT_FOUND_CODE, "The volume %s does not exist." % volume_id)
    return Response(200, {"volume": view})


def _tag_query(body):
    """(action, [(key, set of values or None for any value)], limit, offset) of a tag query body, checked."""
    if not isinstance(body, dict):
        raise _bad_query("the body must be a JSON object")
    action = body.get("action")
    if action not in TAG_QUERY_ACTIONS:
        raise _bad_query("action must be one of %s, not %r" % (", ".join(TAG_QUERY_ACTIONS), action))
    if "matches" in body:
        raise _bad_query("matches is not emulated")
    tags = body.get("tags")
    if not isinstance(tags, list) or not tags:
        raise _bad_query("tags must be a non-empty list of {key, values}")
    if len(tags) > MAX_TAG_KEYS:
        raise _bad_query("tags holds %d keys; at most %d" % (len(tags), MAX_TAG_KEYS))
    wanted = []
    for tag in tags:
        key = tag.get("key") if isinstance(tag, dict) else None
        values = tag.get("values") if isinstance(tag, dict) else None
        if not isinstance(key, str) or not key or not isinstance(values, list) or \
                not all(isinstance(value, str) for value in values):
            raise _bad_query("each tag must be {\"key\": a non-empty string, \"values\": a list of strings}, not %r"
                             % (tag,))
        if len(values) > MAX_TAG_VALUES:
            raise _bad_query("the tag %s lists %d values; at most %d" % (key, len(values), MAX_TAG_VALUES))
        if key in [seen for seen, _values in wanted]:
            raise _bad_query("the tag key %s is given twice" % key)
        # An empty list of values matches any value of the key.
        wanted.append((key, set(values) if values else None))
    limit = _whole(body, "limit", 1, MAX_LIMIT) or MAX_LIMIT
    offset = _whole(body, "offset", 0) or 0
    return action, wanted, limit, offset


def _has_tags(view, wanted):
    return all(key in view["tags"] and (values is None or view["tags"][key] in values) for key, values in wanted)


@route("POST", r"/(?:cloudvolumes|os-vendor-volumes)/resource_instances/action", "evs:volumeTags:get")
def volumes_by_tag(app, request, project_id):
    try:
        action, wanted, limit, offset = _tag_query(request.json())
    except BadJson as error:
        raise _bad_query(str(error)) from None
    views = _sorted([view for view in app.store.evs_volumes(volume_view) if _has_tags(view, wanted)])
    if action == "count":
        return Response(200, {"total_count": len(views)})
    resources = [{"resource_id": view["id"], "resource_name": view["name"], "resource_detail": view,
                  "tags": [{"key": key, "value": value} for key, value in view["tags"].items()]}
                 for view in views[offset:offset + limit]]
    return Response(200, {"resources": resources, "total_count": len(views)})
