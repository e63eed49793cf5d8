# -*- coding: utf-8 -*-
# Copyright: (c) 2026, huaweicloud.vbs contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""AK/SK signatures made by the official huaweicloudsdkcore signer: accepted when
intact, refused (401 with a reason) when anything signed was changed."""

import json
import re

from emulator_testlib import AK, FREE, POLICY_A, PROJECT_ID, SECURITY_TOKEN, SK, TEMP_AK, TEMP_SK, utc_now_plus

ODD_QUERY = [("tag", "b"), ("tag", "a"), ("name", "Zürich ✓ 100%"), ("empty", ""), ("sort", "x y+z")]


def _assert_refused(answer, *words):
    assert answer.status == 401, answer
    assert answer.data["error_code"] == "APIGW.0301", answer.data
    message = answer.data["error_msg"].lower()
    for word in words:
        assert word.lower() in message, (word, message)


def _associate_body(volume_id):
    return {"backup_policy_id": POLICY_A, "resources": [{"resource_id": volume_id, "resource_type": "volume"}]}


def test_signed_get_with_repeated_and_non_ascii_query_is_accepted(api):
    answer = api.signed_vbs("GET", "/backuppolicy", query=ODD_QUERY, headers={"X-Project-Id": PROJECT_ID})
    assert answer.status == 200, answer
    assert len(answer.data["backup_policies"]) == 3


def test_signed_get_with_a_list_valued_query_parameter_is_accepted(api):
    answer = api.signed_vbs("GET", "/backuppolicy", query=[("tag", ["z", "a", "m"])])
    assert answer.status == 200, answer


def test_signed_post_with_json_body_is_accepted_and_applied(api, emulator):
    answer = api.signed_vbs("POST", "/backuppolicyresources", body=_associate_body(FREE[0]),
                            headers={"X-Project-Id": PROJECT_ID})
    assert answer.status == 200, answer
    assert [item["resource_id"] for item in answer.data["success_resources"]] == [FREE[0]]
    assert FREE[0] in emulator.members(POLICY_A)


def test_signed_non_ascii_header_value_is_accepted(api):
    answer = api.signed_vbs("GET", "/backuppolicy", headers={"X-Client-Note": "Grüße aus Zürich"})
    assert answer.status == 200, answer


def test_temporary_key_with_security_token_is_accepted(api):
    answer = api.signed_vbs("GET", "/backuppolicy", ak=TEMP_AK, sk=TEMP_SK,
                            headers={"X-Security-Token": SECURITY_TOKEN, "X-Project-Id": PROJECT_ID})
    assert answer.status == 200, answer


def test_temporary_key_without_security_token_is_refused(api):
    _assert_refused(api.signed_vbs("GET", "/backuppolicy", ak=TEMP_AK, sk=TEMP_SK), "X-Security-Token")


def test_temporary_key_with_wrong_security_token_is_refused(api):
    answer = api.signed_vbs("GET", "/backuppolicy", ak=TEMP_AK, sk=TEMP_SK,
                            headers={"X-Security-Token": "another-token"})
    _assert_refused(answer, "X-Security-Token")


def test_wrong_secret_key_is_refused(api):
    _assert_refused(api.signed_vbs("GET", "/backuppolicy", sk=SK + "x"), "signature mismatch")


def test_unknown_access_key_is_refused(api):
    _assert_refused(api.signed_vbs("GET", "/backuppolicy", ak="UNKNOWNKEY"), "unknown access key")


def test_tampered_body_is_refused_and_not_applied(api, emulator):
    def tamper(url, headers, body):
        return url, headers, body.replace(FREE[0].encode(), FREE[1].encode())

    answer = api.signed_vbs("POST", "/backuppolicyresources", body=_associate_body(FREE[0]), tamper=tamper)
    _assert_refused(answer, "signature mismatch")
    members = emulator.members(POLICY_A)
    assert FREE[0] not in members and FREE[1] not in members


def test_tampered_query_is_refused(api):
    def tamper(url, headers, body):
        return url.replace("tag=a", "tag=c"), headers, body

    _assert_refused(api.signed_vbs("GET", "/backuppolicy", query=ODD_QUERY, tamper=tamper), "signature mismatch")


def test_added_query_parameter_is_refused(api):
    def tamper(url, headers, body):
        return url + "&limit=1", headers, body

    _assert_refused(api.signed_vbs("GET", "/backuppolicy", query=[("a", "1")], tamper=tamper), "signature mismatch")


def test_tampered_path_is_refused(api):
    def tamper(url, headers, body):
        return url.replace("/backuppolicy", "/backuppolicy/tags"), headers, body

    _assert_refused(api.signed_vbs("GET", "/backuppolicy", tamper=tamper), "signature mismatch")


def test_changed_signed_header_value_is_refused(api):
    def tamper(url, headers, body):
        headers = dict(headers)
        headers["X-Client-Note"] = "changed"
        return url, headers, body

    _assert_refused(api.signed_vbs("GET", "/backuppolicy", headers={"X-Client-Note": "original"}, tamper=tamper),
                    "signature mismatch")


def test_signed_header_missing_from_request_is_refused(api):
    def tamper(url, headers, body):
        return url, {name: value for name, value in headers.items() if name != "X-Project-Id"}, body

    answer = api.signed_vbs("GET", "/backuppolicy", headers={"X-Project-Id": PROJECT_ID}, tamper=tamper)
    _assert_refused(answer, "x-project-id", "missing")


def test_host_and_date_must_be_signed(api):
    for name in ("host", "x-sdk-date"):
        def tamper(url, headers, body, name=name):
            headers = dict(headers)
            headers["Authorization"] = re.sub(r"SignedHeaders=([^,]*)",
                                              lambda m: "SignedHeaders=" + ";".join(
                                                  h for h in m.group(1).split(";") if h != name),
                                              headers["Authorization"])
            return url, headers, body

        _assert_refused(api.signed_vbs("GET", "/backuppolicy", tamper=tamper), name, "must be signed")


def test_malformed_authorization_is_refused(api):
    answer = api.send("GET", api.base + api.vbs_path("/backuppolicy"), {"Authorization": "Basic dXNlcjpwYXNz"})
    _assert_refused(answer, "malformed Authorization")


def test_sdk_date_16_minutes_off_is_refused_and_14_accepted(api):
    for minutes in (-16, 16):
        answer = api.signed_vbs("GET", "/backuppolicy", sdk_date=utc_now_plus(minutes=minutes))
        _assert_refused(answer, "X-Sdk-Date", "15 minutes")
    for minutes in (-14, 14):
        answer = api.signed_vbs("GET", "/backuppolicy", sdk_date=utc_now_plus(minutes=minutes))
        assert answer.status == 200, (minutes, answer)


def test_x_project_id_must_match_the_url(api):
    answer = api.signed_vbs("GET", "/backuppolicy", headers={"X-Project-Id": "f" * 32})
    assert answer.status == 403
    assert answer.data["error"]["code"] == "AutoBackup.0213"


def test_request_log_shows_access_key_but_no_secret(api, emulator):
    emulator.clear_requests()
    api.signed_vbs("POST", "/backuppolicyresources", body=_associate_body(FREE[0]),
                   headers={"X-Project-Id": PROJECT_ID})
    api.signed_vbs("GET", "/backuppolicy", ak=TEMP_AK, sk=TEMP_SK, headers={"X-Security-Token": SECURITY_TOKEN})
    api.signed_vbs("GET", "/backuppolicy", sk=SK + "x")
    entries = emulator.requests()
    assert [(entry["method"], entry["auth"], entry["access_key"], entry["status"]) for entry in entries] == [
        ("POST", "aksk", AK, 200), ("GET", "aksk", TEMP_AK, 200), ("GET", "aksk", AK, 401)]
    assert entries[0]["body"]["resources"][0]["resource_id"] == FREE[0]
    dump = json.dumps(entries)
    for secret in (SK, TEMP_SK, SECURITY_TOKEN, "Signature", "SDK-HMAC-SHA256"):
        assert secret not in dump
