# -*- coding: utf-8 -*-
# Copyright: (c) 2026, huaweicloud.vbs contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""The range check of the modules' whole-number options, in one place."""


def whole_number_between(value, low, high):
    """Whether value is an int (a bool is not) from low to high."""
    return isinstance(value, int) and not isinstance(value, bool) and low <= value <= high


def range_problem(name, value, low, high, unit=None):
    """Why option ``name`` is not a whole number from ``low`` to ``high`` (``unit``: "seconds" ...), or None."""
    if whole_number_between(value, low, high):
        return None
    return "%s must be between %d and %d%s, got %r" % (name, low, high, " " + unit if unit else "", value)
