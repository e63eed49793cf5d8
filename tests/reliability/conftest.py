# -*- coding: utf-8 -*-
# Copyright: (c) 2026, huaweicloud.vbs contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""Setup of the reliability and security tests.

The modules run in this process (see module_runner.py); tests/conftest.py
makes the installed collection the one they import.
"""

import os
import socketserver
import sys
import time

import pytest

from module_runner import FIGURES

_STARTED = time.monotonic()


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch):
    """No HW_* variable, proxy or CA bundle of the host running the tests may reach a module."""
    for name in list(os.environ):
        if name.startswith("HW_") or name.lower() in ("http_proxy", "https_proxy", "all_proxy", "no_proxy",
                                                      "requests_ca_bundle", "curl_ca_bundle"):
            monkeypatch.delenv(name)
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")


@pytest.fixture(autouse=True)
def quiet_test_servers(monkeypatch):
    """A client that closes a kept-alive connection is normal: the test servers need not print its traceback."""
    original = socketserver.BaseServer.handle_error

    def handle_error(server, request, client_address):
        if not isinstance(sys.exc_info()[1], ConnectionError):
            original(server, request, client_address)

    monkeypatch.setattr(socketserver.BaseServer, "handle_error", handle_error)


def pytest_terminal_summary(terminalreporter):
    if FIGURES:
        terminalreporter.write_line("\n".join(["", "reliability figures:"] + FIGURES))
    terminalreporter.write_line("reliability tests: %.1f s elapsed" % (time.monotonic() - _STARTED))
