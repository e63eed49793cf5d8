# -*- coding: utf-8 -*-
# Copyright: (c) 2026, huaweicloud.vbs contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""The per-policy lock: real flock()s between real processes, and the checks of its directory."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import multiprocessing
import os
import stat
import tempfile
import threading
import time

import pytest

from ansible_collections.huaweicloud.vbs.plugins.module_utils.vbs_lock import (
    LockError, PolicyLock, lock_directory, lock_file_name)

ENDPOINT = "https://vbs.eu-de.example.com"
PROJECT = "0a1b2c3d4e5f60718293a4b5c6d7e8f9"


def _lock(base, policy="policy-1", timeout=5, **kwargs):
    return PolicyLock(ENDPOINT, PROJECT, policy, timeout, base_directory=str(base), **kwargs)


def _hold(base, policy, ready, release, seconds):
    """In a child process: take the lock, set ``ready``, hold it until ``release`` is set (or ``seconds`` pass)."""
    with _lock(base, policy):
        ready.set()
        release.wait(seconds)


class Holder:
    """A child process that holds one policy's lock until release() (or ``seconds``)."""

    def __init__(self, base, policy, seconds=30):
        context = multiprocessing.get_context("fork")
        self.ready = context.Event()
        self.release_event = context.Event()
        self.process = context.Process(target=_hold, args=(str(base), policy, self.ready, self.release_event,
                                                           seconds))
        self.process.start()
        assert self.ready.wait(10), "the child did not get the lock"

    def release(self):
        self.release_event.set()
        self.process.join(10)
        assert self.process.exitcode is not None


def test_file_name_depends_on_endpoint_project_and_policy_and_hides_them():
    names = {lock_file_name(ENDPOINT, PROJECT, "p1"), lock_file_name(ENDPOINT + "/", PROJECT, "p1")}
    assert len(names) == 1  # a trailing slash is the same endpoint
    others = {lock_file_name("https://other.example.com", PROJECT, "p1"), lock_file_name(ENDPOINT, "other", "p1"),
              lock_file_name(ENDPOINT, PROJECT, "p2"), lock_file_name(ENDPOINT, PROJECT + "p", "1")}
    assert len(others | names) == 5
    name = names.pop()
    assert PROJECT not in name and "p1" not in name and "/" not in name
    # A policy ID with path characters cannot leave the directory.
    assert "/" not in lock_file_name(ENDPOINT, PROJECT, "../../etc/passwd")


@pytest.mark.parametrize("same, other", [
    ("https://VBS.eu-de.example.com:443", "https://vbs.eu-de.example.com"),
    ("HTTPS://vbs.eu-de.example.com/", "https://vbs.eu-de.example.com"),
    ("http://vbs.eu-de.example.com:80", "http://vbs.eu-de.example.com"),
    ("https://[::1]:443/", "https://[::1]"),
    ("https://vbs.eu-de.example.com/vbs/", "https://VBS.eu-de.example.com:443/vbs"),
])
def test_spellings_of_one_endpoint_share_a_lock(same, other):
    assert lock_file_name(same, PROJECT, "p1") == lock_file_name(other, PROJECT, "p1")


@pytest.mark.parametrize("one, other", [
    ("https://vbs.eu-de.example.com:8443", "https://vbs.eu-de.example.com"),
    ("http://vbs.eu-de.example.com", "https://vbs.eu-de.example.com"),
    ("http://vbs.eu-de.example.com:443", "https://vbs.eu-de.example.com"),
    ("https://vbs.eu-de.example.com/a", "https://vbs.eu-de.example.com/b"),
])
def test_other_endpoints_do_not(one, other):
    assert lock_file_name(one, PROJECT, "p1") != lock_file_name(other, PROJECT, "p1")


# -- where the lock directory is: a place no other user can take first ---------------------------

@pytest.fixture
def places(tmp_path, monkeypatch):
    """A private home, a shared temporary directory (mode 1777) and no XDG variables; the paths."""
    home, shared = tmp_path / "home", tmp_path / "tmp"
    home.mkdir(mode=0o700)
    shared.mkdir()
    shared.chmod(0o1777)
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.delenv("XDG_RUNTIME_DIR", raising=False)
    monkeypatch.delenv("XDG_CACHE_HOME", raising=False)
    monkeypatch.setattr(tempfile, "tempdir", str(shared))
    return {"home": home, "tmp": shared, "base": tmp_path}


def default_lock(policy="policy-1", timeout=0):
    return PolicyLock(ENDPOINT, PROJECT, policy, timeout)


