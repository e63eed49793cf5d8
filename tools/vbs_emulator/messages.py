# -*- coding: utf-8 -*-
# Copyright: (c) 2026, huaweicloud.vbs contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""A received request and an answer, independent of the HTTP server."""

import json
from urllib.parse import parse_qsl, unquote

_UNPARSED = object()


class BadJson(ValueError):
    pass


class Request:

    def __init__(self, method, target, headers, body, base_url, request_id):
        self.method = method.upper()
        self.raw_path, _separator, self.raw_query = target.partition("?")
        self.headers = headers  # case-insensitive mapping (http.client.HTTPMessage)
        self.body = body  # bytes, exactly as received
        self.base_url = base_url  # scheme://host[:port] the client used, for absolute links
        self.request_id = request_id
        self._json = _UNPARSED
        self._json_error = None

    @property
    def path(self):
        """The path without a trailing '/', for routing."""
        return self.raw_path.rstrip("/") or "/"

    def segments(self):
        """The decoded path segments, e.g. ['v2', '<project>', 'backuppolicy']."""
        return [unquote(part) for part in self.path.strip("/").split("/")]

    def query(self):
        """The query as a dict; the last value wins for a repeated key."""
        return dict(parse_qsl(self.raw_query, keep_blank_values=True))

    def json(self):
        """The parsed body (parsed once); BadJson when it is empty or not JSON."""
        if self._json is _UNPARSED:
            try:
                self._json = json.loads(self.body.decode("utf-8"))
            except ValueError as error:  # UnicodeDecodeError is a ValueError too
                self._json = None
                self._json_error = "the body is not valid JSON (%s)" % error if self.body else "the body is empty"
        if self._json_error is not None:
            raise BadJson(self._json_error)
        return self._json

    def json_or_none(self):
        try:
            return self.json()
        except BadJson:
            return None


class Response:

    def __init__(self, status, body=None, headers=None):
        self.status = status
        self.body = body  # a JSON-serialisable value, or None for no body
        self.headers = dict(headers or {})

    def payload(self):
        if self.body is None:
            return b""
        return json.dumps(self.body, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


# What a handler returns to close the connection without any answer (the "drop" fault).
DROP = object()
