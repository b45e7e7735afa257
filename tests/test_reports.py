"""Reports: golden files (``pytest --update-goldens`` rewrites them), schema validation, JUnit and
ClaimReview read back, hostile text escaped."""

from __future__ import annotations

import gc
import itertools
import json
import os
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import jsonschema
import pytest
from hypothesis import given
from hypothesis import strategies as st

from checks.models import Evidence, SectionKind, SourceMetadata, SourceVerdict
from checks.reports.html import render_html, safe_url
from checks.reports.junit import render_junit
from checks.reports.records import CheckRecord, StepResult
from checks.reports.results import Results, RunInfo, ScenarioResult, SourceEntry, summarize
from checks.reports.writers import REPORT_FILES, write_reports
from checks.schemas import load_schema
from checks.verdicts import Outcome, Verdict
from tests.conftest import ROOT
from tests.factories import seed_project
from tests.synthetic import synthetic_results

GOLDENS = Path(__file__).parent / "goldens"


def _normalize_json(text: str) -> str:
    data = json.loads(text)
    data["run"].update(started="<started>", finished="<finished>", duration_seconds=0, versions={}, engine="<engine>")
    for scenario in data["scenarios"]:
        scenario["duration_seconds"] = 0
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def _normalize_html(text: str) -> str:
    return re.sub(r'<p class="run">.*?</p>', '<p class="run">(run details)</p>', text)


def _check_golden(request: pytest.FixtureRequest, name: str, text: str) -> None:
    path = GOLDENS / name
    if request.config.getoption("--update-goldens"):
        path.write_text(text, encoding="utf-8")
        return
    assert path.is_file(), f"missing golden {path}; run pytest --update-goldens"
    assert text == path.read_text(encoding="utf-8"), f"{name} changed; if intended, run pytest --update-goldens"


def test_seed_reports_match_goldens_and_validate(pytester: pytest.Pytester, request: pytest.FixtureRequest) -> None:
    seed_project(pytester)
    pytester.runpytest("features/").assert_outcomes(passed=15, xfailed=1)
    reports = pytester.path / "reports"
    results = json.loads((reports / "results.json").read_text(encoding="utf-8"))
    jsonschema.validate(results, load_schema("results.schema.json"))
    for source in results["sources"]:
        jsonschema.validate(source["metadata"], load_schema("source.schema.json"))
    _check_golden(request, "results.json", _normalize_json((reports / "results.json").read_text(encoding="utf-8")))
    _check_golden(request, "report.html", _normalize_html((reports / "report.html").read_text(encoding="utf-8")))

    junit = ET.parse(reports / "junit.xml").getroot()
    cases = list(junit.iter("testcase"))
    assert len(cases) == 16
    suite = junit.find("testsuite")
    assert suite is not None and suite.get("tests") == "16" and suite.get("skipped") == "1"
    known = next(c for c in cases if c.get("name") == "Which Huawei system goes into China-made BMWs")
    assert known.find("skipped") is not None
    props = {p.get("name"): p.get("value") for p in junit.iter("property")}
    scenario = f"Which Huawei system goes into China-made BMWs (line {results['scenarios'][1]['line']})"
    assert props[f"{scenario} · claim id"] == "huawei-system"
    assert props[f"{scenario} · claim 1 · reuters-via-gbaf"].startswith("supported")
    _assert_valid_junit(reports / "junit.xml", tests=16, failures=0, errors=0, skipped=1)

    cucumber = json.loads((reports / "cucumber.json").read_text(encoding="utf-8"))
    assert sum(len(f["elements"]) for f in cucumber) == 16

    claimreview = json.loads((reports / "claimreview.jsonld").read_text(encoding="utf-8"))
    texts = {p.stem: p.read_text(encoding="utf-8") for p in (ROOT / "corpus" / "bmw-huawei-2025").glob("*.txt")}
    graph = claimreview["@graph"]
    reviews = [n for n in graph if n.get("@type") == "ClaimReview"]
    # A source that does not mention a claim has no appearance of it to review.
    assert {r["reviewRating"]["alternateName"] for r in reviews} == {v.value for v in Verdict} - {"not_mentioned"}
    for annotation in (n for n in graph if n.get("type") == "Annotation"):
        quote, position = annotation["target"]["selector"]
        text = texts[annotation["id"].rsplit("/", 1)[1]]
        assert text[position["start"] : position["end"]] == quote["exact"]
        assert text[: position["start"]].endswith(quote["prefix"])
        assert text[position["end"] :].startswith(quote["suffix"])


