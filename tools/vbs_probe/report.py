# -*- coding: utf-8 -*-
# Copyright: (c) 2026, huaweicloud.vbs contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""The report: every observation with its raw calls and answers, the emulator switches that reproduce the
cloud, what was left over; as JSON (``--report``) and as Markdown (the terminal).

Before anything is shown or written, secrets are masked (``********``) and every ID but the probed
volume's becomes a label (``<project>``, ``<policy-2>``, ``<volume-7>``, ``<probe-policy>``...); the names
of other policies and volumes, and other volumes' metadata but for its ``policy`` key, are left out.
"""

import json
import re

from ansible_collections.huaweicloud.vbs.plugins.module_utils.vbs_errors import redact
from ansible_collections.huaweicloud.vbs.plugins.module_utils.vbs_values import FIELD_TEXT_CHARS, safe_text

from .record import is_probe_name

REPORT_FORMAT = 1
# The calls of one observation that the report keeps (a metadata wait may read the volume many times).
MAX_CALLS_SHOWN = 6
# Other volumes shown in one EVS listing.
MAX_OTHER_VOLUMES = 20
UUID = r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}"
# An ID starts where no letter or digit comes before it, or right after a percent-escape (%22 in a query).
AFTER_ESCAPE = r"(?<=%[0-9A-Fa-f]{2})"
ANY_ID = re.compile(r"(?:(?<![0-9A-Za-z])|%s)(%s|[0-9a-fA-F]{32})(?![0-9A-Za-z])" % (AFTER_ESCAPE, UUID))
ID_EDGE = "[A-Za-z0-9_.:-]"
# Which observation settles which switch, for the table of the report.
SOURCES = {
    "member_association": "associate_member",
    "non_member_disassociation": "disassociate_non_member",
    "evs_policy_metadata": "volume_metadata, metadata_after_associate, metadata_after_disassociate",
    "evs_metadata_filter": "metadata_filter, metadata_filter_own",
    "evs_ids_filter": "ids_filter, ids_filter_own",
    "page_size": "policies",
}


class Masker:
    """Labels for IDs, in the order they are named; the probed volume's ID is kept."""

    def __init__(self, keep, secrets):
        self.keep = keep.lower()
        self.secrets = secrets
        self.labels = {}
        self.counters = {}
        self._pattern = None

    def name(self, raw_id, kind, fixed=False):
        """The label of ``raw_id`` (registered as ``<kind-N>``, or ``<kind>`` when ``fixed``)."""
        if not isinstance(raw_id, str) or not raw_id or raw_id.lower() == self.keep:
            return raw_id
        key = raw_id.lower()
        if key not in self.labels:
            self.counters[kind] = self.counters.get(kind, 0) + 1
            self.labels[key] = "<%s>" % kind if fixed else "<%s-%d>" % (kind, self.counters[kind])
            self._pattern = None
        return self.labels[key]

    def text(self, value):
        value = redact(value, self.secrets)
        if self.labels:
            if self._pattern is None:
                known = "|".join(re.escape(key) for key in sorted(self.labels, key=len, reverse=True))
                self._pattern = re.compile("(?:(?<!%s)|%s)(%s)(?!%s)" % (ID_EDGE, AFTER_ESCAPE, known, ID_EDGE), re.I)
            value = self._pattern.sub(lambda match: self.labels[match.group(1).lower()], value)
        return ANY_ID.sub(lambda match: self.name(match.group(1), "id"), value)

    def data(self, value):
        if isinstance(value, dict):
            return dict((self.data(key), self.data(item)) for key, item in value.items())
        if isinstance(value, (list, tuple)):
            return [self.data(item) for item in value]
        if isinstance(value, str):
            return safe_text(self.text(value), FIELD_TEXT_CHARS)
        return value


def _trimmed_volumes(data, keep):
    """An EVS listing with the probed volume whole and the others as ID and policy metadata only."""
    volumes = data.get("volumes") if isinstance(data.get("volumes"), list) else []
    shown, others = [], 0
    for volume in volumes:
        if not isinstance(volume, dict):
            continue
        if str(volume.get("id", "")).lower() == keep:
            shown.append(volume)
            continue
        others += 1
        if others <= MAX_OTHER_VOLUMES:
            metadata = volume.get("metadata") if isinstance(volume.get("metadata"), dict) else {}
            policy = dict((key, value) for key, value in metadata.items() if key == "policy")
            shown.append(dict(id=volume.get("id"), metadata=policy))
    trimmed = dict((key, value) for key, value in data.items() if key != "volumes")
    trimmed["volumes"] = shown
    if others > MAX_OTHER_VOLUMES:
        trimmed["volumes_left_out"] = others - MAX_OTHER_VOLUMES
    return trimmed


def _trimmed_policies(data):
    """A policy listing without the names of policies other than the probe's own."""
    policies = data.get("backup_policies")
    if not isinstance(policies, list):
        return data
    trimmed = dict(data)
    trimmed["backup_policies"] = [
        dict(policy, backup_policy_name="<name>")
        if isinstance(policy, dict) and "backup_policy_name" in policy and not is_probe_name(
            policy["backup_policy_name"]) else policy for policy in policies]
    return trimmed


