"""Split an article's text into sections: headline, body, summary, FAQ, correction and boilerplate.

The heuristics work line by line, because saved articles keep one paragraph, heading or widget
per line:

* A line that only carries page furniture is ``boilerplate``: bylines ("Published by ..."),
  dates ("Posted on ...", "Last updated ..."), reading times ("1 min read"), share and follow
  widgets ("Add as preferred source on Google"), award banners ("... Awards 2026 — Call for
  Entries"), credits ("(Reporting by ...; Editing by ...)"), one-word navigation labels.
  A leading dateline inside a paragraph ("date 2025-03-17 BMW has ...") is boilerplate too.
* "Key Takeaways", "Summary", "Highlights", "Key points" open a ``summary``; "Frequently Asked
  Questions" or "FAQ" open a ``faq``; "Related Articles", "More from ...", "Read more",
  "You may also like" open trailing ``boilerplate``. Each lasts until the next such heading.
* The title from the metadata, the first short line without closing punctuation, and later
  short lines without closing punctuation (sub-headings) are ``headline``.
* A paragraph correcting the article ("Correction: ...", "Clarification: ...", "An earlier version of this
  story said ...", "This article has been corrected ...") is ``correction``.
* Everything else is ``body``.

Authors correct the heuristics per source with ``"sections"`` in the metadata: a list of
``{"kind": ..., "start": ..., "end": ...}`` character ranges that win over the heuristics.
Sections tile the whole text: every character belongs to exactly one section.
"""

from __future__ import annotations

import heapq
import itertools
import re
from collections.abc import Iterable, Sequence

from checks.models import Section, SectionKind, SectionOverride

__all__ = ["split_sections"]

_MONTH = r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?"
_DATE = rf"(?:\d{{4}}-\d{{2}}-\d{{2}}|{_MONTH} \d{{1,2}},? \d{{4}}|\d{{1,2}} {_MONTH},? \d{{4}})"

_SUMMARY = re.compile(r"^(?:key takeaways|takeaways|summary|highlights|key points|at a glance|tl;?dr)\s*:?$")
_FAQ = re.compile(r"^(?:frequently asked questions|faqs?|questions and answers|q ?& ?a)\s*:?$")
_TRAILER = re.compile(
    r"^(?:related articles|related stories|related|more from\b.*|read more\b.*|recommended\b.*"
    r"|you may also like\b.*|explore more\b.*|most read\b.*|trending\b.*|more stories\b.*)$"
)
_FURNITURE = re.compile(
    r"^(?:published by\b|posted on\b|posted\b|by [a-z .'-]{1,60}$|\d+ min(?:ute)?s? read\b|\W*last updated\b"
    r"|updated:? |add as (?:a )?preferred source\b|share\b|follow us\b|subscribe\b|sign up\b|advertisement$"
    r"|image:|photo:|\(?reporting by\b|editing by\b|writing by\b|©|copyright\b|all rights reserved"
    r"|.*\bcall for entries\b|.*\bawards \d{4}\b|click here\b|skip to (?:main )?content)"
)
_DATELINE = re.compile(rf"^\s*(?:date|posted on|published on|published|updated)\s*:?\s*{_DATE}", re.IGNORECASE)
_CLOSING = frozenset('.!?"”’)')
_CORRECTION = re.compile(
    r"^(?:\W*(?:correction|corrections|clarification|editor'?s note|editor’s note)\s*(?:\(\w[^)]{0,40}\))?\s*[:—–-]"
    r"|(?:an?|the)\s+(?:earlier|previous|prior|original)\s+version\s+of\s+this\s+(?:story|article|report|piece)\b"
    r"|this\s+(?:story|article|report|piece)\s+(?:has\s+been|was)\s+(?:corrected|amended)\b)"
)
"""A paragraph that corrects the article: its own section kind, read as the source retracting what it quotes."""


def split_sections(
    text: str, *, title: str | None = None, overrides: Sequence[SectionOverride] = ()
) -> tuple[Section, ...]:
    """Split ``text`` into sections that tile it from 0 to ``len(text)``.

    >>> [s.kind.value for s in split_sections("Big news\\nIt happened today.\\nRelated Articles\\nOther")]
    ['headline', 'body', 'boilerplate']
    """
    spans = list(_heuristic_spans(text, title))
    if overrides:
        spans = _apply_overrides(spans, overrides, len(text))
    return tuple(_tile(spans, len(text)))


