"""What an update changed: two ``results.json`` compared, for reviewers (``checks diff``, ``--checks-baseline``).

Pure: results in, :class:`Changes` out; rendering to terminal tables or Markdown is separate.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from enum import StrEnum
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from checks.errors import CheckError
from checks.reports.records import CheckRecord
from checks.reports.results import Divergence, Results, ScenarioResult
from checks.reports.tables import markdown_table, markdown_text, text_table
from checks.reports.text import clip, clip_around, decisive_words
from checks.verdicts import Outcome, Verdict

__all__ = ["Cause", "Changes", "DiffError", "diff_results", "load_results", "render_markdown", "render_text"]

BAD = (Outcome.FAILED, Outcome.ERROR)


class DiffError(CheckError):
    """A results file that cannot be compared."""


class ClaimRef(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    claim_id: str
    claim: str
    scenario: str
    feature: str


class Cause(StrEnum):
    """Where a verdict change comes from, first match wins."""

    NEW_SOURCE = "new_source"
    """The update adds the source."""
    SOURCE_EDITED = "source_edited"
    """Same id, new text: the article was edited (or corrected) since the baseline."""
    ENGINE = "engine"
    """Same text and claim, another engine: its code, its model or the harness version changed."""
    CONFIGURATION = "configuration"
    """Same text, claim and engine, other settings: thresholds or the engine mode."""
    SETUP = "setup"
    """Nothing above: the scenario's setup changed (its aliases, alternatives or the sources it selects)."""

    @property
    def label(self) -> str:
        return {
            Cause.NEW_SOURCE: "new source",
            Cause.SOURCE_EDITED: "source edited",
            Cause.ENGINE: "engine changed",
            Cause.CONFIGURATION: "settings changed",
            Cause.SETUP: "scenario setup changed",
        }[self]


class VerdictChange(BaseModel):
    """One claim × source whose verdict differs (``before`` is null for a source the update adds)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    claim_id: str
    claim: str
    scenario: str
    source: str
    before: Verdict | None
    after: Verdict
    quote: str = Field(default="", description="The evidence now, or before when there is none now")
    quote_before: str = Field(default="", description="The evidence in the baseline, when it was another quote")
    cause: Cause = Field(default=Cause.SETUP, description="Where the change comes from (first that applies)")


class OutcomeChange(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    claim_id: str
    scenario: str
    feature: str
    before: Outcome | None = Field(description="Null for a scenario the update adds")
    after: Outcome
    message: str = ""


class Changes(BaseModel):
    """Everything that differs between a baseline run and this one."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    base_corpus_hash: str
    new_corpus_hash: str
    sources_added: list[str]
    sources_removed: list[str]
    claims_added: list[ClaimRef]
    claims_removed: list[ClaimRef]
    verdicts: list[VerdictChange]
    outcomes: list[OutcomeChange]
    regressions: list[OutcomeChange] = Field(description="Scenarios that now fail or error and did not before")
    divergences_new: list[Divergence]
    divergences_resolved: list[Divergence]

    @property
    def empty(self) -> bool:
        return not (
            self.sources_added or self.sources_removed or self.claims_added or self.claims_removed
            or self.verdicts or self.outcomes or self.divergences_new or self.divergences_resolved
        )  # fmt: skip

    def headline(self) -> str:
        """``this update changes 3 verdicts: 1 regression, 1 new divergence, 1 source added``"""
        parts = [
            (len(self.regressions), "regression", "regressions"),
            (len(self.divergences_new), "new divergence", "new divergences"),
            (len(self.divergences_resolved), "resolved divergence", "resolved divergences"),
            (len(self.sources_added), "source added", "sources added"),
            (len(self.sources_removed), "source removed", "sources removed"),
            (len(self.claims_added), "claim added", "claims added"),
            (len(self.claims_removed), "claim removed", "claims removed"),
        ]
        details = ", ".join(f"{n} {one if n == 1 else many}" for n, one, many in parts if n)
        verdicts = len(self.verdicts)
        head = f"this update changes {verdicts} verdict{'' if verdicts == 1 else 's'}"
        return f"{head}: {details}" if details else head


def load_results(path: Path) -> Results:
    """A results.json, validated against the published schema (the model)."""
    try:
        return Results.model_validate_json(path.read_bytes())
    except OSError as exc:
        raise DiffError(f"{path}: cannot be read ({exc.strerror})") from None
    except ValidationError as exc:
        first = exc.errors(include_url=False)[0]
        where = ".".join(str(p) for p in first["loc"]) or "file"
        raise DiffError(
            f"{path}: not a checks results.json ({where}: {first['msg']}); pass reports/results.json of a run"
        ) from None


