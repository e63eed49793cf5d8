# -*- coding: utf-8 -*-
# Copyright: (c) 2026, huaweicloud.vbs contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""Credentials, AK/SK signing on the wire, IAM tokens and their renewal, the project ID."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import time
from email.utils import formatdate

import pytest

from ansible_collections.huaweicloud.vbs.plugins.module_utils import vbs_auth
from ansible_collections.huaweicloud.vbs.plugins.module_utils.vbs_api import VBSClient
from ansible_collections.huaweicloud.vbs.plugins.module_utils.vbs_auth import (
    AkSkAuth, TokenAuth, build_auth, clock_hint, credentials_problem, resolve_project_id)
from ansible_collections.huaweicloud.vbs.plugins.module_utils.vbs_errors import VBSError
from ansible_collections.huaweicloud.vbs.tests.support.auth_script import (
    AK, APIG_SIGNATURE, EXPIRED, OK, PROJECT, SK, TOKEN_1, TOKEN_2, TOKEN_3, password_auth, token_reply, transport)
from ansible_collections.huaweicloud.vbs.tests.support.scripted_server import Reply, json_reply, official_authorization


# -- which credentials ------------------------------------------------------------

@pytest.mark.parametrize("params,expected", [
    ({}, vbs_auth.NO_CREDENTIALS_MSG),
    ({"access_key": None, "secret_key": "", "user_name": None}, vbs_auth.NO_CREDENTIALS_MSG),
    ({"access_key": AK}, "access_key and secret_key go together: secret_key (HW_SECRET_KEY) is missing"),
    ({"secret_key": SK}, "access_key and secret_key go together: access_key (HW_ACCESS_KEY) is missing"),
    ({"access_key": AK, "security_token": "t"},
     "access_key and secret_key go together: secret_key (HW_SECRET_KEY) is missing"),
    ({"security_token": "t"}, "security_token (HW_SECURITY_TOKEN) needs access_key and secret_key as well"),
    ({"user_name": "u"}, "password authentication needs user_name, password and domain_name: missing "
                         "password (HW_USER_PASSWORD), domain_name (HW_DOMAIN_NAME)"),
    ({"password": "p"}, "password authentication needs user_name, password and domain_name: missing "
                        "user_name (HW_USER_NAME), domain_name (HW_DOMAIN_NAME)"),
    ({"user_name": "u", "password": "p"}, "password authentication needs user_name, password and domain_name: "
                                          "missing domain_name (HW_DOMAIN_NAME)"),
    ({"domain_name": "d", "password": "p"}, "password authentication needs user_name, password and domain_name: "
                                            "missing user_name (HW_USER_NAME)"),
    ({"access_key": AK, "secret_key": SK}, None),
    ({"access_key": AK, "secret_key": SK, "security_token": "t"}, None),
    ({"user_name": "u", "password": "p", "domain_name": "d"}, None),
    ({"auth_token": "tok"}, None),
    ({"auth_token": "tok", "access_key": AK}, None),  # the token wins; the half AK/SK is not used
])
def test_credentials_problem(params, expected):
    assert credentials_problem(params) == expected


def test_no_credentials_message_names_options_and_variables():
    text = credentials_problem({})
    for word in ("access_key", "secret_key", "user_name", "password", "domain_name", "auth_token",
                 "HW_ACCESS_KEY", "HW_SECRET_KEY", "HW_USER_NAME", "HW_USER_PASSWORD", "HW_DOMAIN_NAME",
                 "HW_AUTH_TOKEN"):
        assert word in text


PASSWORD = {"user_name": "u", "password": "p", "domain_name": "d", "auth_url": "https://iam.x.example.com/v3"}


@pytest.mark.parametrize("params,kind", [
    (dict(PASSWORD, auth_token="tok", access_key=AK, secret_key=SK), "token"),
    (dict(PASSWORD, access_key=AK, secret_key=SK), "aksk"),
    (dict(PASSWORD, access_key=AK, secret_key=SK, security_token="t"), "aksk"),
    (dict(PASSWORD), "password"),
    ({"auth_token": "tok"}, "token"),
])
def test_build_auth_precedence(params, kind):
    assert credentials_problem(params) is None
    auth = build_auth(params, transport())
    assert auth.kind == kind


# -- AK/SK on the wire -----------------------------------------------------------

