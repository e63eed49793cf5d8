# -*- coding: utf-8 -*-
# Copyright: (c) 2026, huaweicloud.vbs contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""The process, HTTP behaviour, the inspection API and the seed document."""

import http.client
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import time
from email.utils import parsedate_to_datetime
from urllib.parse import urlsplit

import pytest
from emulator_testlib import FREE, IN_A, IN_B, PASSWORD, POLICY_A, POLICY_B, SEED_TOKEN, Api, build_seed, utc_now_plus
from support.emulator import DEFAULT_CONFIG, DEMO_SEED, EmulatorError, EmulatorProcess, insecure_context


def test_every_answer_has_request_id_type_and_length_on_a_kept_alive_connection(api):
    connection = http.client.HTTPConnection(urlsplit(api.base).netloc, timeout=10)
    request_ids = set()
    try:
        for method, path in (("GET", api.vbs_path("/backuppolicy")), ("DELETE", api.vbs_path("/backuppolicy/nope")),
                             ("GET", "/nowhere"), ("GET", "/_emulator/policies")):
            connection.request(method, path, headers={"X-Auth-Token": api.token()})
            answer = connection.getresponse()
            raw = answer.read()
            assert answer.getheader("Content-Type") == "application/json"
            assert int(answer.getheader("Content-Length")) == len(raw)
            assert answer.getheader("X-Request-Id")
            request_ids.add(answer.getheader("X-Request-Id"))
            assert not answer.will_close  # HTTP/1.1 keep-alive
    finally:
        connection.close()
    assert len(request_ids) == 4


def test_request_log_records_calls_without_secrets(api, emulator):
    emulator.clear_requests()
    token = api.token()
    api.with_token("GET", "/backuppolicy?limit=2", token=token)
    api.with_token("POST", "/backuppolicyresources", {
        "backup_policy_id": POLICY_A, "resources": [{"resource_id": FREE[0], "resource_type": "volume"}]}, token=token)
    api.send("GET", api.base + api.vbs_path("/backuppolicy"))
    entries = emulator.requests()
    assert [(entry["method"], entry["path"], entry["auth"], entry["status"]) for entry in entries] == [
        ("POST", "/v3/auth/tokens", "none", 201),
        ("GET", api.vbs_path("/backuppolicy"), "token", 200),
        ("POST", api.vbs_path("/backuppolicyresources"), "token", 200),
        ("GET", api.vbs_path("/backuppolicy"), "none", 401),
    ]
    assert entries[1]["query"] == "limit=2"
    assert entries[2]["body"]["backup_policy_id"] == POLICY_A
    assert entries[0]["body"]["auth"]["identity"]["password"]["user"]["password"] == "********"
    assert [entry["seq"] for entry in entries] == sorted(entry["seq"] for entry in entries)
    dump = json.dumps(entries)
    assert PASSWORD not in dump and token not in dump


def test_request_log_clear_and_since(api, emulator):
    api.with_token("GET", "/backuppolicy")
    entries = emulator.requests()
    assert len(entries) == 2
    assert emulator.requests(since=entries[0]["seq"]) == entries[1:]
    assert len(emulator.requests(clear=True)) == 2
    assert emulator.requests() == []
    api.with_token("GET", "/backuppolicy")
    emulator.clear_requests()
    assert emulator.requests() == []


def test_reset_replaces_state_and_forgets_tokens(api, emulator):
    token = api.token()
    seed = build_seed()
    seed["policies"] = [{"id": "only", "name": "only", "members": [FREE[0]]}]
    emulator.reset(seed)
    assert emulator.policies() == [{"id": "only", "name": "only", "members": [FREE[0]], "executing": False}]
    assert api.with_token("GET", "/backuppolicy", token=token).data["error"]["code"] == "AutoBackup.0003"
    assert api.with_token("GET", "/backuppolicy", token=SEED_TOKEN).status == 200
    emulator.reset()  # back to the starting seed
    assert [policy["id"] for policy in emulator.policies()] == [POLICY_A, POLICY_B, "policy-busy"]


def test_reset_with_an_invalid_seed_changes_nothing(emulator):
    seed = build_seed()
    seed["policies"][1]["members"] = [IN_A]  # IN_A is already in policy A
    status, data = emulator.call("POST", "/_emulator/reset", seed)
    assert status == 400
    assert IN_A in data["error"]["message"]
    assert emulator.members(POLICY_B) == [IN_B]


