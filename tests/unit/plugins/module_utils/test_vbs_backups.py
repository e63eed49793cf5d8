# -*- coding: utf-8 -*-
# Copyright: (c) 2026, huaweicloud.vbs contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""BackupClient over real HTTP: the native API's /v3 and its /v2 fall-back, its error shape, its pages,
and answers that are not what the reference shows."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest

from ansible_collections.huaweicloud.vbs.plugins.module_utils.vbs_auth import AkSkAuth, TokenAuth
from ansible_collections.huaweicloud.vbs.plugins.module_utils.vbs_backups import BackupClient
from ansible_collections.huaweicloud.vbs.plugins.module_utils.vbs_errors import VBSError, parse_error_body
from ansible_collections.huaweicloud.vbs.plugins.module_utils.vbs_transport import Transport
from ansible_collections.huaweicloud.vbs.tests.support.scripted_server import (
    ScriptedServer, json_reply, official_authorization)

PROJECT = "0b4a7c5e9f1d4e2a8c3b6d5f7e9a1c2b"
BACKUP = "1d11c1a8-9f6e-4c2f-8d6f-5b0a6c7d8e9f"
OTHER = "2e22c1a8-9f6e-4c2f-8d6f-5b0a6c7d8e9f"
VOLUME = "6e7f8091-a2b3-4c4d-8e5f-60718293a4b5"
NOT_FOUND = {"itemNotFound": {"message": "Backup %s could not be found." % BACKUP, "code": 404}}
NO_SUCH_API = {"error_code": "APIGW.0101", "error_msg": "The API does not exist or has not been published"}


def client_for(server, auth=None):
    transport = Transport(timeout=5, retries=2, sleep=lambda seconds: None)
    return BackupClient(transport, auth or TokenAuth("tok"), server.url + "/", PROJECT)


def backup(backup_id=BACKUP, **fields):
    item = {"id": backup_id, "name": "nightly-1", "status": "available", "volume_id": VOLUME, "size": 10,
            "created_at": "2019-03-16T11:56:00.917245", "description": None, "is_incremental": False}
    item.update(fields)
    return item


# -- the error shape of the native API -------------------------------------------------------

@pytest.mark.parametrize("body, expected", [
    (NOT_FOUND, ("itemNotFound", "Backup %s could not be found." % BACKUP)),
    ({"badRequest": {"code": "400", "message": "Invalid input"}}, ("badRequest", "Invalid input")),
    ({"badRequest": {"code": "VolumeBackup.0040", "message": "limit"}}, ("VolumeBackup.0040", "limit")),
    ({"overLimit": {"message": "too many"}}, ("overLimit", "too many")),
    ({"itemNotFound": "not an object"}, (None, None)),
    ({"two": {"code": 1}, "keys": {"code": 2}}, (None, None)),
    ({"bad name!": {"code": 404, "message": "x"}}, (None, None)),
    ({"error": {"code": "AutoBackup.0205", "message": "no policy"}}, ("AutoBackup.0205", "no policy")),
])
def test_the_openstack_error_shape_is_read(body, expected):
    assert parse_error_body(body) == expected


def test_a_native_404_says_what_the_server_said(server):
    server.add(json_reply(404, NOT_FOUND))
    with pytest.raises(VBSError) as caught:
        client_for(server).delete_backup(BACKUP)
    assert caught.value.code == "itemNotFound"
    assert caught.value.msg == ("VBS refused DELETE /v3/%s/backups/%s: 404 itemNotFound Backup %s could not be found."
                                % (PROJECT, BACKUP, BACKUP))


# -- /v3, and /v2 where /v3 is missing ----------------------------------------------------------

def test_show_uses_v3_and_an_unknown_backup_is_none(server):
    server.add(json_reply(200, {"backup": backup()}), json_reply(404, NOT_FOUND))
    client = client_for(server)
    assert client.get_backup(BACKUP.upper())["id"] == BACKUP
    assert client.get_backup(BACKUP) is None
    assert [received.path for received in server.requests] == ["/v3/%s/backups/%s" % (PROJECT, BACKUP)] * 2
    assert client.notes == [] and client.native_version == "v3"


