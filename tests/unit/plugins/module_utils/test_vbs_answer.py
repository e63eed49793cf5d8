# -*- coding: utf-8 -*-
# Copyright: (c) 2026, huaweicloud.vbs contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""JSON from a server is parsed only within bounds of depth and size, never recursing into a crash."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json

import pytest

from ansible_collections.huaweicloud.vbs.plugins.module_utils import vbs_answer


def nested(depth):
    return "[" * depth + "]" * depth


def test_the_deepest_allowed_document_parses():
    assert vbs_answer.parse_json(nested(vbs_answer.MAX_JSON_DEPTH)) == json.loads(nested(vbs_answer.MAX_JSON_DEPTH))


@pytest.mark.parametrize("depth", [33, 1000, 100000])
def test_a_deeper_document_is_refused_without_recursion(depth):
    with pytest.raises(vbs_answer.JSONTooComplex) as caught:
        vbs_answer.parse_json(nested(depth))
    assert str(caught.value) == "nested deeper than 32 levels"


def test_depth_counts_objects_and_arrays_alike():
    text = '{"a": [' * 16 + "1" + "]}" * 16  # 32 levels
    assert vbs_answer.parse_json(text) is not None
    with pytest.raises(vbs_answer.JSONTooComplex):
        vbs_answer.parse_json('{"a": [' * 16 + "{}" + "]}" * 16)


def test_brackets_inside_strings_do_not_count():
    value = {"message": "[" * 5000 + '\\"{' * 100, "code": "x]]]}}}"}
    assert vbs_answer.parse_json(json.dumps(value)) == value


def test_too_many_values_are_refused():
    limit = vbs_answer.MAX_JSON_VALUES
    assert len(vbs_answer.parse_json(json.dumps([0] * limit))) == limit
    with pytest.raises(vbs_answer.JSONTooComplex) as caught:
        vbs_answer.parse_json(json.dumps([{}] * (limit + 1)))
    assert str(caught.value) == "holds more than %d values" % limit


def test_utf8_bytes_and_invalid_json():
    assert vbs_answer.parse_json('{"name": "é"}'.encode("utf-8")) == {"name": "é"}
    with pytest.raises(ValueError):
        vbs_answer.parse_json('{"unterminated": "[[[')
    with pytest.raises(UnicodeDecodeError):
        vbs_answer.parse_json(b"\xff\xfe")
