# -*- coding: utf-8 -*-
# Copyright: (c) 2026, huaweicloud.vbs contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""Finding EVS volumes by ID, name, server, tag, status and availability zone (vbs_volume_info).

Three steps, each without a request:

1. ``query_from_options``: the options checked and made canonical (a VolumeQuery), or the problem;
2. ``listing_plan``: which one EVS listing reads the candidates, with the filters EVS applies itself;
3. ``matches``: every filter applied again to each volume read, so that the result never depends on
   whether EVS applied a filter (an EVS that ignores one only costs more reading).
"""

from ansible_collections.huaweicloud.vbs.plugins.module_utils.vbs_values import shown, unique_uuids

# The limits of EVS's tag query: keys per query, values per key.
MAX_TAG_KEYS = 10
MAX_TAG_VALUES = 10
# A name, tag or value longer than this is no EVS or ECS name (they allow 64 to 255 characters).
MAX_TEXT_CHARS = 255
# Up to this many names or servers are read with EVS's own filter, one listing each; beyond it, one
# listing of every volume (1000 a page) costs fewer requests in most projects.
MAX_LISTINGS = 20
# How many bad values one message names.
MAX_NAMED = 5

PROTECTION_CHOICES = ("any", "protected", "unprotected")

# The kinds of listing_plan(), in the order they are preferred: the most selective first.
BY_IDS = "ids"
BY_SERVER = "server_id"
BY_TAGS = "tags"
BY_NAME = "name"
ALL = "all"


class VolumeQuery:
    """The filters of one search, canonical; None for a filter that was not given.

    ``volume_ids`` and ``server_ids`` are lower-case UUIDs; ``names`` and ``server_names`` lists without
    duplicates; ``tags`` a list of (key, [values]) in the order given; ``status`` and ``availability_zone``
    strings. An empty list is a filter that no volume passes (tags are never empty).
    """

    def __init__(self, volume_ids=None, names=None, server_ids=None, server_names=None, tags=None, status=None,
                 availability_zone=None):
        self.volume_ids = volume_ids
        self.names = names
        self.server_ids = server_ids
        self.server_names = server_names
        self.tags = tags
        self.status = status
        self.availability_zone = availability_zone

    def matches_nothing(self):
        """Whether a filter was given as an empty list: no volume passes it, and nothing need be read."""
        return any(values is not None and not values
                   for values in (self.volume_ids, self.names, self.server_ids, self.server_names))


class ListingPlan:
    """One way to read the candidates: ``kind``, the values read one listing each (or one ids batch, or the
    tag query), and the query pairs EVS applies on every listing (``filters``)."""

    def __init__(self, kind, values=None, filters=()):
        self.kind = kind
        self.values = values
        self.filters = list(filters)


# -- the options -------------------------------------------------------------------------

def query_from_options(params):
    """(VolumeQuery, None) from a module's options, or (None, the first problem)."""
    volume_ids, problem = unique_uuids(params.get("volume_ids"), "volume_ids", "volume IDs")
    if problem:
        return None, problem
    server_ids, problem = unique_uuids(params.get("server_ids"), "server_ids", "server IDs")
    if problem:
        return None, problem
    names, problem = _unique_texts(params.get("names"), "names")
    if problem:
        return None, problem
    server_names, problem = _unique_texts(params.get("server_names"), "server_names")
    if problem:
        return None, problem
    tags, problem = tag_filters(params.get("tags"))
    if problem:
        return None, problem
    for option in ("status", "availability_zone"):
        problem = _text_problem(params.get(option), option)
        if problem:
            return None, problem
    return VolumeQuery(volume_ids, names, server_ids, server_names, tags, params.get("status"),
                       params.get("availability_zone")), None


def _text_problem(value, option):
    if value is None:
        return None
    if not isinstance(value, str) or not value.strip() or len(value) > MAX_TEXT_CHARS or not value.isprintable():
        return "%s must be a non-empty text of at most %d printable characters, got %s" % (
            option, MAX_TEXT_CHARS, shown(value, quote=True))
    return None


def _unique_texts(values, option):
    """(the texts in first-seen order without duplicates, or None when not given; the problem or None)."""
    if values is None:
        return None, None
    bad = [value for value in values if _text_problem(value, option)]
    if bad:
        return None, "%s must be non-empty texts of at most %d printable characters; not valid: %s" % (
            option, MAX_TEXT_CHARS, ", ".join(shown(value, quote=True) for value in bad[:MAX_NAMED]))
    return list(dict.fromkeys(values)), None


