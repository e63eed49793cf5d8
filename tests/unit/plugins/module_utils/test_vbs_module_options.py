# -*- coding: utf-8 -*-
# Copyright: (c) 2026, huaweicloud.vbs contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""The shared options of VBSModule: environment fallbacks, defaults, checks, warnings, secrets."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json

import pytest

from ansible.module_utils.common import warnings as ansible_warnings
from ansible.module_utils.testing import patch_module_args  # tests/support/ansible_compat.py before 2.19

from ansible_collections.huaweicloud.vbs.plugins.module_utils.vbs_connection import plain_http_exposure
from ansible_collections.huaweicloud.vbs.plugins.module_utils.vbs_module import VBSModule, vbs_argument_spec
from ansible_collections.huaweicloud.vbs.tests.support import module_runner
from ansible_collections.huaweicloud.vbs.tests.support.module_runner import warning_texts
from ansible_collections.huaweicloud.vbs.tests.support.scripted_server import ScriptedServer, json_reply

ENV_OF = {
    "region": "HW_REGION_NAME",
    "cloud": "HW_CLOUD",
    "endpoint": "HW_VBS_ENDPOINT",
    "evs_endpoint": "HW_EVS_ENDPOINT",
    "auth_url": "HW_AUTH_URL",
    "ecs_endpoint": "HW_ECS_ENDPOINT",
    "project_id": "HW_PROJECT_ID",
    "project_name": "HW_PROJECT_NAME",
    "access_key": "HW_ACCESS_KEY",
    "secret_key": "HW_SECRET_KEY",
    "security_token": "HW_SECURITY_TOKEN",
    "user_name": "HW_USER_NAME",
    "password": "HW_USER_PASSWORD",
    "domain_name": "HW_DOMAIN_NAME",
    "auth_token": "HW_AUTH_TOKEN",
}
SECRETS = ("secret_key", "security_token", "password", "auth_token")
CREDENTIALS = ("access_key", "secret_key", "security_token", "user_name", "password", "domain_name", "auth_token")
TOKEN = {"auth_token": "a-given-token-Kq7Lm2Vb9Rt4Ws1Zp8Kd3Nf6Hj0"}


@pytest.fixture(autouse=True)
def fresh_warnings():
    ansible_warnings._global_warnings.clear()
    yield
    ansible_warnings._global_warnings.clear()


class Probe(VBSModule):
    """A module that does nothing but return what it was given."""

    def run(self):
        self.results["params"] = dict(self.params)


class ListingProbe(VBSModule):
    """A module that lists the backup policies and returns the token it authenticated with."""

    def run(self):
        policies = self.client.list_policies()
        self.results["count"] = len(policies)
        self.results["project_id"] = self.client.project_id
        self.results["echo"] = "token was %s" % self.client.auth.headers_for()("GET", "u", None)["X-Auth-Token"]


def build(args, cls=Probe):
    with patch_module_args(args):
        return cls()


def problem(args):
    return build(args).checked_connection()[-1]


def settings(args):
    """The shared options as checked and completed; fails the test on a problem."""
    module = build(args)
    given = dict(module.params)
    completed, _source, _stripped, problem_text = module.checked_connection()
    assert problem_text is None, problem_text
    assert module.params == given  # checking changes nothing
    return completed


def run_module(args, cls=Probe):
    """The module's result, with its exit code as ``_rc``."""
    def main():
        cls()()

    run = module_runner.run_module(main, args)
    assert run.crash is None, run.crash
    result = dict(run.result, _rc=run.exit_code)
    return result


# -- environment fallbacks -------------------------------------------------------------

@pytest.mark.parametrize("option,variable", sorted(ENV_OF.items()))
def test_every_option_falls_back_to_its_variable(monkeypatch, option, variable):
    monkeypatch.setenv(variable, "from-env-%s" % option)
    if option in CREDENTIALS:
        # Read as a set once the task's options are known, not by Ansible's fallback.
        assert build({}).params[option] is None
        assert build({}).checked_connection()[0][option] == "from-env-%s" % option
    else:
        assert build({}).params[option] == "from-env-%s" % option


@pytest.mark.parametrize("option", CREDENTIALS)
def test_one_credential_option_in_the_task_keeps_every_credential_variable_out(monkeypatch, option):
    for name, variable in ENV_OF.items():
        if name in CREDENTIALS:
            monkeypatch.setenv(variable, "from-env-%s" % name)
    completed, source, _stripped, _problem = build({option: "from-task-value-long-enough-to-be-a-token-x"}
                                                   ).checked_connection()
    assert source == "task"
    assert [name for name in CREDENTIALS if completed[name] and completed[name].startswith("from-env")] == []


