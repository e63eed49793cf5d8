# -*- coding: utf-8 -*-
# Copyright: (c) 2026, huaweicloud.vbs contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""Transport over real HTTP(S) to a scripted server: retries, backoff, timeouts, TLS, errors."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import base64
import datetime
import gzip
import json
import socket
import threading
import time
import zlib
from concurrent.futures import ThreadPoolExecutor
from email.utils import formatdate

import pytest
import requests
import urllib3

from ansible_collections.huaweicloud.vbs.plugins.module_utils import vbs_transport
from ansible_collections.huaweicloud.vbs.plugins.module_utils.vbs_errors import VBSError
from ansible_collections.huaweicloud.vbs.plugins.module_utils.vbs_transport import Transport
from ansible_collections.huaweicloud.vbs.plugins.module_utils.vbs_version import COLLECTION_VERSION
from ansible_collections.huaweicloud.vbs.tests.support.scripted_server import (
    DROP, Reply, ScriptedServer, Stall, json_reply, server_ssl_context)

OK = {"backup_policies": []}
VBS_ERROR = {"error": {"code": "AutoBackup.0009", "message": "internal error"}}


class Sleeps(list):
    """Records the delays the transport would sleep, instead of sleeping."""

    def __call__(self, seconds):
        self.append(seconds)


def transport(**kwargs):
    kwargs.setdefault("sleep", Sleeps())
    kwargs.setdefault("timeout", 5)
    return Transport(**kwargs)


def get(t, server, path="/v2/p/backuppolicy", **kwargs):
    return t.request("VBS", "GET", server.url + path, **kwargs)


# -- success and request shape ------------------------------------------------------

def test_success_returns_decoded_json(server):
    server.add(json_reply(200, OK, {"X-Request-Id": "r1"}))
    t = transport()
    answer = get(t, server)
    assert answer.status == 200
    assert answer.data == OK
    assert answer.headers["X-Request-Id"] == "r1"
    assert t.attempts_made == 1
    assert t.sleep == []


def test_body_is_compact_json_with_content_type(server):
    server.add(Reply(200, {}, b""))
    answer = transport().request("VBS", "POST", server.url + "/v2/p/backuppolicyresources",
                                 body={"b": [1, "é"], "a": None})
    assert answer.data is None
    received = server.requests[0]
    assert received.method == "POST"
    assert received.json() == {"b": [1, "é"], "a": None}
    assert received.body == json.dumps({"a": None, "b": [1, "é"]}, separators=(",", ":"), sort_keys=True).encode()
    assert received.header("Content-Type") == "application/json;charset=UTF-8"
    assert received.header("Accept") == "application/json"


def test_user_agent_names_collection_and_version_on_every_attempt(server):
    server.add(json_reply(503, VBS_ERROR), DROP, json_reply(200, OK))
    get(transport(), server)
    assert len(server.requests) == 3
    for received in server.requests:
        agent = received.header("User-Agent")
        assert agent.startswith("huaweicloud.vbs/%s " % COLLECTION_VERSION)
        assert "Python" in agent and "requests" in agent


def test_headers_for_is_called_once_per_attempt(server):
    server.add(json_reply(500, VBS_ERROR), json_reply(429, {}), json_reply(200, OK))
    calls = []

    def headers_for(method, url, body):
        calls.append((method, url, body))
        return {"X-Attempt": str(len(calls))}

    t = transport()
    t.request("VBS", "PUT", server.url + "/v2/p/backuppolicy/x", body={"k": 1}, headers_for=headers_for)
    assert [received.header("X-Attempt") for received in server.requests] == ["1", "2", "3"]
    assert calls == [("PUT", server.url + "/v2/p/backuppolicy/x", b'{"k":1}')] * 3
    assert t.attempts_made == 3


def test_header_value_that_http_cannot_carry(server):
    """A token with characters beyond latin-1 is a clear error that does not show the token."""
    server.add(json_reply(200, OK))
    with pytest.raises(VBSError) as caught:
        get(transport(), server, headers_for=lambda method, url, body: {"X-Auth-Token": "t\u20ac-secret"})
    assert "could not be sent" in caught.value.msg
    assert "secret" not in caught.value.msg and "\u20ac" not in caught.value.msg
    assert server.requests == []


def test_no_redirects_followed(server):
    server.add(Reply(302, {"Location": "http://127.0.0.1:1/elsewhere"}, b""))
    with pytest.raises(VBSError) as caught:
        get(transport(), server)
    assert caught.value.status == 302
    assert len(server.requests) == 1


# -- retries ----------------------------------------------------------------------

