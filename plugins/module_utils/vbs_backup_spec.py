# -*- coding: utf-8 -*-
# Copyright: (c) 2026, huaweicloud.vbs contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""The rules of a new backup's name, description and tags (POST /v2/{project_id}/cloudbackups), and its body.

Checked before any request, so that a name VBS refuses (VolumeBackup.0003 to 0007, 0049, 0050)
fails the task without a call. docs/backups.md has the sources.
"""

import re

from ansible_collections.huaweicloud.vbs.plugins.module_utils.vbs_values import shown

NAME_PATTERN = re.compile(r"^[A-Za-z0-9_-]{1,64}\Z")
# Backups that policies make are named autobk_xxxx; VBS refuses any other name starting so (VolumeBackup.0005).
RESERVED_PREFIX = "auto"
MAX_DESCRIPTION = 64
MAX_TAGS = 10
MAX_TAG_KEY = 36
MAX_TAG_VALUE = 43
# Characters VBS refuses in a tag key or value besides the controls 0-31.
TAG_FORBIDDEN = set("=*<>\\,|/")


def name_problem(name):
    """Why ``name`` cannot name a new backup, or None."""
    if not isinstance(name, str) or not NAME_PATTERN.match(name):
        return "name must be 1 to 64 letters, digits, _ and -, got %s" % shown(name, quote=True)
    if name.startswith(RESERVED_PREFIX):
        return ("name must not start with 'auto', which VBS keeps for the backups of policies (autobk_...), "
                "got %s" % shown(name, quote=True))
    return None


def description_problem(description):
    if description is None:
        return None
    if len(description) > MAX_DESCRIPTION or "<" in description or ">" in description:
        return "description must be at most %d characters without < or >, got %s" % (
            MAX_DESCRIPTION, shown(description, quote=True))
    return None


def tag_text_problem(what, text, limit, allow_empty):
    if not isinstance(text, str) or len(text) > limit or (not text and not allow_empty):
        shortest = "0" if allow_empty else "1"
        return "%s must be %s to %d characters, got %s" % (what, shortest, limit, shown(text, quote=True))
    if any(ord(char) < 32 or char in TAG_FORBIDDEN for char in text):
        return "%s must not hold control characters or any of = * < > \\ , | /, got %s" % (what, shown(text, quote=True))
    return None


def tags_as_text(tags):
    """The tags option with every key and value as text (YAML may give a number); None stays None."""
    if tags is None:
        return None
    return dict((str(key), "" if value is None else str(value)) for key, value in tags.items())


def tags_problem(tags):
    if not tags:
        return None
    if len(tags) > MAX_TAGS:
        return "a backup has at most %d tags, got %d" % (MAX_TAGS, len(tags))
    for key, value in tags.items():
        problem = tag_text_problem("tag key", key, MAX_TAG_KEY, False) or \
            tag_text_problem("the value of tag %s" % shown(key), value, MAX_TAG_VALUE, True)
        if problem:
            return problem
    return None


def creation_problem(params):
    """Why the options cannot make a new backup, or None."""
    return (name_problem(params["name"]) or description_problem(params.get("description"))
            or tags_problem(params.get("tags")))


def create_body(params):
    """The body of POST /cloudbackups for the module's options."""
    backup = {"volume_id": params["volume_id"].lower(), "name": params["name"]}
    if params.get("description"):
        backup["description"] = params["description"]
    if params.get("snapshot_id"):
        backup["snapshot_id"] = params["snapshot_id"].lower()
    if params.get("tags"):
        backup["tags"] = [{"key": key, "value": value} for key, value in sorted(params["tags"].items())]
    if params.get("full"):
        backup["extend_param"] = {"FullBackup": "true"}
    return {"backup": backup}
