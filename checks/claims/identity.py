"""Stable identities: a scenario's claim id, and the duplicate scenario names pytest-bdd would drop."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable

from checks.engine.normalize import normalize_text
from checks.errors import FeatureError

__all__ = ["claim_id", "find_duplicate_scenarios"]


def claim_id(tags: Iterable[str], claims: Iterable[str]) -> str:
    """The ``@id:<id>`` tag when there is one, else ``c-`` and a hash of the normalized claim text.

    The hash ignores case, quotes, dashes and whitespace, and never depends on the scenario's name
    or position, so renaming or moving a scenario keeps its id (and its waivers).

    >>> claim_id(["id:bmw-partner"], ["anything"])
    'bmw-partner'
    >>> claim_id([], ["BMW  works with Huawei"]) == claim_id([], ["bmw works with huawei"])
    True
    """
    explicit = sorted(t[3:] for t in tags if t.startswith("id:") and len(t) > 3)
    if explicit:
        return explicit[0]
    text = "\n".join(normalize_text(c) for c in claims)
    return "c-" + hashlib.sha256(text.encode("utf-8")).hexdigest()[:12]


def find_duplicate_scenarios(feature_path: str) -> list[FeatureError]:
    """Scenarios of one feature file that share a name (pytest-bdd silently keeps only one)."""
    from pytest_bdd.gherkin_parser import get_gherkin_document

    document = get_gherkin_document(feature_path)
    seen: dict[str, int] = {}
    errors = []
    feature = document.feature
    scenarios = []
    for child in feature.children:
        if child.scenario is not None:
            scenarios.append(child.scenario)
        if child.rule is not None:
            scenarios.extend(c.scenario for c in child.rule.children if c.scenario is not None)
    for scenario in scenarios:
        line = scenario.location.line
        if scenario.name in seen:
            errors.append(
                FeatureError(
                    f'{feature_path}:{line}: scenario name "{scenario.name}" is already used on line '
                    f"{seen[scenario.name]}; pytest-bdd would silently run only one of them: rename one"
                )
            )
        else:
            seen[scenario.name] = line
    return errors
