# -*- coding: utf-8 -*-
# Copyright: (c) 2026, huaweicloud.vbs contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""The seed document: the emulator's whole starting state, checked and completed.

Every part is optional; docs/emulator.md describes the format. Keys that start
with "_" are comments and are ignored anywhere. Any other unknown key is an
error, so that a typo does not silently fall back to a default.
"""

import json
import uuid

from . import policy_schema

DEFAULT_PROJECT = {
    "id": "0a1b2c3d4e5f60718293a4b5c6d7e8f9",
    "name": "eu-de",
    "domain": "emulated-domain",
    "domain_id": "f9e8d7c6b5a40392817f6e5d4c3b2a10",
}


# When seeded backups were made (2026-02-01T00:00:00Z), one second apart, unless they say.
SEED_BACKUP_EPOCH = 1769904000.0


class SeedError(ValueError):
    pass


def _keys(where, value, allowed):
    if not isinstance(value, dict):
        raise SeedError("%s must be an object" % where)
    unknown = sorted(key for key in value if key not in allowed and not key.startswith("_"))
    if unknown:
        raise SeedError("%s has unknown key(s) %s; allowed: %s" % (where, ", ".join(unknown), ", ".join(sorted(allowed))))
    return value


def _text(where, value, allow_empty=False):
    if not isinstance(value, str) or (not value and not allow_empty):
        raise SeedError("%s must be a%s string, not %r" % (where, "" if allow_empty else " non-empty", value))
    return value


def _list(where, value):
    if not isinstance(value, list):
        raise SeedError("%s must be a list" % where)
    return value


def _limit(where, value):
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise SeedError("%s must be a whole number >= 0, not %r" % (where, value))
    return value


def _project(doc):
    project = _keys("project", doc.get("project", {}), ("id", "name", "domain", "domain_id"))
    result = dict(DEFAULT_PROJECT)
    for key in result:
        if key in project:
            result[key] = _text("project.%s" % key, project[key])
    return result


def _credentials(doc, project):
    creds = _keys("credentials", doc.get("credentials", {}), ("access_keys", "users", "tokens"))
    access_keys = {}
    for index, item in enumerate(_list("credentials.access_keys", creds.get("access_keys", []))):
        where = "credentials.access_keys[%d]" % index
        _keys(where, item, ("access_key", "secret_key", "security_token"))
        access_key = _text(where + ".access_key", item.get("access_key"))
        if access_key in access_keys:
            raise SeedError("%s: access key %s is listed twice" % (where, access_key))
        token = item.get("security_token")
        access_keys[access_key] = {
            "secret_key": _text(where + ".secret_key", item.get("secret_key")),
            "security_token": None if token is None else _text(where + ".security_token", token),
        }
    users = {}
    for index, item in enumerate(_list("credentials.users", creds.get("users", []))):
        where = "credentials.users[%d]" % index
        _keys(where, item, ("name", "password", "domain"))
        name = _text(where + ".name", item.get("name"))
        domain = _text(where + ".domain", item.get("domain", project["domain"]))
        if (domain, name) in users:
            raise SeedError("%s: user %s of domain %s is listed twice" % (where, name, domain))
        users[(domain, name)] = _text(where + ".password", item.get("password"))
    tokens = [_text("credentials.tokens[%d]" % index, token)
              for index, token in enumerate(_list("credentials.tokens", creds.get("tokens", [])))]
    return {"access_keys": access_keys, "users": users, "tokens": tokens}


def _string_map(where, value):
    """An object of string keys and string values (EVS tags and metadata)."""
    if not isinstance(value, dict):
        raise SeedError("%s must be an object" % where)
    for key, item in value.items():
        _text(where + " key", key)
        _text("%s.%s" % (where, key), item, allow_empty=True)
    return dict(value)


def _servers(doc):
    servers = []
    seen = set()
    for index, item in enumerate(_list("servers", doc.get("servers", []))):
        where = "servers[%d]" % index
        _keys(where, item, ("id", "name", "status"))
        server_id = _text(where + ".id", item.get("id"))
        if server_id in seen:
            raise SeedError("%s: server %s is listed twice" % (where, server_id))
        seen.add(server_id)
        servers.append({"id": server_id, "name": _text(where + ".name", item.get("name")),
                        "status": _text(where + ".status", item.get("status", "ACTIVE"))})
    return servers


def _volumes(doc, project, server_ids):
    volumes = []
    seen = set()
    for index, item in enumerate(_list("volumes", doc.get("volumes", []))):
        where = "volumes[%d]" % index
        _keys(where, item, ("id", "name", "status", "size", "availability_zone", "pod", "server_ids", "tags",
                            "metadata"))
        volume_id = _text(where + ".id", item.get("id"))
        if volume_id in seen:
            raise SeedError("%s: volume %s is listed twice" % (where, volume_id))
        seen.add(volume_id)
        zone = _text(where + ".availability_zone", item.get("availability_zone", project["name"] + "-01"))
        size = item.get("size", 10)
        if isinstance(size, bool) or not isinstance(size, int) or size < 1:
            raise SeedError("%s.size must be a whole number of GB >= 1, not %r" % (where, size))
        listed = _list(where + ".server_ids", item.get("server_ids", []))
        attached = [_text(where + ".server_ids[]", server) for server in listed]
        for server in attached:
            if server not in server_ids:
                raise SeedError("%s: server %s is not among the seed's servers" % (where, server))
        metadata = _string_map(where + ".metadata", item.get("metadata", {}))
        if "policy" in metadata:
            # EVS sets it for VBS (docs/emulator.md, evs_policy_metadata); a seed gives membership in "policies".
            raise SeedError("%s.metadata must not set policy: a volume's policy comes from the policies' members"
                            % where)
        volumes.append({
            "id": volume_id,
            "name": _text(where + ".name", item.get("name", ""), allow_empty=True),
            "status": _text(where + ".status", item.get("status", "available")),
            "size": size,
            "availability_zone": zone,
            "pod": _text(where + ".pod", item.get("pod", "pod01." + zone)),
            "server_ids": attached,
            "tags": _string_map(where + ".tags", item.get("tags", {})),
            "metadata": metadata,
        })
    return volumes


def _policies(doc, volume_ids):
    policies = []
    policy_ids = set()
    owner = {}  # volume id -> id of the policy that lists it
    for index, item in enumerate(_list("policies", doc.get("policies", []))):
        where = "policies[%d]" % index
        _keys(where, item, ("id", "name", "scheduled_policy", "members", "executing", "tags", "time_zone"))
        policy_id = _text(where + ".id", item.get("id", str(uuid.uuid4())))
        if policy_id in policy_ids:
            raise SeedError("%s: policy %s is listed twice" % (where, policy_id))
        policy_ids.add(policy_id)
        try:
            # A seed may name policies freely (even "default..."): it describes what exists.
            name = _text(where + ".name", item.get("name"))
            schedule = policy_schema.check_schedule(
                policy_schema.merge_schedule(policy_schema.DEFAULT_SCHEDULE, item.get("scheduled_policy", {})))
            tags = policy_schema.check_tags(item.get("tags", []))
        except policy_schema.SchemaError as error:
            raise SeedError("%s: %s" % (where, error)) from None
        members = []
        for member in _list(where + ".members", item.get("members", [])):
            _text(where + ".members[]", member)
            if member not in volume_ids:
                raise SeedError("%s: member %s is not among the seed's volumes" % (where, member))
            if member in owner and owner[member] != policy_id:
                raise SeedError("%s: volume %s is already a member of policy %s; a volume belongs to at most one policy"
                                % (where, member, owner[member]))
            owner[member] = policy_id
            members.append(member)
        executing = item.get("executing", False)
        if not isinstance(executing, bool):
            raise SeedError("%s.executing must be true or false" % where)
        time_zone = item.get("time_zone")
        policies.append({
            "id": policy_id,
            "name": name,
            "scheduled_policy": schedule,
            "members": members,
            "executing": executing,
            "tags": tags,
            "time_zone": None if time_zone is None else _text(where + ".time_zone", time_zone),
        })
    return policies


def _once(where, value, seen, what):
    """``value`` (an ID), added to ``seen``; SeedError when it is there already."""
    if value in seen:
        raise SeedError("%s: %s %s is listed twice" % (where, what, value))
    seen.add(value)
    return value


def _backups(doc):
    """Backups that exist from the start: available unless a status is given, created one second apart."""
    backups = []
    seen = set()
    for index, item in enumerate(_list("backups", doc.get("backups", []))):
        where = "backups[%d]" % index
        _keys(where, item, ("id", "name", "volume_id", "status", "size", "description", "created_at"))
        backup_id = _once(where, _text(where + ".id", item.get("id", str(uuid.uuid4()))), seen, "backup")
        size = item.get("size")
        if size is not None and (isinstance(size, bool) or not isinstance(size, int) or size < 1):
            raise SeedError("%s.size must be a whole number of GB >= 1, not %r" % (where, size))
        created = item.get("created_at", SEED_BACKUP_EPOCH + index)
        if isinstance(created, bool) or not isinstance(created, (int, float)):
            raise SeedError("%s.created_at must be epoch seconds, not %r" % (where, created))
        description = item.get("description")
        backups.append({
            "id": backup_id,
            "name": _text(where + ".name", item.get("name")),
            "volume_id": _text(where + ".volume_id", item.get("volume_id")),
            "status": _text(where + ".status", item.get("status", "available")),
            "size": size,
            "description": None if description is None else _text(where + ".description", description, True),
            "created_at": float(created),
        })
    return backups


def parse_seed(doc):
    """The checked, completed seed as plain data; SeedError says what is wrong."""
    if doc is None:
        doc = {}
    _keys("the seed document", doc, ("project", "credentials", "limits", "servers", "volumes", "policies", "backups"))
    project = _project(doc)
    limits = _keys("limits", doc.get("limits", {}), ("policy_volume_limit", "policies_per_tenant"))
    servers = _servers(doc)
    volumes = _volumes(doc, project, {server["id"] for server in servers})
    return {
        "project": project,
        "credentials": _credentials(doc, project),
        "limits": {
            "policy_volume_limit": _limit("limits.policy_volume_limit", limits.get("policy_volume_limit")),
            "policies_per_tenant": _limit("limits.policies_per_tenant", limits.get("policies_per_tenant")),
        },
        "servers": servers,
        "volumes": volumes,
        "policies": _policies(doc, {volume["id"] for volume in volumes}),
        "backups": _backups(doc),
    }


def read_json_file(path, error_class, what):
    """The JSON document in the file ``path``; ``error_class`` saying that ``what`` cannot be read otherwise."""
    try:
        with open(path, "rb") as handle:
            return json.loads(handle.read().decode("utf-8"))
    except (OSError, ValueError) as error:
        raise error_class("cannot read %s %s: %s" % (what, path, error)) from None


def load_seed_file(path):
    return parse_seed(read_json_file(path, SeedError, "seed file"))