@pytest.mark.parametrize("status", [429, 500, 502, 503, 504])
def test_retried_statuses(server, status):
    server.add(json_reply(status, VBS_ERROR), json_reply(status, VBS_ERROR), json_reply(200, OK))
    t = transport(retries=4, rand=lambda: 0.5)
    assert get(t, server).data == OK
    assert len(server.requests) == 3
    assert len(t.sleep) == 2


@pytest.mark.parametrize("status", [400, 401, 403, 404, 405, 409])
def test_not_retried_statuses(server, status):
    server.add(json_reply(status, {"error": {"code": "AutoBackup.0213", "message": "no"}}), json_reply(200, OK))
    t = transport(retries=4)
    with pytest.raises(VBSError) as caught:
        get(t, server)
    assert caught.value.status == status
    assert caught.value.code == "AutoBackup.0213"
    assert len(server.requests) == 1
    assert t.sleep == []
    assert "Gave up" not in caught.value.msg


def test_retry_after_seconds_is_honoured(server):
    server.add(json_reply(429, {}, {"Retry-After": "7"}), json_reply(429, {}, {"Retry-After": "0"}),
               json_reply(200, OK))
    t = transport(rand=lambda: 0.99)
    get(t, server)
    assert t.sleep == [7.0, 0.0]


def test_retry_after_is_capped(server):
    server.add(json_reply(503, {}, {"Retry-After": "86400"}), json_reply(200, OK))
    t = transport()
    get(t, server)
    assert t.sleep == [vbs_transport.RETRY_AFTER_CAP_SECONDS]


def test_retry_after_http_date_is_honoured(server):
    when = formatdate(time.time() + 30, usegmt=True)
    server.add(json_reply(429, {}, {"Retry-After": when}), json_reply(200, OK))
    t = transport()
    get(t, server)
    assert len(t.sleep) == 1
    assert 27 <= t.sleep[0] <= 31


def test_retry_after_date_in_past_means_no_wait(server):
    server.add(json_reply(503, {}, {"Retry-After": "Wed, 21 Oct 2015 07:28:00 GMT"}), json_reply(200, OK))
    t = transport()
    get(t, server)
    assert t.sleep == [0.0]


@pytest.mark.parametrize("value", ["soon", "1.5", "-3", "\xb2", "Thu, 99 Foo 2020 99:99:99 GMT"])
def test_unusable_retry_after_falls_back_to_backoff(server, value):
    server.add(json_reply(503, {}, {"Retry-After": value}), json_reply(200, OK))
    t = transport(rand=lambda: 1.0, backoff_base=0.5, backoff_cap=20)
    assert get(t, server).data == OK
    assert t.sleep == [1.0]


def test_retry_after_seconds_parser():
    assert vbs_transport.retry_after_seconds(None) is None
    assert vbs_transport.retry_after_seconds("") is None
    assert vbs_transport.retry_after_seconds(" 12 ") == 12.0
    then = datetime.datetime(2015, 10, 21, 7, 28, 0, tzinfo=datetime.timezone.utc).timestamp()
    assert vbs_transport.retry_after_seconds("Wed, 21 Oct 2015 07:28:10 GMT", now=then) == 10.0
    assert vbs_transport.retry_after_seconds("Wed, 21 Oct 2015 07:28:10 GMT", now=then + 60) == 0.0
    for value in ("\xb2", "\u0663", "1e3", "later"):
        assert vbs_transport.retry_after_seconds(value) is None


def test_retry_on_dropped_connection(server):
    server.add(DROP, DROP, json_reply(200, OK))
    t = transport(rand=lambda: 0.0)
    assert get(t, server).data == OK
    assert len(server.requests) == 3
    assert t.sleep == [0.0, 0.0]


def test_retry_on_read_timeout(server):
    server.add(Stall(3), json_reply(200, OK))
    t = transport(timeout=0.3, rand=lambda: 0.0)
    started = time.monotonic()
    assert get(t, server).data == OK
    assert time.monotonic() - started < 2.5
    assert len(server.requests) == 2


def test_timeout_applies_to_every_attempt(server):
    server.add(Stall(3), Stall(3), Stall(3))
    t = transport(timeout=0.2, retries=2)
    started = time.monotonic()
    with pytest.raises(VBSError) as caught:
        get(t, server)
    assert time.monotonic() - started < 2.5
    assert len(server.requests) == 3
    assert "Could not reach VBS" in caught.value.msg
    assert "after 3 attempts" in caught.value.msg
    assert caught.value.status is None
    assert caught.value.path == "/v2/p/backuppolicy"


