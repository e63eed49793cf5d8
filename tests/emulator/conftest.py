# -*- coding: utf-8 -*-
# Copyright: (c) 2026, huaweicloud.vbs contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""Fixtures for the emulator's tests: one emulator process per test module, reset
to the test seed and default settings before every test.
"""

import os
import sys

import pytest

# The tests import emulator_testlib from this directory, whatever pytest's import mode.
HERE = os.path.dirname(os.path.abspath(__file__))
if HERE not in sys.path:
    sys.path.insert(0, HERE)

from emulator_testlib import Api, build_seed  # noqa: E402 - needs the path above
from support.emulator import EmulatorProcess  # noqa: E402


@pytest.fixture(scope="module")
def emulator_process():
    with EmulatorProcess(seed=build_seed()) as emulator:
        yield emulator


@pytest.fixture
def emulator(emulator_process):
    """The module's emulator with the test seed and default settings restored."""
    emulator_process.restore_defaults()
    emulator_process.reset(build_seed())
    return emulator_process


@pytest.fixture
def api(emulator):
    return Api(emulator)
