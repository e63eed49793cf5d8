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

from urllib.parse import urlsplit, urlunsplit

from ansible.module_utils.basic import AnsibleModule, env_fallback, missing_required_lib

from ansible_collections.huaweicloud.vbs.plugins.module_utils import vbs_auth, vbs_ids, vbs_transport
from ansible_collections.huaweicloud.vbs.plugins.module_utils.vbs_api import VBSClient
from ansible_collections.huaweicloud.vbs.plugins.module_utils.vbs_backups import BackupClient
from ansible_collections.huaweicloud.vbs.plugins.module_utils.vbs_errors import VBSError
from ansible_collections.huaweicloud.vbs.plugins.module_utils.vbs_evs import EVSClient
from ansible_collections.huaweicloud.vbs.plugins.module_utils.vbs_options import range_problem, whole_number_between
from ansible_collections.huaweicloud.vbs.plugins.module_utils.vbs_text import MAX_MSG_CHARS, safe_text

DEFAULT_CLOUD = "myhuaweicloud.com"
DEFAULT_TIMEOUT = 30
DEFAULT_RETRIES = 4
MAX_RETRIES = 20
MAX_TIMEOUT = 3600
REGION_PATTERN = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*\Z")
CLOUD_PATTERN = re.compile(r"^[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)+\Z")
# Values shorter than this are never added to Ansible's no_log masking: it would hide every occurrence.
MIN_NO_LOG_LENGTH = 8


def _validate_certs_from_env():
    """validate_certs from HW_INSECURE (HW_INSECURE=true turns verification off); not found when unset."""
    value = env_fallback("HW_INSECURE")
    return str(value).strip().lower() not in ("1", "true", "yes", "on")


def vbs_argument_spec():
    """The shared options (documented in plugins/doc_fragments/vbs.py)."""
    return dict(
        region=dict(type="str", fallback=(env_fallback, ["HW_REGION_NAME"])),
        cloud=dict(type="str", fallback=(env_fallback, ["HW_CLOUD"])),
        endpoint=dict(type="str", fallback=(env_fallback, ["HW_VBS_ENDPOINT"])),
        evs_endpoint=dict(type="str", fallback=(env_fallback, ["HW_EVS_ENDPOINT"])),
        auth_url=dict(type="str", fallback=(env_fallback, ["HW_AUTH_URL"])),
        project_id=dict(type="str", fallback=(env_fallback, ["HW_PROJECT_ID"])),
        project_name=dict(type="str", fallback=(env_fallback, ["HW_PROJECT_NAME"])),
        access_key=dict(type="str", no_log=True, fallback=(env_fallback, ["HW_ACCESS_KEY"])),
        secret_key=dict(type="str", no_log=True, fallback=(env_fallback, ["HW_SECRET_KEY"])),
        security_token=dict(type="str", no_log=True, fallback=(env_fallback, ["HW_SECURITY_TOKEN"])),
        user_name=dict(type="str", fallback=(env_fallback, ["HW_USER_NAME"])),
        password=dict(type="str", no_log=True, fallback=(env_fallback, ["HW_USER_PASSWORD"])),
        domain_name=dict(type="str", fallback=(env_fallback, ["HW_DOMAIN_NAME"])),
        auth_token=dict(type="str", no_log=True, fallback=(env_fallback, ["HW_AUTH_TOKEN"])),
        validate_certs=dict(type="bool", default=True, fallback=(_validate_certs_from_env, [])),
        ca_path=dict(type="path"),
        timeout=dict(type="int", default=DEFAULT_TIMEOUT),
        retries=dict(type="int", default=DEFAULT_RETRIES),
    )


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


