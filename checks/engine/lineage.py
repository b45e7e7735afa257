"""Independent sources: which sources are copies of one another (one *lineage*) and which are separate voices.

"At least two sources support" is worthless when both are the same wire story republished. Two sources are one
lineage when

- they declare the same origin (``origin`` in their metadata, else their ``publisher``: the original of a
  syndicated copy names its publisher, the copy names it as its origin — "Reuters" and "Reuters via GBAF" are one
  voice; two stories of one outlet are one voice too), or
- one copies the other: the same text (normalized, at least :data:`MIN_COPY_WORDS` words), or at least
  :data:`COPY_SHARE` of the shorter text's sentences (of :data:`MIN_WORDS` words or more, normalized) appear in
  the other. A verbatim copy, a trimmed copy, a copy with boilerplate added are copies; a rewrite of the same
  facts is not (``python benchmarks/lineage.py`` measures both on pairs built from FNC-1 bodies).

Lineages are transitive (a copy of a copy is the same lineage). Pure and deterministic: the groups come out in
the order of their first source.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from checks.engine.normalize import normalize_text
from checks.engine.sentences import split_sentences
from checks.models import Source

__all__ = ["COPY_SHARE", "MIN_COPY_WORDS", "MIN_WORDS", "Lineage", "lineages"]

COPY_SHARE = 0.5
"""Share of the shorter text's sentences found in the other text that makes it a copy."""
MIN_WORDS = 5
"""Sentences shorter than this (datelines, bylines, "Read more") are not compared."""
MIN_COPY_WORDS = 20
"""A text this long that another source repeats word for word is a copy, however few sentences it has."""
_MIN_SENTENCES = 2
"""A text with fewer comparable sentences than this is a copy of nothing (a headline alone proves nothing)."""


@dataclass(frozen=True, slots=True)
class Lineage:
    """Sources that are one voice, and why they were grouped."""

    name: str
    """The declared origin, or the first source's id."""
    sources: tuple[str, ...]
    copies: tuple[tuple[str, str], ...] = ()
    """(copy, of) pairs found by text, for the report."""

    def describe(self) -> str:
        """``Reuters (reuters-via-gbaf, reuters-wire)``, or the source id alone."""
        if len(self.sources) == 1 and self.name == self.sources[0]:
            return self.name
        return f"{self.name} ({', '.join(self.sources)})"


def lineages(sources: Sequence[Source]) -> list[Lineage]:
    """The independent lineages among ``sources`` (module docstring).

    >>> from checks.models import SourceMetadata
    >>> from checks.corpus.sections import split_sections
    >>> def src(i, text, origin=None):
    ...     return Source(i, "s", text, SourceMetadata(origin=origin), split_sections(text), f"s/{i}.txt", "0" * 64)
    >>> wire = "The central bank raised interest rates on Tuesday. It said inflation had slowed for a year."
    >>> [l.describe() for l in lineages([src("a", wire), src("b", "Share this. " + wire), src("c", "Rates rose.")])]
    ['a (a, b)', 'c']
    """
    parent = list(range(len(sources)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    def join(a: int, b: int) -> None:
        ra, rb = find(a), find(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)

    origins: dict[str, int] = {}
    for i, source in enumerate(sources):
        key = _origin(source)
        if key is not None:
            join(i, origins.setdefault(key, i))
    sentences = [_sentences(s.text) for s in sources]
    whole = [_whole(s.text) for s in sources]
    copies: list[tuple[int, int]] = []
    for i in range(len(sources)):
        for j in range(i + 1, len(sources)):
            if find(i) != find(j) and ((whole[i] and whole[i] == whole[j]) or _copies(sentences[i], sentences[j])):
                join(i, j)
                copies.append((j, i) if len(sentences[j]) <= len(sentences[i]) else (i, j))
    groups: dict[int, list[int]] = {}
    for i in range(len(sources)):
        groups.setdefault(find(i), []).append(i)
    found = []
    for root in sorted(groups):
        members = groups[root]
        declared = next((sources[i].metadata.origin for i in members if sources[i].metadata.origin), None)
        publisher = next((sources[i].metadata.publisher for i in members if sources[i].metadata.publisher), None)
        name = declared or (publisher if len(members) > 1 else None) or sources[members[0]].id
        pairs = tuple((sources[a].id, sources[b].id) for a, b in copies if a in members)
        found.append(Lineage(name, tuple(sources[i].id for i in members), pairs))
    return found


def _origin(source: Source) -> str | None:
    named = source.metadata.origin or source.metadata.publisher
    return (normalize_text(named) or None) if named else None


def _whole(text: str) -> str:
    """The normalized text when it is long enough to call a word-for-word repeat a copy, else empty."""
    normalized = normalize_text(text)
    return normalized if len(normalized.split()) >= MIN_COPY_WORDS else ""


def _sentences(text: str) -> frozenset[str]:
    found = set()
    for start, end in split_sentences(text):
        sentence = normalize_text(text[start:end])
        if len(sentence.split()) >= MIN_WORDS:
            found.add(sentence)
    return frozenset(found)


def _copies(a: frozenset[str], b: frozenset[str]) -> bool:
    shorter, longer = (a, b) if len(a) <= len(b) else (b, a)
    if len(shorter) < _MIN_SENTENCES:
        return False
    return len(shorter & longer) >= COPY_SHARE * len(shorter)
