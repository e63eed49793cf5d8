# -*- coding: utf-8 -*-
# Copyright: (c) 2026, huaweicloud.vbs contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""The VBS v2 calls the modules use, with the answers checked for shape."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import copy
import threading
import time
from concurrent.futures import ThreadPoolExecutor

try:
    from urllib.parse import parse_qsl, quote, urlsplit
except ImportError:  # pragma: no cover
    from urllib import quote  # type: ignore
    from urlparse import parse_qsl, urlsplit  # type: ignore

from ansible_collections.huaweicloud.vbs.plugins.module_utils import vbs_signer
from ansible_collections.huaweicloud.vbs.plugins.module_utils.vbs_auth import TOKEN_EXPIRED_CODES, clock_hint
from ansible_collections.huaweicloud.vbs.plugins.module_utils.vbs_errors import VBSError, excerpt

VBS = "VBS"
MAX_POLICY_PAGES = 1000
MAX_POLICY_ID = 255


class VBSClient:
    """VBS v2 for one project, over one Transport and one authenticator."""

    def __init__(self, transport, auth, endpoint, project_id):
        self.transport = transport
        self.auth = auth
        self.endpoint = endpoint.rstrip("/")
        self.project_id = project_id
        self.base_path = "/v2/%s" % quote(project_id, safe="")

    # -- plumbing ---------------------------------------------------------

    def url(self, path, query=None):
        url = self.endpoint + self.base_path + path
        if query:
            url += "?" + vbs_signer.canonical_query(query)
        return url

    def call(self, method, url, body=None):
        """One VBS call; a token that expired is renewed once; a refused signature gets a clock hint."""
        token_sent = self.auth.current_token()
        try:
            return self.transport.request(VBS, method, url, body=body,
                                          headers_for=self.auth.headers_for(self.project_id))
        except VBSError as error:
            if error.status != 401:
                raise
            if error.code in TOKEN_EXPIRED_CODES and self.auth.refresh(token_sent):
                return self.transport.request(VBS, method, url, body=body,
                                              headers_for=self.auth.headers_for(self.project_id))
            if self.auth.kind == "aksk":
                hint = clock_hint(error, time.time())
                if hint:
                    error.add_hint(hint)
            raise

    def answer(self, method, url, body=None):
        """call(), wrapped for the shape checks of its answer."""
        return Answer(method, url, self.call(method, url, body), self.transport.secrets)

    # -- backup policies --------------------------------------------------

    def list_policies(self):
        """Every backup policy of the project, following backup_policies_links when VBS pages."""
        policies = []
        url = self.url("/backuppolicy")
        seen = set()
        for _page in range(MAX_POLICY_PAGES):
            seen.add(url)
            answer = self.answer("GET", url)
            data = answer.object()
            page = data.get("backup_policies")
            if not isinstance(page, list) or not all(isinstance(item, dict) for item in page):
                raise answer.unexpected("backup_policies is not a list of policies", data)
            for item in page:
                check_policy(answer, item)
            policies.extend(page)
            url = self._next_page_url(data.get("backup_policies_links"))
            if url is None or url in seen or not page:
                return policies
        raise VBSError("VBS kept paging GET %s beyond %d pages" % (self.base_path + "/backuppolicy", MAX_POLICY_PAGES),
                       method="GET", path=self.base_path + "/backuppolicy", service=VBS)

    def _next_page_url(self, links):
        """The next page's URL on our own endpoint (a link never takes credentials to another host)."""
        if not isinstance(links, list):
            return None
        for link in links:
            if isinstance(link, dict) and link.get("rel") == "next" and isinstance(link.get("href"), str):
                parts = urlsplit(link["href"])
                query = parse_qsl(parts.query, keep_blank_values=True)
                return self.url("/backuppolicy", query)
        return None

    def list_tags(self, policy_id):
        url = self.url("/backuppolicy/%s/tags" % quote(policy_id, safe=""))
        answer = self.answer("GET", url)
        data = answer.object()
        tags = data.get("tags", [])
        if not isinstance(tags, list):
            raise answer.unexpected("tags is not a list", data)
        return tags

    # -- backup policy writes (vbs_backup_policy) ---------------------------

    def create_policy(self, body):
        """POST /backuppolicy, sent exactly once: a repeated create could make a second policy.

        Returns the new policy's ID. The caller decides whether a failed
        create is worth another one (see vbs_backup_policy).
        """
        url = self.url("/backuppolicy")
        once = copy.copy(self.transport)
        once.retries = 0
        response = VBSClient(once, self.auth, self.endpoint, self.project_id).call("POST", url, body)
        answer = Answer("POST", url, response, self.transport.secrets)
        data = answer.object()
        policy_id = data.get("backup_policy_id")
        if not isinstance(policy_id, str) or not policy_id or len(policy_id) > MAX_POLICY_ID or not policy_id.isprintable():
            raise answer.unexpected("no usable backup_policy_id", data)
        return policy_id

    def modify_policy(self, policy_id, body):
        """PUT /backuppolicy/{id} with backup_policy_name and/or scheduled_policy (safe to repeat)."""
        self.call("PUT", self.url("/backuppolicy/%s" % quote(policy_id, safe="")), body)

    def delete_policy(self, policy_id):
        self.call("DELETE", self.url("/backuppolicy/%s" % quote(policy_id, safe="")))

    def tag_action(self, policy_id, action, tags):
        """POST /backuppolicy/{id}/tags/action: ``action`` (create or delete) for ``tags``, a dict."""
        body = {"action": action, "tags": [{"key": key, "value": value} for key, value in tags.items()]}
        self.call("POST", self.url("/backuppolicy/%s/tags/action" % quote(policy_id, safe="")), body)

    # -- membership -------------------------------------------------------

    def associate(self, policy_id, volume_ids):
        url = self.url("/backuppolicyresources")
        body = {"backup_policy_id": policy_id,
                "resources": [{"resource_id": volume_id, "resource_type": "volume"} for volume_id in volume_ids]}
        return resource_results(self.answer("POST", url, body))

    def disassociate(self, policy_id, volume_ids):
        url = self.url("/backuppolicyresources/%s/deleted_resources" % quote(policy_id, safe=""))
        body = {"resources": [{"resource_id": volume_id} for volume_id in volume_ids]}
        return resource_results(self.answer("POST", url, body))


