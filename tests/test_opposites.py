"""The closed classes of words that exclude each other, and a passage putting one in the claim's place."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from checks.engine.normalize import normalize_text
from checks.engine.opposites import swap


def _swap(claim: str, text: str) -> tuple[str, str] | None:
    return swap(claim, normalize_text(text), lambda term: False)


@pytest.mark.parametrize(
    ("claim", "text", "expected"),
    [
        ("Dreamer is an American sports film", "Dreamer is a 2005 Canadian sports drama film.",
         ("american", "canadian")),
        ("Thatcher was the first woman to lead the party", "She became the second woman to lead the party.",
         ("first", "second")),
        ("Bogart was ranked greatest male star", "The institute ranked Bogart as the worst male star.",
         ("greatest", "worst")),
        ("The album was released in October", "The album was released on March 30, 2007.", ("october", "march")),
        ("Harvard is barely residential", "Harvard is a large, highly residential research university.",
         ("barely", "highly")),
        ("The port's largest terminal reopened", "The port's smallest terminal reopened on Monday.",
         ("largest", "smallest")),
    ],
)  # fmt: skip
def test_a_word_of_the_same_class_in_the_claims_place_is_found(
    claim: str, text: str, expected: tuple[str, str]
) -> None:
    assert _swap(claim, text) == expected


@pytest.mark.parametrize(
    ("claim", "text"),
    [
        # the claim's own word is there too
        ("Dreamer is an American sports film", "Dreamer is an American and Canadian sports film."),
        # the other word is about something else, away from the claim's neighbours
        ("ISIS beheads American journalist", "A British official said the American journalist was killed."),
        ("ISIS beheads American journalist", "Officials in the British capital spoke of a killing of a reporter."),
        # part of a name: "North Korean" is not the opposite of "South Korean"
        ("North Korean leader had ankle surgery", "He had surgery, according to a South Korean newspaper."),
        ("The leader of North Korea had ankle surgery", "He had surgery, a South Korean newspaper said."),
        # no word of a class in the claim
        ("BMW will integrate HiCar into its cars", "BMW will integrate HarmonyOS into its cars."),
        # "may" is a hedge before it is a month
        ("The strike may end soon", "The strike will end in June, the union said."),
    ],
)  # fmt: skip
def test_no_swap(claim: str, text: str) -> None:
    assert _swap(claim, text) is None


def test_what_the_passage_holds_by_the_engines_reading_counts_as_held() -> None:
    """``holds`` is the passage's own reading (aliases, spellings): a word it holds is never replaced."""
    text = normalize_text("Dreamer is a Canadian sports film.")
    assert swap("Dreamer is an American sports film", text, lambda term: term == "american") is None


_WORDS = st.sampled_from(
    "the first second american british october march largest smallest film port terminal closed man woman is a "
    "of in north south".split()
)


@given(st.lists(_WORDS, min_size=1, max_size=12))
def test_a_claim_never_swaps_with_itself(words: list[str]) -> None:
    claim = " ".join(words)
    assert swap(claim, normalize_text(claim), lambda term: False) is None


@given(st.lists(_WORDS, min_size=1, max_size=12), st.lists(_WORDS, max_size=12))
def test_a_swap_names_a_claim_word_the_passage_lacks_and_a_passage_word_the_claim_lacks(
    words: list[str], others: list[str]
) -> None:
    claim, text = " ".join(words), " ".join(others)
    found = _swap(claim, text)
    if found is not None:
        own, rival = found
        assert own in words and own not in others
        assert rival in others and rival not in words
