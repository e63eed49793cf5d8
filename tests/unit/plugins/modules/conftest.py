# -*- coding: utf-8 -*-
# Copyright: (c) 2026, huaweicloud.vbs contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""Setup of the module tests: the lock files of vbs_policy_resources go to each test's own directory."""

import tempfile

import pytest


@pytest.fixture(autouse=True)
def lock_files_in_test_directory(monkeypatch, tmp_path):
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
