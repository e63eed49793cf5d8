# -*- coding: utf-8 -*-
# Copyright: (c) 2026, huaweicloud.vbs contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""What the shell snippets of README.md and docs/*.md set and run."""

import re

from ansible_collections.huaweicloud.vbs.plugins.module_utils.vbs_auth import CREDENTIAL_OPTIONS
from ansible_collections.huaweicloud.vbs.plugins.module_utils.vbs_module import vbs_argument_spec

# Standard variables that the snippets set too, besides the modules' own.
NOT_OURS = ("NO_PROXY", "ANSIBLE_COLLECTIONS_PATH")


def exported(block):
    """The names of the variables a block assigns (``export A=1 B=2``)."""
    return re.findall(r"\b([A-Z][A-Z0-9_]*)=", block)


def module_variables():
    """Every environment variable that an option of the modules falls back to, and the credential variables
    (read as one set when the task gives no credentials, vbs_auth)."""
    names = set(variable for _option, variable in CREDENTIAL_OPTIONS)
    for option in vbs_argument_spec().values():
        for argument in (option.get("fallback") or (None, []))[1]:
            names.update(argument if isinstance(argument, list) else [argument])
    return names


def unknown_variables(block):
    """The variables a block exports that no option of the modules reads (standard ones aside)."""
    return sorted(set(name for name in exported(block) if name not in NOT_OURS) - module_variables())


def commands(block):
    """The command lines of a block: comments and blank lines left out, continuation lines joined."""
    lines, current = [], ""
    for line in block.splitlines():
        text = line.strip()
        if not current and (not text or text.startswith("#")):
            continue
        if text.endswith("\\"):
            current += text[:-1].strip() + " "
            continue
        lines.append(current + text)
        current = ""
    if current:
        lines.append(current.strip())
    return lines
