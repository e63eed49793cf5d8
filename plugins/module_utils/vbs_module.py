# -*- coding: utf-8 -*-
# Copyright: (c) 2026, huaweicloud.vbs contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""The base of every module of the collection: shared options, the client.

A module subclasses VBSModule, declares its own ``argument_spec`` and
implements ``run()``; ``main()`` is ``MyModule()()``. Shared options are
documented once, in the doc fragment ``huaweicloud.vbs.vbs``; their checks and
derived defaults are vbs_connection's, which tools/vbs-probe shares.
"""

from ansible.module_utils.basic import AnsibleModule, env_fallback, missing_required_lib

from ansible_collections.huaweicloud.vbs.plugins.module_utils import vbs_auth, vbs_connection, vbs_transport
from ansible_collections.huaweicloud.vbs.plugins.module_utils.vbs_connection import (
    DEFAULT_RETRIES, DEFAULT_TIMEOUT, INSECURE_VARIABLE, SETTING_VARIABLES, URL_OPTIONS, url_login)
from ansible_collections.huaweicloud.vbs.plugins.module_utils.vbs_ecs import ECSClient
from ansible_collections.huaweicloud.vbs.plugins.module_utils.vbs_backups import BackupClient
from ansible_collections.huaweicloud.vbs.plugins.module_utils.vbs_errors import VBSError
from ansible_collections.huaweicloud.vbs.plugins.module_utils.vbs_evs import EVSClient
from ansible_collections.huaweicloud.vbs.plugins.module_utils.vbs_values import (
    MAX_MSG_CHARS, policy_id_option_problem, safe_text)

# Values shorter than this are never added to Ansible's no_log masking: it would hide every occurrence.
MIN_NO_LOG_LENGTH = 8


def env_text(*names):
    """env_fallback for a text option (the shared options' fallback): the value as vbs_connection.as_text()
    makes it."""
    return vbs_connection.as_text(env_fallback(*names))


def _validate_certs_from_env():
    """validate_certs from HW_INSECURE (HW_INSECURE=true turns verification off); not found when unset."""
    return not vbs_connection.means_insecure(env_fallback(INSECURE_VARIABLE))


def vbs_argument_spec():
    """The shared options (documented in plugins/doc_fragments/vbs.py), with vbs_connection's variables."""
    spec = dict((name, dict(type="str", fallback=(env_text, [variable]))) for name, variable in SETTING_VARIABLES)
    spec.update(
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
    return spec


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
        return policy_id_option_problem(self.params.get("backup_policy_id"))

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
            self._service_clients[option] = vbs_connection.service_client(self.client, client_class,
                                                                          self.params[option])
        return self._service_clients.get(option)

    @property
    def backup_client(self):
        """The client of backups and their jobs (on VBS's endpoint), on the VBS client's connection."""
        return self._service_client("endpoint", BackupClient)

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
        source, stripped, problem = vbs_connection.checked_settings(settings)
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
        for warning in self._connection_warnings + vbs_connection.connection_warnings(self.params):
            self.warn(warning)

    def _build_client(self):
        # Tokens obtained at run time are masked like no_log options wherever Ansible prints.
        return vbs_connection.connect(self.params, vbs_connection.new_transport(self.params),
                                      on_secret=self.ansible.no_log_values.add)
