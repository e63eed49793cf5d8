# -*- coding: utf-8 -*-
# Copyright: (c) 2026, huaweicloud.vbs contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""The tests use one copy of the collection, and stop when it is not the working tree's.

tests/conftest.py runs support/collection.py's check at the start of every
test session; these tests hold that check to what it promises, on a checkout
and an installed copy made up here.
"""

import os
import subprocess
import sys

import ansible_collections.huaweicloud.vbs.plugins.modules.vbs_policy_resources as installed_module
import pytest

from support import ansible_cli, collection


def write(root, path, text):
    full = os.path.join(str(root), path)
    os.makedirs(os.path.dirname(full), exist_ok=True)
    with open(full, "w") as handle:
        handle.write(text)


@pytest.fixture
def trees(tmp_path):
    """A checkout and its installed copy, equal to begin with."""
    checkout = tmp_path / "checkout"
    installed = tmp_path / "collections" / "ansible_collections" / "huaweicloud" / "vbs"
    for root in (checkout, installed):
        write(root, "plugins/modules/vbs_policy_resources.py", "# module\n")
        write(root, "plugins/module_utils/vbs_api.py", "# client\n")
        write(root, "meta/runtime.yml", "requires_ansible: '>=2.17.0'\n")
    write(installed, "MANIFEST.json", "{}\n")
    return str(checkout), str(installed)


def test_an_installed_copy_equal_to_the_working_tree_is_fine(trees):
    write(trees[1], "plugins/modules/__pycache__/vbs_policy_resources.cpython-311.pyc", "compiled")
    assert collection.stale_files(*trees) == []
    assert collection.problem(*trees) is None


@pytest.mark.parametrize("change", ["edited", "added", "removed"])
def test_a_change_in_the_working_tree_makes_the_install_stale(trees, change):
    checkout, installed = trees
    path = os.path.join("plugins", "module_utils", "vbs_api.py")
    if change == "edited":
        write(checkout, path, "# client, changed\n")
    elif change == "added":
        path = os.path.join("plugins", "module_utils", "vbs_new.py")
        write(checkout, path, "# new\n")
    else:
        os.remove(os.path.join(checkout, path))

    assert collection.stale_files(checkout, installed) == [path]
    message = collection.problem(checkout, installed)
    assert path in message and "run make install" in message, message


def test_meta_counts_too(trees):
    write(trees[0], "meta/runtime.yml", "requires_ansible: '>=2.18.0'\n")
    assert collection.stale_files(*trees) == [os.path.join("meta", "runtime.yml")]


def test_no_install_at_all_says_so(trees):
    os.remove(os.path.join(trees[1], "MANIFEST.json"))
    assert "is not installed" in collection.problem(*trees)


def test_python_and_the_ansible_commands_use_the_same_installed_copy():
    expected = os.path.join(collection.COLLECTIONS_PATH, "ansible_collections", "huaweicloud", "vbs")
    assert os.path.realpath(installed_module.__file__).startswith(os.path.realpath(expected) + os.sep)
    assert ansible_cli.collections_path() == collection.COLLECTIONS_PATH
    assert ansible_cli.base_env()["ANSIBLE_COLLECTIONS_PATH"] == collection.COLLECTIONS_PATH


def test_a_python_process_that_a_test_starts_imports_the_same_installed_copy():
    code = "import ansible_collections.huaweicloud.vbs.plugins.modules.vbs_policy_resources as m; print(m.__file__)"
    completed = subprocess.run([sys.executable, "-c", code], cwd="/", capture_output=True, text=True, check=True,
                               timeout=60)
    assert os.path.realpath(completed.stdout.strip()) == os.path.realpath(installed_module.__file__)
