# -*- coding: utf-8 -*-
# Copyright: (c) 2026, huaweicloud.vbs contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""VBS v2 backup-policy calls under /v2/{project_id}: routing, body checks, answers."""

import re

from . import errors, policy_schema
from .messages import BadJson, Response
from .signer import vbs_signer

ROUTES = []


def route(method, pattern):
    def register(handler):
        ROUTES.append((method, re.compile("^" + pattern + "$"), handler))
        return handler
    return register


def handle(app, request):
    """Route, authenticate, check the project, then run the call."""
    segments = request.segments()
    if len(segments) < 3 or segments[0] != "v2":
        raise errors.unknown_api(request.method, request.raw_path)
    project_id = segments[1]
    rest = "/" + "/".join(segments[2:])
    handler, match = _find_route(request.method, rest)
    if handler is None:
        raise errors.unknown_api(request.method, request.raw_path)

    identity = app.auth.authenticate(request, errors.VBS)
    check_project(app, request, identity, project_id)
    return handler(app, request, project_id, **match.groupdict())


def _find_route(method, path):
    for route_method, pattern, handler in ROUTES:
        match = pattern.match(path)
        if match and route_method == method:
            return handler, match
    return None, None


def _forbidden(message):
    return errors.vbs_error(403, "AutoBackup.0213", message)


def check_project(app, request, identity, project_id):
    """403 unless the URL's project is the emulator's and the identity may use it (VBS and EVS alike)."""
    header = request.headers.get("X-Project-Id")
    if header is not None and header.strip() != project_id:
        raise _forbidden("X-Project-Id %s does not match the project %s of the URL." % (header.strip(), project_id))
    if project_id != app.store.project["id"]:
        raise _forbidden("The project %s is not accessible with these credentials." % project_id)
    if identity.project_id is not None and identity.project_id != project_id:
        raise _forbidden("The token is scoped to project %s, not %s." % (identity.project_id, project_id))


def _body(request):
    try:
        body = request.json()
    except BadJson:
        raise errors.invalid_json() from None
    if not isinstance(body, dict):
        raise errors.invalid_json()
    return body


def _whole_query(query, name, minimum):
    value = query.get(name)
    if value is None:
        return None
    try:
        number = int(value)
    except ValueError:
        number = minimum - 1
    if number < minimum:
        raise errors.invalid_parameter("%s must be a whole number >= %d, not %r" % (name, minimum, value))
    return number


def _schema(check, *args):
    """check(*args), with a SchemaError answered as 400 and its documented code."""
    try:
        return check(*args)
    except policy_schema.SchemaError as error:
        raise errors.vbs_error(400, error.code, str(error)) from None


# -- policies -------------------------------------------------------------

@route("GET", r"/backuppolicy")
def list_policies(app, request, project_id):
    query = request.query()
    limits = [size for size in (_whole_query(query, "limit", 1), app.settings.page_size) if size]
    limit = min(limits) if limits else None
    items, next_marker = app.store.list_policies(query.get("marker"), limit)
    body = {"backup_policies": items}
    if next_marker is not None:
        # The canonical query form: a signing client can send the link back exactly as it is.
        next_query = vbs_signer.canonical_query([("limit", limit), ("marker", next_marker)])
        body["backup_policies_links"] = [
            {"href": "%s/v2/%s/backuppolicy?%s" % (request.base_url, project_id, next_query), "rel": "next"}]
    return Response(200, body)


@route("POST", r"/backuppolicy")
def create_policy(app, request, project_id):
    body = _body(request)
    name = _schema(policy_schema.check_name, body.get("backup_policy_name"))
    schedule = _schema(policy_schema.check_schedule, body.get("scheduled_policy"), app.store.schedule_limits())
    tags = _schema(policy_schema.check_tags, body.get("tags", []))
    time_zone = _time_zone(body)
    created = app.store.create_policy(name, schedule, tags, time_zone)
    # The reference's example answer holds the ID only.
    return Response(200, {"backup_policy_id": created["backup_policy_id"]})


@route("PUT", r"/backuppolicy/(?P<policy_id>[^/]+)")
def modify_policy(app, request, project_id, policy_id):
    body = _body(request)
    if not any(key in body for key in ("backup_policy_name", "scheduled_policy", "time_zone")):
        raise errors.vbs_error(400, policy_schema.OBJECT_EMPTY,
                               "give backup_policy_name, scheduled_policy and/or time_zone")
    app.store.require_policy(policy_id)
    name = None
    if "backup_policy_name" in body:
        name = _schema(policy_schema.check_name, body["backup_policy_name"])
    change = body.get("scheduled_policy")
    if change is not None:
        if not isinstance(change, dict) or not change:
            raise errors.vbs_error(400, policy_schema.OBJECT_EMPTY, "scheduled_policy must be a non-empty object")
        if app.settings.modify_requires_interval and "frequency" not in change and "week_frequency" not in change:
            # The reference marks frequency and week_frequency "either this field or the other must be specified".
            raise errors.vbs_error(400, policy_schema.INTERVAL_INVALID,
                                   "scheduled_policy must carry frequency or week_frequency")
    item = app.store.modify_policy(policy_id, name, change, _time_zone(body))
    return Response(200, {"backup_policy_id": item["backup_policy_id"]})


