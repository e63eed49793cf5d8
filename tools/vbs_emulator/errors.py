# -*- coding: utf-8 -*-
# Copyright: (c) 2026, huaweicloud.vbs contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""Errors the emulator answers, in the three body shapes real clouds use.

- VBS:      {"error": {"code": "AutoBackup.0205", "message": "..."}}
- IAM:      {"error": {"code": 401, "title": "Unauthorized", "message": "..."}}
- gateway:  {"error_code": "APIGW.0301", "error_msg": "...", "request_id": "..."}
  (API Gateway answers before the service: signatures, throttling, unknown APIs)
- native:   {"itemNotFound": {"code": 404, "message": "..."}} (the OpenStack backup API under
  /v3/{project_id}/backups and its /v2 twin; the code is an integer, as on the reference's delete page)
"""

from http import HTTPStatus

VBS = "vbs"
IAM = "iam"
GATEWAY = "gateway"
NATIVE = "native"
# The OpenStack fault name of each status the native backup API answers.
FAULT_NAMES = {400: "badRequest", 403: "forbidden", 404: "itemNotFound", 413: "overLimit", 500: "computeFault",
               503: "serviceUnavailable"}


class ApiError(Exception):
    """A request-level failure that becomes one HTTP error answer."""

    def __init__(self, status, code, message, style=VBS, headers=None):
        super().__init__("%s %s: %s" % (status, code, message))
        self.status = status
        self.code = code
        self.message = message
        self.style = style
        self.headers = headers or {}

    def body(self, request_id):
        if self.style == GATEWAY:
            return {"error_code": self.code, "error_msg": self.message, "request_id": request_id}
        if self.style == IAM:
            return {"error": {"code": self.status, "title": _title(self.status), "message": self.message}}
        if self.style == NATIVE:
            return {FAULT_NAMES.get(self.status, "computeFault"): {"code": self.status, "message": self.message}}
        return {"error": {"code": self.code, "message": self.message}}


def _title(status):
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Error"


def vbs_error(status, code, message):
    return ApiError(status, code, message, VBS)


def iam_error(status, message):
    return ApiError(status, status, message, IAM)


def native_error(status, message):
    return ApiError(status, FAULT_NAMES.get(status, "computeFault"), message, NATIVE)


def gateway_error(status, code, message, headers=None):
    return ApiError(status, code, message, GATEWAY, headers)


def unknown_api(method, path):
    # API Gateway routes by method and path: a wrong method is "no such API" too.
    return gateway_error(404, "APIGW.0101", "The API does not exist or has not been published: %s %s" % (method, path))


def invalid_json():
    return vbs_error(400, "AutoBackup.0008", "The request body is not valid JSON.")


# ASSUMED: the public reference names no code for a malformed field; this one is the emulator's.
INVALID_PARAMETER = "AutoBackup.0005"


def invalid_parameter(message):
    return vbs_error(400, INVALID_PARAMETER, message)


def policy_not_found(policy_id):
    return vbs_error(404, "AutoBackup.0205", "The backup policy %s does not exist." % policy_id)
