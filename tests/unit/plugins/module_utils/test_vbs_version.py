# -*- coding: utf-8 -*-
# Copyright: (c) 2026, huaweicloud.vbs contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""The version sent in the User-Agent is the collection's version."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json
import os

import yaml

from ansible_collections.huaweicloud.vbs.plugins.module_utils import vbs_transport, vbs_version

# tests/unit/plugins/module_utils/ -> the collection's root
SOURCE_ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", "..", ".."))
# the root of the collection actually imported (the source tree, or an installed copy)
IMPORTED_ROOT = os.path.abspath(os.path.join(os.path.dirname(vbs_version.__file__), "..", ".."))


def galaxy():
    with open(os.path.join(SOURCE_ROOT, "galaxy.yml")) as handle:
        return yaml.safe_load(handle)


def test_version_equals_galaxy_yml():
    assert vbs_version.COLLECTION_VERSION == str(galaxy()["version"])


def test_name_equals_galaxy_yml():
    data = galaxy()
    assert vbs_version.COLLECTION_NAME == "%s.%s" % (data["namespace"], data["name"])


def test_imported_collection_has_the_same_version():
    """An installed collection carries MANIFEST.json instead of galaxy.yml; either must agree."""
    manifest = os.path.join(IMPORTED_ROOT, "MANIFEST.json")
    if os.path.exists(manifest):
        with open(manifest) as handle:
            info = json.load(handle)["collection_info"]
        assert info["version"] == vbs_version.COLLECTION_VERSION
    else:
        with open(os.path.join(IMPORTED_ROOT, "galaxy.yml")) as handle:
            assert str(yaml.safe_load(handle)["version"]) == vbs_version.COLLECTION_VERSION


def test_user_agent_carries_the_version():
    assert vbs_transport.user_agent().startswith("huaweicloud.vbs/%s (" % galaxy()["version"])
