"""`pytest features/` end to end, through pytest itself (pytester), on tiny projects and the seed."""

from __future__ import annotations

import json
import re
import shutil
import xml.etree.ElementTree as ET
from pathlib import Path

import jsonschema
import pytest

from checks.schemas import load_schema
from tests.conftest import FEATURE
from tests.factories import seed_project, stable_results


def test_runs_features_and_writes_every_report(project: pytest.Pytester) -> None:
    result = project.runpytest("features/")
    result.assert_outcomes(passed=2)
    result.stdout.fnmatch_lines(
        [
            "*checks*",
            "scenarios: 2 passed",
            "claim × source verdicts: 2 supported, 2 contradicted",
            "report: *report.html",
        ]
    )
    reports = project.path / "reports"
    assert sorted(p.name for p in reports.iterdir()) == sorted(
        ["results.json", "report.html", "junit.xml", "cucumber.json", "claimreview.jsonld"]
    )
    results = json.loads((reports / "results.json").read_text(encoding="utf-8"))
    jsonschema.validate(results, load_schema("results.schema.json"))
    ids = [s["claim_id"] for s in results["scenarios"]]
    assert ids[0] == "rates" and ids[1].startswith("c-")


def test_a_failing_claim_fails_with_a_readable_table(project: pytest.Pytester) -> None:
    (project.path / "features" / "tiny.feature").write_text(
        FEATURE.replace('no source supports "The central bank cut', 'every source supports "The central bank cut'),
        encoding="utf-8",
    )
    result = project.runpytest("features/")
    result.assert_outcomes(passed=1, failed=1)
    result.stdout.fnmatch_lines(
        [
            "*tiny.feature:10: expected every source to support*",
            "*wire*contradicted*raised interest rates*",
            "*direction differs*",
        ]
    )
    assert "Traceback" not in result.stdout.str()
    junit = ET.parse(project.path / "reports" / "junit.xml").getroot()
    [failure] = junit.iter("failure")
    assert "contradicted" in (failure.text or "")
    names = {p.get("name") for p in junit.iter("property")}
    assert "Rates went up (line 6) · claim 1 · wire" in names


def test_known_divergence_passes_and_shows(project: pytest.Pytester) -> None:
    feature = FEATURE.replace(
        "  Scenario: Wrong direction\n    Then no source supports",
        "  @known-divergence\n  Scenario: Wrong direction\n    Then every source supports",
    )
    (project.path / "features" / "tiny.feature").write_text(feature, encoding="utf-8")
    result = project.runpytest("features/")
    result.assert_outcomes(passed=1, xfailed=1)
    results = json.loads((project.path / "reports" / "results.json").read_text(encoding="utf-8"))
    assert [s["outcome"] for s in results["scenarios"]] == ["passed", "known_divergence"]


def test_known_divergence_that_no_longer_diverges_fails(project: pytest.Pytester) -> None:
    feature = FEATURE.replace("  Scenario: Wrong direction", "  @known-divergence\n  Scenario: Wrong direction")
    (project.path / "features" / "tiny.feature").write_text(feature, encoding="utf-8")
    result = project.runpytest("features/")
    result.assert_outcomes(passed=1, failed=1)
    results = json.loads((project.path / "reports" / "results.json").read_text(encoding="utf-8"))
    assert "no longer diverge" in results["scenarios"][1]["message"]


def test_duplicate_scenario_names_are_an_error(project: pytest.Pytester) -> None:
    feature = FEATURE + '\n  Scenario: Rates went up\n    Then every source supports "Rates went up"\n'
    (project.path / "features" / "tiny.feature").write_text(feature, encoding="utf-8")
    result = project.runpytest("features/")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(['*tiny.feature:12: scenario name "Rates went up" is already used on line 6*'])


def test_docstring_claims(project: pytest.Pytester) -> None:
    feature = FEATURE.replace(
        'Then every source supports "The central bank raised interest rates"',
        'Then every source supports:\n      """\n      The "central bank" raised interest rates\n      """',
    )
    (project.path / "features" / "tiny.feature").write_text(feature, encoding="utf-8")
    project.runpytest("features/").assert_outcomes(passed=2)


def test_options_choose_corpus_and_reports(project: pytest.Pytester) -> None:
    shutil.move(project.path / "corpus", project.path / "elsewhere")
    result = project.runpytest("features/", "--checks-corpus=elsewhere", "--checks-reports=out")
    result.assert_outcomes(passed=2)
    assert (project.path / "out" / "report.html").is_file()


@pytest.mark.slow
def test_same_results_twice_and_with_xdist(project: pytest.Pytester) -> None:
    """Byte-identical reports apart from the documented run times: run, run again, run with -n 2."""
    project.runpytest_subprocess("features/").assert_outcomes(passed=2)
    serial = _stable(project.path / "reports")
    project.runpytest_subprocess("features/").assert_outcomes(passed=2)
    assert _stable(project.path / "reports") == serial
    project.runpytest_subprocess("features/", "-n", "2").assert_outcomes(passed=2)
    assert _stable(project.path / "reports") == serial
    cucumber = json.loads((project.path / "reports" / "cucumber.json").read_text(encoding="utf-8"))
    assert len(cucumber[0]["elements"]) == 2