def test_an_empty_credential_option_in_the_task_counts_as_none(monkeypatch):
    monkeypatch.setenv("HW_AUTH_TOKEN", TOKEN["auth_token"])
    completed, source, _stripped, problem_text = build({"region": "eu-de", "access_key": ""}).checked_connection()
    assert (source, completed["auth_token"], problem_text) == ("environment", TOKEN["auth_token"], None)


@pytest.mark.parametrize("option,variable", sorted(ENV_OF.items()))
def test_option_wins_over_variable(monkeypatch, option, variable):
    monkeypatch.setenv(variable, "from-env")
    assert build({option: "from-task"}).params[option] == "from-task"


@pytest.mark.parametrize("value,expected", [("true", False), ("True", False), ("1", False), ("yes", False),
                                            ("on", False), ("false", True), ("0", True), ("no", True)])
def test_hw_insecure(monkeypatch, value, expected):
    monkeypatch.setenv("HW_INSECURE", value)
    assert build({}).params["validate_certs"] is expected


def test_validate_certs_default_and_option_over_hw_insecure(monkeypatch):
    assert build({}).params["validate_certs"] is True
    monkeypatch.setenv("HW_INSECURE", "true")
    assert build({"validate_certs": True}).params["validate_certs"] is True


def test_secrets_are_no_log():
    spec = vbs_argument_spec()
    assert sorted(name for name, option in spec.items() if option.get("no_log")) == sorted(SECRETS)
    for name in ("region", "endpoint", "auth_url", "project_id", "user_name", "domain_name"):
        assert not spec[name].get("no_log")
    # The access key ID is an identifier that messages name; its name makes validate-modules ask, hence False.
    assert spec["access_key"]["no_log"] is False


def test_secrets_from_environment_are_masked_in_output(monkeypatch):
    monkeypatch.setenv("HW_ACCESS_KEY", "AKFROMENVIRONMENT")
    monkeypatch.setenv("HW_SECRET_KEY", "SKFROMENVIRONMENT")
    monkeypatch.setenv("HW_SECURITY_TOKEN", "STSFROMENVIRONMENT")
    result = run_module({"region": "eu-de"})
    assert result["_rc"] == 0
    text = json.dumps(result)
    for secret in ("SKFROMENVIRONMENT", "STSFROMENVIRONMENT"):
        assert secret not in text
    assert result["params"]["region"] == "eu-de"


# -- defaults ----------------------------------------------------------------------------

def test_defaults_from_region():
    params = settings(dict(TOKEN, region="eu-de"))
    assert params["cloud"] == "myhuaweicloud.com"
    assert params["endpoint"] == "https://vbs.eu-de.myhuaweicloud.com"
    assert params["auth_url"] == "https://iam.eu-de.myhuaweicloud.com/v3"
    assert params["project_name"] == "eu-de"
    assert params["project_id"] is None
    assert (params["timeout"], params["retries"], params["validate_certs"]) == (30, 4, True)


def test_defaults_from_region_and_cloud(monkeypatch):
    monkeypatch.setenv("HW_REGION_NAME", "eu-nl")
    monkeypatch.setenv("HW_CLOUD", "otc.t-systems.com")
    params = settings(TOKEN)
    assert params["endpoint"] == "https://vbs.eu-nl.otc.t-systems.com"
    assert params["auth_url"] == "https://iam.eu-nl.otc.t-systems.com/v3"


@pytest.mark.parametrize("given, evs, ecs", [
    ({"region": "eu-de"}, "https://evs.eu-de.myhuaweicloud.com", "https://ecs.eu-de.myhuaweicloud.com"),
    ({"region": "eu-de", "cloud": "otc.t-systems.com"}, "https://evs.eu-de.otc.t-systems.com",
     "https://ecs.eu-de.otc.t-systems.com"),
    ({"region": "eu-de", "endpoint": "https://vbs.eu-de.example.com:8443/"}, "https://evs.eu-de.example.com:8443",
     "https://ecs.eu-de.example.com:8443"),
    ({"region": "eu-de", "endpoint": "http://127.0.0.1:8480"}, "http://127.0.0.1:8480", "http://127.0.0.1:8480"),
    ({"region": "eu-de", "endpoint": "https://backup-proxy.example.com"}, None, None),
    ({"region": "eu-de", "endpoint": "https://backup-proxy.example.com", "ecs_endpoint": "https://ecs.example.com/"},
     None, "https://ecs.example.com"),
])
def test_the_evs_and_ecs_endpoints_follow_the_vbs_endpoint(given, evs, ecs):
    params = settings(dict(TOKEN, **given))
    assert (params["evs_endpoint"], params["ecs_endpoint"]) == (evs, ecs)


