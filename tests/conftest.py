# -*- coding: utf-8 -*-
# Copyright: (c) 2026, huaweicloud.vbs contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""Shared pytest setup: where the tests find the collection and their own helpers.

* ``tests/`` is on sys.path, so that tests can import the support package.
* The collection is the one ``make install`` built from this checkout into
  build/collections (see support/collection.py): first on sys.path for the
  tests that import it, first on PYTHONPATH for the Python processes they
  start, and ANSIBLE_COLLECTIONS_PATH for the ansible commands they run. A
  session on a missing or stale install stops before any test runs.
* ``ansible_collections.huaweicloud.vbs.tests`` is this checkout's ``tests/``:
  the published collection does not ship its tests, and tests import some
  helpers by that name.
* With an ansible-core older than 2.19, ``ansible.module_utils.testing`` is
  provided (support/ansible_compat.py) so the same tests run there too.
"""

import os
import sys
import types

import pytest

TESTS_DIR = os.path.dirname(os.path.abspath(__file__))
if TESTS_DIR not in sys.path:
    sys.path.insert(0, TESTS_DIR)

from support import ansible_compat, collection  # noqa: E402 - needs tests/ on sys.path

if collection.COLLECTIONS_PATH not in sys.path:
    sys.path.insert(0, collection.COLLECTIONS_PATH)
os.environ["PYTHONPATH"] = os.pathsep.join(
    [collection.COLLECTIONS_PATH] + [entry for entry in os.environ.get("PYTHONPATH", "").split(os.pathsep)
                                     if entry and entry != collection.COLLECTIONS_PATH])
os.environ["ANSIBLE_COLLECTIONS_PATH"] = collection.COLLECTIONS_PATH
ansible_compat.install()

TESTS_PACKAGE = "ansible_collections.huaweicloud.vbs.tests"


def _register_tests_package():
    """Make ``ansible_collections.huaweicloud.vbs.tests`` the package of this checkout's tests/."""
    package = types.ModuleType(TESTS_PACKAGE)
    package.__path__ = [TESTS_DIR]
    package.__package__ = TESTS_PACKAGE
    sys.modules[TESTS_PACKAGE] = package


_register_tests_package()


def pytest_configure(config):
    problem = collection.problem()
    if problem:
        raise pytest.UsageError(problem)
