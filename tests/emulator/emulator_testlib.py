# -*- coding: utf-8 -*-
# Copyright: (c) 2026, huaweicloud.vbs contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""What the emulator's tests share: the test seed, its names, and a small client
that signs with the OFFICIAL Huawei Cloud signer (huaweicloudsdkcore), so that
the emulator is checked against the reference rather than against the
collection's own signer.
"""

import collections
import json
import urllib.error
import urllib.request
from datetime import datetime, timedelta, timezone
from urllib.parse import urlsplit

from huaweicloudsdkcore.auth.credentials import BasicCredentials
from huaweicloudsdkcore.sdk_request import SdkRequest
from huaweicloudsdkcore.signer.signer import Signer

from support import seeds

PROJECT_ID = "0a1b2c3d4e5f60718293a4b5c6d7e8f9"
PROJECT_NAME = "eu-de"
DOMAIN = "test-domain"
USER = "test-user"
PASSWORD = "test-password-fake"
AK = "TESTACCESSKEY0000001"
SK = "test-secret-key-fake-0000000000000000001"
TEMP_AK = "TESTTEMPORARYKEY0002"
TEMP_SK = "test-secret-key-fake-0000000000000000002"
SECURITY_TOKEN = "test-security-token-fake"
SEED_TOKEN = "test-preissued-token-fake"

POLICY_A = "policy-a"
POLICY_B = "policy-b"
POLICY_BUSY = "policy-busy"
FREE = ["vol-free-%d" % number for number in range(1, 7)]
IN_A = "vol-in-a"
IN_B = "vol-in-b"
ERROR_VOLUME = "vol-error"
TRANSFER_VOLUME = "vol-transfer"
UNKNOWN_VOLUME = "vol-does-not-exist"

SCHEDULE = seeds.SCHEDULE

Answer = collections.namedtuple("Answer", "status headers data raw")


def build_seed():
    """A fresh copy of the seed every emulator test starts from."""
    volumes = [{"id": volume_id, "status": "available", "availability_zone": "eu-de-01", "pod": "pod01.eu-de-01"}
               for volume_id in FREE]
    volumes += [
        {"id": IN_A, "status": "in-use", "availability_zone": "eu-de-02", "pod": "pod02.eu-de-02"},
        {"id": IN_B, "status": "in-use", "availability_zone": "eu-de-02", "pod": "pod02.eu-de-02"},
        {"id": ERROR_VOLUME, "status": "error", "availability_zone": "eu-de-01", "pod": "pod01.eu-de-01"},
        {"id": TRANSFER_VOLUME, "status": "awaiting-transfer", "availability_zone": "eu-de-03", "pod": "pod03.eu-de-03"},
    ]
    return seeds.document(
        project={"id": PROJECT_ID, "name": PROJECT_NAME, "domain": DOMAIN},
        access_keys=[{"access_key": AK, "secret_key": SK},
                     {"access_key": TEMP_AK, "secret_key": TEMP_SK, "security_token": SECURITY_TOKEN}],
        users=[{"name": USER, "password": PASSWORD, "domain": DOMAIN}],
        tokens=[SEED_TOKEN],
        limits={"policy_volume_limit": 200, "policies_per_tenant": 10},
        volumes=volumes,
        policies=[
            {"id": POLICY_A, "name": "policy-a", "scheduled_policy": dict(SCHEDULE), "members": [IN_A]},
            {"id": POLICY_B, "name": "policy-b", "scheduled_policy": dict(SCHEDULE, status="OFF"), "members": [IN_B],
             "time_zone": "UTC+01:00"},
            {"id": POLICY_BUSY, "name": "policy-busy", "members": [], "executing": True},
        ])


class Api:
    """Calls to the emulator's IAM and VBS, with a token or signed by the official signer."""

    def __init__(self, emulator):
        self.emulator = emulator
        self.base = emulator.url
        self.host = urlsplit(emulator.url).netloc
        self._token = None

    # -- plain HTTP ------------------------------------------------------

    def send(self, method, url, headers=None, body=None, timeout=30):
        data = body if body is None or isinstance(body, bytes) else json.dumps(body).encode("utf-8")
        request = urllib.request.Request(url, data=data, method=method, headers=dict(headers or {}))
        try:
            with urllib.request.urlopen(request, timeout=timeout, context=self.emulator.ssl_context) as answer:
                status, headers, raw = answer.status, answer.headers, answer.read()
        except urllib.error.HTTPError as error:
            status, headers, raw = error.code, error.headers, error.read()
        try:
            data = json.loads(raw.decode("utf-8")) if raw else None
        except ValueError:
            data = None
        return Answer(status, headers, data, raw)

    def vbs_path(self, path):
        return "/v2/%s%s" % (PROJECT_ID, path)

    # -- IAM tokens --------------------------------------------------------

    def password_body(self, user=USER, password=PASSWORD, domain=DOMAIN, scope=None):
        return {"auth": {
            "identity": {"methods": ["password"],
                         "password": {"user": {"name": user, "password": password, "domain": {"name": domain}}}},
            "scope": {"project": scope if scope is not None else {"name": PROJECT_NAME}},
        }}

    def get_token(self, **kwargs):
        return self.send("POST", self.base + "/v3/auth/tokens", {"Content-Type": "application/json"},
                         self.password_body(**kwargs))

    def token(self):
        if self._token is None:
            answer = self.get_token()
            assert answer.status == 201, answer
            self._token = answer.headers["X-Subject-Token"]
        return self._token

    def with_token(self, method, path, body=None, token=None, headers=None):
        """A VBS call (path below /v2/{project}) with an IAM token."""
        all_headers = {"X-Auth-Token": token or self.token(), "Content-Type": "application/json"}
        all_headers.update(headers or {})
        return self.send(method, self.base + self.vbs_path(path), all_headers, body)

    # -- the association calls, with a token ---------------------------------

    def associate(self, policy_id, *volume_ids):
        return self.with_token("POST", "/backuppolicyresources",
                               {"backup_policy_id": policy_id, "resources": resources(*volume_ids)})

    def disassociate(self, policy_id, *volume_ids):
        return self.with_token("POST", "/backuppolicyresources/%s/deleted_resources" % policy_id,
                               {"resources": [{"resource_id": volume_id} for volume_id in volume_ids]})

    def count(self, policy_id):
        """The policy's policy_resource_count, as the listing shows it."""
        for item in self.with_token("GET", "/backuppolicy").data["backup_policies"]:
            if item["backup_policy_id"] == policy_id:
                return item["policy_resource_count"]
        raise AssertionError("no policy %s" % policy_id)

    # -- AK/SK, signed by the official signer ---------------------------------

    def sign(self, method, resource_path, query=None, body=None, headers=None, ak=AK, sk=SK, sdk_date=None):
        """(url, headers, body bytes) exactly as huaweicloudsdkcore's Signer prepares them."""
        header_params = {"Content-Type": "application/json"}
        header_params.update(headers or {})
        if sdk_date is not None:
            header_params["X-Sdk-Date"] = sdk_date.strftime("%Y%m%dT%H%M%SZ")
        raw_body = body if body is None or isinstance(body, bytes) else json.dumps(body).encode("utf-8")
        request = SdkRequest(method=method, schema=urlsplit(self.base).scheme, host=self.host,
                             resource_path=resource_path, query_params=list(query or []),
                             header_params=header_params, body=raw_body or "")
        Signer(BasicCredentials(ak, sk)).sign(request)
        return self.base + request.uri, dict(request.header_params), raw_body

    def signed(self, method, resource_path, query=None, body=None, headers=None, ak=AK, sk=SK, sdk_date=None,
               tamper=None):
        """Sign, optionally tamper(url, headers, body) -> (url, headers, body), then send."""
        url, sent_headers, raw_body = self.sign(method, resource_path, query, body, headers, ak, sk, sdk_date)
        if tamper is not None:
            url, sent_headers, raw_body = tamper(url, sent_headers, raw_body)
        return self.send(method, url, sent_headers, raw_body)

    def signed_vbs(self, method, path, **kwargs):
        return self.signed(method, self.vbs_path(path), **kwargs)


def resources(*volume_ids, resource_type="volume"):
    """The ``resources`` list of an associate call."""
    return [{"resource_id": volume_id, "resource_type": resource_type} for volume_id in volume_ids]


def utc_now_plus(**delta):
    return datetime.now(timezone.utc).replace(tzinfo=None) + timedelta(**delta)
