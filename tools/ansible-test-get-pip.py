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
[setuptools==... wheel==...] [--no-setuptools] [--no-wheel]`` and expects
exactly those packages in the environment afterwards.

ansible-test creates a dozen environments per run, and a pip run costs seconds.
So the requested wheels are downloaded once (by the pip wheel bundled with the
interpreter, from the configured package index) into a ``wheels`` directory
next to this script, and each bootstrap unpacks them into the environment:
for these pure-Python wheels, unpacking into site-packages with their
``.dist-info`` is what an install does (pip, setuptools and wheel are then run
as ``python -m ...``, which is how ansible-test uses them). An interpreter
without a bundled pip wheel (some distributions unbundle it) gets ``ensurepip``
and a pip install instead: slower, same result.
"""

from __future__ import absolute_import, division, print_function

import ensurepip
import fnmatch
import glob
import os
import re
import shutil
import subprocess
import sys
import sysconfig
import tempfile
import zipfile

GET_PIP_ONLY_FLAGS = ("--no-setuptools", "--no-wheel")
WHEELS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "wheels")
REQUIREMENT = re.compile(r"^([A-Za-z0-9_.-]+)==([A-Za-z0-9_.+!-]+)$")

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


def cached_wheel(name, version):
    """The cached pure-Python wheel of name==version, or None."""
    pattern = "%s-%s-*-none-any.whl" % (re.sub(r"[-_.]+", "_", name).lower(), version)
    found = [path for path in glob.glob(os.path.join(WHEELS, "*.whl"))
             if fnmatch.fnmatch(os.path.basename(path).lower(), pattern)]
    return found[0] if found else None


def download(pip_wheel, requirements):
    """Fetch the wheels of ``requirements`` into WHEELS (atomically: a half download is never used)."""
    if not os.path.isdir(WHEELS):
        os.makedirs(WHEELS)
    staging = tempfile.mkdtemp(prefix="download-", dir=WHEELS)
    try:
        run("-c", RUN_PIP_FROM_WHEEL, pip_wheel, "download", "--disable-pip-version-check", "--no-deps",
            "--only-binary=:all:", "--dest", staging, *requirements)
        for name in os.listdir(staging):
            os.replace(os.path.join(staging, name), os.path.join(WHEELS, name))
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def unpack(wheel, site_packages):
    """Install a pure-Python wheel by unpacking it, as pip would place its files."""
    with zipfile.ZipFile(wheel) as archive:
        names = archive.namelist()
        info = [name for name in names if re.match(r"^[^/]+\.dist-info/WHEEL$", name)]
        if len(info) != 1 or b"Root-Is-Purelib: true" not in archive.read(info[0]):
            return False
        archive.extractall(site_packages)
        with open(os.path.join(site_packages, os.path.dirname(info[0]), "INSTALLER"), "w") as handle:
            handle.write("ansible-test-get-pip\n")
    return True


def install_from_wheels(requirements):
    """True when every requirement was installed from a cached or freshly downloaded wheel."""
    parsed = [REQUIREMENT.match(requirement) for requirement in requirements]
    pip_wheel = bundled_pip_wheel()
    if not all(parsed) or not pip_wheel:
        return False
    missing = [requirement for requirement, match in zip(requirements, parsed) if not cached_wheel(*match.groups())]
    if missing:
        download(pip_wheel, missing)
    wheels = [cached_wheel(*match.groups()) for match in parsed]
    if not all(wheels):
        return False
    site_packages = sysconfig.get_paths()["purelib"]
    return all(unpack(wheel, site_packages) for wheel in wheels)


def main():
    argv = sys.argv[1:]
    requirements = [arg for arg in argv if not arg.startswith("-")]
    if install_from_wheels(requirements):
        return

    pip_args = [arg for arg in argv if arg not in GET_PIP_ONLY_FLAGS]
    run("-m", "ensurepip", "--upgrade", "--default-pip")
    run("-m", "pip", "install", "--upgrade", "--force-reinstall", *pip_args)
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
