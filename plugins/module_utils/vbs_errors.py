# -*- coding: utf-8 -*-
# Copyright: (c) 2026, huaweicloud.vbs contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""The one exception type of the collection's client, and how an error body is read."""

import json
import re

from ansible_collections.huaweicloud.vbs.plugins.module_utils.vbs_answer import parse_json
from ansible_collections.huaweicloud.vbs.plugins.module_utils.vbs_values import MSG_TEXT_CHARS, safe_field, safe_text

EXCERPT_LENGTH = 160
REQUEST_ID_CHARS = 200
# Shorter values are not masked: a 3-character mask would hide every occurrence of 3 characters.
MIN_SECRET_LENGTH = 4

MASK = "********"

# A throttled request (429) was not processed; a server error may come after the request was applied.
THROTTLED = 429
MAYBE_APPLIED_STATUSES = frozenset([500, 502, 503, 504])

# The name of an OpenStack fault ("itemNotFound", "badRequest"): the one key of a native API error body.
FAULT_NAME = re.compile(r"^[A-Za-z][A-Za-z0-9_]{0,63}\Z")
# What the native backup API answers for a backup that does not exist.
ITEM_NOT_FOUND = "itemNotFound"


def secret_forms(value):
    """Every form in which ``value`` can show up in a text: as is, without the white space around it,
    escaped as Python's repr and as JSON escape it. Forms shorter than MIN_SECRET_LENGTH are left out."""
    if not isinstance(value, str):
        return set()
    forms = set()
    for base in (value, value.strip()):
        forms.update([base, json.dumps(base)[1:-1], repr(base)[1:-1], base.encode("unicode_escape").decode("ascii")])
    return set(form for form in forms if len(form) >= MIN_SECRET_LENGTH)


def redact(text, secrets):
    """``text`` (str or bytes) with every one of ``secrets`` masked, also in its JSON-escaped form.

    Applied to whatever a server answered before any of it is quoted, so that
    a server that echoes the request (its token, signature or body) cannot
    put a credential into an error message, even a truncated one.
    """
    if not text or not secrets:
        return text
    is_bytes = isinstance(text, bytes)
    for secret in sorted(secrets, key=len, reverse=True):
        for form in set([secret, json.dumps(secret)[1:-1]]):
            if is_bytes:
                text = text.replace(form.encode("utf-8"), MASK.encode("utf-8"))
            else:
                text = text.replace(form, MASK)
    return text


def excerpt(text, length=EXCERPT_LENGTH, secrets=()):
    """A short one-line excerpt of a response body, for error messages, with ``secrets`` masked."""
    text = redact(text, secrets)
    if isinstance(text, bytes):
        text = text[:length * 4].decode("utf-8", "replace")
    flat = " ".join(text[:length * 4].split())
    return safe_text(flat, length)


def parse_error_body(body):
    """Return (code, message) from an error body, or (None, None).

    VBS answers {"error": {"code": ..., "message": ...}}; API Gateway answers
    {"error_code": ..., "error_msg": ...}; IAM (Keystone) answers
    {"error": {"code": 401, "title": ..., "message": ...}}; the native (OpenStack) backup API answers
    {"itemNotFound": {"code": 404, "message": ...}}, whose code is the fault's name when its own code
    only repeats the HTTP status.
    """
    try:
        data = parse_json(body) if isinstance(body, (bytes, str)) else body
    except (ValueError, UnicodeDecodeError):
        return None, None
    if not isinstance(data, dict):
        return None, None
    error = data.get("error")
    if isinstance(error, dict):
        code = error.get("code")
        message = error.get("message") or error.get("title")
        return (None if code is None else str(code)), (None if message is None else str(message))
    if "error_code" in data or "error_msg" in data:
        code = data.get("error_code")
        message = data.get("error_msg")
        return (None if code is None else str(code)), (None if message is None else str(message))
    return openstack_fault(data)


def openstack_fault(data):
    """(code, message) of an OpenStack fault body {"<faultName>": {"code", "message"}}, or (None, None)."""
    if len(data) != 1:
        return None, None
    name, fault = next(iter(data.items()))
    if not (isinstance(name, str) and FAULT_NAME.match(name) and isinstance(fault, dict)):
        return None, None
    if "code" not in fault and "message" not in fault:
        return None, None
    code = fault.get("code")
    if code is None or isinstance(code, int) or (isinstance(code, str) and code.isdigit()):
        code = name  # an HTTP status again (an integer on the delete page): the fault's name says more
    message = fault.get("message")
    return str(code), (None if message is None else str(message))


class VBSError(Exception):
    """Any failure of a call to VBS or IAM.

    ``msg`` is one line a person understands; the other attributes are the
    facts behind it, returned by the modules as result fields. Nothing in it
    ever holds a credential, a token, a signature or a request header.
    """

    def __init__(self, msg, status=None, code=None, error_message=None, method=None, path=None,
                 request_id=None, service=None, unanswered=False):
        super(VBSError, self).__init__(msg)
        self.msg = msg
        self.status = status
        self.code = code
        # The server's own error text (a VBS, API Gateway or IAM error body), escaped and bounded.
        self.error_message = error_message
        self.method = method
        self.path = path
        self.request_id = request_id
        self.service = service
        self.server_time = None  # epoch seconds of the answer's Date header, when there was one
        # True when the last attempt got no answer (timeout, broken connection): the server may have
        # applied the request, or may still apply it.
        self.unanswered = unanswered

    def __str__(self):
        return self.msg

    @property
    def maybe_applied(self):
        """Whether the failed request may have been applied all the same: no answer, or a server error."""
        return self.unanswered or self.status in MAYBE_APPLIED_STATUSES

    def add_hint(self, hint):
        self.msg = "%s. %s" % (self.msg, hint)
        self.args = (self.msg,)

    def result_fields(self):
        """The facts for fail_json, without the empty ones."""
        fields = dict(
            status_code=self.status,
            error_code=self.code,
            error_message=self.error_message,
            method=self.method,
            path=self.path,
            request_id=self.request_id,
        )
        return dict((key, value) for key, value in fields.items() if value is not None)

    @classmethod
    def from_response(cls, service, method, path, status, body, request_id=None):
        """An error for an HTTP answer that is not a success.

        The server's code, message and request ID are escaped and bounded: in
        full (up to vbs_values.FIELD_TEXT_CHARS) in the result fields, shorter in the msg.
        """
        code, message = parse_error_body(body)
        request_id = safe_field(request_id, REQUEST_ID_CHARS)
        if code is None and message is None:
            detail = "%s (body: %s)" % (status, excerpt(body) or "empty")
        else:
            # IAM repeats the status as its code ("401 401 ..."): say it once.
            shown_code = None if code == str(status) else code
            detail = " ".join(safe_text(str(part), MSG_TEXT_CHARS) for part in (status, shown_code, message)
                              if part is not None)
        msg = "%s refused %s %s: %s" % (service, method, path, detail)
        if request_id:
            msg += " (request ID %s)" % request_id
        return cls(msg, status=status, code=safe_field(code), error_message=safe_field(message), method=method,
                   path=path, request_id=request_id, service=service)
