# -*- coding: utf-8 -*-
# Copyright: (c) 2026, huaweicloud.vbs contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""Run-time settings: set from the command line, changed by POST /_emulator/config."""

import threading
import time

FAULT_KINDS = ("throttle", "error500", "unavailable503", "drop", "slow", "error500_after_apply")

DEFAULT_POLICY_VOLUME_LIMIT = 200
DEFAULT_POLICIES_PER_TENANT = 10

# Behaviours the public API reference leaves open, one switch each (docs/emulator.md).
# The first choice is the default: the one the reference's example answers show.
MEMBER_ASSOCIATION = ("success", "fail_with_code")
NON_MEMBER_DISASSOCIATION = ("fail_without_code", "fail_with_code", "success")
# Whether EVS volume metadata "policy" names each member's VBS policy: on every member, only on the
# volumes associated through the API since start, or never (docs/emulator.md says why sync is the default).
EVS_POLICY_METADATA = ("sync", "partial", "off")
# Whether EVS applies the metadata filter of cloudvolumes/detail, or ignores it and lists every volume.
EVS_METADATA_FILTER = ("supported", "ignored")
# The same for the ids filter.
EVS_IDS_FILTER = ("supported", "ignored")
# Backups and their jobs where the reference leaves it open (docs/emulator.md, "Backups, restores and jobs"):
# a refused create or restore answers 400 at once, or a job that ends FAIL; a backup being created is listed
# (and named in its job) before the job succeeds, or not; a restore onto an in-use disk is refused or allowed;
# the native /v3 backup paths exist, or answer 404; a disabled or empty policy runs, or is refused.
BACKUP_REFUSALS = ("immediate", "job")
RESTORE_IN_USE = ("refuse", "allow")
NATIVE_V3_BACKUPS = ("present", "absent")
RUN_INACTIVE_POLICY = ("run", "refuse")
DEFAULT_JOB_DURATION_MS = 2000
DEFAULT_BACKUPS_PER_DISK = 20

# The IAM actions the emulator can refuse (403) with denied_actions.
DENIABLE_ACTIONS = ("evs:volumes:list", "evs:volumes:get", "evs:volumeTags:get", "ecs:cloudServers:list")

# How backup policies behave where versions of the VBS API reference differ or say
# nothing (docs/emulator.md, "Backup policy behaviour"). The defaults follow the
# Huawei Cloud reference and the published examples.
POLICY_BEHAVIOUR_DEFAULTS = {
    "max_frequency": 30,                  # frequency 1 to 30 days (older OTC reference: 1 to 14)
    "max_retention_num": 99,              # rentention_num 2 to 99 (older OTC reference: 2 to 14)
    "unique_policy_names": False,         # the reference documents no duplicate-name error
    "delete_policy_with_volumes": "free",  # "free": its volumes become free; "refuse": 400
    "modify_requires_interval": True,     # a modify must carry frequency or week_frequency
    "exclusive_keys": "replace",          # a modify setting week_frequency drops frequency ("keep": both stay)
    "tag_create_existing": "overwrite",   # tags/action create on an existing key: overwrite, keep or refuse
}


def iso_time(epoch, suffix=""):
    """ISO 8601 UTC time with microseconds, as VBS and IAM write it."""
    return time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(epoch)) + ".%06d" % int((epoch % 1) * 1e6) + suffix


class SettingsError(ValueError):
    pass


def _bool(name, value):
    if not isinstance(value, bool):
        raise SettingsError("%s must be true or false, not %r" % (name, value))
    return value


def _choice(name, value, choices):
    if value not in choices:
        raise SettingsError("%s must be one of %s, not %r" % (name, ", ".join(choices), value))
    return value


def _number(name, value, minimum=None, maximum=None, integer=False, allow_none=False):
    if value is None and allow_none:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise SettingsError("%s must be a number, not %r" % (name, value))
    if integer and value != int(value):
        raise SettingsError("%s must be a whole number, not %r" % (name, value))
    if minimum is not None and value < minimum:
        raise SettingsError("%s must be at least %s, not %r" % (name, minimum, value))
    if maximum is not None and value > maximum:
        raise SettingsError("%s must be at most %s, not %r" % (name, maximum, value))
    return int(value) if integer else float(value)


