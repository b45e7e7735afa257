"""Fuzzing: 10,000 generated inputs for each parser and normalizer. No exception other than our documented
errors, no hang (each example runs under Hypothesis' eye; a backtracking regex would stall the run), offsets always
valid. Marked slow: ``pytest -m "not slow"`` skips them, the README test command runs them."""

from __future__ import annotations

import contextlib
import json
import tempfile
from datetime import date
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from checks.claims.lint import default_vocabulary, parse_feature, scenario_problems
from checks.corpus.load import validate_corpus
from checks.engine import check_claim
from checks.engine.normalize import AliasTable, normalize_text, polarity_cues, tokenize
from checks.engine.sentences import split_sentences
from checks.engine.values import extract_values
from checks.models import Source, SourceMetadata
from tests.factories import make_source

pytestmark = pytest.mark.slow

FUZZ = settings(max_examples=10_000, deadline=None, suppress_health_check=list(HealthCheck))
"""A deadline of 2 s per example: a hang or a backtracking regex fails the run instead of stalling it."""

FRAGMENTS = [
    "BMW", "Huawei", " ", "  ", ".", ". ", "?", "!", "\n", "\n\n", ",", "%", " percent", "$", "€", "£", "1", "25",
    "2026", "2,000", "3.5", "1.5 billion", "million", "Mar", "March 17, 2025", "17 March 2025", "2025-03-17",
    "later this year", "next year", "not", "no", "denied", "said", "may", "reportedly", "Mr.", "U.S.", "e.g.",
    "...", "“", "”", '"', "'", "’s", "-", "–", "—", "(", ")", ":", ";", "/", "\t", "\u00a0", "é", "ß", "中国", "🙂",
    "0" * 30, "." * 30, "9" * 12, "a" * 40,
]  # fmt: skip

news_text = st.lists(st.sampled_from(FRAGMENTS), max_size=40).map("".join) | st.text(max_size=120)
"""News-like text built from fragments that exercise the parsers, or arbitrary Unicode."""


def _source(text: str) -> Source:
    return make_source(text, "fuzz", story="fuzz")


@FUZZ
@given(news_text)
def test_numbers_and_dates(text: str) -> None:
    normalized = normalize_text(text)
    for value in extract_values(normalized, published=date(2025, 3, 17)):
        assert 0 <= value.start < value.end <= len(normalized)


@FUZZ
@given(news_text)
def test_sentence_splitter(text: str) -> None:
    previous_end = 0
    for start, end in split_sentences(text):
        assert previous_end <= start < end <= len(text)
        assert text[start:end] == text[start:end].strip()
        previous_end = end


@FUZZ
@given(news_text)
def test_normalizer_and_cues(text: str) -> None:
    normalized = normalize_text(text)
    assert normalize_text(normalized) == normalized
    assert isinstance(polarity_cues(normalized, tokenize(normalized)), frozenset)


@FUZZ
@given(st.lists(st.tuples(news_text, st.lists(news_text, max_size=3)), max_size=4), news_text)
def test_alias_tables(rows: list[tuple[str, list[str]]], text: str) -> None:
    table = AliasTable.from_rows(rows)
    normalized = normalize_text(text)
    spellings = {normalize_text(s) for name, variants in table.names for s in (name, *variants)}
    applied = table.apply(normalized)
    if not any(s in normalized for s in spellings):
        assert applied == normalized  # nothing to fold: the text is left as it is


metadata = st.dictionaries(
    st.sampled_from(["title", "publisher", "url", "published", "updated", "retrieved", "language", "sha256",
                     "sections", "origin", "author"]) | st.text(max_size=10),
    st.none() | st.integers() | st.booleans() | st.text(max_size=20) | st.lists(st.text(max_size=5), max_size=2)
    | st.sampled_from(["2025-03-17", "2025-02-30", "https://example.org", "javascript:alert(1)", "en", "en-GB"]),
    max_size=4,
)  # fmt: skip


@FUZZ
@given(metadata, st.binary(max_size=100) | news_text.map(lambda t: t.encode("utf-8")))
def test_metadata_loader(meta: dict[str, object], text: bytes) -> None:
    with contextlib.suppress(ValidationError):
        SourceMetadata.model_validate(meta)
    with tempfile.TemporaryDirectory() as tmp:
        story = Path(tmp) / "story"
        story.mkdir()
        (story / "one.txt").write_bytes(text)
        (story / "one.json").write_text(json.dumps(meta), encoding="utf-8")
        report = validate_corpus(tmp)
        assert report.ok == (len(report.sources) == 1)
        for problem in report.problems:
            assert problem.path.startswith("story/one.") or problem.path.endswith(("one.txt", "one.json"))


step_text = st.lists(
    st.sampled_from(["the sources", " of story ", '"', "tiny", "every source supports", "record what", ":", " ", "x"]),
    max_size=8,
).map("".join) | st.text(max_size=40)


@FUZZ
@given(
    st.lists(
        st.tuples(
            st.sampled_from(
                [
                    "Given",
                    "Then",
                    "And",
                    "But",
                    "When",
                    "*",
                    "Scenario:",
                    "Feature:",
                    '"""',
                    "|",
                    "@",
                    "#",
                    "Background:",
                    "Examples:",
                ]
            ),
            step_text,
        ),
        max_size=8,
    )
)
def test_claim_and_feature_parsing(lines: list[tuple[str, str]]) -> None:
    text = "Feature: fuzz\n  Scenario: one\n" + "".join(f"    {keyword} {rest}\n" for keyword, rest in lines)
    words = default_vocabulary()
    with tempfile.TemporaryDirectory() as tmp:
        file = Path(tmp) / "fuzz.feature"
        file.write_text(text, encoding="utf-8")
        feature, problems = parse_feature(file, Path(tmp))
        assert (feature is None) == bool(problems)
        for problem in problems:
            assert problem.path.startswith("fuzz.feature")
        if feature is not None:
            for scenario in feature.scenarios.values():
                for problem in scenario_problems("fuzz.feature", scenario, lambda s: words.matches(s.type, s.name)):
                    assert problem.path.startswith("fuzz.feature:")
                    assert problem.message


@FUZZ
@given(news_text, news_text)
def test_engine_on_arbitrary_claims_and_sources(claim: str, text: str) -> None:
    source = _source(text)
    for verdict in check_claim(claim, [source]):
        if verdict.evidence is not None:
            assert text[verdict.evidence.start : verdict.evidence.end] == verdict.evidence.quote
