# -*- coding: utf-8 -*-
# Copyright: (c) 2026, huaweicloud.vbs contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""One emulator: its state, settings and log, and what happens to each request.

For IAM and VBS calls: a fault may be drawn, latency is added, the call runs,
and one entry goes to the request log. Inspection calls skip all of that.
"""

import logging
import threading
import time

from . import auth, backups_api, ecs_api, errors, evs_api, faults, iam, inspection, vbs_api
from .messages import DROP, Response
from .requestlog import RequestLog, redact
from .state import Store

LOG = logging.getLogger("vbs_emulator")


class App:

    def __init__(self, settings, seed, baseline_limits, log_size):
        """seed: a parsed seed; baseline_limits: the limits used when a seed sets none."""
        self.settings = settings
        self.store = Store(settings)
        self.tokens = auth.TokenStore()
        self.auth = auth.Authenticator(self.store, self.tokens, settings)
        self.faults = faults.FaultInjector(settings)
        self.log = RequestLog(log_size)
        # IAM and VBS requests being answered now (a "slow" one may still apply its change).
        self._in_flight = 0
        self._in_flight_lock = threading.Lock()
        self.baseline_limits = dict(baseline_limits)
        self.initial_seed = seed
        self.reset(seed)

    def reset(self, seed):
        """Replace the whole state; issued tokens and the request log are forgotten, the fault sequence restarts."""
        limits = {name: seed["limits"][name] if seed["limits"][name] is not None else value
                  for name, value in self.baseline_limits.items()}
        self.settings.update(limits)
        self.store.load(seed)
        self.tokens.clear()
        expires = self.settings.now() + self.settings.token_ttl
        for token in seed["credentials"]["tokens"]:
            self.tokens.add(token, seed["project"]["id"], None, expires)
        self.log.clear()
        self.faults.reseed(self.settings.random_seed)

    # -- one request --------------------------------------------------------

    def handle(self, request):
        """The Response to send, or DROP to close the connection without one."""
        if inspection.is_inspection(request.path):
            return inspection.handle(self, request)
        kind, access_key = auth.presented(request.headers)
        entry = {
            "time": time.time(),
            "request_id": request.request_id,
            "method": request.method,
            "path": request.raw_path,
            "query": request.raw_query,
            "auth": kind,
            "access_key": access_key,
            "fault": None,
            "status": None,
            "body": redact(request.json_or_none()),
        }
        with self._in_flight_lock:
            self._in_flight += 1
        try:
            result = self._answer(request, entry)
            entry["status"] = None if result is DROP else result.status
            return result
        finally:
            self.log.append(entry)
            with self._in_flight_lock:
                self._in_flight -= 1

    def in_flight(self):
        """How many IAM and VBS requests are being answered now; 0 once every one has done its work."""
        with self._in_flight_lock:
            return self._in_flight

    def _answer(self, request, entry):
        fault = self.faults.pick(request.method, request.path)
        entry["fault"] = fault
        style = _style(request)
        if self.settings.latency_ms:
            time.sleep(self.settings.latency_ms / 1000.0)
        if fault == faults.DROP:
            return DROP
        if fault == faults.THROTTLE:
            return self._error(request, errors.gateway_error(
                429, "APIGW.0308", "The throttling threshold has been reached (injected fault).",
                {"Retry-After": str(self.settings.retry_after)}))
        if fault == faults.ERROR500:
            return self._error(request, _server_error(500, style, "injected fault before the call ran"))
        if fault == faults.UNAVAILABLE503:
            return self._error(request, _server_error(503, style, "service unavailable (injected fault)"))
        if fault == faults.SLOW:
            time.sleep(self.settings.slow_ms / 1000.0)
        response = self._route(request)
        if fault == faults.ERROR500_AFTER_APPLY:
            return self._error(request, _server_error(500, style, "injected fault after the call ran"))
        return response

    def _route(self, request):
        try:
            # Before IAM: the native backup API lives under /v3/{project_id}/backups too.
            if backups_api.handles(request):
                return backups_api.handle(self, request)
            if request.path.startswith("/v3/"):
                return iam.handle(self, request)
            if evs_api.handles(request):
                return evs_api.handle(self, request)
            if ecs_api.handles(request):
                return ecs_api.handle(self, request)
            if request.path.startswith("/v2/"):
                return vbs_api.handle(self, request)
            raise errors.unknown_api(request.method, request.raw_path)
        except errors.ApiError as error:
            return self._error(request, error)
        except Exception as error:  # the one catch-all: any bug answers 500 with its reason logged
            LOG.exception("request %s %s failed", request.method, request.raw_path)
            return self._error(request, _server_error(500, errors.VBS, "emulator error: %s" % type(error).__name__))

    @staticmethod
    def _error(request, error):
        return Response(error.status, error.body(request.request_id), error.headers)


def _style(request):
    """The error shape of the service a path belongs to."""
    if backups_api.handles(request):
        return errors.NATIVE if backups_api.is_native(request) else errors.VBS
    return errors.IAM if request.path.startswith("/v3/") else errors.VBS


def _server_error(status, style, message):
    if style == errors.IAM:
        return errors.iam_error(status, message)
    if style == errors.NATIVE:
        return errors.native_error(status, "The server has either erred or is incapable of performing the "
                                           "requested operation: %s." % message)
    return errors.vbs_error(status, "AutoBackup.0009", "Internal error: %s." % message)
