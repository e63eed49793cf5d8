# -*- coding: utf-8 -*-
# Copyright: (c) 2026, huaweicloud.vbs contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""Backups, restores, jobs and policy runs against the facts of docs/backups.md (the VBS API reference).

Jobs run ``job_duration_ms`` (a few hundred milliseconds here); ``finished`` reads a job until it ends,
within a bound. Each switch of an open behaviour is tested both ways.
"""

import time

import pytest

from emulator_testlib import ERROR_VOLUME, FREE, IN_A, POLICY_A, POLICY_B, PROJECT_ID, build_seed

DURATION_MS = 300
BACKUP = "b0000000-0000-4000-8000-000000000001"
BIG_BACKUP = "b0000000-0000-4000-8000-000000000002"


@pytest.fixture
def book(emulator):
    """The test seed with two backups of FREE[0] (10 GB and 50 GB), and short jobs."""
    seed = build_seed()
    seed["backups"] = [{"id": BACKUP, "name": "nightly-1", "volume_id": FREE[0], "size": 10},
                       {"id": BIG_BACKUP, "name": "big", "volume_id": FREE[0], "size": 50}]
    emulator.reset(seed)
    emulator.configure(job_duration_ms=DURATION_MS)
    return emulator


def call(api, method, path, body=None):
    """A call with a token to any path of the project: /v1/{p}/..., /v2/{p}/..., /v3/{p}/..."""
    headers = {"X-Auth-Token": api.token(), "Content-Type": "application/json"}
    return api.send(method, api.base + path % {"p": PROJECT_ID}, headers, body)


def create(api, volume_id, name="manual-1", **fields):
    body = {"backup": dict(fields, volume_id=volume_id, name=name)}
    return call(api, "POST", "/v2/%(p)s/cloudbackups", body)


def job(api, job_id):
    answer = call(api, "GET", "/v1/%(p)s/jobs/" + job_id)
    assert answer.status == 200, answer
    return answer.data


def finished(api, job_id):
    """The job, read until it is SUCCESS or FAIL (at most 10 s)."""
    for _attempt in range(200):
        current = job(api, job_id)
        if current["status"] in ("SUCCESS", "FAIL"):
            return current
        time.sleep(0.05)
    raise AssertionError("job %s did not end" % job_id)


def backups(api, version="v3", query=""):
    answer = call(api, "GET", "/%s/%%(p)s/backups/detail%s" % (version, query))
    assert answer.status == 200, answer
    return answer.data["backups"]


# -- create and its job ---------------------------------------------------------------------------

def test_a_create_answers_a_job_that_runs_and_ends_with_an_available_backup(api, book):
    answer = create(api, FREE[1], description="before the upgrade", extend_param={"FullBackup": "true"})
    assert answer.status == 200 and list(answer.data) == ["job_id"]
    running = job(api, answer.data["job_id"])
    assert running["status"] in ("INIT", "RUNNING") and running["job_type"] == "bksCreateBackup"
    assert running["end_time"] is None and running["error_code"] is None
    backup_id = running["entities"]["backup_id"]
    [listed] = [backup for backup in backups(api) if backup["id"] == backup_id]
    assert listed["status"] == "creating" and listed["volume_id"] == FREE[1]
    done = finished(api, answer.data["job_id"])
    assert done["status"] == "SUCCESS" and done["entities"]["backup_id"] == backup_id
    assert done["end_time"] >= done["begin_time"]
    shown = call(api, "GET", "/v3/%(p)s/backups/" + backup_id).data["backup"]
    assert shown["status"] == "available" and shown["description"] == "before the upgrade"
    assert shown["name"] == "manual-1" and shown["size"] == 10 and shown["is_incremental"] is False
    assert shown["os-backup-project-attr:project_id"] == PROJECT_ID
    assert shown["links"][0]["rel"] == "self"


def test_a_second_backup_of_a_disk_is_incremental(api, book):
    assert finished(api, create(api, FREE[0], "second").data["job_id"])["status"] == "SUCCESS"
    [second] = [backup for backup in backups(api) if backup["name"] == "second"]
    assert second["is_incremental"] is True


@pytest.mark.parametrize("fields, code", [
    ({"name": "autobk_1234"}, "VolumeBackup.0005"),
    ({"name": "x" * 65}, "VolumeBackup.0003"),
    ({"name": "has space"}, "VolumeBackup.0004"),
    ({"name": ""}, "VolumeBackup.0007"),
    ({"description": "d" * 65}, "VolumeBackup.0006"),
    ({"description": "<b>"}, "VolumeBackup.0006"),
    ({"volume_id": ""}, "VolumeBackup.0010"),
    ({"volume_id": "../x"}, "VolumeBackup.0011"),
    ({"tags": [{"key": "k%d" % number, "value": "v"} for number in range(11)]}, "VolumeBackup.0050"),
    ({"tags": [{"key": "a=b", "value": "v"}]}, "VolumeBackup.0049"),
])
def test_a_malformed_create_is_refused_at_once_with_its_documented_code(api, book, fields, code):
    backup = dict({"volume_id": FREE[1], "name": "ok"}, **fields)
    answer = call(api, "POST", "/v2/%(p)s/cloudbackups", {"backup": backup})
    assert answer.status == 400 and answer.data["error"]["code"] == code, answer
    assert [item["name"] for item in backups(api)] == ["big", "nightly-1"]


def refused_create(api, emulator, refusals, volume_id):
    """(HTTP answer, the job's end or None) of a create the disk's state refuses, under backup_refusals."""
    emulator.configure(backup_refusals=refusals)
    answer = create(api, volume_id, "refused")
    if refusals == "immediate":
        return answer, None
    assert answer.status == 200, answer
    return answer, finished(api, answer.data["job_id"])


@pytest.mark.parametrize("refusals", ["immediate", "job"])
@pytest.mark.parametrize("case, code", [("unknown disk", "VolumeBackup.0021"), ("error disk", "VolumeBackup.0012"),
                                        ("backup running", "VolumeBackup.0013"), ("limit", "VolumeBackup.0040")])
def test_a_create_the_disk_refuses_is_a_400_or_a_failed_job(api, book, refusals, case, code):
    volume_id = {"unknown disk": "0000dead-0000-4000-8000-00000000beef", "error disk": ERROR_VOLUME}.get(case, FREE[0])
    if case == "backup running":
        assert create(api, FREE[0], "first").status == 200
    if case == "limit":
        book.configure(backups_per_disk=2)
    answer, ended = refused_create(api, book, refusals, volume_id)
    if refusals == "immediate":
        assert answer.status == 400 and answer.data["error"]["code"] == code
    else:
        assert ended["status"] == "FAIL" and ended["error_code"] == code and ended["fail_reason"]
        assert "backup_id" not in ended["entities"]
    assert [backup["name"] for backup in backups(api) if backup["name"] == "refused"] == []


def test_with_backup_id_after_success_a_backup_shows_only_once_its_job_succeeded(api, book):
    book.configure(backup_id_before_success=False)
    job_id = create(api, FREE[1]).data["job_id"]
    running = job(api, job_id)
    assert running["status"] in ("INIT", "RUNNING") and "backup_id" not in running["entities"]
    assert [backup["name"] for backup in backups(api)] == ["big", "nightly-1"]
    done = finished(api, job_id)
    assert [backup["id"] for backup in backups(api) if backup["name"] == "manual-1"] == [done["entities"]["backup_id"]]


def test_an_unknown_job_is_a_404_with_the_query_failure_code(api, book):
    answer = call(api, "GET", "/v1/%(p)s/jobs/4010b39b5281d3590152874bfa3b1604")
    assert answer.status == 404 and answer.data["error"]["code"] == "common.0011"


def test_a_backup_of_a_disk_that_fails_marks_the_backup_error(api, book):
    book.set_volume(FREE[1], backup_outcome="fail")
    done = finished(api, create(api, FREE[1]).data["job_id"])
    assert done["status"] == "FAIL" and done["error_code"] == "VolumeBackup.0064"
    [backup] = [item for item in backups(api) if item["name"] == "manual-1"]
    assert backup["status"] == "error" and backup["fail_reason"]


# -- list, show, delete -----------------------------------------------------------------------------

def test_the_native_list_pages_with_links_and_filters(api, book):
    for name in ("a-1", "a-2", "a-3"):
        assert finished(api, create(api, FREE[2], name).data["job_id"])["status"] == "SUCCESS"
    book.configure(page_size=2)
    first = call(api, "GET", "/v3/%(p)s/backups?volume_id=" + FREE[2]).data
    assert [item["name"] for item in first["backups"]] == ["a-3", "a-2"]
    assert set(first["backups"][0]) == {"id", "name", "links"}
    link = first["backups_links"][0]
    assert link["rel"] == "next" and "marker=%s" % first["backups"][1]["id"] in link["href"] and "limit=2" in link["href"]
    second = api.send("GET", link["href"], {"X-Auth-Token": api.token()}).data
    assert [item["name"] for item in second["backups"]] == ["a-1"] and "backups_links" not in second
    assert [item["name"] for item in backups(api, query="?name=a-2")] == ["a-2"]
    assert [item["name"] for item in backups(api, query="?status=available&volume_id=" + FREE[0])] == ["big", "nightly-1"]


def test_the_deprecated_v2_twins_answer_the_same_backups(api, book):
    assert [item["id"] for item in backups(api, "v2")] == [item["id"] for item in backups(api, "v3")]
    shown = call(api, "GET", "/v2/%(p)s/backups/" + BACKUP).data["backup"]
    assert shown["os-bak-tenant-attr:tenant_id"] == PROJECT_ID and isinstance(shown["service_metadata"], str)


def test_an_unknown_backup_is_the_openstack_item_not_found(api, book):
    for method in ("GET", "DELETE"):
        answer = call(api, method, "/v3/%(p)s/backups/0000dead-0000-4000-8000-00000000beef")
        assert answer.status == 404
        assert answer.data == {"itemNotFound": {"code": 404, "message": "Backup 0000dead-0000-4000-8000-00000000beef "
                                                                        "could not be found."}}


def test_a_delete_answers_202_and_the_backup_is_gone_after_the_job(api, book):
    answer = call(api, "DELETE", "/v3/%(p)s/backups/" + BACKUP)
    assert answer.status == 202 and answer.raw == b""
    assert call(api, "GET", "/v3/%(p)s/backups/" + BACKUP).data["backup"]["status"] == "deleting"
    again = call(api, "DELETE", "/v3/%(p)s/backups/" + BACKUP)
    assert again.status == 400 and again.data["badRequest"]["code"] == 400
    time.sleep(DURATION_MS / 1000.0 + 0.1)
    assert call(api, "GET", "/v3/%(p)s/backups/" + BACKUP).status == 404


def test_without_the_v3_paths_v3_answers_the_gateways_404_and_iam_still_works(api, book):
    book.configure(native_v3_backups="absent")
    answer = call(api, "GET", "/v3/%(p)s/backups/detail")
    assert answer.status == 404 and answer.data["error_code"] == "APIGW.0101"
    assert [item["id"] for item in backups(api, "v2")] == [BIG_BACKUP, BACKUP]
    assert api.get_token().status == 201
    assert call(api, "GET", "/v3/projects?name=eu-de").status == 200


def test_a_server_error_on_a_native_path_has_the_openstack_shape(api, book):
    status, data = book.call("POST", "/_emulator/faults", {"method": "GET", "path": "/v3/%s/backups/*" % PROJECT_ID,
                                                           "kind": "error500"})
    assert status == 204, data
    answer = call(api, "GET", "/v3/%(p)s/backups/" + BACKUP)
    assert answer.status == 500 and answer.data["computeFault"]["code"] == 500
    assert call(api, "GET", "/v3/%(p)s/backups/" + BACKUP).status == 200


def test_a_signed_request_reaches_the_backups_and_the_jobs(api, book):
    listed = api.signed("GET", "/v3/%s/backups/detail" % PROJECT_ID, query=[("volume_id", FREE[0])])
    assert listed.status == 200 and len(listed.data["backups"]) == 2
    created = api.signed("POST", "/v2/%s/cloudbackups" % PROJECT_ID,
                         body={"backup": {"volume_id": FREE[3], "name": "signed"}})
    assert created.status == 200, created
    assert api.signed("GET", "/v1/%s/jobs/%s" % (PROJECT_ID, created.data["job_id"])).status == 200
    assert api.signed("GET", "/v1/%s/jobs/x" % PROJECT_ID, sk="wrong").status == 401


# -- restore ----------------------------------------------------------------------------------------

def test_a_restore_runs_a_job_that_marks_backup_and_disk_until_it_ends(api, book):
    answer = call(api, "POST", "/v2/%(p)s/cloudbackups/" + BACKUP + "/restore", {"restore": {"volume_id": FREE[1]}})
    assert answer.status == 200 and list(answer.data) == ["job_id"]
    running = job(api, answer.data["job_id"])
    assert running["job_type"] == "bksRestoreBackup"
    assert running["entities"] == {"backup_id": BACKUP, "volume_id": FREE[1]}
    assert call(api, "GET", "/v3/%(p)s/backups/" + BACKUP).data["backup"]["status"] == "restoring"
    assert [volume["status"] for volume in book.volumes() if volume["id"] == FREE[1]] == ["restoring-backup"]
    assert finished(api, answer.data["job_id"])["status"] == "SUCCESS"
    assert call(api, "GET", "/v3/%(p)s/backups/" + BACKUP).data["backup"]["status"] == "available"
    [volume] = [volume for volume in book.volumes() if volume["id"] == FREE[1]]
    assert volume["status"] == "available" and volume["restored_from"] == [BACKUP]


@pytest.mark.parametrize("refusals", ["immediate", "job"])
@pytest.mark.parametrize("case, code", [
    ("unknown backup", "VolumeBackup.0111"), ("smaller disk", "VolumeBackup.0209"),
    ("in-use disk", "VolumeBackup.0205"), ("backup creating", "VolumeBackup.0089"),
    ("backup of the disk running", "VolumeBackup.0206")])
def test_a_restore_the_state_refuses_is_a_400_or_a_failed_job(api, book, refusals, case, code):
    backup_id, volume_id = {"unknown backup": ("0000dead-0000-4000-8000-00000000beef", FREE[1]),
                            "smaller disk": (BIG_BACKUP, FREE[1]), "in-use disk": (BACKUP, IN_A)}.get(
        case, (BACKUP, FREE[1]))
    if case == "backup creating":
        backup_id = job(api, create(api, FREE[2]).data["job_id"])["entities"]["backup_id"]
    if case == "backup of the disk running":
        assert create(api, FREE[1]).status == 200
    book.configure(backup_refusals=refusals)
    answer = call(api, "POST", "/v2/%(p)s/cloudbackups/" + backup_id + "/restore", {"restore": {"volume_id": volume_id}})
    if refusals == "immediate":
        assert answer.status == 400 and answer.data["error"]["code"] == code, answer
    else:
        ended = finished(api, answer.data["job_id"])
        assert ended["status"] == "FAIL" and ended["error_code"] == code
    assert [volume["restored_from"] for volume in book.volumes() if volume["id"] == volume_id] in ([[]], [])


def test_with_restore_in_use_allowed_an_attached_disk_is_restored(api, book):
    book.configure(restore_in_use="allow")
    answer = call(api, "POST", "/v2/%(p)s/cloudbackups/" + BACKUP + "/restore", {"restore": {"volume_id": IN_A}})
    assert finished(api, answer.data["job_id"])["status"] == "SUCCESS"
    [volume] = [volume for volume in book.volumes() if volume["id"] == IN_A]
    assert volume["status"] == "in-use" and volume["restored_from"] == [BACKUP]


# -- policy runs ------------------------------------------------------------------------------------

def tasks(api, policy_id):
    return api.with_token("GET", "/backuppolicy/%s/backuptasks" % policy_id).data["tasks"]


def run_to_the_end(api, policy_id):
    assert api.with_token("POST", "/backuppolicy/%s/action" % policy_id).status == 204
    for _attempt in range(200):
        current = tasks(api, policy_id)
        if current and all(task["status"] != "RUNNING" for task in current):
            return current
        time.sleep(0.05)
    raise AssertionError("the run did not end")


def test_a_run_backs_up_each_volume_and_a_failing_volume_ends_fail_or_timeout(api, book):
    for volume_id in (FREE[0], FREE[1]):
        api.associate(POLICY_A, volume_id)
    book.set_volume(FREE[0], backup_outcome="timeout")
    book.set_volume(FREE[1], status="error")  # after it joined: error disks cannot be associated
    ended = dict((task["resource_id"], task) for task in run_to_the_end(api, POLICY_A))
    assert ended[IN_A]["status"] == "EXECUTE_SUCCESS"
    assert ended[FREE[0]]["status"] == "EXECUTE_TIMEOUT"
    assert ended[FREE[1]]["status"] == "EXECUTE_FAIL"
    names = [backup["name"] for backup in backups(api, query="?volume_id=" + IN_A)]
    assert names == [ended[IN_A]["backup_name"]] and names[0].startswith("autobk_")
    assert not [backup for backup in backups(api) if backup["name"] == ended[FREE[0]]["backup_name"]]


def test_a_run_holds_the_policy_executing_until_its_tasks_end(api, book):
    assert api.with_token("POST", "/backuppolicy/%s/action" % POLICY_A).status == 204
    assert [policy["executing"] for policy in book.policies() if policy["id"] == POLICY_A] == [True]
    refused = api.associate(POLICY_A, FREE[3])
    assert refused.data["fail_resources"][0]["code"] == "AutoBackup.0225"
    time.sleep(DURATION_MS / 1000.0 + 0.1)
    assert [policy["executing"] for policy in book.policies() if policy["id"] == POLICY_A] == [False]


@pytest.mark.parametrize("setting", ["run", "refuse"])
def test_a_disabled_policy_runs_or_is_refused_as_run_inactive_policy_says(api, book, setting):
    book.configure(run_inactive_policy=setting)
    answer = api.with_token("POST", "/backuppolicy/%s/action" % POLICY_B)  # status OFF, one volume
    if setting == "run":
        assert answer.status == 204 and len(tasks(api, POLICY_B)) == 1
    else:
        assert answer.status == 400 and answer.data["error"]["code"] == "AutoBackup.1700"
        assert tasks(api, POLICY_B) == []


def test_an_armed_fault_with_a_pattern_hits_the_next_job_read_whatever_its_id(api, book):
    job_id = create(api, FREE[1]).data["job_id"]
    status, _data = book.call("POST", "/_emulator/faults", {"method": "GET", "path": "/v1/%s/jobs/*" % PROJECT_ID,
                                                            "kind": "unavailable503"})
    assert status == 204
    assert call(api, "GET", "/v1/%(p)s/jobs/" + job_id).status == 503
    assert call(api, "GET", "/v1/%(p)s/jobs/" + job_id).status == 200


@pytest.mark.parametrize("backup, problem", [
    ({"id": BACKUP, "name": "again", "volume_id": FREE[0]}, "backup %s is listed twice" % BACKUP),
    ({"name": "big", "volume_id": FREE[0], "size": 0}, "backups[2].size must be a whole number of GB >= 1"),
    ({"volume_id": FREE[0]}, "backups[2].name must be a non-empty string"),
    ({"name": "x", "volume_id": FREE[0], "kind": "full"}, "backups[2] has unknown key(s) kind"),
])
def test_a_seed_with_a_bad_backup_is_refused_and_changes_nothing(book, backup, problem):
    seed = build_seed()
    seed["backups"] = [{"id": BACKUP, "name": "nightly-1", "volume_id": FREE[0]},
                       {"name": "big", "volume_id": FREE[0], "size": 50}, backup]
    status, data = book.call("POST", "/_emulator/reset", seed)
    assert status == 400 and problem in data["error"]["message"], data
    assert sorted(item["name"] for item in book.backups()) == ["big", "nightly-1"]
