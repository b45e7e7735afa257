"""Coverage of a run: which check-worthy statements of the sources no claim's evidence touches.

The statements, their groups and ranking come from the engine (:mod:`checks.engine.coverage`); this module
reads what the claims covered from a run's results (the evidence of every verdict) and writes the groups as the
results' models. The pytest plugin calls it after a run, ``checks suggest`` on the last run's ``results.json``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

from checks.engine.coverage import Group, groups
from checks.models import Evidence, Source
from checks.reports.results import ScenarioResult, UncheckedGroup, UncheckedStatement

__all__ = ["COVERAGE_SOURCES", "evidence_spans", "unchecked"]

COVERAGE_SOURCES = 500
"""Stories of more sources are left out of the coverage pass after a run (named in ``unchecked_skipped``):
``checks suggest`` reads any one story on demand."""


def evidence_spans(scenarios: Iterable[ScenarioResult]) -> dict[str, list[tuple[int, int]]]:
    """Per source id, the character ranges of the evidence of every verdict in the run that speaks to its claim
    (the best passage of a source that does not mention the claim covers nothing)."""
    spans: dict[str, list[tuple[int, int]]] = {}
    for scenario in scenarios:
        for check in scenario.checks:
            for verdict in check.verdicts:
                if verdict.evidence is not None and verdict.verdict.speaks:
                    spans.setdefault(verdict.source, []).append((verdict.evidence.start, verdict.evidence.end))
    return spans


def unchecked(
    sources: Sequence[Source], scenarios: Sequence[ScenarioResult], *, limit: int = COVERAGE_SOURCES
) -> tuple[list[UncheckedGroup], list[str]]:
    """The statement groups of every story the run checked (a story one of whose sources some claim was checked
    against), story by story in name order, and the stories skipped for their size."""
    spans = evidence_spans(scenarios)
    checked = {v.source for s in scenarios for c in s.checks for v in c.verdicts}
    by_story: dict[str, list[Source]] = {}
    for source in sources:
        by_story.setdefault(source.story, []).append(source)
    stories = sorted({s.story for s in sources if s.id in checked})
    out: list[UncheckedGroup] = []
    skipped = []
    for story in stories:
        members = by_story[story]
        if len(members) > limit:
            skipped.append(story)
            continue
        out.extend(as_model(story, g, spans) for g in groups(members, spans))
    return out, skipped


def as_model(story: str, group: Group, spans: Mapping[str, Sequence[tuple[int, int]]]) -> UncheckedGroup:
    lead = group.lead
    ordered = [lead, *(s for s in group.statements if s is not lead)]
    return UncheckedGroup(
        key=group.key,
        story=story,
        divergent=group.divergent,
        covered=group.covered,
        score=group.score,
        statements=[
            UncheckedStatement(
                source=s.source,
                statement=Evidence(quote=s.quote, start=s.start, end=s.end, section=s.section),
                claim=s.text,
                score=s.score,
                reasons=list(s.reasons),
                covered=s.covered_by(spans.get(s.source, ())),
            )
            for s in ordered
        ],
    )
