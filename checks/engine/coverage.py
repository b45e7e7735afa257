"""What the sources say that no claim checks: check-worthy statements, grouped across sources, ranked.

Editors write claims up front; this shows what they missed. Deterministic and explainable, no model:

- A *statement* is a sentence of a source's body, headline or summary (boilerplate and FAQ questions aside) of
  six to sixty words. Its score adds, each with a reason in words: 2 per figure or date it states (at most 3
  counted), 1 per proper name (at most 3: capitalised words not opening the sentence), 2 for words quoted from a
  named party ("…," said Sean Green). A statement scoring at least :data:`CHECK_WORTHY` is check-worthy.
- Statements of different sources are one *group* when they say the same (their content words overlap by
  :data:`SAME` or more, same figures), and a *divergent* group when they speak of the same thing (the shorter
  one shares :data:`RELATED` of its words, figures aside, with the other) and give different figures in one
  slot — a number counting the same thing ("400 workers" / "450 workers"), or dates, years or percentages that
  share nothing: a divergence nobody has written a claim for.
- A group is *covered* when every one of its statements overlaps the evidence of some claim in that source.

Ranked: divergent groups first, then by score, then by source id and place.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache

from checks.engine.attribution import attribution, is_description
from checks.engine.matching import key_terms_of, term_of
from checks.engine.normalize import STOPWORDS, normalize_text
from checks.engine.partition import Partition
from checks.engine.sentences import section_sentences
from checks.engine.values import ValueKind, extract_values
from checks.models import SectionKind, Source

__all__ = ["CHECK_WORTHY", "Group", "Statement", "groups", "statements"]

CHECK_WORTHY = 3
"""The lowest score of a check-worthy statement: one figure and one name, or three names, or a named quote."""
SAME = 0.6
"""Content-word overlap (Jaccard) from which statements of two sources say the same thing."""
RELATED = 0.5
"""Content words shared, figures aside, of the shorter statement's, from which two statements speak of the same
thing."""
_SECTIONS = frozenset({SectionKind.BODY, SectionKind.HEADLINE, SectionKind.SUMMARY})
_WORDS = (6, 60)
_NAME = re.compile(r"\b[A-Za-z]?[A-Z][\w&'’.-]*\w|\b[A-Z]\b")
_DATELINE = re.compile(r"^[A-Z][A-Z .,'-]+(?:\([^)]{1,40}\))?\s*[-–—]+\s*")
"""A wire dateline opening a story: "BEIJING (Reuters) - "."""
_QUOTES = frozenset('"“”')


@dataclass(frozen=True, slots=True)
class Statement:
    """One check-worthy sentence of one source."""

    source: str
    start: int
    end: int
    quote: str
    """The sentence exactly as in the source: ``source.text[start:end]``."""
    text: str
    """The sentence as a claim: its dateline ("BEIJING (Reuters) -") and closing full stop left out."""
    section: SectionKind
    score: int
    reasons: tuple[str, ...]
    values: tuple[tuple[ValueKind, str], ...]
    """The figures and dates it states: (kind, normalized amount)."""
    counts: tuple[tuple[str, frozenset[str]], ...] = ()
    """Its plain numbers with what they count: (amount, the stemmed words after it: "400 workers")."""

    def covered_by(self, spans: Sequence[tuple[int, int]]) -> bool:
        return any(start < self.end and end > self.start for start, end in spans)


@dataclass(frozen=True, slots=True)
class Group:
    """Statements of one or more sources saying the same — or, when ``divergent``, giving different figures."""

    statements: tuple[Statement, ...]
    divergent: bool
    covered: bool

    @property
    def lead(self) -> Statement:
        """The statement the draft claim is written from: the best scored, then the first by source id."""
        return min(self.statements, key=lambda s: (-s.score, s.source, s.start))

    @property
    def score(self) -> int:
        return max(s.score for s in self.statements)

    @property
    def key(self) -> str:
        """A stable name: a hash of the lead statement's text."""
        return hashlib.sha256(self.lead.text.encode("utf-8")).hexdigest()[:8]


def statements(source: Source) -> list[Statement]:
    """The check-worthy statements of ``source``, in text order; a sentence repeated (a summary restating the
    body) is kept once, at its first place."""
    published = source.metadata.published_date()
    seen: set[frozenset[str]] = set()
    found = []
    for kind, start, end in section_sentences(source, _SECTIONS):
        raw = source.text[start:end]
        words = raw.split()
        if not _WORDS[0] <= len(words) <= _WORDS[1] or raw.rstrip().endswith("?"):
            continue
        content = _content(raw)
        if not content or content in seen:
            continue
        seen.add(content)
        text = _DATELINE.sub("", raw).strip()
        found_values = extract_values(normalize_text(text), published=published)
        values = tuple(dict.fromkeys((v.kind, str(v.amount)) for v in found_values))
        counts = tuple(
            (str(v.amount), frozenset(term_of(w) for w in v.context if w not in STOPWORDS))
            for v in found_values
            if v.kind is ValueKind.NUMBER and v.context
        )
        score, reasons = _score(text, text.split(), values)
        if score >= CHECK_WORTHY:
            claim = text.rstrip(".").strip()
            found.append(Statement(source.id, start, end, raw, claim, kind, score, reasons, values, counts))
    return found


