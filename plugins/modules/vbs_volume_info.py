#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, huaweicloud.vbs contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r"""
module: vbs_volume_info
short_description: Find EVS volumes by server, name and tag, with the VBS backup policy of each
version_added: 0.2.0
description:
  - Finds the EVS volumes of a project by ID, name, server (by ID or by name), tag, status and
    availability zone, and tells for each volume which VBS backup policy it is in, or that it is in none.
  - With O(protection=unprotected) it returns the volumes that no backup policy protects, which the VBS API
    cannot list; with O(protection=protected) those that one does.
  - The filters combine with AND; a filter that takes several values matches any of them. Without any
    filter every volume of the project is returned. A filter given as an empty list matches no volume, and
    nothing is read.
  - "Each filter is applied by the cloud where its API has it, and by the module otherwise:
    O(volume_ids) with EVS's C(ids) filter (60 IDs a request); O(server_ids) and the servers of O(server_names)
    with EVS's C(server_id) filter, one listing per server (up to 20 servers; with more, one listing of every
    volume); O(tags) with EVS's tag query; O(names) with EVS's C(name) filter, one listing per name (up to 20
    names); O(status) and O(availability_zone) with EVS's filters of the same names. Only one of these reads
    the volumes, the first that applies in that order; the other filters are applied by the module to what it
    read. Every filter is applied by the module again, so an EVS that ignores a filter costs more reading,
    never a wrong result."
  - Every EVS listing is read page by page (200 volumes a page, well under the size bound of an answer); no request is sent per volume.
  - The result feeds M(huaweicloud.vbs.vbs_policy_resources) in one step, its IDs being
    C(found.volumes | map(attribute='id')) for a result registered as C(found).
  - A volume's backup policy is read from the EVS volume metadata C(policy), which is trusted only where it
    agrees with VBS's own count of each policy's volumes, read before and after (the collection's
    C(docs/membership.md) and C(docs/volume_info.md)). Where it does not, the volume has
    RV(volumes[].backup_policy_known=false); a volume is never reported as unprotected on a guess.
author:
  - huaweicloud.vbs contributors (@huaweicloud-vbs)
options:
  volume_ids:
    description:
      - Only the volumes with these IDs (UUIDs). Upper-case IDs are lower-cased, duplicates collapsed.
      - An ID of no volume is left out of the result, not an error.
    type: list
    elements: str
  names:
    description:
      - Only the volumes with exactly one of these names. EVS does not keep names unique, so one name can
        match several volumes.
    type: list
    elements: str
  server_ids:
    description:
      - Only the volumes attached to one of these ECS servers, by server ID (UUID).
    type: list
    elements: str
  server_names:
    description:
      - Only the volumes attached to one of these ECS servers, by the server's exact name (the names of an
        inventory group, for example).
      - Each name is looked up with ECS (C(GET /v1/{project_id}/cloudservers/detail?name=...)), whose name
        filter also matches other names (a part of the name, C(.) as any character); only servers with exactly
        the given name count. A name that no server has, or that several servers have, fails the task before
        any volume is read, and the message lists every such name (with the IDs of the servers of one name).
        Give O(server_ids) to choose among servers of one name.
      - Needs O(ecs_endpoint) and the ECS read permission C(ecs:cloudServers:list).
      - With O(server_ids) too, a volume must be attached to a server of each.
    type: list
    elements: str
  tags:
    description:
      - Only the volumes that have every one of these tags. Each key maps to a value, or to a list of values
        of which the volume's tag must have one.
      - V("") is the empty value; it never means "any value".
      - Values are texts; quote a value that YAML would read as a boolean or a number (V("yes"), V("1")). At
        most 10 keys and 10 values per key, the limits of EVS's tag query.
      - EVS's tag query is C(POST /v2/{project_id}/cloudvolumes/resource_instances/action) on Huawei Cloud and
        C(POST /v2/{project_id}/os-vendor-volumes/resource_instances/action) on Open Telekom Cloud; the module
        takes the second when O(cloud) is C(otc.t-systems.com) (or ends with C(.otc.t-systems.com)), else the
        first. It needs the EVS permission C(evs:volumeTags:get).
    type: dict
  status:
    description:
      - Only the volumes in this EVS status, such as V(in-use), V(available) or V(error).
    type: str
  availability_zone:
    description:
      - Only the volumes in this availability zone, such as V(eu-de-01).
    type: str
  protection:
    description:
      - V(any) returns the volumes whatever their backup policy.
      - V(protected) returns only the volumes that are in a backup policy, V(unprotected) only those in none.
      - Both need the backup policy of every volume found. When it is not known for some of them (see
        RV(volumes[].backup_policy_known)), the task fails with the reason and returns no volume.
    type: str
    choices: [any, protected, unprotected]
    default: any
