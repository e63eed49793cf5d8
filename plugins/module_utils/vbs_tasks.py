# -*- coding: utf-8 -*-
# Copyright: (c) 2026, huaweicloud.vbs contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""A backup policy's backup tasks: run the policy now, read its recent tasks, and sum them up.

POST /v2/{project_id}/backuppolicy/{policy_id}/action runs a policy now (204, no body); each volume
of the policy then gets a task in GET .../backuptasks (RUNNING, then EXECUTE_SUCCESS, EXECUTE_FAIL or
EXECUTE_TIMEOUT; WAITING and SKIP are documented too). The reference leaves open whether the
answer's ``count`` is the total or the page's size, and its default order: the tasks are asked
newest first and read page by page until a full page is not returned or, when the order holds,
until a task is older than the time asked for.
"""

import time
from datetime import datetime, timezone
from email.utils import parsedate_to_datetime

from ansible_collections.huaweicloud.vbs.plugins.module_utils.vbs_errors import VBSError
from ansible_collections.huaweicloud.vbs.plugins.module_utils.vbs_values import job_id_problem, safe_field, shown

SUCCEEDED = ("EXECUTE_SUCCESS",)
FAILED = ("EXECUTE_FAIL", "EXECUTE_TIMEOUT")
RUNNING = ("RUNNING", "WAITING")
SKIPPED = ("SKIP",)
PAGE_LIMIT = 100
MAX_PAGES = 200  # 20000 tasks: 30 days of a policy of 28 volumes run 24 times a day
TEXT_FIELDS = ("status", "backup_name", "resource_id", "resource_type", "created_at", "finished_at")
# VBS writes task times in UTC without a zone, with or without fractions of a second.
TIME_FORMATS = ("%Y-%m-%dT%H:%M:%S.%f", "%Y-%m-%dT%H:%M:%S")


def run_policy(client, policy_id):
    """Run the policy now: one attempt (Transport.send_once_or_look sends it again only when it was not applied)."""
    client.call("POST", client.url("/backuppolicy/%s/action" % client.path_id(policy_id)), retries=0)


def recent_tasks(client, policy_id, since=None, window=None):
    """(tasks newest first, cutoff): the policy's tasks created at or after the cutoff (epoch seconds).

    The cutoff is ``since``, or ``window`` seconds before the server's time (the Date header of the first
    answer; the controller's clock without one), or None (every task). A task without a readable
    created_at counts as recent.
    """
    path = "/backuppolicy/%s/backuptasks" % client.path_id(policy_id)
    tasks, seen = [], set()
    for page_number in range(MAX_PAGES):
        query = [("sort_dir", "desc"), ("sort_key", "created_at"), ("limit", PAGE_LIMIT),
                 ("offset", page_number * PAGE_LIMIT)]
        received = client.checked_call("GET", client.url(path, query))
        if since is None and window is not None:
            since = (date_header(received.response.headers) or time.time()) - window
        data = received.object()
        page = data.get("tasks")
        if not isinstance(page, list):
            raise received.unexpected("tasks is not a list", data)
        page = [task_facts(received, item) for item in page]
        fresh = [task for task in page if task["job_id"] not in seen]
        seen.update(task["job_id"] for task in page)
        tasks.extend(task for task in fresh if since is None or (task_time(task) or since) >= since)
        ordered = all((task_time(older) or 0) <= (task_time(newer) or 0) for newer, older in zip(page, page[1:]))
        reached_older = since is not None and ordered and page and (task_time(page[-1]) or since) < since
        if len(page) < PAGE_LIMIT or not fresh or reached_older:
            return tasks, since
    raise VBSError("VBS kept paging GET %s beyond %d pages" % (client.base_path + path, MAX_PAGES),
                   method="GET", path=client.base_path + path, service=client.service)


def newest_per_volume(tasks):
    """The newest task of each volume (``tasks`` newest first), in the order of the volumes' IDs."""
    newest = {}
    for task in tasks:
        newest.setdefault(task["resource_id"] or "", task)
    return [newest[volume] for volume in sorted(newest)]


def task_facts(received, item):
    """The documented fields of a task, made safe; a task without a usable job ID makes the answer unusable."""
    if not isinstance(item, dict) or job_id_problem(item.get("job_id")):
        raise received.unexpected("a task without a usable job_id", item)
    facts = dict(job_id=item["job_id"])
    for key in TEXT_FIELDS:
        facts[key] = safe_field(item.get(key))
    return facts


def task_time(task):
    """Epoch seconds of a task's created_at, or None when it is missing or not a time."""
    return parse_time(task.get("created_at"))


def parse_time(text):
    if not isinstance(text, str):
        return None
    text = text.strip().rstrip("Z")
    for pattern in TIME_FORMATS:
        try:
            return datetime.strptime(text, pattern).replace(tzinfo=timezone.utc).timestamp()
        except ValueError:
            continue
    return None


def date_header(headers):
    try:
        return parsedate_to_datetime(headers.get("Date")).timestamp()
    except (TypeError, ValueError, IndexError, AttributeError):
        return None


def summary(tasks):
    """Counts by outcome, and the volumes whose newest task failed (``tasks`` newest first)."""
    return dict(
        succeeded=sum(task["status"] in SUCCEEDED for task in tasks),
        failed=sum(task["status"] in FAILED for task in tasks),
        running=sum(task["status"] in RUNNING for task in tasks),
        skipped=sum(task["status"] in SKIPPED for task in tasks),
        failed_volumes=[task["resource_id"] for task in newest_per_volume(tasks)
                        if task["resource_id"] and task["status"] in FAILED],
    )


def task_view(task):
    """A task as the modules return it: its volume, outcome, backup name, job ID and times."""
    return dict(volume_id=task["resource_id"], status=task["status"], backup_name=task["backup_name"],
                job_id=task["job_id"], created_at=task["created_at"], finished_at=task["finished_at"])


def task_label(task):
    """'volume V: STATUS (backup B, job J)', for messages."""
    return "volume %s: %s (backup %s, job %s)" % (shown(task["resource_id"]), shown(task["status"]),
                                                  shown(task["backup_name"]), shown(task["job_id"]))