def test_config_rejects_unknown_or_bad_settings(emulator):
    for body in ({"fault_rate": 2}, {"fault_kinds": ["lightning"]}, {"no_such_setting": 1}, {"latency_ms": "x"}):
        status, data = emulator.call("POST", "/_emulator/config", body)
        assert status == 400, body
        assert data["error"]["message"]
    assert emulator.config()["fault_rate"] == 0


def test_inspection_api_errors(emulator):
    assert emulator.call("GET", "/_emulator/nothing")[0] == 404
    assert emulator.call("POST", "/_emulator/policies/nope/executing", {"executing": True})[0] == 404
    assert emulator.call("POST", "/_emulator/volumes/nope", {"status": "error"})[0] == 404
    assert emulator.call("POST", "/_emulator/volumes/%s" % FREE[0], {"size": 3})[0] == 400


# -- the inspection API is for this machine only ------------------------------------------------

def raw_call(emulator, method, path, body=b"", headers=None):
    """(status, parsed JSON) of a request with exactly these headers (Host included, when given)."""
    connection = http.client.HTTPConnection(urlsplit(emulator.url).netloc, timeout=10)
    try:
        names = set(name.lower() for name in headers or {})
        connection.putrequest(method, path, skip_host="host" in names, skip_accept_encoding=True)
        for name, value in (headers or {}).items():
            connection.putheader(name, value)
        connection.putheader("Content-Length", str(len(body)))
        connection.endheaders(body)
        answer = connection.getresponse()
        return answer.status, json.loads(answer.read() or b"null")
    finally:
        connection.close()


@pytest.mark.parametrize("host", ["evil.example", "evil.example:%(port)s", "192.0.2.7:%(port)s", "127.0.0.1.nip.io",
                                  "localhost.evil.example", "[::2]:%(port)s", "0.0.0.0:%(port)s", ""])
def test_inspection_calls_with_another_host_header_are_refused(emulator, host):
    """A web page in a browser (DNS rebinding) reaches the emulator under its own host name: 403, nothing done."""
    host = host % {"port": urlsplit(emulator.url).port}
    emulator.configure(latency_ms=5)
    json_headers = {"Host": host, "Content-Type": "application/json"}
    for method, path, body in (("POST", "/_emulator/reset", b""), ("POST", "/_emulator/config", b'{"latency_ms": 0}'),
                               ("GET", "/_emulator/policies", b""), ("DELETE", "/_emulator/requests", b"")):
        status, data = raw_call(emulator, method, path, body, json_headers)
        assert status == 403, (method, path, status, data)
        assert "Host" in data["error"]["message"] and data["error"]["code"] == "Emulator.403"
    assert emulator.config()["latency_ms"] == 5


@pytest.mark.parametrize("host", ["127.0.0.1:%(port)s", "localhost:%(port)s", "LOCALHOST", "[::1]:%(port)s",
                                  "127.0.0.1"])
def test_inspection_calls_with_a_loopback_host_header_are_served(emulator, host):
    host = host % {"port": urlsplit(emulator.url).port}
    status, data = raw_call(emulator, "POST", "/_emulator/config", b'{"latency_ms": 7}',
                            {"Host": host, "Content-Type": "application/json"})
    assert (status, data["config"]["latency_ms"]) == (200, 7)


@pytest.mark.parametrize("content_type", ["text/plain", "application/x-www-form-urlencoded", "multipart/form-data",
                                          None])
def test_inspection_writes_need_a_json_content_type(emulator, content_type):
    """What a cross-origin form or fetch can send without asking first (no preflight) is refused: 415."""
    emulator.configure(latency_ms=5)
    host = urlsplit(emulator.url).netloc
    headers = {"Host": host}
    if content_type:
        headers["Content-Type"] = content_type
    for method, path, body in (("POST", "/_emulator/config", b'{"latency_ms": 0}'), ("POST", "/_emulator/reset", b""),
                               ("POST", "/_emulator/expire-tokens", b""), ("DELETE", "/_emulator/requests", b"")):
        status, data = raw_call(emulator, method, path, body, headers)
        assert status == 415, (method, path, status, data)
        assert "application/json" in data["error"]["message"]
    assert emulator.config()["latency_ms"] == 5
    status, data = raw_call(emulator, "POST", "/_emulator/config", b'{"latency_ms": 0}',
                            {"Host": host, "Content-Type": "Application/JSON; charset=utf-8"})
    assert (status, data["config"]["latency_ms"]) == (200, 0)


