# -*- coding: utf-8 -*-
# Copyright: (c) 2026, huaweicloud.vbs contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""A wall-clock deadline for one HTTP attempt: connecting, sending, the answer's headers and body.

The ``timeout`` of requests bounds each socket operation, not the request: a
server that sends one byte, or one header line, before every timeout keeps a
request alive for ever. Here a watchdog thread (one for the whole process)
shuts the attempt's sockets down when its time is up; every read blocked on
them returns at once and the attempt fails (``Deadline.expired`` tells why).

The sockets are found through the connection classes that DeadlineAdapter
gives its connection pools: a new connection hands over a duplicate of its
socket as soon as it is connected, before any TLS handshake or proxy tunnel
(which take the original over); a reused connection hands over its socket
when it sends. The running attempt's deadline is thread-local, so requests
sent from several threads at once each keep their own.

Not covered: the host name lookup, which the operating system does before
there is a socket.
"""

import heapq
import socket
import threading
import time

try:
    from requests.adapters import HTTPAdapter
    from urllib3 import connection as urllib3_connection
    from urllib3 import connectionpool as urllib3_pools
except ImportError:  # the modules report the missing requests library before any request
    HTTPAdapter = object
    urllib3_connection = urllib3_pools = None

_state = threading.local()


def current():
    """The deadline of the attempt running in this thread, or None."""
    return getattr(_state, "deadline", None)


def _shut(sock):
    try:
        # The plain socket method, also for a TLS socket: it acts on the connection, not on TLS state.
        socket.socket.shutdown(sock, socket.SHUT_RDWR)
    except (OSError, ValueError):
        pass  # already closed


class _Watchdog:
    """One thread for every deadline of the process: it sleeps until the earliest one, and expires it."""

    def __init__(self):
        self._condition = threading.Condition()
        self._pending = []  # heap of (time, sequence number, Deadline)
        self._sequence = 0
        self._thread = None

    def add(self, deadline):
        with self._condition:
            self._sequence += 1
            heapq.heappush(self._pending, (deadline.at, self._sequence, deadline))
            if self._thread is None:
                self._thread = threading.Thread(target=self._run, name="vbs-deadline-watchdog")
                self._thread.daemon = True
                self._thread.start()
            self._condition.notify()

    def _run(self):
        while True:
            with self._condition:
                while not self._pending or self._pending[0][0] > self._pending[0][2].clock():
                    self._condition.wait(self._pending[0][0] - self._pending[0][2].clock() if self._pending else None)
                due = heapq.heappop(self._pending)[2]
            due.expire()  # outside the lock: shutting sockets down may take a moment


_WATCHDOG = _Watchdog()


class Deadline:
    """``with Deadline(seconds) as deadline:`` one attempt; at expiry its sockets are shut down.

    ``clock`` tells the time (time.monotonic; the watchdog reads it too).
    """

    def __init__(self, seconds, clock=time.monotonic):
        self.seconds = seconds
        self.clock = clock
        self.at = None
        self.expired = False
        self._lock = threading.Lock()
        self._watched = []
        self._duplicates = []
        self._over = False

    def __enter__(self):
        self.at = self.clock() + self.seconds
        _state.deadline = self
        _WATCHDOG.add(self)
        return self

    def __exit__(self, *exc_info):
        with self._lock:
            self._over = True  # the watchdog drops it when its time comes
            self._watched = []  # the connection goes back to the pool: keep no hold on it
        _state.deadline = None
        for duplicate in self._duplicates:
            duplicate.close()  # the connection itself stays open for the next request
        return False

    def watch(self, sock, duplicate=False):
        """Shut ``sock`` down at the deadline (now, if it has passed); ``duplicate``: ours to close at the end."""
        with self._lock:
            if duplicate:
                self._duplicates.append(sock)
            if self._over:
                return
            if self.expired:
                _shut(sock)
            else:
                self._watched.append(sock)

    def expire(self):
        with self._lock:
            if self._over:
                return
            self.expired = True
            for sock in self._watched:
                _shut(sock)


class _WatchedConnection:
    """Hands this connection's socket to the running attempt's deadline."""

    def _new_conn(self):
        sock = super(_WatchedConnection, self)._new_conn()
        deadline = current()
        if deadline is not None:
            try:
                deadline.watch(sock.dup(), duplicate=True)
            except OSError:
                pass
        return sock

    def send(self, data):
        deadline = current()
        if deadline is not None and self.sock is not None:
            deadline.watch(self.sock)
        return super(_WatchedConnection, self).send(data)


if urllib3_pools is not None:
    POOL_CLASSES = {
        "http": type("WatchedHTTPConnectionPool", (urllib3_pools.HTTPConnectionPool,), {"ConnectionCls": type(
            "WatchedHTTPConnection", (_WatchedConnection, urllib3_connection.HTTPConnection), {})}),
        "https": type("WatchedHTTPSConnectionPool", (urllib3_pools.HTTPSConnectionPool,), {"ConnectionCls": type(
            "WatchedHTTPSConnection", (_WatchedConnection, urllib3_connection.HTTPSConnection), {})}),
    }
else:  # pragma: no cover
    POOL_CLASSES = {}


class DeadlineAdapter(HTTPAdapter):
    """requests' HTTPAdapter, whose connections (direct or through an HTTP proxy) obey the running Deadline."""

    def init_poolmanager(self, *args, **kwargs):
        super(DeadlineAdapter, self).init_poolmanager(*args, **kwargs)
        self.poolmanager.pool_classes_by_scheme = POOL_CLASSES

    def proxy_manager_for(self, proxy, **proxy_kwargs):
        manager = super(DeadlineAdapter, self).proxy_manager_for(proxy, **proxy_kwargs)
        if not proxy.lower().startswith("socks"):  # SOCKS proxies bring connection classes of their own
            manager.pool_classes_by_scheme = POOL_CLASSES
        return manager