def test_aksk_requests_verify_with_the_official_signer(server):
    server.add(json_reply(200, OK), json_reply(200, {"success_resources": [], "fail_resources": []}))
    auth = AkSkAuth(AK, SK, security_token="temporary-security-token")
    client = VBSClient(transport(), auth, server.url, PROJECT)
    client.list_policies()
    client.disassociate("pol-1", ["v1"])
    assert len(server.requests) == 2
    for received in server.requests:
        authorization = received.header("Authorization")
        assert authorization.startswith("SDK-HMAC-SHA256 Access=%s, SignedHeaders=" % AK)
        assert official_authorization(received, AK, SK) == authorization
        assert received.header("X-Project-Id") == PROJECT
        assert received.header("X-Security-Token") == "temporary-security-token"
        assert received.header("Host") == "127.0.0.1:%d" % server.port
    get_names = server.requests[0].header("Authorization").split("SignedHeaders=")[1].split(",")[0]
    assert get_names == "host;x-project-id;x-sdk-date;x-security-token"
    post_names = server.requests[1].header("Authorization").split("SignedHeaders=")[1].split(",")[0]
    assert post_names == "content-type;host;x-project-id;x-sdk-date;x-security-token"
    assert server.requests[1].header_count("Content-Type") == 1


def test_aksk_wrong_secret_does_not_verify(server):
    server.add(json_reply(200, OK))
    VBSClient(transport(), AkSkAuth(AK, SK), server.url, PROJECT).list_policies()
    received = server.requests[0]
    assert official_authorization(received, AK, SK + "x") != received.header("Authorization")
    assert received.header("X-Security-Token") is None


def test_aksk_query_is_sent_as_signed(server):
    server.add(json_reply(200, {"backup_policies": [{"backup_policy_id": "a"}],
                                "backup_policies_links": [
                                    {"rel": "next", "href": "http://x/v2/p/backuppolicy?marker=a b&limit=1"}]}),
               json_reply(200, {"backup_policies": []}))
    VBSClient(transport(), AkSkAuth(AK, SK), server.url, PROJECT).list_policies()
    second = server.requests[1]
    assert second.query == "limit=1&marker=a%20b"
    assert official_authorization(second, AK, SK) == second.header("Authorization")


def test_each_retry_is_signed_anew(server):
    server.add(json_reply(503, {}), json_reply(200, OK))
    VBSClient(transport(), AkSkAuth(AK, SK), server.url, PROJECT).list_policies()
    assert len(server.requests) == 2
    for received in server.requests:
        assert official_authorization(received, AK, SK) == received.header("Authorization")


# -- IAM password tokens ---------------------------------------------------------

def test_password_token_request_scoped_by_name_and_used_for_several_calls(server):
    server.add(token_reply(TOKEN_1), json_reply(200, OK), json_reply(200, OK), json_reply(200, {"tags": []}))
    secrets = []
    auth = password_auth(server, on_secret=secrets.append)
    client = VBSClient(transport(), auth, server.url, PROJECT)
    client.list_policies()
    client.list_policies()
    client.list_tags("p1")
    token_request = server.requests[0]
    assert (token_request.method, token_request.path) == ("POST", "/v3/auth/tokens")
    assert token_request.json() == {"auth": {
        "identity": {"methods": ["password"], "password": {"user": {
            "name": "alice", "password": "s3cret!", "domain": {"name": "acme"}}}},
        "scope": {"project": {"name": "eu-de"}}}}
    assert token_request.header("X-Auth-Token") is None
    assert [received.path for received in server.requests].count("/v3/auth/tokens") == 1
    assert [received.header("X-Auth-Token") for received in server.requests[1:]] == [TOKEN_1] * 3
    assert secrets == [TOKEN_1]


def test_password_token_scoped_by_id_when_project_id_known(server):
    server.add(token_reply(TOKEN_1))
    auth = password_auth(server, project_id=PROJECT)
    assert auth.token_project_id() == PROJECT
    assert server.requests[0].json()["auth"]["scope"] == {"project": {"id": PROJECT}}


