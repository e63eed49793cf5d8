# -*- coding: utf-8 -*-
# Copyright: (c) 2026, huaweicloud.vbs contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""Command line: tools/vbs-emulator [options]. See docs/emulator.md."""

import argparse
import ipaddress
import logging
import signal
import sys
import threading

from . import seed as seed_module
from .app import App
from .profile import ProfileError, load_profile
from .requestlog import DEFAULT_SIZE
from .server import EmulatorServer, tls_context
from .settings import (
    BACKUP_REFUSALS,
    DEFAULT_BACKUPS_PER_DISK,
    DEFAULT_JOB_DURATION_MS,
    DEFAULT_POLICIES_PER_TENANT,
    DEFAULT_POLICY_VOLUME_LIMIT,
    DENIABLE_ACTIONS,
    EVS_IDS_FILTER,
    EVS_METADATA_FILTER,
    EVS_POLICY_METADATA,
    FAULT_KINDS,
    MEMBER_ASSOCIATION,
    NATIVE_V3_BACKUPS,
    NON_MEMBER_DISASSOCIATION,
    POLICY_BEHAVIOUR_DEFAULTS,
    RESTORE_IN_USE,
    RUN_INACTIVE_POLICY,
    Settings,
    SettingsError,
)

DEFAULT_PORT = 8480


def build_parser():
    parser = argparse.ArgumentParser(
        prog="vbs-emulator",
        description="Local emulator of Huawei Cloud IAM, the VBS backup-policy and backup APIs and EVS volume reads. "
                    "Prints its base URL on the first line of standard output once it listens.")
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    parser.add_argument("--port", type=int, default=DEFAULT_PORT,
                        help="port to listen on; 0 picks a free one (default %d)" % DEFAULT_PORT)
    parser.add_argument("--seed", metavar="FILE", help="seed document (JSON) with the starting state")
    parser.add_argument("--profile", metavar="FILE",
                        help="a report of tools/vbs-probe (JSON): start with its emulator_switches, which win over "
                             "the flags of the same switches")
    parser.add_argument("--fault-rate", type=float, default=0.0, metavar="FLOAT",
                        help="probability (0..1) that an IAM/VBS request gets an injected fault (default 0)")
    parser.add_argument("--fault-kinds", default=",".join(FAULT_KINDS), metavar="LIST",
                        help="comma-separated fault kinds to draw from (default all: %s)" % ",".join(FAULT_KINDS))
    parser.add_argument("--latency-ms", type=int, default=0, metavar="INT",
                        help="milliseconds added to every IAM/VBS answer (default 0)")
    parser.add_argument("--slow-ms", type=int, default=30000, metavar="INT",
                        help="milliseconds a 'slow' fault stalls before answering (default 30000)")
    parser.add_argument("--retry-after", type=int, default=1, metavar="SECONDS",
                        help="Retry-After of a throttled (429) answer (default 1)")
    parser.add_argument("--random-seed", type=int, default=None, metavar="INT",
                        help="seed of the fault draws, for reproducible runs (default: random)")
    parser.add_argument("--token-ttl", type=int, default=86400, metavar="SECONDS",
                        help="lifetime of issued IAM tokens (default 86400)")
    parser.add_argument("--policy-volume-limit", type=int, default=None, metavar="INT",
                        help="volumes a policy may hold (AutoBackup.0204) when the seed sets none "
                             "(default %d)" % DEFAULT_POLICY_VOLUME_LIMIT)
    parser.add_argument("--policies-per-tenant", type=int, default=None, metavar="INT",
                        help="backup policies a project may have when the seed sets none "
                             "(default %d)" % DEFAULT_POLICIES_PER_TENANT)
    parser.add_argument("--page-size", type=int, default=None, metavar="INT",
                        help="list policies in pages of at most INT, with backup_policies_links (default: no paging)")
    parser.add_argument("--ecs-page-size", type=int, default=None, metavar="INT",
                        help="ECS answers at most INT servers a page, whatever limit the client asks "
                             "(default: as asked)")
    parser.add_argument("--clock-skew", type=float, default=0.0, metavar="SECONDS",
                        help="shift of the emulator's clock (X-Sdk-Date check, Date header, token times)")
    parser.add_argument("--member-association", choices=MEMBER_ASSOCIATION, default=MEMBER_ASSOCIATION[0],
                        help="answer to associating a volume that is already in the policy (default %s)"
                             % MEMBER_ASSOCIATION[0])
    parser.add_argument("--non-member-disassociation", choices=NON_MEMBER_DISASSOCIATION,
                        default=NON_MEMBER_DISASSOCIATION[0],
                        help="answer to disassociating a volume that is not in the policy (default %s, the API "
                             "reference's example)" % NON_MEMBER_DISASSOCIATION[0])
    parser.add_argument("--other-actor-volumes", type=int, default=0, metavar="INT",
                        help="free volumes another client associates with the policy during each associate or "
                             "disassociate call (default 0)")
    parser.add_argument("--evs-policy-metadata", choices=EVS_POLICY_METADATA, default=EVS_POLICY_METADATA[0],
                        help="whether EVS volume metadata 'policy' names each member's VBS policy: on every member, "
                             "only on volumes associated through the API since start, or never (default %s)"
                             % EVS_POLICY_METADATA[0])
    parser.add_argument("--evs-metadata-filter", choices=EVS_METADATA_FILTER, default=EVS_METADATA_FILTER[0],
                        help="whether EVS applies the metadata filter of cloudvolumes/detail or ignores it "
                             "(default %s)" % EVS_METADATA_FILTER[0])
    parser.add_argument("--evs-ids-filter", choices=EVS_IDS_FILTER, default=EVS_IDS_FILTER[0],
                        help="whether EVS applies the ids filter of cloudvolumes/detail or ignores it "
                             "(default %s)" % EVS_IDS_FILTER[0])
    parser.add_argument("--denied-actions", default="", metavar="LIST",
                        help="comma-separated IAM actions refused with 403 (of: %s)" % ",".join(DENIABLE_ACTIONS))
    _add_policy_behaviour(parser)
    _add_backup_behaviour(parser)
    parser.add_argument("--tls-cert", metavar="FILE", help="serve HTTPS with this certificate (PEM)")
    parser.add_argument("--tls-key", metavar="FILE", help="private key of --tls-cert (PEM)")
    parser.add_argument("--request-log-size", type=int, default=DEFAULT_SIZE, metavar="INT",
                        help="requests kept by GET /_emulator/requests (default %d)" % DEFAULT_SIZE)
    parser.add_argument("--verbose", action="store_true", help="log every request to standard error")
    return parser


