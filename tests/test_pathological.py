"""Pathological text: every parser does work linear in its input. Checked by doubling inputs built to trip
backtracking (long runs of punctuation, digits, separators, repeated patterns) and counting the Python-level
work done (calls and lines executed, through ``sys.settrace``): a count, not a clock, so a busy machine cannot
fail it. Doubling the input may at most double the work, plus a margin for fixed costs. The wall-clock version,
which also catches backtracking inside the regular-expression engine, is ``python benchmarks/linear_time.py``."""

from __future__ import annotations

import re
import sys
from collections.abc import Callable
from types import FrameType
from typing import Any

import pytest

from checks.claims.vocabulary import StepVocabulary
from checks.corpus.sections import split_sections
from checks.engine import AliasTable, check_claim
from checks.engine.normalize import normalize_text, tokenize
from checks.engine.sentences import split_sentences
from checks.engine.values import extract_values
from tests.factories import make_source

UNITS = [".", "?!", "1", "1,", "1.", "9 ", "$1.", "a. ", "Mr. ", "-", " ", "\n", "é", "%", "2025-03-", "'s ",
         '"a", ', "no not ", "BMW ", "x" * 50 + " "]  # fmt: skip

ALIASES = AliasTable.from_rows([("HarmonyOS NEXT", ["Harmony OS Next", "HarmonyOS"]), ("BMW", ["BMW Group"])])
WORDS = StepVocabulary.default()

PARSERS: dict[str, Callable[[str], object]] = {
    "sentences": split_sentences,
    "sections": split_sections,
    "normalize + tokenize": lambda t: tokenize(normalize_text(t)),
    "values": lambda t: extract_values(normalize_text(t)),
    "aliases": lambda t: ALIASES.apply(normalize_text(t)),
    "step matching": lambda t: WORDS.matches("given", f"the sources {t}"),
    "engine": lambda t: check_claim(
        "BMW adopts HarmonyOS NEXT in 2026, a 25% rise", [make_source(t, "long", story="long", published=None)],
        aliases=ALIASES,
    ),
}  # fmt: skip

GROWTH = 2.2
"""Doubling the input may multiply the work by at most this much..."""
FIXED = 2_000
"""... plus this many events of fixed cost (caches warming, a claim prepared once)."""


def count_work(parse: Callable[[str], object], text: str) -> int:
    """Calls and lines of Python executed by ``parse(text)``: deterministic for the same input."""
    events = 0

    def tracer(frame: FrameType, event: str, arg: Any) -> Any:
        nonlocal events
        events += 1
        return tracer

    previous = sys.gettrace()
    sys.settrace(tracer)
    try:
        parse(text)
    finally:
        sys.settrace(previous)
    return events


@pytest.mark.parametrize("parser", PARSERS)
def test_work_is_linear_in_length(parser: str) -> None:
    parse = PARSERS[parser]
    size = 600 if parser in ("engine", "sections") else 2_000
    superlinear = []
    for unit in UNITS:
        small, large = unit * (size // len(unit)), unit * (2 * size // len(unit))
        parse(small)  # warm the caches a first call fills, so both counts are of steady work
        work_small, work_large = count_work(parse, small), count_work(parse, large)
        if work_large > work_small * GROWTH + FIXED:
            superlinear.append(f"{unit!r}: {work_small} -> {work_large} events")
    assert not superlinear, f"{parser} does superlinear work on: {', '.join(superlinear)}"


def test_the_counter_catches_quadratic_work() -> None:
    """The check above would fail on a parser that is quadratic in Python."""

    def quadratic(text: str) -> int:
        return sum(1 for i in range(len(text)) for _ in range(i // 50))

    small, large = "x" * 1_000, "x" * 2_000
    assert count_work(quadratic, large) > count_work(quadratic, small) * GROWTH + FIXED


def test_unclosed_quote_lists_are_refused_without_backtracking() -> None:
    """The source-list step pattern on a long list whose last quote never closes: the pattern is built so that
    each quote can only be matched one way (no nested quantifier over the same characters)."""
    pattern = next(p for kind, p in WORDS.patterns if kind == "given" and "ids" in p)
    assert re.fullmatch(pattern, 'the sources "a", "b"')
    assert re.fullmatch(pattern, "the sources " + '"a", ' * 2_000 + '"a') is None
    assert "(?:" in pattern and '[^"]*' in pattern


# -- sizes that grow with the corpus or the feature files, not with one text -----------------------------------


def overrides_case(count: int) -> tuple[str, list[Any]]:
    """A source of ``count`` lines with one section override per line (alternating kinds)."""
    from checks.models import SectionKind, SectionOverride

    lines = [f"Line {i} says the central bank raised rates." for i in range(count)]
    overrides, position = [], 0
    for i, line in enumerate(lines):
        kind = SectionKind.FAQ if i % 2 else SectionKind.SUMMARY
        overrides.append(SectionOverride(kind=kind, start=position, end=position + len(line)))
        position += len(line) + 1
    return "\n".join(lines) + "\n", overrides


def _sections_with_overrides(count: int) -> Callable[[], object]:
    text, overrides = overrides_case(count)
    return lambda: split_sections(text, overrides=overrides)


def _html_with_claims(count: int) -> Callable[[], object]:
    """``count`` claims whose evidence lies at ``count`` different places of one source."""
    from checks.reports.html import _spans

    text = "".join(f"Sentence {i} of the source. " for i in range(count))
    step = len(text) // count
    marks = [(i * step, i * step + step - 1, f"c{i}", f"r{i}", "supported", f"claim {i}") for i in range(count)]
    return lambda: list(_spans(text, marks))


@pytest.mark.parametrize(
    ("what", "build"), [("section overrides", _sections_with_overrides), ("HTML evidence", _html_with_claims)]
)
def test_work_is_linear_in_the_number_of_overrides_and_claims(what: str, build: Callable[[int], Any]) -> None:
    """16,000 section overrides took 113 s to validate and 16,000 claims 68 s to render (each override and each
    piece of text looked at all the others): doubling them may at most double the work."""
    small, large = build(1_000), build(2_000)
    small()
    work_small, work_large = count_work(lambda _: small(), ""), count_work(lambda _: large(), "")
    assert work_large <= work_small * GROWTH + FIXED, f"{what}: {work_small} -> {work_large} events"


def test_a_large_alias_table_costs_its_size_once_not_per_scenario() -> None:
    """A Background's alias table is read again for every scenario: the second scenario must not pay for the
    table's size again (100k rows cost 114 s of CPU per 2 scenarios)."""

    def scenario(rows: list[tuple[str, list[str]]]) -> object:
        table = AliasTable.from_rows(rows)  # what the step builds from the table, every scenario
        source = make_source("Huawei said HarmonyOS NEXT runs in BMW cars.", "wire", story="s", published=None)
        return check_claim("BMW adopts HarmonyOS NEXT", [source], aliases=table)

    def rows(count: int) -> list[tuple[str, list[str]]]:
        return [(f"Name{i} Corp", [f"N{i}C"]) for i in range(count)] + [("HarmonyOS NEXT", ["Harmony OS NEXT"])]

    table = rows(2_000)
    first = count_work(lambda _: scenario(table), "")
    again = count_work(lambda _: scenario(table), "")
    assert again * 20 < first, f"first scenario {first} events, the next {again}"
