# -*- coding: utf-8 -*-
# Copyright: (c) 2026, huaweicloud.vbs contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""send_in_batches: order, concurrency limit, and what happens after a failed batch."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import threading
import time

from ansible_collections.huaweicloud.vbs.plugins.module_utils.vbs_api import send_in_batches
from ansible_collections.huaweicloud.vbs.plugins.module_utils.vbs_errors import VBSError


class Recorder:
    """An action that answers every volume as a success, records what ran, and can fail given batches."""

    def __init__(self, fail=(), pause=0.0):
        self.fail = set(fail)
        self.pause = pause
        self.started = []
        self.in_flight = 0
        self.most_in_flight = 0
        self.lock = threading.Lock()

    def __call__(self, policy_id, batch):
        with self.lock:
            self.started.append(batch[0])
            self.in_flight += 1
            self.most_in_flight = max(self.most_in_flight, self.in_flight)
        try:
            time.sleep(self.pause)
            if batch[0] in self.fail:
                raise VBSError("batch %s refused" % batch[0], status=500)
            return [{"resource_id": volume, "policy": policy_id} for volume in batch], []
        finally:
            with self.lock:
                self.in_flight -= 1


BATCHES = [["v%02d" % number, "w%02d" % number] for number in range(12)]


def test_every_batch_is_answered_in_batch_order():
    action = Recorder(pause=0.01)
    answered, errors = send_in_batches(action, "p1", BATCHES, 4)
    assert errors == []
    assert [batch for batch, _ok, _failed in answered] == BATCHES
    assert answered[3][1] == [{"resource_id": "v03", "policy": "p1"}, {"resource_id": "w03", "policy": "p1"}]


def test_no_more_requests_in_flight_than_the_concurrency():
    for concurrency in (1, 3):
        action = Recorder(pause=0.05)
        send_in_batches(action, "p1", BATCHES, concurrency)
        assert action.most_in_flight == concurrency


def test_sequential_sending_stops_at_the_first_failure():
    action = Recorder(fail={"v02"})
    answered, errors = send_in_batches(action, "p1", BATCHES, 1)
    assert action.started == ["v00", "v01", "v02"]
    assert [batch[0] for batch, _ok, _failed in answered] == ["v00", "v01"]
    assert [str(error) for error in errors] == ["batch v02 refused"]


def test_concurrent_sending_reports_batches_in_flight_and_starts_no_new_one():
    action = Recorder(fail={"v01"}, pause=0.05)
    answered, errors = send_in_batches(action, "p1", BATCHES, 3)
    # v00, v01 and v02 were in flight together; v01 failed, the others finished and are reported.
    assert [batch[0] for batch, _ok, _failed in answered][:2] == ["v00", "v02"]
    assert len(errors) == 1
    assert len(action.started) < len(BATCHES)
    assert len(answered) + len(errors) == len(action.started)
