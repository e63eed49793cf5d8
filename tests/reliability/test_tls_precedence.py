# -*- coding: utf-8 -*-
# Copyright: (c) 2026, huaweicloud.vbs contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""What wins over what in TLS verification, as docs/authentication.md states it.

Through the ansible command, against the emulator serving HTTPS with a
certificate of the test's own CA (the set-up of test_tls.py):

* validate_certs given (true or false) wins over HW_INSECURE;
* without it, HW_INSECURE=true (also 1, yes, on, in any case) turns
  verification off, whatever REQUESTS_CA_BUNDLE says; other values leave it on;
* with verification on, ca_path wins over REQUESTS_CA_BUNDLE and
  CURL_CA_BUNDLE, which choose the CAs when ca_path is not given;
* REQUESTS_CA_BUNDLE never turns verification off.
"""

import pytest

from test_tls import DAILY, V, assert_refused_for_tls, emulator, fresh, pki, run  # noqa: F401 pylint: disable=unused-import

OFF = "TLS certificate verification is off"


def assert_accepted(result, emulator_process, verified):
    assert result.rc == 0, result
    assert emulator_process.members(DAILY) == [V(1)]
    assert (OFF not in result.output) is verified, result


@pytest.mark.parametrize("variable", ["REQUESTS_CA_BUNDLE", "CURL_CA_BUNDLE"])
def test_a_ca_bundle_variable_chooses_the_cas_without_ca_path(fresh, pki, variable):
    assert_accepted(run(fresh, env={variable: pki["ca"]}), fresh, verified=True)


def test_ca_path_wins_over_requests_ca_bundle(fresh, pki):
    assert_refused_for_tls(run(fresh, {"ca_path": pki["other_ca"]}, env={"REQUESTS_CA_BUNDLE": pki["ca"]}))
    assert_accepted(run(fresh, {"ca_path": pki["ca"]}, env={"REQUESTS_CA_BUNDLE": pki["other_ca"]}), fresh,
                    verified=True)


@pytest.mark.parametrize("value", ["true", " On "])
def test_hw_insecure_turns_verification_off_whatever_requests_ca_bundle_says(fresh, pki, value):
    result = run(fresh, env={"HW_INSECURE": value, "REQUESTS_CA_BUNDLE": pki["other_ca"]})
    assert_accepted(result, fresh, verified=False)


@pytest.mark.parametrize("value", ["false", ""])
def test_other_values_of_hw_insecure_leave_verification_on(fresh, value):
    assert_refused_for_tls(run(fresh, env={"HW_INSECURE": value}))


def test_validate_certs_false_wins_over_hw_insecure_and_ignores_the_ca_bundles(fresh, pki):
    result = run(fresh, {"validate_certs": False, "ca_path": pki["other_ca"]},
                 env={"HW_INSECURE": "false", "REQUESTS_CA_BUNDLE": pki["other_ca"]})
    assert_accepted(result, fresh, verified=False)


def test_validate_certs_true_wins_over_hw_insecure_even_with_a_ca_bundle(fresh, pki):
    result = run(fresh, {"validate_certs": True}, env={"HW_INSECURE": "true", "REQUESTS_CA_BUNDLE": pki["ca"]})
    assert_accepted(result, fresh, verified=True)