class VBSModule:
    """Shared behaviour of the collection's modules, in the manner of OpenStackModule."""

    argument_spec = {}
    module_kwargs = {}
    supports_check_mode = True

    def __init__(self):
        spec = vbs_argument_spec()
        spec.update(self.argument_spec)
        self.ansible = AnsibleModule(argument_spec=spec, supports_check_mode=self.supports_check_mode,
                                     **self.module_kwargs)
        self.params = self.ansible.params
        self.check_mode = self.ansible.check_mode
        self._client = None
        self._evs_client = None
        self._backup_client = None
        self._connection_warnings = []
        self.results = dict(changed=False)

    # -- entry point ------------------------------------------------------

    def __call__(self):
        if not vbs_transport.HAS_REQUESTS:
            self.fail_json(msg=missing_required_lib("requests"), exception=str(vbs_transport.REQUESTS_IMPORT_ERROR))
        settings, stripped, problem = self.checked_connection()
        self.mask_stripped_credentials(settings, stripped)
        problem = problem or self.input_problem()
        if problem:
            self.fail_json(msg=problem)
        self.params.update(settings)
        self.set_up()
        self.warn_about_connection()
        try:
            self.run()
        except VBSError as error:
            self.fail_json(msg=error.msg, **error.result_fields())
        self.warn_client_notes()
        self.exit_json(**self.results)

    def run(self):
        raise NotImplementedError

    def input_problem(self):
        """A module's own checks of its options, before any request; None when they are fine. No side effects."""
        return None

    def set_up(self):
        """Set the module's own state from its options, once input_problem() found them fine."""

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
        if self._evs_client is None and self.params.get("evs_endpoint"):
            vbs = self.client
            self._evs_client = EVSClient(vbs.transport, vbs.auth, self.params["evs_endpoint"], vbs.project_id)
        return self._evs_client

    @property
    def backup_client(self):
        """The client of backups and their jobs, on the VBS client's connection and credentials."""
        if self._backup_client is None:
            vbs = self.client
            self._backup_client = BackupClient(vbs.transport, vbs.auth, vbs.endpoint, vbs.project_id)
        return self._backup_client

    def warn_client_notes(self):
        """What the backup client learnt about the cloud on the way (a fall-back to /v2), once each."""
        if self._backup_client is not None:
            for note in self._backup_client.notes:
                self.warn(note)
            self._backup_client.notes = []

    # -- connection options -----------------------------------------------

    def checked_connection(self):
        """The shared options, checked and completed: (settings, stripped, problem). Changes nothing.

        ``settings`` is a new dict of every shared option with its derived defaults filled in; __call__
        puts it into self.params once every check has passed. ``stripped`` names the credentials that
        lost the white space around them; ``problem`` is the first problem's text, or None.
        """
        settings = {name: self.params.get(name) for name in vbs_argument_spec()}
        # An empty value counts as unset: AWX injects "" for every credential field left blank.
        for name, spec in vbs_argument_spec().items():
            if spec["type"] in ("str", "path") and settings[name] == "":
                settings[name] = None
        stripped, problem = vbs_auth.clean_credentials(settings)
        return settings, stripped, problem or complete_connection(settings)

    def mask_stripped_credentials(self, settings, stripped):
        """Mask a stripped credential as it is sent too (Ansible masks it as given), and say it was stripped."""
        for name in stripped:
            if settings[name] and len(settings[name]) >= MIN_NO_LOG_LENGTH:
                self.ansible.no_log_values.add(settings[name])
            self._connection_warnings.append(
                "%s had white space or a line break around it, which was removed; remove it where the value "
                "is set" % name)

    def warn_about_connection(self):
        params = self.params
        for warning in self._connection_warnings:
            self.warn(warning)
        if not params["validate_certs"]:
            self.warn("TLS certificate verification is off (validate_certs: false or HW_INSECURE); "
                      "use ca_path for a private CA instead")
        for name in ("endpoint", "auth_url", "evs_endpoint"):
            if params.get(name) and urlsplit(params[name]).scheme == "http" and not is_loopback(params[name]):
                self.warn("%s uses plain http:// to a host that is not this machine; credentials and tokens "
                          "cross the network unencrypted" % name)

    def _build_client(self):
        params = self.params
        transport = vbs_transport.Transport(timeout=params["timeout"], retries=params["retries"],
                                            validate_certs=params["validate_certs"], ca_path=params.get("ca_path"))
        # Tokens obtained at run time are masked like no_log options wherever Ansible prints.
        auth = vbs_auth.build_auth(params, transport, on_secret=self.ansible.no_log_values.add)
        project_id = vbs_auth.resolve_project_id(params, auth, transport)
        return VBSClient(transport, auth, params["endpoint"], project_id)