@pytest.mark.parametrize("squat", ["file", "dangling link", "directory 0777"])
def test_a_squatted_name_in_the_temporary_directory_no_longer_stops_the_lock(places, squat):
    """Another user could have made these at $TMPDIR/huaweicloud-vbs-locks-<uid> (here: this user, who can)."""
    squatted = places["tmp"] / ("huaweicloud-vbs-locks-%d" % os.getuid())
    if squat == "file":
        squatted.write_text("")
    elif squat == "dangling link":
        os.symlink(str(places["base"] / "nowhere"), str(squatted))
    else:
        squatted.mkdir()
        squatted.chmod(0o777)
    with default_lock() as lock:
        assert lock.held
        assert lock.directory == str(places["home"] / ".cache" / "huaweicloud-vbs-locks")
        assert stat.S_IMODE(os.lstat(lock.directory).st_mode) == 0o700
        assert stat.S_IMODE(os.lstat(os.path.dirname(lock.directory)).st_mode) == 0o700


def test_a_private_runtime_directory_comes_first(places, monkeypatch):
    runtime = places["base"] / "run"
    runtime.mkdir(mode=0o700)
    monkeypatch.setenv("XDG_RUNTIME_DIR", str(runtime))
    with default_lock() as lock:
        assert lock.directory == str(runtime / "huaweicloud-vbs-locks")


@pytest.mark.parametrize("mode", [0o777, 0o1777, 0o770], ids=["0777", "1777", "0770"])
def test_a_runtime_directory_others_can_write_to_is_passed_over(places, monkeypatch, mode):
    runtime = places["base"] / "run"
    runtime.mkdir()
    runtime.chmod(mode)
    monkeypatch.setenv("XDG_RUNTIME_DIR", str(runtime))
    assert lock_directory() == str(places["home"] / ".cache" / "huaweicloud-vbs-locks")


def test_xdg_cache_home_is_honoured(places, monkeypatch):
    cache = places["base"] / "cache"
    cache.mkdir(mode=0o700)
    monkeypatch.setenv("XDG_CACHE_HOME", str(cache))
    assert lock_directory() == str(cache / "huaweicloud-vbs-locks")


def test_without_a_home_of_its_own_the_temporary_directory_is_the_last_resort(places, monkeypatch):
    places["home"].chmod(0o777)  # others could create ~/.cache first
    assert lock_directory() == str(places["tmp"] / ("huaweicloud-vbs-locks-%d" % os.getuid()))
    monkeypatch.setenv("HOME", str(places["base"] / "no-such-home"))
    assert lock_directory() == str(places["tmp"] / ("huaweicloud-vbs-locks-%d" % os.getuid()))


@pytest.mark.parametrize("squat, words", [
    ("file", "a file that is not a directory is in its place; remove it (rm -r %s)"),
    ("link", "a symbolic link is in its place; remove it (rm -r %s)"),
    ("directory 0777", "mode 0777; it must be 0700): chmod 700 %s, or remove it (rm -r %s)"),
])
def test_something_in_the_way_in_the_chosen_place_is_named_with_how_to_clear_it(places, squat, words):
    """As this user (the tests cannot become another): what is refused, and what the message says to do."""
    path = places["home"] / ".cache" / "huaweicloud-vbs-locks"
    path.parent.mkdir(mode=0o700)
    if squat == "file":
        path.write_text("")
    elif squat == "link":
        (places["base"] / "elsewhere").mkdir(mode=0o700)
        os.symlink(str(places["base"] / "elsewhere"), str(path))
    else:
        path.mkdir()
        path.chmod(0o777)
    with pytest.raises(LockError) as caught:
        default_lock().acquire()
    expected = words % ((path,) * words.count("%s"))
    assert expected in caught.value.msg, caught.value.msg
    # Following the message clears it.
    if squat == "directory 0777":
        path.chmod(0o700)
    else:
        os.unlink(str(path))
    with default_lock() as lock:
        assert lock.held


def test_directory_is_per_user_and_created_private(tmp_path):
    lock = _lock(tmp_path)
    assert lock.directory == lock_directory(str(tmp_path))
    assert lock.directory.endswith(str(os.getuid()))
    with lock:
        assert lock.held
        info = os.lstat(lock.directory)
        assert stat.S_IMODE(info.st_mode) == 0o700
        assert os.path.dirname(lock.path) == lock.directory
        assert stat.S_IMODE(os.stat(lock.path).st_mode) & 0o077 == 0
    assert not lock.held


def test_a_second_holder_waits_until_the_first_releases(tmp_path):
    holder = Holder(tmp_path, "policy-1", seconds=60)
    lock = _lock(tmp_path, "policy-1", timeout=30)
    times = {}

    def acquire():
        times["start"] = time.monotonic()
        lock.acquire()
        times["acquired"] = time.monotonic()

    waiter = threading.Thread(target=acquire)
    waiter.start()
    # While the child holds the lock, the waiter cannot have it (a broken lock would let it through now).
    waiter.join(0.5)
    assert waiter.is_alive() and "acquired" not in times
    times["release"] = time.monotonic()
    holder.release()
    waiter.join(30)
    try:
        assert holder.process.exitcode == 0
        assert times["acquired"] >= times["release"]  # only once the holder let go
        assert 0 < lock.waited <= times["acquired"] - times["start"]
    finally:
        lock.release()


