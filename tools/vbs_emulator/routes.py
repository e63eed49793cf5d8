# -*- coding: utf-8 -*-
# Copyright: (c) 2026, huaweicloud.vbs contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""A table of handlers by method and path pattern, filled by a decorator."""

import re


class Routes:
    """``@routes("GET", r"/jobs/(?P<job_id>[^/]+)")`` registers a handler; find() picks one for a request."""

    def __init__(self):
        self._table = []

    def __call__(self, method, pattern):
        expression = re.compile("^" + pattern + "$")

        def register(handler):
            self._table.append((method, expression, handler))
            return handler
        return register

    def find(self, method, path):
        """(handler, match of the path's groups) for this method and path, or (None, None)."""
        for route_method, expression, handler in self._table:
            match = expression.match(path)
            if match and route_method == method:
                return handler, match
        return None, None
