# -*- coding: utf-8 -*-
# Copyright: (c) 2026, huaweicloud.vbs contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""The probe's reads: they change nothing, and a dry run sends nothing else.

The probed volume (EVS), every backup policy with its volume count (VBS, following its pages), a page
limit of the client's, a policy that does not exist, which policy each volume's EVS metadata names,
and whether EVS applies the ``metadata`` and ``ids`` filters of ``cloudvolumes/detail``.
"""

import uuid

from ansible_collections.huaweicloud.vbs.plugins.module_utils.vbs_evs import ids_filter, policy_filter

from . import verdict
from .record import is_probe_name

# Volume statuses in which VBS refuses to associate a volume (VBS_API.md).
BLOCKED_STATUSES = frozenset(["error", "error_extending", "error_restoring", "error_rollbacking", "error_deleting",
                              "awaiting-transfer"])


def counts_of(policies):
    """{policy ID: volume count} of a VBS listing."""
    return dict((policy["backup_policy_id"], policy["policy_resource_count"]) for policy in policies)


def read_volume(session, name="volume", title="Read the probed volume (EVS)"):
    """The probed volume's facts (volume_facts) or None; the observation keeps EVS's answer."""
    if session.evs is None:
        return None
    observation = session.observe(name, title, lambda: session.evs.get_volume(session.volume_id), tolerate=True)
    volume = observation.result
    if observation.error is None:
        observation.facts.update(exists=volume is not None)
        if volume is not None:
            observation.facts.update(status=volume["status"], metadata_policy=volume["backup_policy_id"])
    return volume


def read_policies(session, name="policies", title="List the backup policies (VBS)"):
    """Every policy (a VBS listing); the observation says how the list paged."""
    observation = session.observe(name, title, session.vbs.list_policies)
    policies = observation.result
    first = observation.exchanges[0].data if observation.exchanges else None
    first_page = first.get("backup_policies", []) if isinstance(first, dict) else []
    observation.facts.update(
        policies=len(policies), pages=len(observation.exchanges), first_page=len(first_page),
        next_link=bool(isinstance(first, dict) and first.get("backup_policies_links")),
        counts=counts_of(policies))
    return policies


def read_client_limit(session):
    """Whether VBS honours a client's own ``limit`` on the policy list."""
    url = session.vbs.url("/backuppolicy", [("limit", 1)])
    observation = session.observe("policy_list_limit", "List the backup policies with limit=1 (VBS)",
                                  lambda: session.vbs.checked_call("GET", url).object(), tolerate=True)
    if observation.error is None:
        page = observation.result.get("backup_policies")
        observation.facts.update(listed=len(page) if isinstance(page, list) else None,
                                 next_link=bool(observation.result.get("backup_policies_links")))


def read_unknown_policy(session, unknown_policy_id):
    """VBS's answer to a policy ID that exists nowhere (its tags)."""
    observation = session.observe("unknown_policy_read", "Read the tags of a policy that does not exist (VBS)",
                                  lambda: session.vbs.list_tags(unknown_policy_id), tolerate=True)
    error = observation.error
    observation.facts.update(status=error.status if error else 200, code=error.code if error else None)


def read_metadata_coverage(session, policies):
    """[(count, volumes naming the policy)] for every policy, plus (0, n) for metadata naming no policy; the
    number of volumes; or (None, None) when EVS cannot be read."""
    if session.evs is None:
        return None, None
    observation = session.observe("volume_metadata", "List every volume of the project with its metadata (EVS)",
                                  session.evs.list_volumes, tolerate=True)
    if observation.error is not None:
        return None, None
    volumes, _count = observation.result
    tally = {}
    for volume in volumes:
        if volume["backup_policy_id"] is not None:
            tally[volume["backup_policy_id"]] = tally.get(volume["backup_policy_id"], 0) + 1
    named = dict((policy_id, {"policy_resource_count": count, "volumes_naming_it": tally.get(policy_id, 0)})
                 for policy_id, count in counts_of(policies).items())
    stray = sum(number for policy_id, number in tally.items() if policy_id not in named)
    coverage = [(item["policy_resource_count"], item["volumes_naming_it"]) for item in named.values()]
    if stray:
        coverage.append((0, stray))
    observation.facts.update(volumes=len(volumes), named_by_metadata=named, naming_no_policy=stray)
    return coverage, len(volumes)


def _count(session, name, title, filters):
    """(count, first volume ID or None, error text or None) of one filtered listing."""
    observation = session.observe(name, title, lambda: session.evs.count_volumes(filters), tolerate=True)
    if observation.error is not None:
        error = observation.error
        observation.facts.update(status=error.status, code=error.code)
        return None, None, "HTTP %s %s" % (error.status, error.code or "")
    count, first = observation.result
    observation.facts.update(count=count, first=first["id"] if first else None)
    return count, (first["id"] if first else None), None


def read_filters(session, total):
    """The Verdicts of evs_metadata_filter and evs_ids_filter, from filters that match no volume (and the
    probed volume's ID); unsettled ones when EVS cannot be read."""
    if session.evs is None or total is None:
        missing = verdict.unsettled("EVS could not be read")
        return missing, missing
    nobody = str(uuid.uuid4())
    unmatched, _first, error = _count(session, "metadata_filter", "Filter the volumes by a metadata policy that "
                                      "no volume has (EVS)", [policy_filter(nobody)])
    metadata = verdict.evs_metadata_filter(unmatched, total, error)
    unmatched, _first, error = _count(session, "ids_filter", "Filter the volumes by an ID that no volume has (EVS)",
                                      [ids_filter([str(uuid.uuid4())])])
    own_count, own_first, own_error = _count(session, "ids_filter_own", "Filter the volumes by the probed volume's "
                                             "ID (EVS)", [ids_filter([session.volume_id])])
    own = None if own_error else (own_count == 1 and own_first == session.volume_id)
    return metadata, verdict.evs_ids_filter(unmatched, total, error, own)


def probe_policies(policies):
    """The temporary policies of earlier runs (leftovers): those with a probe's name."""
    return [policy for policy in policies if is_probe_name(policy.get("backup_policy_name"))]


def volume_problem(volume):
    """Why the probed volume cannot be probed (EVS facts), or None."""
    if volume is None:
        return "EVS has no volume with this ID in the project"
    if volume["status"] in BLOCKED_STATUSES:
        return ("the volume's status is %s, in which VBS refuses to associate a volume; choose another volume"
                % volume["status"])
    return None
