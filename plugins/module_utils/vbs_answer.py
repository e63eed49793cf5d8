# -*- coding: utf-8 -*-
# Copyright: (c) 2026, huaweicloud.vbs contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""An answer from a server, read within bounds: its body (size, decoding), then its JSON (depth, values).

The body. A server may announce or send any amount: a 2 GB body, an endless
chunked one, or a few MB of gzip that decode to gigabytes. The body is read in
chunks and decoded here (gzip and deflate, with zlib's ``max_length``), so at
no moment is more than MAX_ANSWER_BYTES (plus one chunk) held, on the wire or
decoded.

The JSON. Python's json module parses recursively: a document nested 100000
levels deep raises RecursionError, and one nested a few hundred levels deep
parses but then breaks every later step that walks it (copying the result,
encoding it for Ansible). Every VBS and IAM answer is at most five levels
deep, so the shape of the text is checked first, without recursion: string
literals are taken out, then the brackets that are left give the depth and
the number of values.
"""

import json
import re
import threading
import zlib
from itertools import accumulate

# -- the body --------------------------------------------------------------------------------------

# The largest answer the collection reads: 1 MiB, five times the largest real answer (an associate
# answer for 500 volumes, each with a fail message, is some 200 kB). With 10 batches in flight, ten
# answers of this size fit in the memory budget of a module run (docs/reliability.md has the figures).
MAX_ANSWER_BYTES = 1024 * 1024
READ_CHUNK_BYTES = 64 * 1024


class AnswerTooLarge(Exception):
    pass


class UnreadableBody(Exception):
    """A body in an encoding the collection does not read, or whose compressed data is broken."""


class _Identity:
    def feed(self, data, room):
        return data

    def finish(self):
        pass


class _Zlib:
    """gzip (several members allowed) or deflate (zlib-wrapped or raw), decoded at most ``room`` bytes at a time."""

    def __init__(self, gzip):
        self._gzip = gzip
        self._decoder = self._new()
        self._fed = False
        self._ignore_rest = False

    def _new(self, raw_deflate=False):
        if self._gzip:
            return zlib.decompressobj(16 + zlib.MAX_WBITS)
        return zlib.decompressobj(-zlib.MAX_WBITS if raw_deflate else zlib.MAX_WBITS)

    def feed(self, data, room):
        first, self._fed = not self._fed, True
        try:
            return self._drain(data, room)
        except zlib.error:
            if not (first and not self._gzip):
                raise
        # Deflate without the zlib wrapper, as some servers send it (urllib3 reads it too).
        self._decoder = self._new(raw_deflate=True)
        return self._drain(data, room)

    def _drain(self, data, room):
        out = []
        size = 0
        while data and size < room and not self._ignore_rest:
            if self._decoder.eof:
                if not self._gzip:
                    break  # bytes after the end of a deflate stream are ignored
                self._decoder = self._new()  # the next gzip member
                try:
                    piece = self._decoder.decompress(data, room - size)
                except zlib.error:
                    self._ignore_rest = True  # not another member: trailing bytes, ignored as urllib3 does
                    break
            else:
                piece = self._decoder.decompress(data, room - size)
            size += len(piece)
            out.append(piece)
            data = self._decoder.unconsumed_tail or self._decoder.unused_data
        return b"".join(out)

    def finish(self):
        if not (self._decoder.eof or self._ignore_rest):
            raise UnreadableBody("its compressed data ends early")


def _decoder(content_encoding):
    codings = [coding.strip() for coding in (content_encoding or "").lower().split(",")]
    codings = [coding for coding in codings if coding not in ("", "identity")]
    if not codings:
        return _Identity()
    if codings in (["gzip"], ["x-gzip"]):
        return _Zlib(gzip=True)
    if codings == ["deflate"]:
        return _Zlib(gzip=False)
    raise UnreadableBody("it is in Content-Encoding %s, which the collection does not read"
                         % ", ".join(codings)[:60])


def read_body(raw, content_encoding=None, content_length=None, limit=MAX_ANSWER_BYTES):
    """The decoded body of ``raw`` (a urllib3 response, not yet read), at most ``limit`` bytes.

    AnswerTooLarge when it is longer, on the wire or decoded; UnreadableBody when it
    cannot be decoded. The errors of the connection (reading, or a deadline
    that shut it down) pass through.
    """
    try:
        announced = int(content_length) if content_length is not None else None
    except ValueError:
        announced = None
    if announced is not None and announced > limit:
        raise AnswerTooLarge()
    decoder = _decoder(content_encoding)
    parts = []
    wire = decoded = 0
    while True:
        chunk = raw.read(READ_CHUNK_BYTES, decode_content=False)
        if not chunk:
            break
        wire += len(chunk)
        if wire > limit:
            raise AnswerTooLarge()
        try:
            piece = decoder.feed(chunk, limit - decoded + 1)
        except zlib.error:
            raise UnreadableBody("its compressed data is broken")
        decoded += len(piece)
        if decoded > limit:
            raise AnswerTooLarge()
        parts.append(piece)
    if wire:
        decoder.finish()
    return b"".join(parts)


# -- the JSON --------------------------------------------------------------------------------------

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


def parse_json(text):
    """``json.loads(text)`` for a str or UTF-8 bytes; JSONTooComplex (a ValueError) for what it refuses."""
    with _PARSING:
        if isinstance(text, bytes):
            text = text.decode("utf-8")
        problem = shape_problem(text)
        if problem:
            raise JSONTooComplex(problem)
        return json.loads(text)
