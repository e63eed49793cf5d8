# -*- coding: utf-8 -*-
# Copyright: (c) 2026, huaweicloud.vbs contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)


class ModuleDocFragment(object):

    # Connection and authentication options shared by every module of the collection.
    DOCUMENTATION = r"""
options:
  region:
    description:
      - Region of the VBS service, for example C(eu-de) or C(cn-north-4).
      - Builds the default O(endpoint), O(auth_url) and O(project_name).
      - Required unless both O(endpoint) and O(auth_url) are given.
      - If not set, the value of the E(HW_REGION_NAME) environment variable is used.
    type: str
  cloud:
    description:
      - Domain name of the cloud, used to build the default O(endpoint) and O(auth_url).
      - If not set, the value of E(HW_CLOUD) is used, else C(myhuaweicloud.com).
    type: str
  endpoint:
    description:
      - Root URL of the VBS service, such as C(https://vbs.eu-de.otc.t-systems.com);
        the modules append C(/v2/{project_id}/...).
      - An C(http://) or C(https://) URL with an ASCII host name (the C(xn--) form of an internationalised
        one), without a user or password, query, fragment, white space, control characters, or C(.) and
        C(..) path segments; anything else fails the task before any request.
      - Defaults to C(https://vbs.{region}.{cloud}).
      - If not set, the value of E(HW_VBS_ENDPOINT) is used.
    type: str
  evs_endpoint:
    version_added: 0.2.0
    description:
      - Root URL of the EVS service, such as C(https://evs.eu-de.otc.t-systems.com), where the modules read
        which backup policy each volume is in (volume metadata C(policy)); they never write to EVS.
      - Defaults to the O(endpoint) with its C(vbs.) host name turned into C(evs.), or to O(endpoint) itself
        when that is this machine (the collection's emulator serves both), or, when O(endpoint) is not set,
        to C(https://evs.{region}.{cloud}). For any other O(endpoint) there is no default, and the modules do
        without EVS (see the collection's C(docs/membership.md)).
      - If not set, the value of E(HW_EVS_ENDPOINT) is used.
    type: str
  ecs_endpoint:
    version_added: 0.2.0
    description:
      - Root URL of the ECS service, such as C(https://ecs.eu-de.otc.t-systems.com), for finding servers by
        name; the modules append C(/v1/{project_id}/...).
      - Derived like O(evs_endpoint), with C(ecs.) for C(vbs.).
      - If not set, the value of E(HW_ECS_ENDPOINT) is used.
    type: str
  auth_url:
    description:
      - IAM URL ending in C(/v3), such as C(https://iam.eu-de.otc.t-systems.com/v3).
      - Held to the same rule as O(endpoint).
      - Defaults to C(https://iam.{region}.{cloud}/v3).
      - If not set, the value of E(HW_AUTH_URL) is used.
    type: str
  project_id:
    description:
      - ID of the project that owns the backup policies.
      - When not given, it comes from the IAM token (password authentication) or from IAM's
        project list by O(project_name) (AK/SK and token authentication).
      - If not set, the value of E(HW_PROJECT_ID) is used.
    type: str
  project_name:
    description:
      - Name of the project, used to find the project ID when O(project_id) is not given.
      - Defaults to the O(region).
      - If not set, the value of E(HW_PROJECT_NAME) is used.
    type: str
  access_key:
    description:
      - Access key (AK) for AK/SK request signing (C(SDK-HMAC-SHA256)).
      - The access key ID is an identifier, not a secret; messages name it, so that with several keys
        the one that failed is known. O(secret_key) is never shown.
      - When the task sets no credential option, the value of E(HW_ACCESS_KEY) is used (see the notes).
    type: str
  secret_key:
    description:
      - Secret key (SK) that goes with O(access_key). It signs requests and is never sent.
      - When the task sets no credential option, the value of E(HW_SECRET_KEY) is used (see the notes).
    type: str
  security_token:
    description:
      - Security token of temporary AK/SK credentials; sent as C(X-Security-Token).
      - When the task sets no credential option, the value of E(HW_SECURITY_TOKEN) is used (see the notes).
    type: str
  user_name:
    description:
      - IAM user name for password authentication.
      - When the task sets no credential option, the value of E(HW_USER_NAME) is used (see the notes).
    type: str
  password:
    description:
      - Password of O(user_name).
      - When the task sets no credential option, the value of E(HW_USER_PASSWORD) is used (see the notes).
    type: str
  domain_name:
    description:
      - Account (domain) name of O(user_name).
      - When the task sets no credential option, the value of E(HW_DOMAIN_NAME) is used (see the notes).
    type: str
  auth_token:
    description:
      - An IAM token obtained elsewhere, sent as C(X-Auth-Token) and used as is (it is not renewed).
      - When the task sets no credential option, the value of E(HW_AUTH_TOKEN) is used (see the notes).
    type: str
  validate_certs:
    description:
      - Whether to verify the TLS certificates of O(endpoint), O(auth_url), O(evs_endpoint) and O(ecs_endpoint).
      - Setting E(HW_INSECURE=true) turns verification off when this option is not given.
      - Turning it off is reported with a warning; prefer O(ca_path) for a private CA.
    type: bool
    default: true
  allow_plain_http:
    version_added: 0.2.0
    description:
      - Whether password and token authentication may use a plain C(http://) O(endpoint) or O(auth_url) whose
        requests leave this machine (a host that is not C(localhost) or a loopback address, or a proxy that is
        not on this machine). The password and the tokens would cross the network unencrypted.
      - By default such a task fails before any request. With AK/SK authentication plain C(http://) is allowed
        with a warning, since the signatures do not reveal the secret key; anyone on the path can still read
        the requests and answers.
      - Requests to this machine itself (the local emulator) need no permission.
    type: bool
    default: false
  ca_path:
    description:
      - Path to a PEM bundle of the CA certificates to trust, for a private CA.
      - Without it, the bundle of the C(requests) library (or E(REQUESTS_CA_BUNDLE)) is trusted.
    type: path
  timeout:
    description:
      - Seconds that each attempt of an HTTP request may take in all, from connecting to the last byte of
        the answer. An answer that is not complete by then, however steadily the server sends it, counts
        as a timeout. Only the look-up of the host name in DNS comes on top.
      - One request, with its retries, therefore ends within (O(retries) + 1) x O(timeout) seconds plus
        the waits between attempts (before retry number n at most min(20, 0.5 x 2^n) seconds, or the
        server's C(Retry-After), up to 60 seconds).
      - Between 1 and 3600.
    type: int
    default: 30
  retries:
    description:
      - How many times a request is retried after the first attempt, on connection errors,
        timeouts and HTTP 429, 500, 502, 503 and 504, with exponential backoff and full jitter.
        A C(Retry-After) header is honoured. Other errors are not retried.
      - Between 0 and 20.
    type: int
    default: 4
notes:
  - "The credential options (O(access_key), O(secret_key), O(security_token), O(user_name), O(password),
     O(domain_name), O(auth_token)) are one set: when the task (or C(module_defaults)) sets any of them, the
     C(HW_*) credential variables of the environment are not read at all; otherwise all of them come from
     the environment. The result says which kind was used and from where (RV(auth_kind), RV(auth_source))."
  - "Within that set, credentials are tried in this order: O(auth_token); O(access_key) with O(secret_key)
     (and O(security_token)); O(user_name) with O(password) and O(domain_name).
     See the collection's C(docs/authentication.md)."
  - The cloud permissions each module needs (VBS, IAM to find the project ID, and optionally EVS) are in
    the table of the section Permissions of the collection's C(docs/authentication.md).
  - Proxies are taken from the E(HTTPS_PROXY), E(HTTP_PROXY) and E(NO_PROXY) environment variables.
    Logins in C(~/.netrc) (or E(NETRC)) are never sent.
  - An answer larger than 1 MiB (1048576 bytes, also after decompression), nested deeper than 32 levels
    or holding more than 50000 JSON values is refused; no VBS, EVS or IAM answer comes near these limits
    (EVS volumes are listed 200 per page).
requirements:
  - python >= 3.8
  - requests
"""

    # Attributes every module of the collection shares (with ansible.builtin.action_common_attributes).
    ATTRIBUTES = r"""
attributes:
  platform:
    support: full
    platforms: all
  action_group:
    description: Use C(group/huaweicloud.vbs.vbs) in C(module_defaults) to set the shared options once.
    support: full
    membership:
      - huaweicloud.vbs.vbs
"""

    # The check and diff mode of the modules that only read (the _info modules).
    INFO_ATTRIBUTES = r"""
attributes:
  check_mode:
    support: full
    details:
      - The module only reads; it runs the same way in check mode.
  diff_mode:
    support: N/A
    details:
      - The module changes nothing.
"""

    # The options of the modules that wait for a VBS job (vbs_jobs.WAIT_ARGUMENT_SPEC).
    WAIT = r"""
options:
  wait:
    description:
      - Whether to wait until VBS has finished the work, reading its job (or the backup) until it ends.
      - With V(false) the module returns as soon as VBS has accepted the request.
    type: bool
    default: true
  wait_timeout:
    description:
      - How many seconds to wait at most, with O(wait=true). A backup or restore of a large disk can take
        many minutes (the published example took eleven).
      - When the time is up the task fails and says what is still running, with its job ID; the work goes on
        in VBS. The task then reports C(changed) when it started that work.
      - Between 1 and 86400.
    type: int
    default: 3600
  poll_interval:
    description:
      - The longest pause, in seconds, between two reads while waiting. The first read comes at once,
        the next after 0.5, 1, 2, 4 ... seconds, then every O(poll_interval) seconds.
      - Each read is one request, retried like any other (see O(retries)).
      - Between 0.1 and 600.
    type: float
    default: 10
"""
