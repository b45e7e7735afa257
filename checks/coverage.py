"""Coverage of a run: which check-worthy statements of the sources no claim's evidence touches.

The statements, their groups and ranking come from the engine (:mod:`checks.engine.coverage`); this module
reads what the claims covered from a run's results (the evidence of every verdict) and writes the groups as the
results' models. The pytest plugin calls it after a run, ``checks suggest`` on the last run's ``results.json``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

from checks.engine.coverage import Group, groups
from checks.engine.lineage import changes, lineages
from checks.models import Evidence, Source
from checks.reports.results import CopyEntry, LineageEntry, ScenarioResult, UncheckedGroup, UncheckedStatement

__all__ = ["COVERAGE_SOURCES", "checked_stories", "evidence_spans", "story_lineages", "unchecked"]

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


def checked_stories(sources: Sequence[Source], scenarios: Sequence[ScenarioResult]) -> dict[str, list[Source]]:
    """The stories the run checked (one of whose sources some claim was checked against), by name in order, with
    all their sources."""
    checked = {v.source for s in scenarios for c in s.checks for v in c.verdicts}
    by_story: dict[str, list[Source]] = {}
    for source in sources:
        by_story.setdefault(source.story, []).append(source)
    return {story: by_story[story] for story in sorted({s.story for s in sources if s.id in checked})}


def unchecked(
    stories: Mapping[str, Sequence[Source]],
    spans: Mapping[str, Sequence[tuple[int, int]]],
    *,
    limit: int = COVERAGE_SOURCES,
) -> tuple[list[UncheckedGroup], list[str]]:
    """The statement groups of each story (:func:`checked_stories`), story by story, covered by ``spans``
    (:func:`evidence_spans`), and the stories skipped for their size."""
    out: list[UncheckedGroup] = []
    skipped = []
    for story, members in stories.items():
        if len(members) > limit:
            skipped.append(story)
            continue
        out.extend(as_model(story, g, spans) for g in groups(members, spans))
    return out, skipped


def story_lineages(stories: Mapping[str, Sequence[Source]], *, limit: int = COVERAGE_SOURCES) -> list[LineageEntry]:
    """The lineages of each story (of at most ``limit`` sources: the comparison is pairwise), a source with no
    copy being a lineage of its own, with what each copy changed."""
    out = []
    for story, members in stories.items():
        if len(members) > limit:
            continue
        by_id = {s.id: s for s in members}
        for lineage in lineages(members):
            copies = []
            for copy, of in lineage.copies:
                added, left_out, n_added, n_left = changes(by_id[copy], by_id[of])
                copies.append(CopyEntry(source=copy, of=of, added=added, left_out=left_out, added_count=n_added,
                                        left_out_count=n_left))  # fmt: skip
            out.append(LineageEntry(story=story, name=lineage.name, sources=list(lineage.sources), copies=copies))
    return out


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