def test_a_bad_ecs_endpoint_is_refused():
    assert "ecs_endpoint must be an http:// or https:// URL" in problem(dict(TOKEN, region="eu-de",
                                                                             ecs_endpoint="ftp://ecs.example.com"))


def test_explicit_urls_kept_without_trailing_slash():
    params = settings(dict(TOKEN, region="eu-de", endpoint="http://127.0.0.1:8080/", auth_url="http://127.0.0.1:8080/v3/",
                           project_name="eu-de_project"))
    assert params["endpoint"] == "http://127.0.0.1:8080"
    assert params["auth_url"] == "http://127.0.0.1:8080/v3"
    assert params["project_name"] == "eu-de_project"


def test_a_run_sees_the_completed_settings():
    result = run_module(dict(TOKEN, region="eu-de", endpoint="HTTP://127.0.0.1:8080/", project_id=""))
    assert result["_rc"] == 0, result
    params = result["params"]
    assert params["endpoint"] == "http://127.0.0.1:8080"
    assert params["auth_url"] == "https://iam.eu-de.myhuaweicloud.com/v3"
    assert (params["project_id"], params["project_name"], params["cloud"]) == (None, "eu-de", "myhuaweicloud.com")


@pytest.mark.parametrize("endpoint,evs_endpoint", [
    (None, "https://evs.eu-de.myhuaweicloud.com"),
    ("https://vbs.eu-de.otc.t-systems.com", "https://evs.eu-de.otc.t-systems.com"),
    ("https://vbs.eu-de.otc.t-systems.com:8443/prefix", "https://evs.eu-de.otc.t-systems.com:8443/prefix"),
    ("HTTPS://vbs.eu-de.otc.t-systems.com/", "https://evs.eu-de.otc.t-systems.com"),
    ("http://127.0.0.1:8480", "http://127.0.0.1:8480"),
    ("http://[::1]:8480/", "http://[::1]:8480"),
    ("http://localhost:8480", "http://localhost:8480"),
    # Any other endpoint says nothing of where EVS is: never a guess from the region.
    ("https://backup-gateway.example.com", None),
    ("https://vbs-private.example.com", None),
])
def test_the_evs_endpoint_follows_the_vbs_endpoint(endpoint, evs_endpoint):
    args = dict(TOKEN, region="eu-de")
    if endpoint is not None:
        args["endpoint"] = endpoint
    assert settings(args)["evs_endpoint"] == evs_endpoint


def test_a_given_evs_endpoint_is_kept_and_checked():
    params = settings(dict(TOKEN, region="eu-de", evs_endpoint="https://evs.example.com/"))
    assert params["evs_endpoint"] == "https://evs.example.com"
    assert problem(dict(TOKEN, region="eu-de", evs_endpoint="ftp://evs.example.com")).startswith("evs_endpoint ")


def test_no_region_needs_both_urls_and_a_project():
    assert "region (HW_REGION_NAME) is required" in problem(dict(TOKEN, endpoint="http://127.0.0.1:1"))
    assert "auth_url is missing" in problem(dict(TOKEN, endpoint="http://127.0.0.1:1"))
    assert "endpoint is missing" in problem(dict(TOKEN, auth_url="http://127.0.0.1:1/v3"))
    urls = dict(TOKEN, endpoint="http://127.0.0.1:1", auth_url="http://127.0.0.1:1/v3")
    assert problem(urls) == "set project_id (HW_PROJECT_ID), project_name (HW_PROJECT_NAME) or region (HW_REGION_NAME)"
    assert problem(dict(urls, project_id="abc")) is None
    assert problem(dict(urls, project_name="eu-de")) is None


