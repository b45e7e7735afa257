from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from checks.engine.sentences import split_sentences


def _split(text: str) -> list[str]:
    return [text[a:b] for a, b in split_sentences(text)]


def test_splits_and_keeps_abbreviations() -> None:
    text = "Mr. Green spoke in the U.S. on Monday. BMW will act! Will it?\n  • A bullet"
    assert _split(text) == ["Mr. Green spoke in the U.S. on Monday.", "BMW will act!", "Will it?", "A bullet"]


def test_decimals_and_lowercase_do_not_split() -> None:
    assert _split("Shares rose 2.5 percent. then fell.") == ["Shares rose 2.5 percent. then fell."]


@given(st.text(max_size=500))
def test_offsets_are_valid_ordered_and_trimmed(text: str) -> None:
    previous = 0
    for start, end in split_sentences(text):
        assert previous <= start < end <= len(text)
        assert not text[start].isspace() and not text[end - 1].isspace()
        previous = end
