# -*- coding: utf-8 -*-
# Copyright: (c) 2026, huaweicloud.vbs contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""The VBS v2 calls the modules use, with the answers checked for shape."""

import reprlib

from urllib.parse import parse_qsl, quote, urlsplit

from ansible_collections.huaweicloud.vbs.plugins.module_utils import vbs_signer
from ansible_collections.huaweicloud.vbs.plugins.module_utils.vbs_auth import send_authenticated
from ansible_collections.huaweicloud.vbs.plugins.module_utils.vbs_errors import VBSError, excerpt
from ansible_collections.huaweicloud.vbs.plugins.module_utils.vbs_values import (
    is_whole_number, policy_id_problem, project_id_problem, safe_field)

VBS = "VBS"
MAX_POLICY_PAGES = 1000
# More tags than this in one answer is no policy's tag list.
MAX_LISTED_TAGS = 1000
# The fields of a success or fail item that the modules document and return; nothing else is passed on.
RESOURCE_FIELDS = ("resource_id", "resource_type", "availability_zone", "os_vol_host_attr", "code", "message")
# Items an associate or disassociate response may hold beyond one per requested volume (unrequested ones).
MAX_EXTRA_ITEMS = 10

# The start of a body, for a message: never the repr of a whole 1 MiB body.
_QUOTE = reprlib.Repr()
_QUOTE.maxstring = _QUOTE.maxother = 400
_QUOTE.maxlist = _QUOTE.maxdict = _QUOTE.maxlevel = 12


class ServiceClient:
    """One service (VBS, EVS, ECS) of one project, over one Transport and one authenticator."""

    service = None
    # The API version in front of the project ID in every path: VBS and EVS are /v2/{project_id}, ECS /v1/.
    api_version = "v2"

    def __init__(self, transport, auth, endpoint, project_id):
        self.transport = transport
        self.auth = auth
        problem = project_id_problem(project_id)
        if problem:  # the callers check it; this keeps any other ID out of a path
            raise VBSError("The project ID %s" % problem, service=self.service)
        self.endpoint = endpoint.rstrip("/")
        self.project_id = project_id
        self.base_path = self.project_path(self.api_version)

    def project_path(self, version=None):
        """/{version}/{project_id}: the service's own api_version unless another is given (VBS serves v2, its
        jobs v1 and its native backup API v3, or v2)."""
        return "/%s/%s" % (version or self.api_version, quote(self.project_id, safe=""))

    def url(self, path, query=None, version=None):
        url = self.endpoint + self.project_path(version) + path
        if query:
            url += "?" + vbs_signer.canonical_query(query)
        return url

    def call(self, method, url, body=None, retries=None):
        """One call, authenticated (vbs_auth.send_authenticated); ``retries`` overrides the transport's."""
        return send_authenticated(self.transport, self.auth, self.service, method, url, body=body,
                                  project_id=self.project_id, retries=retries)

    def checked_call(self, method, url, body=None, retries=None):
        """call(), its response wrapped for the checks of its body's shape."""
        return ReceivedBody(method, url, self.call(method, url, body, retries), self.transport.known_secrets(),
                            self.service)

    def counted_page(self, url, key):
        """(items, count, data, received) of one page of a list: ``data[key]`` a list, ``data["count"]`` (all the
        matches; the page's own size when absent) a whole number of at least that many. Checked, else a VBSError."""
        received = self.checked_call("GET", url)
        data = received.object()
        items = data.get(key)
        if not isinstance(items, list):
            raise received.unexpected("%s is not a list" % key, data)
        count = data.get("count", len(items))
        if not is_whole_number(count) or count < len(items):
            raise received.unexpected("count is not the number of matches", data)
        return items, count, data, received

    def next_page_url(self, links, path, version=None):
        """The URL of the next page that a list of links (rel "next") names, on our own endpoint and ``path``.

        Only the link's query is taken: a link never takes credentials to another host or path.
        """
        if not isinstance(links, list):
            return None
        for link in links:
            if isinstance(link, dict) and link.get("rel") == "next" and isinstance(link.get("href"), str):
                parts = urlsplit(link["href"])
                return self.url(path, parse_qsl(parts.query, keep_blank_values=True), version)
        return None


