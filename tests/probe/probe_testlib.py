# -*- coding: utf-8 -*-
# Copyright: (c) 2026, huaweicloud.vbs contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""What the probe's tests share: the seed, running tools/vbs-probe as a user does, and the emulator's state."""

import json
import os
import subprocess
import sys
import time
import urllib.request

from support import seeds
from support.emulator import DEFAULT_CONFIG, REPO_ROOT, EmulatorProcess

PROBE = os.path.join(REPO_ROOT, "tools", "vbs-probe")
# The switches the probe reports, each with every value it takes.
SWITCH_VALUES = {
    "member_association": ("success", "fail_with_code"),
    "non_member_disassociation": ("fail_without_code", "fail_with_code", "success"),
    "evs_policy_metadata": ("sync", "partial", "off"),
    "evs_metadata_filter": ("supported", "ignored"),
    "evs_ids_filter": ("supported", "ignored"),
    "page_size": (None, 2),
}
DEFAULTS = dict((name, values[0]) for name, values in SWITCH_VALUES.items())
# How long the probe waits for EVS metadata in the tests: the emulator shows it at once or never.
METADATA_WAIT = "0.3"

DAILY, WEEKLY, MONTHLY = seeds.policy_id(1), seeds.policy_id(2), seeds.policy_id(3)
IN_DAILY = seeds.volume_id(1)  # the volume probed when it is in a policy
FREE = seeds.volume_id(5)      # the volume probed when it is in none
UUID_PATTERN = r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"


def seed():
    """Three policies (two with members), eight volumes (one refuses association)."""
    return seeds.seed(volumes=8, policies=("daily", "weekly", "monthly"), members={"daily": [1, 2], "weekly": [3]},
                      statuses={8: "error"})


class ProbeEmulator(EmulatorProcess):
    """The emulator of the probe's tests, started with the probe seed."""

    def __init__(self):
        super(ProbeEmulator, self).__init__(seed=seed())

    def fresh(self):
        """Every setting at its default, the state the probe seed's: itself."""
        self.configure(**dict(DEFAULT_CONFIG, denied_actions=[], **DEFAULTS))
        self.reset(seed())
        return self


def environment(emulator, state_home, **extra):
    """The machine's environment with the emulator's endpoints and credentials, a journal directory of the
    test's own, and nothing of the tests' collection paths."""
    env = dict((name, value) for name, value in os.environ.items()
               if not name.startswith("HW_") and name not in ("PYTHONPATH", "ANSIBLE_COLLECTIONS_PATH"))
    env.update(HW_VBS_ENDPOINT=emulator.url, HW_AUTH_URL=emulator.url + "/v3", HW_REGION_NAME=seeds.PROJECT_NAME,
               HW_PROJECT_NAME=seeds.PROJECT_NAME, HW_ACCESS_KEY=seeds.ACCESS_KEY, HW_SECRET_KEY=seeds.SECRET_KEY,
               XDG_STATE_HOME=str(state_home), NO_PROXY="127.0.0.1,localhost")
    env.update(extra)
    return env


def command(volume, report=None, *args):
    line = [sys.executable, PROBE, "--volume", volume, "--metadata-wait", METADATA_WAIT]
    if report is not None:
        line += ["--report", str(report)]
    return line + list(args)


class Outcome:
    """A finished probe: exit status, standard output and error, and the JSON report (or None)."""

    def __init__(self, returncode, stdout, stderr, report_path):
        self.returncode = returncode
        self.stdout = stdout
        self.stderr = stderr
        self.report = None
        if report_path is not None and os.path.exists(str(report_path)):
            with open(str(report_path)) as handle:
                self.report = json.load(handle)

    def __repr__(self):
        return "exit %s\n--- stdout\n%s\n--- stderr\n%s" % (self.returncode, self.stdout[-4000:], self.stderr[-4000:])


