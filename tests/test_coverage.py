"""What no claim checks: check-worthy statements (checks.engine.coverage), the run's coverage (checks.coverage),
the report section, and `checks suggest` drafts that run green when pasted into the feature file."""

from __future__ import annotations

import json

import pytest

from checks.cli import main
from checks.engine.coverage import CHECK_WORTHY, groups, statements
from checks.models import SectionKind
from tests.factories import make_source, seed_project

LEEDS = (
    "Acme will close its Leeds plant in 2026, the company said on Monday.\n"
    "The plant employs 400 workers, according to the GMB union.\n"
    "It was a sunny day.\n"
    "“We are heartbroken,” said Jane Okafor, who has worked there since 1995.\n"
)
LEEDS_OTHER = (
    "The Leeds plant of Acme employs 450 workers and will close next year.\n"
    "Acme will close its Leeds plant in 2026, the company said on Monday.\n"
)


def test_a_statement_is_scored_with_its_reasons_and_its_place() -> None:
    source = make_source(LEEDS, "a", body_only=True)
    found = {s.quote: s for s in statements(source)}
    assert "It was a sunny day." not in found  # no figure, name or quote: nothing to check
    workers = found["The plant employs 400 workers, according to the GMB union."]
    assert workers.score >= CHECK_WORTHY and workers.section is SectionKind.BODY
    assert any("figure" in r for r in workers.reasons) and any("GMB" in r for r in workers.reasons)
    assert source.text[workers.start : workers.end] == workers.quote
    assert workers.text == "The plant employs 400 workers, according to the GMB union"  # a claim: no full stop
    quote = found["“We are heartbroken,” said Jane Okafor, who has worked there since 1995."]
    assert "quotes Jane Okafor" in quote.reasons


def test_a_dateline_is_not_part_of_the_claim() -> None:
    source = make_source("BEIJING (Reuters) - BMW will integrate Huawei HiCar into its cars in 2026.\n", body_only=True)
    [found] = statements(source)
    assert found.text == "BMW will integrate Huawei HiCar into its cars in 2026"
    assert found.quote.startswith("BEIJING (Reuters)")


def test_sources_giving_different_figures_come_first_and_the_same_statement_is_one_group() -> None:
    a = make_source(LEEDS, "a", body_only=True)
    b = make_source(LEEDS_OTHER, "b", body_only=True)
    found = groups([b, a], {})
    first = found[0]
    assert first.divergent and {s.source for s in first.statements} == {"a", "b"}
    assert {s.quote for s in first.statements} >= {"The plant employs 400 workers, according to the GMB union."}
    same = [g for g in found if not g.divergent and len(g.statements) == 2]
    assert [g.lead.text for g in same] == ["Acme will close its Leeds plant in 2026, the company said on Monday"]
    assert not any(g.covered for g in found)


def test_a_group_is_covered_only_when_evidence_touches_each_of_its_statements() -> None:
    a = make_source(LEEDS, "a", body_only=True)
    b = make_source(LEEDS_OTHER, "b", body_only=True)
    start = LEEDS.index("Acme will close")
    other = LEEDS_OTHER.index("Acme will close")
    half = {"a": [(start, start + 10)]}
    both = {"a": [(start, start + 10)], "b": [(other + 5, other + 20)]}
    key = "Acme will close its Leeds plant in 2026, the company said on Monday"
    assert not next(g for g in groups([a, b], half) if g.lead.text == key).covered
    assert next(g for g in groups([a, b], both) if g.lead.text == key).covered


def test_groups_are_deterministic_whatever_the_order_of_sources() -> None:
    a = make_source(LEEDS, "a", body_only=True)
    b = make_source(LEEDS_OTHER, "b", body_only=True)
    assert groups([a, b], {}) == groups([b, a], {})


