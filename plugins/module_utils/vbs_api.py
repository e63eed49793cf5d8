# -*- coding: utf-8 -*-
# Copyright: (c) 2026, huaweicloud.vbs contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""The VBS v2 calls the modules use, with the answers checked for shape."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import time

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
        try:
            return self.transport.request(VBS, method, url, body=body,
                                          headers_for=self.auth.headers_for(self.project_id))
        except VBSError as error:
            if error.status != 401:
                raise
            if error.code in TOKEN_EXPIRED_CODES and self.auth.refresh():
                return self.transport.request(VBS, method, url, body=body,
                                              headers_for=self.auth.headers_for(self.project_id))
            if self.auth.kind == "aksk":
                hint = clock_hint(error, time.time())
                if hint:
                    error.add_hint(hint)
            raise

    # -- backup policies --------------------------------------------------

    def list_policies(self):
        """Every backup policy of the project, following backup_policies_links when VBS pages."""
        policies = []
        url = self.url("/backuppolicy")
        seen = set()
        for _page in range(MAX_POLICY_PAGES):
            seen.add(url)
            response = self.call("GET", url)
            data = expect_dict(response, "GET", url, self.transport.secrets)
            page = data.get("backup_policies")
            if not isinstance(page, list) or not all(isinstance(item, dict) for item in page):
                raise unexpected("GET", url, "backup_policies is not a list of policies", data, self.transport.secrets,
                                 response.status)
            for item in page:
                check_policy(item, url, self.transport.secrets, response.status)
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
        response = self.call("GET", url)
        data = expect_dict(response, "GET", url, self.transport.secrets)
        tags = data.get("tags", [])
        if not isinstance(tags, list):
            raise unexpected("GET", url, "tags is not a list", data, self.transport.secrets, response.status)
        return tags

    # -- membership -------------------------------------------------------

    def associate(self, policy_id, volume_ids):
        url = self.url("/backuppolicyresources")
        body = {"backup_policy_id": policy_id,
                "resources": [{"resource_id": volume_id, "resource_type": "volume"} for volume_id in volume_ids]}
        return resource_results("POST", url, self.call("POST", url, body), self.transport.secrets)

    def disassociate(self, policy_id, volume_ids):
        url = self.url("/backuppolicyresources/%s/deleted_resources" % quote(policy_id, safe=""))
        body = {"resources": [{"resource_id": volume_id} for volume_id in volume_ids]}
        return resource_results("POST", url, self.call("POST", url, body), self.transport.secrets)


# -- answer checks ----------------------------------------------------------

def unexpected(method, url, what, data, secrets=(), status=None):
    """An error for an answer of the wrong shape, quoting it (``secrets`` masked) and its HTTP status."""
    path = urlsplit(url).path
    msg = "VBS answered %s %s with an unexpected body (%s): %s" % (
        method, path, what, excerpt(repr(data), secrets=secrets))
    if status is not None:
        msg += " (HTTP status %s)" % status
    return VBSError(msg, status=status, method=method, path=path, service=VBS)


def expect_dict(response, method, url, secrets=()):
    if not isinstance(response.data, dict):
        raise unexpected(method, url, "not a JSON object", response.data, secrets, response.status)
    return response.data


def check_policy(item, url, secrets=(), status=None):
    if not isinstance(item.get("backup_policy_id"), str) or not item.get("backup_policy_id"):
        raise unexpected("GET", url, "a policy without backup_policy_id", item, secrets, status)
    count = item.get("policy_resource_count", 0)
    if isinstance(count, bool) or not isinstance(count, int) or count < 0:
        raise unexpected("GET", url, "policy_resource_count is not a count", item, secrets, status)


def resource_results(method, url, response, secrets=()):
    """(success_resources, fail_resources) of an associate/disassociate answer, checked."""
    data = expect_dict(response, method, url, secrets)
    lists = []
    for key in ("success_resources", "fail_resources"):
        items = data.get(key)
        if items is None:  # VBS leaves out an empty list
            items = []
        if not isinstance(items, list):
            raise unexpected(method, url, "%s is not a list" % key, data, secrets, response.status)
        for item in items:
            if not isinstance(item, dict) or not isinstance(item.get("resource_id"), str):
                raise unexpected(method, url, "an item of %s without resource_id" % key, item, secrets, response.status)
        lists.append(items)
    return lists[0], lists[1]
