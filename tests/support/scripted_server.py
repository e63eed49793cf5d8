# -*- coding: utf-8 -*-
# Copyright: (c) 2026, huaweicloud.vbs contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""A real HTTP server for the client tests: it answers from a script and records what it got.

The server listens on 127.0.0.1 on a free port, in a thread. Each request takes the
next step of its script (or is passed to a callable); a step is

* a ``Reply(status, headers, body)``: ``body`` is bytes, text, or a JSON value;
* ``DROP``: the connection is closed without an answer;
* ``Stall(seconds)``: nothing is sent for that long (or until the server stops),
  then the connection is closed, so the client's read timeout fires;
* a callable ``step(request) -> step``, given the recorded request.

Every request is recorded (method, raw target, headers in the order received,
raw body), including those that were dropped or stalled. With ``ssl_context``
the server speaks HTTPS. Used as an HTTP proxy, it simply records the
absolute-form target the client sends and answers from its script.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json
import socket
import ssl
import threading
from email.utils import formatdate
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl, urlsplit

# Environment variables that would send the tests' requests anywhere but to the
# scripted server, or change which certificates requests trusts.
NETWORK_ENV = ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "NO_PROXY",
               "http_proxy", "https_proxy", "all_proxy", "no_proxy",
               "REQUESTS_CA_BUNDLE", "CURL_CA_BUNDLE", "SSL_CERT_FILE", "SSL_CERT_DIR")


def clear_network_env(monkeypatch):
    """Remove proxy and CA-bundle variables for one test (call it from an autouse fixture)."""
    for name in NETWORK_ENV:
        monkeypatch.delenv(name, raising=False)


class Reply:
    def __init__(self, status=200, headers=None, body=b""):
        self.status = status
        self.headers = dict(headers or {})
        if isinstance(body, (dict, list)):
            body = json.dumps(body).encode("utf-8")
            self.headers.setdefault("Content-Type", "application/json")
        elif isinstance(body, str):
            body = body.encode("utf-8")
        self.body = body

    def __repr__(self):
        return "Reply(%r, %r, %r)" % (self.status, self.headers, self.body[:80])


def json_reply(status, data, headers=None):
    """A reply whose body is ``data`` as JSON (any JSON value, also a bare string or number)."""
    merged = {"Content-Type": "application/json"}
    merged.update(headers or {})
    return Reply(status, merged, json.dumps(data).encode("utf-8"))


class Stall:
    def __init__(self, seconds):
        self.seconds = seconds


DROP = object()


class Recorded:
    """One request as the server received it."""

    def __init__(self, method, target, header_items, body):
        self.method = method
        self.target = target  # the raw request target: a path, or an absolute URL when used as a proxy
        self.header_items = header_items  # [(name, value), ...] in the order received
        self.body = body
        parts = urlsplit(target)
        self.path = parts.path
        self.query = parts.query
        self.query_pairs = parse_qsl(parts.query, keep_blank_values=True)

    def header(self, name, default=None):
        """A header's value, by case-insensitive name; the first one when it repeats."""
        for key, value in self.header_items:
            if key.lower() == name.lower():
                return value
        return default

    def header_count(self, name):
        return sum(1 for key, _value in self.header_items if key.lower() == name.lower())

    @property
    def headers(self):
        return dict((key.lower(), value) for key, value in self.header_items)

    def json(self):
        return json.loads(self.body.decode("utf-8"))

    def __repr__(self):
        return "<%s %s>" % (self.method, self.target)


class RecordingHandler(BaseHTTPRequestHandler):
    """The part of a test server's handler that every test server shares: record, then serve.

    ``self.server.owner`` is the test server object; a subclass defines ``serve(recorded)``.
    """

    protocol_version = "HTTP/1.1"

    def setup(self):
        BaseHTTPRequestHandler.setup(self)
        # Headers and body go out in two writes; without this, Nagle's algorithm and the
        # client's delayed ACK add some 40 ms to every answer.
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def log_message(self, format, *args):  # keep test output quiet
        pass

    def _serve(self):
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        self.serve(Recorded(self.command, self.path, list(self.headers.items()), body))

    def serve(self, recorded):
        raise NotImplementedError

    do_GET = do_POST = do_PUT = do_DELETE = do_PATCH = do_HEAD = _serve


