"""Check records of many sources: the silent sources are counted, not listed, and every report, the
summary and the diff read them as if they were listed."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET

import pytest

from checks.models import Evidence, SectionKind, SourceVerdict
from checks.reports.claimreview import render_claimreview
from checks.reports.diff import diff_results
from checks.reports.html import render_html
from checks.reports.junit import render_junit
from checks.reports.records import LISTED_SOURCES, CheckRecord
from checks.reports.results import Results, merge_checks, summarize
from checks.verdicts import Verdict
from tests.synthetic import synthetic_results


def _verdict(source: str, verdict: Verdict) -> SourceVerdict:
    evidence = None
    if verdict.speaks:
        evidence = Evidence(quote="q", start=0, end=1, section=SectionKind.BODY)
    return SourceVerdict(source=source, verdict=verdict, score=50, rule="r", evidence=evidence)


def _record(verdicts: list[SourceVerdict], silent: int = 0) -> CheckRecord:
    return CheckRecord(
        step="Then record", kind="record", claim="c", expected="", passed=True, verdicts=verdicts, silent=silent
    )


def _counted(results: Results) -> Results:
    """The same results with every check listing only the sources that speak (as a large check would)."""
    scenarios = []
    for scenario in results.scenarios:
        checks = []
        for check in scenario.checks:
            listed, silent = CheckRecord.listing(check.verdicts, limit=0)
            checks.append(check.model_copy(update={"verdicts": listed, "silent": silent}))
        scenarios.append(scenario.model_copy(update={"checks": checks}))
    return results.model_copy(update={"scenarios": scenarios, "summary": summarize(scenarios)})


def test_every_verdict_is_listed_up_to_the_limit_and_the_silent_ones_counted_above() -> None:
    kinds = [Verdict.SUPPORTED, Verdict.NOT_MENTIONED, Verdict.DISCUSSED, Verdict.NOT_MENTIONED]
    small = [_verdict(f"s{i}", kinds[i % 4]) for i in range(LISTED_SOURCES)]
    assert CheckRecord.listing(small) == (small, 0)
    large = [_verdict(f"s{i}", kinds[i % 4]) for i in range(LISTED_SOURCES + 4)]
    listed, silent = CheckRecord.listing(large)
    assert [v.source for v in listed] == [v.source for v in large if v.verdict.speaks]
    assert silent == (LISTED_SOURCES + 4) // 2
    assert _record(listed, silent).counts == {Verdict.SUPPORTED: 11, Verdict.DISCUSSED: 11, Verdict.NOT_MENTIONED: 22}


def test_a_negative_silent_count_is_rejected() -> None:
    with pytest.raises(ValueError, match="silent"):
        _record([], silent=-1)


def test_counted_silence_reads_as_listed_silence_in_the_summary_and_the_reports() -> None:
    listed, texts = synthetic_results(claims=6, sources=8)
    counted = _counted(listed)
    assert sum(c.silent for s in counted.scenarios for c in s.checks) == 12  # two silent sources per claim
    assert counted.summary == listed.summary
    assert render_html(counted, texts, wide_limit=7) == render_html(listed, texts, wide_limit=7)
    # A check that counts its silent sources has no matrix: the matrix needs every verdict.
    assert '<table class="matrix wide">' in render_html(counted, texts)
    assert render_junit(counted) == render_junit(listed)
    assert render_claimreview(counted, texts) == render_claimreview(listed, texts)
    properties = ET.fromstring(render_junit(counted)).iter("property")
    silent = {p.get("value") for p in properties if p.get("name", "").endswith("· claim 1 · not mentioned by")}
    assert silent == {"2 source(s)"}


def test_the_diff_sees_no_change_between_listed_and_counted_silence() -> None:
    listed, _ = synthetic_results(claims=4, sources=8)
    counted = _counted(listed)
    assert diff_results(listed, counted).empty
    assert diff_results(counted, listed).empty


def _set(results: Results, source: str, verdict: Verdict) -> Results:
    """Results whose first check gives ``source`` this verdict (listed, or counted silent)."""
    scenario = results.scenarios[0]
    check = scenario.checks[0]
    others = [v for v in check.verdicts if v.source != source]
    if verdict.speaks:
        check = check.model_copy(update={"verdicts": [*others, _verdict(source, verdict)]})
    else:
        check = check.model_copy(update={"verdicts": others, "silent": check.silent + 1})
    scenarios = [scenario.model_copy(update={"checks": [check]}), *results.scenarios[1:]]
    return results.model_copy(update={"scenarios": scenarios})


def test_the_diff_names_a_source_falling_silent_or_speaking_up() -> None:
    base = _counted(synthetic_results(claims=2, sources=8)[0])
    silent = next(f"s{i}" for i in range(8) if f"s{i}" not in {v.source for v in base.scenarios[0].checks[0].verdicts})
    speaking = base.scenarios[0].checks[0].verdicts[0]
    louder = _set(_set(base, speaking.source, Verdict.NOT_MENTIONED), silent, Verdict.SUPPORTED)
    changes = {(c.source, c.before, c.after) for c in diff_results(base, louder).verdicts}
    assert changes == {
        (speaking.source, speaking.verdict, Verdict.NOT_MENTIONED),
        (silent, Verdict.NOT_MENTIONED, Verdict.SUPPORTED),
    }


def test_steps_of_one_scenario_joined_count_each_silent_source_once() -> None:
    wide = _record([_verdict("a", Verdict.SUPPORTED)], silent=49)  # 50 sources: a speaks, 49 silent
    single = _record([_verdict("b", Verdict.CONTRADICTED)])  # a step on one of the 49
    (row,) = merge_checks([wide, single])
    assert [v.source for v in row.verdicts] == ["a", "b"] and row.silent == 48
    (row,) = merge_checks([wide, wide])
    assert row.silent == 49
    (row,) = merge_checks([single, wide])
    assert [v.source for v in row.verdicts] == ["b", "a"] and row.silent == 48


def test_a_run_of_many_sources_writes_only_the_sources_that_speak(pytester: pytest.Pytester) -> None:
    story = pytester.path / "corpus" / "wide"
    story.mkdir(parents=True)
    for i in range(LISTED_SOURCES + 5):
        text = "The central bank raised interest rates on Tuesday." if i < 3 else f"Farmers sold {i} cows at market."
        (story / f"s{i:02}.txt").write_text(text + "\n", encoding="utf-8")
        (story / f"s{i:02}.json").write_text('{"published": "2025-03-17"}', encoding="utf-8")
    features = pytester.path / "features"
    features.mkdir()
    (features / "wide.feature").write_text(
        'Feature: Wide\n  Scenario: Rates\n    Given the sources of story "wide"\n'
        '    Then at least 2 sources support "The central bank raised interest rates"\n'
    )
    pytester.makepyprojecttoml('[tool.checks]\ncorpus = "corpus"\n')
    result = pytester.runpytest("features/", "-p", "no:cacheprovider")
    result.assert_outcomes(passed=1)
    result.stdout.fnmatch_lines(["claim × source verdicts: 3 supported, 42 not mentioned"])
    data = json.loads((pytester.path / "reports" / "results.json").read_text(encoding="utf-8"))
    (check,) = data["scenarios"][0]["checks"]
    assert [v["source"] for v in check["verdicts"]] == ["s00", "s01", "s02"] and check["silent"] == 42
    assert data["summary"]["verdicts"]["not_mentioned"] == 42
