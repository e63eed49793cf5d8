# -*- coding: utf-8 -*-
# Copyright: (c) 2026, huaweicloud.vbs contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""Who sent a request: an IAM token the emulator issued, or a verified AK/SK signature.

The signature is recomputed from the request as received (method, raw path,
query, the signed headers' received values, raw body), never from what a
client says it signed.
"""

import calendar
import collections
import hmac
import secrets
import threading
import time
from urllib.parse import parse_qsl

from . import errors
from .signer import vbs_signer

MAX_DATE_SKEW = 15 * 60  # seconds X-Sdk-Date may be off the emulator's clock
REQUIRED_SIGNED_HEADERS = ("host", "x-sdk-date")
UNSIGNED_PAYLOAD_HEADER = "x-sdk-content-sha256"

TOKEN = "token"
AKSK = "aksk"
NONE = "none"

Identity = collections.namedtuple("Identity", "kind access_key project_id")
TokenRecord = collections.namedtuple("TokenRecord", "project_id user_name expires_at")


def presented(headers):
    """(auth kind, access key or None) of what a request carries, before any check: for the request log."""
    if headers.get("X-Auth-Token") is not None:
        return TOKEN, None
    parsed = vbs_signer.parse_authorization(headers.get("Authorization"))
    if parsed is not None:
        return AKSK, parsed[0]
    if headers.get("Authorization") is not None:
        return AKSK, None
    return NONE, None


class TokenStore:
    """Opaque tokens the emulator issued (or the seed pre-issued), with their expiry."""

    def __init__(self):
        self._tokens = {}
        self._lock = threading.Lock()

    def issue(self, project_id, user_name, expires_at):
        token = "MII" + secrets.token_urlsafe(120)
        self.add(token, project_id, user_name, expires_at)
        return token

    def add(self, token, project_id, user_name, expires_at):
        with self._lock:
            self._tokens[token] = TokenRecord(project_id, user_name, expires_at)

    def lookup(self, token):
        with self._lock:
            return self._tokens.get(token)

    def expire_all(self, now):
        """Every issued token has expired (kept, so that it is reported as expired, not unknown)."""
        with self._lock:
            for token, record in self._tokens.items():
                self._tokens[token] = record._replace(expires_at=min(record.expires_at, now - 1))

    def clear(self):
        with self._lock:
            self._tokens.clear()


def _unauthorized(style, code, message):
    if style == errors.IAM:
        return errors.iam_error(401, message)
    return errors.vbs_error(401, code, message)


def _signature_refused(reason):
    return errors.gateway_error(401, "APIGW.0301", "Incorrect IAM authentication information: " + reason)


def _received_text(value):
    """A header value as the client meant it: http.server decodes headers as Latin-1, clients send UTF-8."""
    try:
        return value.encode("latin-1").decode("utf-8")
    except (UnicodeEncodeError, UnicodeDecodeError):
        return value


def _sdk_date_epoch(value):
    try:
        return calendar.timegm(time.strptime(value.strip(), vbs_signer.DATE_FORMAT))
    except ValueError:
        return None


class Authenticator:

    def __init__(self, store, tokens, settings):
        self._store = store
        self._tokens = tokens
        self._settings = settings

    def authenticate(self, request, style):
        """The Identity of a request, or ApiError (401). style: errors.VBS or errors.IAM for token errors."""
        token = request.headers.get("X-Auth-Token")
        if token is not None:
            return self._check_token(token, style)
        if request.headers.get("Authorization") is not None:
            return self._check_signature(request)
        raise _unauthorized(style, "AutoBackup.0002",
                            "The request carries neither an X-Auth-Token nor an AK/SK signature (token missing).")

    def _check_token(self, token, style):
        record = self._tokens.lookup(token)
        if record is None:
            raise _unauthorized(style, "AutoBackup.0003", "The token is invalid or has expired.")
        if record.expires_at <= self._settings.now():
            raise _unauthorized(style, "AutoBackup.0003", "The token has expired.")
        return Identity(TOKEN, None, record.project_id)

    def _check_signature(self, request):
        parsed = vbs_signer.parse_authorization(request.headers.get("Authorization"))
        if parsed is None:
            raise _signature_refused("malformed Authorization header; expected "
                                     "'SDK-HMAC-SHA256 Access=<AK>, SignedHeaders=<names>, Signature=<hex>'")
        access_key, names, signature = parsed
        key = self._store.credentials["access_keys"].get(access_key)
        if key is None:
            raise _signature_refused("unknown access key %s" % access_key)
        names = [name.strip().lower() for name in names if name.strip()]
        for required in REQUIRED_SIGNED_HEADERS:
            if required not in names:
                raise _signature_refused("the %s header must be signed (SignedHeaders=%s)" % (required, ";".join(names)))
        signed = {}
        for name in names:
            value = request.headers.get(name)
            if value is None:
                raise _signature_refused("signed header %s is missing from the request" % name)
            signed[name] = _received_text(value)
        self._check_date(signed["x-sdk-date"])

        query = vbs_signer.canonical_query(parse_qsl(request.raw_query, keep_blank_values=True))
        canonical = vbs_signer.canonical_request(request.method, request.raw_path, query, signed, request.body)
        if request.body and UNSIGNED_PAYLOAD_HEADER in signed:
            # As the official signer: a signed X-Sdk-Content-Sha256 stands in for the body's hash.
            canonical = canonical.rsplit("\n", 1)[0] + "\n" + signed[UNSIGNED_PAYLOAD_HEADER].strip()
        expected = vbs_signer.signature(key["secret_key"], signed["x-sdk-date"].strip(), canonical)
        if not hmac.compare_digest(expected, signature.strip()):
            raise _signature_refused("signature mismatch for access key %s: the request received is not the one "
                                     "signed (method, path, query, signed headers or body differ) or the secret key is wrong"
                                     % access_key)
        if key["security_token"] is not None:
            sent = request.headers.get("X-Security-Token")
            if sent is None or not hmac.compare_digest(_received_text(sent).strip(), key["security_token"]):
                raise _signature_refused("access key %s is temporary: the X-Security-Token header is missing or wrong"
                                         % access_key)
        return Identity(AKSK, access_key, None)

    def _check_date(self, value):
        signed_at = _sdk_date_epoch(value)
        if signed_at is None:
            raise _signature_refused("X-Sdk-Date %r is not in the format YYYYMMDDTHHMMSSZ" % value)
        now = self._settings.now()
        if abs(signed_at - now) > MAX_DATE_SKEW:
            raise _signature_refused("X-Sdk-Date %s is more than 15 minutes off the server time %s"
                                     % (value.strip(), time.strftime(vbs_signer.DATE_FORMAT, time.gmtime(now))))
