# -*- coding: utf-8 -*-
# Copyright: (c) 2026, huaweicloud.vbs contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""AK/SK request signing, algorithm SDK-HMAC-SHA256.

A small re-implementation of huaweicloudsdkcore.signer.signer.Signer, so the
collection does not need the official SDK (and its dependencies) at run time.
The unit tests compare every part of it with the official signer.

The same functions serve the VBS emulator, which verifies signatures.
"""

import hashlib
import hmac
from datetime import datetime, timezone

from urllib.parse import quote, unquote

ALGORITHM = "SDK-HMAC-SHA256"
DATE_FORMAT = "%Y%m%dT%H%M%SZ"
HEADER_DATE = "X-Sdk-Date"
HEADER_AUTHORIZATION = "Authorization"
EMPTY_BODY_SHA256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"


def _encode(text):
    """Percent-encode with only the unreserved characters and '~' left as they are."""
    return quote(text, safe="~")


def canonical_uri(path):
    """The path as signed: each segment encoded, always ending with '/'."""
    encoded = "/".join(_encode(segment) for segment in unquote(path).split("/"))
    if not encoded.endswith("/"):
        encoded += "/"
    return encoded


def canonical_query(params):
    """The query as signed, and as it must be sent.

    ``params`` is a list of (key, value) pairs; a key may repeat. Values are
    stringified the way the official signer does it (booleans in lower case).
    """
    encoded = []
    for key, value in params:
        if isinstance(value, bool):
            value = str(value).lower()
        encoded.append((key, str(value)))
    encoded.sort()
    return "&".join("%s=%s" % (_encode(key), _encode(value)) for key, value in encoded)


def signed_header_names(headers):
    """Names of the headers that are signed: all but those containing '_'."""
    return sorted(name.lower() for name in headers if "_" not in name)


def canonical_request(method, path, query, headers, body):
    """Build the CanonicalRequest text.

    ``query`` is the already canonical query string, ``headers`` a dict of the
    headers that are sent (values already stripped), ``body`` bytes.
    """
    names = signed_header_names(headers)
    lowered = dict((name.lower(), str(value).strip()) for name, value in headers.items())
    canonical_headers = "".join("%s:%s\n" % (name, lowered[name]) for name in names)
    payload_hash = hashlib.sha256(body).hexdigest() if body else EMPTY_BODY_SHA256
    return "\n".join([
        method.upper(),
        canonical_uri(path),
        query,
        canonical_headers,
        ";".join(names),
        payload_hash,
    ])


def signature(secret_key, sdk_date, canonical):
    """Hex HMAC-SHA256 of the StringToSign, keyed with the secret key."""
    string_to_sign = "\n".join([
        ALGORITHM,
        sdk_date,
        hashlib.sha256(canonical.encode("utf-8")).hexdigest(),
    ])
    return hmac.new(secret_key.encode("utf-8"), string_to_sign.encode("utf-8"), hashlib.sha256).hexdigest()


def authorization_value(access_key, headers, sig):
    return "%s Access=%s, SignedHeaders=%s, Signature=%s" % (
        ALGORITHM, access_key, ";".join(signed_header_names(headers)), sig)


def sdk_date(now=None):
    """X-Sdk-Date for ``now`` (a timezone-aware datetime; default: the current UTC time)."""
    moment = now if now is not None else datetime.now(timezone.utc)
    return moment.astimezone(timezone.utc).strftime(DATE_FORMAT)


def sign(method, host, path, query, headers, body, access_key, secret_key, now=None):
    """Return the headers to send: ``headers`` plus Host, X-Sdk-Date and Authorization.

    ``query`` is the canonical query string (see canonical_query); the URL sent
    must carry exactly that query. Header values are stripped, as the official
    signer sends them.
    """
    to_send = dict((name, str(value).strip()) for name, value in headers.items())
    if not any(name.lower() == "host" for name in to_send):
        to_send["Host"] = host
    if not any(name.lower() == HEADER_DATE.lower() for name in to_send):
        to_send[HEADER_DATE] = sdk_date(now)
    canonical = canonical_request(method, path, query, to_send, body or b"")
    date_value = [value for name, value in to_send.items() if name.lower() == HEADER_DATE.lower()][0]
    to_send[HEADER_AUTHORIZATION] = authorization_value(
        access_key, to_send, signature(secret_key, date_value, canonical))
    return to_send


def parse_authorization(value):
    """Split an Authorization header into (access_key, signed_header_names, signature).

    Returns None when the value is not an SDK-HMAC-SHA256 authorization.
    """
    prefix = ALGORITHM + " "
    if not value or not value.startswith(prefix):
        return None
    fields = {}
    for part in value[len(prefix):].split(","):
        key, sep, val = part.strip().partition("=")
        if sep:
            fields[key] = val
    if not all(key in fields for key in ("Access", "SignedHeaders", "Signature")):
        return None
    return fields["Access"], fields["SignedHeaders"].split(";"), fields["Signature"]
