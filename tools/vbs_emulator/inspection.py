# -*- coding: utf-8 -*-
# Copyright: (c) 2026, huaweicloud.vbs contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""/_emulator/...: the emulator's own API for tests. Not VBS: no auth, no faults, no latency.

It shows what VBS cannot (the true members of each policy), the request log,
and changes the state and settings at run time.

Without authentication, it answers only what a web page in a browser on this
machine cannot send: a request for a loopback host name (a page that renamed
itself to the emulator's address by DNS rebinding sends its own name in the
Host header), and a change only with Content-Type: application/json (which a
cross-origin page cannot send without the browser asking first).
"""

import re

from . import seed as seed_module
from .backups import BACKUP_OUTCOMES
from .messages import BadJson, Response
from .settings import FAULT_KINDS, SettingsError

PREFIX = "/_emulator"
VOLUME_FIELDS = ("status", "availability_zone", "pod", "backup_outcome")
LOOPBACK_HOST = re.compile(r"^(127\.0\.0\.1|localhost|\[::1\])(:[0-9]{1,5})?\Z", re.IGNORECASE)
READ_METHODS = ("GET", "HEAD")


class InspectionError(Exception):

    def __init__(self, status, message):
        super().__init__(message)
        self.status = status
        self.message = message


def is_inspection(path):
    return path == PREFIX or path.startswith(PREFIX + "/")


def handle(app, request):
    try:
        _check_origin(request)
        return _dispatch(app, request)
    except InspectionError as error:
        return Response(error.status, {"error": {"code": "Emulator.%d" % error.status, "message": error.message}})


def _check_origin(request):
    """InspectionError 403 for a request to another host name, 415 for a change that is not JSON."""
    host = (request.headers.get("Host") or "").strip()
    if not LOOPBACK_HOST.match(host):
        raise InspectionError(403, "the inspection API answers only requests to a loopback name (Host 127.0.0.1, "
                                   "localhost or [::1], any port), not to %r" % host[:100])
    media_type = (request.headers.get("Content-Type") or "").split(";")[0].strip().lower()
    if request.method not in READ_METHODS and media_type != "application/json":
        raise InspectionError(415, "inspection calls that change something need Content-Type: application/json")


def _body(request, default=None):
    if not request.body and default is not None:
        return default
    try:
        return request.json()
    except BadJson as error:
        raise InspectionError(400, str(error)) from None


def _object(request):
    body = _body(request)
    if not isinstance(body, dict):
        raise InspectionError(400, "the body must be a JSON object")
    return body


def _dispatch(app, request):
    segments = request.segments()[1:]  # after "_emulator"
    method = request.method
    if segments == ["policies"] and method == "GET":
        return Response(200, {"policies": app.store.policies_snapshot()})
    if len(segments) == 2 and segments[0] == "policies" and method == "GET":
        return _policy_details(app, segments[1])
    if segments == ["volumes"] and method == "GET":
        return Response(200, {"volumes": app.store.volumes_snapshot()})
    if segments == ["backups"] and method == "GET":
        return Response(200, app.store.with_backups(lambda book: book.snapshot()))
    if segments == ["requests"] and method == "GET":
        return _requests(app, request)
    if segments == ["in-flight"] and method == "GET":
        return Response(200, {"in_flight": app.in_flight()})
    if segments == ["requests"] and method == "DELETE":
        app.log.clear()
        return Response(204)
    if segments == ["reset"] and method == "POST":
        return _reset(app, request)
    if segments == ["config"] and method == "GET":
        return Response(200, {"config": app.settings.as_dict()})
    if segments == ["config"] and method == "POST":
        try:
            app.settings.update(_object(request))
        except SettingsError as error:
            raise InspectionError(400, str(error)) from None
        return Response(200, {"config": app.settings.as_dict()})
    if segments == ["faults"] and method == "POST":
        return _arm_fault(app, request)
    if segments == ["faults"] and method == "GET":
        return Response(200, {"armed": app.faults.armed()})
    if segments == ["expire-tokens"] and method == "POST":
        app.tokens.expire_all(app.settings.now())
        return Response(204)
    if len(segments) == 3 and segments[0] == "policies" and segments[2] == "executing" and method == "POST":
        return _set_executing(app, request, segments[1])
    if len(segments) == 2 and segments[0] == "volumes" and method == "POST":
        return _update_volume(app, request, segments[1])
    raise InspectionError(404, "no inspection call %s %s" % (method, request.raw_path))


def _requests(app, request):
    query = request.query()
    try:
        since = int(query.get("since", "0"))
    except ValueError:
        raise InspectionError(400, "since must be a whole number") from None
    clear = query.get("clear", "").lower() in ("1", "true", "yes")
    return Response(200, {"requests": app.log.entries(since, clear)})


def _reset(app, request):
    """Replace the whole state with the seed in the body; an empty body restores the starting seed."""
    if not request.body:
        app.reset(app.initial_seed)
        return Response(204)
    try:
        parsed = seed_module.parse_seed(_body(request))
    except seed_module.SeedError as error:
        raise InspectionError(400, "invalid seed: %s" % error) from None
    app.reset(parsed)
    return Response(204)


def _policy_details(app, policy_id):
    details = app.store.policy_details(policy_id)
    if details is None:
        raise InspectionError(404, "no backup policy %s" % policy_id)
    return Response(200, {"policy": details})


def _arm_fault(app, request):
    """Body {"method", "path", "kind", "skip"}: the IAM/VBS request with that method and path after ``skip``
    of them (default 0) gets that fault; a path segment "*" matches any one segment."""
    body = _object(request)
    method, path, kind, skip = body.get("method"), body.get("path"), body.get("kind"), body.get("skip", 0)
    if not isinstance(method, str) or not method or not isinstance(path, str) or not path.startswith("/"):
        raise InspectionError(400, "give method and path (starting with /) of the request to fault")
    if kind not in FAULT_KINDS:
        raise InspectionError(400, "kind must be one of %s" % ", ".join(FAULT_KINDS))
    if isinstance(skip, bool) or not isinstance(skip, int) or skip < 0:
        raise InspectionError(400, "skip must be a whole number >= 0")
    app.faults.arm(method, path, kind, skip)
    return Response(204)


def _set_executing(app, request, policy_id):
    executing = _object(request).get("executing")
    if not isinstance(executing, bool):
        raise InspectionError(400, "executing must be true or false")
    if not app.store.set_executing(policy_id, executing):
        raise InspectionError(404, "no backup policy %s" % policy_id)
    return Response(204)


def _update_volume(app, request, volume_id):
    changes = _object(request)
    unknown = sorted(set(changes) - set(VOLUME_FIELDS))
    if unknown or not changes:
        raise InspectionError(400, "give any of %s; unknown: %s" % (", ".join(VOLUME_FIELDS), ", ".join(unknown) or "none"))
    if not all(isinstance(value, str) and value for value in changes.values()):
        raise InspectionError(400, "volume fields must be non-empty strings")
    if changes.get("backup_outcome", BACKUP_OUTCOMES[0]) not in BACKUP_OUTCOMES:
        raise InspectionError(400, "backup_outcome must be one of %s" % ", ".join(BACKUP_OUTCOMES))
    volume = app.store.update_volume(volume_id, changes)
    if volume is None:
        raise InspectionError(404, "no volume %s" % volume_id)
    return Response(200, {"volume": volume})