def _add_policy_behaviour(parser):
    """Where versions of the VBS reference differ or say nothing (docs/emulator.md)."""
    defaults = POLICY_BEHAVIOUR_DEFAULTS
    group = parser.add_argument_group("backup policy behaviour")
    group.add_argument("--max-frequency", type=int, default=defaults["max_frequency"], metavar="DAYS",
                       help="largest frequency accepted (default %(default)s; the older OTC reference says 14)")
    group.add_argument("--max-retention-num", type=int, default=defaults["max_retention_num"], metavar="INT",
                       help="largest rentention_num accepted (default %(default)s; the older OTC reference says 14)")
    group.add_argument("--unique-policy-names", action="store_true",
                       help="refuse a second policy with the same name (AutoBackup.0202)")
    group.add_argument("--delete-policy-with-volumes", choices=("free", "refuse"),
                       default=defaults["delete_policy_with_volumes"],
                       help="deleting a policy that holds volumes frees them, or is refused (default %(default)s)")
    group.add_argument("--modify-without-interval", action="store_true",
                       help="accept a modify whose scheduled_policy has neither frequency nor week_frequency")
    group.add_argument("--exclusive-keys", choices=("replace", "keep"), default=defaults["exclusive_keys"],
                       help="a modify setting week_frequency (rentention_day) drops frequency (rentention_num), "
                            "or keeps it (default %(default)s)")
    group.add_argument("--tag-create-existing", choices=("overwrite", "keep", "refuse"),
                       default=defaults["tag_create_existing"],
                       help="what the tags/action create does with an existing key (default %(default)s)")


def _add_backup_behaviour(parser):
    """Backups, restores, jobs and policy runs, where the reference leaves them open (docs/emulator.md)."""
    group = parser.add_argument_group("backups, restores and jobs")
    group.add_argument("--job-duration-ms", type=int, default=DEFAULT_JOB_DURATION_MS, metavar="INT",
                       help="how long each backup, restore, delete and policy task runs (default %(default)s)")
    group.add_argument("--backups-per-disk", type=int, default=DEFAULT_BACKUPS_PER_DISK, metavar="INT",
                       help="backups one disk may have (VolumeBackup.0040; default %(default)s)")
    group.add_argument("--backup-refusals", choices=BACKUP_REFUSALS, default=BACKUP_REFUSALS[0],
                       help="a create or restore the disk's or backup's state refuses answers 400 at once, or a job "
                            "that ends FAIL (default %(default)s)")
    group.add_argument("--backup-id-after-success", action="store_true",
                       help="a backup being created is neither listed nor named in its job until the job succeeds")
    group.add_argument("--restore-in-use", choices=RESTORE_IN_USE, default=RESTORE_IN_USE[0],
                       help="a restore onto an in-use (attached) disk is refused or allowed (default %(default)s)")
    group.add_argument("--native-v3-backups", choices=NATIVE_V3_BACKUPS, default=NATIVE_V3_BACKUPS[0],
                       help="the native /v3/{project_id}/backups paths exist, or answer 404 (default %(default)s)")
    group.add_argument("--run-inactive-policy", choices=RUN_INACTIVE_POLICY, default=RUN_INACTIVE_POLICY[0],
                       help="running a disabled or empty policy now runs it, or is refused (default %(default)s)")


