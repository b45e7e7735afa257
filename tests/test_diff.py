"""`checks diff`: the comparison itself, and hostile text made inert in Markdown."""

from __future__ import annotations

import re

import pytest

from checks.models import Evidence, SectionKind, SourceVerdict
from checks.reports.diff import Cause, diff_results, render_markdown, render_text
from checks.reports.results import Results
from checks.reports.tables import markdown_table
from checks.verdicts import Verdict
from tests.synthetic import synthetic_results


def _flip(results: Results, source: str, verdict: Verdict, quote: str) -> Results:
    scenario = results.scenarios[0]
    check = scenario.checks[0]
    evidence = Evidence(quote=quote, start=0, end=len(quote), section=SectionKind.BODY)
    verdicts = [
        SourceVerdict(source=v.source, verdict=verdict, score=90, rule="r", evidence=evidence)
        if v.source == source
        else v
        for v in check.verdicts
    ]
    scenarios = [scenario.model_copy(update={"checks": [check.model_copy(update={"verdicts": verdicts})]})]
    return results.model_copy(update={"scenarios": scenarios + results.scenarios[1:]})


def test_identical_runs_have_no_changes() -> None:
    results, _ = synthetic_results(3, 3)
    changes = diff_results(results, results)
    assert changes.empty
    assert render_text(changes).startswith("no changes")


def test_a_flipped_verdict_is_named_with_its_quote() -> None:
    base, _ = synthetic_results(2, 3)
    new = _flip(base, "s2", Verdict.SUPPORTED, "BMW said so")
    changes = diff_results(base, new)
    assert [(c.claim, c.source, c.before, c.after, c.quote) for c in changes.verdicts] == [
        ("claim 0", "s2", Verdict.DISCUSSED, Verdict.SUPPORTED, "BMW said so")
    ]
    assert changes.headline().startswith("this update changes 1 verdict")
    row = "| claim 0 | s2 | discussed | supported | scenario setup changed | BMW said so (was: BMW will integrate"
    assert row in render_markdown(changes)


def _with_source(results: Results, source: str, **update: str) -> Results:
    sources = [s.model_copy(update=update) if s.id == source else s for s in results.sources]
    return results.model_copy(update={"sources": sources})


def test_a_verdict_change_says_whether_the_source_the_engine_or_the_settings_changed() -> None:
    base, _ = synthetic_results(2, 3)
    flipped = _flip(base, "s2", Verdict.SUPPORTED, "BMW said so")
    edited = _with_source(flipped, "s2", sha256="1" * 64)
    [change] = diff_results(base, edited).verdicts
    assert change.cause is Cause.SOURCE_EDITED
    assert "| source edited |" in render_markdown(diff_results(base, edited))
    other_engine = flipped.model_copy(update={"run": flipped.run.model_copy(update={"engine": "e" * 64})})
    assert diff_results(base, other_engine).verdicts[0].cause is Cause.ENGINE
    settings = flipped.model_copy(update={"run": flipped.run.model_copy(update={"configuration": {"engine": "rules"}})})
    assert diff_results(base, settings).verdicts[0].cause is Cause.CONFIGURATION
    assert diff_results(base, flipped).verdicts[0].cause is Cause.SETUP
    # a source edit explains the change before an engine change does
    both = _with_source(other_engine, "s2", sha256="1" * 64)
    assert diff_results(base, both).verdicts[0].cause is Cause.SOURCE_EDITED


def test_an_edited_quote_is_shown_beside_the_old_one() -> None:
    base = _flip(synthetic_results(2, 3)[0], "s2", Verdict.SUPPORTED, "BMW will use HiCar in 2026")
    new = _with_source(_flip(base, "s2", Verdict.CONTRADICTED, "BMW will use HiCar in 2027"), "s2", sha256="1" * 64)
    [change] = diff_results(base, new).verdicts
    assert (change.quote, change.quote_before) == ("BMW will use HiCar in 2027", "BMW will use HiCar in 2026")
    assert "BMW will use HiCar in 2027 (was: BMW will use HiCar in 2026)" in render_text(diff_results(base, new))


def test_sources_and_claims_added_and_removed() -> None:
    base, _ = synthetic_results(2, 2)
    new, _ = synthetic_results(3, 3)
    changes = diff_results(base, new)
    assert changes.sources_added == ["s2"] and changes.sources_removed == []
    assert [c.claim for c in changes.claims_added] == ["claim 2"]
    assert diff_results(new, base).sources_removed == ["s2"]


def test_hostile_quotes_are_inert_in_markdown() -> None:
    base, _ = synthetic_results(1, 2)
    new = _flip(base, "s0", Verdict.CONTRADICTED, "a | b <script>alert(1)</script> [x](javascript:y) `z`\n# h @all")
    markdown = render_markdown(diff_results(base, new))
    assert "<script>" not in markdown and "[x](javascript:" not in markdown and "\n# h" not in markdown
    assert "a &#124; b &lt;script&gt;" in markdown and "@\u200ball" in markdown
    assert markdown_table(["a|b"], [["x\ny"]]).splitlines() == ["| a&#124;b |", "|---|", "| x y |"]


@pytest.mark.parametrize(
    "quote",
    [
        "already escaped \\| pipe",
        "two \\\\| backslashes",
        "trailing backslash \\",
        "| leading pipe",
        "see https://evil.example/login or www.evil-example.com, HTTP://X.example, mail a@b.example",
    ],
)
def test_untrusted_cells_keep_every_row_its_cells_and_make_no_links(quote: str) -> None:
    """GitHub splits a row on every pipe not escaped by a backslash, before reading escapes, and links URLs and
    www. names on its own: every row keeps the header's cell count, and no scheme or www. is left to link."""
    base, _ = synthetic_results(1, 2)
    markdown = render_markdown(diff_results(base, _flip(base, "s0", Verdict.CONTRADICTED, quote)))
    rows = [line for line in markdown.splitlines() if line.startswith("|")]
    assert rows and len({line.count("|") for line in rows}) == 1
    assert not re.search(r"(?i)(https?://|www\.|ftp://)", markdown)


def test_the_why_of_a_regression_is_the_rule_and_the_quote_not_a_flattened_table() -> None:
    from checks.reports.text import format_table
    from checks.verdicts import Outcome

    base, _ = synthetic_results(1, 2)
    flipped = _flip(base, "s0", Verdict.CONTRADICTED, "The bank cut rates, the minutes show.")
    scenario = flipped.scenarios[0]
    check = scenario.checks[0].model_copy(
        update={"passed": False, "failing_sources": ["s0"], "expected": "expected every source to support claim 0"}
    )
    failed = scenario.model_copy(
        update={"outcome": Outcome.FAILED, "checks": [check], "message": format_table(check.verdicts)}
    )
    changes = diff_results(base, flipped.model_copy(update={"scenarios": [failed]}))
    [regression] = changes.regressions
    assert regression.message == (
        'expected every source to support claim 0 — s0: contradicted (r) "The bank cut rates, the minutes show."'
    )
    assert "-----" not in render_markdown(changes) and "quote / rule" not in render_text(changes)
