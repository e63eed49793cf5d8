# -*- coding: utf-8 -*-
# Copyright: (c) 2026, huaweicloud.vbs contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""IAM password tokens, project lookup and token checks on VBS calls."""

import time

from emulator_testlib import DOMAIN, PROJECT_ID, PROJECT_NAME, SEED_TOKEN


def test_password_token_is_issued_and_accepted_by_vbs(api):
    answer = api.get_token()
    assert answer.status == 201
    token = answer.headers["X-Subject-Token"]
    assert len(token) > 32
    body = answer.data["token"]
    assert body["project"]["id"] == PROJECT_ID
    assert body["project"]["name"] == PROJECT_NAME
    assert body["project"]["domain"]["name"] == DOMAIN
    assert body["methods"] == ["password"]
    assert body["expires_at"] > body["issued_at"]
    assert token not in answer.raw.decode("utf-8")  # the token travels in the header only

    listed = api.with_token("GET", "/backuppolicy", token=token)
    assert listed.status == 200
    assert [item["backup_policy_name"] for item in listed.data["backup_policies"]] == [
        "policy-a", "policy-b", "policy-busy"]


def test_token_scoped_by_project_id(api):
    answer = api.get_token(scope={"id": PROJECT_ID})
    assert answer.status == 201
    assert answer.data["token"]["project"]["id"] == PROJECT_ID


def test_every_token_is_different(api):
    first = api.get_token().headers["X-Subject-Token"]
    second = api.get_token().headers["X-Subject-Token"]
    assert first != second


def test_wrong_password_user_or_domain_is_401_with_keystone_body(api):
    expected = {"error": {"code": 401, "title": "Unauthorized", "message": "The username or password is wrong."}}
    for kwargs in ({"password": "wrong"}, {"user": "nobody"}, {"domain": "other-domain"}):
        answer = api.get_token(**kwargs)
        assert answer.status == 401, kwargs
        assert answer.data == expected, kwargs
        assert "X-Subject-Token" not in answer.headers


def test_unknown_project_scope_is_refused(api):
    for scope in ({"name": "ap-southeast-1"}, {"id": "f" * 32}):
        answer = api.get_token(scope=scope)
        assert answer.status == 401, scope
        assert answer.data["error"]["code"] == 401
        assert next(iter(scope.values())) in answer.data["error"]["message"]


def test_token_request_that_is_not_json_is_400(api):
    answer = api.send("POST", api.base + "/v3/auth/tokens", {"Content-Type": "application/json"}, b"{not json")
    assert answer.status == 400
    assert answer.data["error"]["code"] == 400


def test_vbs_call_without_token_is_401_autobackup_0002(api):
    answer = api.send("GET", api.base + api.vbs_path("/backuppolicy"))
    assert answer.status == 401
    assert answer.data["error"]["code"] == "AutoBackup.0002"


def test_unknown_token_is_401_autobackup_0003(api):
    answer = api.with_token("GET", "/backuppolicy", token="MIInot-a-token")
    assert answer.status == 401
    assert answer.data["error"]["code"] == "AutoBackup.0003"


def test_expired_token_is_401_autobackup_0003(api, emulator):
    token = api.token()
    assert api.with_token("GET", "/backuppolicy", token=token).status == 200
    emulator.expire_tokens()
    answer = api.with_token("GET", "/backuppolicy", token=token)
    assert answer.status == 401
    assert answer.data["error"]["code"] == "AutoBackup.0003"
    assert "expired" in answer.data["error"]["message"]
    # A new token works again.
    assert api.with_token("GET", "/backuppolicy", token=api.get_token().headers["X-Subject-Token"]).status == 200


def test_token_expires_after_token_ttl(api, emulator):
    emulator.configure(token_ttl=1)
    token = api.get_token().headers["X-Subject-Token"]
    assert api.with_token("GET", "/backuppolicy", token=token).status == 200
    time.sleep(1.2)
    answer = api.with_token("GET", "/backuppolicy", token=token)
    assert answer.status == 401
    assert answer.data["error"]["code"] == "AutoBackup.0003"


def test_seed_preissued_token_is_valid(api):
    assert api.with_token("GET", "/backuppolicy", token=SEED_TOKEN).status == 200


def test_token_on_another_project_is_403(api):
    answer = api.send("GET", api.base + "/v2/%s/backuppolicy" % ("e" * 32), {"X-Auth-Token": api.token()})
    assert answer.status == 403
    assert answer.data["error"]["code"] == "AutoBackup.0213"


def test_projects_lookup_with_token(api):
    answer = api.send("GET", api.base + "/v3/projects?name=" + PROJECT_NAME, {"X-Auth-Token": api.token()})
    assert answer.status == 200
    assert [(item["id"], item["name"]) for item in answer.data["projects"]] == [(PROJECT_ID, PROJECT_NAME)]
    assert answer.data["projects"][0]["domain_id"]


def test_projects_lookup_of_unknown_name_is_empty(api):
    answer = api.send("GET", api.base + "/v3/projects?name=nowhere", {"X-Auth-Token": api.token()})
    assert answer.status == 200
    assert answer.data["projects"] == []


def test_projects_lookup_with_aksk(api):
    answer = api.signed("GET", "/v3/projects", query=[("name", PROJECT_NAME)])
    assert answer.status == 200
    assert answer.data["projects"][0]["id"] == PROJECT_ID


def test_projects_lookup_needs_authentication(api):
    answer = api.send("GET", api.base + "/v3/projects?name=" + PROJECT_NAME)
    assert answer.status == 401
    assert answer.data["error"]["code"] == 401


def test_malformed_user_fields_are_401_not_a_crash(api):
    body = api.password_body()
    body["auth"]["identity"]["password"]["user"]["name"] = {"not": "a string"}
    answer = api.send("POST", api.base + "/v3/auth/tokens", {"Content-Type": "application/json"}, body)
    assert answer.status == 401
    assert answer.data["error"]["message"] == "The username or password is wrong."