def _settings(args):
    settings = Settings()
    settings.update({
        "fault_rate": args.fault_rate,
        "fault_kinds": args.fault_kinds,
        "latency_ms": args.latency_ms,
        "slow_ms": args.slow_ms,
        "retry_after": args.retry_after,
        "random_seed": args.random_seed,
        "token_ttl": args.token_ttl,
        "page_size": args.page_size,
        "ecs_page_size": args.ecs_page_size,
        "clock_skew": args.clock_skew,
        "member_association": args.member_association,
        "non_member_disassociation": args.non_member_disassociation,
        "other_actor_volumes": args.other_actor_volumes,
        "evs_policy_metadata": args.evs_policy_metadata,
        "evs_metadata_filter": args.evs_metadata_filter,
        "evs_ids_filter": args.evs_ids_filter,
        "denied_actions": args.denied_actions,
        "max_frequency": args.max_frequency,
        "max_retention_num": args.max_retention_num,
        "unique_policy_names": args.unique_policy_names,
        "delete_policy_with_volumes": args.delete_policy_with_volumes,
        "modify_requires_interval": not args.modify_without_interval,
        "exclusive_keys": args.exclusive_keys,
        "tag_create_existing": args.tag_create_existing,
        "job_duration_ms": args.job_duration_ms,
        "backups_per_disk": args.backups_per_disk,
        "backup_refusals": args.backup_refusals,
        "backup_id_before_success": not args.backup_id_after_success,
        "restore_in_use": args.restore_in_use,
        "native_v3_backups": args.native_v3_backups,
        "run_inactive_policy": args.run_inactive_policy,
    })
    return settings


def _baseline_limits(args):
    limits = {
        "policy_volume_limit": DEFAULT_POLICY_VOLUME_LIMIT if args.policy_volume_limit is None else args.policy_volume_limit,
        "policies_per_tenant": DEFAULT_POLICIES_PER_TENANT if args.policies_per_tenant is None else args.policies_per_tenant,
    }
    Settings().update(limits)  # the same checks as at run time
    return limits


def is_loopback(host):
    """Whether listening on ``host`` keeps the emulator to this machine."""
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False  # "" (every address) or a name that may resolve to anything


def main(argv=None):
    parser = build_parser()
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.DEBUG if args.verbose else logging.WARNING, stream=sys.stderr,
                        format="vbs-emulator: %(levelname)s: %(message)s")
    if bool(args.tls_cert) != bool(args.tls_key):
        parser.error("--tls-cert and --tls-key go together")
    if args.request_log_size < 1:
        parser.error("--request-log-size must be at least 1")
    try:
        settings = _settings(args)
        baseline = _baseline_limits(args)
        seed = seed_module.load_seed_file(args.seed) if args.seed else seed_module.parse_seed({})
    except (SettingsError, seed_module.SeedError) as error:
        sys.stderr.write("vbs-emulator: %s\n" % error)
        return 2
    if args.profile:
        try:
            settings.update(load_profile(args.profile))
        except ProfileError as error:
            sys.stderr.write("vbs-emulator: --profile %s: %s\n" % (args.profile, error))
            return 2

    app = App(settings, seed, baseline, args.request_log_size)
    try:
        context = tls_context(args.tls_cert, args.tls_key) if args.tls_cert else None
        server = EmulatorServer((args.host, args.port), app, args.verbose, context)
    except OSError as error:  # ssl.SSLError is an OSError too
        sys.stderr.write("vbs-emulator: cannot serve on %s:%d: %s\n" % (args.host, args.port, error))
        return 1

    if not is_loopback(args.host):
        sys.stderr.write(
            "vbs-emulator: warning: listening on %r, which other machines can reach. The emulator is a test tool: "
            "it hands out tokens to anyone with the seed's credentials, and its request log shows what clients "
            "sent. Use the default 127.0.0.1 unless other machines must reach it; its inspection API "
            "(/_emulator/) answers only requests to 127.0.0.1, localhost or [::1].\n" % args.host)
        sys.stderr.flush()
    stop = threading.Event()
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda *_: stop.set())
    # A short poll interval lets SIGTERM stop the server promptly.
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), name="vbs-emulator", daemon=True)
    thread.start()
    sys.stdout.write(server.base_url() + "\n")
    sys.stdout.flush()
    try:
        while not stop.wait(0.5):
            pass
    finally:
        server.shutdown()
        server.server_close()
    return 0
