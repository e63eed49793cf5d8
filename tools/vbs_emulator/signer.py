# -*- coding: utf-8 -*-
# Copyright: (c) 2026, huaweicloud.vbs contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""The collection's own SDK-HMAC-SHA256 implementation, loaded by file path.

The emulator verifies signatures with the very canonicalisation the modules
sign with (plugins/module_utils/vbs_signer.py), so there is one implementation,
checked against the official signer by the tests of both.
"""

import importlib.util
import os

SIGNER_PATH = os.path.join(
    os.path.dirname(os.path.dirname(os.path.dirname(os.path.realpath(__file__)))),
    "plugins", "module_utils", "vbs_signer.py")


def _load():
    spec = importlib.util.spec_from_file_location("vbs_emulator_collection_signer", SIGNER_PATH)
    if spec is None or not os.path.isfile(SIGNER_PATH):
        raise ImportError("the collection's signer is not at %s" % SIGNER_PATH)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


vbs_signer = _load()