def trimmed_answer(exchange, keep):
    data = exchange.data
    if not isinstance(data, dict):
        return data
    if exchange.path.endswith("/cloudvolumes/detail"):
        return _trimmed_volumes(data, keep)
    if exchange.method == "GET" and exchange.path.endswith("/backuppolicy"):
        return _trimmed_policies(data)
    return data


def call(exchange, keep):
    """One call as the report shows it (before masking)."""
    shown = {"call": "%s %s" % (exchange.method, exchange.path)}
    if exchange.query:
        shown["query"] = exchange.query
    if exchange.body is not None:
        shown["body"] = exchange.body
    if exchange.interrupted:
        shown["interrupted"] = True
    if exchange.repeated:
        shown["repeated_after_an_answer_that_may_have_been_applied"] = True
    shown["status"] = exchange.status
    if exchange.error is not None:
        shown["error"] = {"code": exchange.error.code, "message": exchange.error.error_message or exchange.error.msg}
    elif exchange.data is not None:
        shown["answer"] = trimmed_answer(exchange, keep)
    return shown


def observation_entry(observation, keep):
    calls = [call(exchange, keep) for exchange in observation.exchanges]
    if len(calls) > MAX_CALLS_SHOWN:
        left_out = len(calls) - MAX_CALLS_SHOWN
        calls = calls[:MAX_CALLS_SHOWN - 1] + [{"left_out_calls": left_out}] + calls[-1:]
    entry = {"step": observation.name, "title": observation.title, "facts": observation.facts, "calls": calls}
    if observation.error is not None:
        entry["error"] = observation.error.msg
    return entry


def build(run, masker):
    """The report (a dict, masked) of a finished run (cli.Run)."""
    keep = masker.keep
    report = {
        "report_format": REPORT_FORMAT,
        "collection_version": run.version,
        "probed_at": run.started,
        "dry_run": run.dry_run,
        "volume_id": run.session.volume_id,
        "endpoints": run.endpoints,
        "outcome": run.outcome,
        "left_as_found": run.left_as_found,
        "emulator_switches": dict((name, item.value) for name, item in sorted(run.verdicts.items()) if item.settled),
        "unsettled": dict((name, item.reason) for name, item in sorted(run.verdicts.items()) if not item.settled),
        "problems": list(run.session.problems),
        "notes": list(run.session.notes),
        "plan": list(run.plan),
        "observations": [observation_entry(observation, keep) for observation in run.session.observations],
    }
    return masker.data(report)


def _json_block(value):
    # ensure_ascii: every control or non-ASCII character of a server's text is an escape, never raw.
    return "```json\n%s\n```" % json.dumps(value, indent=2, sort_keys=True, ensure_ascii=True)


def _line(value):
    return safe_text(value if isinstance(value, str) else json.dumps(value, ensure_ascii=True, sort_keys=True),
                     FIELD_TEXT_CHARS)


def markdown(report):
    """The report as Markdown, every text one escaped line."""
    lines = ["# VBS conformance probe", ""]
    lines.append("Volume `%s`; VBS %s; EVS %s; %s; huaweicloud.vbs %s." % (
        _line(report["volume_id"]), _line(report["endpoints"].get("vbs")), _line(report["endpoints"].get("evs")),
        _line(report["probed_at"]), _line(report["collection_version"])))
    lines.append("")
    outcome = "**%s**" % _line(report["outcome"])
    if report["dry_run"]:
        outcome += " (dry run: reads only)"
    elif report["left_as_found"] is not None:
        found = "left as it was found" if report["left_as_found"] else "**not** left as it was found"
        outcome += "; the cloud was %s" % found
    lines += ["Outcome: %s." % outcome, ""]
    for title, key in (("Problems", "problems"), ("Plan", "plan"), ("Notes", "notes")):
        if report[key]:
            lines += ["## %s" % title, ""] + ["- %s" % _line(item) for item in report[key]] + [""]
    lines += ["## Emulator switches", "", "| switch | value | seen in |", "| --- | --- | --- |"]
    for name, value in sorted(report["emulator_switches"].items()):
        lines.append("| `%s` | `%s` | %s |" % (name, _line(value), SOURCES.get(name, "")))
    for name, reason in sorted(report["unsettled"].items()):
        lines.append("| `%s` | not settled: %s | %s |" % (name, _line(reason), SOURCES.get(name, "")))
    lines += ["", "Start the emulator as this cloud: `tools/vbs-emulator --profile REPORT.json` (the JSON report).",
              "", "## Observations", ""]
    for number, entry in enumerate(report["observations"], 1):
        lines += ["### %d. %s (`%s`)" % (number, _line(entry["title"]), _line(entry["step"])), ""]
        if entry.get("error"):
            lines += ["Error: %s" % _line(entry["error"]), ""]
        for key, value in sorted(entry["facts"].items()):
            lines.append("- %s: %s" % (_line(key), _line(value)))
        if entry["facts"]:
            lines.append("")
        if entry["calls"]:
            lines += [_json_block(entry["calls"]), ""]
    return "\n".join(lines) + "\n"
