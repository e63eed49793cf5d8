# -*- coding: utf-8 -*-
# Copyright: (c) 2026, huaweicloud.vbs contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""send_authenticated: the IAM project lookup gets the same renewal and clock hint as every VBS call."""

import time
from email.utils import formatdate

import pytest

from ansible_collections.huaweicloud.vbs.plugins.module_utils.vbs_auth import AkSkAuth, resolve_project_id
from ansible_collections.huaweicloud.vbs.plugins.module_utils.vbs_errors import VBSError
from ansible_collections.huaweicloud.vbs.tests.support.scripted_server import json_reply
from ansible_collections.huaweicloud.vbs.tests.support.auth_script import (
    AK, APIG_SIGNATURE, EXPIRED, SK, TOKEN_1, TOKEN_2, password_auth, token_reply, transport)


def test_the_project_lookup_renews_an_expired_token_once(server):
    server.add(token_reply(TOKEN_1, project_id=None), json_reply(401, EXPIRED), token_reply(TOKEN_2),
               json_reply(200, {"projects": [{"id": "pid", "name": "eu-de"}]}))
    params = {"project_name": "eu-de", "auth_url": server.url + "/v3"}
    assert resolve_project_id(params, password_auth(server), transport()) == "pid"
    assert [(r.method, r.path, r.header("X-Auth-Token")) for r in server.requests] == [
        ("POST", "/v3/auth/tokens", None),
        ("GET", "/v3/projects", TOKEN_1),
        ("POST", "/v3/auth/tokens", None),
        ("GET", "/v3/projects", TOKEN_2),
    ]


def test_the_project_lookup_renews_only_once(server):
    server.add(token_reply(TOKEN_1, project_id=None), json_reply(401, EXPIRED), token_reply(TOKEN_2),
               json_reply(401, EXPIRED))
    params = {"project_name": "eu-de", "auth_url": server.url + "/v3"}
    with pytest.raises(VBSError) as caught:
        resolve_project_id(params, password_auth(server), transport())
    assert caught.value.status == 401 and len(server.requests) == 4


def test_a_refused_signature_of_the_project_lookup_gets_the_clock_hint(server):
    server.add(json_reply(401, APIG_SIGNATURE, {"Date": formatdate(time.time() - 20 * 60, usegmt=True)}))
    params = {"project_name": "eu-de", "auth_url": server.url + "/v3"}
    with pytest.raises(VBSError) as caught:
        resolve_project_id(params, AkSkAuth(AK, SK), transport())
    assert "20 minutes ahead of the server's" in caught.value.msg
    assert caught.value.msg.count("check the clock") == 1
