# -*- coding: utf-8 -*-
# Copyright: (c) 2026, huaweicloud.vbs contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""Setup of the reliability and security tests.

The modules run in this process (see support/module_runner.py); tests/conftest.py
makes the installed collection the one they import.
"""

import socketserver
import sys
import time

import pytest

from support import figures
from support.figures import pytest_sessionfinish, pytest_testnodedown  # noqa: F401  # pylint: disable=unused-import

from ansible_collections.huaweicloud.vbs.tests.support.fixtures import isolated_environment  # noqa: F401  # pylint: disable=unused-import

_STARTED = time.monotonic()


@pytest.fixture(autouse=True)
def quiet_test_servers(monkeypatch):
    """A client that closes a kept-alive connection is normal: the test servers need not print its traceback."""
    original = socketserver.BaseServer.handle_error

    def handle_error(server, request, client_address):
        if not isinstance(sys.exc_info()[1], ConnectionError):
            original(server, request, client_address)

    monkeypatch.setattr(socketserver.BaseServer, "handle_error", handle_error)


def pytest_terminal_summary(terminalreporter):
    figures.write_summary(terminalreporter, "reliability")
    terminalreporter.write_line("reliability tests: %.1f s elapsed" % (time.monotonic() - _STARTED))