class VBSClient(ServiceClient):
    """VBS v2 for one project."""

    service = VBS

    @staticmethod
    def path_id(policy_id):
        """``policy_id`` percent-encoded for a path, once it passes the rule of the options (never ``..``)."""
        problem = policy_id_problem(policy_id)
        if problem:
            raise VBSError("The backup policy ID %s" % problem, service=VBS)
        return quote(policy_id, safe="")

    # -- backup policies --------------------------------------------------

    def list_policies(self):
        """Every backup policy of the project, following backup_policies_links when VBS pages."""
        policies = []
        url = self.url("/backuppolicy")
        seen = set()
        policy_ids = set()
        for _page in range(MAX_POLICY_PAGES):
            seen.add(url)
            received = self.checked_call("GET", url)
            data = received.object()
            page = data.get("backup_policies")
            if not isinstance(page, list) or not all(isinstance(item, dict) for item in page):
                raise received.unexpected("backup_policies is not a list of policies", data)
            for item in page:
                check_policy(received, item)
                # Two policies with one ID make every later step ambiguous: refuse before any change.
                if item["backup_policy_id"] in policy_ids:
                    raise VBSError("VBS listed the backup policy ID %s more than once (GET %s); nothing was changed"
                                   % (item["backup_policy_id"], received.path), status=received.response.status,
                                   method="GET", path=received.path, service=VBS)
                policy_ids.add(item["backup_policy_id"])
            policies.extend(page)
            url = self.next_page_url(data.get("backup_policies_links"), "/backuppolicy")
            if url is None or url in seen or not page:
                return policies
        raise VBSError("VBS kept paging GET %s beyond %d pages" % (self.base_path + "/backuppolicy", MAX_POLICY_PAGES),
                       method="GET", path=self.base_path + "/backuppolicy", service=VBS)

    def list_tags(self, policy_id):
        """The policy's tags as {key: value}: the one place where a tag answer of VBS is read.

        A tag's value is ``value``, or ``values`` as the reference's example answer once spells it, and the
        empty value when it has neither. An item without a string key or with a value that is no string is
        no tag: it is left out. Keys and values are made safe text.
        """
        url = self.url("/backuppolicy/%s/tags" % self.path_id(policy_id))
        received = self.checked_call("GET", url)
        data = received.object()
        items = data.get("tags", [])
        if not isinstance(items, list):
            raise received.unexpected("tags is not a list", data)
        if len(items) > MAX_LISTED_TAGS:
            raise received.unexpected("%d tags for one backup policy, more than the %d this client reads (a policy "
                                      "has at most 10)" % (len(items), MAX_LISTED_TAGS), data)
        tags = {}
        for item in items:
            value = item.get("value", item.get("values")) if isinstance(item, dict) else None
            if isinstance(item, dict) and isinstance(item.get("key"), str) and isinstance(value, (str, type(None))):
                tags[safe_field(item["key"])] = safe_field(value) or ""
        return tags

    # -- backup policy writes (vbs_backup_policy) ---------------------------

    def create_policy(self, body, look_for_created, not_found_hint=None):
        """POST /backuppolicy: the new policy's ID. A create is never repeated blindly (a second one could make
        a second policy): after an attempt that may have been applied, ``look_for_created(error)`` returns the
        ID of the policy it made, or None to send the create again (Transport.send_once_or_look)."""
        url = self.url("/backuppolicy")

        def send_once():
            received = self.checked_call("POST", url, body, retries=0)
            data = received.object()
            policy_id = data.get("backup_policy_id")
            if policy_id_problem(policy_id):
                raise received.unexpected("no usable backup_policy_id", data)
            return policy_id

        return self.transport.send_once_or_look(send_once, look_for_created, not_found_hint)

    def modify_policy(self, policy_id, body):
        """PUT /backuppolicy/{id} with backup_policy_name and/or scheduled_policy (safe to repeat)."""
        self.call("PUT", self.url("/backuppolicy/%s" % self.path_id(policy_id)), body)

    def delete_policy(self, policy_id):
        self.call("DELETE", self.url("/backuppolicy/%s" % self.path_id(policy_id)))

    def tag_action(self, policy_id, action, tags):
        """POST /backuppolicy/{id}/tags/action: ``action`` (create or delete) for ``tags``, a dict."""
        body = {"action": action, "tags": [{"key": key, "value": value} for key, value in tags.items()]}
        self.call("POST", self.url("/backuppolicy/%s/tags/action" % self.path_id(policy_id)), body)

    # -- membership -------------------------------------------------------

    def associate(self, policy_id, volume_ids):
        url = self.url("/backuppolicyresources")
        body = {"backup_policy_id": policy_id,
                "resources": [{"resource_id": volume_id, "resource_type": "volume"} for volume_id in volume_ids]}
        return resource_results(self.checked_call("POST", url, body), len(volume_ids))

    def disassociate(self, policy_id, volume_ids):
        url = self.url("/backuppolicyresources/%s/deleted_resources" % self.path_id(policy_id))
        body = {"resources": [{"resource_id": volume_id} for volume_id in volume_ids]}
        return resource_results(self.checked_call("POST", url, body), len(volume_ids))


