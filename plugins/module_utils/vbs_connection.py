# -*- coding: utf-8 -*-
# Copyright: (c) 2026, huaweicloud.vbs contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""The connection settings (endpoints, region, project, credentials, TLS, timeouts): their ``HW_*``
variables, checks and derived defaults, the warnings about them, and the clients built from them.

One rule for every program of the collection: the modules (vbs_module, on top of Ansible's options)
and tools/vbs-probe (from the environment alone, without ansible-core) read, check and complete the
same settings here.
"""

import ipaddress
import os
import re

from urllib.parse import unquote, urlsplit, urlunsplit

from ansible_collections.huaweicloud.vbs.plugins.module_utils import vbs_auth, vbs_transport
from ansible_collections.huaweicloud.vbs.plugins.module_utils.vbs_api import VBSClient
from ansible_collections.huaweicloud.vbs.plugins.module_utils.vbs_values import (
    project_id_problem, range_problem, shown, whole_number_between)

DEFAULT_CLOUD = "myhuaweicloud.com"
DEFAULT_TIMEOUT = 30
DEFAULT_RETRIES = 4
MAX_RETRIES = 20
MAX_TIMEOUT = 3600
REGION_PATTERN = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*\Z")
CLOUD_PATTERN = re.compile(r"^[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)+\Z")
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


# The settings other than the credentials, each with its variable (the Huawei Cloud Terraform provider's
# names). The credentials are read as a set, by vbs_auth.take_credentials (its CREDENTIAL_OPTIONS).
SETTING_VARIABLES = (
    ("region", "HW_REGION_NAME"),
    ("cloud", "HW_CLOUD"),
    ("endpoint", "HW_VBS_ENDPOINT"),
    ("evs_endpoint", "HW_EVS_ENDPOINT"),
    ("ecs_endpoint", "HW_ECS_ENDPOINT"),
    ("auth_url", "HW_AUTH_URL"),
    ("project_id", "HW_PROJECT_ID"),
    ("project_name", "HW_PROJECT_NAME"),
)
# HW_INSECURE=true turns TLS verification off where validate_certs is not given.
INSECURE_VARIABLE = "HW_INSECURE"


def means_insecure(value):
    """Whether a value of HW_INSECURE turns TLS verification off."""
    return str(value).strip().lower() in ("1", "true", "yes", "on")


def as_text(value):
    """A value of the environment as text: each byte that is not UTF-8 becomes U+FFFD.

    Python keeps such a byte as a lone surrogate, which Ansible cannot even log (a traceback before the
    module runs); U+FFFD is refused by every check of the options, with a message.
    """
    return value.encode("utf-8", "surrogateescape").decode("utf-8", "replace")


def environment_text(name):
    """The variable ``name`` of the environment as text (see as_text), or None when it is not set."""
    value = os.environ.get(name)
    return None if value is None else as_text(value)


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
        problem = project_id_problem(params["project_id"])
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


def route(proxied):
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
            % (name, route(proxied), kind, PLAIN_HTTP_EXPOSES[kind]))


def checked_settings(settings, variable=None):
    """Check and complete the connection ``settings`` in place: (source, stripped, problem).

    An empty text counts as unset (AWX injects "" for every credential field left blank). The credentials
    are the task's when ``settings`` hold any, else the environment's (``variable(name)``, default
    environment_text); ``source`` says which ('task', 'environment', or None when there are none).
    ``stripped`` names the credentials that lost the white space around them; ``problem`` is the first
    problem's text, or None.
    """
    for name, value in list(settings.items()):
        if value == "":
            settings[name] = None
    source = vbs_auth.take_credentials(settings, variable or environment_text)
    stripped, problem = vbs_auth.clean_credentials(settings)
    problem = (problem or complete_connection(settings) or vbs_auth.credentials_problem(settings, source)
               or plain_http_problem(settings))
    return source, stripped, problem


def settings_from_environment():
    """Every connection setting as the modules' options have it when a task sets none: the variables of
    SETTING_VARIABLES and HW_INSECURE, and the defaults (the credentials come with checked_settings())."""
    settings = dict((name, environment_text(variable)) for name, variable in SETTING_VARIABLES)
    settings.update((name, None) for name, _variable in vbs_auth.CREDENTIAL_OPTIONS)
    insecure = environment_text(INSECURE_VARIABLE)
    settings.update(validate_certs=not (insecure is not None and means_insecure(insecure)), allow_plain_http=False,
                    ca_path=None, timeout=DEFAULT_TIMEOUT, retries=DEFAULT_RETRIES)
    return settings


def connection_warnings(params):
    """What the user must be told about completed settings that work but are not safe, one text each."""
    warnings = []
    if not params["validate_certs"]:
        warnings.append("TLS certificate verification is off (validate_certs: false or HW_INSECURE); "
                        "use ca_path for a private CA instead")
    kind = vbs_auth.credential_kind(params)
    for name, proxied in plain_http_exposure(params):
        if kind in PLAIN_HTTP_EXPOSES:
            consequence = " (allow_plain_http: true): nothing is encrypted, %s included" % PLAIN_HTTP_EXPOSES[kind]
        else:
            consequence = ": nothing is encrypted; " + PLAIN_HTTP_AKSK
        warnings.append("%s uses plain http:// %s%s" % (name, route(proxied), consequence))
    return warnings


def new_transport(params, transport_class=None):
    """The Transport of completed settings ``params`` (``transport_class``: Transport or a subclass).

    It keeps a connection open for each request in flight at once (the ``concurrency`` option, where a module
    has one)."""
    return (transport_class or vbs_transport.Transport)(
        timeout=params["timeout"], retries=params["retries"], validate_certs=params["validate_certs"],
        ca_path=params.get("ca_path"), url_options=dict((params[name], name) for name in URL_OPTIONS if params[name]),
        pool_size=params.get("concurrency") or 1)


def connect(params, transport, on_secret=None):
    """The VBS client of completed settings ``params`` over ``transport``: credentials, then the project ID.

    ``on_secret(value)`` is told every token obtained at run time, for masking.
    """
    auth = vbs_auth.build_auth(params, transport, on_secret=on_secret)
    project_id = vbs_auth.resolve_project_id(params, auth, transport)
    return VBSClient(transport, auth, params["endpoint"], project_id)


def service_client(vbs, client_class, endpoint):
    """The client of another service (EVSClient, ECSClient) at ``endpoint``, on a VBS client's connection,
    credentials and project; None without an endpoint."""
    if not endpoint:
        return None
    return client_class(vbs.transport, vbs.auth, endpoint, vbs.project_id)
