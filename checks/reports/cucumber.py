"""``reports/cucumber.json``: the Cucumber JSON format, built from the results so that it is the
same with and without ``-n`` (pytest-bdd's own ``--cucumberjson`` writes ``[]`` under xdist)."""

from __future__ import annotations

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
    steps = []
    for step in scenario.steps:
        result: dict[str, Any] = {"status": step.status, "duration": 0}
        if step.error:
            result["error_message"] = step.error
        steps.append(
            {
                "keyword": f"{step.keyword} ",
                "name": step.text,
                "line": step.line,
                "match": {"location": ""},
                "result": result,
            }
        )
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


def _description(scenario: ScenarioResult) -> str:
    """Outcomes Cucumber has no status for: a known divergence or a waiver, shown rather than hidden."""
    if scenario.outcome is Outcome.WAIVED:
        return scenario.message.split("\n\n")[0]
    if scenario.outcome is Outcome.KNOWN_DIVERGENCE:
        return "known divergence (tagged @known-divergence)"
    return ""


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.casefold()).strip("-")
