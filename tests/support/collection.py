# -*- coding: utf-8 -*-
# Copyright: (c) 2026, huaweicloud.vbs contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""The one copy of the collection that the tests use, and whether it is the working tree's.

Every test imports and runs the collection as a user gets it: built from this
checkout and installed by ``make install`` into ``build/collections``. Python
imports (``ansible_collections.huaweicloud.vbs...``) and the ansible commands
(ANSIBLE_COLLECTIONS_PATH) both go there; nothing links to the checkout.

``stale_files()`` compares what the collection's code is made of (plugins/
and meta/) in the checkout with the installed copy, so a test session on an
install that is older than the working tree stops instead of testing old code.
"""

import hashlib
import os

REPO_ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
COLLECTIONS_PATH = os.path.join(REPO_ROOT, "build", "collections")
INSTALLED = os.path.join(COLLECTIONS_PATH, "ansible_collections", "huaweicloud", "vbs")
# The parts of the collection that its modules are made of.
CODE_DIRS = ("plugins", "meta")


def _digests(root):
    """{path relative to root: sha256} of the files under CODE_DIRS, without Python's caches."""
    digests = {}
    for code_dir in CODE_DIRS:
        for directory, subdirs, files in os.walk(os.path.join(root, code_dir)):
            subdirs[:] = [name for name in subdirs if name != "__pycache__"]
            for name in files:
                if name.endswith((".pyc", ".pyo")):
                    continue
                path = os.path.join(directory, name)
                with open(path, "rb") as handle:
                    digests[os.path.relpath(path, root)] = hashlib.sha256(handle.read()).hexdigest()
    return digests


def stale_files(checkout=REPO_ROOT, installed=INSTALLED):
    """The files of plugins/ and meta/ that differ between the checkout and the installed copy, sorted.

    Empty when the installed copy is the working tree's. A file that exists on
    one side only counts as different.
    """
    ours, theirs = _digests(checkout), _digests(installed)
    return sorted(path for path in set(ours) | set(theirs) if ours.get(path) != theirs.get(path))


def problem(checkout=REPO_ROOT, installed=INSTALLED):
    """Why the installed collection cannot be tested as the working tree's, or None."""
    # installed is <collections path>/ansible_collections/huaweicloud/vbs
    where = os.path.dirname(os.path.dirname(os.path.dirname(installed)))
    if not os.path.isfile(os.path.join(installed, "MANIFEST.json")):
        return "huaweicloud.vbs is not installed in %s; run make install" % where
    stale = stale_files(checkout, installed)
    if stale:
        shown = ", ".join(stale[:5]) + (" and %d more" % (len(stale) - 5) if len(stale) > 5 else "")
        return "the huaweicloud.vbs installed in %s is not the working tree's (%s differ); run make install" % (
            where, shown)
    return None