def test_a_bind_beyond_this_machine_is_warned_about():
    with EmulatorProcess(args=["--host", "127.0.0.1"]) as local:
        assert "warning" not in local.stderr_text().lower()
    with EmulatorProcess(args=["--host", "0.0.0.0"]) as exposed:
        stderr = exposed.stderr_text()
        # The printed URL is not loopback: its control API refuses the helper's own calls.
        assert exposed.call("GET", "/_emulator/config")[0] == 403
    assert "warning" in stderr.lower() and "0.0.0.0" in stderr and "other machines" in stderr, stderr


def test_seed_with_a_volume_in_two_policies_fails_to_start():
    seed = build_seed()
    seed["policies"][1]["members"].append(IN_A)
    with pytest.raises(EmulatorError) as caught:
        with EmulatorProcess(seed=seed):
            pass
    assert "exited with status 2" in str(caught.value)
    assert IN_A in str(caught.value) and "at most one policy" in str(caught.value)


def test_seed_with_a_typo_fails_to_start():
    seed = build_seed()
    seed["volumes"][0]["staus"] = "error"
    with pytest.raises(EmulatorError) as caught:
        with EmulatorProcess(seed=seed):
            pass
    assert "staus" in str(caught.value)


def test_demo_seed_starts_and_its_user_gets_a_token():
    with EmulatorProcess(seed=DEMO_SEED) as emulator:
        api = Api(emulator)
        answer = api.send("POST", emulator.url + "/v3/auth/tokens", {"Content-Type": "application/json"},
                          api.password_body(user="demo-user", password="demo-password-not-a-real-one",
                                            domain="demo-domain"))
        assert answer.status == 201
        assert len(emulator.volumes()) == 14
        assert any(policy["members"] for policy in emulator.policies())


def test_empty_start_has_a_default_project_and_nothing_else():
    with EmulatorProcess() as emulator:
        assert emulator.policies() == []
        assert emulator.volumes() == []
        assert Api(emulator).send("GET", emulator.url + "/v2/x/backuppolicy").status == 401


def test_cli_page_size_and_policy_limit_flags():
    seed = build_seed()
    del seed["limits"]
    with EmulatorProcess(seed=seed, args=["--page-size", "2", "--policy-volume-limit", "1"]) as emulator:
        api = Api(emulator)
        first = api.with_token("GET", "/backuppolicy").data
        assert len(first["backup_policies"]) == 2
        assert first["backup_policies_links"][0]["rel"] == "next"
        answer = api.with_token("POST", "/backuppolicyresources", {
            "backup_policy_id": POLICY_A, "resources": [{"resource_id": FREE[0], "resource_type": "volume"}]})
        assert answer.data["fail_resources"][0]["code"] == "AutoBackup.0204"


def test_clock_skew_moves_the_date_header_and_the_signature_window():
    with EmulatorProcess(seed=build_seed(), args=["--clock-skew", "3600"]) as emulator:
        api = Api(emulator)
        answer = api.signed_vbs("GET", "/backuppolicy")
        assert answer.status == 401
        assert "X-Sdk-Date" in answer.data["error_msg"]
        server_time = parsedate_to_datetime(answer.headers["Date"]).replace(tzinfo=None)
        assert abs((server_time - utc_now_plus(hours=1)).total_seconds()) < 60
        assert api.signed_vbs("GET", "/backuppolicy", sdk_date=utc_now_plus(hours=1)).status == 200


def test_fault_flags_on_the_command_line():
    args = ["--fault-rate", "1", "--fault-kinds", "throttle", "--retry-after", "3", "--random-seed", "5"]
    with EmulatorProcess(seed=build_seed(), args=args) as emulator:
        answer = Api(emulator).get_token()
        assert answer.status == 429
        assert answer.headers["Retry-After"] == "3"
        config = emulator.config()
        assert (config["fault_rate"], config["fault_kinds"], config["random_seed"]) == (1.0, ["throttle"], 5)


def test_bad_flags_fail_to_start():
    with pytest.raises(EmulatorError):
        EmulatorProcess(args=["--fault-kinds", "lightning"]).start()