def test_connection_refused_gives_up_with_could_not_reach():
    with ScriptedServer() as srv:
        url = srv.url
    t = transport(retries=1)
    with pytest.raises(VBSError) as caught:
        t.request("VBS", "GET", url + "/v2/p/backuppolicy")
    assert caught.value.msg.startswith("Could not reach VBS for GET %s/v2/p/backuppolicy after 2 attempts" % url)
    assert len(t.sleep) == 1


# -- host names that do not resolve --------------------------------------------------

# The .invalid top-level domain never resolves (RFC 6761): the name does not exist, which no retry changes.
UNKNOWN_HOST = "vbs.eu-de.example.invalid"


def test_a_host_name_that_does_not_resolve_is_tried_once_and_named():
    t = transport(retries=4, url_options={"https://%s" % UNKNOWN_HOST: "endpoint"})
    with pytest.raises(VBSError) as caught:
        t.request("VBS", "GET", "https://%s/v2/p/backuppolicy" % UNKNOWN_HOST)
    assert t.attempts_made == 1 and t.sleep == []
    message = caught.value.msg
    assert "host name %s of endpoint does not resolve" % UNKNOWN_HOST in message, message
    assert message.count("(") == message.count(")"), message
    assert caught.value.unanswered is False  # nothing was sent


def test_an_unresolvable_proxy_is_named_as_the_proxy(monkeypatch):
    monkeypatch.setenv("HTTPS_PROXY", "http://proxy.example.invalid:3128")
    monkeypatch.setenv("https_proxy", "http://proxy.example.invalid:3128")
    t = transport(retries=2, url_options={"https://vbs.example.com": "endpoint"})
    with pytest.raises(VBSError) as caught:
        t.request("VBS", "GET", "https://vbs.example.com/v2/p/backuppolicy")
    assert t.attempts_made == 1
    assert "host name proxy.example.invalid of the proxy" in caught.value.msg, caught.value.msg


@pytest.mark.parametrize("code, permanent", [
    (socket.EAI_NONAME, True), (socket.EAI_AGAIN, False), (getattr(socket, "EAI_FAIL", socket.EAI_NONAME), True)])
def test_only_a_name_that_does_not_exist_counts_as_permanent(code, permanent):
    """A DNS server that did not answer in time (EAI_AGAIN) is a transient fault, retried like a timeout."""
    cause = socket.gaierror(code, "resolver says %d" % code)
    resolution = urllib3.exceptions.NameResolutionError(UNKNOWN_HOST, None, cause)
    resolution.__cause__ = cause  # urllib3 raises it "from" the gaierror
    wrapped = requests.exceptions.ConnectionError(urllib3.exceptions.MaxRetryError(None, "/", resolution))
    assert (vbs_transport.unresolvable_name(wrapped) is cause) is permanent


def test_a_reason_cut_from_a_nested_exception_has_balanced_parentheses():
    text = ("HTTPSConnectionPool(host='h.invalid', port=443): Max retries exceeded with url: /v2/x (Caused by "
            "NameResolutionError(\"HTTPSConnection(host='h.invalid', port=443): Failed to resolve 'h.invalid' "
            "([Errno -2] Name or service not known)\"))")
    reason = vbs_transport._short_reason(text)
    assert reason == "Name or service not known", reason


def test_gives_up_after_retries_keeping_the_facts(server):
    for _attempt in range(3):
        server.add(json_reply(503, {"error": {"code": "AutoBackup.0009", "message": "busy"}},
                              {"X-Request-Id": "req-42"}))
    server.add(json_reply(200, OK))
    t = transport(retries=2)
    with pytest.raises(VBSError) as caught:
        get(t, server)
    error = caught.value
    assert len(server.requests) == 3
    assert "Gave up after 2 retries" in error.msg
    assert "503" in error.msg and "AutoBackup.0009" in error.msg and "busy" in error.msg and "req-42" in error.msg
    assert (error.status, error.code, error.error_message, error.request_id) == (503, "AutoBackup.0009", "busy", "req-42")
    assert error.method == "GET" and error.path == "/v2/p/backuppolicy" and error.service == "VBS"
    assert server.remaining == 1


def test_retries_zero_means_one_attempt(server):
    server.add(json_reply(502, {}), json_reply(200, OK))
    t = transport(retries=0)
    with pytest.raises(VBSError) as caught:
        get(t, server)
    assert caught.value.status == 502
    assert len(server.requests) == 1
    assert t.sleep == []


# -- backoff -----------------------------------------------------------------------