SCHEMAS = Path(__file__).parent / "schemas"


def _assert_valid_junit(path: Path, *, tests: int, failures: int, errors: int, skipped: int) -> None:
    """Valid against the Jenkins xunit plugin's schema and the Ant schema, and read by junitparser as we meant."""
    import junitparser
    import xmlschema

    for schema in ("jenkins-junit-10.xsd", "ant-junit.xsd"):
        xmlschema.XMLSchema(SCHEMAS / schema).validate(path)
    xml = junitparser.JUnitXml.fromfile(str(path))
    [suite] = list(xml)
    assert (suite.tests, suite.failures, suite.errors, suite.skipped) == (tests, failures, errors, skipped)
    cases = list(suite)
    assert all(case.time is not None and case.time >= 0 for case in cases)
    outcomes = [type(r).__name__ for case in cases for r in case.result]
    assert (outcomes.count("Failure"), outcomes.count("Error"), outcomes.count("Skipped")) == (
        failures,
        errors,
        skipped,
    )


def test_junit_with_failures_errors_waivers_and_an_expired_waiver_is_valid(tmp_path: Path) -> None:
    from datetime import date

    from checks.waivers import Waiver, WaiverState, WaiverStatus

    results, _ = synthetic_results(6, 2)
    outcomes = [Outcome.PASSED, Outcome.FAILED, Outcome.ERROR, Outcome.KNOWN_DIVERGENCE, Outcome.WAIVED, Outcome.FAILED]
    scenarios = [
        s.model_copy(update={"outcome": o, "message": f"{o.value}: why", "duration_seconds": 0.25 * i})
        for i, (s, o) in enumerate(zip(results.scenarios, outcomes, strict=True))
    ]
    waiver = Waiver(
        claim="c-1", source="*", reason="The desk accepted it", reviewer="J. Editor", expires=date(2001, 1, 1)
    )
    expired = WaiverStatus(number=1, label=waiver.label(1), waiver=waiver, state=WaiverState.EXPIRED)
    results = results.model_copy(update={"scenarios": scenarios, "summary": summarize(scenarios), "waivers": [expired]})
    path = tmp_path / "junit.xml"
    path.write_bytes(render_junit(results))
    _assert_valid_junit(path, tests=7, failures=3, errors=1, skipped=2)
    assert 'name="waiver #1 (claim c-1, source *)"' in path.read_text(encoding="utf-8")
    assert 'time="1.250"' in path.read_text(encoding="utf-8")


PAYLOADS = [
    "<script>document.title='PWNED'</script>",
    "<img src=x onerror=\"document.title='PWNED'\">",
    '"><svg onload=alert(1)>',
    "</textarea><script>alert(1)</script>",
    '<a href="javascript:alert(1)">click</a>',
    "' onmouseover='alert(1)",
    "{{ 7*7 }} {% raw %}",
]


def hostile_results() -> tuple[Results, dict[str, str]]:
    text = "\n".join(f"Payload {i}: {p}" for i, p in enumerate(PAYLOADS)) + "\n"
    verdicts = [
        SourceVerdict(
            source="evil",
            verdict=Verdict.SUPPORTED,
            score=90,
            rule=PAYLOADS[1],
            evidence=Evidence(quote=text[0:40], start=0, end=40, section=SectionKind.BODY),
            values=[PAYLOADS[2]],
        ),
    ]
    check = CheckRecord(
        step=PAYLOADS[3],
        kind="record",
        claim=PAYLOADS[0],
        expected=PAYLOADS[4],
        passed=False,
        message=PAYLOADS[5],
        divergence=PAYLOADS[6],
        line=3,
        verdicts=verdicts,
    )
    scenario = ScenarioResult(
        feature="features/x.feature",
        feature_name=PAYLOADS[0],
        name=PAYLOADS[1],
        line=2,
        claim_id="c-1",
        tags=[],
        outcome=Outcome.FAILED,
        message=PAYLOADS[2],
        steps=[StepResult(keyword="Then", text=PAYLOADS[0], line=3)],
        checks=[check],
    )
    meta = SourceMetadata(title=PAYLOADS[0], publisher=PAYLOADS[1], author=PAYLOADS[3])
    source = SourceEntry(
        id="evil", story="evil", path="evil/evil.txt", sha256="0" * 64, characters=len(text), metadata=meta
    )
    run = RunInfo(
        versions={},
        configuration={},
        corpus="corpus",
        corpus_hash="0" * 64,
        started="s",
        finished="f",
        duration_seconds=0.0,
    )
    return Results(run=run, sources=[source], scenarios=[scenario], summary=summarize([scenario])), {"evil": text}


