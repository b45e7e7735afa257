"""Within-source consistency (checks.engine.consistency): headline, summary and FAQ read against the body."""

from __future__ import annotations

import pytest

from checks.corpus import load_corpus
from checks.engine import AliasTable, Engine
from checks.engine.consistency import BODY, FRONT, consistency, front_matter, front_statements, view
from checks.models import SectionKind
from checks.verdicts import Verdict
from tests.factories import ROOT, make_source

# A story whose headline and summary say 2027 where its body says 2026.
PLANT = (
    "Acme to close its Leeds plant in 2027\n\n"
    "Acme will close its Leeds plant in 2026, the company said on Monday.\n"
    "About 400 workers are employed at the site, which opened in 1988.\n"
    "The company said the closure was part of a wider cost review.\n\n"
    "Key Takeaways\n\n"
    "  • Acme will close its Leeds plant in 2027.\n"
    "  • About 400 workers are employed at the site.\n\n"
    "Frequently Asked Questions\n\n"
    "When will the plant close?\n"
    "The plant will close in 2027.\n"
)


@pytest.fixture(scope="module")
def engine() -> Engine:
    return Engine()


def test_a_view_keeps_the_text_and_offsets_and_silences_the_other_sections() -> None:
    source = make_source(PLANT)
    body = view(source, BODY)
    front = view(source, FRONT)
    assert body is not None and front is not None
    assert body.text == front.text == source.text and body.id == source.id
    for part, kinds in ((body, BODY), (front, FRONT)):
        assert part.sections[0].start == 0 and part.sections[-1].end == len(source.text)
        for offset in range(0, len(source.text), 7):
            kind = source.section_at(offset)
            assert part.section_at(offset) is (kind if kind in kinds else SectionKind.BOILERPLATE)
    assert view(make_source("Acme will close its Leeds plant in 2026.\n", body_only=True), FRONT) is None


def test_a_headline_and_summary_the_body_contradicts_are_reported_with_both_quotes(engine: Engine) -> None:
    source = make_source(PLANT)
    found = front_statements(engine, source)
    said = {f.statement.quote: f for f in found}
    assert "When will the plant close?" not in said  # a question states nothing
    assert "Key Takeaways" not in said  # a label
    headline = said["Acme to close its Leeds plant in 2027"]
    assert headline.statement.section is SectionKind.HEADLINE
    assert headline.body.verdict is Verdict.CONTRADICTED
    assert "2027" in headline.body.rule and "2026" in headline.body.rule
    summary = said["Acme will close its Leeds plant in 2027."]
    assert summary.statement.section is SectionKind.SUMMARY and summary.body.verdict is Verdict.CONTRADICTED
    workers = said["About 400 workers are employed at the site."]
    assert workers.body.verdict is Verdict.SUPPORTED
    for f in found:  # both quotes are exact places in the source
        assert source.text[f.statement.start : f.statement.end] == f.statement.quote
        assert f.statement.section in FRONT
        if f.body.evidence is not None:
            assert source.text[f.body.evidence.start : f.body.evidence.end] == f.body.evidence.quote
            assert f.body.evidence.section is SectionKind.BODY


def test_a_statement_repeated_is_read_once_and_a_source_without_body_has_none(engine: Engine) -> None:
    twice = make_source("Acme to close Leeds plant\n\nAcme to close Leeds plant\n\nAcme will close its Leeds plant.\n")
    quotes = [f.statement.quote for f in front_statements(engine, twice)]
    assert quotes == ["Acme to close Leeds plant"]
    assert front_statements(engine, make_source("Key Takeaways\n\n  • Acme will close its Leeds plant.\n")) == []


def test_one_claim_is_inconsistent_where_front_matter_and_body_differ(engine: Engine) -> None:
    source = make_source(PLANT)
    [wrong_year] = consistency(engine, "Acme will close its Leeds plant in 2027", [source])
    assert wrong_year.front is not None and wrong_year.front.verdict is Verdict.SUPPORTED
    assert wrong_year.body is not None and wrong_year.body.verdict is Verdict.CONTRADICTED
    assert not wrong_year.consistent
    words = wrong_year.describe()
    assert words.startswith("inconsistent:") and "2027" in words and "2026" in words
    [workers] = consistency(engine, "About 400 workers are employed at the Leeds site", [source])
    assert workers.consistent
    # front matter silent on a claim is consistent with whatever the body says: a summary leaves things out
    [review] = consistency(engine, "The closure was part of a wider cost review", [source])
    assert review.front is not None and review.front.verdict is Verdict.NOT_MENTIONED
    assert review.body is not None and review.body.verdict.speaks and review.consistent


def test_a_source_without_front_matter_is_consistent(engine: Engine) -> None:
    plain = make_source("Acme will close its Leeds plant in 2026.\n", body_only=True)
    [reading] = consistency(engine, "Acme will close its Leeds plant in 2027", [plain])
    assert reading.front is None and reading.body is not None and reading.consistent


def test_aliases_reach_the_body_reading(engine: Engine) -> None:
    """On the seed: the Reuters republication's summary says "Harmony OS", its body "Harmony operating system"."""
    sources = load_corpus(ROOT / "corpus").story("bmw-huawei-2025")
    claim = "BMW uses Harmony OS for smart applications"
    plain = {r.source: r for r in consistency(engine, claim, sources)}
    assert not plain["reuters-via-gbaf"].consistent
    aliases = AliasTable.from_rows([("Harmony OS", ["Harmony operating system"])])
    aliased = {r.source: r for r in consistency(engine, claim, sources, aliases=aliases)}
    assert aliased["reuters-via-gbaf"].consistent


def test_front_matter_of_a_corpus_is_in_id_order_and_bounded(engine: Engine) -> None:
    sources = [make_source(PLANT, "b"), make_source(PLANT, "a"), make_source("Only a body.\n", "c", body_only=True)]
    found, skipped = front_matter(engine, sources)
    order = [f.source for f in found]
    assert skipped == 0 and order == sorted(order) and set(order) == {"a", "b"}
    assert front_matter(engine, sources, limit=1) == ([], 2)
