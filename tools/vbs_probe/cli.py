# -*- coding: utf-8 -*-
# Copyright: (c) 2026, huaweicloud.vbs contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""Command line: tools/vbs-probe --volume VOLUME_ID [--report FILE] [--dry-run]. See docs/conformance.md.

The connection comes from the same HW_* variables as the modules, checked and completed by the same code
(vbs_connection); the clients, signing, transport and error handling are the collection's own.
"""

import argparse
import json
import os
import sys

from .collection import CollectionError, register

try:
    register()
except CollectionError as exc:  # a broken copy of the collection: nothing else can work
    sys.stderr.write("vbs-probe: %s\n" % exc)
    sys.exit(2)

# pylint: disable=wrong-import-position  # the collection's package is registered just above
from ansible_collections.huaweicloud.vbs.plugins.module_utils import vbs_connection  # noqa: E402
from ansible_collections.huaweicloud.vbs.plugins.module_utils.vbs_errors import VBSError  # noqa: E402
from ansible_collections.huaweicloud.vbs.plugins.module_utils.vbs_evs import EVSClient  # noqa: E402
from ansible_collections.huaweicloud.vbs.plugins.module_utils.vbs_values import (  # noqa: E402
    MAX_MSG_CHARS, is_uuid, safe_text)
from ansible_collections.huaweicloud.vbs.plugins.module_utils.vbs_version import COLLECTION_VERSION  # noqa: E402

from . import record, report  # noqa: E402
from .recording import RecordingTransport  # noqa: E402
from .run import Run, exit_status  # noqa: E402
from .session import Session  # noqa: E402

DEFAULT_METADATA_WAIT = 60
MAX_METADATA_WAIT = 3600


def build_parser():
    parser = argparse.ArgumentParser(
        prog="vbs-probe",
        description="Observe how a cloud's VBS and EVS answer what the API references leave open, with one "
                    "volume you name and one temporary backup policy (switched off) that the probe creates and "
                    "deletes; report the emulator switches that reproduce it. Credentials and endpoints come "
                    "from the HW_* variables, as for the modules. docs/conformance.md says more.")
    parser.add_argument("--volume", required=True, metavar="VOLUME_ID",
                        help="the ID of the EVS volume to probe with; it ends where it was (its policy, or none)")
    parser.add_argument("--report", metavar="FILE",
                        help="also write the report as JSON to FILE (for tools/vbs-emulator --profile FILE)")
    parser.add_argument("--dry-run", action="store_true",
                        help="send only reads and print the plan of the changes a run would make")
    parser.add_argument("--allow-plain-http", action="store_true",
                        help="send a password or token over a plain http:// URL to another machine (the modules' "
                             "allow_plain_http: true)")
    parser.add_argument("--metadata-wait", type=float, default=DEFAULT_METADATA_WAIT, metavar="SECONDS",
                        help="how long to wait for the volume's EVS metadata to follow a change (default %d)"
                             % DEFAULT_METADATA_WAIT)
    return parser


def _fail(message):
    sys.stderr.write("vbs-probe: %s\n" % safe_text(message, MAX_MSG_CHARS))
    return 2


def _report_problem(path):
    if path is None:
        return None
    directory = os.path.dirname(os.path.abspath(path))
    if os.path.isdir(path) or not os.path.isdir(directory) or not os.access(directory, os.W_OK):
        return "--report %s: not a file in a writable directory" % path
    return None


def _masker(run, transport):
    """Labels for every ID the run met, in a stable order: the project, the temporary and unknown policies,
    the listed policies, the volumes."""
    session = run.session
    masker = report.Masker(session.volume_id, transport.known_secrets())
    masker.name(session.vbs.project_id, "project", fixed=True)
    if run.change is not None and run.change.temporary_id:
        masker.name(run.change.temporary_id, "probe-policy", fixed=True)
    if run.change is not None and run.change.origin not in (None, "unknown"):
        masker.name(run.change.origin, "former-policy", fixed=True)
    masker.name(run.unknown_policy_id, "unknown-policy", fixed=True)
    for policy in run.policies:
        masker.name(policy["backup_policy_id"], "policy")
    observation = session.find("volume_metadata")
    if observation is not None and observation.result is not None:
        for volume in observation.result[0]:
            masker.name(volume["id"], "volume")
    return masker


def main(argv=None):
    try:
        return _main(argv)
    except KeyboardInterrupt:  # before the run could change anything, or after it ended
        sys.stderr.write("vbs-probe: interrupted\n")
        return 130


def _main(argv):
    parser = build_parser()
    args = parser.parse_args(argv)
    if not is_uuid(args.volume):
        return _fail("--volume must be an EVS volume ID (a UUID such as 0f6f2b5c-3b8e-4a6e-9d3c-7f1e2a4b5c6d)")
    if not 0 <= args.metadata_wait <= MAX_METADATA_WAIT:
        return _fail("--metadata-wait must be from 0 to %d seconds" % MAX_METADATA_WAIT)
    problem = _report_problem(args.report)
    if problem:
        return _fail(problem)
    settings = vbs_connection.settings_from_environment()
    settings["allow_plain_http"] = args.allow_plain_http
    _source, stripped, problem = vbs_connection.checked_settings(settings)
    if problem:
        return _fail(problem)
    for name in stripped:
        sys.stderr.write("vbs-probe: warning: %s had white space around it, which was removed\n" % name)
    for warning in vbs_connection.connection_warnings(settings):
        sys.stderr.write("vbs-probe: warning: %s\n" % warning)

    transport = vbs_connection.new_transport(settings, RecordingTransport)
    try:
        vbs = vbs_connection.connect(settings, transport)
    except VBSError as error:
        sys.stderr.write("vbs-probe: %s\n" % safe_text(error.msg, MAX_MSG_CHARS))
        return 1
    evs = vbs_connection.service_client(vbs, EVSClient, settings["evs_endpoint"])
    session = Session(vbs, evs, transport, args.volume.lower())
    endpoints = {"vbs": settings["endpoint"], "evs": settings["evs_endpoint"], "iam": settings["auth_url"]}
    run = Run(session, record.journal_directory(), args.metadata_wait, args.dry_run, endpoints, COLLECTION_VERSION)
    run.execute()

    built = report.build(run, _masker(run, transport))
    sys.stdout.write(report.markdown(built))
    sys.stdout.flush()
    if args.report:
        try:
            with open(args.report, "w") as handle:
                json.dump(built, handle, indent=2, sort_keys=True, ensure_ascii=True)
                handle.write("\n")
        except OSError as error:
            sys.stderr.write("vbs-probe: cannot write the report to %s: %s\n" % (args.report, error.strerror))
            return max(exit_status(run), 1)
    return exit_status(run)
