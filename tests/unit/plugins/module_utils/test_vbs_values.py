# -*- coding: utf-8 -*-
# Copyright: (c) 2026, huaweicloud.vbs contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""Server text is shown escaped and bounded."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest

from ansible_collections.huaweicloud.vbs.plugins.module_utils import vbs_values


@pytest.mark.parametrize("raw, shown", [
    ("plain text, 中文 and é", "plain text, 中文 and é"),
    ("\x1b[31mred\x1b[0m", "\\x1b[31mred\\x1b[0m"),
    ("line\r\n[WARNING]: forged", "line\\r\\n[WARNING]: forged"),
    ("tab\there\x00\x7f\x9b", "tab\\there\\x00\\x7f\\x9b"),
    ("\u2028\u202e\u00a0", "\\u2028\\u202e\\xa0"),
])
def test_control_characters_are_escaped(raw, shown):
    assert vbs_values.escaped(raw) == shown


def test_safe_text_is_bounded_before_and_after_escaping():
    assert vbs_values.safe_text("a" * 10, 10) == "a" * 10
    assert vbs_values.safe_text("a" * 11, 10) == "a" * 10 + "..."
    assert vbs_values.safe_text("\n" * 10, 10) == "\\n" * 5 + "..."
    assert len(vbs_values.safe_text("\x1b" * 5000000, 300)) == 303


def test_safe_field_keeps_only_strings():
    assert vbs_values.safe_field("ok") == "ok"
    assert vbs_values.safe_field({"nested": ["value"]}) is None
    assert vbs_values.safe_field(12) is None
    assert len(vbs_values.safe_field("x" * 5000)) == vbs_values.FIELD_TEXT_CHARS + 3
