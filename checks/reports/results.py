"""``reports/results.json``: the public record of a run, and how it is assembled.

Its JSON Schema is committed at ``checks/schemas/results.schema.json`` (generated from these
models by ``python -m checks.schemas``). Everything in it is deterministic for the same corpus
and features except the documented run fields ``run.started``, ``run.finished`` and
``run.duration_seconds``.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence

from pydantic import BaseModel, ConfigDict, Field

from checks.models import Evidence, SectionKind, Source, SourceMetadata, SourceVerdict
from checks.reports.records import CheckRecord, StepResult
from checks.verdicts import Outcome, Verdict
from checks.waivers import Waiver, WaiverStatus

__all__ = [
    "RESULTS_SCHEMA_VERSION",
    "CopyEntry",
    "Divergence",
    "FrontCheck",
    "LineageEntry",
    "Results",
    "RunInfo",
    "ScenarioResult",
    "SourceEntry",
    "Summary",
    "UncheckedGroup",
    "UncheckedStatement",
    "merge_checks",
    "summarize",
]

RESULTS_SCHEMA_VERSION = "1.2"
RUN_FIELDS = ("started", "finished", "duration_seconds")
"""Fields of ``run`` that change from run to run; everything else is byte-identical."""


class RunInfo(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    tool: str = "checks"
    versions: dict[str, str] = Field(description="checks, python, pytest, pytest-bdd, rapidfuzz, pydantic")
    configuration: dict[str, object] = Field(description="[tool.checks] as used, with defaults filled in")
    corpus: str = Field(description="Corpus folder, relative to the project root")
    corpus_hash: str = Field(description="SHA-256 over every source's id, text hash and metadata")
    engine: str = Field(
        default="",
        description="Fingerprint of the engine's code and model (the verdict cache's key): `checks diff`"
        " tells engine changes from source edits by it",
    )
    started: str = Field(description="ISO 8601 start time (UTC); changes every run")
    finished: str = Field(description="ISO 8601 end time (UTC); changes every run")
    duration_seconds: float = Field(description="Wall time; changes every run")


class SourceEntry(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    id: str
    story: str
    path: str = Field(description="Path of the .txt, relative to the corpus folder")
    sha256: str
    characters: int
    metadata: SourceMetadata


class ScenarioResult(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    feature: str = Field(description="Feature file, relative to the project root")
    feature_name: str
    name: str
    line: int
    claim_id: str = Field(description="The @id:<id> tag, or a hash of the normalized claim text")
    tags: list[str]
    outcome: Outcome
    message: str = Field(default="", description="Why it failed or errored")
    steps: list[StepResult]
    checks: list[CheckRecord]
    waivers: list[Waiver] = Field(default_factory=list, description="The waivers that accepted its failure")
    duration_seconds: float = Field(
        default=0.0, ge=0, description="Time its test took (setup, steps, teardown); changes every run"
    )


class Divergence(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    claim_id: str
    scenario: str
    feature: str
    text: str = Field(description="One sentence: which source says what")
    known: bool = Field(description="Tagged @known-divergence")
    waived: bool = Field(default=False, description="Accepted by a waiver")


class Summary(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    scenarios: dict[str, int] = Field(description="Scenarios by outcome")
    verdicts: dict[str, int] = Field(description="Claim × source verdicts by verdict")
    divergences: list[Divergence]


class FrontCheck(BaseModel):
    """A statement of a source's headline, summary or FAQ, and what the source's body alone says of it."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    source: str
    section: SectionKind = Field(description="headline, summary or faq")
    statement: Evidence = Field(description="The statement and its place in the source's .txt")
    body: SourceVerdict = Field(description="The body's verdict on the statement, with the body's evidence")

    @property
    def consistent(self) -> bool:
        """The body supports what the front matter states."""
        return self.body.verdict is Verdict.SUPPORTED


class UncheckedStatement(BaseModel):
    """A check-worthy statement of one source."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    source: str
    statement: Evidence = Field(description="The sentence and its place in the source's .txt")
    claim: str = Field(description="The sentence as a draft claim (dateline and closing full stop left out)")
    score: int = Field(ge=0, description="How check-worthy: 2 per figure or date, 1 per name, 2 for a named quote")
    reasons: list[str] = Field(description="What the score counted, in words")
    covered: bool = Field(description="Some claim's evidence in this source overlaps it")


class UncheckedGroup(BaseModel):
    """Statements of one or more sources of a story saying the same thing, or giving different figures for it."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    key: str = Field(description="A stable name: a hash of the lead statement's text")
    story: str
    divergent: bool = Field(description="The sources give different figures or dates of the same kind for it")
    covered: bool = Field(description="Every statement of the group is covered by some claim's evidence")
    score: int = Field(ge=0)
    statements: list[UncheckedStatement] = Field(description="The lead statement (the draft claim's) first")