notes:
  - Reads EVS with the permission C(evs:volumes:list) (and C(evs:volumeTags:get) for O(tags)), VBS's policies with
    the permission to list backup policies, and ECS with C(ecs:cloudServers:list) for O(server_names).
  - "Requests: the VBS policies twice, one EVS count per policy (to prove each volume's policy), the listing
    that reads the volumes, and for O(server_names) one ECS request per name (per 1000 servers whose name it
    matches in part). When a policy's count changes during these reads, they are made again."
seealso:
  - module: huaweicloud.vbs.vbs_backup
  - module: huaweicloud.vbs.vbs_backup_info
  - module: huaweicloud.vbs.vbs_backup_policy
  - module: huaweicloud.vbs.vbs_backup_policy_info
  - module: huaweicloud.vbs.vbs_backup_policy_run
  - module: huaweicloud.vbs.vbs_backup_restore
  - module: huaweicloud.vbs.vbs_policy_resources
extends_documentation_fragment:
  - huaweicloud.vbs.vbs
  - huaweicloud.vbs.vbs.attributes
  - huaweicloud.vbs.vbs.info_attributes
  - ansible.builtin.action_common_attributes
"""

EXAMPLES = r"""
- name: Find the volumes of the project that are in no backup policy
  huaweicloud.vbs.vbs_volume_info:
    protection: unprotected
  register: unprotected

- name: Report them
  ansible.builtin.debug:
    msg: "{{ item.name }} ({{ item.id }}, {{ item.size }} GB) on server(s) {{ item.server_ids | join(', ') }}"
  loop: "{{ unprotected.volumes }}"
  loop_control:
    label: "{{ item.id }}"

- name: Find the volumes of two servers, by the servers' names
  huaweicloud.vbs.vbs_volume_info:
    server_names:
      - web-01
      - web-02
  register: web_volumes

- name: Find the volumes tagged backup=daily or backup=hourly in one availability zone
  huaweicloud.vbs.vbs_volume_info:
    tags:
      backup: [daily, hourly]
    availability_zone: eu-de-01
  register: tagged

- name: Protect the unprotected volumes of the servers of the inventory group databases
  block:
    - name: Find them
      huaweicloud.vbs.vbs_volume_info:
        server_names: "{{ groups['databases'] }}"
        protection: unprotected
      register: found

    - name: Associate them with the policy daily-db
      huaweicloud.vbs.vbs_policy_resources:
        backup_policy_name: daily-db
        volumes: "{{ found.volumes | map(attribute='id') }}"

- name: Find a volume by its name
  huaweicloud.vbs.vbs_volume_info:
    names: [db-01-data]
  register: by_name

- name: Show the backup policy of each volume of that name
  ansible.builtin.debug:
    msg: >-
      {{ item.id }}:
      {{ (item.backup_policy_name or 'no policy') if item.backup_policy_known else 'policy not known' }}
  loop: "{{ by_name.volumes }}"
  loop_control:
    label: "{{ item.id }}"