def _suggest(project: pytest.Pytester, capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    capsys.readouterr()
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(project.path)
        code = main(["suggest", *args])
    out, err = capsys.readouterr()
    return code, out, err


def test_suggest_on_the_seed_drafts_what_the_feature_misses_and_the_drafts_run_green(
    pytester: pytest.Pytester, capsys: pytest.CaptureFixture[str]
) -> None:
    project = seed_project(pytester)
    code, out, err = _suggest(project, capsys, "bmw-huawei-2025", "--limit", "0")
    assert code == 0 and "no results at" in err  # before any run, nothing counts as covered
    everything = out.count("  @draft @id:")
    project.runpytest("features/").assert_outcomes(passed=15, xfailed=1)
    results = json.loads((project.path / "reports" / "results.json").read_text(encoding="utf-8"))
    open_groups = [g for g in results["unchecked"] if not g["covered"]]
    code, out, err = _suggest(project, capsys, "bmw-huawei-2025", "--limit", "0")
    assert code == 0 and err == ""
    drafts = out.count("  @draft @id:")
    assert 0 < drafts == len(open_groups) < everything  # the run's evidence covers some statements
    assert "Coverage read from reports/results.json" in out
    # a statement no shipped claim checks: the iDrive X / Android distinction of HarmonyOS NEXT
    assert "operates independently of Google’s Android architecture" in out
    feature = project.path / "features" / "bmw-huawei-2025.feature"
    feature.write_text(feature.read_text(encoding="utf-8") + "\n" + out, encoding="utf-8")
    # a new process: pytest-bdd keeps parsed feature files for the life of one
    project.runpytest_subprocess("features/").assert_outcomes(passed=15 + drafts, xfailed=1)
    html = (project.path / "reports" / "report.html").read_text(encoding="utf-8")
    assert '<section id="unchecked">' not in html  # every statement drafted is now checked


def test_suggest_shows_a_divergence_nobody_wrote_a_claim_for(
    pytester: pytest.Pytester, capsys: pytest.CaptureFixture[str]
) -> None:
    story = pytester.path / "corpus" / "leeds"
    story.mkdir(parents=True)
    for name, text in (("union", LEEDS), ("paper", LEEDS_OTHER)):
        (story / f"{name}.txt").write_text(text, encoding="utf-8")
        (story / f"{name}.json").write_text(json.dumps({"published": "2025-03-17"}), encoding="utf-8")
    features = pytester.path / "features"
    features.mkdir()
    (features / "leeds.feature").write_text(
        'Feature: Leeds\n  Background:\n    Given the sources of story "leeds"\n\n'
        '  Scenario: Closing\n    Then every source supports "Acme will close its Leeds plant in 2026"\n',
        encoding="utf-8",
    )
    (pytester.path / "pyproject.toml").write_text("[tool.checks]\n", encoding="utf-8")
    pytester.runpytest("features/").assert_outcomes(passed=1)
    html = (pytester.path / "reports" / "report.html").read_text(encoding="utf-8")
    section = html[html.index('<section id="unchecked">') : html.index('<section id="matrix">')]
    assert "Sources differ" in section and "400 workers" in section and "450 workers" in section
    code, out, _ = _suggest(pytester, capsys, "leeds", "--limit", "1")
    assert code == 0 and out.count("  @draft @id:") == 1 and "Scenario: Sources differ:" in out
    # the lead statement is the best scored, ties to the first source id: the paper's 450
    assert 'source "paper" supports "The Leeds plant of Acme employs 450 workers' in out
    assert 'source "union" contradicts "The Leeds plant of Acme employs 450 workers' in out
    (features / "leeds.feature").write_text((features / "leeds.feature").read_text(encoding="utf-8") + "\n" + out,
                                            encoding="utf-8")  # fmt: skip
    result = pytester.runpytest_subprocess("features/")
    result.assert_outcomes(passed=2)
    assert "supported by paper; contradicted by union" in result.stdout.str()  # the divergence, now on record


def test_suggest_refuses_an_unknown_story(pytester: pytest.Pytester, capsys: pytest.CaptureFixture[str]) -> None:
    project = seed_project(pytester)
    code, out, err = _suggest(project, capsys, "no-such-story")
    assert code == 1 and out == "" and 'story "no-such-story" has no sources' in err and "bmw-huawei-2025" in err
