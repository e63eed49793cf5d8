# -*- coding: utf-8 -*-
# Copyright: (c) 2026, huaweicloud.vbs contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""send_in_batches: order, concurrency limit, and what happens after a failed batch.

No outcome here depends on how the threads happen to be scheduled: where
batches must be in flight together, a barrier holds each one until all have
started, and where one must wait for another, an event orders them.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import threading
import types

import pytest

from ansible_collections.huaweicloud.vbs.plugins.module_utils import vbs_batches
from ansible_collections.huaweicloud.vbs.plugins.module_utils.vbs_batches import send_in_batches
from ansible_collections.huaweicloud.vbs.plugins.module_utils.vbs_errors import VBSError

WAIT = 10  # seconds; reached only when the code under test is wrong (it would otherwise hang)


class Recorder:
    """An action that answers every volume as a success, records what ran, and can fail given batches.

    ``hold(batch)``, when given, is called after the batch is counted in
    flight and before it is answered: the tests use it to order batches.
    """

    def __init__(self, fail=(), hold=None):
        self.fail = set(fail)
        self.hold = hold
        self.started = []
        self.threads = set()
        self.in_flight = 0
        self.most_in_flight = 0
        self.lock = threading.Lock()

    def __call__(self, policy_id, batch):
        with self.lock:
            self.started.append(batch[0])
            self.threads.add(threading.get_ident())
            self.in_flight += 1
            self.most_in_flight = max(self.most_in_flight, self.in_flight)
        try:
            if self.hold:
                self.hold(batch)
            if batch[0] in self.fail:
                raise VBSError("batch %s refused" % batch[0], status=500)
            return [{"resource_id": volume, "policy": policy_id} for volume in batch], []
        finally:
            with self.lock:
                self.in_flight -= 1


BATCHES = [["v%02d" % number, "w%02d" % number] for number in range(12)]


def test_every_batch_is_answered_in_batch_order():
    action = Recorder()
    answered, errors = send_in_batches(action, "p1", BATCHES, 4)
    assert errors == []
    assert [batch for batch, _ok, _failed in answered] == BATCHES
    assert answered[3][1] == [{"resource_id": "v03", "policy": "p1"}, {"resource_id": "w03", "policy": "p1"}]


@pytest.mark.parametrize("concurrency", [1, 2, 3, 4])
def test_as_many_requests_in_flight_as_the_concurrency_and_no_more(concurrency):
    # Every batch waits until `concurrency` batches are in flight together (12 batches make whole
    # groups), so reaching the concurrency is certain, not a matter of scheduling; a batch beyond it
    # would show as one more in flight, or as one more thread.
    together = threading.Barrier(concurrency, timeout=WAIT)
    action = Recorder(hold=lambda batch: together.wait())
    answered, errors = send_in_batches(action, "p1", BATCHES, concurrency)
    assert errors == []
    assert len(answered) == len(BATCHES)
    assert action.most_in_flight == concurrency
    assert len(action.threads) <= concurrency


def test_sequential_sending_stops_at_the_first_failure():
    action = Recorder(fail={"v02"})
    answered, errors = send_in_batches(action, "p1", BATCHES, 1)
    assert action.started == ["v00", "v01", "v02"]
    assert [batch[0] for batch, _ok, _failed in answered] == ["v00", "v01"]
    assert [str(error) for error in errors] == ["batch v02 refused"]


class ObservedEvent(threading.Event):
    """A threading.Event that also tells the test when it was set."""

    was_set = None

    def set(self):
        super().set()
        ObservedEvent.was_set.set()


def test_concurrent_sending_reports_batches_in_flight_and_starts_no_new_one(monkeypatch):
    # v00, v01 and v02 start together (barrier); v01 fails; v00 and v02 finish only once
    # send_in_batches has taken note of the failure (its stop event is set), so no batch may start after.
    ObservedEvent.was_set = threading.Event()
    observed_threading = types.ModuleType("threading")
    observed_threading.__dict__.update(vars(threading))
    observed_threading.Event = ObservedEvent
    monkeypatch.setattr(vbs_batches, "threading", observed_threading)
    first_three = threading.Barrier(3, timeout=WAIT)

    def hold(batch):
        first_three.wait()
        if batch[0] != "v01":
            assert ObservedEvent.was_set.wait(WAIT), "the failure of v01 never stopped the sending"

    action = Recorder(fail={"v01"}, hold=hold)
    answered, errors = send_in_batches(action, "p1", BATCHES, 3)
    assert sorted(action.started) == ["v00", "v01", "v02"]
    assert [batch[0] for batch, _ok, _failed in answered] == ["v00", "v02"]
    assert [str(error) for error in errors] == ["batch v01 refused"]
