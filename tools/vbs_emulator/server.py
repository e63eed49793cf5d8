# -*- coding: utf-8 -*-
# Copyright: (c) 2026, huaweicloud.vbs contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""HTTP transport: a threaded HTTP/1.1 server with keep-alive, optionally TLS.

Every answer carries Content-Length, Content-Type: application/json and a
unique X-Request-Id. The request body is always read in full, so that a
kept-alive connection stays in step.
"""

import email.utils
import logging
import socket
import ssl
import sys
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from . import errors
from .messages import DROP, Request, Response

LOG = logging.getLogger("vbs_emulator")
MAX_BODY = 64 * 1024 * 1024


class BodyError(Exception):

    def __init__(self, status, message):
        super().__init__(message)
        self.status = status
        self.message = message


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive: clients reuse connections
    server_version = "vbs-emulator"
    # Buffered output: status line, headers and body leave in one write, flushed after each request.
    wbufsize = 64 * 1024

    def setup(self):
        super().setup()
        try:
            self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        except (OSError, AttributeError):
            pass  # not a TCP socket: nothing to tune
        if isinstance(self.connection, ssl.SSLSocket):
            # The handshake runs here, in the connection's thread, not in the accepting thread.
            self.connection.do_handshake()

    def handle(self):
        try:
            super().handle()
        except (ConnectionError, ssl.SSLError, socket.timeout) as error:
            LOG.debug("connection from %s ended: %s", self.client_address, error)

    def handle_expect_100(self):
        # The output is buffered: "100 Continue" must leave now, not with the final answer.
        result = super().handle_expect_100()
        self.wfile.flush()
        return result

    def _serve(self):
        request_id = uuid.uuid4().hex
        try:
            body = self._read_body()
        except BodyError as error:
            self.close_connection = True
            refusal = errors.gateway_error(error.status, "APIGW.0%d" % error.status, error.message)
            self._send(Response(refusal.status, refusal.body(request_id)), request_id)
            return
        request = Request(self.command, self.path, self.headers, body, self._base_url(), request_id)
        result = self.server.app.handle(request)
        if result is DROP:
            self.close_connection = True
            return
        self._send(result, request_id)

    do_GET = do_POST = do_PUT = do_DELETE = do_PATCH = do_HEAD = do_OPTIONS = _serve

    def _read_body(self):
        if "chunked" in (self.headers.get("Transfer-Encoding") or "").lower():
            return self._read_chunked()
        length = self.headers.get("Content-Length")
        if length is None:
            return b""
        try:
            length = int(length)
        except ValueError:
            raise BodyError(400, "Content-Length is not a number") from None
        if length < 0 or length > MAX_BODY:
            raise BodyError(413, "the body must be at most %d bytes" % MAX_BODY)
        return self.rfile.read(length)

    def _read_chunked(self):
        chunks = []
        total = 0
        while True:
            line = self.rfile.readline(1024)
            try:
                size = int(line.split(b";")[0].strip(), 16)
            except ValueError:
                raise BodyError(400, "malformed chunked body") from None
            if size == 0:
                while self.rfile.readline(1024) not in (b"\r\n", b"\n", b""):
                    pass  # trailers
                return b"".join(chunks)
            total += size
            if total > MAX_BODY:
                raise BodyError(413, "the body must be at most %d bytes" % MAX_BODY)
            chunks.append(self.rfile.read(size))
            self.rfile.readline(1024)  # the CRLF after each chunk

    def _base_url(self):
        host = self.headers.get("Host") or "%s:%d" % self.server.server_address[:2]
        return "%s://%s" % (self.server.scheme, host)

    def _send(self, response, request_id):
        payload = response.payload()
        self.send_response(response.status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(payload)))
        self.send_header("X-Request-Id", request_id)
        for name, value in response.headers.items():
            self.send_header(name, value)
        if self.close_connection:
            self.send_header("Connection", "close")
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(payload)

    def version_string(self):
        return self.server_version

    def date_time_string(self, timestamp=None):
        """The Date header follows the emulator's (possibly skewed) clock."""
        return email.utils.formatdate(self.server.app.settings.now() if timestamp is None else timestamp, usegmt=True)

    def log_message(self, format, *args):
        if self.server.verbose:
            sys.stderr.write("%s - %s\n" % (self.address_string(), format % args))


class EmulatorServer(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False  # a connection stalled by a "slow" fault must not hold up shutdown
    request_queue_size = 256

    def __init__(self, address, app, verbose=False, tls_context=None):
        host = address[0]
        if ":" in host:
            self.address_family = socket.AF_INET6
        super().__init__(address, Handler)
        self.app = app
        self.verbose = verbose
        self.scheme = "https" if tls_context else "http"
        if tls_context:
            self.socket = tls_context.wrap_socket(self.socket, server_side=True, do_handshake_on_connect=False)

    def handle_error(self, request, client_address):
        error = sys.exc_info()[1]
        if isinstance(error, (ConnectionError, ssl.SSLError, socket.timeout)):
            # A client that went away or failed the TLS handshake is not the emulator's error.
            LOG.debug("connection from %s failed: %s", client_address, error)
        else:
            LOG.error("connection from %s: unexpected error", client_address, exc_info=error)

    def base_url(self):
        host, port = self.server_address[:2]
        if ":" in host:
            host = "[%s]" % host
        return "%s://%s:%d" % (self.scheme, host, port)


def tls_context(cert_file, key_file):
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert_file, key_file)
    return context
