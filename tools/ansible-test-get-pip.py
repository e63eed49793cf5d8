# -*- coding: utf-8 -*-
# Copyright: (c) 2026, huaweicloud.vbs contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Offline stand-in for the get-pip.py script that ``ansible-test --venv`` uses.

ansible-test bootstraps pip into each virtual environment it creates with a
get-pip.py script that it downloads once and caches as
``~/.ansible/test/cache/get_pip_<pip version with underscores>.py``.
tools/run-sanity copies this file to those cache paths, so the bootstrap works
where that download host cannot be reached.

ansible-test runs the script as ``python get_pip_X_Y.py [pip options] pip==X.Y
[setuptools==... wheel==...] [--no-setuptools] [--no-wheel]``.  This script
installs the pip bundled with the interpreter (ensurepip) and then lets that
pip install the requested packages from the configured package index, which is
what get-pip.py does too.
"""

from __future__ import absolute_import, division, print_function

import subprocess
import sys

GET_PIP_ONLY_FLAGS = ("--no-setuptools", "--no-wheel")


def run(*args):
    """Run a command with this interpreter, stop on failure."""
    rc = subprocess.call((sys.executable,) + args)
    if rc != 0:
        sys.exit(rc)


def main():
    argv = sys.argv[1:]
    pip_args = [arg for arg in argv if arg not in GET_PIP_ONLY_FLAGS]

    run("-m", "ensurepip", "--upgrade", "--default-pip")
    run("-m", "pip", "install", "--upgrade", *pip_args)

    in_venv = sys.prefix != getattr(sys, "base_prefix", sys.prefix)
    if in_venv:
        # ensurepip of Python < 3.12 also installs setuptools; get-pip.py with
        # --no-setuptools / --no-wheel leaves them out, so remove them again.
        unwanted = [name for flag, name in (("--no-setuptools", "setuptools"), ("--no-wheel", "wheel")) if flag in argv]
        for name in unwanted:
            subprocess.call((sys.executable, "-m", "pip", "uninstall", "--yes", "--quiet", name),
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


if __name__ == "__main__":
    main()
