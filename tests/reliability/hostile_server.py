# -*- coding: utf-8 -*-
# Copyright: (c) 2026, huaweicloud.vbs contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""A hostile or broken VBS + IAM endpoint on loopback, one mode per behaviour.

Left alone, the server is a small, well-behaved world: IAM hands out a token
(password) and lists one project; VBS lists one backup policy and associates
whatever it is asked to (the policy's count follows). ``use(mode, where=...)``
makes one kind of call misbehave:

=================  =================================================================
mode               what the chosen call gets
=================  =================================================================
``big_body``       200, ``Content-Length`` of 2 GiB (none with ``announce=False``), and
                   ``x`` bytes until the client hangs up
``endless_chunks`` 200, chunked, 64 KiB chunks that never end
``gzip_bomb``      200, ``Content-Encoding: gzip``: 2 MiB on the wire, 2 GiB decoded
``drip_body``      200 headers at once, then one body byte per ``interval`` seconds
``drip_headers``   the status line, then one header line per ``interval`` seconds
``deep_json``      a JSON answer nested ``depth`` levels deep, with ``status``
``answer``         ``status``, ``body`` (JSON value, str or bytes) and ``headers``; with
                   ``together=n``, only once n such calls are waiting (all at once)
``echo``           ``status`` and a JSON error whose message quotes every header
                   the server received
``redirect``       302 to ``location``
``expired``        401 AutoBackup.0003 (token expired) to every VBS call
=================  =================================================================

``where`` is one of ``list`` (GET .../backuppolicy), ``associate`` (POST
.../backuppolicyresources), ``tags`` (GET .../tags), ``token`` (POST
/v3/auth/tokens), ``projects`` (GET /v3/projects), ``volumes`` (EVS's GET
.../cloudvolumes/detail), ``tag_query`` (EVS's POST .../resource_instances/action),
``servers`` (ECS's GET .../cloudservers/detail) or ``any``. Every request is
recorded (method, target, headers, body). The server also serves as an HTTP
proxy: an absolute-form target is routed by its path like any other.
"""

import gzip
import json
import socket
import threading

from support import seeds
from ansible_collections.huaweicloud.vbs.tests.support.scripted_server import LoopbackServer, RecordingHandler

PROJECT_ID = seeds.PROJECT_ID
DAILY = seeds.policy_id(1)
SERVER_ID = "aaaaaaaa-0000-4000-8000-000000000001"
# The one volume of the world: attached to the one server, in no policy.
VOLUME = {"id": seeds.volume_id(1), "name": "web-01-data", "status": "in-use", "size": 10,
          "availability_zone": "eu-de-01", "attachments": [{"server_id": SERVER_ID}], "metadata": {},
          "tags": {"backup": "daily"}}
# Shaped like IAM's tokens, long enough to be one.
TOKEN = "MIIHostileServerToken" + "Qx7Lm2Vb9Rt4Ws1Zp8Kd3Nf6Hj0Gc5Ye" * 4
GIB = 1 << 30
CHUNK = 64 * 1024
STREAMING_MODES = frozenset(["big_body", "endless_chunks", "gzip_bomb", "drip_body", "drip_headers", "deep_json"])


def _gzip_bomb(decoded_size=2 * GIB, member_size=8 << 20):
    """A gzip stream of ``decoded_size`` zero bytes, made of identical members (cheap to build)."""
    member = gzip.compress(b"\0" * member_size, compresslevel=9)
    return member * (decoded_size // member_size)


# (the end of the path, the method, the kind of call) of every call the world knows.
CALLS = (
    ("/auth/tokens", "POST", "token"),
    ("/v3/projects", "GET", "projects"),
    ("/backuppolicy", "GET", "list"),
    ("/backuppolicyresources", "POST", "associate"),
    ("/tags", "GET", "tags"),
    ("/cloudvolumes/detail", "GET", "volumes"),
    ("/resource_instances/action", "POST", "tag_query"),
    ("/cloudservers/detail", "GET", "servers"),
)


def call_kind(recorded):
    """Which call this is: list, associate, tags, token, projects, volumes, tag_query, servers or other."""
    for path_end, method, kind in CALLS:
        if recorded.path.endswith(path_end) and recorded.method == method:
            return kind
    return "other"


class _Handler(RecordingHandler):
    server_version = "hostile"

    def serve(self, recorded):
        hostile = self.server.owner
        mode, options = hostile._record(recorded)
        where = options.get("where", "any")
        if mode is not None and where in ("any", call_kind(recorded)):
            try:
                getattr(self, "_mode_" + mode)(recorded, **options)
            except (ConnectionError, socket.timeout, OSError):
                pass  # the client hung up: that is the point
            # An answer cut off, or without a length, leaves nothing to keep alive; a complete one
            # (answer, echo, redirect, expired) keeps the connection open as a real server would.
            self.close_connection = self.close_connection or mode in STREAMING_MODES
            return
        self._reply(*hostile.world.answer(recorded))

    # -- plain answers ---------------------------------------------------------

    def _reply(self, status, body, headers=None):
        if isinstance(body, (dict, list)) or body is None:
            body = json.dumps(body).encode("utf-8") if body is not None else b""
        elif isinstance(body, str):
            body = body.encode("utf-8")
        self.send_response_only(status)
        headers = dict(headers or {})
        headers.setdefault("Content-Type", "application/json")
        headers.setdefault("Content-Length", str(len(body)))
        for name, value in headers.items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)
        self.wfile.flush()

    def _stopping(self):
        return self.server.owner._stop.is_set()

    # -- the modes -------------------------------------------------------------

    def _mode_big_body(self, recorded, size=2 * GIB, announce=True, **_options):
        self.send_response_only(200)
        self.send_header("Content-Type", "application/json")
        if announce:
            self.send_header("Content-Length", str(size))
        else:  # the body ends when the connection does
            self.send_header("Connection", "close")
        self.end_headers()
        block = b"x" * CHUNK
        sent = 0
        while sent < size and not self._stopping():
            self.wfile.write(block)
            sent += len(block)

    def _mode_endless_chunks(self, recorded, **_options):
        self.send_response_only(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Transfer-Encoding", "chunked")
        self.end_headers()
        block = b"%x\r\n%s\r\n" % (CHUNK, b"[" * CHUNK)
        while not self._stopping():
            self.wfile.write(block)

    def _mode_gzip_bomb(self, recorded, **_options):
        bomb = self.server.owner.bomb()
        self.send_response_only(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(bomb)))
        self.end_headers()
        for start in range(0, len(bomb), CHUNK):
            if self._stopping():
                return
            self.wfile.write(bomb[start:start + CHUNK])

    def _mode_drip_body(self, recorded, interval=0.5, **_options):
        self.send_response_only(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", "100000")
        self.end_headers()
        self.wfile.flush()
        while not self.server.owner._stop.wait(interval):
            self.wfile.write(b" ")
            self.wfile.flush()

    def _mode_drip_headers(self, recorded, interval=0.5, **_options):
        self.wfile.write(b"HTTP/1.1 200 OK\r\n")
        self.wfile.flush()
        number = 0
        while not self.server.owner._stop.wait(interval):
            number += 1
            self.wfile.write(b"X-Drip-%d: %d\r\n" % (number % 90, number))
            self.wfile.flush()

    def _mode_deep_json(self, recorded, depth=100000, status=200, **_options):
        self._reply(status, "[" * depth + "]" * depth)

    def _mode_answer(self, recorded, status=200, body=None, headers=None, together=None, **_options):
        if together:  # hold the answer until that many such calls wait for theirs: they arrive at once
            try:
                self.server.owner.barrier(together).wait()
            except threading.BrokenBarrierError:
                pass  # fewer came: answer anyway
        self._reply(status, body, headers)

    def _mode_echo(self, recorded, status=401, **_options):
        quoted = "; ".join("%s: %s" % item for item in recorded.header_items)
        self._reply(status, {"error": {"code": "AutoBackup.0213", "message": "refused: " + quoted}})

    def _mode_redirect(self, recorded, location, **_options):
        self._reply(302, b"", {"Location": location})

    def _mode_expired(self, recorded, **_options):
        if recorded.path.startswith("/v3/"):
            self._reply(*self.server.owner.world.answer(recorded))
            return
        self._reply(401, {"error": {"code": "AutoBackup.0003", "message": "The token has expired."}})


class World:
    """What a well-behaved VBS and IAM answer: one project, one policy, associations counted."""

    def __init__(self):
        self.lock = threading.Lock()
        self.members = set()
        self.policies = [{"backup_policy_id": DAILY, "backup_policy_name": "daily",
                          "scheduled_policy": {"start_time": "02:00", "frequency": 1, "rentention_num": 7,
                                               "remain_first_backup_of_curMonth": "N", "status": "ON"},
                          "time_zone": "UTC+01:00"}]

    def answer(self, recorded):
        kind = call_kind(recorded)
        if kind == "token":
            return 201, {"token": {"project": {"id": PROJECT_ID, "name": seeds.PROJECT_NAME}}}, {"X-Subject-Token": TOKEN}
        if kind == "projects":
            return 200, {"projects": [{"id": PROJECT_ID, "name": seeds.PROJECT_NAME}]}
        if kind == "list":
            with self.lock:
                return 200, {"backup_policies": [dict(policy, policy_resource_count=len(self.members))
                                                 for policy in self.policies]}
        if kind == "tags":
            return 200, {"tags": [{"key": "team", "value": "dba"}]}
        if kind == "associate":
            requested = [item["resource_id"] for item in json.loads(recorded.body)["resources"]]
            with self.lock:
                self.members.update(requested)
            return 200, {"success_resources": [{"resource_id": volume_id, "resource_type": "volume",
                                                "availability_zone": "eu-de-01", "os_vol_host_attr": "pod01.eu-de-01"}
                                               for volume_id in requested], "fail_resources": []}
        if kind == "volumes":  # EVS: the volume carries no policy metadata, so a metadata filter matches none
            volumes = [] if "metadata=" in recorded.query else [VOLUME]
            return 200, {"count": len(volumes), "volumes": volumes}
        if kind == "tag_query":
            return 200, {"total_count": 1, "resources": [{"resource_id": VOLUME["id"], "resource_detail": VOLUME}]}
        if kind == "servers":
            return 200, {"count": 1, "servers": [{"id": SERVER_ID, "name": "web-01"}]}
        return 404, {"error_code": "APIGW.0101", "error_msg": "no such API"}


class HostileServer(LoopbackServer):
    """``with HostileServer() as server: server.use("drip_body", where="list"); ... server.url``."""

    poll_interval = 0.05

    def __init__(self):
        LoopbackServer.__init__(self, _Handler)
        self._mode = None
        self._options = {}
        self._bomb = None
        self._barrier = None
        self.world = World()

    def use(self, mode=None, **options):
        """Misbehave in ``mode`` from now on (None: behave), with a fresh world and request log."""
        with self._lock:
            self._mode = mode
            self._options = options
            self.requests = []
            self.world = World()
            self._barrier = None

    def _record(self, recorded):
        with self._lock:
            self.requests.append(recorded)
            return self._mode, dict(self._options)

    def barrier(self, parties):
        with self._lock:
            if self._barrier is None:
                self._barrier = threading.Barrier(parties, timeout=10)
            return self._barrier

    def bomb(self):
        with self._lock:
            if self._bomb is None:
                self._bomb = _gzip_bomb()
            return self._bomb

    def paths(self):
        return [(recorded.method, recorded.path) for recorded in self.requests]
