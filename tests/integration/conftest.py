# -*- coding: utf-8 -*-
# Copyright: (c) 2026, huaweicloud.vbs contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""One emulator process for the integration tests; each test starts from its own seed.

Tests that measure something hand their figures to the ``figures`` fixture;
they are printed at the end of the session (never asserted as timings).
"""

import pytest

from support import figures as support_figures
from support import seeds
from support.figures import pytest_sessionfinish, pytest_testnodedown  # noqa: F401  # pylint: disable=unused-import
from support.emulator import EmulatorProcess


@pytest.fixture(scope="session")
def emulator_process():
    with EmulatorProcess(seed=seeds.seed()) as process:
        yield process


@pytest.fixture
def emulator(emulator_process):
    """The emulator, reset to the default seed, with its configuration back to normal."""
    emulator_process.restore_defaults()
    emulator_process.reset(seeds.seed())
    return emulator_process


@pytest.fixture
def figures():
    """report(title, lines): keep a block of measured figures for the end-of-session summary."""
    return support_figures.report


def pytest_terminal_summary(terminalreporter):
    support_figures.write_summary(terminalreporter, "integration")
