# -*- coding: utf-8 -*-
# Copyright: (c) 2026, huaweicloud.vbs contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""The ids filter of cloudvolumes/detail, applied or ignored as the switch evs_ids_filter says."""

import pytest

from emulator_testlib import FREE, IN_A, build_seed


@pytest.fixture
def evs(api, emulator):
    emulator.configure(evs_ids_filter="supported")
    yield lambda query: api.with_token("GET", "/cloudvolumes/detail?" + query)
    emulator.configure(evs_ids_filter="supported")


def listed(answer):
    assert answer.status == 200, answer
    return answer.data["count"], sorted(volume["id"] for volume in answer.data["volumes"])


def test_the_ids_filter_lists_only_the_given_volumes_by_default(evs, emulator):
    assert emulator.config()["evs_ids_filter"] == "supported"
    assert listed(evs("ids=['%s','%s']" % (IN_A, FREE[0]))) == (2, sorted([IN_A, FREE[0]]))
    assert listed(evs("ids=['no-such-volume']")) == (0, [])
    assert evs("ids=no-list").status == 400


def test_an_evs_that_ignores_the_ids_filter_lists_every_volume(evs, emulator):
    emulator.configure(evs_ids_filter="ignored")
    every = sorted(volume["id"] for volume in build_seed()["volumes"])
    assert listed(evs("ids=['no-such-volume']")) == (len(every), every)
    assert listed(evs("ids=no-list")) == (len(every), every)  # not read, so not refused either
    assert listed(evs("ids=['%s']&status=in-use" % FREE[0]))[1] == sorted(
        volume["id"] for volume in build_seed()["volumes"] if volume["status"] == "in-use")


def test_the_switch_takes_only_its_two_values(emulator):
    status, data = emulator.call("POST", "/_emulator/config", {"evs_ids_filter": "sometimes"})
    assert status == 400 and "evs_ids_filter must be one of supported, ignored" in data["error"]["message"]
