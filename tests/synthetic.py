"""Synthetic results of any size, for the report-scale benchmark and tests (no engine, no corpus)."""

from __future__ import annotations

from checks.models import Evidence, SectionKind, SourceMetadata, SourceVerdict
from checks.reports.records import CheckRecord
from checks.reports.results import Results, RunInfo, ScenarioResult, SourceEntry, summarize
from checks.verdicts import Outcome, Verdict

__all__ = ["synthetic_results"]

SENTENCE = "BMW will integrate Huawei HiCar into its China-made cars in 2026. "


def synthetic_results(claims: int, sources: int) -> tuple[Results, dict[str, str]]:
    """``claims`` × ``sources`` verdicts cycling through every verdict; three in four cells carry evidence."""
    text = SENTENCE * 40
    quote = SENTENCE.strip()
    entries = [
        SourceEntry(
            id=f"s{i}",
            story="synthetic",
            path=f"synthetic/s{i}.txt",
            sha256="0" * 64,
            characters=len(text),
            metadata=SourceMetadata(title=f"Source {i}"),
        )
        for i in range(sources)
    ]
    kinds = list(Verdict)
    scenarios = []
    for c in range(claims):
        verdicts = []
        for i in range(sources):
            kind = kinds[(c + i) % len(kinds)]
            start = (c % 40) * len(SENTENCE)
            evidence = None
            if kind is not Verdict.NOT_MENTIONED:
                evidence = Evidence(quote=quote, start=start, end=start + len(quote), section=SectionKind.BODY)
            verdicts.append(
                SourceVerdict(source=f"s{i}", verdict=kind, score=50, rule=f"rule {kind.value}", evidence=evidence)
            )
        check = CheckRecord(
            step="Then record", kind="record", claim=f"claim {c}", expected="", passed=True, verdicts=verdicts
        )
        scenarios.append(
            ScenarioResult(
                feature="features/synthetic.feature",
                feature_name="synthetic",
                name=f"claim {c}",
                line=c + 2,
                claim_id=f"c{c}",
                tags=[],
                outcome=Outcome.PASSED,
                steps=[],
                checks=[check],
            )
        )
    run = RunInfo(
        versions={},
        configuration={},
        corpus="corpus",
        corpus_hash="0" * 64,
        started="",
        finished="",
        duration_seconds=0.0,
    )
    results = Results(run=run, sources=entries, scenarios=scenarios, summary=summarize(scenarios))
    return results, {e.id: text for e in entries}