def _claims(results: Results) -> dict[tuple[str, str], tuple[ScenarioResult, CheckRecord]]:
    found: dict[tuple[str, str], tuple[ScenarioResult, CheckRecord]] = {}
    for scenario in results.scenarios:
        for check in scenario.checks:
            found.setdefault((scenario.claim_id, check.claim), (scenario, check))
    return found


def _ref(scenario: ScenarioResult, check: CheckRecord) -> ClaimRef:
    return ClaimRef(claim_id=scenario.claim_id, claim=check.claim, scenario=scenario.name, feature=scenario.feature)


def diff_results(base: Results, new: Results) -> Changes:
    """What ``new`` changes against ``base``: sources and claims added or removed, verdicts per claim × source,
    scenario outcomes (regressions among them) and divergences."""
    base_sources = {s.id for s in base.sources}
    new_sources = {s.id for s in new.sources}
    base_claims, new_claims = _claims(base), _claims(new)
    causes = _causes(base, new)
    verdicts = [
        change.model_copy(update={"cause": causes(change.source)})
        for key, (scenario, check) in new_claims.items()
        if key in base_claims
        for change in _verdict_changes(scenario, base_claims[key][1], check, base_sources, new_sources)
    ]
    outcomes = _outcomes(base, new)
    base_div = {(d.claim_id, d.text): d for d in base.summary.divergences}
    new_div = {(d.claim_id, d.text): d for d in new.summary.divergences}
    return Changes(
        base_corpus_hash=base.run.corpus_hash,
        new_corpus_hash=new.run.corpus_hash,
        sources_added=sorted(new_sources - base_sources),
        sources_removed=sorted(base_sources - new_sources),
        claims_added=[_ref(*new_claims[k]) for k in new_claims if k not in base_claims],
        claims_removed=[_ref(*base_claims[k]) for k in base_claims if k not in new_claims],
        verdicts=verdicts,
        outcomes=outcomes,
        regressions=[o for o in outcomes if o.after in BAD and o.before not in BAD],
        divergences_new=[d for k, d in new_div.items() if k not in base_div],
        divergences_resolved=[d for k, d in base_div.items() if k not in new_div],
    )


def _causes(base: Results, new: Results) -> Callable[[str], Cause]:
    """Where a change on a source comes from: the source (added, edited), else the run (engine, settings), else
    the scenario."""
    before = {s.id: s.sha256 for s in base.sources}
    after = {s.id: s.sha256 for s in new.sources}
    engine = (base.run.engine, base.run.versions.get("checks")) != (new.run.engine, new.run.versions.get("checks"))
    settings = base.run.configuration != new.run.configuration

    def cause(source: str) -> Cause:
        if source not in before:
            return Cause.NEW_SOURCE
        if before[source] != after.get(source):
            return Cause.SOURCE_EDITED
        if engine:
            return Cause.ENGINE
        return Cause.CONFIGURATION if settings else Cause.SETUP

    return cause


def _verdict_changes(
    scenario: ScenarioResult, base_check: CheckRecord, check: CheckRecord, base_sources: set[str], new_sources: set[str]
) -> Iterable[VerdictChange]:
    """The verdicts of one claim that changed, source by source. A source a check does not list is not mentioned
    when the check counts its silent sources (:meth:`CheckRecord.verdict_on`)."""
    added_sources = new_sources - base_sources
    before = {v.source: v for v in base_check.verdicts}
    after = {v.source: v for v in check.verdicts}
    for source in [*after, *(s for s in before if s not in after)]:
        old, now = before.get(source), after.get(source)
        was = old.verdict if old else base_check.verdict_on(source, base_sources)
        is_ = now.verdict if now else check.verdict_on(source, new_sources)
        if is_ is None or is_ is was:
            continue
        if was is None and (source not in added_sources or is_ is Verdict.NOT_MENTIONED):
            continue  # a source the check did not cover before, unless the update adds it
        evidence = (now.evidence if now else None) or (old.evidence if old else None)
        quote = evidence.quote if evidence else ""
        earlier = old.evidence.quote if old and old.evidence else ""
        yield VerdictChange(
            claim_id=scenario.claim_id, claim=check.claim, scenario=scenario.name, source=source,
            before=was, after=is_, quote=quote, quote_before=earlier if earlier != quote else "",
        )  # fmt: skip


