"""`checks diff`: the comparison itself, and hostile text made inert in Markdown."""

from __future__ import annotations

import re

import pytest

from checks.models import Evidence, SectionKind, SourceVerdict
from checks.reports.diff import diff_results, render_markdown, render_text
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
    assert "| claim 0 | s2 | discussed | supported | BMW said so |" in render_markdown(changes)


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
