#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, huaweicloud.vbs contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r"""
module: vbs_backup_policy
short_description: Create, change or delete a Huawei Cloud VBS backup policy
version_added: 0.2.0
description:
  - Makes a Volume Backup Service (VBS) backup policy exist with the given schedule, retention,
    status and tags (O(state=present)), or makes it not exist (O(state=absent)).
  - The policy is found by O(backup_policy_id), or else by O(name). VBS does not keep names unique;
    when several policies have the name, the module fails and lists their IDs.
  - Only the options given are compared and changed; the others keep their values. A run that finds
    nothing to change sends no write request.
  - To protect volumes with the policy, use M(huaweicloud.vbs.vbs_policy_resources).
  - The collection's C(docs/backup_policy.md) lists the VBS API facts behind each option, and what
    the versions of the VBS API reference disagree on.
author:
  - huaweicloud.vbs contributors (@huaweicloud-vbs)
options:
  name:
    description:
      - Name of the policy. Required unless O(backup_policy_id) is given.
      - The alias O(backup_policy_name) is the name of this option in the other modules of the collection.
      - Without O(backup_policy_id), the name finds the policy, and a new policy gets it.
      - With O(backup_policy_id), the policy is renamed to O(name) when its name differs.
        The module refuses a name that another policy already has.
      - 1 to 64 letters, digits, V(_) or V(-). A new name must not start with V(default).
    type: str
    aliases: [backup_policy_name]
  backup_policy_id:
    description:
      - ID of the policy. Use it to rename a policy, or to pick one of several policies with the same name.
      - With O(state=present), the policy must exist; the module does not create a policy with a given ID.
      - Letters, digits, C(-), C(_), C(.) and C(:), starting with a letter or a digit, at most 255
        characters (VBS policy IDs are UUIDs); anything else fails the task before any request.
    type: str
  state:
    description:
      - V(present) creates the policy or changes it to match the options; V(absent) deletes it.
      - With V(absent), the schedule and tag options are ignored (but still checked).
    type: str
    choices: [present, absent]
    default: present
  start_time:
    description:
      - Times of day (UTC) at which backups start, on the full hour, such as V(02:00).
      - Several times give several backups a day, for example V(['02:00', '14:00']) or V('02:00,14:00').
        Their order does not matter.
      - Quote the times in YAML, V('02:00'), because YAML reads an unquoted V(12:00) as the number 720.
      - Required to create a policy.
    type: list
    elements: str
  frequency:
    description:
      - Days between two backups, from 1 to 30.
      - Some clouds follow an older VBS reference that allows only 1 to 14; VBS refuses more there,
        and the module reports its error.
      - Mutually exclusive with O(week_frequency). Setting it replaces the policy's O(week_frequency).
      - One of O(frequency) and O(week_frequency) is required to create a policy.
    type: int
  week_frequency:
    description:
      - Days of the week on which backups run, as V(SUN), V(MON), V(TUE), V(WED), V(THU), V(FRI), V(SAT)
        (any case). Their order does not matter.
      - Mutually exclusive with O(frequency). Setting it replaces the policy's O(frequency).
    type: list
    elements: str
  retention_num:
    description:
      - How many backups of each volume are kept, from 2 to 99 (2 to 14 on clouds that follow the older reference).
      - VBS calls this field C(rentention_num).
      - Mutually exclusive with O(retention_day). Setting it replaces the policy's O(retention_day).
      - One of O(retention_num) and O(retention_day) is required to create a policy.
    type: int
  retention_day:
    description:
      - How many days each backup is kept, from 2 to 99999.
      - VBS calls this field C(rentention_day).
      - Mutually exclusive with O(retention_num). Setting it replaces the policy's O(retention_num).
    type: int
  keep_first_backup_of_month:
    description:
      - Whether the first backup of each month is kept beyond the retention (VBS's C(remain_first_backup_of_curMonth)).
      - A new policy gets V(false) when this is not given.
    type: bool
  enabled:
    description:
      - Whether the policy runs on its schedule (VBS's C(status) V(ON) or V(OFF)).
      - A new policy gets V(true) when this is not given.
    type: bool
  tags:
    description:
      - Tags of the policy, as a dictionary. At most 10.
      - A key is 1 to 36 characters, a value 0 to 43, without control characters and without any of
        C(= * < > \ , | /), which no version of the VBS API reference allows; the task fails before any request
        otherwise.
      - Some versions of the reference allow only letters, digits, V(_) and V(-), others more. The module leaves
        that to VBS, which refuses a tag it does not accept with C(AutoBackup.0214); the task then fails with
        VBS's error.
      - When not given, the policy's tags are left alone.
    type: dict
  purge_tags:
    description:
      - Whether tags of the policy that are not in O(tags) are removed.
      - Has no effect when O(tags) is not given.
    type: bool
    default: true
  force:
    description:
      - With O(state=absent), delete the policy even when volumes are associated with it.
      - Without it, the module refuses to delete such a policy and says how many volumes it holds, since
        deleting it ends their scheduled backups.
    type: bool
    default: false
extends_documentation_fragment:
  - huaweicloud.vbs.vbs
  - huaweicloud.vbs.vbs.attributes
  - ansible.builtin.action_common_attributes
attributes:
  check_mode:
    support: full
    details:
      - Everything the module decides on can be read from VBS, so check mode predicts exactly and sends
        only read requests.
  diff_mode:
    support: full
    details:
      - The diff shows every option the module manages and the tags, before and after.
notes:
  - The module reads the policy back after changing it and fails if VBS does not list what was sent.
  - When a change fails after others were made, the message says which were made, and the result has
    C(changed=true).
  - A create is sent once. When it gets no answer or a server error, the module looks for the new
    policy before it tries again, so that a retry never makes a second policy.
seealso:
  - module: huaweicloud.vbs.vbs_backup
  - module: huaweicloud.vbs.vbs_backup_info
  - module: huaweicloud.vbs.vbs_backup_policy_info
  - module: huaweicloud.vbs.vbs_backup_policy_run
  - module: huaweicloud.vbs.vbs_backup_restore
  - module: huaweicloud.vbs.vbs_policy_resources
  - module: huaweicloud.vbs.vbs_volume_info
"""

EXAMPLES = r"""
- name: Back up every day at 02:00 UTC and keep seven backups
  huaweicloud.vbs.vbs_backup_policy:
    name: daily-db
    start_time: "02:00"
    frequency: 1
    retention_num: 7
    keep_first_backup_of_month: true
    tags:
      team: dba
      env: prod
  register: daily_db

- name: Back up twice on Sundays and Wednesdays, and keep the backups for 30 days
  huaweicloud.vbs.vbs_backup_policy:
    name: weekly-archive
    start_time: ["01:00", "13:00"]
    week_frequency: [SUN, WED]
    retention_day: 30

- name: Pause a policy; its other settings stay as they are
  huaweicloud.vbs.vbs_backup_policy:
    name: weekly-archive
    enabled: false

- name: Add a tag and keep the tags the policy already has
  huaweicloud.vbs.vbs_backup_policy:
    name: daily-db
    tags:
      cost-center: cc-4711
    purge_tags: false

- name: Rename a policy, found by its ID
  huaweicloud.vbs.vbs_backup_policy:
    backup_policy_id: "{{ daily_db.policy.backup_policy_id }}"
    name: daily-database

- name: Delete a policy that no longer protects any volume
  huaweicloud.vbs.vbs_backup_policy:
    name: retired-archive
    state: absent

- name: Delete a policy even though volumes are still associated with it
  huaweicloud.vbs.vbs_backup_policy:
    name: old-nightly
    state: absent
    force: true

- name: Set the connection once for every module of the collection
  module_defaults:
    group/huaweicloud.vbs.vbs:
      region: eu-de
      endpoint: https://vbs.eu-de.otc.t-systems.com
      auth_url: https://iam.eu-de.otc.t-systems.com/v3
      # access_key and secret_key come from HW_ACCESS_KEY and HW_SECRET_KEY
  block:
    - name: Keep the nightly policy on Open Telekom Cloud
      huaweicloud.vbs.vbs_backup_policy:
        name: nightly
        start_time: "23:00"
        frequency: 1
        retention_day: 14

# From the command line, with the HW_* environment variables set (never give secret_key with -a:
# ansible-core prints an -a string it cannot split, secret included, and ps shows command lines):
# ansible localhost -m huaweicloud.vbs.vbs_backup_policy \
#   -a 'name=daily-db start_time=02:00 frequency=1 retention_num=7'
# ansible localhost -m huaweicloud.vbs.vbs_backup_policy -a 'name=daily-db enabled=false' --check --diff
"""

RETURN = r"""
# Returned by every module of the collection (Ansible has no doc fragments for return values).
auth_kind: {type: str, sample: aksk, returned: once the connection options are accepted, description: "The kind of
  credentials used, never their value: V(aksk) (access keys), V(password) (user name and password) or V(token)."}
auth_source: {type: str, sample: environment, returned: once the connection options are accepted, description: "Where
  the credentials came from: V(task) when the task or C(module_defaults) sets any credential option, else V(environment)."}
policy:
  description:
    - The policy after the run. In check mode, the policy as the run would make it (with C(backup_policy_id)
      V(null) for a policy the run would create). For O(state=absent), the policy as it was before it was deleted.
    - Every module of the collection returns a policy with the same fields, in the terms of the options of
      M(huaweicloud.vbs.vbs_backup_policy), namely C(backup_policy_id), C(name), C(start_time), C(frequency),
      C(week_frequency), C(retention_num), C(retention_day), C(keep_first_backup_of_month), C(enabled), C(tags),
      C(policy_resource_count) and C(time_zone). The collection's C(docs/backup_policy.md) describes them
      (The policy the modules return).
  returned: when the policy exists, or would exist in check mode
  type: dict
  sample: {backup_policy_id: 0ea1f4b3-7c2d-4f5e-9a6b-1c2d3e4f5a6b, name: daily-db, start_time: ["02:00"],
    frequency: 1, week_frequency: null, retention_num: 7, retention_day: null, keep_first_backup_of_month: false,
    enabled: true, tags: {team: dba}, policy_resource_count: 12, time_zone: "UTC+08:00"}
"""

from ansible_collections.huaweicloud.vbs.plugins.module_utils import vbs_policy_spec as spec
from ansible_collections.huaweicloud.vbs.plugins.module_utils.vbs_errors import VBSError
from ansible_collections.huaweicloud.vbs.plugins.module_utils.vbs_module import ModuleFailure, VBSModule
from ansible_collections.huaweicloud.vbs.plugins.module_utils.vbs_policy_lookup import (
    find_policy, lookup_problem, policy_label, where)
from ansible_collections.huaweicloud.vbs.plugins.module_utils.vbs_values import shown

# The codes VBS answers for a policy that does not exist.
POLICY_NOT_FOUND_CODES = ("AutoBackup.0205", "AutoBackup.1100")


class VBSBackupPolicyModule(VBSModule):
    argument_spec = dict(
        name=dict(type="str", aliases=["backup_policy_name"]),
        backup_policy_id=dict(type="str"),
        state=dict(type="str", choices=["present", "absent"], default="present"),
        start_time=dict(type="list", elements="str"),
        frequency=dict(type="int"),
        week_frequency=dict(type="list", elements="str"),
        retention_num=dict(type="int"),
        retention_day=dict(type="int"),
        keep_first_backup_of_month=dict(type="bool"),
        enabled=dict(type="bool"),
        tags=dict(type="dict"),
        purge_tags=dict(type="bool", default=True),
        force=dict(type="bool", default=False),
    )
    module_kwargs = dict(
        mutually_exclusive=[("frequency", "week_frequency"), ("retention_num", "retention_day")],
        required_one_of=[("name", "backup_policy_id")],
    )

    def prepare(self):
        params = self.params
        problem = lookup_problem(params, ("name", "backup_policy_id"))
        if not problem and params["state"] == "present" and params.get("name") is not None:
            problem = spec.name_problem(params["name"])
        desired, desired_problem = spec.desired_from_params(params)
        problem = problem or desired_problem or self.policy_id_problem()
        if problem:
            return problem
        self.desired = desired
        self.done = []  # the changes made so far, for the message of a run that fails half-way
        return None

    def run(self):
        policies = self.client.list_policies()
        policy = self._matching(policies)
        if self.params["state"] == "absent":
            self._absent(policy)
        elif policy is None:
            self._create(policies)
        else:
            self._update(policy, policies)

    # -- finding ------------------------------------------------------------

    def _matching(self, policies):
        """The policy with the given ID, or else the one with the given name; None when there is none."""
        return find_policy(policies, self._where(), self.params.get("backup_policy_id"), self.params["name"])

    def _where(self):
        return where(self.client.project_id, self.params.get("region"))

    def _label(self, policy):
        return policy_label(policy["name"], policy["backup_policy_id"])

    def _current(self, item):
        """A listed policy, with its tags, in the module's terms."""
        return spec.current_from_vbs(item, self.client.list_tags(item["backup_policy_id"]))

    def _read(self, policy_id):
        """The policy as VBS lists it now."""
        for item in self.client.list_policies():
            if item["backup_policy_id"] == policy_id:
                return self._current(item)
        raise VBSError("VBS no longer lists backup policy %s in %s" % (shown(policy_id), self._where()))

    # -- state: present -----------------------------------------------------

    def _create(self, policies):
        if self.params.get("backup_policy_id") is not None:
            raise VBSError("No backup policy with ID %s in %s; to create a policy, give its name without "
                           "backup_policy_id" % (shown(self.params["backup_policy_id"]), self._where()))
        name = self.params["name"]
        problem = spec.name_problem(name, new=True) or spec.creation_problem(self.desired)
        if problem:
            raise ModuleFailure("Cannot create backup policy %s: %s" % (shown(name), problem))
        wanted = spec.new_policy(name, self.desired)
        if self.check_mode:
            self.results.update(changed=True, policy=wanted)
            self._set_diff(None, wanted)
            return
        known = set(policy["backup_policy_id"] for policy in policies)
        policy_id = self.client.create_policy(
            spec.create_body(name, self.desired), lambda error: self._created_meanwhile(name, known, error),
            "VBS lists no new policy named %s, so the create was not applied" % shown(name))
        self.results["changed"] = True
        self.done.append("created backup policy %s with ID %s" % (shown(name), shown(policy_id)))
        try:
            listed = self._read(policy_id)
            if "tags" in self.desired and listed["tags"] != wanted["tags"]:
                # A VBS that ignores the tags of a create gets them through the tag calls.
                self._change_tags(listed, *spec.tag_changes(listed["tags"], wanted["tags"], True)[:2])
                listed = self._read(policy_id)
        except VBSError as error:
            self._report_partial(error, policy_id)
            raise
        self._verify(listed, wanted, spec.MANAGED_FIELDS)
        self.results["policy"] = listed
        self._set_diff(None, listed)

    def _created_meanwhile(self, name, known_ids, create_error):
        """The ID of a policy named ``name`` that appeared since the run began, or None."""
        policies = self._list_after_failed("create", create_error)
        new = sorted(policy["backup_policy_id"] for policy in policies
                     if policy.get("backup_policy_name") == name and policy["backup_policy_id"] not in known_ids)
        if len(new) > 1:
            self.results["changed"] = True
            raise VBSError("After a failed create, %d new backup policies are named %s: %s; delete the extra ones"
                           % (len(new), shown(name), ", ".join(shown(policy_id) for policy_id in new)))
        return new[0] if new else None

    def _update(self, item, policies):
        current = self._current(item)
        self.results["policy"] = current
        policy_id = current["backup_policy_id"]
        new_name = self._new_name(current, policies)
        fields = spec.changed_fields(current, self.desired, new_name)
        to_delete, to_create, final_tags = {}, {}, current["tags"]
        if "tags" in self.desired:
            to_delete, to_create, final_tags = spec.tag_changes(current["tags"], self.desired["tags"],
                                                                self.params["purge_tags"])
            if len(final_tags) > spec.MAX_TAGS:
                raise ModuleFailure("Backup policy %s would have %d tags (%s); a policy has at most %d. With "
                                    "purge_tags: false its tags %s stay"
                                    % (self._label(current), len(final_tags), _value(sorted(final_tags)),
                                       spec.MAX_TAGS, _value(sorted(current["tags"]))))
        expected = spec.predicted(current, self.desired, fields, final_tags, new_name)
        if not fields and not to_delete and not to_create:
            self._set_diff(current, current)
            return
        self.results["changed"] = True
        if self.check_mode:
            self.results["policy"] = expected
            self._set_diff(current, expected)
            return
        try:
            self._modify(current, fields, new_name)
            self._change_tags(current, to_delete, to_create)
        except VBSError as error:
            self._report_partial(error, policy_id)
            raise
        listed = self._read(policy_id)
        checked = set(fields) | set(spec.PARTNER[field] for field in fields if field in spec.PARTNER)
        if to_delete or to_create:
            checked.add("tags")
        self._verify(listed, expected, checked)
        self.results["policy"] = listed
        self._set_diff(current, listed)

    def _new_name(self, current, policies):
        """The name to rename the policy to, or None; refused when another policy has it."""
        name = self.params.get("name")
        if self.params.get("backup_policy_id") is None or name is None or name == current["name"]:
            return None
        problem = spec.name_problem(name, new=True)
        if problem:
            raise ModuleFailure("Cannot rename backup policy %s: %s" % (self._label(current), problem))
        others = sorted(policy["backup_policy_id"] for policy in policies
                        if policy.get("backup_policy_name") == name and policy["backup_policy_id"] != current["backup_policy_id"])
        if others:
            raise ModuleFailure("Cannot rename backup policy %s to %s: policy %s already has that name, and names "
                                "are how this module finds policies" % (self._label(current), shown(name),
                                                                        ", ".join(shown(other) for other in others)))
        return name

    def _modify(self, current, fields, new_name):
        if not fields:
            return
        body = {}
        if "name" in fields:
            body["backup_policy_name"] = new_name
        schedule_fields = [field for field in fields if field != "name"]
        if schedule_fields:
            body["scheduled_policy"] = spec.schedule_body(current, self.desired, schedule_fields)
        self.client.modify_policy(current["backup_policy_id"], body)
        self.done.append("changed %s" % ", ".join(fields))

    def _change_tags(self, current, to_delete, to_create):
        """Delete, then create: a changed value is deleted and created again."""
        policy_id = current["backup_policy_id"]
        if to_delete:
            self.client.tag_action(policy_id, "delete", to_delete)
            self.done.append("removed tags %s" % _value(sorted(to_delete)))
        if to_create:
            self.client.tag_action(policy_id, "create", to_create)
            self.done.append("set tags %s" % _value(sorted(to_create)))

    def _report_partial(self, error, policy_id):
        """A change failed: say what was done before it, and return the policy as it is now if VBS lists it."""
        self.results["changed"] = bool(self.done) or error.maybe_applied
        if error.maybe_applied:
            error.add_hint("VBS may have applied (or may still apply) the failed request; run the task again "
                           "to converge")
        if self.done:
            error.add_hint("Already done in this run: %s" % "; ".join(self.done))
        try:
            self.results["policy"] = self._read(policy_id)
        except VBSError:
            pass  # the error being reported says more than this one

    def _verify(self, listed, expected, fields):
        """Fail when VBS lists something else than what was sent (it accepted the change but did not make it)."""
        wrong = spec.mismatches(listed, expected, fields)
        if wrong:
            self.results["policy"] = listed
            details = "; ".join("%s: VBS lists %s, expected %s" % (field, _value(listed.get(field)), _value(expected.get(field)))
                                for field in wrong)
            raise VBSError("VBS accepted the changes to backup policy %s but lists other values afterwards: %s"
                           % (self._label(listed), details))

    # -- state: absent ------------------------------------------------------

    def _absent(self, item):
        if item is None:
            self._set_diff(None, None)
            return
        current = self._current(item)
        self.results["policy"] = current
        count = current["policy_resource_count"]
        if count and not self.params["force"]:
            raise ModuleFailure("Backup policy %s still protects %d volume(s); deleting it ends their scheduled "
                                "backups. Remove the volumes first (huaweicloud.vbs.vbs_policy_resources with "
                                "state: absent), or set force: true to delete it anyway"
                                % (self._label(current), count))
        self.results["changed"] = True
        self._set_diff(current, None)
        if self.check_mode:
            return
        try:
            self.client.delete_policy(current["backup_policy_id"])
        except VBSError as error:
            # A delete retried after VBS applied it answers "no such policy", and one that failed with a
            # server error may have been applied: when the policy is gone, it is what was asked for.
            not_found = error.status == 404 and error.code in POLICY_NOT_FOUND_CODES
            if (not_found or error.maybe_applied) and self._gone(current, error):
                return
            # VBS still lists the policy: the delete did not take effect.
            self.results["changed"] = False
            if error.unanswered:
                error.add_hint("VBS still lists the policy, but may yet apply the request that got no answer")
            raise

    def _gone(self, current, delete_error):
        """Whether VBS no longer lists the policy; a failure to tell is reported with the delete's error."""
        policies = self._list_after_failed("delete", delete_error)
        return all(policy["backup_policy_id"] != current["backup_policy_id"] for policy in policies)

    def _list_after_failed(self, action, failed_error):
        """The policies, listed to learn whether the failed ``action`` (create, delete) was applied after all.

        When they cannot be listed either, the outcome is unknown: never claim that nothing changed.
        """
        try:
            return self.client.list_policies()
        except VBSError as error:
            self.results["changed"] = True
            error.add_hint("The %s before it (%s) may have been applied; run the task again to find out"
                           % (action, failed_error.msg))
            raise

    # -- results --------------------------------------------------------------

    def _set_diff(self, before, after):
        if self.ansible._diff:
            self.results["diff"] = dict(before=spec.diff_view(before), after=spec.diff_view(after))


def _value(value):
    """A field's value in a one-line message."""
    if value is None:
        return "none"
    if isinstance(value, list):
        return ",".join(shown(str(item)) for item in value) or "none"
    if isinstance(value, dict):
        return ", ".join("%s=%s" % (shown(key), shown(item)) for key, item in sorted(value.items())) or "none"
    return shown(str(value))


def main():
    VBSBackupPolicyModule()()


if __name__ == "__main__":
    main()