def test_refresh_only_once(server):
    server.add(token_reply(TOKEN_1), token_reply(TOKEN_2), token_reply(TOKEN_3))
    secrets = []
    auth = password_auth(server, on_secret=secrets.append)
    build = auth.headers_for(PROJECT)
    assert build("GET", "u", None) == {"X-Auth-Token": TOKEN_1}
    assert auth.refresh() is True
    assert build("GET", "u", None) == {"X-Auth-Token": TOKEN_2}
    assert auth.refresh() is False
    assert build("GET", "u", None) == {"X-Auth-Token": TOKEN_2}
    assert secrets == [TOKEN_1, TOKEN_2]
    assert len(server.requests) == 2


def test_expired_token_is_renewed_once_and_the_call_retried(server):
    server.add(token_reply(TOKEN_1), json_reply(401, EXPIRED), token_reply(TOKEN_2), json_reply(200, OK))
    client = VBSClient(transport(), password_auth(server), server.url, PROJECT)
    assert client.list_policies() == []
    assert [(r.method, r.path, r.header("X-Auth-Token")) for r in server.requests] == [
        ("POST", "/v3/auth/tokens", None),
        ("GET", "/v2/%s/backuppolicy" % PROJECT, TOKEN_1),
        ("POST", "/v3/auth/tokens", None),
        ("GET", "/v2/%s/backuppolicy" % PROJECT, TOKEN_2),
    ]


def test_second_expiry_fails(server):
    server.add(token_reply(TOKEN_1), json_reply(401, EXPIRED), token_reply(TOKEN_2), json_reply(401, EXPIRED),
               json_reply(200, OK))
    client = VBSClient(transport(), password_auth(server), server.url, PROJECT)
    with pytest.raises(VBSError) as caught:
        client.list_policies()
    assert caught.value.status == 401 and caught.value.code == "AutoBackup.0003"
    assert "The token has expired." in caught.value.msg
    assert len(server.requests) == 4
    assert server.remaining == 1


def test_other_401_is_not_renewed(server):
    server.add(token_reply(TOKEN_1), json_reply(401, {"error": {"code": "AutoBackup.0002", "message": "no token"}}),
               token_reply(TOKEN_2))
    client = VBSClient(transport(), password_auth(server), server.url, PROJECT)
    with pytest.raises(VBSError) as caught:
        client.list_policies()
    assert caught.value.code == "AutoBackup.0002"
    assert len(server.requests) == 2


def test_static_token_401_fails_with_the_server_message(server):
    server.add(json_reply(401, EXPIRED, {"X-Request-Id": "rq-1"}), json_reply(200, OK))
    client = VBSClient(transport(), TokenAuth("user-token"), server.url, PROJECT)
    with pytest.raises(VBSError) as caught:
        client.list_policies()
    error = caught.value
    assert error.msg == ("VBS refused GET /v2/%s/backuppolicy: 401 AutoBackup.0003 The token has expired. "
                         "(request ID rq-1)" % PROJECT)
    assert "check the clock" not in error.msg
    assert server.requests[0].header("X-Auth-Token") == "user-token"
    assert len(server.requests) == 1


def test_token_request_refused(server):
    server.add(json_reply(401, {"error": {"code": 401, "title": "Unauthorized",
                                          "message": "The username or password is wrong."}}))
    with pytest.raises(VBSError) as caught:
        password_auth(server).token_project_id()
    assert caught.value.service == "IAM"
    assert caught.value.msg == "IAM refused POST /v3/auth/tokens: 401 The username or password is wrong."
    assert "s3cret!" not in caught.value.msg


def test_token_answer_without_subject_token(server):
    server.add(json_reply(201, {"token": {}}))
    with pytest.raises(VBSError) as caught:
        password_auth(server).token_project_id()
    assert "X-Subject-Token" in caught.value.msg


@pytest.mark.parametrize("body", [[1], {"token": "x"}, {"token": {"project": "p"}}, {"token": []}, "text", 7,
                                  {"token": {"project": {"id": 12345}}}, {"token": {"project": {"id": ""}}}])
def test_token_answer_with_odd_body_is_no_crash(server, body):
    """A token with a body of another shape is still a token; it just names no project."""
    server.add(json_reply(201, body, {"X-Subject-Token": TOKEN_1}))
    auth = password_auth(server)
    assert auth.token_project_id() is None
    assert auth.headers_for()("GET", "u", None) == {"X-Auth-Token": TOKEN_1}