# -- batches ----------------------------------------------------------------

def send_in_batches(action, policy_id, batches, concurrency):
    """Call ``action(policy_id, batch)`` for every batch, at most ``concurrency`` at a time.

    Returns (answered, errors): (batch, success_items, fail_items) for every
    batch that was answered, and the VBSErrors of the others, both in batch
    order. After the first error no further batch is started; those already
    in flight finish, so their outcome is known and reported.
    """
    stop = threading.Event()

    def send(batch):
        if stop.is_set():
            return None
        try:
            return action(policy_id, batch)
        except VBSError:
            stop.set()
            raise

    with ThreadPoolExecutor(max_workers=max(1, min(concurrency, len(batches)))) as pool:
        futures = [pool.submit(send, batch) for batch in batches]
    answered, errors = [], []
    for batch, future in zip(batches, futures):
        try:
            result = future.result()
        except VBSError as error:
            errors.append(error)
            continue
        if result is not None:
            answered.append((batch, result[0], result[1]))
    return answered, errors


# -- answer checks ----------------------------------------------------------

class Answer:
    """A successful answer of VBS, for checking its shape.

    A wrong shape becomes a VBSError that quotes the body (credentials masked)
    and the HTTP status.
    """

    def __init__(self, method, url, response, secrets=()):
        self.method = method
        self.path = urlsplit(url).path
        self.response = response
        self.secrets = secrets

    def unexpected(self, what, data):
        msg = "VBS answered %s %s with an unexpected body (%s): %s (HTTP status %s)" % (
            self.method, self.path, what, excerpt(repr(data), secrets=self.secrets), self.response.status)
        return VBSError(msg, status=self.response.status, method=self.method, path=self.path, service=VBS)

    def object(self):
        """The body, which must be a JSON object."""
        if not isinstance(self.response.data, dict):
            raise self.unexpected("not a JSON object", self.response.data)
        return self.response.data


def check_policy(answer, item):
    if not isinstance(item.get("backup_policy_id"), str) or not item.get("backup_policy_id"):
        raise answer.unexpected("a policy without backup_policy_id", item)
    count = item.get("policy_resource_count", 0)
    if isinstance(count, bool) or not isinstance(count, int) or count < 0:
        raise answer.unexpected("policy_resource_count is not a count", item)


def resource_results(answer):
    """(success_resources, fail_resources) of an associate/disassociate answer, checked."""
    data = answer.object()
    lists = []
    for key in ("success_resources", "fail_resources"):
        items = data.get(key)
        if items is None:  # VBS leaves out an empty list
            items = []
        if not isinstance(items, list):
            raise answer.unexpected("%s is not a list" % key, data)
        for item in items:
            if not isinstance(item, dict) or not isinstance(item.get("resource_id"), str):
                raise answer.unexpected("an item of %s without resource_id" % key, item)
        lists.append(items)
    return lists[0], lists[1]