def _stable(reports: Path) -> dict[str, str]:
    files = {}
    for path in sorted(reports.iterdir()):
        text = path.read_text(encoding="utf-8")
        if path.name == "results.json":
            text = json.dumps(stable_results(path))
        if path.name == "report.html":
            text = "\n".join(line for line in text.splitlines() if 'class="run"' not in line)
        if path.name == "junit.xml":
            text = re.sub(r' (time|timestamp)="[^"]*"', "", text)
        files[path.name] = text
    return files


def test_seed_story_end_to_end(pytester: pytest.Pytester) -> None:
    seed_project(pytester)
    result = pytester.runpytest("features/")
    result.assert_outcomes(passed=15, xfailed=1)
    result.stdout.fnmatch_lines(
        [
            "*Which Huawei system goes into China-made BMWs: HarmonyOS NEXT — harmonyos-neue-klasse;"
            " HiCar — reuters-via-gbaf [[]known]"
        ]
    )
    html = (pytester.path / "reports" / "report.html").read_text(encoding="utf-8")
    divergences = html.index('id="divergences"')
    assert html.index("HiCar", divergences) < html.index('id="matrix"')
    assert "BMW Group will integrate Huawei HiCar" in html[divergences : html.index('id="matrix"')]


def test_every_claim_of_a_scenario_is_checked_and_all_failures_are_reported(project: pytest.Pytester) -> None:
    """Soft assertions: a scenario used to stop at its first failing claim, so later claims went unchecked and the
    counts changed as steps were fixed one by one."""
    (project.path / "features" / "tiny.feature").write_text(
        'Feature: Tiny story\n  Background:\n    Given the sources of story "tiny"\n\n'
        "  Scenario: Three claims\n"
        '    Then every source supports "The central bank cut interest rates"\n'
        '    And every source supports "The central bank raised interest rates"\n'
        '    And no source supports "The central bank raised interest rates"\n',
        encoding="utf-8",
    )
    result = project.runpytest("features/")
    result.assert_outcomes(failed=1)
    output = result.stdout.str()
    assert "tiny.feature:6: expected every source to support" in output
    assert "tiny.feature:8: expected no source to support" in output
    [scenario] = json.loads((project.path / "reports" / "results.json").read_text(encoding="utf-8"))["scenarios"]
    assert [c["passed"] for c in scenario["checks"]] == [False, True, False]
    assert [s["status"] for s in scenario["steps"]] == ["passed", "failed", "passed", "failed"]


def test_checks_debug_shows_how_each_claim_is_read(project: pytest.Pytester) -> None:
    (project.path / "features" / "tiny.feature").write_text(
        FEATURE.replace("Then no source supports", "Then no source supports").replace(
            "The central bank cut interest rates", "The central bank did not cut interest rates in 2025"
        ),
        encoding="utf-8",
    )
    output = project.runpytest("features/", "--checks-debug", "-rA").stdout.str()
    assert "claim parse" in output
    assert "claim: The central bank did not cut interest rates in 2025" in output
    assert "values: 2025 (year)" in output and "polarity: negated (not)" in output
    assert "claim parse" not in project.runpytest("features/", "-rA").stdout.str()


def test_independent_sources_count_copies_once(project: pytest.Pytester) -> None:
    story = project.path / "corpus" / "tiny"
    wire = "The central bank raised interest rates on Tuesday.\nIt said inflation kept rising all year.\n"
    (story / "copy.txt").write_text("Share this article.\n" + wire, encoding="utf-8")
    (story / "wire.txt").write_text(wire, encoding="utf-8")
    (story / "copy.json").write_text(json.dumps({"published": "2025-03-17"}), encoding="utf-8")
    (project.path / "features" / "tiny.feature").write_text(
        'Feature: Tiny story\n  Background:\n    Given the sources of story "tiny"\n\n'
        '  Scenario: Three sources\n    Then at least 3 sources support "The central bank raised interest rates"\n\n'
        "  Scenario: Two voices\n"
        '    Then at least 2 independent sources support "The central bank raised interest rates"\n\n'
        "  Scenario: Three voices\n"
        '    Then at least 3 independent sources support "The central bank raised interest rates"\n',
        encoding="utf-8",
    )
    result = project.runpytest("features/")
    result.assert_outcomes(passed=2, failed=1)
    assert "expected at least 3 independent source(s) to support" in result.stdout.str()
    assert "(found 2: copy (copy, wire); paper)" in result.stdout.str()


