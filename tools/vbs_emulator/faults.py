# -*- coding: utf-8 -*-
# Copyright: (c) 2026, huaweicloud.vbs contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""Which IAM/VBS request gets which injected fault.

One random.Random, seeded with random_seed, draws for every request: with a
fixed seed and requests sent one after the other, the same requests fail the
same way on every run.

A test can also arm a one-shot fault for the next request with a given
method and path (POST /_emulator/faults); an armed fault comes before the draw.
A path with "*" matches as a pattern ("/v1/<project>/jobs/*": the next job read,
whatever its ID). An armed fault may first let ``skip`` such requests through.
"""

import fnmatch
import random
import threading

THROTTLE = "throttle"
ERROR500 = "error500"
UNAVAILABLE503 = "unavailable503"
DROP = "drop"
SLOW = "slow"
ERROR500_AFTER_APPLY = "error500_after_apply"


class FaultInjector:

    def __init__(self, settings):
        self._settings = settings
        self._lock = threading.Lock()
        self._rng = random.Random(settings.random_seed)
        self._armed = []  # [[method, path pattern, kind, requests to skip first]], each for one request, oldest first
        settings.on_change(self._settings_changed)

    def _settings_changed(self, names):
        if "random_seed" in names:
            self.reseed(self._settings.random_seed)

    def reseed(self, seed):
        with self._lock:
            self._rng = random.Random(seed)
            self._armed = []

    def arm(self, method, path, kind, skip=0):
        """The request with this method and path (without a trailing '/'; with "*", a pattern) after ``skip``
        such requests gets ``kind``."""
        with self._lock:
            self._armed.append([method.upper(), path.rstrip("/") or "/", kind, skip])

    def armed(self):
        with self._lock:
            return [{"method": method, "path": path, "kind": kind, "skip": skip}
                    for method, path, kind, skip in self._armed]

    def pick(self, method=None, path=None):
        """The fault kind for the next request, or None."""
        with self._lock:
            for index, entry in enumerate(self._armed):
                armed_method, armed_path, kind, skip = entry
                if armed_method == method and (armed_path == path or (
                        "*" in armed_path and fnmatch.fnmatchcase(path, armed_path))):
                    if skip:
                        entry[3] = skip - 1  # let this one through (the random draw below still applies)
                        break
                    del self._armed[index]
                    return kind
        rate = self._settings.fault_rate
        kinds = self._settings.fault_kinds
        if rate <= 0 or not kinds:
            return None
        with self._lock:
            if self._rng.random() >= rate:
                return None
            return self._rng.choice(kinds)
