# -*- coding: utf-8 -*-
# Copyright: (c) 2026, huaweicloud.vbs contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""EVS v2 volume reads: the volume list with its filters and paging, the volumes with given tags, one volume.

The collection never writes EVS.

EVS keeps a volume's VBS policy in the volume's metadata (key ``policy``) on
Open Telekom Cloud; whether every cloud does is not known, which is why
vbs_evs_members uses it only when it agrees with VBS's own count. Writing a
volume's metadata can drop its association: no call here writes anything.
"""

import json

from ansible_collections.huaweicloud.vbs.plugins.module_utils import vbs_batches
from ansible_collections.huaweicloud.vbs.plugins.module_utils.vbs_api import ServiceClient
from ansible_collections.huaweicloud.vbs.plugins.module_utils.vbs_errors import VBSError
from ansible_collections.huaweicloud.vbs.plugins.module_utils.vbs_values import (
    is_uuid, is_whole_number, policy_id_problem, safe_field)

EVS = "EVS"
POLICY_METADATA_KEY = "policy"
LIST_PATH = "/cloudvolumes/detail"
# Volumes per page. EVS answers up to 1000, but a volume takes 1 to 4 KB of JSON (more with image metadata):
# 200 keep every page well under the transport's 1 MiB bound on an answer (vbs_answer).
PAGE_LIMIT = 200
IDS_PER_REQUEST = 60  # the most IDs the ids filter takes
MAX_PAGES = 1000  # a million volumes
# The query of volumes by tag: its path differs between Huawei Cloud and Open Telekom Cloud (tag_query_path).
HUAWEI_TAG_QUERY_PATH = "/cloudvolumes/resource_instances/action"
OTC_TAG_QUERY_PATH = "/os-vendor-volumes/resource_instances/action"
OTC_CLOUD = "otc.t-systems.com"
# What a volume's metadata and tags may hold before the rest is left out (EVS allows far fewer).
MAX_MAP_ENTRIES = 100
MAX_KEY_CHARS = 255


class FilterIgnored(VBSError):
    """EVS answered a filtered listing with volumes the filter excludes: it does not apply that filter."""


def policy_filter(policy_id):
    """The metadata filter of the members of one policy."""
    return ("metadata", json.dumps({POLICY_METADATA_KEY: policy_id}, separators=(",", ":"), sort_keys=True))


def tag_query_path(cloud):
    """The path of the tag query on ``cloud`` (the cloud option): Open Telekom Cloud's own, else Huawei Cloud's."""
    if cloud == OTC_CLOUD or cloud.endswith("." + OTC_CLOUD):
        return OTC_TAG_QUERY_PATH
    return HUAWEI_TAG_QUERY_PATH


def ids_filter(volume_ids):
    """The ids filter as EVS documents it: ['id1','id2']."""
    return ("ids", "[%s]" % ",".join("'%s'" % volume_id for volume_id in volume_ids))


class EVSClient(ServiceClient):
    """EVS v2 reads for one project."""

    service = EVS

    def list_volumes(self, filters=(), limit=PAGE_LIMIT):
        """(volumes, count): every volume that the ``filters`` (query pairs) match, following the pages.

        ``count`` is EVS's own number of matches (first page). A page link leads to the next page; without
        one, the listing goes on after the last volume (``marker``) while fewer than ``count`` were seen.
        """
        volumes, seen_ids = [], set()
        query = list(filters) + [("limit", limit)]
        url = self.url(LIST_PATH, query)
        count = None
        for _page in range(MAX_PAGES):
            page, page_count, links, received = self._page(url)
            if count is None:
                count = page_count
            for volume in page:
                if volume["id"] in seen_ids:
                    raise received.unexpected("volume %s listed twice" % volume["id"], {"volumes": "..."})
                seen_ids.add(volume["id"])
            volumes.extend(page)
            next_url = self.next_page_url(links, LIST_PATH)
            if next_url is None and page and len(volumes) < count:
                next_url = self.url(LIST_PATH, query + [("marker", page[-1]["id"])])
            if next_url is None or not page:
                return volumes, count
            url = next_url
        raise VBSError("EVS kept paging GET %s beyond %d pages" % (self.base_path + LIST_PATH, MAX_PAGES),
                       method="GET", path=self.base_path + LIST_PATH, service=EVS)

    def count_volumes(self, filters):
        """(count, first volume or None): how many volumes the ``filters`` match, in one request."""
        page, count, _links, _received = self._page(self.url(LIST_PATH, list(filters) + [("limit", 1)]))
        return count, (page[0] if page else None)

    def volumes_by_ids(self, volume_ids, concurrency=1):
        """{id: volume} of the given volumes that exist, read with the ids filter, IDS_PER_REQUEST at a time.

        FilterIgnored when EVS answers with a volume that was not asked for.
        """
        def read(batch):
            query = [ids_filter(batch), ("limit", PAGE_LIMIT)]
            page, _count, _links, received = self._page(self.url(LIST_PATH, query))
            asked = set(batch)
            stray = [volume["id"] for volume in page if volume["id"] not in asked]
            if stray:
                raise FilterIgnored("EVS answered the ids filter of GET %s with volumes that were not asked for "
                                    "(%s): it does not apply that filter" % (received.path, ", ".join(stray[:3])),
                                    method="GET", path=received.path, service=EVS)
            return page
        pages = vbs_batches.read_in_batches(read, vbs_batches.batches(list(volume_ids), IDS_PER_REQUEST),
                                            concurrency)
        return dict((volume["id"], volume) for page in pages for volume in page)

    def volumes_by_tags(self, tags, path=HUAWEI_TAG_QUERY_PATH):
        """Every volume that has the ``tags`` ([{"key", "values"}]: every key, any of its values), page by page.

        ``path`` is the cloud's tag query (tag_query_path). Each page starts at the number of volumes read
        so far (``offset``), until EVS's ``total_count`` is reached or a page is empty.
        """
        volumes, seen_ids = [], set()
        url = self.url(path)
        for _page in range(MAX_PAGES):
            body = {"action": "filter", "tags": tags, "limit": PAGE_LIMIT, "offset": len(volumes)}
            received = self.checked_call("POST", url, body)
            data = received.object()
            items = data.get("resources")
            if not isinstance(items, list):
                raise received.unexpected("resources is not a list", data)
            total = data.get("total_count")
            if not is_whole_number(total) or total < len(items):
                raise received.unexpected("total_count is not the number of matches", data)
            for item in items:
                volume = tagged_volume_facts(received, item)
                if volume["id"] in seen_ids:
                    raise received.unexpected("volume %s listed twice" % volume["id"], {"resources": "..."})
                seen_ids.add(volume["id"])
                volumes.append(volume)
            if not items or len(volumes) >= total:
                return volumes
        raise VBSError("EVS kept paging POST %s beyond %d pages" % (self.base_path + path, MAX_PAGES),
                       method="POST", path=self.base_path + path, service=EVS)

    def get_volume(self, volume_id):
        """One volume, or None when EVS says there is none (404)."""
        if not is_uuid(volume_id):
            raise VBSError("The volume ID %s is no volume ID" % safe_field(repr(volume_id), 80), service=EVS)
        url = self.url("/cloudvolumes/%s" % volume_id.lower())
        try:
            received = self.checked_call("GET", url)
        except VBSError as error:
            if error.status == 404:
                return None
            raise
        data = received.object()
        return volume_facts(received, data.get("volume"))

    def _page(self, url):
        """(volumes, count, links, received) of one page of the list, checked."""
        items, count, data, received = self.counted_page(url, "volumes")
        return [volume_facts(received, item) for item in items], count, data.get("volumes_links"), received


# -- one volume as the collection keeps it ---------------------------------------------

def volume_facts(received, item):
    """The documented facts of an EVS volume, checked and made safe; nothing else of what EVS sent.

    A volume without a usable ID, or whose ``policy`` metadata is no policy ID, makes the whole
    answer unusable: its listing cannot be trusted either.
    """
    if not isinstance(item, dict) or not is_uuid(item.get("id")):
        raise received.unexpected("a volume without a volume ID", item)
    metadata = string_map(item.get("metadata"))
    policy = metadata.get(POLICY_METADATA_KEY)
    if policy is not None and policy_id_problem(policy):
        raise received.unexpected("volume %s has a policy metadata that is no policy ID" % item["id"], item)
    attachments = item.get("attachments") if isinstance(item.get("attachments"), list) else []
    server_ids = []
    for attachment in attachments:
        server_id = attachment.get("server_id") if isinstance(attachment, dict) else None
        if is_uuid(server_id) and server_id.lower() not in server_ids:
            server_ids.append(server_id.lower())
    size = item.get("size")
    return dict(
        id=item["id"].lower(),
        name=safe_field(item.get("name")),
        status=safe_field(item.get("status")),
        size=size if is_whole_number(size) and size >= 0 else None,
        availability_zone=safe_field(item.get("availability_zone")),
        server_ids=server_ids,
        metadata=metadata,
        tags=string_map(item.get("tags")),
        backup_policy_id=policy,
    )


def tagged_volume_facts(received, item):
    """volume_facts() of one resource of the tag query; its tags from the resource's tag list when the volume has none."""
    if not isinstance(item, dict):
        raise received.unexpected("a resource that is no object", item)
    volume = volume_facts(received, item.get("resource_detail"))
    if not volume["tags"] and isinstance(item.get("tags"), list):
        pairs = dict((tag.get("key"), tag.get("value")) for tag in item["tags"][:MAX_MAP_ENTRIES]
                     if isinstance(tag, dict))
        volume["tags"] = string_map(pairs)
    return volume


def string_map(value):
    """A server's map of strings (metadata, tags), bounded and made safe; anything else is left out."""
    if not isinstance(value, dict):
        return {}
    clean = {}
    for key, item in value.items():
        if len(clean) >= MAX_MAP_ENTRIES:
            break
        if isinstance(key, str) and isinstance(item, str) and len(key) <= MAX_KEY_CHARS:
            clean[safe_field(key)] = safe_field(item)
    return clean