def test_credentials_are_checked_last(monkeypatch):
    assert problem({"region": "eu-de"}).startswith("No usable credentials")
    assert problem({"region": "eu-de", "access_key": "AK"}) == (
        "access_key and secret_key go together: secret_key is missing; the task sets credential options, so none "
        "is taken from the environment (HW_* variables): give the whole set in the task, or none there")
    monkeypatch.setenv("HW_ACCESS_KEY", "AK")
    assert problem({"region": "eu-de"}) == \
        "access_key and secret_key go together: secret_key (HW_SECRET_KEY) is missing"


# -- checks --------------------------------------------------------------------------------

@pytest.mark.parametrize("name", ["endpoint", "auth_url"])
@pytest.mark.parametrize("value,words", [
    ("vbs.eu-de.example.com", "must be an http:// or https:// URL with a host name"),
    ("ftp://vbs.eu-de.example.com", "must be an http:// or https:// URL with a host name"),
    ("https://", "must be an http:// or https:// URL with a host name"),
    ("https://user:pass@vbs.eu-de.example.com", "must not carry a user name or password"),
    ("https://user@vbs.eu-de.example.com", "must not carry a user name or password"),
    ("https:user:pass@vbs.eu-de.example.com", "must not carry a user name or password"),
    ("user:pass@vbs.eu-de.example.com", "must not carry a user name or password"),
    ("https://vbs\x00.example.com", "must not contain white space or control characters"),
    ("https://vbs.example.com/\x1b[2J", "must not contain white space or control characters"),
    ("https://vbs.example\ufffd.com", "is not UTF-8 text"),
    ("https://vbs.ex\u00e4mple.com", "has a host name that is not ASCII"),
    ("https://vbs.example.com/v\u00e4", "must have an ASCII path"),
    ("https://vbs!.example.com", "has a host name with characters that a host name cannot have"),
    ("https://vbs.example.com/v2/..", "must not have a . or .. segment in its path"),
    ("https://vbs.example.com/./v3", "must not have a . or .. segment in its path"),
    ("https://vbs.example.com/%2e%2E/v3", "must not have a . or .. segment in its path"),
    ("https://vbs.eu-de.example.com?x=1", "must not have a query or a fragment"),
    ("https://vbs.eu-de.example.com/v3?", "must not have a query or a fragment"),
    ("https://vbs.eu-de.example.com#top", "must not have a query or a fragment"),
    ("https://vbs.eu-de.example.com /v3", "must not contain white space"),
    (" https://vbs.eu-de.example.com", "must not contain white space"),
    ("https://vbs.eu-de\n.example.com", "must not contain white space"),
    ("https://vbs.eu-de.example.com:0", "has port 0"),
    ("https://vbs.eu-de.example.com:99999", "is not a valid URL"),
    ("https://vbs.eu-de.example.com:http", "is not a valid URL"),
    ("https://[::1", "is not a valid URL"),
])
def test_bad_urls(name, value, words):
    text = problem(dict(TOKEN, region="eu-de", **{name: value}))
    assert text is not None and text.startswith(name + " ")
    assert words in text


@pytest.mark.parametrize("region", ["EU-DE", "eu_de", "eu-de.", "-eu", "eu--de", "eu de", "eu-de/x", "ä", "eu-de\n"])
def test_bad_region(region):
    assert problem(dict(TOKEN, region=region)) == "region must look like eu-de or cn-north-4, got %r" % region


@pytest.mark.parametrize("cloud", ["localhost", "example.com/", "-x.com", "exa mple.com", "x..com", "x.com\n"])
def test_bad_cloud(cloud):
    assert problem(dict(TOKEN, region="eu-de", cloud=cloud)).startswith("cloud must be a domain name")


@pytest.mark.parametrize("project_id", ["../etc", "a/b", "a b", "a%2Fb", "x" * 65, "id\n", "ünï"])
def test_bad_project_id(project_id):
    assert problem(dict(TOKEN, region="eu-de", project_id=project_id)).startswith(
        "project_id must be letters, digits and dashes")


@pytest.mark.parametrize("project_id", ["0b4a7c5e9f1d4e2a8c3b6d5f7e9a1c2b", "a-B-9", "x" * 64])
def test_good_project_id(project_id):
    assert problem(dict(TOKEN, region="eu-de", project_id=project_id)) is None


@pytest.mark.parametrize("timeout", [0, -1])
def test_bad_timeout(timeout):
    assert problem(dict(TOKEN, region="eu-de", timeout=timeout)) == \
        "timeout must be a positive number of seconds, got %r" % timeout


