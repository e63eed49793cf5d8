# -*- coding: utf-8 -*-
# Copyright: (c) 2026, huaweicloud.vbs contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""HTTP transport: one requests.Session, timeouts, TLS, retries with backoff, bounded answers.

Every call the collection makes goes through Transport.request(), which
retries what is worth retrying (connection errors, timeouts, 429, 500, 502,
503, 504) with exponential backoff and full jitter, honours Retry-After, and
turns every other outcome into a parsed JSON answer or a VBSError.

Whatever the server does, one attempt ends within ``timeout`` seconds
(vbs_deadline), and its body is read as a stream up to MAX_ANSWER_BYTES and its
JSON parsed within bounds of depth and size (vbs_answer).

The calls the modules retry are safe to repeat: associating a member again
changes nothing, and disassociating a non-member only yields a fail item; an
answer says when an attempt before it may have been applied. A call that must
not be repeated blindly (a create) goes through send_once_or_look().
"""

import base64
import http.client
import json
import platform
import random
import re
import socket
import threading
import time
from email.utils import parsedate_to_datetime

from urllib.parse import urlsplit

try:
    import requests
    import urllib3
    HAS_REQUESTS = True
    REQUESTS_IMPORT_ERROR = None
except ImportError as exc:  # the module reports it with missing_required_lib
    HAS_REQUESTS = False
    REQUESTS_IMPORT_ERROR = exc

from ansible_collections.huaweicloud.vbs.plugins.module_utils.vbs_answer import (
    MAX_ANSWER_BYTES, AnswerTooLarge, JSONTooComplex, UnreadableBody, parse_json, read_body)
from ansible_collections.huaweicloud.vbs.plugins.module_utils.vbs_deadline import Deadline, DeadlineAdapter
from ansible_collections.huaweicloud.vbs.plugins.module_utils.vbs_errors import (
    MAYBE_APPLIED_STATUSES, THROTTLED, VBSError, excerpt, redact, secret_forms)
from ansible_collections.huaweicloud.vbs.plugins.module_utils.vbs_version import COLLECTION_NAME, COLLECTION_VERSION

RETRY_STATUSES = MAYBE_APPLIED_STATUSES | frozenset([THROTTLED])
BACKOFF_BASE_SECONDS = 0.5
BACKOFF_CAP_SECONDS = 20.0
RETRY_AFTER_CAP_SECONDS = 60.0
REQUEST_ID_HEADERS = ("X-Request-Id", "X-Openstack-Request-Id", "X-Compute-Request-Id")
# Request headers that carry a credential: what a server echoes of them is masked in every message.
SECRET_HEADERS = frozenset(["authorization", "proxy-authorization", "x-auth-token", "x-security-token"])
SIGNATURE = re.compile(r"Signature=([0-9A-Fa-f]+)")
# Header secrets this long (tokens, signatures) are random: masking them in a successful answer cannot
# change any real data in it, and keeps an echo out of the results (fail items are returned as VBS sent them).
MIN_RANDOM_SECRET_LENGTH = 16
# ASCII digits only: str.isdigit() also accepts characters such as "\xb2" that float() refuses.
DIGITS = re.compile(r"^[0-9]+\Z")
# What the collection decodes itself (vbs_answer); requests would also offer br or zstd when installed.
ACCEPT_ENCODING = "gzip, deflate"
# getaddrinfo's answers for a host name that does not exist or has no address: no retry changes them.
# EAI_AGAIN (the DNS server did not answer in time) is transient, and retried like a timeout.
UNKNOWN_NAME_ERRORS = frozenset(getattr(socket, name) for name in ("EAI_NONAME", "EAI_NODATA", "EAI_FAIL")
                                if hasattr(socket, name))


def user_agent():
    return "%s/%s (Ansible collection; Python %s; requests %s)" % (
        COLLECTION_NAME, COLLECTION_VERSION, platform.python_version(),
        getattr(requests, "__version__", "unknown") if HAS_REQUESTS else "missing")


def no_added_credentials(request):
    """Session-wide auth that adds nothing.

    With no auth at all, requests reads ~/.netrc (or $NETRC) and sends the login
    it finds there as ``Authorization: Basic`` to the endpoint: that would replace
    AK/SK signatures and hand the netrc password to whatever server is
    configured. With this set, it never looks; proxies and CA bundles from the
    environment still apply.
    """
    return request


def proxy_for(url, trust_env=True, proxies=None):
    """The proxy URL that requests sends ``url`` through, or None: from HTTPS_PROXY, HTTP_PROXY, ALL_PROXY and
    NO_PROXY (lower case too) when ``trust_env``, and from ``proxies`` (a session's own). ValueError when the
    environment holds a proxy URL that cannot be parsed."""
    selected = requests.utils.get_environ_proxies(url) if trust_env else {}
    selected.update(proxies or {})
    proxy = requests.utils.select_proxy(url, selected)
    if proxy:
        urlsplit(proxy).port  # pylint: disable=expression-not-assigned  # raises ValueError as requests would
    return proxy or None


def proxy_problem(url):
    """Why the proxy of the environment that ``url`` would go through cannot be used, or None.

    The proxy URL is never quoted: it may hold the proxy's password.
    """
    try:
        proxy_for(url)
    except ValueError as exc:
        scheme = urlsplit(url).scheme.upper()
        return ("the proxy for %s:// URLs in the environment (%s_PROXY or ALL_PROXY) is not a valid URL (%s); "
                "the value is not shown" % (scheme.lower(), scheme, exc))
    return None


def unresolvable_name(exc):
    """The socket.gaierror behind ``exc`` when it says that a host name does not exist, else None."""
    pending, seen = [exc], set()
    while pending:
        error = pending.pop()
        if not isinstance(error, BaseException) or id(error) in seen:
            continue
        seen.add(id(error))
        if isinstance(error, socket.gaierror):
            return error if error.errno in UNKNOWN_NAME_ERRORS else None
        # requests wraps urllib3's MaxRetryError, which keeps the NameResolutionError as its reason.
        pending.extend([error.__cause__, error.__context__, getattr(error, "reason", None)])
        pending.extend(error.args)
    return None


class Response:
    """What a successful call returns: status, headers and the decoded JSON body (or None).

    ``maybe_applied_before``: the request was sent again after an attempt that the server may have applied
    (a server error, no answer), whose effect then shows in no answer.
    """

    def __init__(self, status, headers, data, maybe_applied_before=False):
        self.status = status
        self.headers = headers
        self.data = data
        self.maybe_applied_before = maybe_applied_before


class _Unanswered(Exception):
    """An attempt that got no complete answer (connection failure, timeout, deadline): worth a retry,
    unless ``unknown_name`` (a socket.gaierror) says that the host name does not exist."""

    def __init__(self, reason, unknown_name=None):
        super(_Unanswered, self).__init__(reason)
        self.reason = reason
        self.unknown_name = unknown_name


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
                 backoff_base=BACKOFF_BASE_SECONDS, backoff_cap=BACKOFF_CAP_SECONDS, url_options=None, pool_size=1,
                 clock=time.monotonic):
        self.timeout = timeout
        self.clock = clock  # the time each attempt's deadline is measured by
        # {root URL: the option it came from}, to name the option in a message about its host.
        self.url_options = dict(url_options or {})
        self.retries = retries
        self.sleep = sleep
        self.rand = rand
        self.backoff_base = backoff_base
        self.backoff_cap = backoff_cap
        self.session = requests.Session()
        # A connection kept open for each of the ``pool_size`` requests a module sends at once (vbs_batches).
        adapter = DeadlineAdapter(pool_maxsize=pool_size)
        self.session.mount("https://", adapter)
        self.session.mount("http://", adapter)
        # Proxies come from HTTPS_PROXY / HTTP_PROXY / NO_PROXY (trust_env stays on); credentials never do.
        self.session.auth = no_added_credentials
        self.session.verify = ca_path if (validate_certs and ca_path) else bool(validate_certs)
        self.session.headers["User-Agent"] = user_agent()
        self.session.headers["Accept"] = "application/json"
        self.session.headers["Accept-Encoding"] = ACCEPT_ENCODING
        if not validate_certs:
            # The module warns once; do not let urllib3 print on every request.
            urllib3.disable_warnings(urllib3.exceptions.InsecureRequestWarning)
        self.attempts_made = 0
        # Credentials, tokens and signatures this transport was given or has sent, in every form.
        self.secrets = set()
        self._sent_secrets = set()  # of these, the long ones it sent in headers
        self._proxies_seen = set()
        self._lock = threading.Lock()

    def add_secret(self, value):
        """Mask ``value`` wherever an answer or an error quotes it (error messages, request IDs)."""
        forms = secret_forms(value)
        with self._lock:
            self.secrets.update(forms)

    def known_secrets(self):
        """A copy of the secrets so far (other threads may add to them while it is used)."""
        with self._lock:
            return frozenset(self.secrets)

    def _sent(self):
        with self._lock:
            return frozenset(self._sent_secrets)

    def _remember_secrets(self, headers):
        for name, value in headers.items():
            if name.lower() in SECRET_HEADERS and isinstance(value, str):
                for secret in [value] + SIGNATURE.findall(value):
                    self.add_secret(secret)
                    if len(secret) >= MIN_RANDOM_SECRET_LENGTH:
                        with self._lock:
                            self._sent_secrets.update(secret_forms(secret))

    def _remember_proxy_secrets(self, url):
        """The login of the proxy that ``url`` goes through (from the environment) is a secret header too."""
        parts = urlsplit(url)
        origin = (parts.scheme, parts.netloc)
        if origin in self._proxies_seen:
            return
        self._proxies_seen.add(origin)
        problem = proxy_problem(url) if self.session.trust_env else None
        if problem:
            raise VBSError(problem[0].upper() + problem[1:])
        proxy = self._proxy(url)
        if not proxy:
            return
        user, password = requests.utils.get_auth_from_url(proxy)
        if not (user or password):
            return
        self.add_secret(password)
        self.add_secret(urlsplit(proxy).password)  # as written in the URL, percent-encoded
        try:
            login = ("%s:%s" % (user, password)).encode("latin1")
        except UnicodeEncodeError:
            login = ("%s:%s" % (user, password)).encode("utf-8")
        token = base64.b64encode(login).decode("ascii")
        self._remember_secrets({"Proxy-Authorization": "Basic " + token})
        self._remember_secrets({"Proxy-Authorization": token})

    def _proxy(self, url):
        return proxy_for(url, self.session.trust_env, self.session.proxies)

    def _unresolvable(self, service, method, url, failure):
        """The message of a host name that does not exist: the endpoint's, or the proxy's."""
        proxy = self._proxy(url)
        if proxy:
            host, owner, check = urlsplit(proxy).hostname, "the proxy", "the proxy settings of the environment"
        else:
            option = next((name for root, name in self.url_options.items()
                           if url == root or url.startswith(root.rstrip("/") + "/")), None)
            host, owner = urlsplit(url).hostname, option or "the %s URL" % service
            check = option or "the URL"
        where = _origin(url) + urlsplit(url).path
        return ("Could not reach %s for %s %s: the host name %s of %s does not resolve (%s); a name that does "
                "not exist is not retried, check %s" % (service, method, where, host, owner, failure.strerror, check))

    def backoff(self, attempt, retry_after=None):
        """Seconds to wait before retry number ``attempt`` (1-based): full jitter, or Retry-After."""
        if retry_after is not None:
            return min(retry_after, RETRY_AFTER_CAP_SECONDS)
        return self.rand() * min(self.backoff_cap, self.backoff_base * (2 ** attempt))

    def request(self, service, method, url, body=None, headers_for=None, retries=None):
        """Send one call, with retries, and return a Response.

        ``body`` is a JSON-serialisable object or None. ``headers_for(method,
        url, body_bytes)`` returns the headers of one attempt (it signs each
        attempt anew, so X-Sdk-Date stays fresh). ``retries`` overrides the
        transport's own number for this call (0 for a call that must not be
        repeated blindly).
        """
        retries = self.retries if retries is None else retries
        data = None
        if body is not None:
            data = json.dumps(body, separators=(",", ":"), sort_keys=True).encode("utf-8")
        path = urlsplit(url).path
        self._remember_proxy_secrets(url)
        attempt = 0
        maybe_applied_before = False
        while True:
            headers = headers_for(method, url, data) if headers_for else {}
            self._remember_secrets(headers)
            if data is not None:
                headers.setdefault("Content-Type", "application/json;charset=UTF-8")
            self.attempts_made += 1
            try:
                status, response_headers, content = self._attempt(
                    service, method, url, path, data, headers, read_retryable=attempt >= retries)
            except _Unanswered as failure:
                if failure.unknown_name is not None:
                    # Only this attempt was not sent; an earlier one may have been applied.
                    raise VBSError(self._unresolvable(service, method, url, failure.unknown_name), method=method,
                                   path=path, service=service, unanswered=attempt > 0)
                if attempt < retries:
                    attempt += 1
                    maybe_applied_before = True
                    self.sleep(self.backoff(attempt))
                    continue
                raise VBSError(
                    "Could not reach %s for %s %s after %d attempts: %s"
                    % (service, method, _origin(url) + path, attempt + 1, failure.reason),
                    method=method, path=path, service=service, unanswered=True)
            if status in RETRY_STATUSES and attempt < retries:
                attempt += 1
                maybe_applied_before = maybe_applied_before or status in MAYBE_APPLIED_STATUSES
                self.sleep(self.backoff(attempt, retry_after_seconds(response_headers.get("Retry-After"))))
                continue
            response = self._response(service, method, path, status, response_headers, content, attempt)
            response.maybe_applied_before = maybe_applied_before
            return response

    def send_once_or_look(self, send_once, look, not_found_hint=None):
        """``send_once()``, a request that must not be repeated blindly (a create), with this transport's retries.

        A throttled attempt (429) was not applied: it is sent again after the backoff. After an attempt that
        may have been applied, ``look(error)`` looks for its effect first: what it finds (not None) is returned,
        else the request is sent again. The error that ends the retries gets ``not_found_hint`` when it was
        looked for.
        """
        attempt = 0
        while True:
            try:
                return send_once()
            except VBSError as error:
                if not error.maybe_applied and error.status != THROTTLED:
                    raise
                if error.maybe_applied:
                    found = look(error)
                    if found is not None:
                        return found
                if attempt >= self.retries:
                    if error.maybe_applied and not_found_hint:
                        error.add_hint(not_found_hint)
                    raise
                attempt += 1
                self.sleep(self.backoff(attempt))

    def _attempt(self, service, method, url, path, data, headers, read_retryable):
        """One attempt within its deadline: (status, headers, body bytes).

        A body that cannot be read fails the attempt, unless its status will be
        retried anyway (not ``read_retryable``). _Unanswered when no complete
        answer came in time.
        """
        with Deadline(self.timeout, self.clock) as deadline:
            try:
                # verify is passed on each call: requests lets REQUESTS_CA_BUNDLE / CURL_CA_BUNDLE
                # override session.verify, which would ignore ca_path and validate_certs: false.
                http_response = self.session.request(method, url, data=data, headers=headers,
                                                     timeout=self.timeout, allow_redirects=False,
                                                     verify=self.session.verify, stream=True)
            except requests.exceptions.SSLError as exc:
                if deadline.expired:
                    raise _Unanswered(self._deadline_reason())
                raise VBSError(
                    "TLS verification failed for %s %s: %s. Set ca_path to the CA bundle that signed the "
                    "server certificate, or validate_certs: false (not recommended)"
                    % (method, _origin(url), self._reason(exc)),
                    method=method, path=path, service=service)
            except (requests.exceptions.ConnectionError, requests.exceptions.Timeout,
                    requests.exceptions.ChunkedEncodingError) as exc:
                # ChunkedEncodingError: the connection broke in the middle of the answer.
                raise _Unanswered(self._deadline_reason() if deadline.expired else self._reason(exc),
                                  unknown_name=unresolvable_name(exc))
            except requests.exceptions.RequestException as exc:
                raise VBSError("%s %s %s failed: %s" % (service, method, path, self._reason(exc)),
                               method=method, path=path, service=service)
            except UnicodeError as exc:
                # http.client sends header values as latin-1; the value (a credential) is not shown.
                raise VBSError("%s %s %s could not be sent: a header value such as a token or key holds "
                               "characters that HTTP headers cannot carry (%s)" % (service, method, path, exc.reason),
                               method=method, path=path, service=service)
            try:
                content = self._read(service, method, path, http_response, deadline)
            except (VBSError, _Unanswered):
                if http_response.status_code in RETRY_STATUSES and not read_retryable:
                    content = None  # the status alone decides: it is retried
                else:
                    raise
            finally:
                http_response.close()
            # A connection shut at the deadline can look like an answer that ended early (http.client takes
            # the end of the stream for the end of the headers or of a body without a length): it is none.
            if deadline.expired:
                raise _Unanswered(self._deadline_reason())
            return http_response.status_code, http_response.headers, content

    def _read(self, service, method, path, http_response, deadline):
        try:
            headers = http_response.headers
            return read_body(http_response.raw, headers.get("Content-Encoding"), headers.get("Content-Length"))
        except AnswerTooLarge:
            raise VBSError("%s answered %s %s with %s and an answer larger than %d bytes; it was not read further"
                           % (service, method, path, http_response.status_code, MAX_ANSWER_BYTES),
                           status=http_response.status_code, method=method, path=path, service=service)
        except UnreadableBody as exc:
            raise VBSError("%s answered %s %s with %s and a body that cannot be read: %s"
                           % (service, method, path, http_response.status_code, exc),
                           status=http_response.status_code, method=method, path=path, service=service)
        except (urllib3.exceptions.HTTPError, http.client.HTTPException, OSError) as exc:
            # The connection broke, or the deadline shut it, in the middle of the body.
            raise _Unanswered(self._deadline_reason() if deadline.expired else self._reason(exc))

    def _deadline_reason(self):
        return "timed out: no complete answer within %s s" % self.timeout

    def _reason(self, exc):
        """An exception's text for a msg: its last, most specific line, every secret masked first."""
        return _short_reason(redact(str(exc), self.known_secrets()))

    def _response(self, service, method, path, status, headers, content, retries_used):
        secrets = self.known_secrets()
        request_id = None
        for name in REQUEST_ID_HEADERS:
            if headers.get(name):
                request_id = redact(headers.get(name), secrets)
                break
        content = content or b""
        if status >= 300:
            error = VBSError.from_response(service, method, path, status, redact(content, secrets), request_id)
            error.server_time = _date_header_epoch(headers.get("Date"))
            if status in RETRY_STATUSES and retries_used:
                error.add_hint("Gave up after %d retries" % retries_used)
            raise error
        if not content or content.isspace():
            return Response(status, headers, None)
        try:
            data = parse_json(redact(content, self._sent()))
        except JSONTooComplex as exc:
            raise VBSError("%s answered %s %s with %s and a JSON body that %s" % (service, method, path, status, exc),
                           status=status, method=method, path=path, service=service)
        except (ValueError, UnicodeDecodeError):
            raise VBSError(
                "%s answered %s %s with %s and a body that is not JSON: %s"
                % (service, method, path, status, excerpt(content, secrets=secrets)),
                status=status, method=method, path=path, request_id=request_id, service=service)
        return Response(status, headers, data)


def _date_header_epoch(value):
    try:
        return parsedate_to_datetime(value).timestamp() if value else None
    except (TypeError, ValueError, IndexError, AttributeError):
        return None


def _origin(url):
    parts = urlsplit(url)
    return "%s://%s" % (parts.scheme, parts.netloc)


def _short_reason(text):
    """The last, most specific line of a requests/urllib3 exception's text, without the URL noise."""
    for marker in ("Caused by ", "] "):
        if marker in text:
            text = text.rsplit(marker, 1)[-1]
    # Cutting at "Caused by" leaves quotes and unbalanced parentheses at the ends, in any order: drop only those.
    previous = None
    while text != previous:
        previous = text
        text = text.strip("'\" ")
        if text.startswith("(") and text.count("(") > text.count(")"):
            text = text[1:]
        if text.endswith(")") and text.count(")") > text.count("("):
            text = text[:-1]
    return excerpt(text, 200)
