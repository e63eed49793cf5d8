# -*- coding: utf-8 -*-
# Copyright: (c) 2026, huaweicloud.vbs contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""Emulator seeds built in code, with distinctive credentials that tests look for in every output.

The demo seed (tools/seed/demo.json) is the other one: README.md and the docs' snippets are written
against it, and the tests that run them load it as it is (``demo()``, ``demo_env()``).
"""

import json
import uuid

from support.emulator import DEMO_SEED

PROJECT_ID = "5f0e1d2c3b4a59687766554433221100"
PROJECT_NAME = "eu-de"
DOMAIN = "it-domain-4471"

# Values nobody would print by accident: if one shows up in an output, it leaked.
ACCESS_KEY = "ITACCESSKEYQ7Z3X9W1"
SECRET_KEY = "it-secret-key-Zq81vLr0Kd5nUe3p-never-print"
TEMP_ACCESS_KEY = "ITTEMPORARYKEYM4N8B2"
TEMP_SECRET_KEY = "it-temp-secret-Hf6wPq2Ys9cTj4a-never-print"
SECURITY_TOKEN = "it-security-token-Gx7eRk3Vb1nMz8s-never-print"
USER_NAME = "it-operator"
PASSWORD = "it-password-Pw5tLc9Qe2hJx6d-never-print"
SECRETS = (SECRET_KEY, TEMP_SECRET_KEY, SECURITY_TOKEN, PASSWORD)

# The emulator's IAM tokens look like real ones: "MII" and a long base64url tail.
TOKEN_PATTERN = r"MII[A-Za-z0-9_-]{100,}"


# The schedule of a seeded policy unless a test gives another: daily at 02:00, seven backups kept.
SCHEDULE = {"start_time": "02:00", "frequency": 1, "rentention_num": 7, "remain_first_backup_of_curMonth": "N",
            "status": "ON"}


def document(project, access_keys, users, volumes, policies, tokens=(), limits=None):
    """An emulator seed (docs/emulator.md): every seed of the tests is built here.

    ``project`` is {"id", "name", "domain"}; the other arguments are lists as the
    seed format takes them.
    """
    seeded = {
        "project": dict(project),
        "credentials": {"access_keys": [dict(key) for key in access_keys], "users": [dict(user) for user in users],
                        "tokens": list(tokens)},
        "volumes": [dict(volume) for volume in volumes],
        "policies": [dict(policy) for policy in policies],
    }
    if limits is not None:
        seeded["limits"] = dict(limits)
    return seeded


def volume_id(number):
    """A stable volume UUID for volume number ``number``."""
    return str(uuid.UUID(int=(0x33333333 << 96) | (0x4000 << 48) | (0x8000 << 32) | number))


def policy_id(number):
    return str(uuid.UUID(int=(0x44444444 << 96) | (0x4000 << 48) | (0x8000 << 32) | number))


def seed(volumes=10, policies=("daily", "weekly"), members=None, statuses=None, policy_volume_limit=None,
         extra_policies=()):
    """A seed with ``volumes`` volumes and the named policies.

    ``members`` maps a policy name to volume numbers; ``statuses`` maps volume
    numbers to a status other than in-use; ``extra_policies`` adds (id number,
    name) pairs, e.g. to create two policies with one name.
    """
    members = members or {}
    statuses = statuses or {}
    names = [(index + 1, name) for index, name in enumerate(policies)] + list(extra_policies)
    return document(
        project={"id": PROJECT_ID, "name": PROJECT_NAME, "domain": DOMAIN},
        access_keys=[{"access_key": ACCESS_KEY, "secret_key": SECRET_KEY},
                     {"access_key": TEMP_ACCESS_KEY, "secret_key": TEMP_SECRET_KEY, "security_token": SECURITY_TOKEN}],
        users=[{"name": USER_NAME, "password": PASSWORD, "domain": DOMAIN}],
        volumes=[{"id": volume_id(number), "status": statuses.get(number, "in-use"),
                  "availability_zone": "eu-de-0%d" % (1 + number % 3), "pod": "pod01.eu-de-0%d" % (1 + number % 3)}
                 for number in range(1, volumes + 1)],
        policies=[{"id": policy_id(number), "name": name, "scheduled_policy": dict(SCHEDULE),
                   "members": [volume_id(volume) for volume in members.get(name, ())]}
                  for number, name in names],
        limits=None if policy_volume_limit is None else {"policy_volume_limit": policy_volume_limit})


def aksk_env(url):
    """HW_* variables for AK/SK authentication against an emulator at ``url``."""
    return {
        "HW_VBS_ENDPOINT": url,
        "HW_AUTH_URL": url + "/v3",
        "HW_REGION_NAME": PROJECT_NAME,
        "HW_ACCESS_KEY": ACCESS_KEY,
        "HW_SECRET_KEY": SECRET_KEY,
    }


def demo():
    """The demo seed, tools/seed/demo.json, as a user's emulator starts with it."""
    with open(DEMO_SEED) as handle:
        return json.load(handle)


def demo_ids():
    """Every ID of the demo data: its volumes, policies, servers and backups."""
    document = demo()
    return set(item["id"] for part in ("volumes", "policies", "servers", "backups") for item in document.get(part, []))


def demo_env(url):
    """HW_* variables for the demo seed's first access key against an emulator at ``url``: README.md's."""
    document = demo()
    key = document["credentials"]["access_keys"][0]
    return {
        "HW_VBS_ENDPOINT": url,
        "HW_AUTH_URL": url + "/v3",
        "HW_REGION_NAME": document["project"]["name"],
        "HW_ACCESS_KEY": key["access_key"],
        "HW_SECRET_KEY": key["secret_key"],
    }