@pytest.mark.parametrize("retries,ok", [(-1, False), (0, True), (20, True), (21, False)])
def test_retries_bounds(retries, ok):
    text = problem(dict(TOKEN, region="eu-de", retries=retries))
    if ok:
        assert text is None
    else:
        assert text == "retries must be between 0 and 20, got %r" % retries


def test_problem_fails_the_module_before_any_request():
    result = run_module(dict(TOKEN, region="eu-de", endpoint="ftp://x.example.com"))
    assert result["_rc"] == 1
    assert result["failed"] is True
    assert result["msg"] == "endpoint must be an http:// or https:// URL with a host name, got 'ftp://x.example.com'"


# -- warnings -------------------------------------------------------------------------------

def test_no_warning_by_default():
    result = run_module(dict(TOKEN, region="eu-de"))
    assert result["_rc"] == 0
    assert warning_texts(result) == []


def test_warning_when_validation_is_off(monkeypatch):
    monkeypatch.setenv("HW_INSECURE", "true")
    result = run_module(dict(TOKEN, region="eu-de"))
    assert len(warning_texts(result)) == 1
    assert "TLS certificate verification is off" in warning_texts(result)[0]


PLAIN_HTTP_URLS = [
    ("http://vbs.example.com", True),
    ("http://10.0.0.1:8080", True),
    ("http://127.0.0.1:8080", False),
    ("http://127.1.2.3", False),
    ("http://localhost:8080", False),
    ("http://[::1]:8080", False),
    ("https://vbs.example.com", False),
    ("HTTP://10.0.0.1", True),
    ("Http://vbs.example.com", True),
    ("http://127.evil.example", True),
    ("http://127.0.0.1.nip.io", True),
    ("http://localhost.example.com", True),
    ("http://[::ffff:127.0.0.1]", False),
    ("http://[::ffff:10.0.0.1]", True),
    ("HTTPS://vbs.example.com", False),
    ("http://LOCALHOST:8080", False),
]
AKSK = {"access_key": "AKIDEXAMPLE0000000001", "secret_key": "an-example-secret-key-of-forty-characters"}


@pytest.mark.parametrize("url,exposed", PLAIN_HTTP_URLS)
def test_a_token_over_plain_http_beyond_this_machine_is_refused(url, exposed):
    result = run_module(dict(TOKEN, region="eu-de", endpoint=url, auth_url=url + "/v3"))
    if exposed:
        assert result["_rc"] == 1
        assert result["msg"] == (
            "endpoint is a plain http:// URL that goes to a host that is not this machine: with token "
            "authentication, the token would cross the network unencrypted. Use https://, or set "
            "allow_plain_http: true to accept that")
    else:
        assert result["_rc"] == 0 and warning_texts(result) == []


@pytest.mark.parametrize("url,exposed", PLAIN_HTTP_URLS)
@pytest.mark.parametrize("credentials, consequence", [
    (AKSK, ": nothing is encrypted; anyone on the path can read the requests and answers; the signatures do not "
           "reveal the secret key"),
    (dict(TOKEN, allow_plain_http=True), " (allow_plain_http: true): nothing is encrypted, the token included"),
    (dict(user_name="alice", password="a-password", domain_name="acme", allow_plain_http=True),
     " (allow_plain_http: true): nothing is encrypted, the password and the IAM token included"),
], ids=["aksk", "token allowed", "password allowed"])
def test_plain_http_beyond_this_machine_is_warned_about_when_it_may_go(url, exposed, credentials, consequence):
    result = run_module(dict(credentials, region="eu-de", endpoint=url, auth_url=url + "/v3"))
    assert result["_rc"] == 0, result
    # A vbs. host also names its EVS and ECS endpoints (evs., ecs.), plain http:// as well.
    names = ("endpoint", "auth_url") + (("evs_endpoint", "ecs_endpoint") if "//vbs." in url.lower() else ())
    expected = ["%s uses plain http:// to a host that is not this machine%s" % (name, consequence)
                for name in names] if exposed else []
    assert warning_texts(result) == expected


