# -*- coding: utf-8 -*-
# Copyright: (c) 2026, huaweicloud.vbs contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""The collection's Transport, keeping what each call sent and what came back: the raw answers of the report."""

from urllib.parse import urlsplit

from ansible_collections.huaweicloud.vbs.plugins.module_utils.vbs_errors import VBSError
from ansible_collections.huaweicloud.vbs.plugins.module_utils.vbs_transport import Transport

# Calls kept; a probe makes a few dozen.
MAX_EXCHANGES = 10000


class Exchange:
    """One call: what was sent, and the answer (status and parsed body) or the error.

    ``repeated`` is True when the call was sent again after an attempt that the server may have applied
    (a 5xx answer, no answer): its answer then shows the last attempt only.
    """

    def __init__(self, service, method, url, body):
        parts = urlsplit(url)
        self.service = service
        self.method = method
        self.path = parts.path
        self.query = parts.query
        self.body = body
        self.status = self.data = self.error = None  # the answer: set once it comes
        # ``interrupted``: stopped by an interruption (Ctrl-C) before any answer, the server may still apply it.
        self.repeated = self.interrupted = False

    @property
    def writes(self):
        """Whether the call can change anything (IAM's token request changes nothing)."""
        return self.method != "GET" and self.service != "IAM"


class RecordingTransport(Transport):
    """Transport.request(), recording an Exchange for every call."""

    def __init__(self, *args, **kwargs):
        super(RecordingTransport, self).__init__(*args, **kwargs)
        self.exchanges = []

    def request(self, service, method, url, body=None, headers_for=None, retries=None):
        exchange = Exchange(service, method, url, body)
        if len(self.exchanges) < MAX_EXCHANGES:
            self.exchanges.append(exchange)
        try:
            response = super(RecordingTransport, self).request(service, method, url, body=body,
                                                               headers_for=headers_for, retries=retries)
        except VBSError as error:
            exchange.status, exchange.error = error.status, error
            # Without the attempts' history, a failure that may have been applied counts as one.
            exchange.repeated = error.maybe_applied
            raise
        except KeyboardInterrupt:
            exchange.interrupted = True
            raise
        exchange.status, exchange.data = response.status, response.data
        exchange.repeated = response.maybe_applied_before
        return response

    def write_in_flight(self):
        """Whether the last call was a write that an interruption stopped before its answer."""
        return bool(self.exchanges) and self.exchanges[-1].interrupted and self.exchanges[-1].writes
