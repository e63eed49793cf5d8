# -*- coding: utf-8 -*-
# Copyright: (c) 2026, huaweicloud.vbs contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""One exclusive lock per backup policy, for the runs of one user on one machine.

VBS exposes only a policy's volume count, so a run learns what it changed from
the count before and after its requests. Two runs on the same policy at the
same time (the forks of a per-host play) would see each other's changes. Each
run therefore holds an exclusive ``fcntl.flock`` on a file named after the
endpoint, project and policy for the whole read / change / read window.

The lock files live in a directory of their own under the temporary
directory, made 0700 and used only when it is a real directory owned by this
user; lock files are opened without following symbolic links. A lock held by
a process is released when the process ends, however it ends.
"""

import errno
import hashlib
import os
import stat
import tempfile
import time

try:
    import fcntl
    HAS_FCNTL = True
except ImportError:  # not a POSIX system: the lock cannot be had
    HAS_FCNTL = False

LOCK_DIRECTORY_PREFIX = "huaweicloud-vbs-locks-"
FIRST_POLL_SECONDS = 0.01
MAX_POLL_SECONDS = 0.05


class LockError(Exception):
    """The lock could not be had; ``msg`` is one line that names the lock file and the policy."""

    def __init__(self, msg):
        super(LockError, self).__init__(msg)
        self.msg = msg


def lock_directory(base=None):
    """The per-user directory of the lock files (not created)."""
    return os.path.join(base or tempfile.gettempdir(), LOCK_DIRECTORY_PREFIX + str(os.getuid()))


def lock_file_name(endpoint, project_id, policy_id):
    """A file name that stands for (endpoint, project, policy) and holds none of them in clear text."""
    key = "\0".join([endpoint.rstrip("/"), project_id, policy_id]).encode("utf-8")
    return "policy-%s.lock" % hashlib.sha256(key).hexdigest()[:40]


def ensure_private_directory(path):
    """Create the directory 0700, or check that the one found is safe to use (a real directory of this user,
    closed to others); a LockError otherwise. tools/vbs-probe keeps its journal in such a directory too."""
    try:
        os.mkdir(path, 0o700)
    except OSError as exc:
        if exc.errno != errno.EEXIST:
            raise LockError("cannot create the lock directory %s: %s" % (path, exc.strerror))
    try:
        info = os.lstat(path)
    except OSError as exc:
        raise LockError("cannot use the lock directory %s: %s" % (path, exc.strerror))
    if stat.S_ISLNK(info.st_mode) or not stat.S_ISDIR(info.st_mode):
        raise LockError("refusing to use the lock directory %s: it is not a directory (a symbolic link or "
                        "another file is in its place)" % path)
    if info.st_uid != os.getuid():
        raise LockError("refusing to use the lock directory %s: it belongs to user ID %d, not to this user (%d)"
                        % (path, info.st_uid, os.getuid()))
    if info.st_mode & 0o077:
        raise LockError("refusing to use the lock directory %s: other users have access to it (mode %04o; "
                        "it must be 0700)" % (path, stat.S_IMODE(info.st_mode)))


def open_private_file(path):
    """A descriptor of the regular file ``path`` of this user (created 0600), opened without following a
    symbolic link; a LockError otherwise."""
    flags = os.O_RDWR | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0)
    try:
        fd = os.open(path, flags, 0o600)
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise LockError("refusing to use the file %s: it is a symbolic link" % path)
        raise LockError("cannot open the file %s: %s" % (path, exc.strerror))
    info = os.fstat(fd)
    if not stat.S_ISREG(info.st_mode) or info.st_uid != os.getuid():
        os.close(fd)
        raise LockError("refusing to use the file %s: it is not a regular file of this user" % path)
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