def _lines(text: str) -> Iterable[tuple[int, int]]:
    start = 0
    for line in text.splitlines(keepends=True):
        yield start, start + len(line)
        start += len(line)


def _heuristic_spans(text: str, title: str | None) -> Iterable[Section]:
    mode = SectionKind.BODY
    seen_headline = False
    title_key = _key(title) if title else None
    for start, end in _lines(text):
        raw = text[start:end]
        line = raw.strip()
        if not line:
            continue
        lead = start + len(raw) - len(raw.lstrip())
        stop = lead + len(line)
        key = _key(line)
        if _SUMMARY.match(key):
            mode = SectionKind.SUMMARY
        elif _FAQ.match(key):
            mode = SectionKind.FAQ
        elif _TRAILER.match(key):
            mode = SectionKind.BOILERPLATE
        if mode is SectionKind.BOILERPLATE or _FURNITURE.match(key) or " " not in line:
            yield Section(SectionKind.BOILERPLATE, lead, stop)
            continue
        if _CORRECTION.match(key):
            yield Section(SectionKind.CORRECTION, lead, stop)
            continue
        if mode is not SectionKind.BODY:
            yield Section(mode, lead, stop)
            continue
        dateline = _DATELINE.match(line)
        if dateline:
            yield Section(SectionKind.BOILERPLATE, lead, lead + dateline.end())
            lead += dateline.end()
            line = text[lead:stop]
        if key == title_key or (_looks_like_heading(line) and (not seen_headline or len(line) <= 120)):
            seen_headline = True
            yield Section(SectionKind.HEADLINE, lead, stop)
        else:
            yield Section(SectionKind.BODY, lead, stop)


def _key(line: str) -> str:
    return " ".join(line.casefold().replace("\u2014", "-").split())


def _looks_like_heading(line: str) -> bool:
    stripped = line.strip()
    return 0 < len(stripped) <= 200 and stripped[-1] not in _CLOSING and len(stripped.split()) <= 25


def _apply_overrides(spans: list[Section], overrides: Sequence[SectionOverride], size: int) -> list[Section]:
    """Each character takes the kind of the last override that covers it, else keeps its heuristic kind. One
    sweep over the boundaries of every span and override, O(n log n): 16,000 overrides of one source take as
    long as 16,000 lines do (re-splitting every span for each override was quadratic)."""
    ranges = sorted(
        (min(o.start, size), min(o.end, size), order, o.kind)
        for order, o in enumerate(overrides)
        if min(o.end, size) > min(o.start, size)
    )
    points = sorted({p for s in spans for p in (s.start, s.end)} | {p for lo, hi, _, _ in ranges for p in (lo, hi)})
    covering: list[tuple[int, int, SectionKind]] = []  # heap of (-order, end, kind): the latest override on top
    result: list[Section] = []
    next_range = next_span = 0
    for a, b in itertools.pairwise(points):
        while next_range < len(ranges) and ranges[next_range][0] <= a:
            _, hi, order, painted = ranges[next_range]
            heapq.heappush(covering, (-order, hi, painted))
            next_range += 1
        while covering and covering[0][1] <= a:
            heapq.heappop(covering)
        while next_span < len(spans) and spans[next_span].end <= a:
            next_span += 1
        kind: SectionKind | None
        if covering:
            kind = covering[0][2]
        elif next_span < len(spans) and spans[next_span].start <= a:
            kind = spans[next_span].kind
        else:
            kind = None  # between heuristic spans (blank lines): the tiling gives it to the span before
        if kind is None:
            continue
        if result and result[-1].kind is kind and result[-1].end == a:
            result[-1] = Section(kind, result[-1].start, b)
        else:
            result.append(Section(kind, a, b))
    return result


def _tile(spans: Sequence[Section], size: int) -> Iterable[Section]:
    """Merge neighbours of one kind and give the whitespace between spans to the span before."""
    if size == 0:
        return
    if not spans:
        yield Section(SectionKind.BODY, 0, size)
        return
    merged: list[Section] = []
    for span in spans:
        start = 0 if not merged else merged[-1].end
        if merged and merged[-1].kind is span.kind:
            merged[-1] = Section(span.kind, merged[-1].start, span.end)
        elif merged:
            merged[-1] = Section(merged[-1].kind, merged[-1].start, span.start)
            merged.append(Section(span.kind, span.start, span.end))
        else:
            merged.append(Section(span.kind, start, span.end))
    last = merged[-1]
    merged[-1] = Section(last.kind, last.start, size)
    yield from merged
