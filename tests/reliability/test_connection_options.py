# -*- coding: utf-8 -*-
# Copyright: (c) 2026, huaweicloud.vbs contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""The shared connection options through real module runs against the emulator.

Each test runs a module's main() in this process (support/module_runner.py)
with task options and, where it matters, HW_* and proxy variables in the
environment, and reads what the emulator received from its request log:

* credentials: those of the task (options or module_defaults) are used as a
  set, and the environment's only when the task sets none; the result says
  which kind was used and where it came from;
* URLs with a login: refused, the password in no message and nowhere in the
  result (Ansible's ``invocation`` included);
* plain http:// that leaves this machine, directly or through a proxy: refused
  for password and token authentication unless allow_plain_http, a warning for
  AK/SK;
* odd URLs (NUL, a byte that is not UTF-8, dot segments, an IDN host, a proxy
  URL that cannot be parsed): one clear message each, no request, no traceback;
* host names that do not resolve: one attempt, a message that names the host
  and the option;
* the access key ID is named in messages, the secret key never.
"""

import json
import os

import pytest

from reliability.test_hostile_input import api_requests, base_args as resources_args
from reliability.test_hostile_input import emulator  # noqa: F401  # pylint: disable=unused-import
from support import seeds
from support.module_runner import clear_problem, run_module

from ansible_collections.huaweicloud.vbs.plugins.modules import vbs_backup_policy_info, vbs_policy_resources

DAILY = seeds.policy_id(1)
V = seeds.volume_id
# An IAM token in the shape of the emulator's, that the emulator never issued: a stale HW_AUTH_TOKEN.
STALE_TOKEN = "MII" + "StaleTokenLeftInTheEnvironment0123456789" * 3
URL_PASSWORD = "Url-Passw0rd-in-the-endpoint-Zx81"

UNKNOWN_HOST = "vbs.eu-de.example.invalid"  # .invalid never resolves (RFC 6761)


def base_args(emulator, **changes):
    """The hostile-input tests' options (AK/SK in the task), for any module: no policy or volumes, None left out."""
    args = resources_args(emulator, backup_policy_id=None, volumes=None)
    args.update(changes)
    return dict((key, value) for key, value in args.items() if value is not None)


def failed_clearly(run):
    assert run.failed, run
    assert clear_problem(run) is None, (clear_problem(run), run)
    return run.msg


# -- host names that do not resolve --------------------------------------------------------------

@pytest.mark.parametrize("option", ["endpoint", "auth_url"])
def test_a_host_name_that_does_not_resolve_fails_at_once_naming_the_option(emulator, option):
    url = "https://%s%s" % (UNKNOWN_HOST, "/v3" if option == "auth_url" else "")
    args = base_args(emulator, retries=4, **{option: url})
    if option == "auth_url":
        args.pop("project_id")  # so that the first request goes to IAM's project list
    msg = failed_clearly(run_module(vbs_backup_policy_info.main, args))
    assert "the host name %s of %s does not resolve" % (UNKNOWN_HOST, option) in msg, msg
    assert msg.count("(") == msg.count(")"), msg


# -- the access key ID is an identifier ----------------------------------------------------------

def test_a_refused_signature_names_the_access_key_id_and_no_secret(emulator):
    wrong_secret = "not-the-" + seeds.SECRET_KEY
    run = run_module(vbs_backup_policy_info.main, base_args(emulator, secret_key=wrong_secret))
    msg = failed_clearly(run)
    assert "signature mismatch for access key %s:" % seeds.ACCESS_KEY in msg, msg
    for text in run.texts() + [json.dumps(run.result)]:
        assert wrong_secret not in text and seeds.SECRET_KEY not in text


# -- credentials: the task's as a set, else the environment's -----------------------------------

AKSK_ENV = {"HW_ACCESS_KEY": seeds.ACCESS_KEY, "HW_SECRET_KEY": seeds.SECRET_KEY}


def connection_args(emulator, **changes):
    """The task's options without any credential (endpoints, region and project only), and ``changes``."""
    return base_args(emulator, **dict(dict(access_key=None, secret_key=None), **changes))


def with_environment(monkeypatch, variables):
    for name, value in variables.items():
        monkeypatch.setenv(name, value)


def test_a_wrong_password_in_the_task_is_not_saved_by_access_keys_of_the_environment(emulator, monkeypatch):
    """AWX injects HW_ACCESS_KEY and HW_SECRET_KEY; the task's own credentials must still be the ones used."""
    with_environment(monkeypatch, AKSK_ENV)
    emulator.clear_requests()
    args = connection_args(emulator, user_name=seeds.USER_NAME, password="wrong-" + seeds.PASSWORD,
                           domain_name=seeds.DOMAIN)
    msg = failed_clearly(run_module(vbs_backup_policy_info.main, args))
    assert msg.startswith("IAM refused POST /v3/auth/tokens: 401"), msg
    sent = api_requests(emulator)
    assert [(entry["method"], entry["path"], entry["auth"]) for entry in sent] == [
        ("POST", "/v3/auth/tokens", "none")], sent


def test_access_keys_in_the_task_win_over_a_stale_token_of_the_environment(emulator, monkeypatch):
    with_environment(monkeypatch, {"HW_AUTH_TOKEN": STALE_TOKEN})
    emulator.clear_requests()
    run = run_module(vbs_backup_policy_info.main, base_args(emulator))
    assert not run.failed, run
    assert (run.result["auth_kind"], run.result["auth_source"]) == ("aksk", "task")
    sent = api_requests(emulator)
    assert sent and all((entry["auth"], entry["access_key"]) == ("aksk", seeds.ACCESS_KEY) for entry in sent), sent


@pytest.mark.parametrize("kind, variables", [
    ("aksk", AKSK_ENV),
    ("password", {"HW_USER_NAME": seeds.USER_NAME, "HW_USER_PASSWORD": seeds.PASSWORD,
                  "HW_DOMAIN_NAME": seeds.DOMAIN}),
])
def test_without_credentials_in_the_task_the_environment_is_used_and_said(emulator, monkeypatch, kind, variables):
    with_environment(monkeypatch, dict(variables, HW_AUTH_TOKEN="") if kind == "password" else variables)
    run = run_module(vbs_backup_policy_info.main, connection_args(emulator))
    assert not run.failed, run
    assert (run.result["auth_kind"], run.result["auth_source"]) == (kind, "environment")
    for secret in seeds.SECRETS:
        assert secret not in json.dumps(run.result)


@pytest.mark.parametrize("given, missing", [
    (dict(user_name=seeds.USER_NAME), "password, domain_name"),
    (dict(access_key=seeds.ACCESS_KEY), "secret_key"),
    (dict(security_token=seeds.SECURITY_TOKEN), "access_key and secret_key"),
])
def test_half_a_set_in_the_task_is_not_completed_from_the_environment(emulator, monkeypatch, given, missing):
    with_environment(monkeypatch, dict(AKSK_ENV, HW_USER_PASSWORD=seeds.PASSWORD, HW_DOMAIN_NAME=seeds.DOMAIN))
    emulator.clear_requests()
    msg = failed_clearly(run_module(vbs_backup_policy_info.main, connection_args(emulator, **given)))
    assert missing in msg and "none is taken from the environment" in msg, msg
    assert api_requests(emulator) == []


# -- a URL with a login ---------------------------------------------------------------------------

@pytest.mark.parametrize("url", [
    "https://operator:%s@vbs.eu-de.example.com:99999" % URL_PASSWORD,   # and a port out of range
    "ftp://operator:%s@vbs.eu-de.example.com" % URL_PASSWORD,           # and another scheme
    "https://operator:%s@[::1" % URL_PASSWORD,                          # and an IPv6 address cut short
    "http://operator:%s@127.0.0.1:1/?x=1" % URL_PASSWORD,               # and a query
    "https://:%s@vbs.eu-de.example.com" % URL_PASSWORD,                 # a password without a user
])
@pytest.mark.parametrize("where", ["task", "environment"])
def test_a_password_in_a_url_is_refused_and_shown_nowhere(emulator, monkeypatch, url, where):
    emulator.clear_requests()
    args = base_args(emulator)
    if where == "task":
        args["endpoint"] = url
    else:
        del args["endpoint"]
        monkeypatch.setenv("HW_VBS_ENDPOINT", url)
    run = run_module(vbs_backup_policy_info.main, args)
    msg = failed_clearly(run)
    assert msg.startswith("endpoint must not carry a user name or password"), msg
    for text in run.texts() + [json.dumps(run.result)]:
        assert URL_PASSWORD not in text
    assert api_requests(emulator) == []


def test_a_short_url_password_is_masked_with_its_login(emulator):
    run = run_module(vbs_backup_policy_info.main, base_args(emulator, endpoint="https://u:ss@vbs.example.com:0"))
    failed_clearly(run)
    assert "u:ss@" not in json.dumps(run.result) and "u:ss@" not in json.dumps(run.raw)
    # Two letters alone are not masked wherever they occur.
    assert run.result["msg"].startswith("endpoint must not carry a user name or password"), run.result["msg"]


# -- plain http:// beyond this machine -----------------------------------------------------------

FAR_PROXY = "http://proxy.example.invalid:3128"  # a proxy on another machine (its name never resolves)


def through_proxy(monkeypatch, proxy, no_proxy=""):
    for name in ("HTTP_PROXY", "http_proxy"):
        monkeypatch.setenv(name, proxy)
    for name in ("NO_PROXY", "no_proxy"):
        monkeypatch.setenv(name, no_proxy)


@pytest.mark.parametrize("credentials", [
    dict(access_key=None, secret_key=None, auth_token=STALE_TOKEN),
    dict(access_key=None, secret_key=None, user_name=seeds.USER_NAME, password=seeds.PASSWORD,
         domain_name=seeds.DOMAIN),
], ids=["token", "password"])
def test_a_token_or_password_through_a_proxy_in_clear_text_is_refused(emulator, monkeypatch, credentials):
    through_proxy(monkeypatch, FAR_PROXY)
    run = run_module(vbs_backup_policy_info.main, base_args(emulator, **credentials))
    msg = failed_clearly(run)
    assert "plain http://" in msg and "through a proxy" in msg and "allow_plain_http" in msg, msg
    assert "Could not reach" not in msg  # refused before any request, not failed at the proxy


def test_allow_plain_http_lets_a_token_go_with_a_warning(emulator, monkeypatch):
    through_proxy(monkeypatch, FAR_PROXY)
    run = run_module(vbs_backup_policy_info.main, base_args(emulator, access_key=None, secret_key=None,
                                                            auth_token=STALE_TOKEN, allow_plain_http=True))
    assert "host name proxy.example.invalid of the proxy does not resolve" in failed_clearly(run), run.msg
    assert any("plain http://" in warning and "through a proxy" in warning for warning in run.raw_warnings), run


def test_access_keys_through_a_proxy_in_clear_text_are_warned_about(emulator, monkeypatch):
    through_proxy(monkeypatch, FAR_PROXY)
    run = run_module(vbs_backup_policy_info.main, base_args(emulator))
    failed_clearly(run)  # the proxy does not exist
    warnings = [warning for warning in run.raw_warnings if "plain http://" in warning]
    assert warnings and all("through a proxy" in warning and "secret key" in warning for warning in warnings), run


def test_no_proxy_for_this_machine_keeps_plain_http_local(emulator, monkeypatch):
    through_proxy(monkeypatch, FAR_PROXY, no_proxy="127.0.0.1,localhost")
    run = run_module(vbs_backup_policy_info.main, base_args(emulator, access_key=None, secret_key=None,
                                                            auth_token=STALE_TOKEN))
    assert failed_clearly(run).startswith("VBS refused GET"), run.msg  # reached the emulator, unwarned
    assert not [warning for warning in run.raw_warnings if "plain http://" in warning], run.raw_warnings


# -- odd URLs: one clear message each, before any request -------------------------------------------

def refused_before_any_request(emulator, args, *words):
    emulator.clear_requests()
    run = run_module(vbs_policy_resources.main, dict(args, backup_policy_id=DAILY, volumes=[V(1)]))
    msg = failed_clearly(run)
    for word in words:
        assert word in msg, (word, msg)
    assert api_requests(emulator) == [], api_requests(emulator)
    return msg


def test_a_nul_in_the_host_is_refused(emulator):
    refused_before_any_request(emulator, base_args(emulator, endpoint="http://vbs\x00.example.com"),
                               "endpoint must not contain white space or control characters")


def test_a_byte_that_is_not_utf8_in_the_environment_is_refused(emulator, monkeypatch):
    args = base_args(emulator)
    del args["endpoint"]
    monkeypatch.setitem(os.environb, b"HW_VBS_ENDPOINT", emulator.url.encode("ascii") + b"/v\xff")
    refused_before_any_request(emulator, args, "endpoint", "not UTF-8")


@pytest.mark.parametrize("path", ["/v2/..", "/..", "/.", "/a/./b", "/v2/%2e%2e", "/%2E"])
@pytest.mark.parametrize("option", ["endpoint", "auth_url"])
def test_dot_segments_in_a_url_path_are_refused(emulator, option, path):
    url = emulator.url + path
    refused_before_any_request(emulator, base_args(emulator, **{option: url}), option, "segment")


@pytest.mark.parametrize("host", ["vbs.ex\u00e4mple.com", "\u0431\u044d\u043a\u0430\u043f.example"])
def test_a_host_name_that_is_not_ascii_is_refused_with_aksk(emulator, host):
    url = "http://%s:%d" % (host, int(emulator.url.rsplit(":", 1)[1]))
    msg = refused_before_any_request(emulator, base_args(emulator, endpoint=url), "endpoint", "ASCII", "xn--")
    assert "header" not in msg, msg


@pytest.mark.parametrize("proxy", ["http://u:p@[::1", "http://proxy.example.com:99999", "http://[::1"])
def test_a_proxy_url_that_cannot_be_parsed_is_refused_unquoted(emulator, monkeypatch, proxy):
    through_proxy(monkeypatch, proxy)
    msg = refused_before_any_request(emulator, base_args(emulator), "proxy", "HTTP_PROXY", "not a valid URL")
    assert proxy not in msg and "u:p@" not in msg, msg