class LoopbackServer:
    """A threaded HTTP server on 127.0.0.1 on a free port, for a ``with`` block.

    ``handler_class`` is a RecordingHandler; it reaches this object as ``self.server.owner``.
    """

    poll_interval = 0.01

    def __init__(self, handler_class, ssl_context=None):
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self.requests = []
        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler_class)
        self._httpd.daemon_threads = True
        self._httpd.owner = self
        self.scheme = "http"
        if ssl_context is not None:
            self._httpd.socket = ssl_context.wrap_socket(self._httpd.socket, server_side=True)
            self.scheme = "https"
        self.port = self._httpd.server_address[1]
        self._thread = threading.Thread(target=self._httpd.serve_forever, kwargs={"poll_interval": self.poll_interval})
        self._thread.daemon = True

    @property
    def url(self):
        return "%s://127.0.0.1:%d" % (self.scheme, self.port)

    def start(self):
        self._thread.start()
        return self

    def close(self):
        self._stop.set()
        self._httpd.shutdown()
        self._httpd.server_close()
        self._thread.join(5)

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc_info):
        self.close()


class _Handler(RecordingHandler):
    server_version = "scripted"

    def serve(self, recorded):
        scripted = self.server.owner
        step = scripted._next_step(recorded)
        while callable(step) and not isinstance(step, (Reply, Stall)) and step is not DROP:
            step = step(recorded)
        if step is DROP:
            self.close_connection = True
            return
        if isinstance(step, Stall):
            scripted._stop.wait(step.seconds)
            self.close_connection = True
            return
        self._answer(step)

    def _answer(self, reply):
        self.send_response_only(reply.status)
        names = set(name.lower() for name in reply.headers)
        if "date" not in names:
            self.send_header("Date", formatdate(usegmt=True))
        if "content-length" not in names:
            self.send_header("Content-Length", str(len(reply.body)))
        for name, value in reply.headers.items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(reply.body)
        self.wfile.flush()
        if reply.headers.get("Connection", "").lower() == "close" or "content-length" in names:
            # A scripted Content-Length may be a lie (a truncated body): do not reuse the connection.
            self.close_connection = True


class ScriptedServer(LoopbackServer):
    """``with ScriptedServer([...]) as server: ... server.url ... server.requests``."""

    def __init__(self, script=None, handler=None, ssl_context=None):
        LoopbackServer.__init__(self, _Handler, ssl_context)
        self._script = list(script or [])
        self._handler = handler

    def add(self, *steps):
        with self._lock:
            self._script.extend(steps)

    def answer_with(self, handler):
        """Answer every request from now on with ``handler(recorded) -> step`` instead of the script."""
        with self._lock:
            self._handler = handler

    def _next_step(self, recorded):
        with self._lock:
            self.requests.append(recorded)
            if self._handler is not None:
                return self._handler
            if self._script:
                return self._script.pop(0)
        # 599 is not retried by the client, so an unplanned request shows up as a clear failure.
        return Reply(599, {"Content-Type": "text/plain"}, b"scripted server: no answer left for this request")

    @property
    def remaining(self):
        return len(self._script)


def server_ssl_context(cert_file, key_file):
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert_file, key_file)
    return context


def official_authorization(recorded, access_key, secret_key):
    """The Authorization that huaweicloudsdkcore's Signer computes for a received request.

    It signs the headers that the received Authorization names, with the values,
    path, query and body the server received; equal to the received header only
    when the client signed exactly what it sent.
    """
    from huaweicloudsdkcore.auth.credentials import BasicCredentials
    from huaweicloudsdkcore.sdk_request import SdkRequest
    from huaweicloudsdkcore.signer.signer import Signer

    value = recorded.header("Authorization") or ""
    fields = dict(part.strip().split("=", 1) for part in value.split(" ", 1)[-1].split(",") if "=" in part)
    names = fields.get("SignedHeaders", "").split(";")
    headers = dict((name, val) for name, val in recorded.header_items if name.lower() in names)
    request = SdkRequest(method=recorded.method, schema="http", host=recorded.header("Host"),
                         resource_path=recorded.path, query_params=list(recorded.query_pairs),
                         header_params=headers, body=recorded.body)
    return Signer(BasicCredentials(access_key, secret_key)).sign(request).header_params["Authorization"]