def tag_filters(tags):
    """([(key, [values])] from the tags option, or None when not given; the problem or None).

    A value is a text, or a list of texts meaning any of them. ``""`` is the empty value, never "any value":
    EVS reads an empty list of values as "has the key", which nobody asked for.
    """
    if tags is None:
        return None, None
    if not isinstance(tags, dict):
        return None, "tags must be a dictionary of tag keys and values, got %s" % shown(tags, quote=True)
    if not tags:
        return None, "tags must not be empty; leave it out to find volumes whatever their tags"
    if len(tags) > MAX_TAG_KEYS:
        return None, "tags may hold at most %d keys (the most EVS's tag query takes), got %d" % (
            MAX_TAG_KEYS, len(tags))
    filters = []
    for key, value in tags.items():
        if _text_problem(key, "a tag key"):
            return None, "tags: a key must be a non-empty text of at most %d printable characters, got %s" % (
                MAX_TEXT_CHARS, shown(key, quote=True))
        values = value if isinstance(value, list) else [value]
        label = "tags.%s" % shown(key)
        if not values:
            return None, "%s is an empty list; give a value or a list of values (\"\" for the empty value)" % label
        if len(values) > MAX_TAG_VALUES:
            return None, "%s may list at most %d values (the most EVS's tag query takes), got %d" % (
                label, MAX_TAG_VALUES, len(values))
        for item in values:
            if not isinstance(item, str):
                return None, ("%s must be a text or a list of texts, got %s; quote it in YAML (yes, 1 and "
                              "true are not texts)" % (label, shown(item, quote=True)))
            if len(item) > MAX_TEXT_CHARS or not item.isprintable():
                return None, "%s: a value must be at most %d printable characters, got %s" % (
                    label, MAX_TEXT_CHARS, shown(item, quote=True))
        filters.append((key, list(dict.fromkeys(values))))
    return filters, None


# -- which filters EVS applies --------------------------------------------------------------

def listing_plan(query, server_ids=None):
    """The ListingPlan that reads every volume the query can match, with as much as EVS can filter.

    ``server_ids`` are the IDs of the servers whose volumes to read (the query's server_ids, or those that
    its server_names name), or None. The first that applies of: the volume IDs (EVS's ids filter, 60 a
    request); the servers (server_id, one listing each, up to MAX_LISTINGS); the tags (the tag query); the
    names (name, one listing each, up to MAX_LISTINGS); every volume. ``status`` and ``availability_zone``
    go with every listing (the ids filter and the tag query take no other filter), and so does the name of
    a listing per server when only one name is asked for.
    """
    if query.volume_ids is not None:
        return ListingPlan(BY_IDS, query.volume_ids)
    filters = [(key, getattr(query, key)) for key in ("status", "availability_zone")
               if getattr(query, key) is not None]
    if server_ids is not None and len(server_ids) <= MAX_LISTINGS:
        if query.names is not None and len(query.names) == 1:
            filters.append(("name", query.names[0]))
        return ListingPlan(BY_SERVER, list(server_ids), filters)
    if query.tags is not None:
        return ListingPlan(BY_TAGS, [{"key": key, "values": values} for key, values in query.tags])
    if query.names is not None and len(query.names) <= MAX_LISTINGS:
        return ListingPlan(BY_NAME, query.names, filters)
    return ListingPlan(ALL, None, filters)


# -- the match on the client ----------------------------------------------------------------

def matches(volume, query, server_sets=()):
    """Whether a volume (EVS volume facts) passes every filter of the query.

    ``server_sets`` holds one set of server IDs per server filter (server_ids, server_names resolved):
    the volume must be attached to a server of each.
    """
    if query.volume_ids is not None and volume["id"] not in query.volume_ids:
        return False
    if query.names is not None and volume["name"] not in query.names:
        return False
    if query.status is not None and volume["status"] != query.status:
        return False
    if query.availability_zone is not None and volume["availability_zone"] != query.availability_zone:
        return False
    if any(not servers.intersection(volume["server_ids"]) for servers in server_sets):
        return False
    for key, values in query.tags or ():
        if key not in volume["tags"] or volume["tags"][key] not in values:
            return False
    return True


def selected(volumes, query, server_sets=()):
    """The volumes that pass the query, each once, sorted by name and ID (listings per value may overlap)."""
    unique = {}
    for volume in volumes:
        if volume["id"] not in unique and matches(volume, query, server_sets):
            unique[volume["id"]] = volume
    return sorted(unique.values(), key=lambda volume: (volume["name"] or "", volume["id"]))


# -- the servers of server_names ------------------------------------------------------------

def servers_problem(found):
    """Why ``{name: [servers with exactly that name]}`` does not name one server per name, or None.

    Every name that matches no server, and every name that matches several (with their IDs), in one message.
    """
    missing = [name for name, servers in found.items() if not servers]
    several = [(name, servers) for name, servers in found.items() if len(servers) > 1]
    if not missing and not several:
        return None
    parts = []
    if missing:
        parts.append("no server is named %s" % ", ".join(shown(name, quote=True) for name in missing))
    for name, servers in several:
        parts.append("%d servers are named %s (IDs %s)" % (
            len(servers), shown(name, quote=True), ", ".join(sorted(server["id"] for server in servers))))
    hint = "; give server_ids to choose among servers of one name" if several else ""
    return "server_names: %s%s" % ("; ".join(parts), hint)


# -- protection --------------------------------------------------------------------------

def protection_problem(protection, unknown, note):
    """Why ``protection`` (protected, unprotected) cannot be answered for these volumes, or None.

    ``unknown`` are the IDs of the volumes whose policy is not known; ``note`` says why.
    """
    if protection == "any" or not unknown:
        return None
    named = ", ".join(sorted(unknown)[:MAX_NAMED]) + (" ..." if len(unknown) > MAX_NAMED else "")
    return ("protection: %s needs the backup policy of every volume found, and it is not known for %d of them "
            "(%s): %s. Nothing is returned rather than a guess; protection: any lists the volumes with "
            "backup_policy_known false" % (protection, len(unknown), named, note))
