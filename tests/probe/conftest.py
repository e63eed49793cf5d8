# -*- coding: utf-8 -*-
# Copyright: (c) 2026, huaweicloud.vbs contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""The probe's tests: tools/vbs-probe run as a user runs it, against one emulator per test process,
reset to the probe seed with every switch at its default before each test. (pytest puts this directory
on sys.path, so the tests import probe_testlib.)"""

import pytest

from probe_testlib import ProbeEmulator


@pytest.fixture(scope="session")
def emulator_process():
    with ProbeEmulator() as process:
        yield process


@pytest.fixture
def emulator(emulator_process):
    return emulator_process.fresh()