def test_backoff_full_jitter_bounds_grow_exponentially(server):
    for _attempt in range(6):
        server.add(json_reply(500, {}))
    server.add(json_reply(200, OK))
    t = transport(retries=6, rand=lambda: 1.0, backoff_base=0.5, backoff_cap=20.0)
    get(t, server)
    # with rand() at its top the delay is the bound itself: base * 2 ** attempt, capped
    assert t.sleep == [1.0, 2.0, 4.0, 8.0, 16.0, 20.0]


def test_backoff_uses_the_random_source():
    draws = iter([0.0, 0.25, 0.5, 0.999])
    t = transport(rand=lambda: next(draws), backoff_base=1.0, backoff_cap=100.0)
    assert [t.backoff(attempt) for attempt in (1, 2, 3, 4)] == [0.0, 1.0, 4.0, 0.999 * 16]


def test_backoff_with_real_random_stays_within_bounds():
    t = transport()
    for attempt in range(1, 12):
        bound = min(t.backoff_cap, t.backoff_base * 2 ** attempt)
        delays = [t.backoff(attempt) for _draw in range(200)]
        assert all(0 <= delay <= bound for delay in delays)
        assert len(set(delays)) > 100  # jittered, not a constant
    assert t.backoff(3, retry_after=2.5) == 2.5


# -- answers that are not what they should be --------------------------------------

@pytest.mark.parametrize("status,body,content_type,quoted", [
    (200, b"this is not json", "text/plain", "this is not json"),
    (200, b'{"backup_policies": [', "application/json", '{"backup_policies": ['),
    # A control character in a quoted body is shown escaped, never raw.
    (200, b"\xff\xfe\x00garbage", "application/json", "\ufffd\ufffd\\x00garbage"),
    (201, b"<html><body>Welcome</body></html>", "text/html", "<html><body>Welcome"),
])
def test_success_with_non_json_body(server, status, body, content_type, quoted):
    server.add(Reply(status, {"Content-Type": content_type, "X-Request-Id": "rid"}, body))
    with pytest.raises(VBSError) as caught:
        get(transport(), server)
    error = caught.value
    assert error.status == status
    assert error.request_id == "rid"
    assert "not JSON" in error.msg and str(status) in error.msg
    assert quoted in error.msg


def test_empty_success_body_is_no_data(server):
    server.add(Reply(200, {}, b""), Reply(204, {}, b""), Reply(200, {}, b" \r\n "))
    t = transport()
    assert [get(t, server).data for _call in range(3)] == [None, None, None]


def test_html_error_page(server):
    page = "<html><head><title>502 Bad Gateway</title></head><body>" + "x" * 500 + "</body></html>"
    server.add(Reply(502, {"Content-Type": "text/html"}, page))
    with pytest.raises(VBSError) as caught:
        get(transport(retries=0), server)
    error = caught.value
    assert error.status == 502 and error.code is None
    assert "VBS refused GET /v2/p/backuppolicy: 502 (body: <html><head><title>502 Bad Gateway" in error.msg
    assert len(error.msg) < 300


def cut_off():
    """An answer that announces more bytes than it sends, then closes the connection."""
    return Reply(200, {"Content-Type": "application/json", "Content-Length": "100"}, b'{"backup_')


def test_answer_cut_off_mid_body_is_a_vbs_error(server):
    server.add(cut_off(), cut_off())
    t = transport(retries=1)
    with pytest.raises(VBSError) as caught:
        get(t, server)
    assert caught.value.msg.startswith("Could not reach VBS for GET %s/v2/p/backuppolicy after 2 attempts" % server.url)
    assert len(server.requests) == 2


def test_answer_cut_off_mid_body_is_retried(server):
    server.add(cut_off(), json_reply(200, OK))
    t = transport(rand=lambda: 0.5)
    assert get(t, server).data == OK
    assert t.sleep == [0.5]


def test_empty_error_body(server):
    server.add(Reply(404, {}, b""))
    with pytest.raises(VBSError) as caught:
        get(transport(), server)
    assert caught.value.msg == "VBS refused GET /v2/p/backuppolicy: 404 (body: empty)"


@pytest.mark.parametrize("body,code,message", [
    ({"error": {"code": "AutoBackup.0205", "message": "The policy does not exist."}},
     "AutoBackup.0205", "The policy does not exist."),
    ({"error_code": "APIGW.0301", "error_msg": "Incorrect IAM authentication information", "request_id": "x"},
     "APIGW.0301", "Incorrect IAM authentication information"),
    ({"error": {"code": 401, "title": "Unauthorized", "message": "The request you have made requires authentication."}},
     "401", "The request you have made requires authentication."),
    ({"error": {"code": 403, "title": "Forbidden"}}, "403", "Forbidden"),
])
def test_error_body_shapes(server, body, code, message):
    server.add(json_reply(400, body, {"X-Openstack-Request-Id": "os-req"}))
    with pytest.raises(VBSError) as caught:
        get(transport(), server)
    error = caught.value
    assert (error.status, error.code, error.error_message, error.request_id) == (400, code, message, "os-req")
    assert error.msg == "VBS refused GET /v2/p/backuppolicy: 400 %s %s (request ID os-req)" % (code, message)
    fields = error.result_fields()
    assert fields["error_code"] == code and fields["status_code"] == 400