def test_a_v3_that_does_not_exist_falls_back_to_v2_once_with_a_note(server):
    server.add(json_reply(404, NO_SUCH_API), json_reply(200, {"backups": [backup()]}),
               json_reply(200, {"backup": backup()}))
    client = client_for(server)
    assert [item["id"] for item in client.list_backups([("volume_id", VOLUME)])] == [BACKUP]
    assert client.get_backup(BACKUP)["name"] == "nightly-1"
    assert [received.target for received in server.requests] == [
        "/v3/%s/backups/detail?limit=1000&volume_id=%s" % (PROJECT, VOLUME),
        "/v2/%s/backups/detail?limit=1000&volume_id=%s" % (PROJECT, VOLUME),
        "/v2/%s/backups/%s" % (PROJECT, BACKUP)]
    [note] = client.notes
    assert "does not serve the native backup API under /v3" in note and "404 APIGW.0101" in note
    assert "deprecated /v2/{project_id}/backups" in note


def test_pages_follow_the_links_on_our_own_endpoint_and_version_only(server):
    with ScriptedServer() as elsewhere:
        elsewhere.add(json_reply(200, {"backups": [backup(OTHER)]}))
        server.add(json_reply(404, NO_SUCH_API),
                   json_reply(200, {"backups": [backup(created_at="2019-03-17T00:00:00.000000")],
                                    "backups_links": [{"rel": "next", "href": elsewhere.url + "/v3/%s/backups/detail"
                                                       "?limit=1&marker=%s" % (PROJECT, BACKUP)}]}),
                   json_reply(200, {"backups": [backup(OTHER, name="older")]}))
        listed = client_for(server, AkSkAuth("AK", "SK")).list_backups()
        assert elsewhere.requests == []
    assert [item["id"] for item in listed] == [BACKUP, OTHER]
    assert server.requests[2].target == "/v2/%s/backups/detail?limit=1&marker=%s" % (PROJECT, BACKUP)
    assert official_authorization(server.requests[2], "AK", "SK") == server.requests[2].header("Authorization")


def test_the_listing_comes_newest_first_whatever_the_server_order(server):
    server.add(json_reply(200, {"backups": [backup(BACKUP, created_at="2019-03-16T11:56:00.917245"),
                                            backup(OTHER, created_at="2019-03-18T01:00:00.000000")]}))
    assert [item["id"] for item in client_for(server).list_backups()] == [OTHER, BACKUP]


# -- answers that are not what the reference shows ---------------------------------------------

@pytest.mark.parametrize("item, what", [
    (backup("../../v2/other/backuppolicy"), "a backup without a backup ID"),
    (backup(None), "a backup without a backup ID"),
    ("a string", "a backup without a backup ID"),
])
def test_a_backup_whose_id_could_leave_its_path_makes_the_answer_unusable(server, item, what):
    server.add(json_reply(200, {"backups": [backup(), item]}))
    with pytest.raises(VBSError) as caught:
        client_for(server).list_backups()
    assert what in caught.value.msg


def test_a_backup_listed_twice_is_refused(server):
    server.add(json_reply(200, {"backups": [backup(), backup()]}))
    with pytest.raises(VBSError, match="listed twice"):
        client_for(server).list_backups()


def test_the_fields_of_a_backup_are_bounded_and_escaped(server):
    hostile = backup(name="evil\x1b[2J\r\n[WARNING]: forged" + "x" * 5000, size=-1, volume_id="../x",
                     description={"DESC": "d", "INC": "i"}, is_incremental="yes", extra={"deep": [1, 2, 3]})
    server.add(json_reply(200, {"backup": hostile}))
    found = client_for(server).get_backup(BACKUP)
    assert found["name"].startswith("evil\\x1b[2J\\r\\n[WARNING]: forged") and len(found["name"]) <= 2003
    assert found["size"] is None and found["volume_id"] is None and found["description"] is None
    assert found["is_incremental"] is None and "extra" not in found


@pytest.mark.parametrize("answer", [{}, {"job_id": "../../jobs"}, {"job_id": 5}, {"job_id": "x" * 129}])
def test_a_create_answer_without_a_usable_job_id_is_refused(server, answer):
    server.add(json_reply(200, answer))
    with pytest.raises(VBSError, match="job_id"):
        client_for(server).create_backup({"backup": {"volume_id": VOLUME, "name": "n"}})


def test_a_create_is_sent_once_even_after_a_server_error(server):
    server.add(json_reply(503, {"error": {"code": "VBS.9999", "message": "busy"}}))
    with pytest.raises(VBSError) as caught:
        client_for(server).create_backup({"backup": {"volume_id": VOLUME, "name": "n"}})
    assert caught.value.maybe_applied
    assert len(server.requests) == 1


def test_a_backup_id_that_is_no_uuid_never_reaches_a_path(server):
    with pytest.raises(VBSError, match="is no backup ID"):
        client_for(server).restore_backup("../../backuppolicy", VOLUME)
    assert server.requests == []
