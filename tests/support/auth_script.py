# -*- coding: utf-8 -*-
# Copyright: (c) 2026, huaweicloud.vbs contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""Credentials, IAM answers and a transport for the tests of authentication against a ScriptedServer."""

from ansible_collections.huaweicloud.vbs.plugins.module_utils.vbs_auth import PasswordAuth
from ansible_collections.huaweicloud.vbs.plugins.module_utils.vbs_transport import Transport
from ansible_collections.huaweicloud.vbs.tests.support.scripted_server import json_reply

AK = "HPUAL7YFNPSUKTCEQGT2"
SK = "qX5m0dQz9pYb8Vt3kR7wLc1sNf4hJu6aEg2iOy0T"
PROJECT = "0b4a7c5e9f1d4e2a8c3b6d5f7e9a1c2b"
OK = {"backup_policies": []}
EXPIRED = {"error": {"code": "AutoBackup.0003", "message": "The token has expired."}}
APIG_SIGNATURE = {"error_code": "APIGW.0301", "error_msg": "Incorrect IAM authentication information: verify aksk "
                                                           "signature fail"}
# Tokens as IAM hands them out are long; a token shorter than 32 characters is refused.
TOKEN_1, TOKEN_2, TOKEN_3 = ("token-%d-Kq7Lm2Vb9Rt4Ws1Zp8Kd3Nf6Hj0Gc5Ye" % number for number in (1, 2, 3))


def transport(**kwargs):
    kwargs.setdefault("sleep", lambda seconds: None)
    kwargs.setdefault("timeout", 5)
    return Transport(**kwargs)


def token_reply(token, project_id=PROJECT, status=201):
    return json_reply(status, {"token": {"project": {"id": project_id, "name": "eu-de"},
                                         "expires_at": "2026-01-02T00:00:00.000000Z"}},
                      {"X-Subject-Token": token})


def password_auth(server, **kwargs):
    kwargs.setdefault("project_name", "eu-de")
    return PasswordAuth(kwargs.pop("transport", None) or transport(), server.url + "/v3", "alice", "s3cret!",
                        "acme", **kwargs)