@pytest.mark.parametrize("body", [b"[1, 2]", b'"just a string"', b'{"error": "flat"}', b"null", b"{}"])
def test_error_body_without_known_shape(server, body):
    server.add(Reply(409, {"Content-Type": "application/json"}, body))
    with pytest.raises(VBSError) as caught:
        get(transport(), server)
    assert caught.value.code is None and caught.value.error_message is None
    assert caught.value.msg.startswith("VBS refused GET /v2/p/backuppolicy: 409 (body: ")


def test_error_records_server_date(server):
    server.add(Reply(401, {"Date": "Wed, 21 Oct 2015 07:28:00 GMT"}, b""))
    with pytest.raises(VBSError) as caught:
        get(transport(), server)
    assert caught.value.server_time == datetime.datetime(2015, 10, 21, 7, 28, tzinfo=datetime.timezone.utc).timestamp()


# -- TLS ---------------------------------------------------------------------------

@pytest.fixture(scope="module")
def certificates(tmp_path_factory):
    """A private CA and a server certificate for 127.0.0.1 signed by it (PEM files)."""
    x509 = pytest.importorskip("cryptography.x509")
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID
    import ipaddress

    directory = tmp_path_factory.mktemp("tls")
    now = datetime.datetime.now(datetime.timezone.utc)

    def name(text):
        return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, text)])

    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca_cert = (x509.CertificateBuilder()
               .subject_name(name("vbs test CA")).issuer_name(name("vbs test CA"))
               .public_key(ca_key.public_key()).serial_number(x509.random_serial_number())
               .not_valid_before(now - datetime.timedelta(hours=1)).not_valid_after(now + datetime.timedelta(days=1))
               .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
               .add_extension(x509.KeyUsage(digital_signature=True, key_cert_sign=True, crl_sign=True,
                                            content_commitment=False, key_encipherment=False,
                                            data_encipherment=False, key_agreement=False,
                                            encipher_only=False, decipher_only=False), critical=True)
               .add_extension(x509.SubjectKeyIdentifier.from_public_key(ca_key.public_key()), critical=False)
               .sign(ca_key, hashes.SHA256()))
    key = ec.generate_private_key(ec.SECP256R1())
    cert = (x509.CertificateBuilder()
            .subject_name(name("127.0.0.1")).issuer_name(ca_cert.subject)
            .public_key(key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(now - datetime.timedelta(hours=1)).not_valid_after(now + datetime.timedelta(days=1))
            .add_extension(x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1")),
                                                        x509.DNSName("localhost")]), critical=False)
            .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
            .add_extension(x509.ExtendedKeyUsage([x509.oid.ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
            .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()), critical=False)
            .sign(ca_key, hashes.SHA256()))
    paths = dict(ca=directory / "ca.pem", cert=directory / "server.pem", key=directory / "server.key")
    paths["ca"].write_bytes(ca_cert.public_bytes(serialization.Encoding.PEM))
    paths["cert"].write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    paths["key"].write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                               serialization.NoEncryption()))
    return dict((kind, str(path)) for kind, path in paths.items())


@pytest.fixture
def https_server(certificates):
    with ScriptedServer(ssl_context=server_ssl_context(certificates["cert"], certificates["key"])) as srv:
        yield srv


def test_tls_unknown_ca_is_refused_by_default(https_server):
    https_server.add(json_reply(200, OK))
    t = transport(retries=3)
    with pytest.raises(VBSError) as caught:
        get(t, https_server)
    assert "TLS verification failed" in caught.value.msg
    assert "ca_path" in caught.value.msg
    assert https_server.url in caught.value.msg
    assert t.sleep == []  # a certificate problem is not retried
    assert https_server.requests == []


def test_tls_accepted_with_ca_path(https_server, certificates):
    https_server.add(json_reply(200, OK))
    assert get(transport(ca_path=certificates["ca"]), https_server).data == OK
    assert len(https_server.requests) == 1


def test_tls_accepted_without_validation(https_server):
    https_server.add(json_reply(200, OK))
    assert get(transport(validate_certs=False), https_server).data == OK


