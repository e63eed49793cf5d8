# -*- coding: utf-8 -*-
# Copyright: (c) 2026, huaweicloud.vbs contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""Credentials: which kind is used, how each request is authenticated, the project ID.

The credential options are one set: the task's (its options and module_defaults) when it sets any of
them, else the environment's HW_* variables; never some of each (take_credentials). Within that set,
when several kinds are given (documented in docs/authentication.md):
1. ``auth_token`` (used as is);
2. ``access_key`` + ``secret_key`` (+ ``security_token`` for temporary keys),
   each request signed with SDK-HMAC-SHA256;
3. ``user_name`` + ``password`` + ``domain_name``: one IAM token per module run.
"""

import re
import threading
import time

from urllib.parse import quote, urlsplit

from ansible_collections.huaweicloud.vbs.plugins.module_utils import vbs_signer
from ansible_collections.huaweicloud.vbs.plugins.module_utils.vbs_errors import VBSError
from ansible_collections.huaweicloud.vbs.plugins.module_utils.vbs_values import project_id_problem

IAM = "IAM"
NO_CREDENTIALS_MSG = (
    "No usable credentials: set access_key and secret_key (HW_ACCESS_KEY, HW_SECRET_KEY), "
    "or user_name, password and domain_name (HW_USER_NAME, HW_USER_PASSWORD, HW_DOMAIN_NAME), "
    "or auth_token (HW_AUTH_TOKEN)")

# VBS answers 401 with these codes when a token is no longer valid.
TOKEN_EXPIRED_CODES = frozenset(["AutoBackup.0003"])

# The credential options with their environment variables: what counts as "credentials in the task".
CREDENTIAL_OPTIONS = (("access_key", "HW_ACCESS_KEY"), ("secret_key", "HW_SECRET_KEY"),
                      ("security_token", "HW_SECURITY_TOKEN"), ("user_name", "HW_USER_NAME"),
                      ("password", "HW_USER_PASSWORD"), ("domain_name", "HW_DOMAIN_NAME"),
                      ("auth_token", "HW_AUTH_TOKEN"))
TASK = "task"
ENVIRONMENT = "environment"
TASK_SET_NOTE = ("; the task sets credential options, so none is taken from the environment (HW_* variables): "
                 "give the whole set in the task, or none there")

# Keystone's shortest tokens (UUID tokens) have 32 characters; Huawei Cloud's IAM tokens have thousands.
# A shorter value is no token, and registered for masking it would hide every occurrence of its
# characters in the output (a 4-character "token" masks parts of every volume ID).
MIN_TOKEN_LENGTH = 32
# The credentials that go into request headers or signatures, with their environment variables.
HEADER_CREDENTIALS = (("access_key", "HW_ACCESS_KEY"), ("secret_key", "HW_SECRET_KEY"),
                      ("security_token", "HW_SECURITY_TOKEN"), ("auth_token", "HW_AUTH_TOKEN"))
# Printable ASCII without white space: what keys and tokens are made of, and what a header can carry.
CREDENTIAL_TEXT = re.compile(r"^[\x21-\x7e]+\Z")


def clean_credentials(params):
    """Strip the white space around header credentials in ``params``; (names stripped, problem or None).

    A trailing newline (``HW_AUTH_TOKEN=$'...\\n'``, a key read from a file) would make requests refuse
    the header with an error that quotes the value. What is left must be printable ASCII without
    white space; the problem never quotes the value.
    """
    stripped = []
    for name, env in HEADER_CREDENTIALS:
        value = params.get(name)
        if not isinstance(value, str) or not value:
            continue
        if value.strip() != value:
            params[name] = value.strip() or None
            stripped.append(name)
        if params[name] and not CREDENTIAL_TEXT.match(params[name]):
            return stripped, ("%s (%s) holds white space, a line break or another character that is not printable "
                              "ASCII (the value is not shown)" % (name, env))
    token = params.get("auth_token")
    if token and len(token) < MIN_TOKEN_LENGTH:
        return stripped, ("auth_token (HW_AUTH_TOKEN) has %d characters, too few for an IAM token (at least %d); "
                          "the value is not shown" % (len(token), MIN_TOKEN_LENGTH))
    return stripped, None


def take_credentials(params, variable):
    """Where the credentials of ``params`` come from, as a set; fills them in from the environment.

    'task' when ``params`` (the task's options and module_defaults, "" counting as unset) hold any
    credential option: the environment is then not read at all, so that a task never acts with another
    identity's keys or token. Otherwise 'environment', and each credential option is set from its
    variable (``variable(name)``: its value, or None); None when neither has any.
    """
    if any(params.get(name) for name, _env in CREDENTIAL_OPTIONS):
        return TASK
    for name, env in CREDENTIAL_OPTIONS:
        params[name] = variable(env) or None
    return ENVIRONMENT if any(params.get(name) for name, _env in CREDENTIAL_OPTIONS) else None


def credential_kind(params):
    """'token', 'aksk' or 'password': the kind that the complete credentials of ``params`` authenticate with."""
    if params.get("auth_token"):
        return TokenAuth.kind
    if params.get("access_key"):
        return AkSkAuth.kind
    return PasswordAuth.kind


def credentials_problem(params, source=ENVIRONMENT):
    """Why the given credentials cannot be used, or None. Checked before any request.

    ``source`` is where they came from (take_credentials): the message then names the environment
    variables, or says that the task's set is not completed from the environment.
    """
    def named(name, env):
        return name if source == TASK else "%s (%s)" % (name, env)

    problem = None
    access_key, secret_key = params.get("access_key"), params.get("secret_key")
    if params.get("auth_token"):
        return None
    if access_key or secret_key:
        if not (access_key and secret_key):
            missing = named("secret_key", "HW_SECRET_KEY") if access_key else named("access_key", "HW_ACCESS_KEY")
            problem = "access_key and secret_key go together: %s is missing" % missing
    elif params.get("security_token"):
        problem = "%s needs access_key and secret_key as well" % named("security_token", "HW_SECURITY_TOKEN")
    else:
        user_fields = [("user_name", "HW_USER_NAME"), ("password", "HW_USER_PASSWORD"),
                       ("domain_name", "HW_DOMAIN_NAME")]
        missing = [named(name, env) for name, env in user_fields if not params.get(name)]
        if len(missing) == len(user_fields):
            return NO_CREDENTIALS_MSG
        if missing:
            problem = ("password authentication needs user_name, password and domain_name: missing %s"
                       % ", ".join(missing))
    if problem and source == TASK:
        problem += TASK_SET_NOTE
    return problem


CLOCK_SKEW_HINT_SECONDS = 5 * 60


def clock_hint(error, local_time):
    """A hint for a refused signature when the server's clock and ours disagree."""
    text = (error.error_message or "").lower()
    skew = None if error.server_time is None else local_time - error.server_time
    if "x-sdk-date" in text or (skew is not None and abs(skew) > CLOCK_SKEW_HINT_SECONDS):
        detail = "" if skew is None else " (this host's clock is %d minutes %s the server's)" % (
            int(round(abs(skew) / 60.0)), "ahead of" if skew > 0 else "behind")
        return ("check the clock of the host that runs the module%s: signed requests must be within "
                "15 minutes of the server time" % detail)
    return None


def send_authenticated(transport, auth, service, method, url, body=None, project_id=None, retries=None):
    """One request with ``auth``'s credentials: every request of the collection goes through here.

    A token that VBS refuses as expired is renewed once and the request sent
    again; a refused signature gets a hint when the clocks disagree.
    ``retries`` overrides the transport's number of retries for this request.
    """
    token_sent = auth.current_token()
    try:
        return transport.request(service, method, url, body=body, headers_for=auth.headers_for(project_id),
                                 retries=retries)
    except VBSError as error:
        if error.status != 401:
            raise
        if error.code in TOKEN_EXPIRED_CODES and auth.refresh(token_sent):
            return transport.request(service, method, url, body=body, headers_for=auth.headers_for(project_id),
                                     retries=retries)
        if auth.kind == "aksk":
            hint = clock_hint(error, time.time())
            if hint:
                error.add_hint(hint)
        raise


class _CredentialsWithoutRenewal:
    """Credentials that carry no project and cannot be renewed within a run."""

    def token_project_id(self):
        return None

    def current_token(self):
        return None

    def refresh(self, stale_token=None):
        return False


class AkSkAuth(_CredentialsWithoutRenewal):
    """Signs every request with the access key and secret key."""

    kind = "aksk"

    def __init__(self, access_key, secret_key, security_token=None):
        self._access_key = access_key
        self._secret_key = secret_key
        self._security_token = security_token

    def headers_for(self, project_id=None):
        def build(method, url, body):
            parts = urlsplit(url)
            headers = {}
            if project_id:
                headers["X-Project-Id"] = project_id
            if self._security_token:
                headers["X-Security-Token"] = self._security_token
            if body is not None:
                headers["Content-Type"] = "application/json;charset=UTF-8"
            return vbs_signer.sign(method, parts.netloc, parts.path, parts.query, headers, body,
                                   self._access_key, self._secret_key)
        return build


class TokenAuth(_CredentialsWithoutRenewal):
    """Sends a token given by the user; it cannot be renewed."""

    kind = "token"

    def __init__(self, token):
        self._token = token

    def headers_for(self, project_id=None):
        def build(method, url, body):
            return {"X-Auth-Token": self._token}
        return build


class PasswordAuth:
    """Gets an IAM token with user name and password, once per run, again once if it expires."""

    kind = "password"

    def __init__(self, transport, auth_url, user_name, password, domain_name,
                 project_id=None, project_name=None, on_secret=None):
        self._transport = transport
        self._auth_url = auth_url
        self._user_name = user_name
        self._password = password
        self._domain_name = domain_name
        self._project_id = project_id
        self._project_name = project_name
        self._on_secret = on_secret
        self._token = None
        self._token_project_id = None
        self._renewed = False
        # Batches may be sent from several threads: one token request at a time.
        self._lock = threading.Lock()

    def _scope(self):
        if self._project_id:
            return {"project": {"id": self._project_id}}
        return {"project": {"name": self._project_name}}

    def _obtain(self):
        body = {"auth": {
            "identity": {"methods": ["password"], "password": {"user": {
                "name": self._user_name, "password": self._password,
                "domain": {"name": self._domain_name}}}},
            "scope": self._scope(),
        }}
        response = self._transport.request(IAM, "POST", self._auth_url + "/auth/tokens", body=body)
        token = response.headers.get("X-Subject-Token")
        if not token:
            raise VBSError("IAM answered POST /v3/auth/tokens with %s but without an X-Subject-Token header"
                           % response.status, status=response.status, method="POST", service=IAM)
        if len(token) < MIN_TOKEN_LENGTH or not CREDENTIAL_TEXT.match(token):
            # Never registered for masking, never sent, never quoted.
            raise VBSError("IAM answered POST /v3/auth/tokens with %s and an X-Subject-Token of %d characters that "
                           "is no token (a token has at least %d printable characters without white space)"
                           % (response.status, len(token), MIN_TOKEN_LENGTH),
                           status=response.status, method="POST", service=IAM)
        if self._on_secret:
            self._on_secret(token)
        self._transport.add_secret(token)
        self._token = token
        self._token_project_id = _token_project_id(response.data)

    def _ensure_token(self):
        with self._lock:
            if self._token is None:
                self._obtain()

    def headers_for(self, project_id=None):
        def build(method, url, body):
            self._ensure_token()
            return {"X-Auth-Token": self._token}
        return build

    def token_project_id(self):
        self._ensure_token()
        return self._token_project_id

    def current_token(self):
        return self._token

    def refresh(self, stale_token=None):
        """Get a new token once per run; True when there is a newer token than ``stale_token`` to retry with.

        ``stale_token`` is the token the refused request carried (default: the current one); when another
        request renewed it meanwhile, the new one is used without asking IAM again.
        """
        with self._lock:
            if stale_token is not None and stale_token != self._token:
                return True
            if self._renewed:
                return False
            self._renewed = True
            self._obtain()
            return True


def _token_project_id(data):
    """token.project.id of an IAM token response, or None when the body has another shape."""
    token = data.get("token") if isinstance(data, dict) else None
    project = token.get("project") if isinstance(token, dict) else None
    project_id = project.get("id") if isinstance(project, dict) else None
    return project_id if isinstance(project_id, str) and project_id else None


def build_auth(params, transport, on_secret=None):
    """The authenticator for the module's parameters (credentials_problem() must be None)."""
    for name in ("secret_key", "security_token", "password", "auth_token"):
        transport.add_secret(params.get(name))
    kind = credential_kind(params)
    if kind == TokenAuth.kind:
        return TokenAuth(params["auth_token"])
    if kind == AkSkAuth.kind:
        return AkSkAuth(params["access_key"], params["secret_key"], params.get("security_token"))
    return PasswordAuth(transport, params["auth_url"], params["user_name"], params["password"],
                        params["domain_name"], project_id=params.get("project_id"),
                        project_name=params.get("project_name"), on_secret=on_secret)


def resolve_project_id(params, auth, transport):
    """The project ID: the option, else the token's project, else IAM's project list by name."""
    if params.get("project_id"):
        return params["project_id"]
    project_id = auth.token_project_id()
    if project_id:
        return _checked_project_id(project_id, "the token", "/v3/auth/tokens")
    name = params["project_name"]
    url = "%s/projects?%s" % (params["auth_url"], vbs_signer.canonical_query([("name", name)]))
    # The first signed request of a run without project_id: a skewed clock shows here first.
    response = send_authenticated(transport, auth, IAM, "GET", url)
    projects = response.data.get("projects") if isinstance(response.data, dict) else None
    if not isinstance(projects, list):
        raise VBSError("IAM answered GET /v3/projects without a list of projects", method="GET",
                       path=urlsplit(url).path, service=IAM)
    ids = [project.get("id") for project in projects
           if isinstance(project, dict) and project.get("name") == name
           and isinstance(project.get("id"), str) and project.get("id")]
    if not ids:
        raise VBSError("No project named %s is visible to these credentials at %s; set project_id (HW_PROJECT_ID) "
                       "or project_name (HW_PROJECT_NAME)" % (quote(name), params["auth_url"]),
                       method="GET", path=urlsplit(url).path, service=IAM)
    return _checked_project_id(ids[0], "the project list", urlsplit(url).path)


def _checked_project_id(project_id, source, path):
    """A project ID from IAM, held to the rule of the project_id option before it goes into any path."""
    problem = project_id_problem(project_id)
    if problem:
        raise VBSError("IAM returned a project ID in %s that is no project ID: it %s; set project_id (HW_PROJECT_ID)"
                       % (source, problem), path=path, service=IAM)
    return project_id
