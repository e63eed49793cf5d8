# -*- coding: utf-8 -*-
# Copyright: (c) 2026, huaweicloud.vbs contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""What the tests of backups, restores and policy runs share: a seed with a server, disks of known sizes and
backups, short jobs, and the requests the modules sent."""

from support import module_runner, seeds
from support.emulator import DEFAULT_CONFIG

V = seeds.volume_id
SERVER = "5e7e7e7e-0000-4000-8000-000000000001"
ATTACHED = V(1)  # in-use, attached to SERVER, in policy "daily" with V(2)
FREE = V(3)  # available, 10 GB
SMALL = V(4)  # available, 5 GB
SPARE = V(5)  # available, 10 GB, no backup
BACKUP = "b0000000-0000-4000-8000-000000000001"  # "nightly-1" of FREE, 10 GB
BIG_BACKUP = "b0000000-0000-4000-8000-000000000002"  # "big" of FREE, 20 GB
ATTACHED_BACKUP = "b0000000-0000-4000-8000-000000000003"  # "db-1" of ATTACHED, 10 GB
JOB_MS = 150
POLL = 0.1
# The emulator's settings of backups, jobs and policy runs, at their defaults.
BACKUP_SETTINGS = dict((name, DEFAULT_CONFIG[name]) for name in (
    "backups_per_disk", "backup_refusals", "backup_id_before_success", "restore_in_use", "native_v3_backups",
    "run_inactive_policy"))
# The modules that wait, and so take poll_interval.
WAITING_MODULES = ("vbs_backup", "vbs_backup_restore", "vbs_backup_policy_run")


def seed():
    document = seeds.seed(members={"daily": [1, 2]}, statuses={3: "available", 4: "available", 5: "available"})
    document["servers"] = [{"id": SERVER, "name": "db-server-1"}]
    for volume in document["volumes"]:
        volume["size"] = 5 if volume["id"] == SMALL else 10
        volume["name"] = "disk-%s" % volume["id"][-2:]
        if volume["id"] == ATTACHED:
            volume["server_ids"] = [SERVER]
    document["backups"] = [
        {"id": BACKUP, "name": "nightly-1", "volume_id": FREE, "size": 10},
        {"id": BIG_BACKUP, "name": "big", "volume_id": FREE, "size": 20},
        {"id": ATTACHED_BACKUP, "name": "db-1", "volume_id": ATTACHED, "size": 10},
    ]
    return document


def prepare(emulator, **settings):
    """The emulator with this seed, the backup settings at their defaults but jobs of JOB_MS, no wait before a
    retry after a 429, and ``settings``."""
    emulator.reset(seed())
    emulator.configure(**dict(BACKUP_SETTINGS, job_duration_ms=JOB_MS, retry_after=0, **settings))
    emulator.clear_requests()
    return emulator


def run(emulator, module, args, check=False, env=None):
    """The module's real main() in this process, against the emulator, polling every POLL seconds."""
    if module in WAITING_MODULES:
        args = dict({"poll_interval": POLL}, **args)
    return module_runner.adhoc(module, args, env or seeds.aksk_env(emulator.url), check=check)


def sent(emulator, method, suffix=""):
    """The requests with ``method`` whose path ends with ``suffix`` (IAM's excepted)."""
    return [entry for entry in emulator.requests()
            if entry["method"] == method and entry["path"].endswith(suffix) and "/auth/" not in entry["path"]]


def held(emulator, name=None, volume_id=None):
    """The backups the emulator holds with that name and/or of that volume."""
    return [backup for backup in emulator.backups()
            if name in (None, backup["name"]) and volume_id in (None, backup["volume_id"])]