def test_tls_validate_certs_false_wins_over_ca_path(https_server, tmp_path):
    https_server.add(json_reply(200, OK))
    assert get(transport(validate_certs=False, ca_path=str(tmp_path / "missing.pem")), https_server).data == OK


def test_tls_options_win_over_requests_ca_bundle_env(https_server, certificates, tmp_path, monkeypatch):
    """REQUESTS_CA_BUNDLE must not silently replace ca_path or turn validation back on."""
    other_ca = tmp_path / "other.pem"
    other_ca.write_text(open(certificates["cert"]).read())  # a certificate that is no CA of anything
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", str(other_ca))
    https_server.add(json_reply(200, OK), json_reply(200, OK))
    assert get(transport(validate_certs=False), https_server).data == OK
    assert get(transport(ca_path=certificates["ca"]), https_server).data == OK


def test_tls_requests_ca_bundle_env_applies_without_ca_path(https_server, certificates, monkeypatch):
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", certificates["ca"])
    https_server.add(json_reply(200, OK))
    assert get(transport(), https_server).data == OK


# -- proxies -----------------------------------------------------------------------

def test_requests_go_through_http_proxy_from_environment(server, monkeypatch):
    server.add(json_reply(200, OK))
    monkeypatch.setenv("HTTP_PROXY", server.url)
    monkeypatch.setenv("http_proxy", server.url)
    t = transport()
    assert t.session.trust_env is True
    answer = t.request("VBS", "GET", "http://vbs.eu-de.example.invalid/v2/p/backuppolicy?limit=1",
                       headers_for=lambda method, url, body: {"Host": "vbs.eu-de.example.invalid"})
    assert answer.data == OK
    received = server.requests[0]
    assert received.target == "http://vbs.eu-de.example.invalid/v2/p/backuppolicy?limit=1"
    assert received.header("Host") == "vbs.eu-de.example.invalid"


def test_no_proxy_bypasses_the_proxy(monkeypatch):
    with ScriptedServer([json_reply(200, {"via": "proxy"})]) as proxy, \
            ScriptedServer([json_reply(200, {"via": "direct"})]) as direct:
        monkeypatch.setenv("HTTP_PROXY", proxy.url)
        monkeypatch.setenv("http_proxy", proxy.url)
        monkeypatch.setenv("NO_PROXY", "127.0.0.1")
        monkeypatch.setenv("no_proxy", "127.0.0.1")
        assert get(transport(), direct).data == {"via": "direct"}
        assert proxy.requests == []


# -- the deadline of an attempt ------------------------------------------------------

class RawServer:
    """A TCP server on loopback whose every connection is handled by ``serve(connection)``, in a thread."""

    def __init__(self, serve, ssl_context=None):
        self.serve = serve
        self.ssl_context = ssl_context
        self.handshakes = 0
        self.stop = threading.Event()
        self.connections = 0
        self.listener = socket.socket()
        self.listener.bind(("127.0.0.1", 0))
        self.listener.listen(20)
        self.listener.settimeout(0.05)
        self.url = "http://127.0.0.1:%d" % self.listener.getsockname()[1]
        self.thread = threading.Thread(target=self._accept, daemon=True)

    def _accept(self):
        while not self.stop.is_set():
            try:
                connection, _address = self.listener.accept()
            except socket.timeout:
                continue
            self.connections += 1
            threading.Thread(target=self._handle, args=(connection,), daemon=True).start()

    def _handle(self, connection):
        try:
            if self.ssl_context is not None:
                connection = self.ssl_context.wrap_socket(connection, server_side=True)
                self.handshakes += 1
            self.serve(connection, self.stop)
        except OSError:
            pass  # the client hung up (also ssl.SSLError)
        finally:
            connection.close()

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc_info):
        self.stop.set()
        self.thread.join(5)
        self.listener.close()


def drip_headers(connection, stop):
    connection.recv(65536)
    connection.sendall(b"HTTP/1.1 200 OK\r\n")
    number = 0
    while not stop.wait(0.2):
        number += 1
        connection.sendall(b"X-Drip-%d: 1\r\n" % (number % 50))


def drip_body(connection, stop):
    connection.recv(65536)
    connection.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n")
    while not stop.wait(0.2):
        connection.sendall(b" ")


def timed(function, *args, **kwargs):
    start = time.monotonic()
    try:
        function(*args, **kwargs)
    except VBSError as error:
        return time.monotonic() - start, error
    raise AssertionError("no error")