def test_another_policy_does_not_wait(tmp_path):
    holder = Holder(tmp_path, "policy-1")
    try:
        with _lock(tmp_path, "policy-2", timeout=0) as lock:
            assert lock.held
    finally:
        holder.release()


def test_timeout_fails_with_the_lock_file_and_the_policy(tmp_path):
    holder = Holder(tmp_path, "policy-1")
    try:
        lock = _lock(tmp_path, "policy-1", timeout=0.3)
        start = time.monotonic()
        with pytest.raises(LockError) as caught:
            lock.acquire()
        assert time.monotonic() - start < 10  # it gave up; the holder never let go
        assert lock.path in caught.value.msg and "policy-1" in caught.value.msg
        assert "lock_timeout=0.3" in caught.value.msg
        assert not lock.held
    finally:
        holder.release()


def test_zero_timeout_tries_once(tmp_path):
    sleeps = []
    holder = Holder(tmp_path, "policy-1")
    try:
        with pytest.raises(LockError):
            _lock(tmp_path, "policy-1", timeout=0, sleep=sleeps.append).acquire()
        assert sleeps == []
    finally:
        holder.release()


def test_a_lock_dies_with_its_process(tmp_path):
    holder = Holder(tmp_path, "policy-1", seconds=60)
    holder.process.kill()
    holder.process.join(10)
    with _lock(tmp_path, "policy-1", timeout=5) as lock:
        assert lock.held


def test_refuses_a_symlinked_directory(tmp_path):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir(mode=0o700)
    os.symlink(str(elsewhere), lock_directory(str(tmp_path)))
    with pytest.raises(LockError) as caught:
        _lock(tmp_path).acquire()
    assert "symbolic link" in caught.value.msg and lock_directory(str(tmp_path)) in caught.value.msg
    assert os.listdir(str(elsewhere)) == []


def test_refuses_a_directory_others_can_enter(tmp_path):
    os.mkdir(lock_directory(str(tmp_path)))
    os.chmod(lock_directory(str(tmp_path)), 0o777)
    with pytest.raises(LockError) as caught:
        _lock(tmp_path).acquire()
    assert "mode 0777" in caught.value.msg


def test_refuses_a_directory_of_another_user(tmp_path, monkeypatch):
    os.mkdir(lock_directory(str(tmp_path)), 0o700)
    real_uid = os.getuid()
    lock = _lock(tmp_path)
    # The directory name was computed for this user; then pretend to be someone else.
    monkeypatch.setattr(os, "getuid", lambda: real_uid + 1)
    with pytest.raises(LockError) as caught:
        lock.acquire()
    assert "belongs to user ID %d" % real_uid in caught.value.msg


def test_refuses_a_symlinked_lock_file(tmp_path):
    lock = _lock(tmp_path)
    os.mkdir(lock.directory, 0o700)
    target = tmp_path / "target"
    target.write_text("keep")
    os.symlink(str(target), lock.path)
    with pytest.raises(LockError) as caught:
        lock.acquire()
    assert "symbolic link" in caught.value.msg
    assert target.read_text() == "keep"


def test_refuses_a_lock_path_that_is_not_a_file(tmp_path):
    lock = _lock(tmp_path)
    os.mkdir(lock.directory, 0o700)
    os.mkfifo(lock.path, 0o600)
    with pytest.raises(LockError) as caught:
        lock.acquire()
    assert "not a regular file" in caught.value.msg


def test_release_is_idempotent_and_relock_works(tmp_path):
    lock = _lock(tmp_path)
    lock.acquire()
    lock.acquire()  # already held: no second descriptor
    lock.release()
    lock.release()
    with _lock(tmp_path, timeout=0) as other:
        assert other.held


def _increment(base, counter, rounds):
    """Read, pause, write: without mutual exclusion, concurrent processes lose increments."""
    for _round in range(rounds):
        with _lock(base, "policy-1", timeout=60):
            with open(counter) as handle:
                value = int(handle.read())
            time.sleep(0.002)
            with open(counter, "w") as handle:
                handle.write(str(value + 1))


def test_holders_never_overlap(tmp_path):
    counter = tmp_path / "counter"
    counter.write_text("0")
    context = multiprocessing.get_context("fork")
    processes = [context.Process(target=_increment, args=(str(tmp_path), str(counter), 20)) for _number in range(6)]
    for process in processes:
        process.start()
    for process in processes:
        process.join(60)
    assert [process.exitcode for process in processes] == [0] * 6
    assert counter.read_text() == "120"
