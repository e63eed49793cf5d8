# -*- coding: utf-8 -*-
# Copyright: (c) 2026, huaweicloud.vbs contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""JSON from a server, parsed within bounds of depth and size.

Python's json module parses recursively: a document nested 100000 levels deep
raises RecursionError, and one nested a few hundred levels deep parses but then
breaks every later step that walks it (copying the result, encoding it for
Ansible). Every VBS and IAM answer is at most five levels deep, so the shape of
the text is checked first, without recursion: string literals are taken out,
then the brackets that are left give the depth and the number of values.
"""

import json
import re
import threading
from itertools import accumulate

MAX_JSON_DEPTH = 32
# An associate answer for 500 volumes holds some 3500 values.
MAX_JSON_VALUES = 50000
# One document at a time: parsing holds the GIL anyway, and answers that arrive together then never
# hold their decoded text and parsed values in memory at the same moment.
_PARSING = threading.Lock()

# A JSON string literal (its escapes included), and everything that is neither a bracket nor a comma.
_STRING = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"', re.DOTALL)
_NOT_STRUCTURE = re.compile(r"[^\[\]{},]+")
_STEP = {"[": 1, "{": 1, "]": -1, "}": -1, ",": 0}


class JSONTooComplex(ValueError):
    """A JSON text nested too deep or holding too many values to parse safely."""


def shape_problem(text):
    """Why ``text`` is too deep or too large a JSON document to parse, or None."""
    skeleton = _NOT_STRUCTURE.sub("", _STRING.sub("", text))
    depth = max(accumulate(_STEP[char] for char in skeleton), default=0)
    if depth > MAX_JSON_DEPTH:
        return "nested deeper than %d levels" % MAX_JSON_DEPTH
    # Every value but the first of a container follows a comma; every container is a value.
    values = skeleton.count(",") + skeleton.count("[") + skeleton.count("{")
    if values > MAX_JSON_VALUES:
        return "holds more than %d values" % MAX_JSON_VALUES
    return None


def loads(text):
    """``json.loads(text)`` for a str or UTF-8 bytes; JSONTooComplex (a ValueError) for what it refuses."""
    with _PARSING:
        if isinstance(text, bytes):
            text = text.decode("utf-8")
        problem = shape_problem(text)
        if problem:
            raise JSONTooComplex(problem)
        return json.loads(text)
