# -*- coding: utf-8 -*-
# Copyright: (c) 2026, huaweicloud.vbs contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""What the probe records so that it, or a later run, can always undo what it did.

Two records, each enough on its own once the volume's former policy is known:

* in the cloud: the temporary policy's name says what it is and when it was made
  (``vbs-probe-20261204T153012Z-3f9a``); its tags name the probed volume and, once known, the
  policy the volume was in (``none``: in none);
* on this machine: a journal per temporary policy in ``$XDG_STATE_HOME/huaweicloud-vbs-probe``
  (default ``~/.local/state/...``), written before the policy is created, holding the same facts and
  every policy's volume count before the first change. A run holds an exclusive lock on its journal, so
  a later run tells a live probe from an interrupted one.
"""

import calendar
import errno
import json
import os
import random
import re
import time

try:
    import fcntl
except ImportError:  # not POSIX: journals are not locked
    fcntl = None

from ansible_collections.huaweicloud.vbs.plugins.module_utils.vbs_lock import (
    LockError, ensure_private_directory, open_private_file)

from .session import ProbeStop

NAME_PREFIX = "vbs-probe-"
NAME_PATTERN = re.compile(r"^vbs-probe-(\d{8}T\d{6}Z)-[0-9a-f]{4}\Z")
STAMP_FORMAT = "%Y%m%dT%H%M%SZ"
TAG_VOLUME = "vbs-probe-volume"
TAG_ORIGIN = "vbs-probe-origin"
NO_POLICY = "none"
# A journal is a few kilobytes; a larger file is not one of ours.
MAX_JOURNAL_BYTES = 1024 * 1024


def policy_name(now=None, rand=random.random):
    """A new temporary policy's name: what it is, when (UTC, to the second), and 4 hex digits."""
    stamp = time.strftime(STAMP_FORMAT, time.gmtime(time.time() if now is None else now))
    return "%s%s-%04x" % (NAME_PREFIX, stamp, int(rand() * 0x10000) & 0xFFFF)


def created_at(name):
    """Epoch seconds at which the probe named the policy ``name``; None when it is no probe's name."""
    match = NAME_PATTERN.match(name) if isinstance(name, str) else None
    try:
        return calendar.timegm(time.strptime(match.group(1), STAMP_FORMAT)) if match else None
    except ValueError:  # digits that are no time, such as month 13
        return None


def is_probe_name(name):
    return created_at(name) is not None


def origin_tag(origin):
    """The tag value of a former policy (None: in no policy)."""
    return NO_POLICY if origin is None else origin


def journal_directory(environ=None):
    environ = os.environ if environ is None else environ
    base = environ.get("XDG_STATE_HOME") or os.path.join(os.path.expanduser("~"), ".local", "state")
    return os.path.join(base, "huaweicloud-vbs-probe")


class Journal:
    """The journal of one temporary policy, locked while this process holds it."""

    def __init__(self, directory, name):
        self.directory = directory
        self.name = name
        self.path = os.path.join(directory, name + ".json")
        self._fd = None

    @classmethod
    def start(cls, directory, name, facts):
        """A new journal holding ``facts``, locked."""
        journal = cls(directory, name)
        journal._open(create=True)
        journal.save(facts)
        return journal

    @classmethod
    def take_over(cls, directory, name):
        """(journal, facts) of an interrupted run's journal, now locked by this run; (None, None) when there is
        none. ProbeStop when a live run holds it, or it is unreadable."""
        journal = cls(directory, name)
        if not os.path.lexists(journal.path):
            return None, None
        journal._open(create=False)
        return journal, journal._read()

    def _open(self, create):
        try:
            os.makedirs(os.path.dirname(os.path.dirname(self.directory)), exist_ok=True)
            ensure_private_directory(self.directory, "journal directory")
            if not create and not os.path.lexists(self.path):
                raise ProbeStop("the journal %s is gone" % self.path)
            fd = open_private_file(self.path, "journal")
        except LockError as error:
            raise ProbeStop(error.msg)
        except OSError as error:
            raise ProbeStop("cannot use the journal directory %s: %s" % (self.directory, error.strerror))
        if fcntl is not None:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError as error:
                os.close(fd)
                if error.errno in (errno.EAGAIN, errno.EACCES, errno.EWOULDBLOCK):
                    raise ProbeStop("another run of the probe on this machine holds %s: it is still running; "
                                    "wait for it to finish" % self.path)
                raise ProbeStop("cannot lock the journal %s: %s" % (self.path, error.strerror))
        self._fd = fd

    def _read(self):
        os.lseek(self._fd, 0, os.SEEK_SET)
        raw = os.read(self._fd, MAX_JOURNAL_BYTES + 1)
        try:
            facts = json.loads(raw.decode("utf-8"))
        except ValueError:
            facts = None
        if len(raw) > MAX_JOURNAL_BYTES or not isinstance(facts, dict):
            raise ProbeStop("the journal %s is not one the probe wrote; move it away" % self.path)
        return facts

    def save(self, facts):
        data = json.dumps(facts, indent=2, sort_keys=True).encode("utf-8")
        os.lseek(self._fd, 0, os.SEEK_SET)
        os.ftruncate(self._fd, 0)
        os.write(self._fd, data)
        os.fsync(self._fd)

    def remove(self):
        """Delete the journal (its policy is gone) and let go of it."""
        try:
            os.unlink(self.path)
        except OSError as error:
            if error.errno != errno.ENOENT:
                raise ProbeStop("cannot remove the journal %s: %s" % (self.path, error.strerror))
        self.release()

    def release(self):
        fd, self._fd = self._fd, None
        if fd is not None:
            os.close(fd)