# From the command line, with the HW_* environment variables set:
# ansible localhost -m huaweicloud.vbs.vbs_volume_info -a 'protection=unprotected'
"""

RETURN = r"""
# Returned by every module of the collection (Ansible has no doc fragments for return values).
auth_kind: {type: str, sample: aksk, returned: once the connection options are accepted, description: "The kind of
  credentials used, never their value: V(aksk) (access keys), V(password) (user name and password) or V(token)."}
auth_source: {type: str, sample: environment, returned: once the connection options are accepted, description: "Where
  the credentials came from: V(task) when the task or C(module_defaults) sets any credential option, else V(environment)."}
volumes:
  description:
    - The volumes that pass every filter, sorted by name and then by ID, with the fields documented here.
    - Fields that EVS may add beyond these are left out, and control characters in text are returned escaped.
  returned: always
  type: list
  elements: dict
  contains:
    id:
      description: ID of the volume.
      type: str
      sample: 5d1f8f2e-0b4a-4a43-9d7e-3c1a2b3c4d5e
    name:
      description: Name of the volume.
      type: str
      sample: db1-data
    status:
      description: EVS status of the volume.
      type: str
      sample: in-use
    size:
      description: Size in GB.
      type: int
      sample: 100
    availability_zone:
      description: Availability zone of the volume.
      type: str
      sample: eu-de-01
    server_ids:
      description: IDs of the servers the volume is attached to (empty when it is attached to none).
      type: list
      elements: str
      sample: [0f6f2b5c-3b8e-4a6e-9d3c-7f1e2a4b5c6d]
    tags:
      description: EVS tags of the volume.
      type: dict
      sample:
        backup: daily
    backup_policy_known:
      description:
        - Whether the volume's backup policy is known.
        - V(false) when the EVS metadata of the volumes does not agree with VBS's counts (a cloud that does not
          keep it, or not for every policy), when EVS could not be read, or when the volume's metadata names a
          policy that does not exist; RV(backup_policy_note) says why.
      type: bool
      sample: true
    backup_policy_id:
      description: ID of the backup policy the volume is in; V(null) when it is in none.
      returned: when RV(volumes[].backup_policy_known) is true
      type: str
      sample: 0ea1f4b3-7c2d-4f5e-9a6b-1c2d3e4f5a6b
    backup_policy_name:
      description: Name of that backup policy; V(null) when the volume is in none.
      returned: when RV(volumes[].backup_policy_known) is true
      type: str
      sample: daily-db
  sample:
    - id: 5d1f8f2e-0b4a-4a43-9d7e-3c1a2b3c4d5e
      name: db1-data
      status: in-use
      size: 100
      availability_zone: eu-de-01
      server_ids: [0f6f2b5c-3b8e-4a6e-9d3c-7f1e2a4b5c6d]
      tags:
        backup: daily
      backup_policy_known: true
      backup_policy_id: null
      backup_policy_name: null
backup_policy_known:
  description: Whether the backup policy of every returned volume is known.
  returned: always
  type: bool
  sample: true
backup_policy_note:
  description: Why the backup policy of some returned volumes is not known.
  returned: when RV(backup_policy_known) is false
  type: str
  sample: >-
    EVS lists 0 volume(s) whose metadata names policy daily-db (ID 0ea1f4b3-7c2d-4f5e-9a6b-1c2d3e4f5a6b),
    VBS counts 12: this cloud's EVS metadata does not show the policy's membership
servers:
  description: The servers that O(server_names) named, each with its name and ID.
  returned: when O(server_names) is given
  type: list
  elements: dict
  sample:
    - name: web-01
      id: 0f6f2b5c-3b8e-4a6e-9d3c-7f1e2a4b5c6d
"""

from ansible_collections.huaweicloud.vbs.plugins.module_utils import vbs_evs_members
from ansible_collections.huaweicloud.vbs.plugins.module_utils import vbs_volume_query as volume_query
from ansible_collections.huaweicloud.vbs.plugins.module_utils.vbs_evs import tag_query_path
from ansible_collections.huaweicloud.vbs.plugins.module_utils.vbs_module import ModuleFailure, VBSModule
from ansible_collections.huaweicloud.vbs.plugins.module_utils.vbs_values import safe_field

# The fields of a volume that the module returns, as vbs_evs.volume_facts made them.
VOLUME_FIELDS = ("id", "name", "status", "size", "availability_zone", "server_ids", "tags")


class VBSVolumeInfoModule(VBSModule):
    argument_spec = dict(
        volume_ids=dict(type="list", elements="str"),
        names=dict(type="list", elements="str"),
        server_ids=dict(type="list", elements="str"),
        server_names=dict(type="list", elements="str"),
        tags=dict(type="dict"),
        status=dict(type="str"),
        availability_zone=dict(type="str"),
        protection=dict(type="str", choices=list(volume_query.PROTECTION_CHOICES), default="any"),
    )

    def prepare(self):
        query, problem = volume_query.query_from_options(self.params)
        if problem:
            return problem
        self.query = query
        return None

    def run(self):
        self.results.update(volumes=[], backup_policy_known=True)
        if self.query.matches_nothing():
            return
        for option, service in (("evs_endpoint", "EVS"),) + (
                (("ecs_endpoint", "ECS"),) if self.query.server_names is not None else ()):
            if not self.params.get(option):
                raise ModuleFailure("vbs_volume_info reads %s, and no %s endpoint follows from the endpoint option "
                                    "(only a vbs. host or the region names one): set %s (HW_%s)"
                                    % (service, service, option, option.upper()))
        server_sets = self._server_sets()
        fan_out = min(server_sets, key=len) if server_sets else None
        plan = volume_query.listing_plan(self.query, fan_out)
        evs = self.evs_client
        reading = vbs_evs_members.read_volume_policies(self.client, evs, lambda: self._read(evs, plan))
        if reading.warning:
            self.warn(reading.warning)
        volumes, unknown = [], []
        for volume in volume_query.selected(reading.volumes, self.query, server_sets):
            known, policy = reading.policy_of(volume)
            volumes.append(volume_result(volume, known, policy))
            if not known:
                unknown.append(volume["id"])
        protection = self.params["protection"]
        problem = volume_query.protection_problem(protection, unknown, reading.note)
        if problem:
            raise ModuleFailure(problem)
        if protection != "any":
            volumes = [volume for volume in volumes if (volume["backup_policy_id"] is not None) == (
                protection == "protected")]
        self.results["volumes"] = volumes
        if unknown:
            self.results.update(backup_policy_known=False, backup_policy_note=reading.note)

    def _server_sets(self):
        """One set of server IDs per server filter: server_ids, and the servers that server_names name."""
        sets = []
        if self.query.server_ids is not None:
            sets.append(set(self.query.server_ids))
        if self.query.server_names is not None:
            ecs = self.ecs_client
            found = dict((name, ecs.servers_named(name)) for name in self.query.server_names)
            problem = volume_query.servers_problem(found)
            if problem:
                raise ModuleFailure(problem)
            servers = [dict(name=safe_field(name), id=found[name][0]["id"]) for name in self.query.server_names]
            self.results["servers"] = servers
            sets.append(set(server["id"] for server in servers))
        return sets

    def _read(self, evs, plan):
        """The volumes the plan reads (its filters applied by EVS, the others not yet)."""
        if plan.kind == volume_query.BY_IDS:
            return list(evs.volumes_by_ids(plan.values).values())
        if plan.kind == volume_query.BY_TAGS:
            return evs.volumes_by_tags(plan.values, tag_query_path(self.params["cloud"]))
        if plan.kind == volume_query.ALL:
            return evs.list_volumes(plan.filters)[0]
        volumes = []
        for value in plan.values:
            volumes.extend(evs.list_volumes(plan.filters + [(plan.kind, value)])[0])
        return volumes


def volume_result(volume, known, policy):
    """A volume as the module returns it: its documented fields, and its policy when that is known."""
    result = dict((key, volume[key]) for key in VOLUME_FIELDS)
    result["backup_policy_known"] = known
    if known:
        result["backup_policy_id"] = policy["backup_policy_id"] if policy else None
        result["backup_policy_name"] = safe_field(policy.get("backup_policy_name")) if policy else None
    return result


def main():
    VBSVolumeInfoModule()()


if __name__ == "__main__":
    main()