@pytest.mark.skipif(shutil.which("openssl") is None, reason="needs the openssl command to make a certificate")
def test_tls(tmp_path):
    cert, key = str(tmp_path / "cert.pem"), str(tmp_path / "key.pem")
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=127.0.0.1",
                    "-keyout", key, "-out", cert], check=True, capture_output=True)
    with EmulatorProcess(seed=build_seed(), args=["--tls-cert", cert, "--tls-key", key],
                         ssl_context=insecure_context()) as emulator:
        assert emulator.url.startswith("https://127.0.0.1:")
        api = Api(emulator)
        assert api.with_token("GET", "/backuppolicy").status == 200
        assert api.signed_vbs("GET", "/backuppolicy").status == 200
        assert len(emulator.policies()) == 3


def test_sigterm_stops_cleanly():
    emulator = EmulatorProcess(seed=build_seed()).start()
    process = emulator.process
    try:
        os.kill(process.pid, signal.SIGTERM)
        assert process.wait(10) == 0
    finally:
        emulator.stop()


def test_many_volumes_stay_fast(tmp_path):
    """5000 volumes: one big associate and many small calls stay well within a generous bound."""
    seed = build_seed()
    seed["volumes"] += [{"id": "bulk-%05d" % number} for number in range(5000)]
    seed["limits"]["policy_volume_limit"] = 10000
    with EmulatorProcess(seed=seed) as emulator:
        api = Api(emulator)
        token = api.token()
        started = time.monotonic()
        answer = api.with_token("POST", "/backuppolicyresources", {"backup_policy_id": POLICY_A, "resources": [
            {"resource_id": "bulk-%05d" % number, "resource_type": "volume"} for number in range(5000)]}, token=token)
        assert len(answer.data["success_resources"]) == 5000
        connection = http.client.HTTPConnection(urlsplit(api.base).netloc, timeout=10)
        try:
            for number in range(300):
                body = json.dumps({"backup_policy_id": POLICY_B, "resources": [
                    {"resource_id": "bulk-%05d" % number, "resource_type": "volume"}]})
                connection.request("POST", api.vbs_path("/backuppolicyresources"), body=body,
                                   headers={"X-Auth-Token": token, "Content-Type": "application/json"})
                assert connection.getresponse().read()
        finally:
            connection.close()
        assert time.monotonic() - started < 20
        assert len(emulator.members(POLICY_A)) == 5001 - 300
        assert len(emulator.members(POLICY_B)) == 301


def _raw_exchange(url, data):
    host, port = urlsplit(url).netloc.rsplit(":", 1)
    with socket.create_connection((host, int(port)), timeout=10) as connection:
        connection.sendall(data)
        answer = b""
        while b"\r\n\r\n" not in answer:
            answer += connection.recv(65536)
        head, _separator, body = answer.partition(b"\r\n\r\n")
        length = int(re.search(rb"Content-Length: (\d+)", head).group(1))
        while len(body) < length:
            body += connection.recv(65536)
    return head.decode("latin-1"), json.loads(body.decode("utf-8"))


def test_chunked_request_body_is_read(api, emulator):
    path = api.vbs_path("/backuppolicyresources")
    body = json.dumps({"backup_policy_id": POLICY_A, "resources": [{"resource_id": FREE[0], "resource_type": "volume"}]})
    chunks = b"".join(b"%x\r\n%s\r\n" % (len(part), part) for part in (body[:10].encode(), body[10:].encode()))
    request = ("POST %s HTTP/1.1\r\nHost: emulator\r\nX-Auth-Token: %s\r\nTransfer-Encoding: chunked\r\n\r\n"
               % (path, api.token())).encode() + chunks + b"0\r\n\r\n"
    head, data = _raw_exchange(api.base, request)
    assert head.startswith("HTTP/1.1 200")
    assert [item["resource_id"] for item in data["success_resources"]] == [FREE[0]]


def test_bad_content_length_is_400_and_closes(api):
    head, data = _raw_exchange(api.base, b"POST /v2/x/backuppolicy HTTP/1.1\r\nHost: e\r\nContent-Length: abc\r\n\r\n")
    assert head.startswith("HTTP/1.1 400")
    assert "Connection: close" in head
    assert data["error_code"] == "APIGW.0400"


def test_the_default_config_of_the_tests_is_the_one_the_emulator_starts_with():
    with EmulatorProcess(seed=build_seed()) as fresh:
        started = fresh.config()
    assert {name: started.get(name) for name in DEFAULT_CONFIG} == DEFAULT_CONFIG
