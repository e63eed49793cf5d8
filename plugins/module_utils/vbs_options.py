# -*- coding: utf-8 -*-
# Copyright: (c) 2026, huaweicloud.vbs contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""Whole numbers, from options or from a server's answer, and the range check of the options: in one place."""


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
