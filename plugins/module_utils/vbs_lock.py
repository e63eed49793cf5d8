# -*- coding: utf-8 -*-
# Copyright: (c) 2026, huaweicloud.vbs contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""One exclusive lock per backup policy, for the runs of one user on one machine.

VBS exposes only a policy's volume count, so a run learns what it changed from
the count before and after its requests. Two runs on the same policy at the
same time (the forks of a per-host play) would see each other's changes. Each
run therefore holds an exclusive ``fcntl.flock`` on a file named after the
endpoint, project and policy for the whole read / change / read window.

The lock files live in a directory that only this user can create, so that
no other user can put a file, a link or a directory of their own there first
(and make every run of this user fail): the first of

1. ``$XDG_RUNTIME_DIR/huaweicloud-vbs-locks``, when ``XDG_RUNTIME_DIR`` is a
   directory of this user that others cannot write to (systemd makes
   ``/run/user/<uid>`` so, and empties it at the last logout);
2. ``$XDG_CACHE_HOME/huaweicloud-vbs-locks`` (``~/.cache/...`` by default),
   when that directory (or the home that will hold it) is this user's and
   others cannot write to it;
3. ``huaweicloud-vbs-locks-<uid>`` in the temporary directory, the last resort:
   there anyone can take the name first, and the message then says so.

The directory is made 0700 and used only when it is a real directory of this
user that others cannot enter; lock files are opened without following
symbolic links. A lock held by a process is released when the process ends,
however it ends.

Lock files are never removed. Removing one safely needs every run to check,
once it holds the lock, that the file it locked is still the one under that
name: a run that opened the file, then waited while the holder removed it,
would hold a lock on a removed file while a third run locks a new file of the
same name, and both would change the policy at once. The files are empty,
one per policy a user has changed from this machine, in a directory of that
user's; the directory can be removed whenever no run is active.
"""

import errno
import hashlib
import os
import stat
import tempfile
import time

from urllib.parse import urlsplit

try:
    import fcntl
    HAS_FCNTL = True
except ImportError:  # not a POSIX system: the lock cannot be had
    HAS_FCNTL = False

LOCK_DIRECTORY_NAME = "huaweicloud-vbs-locks"
# In the temporary directory, which every user shares, the name carries the user ID.
LOCK_DIRECTORY_PREFIX = LOCK_DIRECTORY_NAME + "-"
DEFAULT_PORTS = {"http": 80, "https": 443}
FIRST_POLL_SECONDS = 0.01
MAX_POLL_SECONDS = 0.05


class LockError(Exception):
    """The lock could not be had; ``msg`` is one line that names the lock file and the policy."""

    def __init__(self, msg):
        super(LockError, self).__init__(msg)
        self.msg = msg


def lock_directory(base=None):
    """The per-user directory of the lock files (not created); see the top of this file.

    With ``base``, ``base/huaweicloud-vbs-locks-<uid>``, as in the temporary directory.
    """
    if base:
        return os.path.join(base, LOCK_DIRECTORY_PREFIX + str(os.getuid()))
    runtime = os.environ.get("XDG_RUNTIME_DIR")
    if runtime and os.path.isabs(runtime) and _only_mine(runtime):
        return os.path.join(runtime, LOCK_DIRECTORY_NAME)
    cache = os.environ.get("XDG_CACHE_HOME")
    if not (cache and os.path.isabs(cache)):
        cache = os.path.join(os.path.expanduser("~"), ".cache")
    if os.path.isabs(cache) and (_only_mine(cache) or (not os.path.lexists(cache)
                                                       and _only_mine(os.path.dirname(cache)))):
        return os.path.join(cache, LOCK_DIRECTORY_NAME)
    return os.path.join(tempfile.gettempdir(), LOCK_DIRECTORY_PREFIX + str(os.getuid()))


def _only_mine(path):
    """Whether ``path`` is a directory of this user in which no other user can create anything."""
    try:
        info = os.stat(path)
    except OSError:
        return False
    return stat.S_ISDIR(info.st_mode) and info.st_uid == os.getuid() and not info.st_mode & 0o022


def lock_key(endpoint):
    """The endpoint as the lock sees it: ``https://VBS.example:443/`` and ``https://vbs.example`` are one."""
    parts = urlsplit(endpoint.strip())
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").lower()
    if ":" in host:
        host = "[%s]" % host
    try:
        port = parts.port
    except ValueError:
        port = None
    if port is not None and port != DEFAULT_PORTS.get(scheme):
        host = "%s:%d" % (host, port)
    return "%s://%s%s" % (scheme, host, parts.path.rstrip("/"))


def lock_file_name(endpoint, project_id, policy_id):
    """A file name that stands for (endpoint, project, policy) and holds none of them in clear text."""
    key = "\0".join([lock_key(endpoint), project_id, policy_id]).encode("utf-8")
    return "policy-%s.lock" % hashlib.sha256(key).hexdigest()[:40]