def run(emulator, tmp_path, volume, *args, env=None, timeout=120):
    """Run the probe to its end; its Outcome."""
    report = tmp_path / ("report-%d.json" % time.monotonic_ns())
    completed = subprocess.run(command(volume, report, *args), env=env or environment(emulator, tmp_path / "state"),
                               capture_output=True, text=True, timeout=timeout, stdin=subprocess.DEVNULL,
                               check=False)
    return Outcome(completed.returncode, completed.stdout, completed.stderr, report)


class Running:
    """The probe started in the background, its standard error going to a file that can be read meanwhile."""

    def __init__(self, emulator, tmp_path, volume, *args):
        stamp = time.monotonic_ns()
        self.report = tmp_path / ("report-%d.json" % stamp)
        self.stderr_path = tmp_path / ("stderr-%d.txt" % stamp)
        with open(str(self.stderr_path), "w") as stderr:
            self.process = subprocess.Popen(command(volume, self.report, *args),
                                            env=environment(emulator, tmp_path / "state"), stdin=subprocess.DEVNULL,
                                            stdout=subprocess.PIPE, stderr=stderr, text=True)

    def poll(self):
        return self.process.poll()

    def send_signal(self, signum):
        self.process.send_signal(signum)

    def stderr_so_far(self):
        with open(str(self.stderr_path)) as handle:
            return handle.read()

    def finish(self, timeout=120):
        stdout, _stderr = self.process.communicate(timeout=timeout)
        return Outcome(self.process.returncode, stdout, self.stderr_so_far(), self.report)


def snapshot(emulator, probed=()):
    """The emulator's whole state that a probe could change: every policy whole, every volume.

    For the probed volumes, whether the API associated them since the start (what evs_policy_metadata
    partial shows as metadata) is left out: associating a volume again is how the probe puts it back.
    """
    policies = [emulator.call("GET", "/_emulator/policies/%s" % policy["id"])[1]["policy"]
                for policy in emulator.policies()]
    volumes = []
    for volume in emulator.volumes():
        if volume["id"] in probed:
            volume = dict(volume)
            volume.pop("policy_via_api")
        volumes.append(volume)
    return {"policies": policies, "volumes": volumes}


def wait_until(condition, timeout=30.0, what="the condition"):
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError("%s did not come within %s s" % (what, timeout))
        time.sleep(0.02)


def settled(emulator):
    """Wait until the emulator answers no request (a stalled one has applied its change)."""
    wait_until(lambda: emulator.in_flight() == 0, what="an idle emulator")


def writes(emulator):
    """The IAM and VBS requests of the log that can change anything (IAM's token requests change nothing)."""
    return [entry for entry in emulator.requests() if entry["method"] != "GET" and not entry["path"].startswith("/v3/")]


def associate(emulator, policy_id, volume_id):
    """Associate a volume through the VBS API (as a client would), with an IAM token."""
    def call(path, body, headers):
        request = urllib.request.Request(emulator.url + path, data=json.dumps(body).encode("utf-8"), method="POST",
                                         headers=dict(headers, **{"Content-Type": "application/json"}))
        with urllib.request.urlopen(request, timeout=30) as answer:
            return answer.headers, json.loads(answer.read().decode("utf-8"))

    headers, _body = call("/v3/auth/tokens", {"auth": {
        "identity": {"methods": ["password"], "password": {"user": {
            "name": seeds.USER_NAME, "password": seeds.PASSWORD, "domain": {"name": seeds.DOMAIN}}}},
        "scope": {"project": {"name": seeds.PROJECT_NAME}}}}, {})
    _headers, answer = call("/v2/%s/backuppolicyresources" % seeds.PROJECT_ID, {
        "backup_policy_id": policy_id, "resources": [{"resource_id": volume_id, "resource_type": "volume"}]},
        {"X-Auth-Token": headers["X-Subject-Token"]})
    assert [item["resource_id"] for item in answer["success_resources"]] == [volume_id], answer
