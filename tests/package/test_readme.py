# -*- coding: utf-8 -*-
# Copyright: (c) 2026, huaweicloud.vbs contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""README.md's way from the demo to one's own playbook works, command for command, and so does its
way to install the collection.

The shell blocks of the section "Use it with your own playbook" run here in
bash as a user pastes them, from the top of the checkout, with a HOME of their
own (nothing of the user's ~/.ansible is read or written) and no HW_* variable
or proxy of the machine. The emulator is started with the README's command, on
a free port (``--port 0``) instead of 8480, whose URL replaces
``http://127.0.0.1:8480`` in the commands. The real-cloud block cannot reach a
cloud from here: it must name only variables that the modules read, and run the
ad-hoc command that the emulator block runs.

The section "Install" installs from a tarball named as ``make install`` names
it, and from the Git repository of galaxy.yml, which a local repository holding
the working tree stands in for.
"""

import json
import os
import re
import signal
import subprocess

import pytest

from support.checkout import local_repository, repository_url
from support.collection import REPO_ROOT
from support.shell_snippets import commands, exported, unknown_variables

SECTION = "## Use it with your own playbook"
README_URL = "http://127.0.0.1:8480"


def readme_blocks():
    """{what: shell text} of the section's ```sh blocks, each recognised by what it does."""
    with open(os.path.join(REPO_ROOT, "README.md")) as handle:
        text = handle.read()
    assert SECTION in text
    section = text.split(SECTION, 1)[1].split("\n## ", 1)[0]
    blocks = re.findall(r"```sh\n(.*?)```", section, re.S)
    kinds = (("activate", "source .venv/bin/activate"), ("tarball", "ansible-galaxy collection install"),
             ("start emulator", "tools/vbs-emulator"), ("emulator", README_URL), ("cloud", "HW_CLOUD"))
    found = {}
    for block in blocks:
        what = [kind for kind, marker in kinds if marker in block and kind not in found]
        assert len(what) == 1, "a README block that the test does not know: %r" % block
        found[what[0]] = block
    assert sorted(found) == sorted(kind for kind, _marker in kinds), sorted(found)
    return found


BLOCKS = readme_blocks()


def environment(home):
    """The machine's environment without HW_* variables, proxies or the tests' collection paths."""
    env = dict((name, value) for name, value in os.environ.items()
               if not name.startswith("HW_") and name.lower() not in ("http_proxy", "https_proxy", "all_proxy",
                                                                      "no_proxy", "requests_ca_bundle"))
    # Ansible also finds collections on sys.path: PYTHONPATH goes too, or build/collections would be found.
    env.pop("ANSIBLE_COLLECTIONS_PATH", None)
    env.pop("PYTHONPATH", None)
    env.update(HOME=str(home), ANSIBLE_NOCOLOR="1")
    return env


def bash(script, home, timeout=300):
    return subprocess.run(["bash", "-euo", "pipefail", "-c", script], cwd=REPO_ROOT, env=environment(home),
                          capture_output=True, text=True, timeout=timeout, stdin=subprocess.DEVNULL, check=False)


@pytest.fixture
def emulator(tmp_path):
    """The README's emulator command, on a free port; its URL."""
    command = BLOCKS["start emulator"].strip()
    assert "\n" not in command, command
    process = subprocess.Popen(["bash", "-c", "exec " + command + " --port 0"], cwd=REPO_ROOT,
                               env=environment(tmp_path), stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                               text=True, start_new_session=True)
    try:
        url = process.stdout.readline().strip()
        assert url.startswith("http://127.0.0.1:"), url
        yield url
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=30)
        process.stdout.close()


def assert_the_demo_ran(result):
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    # the ad-hoc command listed the demo seed's policies
    for policy in ("daily-db", "weekly-archive", "paused"):
        assert policy in result.stdout, output
    # the playbook associated volumes with daily-db
    assert re.search(r"localhost\s*: ok=\d+\s+changed=1\s+unreachable=0\s+failed=0", result.stdout), output


def test_the_emulator_way_with_the_environment_of_make(tmp_path, emulator):
    script = BLOCKS["activate"] + BLOCKS["emulator"].replace(README_URL, emulator)
    assert_the_demo_ran(bash(script, tmp_path))


# An ansible-core of one's own: the one of .venv, on PATH but not activated, without
# ANSIBLE_COLLECTIONS_PATH, so the collection can only come from where it is installed.
OWN_ANSIBLE = 'PATH="%s:$PATH"\n' % os.path.join(REPO_ROOT, ".venv", "bin")


def test_the_emulator_way_with_the_tarball_installed(tmp_path, emulator):
    install = bash(OWN_ANSIBLE + BLOCKS["tarball"], tmp_path)
    assert install.returncode == 0, install.stdout + install.stderr
    installed = tmp_path / ".ansible" / "collections" / "ansible_collections" / "huaweicloud" / "vbs"
    assert (installed / "MANIFEST.json").is_file(), install.stdout
    assert_the_demo_ran(bash(OWN_ANSIBLE + BLOCKS["emulator"].replace(README_URL, emulator), tmp_path))


@pytest.mark.parametrize("block", ["emulator", "cloud"])
def test_the_readme_sets_only_variables_that_the_modules_read(block):
    assert exported(BLOCKS[block]), BLOCKS[block]
    assert not unknown_variables(BLOCKS[block])


def test_the_cloud_block_runs_the_command_tested_against_the_emulator():
    command = [line for line in BLOCKS["cloud"].splitlines() if line.startswith("ansible")]
    assert command and command[0] in BLOCKS["emulator"].splitlines(), command


# -- the section "Install" ---------------------------------------------------------------

INSTALL_SECTION = "## Install"


def install_commands():
    """The ``ansible-galaxy collection install`` lines of the section Install."""
    with open(os.path.join(REPO_ROOT, "README.md")) as handle:
        section = handle.read().split(INSTALL_SECTION, 1)[1].split("\n## ", 1)[0]
    return [line for block in re.findall(r"```sh\n(.*?)```", section, re.S) for line in commands(block)
            if line.startswith("ansible-galaxy collection install ")]


def galaxy_version():
    with open(os.path.join(REPO_ROOT, "galaxy.yml")) as handle:
        return re.search(r"^version: *(\S+)", handle.read(), re.M).group(1)


def test_the_install_section_installs_from_a_tarball_and_from_git():
    sources = [line.split()[3] for line in install_commands()]
    assert len(sources) == 2, sources
    assert sources[0] == "huaweicloud-vbs-%s.tar.gz" % galaxy_version(), sources
    assert sources[1].startswith("git+%s," % repository_url()), sources


def test_the_git_install_of_the_readme_installs_the_collection(tmp_path):
    # The repository of galaxy.yml cannot be reached from here: a local one with the working tree on the
    # README's branch stands in for it.
    source = [line.split()[3] for line in install_commands()][1]
    branch = source.rsplit(",", 1)[1]
    local = "git+%s,%s" % (local_repository(tmp_path, branch), branch)
    install = bash(OWN_ANSIBLE + 'ansible-galaxy collection install "%s" -p "%s"' % (local, tmp_path / "collections"),
                   tmp_path)
    assert install.returncode == 0, install.stdout + install.stderr
    manifest = tmp_path / "collections" / "ansible_collections" / "huaweicloud" / "vbs" / "MANIFEST.json"
    assert json.loads(manifest.read_text())["collection_info"]["version"] == galaxy_version()
