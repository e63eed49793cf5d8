# -*- coding: utf-8 -*-
# Copyright: (c) 2026, huaweicloud.vbs contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""docs/architecture.md names each file of plugins/ once, and only files that exist; the unit tests of
plugins/module_utils/ are named after the file they test (docs/testing.md)."""

import os
import re

import pytest

from support.collection import REPO_ROOT

ARCHITECTURE = os.path.join(REPO_ROOT, "docs", "architecture.md")
# The first cell of a table row: a file in backquotes.
ROW_FILE = re.compile(r"^\| `([^`]+)`", re.M)
# Where the table of plugins/module_utils/ names its files without their directory.
SECTIONS = {
    "## The modules": "",
    "## Shared code: `plugins/module_utils/`": "plugins/module_utils/",
    "## The tools that ship with the collection": "",
}
PLUGIN_DIRECTORIES = ("plugins/modules", "plugins/module_utils", "plugins/doc_fragments")
UNIT_TESTS = os.path.join(REPO_ROOT, "tests", "unit", "plugins", "module_utils")


def named_files():
    """Every file or directory in the first column of the page's tables, with its directory."""
    with open(ARCHITECTURE) as handle:
        text = handle.read()
    parts = re.split(r"^(## .*)$", text, flags=re.M)
    found = []
    for heading, body in zip(parts[1::2], parts[2::2]):
        assert heading in SECTIONS, "a section of docs/architecture.md the test does not know: %s" % heading
        found.extend(SECTIONS[heading] + name for name in ROW_FILE.findall(body))
    return found


def plugin_files():
    return sorted(os.path.join(directory, name) for directory in PLUGIN_DIRECTORIES
                  for name in os.listdir(os.path.join(REPO_ROOT, directory))
                  if name.endswith(".py") and name != "__init__.py")


def test_the_architecture_names_every_file_of_plugins_once():
    named = named_files()
    assert sorted(set(named)) == sorted(named), "named twice: %s" % sorted(set(n for n in named if named.count(n) > 1))
    missing = [path for path in plugin_files() if path not in named]
    assert missing == [], "files of plugins/ that docs/architecture.md does not name: %s" % missing


def test_the_architecture_names_only_files_that_exist():
    absent = [path for path in named_files() if not os.path.exists(os.path.join(REPO_ROOT, path))]
    assert absent == [], "docs/architecture.md names what does not exist: %s" % absent


@pytest.mark.parametrize("test_file", sorted(name for name in os.listdir(UNIT_TESTS) if name.startswith("test_")))
def test_each_unit_test_file_is_named_after_a_module_utils_file(test_file):
    stem = test_file[len("test_"):-len(".py")]
    module_utils = os.listdir(os.path.join(REPO_ROOT, "plugins", "module_utils"))
    # test_NAME.py, or test_NAME_<part>.py for one of several test files of NAME.py.
    owners = [name for name in module_utils if name.endswith(".py")
              and (stem == name[:-3] or stem.startswith(name[:-3] + "_"))]
    assert owners, "%s tests no file of plugins/module_utils/ by its name" % test_file