@pytest.mark.parametrize("url, proxy, no_proxy, exposed", [
    ("http://127.0.0.1:8080", "http://proxy.example.com:3128", "", [("endpoint", True), ("auth_url", True)]),
    ("http://127.0.0.1:8080", "http://proxy.example.com:3128", "127.0.0.1", []),
    ("http://localhost:8080", "http://proxy.example.com:3128", "localhost,127.0.0.1", []),
    ("http://127.0.0.1:8080", "http://127.0.0.1:3128", "", []),
    ("http://vbs.example.com", "http://127.0.0.1:3128", "", [("endpoint", True), ("auth_url", True)]),
    ("https://vbs.example.com", "http://proxy.example.com:3128", "", []),
])
def test_where_a_plain_http_request_really_goes(monkeypatch, url, proxy, no_proxy, exposed):
    """requests' own choice of proxy: HTTP_PROXY unless NO_PROXY covers the host."""
    for name in ("HTTP_PROXY", "http_proxy", "HTTPS_PROXY", "https_proxy"):
        monkeypatch.setenv(name, proxy)
    for name in ("NO_PROXY", "no_proxy"):
        monkeypatch.setenv(name, no_proxy)
    assert plain_http_exposure({"endpoint": url, "auth_url": url + "/v3"}) == exposed


# -- the client a module builds ---------------------------------------------------------------

def test_module_builds_client_from_options_and_masks_the_token(monkeypatch):
    with ScriptedServer() as server:
        server.add(json_reply(201, {"token": {"project": {"id": "pid-from-token"}}},
                              {"X-Subject-Token": "RUNTIME-TOKEN-123-Kq7Lm2Vb9Rt4Ws1Zp8Kd3Nf6Hj0"}),
                   json_reply(200, {"backup_policies": [{"backup_policy_id": "a"}, {"backup_policy_id": "b"}]}))
        monkeypatch.setenv("HW_USER_NAME", "alice")
        monkeypatch.setenv("HW_USER_PASSWORD", "PASSWORD-FROM-ENV")
        monkeypatch.setenv("HW_DOMAIN_NAME", "acme")
        monkeypatch.setenv("HW_VBS_ENDPOINT", server.url)
        monkeypatch.setenv("HW_AUTH_URL", server.url + "/v3")
        result = run_module({"project_name": "eu-de", "timeout": 5, "retries": 0}, cls=ListingProbe)
    assert result["_rc"] == 0, result
    assert result["count"] == 2
    assert result["project_id"] == "pid-from-token"
    text = json.dumps(result)
    assert "RUNTIME-TOKEN-123-Kq7Lm2Vb9Rt4Ws1Zp8Kd3Nf6Hj0" not in text and "PASSWORD-FROM-ENV" not in text
    assert [r.path for r in server.requests] == ["/v3/auth/tokens", "/v2/pid-from-token/backuppolicy"]
    assert server.requests[0].json()["auth"]["identity"]["password"]["user"] == {
        "name": "alice", "password": "PASSWORD-FROM-ENV", "domain": {"name": "acme"}}
    assert server.requests[1].header("X-Auth-Token") == "RUNTIME-TOKEN-123-Kq7Lm2Vb9Rt4Ws1Zp8Kd3Nf6Hj0"


def test_module_reports_client_errors_with_their_facts():
    with ScriptedServer() as server:
        server.add(json_reply(403, {"error": {"code": "AutoBackup.0213", "message": "not authorized"}},
                              {"X-Request-Id": "req-9"}))
        result = run_module(dict(TOKEN, project_id="pid", endpoint=server.url, auth_url=server.url + "/v3",
                                 retries=0), cls=ListingProbe)
    assert result["_rc"] == 1
    assert result["msg"] == "VBS refused GET /v2/pid/backuppolicy: 403 AutoBackup.0213 not authorized (request ID req-9)"
    assert (result["status_code"], result["error_code"], result["error_message"], result["request_id"]) == (
        403, "AutoBackup.0213", "not authorized", "req-9")


def test_empty_values_count_as_unset():
    # AWX injects "" for every credential field left blank.
    params = settings(dict(TOKEN, region="eu-de", project_id="", project_name="", endpoint="", cloud=""))
    assert params["project_id"] is None
    assert params["project_name"] == "eu-de"
    assert params["endpoint"] == "https://vbs.eu-de.myhuaweicloud.com"


@pytest.mark.parametrize("hook", ["input_problem", "set_up"])
def test_a_module_with_the_hooks_that_prepare_replaced_is_refused(hook):
    # Those hooks are never called: a module that still has one would run with its options unchecked.
    legacy = type("LegacyModule", (VBSModule,), {hook: lambda self: None})
    with pytest.raises(TypeError) as caught:
        legacy()
    assert "LegacyModule.%s: check and set the options in prepare()" % hook == str(caught.value)
