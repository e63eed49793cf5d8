# -*- coding: utf-8 -*-
# Copyright: (c) 2026, huaweicloud.vbs contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""Fixtures that several test directories share; a conftest.py imports the ones it wants.

* ``isolated_environment`` (autouse where imported): no HW_* variable, proxy
  or CA-bundle setting of the machine running the tests reaches a module or a
  client under test.
* ``server``: a ScriptedServer (support/scripted_server.py) for one test.
"""

import os

import pytest

from ansible_collections.huaweicloud.vbs.tests.support.scripted_server import NETWORK_ENV, ScriptedServer


@pytest.fixture(autouse=True)
def isolated_environment(monkeypatch):
    for name in list(os.environ):
        if name.startswith("HW_") or name in NETWORK_ENV or name.upper() in NETWORK_ENV:
            monkeypatch.delenv(name)


@pytest.fixture
def server():
    with ScriptedServer() as scripted:
        yield scripted
