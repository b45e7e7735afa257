"""What a tag may do: the tag policy of feature files, and the claim ids tags give.

Only editor-owned decisions change an outcome: ``@known-divergence`` (the sources diverge and that is accepted)
and ``features/waivers.toml``. ``@id:<id>`` names the claim. Every other tag is a label for selecting scenarios
(``-m label``), registered as a marker so ``--strict-markers`` accepts it, and it changes nothing else.

pytest-bdd turns every tag of a Feature, Rule, Scenario or Examples block into a pytest mark, so a tag named like
one of pytest's own marks (``@skip``, ``@skipif``, ``@xfail``, ``@usefixtures``, …) or a well-known plugin's
(``@flaky``, ``@dependency``, …) would skip, expect or alter the check without saying so. Those are refused
before anything runs, and a scenario that ends skipped or expected-to-fail for any other reason fails the gate
(:mod:`checks.pytest_plugin.session`).

A scenario has at most one id, whichever of its Feature, Rule, Scenario and Examples blocks gives it, and one id
names one claim: two ids on one scenario, or one id on scenarios (or outline examples) that check different
claims, would let a waiver written for one claim accept another.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from pytest_bdd.parser import Examples, Feature, ScenarioTemplate

from checks.engine.normalize import normalize_text
from checks.errors import Problem
from checks.models import is_id
from checks.verdicts import ID_PREFIX, KNOWN_DIVERGENCE_TAG

__all__ = [
    "ID_PREFIX",
    "KNOWN_DIVERGENCE_TAG",
    "REFUSED_TAGS",
    "IdUse",
    "ScenarioTags",
    "id_problems",
    "id_uses",
    "label_tags",
    "scenario_tags",
    "tag_problems",
]


REFUSED_TAGS = frozenset(
    {
        # pytest's own marks
        "skip",
        "skipif",
        "xfail",
        "usefixtures",
        "filterwarnings",
        "parametrize",
        # marks of widely installed plugins that skip, rerun, reorder or time out a test
        "flaky",
        "dependency",
        "order",
        "run",
        "timeout",
        "forked",
        "repeat",
        "xdist_group",
    }
)
"""Tags that would act on the check as a pytest mark (module docstring)."""

_LABEL = re.compile(r"[A-Za-z][A-Za-z0-9_.-]*")
"""A label tag: a marker name pytest accepts with ``-m``."""


@dataclass(frozen=True, slots=True)
class ScenarioTags:
    """Every tag that applies to one scenario (or one Examples block of an outline), and its claim ids."""

    tags: tuple[str, ...]

    @property
    def ids(self) -> tuple[str, ...]:
        """The claim ids among the tags (``@id:<id>``)."""
        return tuple(t.removeprefix(ID_PREFIX) for t in self.tags if t.startswith(ID_PREFIX))


def scenario_tags(feature: Feature, template: ScenarioTemplate, examples: Examples | None = None) -> ScenarioTags:
    """The tags of the Feature, the Rule, the Scenario and (for an outline's row) its Examples block."""
    found = set(feature.tags) | set(template.tags)
    if template.rule is not None:
        found |= set(template.rule.tags)
    if examples is not None:
        found |= set(examples.tags)
    return ScenarioTags(tuple(sorted(found)))


def _blocks(template: ScenarioTemplate) -> list[Examples | None]:
    """The outline's Examples blocks, or [None] for a plain scenario."""
    return list(template.examples) or [None]


def tag_problems(name: str, feature: Feature) -> Iterator[Problem]:
    """Refused and malformed tags, and scenarios with more than one id, in one parsed feature file."""
    seen: set[tuple[int, str]] = set()
    for template in feature.scenarios.values():
        where = f"{name}:{template.line_number}"
        for examples in _blocks(template):
            found = scenario_tags(feature, template, examples)
            for tag in found.tags:
                if (template.line_number, tag) not in seen:
                    seen.add((template.line_number, tag))
                    problem = _tag_problem(tag)
                    if problem:
                        yield Problem(where, "tags", problem)
            if len(set(found.ids)) > 1:
                listed = ", ".join(f"@{ID_PREFIX}{i}" for i in sorted(set(found.ids)))
                yield Problem(
                    where,
                    "tags",
                    f'scenario "{template.name}" has several claim ids ({listed}, counting the tags of its Feature, '
                    "Rule and Examples): a scenario has one id; keep one",
                )


def _tag_problem(tag: str) -> str | None:
    if tag.startswith(ID_PREFIX):
        claim = tag.removeprefix(ID_PREFIX)
        if not is_id(claim):
            return f'"@{tag}": a claim id is lowercase letters, digits and single hyphens, like @id:huawei-partner'
        return None
    if tag == KNOWN_DIVERGENCE_TAG:
        return None
    if tag in REFUSED_TAGS or tag.lower() in REFUSED_TAGS:
        return (
            f"@{tag} would {_ACTION.get(tag.lower(), 'change how the check runs')} without an editor's record: "
            f"a claim that does not hold is accepted only by @{KNOWN_DIVERGENCE_TAG} or a waiver in "
            "features/waivers.toml; remove the tag"
        )
    if not _LABEL.fullmatch(tag):
        return f'"@{tag}": a label tag is letters, digits, "_", "." and "-", starting with a letter'
    return None


_ACTION = {
    "skip": "skip the check",
    "skipif": "skip the check",
    "xfail": "expect the check to fail",
    "dependency": "skip the check",
    "flaky": "rerun the check until it passes",
}


@dataclass(frozen=True, slots=True)
class IdUse:
    """Where a claim id is used, and the claims (normalized) it names there."""

    where: str
    claims: tuple[str, ...]


def id_problems(uses: Iterable[tuple[str, IdUse]]) -> Iterator[Problem]:
    """One id on two different claims, across every feature file of the run: ``uses`` is (id, use) pairs."""
    first: dict[str, IdUse] = {}
    for claim_id, use in uses:
        earlier = first.setdefault(claim_id, use)
        if earlier.claims != use.claims:
            yield Problem(
                use.where,
                "tags",
                f"@{ID_PREFIX}{claim_id} is already the id of a different claim ({earlier.where}); one id names "
                "one claim, so a waiver for one cannot accept the other: give this scenario its own id",
            )


def id_uses(name: str, feature: Feature) -> Iterator[tuple[str, IdUse]]:
    """Every explicit claim id of a feature file with the claims it names (each outline row rendered)."""
    for template in feature.scenarios.values():
        for examples in _blocks(template):
            found = scenario_tags(feature, template, examples)
            if len(set(found.ids)) != 1:
                continue
            contexts = list(examples.as_contexts()) if examples is not None else [{}]
            for context in contexts:
                scenario = template.render(context)
                claims = tuple(
                    normalize_text(f"{s.name}\n{s.docstring or ''}") for s in scenario.steps if s.type == "then"
                )
                yield found.ids[0], IdUse(f"{name}:{template.line_number}", claims)


def label_tags(features: Iterable[Feature]) -> set[str]:
    """Every label tag (neither ``@id:`` nor ``@known-divergence``) of the features, for marker registration."""
    found: set[str] = set()
    for feature in features:
        for template in feature.scenarios.values():
            for examples in _blocks(template):
                found.update(scenario_tags(feature, template, examples).tags)
    return {t for t in found if not t.startswith(ID_PREFIX) and t != KNOWN_DIVERGENCE_TAG and _LABEL.fullmatch(t)}