@pytest.mark.parametrize("token", ["3333", "x" * 31, "token with spaces in it, long enough for one",
                                   "MII" + "Q" * 40 + "\x1b[31m"])
def test_a_token_from_iam_that_is_no_token_is_refused_unshown(server, token):
    masked = []
    server.add(json_reply(201, {"token": {}}, {"X-Subject-Token": token}))
    auth = password_auth(server, on_secret=masked.append)
    with pytest.raises(VBSError) as caught:
        auth.token_project_id()
    assert "at least 32 printable characters" in caught.value.msg
    assert token not in caught.value.msg and token.strip() not in caught.value.msg
    assert masked == []  # a short value registered for masking would hide every occurrence of it


@pytest.mark.parametrize("params, stripped, cleaned", [
    ({"auth_token": " " + "t" * 40 + "\n"}, ["auth_token"], {"auth_token": "t" * 40}),
    ({"access_key": AK + "\r\n", "secret_key": "\t" + SK}, ["access_key", "secret_key"],
     {"access_key": AK, "secret_key": SK}),
    ({"access_key": AK, "secret_key": SK, "security_token": "s" * 50 + " "}, ["security_token"],
     {"security_token": "s" * 50}),
    ({"auth_token": "   "}, ["auth_token"], {"auth_token": None}),
    ({"access_key": AK, "secret_key": SK, "password": " pass word "}, [], {"password": " pass word "}),
])
def test_white_space_around_header_credentials_is_stripped(params, stripped, cleaned):
    assert vbs_auth.clean_credentials(params) == (stripped, None)
    for name, value in cleaned.items():
        assert params[name] == value


@pytest.mark.parametrize("name, value", [
    ("auth_token", "t" * 20 + "\n" + "t" * 20), ("auth_token", "t" * 20 + " " + "t" * 20),
    ("auth_token", "t" * 40 + "\u20ac"), ("security_token", "s" * 20 + "\x00" + "s" * 20),
    ("access_key", "AK\tAK"), ("secret_key", "sk sk"),
])
def test_a_control_character_or_space_inside_a_credential_is_refused_unquoted(name, value):
    params = {"access_key": AK, "secret_key": SK, name: value}
    _stripped, problem = vbs_auth.clean_credentials(params)
    assert problem.startswith(name + " (HW_") and "not shown" in problem
    assert value not in problem and value[:2] not in problem.split(")", 1)[1]


def test_an_auth_token_too_short_to_be_one_is_refused():
    _stripped, problem = vbs_auth.clean_credentials({"auth_token": "abcd"})
    assert problem == ("auth_token (HW_AUTH_TOKEN) has 4 characters, too few for an IAM token (at least 32); "
                       "the value is not shown")
    assert vbs_auth.clean_credentials({"auth_token": "a" * 32}) == ([], None)


# -- project ID --------------------------------------------------------------------

def test_project_id_option_wins(server):
    params = {"project_id": "from-option", "project_name": "eu-de", "auth_url": server.url + "/v3"}
    assert resolve_project_id(params, password_auth(server), transport()) == "from-option"
    assert server.requests == []


def test_project_id_from_token(server):
    server.add(token_reply(TOKEN_1, project_id="from-token"))
    params = {"project_id": None, "project_name": "eu-de", "auth_url": server.url + "/v3"}
    assert resolve_project_id(params, password_auth(server), transport()) == "from-token"
    assert [r.path for r in server.requests] == ["/v3/auth/tokens"]


def test_project_id_by_name_with_signed_lookup(server):
    server.add(json_reply(200, {"projects": [
        {"id": "wrong", "name": "eu-de_sub"}, {"id": "the-id", "name": "eu-de", "domain_id": "d"}]}))
    params = {"project_name": "eu-de", "auth_url": server.url + "/v3"}
    assert resolve_project_id(params, AkSkAuth(AK, SK), transport()) == "the-id"
    received = server.requests[0]
    assert (received.method, received.path, received.query) == ("GET", "/v3/projects", "name=eu-de")
    assert official_authorization(received, AK, SK) == received.header("Authorization")
    assert received.header("X-Project-Id") is None


def test_project_id_by_name_from_password_token_without_project(server):
    server.add(token_reply(TOKEN_1, project_id=None), json_reply(200, {"projects": [{"id": "pid", "name": "eu-de"}]}))
    params = {"project_name": "eu-de", "auth_url": server.url + "/v3"}
    assert resolve_project_id(params, password_auth(server), transport()) == "pid"
    assert server.requests[1].header("X-Auth-Token") == TOKEN_1


