# -*- coding: utf-8 -*-
# Copyright: (c) 2026, huaweicloud.vbs contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""Setup of the unit tests: a clean environment for every test, and a scripted server on demand."""

# Fixtures of every unit test: pytest finds them here.
from ansible_collections.huaweicloud.vbs.tests.support.fixtures import isolated_environment, server  # noqa: F401  # pylint: disable=unused-import