# -- shape checks of a body ----------------------------------------------------------

class ReceivedBody:
    """The body of a successful response, for checking its shape.

    A wrong shape becomes a VBSError that quotes the body (credentials masked)
    and the HTTP status.
    """

    def __init__(self, method, url, response, secrets=(), service=VBS):
        self.method = method
        self.path = urlsplit(url).path
        self.response = response
        self.secrets = secrets
        self.service = service

    def unexpected(self, what, data):
        msg = "%s answered %s %s with an unexpected body (%s): %s (HTTP status %s)" % (
            self.service, self.method, self.path, what, excerpt(_QUOTE.repr(data), secrets=self.secrets),
            self.response.status)
        return VBSError(msg, status=self.response.status, method=self.method, path=self.path, service=self.service)

    def object(self):
        """The body, which must be a JSON object."""
        if not isinstance(self.response.data, dict):
            raise self.unexpected("not a JSON object", self.response.data)
        return self.response.data


def check_policy(received, item):
    """Refuse a listed policy without a usable ID or count; a count VBS left out (it leaves out a zero) is set to 0
    here, so that every reader finds ``policy_resource_count``."""
    if not isinstance(item.get("backup_policy_id"), str) or not item.get("backup_policy_id"):
        raise received.unexpected("a policy without backup_policy_id", item)
    problem = policy_id_problem(item["backup_policy_id"])
    if problem:
        raise received.unexpected("a policy ID that is no ID: it %s" % problem, item)
    count = item.setdefault("policy_resource_count", 0)
    if not is_whole_number(count) or count < 0:
        raise received.unexpected("policy_resource_count is not a count", item)


def resource_results(received, requested):
    """(success_resources, fail_resources, maybe_applied_before) of an associate/disassociate response for
    ``requested`` volumes, checked; maybe_applied_before: an earlier attempt, whose effect is in no item, may have
    been applied (Response.maybe_applied_before).

    VBS reports each requested volume once; a response with more than
    MAX_EXTRA_ITEMS items beyond that is refused, so that the items a run keeps
    stay in proportion to its request whatever the server sends.
    """
    data = received.object()
    counted = sum(len(data[key]) for key in ("success_resources", "fail_resources") if isinstance(data.get(key), list))
    if counted > requested + MAX_EXTRA_ITEMS:
        raise received.unexpected("%d items for a request of %d volumes" % (counted, requested), data)
    lists = []
    for key in ("success_resources", "fail_resources"):
        items = data.get(key)
        if items is None:  # VBS leaves out an empty list
            items = []
        if not isinstance(items, list):
            raise received.unexpected("%s is not a list" % key, data)
        for item in items:
            if not isinstance(item, dict) or not isinstance(item.get("resource_id"), str):
                raise received.unexpected("an item of %s without resource_id" % key, item)
        lists.append([resource_item(item) for item in items])
    return lists[0], lists[1], received.response.maybe_applied_before


def resource_item(item):
    """The documented fields of a success or fail item, as safe text (escaped, bounded); nothing else."""
    clean = {}
    for key in RESOURCE_FIELDS:
        value = item.get(key)
        if key == "code" and is_whole_number(value):
            value = str(value)
        value = safe_field(value)
        if value is not None:
            clean[key] = value
    return clean
