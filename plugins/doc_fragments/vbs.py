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
      - Defaults to C(https://vbs.{region}.{cloud}).
      - If not set, the value of E(HW_VBS_ENDPOINT) is used.
    type: str
  evs_endpoint:
    description:
      - Root URL of the EVS service, such as C(https://evs.eu-de.otc.t-systems.com), for the modules that read
        volumes (C(/v2/{project_id}/cloudvolumes/...)); the collection never writes to EVS.
      - Defaults to C(https://evs.{region}.{cloud}); with O(endpoint) given, to the same URL with its C(vbs.) host
        part replaced by C(evs.) (a local endpoint such as the emulator serves both). Any other O(endpoint)
        gives no default.
      - If not set, the value of E(HW_EVS_ENDPOINT) is used.
    type: str
  auth_url:
    description:
      - IAM URL ending in C(/v3), such as C(https://iam.eu-de.otc.t-systems.com/v3).
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
      - If not set, the value of E(HW_ACCESS_KEY) is used.
    type: str
  secret_key:
    description:
      - Secret key (SK) that goes with O(access_key). It signs requests and is never sent.
      - If not set, the value of E(HW_SECRET_KEY) is used.
    type: str
  security_token:
    description:
      - Security token of temporary AK/SK credentials; sent as C(X-Security-Token).
      - If not set, the value of E(HW_SECURITY_TOKEN) is used.
    type: str
  user_name:
    description:
      - IAM user name for password authentication.
      - If not set, the value of E(HW_USER_NAME) is used.
    type: str
  password:
    description:
      - Password of O(user_name).
      - If not set, the value of E(HW_USER_PASSWORD) is used.
    type: str
  domain_name:
    description:
      - Account (domain) name of O(user_name).
      - If not set, the value of E(HW_DOMAIN_NAME) is used.
    type: str
  auth_token:
    description:
      - An IAM token obtained elsewhere, sent as C(X-Auth-Token) and used as is (it is not renewed).
      - If not set, the value of E(HW_AUTH_TOKEN) is used.
    type: str
  validate_certs:
    description:
      - Whether to verify the TLS certificates of O(endpoint) and O(auth_url).
      - Setting E(HW_INSECURE=true) turns verification off when this option is not given.
      - Turning it off is reported with a warning; prefer O(ca_path) for a private CA.
    type: bool
    default: true
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
  - "Credentials are tried in this order: O(auth_token); O(access_key) with O(secret_key)
     (and O(security_token)); O(user_name) with O(password) and O(domain_name).
     See the collection's C(docs/authentication.md)."
  - Proxies are taken from the E(HTTPS_PROXY), E(HTTP_PROXY) and E(NO_PROXY) environment variables.
    Logins in C(~/.netrc) (or E(NETRC)) are never sent.
  - An answer larger than 1 MiB (1048576 bytes, also after decompression), nested deeper than 32 levels
    or holding more than 50000 JSON values is refused; no VBS or IAM answer comes near these limits.
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

    # The attributes of a module that only reads (with ATTRIBUTES).
    READ_ONLY = r"""
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
