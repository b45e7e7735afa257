"""Pathological text: every parser runs in time linear in its input. Checked by doubling the size of inputs built
to trip backtracking regular expressions (long runs of punctuation, digits, separators, repeated patterns): doubling
must not quadruple the time. A ratio, not a wall-clock threshold."""

from __future__ import annotations

import re
import time
from collections.abc import Callable

import pytest

from checks.claims.lint import default_vocabulary
from checks.corpus.sections import split_sections
from checks.engine import check_claim
from checks.engine.normalize import AliasTable, normalize_text, tokenize
from checks.engine.sentences import split_sentences
from checks.engine.values import extract_values
from checks.models import Source
from tests.factories import make_source

pytestmark = pytest.mark.slow

UNITS = [".", "?!", "1", "1,", "1.", "9 ", "$1.", "a. ", "Mr. ", "-", " ", "\n", "é", "%", "2025-03-", "'s ",
         '"a", ', "no not ", "BMW ", "x" * 50 + " "]  # fmt: skip

ALIASES = AliasTable.from_rows([("HarmonyOS NEXT", ["Harmony OS Next", "HarmonyOS"]), ("BMW", ["BMW Group"])])
WORDS = default_vocabulary()


def _source(text: str) -> Source:
    return make_source(text, "long", story="long", published=None)


PARSERS: dict[str, Callable[[str], object]] = {
    "sentences": split_sentences,
    "sections": split_sections,
    "normalize + tokenize": lambda t: tokenize(normalize_text(t)),
    "values": lambda t: extract_values(normalize_text(t)),
    "aliases": lambda t: ALIASES.apply(normalize_text(t)),
    "step matching": lambda t: WORDS.matches("given", f"the sources {t}"),
    "engine": lambda t: check_claim("BMW adopts HarmonyOS NEXT in 2026, a 25% rise", [_source(t)], aliases=ALIASES),
}


def _cost(parse: Callable[[str], object], text: str) -> float:
    best = float("inf")
    for _ in range(3):
        started = time.perf_counter()
        parse(text)
        best = min(best, time.perf_counter() - started)
    return best


@pytest.mark.parametrize("parser", PARSERS)
def test_time_is_linear_in_length(parser: str) -> None:
    parse = PARSERS[parser]
    size = 4_000 if parser in ("engine", "sections") else 20_000
    slow = []
    for unit in UNITS:
        small, large = _cost(parse, unit * (size // len(unit))), _cost(parse, unit * (2 * size // len(unit)))
        if large > small * 3.5 + 0.005:
            slow.append(f"{unit!r}: {small:.4f}s -> {large:.4f}s")
    assert not slow, f"{parser} is superlinear on: {', '.join(slow)}"


def test_unclosed_quote_lists_do_not_backtrack() -> None:
    """The source-list step pattern on a long list whose last quote never closes."""
    pattern = next(p for kind, p in WORDS.patterns if kind == "given" and "ids" in p)
    small, large = ('"a", ' * n + '"a' for n in (2_000, 4_000))
    assert _cost(lambda t: re.fullmatch(pattern, f"the sources {t}"), large) < (
        _cost(lambda t: re.fullmatch(pattern, f"the sources {t}"), small) * 3.5 + 0.005
    )