@pytest.mark.parametrize("wide_limit", [40, 0], ids=["matrix", "wide"])
def test_hostile_text_is_escaped_everywhere(wide_limit: int) -> None:
    results, texts = hostile_results()
    html = render_html(results, texts, wide_limit=wide_limit).lower()
    assert ('<table class="matrix wide">' in html) == (wide_limit == 0)
    for tag in ("<script", "<img", "<svg", "<textarea"):
        assert tag not in html
    assert "&lt;script&gt;document.title=&#39;pwned&#39;&lt;/script&gt;" in html
    assert "javascript:" not in re.findall(r'href="([^"]*)"', html)
    assert not [a for a in re.findall(r"<[a-z]+[^>]*>", html) if " on" in a.split('"')[0]]
    assert "script-src 'none'" in html
    assert "{{ 7*7 }}" in html  # claim text is data, never a template


def test_only_http_urls_become_links() -> None:
    assert safe_url("https://example.org/a") == "https://example.org/a"
    for bad in ("javascript:alert(1)", "data:text/html,x", "JaVaScRiPt:alert(1)", "//evil", None, 'https://a"b'):
        assert safe_url(bad) is None


def test_reports_are_all_or_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    results, texts = hostile_results()
    write_reports(results, tmp_path, texts)
    before = {name: (tmp_path / name).read_bytes() for name in REPORT_FILES}

    def broken(*_: object) -> str:
        raise RuntimeError("renderer crashed")

    monkeypatch.setattr("checks.reports.writers.render_claimreview", broken)
    with pytest.raises(RuntimeError):
        write_reports(results, tmp_path, texts)
    assert gc.isenabled()  # turned off while rendering, back on even after a crash
    assert {name: (tmp_path / name).read_bytes() for name in REPORT_FILES} == before
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(REPORT_FILES)


_RENDER = """
import hashlib, sys
sys.path.insert(0, sys.argv[1])
from checks.reports.writers import render_reports
from tests.test_reports import hostile_results
results, texts = hostile_results()
for name, data in sorted(render_reports(results, texts).items()):
    print(name, hashlib.sha256(data).hexdigest())
"""


def test_rendering_is_the_same_in_every_process() -> None:
    """Byte-identical reports from two processes with different hash seeds (set and dict orders differ)."""
    outputs = []
    for seed in ("1", "2"):
        done = subprocess.run(
            [sys.executable, "-c", _RENDER, str(ROOT)], env={**os.environ, "PYTHONHASHSEED": seed},
            capture_output=True, text=True, check=True,
        )  # fmt: skip
        outputs.append(done.stdout)
    assert outputs[0] == outputs[1] and len(outputs[0].splitlines()) == len(REPORT_FILES)


def test_many_sources_list_the_sources_that_speak_and_count_the_silent_ones() -> None:
    results, texts = synthetic_results(claims=2, sources=8)
    matrix = render_html(results, texts, wide_limit=8)
    wide = render_html(results, texts, wide_limit=7)
    assert '<table class="matrix wide">' in wide and '<table class="matrix wide">' not in matrix
    assert 'href="#source-s0"' in matrix and '<th scope="col"><a href="#source-' not in wide  # no column per source
    for row in re.findall(r'<tr id="claim-[^"]*".*?</tr>', wide, re.S):
        assert "– 2 not mentioned" in row  # two of the eight sources are silent on each claim
        said = re.findall(r'class="v-(\w+) said"', row)
        assert said[:-1] == sorted(said[:-1], key=["supported", "contradicted", "discussed"].index)
        for anchor in re.findall(r'<a href="#(ev-claim-[^"]+)">', row):
            assert f'<span id="{anchor}"></span><mark' in wide  # each lands on its highlighted quote
    assert "8 sources are too many for a matrix" in wide


def test_large_reports_keep_the_matrix_compact_and_link_each_cell_to_its_evidence() -> None:
    results, texts = synthetic_results(claims=3, sources=4)
    inline = render_html(results, texts, inline_limit=1_000)
    assert 'class="cell-detail"' in inline and "<details><summary>" in inline
    compact = render_html(results, texts, inline_limit=5)
    assert 'class="cell-detail"' not in compact and "<details><summary>" not in compact
    links = re.findall(r'<a href="#(ev-claim-[^"]+)">', compact)
    assert len(links) == 9  # the three not-mentioned cells of 12 have no evidence
    for anchor in links:
        assert f'<span id="{anchor}"></span><mark' in compact  # each lands on its highlighted quote
    assert 'title="body · rule contradicted"' in compact
    assert "9 evidence quotes, so the matrix is compact" in compact
    assert len(compact) < len(inline)