@pytest.mark.parametrize("serve", [drip_headers, drip_body], ids=["headers", "body"])
def test_a_dripping_server_cannot_stretch_an_attempt_beyond_timeout(serve):
    with RawServer(serve) as dripping:
        elapsed, error = timed(get, transport(timeout=1, retries=1), dripping)
    assert "no complete answer within 1 s" in error.msg and "after 2 attempts" in error.msg, error.msg
    assert error.unanswered
    assert 2.0 <= elapsed < 3.5, elapsed  # two attempts of 1 s; the backoff sleep is recorded, not slept


def test_every_thread_keeps_its_own_deadline():
    with RawServer(drip_headers) as dripping:
        t = transport(timeout=1, retries=0)
        start = time.monotonic()
        with ThreadPoolExecutor(max_workers=vbs_transport.MAX_CONCURRENCY) as pool:
            outcomes = list(pool.map(lambda _n: timed(get, t, dripping), range(vbs_transport.MAX_CONCURRENCY)))
        elapsed = time.monotonic() - start
    assert all("within 1 s" in error.msg for _elapsed, error in outcomes)
    assert elapsed < 2.5, elapsed


def test_a_dripping_proxy_cannot_stretch_an_attempt(monkeypatch):
    with RawServer(drip_headers) as proxy:
        monkeypatch.setenv("HTTP_PROXY", proxy.url)
        monkeypatch.setenv("http_proxy", proxy.url)
        elapsed, error = timed(transport(timeout=1, retries=0).request, "VBS", "GET",
                               "http://vbs.eu-de.example.invalid/v2/p/backuppolicy")
    assert "within 1 s" in error.msg and elapsed < 2.5, (elapsed, error.msg)


def test_a_tls_server_that_drips_is_cut_at_the_deadline(certificates):
    context = server_ssl_context(certificates["cert"], certificates["key"])
    with RawServer(drip_headers, ssl_context=context) as dripping:
        url = dripping.url.replace("http://", "https://") + "/v2/p/backuppolicy"
        elapsed, error = timed(transport(timeout=1, retries=0, ca_path=certificates["ca"]).request, "VBS", "GET", url)
    assert dripping.handshakes == 1, "the TLS handshake did not complete: the test proves nothing"
    assert "within 1 s" in error.msg and elapsed < 2.5, (elapsed, error.msg)


