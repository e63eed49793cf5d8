# -*- coding: utf-8 -*-
# Copyright: (c) 2026, huaweicloud.vbs contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""Which IAM/VBS request gets which injected fault.

One random.Random, seeded with random_seed, draws for every request: with a
fixed seed and requests sent one after the other, the same requests fail the
same way on every run.
"""

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
        settings.on_change(self._settings_changed)

    def _settings_changed(self, names):
        if "random_seed" in names:
            self.reseed(self._settings.random_seed)

    def reseed(self, seed):
        with self._lock:
            self._rng = random.Random(seed)

    def pick(self):
        """The fault kind for the next request, or None."""
        rate = self._settings.fault_rate
        kinds = self._settings.fault_kinds
        if rate <= 0 or not kinds:
            return None
        with self._lock:
            if self._rng.random() >= rate:
                return None
            return self._rng.choice(kinds)