def parse_denied_actions(value):
    """A list or a comma-separated string of IAM actions that every request is refused (403)."""
    if isinstance(value, str):
        names = [name.strip() for name in value.split(",") if name.strip()]
    elif isinstance(value, (list, tuple)) and all(isinstance(name, str) for name in value):
        names = list(value)
    else:
        raise SettingsError("denied_actions must be a list or a comma-separated string, not %r" % (value,))
    unknown = sorted(set(names) - set(DENIABLE_ACTIONS))
    if unknown:
        raise SettingsError("unknown action(s) %s; known: %s" % (", ".join(unknown), ", ".join(DENIABLE_ACTIONS)))
    return tuple(name for name in DENIABLE_ACTIONS if name in names)


def parse_fault_kinds(value):
    """A list or a comma-separated string of fault kinds, in the canonical order."""
    if isinstance(value, str):
        names = [name.strip() for name in value.split(",") if name.strip()]
    elif isinstance(value, (list, tuple)) and all(isinstance(name, str) for name in value):
        names = list(value)
    else:
        raise SettingsError("fault_kinds must be a list or a comma-separated string, not %r" % (value,))
    unknown = sorted(set(names) - set(FAULT_KINDS))
    if unknown:
        raise SettingsError("unknown fault kind(s) %s; known: %s" % (", ".join(unknown), ", ".join(FAULT_KINDS)))
    # The canonical order keeps the choice among kinds reproducible for one random seed.
    return tuple(kind for kind in FAULT_KINDS if kind in names)


# name -> function(value) returning the checked value
_CHECKS = {
    "fault_rate": lambda v: _number("fault_rate", v, 0, 1),
    "fault_kinds": parse_fault_kinds,
    "latency_ms": lambda v: _number("latency_ms", v, 0, integer=True),
    "slow_ms": lambda v: _number("slow_ms", v, 0, integer=True),
    "retry_after": lambda v: _number("retry_after", v, 0, integer=True),
    "clock_skew": lambda v: _number("clock_skew", v),
    # 0 or null: list policies in one page unless the client asks for a limit
    "page_size": lambda v: _number("page_size", v, 0, integer=True, allow_none=True) or None,
    # 0 or null: ECS answers as many servers as the client's limit asks
    "ecs_page_size": lambda v: _number("ecs_page_size", v, 0, integer=True, allow_none=True) or None,
    "policy_volume_limit": lambda v: _number("policy_volume_limit", v, 0, integer=True),
    "policies_per_tenant": lambda v: _number("policies_per_tenant", v, 0, integer=True),
    "token_ttl": lambda v: _number("token_ttl", v, 1, integer=True),
    "random_seed": lambda v: _number("random_seed", v, integer=True, allow_none=True),
    "member_association": lambda v: _choice("member_association", v, MEMBER_ASSOCIATION),
    "non_member_disassociation": lambda v: _choice("non_member_disassociation", v, NON_MEMBER_DISASSOCIATION),
    "other_actor_volumes": lambda v: _number("other_actor_volumes", v, 0, integer=True),
    "evs_policy_metadata": lambda v: _choice("evs_policy_metadata", v, EVS_POLICY_METADATA),
    "evs_metadata_filter": lambda v: _choice("evs_metadata_filter", v, EVS_METADATA_FILTER),
    "evs_ids_filter": lambda v: _choice("evs_ids_filter", v, EVS_IDS_FILTER),
    "denied_actions": parse_denied_actions,
    # backups, restores, jobs and policy runs
    "job_duration_ms": lambda v: _number("job_duration_ms", v, 0, integer=True),
    "backups_per_disk": lambda v: _number("backups_per_disk", v, 1, integer=True),
    "backup_refusals": lambda v: _choice("backup_refusals", v, BACKUP_REFUSALS),
    "backup_id_before_success": lambda v: _bool("backup_id_before_success", v),
    "restore_in_use": lambda v: _choice("restore_in_use", v, RESTORE_IN_USE),
    "native_v3_backups": lambda v: _choice("native_v3_backups", v, NATIVE_V3_BACKUPS),
    "run_inactive_policy": lambda v: _choice("run_inactive_policy", v, RUN_INACTIVE_POLICY),
    # backup policy behaviour
    "max_frequency": lambda v: _number("max_frequency", v, 1, integer=True),
    "max_retention_num": lambda v: _number("max_retention_num", v, 2, integer=True),
    "unique_policy_names": lambda v: _bool("unique_policy_names", v),
    "delete_policy_with_volumes": lambda v: _choice("delete_policy_with_volumes", v, ("free", "refuse")),
    "modify_requires_interval": lambda v: _bool("modify_requires_interval", v),
    "exclusive_keys": lambda v: _choice("exclusive_keys", v, ("replace", "keep")),
    "tag_create_existing": lambda v: _choice("tag_create_existing", v, ("overwrite", "keep", "refuse")),
}