def _outcomes(base: Results, new: Results) -> list[OutcomeChange]:
    before = {(s.feature, s.name): s for s in base.scenarios}
    changes = []
    for scenario in new.scenarios:
        old = before.get((scenario.feature, scenario.name))
        if old is not None and old.outcome is scenario.outcome:
            continue
        if old is None and scenario.outcome is Outcome.PASSED:
            continue  # a new scenario that passes is listed under claims added
        changes.append(
            OutcomeChange(
                claim_id=scenario.claim_id, scenario=scenario.name, feature=scenario.feature,
                before=old.outcome if old else None, after=scenario.outcome, message=_why(scenario),
            )
        )  # fmt: skip
    return changes


def _why(scenario: ScenarioResult) -> str:
    """Why a scenario's outcome is what it is, in one line: for each claim that did not hold, what was expected
    and, per source that made it fail, the verdict, the rule and the quote (not the terminal's table)."""
    parts = []
    for check in scenario.checks:
        if check.passed:
            continue
        failing = [v for v in check.verdicts if v.source in check.failing_sources] or list(check.verdicts)[:3]
        said = "; ".join(
            f"{v.source}: {v.verdict.label} ({v.rule})"
            + (f' "{clip_around(v.evidence.quote, decisive_words(v), 120)}"' if v.evidence else "")
            for v in failing
        )
        parts.append(f"{check.expected} — {said}" if said else check.expected)
    if parts:
        return clip(" · ".join(parts), 600)
    return clip(scenario.message.split("\n\n")[0], 300)


def _label(value: Verdict | Outcome | None, absent: str) -> str:
    if value is None:
        return absent
    return value.label if isinstance(value, Verdict) else value.value.replace("_", " ")


def _sections(changes: Changes) -> Iterable[tuple[str, list[str], list[list[str]]]]:
    if changes.regressions:
        yield (
            "Regressions",
            ["scenario", "claim id", "before", "now", "why"],
            [
                [o.scenario, o.claim_id, _label(o.before, "new"), _label(o.after, ""), o.message]
                for o in changes.regressions
            ],
        )
    if changes.verdicts:
        yield (
            "Verdicts that changed",
            ["claim", "source", "before", "now", "why", "quote"],
            [
                [v.claim, v.source, _label(v.before, "new source"), _label(v.after, ""), v.cause.label, _quotes(v)]
                for v in changes.verdicts
            ],
        )
    other = [o for o in changes.outcomes if o not in changes.regressions]
    if other:
        yield (
            "Other outcome changes",
            ["scenario", "claim id", "before", "now"],
            [[o.scenario, o.claim_id, _label(o.before, "new"), _label(o.after, "")] for o in other],
        )
    for title, divergences in (("New divergences", changes.divergences_new),
                               ("Resolved divergences", changes.divergences_resolved)):  # fmt: skip
        if divergences:
            yield (
                title,
                ["claim id", "divergence", "accepted"],
                [[d.claim_id, d.text, "known" if d.known else ("waived" if d.waived else "no")] for d in divergences],
            )
    if changes.sources_added or changes.sources_removed:
        yield (
            "Sources",
            ["change", "source"],
            [
                *(["added", s] for s in changes.sources_added),
                *(["removed", s] for s in changes.sources_removed),
            ],
        )
    if changes.claims_added or changes.claims_removed:
        yield (
            "Claims",
            ["change", "claim id", "claim", "scenario"],
            [
                *(["added", c.claim_id, c.claim, c.scenario] for c in changes.claims_added),
                *(["removed", c.claim_id, c.claim, c.scenario] for c in changes.claims_removed),
            ],
        )


def _quotes(change: VerdictChange) -> str:
    """The quote now, and the baseline's when the evidence itself changed (an edited sentence)."""
    if change.quote_before:
        return f"{clip(change.quote, 160)} (was: {clip(change.quote_before, 160)})"
    return clip(change.quote, 200)


def render_text(changes: Changes) -> str:
    lines = [changes.headline() if not changes.empty else "no changes: same sources, claims and verdicts"]
    for title, headers, rows in _sections(changes):
        lines += ["", f"{title} ({len(rows)})", text_table(headers, rows)]
    return "\n".join(lines) + "\n"


def render_markdown(changes: Changes) -> str:
    """For PR comments and CI job summaries; every cell is escaped (quotes from sources are untrusted)."""
    head = changes.headline() if not changes.empty else "no changes: same sources, claims and verdicts"
    lines = ["### Source consistency: what this update changes", "", f"**{markdown_text(head)}**"]
    for title, headers, rows in _sections(changes):
        lines += ["", f"#### {title} ({len(rows)})", "", markdown_table(headers, rows)]
    return "\n".join(lines) + "\n"