@pytest.mark.parametrize("body", [{"projects": []}, {"projects": [{"id": "x", "name": "eu-de-2"}]},
                                  {"projects": [{"name": "eu-de"}]}, {"projects": [{"id": 42, "name": "eu-de"}]},
                                  {"projects": ["eu-de", None]}])
def test_project_not_found(server, body):
    server.add(json_reply(200, body))
    params = {"project_name": "eu-de", "auth_url": server.url + "/v3"}
    with pytest.raises(VBSError) as caught:
        resolve_project_id(params, AkSkAuth(AK, SK), transport())
    assert "No project named eu-de" in caught.value.msg
    assert "project_id (HW_PROJECT_ID)" in caught.value.msg


@pytest.mark.parametrize("body", [{}, {"projects": "eu-de"}, [], None])
def test_project_list_of_other_shape(server, body):
    server.add(json_reply(200, body) if body is not None else Reply(200, {}, b""))
    params = {"project_name": "eu-de", "auth_url": server.url + "/v3"}
    with pytest.raises(VBSError) as caught:
        resolve_project_id(params, AkSkAuth(AK, SK), transport())
    assert "without a list of projects" in caught.value.msg


def test_project_name_is_encoded_in_the_lookup(server):
    server.add(json_reply(200, {"projects": [{"id": "pid", "name": "eu-de_a b&c"}]}))
    params = {"project_name": "eu-de_a b&c", "auth_url": server.url + "/v3"}
    assert resolve_project_id(params, AkSkAuth(AK, SK), transport()) == "pid"
    assert server.requests[0].query_pairs == [("name", "eu-de_a b&c")]
    assert official_authorization(server.requests[0], AK, SK) == server.requests[0].header("Authorization")


# -- clock ---------------------------------------------------------------------------

@pytest.mark.parametrize("offset,words", [(-20 * 60, "20 minutes ahead of"), (20 * 60, "20 minutes behind")])
def test_clock_hint_on_401_from_a_server_with_another_time(server, offset, words):
    server.add(json_reply(401, APIG_SIGNATURE, {"Date": formatdate(time.time() + offset, usegmt=True)}))
    client = VBSClient(transport(), AkSkAuth(AK, SK), server.url, PROJECT)
    with pytest.raises(VBSError) as caught:
        client.list_policies()
    assert "APIGW.0301" in caught.value.msg
    assert "check the clock" in caught.value.msg
    assert "this host's clock is %s the server's" % words in caught.value.msg


def test_no_clock_hint_when_clocks_agree(server):
    server.add(json_reply(401, APIG_SIGNATURE))
    client = VBSClient(transport(), AkSkAuth(AK, SK), server.url, PROJECT)
    with pytest.raises(VBSError) as caught:
        client.list_policies()
    assert "clock" not in caught.value.msg


def test_clock_hint_from_message_alone():
    error = VBSError("refused", status=401, error_message="Invalid X-Sdk-Date: expired request")
    hint = clock_hint(error, time.time())
    assert hint.startswith("check the clock")
    assert "minutes" not in hint.split(":")[0]
    far = VBSError("refused", status=401, error_message="denied")
    far.server_time = 1000.0
    assert clock_hint(far, 1000.0 + 4 * 60) is None
    assert "6 minutes ahead of" in clock_hint(far, 1000.0 + 6 * 60)


def test_refresh_of_a_token_another_request_already_renewed_asks_iam_nothing(server):
    server.add(token_reply(TOKEN_1), token_reply(TOKEN_2), token_reply(TOKEN_3))
    auth = password_auth(server)
    build = auth.headers_for(PROJECT)
    assert build("GET", "u", None) == {"X-Auth-Token": TOKEN_1}
    assert auth.refresh(TOKEN_1) is True           # the first refused request renews
    assert auth.refresh(TOKEN_1) is True           # a second one, refused with the same token, just retries
    assert build("GET", "u", None) == {"X-Auth-Token": TOKEN_2}
    assert auth.refresh(TOKEN_2) is False          # the renewed token expiring too is not renewed again
    assert len(server.requests) == 2