def test_a_slow_but_steady_answer_within_timeout_is_read():
    def slow(connection, stop):
        connection.recv(65536)
        connection.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n{")
        stop.wait(0.5)
        connection.sendall(b"}")

    with RawServer(slow) as server:
        assert get(transport(timeout=2, retries=0), server).data == {}


def test_connections_are_kept_alive_between_requests(server):
    server.add(json_reply(200, OK), json_reply(200, OK), Reply(200, {"Content-Encoding": "gzip"}, gzip.compress(b"{}")))
    t = transport()
    assert [get(t, server).data for _n in range(3)] == [OK, OK, {}]
    pools = list(t.session.get_adapter(server.url).poolmanager.pools._container.values())
    assert [pool.num_connections for pool in pools] == [1]


# -- answers too large to hold ---------------------------------------------------------

def test_an_announced_length_above_the_limit_is_refused_unread(server):
    server.add(Reply(200, {"Content-Type": "application/json", "Content-Length": str(vbs_transport.MAX_ANSWER_BYTES + 1),
                           "Connection": "close"}, b"[]"))
    with pytest.raises(VBSError) as caught:
        get(transport(), server)
    assert caught.value.msg == ("VBS answered GET /v2/p/backuppolicy with 200 and an answer larger than %d bytes; "
                                "it was not read further" % vbs_transport.MAX_ANSWER_BYTES)
    assert caught.value.status == 200


def test_an_error_answer_above_the_limit_is_refused_too(server):
    server.add(Reply(500, {"Content-Type": "text/plain"}, b"e" * (vbs_transport.MAX_ANSWER_BYTES + 1)))
    with pytest.raises(VBSError) as caught:
        get(transport(retries=0), server)
    assert "with 500 and an answer larger than" in caught.value.msg


def test_an_answer_at_the_limit_is_read(server):
    body = b'"' + b"x" * (vbs_transport.MAX_ANSWER_BYTES - 2) + b'"'
    server.add(Reply(200, {"Content-Type": "application/json"}, body))
    assert len(get(transport(), server).data) == vbs_transport.MAX_ANSWER_BYTES - 2


def test_gzip_and_deflate_answers_are_decoded(server):
    data = {"backup_policies": [{"backup_policy_id": "p%d" % n} for n in range(100)]}
    text = json.dumps(data).encode()
    raw_deflate = zlib.compressobj(6, zlib.DEFLATED, -zlib.MAX_WBITS)
    server.add(Reply(200, {"Content-Encoding": "gzip"}, gzip.compress(text)),
               Reply(200, {"Content-Encoding": "x-gzip"}, gzip.compress(text[:100]) + gzip.compress(text[100:])),
               Reply(200, {"Content-Encoding": "deflate"}, zlib.compress(text)),
               Reply(200, {"Content-Encoding": "deflate"}, raw_deflate.compress(text) + raw_deflate.flush()),
               Reply(200, {"Content-Encoding": "identity"}, text))
    t = transport()
    assert [get(t, server).data for _n in range(5)] == [data] * 5
    assert server.requests[0].header("Accept-Encoding") == "gzip, deflate"


def test_a_gzip_bomb_is_cut_off_after_the_limit():
    bomb = gzip.compress(b"\0" * (64 << 20), compresslevel=9)  # 64 MiB of zeros, some 64 kB on the wire
    with ScriptedServer([Reply(200, {"Content-Encoding": "gzip"}, bomb)]) as server:
        with pytest.raises(VBSError) as caught:
            get(transport(), server)
    assert "an answer larger than %d bytes" % vbs_transport.MAX_ANSWER_BYTES in caught.value.msg


@pytest.mark.parametrize("encoding, body, reason", [
    ("br", b"\x0b\x02\x80{}\x03", "Content-Encoding br"),
    ("gzip, gzip", gzip.compress(gzip.compress(b"{}")), "Content-Encoding gzip, gzip"),
    ("gzip", gzip.compress(b"{}")[:-9], "compressed data ends early"),
    ("gzip", b"\x1f\x8b\x08\x00garbage-garbage", "compressed data is broken"),
])
def test_a_body_that_cannot_be_decoded_is_a_clear_error(server, encoding, body, reason):
    server.add(Reply(200, {"Content-Encoding": encoding, "Connection": "close"}, body))
    with pytest.raises(VBSError) as caught:
        get(transport(), server)
    assert "a body that cannot be read" in caught.value.msg and reason in caught.value.msg, caught.value.msg


# -- credentials the environment would add ----------------------------------------------

def test_a_netrc_file_never_adds_credentials(server, tmp_path, monkeypatch):
    netrc = tmp_path / "netrc"
    netrc.write_text("machine 127.0.0.1 login someone password netrc-password-1234\n")
    monkeypatch.setenv("NETRC", str(netrc))
    monkeypatch.setenv("HOME", str(tmp_path))
    server.add(json_reply(200, OK), json_reply(200, OK))
    t = transport()
    get(t, server)
    get(t, server, headers_for=lambda method, url, body: {"Authorization": "SDK-HMAC-SHA256 Access=AK, Signature=00"})
    assert [recorded.header("Authorization") for recorded in server.requests] == [
        None, "SDK-HMAC-SHA256 Access=AK, Signature=00"]


def test_a_proxy_login_is_masked_in_what_the_proxy_echoes(server, monkeypatch):
    def echo(recorded):
        return json_reply(407, {"error": {"code": "Proxy.407", "message": "; ".join(
            "%s=%s" % item for item in recorded.header_items)}})

    server.add(echo)
    proxy = "http://proxy-user:proxy%%2Fsecret-9917@127.0.0.1:%d" % server.port
    monkeypatch.setenv("HTTP_PROXY", proxy)
    monkeypatch.setenv("http_proxy", proxy)
    with pytest.raises(VBSError) as caught:
        transport().request("VBS", "GET", "http://vbs.eu-de.example.invalid/v2/p/backuppolicy")
    sent = server.requests[0].header("Proxy-Authorization")
    assert sent == "Basic " + base64.b64encode(b"proxy-user:proxy/secret-9917").decode()
    texts = [caught.value.msg, json.dumps(caught.value.result_fields())]
    for secret in (sent, sent.split()[1], "proxy/secret-9917", "proxy%2Fsecret-9917"):
        assert not any(secret in text for text in texts), (secret, texts)
    assert "Proxy-Authorization=********" in caught.value.msg


def test_an_exception_quoting_a_secret_is_masked_in_every_form(server):
    """requests' own InvalidHeader quotes the header value (repr-escaped): never shown."""
    secret = "a-secret-token-value-0123456789\n"
    t = transport()
    t.add_secret(secret)
    with pytest.raises(VBSError) as caught:
        get(t, server, headers_for=lambda method, url, body: {"X-Auth-Token": secret})
    assert "a-secret-token-value" not in caught.value.msg, caught.value.msg
    assert server.requests == []