@pytest.mark.parametrize("url", ["javascript:alert(1)", "data:text/html,<script>alert(1)</script>", " javascript:x"])
def test_a_hostile_url_that_slipped_past_validation_never_becomes_a_link(url: str) -> None:
    results, texts = hostile_results()
    meta = SourceMetadata.model_construct(url=url, title="t")  # bypasses validation, as a corrupted file might
    source = results.sources[0].model_copy(update={"metadata": meta})
    results = results.model_copy(update={"sources": [source]})
    html = render_html(results, texts)
    assert all(h.startswith("#") for h in re.findall(r'href="([^"]*)"', html))
    assert "alert(1)" in html  # shown as text


@given(
    st.text(alphabet="ab .", min_size=1, max_size=40),
    st.lists(st.tuples(st.integers(0, 40), st.integers(0, 40)), max_size=8),
)
def test_evidence_pieces_list_every_covering_mark_in_row_order(text: str, ranges: list[tuple[int, int]]) -> None:
    """The sweep that cuts a source into pieces gives what looking every mark up for every piece gives."""
    from checks.reports.html import _spans

    size = len(text)
    marks = [
        (min(a, b, size), min(max(a, b), size), f"c{i}", f"r{i}", "supported", f"claim {i}")
        for i, (a, b) in enumerate(ranges)
    ]
    cuts = sorted({0, size, *(m[0] for m in marks), *(m[1] for m in marks)})
    expected = [
        (
            text[lo:hi],
            [(m[2], m[3], m[4]) for m in marks if m[0] <= lo and hi <= m[1]],
            [m[2] for m in marks if m[0] == lo],
        )
        for lo, hi in itertools.pairwise(cuts)
    ]
    assert [(s.text, s.refs, s.starts) for s in _spans(text, marks)] == expected


def test_failure_tables_keep_the_words_that_decided() -> None:
    """A long quote used to be cut just before the decisive name ("…The tank at Terminal 3 is …")."""
    from checks.reports.text import format_table

    quote = (
        "The tank at Terminal 3 is, according to port records seen by reporters and confirmed by two officials "
        "who asked not to be named because they were not authorised to speak, operated by Brightwater Logistics."
    )
    verdict = SourceVerdict(
        source="port",
        verdict=Verdict.CONTRADICTED,
        score=75,
        rule="names Brightwater Logistics as the operator, not Norvane",
        evidence=Evidence(quote=quote, start=0, end=len(quote), section=SectionKind.BODY),
    )
    table = format_table([verdict])
    assert "Brightwater Logistics" in table.splitlines()[2]
    assert len(table.splitlines()[2]) < 200


def test_the_source_view_labels_each_quote_once_with_its_claim_and_shows_mixed_evidence() -> None:
    """Evidence across a paragraph break used to leave highlighted blanks and repeat its label on every piece;
    a sentence that was evidence for two verdicts showed one colour; labels named the verdict, not the claim."""
    results, _ = synthetic_results(2, 1)
    text = "Rates rose on Tuesday.\n\nThe bank said so in a statement.\n"
    second = text.index("The bank")
    spans = [(0, len(text) - 1, Verdict.SUPPORTED), (second, len(text) - 1, Verdict.CONTRADICTED)]
    scenarios = []
    for scenario, (start, end, verdict) in zip(results.scenarios, spans, strict=True):
        evidence = Evidence(quote=text[start:end], start=start, end=end, section=SectionKind.BODY)
        check = scenario.checks[0].model_copy(
            update={"verdicts": [SourceVerdict(source="s0", verdict=verdict, score=80, rule="r", evidence=evidence)]}
        )
        scenarios.append(scenario.model_copy(update={"checks": [check]}))
    html = render_html(results.model_copy(update={"scenarios": scenarios}), {"s0": text})
    view = html[html.index('<div class="source-text">') :]
    view = view[: view.index("</div>")]
    assert view.count("[supported: claim 0]") == 1 and view.count("[contradicted: claim 1]") == 1
    assert '<mark class="ev-mixed"' in view
    assert not re.search(r"<mark[^>]*>\s*</mark>", view)
