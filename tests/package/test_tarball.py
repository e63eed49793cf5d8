# -*- coding: utf-8 -*-
# Copyright: (c) 2026, huaweicloud.vbs contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""The published tarball holds what users need, and nothing else.

The tarball is built here from the working tree, exactly as ``make install``
and a release build it (``ansible-galaxy collection build``, which applies
galaxy.yml's build_ignore), and its file list is held to an allow-list of
patterns: a file that matches none fails, and so does a file users need that
is missing. Development files (tests, the test and build tools, CI, the
Makefile) must stay out; the emulator must be in, runnable, since
README.md and docs/emulator.md tell users to start it, and so must the
conformance probe, which docs/conformance.md tells users with a cloud
account to run from their installed copy.
"""

import fnmatch
import os
import stat
import subprocess
import sys
import tarfile

import pytest

from support.collection import REPO_ROOT

GALAXY = os.path.join(os.path.dirname(sys.executable), "ansible-galaxy")

# Every file of the tarball matches one of these (fnmatch: "*" also matches "/").
ALLOWED = (
    "MANIFEST.json", "FILES.json", "README.md", "COPYING", "CHANGELOG.rst", "requirements.txt",
    "meta/runtime.yml", "meta/execution-environment.yml",
    "plugins/*.py",
    "docs/*.md", "docs/modules/*.rst",
    "examples/*.yml", "examples/*.yaml", "examples/*.ini", "examples/*.cfg",
    "extras/*.yml", "extras/*.yaml", "extras/*.md",
    "changelogs/changelog.yaml", "changelogs/config.yaml", "changelogs/fragments/*",
    "tools/vbs-emulator", "tools/vbs_emulator/*.py", "tools/seed/*.json",
    "tools/vbs-probe", "tools/vbs_probe/*.py",
)

# Files a user needs whatever else changes.
REQUIRED = (
    "MANIFEST.json", "FILES.json", "README.md", "COPYING", "CHANGELOG.rst", "requirements.txt",
    "meta/runtime.yml", "meta/execution-environment.yml", "changelogs/changelog.yaml",
    "tools/vbs-emulator", "tools/vbs_emulator/cli.py", "tools/seed/demo.json", "docs/emulator.md",
    "tools/vbs-probe", "tools/vbs_probe/cli.py", "docs/conformance.md",
)
# Every tracked file under these directories is shipped.
SHIPPED_DIRECTORIES = ("plugins/", "meta/", "docs/", "examples/", "extras/", "tools/vbs_emulator/", "tools/seed/",
                       "tools/vbs_probe/")

# Development files that must never be published, whatever the allow-list says.
DEVELOPMENT = ("tests/*", "tools/bench/*", "tools/ansible-test-get-pip.py", "tools/run-sanity", "tools/run-tests.py",
               "tools/check-execution-environment", "tools/make-venv", "tools/run-demo", "Makefile", ".ci/*", ".git*",
               ".ansible-lint", "*/__pycache__/*", "*.pyc", "build/*", ".venv*")


@pytest.fixture(scope="module")
def tarball(tmp_path_factory):
    """{path: TarInfo} of the files (not directories) of a tarball built from the working tree."""
    output = tmp_path_factory.mktemp("tarball")
    completed = subprocess.run([GALAXY, "collection", "build", "--output-path", str(output), REPO_ROOT],
                               capture_output=True, text=True, check=False, timeout=300)
    assert completed.returncode == 0, completed.stdout + completed.stderr
    built = [name for name in os.listdir(str(output)) if name.endswith(".tar.gz")]
    assert len(built) == 1, built
    with tarfile.open(str(output / built[0])) as archive:
        return dict((member.name, member) for member in archive.getmembers() if not member.isdir())


def tracked_files():
    completed = subprocess.run(["git", "-C", REPO_ROOT, "ls-files", "-z"], capture_output=True, check=True, timeout=60)
    return [name for name in completed.stdout.decode("utf-8").split("\0") if name]


def test_every_file_of_the_tarball_is_allowed(tarball):
    unexpected = sorted(name for name in tarball if not any(fnmatch.fnmatch(name, pattern) for pattern in ALLOWED))
    assert not unexpected, "files in the tarball that no pattern of ALLOWED covers: %s" % unexpected


def test_no_development_file_is_published(tarball):
    published = sorted(name for name in tarball if any(fnmatch.fnmatch(name, pattern) for pattern in DEVELOPMENT))
    assert not published, published


def test_everything_users_need_is_in_the_tarball(tarball):
    needed = set(REQUIRED)
    needed.update(name for name in tracked_files()
                  if name.startswith(SHIPPED_DIRECTORIES) and os.path.isfile(os.path.join(REPO_ROOT, name)))
    missing = sorted(needed - set(tarball))
    assert not missing, "files users need that the tarball lacks: %s" % missing


@pytest.mark.parametrize("launcher", ["tools/vbs-emulator", "tools/vbs-probe"])
def test_the_launchers_are_executable(tarball, launcher):
    mode = tarball[launcher].mode
    assert mode & stat.S_IXUSR, oct(mode)
