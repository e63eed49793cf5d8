# -*- coding: utf-8 -*-
# Copyright: (c) 2026, huaweicloud.vbs contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""--profile FILE: start as a cloud that tools/vbs-probe observed (docs/conformance.md).

The file is the probe's JSON report; its ``emulator_switches`` object gives the starting values of the
switches that describe how a cloud behaves. Any other switch name (a typo, or a setting that is not a
behaviour of the cloud, such as fault_rate) is refused, and so is a value the switch does not take.
"""

from .seed import read_json_file
from .settings import POLICY_BEHAVIOUR_DEFAULTS, Settings, SettingsError

# The switches of the cloud's own behaviour: the open behaviours of VBS, EVS and backups, paging (VBS and
# ECS), and the backup policy behaviours. Faults, latency, the clock, job durations and the other client are
# test conditions, not the cloud.
PROFILE_SWITCHES = tuple(sorted(("member_association", "non_member_disassociation", "evs_policy_metadata",
                                 "evs_metadata_filter", "evs_ids_filter", "page_size", "ecs_page_size",
                                 "backups_per_disk", "backup_refusals", "backup_id_before_success",
                                 "restore_in_use", "native_v3_backups", "run_inactive_policy")
                                + tuple(POLICY_BEHAVIOUR_DEFAULTS)))


class ProfileError(ValueError):
    pass


def switches_of(document):
    """The checked ``emulator_switches`` of a report (a parsed JSON document)."""
    if not isinstance(document, dict) or not isinstance(document.get("emulator_switches"), dict):
        raise ProfileError("it has no emulator_switches object (is it a report of tools/vbs-probe --report?)")
    switches = document["emulator_switches"]
    unknown = sorted(set(switches) - set(PROFILE_SWITCHES))
    if unknown:
        raise ProfileError("unknown switch(es) %s; a profile may set: %s"
                           % (", ".join(unknown), ", ".join(PROFILE_SWITCHES)))
    try:
        Settings().update(switches)  # the same checks as at start and at run time
    except SettingsError as error:
        raise ProfileError(str(error)) from None
    return dict(switches)


def load_profile(path):
    """The switches of the profile at ``path``; ProfileError says what is wrong."""
    return switches_of(read_json_file(path, ProfileError, "the profile"))
