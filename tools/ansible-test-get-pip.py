# -*- coding: utf-8 -*-
# Copyright: (c) 2026, huaweicloud.vbs contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Offline stand-in for the get-pip.py script that ``ansible-test --venv`` uses.

ansible-test bootstraps pip into each virtual environment it creates with a
get-pip.py script that it downloads once and caches as
``~/.ansible/test/cache/get_pip_<pip version with underscores>.py``.
tools/run-sanity gives ansible-test a home of its own inside the build
directory and copies this file to those cache paths there, so the bootstrap
works where that download host cannot be reached.

ansible-test runs the script as ``python get_pip_X_Y.py [pip options] pip==X.Y
[setuptools==... wheel==...] [--no-setuptools] [--no-wheel]``.  Like
get-pip.py, which carries a copy of pip and runs it once, this script runs the
pip wheel bundled with the interpreter (ensurepip's) once, to install the
requested packages from the configured package index into the environment.
An interpreter without a bundled wheel (some distributions unbundle it) gets
``ensurepip`` first and then a second pip run: slower, same result.
"""

from __future__ import absolute_import, division, print_function

import ensurepip
import glob
import os
import subprocess
import sys

GET_PIP_ONLY_FLAGS = ("--no-setuptools", "--no-wheel")

# Runs pip from the wheel named by the first argument; the rest are pip's arguments.
RUN_PIP_FROM_WHEEL = (
    "import runpy, sys; "
    "sys.path.insert(0, sys.argv.pop(1)); "
    "runpy.run_module('pip', run_name='__main__', alter_sys=True)"
)


def run(*args):
    """Run a command with this interpreter, stop on failure."""
    rc = subprocess.call((sys.executable,) + args)
    if rc != 0:
        sys.exit(rc)


def bundled_pip_wheel():
    """The pip wheel that ensurepip would install, or None when the interpreter has none."""
    bundled = os.path.join(os.path.dirname(ensurepip.__file__), "_bundled")
    wheels = glob.glob(os.path.join(bundled, "pip-%s-*.whl" % ensurepip.version()))
    return wheels[0] if len(wheels) == 1 else None


def main():
    argv = sys.argv[1:]
    pip_args = [arg for arg in argv if arg not in GET_PIP_ONLY_FLAGS]
    # As get-pip.py: the requested versions replace whatever is there.
    install = ("install", "--upgrade", "--force-reinstall") + tuple(pip_args)

    wheel = bundled_pip_wheel()
    if wheel:
        run("-c", RUN_PIP_FROM_WHEEL, wheel, *install)
        return

    run("-m", "ensurepip", "--upgrade", "--default-pip")
    run("-m", "pip", *install)
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
