# -*- coding: utf-8 -*-
# Copyright: (c) 2026, huaweicloud.vbs contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""The checkout as Git would hand it to a new user: its working tree as a commit.

``working_tree_commit()`` writes a commit of the working tree as ``git add -A``
would stage it (tracked files with their changes, and new files that
.gitignore does not exclude) with a temporary index: no branch, index or file
of the checkout changes, only unreferenced objects are added (as ``git stash
create`` adds them). A clone can then fetch that commit, so the tests of a fresh
clone test the working tree, not only what was committed.
"""

import os
import subprocess

from support.collection import REPO_ROOT


def git(*args, **kwargs):
    """Run git; its standard output, stripped. A failure fails the test with git's message."""
    completed = subprocess.run(["git"] + list(args), capture_output=True, text=True, check=False, timeout=120,
                               **kwargs)
    assert completed.returncode == 0, (args, completed.stdout, completed.stderr)
    return completed.stdout.strip()


def working_tree_commit(scratch):
    """The ID of a commit of the working tree; ``scratch`` is a directory for the temporary index."""
    env = dict(os.environ, GIT_INDEX_FILE=os.path.join(str(scratch), "working-tree-index"),
               GIT_AUTHOR_NAME="working tree", GIT_AUTHOR_EMAIL="working-tree@localhost",
               GIT_COMMITTER_NAME="working tree", GIT_COMMITTER_EMAIL="working-tree@localhost")
    git("-C", REPO_ROOT, "read-tree", "HEAD", env=env)
    git("-C", REPO_ROOT, "add", "-A", env=env)
    tree = git("-C", REPO_ROOT, "write-tree", env=env)
    return git("-C", REPO_ROOT, "commit-tree", tree, "-p", "HEAD", "-m", "the working tree", env=env)


def repository_url():
    """The collection's Git repository, as galaxy.yml names it (``repository``), with ``.git``."""
    with open(os.path.join(REPO_ROOT, "galaxy.yml")) as handle:
        for line in handle:
            if line.startswith("repository:"):
                return line.split(":", 1)[1].strip() + ".git"
    raise AssertionError("galaxy.yml names no repository")


def local_repository(scratch, branch):
    """A file:// URL of a bare repository whose ``branch`` holds the working tree: the stand-in for the
    collection's Git repository, which the tests cannot reach."""
    bare = os.path.join(str(scratch), "huaweicloud.vbs.git")
    git("init", "--quiet", "--bare", bare)
    git("-C", REPO_ROOT, "push", "--quiet", bare, "%s:refs/heads/%s" % (working_tree_commit(scratch), branch))
    return "file://" + bare
