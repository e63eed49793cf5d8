# -*- coding: utf-8 -*-
# Copyright: (c) 2026, huaweicloud.vbs contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""The base of every module of the collection: shared options, their checks, the client.

A module subclasses VBSModule, declares its own ``argument_spec`` and
implements ``run()``; ``main()`` is ``MyModule()()``. Shared options are
documented once, in the doc fragment ``huaweicloud.vbs.vbs``.
"""

import ipaddress
import os
import re

from urllib.parse import unquote, urlsplit, urlunsplit

from ansible.module_utils.basic import AnsibleModule, env_fallback, missing_required_lib

from ansible_collections.huaweicloud.vbs.plugins.module_utils import vbs_auth, vbs_ids, vbs_transport
from ansible_collections.huaweicloud.vbs.plugins.module_utils.vbs_api import VBSClient
from ansible_collections.huaweicloud.vbs.plugins.module_utils.vbs_ecs import ECSClient
from ansible_collections.huaweicloud.vbs.plugins.module_utils.vbs_backups import BackupClient
from ansible_collections.huaweicloud.vbs.plugins.module_utils.vbs_errors import VBSError
from ansible_collections.huaweicloud.vbs.plugins.module_utils.vbs_evs import EVSClient
from ansible_collections.huaweicloud.vbs.plugins.module_utils.vbs_options import range_problem, whole_number_between
from ansible_collections.huaweicloud.vbs.plugins.module_utils.vbs_text import MAX_MSG_CHARS, safe_text, shown

DEFAULT_CLOUD = "myhuaweicloud.com"
DEFAULT_TIMEOUT = 30
DEFAULT_RETRIES = 4
MAX_RETRIES = 20
MAX_TIMEOUT = 3600
REGION_PATTERN = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*\Z")
CLOUD_PATTERN = re.compile(r"^[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)+\Z")
# Values shorter than this are never added to Ansible's no_log masking: it would hide every occurrence.
MIN_NO_LOG_LENGTH = 8
# The options that hold a root URL: each is held to the one URL rule, url_problem(), in complete_connection().
# The endpoint options of the other services, derived from the VBS endpoint when not given (derived_endpoint).
DERIVED_ENDPOINTS = (("evs_endpoint", "evs"), ("ecs_endpoint", "ecs"))
# Every URL option, checked by one rule; the derived ones last (they may follow from endpoint), and may be None.
URL_OPTIONS = ("endpoint", "auth_url") + tuple(name for name, _service in DERIVED_ENDPOINTS)
# A host name as a URL may carry it (an IP address in brackets is checked by ipaddress).
HOST_PATTERN = re.compile(r"^[A-Za-z0-9_]([A-Za-z0-9_.-]*[A-Za-z0-9_])?\.?\Z")
# What plain http:// would expose, by kind of credentials (AK/SK signatures do not reveal the secret key).
PLAIN_HTTP_EXPOSES = {"password": "the password and the IAM token", "token": "the token"}
PLAIN_HTTP_AKSK = "anyone on the path can read the requests and answers; the signatures do not reveal the secret key"


def _as_text(value):
    """A value of the environment as text: each byte that is not UTF-8 becomes U+FFFD.

    Python keeps such a byte as a lone surrogate, which Ansible cannot even log (a traceback before the
    module runs); U+FFFD is refused by every check of the options, with a message.
    """
    return value.encode("utf-8", "surrogateescape").decode("utf-8", "replace")


def env_text(*names):
    """env_fallback for a text option (the shared options' fallback): the value as _as_text() makes it."""
    return _as_text(env_fallback(*names))


def environment_text(name):
    """The variable ``name`` of the environment as text (see _as_text), or None when it is not set."""
    value = os.environ.get(name)
    return None if value is None else _as_text(value)


def _validate_certs_from_env():
    """validate_certs from HW_INSECURE (HW_INSECURE=true turns verification off); not found when unset."""
    value = env_fallback("HW_INSECURE")
    return str(value).strip().lower() not in ("1", "true", "yes", "on")


def vbs_argument_spec():
    """The shared options (documented in plugins/doc_fragments/vbs.py)."""
    return dict(
        region=dict(type="str", fallback=(env_text, ["HW_REGION_NAME"])),
        cloud=dict(type="str", fallback=(env_text, ["HW_CLOUD"])),
        endpoint=dict(type="str", fallback=(env_text, ["HW_VBS_ENDPOINT"])),
        evs_endpoint=dict(type="str", fallback=(env_text, ["HW_EVS_ENDPOINT"])),
        ecs_endpoint=dict(type="str", fallback=(env_text, ["HW_ECS_ENDPOINT"])),
        auth_url=dict(type="str", fallback=(env_text, ["HW_AUTH_URL"])),
        project_id=dict(type="str", fallback=(env_text, ["HW_PROJECT_ID"])),
        project_name=dict(type="str", fallback=(env_text, ["HW_PROJECT_NAME"])),
        # The credential options have no fallback: they come as one set, from the task or else from the
        # environment (vbs_auth.take_credentials, in checked_connection).
        # The access key ID is an identifier, not a secret (docs/awx.md): messages name it. no_log=False says
        # so to validate-modules.
        access_key=dict(type="str", no_log=False),
        secret_key=dict(type="str", no_log=True),
        security_token=dict(type="str", no_log=True),
        user_name=dict(type="str"),
        password=dict(type="str", no_log=True),
        domain_name=dict(type="str"),
        auth_token=dict(type="str", no_log=True),
        validate_certs=dict(type="bool", default=True, fallback=(_validate_certs_from_env, [])),
        allow_plain_http=dict(type="bool", default=False),
        ca_path=dict(type="path"),
        timeout=dict(type="int", default=DEFAULT_TIMEOUT),
        retries=dict(type="int", default=DEFAULT_RETRIES),
    )


def url_login(value):
    """The ``user:password`` part of a URL (what comes before ``@`` in its host part), or None.

    Found without parsing, so that it is also found in a URL that cannot be parsed.
    """
    head = value.split("//", 1)[1] if "//" in value else value
    authority = re.split(r"[/?#]", head, 1)[0]
    return authority.rpartition("@")[0] if "@" in authority else None


def url_problem(name, value):
    """Why ``value`` is not a usable root URL for option ``name``, or None: the one rule of every URL option.

    A URL with a login is refused before anything else is looked at, so that no message quotes a password.
    """
    login = url_login(value)
    if login is not None:
        return ("%s must not carry a user name or password (%s); give the credentials with the credential options"
                % (name, shown(value.replace(login + "@", "********@", 1))))
    if "\ufffd" in value:
        return ("%s is not UTF-8 text: it holds a byte that is not UTF-8 (shown as \ufffd), as an environment "
                "variable can: %s" % (name, shown(value)))
    if any(char.isspace() or not char.isprintable() for char in value):
        return "%s must not contain white space or control characters: %s" % (name, shown(value, quote=True))
    try:
        parts = urlsplit(value)
        port = parts.port
    except ValueError as exc:
        return "%s is not a valid URL (%s): %r" % (name, exc, value)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return "%s must be an http:// or https:// URL with a host name, got %r" % (name, value)
    if parts.query or parts.fragment or "?" in value or "#" in value:
        return "%s must not have a query or a fragment: %r" % (name, value)
    if port == 0:
        return "%s has port 0: %r" % (name, value)
    return _host_problem(name, parts.hostname) or _path_problem(name, parts.path)


def url_proxy_problem(name, url):
    """Why the proxy that the URL of option ``name`` goes through cannot be used, or None."""
    problem = vbs_transport.proxy_problem(url)
    return "%s: %s" % (name, problem) if problem else None


def _host_problem(name, host):
    if not host.isascii():
        # requests would send the IDNA form, but sign and quote this one: give the one that is sent.
        return ("%s has a host name that is not ASCII (%s): give its ASCII form, the xn--... name of an "
                "internationalised domain name" % (name, shown(host)))
    try:
        ipaddress.ip_address(host)
        return None
    except ValueError:
        pass
    if not HOST_PATTERN.match(host):
        return "%s has a host name with characters that a host name cannot have: %s" % (name, shown(host, quote=True))
    return None


def _path_problem(name, path):
    if not path.isascii():
        return "%s must have an ASCII path: percent-encode other characters, got %s" % (name, shown(path))
    if any(unquote(segment) in (".", "..") for segment in path.split("/")):
        # Normalised away, they would send the request to another path than the one signed and meant.
        return "%s must not have a . or .. segment in its path, got %s" % (name, shown(path))
    return None


def is_loopback(url):
    """Whether ``url`` names this machine: ``localhost``, or an IP address in 127.0.0.0/8 or ::1.

    A name that merely starts with ``127.`` (``127.0.0.1.nip.io``) is an ordinary, remote host.
    """
    host = (urlsplit(url).hostname or "").lower()
    if host == "localhost":
        return True
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return False
    return (getattr(address, "ipv4_mapped", None) or address).is_loopback


def derived_endpoint(service, params, endpoint_given):
    """The endpoint of another service (``evs``, ``ecs``) of the same cloud and region, or None when none follows.

    Without an ``endpoint`` option, from the region and cloud. From a given VBS endpoint: its ``vbs.`` host
    becomes ``<service>.``, and a loopback endpoint (the emulator) serves every service itself; any other
    endpoint (a private one, a proxy) says nothing about where the other service is.
    """
    if not endpoint_given:
        return "https://%s.%s.%s" % (service, params["region"], params["cloud"])
    parts = urlsplit(params["endpoint"])
    host = parts.hostname or ""
    if host.startswith("vbs."):
        netloc = service + "." + host[len("vbs."):] + ("" if parts.port is None else ":%d" % parts.port)
        return urlunsplit((parts.scheme, netloc, parts.path, "", ""))
    if is_loopback(params["endpoint"]):
        return params["endpoint"]
    return None


def complete_connection(params):
    """Fill in the derived defaults of the connection settings ``params`` (a dict of the caller's own)
    and check them; the problem text or None."""
    cloud = params.get("cloud") or DEFAULT_CLOUD
    if not CLOUD_PATTERN.match(cloud):
        return "cloud must be a domain name such as %s, got %r" % (DEFAULT_CLOUD, cloud)
    params["cloud"] = cloud
    region = params.get("region")
    if region is not None and not REGION_PATTERN.match(region):
        return "region must look like eu-de or cn-north-4, got %r" % region
    endpoint_given = bool(params.get("endpoint"))
    for name, service in (("endpoint", "vbs"), ("auth_url", "iam")):
        if params.get(name):
            continue
        if not region:
            return ("region (HW_REGION_NAME) is required unless both endpoint (HW_VBS_ENDPOINT) and "
                    "auth_url (HW_AUTH_URL) are given; %s is missing" % name)
        params[name] = "https://%s.%s.%s" % (service, region, cloud) + ("/v3" if name == "auth_url" else "")
    derived = dict(DERIVED_ENDPOINTS)
    for name in URL_OPTIONS:
        if name in derived and not params.get(name):
            # Derived from the endpoint once that passed its checks; None when nothing follows.
            params[name] = derived_endpoint(derived[name], params, endpoint_given)
            continue
        problem = url_problem(name, params[name]) or url_proxy_problem(name, params[name])
        if problem:
            return problem
        # The scheme in lower case (HTTP://... is http://), for every later check of it; no trailing "/".
        scheme = urlsplit(params[name]).scheme
        params[name] = (scheme + params[name][len(scheme):]).rstrip("/")
    if params.get("project_id") is not None:
        problem = vbs_ids.project_id_problem(params["project_id"])
        if problem:
            return "project_id %s" % problem
    if not params.get("project_name"):
        params["project_name"] = region
    if not params.get("project_id") and not params.get("project_name"):
        return "set project_id (HW_PROJECT_ID), project_name (HW_PROJECT_NAME) or region (HW_REGION_NAME)"
    timeout = params.get("timeout")
    if not whole_number_between(timeout, 1, MAX_TIMEOUT):
        if whole_number_between(timeout, MAX_TIMEOUT + 1, float("inf")):
            return "timeout must be at most %d seconds, got %r" % (MAX_TIMEOUT, timeout)
        return "timeout must be a positive number of seconds, got %r" % timeout
    problem = range_problem("retries", params.get("retries"), 0, MAX_RETRIES)
    if problem:
        return problem
    ca_path = params.get("ca_path")
    if ca_path and params["validate_certs"] and not (
            (os.path.isfile(ca_path) or os.path.isdir(ca_path)) and os.access(ca_path, os.R_OK)):
        return "ca_path must be a readable PEM file (or directory) of CA certificates, got %r" % ca_path
    return None


def plain_http_exposure(params):
    """The URL options whose requests leave this machine unencrypted: [(name, through a proxy)].

    A request stays on this machine when its host is loopback and it goes through no proxy, or through a
    proxy that is loopback too (requests' choice of proxy: HTTP_PROXY, ALL_PROXY, NO_PROXY).
    """
    exposed = []
    for name in URL_OPTIONS:
        url = params.get(name)
        if not url or urlsplit(url).scheme != "http":
            continue
        proxy = vbs_transport.proxy_for(url)
        if not is_loopback(url) or (proxy and not is_loopback(proxy)):
            exposed.append((name, bool(proxy)))
    return exposed


def _route(proxied):
    return "through a proxy" if proxied else "to a host that is not this machine"


def plain_http_problem(params):
    """Why these complete credentials cannot go over plain http://, or None (AK/SK, or allow_plain_http)."""
    kind = vbs_auth.credential_kind(params)
    exposed = plain_http_exposure(params)
    if params.get("allow_plain_http") or kind not in PLAIN_HTTP_EXPOSES or not exposed:
        return None
    name, proxied = exposed[0]
    return ("%s is a plain http:// URL that goes %s: with %s authentication, %s would cross the network "
            "unencrypted. Use https://, or set allow_plain_http: true to accept that"
            % (name, _route(proxied), kind, PLAIN_HTTP_EXPOSES[kind]))


class ModuleFailure(Exception):
    """A run() that cannot go on (a refusal, a lock not had): the task fails with ``msg`` and the results so far."""

    def __init__(self, msg):
        super(ModuleFailure, self).__init__(msg)
        self.msg = msg

    def result_fields(self):
        return {}


class VBSModule:
    """Shared behaviour of the collection's modules, in the manner of OpenStackModule."""

    argument_spec = {}
    module_kwargs = {}
    supports_check_mode = True

    def __init__(self):
        for hook in ("input_problem", "set_up"):
            if hasattr(self, hook):  # the hooks before prepare(): they would never be called
                raise TypeError("%s.%s: check and set the options in prepare()" % (type(self).__name__, hook))
        spec = vbs_argument_spec()
        spec.update(self.argument_spec)
        self.ansible = AnsibleModule(argument_spec=spec, supports_check_mode=self.supports_check_mode,
                                     **self.module_kwargs)
        self.params = self.ansible.params
        self.check_mode = self.ansible.check_mode
        self._client = None
        self._service_clients = {}
        self._connection_warnings = []
        self.results = dict(changed=False)

    # -- entry point ------------------------------------------------------

    def __call__(self):
        if not vbs_transport.HAS_REQUESTS:
            self.fail_json(msg=missing_required_lib("requests"), exception=str(vbs_transport.REQUESTS_IMPORT_ERROR))
        settings, source, stripped, problem = self.checked_connection()
        self.mask_connection_secrets(settings, source, stripped)
        problem = problem or self.prepare()
        if problem:
            self.fail_json(msg=problem)
        self.params.update(settings)
        # Which kind of credentials, and from where; never a value.
        self.results.update(auth_kind=vbs_auth.credential_kind(settings), auth_source=source)
        self.warn_about_connection()
        try:
            self.run()
        except (VBSError, ModuleFailure) as error:
            self.fail_json(msg=error.msg, **error.result_fields())
        self.warn_client_notes()
        self.exit_json(**self.results)

    def run(self):
        """The module's work. It fails by raising VBSError or ModuleFailure, never by fail_json: the task then
        fails with the results so far."""
        raise NotImplementedError

    def prepare(self):
        """The module's checks of its own options, before any request: the first problem, or None.

        Its last check is policy_id_problem(). Once every check has passed, and only then, it sets what
        run() needs from the options.
        """
        return self.policy_id_problem()

    def policy_id_problem(self):
        """The one check of the backup_policy_id option, for every module that has it: the ID may go into a path."""
        if "backup_policy_id" not in self.argument_spec:
            return None
        return vbs_ids.policy_id_option_problem(self.params.get("backup_policy_id"))

    # -- helpers for run() ------------------------------------------------

    def fail_json(self, **kwargs):
        self.warn_client_notes()
        result = dict(self.results)
        result.update(kwargs)
        if isinstance(result.get("msg"), str):
            # One line, whatever server text it quotes: no control character reaches a terminal or a log.
            result["msg"] = safe_text(result["msg"], MAX_MSG_CHARS)
        self.ansible.fail_json(**result)

    def exit_json(self, **kwargs):
        self.ansible.exit_json(**kwargs)

    def warn(self, message):
        # Ansible prints warnings as they are: escaped, server text cannot forge an output line.
        self.ansible.warn(safe_text(message, MAX_MSG_CHARS))

    @property
    def client(self):
        """The VBS client, built on first use (so input errors never cost a request)."""
        if self._client is None:
            self._client = self._build_client()
        return self._client

    @property
    def evs_client(self):
        """The EVS client, on the VBS client's connection and credentials; None when no EVS endpoint is known."""
        return self._service_client("evs_endpoint", EVSClient)

    @property
    def ecs_client(self):
        """The ECS client, on the VBS client's connection and credentials; None when no ECS endpoint is known."""
        return self._service_client("ecs_endpoint", ECSClient)

    def _service_client(self, option, client_class):
        """The client of another service at the endpoint option ``option``, built on first use; None without one."""
        if option not in self._service_clients and self.params.get(option):
            vbs = self.client
            self._service_clients[option] = client_class(vbs.transport, vbs.auth, self.params[option],
                                                         vbs.project_id)
        return self._service_clients.get(option)

    @property
    def backup_client(self):
        """The client of backups and their jobs (on VBS's endpoint), on the VBS client's connection."""
        if "endpoint" not in self._service_clients:
            vbs = self.client
            self._service_clients["endpoint"] = BackupClient(vbs.transport, vbs.auth, vbs.endpoint, vbs.project_id)
        return self._service_clients["endpoint"]

    def warn_client_notes(self):
        """What the backup client learnt about the cloud on the way (a fall-back to /v2), once each."""
        backups = self._service_clients.get("endpoint")
        if backups is not None:
            for note in backups.notes:
                self.warn(note)
            backups.notes = []

    # -- connection options -----------------------------------------------

    def checked_connection(self):
        """The shared options, checked and completed: (settings, source, stripped, problem). Changes nothing.

        ``settings`` is a new dict of every shared option with its derived defaults filled in, and the
        credentials of the environment when the task sets none; __call__ puts it into self.params once every
        check has passed. ``source`` is where the credentials came from ('task', 'environment', or None when
        there are none); ``stripped`` names the credentials that lost the white space around them;
        ``problem`` is the first problem's text, or None.
        """
        settings = {name: self.params.get(name) for name in vbs_argument_spec()}
        # An empty value counts as unset: AWX injects "" for every credential field left blank.
        for name, spec in vbs_argument_spec().items():
            if spec["type"] in ("str", "path") and settings[name] == "":
                settings[name] = None
        source = vbs_auth.take_credentials(settings, environment_text)
        stripped, problem = vbs_auth.clean_credentials(settings)
        problem = (problem or complete_connection(settings) or vbs_auth.credentials_problem(settings, source)
                   or plain_http_problem(settings))
        return settings, source, stripped, problem

    def mask_connection_secrets(self, settings, source, stripped):
        """Add what Ansible cannot know to be secret to its masking (no_log_values).

        A stripped credential as it is sent (Ansible masks it as given), with a warning that it was stripped;
        the secrets read from the environment (they are no option value Ansible saw); the login of a URL.
        """
        for name in stripped:
            if settings[name] and len(settings[name]) >= MIN_NO_LOG_LENGTH:
                self.ansible.no_log_values.add(settings[name])
            self._connection_warnings.append(
                "%s had white space or a line break around it, which was removed; remove it where the value "
                "is set" % name)
        if source == vbs_auth.ENVIRONMENT:
            for name, spec in vbs_argument_spec().items():
                if spec.get("no_log") and settings[name]:
                    self.ansible.no_log_values.add(settings[name])
        for name in URL_OPTIONS:
            login = url_login(self.params[name]) if self.params.get(name) else None
            if login is not None:
                # The whole login with its "@" (a short password alone would mask it everywhere).
                self.ansible.no_log_values.add(login + "@")
                password = login.partition(":")[2]
                if len(password) >= MIN_NO_LOG_LENGTH:
                    self.ansible.no_log_values.add(password)

    def warn_about_connection(self):
        params = self.params
        for warning in self._connection_warnings:
            self.warn(warning)
        if not params["validate_certs"]:
            self.warn("TLS certificate verification is off (validate_certs: false or HW_INSECURE); "
                      "use ca_path for a private CA instead")
        kind = vbs_auth.credential_kind(params)
        for name, proxied in plain_http_exposure(params):
            if kind in PLAIN_HTTP_EXPOSES:
                consequence = " (allow_plain_http: true): nothing is encrypted, %s included" % PLAIN_HTTP_EXPOSES[kind]
            else:
                consequence = ": nothing is encrypted; " + PLAIN_HTTP_AKSK
            self.warn("%s uses plain http:// %s%s" % (name, _route(proxied), consequence))

    def _build_client(self):
        params = self.params
        # A connection kept open for each request in flight at once (the concurrency option, where a module has one).
        transport = vbs_transport.Transport(timeout=params["timeout"], retries=params["retries"],
                                            validate_certs=params["validate_certs"], ca_path=params.get("ca_path"),
                                            url_options=dict((params[name], name) for name in URL_OPTIONS
                                                             if params[name]),
                                            pool_size=params.get("concurrency") or 1)
        # Tokens obtained at run time are masked like no_log options wherever Ansible prints.
        auth = vbs_auth.build_auth(params, transport, on_secret=self.ansible.no_log_values.add)
        project_id = vbs_auth.resolve_project_id(params, auth, transport)
        return VBSClient(transport, auth, params["endpoint"], project_id)
