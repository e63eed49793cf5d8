# -*- coding: utf-8 -*-
# Copyright: (c) 2026, huaweicloud.vbs contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""Values from users and servers: text made safe to show, whole numbers, IDs that go into request paths.

Text. A server's error message or a fail item's message ends up in ``msg``, in
warnings (which Ansible prints as they are) and in result fields. Raw, an ANSI
escape sequence could repaint the terminal and a ``\\r\\n[WARNING]: ...`` could
forge an output line; unbounded, a 5 MB message would flood every log. So
control characters are escaped and the length is bounded.

Whole numbers, from options or from a server's answer, and the range check of
the options: in one place.

IDs. A project ID and a backup policy ID are put into URL paths
(``/v2/{project_id}/backuppolicy/{policy_id}/tags``). Percent-encoding keeps
``/`` out, but not dot segments: ``..`` or ``.`` collapse when the URL is
normalised and send the request to another path (``/v2/{project_id}/tags``).
So an ID from a server (a policy listing, IAM's token or project list) is held
to the same rule as the option a user gives, before it is used.
"""

import re

# -- text made safe to show ------------------------------------------------------------------------

# Server text quoted in a msg or a warning (an error message, a fail item's message).
MSG_TEXT_CHARS = 300
# Server text kept in a result field (error_message, a fail item's message, a policy name).
FIELD_TEXT_CHARS = 2000
# A whole msg or warning.
MAX_MSG_CHARS = 8000
# A name, an ID or another single value in a message (a policy ID has at most 255 characters).
MAX_SHOWN_CHARS = 256


def escaped(text):
    """``text`` with every character that is not printable (controls, line breaks, ANSI ESC) as an escape."""
    if text.isprintable():
        return text
    return "".join(char if char.isprintable() else char.encode("unicode_escape").decode("ascii") for char in text)


def clip(text, limit):
    """At most ``limit`` characters of ``text``, with "..." when it was cut."""
    return text if len(text) <= limit else text[:limit] + "..."


def safe_text(text, limit):
    """``text`` for display: escaped, at most ``limit`` characters (and "...")."""
    # Cut before escaping (a huge text is never escaped whole), and again after (escapes are longer).
    return clip(escaped(clip(text, limit)), limit)


def shown(value, limit=MAX_SHOWN_CHARS, quote=False):
    """A name, ID or other value (a user's or a server's) for a one-line message, escaped and bounded.

    Printable text is shown as it is (``quote``: always as a Python literal); anything else, such as text
    with a line break or a value that is no text, as a Python literal.
    """
    if not quote and isinstance(value, str) and value.isprintable():
        return clip(value, limit)
    return safe_text(repr(value), limit)


def safe_field(value, limit=FIELD_TEXT_CHARS):
    """A server's value for a result field: a string made safe, anything else None."""
    return safe_text(value, limit) if isinstance(value, str) else None


# -- whole numbers ---------------------------------------------------------------------------------

def is_whole_number(value):
    """Whether value is an int; a bool is not, though Python counts it as one."""
    return isinstance(value, int) and not isinstance(value, bool)


def whole_number_between(value, low, high):
    """Whether value is a whole number from low to high."""
    return is_whole_number(value) and low <= value <= high


def range_problem(name, value, low, high, unit=None):
    """Why option ``name`` is not a whole number from ``low`` to ``high`` (``unit``: "seconds" ...), or None."""
    if whole_number_between(value, low, high):
        return None
    return "%s must be between %d and %d%s, got %r" % (name, low, high, " " + unit if unit else "", value)


# -- IDs that go into request paths ----------------------------------------------------------------

PROJECT_ID_PATTERN = re.compile(r"^[A-Za-z0-9-]{1,64}\Z")
# VBS policy IDs are UUIDs; this admits any ID made of letters, digits, "-", "_", "." and ":" that starts
# with a letter or a digit (so never "." or "..").
POLICY_ID_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.:-]{0,254}\Z")
PROJECT_ID_RULE = "letters, digits and dashes (at most 64)"
POLICY_ID_RULE = "letters, digits and - _ . :, starting with a letter or a digit (at most 255)"
# EVS volume (and ECS server), snapshot and VBS backup IDs are UUIDs.
UUID_PATTERN = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}\Z")
UUID_RULE = "a UUID such as 6e7f8091-a2b3-4c4d-8e5f-60718293a4b5"
# VBS job IDs are opaque: a UUID in some published examples, 32 hex digits in another.
JOB_ID_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{0,127}\Z")
JOB_ID_RULE = "letters, digits, - and _, starting with a letter or a digit (at most 128)"


# How much of a value that is no ID a message quotes.
MAX_SHOWN_ID_CHARS = 80


def project_id_problem(value):
    """Why ``value`` cannot be a project ID, or None."""
    if isinstance(value, str) and PROJECT_ID_PATTERN.match(value):
        return None
    return "must be %s, got %s" % (PROJECT_ID_RULE, shown(value, MAX_SHOWN_ID_CHARS, quote=True))


def policy_id_problem(value):
    """Why ``value`` cannot be a backup policy ID, or None."""
    if isinstance(value, str) and POLICY_ID_PATTERN.match(value):
        return None
    return "must be %s, got %s" % (POLICY_ID_RULE, shown(value, MAX_SHOWN_ID_CHARS, quote=True))


def policy_id_option_problem(value, option="backup_policy_id"):
    """Why the value of the option ``option`` is no backup policy ID, or None (also when it is not given)."""
    problem = None if value is None else policy_id_problem(value)
    return "%s %s" % (option, problem) if problem else None


def is_uuid(value):
    """Whether ``value`` is a UUID in its usual text form (the form of EVS volume and ECS server IDs)."""
    return isinstance(value, str) and UUID_PATTERN.match(value) is not None


def unique_uuids(values, option, kind):
    """(canonical lower-case UUIDs in first-seen order without duplicates, None) from option ``option`` (IDs of
    ``kind``, such as "volume IDs"), or (None, the problem). ``values`` None (not given) gives (None, None)."""
    if values is None:
        return None, None
    bad = [value for value in values if not is_uuid(value)]
    if bad:
        named = ", ".join(shown(value, quote=True) for value in bad[:5])
        more = "" if len(bad) <= 5 else " and %d more" % (len(bad) - 5)
        return None, "%s must be %s (UUIDs such as 0f6f2b5c-3b8e-4a6e-9d3c-7f1e2a4b5c6d); not valid: %s%s" % (
            option, kind, named, more)
    return list(dict.fromkeys(value.lower() for value in values)), None


def uuid_option_problem(option, value):
    """Why the value of option ``option`` is no UUID, or None (also when it is not given)."""
    if value is None or is_uuid(value):
        return None
    return "%s must be %s, got %s" % (option, UUID_RULE, shown(value, MAX_SHOWN_ID_CHARS, quote=True))


def job_id_problem(value):
    """Why ``value`` (a job ID a server sent) cannot go into a job's path, or None."""
    if isinstance(value, str) and JOB_ID_PATTERN.match(value):
        return None
    return "must be %s, got %s" % (JOB_ID_RULE, shown(value, MAX_SHOWN_ID_CHARS, quote=True))
