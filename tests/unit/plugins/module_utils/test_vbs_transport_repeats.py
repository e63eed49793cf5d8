# -*- coding: utf-8 -*-
# Copyright: (c) 2026, huaweicloud.vbs contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""An answer says whether an attempt before it may have been applied: its effect is then in no answer."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest

from ansible_collections.huaweicloud.vbs.plugins.module_utils.vbs_transport import Transport
from ansible_collections.huaweicloud.vbs.tests.support.scripted_server import DROP, json_reply

OK = {"success_resources": [], "fail_resources": []}


def post(server, retries=4):
    transport = Transport(timeout=5, retries=retries, sleep=lambda seconds: None, rand=lambda: 0.0)
    return transport.request("VBS", "POST", server.url + "/v2/p/backuppolicyresources", body={"x": 1})


@pytest.mark.parametrize("first,repeated", [
    (json_reply(500, {}), True),
    (json_reply(502, {}), True),
    (json_reply(503, {}), True),
    (json_reply(504, {}), True),
    (DROP, True),
    (json_reply(429, {}, {"Retry-After": "0"}), False),
])
def test_an_answer_after_an_attempt_that_may_have_been_applied_says_so(server, first, repeated):
    server.add(first, json_reply(200, OK))
    assert post(server).maybe_applied_before is repeated
    assert len(server.requests) == 2


def test_a_first_answer_has_no_attempt_before_it(server):
    server.add(json_reply(200, OK))
    assert post(server).maybe_applied_before is False


def test_a_throttled_attempt_after_one_that_may_have_been_applied_changes_nothing(server):
    server.add(json_reply(500, {}), json_reply(429, {}, {"Retry-After": "0"}), json_reply(200, OK))
    assert post(server).maybe_applied_before is True
