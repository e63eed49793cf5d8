# -*- coding: utf-8 -*-
# Copyright: (c) 2026, huaweicloud.vbs contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""ECS v1 server reads: the servers with a given name. The collection never writes ECS.

ECS's ``name`` filter of ``GET /v1/{project_id}/cloudservers/detail`` is fuzzy:
a part of the name matches, and ``.`` matches any character. Its ``offset`` is
a page number starting at 1, not an item offset. So every page of the fuzzy
matches is read and only the servers whose name is exactly the one asked for
are kept.
"""

from ansible_collections.huaweicloud.vbs.plugins.module_utils.vbs_api import ServiceClient
from ansible_collections.huaweicloud.vbs.plugins.module_utils.vbs_errors import VBSError
from ansible_collections.huaweicloud.vbs.plugins.module_utils.vbs_values import is_uuid, safe_field, shown

ECS = "ECS"
LIST_PATH = "/cloudservers/detail"
PAGE_LIMIT = 1000  # the most servers ECS answers in one page
MAX_PAGES = 100  # 100,000 fuzzy matches of one name
LIST_PERMISSION = "ecs:cloudServers:list"


class ECSClient(ServiceClient):
    """ECS v1 reads for one project."""

    service = ECS
    api_version = "v1"

    def servers_named(self, name):
        """[{id, name, status}] of the servers whose name is exactly ``name``, from every page of the fuzzy matches.

        A VBSError when ECS's pages do not add up to its own count: a name resolved from part of the
        matches could miss a server of that name.
        """
        servers, seen_ids = [], set()
        count = 0
        for page_number in range(1, MAX_PAGES + 1):
            url = self.url(LIST_PATH, [("name", name), ("limit", PAGE_LIMIT), ("offset", page_number)])
            page, count, received = self._page(url)
            new = [server for server in page if server["id"] not in seen_ids]
            seen_ids.update(server["id"] for server in new)
            servers.extend(new)
            if len(seen_ids) >= count:
                return [server for server in servers if server["name"] == name]
            if not new:
                raise VBSError("ECS listed %d of the %d servers whose name matches %s (GET %s): its pages repeat or "
                               "end early, so the servers of that name are not known"
                               % (len(seen_ids), count, shown(name), received.path),
                               method="GET", path=received.path, service=ECS)
        raise VBSError("ECS kept paging GET %s beyond %d pages for the name %s"
                       % (self.base_path + LIST_PATH, MAX_PAGES, shown(name)),
                       method="GET", path=self.base_path + LIST_PATH, service=ECS)

    def _page(self, url):
        """(servers, count, received) of one page, checked."""
        items, count, _data, received = self.counted_page(url, "servers")
        return [server_facts(received, item) for item in items], count, received


def server_facts(received, item):
    """The ID (a UUID, in lower case), the exact name and the status of a listed server; nothing else."""
    if not isinstance(item, dict) or not is_uuid(item.get("id")) or not isinstance(item.get("name"), str):
        raise received.unexpected("a server without a server ID or a name", item)
    # The name stays as ECS sent it, for the exact comparison; it is made safe when it is shown.
    return dict(id=item["id"].lower(), name=item["name"], status=safe_field(item.get("status")))