def _score(raw: str, words: list[str], values: tuple[tuple[ValueKind, str], ...]) -> tuple[int, tuple[str, ...]]:
    reasons = []
    score = 2 * min(len(values), 3)
    if values:
        reasons.append(f"states {len(values)} figure(s) or date(s)")
    names = _names(raw, words)
    score += min(len(names), 3)
    if names:
        reasons.append("names " + ", ".join(names[:4]))
    said = attribution(raw)
    if said is not None and not is_description(said.party) and _NAME.search(said.party) and _quoted(raw, said.verb):
        score += 2
        reasons.append(f"quotes {said.party}")
    return score, tuple(reasons)


def _names(raw: str, words: list[str]) -> list[str]:
    """Proper names: capitalised words, runs of them joined ("Sean Green"), possessives dropped. The word opening
    the sentence counts only when it looks like a name whatever its place: all capitals or an inner capital
    ("BMW", "HarmonyOS", "iDrive"), or followed by another capitalised word ("Neue Klasse")."""
    opening = len(raw) - len(raw.lstrip()) + len(words[0]) if words else 0
    runs: list[tuple[int, int, list[str]]] = []
    for match in _NAME.finditer(raw):
        word = _POSSESSIVE.sub("", match.group())
        if word.lower() in STOPWORDS:
            continue
        if runs and match.start() == runs[-1][1] + 1 and not _POSSESSIVE.search(raw[runs[-1][0] : runs[-1][1]]):
            runs[-1] = (runs[-1][0], match.end(), [*runs[-1][2], word])
        else:
            runs.append((match.start(), match.end(), [word]))
    names = []
    for start, _, run in runs:
        if start < opening and len(run) == 1 and not _NAMELIKE.fullmatch(run[0]):
            continue
        names.append(" ".join(run))
    return list(dict.fromkeys(names))


_POSSESSIVE = re.compile(r"['’]s$")
_NAMELIKE = re.compile(r"[A-Z0-9&]{2,}|[A-Za-z]+[A-Z][A-Za-z]*")


def _quoted(raw: str, verb: str) -> bool:
    return bool(_QUOTES & set(raw)) or verb in ("said", "says", "told")


@lru_cache(maxsize=8192)
def _content(text: str) -> frozenset[str]:
    """The content words of a sentence: its key terms, as a passage's are counted."""
    return key_terms_of(normalize_text(text))


def _frame(statement: Statement) -> frozenset[str]:
    """Its content words without its figures."""
    return frozenset(t for t in _content(statement.text) if not any(c.isdigit() for c in t))


def _overlap(a: frozenset[str], b: frozenset[str]) -> float:
    """Jaccard: the words two statements share, of all their words."""
    return len(a & b) / len(a | b) if a or b else 0.0


def _nested(a: frozenset[str], b: frozenset[str]) -> float:
    """The words two statements share, of the shorter one's: a short statement inside a long one is about the
    same thing."""
    return len(a & b) / min(len(a), len(b)) if a and b else 0.0


def _differ(a: Statement, b: Statement) -> bool:
    """They give different figures in the same slot: a number counting the same thing ("400 workers" / "450
    workers"), or, for dates, years and percentages, values of one kind that share nothing."""
    for amount, what in a.counts:
        for other, also in b.counts:
            if what & also and amount != other and (other, also) not in a.counts and (amount, what) not in b.counts:
                return True
    kinds = ({k for k, _ in a.values} & {k for k, _ in b.values}) - {ValueKind.NUMBER}
    return any(_of(a, kind).isdisjoint(_of(b, kind)) for kind in kinds)


def _of(statement: Statement, kind: ValueKind) -> set[str]:
    return {v for k, v in statement.values if k is kind}


_COMMON = 64
"""A word in more statements than this is too common to pair statements by (every story names its subject)."""


def _candidates(found: Sequence[Statement], frames: Sequence[frozenset[str]]) -> list[tuple[int, int]]:
    """Pairs of statements of different sources sharing at least two words that are not common: the only pairs
    that can reach :data:`RELATED` overlap in practice, found through an inverted index rather than all pairs."""
    postings: dict[str, list[int]] = {}
    for i, frame in enumerate(frames):
        for term in frame:
            postings.setdefault(term, []).append(i)
    out: list[tuple[int, int]] = []
    for i, frame in enumerate(frames):
        shared: dict[int, int] = {}
        for term in frame:
            found_in = postings[term]
            if len(found_in) > _COMMON:
                continue
            for j in found_in:
                if j > i and found[j].source != found[i].source:
                    shared[j] = shared.get(j, 0) + 1
        out.extend((i, j) for j, n in sorted(shared.items()) if n >= 2)
    return out


def groups(sources: Sequence[Source], covered: Mapping[str, Sequence[tuple[int, int]]]) -> list[Group]:
    """Every check-worthy statement of ``sources`` in groups, ranked (see the module's docstring). ``covered``:
    per source id, the evidence spans of the claims checked."""
    found = [s for source in sorted(sources, key=lambda s: s.id) for s in statements(source)]
    parts = Partition(len(found))
    divergent: set[int] = set()
    frames = [_frame(s) for s in found]
    contents = [_content(s.text) for s in found]
    for i, j in _candidates(found, frames):
        a, b = found[i], found[j]
        if _differ(a, b) and _nested(frames[i], frames[j]) >= RELATED:
            parts.join(i, j)
            divergent.update((i, j))
        elif set(a.values) == set(b.values) and _overlap(contents[i], contents[j]) >= SAME:
            parts.join(i, j)
    out = []
    for indexes in parts.groups():
        group = tuple(found[i] for i in indexes)
        is_covered = all(s.covered_by(covered.get(s.source, ())) for s in group)
        out.append(Group(group, any(i in divergent for i in indexes), is_covered))
    out.sort(key=lambda g: (not g.divergent, -g.score, g.lead.source, g.lead.start))
    return out
