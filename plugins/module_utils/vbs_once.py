# -*- coding: utf-8 -*-
# Copyright: (c) 2026, huaweicloud.vbs contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""A write that must not happen twice (a backup, a restore, a policy run), sent again only when it was not applied."""

from ansible_collections.huaweicloud.vbs.plugins.module_utils.vbs_errors import THROTTLED, VBSError


def send_once(transport, send, find_applied):
    """What ``send()`` returns; ``send`` makes one attempt (retries=0).

    A throttled attempt (429) was not applied: it is sent again after the transport's backoff, up to
    ``transport.retries`` times. A server error or a missing answer may have been applied:
    ``find_applied(error)`` looks for what it left and returns it (taken as the answer), or None when
    there is nothing (the write is sent again). Any other error is raised at once.
    """
    attempt = 0
    while True:
        try:
            return send()
        except VBSError as error:
            if not error.maybe_applied and error.status != THROTTLED:
                raise
            if error.maybe_applied:
                found = find_applied(error)
                if found is not None:
                    return found
            if attempt >= transport.retries:
                raise
            attempt += 1
            transport.sleep(transport.backoff(attempt))
