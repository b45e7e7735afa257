from __future__ import annotations

import itertools

import pytest
from hypothesis import given
from hypothesis import strategies as st

from checks.corpus.load import Corpus
from checks.corpus.sections import split_sections
from checks.models import Section, SectionKind, SectionOverride


def _kinds(corpus: Corpus, source_id: str) -> dict[str, SectionKind]:
    source = corpus.by_id[source_id]
    return {source.text[s.start : s.end].strip(): s.kind for s in source.sections}


def test_first_seed_sections(seed_corpus: Corpus) -> None:
    source = seed_corpus.by_id["reuters-via-gbaf"]
    text = source.text

    def kind_of(fragment: str) -> SectionKind:
        return source.section_at(text.index(fragment))

    assert kind_of("Headlines") is SectionKind.BOILERPLATE
    assert kind_of("BMW to integrate Huawei smart-connect") is SectionKind.HEADLINE
    assert kind_of("Published by Global Banking") is SectionKind.BOILERPLATE
    assert kind_of("Add as preferred source") is SectionKind.BOILERPLATE
    assert kind_of("Global Banking & Finance Awards 2026") is SectionKind.BOILERPLATE
    assert kind_of("BEIJING (Reuters) -BMW Group will integrate") is SectionKind.BODY
    assert kind_of("(Reporting by Beijing newsroom") is SectionKind.BOILERPLATE
    assert kind_of("BMW will integrate Huawei HiCar into its China-made cars by 2026.") is SectionKind.SUMMARY
    assert kind_of("What technology will BMW use?") is SectionKind.FAQ
    assert kind_of("Related Articles") is SectionKind.BOILERPLATE
    assert kind_of("Explore more articles") is SectionKind.BOILERPLATE


def test_second_seed_dateline_is_boilerplate(seed_corpus: Corpus) -> None:
    source = seed_corpus.by_id["harmonyos-neue-klasse"]
    assert source.section_at(source.text.index("date 2025-03-17")) is SectionKind.BOILERPLATE
    assert source.section_at(source.text.index("BMW has announced")) is SectionKind.BODY
    assert source.section_at(source.text.index("HarmonyOS NEXT for China, iDrive X")) is SectionKind.HEADLINE


@given(st.text(alphabet=st.characters(codec="utf-8"), max_size=400))
def test_sections_tile_any_text(text: str) -> None:
    sections = split_sections(text)
    if not text:
        assert sections == ()
        return
    assert sections[0].start == 0
    assert sections[-1].end == len(text)
    for left, right in itertools.pairwise(sections):
        assert left.end == right.start
        assert left.start < left.end


def _reference(text: str, overrides: list[SectionOverride]) -> tuple[Section, ...]:
    """The obvious (quadratic) way: re-split every span for each override, in order."""
    from checks.corpus.sections import _heuristic_spans, _tile

    spans = list(_heuristic_spans(text, None))
    size = len(text)
    for override in overrides:
        lo, hi = min(override.start, size), min(override.end, size)
        kept: list[Section] = []
        for span in spans:
            if span.end <= lo or span.start >= hi:
                kept.append(span)
                continue
            if span.start < lo:
                kept.append(Section(span.kind, span.start, lo))
            if span.end > hi:
                kept.append(Section(span.kind, hi, span.end))
        if hi > lo:
            kept.append(Section(override.kind, lo, hi))
        spans = sorted(kept, key=lambda s: s.start)
    return tuple(_tile(spans, size))


@given(
    st.text(alphabet="ab .\n", max_size=80),
    st.lists(st.tuples(st.sampled_from(list(SectionKind)), st.integers(0, 90), st.integers(0, 90)), max_size=8),
)
def test_overrides_apply_as_if_one_after_another(text: str, ranges: list[tuple[SectionKind, int, int]]) -> None:
    overrides = [SectionOverride(kind=k, start=min(a, b), end=max(a, b)) for k, a, b in ranges]
    assert split_sections(text, overrides=overrides) == _reference(text, overrides)


@pytest.mark.parametrize(
    ("line", "correction"),
    [
        ("Correction: An earlier version of this story misstated the year.", True),
        ("CLARIFICATION (March 18): The plant employs 400 people, not 450.", True),
        ("Editor’s note: This article has been updated to remove a quote.", True),
        ("An earlier version of this article said the plant would close in 2027.", True),
        ("This story has been corrected to show that Okafor leads the European business.", True),
        ("The correction in share prices came after a strong week.", False),
        ("Analysts said an earlier version of the software was slower.", False),
    ],
)
def test_a_paragraph_correcting_the_article_is_a_correction(line: str, correction: bool) -> None:
    text = f"Acme closes plant\n\nAcme will close its Leeds plant in 2026, the company said.\n{line}\n"
    at = text.index(line)
    [kind] = [s.kind for s in split_sections(text) if s.start <= at < s.end]
    assert (kind is SectionKind.CORRECTION) is correction