def _time_zone(body):
    if body.get("time_zone") is None:
        return None
    return _schema(policy_schema.check_time_zone, body["time_zone"])


@route("DELETE", r"/backuppolicy/(?P<policy_id>[^/]+)")
def delete_policy(app, request, project_id, policy_id):
    app.store.delete_policy(policy_id)
    return Response(204)


@route("POST", r"/backuppolicy/(?P<policy_id>[^/]+)/action")
def run_policy(app, request, project_id, policy_id):
    app.store.run_policy(policy_id)
    return Response(204)


@route("GET", r"/backuppolicy/(?P<policy_id>[^/]+)/backuptasks")
def list_tasks(app, request, project_id, policy_id):
    query = request.query()
    sort_dir = query.get("sort_dir", "desc")
    if sort_dir not in ("asc", "desc"):
        raise errors.invalid_parameter("sort_dir must be asc or desc, not %r" % sort_dir)
    if query.get("sort_key", "created_at") != "created_at":
        raise errors.invalid_parameter("sort_key can only be created_at")
    tasks = app.store.tasks(policy_id, query.get("status"), newest_first=sort_dir == "desc")
    count = len(tasks)
    marker = query.get("marker")
    if marker is not None:
        ids = [task["job_id"] for task in tasks]
        tasks = tasks[ids.index(marker) + 1:] if marker in ids else []
    offset = _whole_query(query, "offset", 0) or 0
    limit = _whole_query(query, "limit", 1)
    tasks = tasks[offset:offset + limit] if limit else tasks[offset:]
    return Response(200, {"count": count, "tasks": tasks})


# -- association ------------------------------------------------------------

def _resources(body):
    resources = body.get("resources")
    if not isinstance(resources, list) or not resources:
        raise errors.vbs_error(400, "AutoBackup.0207", "The resource list is empty.")
    return resources


@route("POST", r"/backuppolicyresources")
def associate(app, request, project_id):
    body = _body(request)
    policy_id = body.get("backup_policy_id")
    if not isinstance(policy_id, str) or not policy_id.strip():
        raise errors.vbs_error(400, "AutoBackup.0006", "The backup policy ID is empty.")
    success, fail = app.store.associate(policy_id, _resources(body))
    return Response(200, {"success_resources": success, "fail_resources": fail})


@route("POST", r"/backuppolicyresources/(?P<policy_id>[^/]+)/deleted_resources")
def disassociate(app, request, project_id, policy_id):
    body = _body(request)
    app.store.require_policy(policy_id)  # the policy of the path is checked before the body's list
    success, fail = app.store.disassociate(policy_id, _resources(body))
    return Response(200, {"success_resources": success, "fail_resources": fail})


# -- tags -------------------------------------------------------------------

@route("GET", r"/backuppolicy/tags")
def all_tags(app, request, project_id):
    return Response(200, {"tags": app.store.all_tags()})


@route("GET", r"/backuppolicy/(?P<policy_id>[^/]+)/tags")
def policy_tags(app, request, project_id, policy_id):
    return Response(200, {"tags": app.store.tags(policy_id)})


@route("POST", r"/backuppolicy/(?P<policy_id>[^/]+)/tags")
def add_tag(app, request, project_id, policy_id):
    key, value = _schema(policy_schema.check_tag, _body(request).get("tag"))
    app.store.set_tags(policy_id, {key: value})
    return Response(204)


@route("DELETE", r"/backuppolicy/(?P<policy_id>[^/]+)/tags/(?P<key>[^/]+)")
def delete_tag(app, request, project_id, policy_id, key):
    app.store.delete_tags(policy_id, [key], missing_ok=False)
    return Response(204)


@route("POST", r"/backuppolicy/(?P<policy_id>[^/]+)/tags/action")
def batch_tags(app, request, project_id, policy_id):
    body = _body(request)
    action = body.get("action")
    if action not in ("create", "update", "delete"):
        raise errors.vbs_error(400, "AutoBackup.0222", "Only the actions create, update and delete are supported, "
                                                       "not %r." % (action,))
    app.store.require_policy(policy_id)
    tags = _schema(policy_schema.check_tags, body.get("tags"), action == "delete")
    if action == "delete":
        app.store.delete_tags(policy_id, list(tags), missing_ok=True)
    else:
        app.store.set_tags(policy_id, tags, overwrite=action == "update")
    return Response(204)
