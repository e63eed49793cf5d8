# -*- coding: utf-8 -*-
# Copyright: (c) 2026, huaweicloud.vbs contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""vbs_signer against the official huaweicloudsdkcore Signer, byte for byte."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import hashlib
import json
from datetime import datetime, timezone

import pytest

# The reference signer is the point of this file: without it the tier fails
# (it is pinned in tests/requirements.txt), it is never skipped.
try:
    from hypothesis import given, settings, strategies as st
    from huaweicloudsdkcore.auth.credentials import BasicCredentials
    from huaweicloudsdkcore.sdk_request import SdkRequest
    from huaweicloudsdkcore.signer.signer import Signer
except ImportError as missing:
    pytest.fail("the signer is checked against the official huaweicloudsdkcore signer with hypothesis; "
                "install tests/requirements.txt (%s)" % missing, pytrace=False)

from ansible_collections.huaweicloud.vbs.plugins.module_utils import vbs_signer  # noqa: E402

AK = "HPUAL7YFNPSUKTCEQGT2"
SK = "qX5m0dQz9pYb8Vt3kR7wLc1sNf4hJu6aEg2iOy0T"
HOST = "vbs.eu-de.otc.t-systems.com"
DATE = "20260127T101112Z"
PROJECT = "0b4a7c5e9f1d4e2a8c3b6d5f7e9a1c2b"


def official(method, path, query, headers, body, host=HOST, ak=AK, sk=SK):
    """Sign with huaweicloudsdkcore; return (headers after signing, canonical query it puts in the URI)."""
    request = SdkRequest(method=method, schema="https", host=host, resource_path=path,
                         query_params=list(query), header_params=dict(headers), body=body)
    signed = Signer(BasicCredentials(ak, sk)).sign(request)
    uri = signed.uri
    # the SDK sets uri to resource_path, plus "?" and the canonical query when there is one
    assert uri.startswith(path)
    return signed.header_params, uri[len(path) + 1:]


def ours(method, path, query, headers, body, host=HOST, ak=AK, sk=SK):
    canonical = vbs_signer.canonical_query(query)
    return vbs_signer.sign(method, host, path, canonical, headers, body, ak, sk), canonical


def assert_same(method, path, query=(), headers=None, body=b""):
    headers = dict(headers or {})
    headers.setdefault("X-Sdk-Date", DATE)
    their_headers, their_query = official(method, path, query, headers, body)
    our_headers, our_query = ours(method, path, query, headers, body)
    assert our_headers["Authorization"] == their_headers["Authorization"]
    assert our_query == their_query
    return our_headers, our_query


CASES = [
    ("GET", "/v2/%s/backuppolicy" % PROJECT, [], {}, b""),
    ("GET", "/v2/%s/backuppolicy/" % PROJECT, [], {}, b""),
    ("DELETE", "/v2/%s/backuppolicy/abc" % PROJECT, [], {"X-Project-Id": PROJECT}, b""),
    ("POST", "/v2/%s/backuppolicyresources" % PROJECT, [],
     {"Content-Type": "application/json;charset=UTF-8", "X-Project-Id": PROJECT},
     json.dumps({"backup_policy_id": "p1", "resources": [{"resource_id": "v1", "resource_type": "volume"}]}).encode()),
    ("PUT", "/v2/%s/backuppolicy/p1" % PROJECT, [],
     {"Content-Type": "application/json", "X-Security-Token": "tok+en/=="},
     b'{"scheduled_policy": {"status": "OFF"}}'),
    ("POST", "/v2/%s/backuppolicy/p1/action" % PROJECT, [], {}, b"{}"),
    ("GET", "/v3/projects", [("name", "eu-de")], {}, b""),
    ("GET", "/v2/p/backuppolicy", [("marker", "b"), ("limit", "10"), ("marker", "a")], {}, b""),
    ("GET", "/v2/p/backuppolicy", [("q", "two words"), ("t", "a~b"), ("s", "x/y"), ("u", "Zürich €")], {}, b""),
    ("GET", "/v2/p/backuppolicy", [("flag", True), ("other", False)], {}, b""),
    ("GET", "/v2/p/backuppolicy", [("empty", ""), ("a+b", "c&d=e"), ("%", "%25")], {}, b""),
    ("GET", "/v2/p/backup%20policy/a%2Fb/", [], {}, b""),
    ("GET", "/v2/p/Zürich/ünïcödé", [], {}, b""),
    ("GET", "/v2/p/~tilde/(paren)/*star*/!bang'", [], {}, b""),
    ("GET", "/", [], {}, b""),
    ("POST", "/v2/p/x", [], {"X-Project-Id": PROJECT, "X-Security-Token": "s" * 300}, b"\x00\xff binary"),
    ("GET", "/v2/p/x", [], {"X_Custom_Header": "left out", "X-Other": "kept"}, b""),
    ("GET", "/v2/p/x", [], {"host": "other.example.com:8443"}, b""),
    ("GET", "/v2/p/x", [], {"x-sdk-date": "20251231T235959Z"}, b""),
]


