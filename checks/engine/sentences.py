"""Sentence segmentation with character offsets.

A line break always ends a sentence (saved articles keep one paragraph, heading or bullet per
line). Inside a line, a run of ``.``, ``!`` or ``?`` (possibly followed by closing quotes or
brackets) ends a sentence when whitespace and then an upper-case letter, a digit, a quote or a
bullet follow, unless the word before is a known abbreviation ("Mr.", "U.S.", "Jan.") or a
single initial. Leading bullets and surrounding whitespace are not part of a sentence.

The scan visits each character a bounded number of times: time is linear in the text length,
whatever the text (runs of punctuation or digits included).
"""

from __future__ import annotations

import re
from collections.abc import Container, Iterator

from checks.models import SectionKind, Source

__all__ = ["section_sentences", "split_sentences"]

_ABBREVIATIONS = frozenset(
    """mr mrs ms dr prof sr jr st mt inc corp ltd co llc plc vs etc eg ie al gen gov sen rep lt col capt sgt
    jan feb mar apr jun jul aug sep sept oct nov dec no nos fig approx dept est u.s u.k u.n e.u a.m p.m""".split()
)
_ENDS = re.compile(r"[.!?]+")
_BULLET = frozenset("•·‣▪◦*-–—>")
_CLOSERS = frozenset("\"'”’)]»")
_OPENERS = frozenset("\"'“‘([«•")


def split_sentences(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """``(start, end)`` offsets of the sentences of ``text[start:end]``, stripped of bullets and spaces.

    >>> text = "Mr. Green spoke. BMW will act in 2026!\\n  • A bullet point"
    >>> [text[a:b] for a, b in split_sentences(text)]
    ['Mr. Green spoke.', 'BMW will act in 2026!', 'A bullet point']
    """
    stop = len(text) if end is None else min(end, len(text))
    spans: list[tuple[int, int]] = []
    line_start = start
    while line_start < stop:
        newline = text.find("\n", line_start, stop)
        line_end = stop if newline == -1 else newline
        spans.extend(_split_line(text, line_start, line_end))
        line_start = line_end + 1
    return spans


def section_sentences(source: Source, kinds: Container[SectionKind]) -> Iterator[tuple[SectionKind, int, int]]:
    """``(section kind, start, end)`` of every sentence of ``source`` in a section of one of ``kinds``, in text
    order."""
    for section in source.sections:
        if section.kind in kinds:
            for start, end in split_sentences(source.text, section.start, section.end):
                yield section.kind, start, end


def _split_line(text: str, start: int, end: int) -> Iterator[tuple[int, int]]:
    piece_start = start
    line = text[start:end]
    for match in _ENDS.finditer(line):
        cut = start + match.end()
        while cut < end and text[cut] in _CLOSERS:
            cut += 1
        if cut >= end or not text[cut].isspace():
            continue
        following = cut
        while following < end and text[following].isspace():
            following += 1
        if following >= end:
            continue
        nxt = text[following]
        if not (nxt.isupper() or nxt.isdigit() or nxt in _OPENERS):
            continue
        if text[start + match.start()] == "." and _abbreviation(text, piece_start, start + match.start()):
            continue
        span = _trim(text, piece_start, cut)
        if span:
            yield span
        piece_start = cut
    span = _trim(text, piece_start, end)
    if span:
        yield span


def _abbreviation(text: str, piece_start: int, dot: int) -> bool:
    word_start = dot
    while word_start > piece_start and not text[word_start - 1].isspace():
        word_start -= 1
    word = text[word_start:dot].strip("\"'“‘(").casefold()
    return (len(word) == 1 and word.isalpha()) or word in _ABBREVIATIONS


def _trim(text: str, start: int, end: int) -> tuple[int, int] | None:
    while start < end and (text[start].isspace() or text[start] in _BULLET):
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if start >= end or not any(c.isalnum() for c in text[start:end]):
        return None
    return start, end
