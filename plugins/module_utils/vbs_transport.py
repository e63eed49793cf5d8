# -*- coding: utf-8 -*-
# Copyright: (c) 2026, huaweicloud.vbs contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""HTTP transport: one requests.Session, timeouts, TLS, retries with backoff.

Every call the collection makes goes through Transport.request(), which
retries what is worth retrying (connection errors, timeouts, 429, 500, 502,
503, 504) with exponential backoff and full jitter, honours Retry-After, and
turns every other outcome into a parsed JSON answer or a VBSError.

The calls the modules retry are safe to repeat: associating a member again
changes nothing, and disassociating a non-member only yields a fail item.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json
import platform
import random
import re
import threading
import time
from email.utils import parsedate_to_datetime

try:
    from urllib.parse import urlsplit
except ImportError:  # pragma: no cover
    from urlparse import urlsplit  # type: ignore

try:
    import requests
    HAS_REQUESTS = True
    REQUESTS_IMPORT_ERROR = None
except ImportError as exc:  # the module reports it with missing_required_lib
    HAS_REQUESTS = False
    REQUESTS_IMPORT_ERROR = exc

from ansible_collections.huaweicloud.vbs.plugins.module_utils.vbs_errors import VBSError, excerpt, redact
from ansible_collections.huaweicloud.vbs.plugins.module_utils.vbs_version import COLLECTION_NAME, COLLECTION_VERSION

MAX_CONCURRENCY = 10
RETRY_STATUSES = frozenset([429, 500, 502, 503, 504])
BACKOFF_BASE_SECONDS = 0.5
BACKOFF_CAP_SECONDS = 20.0
RETRY_AFTER_CAP_SECONDS = 60.0
REQUEST_ID_HEADERS = ("X-Request-Id", "X-Openstack-Request-Id", "X-Compute-Request-Id")
# Request headers that carry a credential: what a server echoes of them is masked in every message.
SECRET_HEADERS = frozenset(["authorization", "x-auth-token", "x-security-token"])
SIGNATURE = re.compile(r"Signature=([0-9A-Fa-f]+)")
MIN_SECRET_LENGTH = 4
# Header secrets this long (tokens, signatures) are random: masking them in a successful answer cannot
# change any real data in it, and keeps an echo out of the results (fail items are returned as VBS sent them).
MIN_RANDOM_SECRET_LENGTH = 16
# ASCII digits only: str.isdigit() also accepts characters such as "\xb2" that float() refuses.
DIGITS = re.compile(r"^[0-9]+\Z")


def user_agent():
    return "%s/%s (Ansible collection; Python %s; requests %s)" % (
        COLLECTION_NAME, COLLECTION_VERSION, platform.python_version(),
        getattr(requests, "__version__", "unknown") if HAS_REQUESTS else "missing")


class Response:
    """What a successful call returns: status, headers and the decoded JSON body (or None)."""

    def __init__(self, status, headers, data):
        self.status = status
        self.headers = headers
        self.data = data


def retry_after_seconds(value, now=None):
    """Seconds to wait from a Retry-After header (seconds or HTTP date), or None."""
    if not value:
        return None
    value = value.strip()
    if DIGITS.match(value):
        return float(value)
    try:
        moment = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if moment is None:
        return None
    current = now if now is not None else time.time()
    return max(0.0, moment.timestamp() - current)