@pytest.mark.parametrize("method,path,query,headers,body", CASES)
def test_sign_matches_official_signer(method, path, query, headers, body):
    assert_same(method, path, query, headers, body)


def test_underscore_header_is_sent_but_not_signed():
    sent, _query = assert_same("GET", "/v2/p/x", headers={"X_Custom": "v", "X-Project-Id": PROJECT})
    _ak, names, _sig = vbs_signer.parse_authorization(sent["Authorization"])
    assert names == ["host", "x-project-id", "x-sdk-date"]
    assert sent["X_Custom"] == "v"


def test_project_and_security_token_are_signed():
    sent, _query = assert_same("POST", "/v2/p/backuppolicyresources",
                               headers={"X-Project-Id": PROJECT, "X-Security-Token": "temp-token",
                                        "Content-Type": "application/json;charset=UTF-8"},
                               body=b'{"a":1}')
    _ak, names, _sig = vbs_signer.parse_authorization(sent["Authorization"])
    assert names == ["content-type", "host", "x-project-id", "x-sdk-date", "x-security-token"]


def test_given_sdk_date_is_used_and_kept():
    sent, _query = assert_same("GET", "/v2/p/x", headers={"X-Sdk-Date": "20200102T030405Z"})
    assert sent["X-Sdk-Date"] == "20200102T030405Z"
    assert "Host" in sent and sent["Host"] == HOST


def test_sdk_date_from_now_and_default_is_current_utc():
    moment = datetime(2026, 3, 4, 5, 6, 7, tzinfo=timezone.utc)
    sent = vbs_signer.sign("GET", HOST, "/x", "", {}, b"", AK, SK, now=moment)
    assert sent["X-Sdk-Date"] == "20260304T050607Z"
    before = datetime.now(timezone.utc).replace(microsecond=0)
    stamp = datetime.strptime(vbs_signer.sdk_date(), vbs_signer.DATE_FORMAT).replace(tzinfo=timezone.utc)
    after = datetime.now(timezone.utc)
    assert before <= stamp <= after


def test_sign_strips_header_values_and_sends_what_it_signed():
    headers = {"X-Project-Id": "  %s\t" % PROJECT, "X-Security-Token": "\n tok ", "X-Sdk-Date": DATE}
    sent = vbs_signer.sign("GET", HOST, "/v2/p/x", "", headers, b"", AK, SK)
    assert sent["X-Project-Id"] == PROJECT
    assert sent["X-Security-Token"] == "tok"
    # the signature is that of the stripped values, which the official signer also signs
    their_headers, _query = official("GET", "/v2/p/x", [], headers, b"")
    assert sent["Authorization"] == their_headers["Authorization"]
    assert their_headers["X-Project-Id"] == sent["X-Project-Id"]
    # and the caller's dict is not changed
    assert headers["X-Project-Id"] == "  %s\t" % PROJECT


def test_canonical_request_by_hand():
    """The documented recipe, written out once, for a request with a body."""
    body = b'{"resources":[{"resource_id":"v"}]}'
    headers = {"Host": HOST, "X-Sdk-Date": DATE, "Content-Type": "application/json"}
    text = vbs_signer.canonical_request("post", "/v2/p/backuppolicyresources/x/deleted_resources",
                                        "", headers, body)
    assert text == "\n".join([
        "POST",
        "/v2/p/backuppolicyresources/x/deleted_resources/",
        "",
        "content-type:application/json\nhost:%s\nx-sdk-date:%s\n" % (HOST, DATE),
        "content-type;host;x-sdk-date",
        hashlib.sha256(body).hexdigest(),
    ])
    empty = vbs_signer.canonical_request("GET", "/a/", "", headers, b"")
    assert empty.endswith("\n" + vbs_signer.EMPTY_BODY_SHA256)
    assert hashlib.sha256(b"").hexdigest() == vbs_signer.EMPTY_BODY_SHA256


@pytest.mark.parametrize("path,expected", [
    ("/v2/p/backuppolicy", "/v2/p/backuppolicy/"),
    ("/v2/p/backuppolicy/", "/v2/p/backuppolicy/"),
    ("/v2/p/a%2Fb", "/v2/p/a/b/"),
    ("/v2/p/a b", "/v2/p/a%20b/"),
    ("/v2/p/ä", "/v2/p/%C3%A4/"),
    ("/v2/p/~x", "/v2/p/~x/"),
])
def test_canonical_uri(path, expected):
    assert vbs_signer.canonical_uri(path) == expected


def test_canonical_query_repeated_keys_sorted_by_key_then_value():
    assert vbs_signer.canonical_query([("b", "2"), ("a", "z"), ("a", "y"), ("c", True)]) == "a=y&a=z&b=2&c=true"
    assert vbs_signer.canonical_query([("k", "a b/c~d")]) == "k=a%20b%2Fc~d"
    assert vbs_signer.canonical_query([]) == ""


