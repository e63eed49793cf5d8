# -*- coding: utf-8 -*-
# Copyright: (c) 2026, huaweicloud.vbs contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""ECS v1 server reads under /v1/{project_id}/cloudservers: the list of servers with its name filter.

As the ECS API reference describes it, ``name`` is a fuzzy match (a part of the
name, "." matching any character) and ``offset`` is a page number starting at 1
(0 counts as 1). Errors come in the shape {"error": {"code": "Ecs.xxxx", "message": ...}}.
"""

import re

from . import errors
from .evs_api import dispatch, route_into
from .messages import Response
from .settings import iso_time

DEFAULT_LIMIT = 25
MAX_LIMIT = 1000
# ASSUMED codes (the reference publishes none for these cases; docs/emulator.md).
BAD_QUERY_CODE = "Ecs.0005"
DENIED_CODE = "Ecs.0003"

ROUTES = []
route = route_into(ROUTES)


def handles(request):
    """Whether the request is an ECS call (/v1/{project_id}/cloudservers...)."""
    segments = request.segments()
    return len(segments) >= 3 and segments[0] == "v1" and segments[2] == "cloudservers"


def handle(app, request):
    return dispatch(app, request, ROUTES, DENIED_CODE)


def _bad_query(message):
    return errors.vbs_error(400, BAD_QUERY_CODE, message)


def _whole(query, name, minimum, maximum, default):
    value = query.get(name)
    if value is None:
        return default
    if not value.isdigit() or not minimum <= int(value) <= maximum:
        raise _bad_query("%s must be a whole number from %d to %d, not %r" % (name, minimum, maximum, value))
    return int(value)


def name_pattern(name):
    """ECS's fuzzy name match: any part of the name, with "." matching any character."""
    return re.compile(".".join(re.escape(part) for part in name.split(".")))


def server_view(server, created):
    return {
        "id": server["id"],
        "name": server["name"],
        "status": server["status"],
        "created": created,
        "updated": created,
        "metadata": {},
        "tags": [],
    }


@route("GET", r"/cloudservers/detail", "ecs:cloudServers:list")
def list_servers(app, request, project_id):
    query = request.query()
    limit = _whole(query, "limit", 1, MAX_LIMIT, DEFAULT_LIMIT)
    if app.settings.ecs_page_size:
        limit = min(limit, app.settings.ecs_page_size)
    page = max(1, _whole(query, "offset", 0, 10 ** 9, 1))
    servers = app.store.servers()
    if "name" in query:
        pattern = name_pattern(query["name"])
        servers = [server for server in servers if pattern.search(server["name"])]
    if "status" in query:
        servers = [server for server in servers if server["status"] == query["status"]]
    created = iso_time(app.settings.now())
    chosen = servers[(page - 1) * limit:page * limit]
    return Response(200, {"count": len(servers), "servers": [server_view(server, created) for server in chosen]})
