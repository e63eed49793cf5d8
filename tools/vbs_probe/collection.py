# -*- coding: utf-8 -*-
# Copyright: (c) 2026, huaweicloud.vbs contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""The collection's own module_utils (signing, transport, errors, clients) for the probe, without ansible-core.

The module_utils import each other as ``ansible_collections.huaweicloud.vbs.plugins.module_utils.*``.
The probe registers that package name for the collection it sits in (a checkout, or an installed copy
under ``ansible_collections/huaweicloud/vbs``): the names ``ansible_collections`` and
``ansible_collections.huaweicloud`` become empty packages and ``ansible_collections.huaweicloud.vbs``
the collection's directory. Nothing is written and no other copy of the collection (one on
``PYTHONPATH`` or in ``ANSIBLE_COLLECTIONS_PATH``) is ever used instead.
"""

import os
import sys
import types

PACKAGE = "ansible_collections.huaweicloud.vbs"
# tools/vbs_probe/collection.py -> the collection's top directory
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.realpath(__file__))))


class CollectionError(ImportError):
    pass


def register(root=ROOT):
    """Make ``ansible_collections.huaweicloud.vbs`` the collection at ``root``; CollectionError if another is."""
    module_utils = os.path.join(root, "plugins", "module_utils")
    if not os.path.isfile(os.path.join(module_utils, "vbs_api.py")):
        raise CollectionError("the collection's module_utils are not at %s" % module_utils)
    parent = None
    for name, path in (("ansible_collections", []), ("ansible_collections.huaweicloud", []), (PACKAGE, [root])):
        package = sys.modules.get(name)
        if package is None:
            package = types.ModuleType(name)
            package.__path__ = path
            package.__package__ = name
            sys.modules[name] = package
            if parent is not None:
                setattr(parent, name.rsplit(".", 1)[1], package)
        elif path and list(getattr(package, "__path__", [])) != path:
            raise CollectionError("%s is already the collection at %s, not %s"
                                  % (name, list(getattr(package, "__path__", [])), root))
        parent = package
