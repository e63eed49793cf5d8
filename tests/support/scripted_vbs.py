# -*- coding: utf-8 -*-
# Copyright: (c) 2026, huaweicloud.vbs contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""What a scripted VBS answers in the module tests: a listing of two policies, an associate answer, and
vbs_policy_resources run against it (the count design unless a test asks for another membership_source)."""

from ansible_collections.huaweicloud.vbs.plugins.modules import vbs_policy_resources
from ansible_collections.huaweicloud.vbs.tests.support.module_args import run_main, scripted_args
from ansible_collections.huaweicloud.vbs.tests.support.scripted_server import json_reply

POLICY_ID = "0ea1f4b3-7c2d-4f5e-9a6b-1c2d3e4f5a6b"
OTHER_ID = "3f2e1d0c-9b8a-4766-a544-332211009988"
VOL1 = "5d1f8f2e-0b4a-4a43-9d7e-3c1a2b3c4d5e"
VOL2 = "8a9b0c1d-2e3f-4a5b-8c7d-9e0f1a2b3c4d"
SERVER_ERROR = {"error": {"code": "AutoBackup.0009", "message": "internal error"}}


def listing(count, other_count=4):
    """The policies daily (POLICY_ID, ``count`` volumes) and weekly (OTHER_ID)."""
    return json_reply(200, {"backup_policies": [
        {"backup_policy_id": POLICY_ID, "backup_policy_name": "daily", "policy_resource_count": count,
         "scheduled_policy": {"status": "ON"}},
        {"backup_policy_id": OTHER_ID, "backup_policy_name": "weekly", "policy_resource_count": other_count,
         "scheduled_policy": {"status": "ON"}},
    ]})


def answer(success=(), fail=()):
    return json_reply(200, {"success_resources": list(success), "fail_resources": list(fail)})


def mutating(server):
    return [request for request in server.requests if request.method == "POST"]


def run_resources(server, **options):
    """vbs_policy_resources against the scripted VBS: VOL1 and VOL2 for POLICY_ID, by the count."""
    args = dict(backup_policy_id=POLICY_ID, volumes=[VOL1, VOL2], retries=2, membership_source="count")
    args.update(options)
    return run_main(vbs_policy_resources.main, scripted_args(server, **args))
