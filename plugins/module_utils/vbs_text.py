# -*- coding: utf-8 -*-
# Copyright: (c) 2026, huaweicloud.vbs contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""Text a server sent, made safe to show: control characters escaped, length bounded.

A server's error message or a fail item's message ends up in ``msg``, in
warnings (which Ansible prints as they are) and in result fields. Raw, an ANSI
escape sequence could repaint the terminal and a ``\\r\\n[WARNING]: ...`` could
forge an output line; unbounded, a 5 MB message would flood every log.
"""

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
