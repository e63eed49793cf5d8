# -*- coding: utf-8 -*-
# Copyright: (c) 2026, huaweicloud.vbs contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""``ansible.module_utils.testing.patch_module_args`` for ansible-core releases that lack it.

ansible-core 2.19 added ``patch_module_args``, the supported way for a test
to give a module its arguments. The tests use it; so that they also run with
the oldest ansible-core the collection supports (2.17), ``install()`` provides
the same context manager there, done the way ansible-core did it before 2.19:
the JSON arguments in ``ansible.module_utils.basic._ANSIBLE_ARGS``.
"""

import contextlib
import importlib
import json
import sys
import types
from unittest import mock

MODULE_NAME = "ansible.module_utils.testing"


@contextlib.contextmanager
def patch_module_args(args=None):
    """Expose the given module args to ``AnsibleModule`` instances created within this context."""
    from ansible.module_utils import basic

    if not isinstance(args, (dict, type(None))):
        raise TypeError("The `args` arg must be a dict or None.")
    encoded = json.dumps(dict(ANSIBLE_MODULE_ARGS=args or {})).encode()
    with mock.patch.object(basic, "_ANSIBLE_ARGS", encoded):
        yield


def install():
    """Provide ``ansible.module_utils.testing`` when this ansible-core has none; True when it was provided."""
    try:
        importlib.import_module(MODULE_NAME)
        return False
    except ImportError:
        pass
    module = types.ModuleType(MODULE_NAME, __doc__)
    module.patch_module_args = patch_module_args
    sys.modules[MODULE_NAME] = module
    return True