def test_parse_authorization_round_trip():
    sent = vbs_signer.sign("POST", HOST, "/v2/p/x", "a=1", {"X-Project-Id": PROJECT, "X-Sdk-Date": DATE},
                           b"{}", AK, SK)
    access, names, sig = vbs_signer.parse_authorization(sent["Authorization"])
    assert access == AK
    assert names == ["host", "x-project-id", "x-sdk-date"]
    canonical = vbs_signer.canonical_request("POST", "/v2/p/x", "a=1",
                                             dict((name, sent[name]) for name in sent if name.lower() in names),
                                             b"{}")
    assert vbs_signer.signature(SK, DATE, canonical) == sig
    assert vbs_signer.authorization_value(access, dict.fromkeys(names), sig) == sent["Authorization"]


@pytest.mark.parametrize("value", [
    None, "", "Bearer abc", "SDK-HMAC-SHA256", "SDK-HMAC-SHA256 Access=a, Signature=b",
    "SDK-HMAC-SHA256 Access=a, SignedHeaders=host", "sdk-hmac-sha256 Access=a, SignedHeaders=h, Signature=s",
])
def test_parse_authorization_rejects(value):
    assert vbs_signer.parse_authorization(value) is None


def test_wrong_secret_gives_another_signature():
    sent = vbs_signer.sign("GET", HOST, "/x", "", {"X-Sdk-Date": DATE}, b"", AK, SK)
    other = vbs_signer.sign("GET", HOST, "/x", "", {"X-Sdk-Date": DATE}, b"", AK, SK + "x")
    assert sent["Authorization"] != other["Authorization"]


# -- property test ------------------------------------------------------------

SEGMENT_CHARS = st.characters(blacklist_categories=("Cs", "Cc"))
RESERVED = st.sampled_from(list(":/?#[]@!$&'()*+,;=% ~-._"))
segment = st.text(st.one_of(SEGMENT_CHARS, RESERVED), max_size=12)
paths = st.builds(
    lambda segments, trailing: "/" + "/".join(segments) + ("/" if trailing and segments else ""),
    st.lists(segment, max_size=5), st.booleans())
query_text = st.text(st.one_of(SEGMENT_CHARS, RESERVED), max_size=10)


def _one_type_per_key(pairs):
    """The official signer sorts (key, value) tuples as given: it cannot order a bool against a str."""
    kinds = {}
    for key, value in pairs:
        kinds.setdefault(key, set()).add(type(value))
    return all(len(types) == 1 for types in kinds.values())


query_pairs = st.lists(st.tuples(query_text, st.one_of(query_text, st.booleans())), max_size=6).filter(
    _one_type_per_key)
header_name = st.text(st.sampled_from(list("ABCXYZabcxyz0189-_")), min_size=1, max_size=12)
header_value = st.text(st.characters(blacklist_categories=("Cs",)), max_size=20)
FIXED_HEADERS = {"host", "x-sdk-date", "authorization", "content-type", "x-project-id", "x-security-token",
                 "x-sdk-content-sha256"}


def _distinct_free_names(headers):
    """One header per name (HTTP names are case-insensitive), none of those the test sets itself."""
    lowered = [name.lower() for name in headers]
    return len(set(lowered)) == len(lowered) and not set(lowered) & FIXED_HEADERS


extra_headers = st.dictionaries(header_name, header_value, max_size=5).filter(_distinct_free_names)
content_types = st.sampled_from([None, "application/json", "application/json;charset=UTF-8"])
bodies = st.one_of(
    st.binary(max_size=64),
    st.builds(lambda data: json.dumps(data).encode("utf-8"),
              st.dictionaries(st.text(max_size=5), st.one_of(st.integers(), st.text(max_size=5)), max_size=3)))
dates = st.datetimes(min_value=datetime(2000, 1, 1), max_value=datetime(2099, 12, 31))


@settings(max_examples=300, deadline=None)
@given(method=st.sampled_from(["GET", "POST", "PUT", "DELETE", "PATCH", "HEAD"]), path=paths,
       query=query_pairs, extra=extra_headers, content_type=content_types, body=bodies, date=dates,
       project=st.one_of(st.none(), st.just(PROJECT)), token=st.one_of(st.none(), st.text(min_size=1, max_size=30)),
       host=st.sampled_from([HOST, "127.0.0.1:8443", "iam.cn-north-4.myhuaweicloud.com"]))
def test_property_same_as_official_signer(method, path, query, extra, content_type, body, date, project, token, host):
    headers = dict(extra)
    headers["X-Sdk-Date"] = date.strftime(vbs_signer.DATE_FORMAT)
    if content_type:
        headers["Content-Type"] = content_type
    if project:
        headers["X-Project-Id"] = project
    if token:
        headers["X-Security-Token"] = token
    their_headers, their_query = official(method, path, query, headers, body, host=host)
    our_headers, our_query = ours(method, path, query, headers, body, host=host)
    assert our_headers["Authorization"] == their_headers["Authorization"]
    assert our_query == their_query
    assert set(our_headers) == set(their_headers)
    access, names, _sig = vbs_signer.parse_authorization(our_headers["Authorization"])
    assert access == AK
    assert names == sorted(name.lower() for name in our_headers if "_" not in name and name != "Authorization")
