# -*- coding: utf-8 -*-
# Copyright: (c) 2026, huaweicloud.vbs contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""Sending a list of volumes in batches: the limits, the slicing, the concurrent sending.

The module's transport keeps a connection open for each batch in flight
(VBSModule passes the concurrency option as its pool size).
"""

import threading
from concurrent.futures import ThreadPoolExecutor

from ansible_collections.huaweicloud.vbs.plugins.module_utils.vbs_errors import VBSError
from ansible_collections.huaweicloud.vbs.plugins.module_utils.vbs_values import range_problem

MAX_BATCH_SIZE = 500
MAX_CONCURRENCY = 10


def options_problem(batch_size, concurrency):
    """Why ``batch_size`` or ``concurrency`` is out of range, or None."""
    return (range_problem("batch_size", batch_size, 1, MAX_BATCH_SIZE)
            or range_problem("concurrency", concurrency, 1, MAX_CONCURRENCY))


def batches(items, size):
    """Consecutive slices of at most ``size`` items."""
    return [items[start:start + size] for start in range(0, len(items), size)]


def send_in_batches(action, policy_id, batch_list, concurrency):
    """Call ``action(policy_id, batch)`` for every batch, at most ``concurrency`` at a time.

    Returns (answered, errors): (batch,) and what ``action`` returned (success
    items, fail items, ...) for every batch that was answered, and the
    VBSErrors of the others, both in batch order. After the first error no further batch is started; those already
    in flight finish, so their outcome is known and reported.
    """
    stop = threading.Event()

    def send(batch):
        if stop.is_set():
            return None
        try:
            return action(policy_id, batch)
        except VBSError:
            stop.set()
            raise

    with ThreadPoolExecutor(max_workers=max(1, min(concurrency, len(batch_list)))) as pool:
        futures = [pool.submit(send, batch) for batch in batch_list]
    answered, errors = [], []
    for batch, future in zip(batch_list, futures):
        try:
            result = future.result()
        except VBSError as error:
            errors.append(error)
            continue
        if result is not None:
            answered.append((batch,) + tuple(result))
    return answered, errors


def read_in_batches(read, batch_list, concurrency):
    """``[read(batch) for batch in batch_list]``, at most ``concurrency`` at a time, in batch order.

    For reads, which change nothing: the first VBSError (in batch order) is raised once every read ended.
    """
    if len(batch_list) <= 1 or concurrency <= 1:
        return [read(batch) for batch in batch_list]
    with ThreadPoolExecutor(max_workers=min(concurrency, len(batch_list))) as pool:
        futures = [pool.submit(read, batch) for batch in batch_list]
    return [future.result() for future in futures]
