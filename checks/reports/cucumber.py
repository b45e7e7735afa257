"""``reports/cucumber.json``: the Cucumber JSON format, built from the results so that it is the
same with and without ``-n`` (pytest-bdd's own ``--cucumberjson`` writes ``[]`` under xdist).

Cucumber has no status for a failure the editors accepted, and its reporters count any ``failed`` step as a
failed scenario and feature. So the statuses say what the gate decided: the step of a ``@known-divergence``
scenario whose claims diverge, and the step of a waived failure, are ``skipped``, with the reason as the step's
``error_message`` and as an embedded text note (the divergence, or the waiver with its reviewer and expiry), and
the scenario's description says it too. A green gate reads green in ``multiple-cucumber-html-reporter`` and
``cucumber-html-reporter`` (no failed scenario), and a red one red: a claim that fails the gate stays ``failed``.
"""

from __future__ import annotations

import base64
import json
import re
from typing import Any

from checks.reports.results import Results, ScenarioResult
from checks.verdicts import Outcome

__all__ = ["render_cucumber"]


def render_cucumber(results: Results) -> str:
    features: dict[str, dict[str, Any]] = {}
    for scenario in results.scenarios:
        feature = features.setdefault(
            scenario.feature,
            {
                "uri": scenario.feature,
                "id": _slug(scenario.feature_name or scenario.feature),
                "keyword": "Feature",
                "name": scenario.feature_name,
                "line": 1,
                "description": "",
                "tags": [],
                "elements": [],
            },
        )
        feature["elements"].append(_element(feature["id"], scenario))
    return json.dumps(list(features.values()), indent=2, ensure_ascii=False) + "\n"


def _element(feature_id: str, scenario: ScenarioResult) -> dict[str, Any]:
    accepted = _accepted_steps(scenario)
    steps = []
    for step in scenario.steps:
        result: dict[str, Any] = {"status": step.status, "duration": 0}
        if step.error:
            result["error_message"] = step.error
        record: dict[str, Any] = {
            "keyword": f"{step.keyword} ",
            "name": step.text,
            "line": step.line,
            "match": {"location": ""},
            "result": result,
        }
        note = accepted.get(step.line)
        if note is not None:
            result["status"] = "skipped"
            result["error_message"] = note
            record["embeddings"] = [{"mime_type": "text/plain", "data": base64.b64encode(note.encode()).decode()}]
        steps.append(record)
    return {
        "id": f"{feature_id};{_slug(scenario.name)}",
        "keyword": "Scenario",
        "name": scenario.name,
        "line": scenario.line,
        "description": _description(scenario),
        "type": "scenario",
        "tags": [{"name": f"@{tag}", "line": scenario.line - 1} for tag in scenario.tags],
        "steps": steps,
    }


def _accepted_steps(scenario: ScenarioResult) -> dict[int, str]:
    """The steps (by line) whose failure the gate accepted, with why: a known divergence, or a waiver."""
    if scenario.outcome is Outcome.KNOWN_DIVERGENCE:
        return {
            c.line: f"accepted divergence (tagged @known-divergence), not a failure of the gate:\n{c.message}"
            for c in scenario.checks
            if not c.passed
        }
    if scenario.outcome is Outcome.WAIVED:
        return {
            c.line: f"accepted failure, not a failure of the gate: {c.message}" for c in scenario.checks if c.waived_by
        }
    return {}


def _description(scenario: ScenarioResult) -> str:
    """Outcomes Cucumber has no status for: a known divergence or a waiver, shown rather than hidden."""
    if scenario.outcome is Outcome.WAIVED:
        return scenario.message.split("\n\n")[0]
    if scenario.outcome is Outcome.KNOWN_DIVERGENCE:
        return "known divergence (tagged @known-divergence)"
    return ""


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.casefold()).strip("-")