class CopyEntry(BaseModel):
    """One source found to copy another, and what it changed."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    source: str = Field(description="The copy")
    of: str = Field(description="The source it copies")
    added: list[str] = Field(description="Sentences the copy adds (or words anew), as written; at most 20")
    left_out: list[str] = Field(description="Sentences of the original the copy leaves out (or rewords); at most 20")
    added_count: int = Field(ge=0)
    left_out_count: int = Field(ge=0)


class LineageEntry(BaseModel):
    """Sources of one story that are one voice: one declared origin, or copies of one another."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    story: str
    name: str = Field(description="The declared origin (or shared publisher), or the first source's id")
    sources: list[str]
    copies: list[CopyEntry] = Field(description="The pairs found by their text (the rest share a declared origin)")


class Results(BaseModel):
    model_config = ConfigDict(
        frozen=True,
        extra="forbid",
        title="checks results",
        json_schema_extra={
            "$id": "https://checks.invalid/schemas/results.schema.json",
            "description": "Verdicts of every claim against every source: reports/results.json.",
        },
    )

    schema_version: str = RESULTS_SCHEMA_VERSION
    run: RunInfo
    sources: list[SourceEntry]
    scenarios: list[ScenarioResult]
    summary: Summary
    waivers: list[WaiverStatus] = Field(
        default_factory=list, description="Every waiver of features/waivers.toml: used, stale or expired"
    )
    front_matter: list[FrontCheck] = Field(
        default_factory=list,
        description="Within-source consistency: every statement of each source's headline, summary and FAQ, read"
        " by that source's body alone (sources in id order, statements in text order)",
    )
    front_matter_skipped: int = Field(
        default=0, ge=0, description="Sources with front matter left unchecked: the corpus had more than the limit"
    )
    unchecked: list[UncheckedGroup] = Field(
        default_factory=list,
        description="Coverage: the check-worthy statements of every story the run checked, grouped across sources"
        " and ranked (divergent groups first, then by score), each marked covered or not by the claims' evidence",
    )
    lineages: list[LineageEntry] = Field(
        default_factory=list,
        description="Per story the run checked, its independent voices: the sources that are one voice (a copy and"
        " its original, or one declared origin), with what each copy changed, and each other source alone",
    )
    unchecked_skipped: list[str] = Field(
        default_factory=list, description="Stories too large for the coverage pass (more sources than its limit)"
    )


def source_entries(sources: Iterable[Source]) -> list[SourceEntry]:
    return [
        SourceEntry(id=s.id, story=s.story, path=s.path, sha256=s.sha256, characters=len(s.text), metadata=s.metadata)
        for s in sorted(sources, key=lambda s: s.id)
    ]


def summarize(scenarios: Sequence[ScenarioResult]) -> Summary:
    """Counts by outcome and verdict, and every divergence: failing or known agreement checks,
    and claims on which one source's verdict is supported while another's is contradicted."""
    outcomes = Counter(s.outcome.value for s in scenarios)
    verdicts: Counter[str] = Counter()
    divergences = []
    for scenario in scenarios:
        for check in scenario.checks:
            verdicts.update({v.value: n for v, n in check.counts.items()})
        for check in merge_checks(scenario.checks):
            text = check.disagreement
            if text:
                divergences.append(
                    Divergence(
                        claim_id=scenario.claim_id,
                        scenario=scenario.name,
                        feature=scenario.feature,
                        text=text,
                        known=scenario.outcome is Outcome.KNOWN_DIVERGENCE,
                        waived=scenario.outcome is Outcome.WAIVED,
                    )
                )
    return Summary(
        scenarios={o.value: outcomes.get(o.value, 0) for o in Outcome},
        verdicts={v.value: verdicts.get(v.value, 0) for v in Verdict},
        divergences=divergences,
    )


def merge_checks(checks: Iterable[CheckRecord]) -> list[CheckRecord]:
    """One row per claim of a scenario: steps that check the same claim source by source are joined."""
    rows: dict[tuple[str, str], CheckRecord] = {}
    for check in checks:
        key = (check.claim, "agree" if check.kind.is_agreement else "claim")
        if key not in rows:
            rows[key] = check
            continue
        first = rows[key]
        seen = {v.source for v in first.verdicts}
        joined = [v for v in check.verdicts if v.source not in seen]
        # Steps of one scenario check the same sources: the joined row covers the larger set of them, and
        # its silent sources are those it does not list.
        covered = max(len(first.verdicts) + first.silent, len(check.verdicts) + check.silent)
        silent = max(0, covered - len(first.verdicts) - len(joined)) if first.silent or check.silent else 0
        rows[key] = first.model_copy(
            update={
                "verdicts": [*first.verdicts, *joined],
                "silent": silent,
                "passed": first.passed and check.passed,
                "step": f"{first.step}\n{check.step}",
            }
        )
    return list(rows.values())
