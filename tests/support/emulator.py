# -*- coding: utf-8 -*-
# Copyright: (c) 2026, huaweicloud.vbs contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""Run the VBS emulator (tools/vbs-emulator) as a separate process for a test.

    with EmulatorProcess(seed={...}, args=["--page-size", "2"]) as emulator:
        emulator.url                 # e.g. http://127.0.0.1:40123 (IAM at url + "/v3")
        emulator.policies()          # true membership, from the inspection API
        emulator.requests()          # the request log

Only the standard library is used, so any test environment can run it.
"""

import json
import os
import ssl
import subprocess
import sys
import tempfile
import threading
import urllib.error
import urllib.request

REPO_ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
LAUNCHER = os.path.join(REPO_ROOT, "tools", "vbs-emulator")
DEMO_SEED = os.path.join(REPO_ROOT, "tools", "seed", "demo.json")


# The run-time settings of an emulator started without options (docs/emulator.md): the
# fixtures restore them before every test.
DEFAULT_CONFIG = {
    "fault_rate": 0,
    "fault_kinds": ["throttle", "error500", "unavailable503", "drop", "slow", "error500_after_apply"],
    "latency_ms": 0, "slow_ms": 30000, "retry_after": 1, "clock_skew": 0, "page_size": None,
    "token_ttl": 86400, "random_seed": None,
    "member_association": "success", "non_member_disassociation": "fail_without_code", "other_actor_volumes": 0,
    # EVS and ECS, as documented in docs/emulator.md
    "evs_policy_metadata": "sync", "evs_metadata_filter": "supported", "denied_actions": [], "ecs_page_size": None,
    # backup policy behaviour, as documented in docs/emulator.md
    "max_frequency": 30, "max_retention_num": 99, "unique_policy_names": False,
    "delete_policy_with_volumes": "free", "modify_requires_interval": True, "exclusive_keys": "replace",
    "tag_create_existing": "overwrite",
    # backups, restores, jobs and policy runs, as documented in docs/emulator.md
    "job_duration_ms": 2000, "backups_per_disk": 20, "backup_refusals": "immediate", "backup_id_before_success": True,
    "restore_in_use": "refuse", "native_v3_backups": "present", "run_inactive_policy": "run",
}


class EmulatorError(RuntimeError):
    pass


class EmulatorProcess:
    """The emulator in a child process, stopped (terminated, then killed) on exit, always."""

    def __init__(self, seed=None, args=(), startup_timeout=20.0, ssl_context=None):
        """seed: a seed dict, a path to a seed file, or None for the emulator's empty default."""
        self.seed = seed
        self.args = list(args)
        self.startup_timeout = startup_timeout
        # For HTTPS runs: how the helper's own calls verify the emulator's certificate.
        self.ssl_context = ssl_context
        self.url = None
        self.process = None
        self._seed_file = None
        self._stderr = None
        self._stderr_text = ""

    # -- life cycle -----------------------------------------------------------

    def __enter__(self):
        self.start()
        return self

    def __exit__(self, *exc_info):
        self.stop()

    def start(self):
        command = [sys.executable, LAUNCHER, "--port", "0"]
        if isinstance(self.seed, dict):
            with tempfile.NamedTemporaryFile("w", suffix=".json", prefix="vbs-seed-", delete=False) as handle:
                json.dump(self.seed, handle)
            self._seed_file = handle.name
            command += ["--seed", handle.name]
        elif self.seed is not None:
            command += ["--seed", str(self.seed)]
        command += self.args
        # stderr goes to a file: a pipe nobody reads could fill up and stall a verbose emulator.
        self._stderr = tempfile.TemporaryFile()  # noqa: SIM115 - open for the life of the process, closed by stop()
        self.process = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                        stderr=self._stderr)
        try:
            self.url = self._read_url()
        except BaseException:
            self.stop()
            raise
        return self

    def _read_url(self):
        lines = []
        reader = threading.Thread(target=lambda: lines.append(self.process.stdout.readline()), daemon=True)
        reader.start()
        reader.join(self.startup_timeout)
        line = lines[0].decode("utf-8", "replace").strip() if lines else ""
        if not line.startswith(("http://", "https://")):
            if self.process.poll() is None and not lines:
                problem = "printed no URL within %.0f s" % self.startup_timeout
            else:
                self.process.wait(5)
                problem = "exited with status %s" % self.process.returncode
            raise EmulatorError("the VBS emulator %s; stdout: %r; stderr: %s" % (problem, line, self.stderr_text()))
        return line

    def stop(self):
        """Terminate the emulator (kill it if it does not stop within 5 s) and remove the temporary seed."""
        process, self.process = self.process, None
        if process is not None:
            try:
                if process.poll() is None:
                    process.terminate()
                    try:
                        process.wait(5)
                    except subprocess.TimeoutExpired:
                        process.kill()
                        process.wait(5)
            finally:
                process.stdout.close()
        if self._stderr is not None:
            self._stderr_text = self.stderr_text()  # kept: a test may look at it after stop()
            self._stderr.close()
            self._stderr = None
        if self._seed_file is not None:
            try:
                os.unlink(self._seed_file)
            except OSError:
                pass
            self._seed_file = None

    def stderr_text(self):
        """What the emulator wrote to standard error so far (its log)."""
        if self._stderr is None:
            return self._stderr_text
        self._stderr.seek(0)
        return self._stderr.read().decode("utf-8", "replace")

    # -- inspection API -----------------------------------------------------

    def call(self, method, path, body=None, timeout=30):
        """(status, parsed JSON or None) of an inspection call; path starts with /_emulator/."""
        data = None if body is None else json.dumps(body).encode("utf-8")
        request = urllib.request.Request(self.url + path, data=data, method=method,
                                         headers={"Content-Type": "application/json"})
        # The emulator is on this machine: never through a proxy that a test sets for the module it runs.
        opener = urllib.request.build_opener(urllib.request.ProxyHandler({}),
                                             urllib.request.HTTPSHandler(context=self.ssl_context))
        try:
            with opener.open(request, timeout=timeout) as answer:
                status, raw = answer.status, answer.read()
        except urllib.error.HTTPError as error:
            status, raw = error.code, error.read()
        return status, (json.loads(raw.decode("utf-8")) if raw else None)

    def _expect(self, method, path, body=None, statuses=(200, 204)):
        status, data = self.call(method, path, body)
        if status not in statuses:
            raise EmulatorError("%s %s answered %s: %s" % (method, path, status, data))
        return data

    def policies(self):
        """[{"id", "name", "members": [sorted volume IDs], "executing"}] in creation order."""
        return self._expect("GET", "/_emulator/policies")["policies"]

    def members(self, policy_id):
        """The sorted volume IDs truly associated with one policy."""
        for policy in self.policies():
            if policy["id"] == policy_id:
                return policy["members"]
        raise EmulatorError("no policy %s" % policy_id)

    def volumes(self):
        return self._expect("GET", "/_emulator/volumes")["volumes"]

    def requests(self, clear=False, since=0):
        path = "/_emulator/requests?since=%d%s" % (since, "&clear=1" if clear else "")
        return self._expect("GET", path)["requests"]

    def in_flight(self):
        """How many IAM and VBS requests the emulator is answering now."""
        return self._expect("GET", "/_emulator/in-flight")["in_flight"]

    def clear_requests(self):
        self._expect("DELETE", "/_emulator/requests")

    def reset(self, seed=None):
        """Replace the whole state with seed (a dict), or with the starting seed when None."""
        if seed is None:
            self._expect("POST", "/_emulator/reset")
        else:
            self._expect("POST", "/_emulator/reset", seed)

    def restore_defaults(self):
        """Every run-time setting back to DEFAULT_CONFIG."""
        return self.configure(**DEFAULT_CONFIG)

    def configure(self, **settings):
        """Change run-time settings (fault_rate, fault_kinds, latency_ms, ...); returns all of them."""
        return self._expect("POST", "/_emulator/config", settings)["config"]

    def config(self):
        return self._expect("GET", "/_emulator/config")["config"]

    def expire_tokens(self):
        self._expect("POST", "/_emulator/expire-tokens")

    def set_executing(self, policy_id, executing=True):
        self._expect("POST", "/_emulator/policies/%s/executing" % policy_id, {"executing": executing})

    def set_volume(self, volume_id, **fields):
        """Change status, availability_zone, pod and/or backup_outcome of a volume."""
        return self._expect("POST", "/_emulator/volumes/%s" % volume_id, fields)["volume"]

    def arm_fault(self, method, path, kind):
        """The next request with this method and path (a "*" pattern matches any) gets the fault ``kind``."""
        self._expect("POST", "/_emulator/faults", {"method": method, "path": path, "kind": kind})

    def backups(self):
        """Every backup the emulator holds (also those not yet listed), in creation order."""
        return self._expect("GET", "/_emulator/backups")["backups"]


def insecure_context():
    """An SSL context that accepts the emulator's self-signed certificate."""
    context = ssl.create_default_context()
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    return context