def test_within_source_consistency_step_and_front_matter_report(project: pytest.Pytester) -> None:
    """A source whose headline and summary say 2027 where its body says 2026: the step fails for it alone, and
    the automatic check lists its front-matter statements with the body's verdicts, escaped in the HTML."""
    from tests.test_consistency import PLANT

    story = project.path / "corpus" / "tiny"
    (story / "plant.txt").write_text(PLANT.replace("Leeds plant in 2027\n", "Leeds plant in 2027 <b>now</b>\n", 1),
                                     encoding="utf-8")  # fmt: skip
    (story / "plant.json").write_text(json.dumps({"published": "2025-03-17"}), encoding="utf-8")
    (project.path / "features" / "tiny.feature").write_text(
        'Feature: Tiny story\n  Background:\n    Given the sources of story "tiny"\n\n'
        "  Scenario: Rates, consistently\n"
        '    Then every source is consistent about "The central bank raised interest rates"\n\n'
        "  Scenario: The closing year, consistently\n"
        '    Then every source is consistent about "Acme will close its Leeds plant in 2027"\n',
        encoding="utf-8",
    )
    result = project.runpytest("features/")
    result.assert_outcomes(passed=1, failed=1)
    out = result.stdout.str()
    assert "expected every source's headline, summary and FAQ to agree with its body" in out
    assert "(inconsistent: plant)" in out
    assert "front matter: " in out and "the body does not support (3 contradicted)" in out
    results = json.loads((project.path / "reports" / "results.json").read_text(encoding="utf-8"))
    jsonschema.validate(results, load_schema("results.schema.json"))
    [failed] = [s for s in results["scenarios"] if s["outcome"] == "failed"]
    [check] = failed["checks"]
    assert check["kind"] == "every_source_consistent" and check["failing_sources"] == ["plant"]
    [plant] = [v for v in check["verdicts"] if v["source"] == "plant"]
    assert plant["verdict"] == "contradicted" and plant["rule"].startswith("inconsistent:")
    assert "Leeds plant in 2027 <b>now</b>" in plant["rule"] and plant["evidence"]["section"] == "body"
    front = results["front_matter"]
    assert {f["source"] for f in front} == {"plant"}  # the one-line sources have no front matter
    by_quote = {f["statement"]["quote"]: f for f in front}
    assert by_quote["Acme will close its Leeds plant in 2027."]["body"]["verdict"] == "contradicted"
    html = (project.path / "reports" / "report.html").read_text(encoding="utf-8")
    section = html[html.index('<section id="front-matter">') : html.index('<section id="matrix">')]
    assert "(3 not supported)" in section
    assert "&lt;b&gt;now&lt;/b&gt;" in section and "<b>now</b>" not in html
    assert section.index("contradicts it") < section.index("supports it")  # what the body contradicts first


def test_the_seed_sources_are_two_independent_voices(pytester: pytest.Pytester) -> None:
    project = seed_project(pytester)
    project.runpytest("features/")
    results = json.loads((project.path / "reports" / "results.json").read_text(encoding="utf-8"))
    assert [(entry["name"], entry["sources"], entry["copies"]) for entry in results["lineages"]] == [
        ("harmonyos-neue-klasse", ["harmonyos-neue-klasse"], []),
        ("Reuters", ["reuters-via-gbaf"], []),
    ]
    html = (project.path / "reports" / "report.html").read_text(encoding="utf-8")
    assert "2 independent voice(s): harmonyos-neue-klasse; reuters-via-gbaf (origin Reuters)" in html


def test_a_republished_copy_of_the_reuters_story_is_one_voice_with_it_in_every_report(
    pytester: pytest.Pytester,
) -> None:
    project = seed_project(pytester)
    story = project.path / "corpus" / "bmw-huawei-2025"
    reuters = (story / "reuters-via-gbaf.txt").read_text(encoding="utf-8")
    added = "The carmaker's shares rose 2% in Frankfurt after the announcement, a trader said."
    masthead = "Motor News Daily\n\nShare this article\n\n"
    copy = masthead + reuters.replace("Related Articles", added + "\n\nRelated Articles")
    (story / "motor-news-copy.txt").write_text(copy, encoding="utf-8")
    (story / "motor-news-copy.json").write_text(
        json.dumps({"published": "2025-03-18", "publisher": "Motor News Daily", "title": "BMW and Huawei"}),
        encoding="utf-8",
    )
    project.runpytest("features/")
    results = json.loads((project.path / "reports" / "results.json").read_text(encoding="utf-8"))
    jsonschema.validate(results, load_schema("results.schema.json"))
    [lineage, other] = sorted(results["lineages"], key=lambda entry: -len(entry["sources"]))
    assert lineage["name"] == "Reuters" and lineage["sources"] == ["motor-news-copy", "reuters-via-gbaf"]
    assert other["sources"] == ["harmonyos-neue-klasse"] and other["copies"] == []
    [pair] = lineage["copies"]
    assert pair["source"] == "motor-news-copy" and pair["of"] == "reuters-via-gbaf"
    assert added in pair["added"] and pair["left_out_count"] == 0
    html = (project.path / "reports" / "report.html").read_text(encoding="utf-8")
    section = html[html.index('<section id="lineages">') : html.index('<section id="sources">')]
    assert "2 independent voice(s): harmonyos-neue-klasse; Reuters (motor-news-copy, reuters-via-gbaf)" in section
    assert "motor-news-copy copies reuters-via-gbaf" in section and "It adds 1 sentence(s)" in section
    assert "trader said" in section