class Transport:
    """Sends requests for one module run; keeps the connection open between calls."""

    def __init__(self, timeout=30, retries=4, validate_certs=True, ca_path=None,
                 sleep=time.sleep, rand=random.random,
                 backoff_base=BACKOFF_BASE_SECONDS, backoff_cap=BACKOFF_CAP_SECONDS):
        self.timeout = timeout
        self.retries = retries
        self.sleep = sleep
        self.rand = rand
        self.backoff_base = backoff_base
        self.backoff_cap = backoff_cap
        self.session = requests.Session()
        # Room for every request a module sends at once (see the modules' concurrency option).
        adapter = requests.adapters.HTTPAdapter(pool_maxsize=MAX_CONCURRENCY)
        self.session.mount("https://", adapter)
        self.session.mount("http://", adapter)
        # Proxies come from HTTPS_PROXY / HTTP_PROXY / NO_PROXY (trust_env stays on).
        self.session.verify = ca_path if (validate_certs and ca_path) else bool(validate_certs)
        self.session.headers["User-Agent"] = user_agent()
        self.session.headers["Accept"] = "application/json"
        if not validate_certs:
            # The module warns once; do not let urllib3 print on every request.
            try:
                from urllib3.exceptions import InsecureRequestWarning
                import urllib3
                urllib3.disable_warnings(InsecureRequestWarning)
            except ImportError:  # pragma: no cover
                pass
        self.attempts_made = 0
        # Requests sent again after an attempt that the server may have applied (anything but a 429):
        # the answer then shows only the last attempt's effect (see vbs_membership.own_change_bounds).
        self.uncertain_repeats = 0
        self._repeats_lock = threading.Lock()
        # Credentials, tokens and signatures this transport was given or has sent.
        self.secrets = set()
        self._sent_secrets = set()  # of these, the long ones it sent in headers

    def add_secret(self, value):
        """Mask ``value`` wherever an answer quotes it (error messages, request IDs)."""
        if isinstance(value, str) and len(value) >= MIN_SECRET_LENGTH:
            self.secrets.add(value)

    def _remember_secrets(self, headers):
        for name, value in headers.items():
            if name.lower() in SECRET_HEADERS and isinstance(value, str):
                for secret in [value] + SIGNATURE.findall(value):
                    self.add_secret(secret)
                    if len(secret) >= MIN_RANDOM_SECRET_LENGTH:
                        self._sent_secrets.add(secret)

    def backoff(self, attempt, retry_after=None):
        """Seconds to wait before retry number ``attempt`` (1-based): full jitter, or Retry-After."""
        if retry_after is not None:
            return min(retry_after, RETRY_AFTER_CAP_SECONDS)
        return self.rand() * min(self.backoff_cap, self.backoff_base * (2 ** attempt))

    def request(self, service, method, url, body=None, headers_for=None):
        """Send one call, with retries, and return a Response.

        ``body`` is a JSON-serialisable object or None. ``headers_for(method,
        url, body_bytes)`` returns the headers of one attempt (it signs each
        attempt anew, so X-Sdk-Date stays fresh).
        """
        data = None
        if body is not None:
            data = json.dumps(body, separators=(",", ":"), sort_keys=True).encode("utf-8")
        path = urlsplit(url).path
        attempt = 0
        while True:
            headers = headers_for(method, url, data) if headers_for else {}
            self._remember_secrets(headers)
            if data is not None:
                headers.setdefault("Content-Type", "application/json;charset=UTF-8")
            self.attempts_made += 1
            try:
                # verify is passed on each call: requests lets REQUESTS_CA_BUNDLE / CURL_CA_BUNDLE
                # override session.verify, which would ignore ca_path and validate_certs: false.
                answer = self.session.request(method, url, data=data, headers=headers,
                                              timeout=self.timeout, allow_redirects=False,
                                              verify=self.session.verify)
            except requests.exceptions.SSLError as exc:
                raise VBSError(
                    "TLS verification failed for %s %s: %s. Set ca_path to the CA bundle that signed the "
                    "server certificate, or validate_certs: false (not recommended)"
                    % (method, _origin(url), _short_reason(exc)),
                    method=method, path=path, service=service)
            except (requests.exceptions.ConnectionError, requests.exceptions.Timeout,
                    requests.exceptions.ChunkedEncodingError) as exc:
                # ChunkedEncodingError: the connection broke in the middle of the answer.
                if attempt < self.retries:
                    attempt += 1
                    self._count_uncertain_repeat()
                    self.sleep(self.backoff(attempt))
                    continue
                raise VBSError(
                    "Could not reach %s for %s %s after %d attempts: %s"
                    % (service, method, _origin(url) + path, attempt + 1, _short_reason(exc)),
                    method=method, path=path, service=service, unanswered=True)
            except requests.exceptions.RequestException as exc:
                raise VBSError("%s %s %s failed: %s" % (service, method, path, _short_reason(exc)),
                               method=method, path=path, service=service)
            except UnicodeError as exc:
                # http.client sends header values as latin-1; the value (a credential) is not shown.
                raise VBSError("%s %s %s could not be sent: a header value such as a token or key holds "
                               "characters that HTTP headers cannot carry (%s)" % (service, method, path, exc.reason),
                               method=method, path=path, service=service)

            if answer.status_code in RETRY_STATUSES and attempt < self.retries:
                attempt += 1
                if answer.status_code != 429:  # a throttled request was not processed
                    self._count_uncertain_repeat()
                self.sleep(self.backoff(attempt, retry_after_seconds(answer.headers.get("Retry-After"))))
                continue
            return self._response(service, method, path, answer, attempt)

    def _count_uncertain_repeat(self):
        with self._repeats_lock:  # batches are sent from several threads
            self.uncertain_repeats += 1

    def _response(self, service, method, path, answer, retries_used):
        request_id = None
        for name in REQUEST_ID_HEADERS:
            if answer.headers.get(name):
                request_id = redact(answer.headers.get(name), self.secrets)
                break
        if answer.status_code >= 300:
            error = VBSError.from_response(service, method, path, answer.status_code,
                                           redact(answer.content, self.secrets), request_id)
            error.server_time = _date_header_epoch(answer.headers.get("Date"))
            if answer.status_code in RETRY_STATUSES and retries_used:
                error.add_hint("Gave up after %d retries" % retries_used)
            raise error
        if not answer.content or not answer.content.strip():
            return Response(answer.status_code, answer.headers, None)
        try:
            data = json.loads(redact(answer.content, self._sent_secrets).decode("utf-8"))
        except (ValueError, UnicodeDecodeError):
            raise VBSError(
                "%s answered %s %s with %s and a body that is not JSON: %s"
                % (service, method, path, answer.status_code, excerpt(answer.content, secrets=self.secrets)),
                status=answer.status_code, method=method, path=path, request_id=request_id, service=service)
        return Response(answer.status_code, answer.headers, data)


def _date_header_epoch(value):
    try:
        return parsedate_to_datetime(value).timestamp() if value else None
    except (TypeError, ValueError, IndexError, AttributeError):
        return None


def _origin(url):
    parts = urlsplit(url)
    return "%s://%s" % (parts.scheme, parts.netloc)


def _short_reason(exc):
    """The last, most specific line of a requests/urllib3 exception, without the URL noise."""
    text = str(exc)
    for marker in ("Caused by ", "] "):
        if marker in text:
            text = text.rsplit(marker, 1)[-1]
    text = text.strip("'\" ")
    # Cutting at "Caused by" leaves unbalanced parentheses at the ends; drop only those.
    while text.startswith("(") and text.count("(") > text.count(")"):
        text = text[1:]
    while text.endswith(")") and text.count(")") > text.count("("):
        text = text[:-1]
    return excerpt(text.strip("'\" "), 200)
