# -*- coding: utf-8 -*-
# Copyright: (c) 2026, huaweicloud.vbs contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""Measured figures that tests report: printed at the end of the session, never asserted as timings.

A tier's conftest.py imports the hooks below; with pytest-xdist, each worker
hands its figures to the controller, which prints them all.
"""

import pytest

BLOCKS = []


def report(title, lines):
    """Keep a block of figures for the end of the session (and print it now, for ``pytest -s``)."""
    block = ["", "== %s" % title] + ["   %s" % line for line in lines]
    print("\n".join(block))
    BLOCKS.extend(block)


def pytest_sessionfinish(session):
    workeroutput = getattr(session.config, "workeroutput", None)
    if workeroutput is not None:  # a pytest-xdist worker
        workeroutput["figures"] = list(BLOCKS)


@pytest.hookimpl(optionalhook=True)
def pytest_testnodedown(node, error):
    BLOCKS.extend(getattr(node, "workeroutput", {}).get("figures", []))


def write_summary(terminalreporter, tier):
    if BLOCKS:
        terminalreporter.write_line("\n".join(["", "%s figures:" % tier] + BLOCKS))
