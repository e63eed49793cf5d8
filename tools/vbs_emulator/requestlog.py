# -*- coding: utf-8 -*-
# Copyright: (c) 2026, huaweicloud.vbs contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""The bounded log of IAM and VBS requests that GET /_emulator/requests shows.

It holds no secret: bodies are stored with passwords and keys masked, and no
header is kept (tokens and signatures live only in headers).
"""

import collections
import threading

DEFAULT_SIZE = 100000
MASK = "********"
# Body keys whose values are secrets, wherever they appear (IAM password auth and the like).
SECRET_KEYS = frozenset(["password", "secret", "secret_key", "sk", "security_token", "token", "access_token"])


def redact(value):
    """A copy of a parsed JSON body with every secret value masked."""
    if isinstance(value, dict):
        return {key: MASK if key.lower() in SECRET_KEYS and not isinstance(val, (dict, list)) else redact(val)
                for key, val in value.items()}
    if isinstance(value, list):
        return [redact(item) for item in value]
    return value


class RequestLog:

    def __init__(self, size=DEFAULT_SIZE):
        self._entries = collections.deque(maxlen=size)
        self._lock = threading.Lock()
        self._seq = 0

    def append(self, entry):
        """Store entry (a dict) under the next sequence number, which it returns."""
        with self._lock:
            self._seq += 1
            entry["seq"] = self._seq
            self._entries.append(entry)
            return self._seq

    def entries(self, since=0, clear=False):
        """Entries with seq > since, oldest first; clear=True empties the log in the same step."""
        with self._lock:
            selected = [entry for entry in self._entries if entry["seq"] > since]
            if clear:
                self._entries.clear()
        return selected

    def clear(self):
        with self._lock:
            self._entries.clear()
