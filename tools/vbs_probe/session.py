# -*- coding: utf-8 -*-
# Copyright: (c) 2026, huaweicloud.vbs contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""One probe run's clients and what it observed, step by step."""

import sys

from ansible_collections.huaweicloud.vbs.plugins.module_utils.vbs_errors import VBSError
from ansible_collections.huaweicloud.vbs.plugins.module_utils.vbs_values import MAX_MSG_CHARS, safe_text


class ProbeStop(VBSError):
    """The probe cannot go on (or must not start); ``msg`` says why. What it changed is undone."""


class Observation:
    """One step: its calls (Exchanges, with the raw answers), the facts found, and the error that ended it."""

    def __init__(self, name, title):
        self.name = name
        self.title = title
        self.exchanges = []
        self.facts = {}
        self.error = None
        self.result = None

    @property
    def repeated(self):
        """Whether a call of the step was sent again after an answer the server may have applied."""
        return any(exchange.repeated for exchange in self.exchanges)


class Session:
    """The clients of one run (``evs`` is None without an EVS endpoint), the probed volume, the observations."""

    def __init__(self, vbs, evs, transport, volume_id, progress=None):
        self.vbs = vbs
        self.evs = evs
        self.transport = transport
        self.volume_id = volume_id
        self.observations = []
        self.notes = []
        self.problems = []
        self._progress = progress if progress is not None else sys.stderr

    def say(self, text):
        """One progress line on standard error, server text escaped."""
        self._progress.write("vbs-probe: %s\n" % safe_text(text, MAX_MSG_CHARS))
        self._progress.flush()

    def observe(self, name, title, action, tolerate=False):
        """Run ``action()`` as the step ``name``; its Observation. A VBSError is kept in the observation, and
        raised again unless ``tolerate``."""
        observation = Observation(name, title)
        self.observations.append(observation)
        start = len(self.transport.exchanges)
        self.say(title)
        try:
            observation.result = action()
        except VBSError as error:
            observation.error = error
            if not tolerate:
                raise
        finally:
            observation.exchanges = self.transport.exchanges[start:]
        return observation

    def find(self, name):
        """The last observation named ``name``, or None."""
        for observation in reversed(self.observations):
            if observation.name == name:
                return observation
        return None