SETTING_NAMES = tuple(sorted(_CHECKS))


class Settings:
    """The knobs of a running emulator. Reads need no lock: each is one attribute."""

    def __init__(self):
        self.fault_rate = 0.0
        self.fault_kinds = FAULT_KINDS
        self.latency_ms = 0
        self.slow_ms = 30000
        self.retry_after = 1
        self.clock_skew = 0.0
        self.page_size = None
        self.ecs_page_size = None
        self.policy_volume_limit = DEFAULT_POLICY_VOLUME_LIMIT
        self.policies_per_tenant = DEFAULT_POLICIES_PER_TENANT
        self.token_ttl = 86400
        self.random_seed = None
        self.member_association = MEMBER_ASSOCIATION[0]
        self.non_member_disassociation = NON_MEMBER_DISASSOCIATION[0]
        # Free volumes "another client" associates with the policy during each associate or disassociate call.
        self.other_actor_volumes = 0
        self.evs_policy_metadata = EVS_POLICY_METADATA[0]
        self.evs_metadata_filter = EVS_METADATA_FILTER[0]
        self.evs_ids_filter = EVS_IDS_FILTER[0]
        self.denied_actions = ()
        self.job_duration_ms = DEFAULT_JOB_DURATION_MS
        self.backups_per_disk = DEFAULT_BACKUPS_PER_DISK
        self.backup_refusals = BACKUP_REFUSALS[0]
        self.backup_id_before_success = True
        self.restore_in_use = RESTORE_IN_USE[0]
        self.native_v3_backups = NATIVE_V3_BACKUPS[0]
        self.run_inactive_policy = RUN_INACTIVE_POLICY[0]
        for name, value in POLICY_BEHAVIOUR_DEFAULTS.items():
            setattr(self, name, value)
        self._lock = threading.Lock()
        self._listeners = []

    def now(self):
        """The emulator's clock, in epoch seconds: real time shifted by clock_skew."""
        return time.time() + self.clock_skew

    def on_change(self, listener):
        """Call listener(changed_names) after each successful update."""
        self._listeners.append(listener)

    def update(self, changes):
        """Check every value first, then apply all of them: a bad value changes nothing."""
        if not isinstance(changes, dict):
            raise SettingsError("the settings must be a JSON object")
        unknown = sorted(set(changes) - set(_CHECKS))
        if unknown:
            raise SettingsError("unknown setting(s) %s; known: %s" % (", ".join(unknown), ", ".join(SETTING_NAMES)))
        checked = {name: _CHECKS[name](value) for name, value in changes.items()}
        with self._lock:
            for name, value in checked.items():
                setattr(self, name, value)
        for listener in self._listeners:
            listener(set(checked))

    def as_dict(self):
        values = {name: getattr(self, name) for name in SETTING_NAMES}
        values["fault_kinds"] = list(values["fault_kinds"])
        values["denied_actions"] = list(values["denied_actions"])
        return values
