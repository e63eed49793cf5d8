# -*- coding: utf-8 -*-
# Copyright: (c) 2026, huaweicloud.vbs contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""The transport counts the requests it sent again after an attempt the server may have applied."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest

from ansible_collections.huaweicloud.vbs.plugins.module_utils.vbs_transport import Transport
from ansible_collections.huaweicloud.vbs.tests.support.scripted_server import DROP, json_reply

OK = {"success_resources": [], "fail_resources": []}


def post(server, retries=4):
    transport = Transport(timeout=5, retries=retries, sleep=lambda seconds: None, rand=lambda: 0.0)
    transport.request("VBS", "POST", server.url + "/v2/p/backuppolicyresources", body={"x": 1})
    return transport


@pytest.mark.parametrize("first,counted", [
    (json_reply(500, {}), 1),
    (json_reply(502, {}), 1),
    (json_reply(503, {}), 1),
    (json_reply(504, {}), 1),
    (DROP, 1),
    (json_reply(429, {}, {"Retry-After": "0"}), 0),
])
def test_each_retry_after_an_attempt_that_may_have_been_applied_is_counted(server, first, counted):
    server.add(first, json_reply(200, OK))
    assert post(server).uncertain_repeats == counted
    assert len(server.requests) == 2


def test_a_first_answer_counts_nothing(server):
    server.add(json_reply(200, OK))
    assert post(server).uncertain_repeats == 0


def test_every_repeat_counts(server):
    server.add(json_reply(500, {}), DROP, json_reply(429, {}, {"Retry-After": "0"}), json_reply(200, OK))
    assert post(server).uncertain_repeats == 2