def _clear_hint(path, owner):
    """How to get rid of what is in the way at ``path`` (belonging to user ID ``owner``)."""
    if owner != os.getuid():
        return ("it belongs to user ID %d: ask that user or an administrator to remove it, or give this user an "
                "XDG_RUNTIME_DIR or a home directory of its own, where the lock directory is made instead"
                % owner)
    return "remove it (rm -r %s) when no run of the collection is active; the next run makes it again" % path


def ensure_private_directory(path, what="lock directory"):
    """Create the directory (and its parent) 0700, or check that the one found is safe to use: a real
    directory of this user, closed to others; a LockError that calls it ``what`` otherwise. tools/vbs-probe
    keeps its journal in such a directory too."""
    parent = os.path.dirname(path)
    for directory in (parent, path):
        try:
            os.mkdir(directory, 0o700)
        except OSError as exc:
            if exc.errno != errno.EEXIST:
                raise LockError("cannot create the %s %s: %s" % (what, directory, exc.strerror))
    try:
        info = os.lstat(path)
    except OSError as exc:
        raise LockError("cannot use the %s %s: %s" % (what, path, exc.strerror))
    if stat.S_ISLNK(info.st_mode) or not stat.S_ISDIR(info.st_mode):
        raise LockError("refusing to use the %s %s: a %s is in its place; %s"
                        % (what, path, "symbolic link" if stat.S_ISLNK(info.st_mode) else "file that is not a "
                           "directory", _clear_hint(path, info.st_uid)))
    if info.st_uid != os.getuid():
        raise LockError("refusing to use the %s %s: it is not this user's (%d); %s"
                        % (what, path, os.getuid(), _clear_hint(path, info.st_uid)))
    if info.st_mode & 0o077:
        mode = stat.S_IMODE(info.st_mode)
        raise LockError("refusing to use the %s %s: other users have access to it (mode %04o; it must be 0700): "
                        "chmod 700 %s, or %s" % (what, path, mode, path, _clear_hint(path, info.st_uid)))


def open_private_file(path, what="lock file"):
    """A descriptor of the regular file ``path`` of this user (created 0600), opened without following a
    symbolic link; a LockError that calls it ``what`` otherwise."""
    flags = os.O_RDWR | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0)
    try:
        fd = os.open(path, flags, 0o600)
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise LockError("refusing to use the %s %s: it is a symbolic link" % (what, path))
        raise LockError("cannot open the %s %s: %s" % (what, path, exc.strerror))
    info = os.fstat(fd)
    if not stat.S_ISREG(info.st_mode) or info.st_uid != os.getuid():
        os.close(fd)
        raise LockError("refusing to use the %s %s: it is not a regular file of this user" % (what, path))
    return fd


class PolicyLock:
    """Exclusive lock of one policy; ``with PolicyLock(...) as lock:`` or acquire() / release().

    ``timeout`` is how long acquire() waits for another run to release it (0:
    not at all). ``waited`` is how long the last acquire() waited, in seconds.
    """

    def __init__(self, endpoint, project_id, policy_id, timeout, base_directory=None,
                 clock=time.monotonic, sleep=time.sleep):
        self.policy_id = policy_id
        self.timeout = timeout
        self.directory = lock_directory(base_directory)
        self.path = os.path.join(self.directory, lock_file_name(endpoint, project_id, policy_id))
        self.waited = 0.0
        self._clock = clock
        self._sleep = sleep
        self._fd = None

    @property
    def held(self):
        return self._fd is not None

    def acquire(self):
        if not HAS_FCNTL:
            raise LockError("cannot lock backup policy %s: this system has no fcntl file locks" % self.policy_id)
        if self._fd is not None:
            return
        ensure_private_directory(self.directory)
        fd = open_private_file(self.path)
        start = self._clock()
        pause = FIRST_POLL_SECONDS
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except (IOError, OSError) as exc:
                if exc.errno not in (errno.EAGAIN, errno.EACCES, errno.EWOULDBLOCK):
                    os.close(fd)
                    raise LockError("cannot lock %s for backup policy %s: %s" % (self.path, self.policy_id,
                                                                                 exc.strerror))
            waited = self._clock() - start
            if waited >= self.timeout:
                os.close(fd)
                raise LockError(
                    "another run of vbs_policy_resources on this machine held the lock of backup policy %s "
                    "(%s) for more than lock_timeout=%s seconds; raise lock_timeout, or run fewer tasks on that "
                    "policy at once" % (self.policy_id, self.path, self.timeout))
            self._sleep(min(pause, self.timeout - waited))
            pause = min(pause * 2, MAX_POLL_SECONDS)
        self.waited = self._clock() - start
        self._fd = fd

    def release(self):
        fd, self._fd = self._fd, None
        if fd is not None:
            # Closing the file releases the flock; the file stays for the next run (removing it
            # while another process waits on it would let two runs hold "the" lock at once).
            os.close(fd)

    def __enter__(self):
        self.acquire()
        return self

    def __exit__(self, *exc_info):
        self.release()
