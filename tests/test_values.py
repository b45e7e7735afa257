from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from checks.engine.normalize import normalize_text
from checks.engine.values import ValueKind, compatible, conflicts, extract_values


@pytest.mark.parametrize(
    ("text", "kind", "amount", "approx"),
    [
        ("nearly 25% of users", ValueKind.PERCENT, 25.0, "nearly"),
        ("25 per cent", ValueKind.PERCENT, 25.0, None),
        ("$1.2 billion deal", ValueKind.MONEY, 1.2e9, None),
        ("3,500 jobs", ValueKind.NUMBER, 3500.0, None),
        ("four R&D centres", ValueKind.NUMBER, 4.0, None),
        ("in 2026", ValueKind.YEAR, 2026.0, None),
        ("by 2026", ValueKind.YEAR, 2026.0, "by"),
        ("March 17, 2025", ValueKind.DATE, "2025-03-17", None),
        ("17 March 2025", ValueKind.DATE, "2025-03-17", None),
        ("2025-03-17", ValueKind.DATE, "2025-03-17", None),
        ("March 2025", ValueKind.MONTH, "2025-03", None),
    ],
)
def test_extracts(text: str, kind: ValueKind, amount: float | str, approx: str | None) -> None:
    [value] = extract_values(normalize_text(text))
    assert (value.kind, value.amount, value.approx) == (kind, amount, approx)


def test_relative_years_resolve_against_publication() -> None:
    [value] = extract_values("later this year", published=date(2025, 3, 17))
    assert (value.kind, value.amount) == (ValueKind.YEAR, 2025.0)
    assert extract_values("later this year") == []
    [nxt] = extract_values("next year", published=date(2025, 3, 17))
    assert nxt.amount == 2026.0


def test_compatibility() -> None:
    def one(text: str):  # type: ignore[no-untyped-def]
        return extract_values(normalize_text(text))[0]

    assert compatible(one("25%"), one("nearly 25 percent"))
    assert not compatible(one("40%"), one("nearly 25%"))
    assert compatible(one("in 2026"), one("by 2026"))
    assert not compatible(one("2028"), one("by 2026"))
    assert conflicts([one("six R&D centres")], [one("four major R&D centers")])
    assert not conflicts([one("six R&D centres")], [one("four new models")])


@settings(max_examples=300)
@given(st.text(max_size=300))
def test_offsets_always_slice_the_value(text: str) -> None:
    normalized = normalize_text(text)
    for value in extract_values(normalized, published=date(2025, 1, 1)):
        assert 0 <= value.start < value.end <= len(normalized)
        if value.kind is not ValueKind.YEAR or value.text[-1].isdigit():
            assert normalized[value.start : value.end].strip() == value.text.strip()


@given(st.integers(min_value=0, max_value=10**9), st.sampled_from(["%", " percent", ""]))
def test_numbers_round_trip(number: int, unit: str) -> None:
    values = extract_values(normalize_text(f"about {number:,}{unit} of them"))
    assert values
    assert values[0].amount == float(number) or values[0].kind is ValueKind.YEAR


_PIECES = st.sampled_from(
    ["one", "twelve", "dozen", "year", "this", "next", "late", "march", "17", "2025", "1,200", "3.5", "$", "€",
     "%", "percent", "million", "bn", "about", "nearly", "someone", "often", "years", "-", ",", ".", "'s", "hk",
     "monday", "sunday", "today", "4", "nov"]
)  # fmt: skip


@settings(max_examples=500)
@given(st.lists(_PIECES, max_size=12), st.lists(st.sampled_from([" ", "", "\n"]), min_size=12, max_size=12))
def test_skipping_sentences_without_a_digit_or_number_word_loses_no_value(pieces: list[str], gaps: list[str]) -> None:
    """The quick test that lets most sentences skip the full pattern never skips one holding a value."""
    from checks.engine.values import _PATTERN, _PATTERN_DATED, _value

    text = "".join(piece + gap for piece, gap in zip(pieces, gaps, strict=False))
    published = date(2025, 3, 17)
    everything = [v for m in _PATTERN_DATED.finditer(text) if (v := _value(m, text, published)) is not None]
    assert extract_values(text, published=published) == everything
    undated = [v for m in _PATTERN.finditer(text) if (v := _value(m, text, None)) is not None]
    assert extract_values(text) == undated


@given(st.dates(min_value=date(1990, 1, 1), max_value=date(2090, 12, 31)), st.integers(0, 6))
def test_a_weekday_is_the_latest_such_day_on_or_before_publication(published: date, weekday: int) -> None:
    from checks.engine.values import _WEEKDAYS, _weekday_date

    name = _WEEKDAYS[weekday]
    day = _weekday_date(published, name, None)
    assert day.weekday() == weekday and 0 <= (published - day).days <= 6
    upcoming = _weekday_date(published, name, "next")
    assert upcoming.weekday() == weekday and 1 <= (upcoming - published).days <= 7
    before = _weekday_date(published, name, "last")
    assert before.weekday() == weekday and 1 <= (published - before).days <= 7
