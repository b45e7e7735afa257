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

A copy that adds or changes a sentence is still a copy for the sentences it shares, but an independent voice for
what it adds: :func:`changes` lists what a copy added and left out, and :func:`voices` counts a source of a
lineage as a voice of its own when its evidence for a claim is a sentence no other source of the lineage has.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from checks.engine.normalize import normalize_text
from checks.engine.partition import Partition
from checks.engine.sentences import split_sentences
from checks.models import Source

__all__ = [
    "COPY_SHARE",
    "MAX_CHANGES",
    "MIN_COPY_WORDS",
    "MIN_WORDS",
    "Lineage",
    "Voice",
    "changes",
    "lineages",
    "voices",
]

COPY_SHARE = 0.5
"""Share of the shorter text's sentences found in the other text that makes it a copy."""
MIN_WORDS = 5
"""Sentences shorter than this (datelines, bylines, "Read more") are not compared."""
MIN_COPY_WORDS = 20
"""A text this long that another source repeats word for word is a copy, however few sentences it has."""
MAX_CHANGES = 20
"""Sentences listed per copy as added or left out (the rest are counted)."""
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
    parts = Partition(len(sources))
    origins: dict[str, int] = {}
    for i, source in enumerate(sources):
        key = _origin(source)
        if key is not None:
            parts.join(i, origins.setdefault(key, i))
    sentences = [_sentences(s.text) for s in sources]
    whole = [_whole(s.text) for s in sources]
    copies: list[tuple[int, int]] = []
    for i in range(len(sources)):
        for j in range(i + 1, len(sources)):
            if parts.find(i) != parts.find(j) and (
                (whole[i] and whole[i] == whole[j]) or _copies(sentences[i], sentences[j])
            ):
                parts.join(i, j)
                copies.append((j, i) if _copy_of(sources[j], sources[i], sentences[j], sentences[i]) else (i, j))
    found = []
    for members in parts.groups():
        declared = next((sources[i].metadata.origin for i in members if sources[i].metadata.origin), None)
        publisher = next((sources[i].metadata.publisher for i in members if sources[i].metadata.publisher), None)
        name = declared or (publisher if len(members) > 1 else None) or sources[members[0]].id
        pairs = tuple((sources[a].id, sources[b].id) for a, b in copies if a in members)
        found.append(Lineage(name, tuple(sources[i].id for i in members), pairs))
    return found


def _copy_of(a: Source, b: Source, a_sentences: frozenset[str], b_sentences: frozenset[str]) -> bool:
    """Whether ``a`` is the copy of the pair (else ``b`` is): the one published later, else the one that names an
    origin the other does not, else the one with fewer sentences (a trimmed copy), else the later id."""
    a_day, b_day = a.metadata.published_date(), b.metadata.published_date()
    if a_day is not None and b_day is not None and a_day != b_day:
        return a_day > b_day
    a_cites, b_cites = bool(a.metadata.origin), bool(b.metadata.origin)
    if a_cites != b_cites:
        return a_cites
    if len(a_sentences) != len(b_sentences):
        return len(a_sentences) < len(b_sentences)
    return a.id > b.id


def _origin(source: Source) -> str | None:
    named = source.metadata.origin or source.metadata.publisher
    return (normalize_text(named) or None) if named else None


def _whole(text: str) -> str:
    """The normalized text when it is long enough to call a word-for-word repeat a copy, else empty."""
    normalized = normalize_text(text)
    return normalized if len(normalized.split()) >= MIN_COPY_WORDS else ""


def _sentences(text: str) -> frozenset[str]:
    return frozenset(_quoted_sentences(text))


def _copies(a: frozenset[str], b: frozenset[str]) -> bool:
    shorter, longer = (a, b) if len(a) <= len(b) else (b, a)
    if len(shorter) < _MIN_SENTENCES:
        return False
    return len(shorter & longer) >= COPY_SHARE * len(shorter)


def changes(copy: Source, of: Source) -> tuple[list[str], list[str], int, int]:
    """What ``copy`` changed from ``of``: the sentences it adds and the sentences of ``of`` it leaves out (of
    :data:`MIN_WORDS` words or more, compared normalized, quoted as written; at most :data:`MAX_CHANGES` each),
    and how many there are of each. An edited sentence is both: its new wording added, the old left out."""
    mine = _quoted_sentences(copy.text)
    theirs = _quoted_sentences(of.text)
    added = [quote for key, quote in mine.items() if key not in theirs]
    left_out = [quote for key, quote in theirs.items() if key not in mine]
    return added[:MAX_CHANGES], left_out[:MAX_CHANGES], len(added), len(left_out)


@dataclass(frozen=True, slots=True)
class Voice:
    """One independent voice on a claim: a lineage's sources that share their evidence, or one source of a
    lineage heard for a sentence of its own."""

    lineage: Lineage
    sources: tuple[str, ...]
    own: bool = False
    """A copy heard for a sentence no other source of its lineage holds."""

    def describe(self) -> str:
        """``Reuters (a, b)``, ``c``, or ``b (own sentence; copy in Reuters)``."""
        if self.own:
            return f"{self.sources[0]} (own sentence; copy in {self.lineage.name})"
        return Lineage(self.lineage.name, self.sources).describe()


def voices(found: Sequence[Lineage], sources: Sequence[Source], evidence: Mapping[str, str]) -> list[Voice]:
    """The independent voices among ``sources``: one per lineage, plus each source of a lineage whose evidence
    (``evidence``: source id → its evidence quote) is a sentence no other source of that lineage holds — a copy
    that adds a sentence is a voice of its own for it."""
    by_id = {s.id: s for s in sources}
    out: list[Voice] = []
    for lineage in found:
        shared: list[str] = []
        for member in lineage.sources:
            quote = evidence.get(member, "")
            others = [by_id[o] for o in lineage.sources if o != member and o in by_id]
            if quote and others and _own(quote, others):
                out.append(Voice(lineage, (member,), own=True))
            else:
                shared.append(member)
        if shared:
            out.append(Voice(lineage, tuple(shared)))
    return out


def _own(quote: str, others: Sequence[Source]) -> bool:
    """Whether none of the quote's sentences occurs in any of ``others`` (normalized)."""
    said = {normalize_text(quote[a:b]) for a, b in split_sentences(quote)} - {""}
    return bool(said) and not any(said & _all_sentences(o.text) for o in others)


def _all_sentences(text: str) -> frozenset[str]:
    return frozenset(normalize_text(text[a:b]) for a, b in split_sentences(text))


def _quoted_sentences(text: str) -> dict[str, str]:
    """Normalized sentence → the sentence as written, for sentences of :data:`MIN_WORDS` words or more."""
    found: dict[str, str] = {}
    for start, end in split_sentences(text):
        quote = text[start:end]
        key = normalize_text(quote)
        if len(key.split()) >= MIN_WORDS:
            found.setdefault(key, quote)
    return found
