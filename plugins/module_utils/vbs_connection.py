# -*- coding: utf-8 -*-
# Copyright: (c) 2026, huaweicloud.vbs contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""The connection settings (endpoints, region, project, credentials, TLS, timeouts): their ``HW_*``
variables, checks and derived defaults, and the clients built from them.

One rule for every program of the collection: the modules (vbs_module, on top of
Ansible's options) and tools/vbs-probe (from the environment alone, without
ansible-core) read, check and complete the same settings here.
"""

import ipaddress
import os
import re

from urllib.parse import urlsplit, urlunsplit

from ansible_collections.huaweicloud.vbs.plugins.module_utils import vbs_auth, vbs_ids, vbs_transport
from ansible_collections.huaweicloud.vbs.plugins.module_utils.vbs_api import VBSClient
from ansible_collections.huaweicloud.vbs.plugins.module_utils.vbs_evs import EVSClient
from ansible_collections.huaweicloud.vbs.plugins.module_utils.vbs_options import range_problem, whole_number_between

DEFAULT_CLOUD = "myhuaweicloud.com"
DEFAULT_TIMEOUT = 30
DEFAULT_RETRIES = 4
MAX_RETRIES = 20
MAX_TIMEOUT = 3600
REGION_PATTERN = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*\Z")
CLOUD_PATTERN = re.compile(r"^[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)+\Z")

# The text settings and the environment variable of each (the Huawei Cloud Terraform provider's names).
ENVIRONMENT_VARIABLES = (
    ("region", "HW_REGION_NAME"),
    ("cloud", "HW_CLOUD"),
    ("endpoint", "HW_VBS_ENDPOINT"),
    ("evs_endpoint", "HW_EVS_ENDPOINT"),
    ("auth_url", "HW_AUTH_URL"),
    ("project_id", "HW_PROJECT_ID"),
    ("project_name", "HW_PROJECT_NAME"),
    ("access_key", "HW_ACCESS_KEY"),
    ("secret_key", "HW_SECRET_KEY"),
    ("security_token", "HW_SECURITY_TOKEN"),
    ("user_name", "HW_USER_NAME"),
    ("password", "HW_USER_PASSWORD"),
    ("domain_name", "HW_DOMAIN_NAME"),
    ("auth_token", "HW_AUTH_TOKEN"),
)
SECRET_SETTINGS = frozenset(["access_key", "secret_key", "security_token", "password", "auth_token"])
# HW_INSECURE=true turns TLS verification off where validate_certs is not given.
INSECURE_VARIABLE = "HW_INSECURE"


def means_insecure(value):
    """Whether a value of HW_INSECURE turns TLS verification off."""
    return str(value).strip().lower() in ("1", "true", "yes", "on")


def settings_from_environment(environ=None):
    """Every connection setting from the ``HW_*`` variables (``environ``, default os.environ), with the
    defaults the modules' options have; a variable set to "" counts as unset."""
    environ = os.environ if environ is None else environ
    settings = dict((name, environ.get(variable) or None) for name, variable in ENVIRONMENT_VARIABLES)
    settings.update(validate_certs=not means_insecure(environ.get(INSECURE_VARIABLE, "")), ca_path=None,
                    timeout=DEFAULT_TIMEOUT, retries=DEFAULT_RETRIES)
    return settings


def url_problem(name, value):
    """Why ``value`` is not a usable root URL for option ``name``, or None."""
    try:
        parts = urlsplit(value)
        port = parts.port
    except ValueError as exc:
        return "%s is not a valid URL (%s): %r" % (name, exc, value)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return "%s must be an http:// or https:// URL with a host name, got %r" % (name, value)
    if parts.username is not None or parts.password is not None:
        return "%s must not carry a user or password; use the credential options" % name
    if parts.query or parts.fragment or "?" in value or "#" in value:
        return "%s must not have a query or a fragment: %r" % (name, value)
    if any(char.isspace() for char in value):
        return "%s must not contain white space: %r" % (name, value)
    if port == 0:
        return "%s has port 0: %r" % (name, value)
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
    """The endpoint of another service (``evs``) of the same cloud and region, or None when none follows.

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
            params[name] = params[name].rstrip("/")
            continue
        if not region:
            return ("region (HW_REGION_NAME) is required unless both endpoint (HW_VBS_ENDPOINT) and "
                    "auth_url (HW_AUTH_URL) are given; %s is missing" % name)
        params[name] = "https://%s.%s.%s" % (service, region, cloud) + ("/v3" if name == "auth_url" else "")
    for name in ("endpoint", "auth_url", "evs_endpoint"):
        if name == "evs_endpoint" and not params.get(name):
            # Derived from the endpoint once that passed its checks.
            params[name] = derived_endpoint("evs", params, endpoint_given)
            continue
        problem = url_problem(name, params[name])
        if problem:
            return problem
        # The scheme in lower case (HTTP://... is http://), for every later check of it; no "/" at the end.
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
    return vbs_auth.credentials_problem(params)


def checked_settings(settings):
    """Clean and complete ``settings`` in place: (names of the credentials stripped of white space, problem
    or None). An empty text counts as unset (AWX injects "" for every credential field left blank)."""
    for name, _variable in ENVIRONMENT_VARIABLES + (("ca_path", None),):
        if settings.get(name) == "":
            settings[name] = None
    stripped, problem = vbs_auth.clean_credentials(settings)
    return stripped, problem or complete_connection(settings)


def connection_warnings(params):
    """What the user must be told about completed settings that work but are not safe."""
    warnings = []
    if not params["validate_certs"]:
        warnings.append("TLS certificate verification is off (validate_certs: false or HW_INSECURE); "
                        "use ca_path for a private CA instead")
    for name in ("endpoint", "auth_url", "evs_endpoint"):
        if params.get(name) and urlsplit(params[name]).scheme == "http" and not is_loopback(params[name]):
            warnings.append("%s uses plain http:// to a host that is not this machine; credentials and tokens "
                            "cross the network unencrypted" % name)
    return warnings


def new_transport(params, transport_class=None):
    """The Transport of completed settings ``params`` (``transport_class``: a subclass of Transport)."""
    return (transport_class or vbs_transport.Transport)(
        timeout=params["timeout"], retries=params["retries"], validate_certs=params["validate_certs"],
        ca_path=params.get("ca_path"))


def connect(params, transport, on_secret=None):
    """The VBS client of completed settings ``params`` over ``transport``: credentials, then the project ID.

    ``on_secret(value)`` is told every token obtained at run time, for masking.
    """
    auth = vbs_auth.build_auth(params, transport, on_secret=on_secret)
    project_id = vbs_auth.resolve_project_id(params, auth, transport)
    return VBSClient(transport, auth, params["endpoint"], project_id)


def evs_client_for(vbs, evs_endpoint):
    """The EVS client on a VBS client's connection, credentials and project; None without an EVS endpoint."""
    if not evs_endpoint:
        return None
    return EVSClient(vbs.transport, vbs.auth, evs_endpoint, vbs.project_id)
