"""Find the passages of a source that speak to a claim, and say how much of the claim each covers.

A claim's *key terms* are its words minus stop words, stemmed, each weighted by rarity (see
:func:`checks.engine.normalize.term_weight`). A passage (a sentence, or two neighbouring sentences)
*covers* the claim by the weighted share of key terms it contains: 0-100, like RapidFuzz scores.
Words match when their stems are equal, or when RapidFuzz's ``ratio`` reaches ``score_cutoff``
(spelling variants and typos). Only passages that share a term with the claim are scored: an
inverted index (term → passages) is built once per source.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache

from rapidfuzz import fuzz, process

from checks.engine.normalize import (
    HEDGES,
    NEGATIONS,
    STOPWORDS,
    AliasTable,
    debunk_cues,
    normalize_text,
    polarity_cues,
    stem,
    term_weight,
    tokenize,
)
from checks.engine.sentences import split_sentences
from checks.engine.values import Value, ValueKind, extract_values
from checks.models import SECTION_PRIORITY, SectionKind, Source

__all__ = [
    "Candidate",
    "Passage",
    "PreparedClaim",
    "PreparedSource",
    "Spellings",
    "capitalized_terms",
    "covered_terms",
    "fuzzy_eligible",
    "holds_term",
    "match_claim",
    "prepare_claim",
    "prepare_source",
    "source_terms",
    "term_of",
]

_SPELLING = (
    (re.compile(r"(?<=[a-z]{3})tre(s?)$"), r"ter\1"),  # centre → center
    (re.compile(r"(?<=[a-z]{3})our(s?)$"), r"or\1"),  # rumour → rumor
    (re.compile(r"(?<=[a-z]{4})is(e|es|ed|ing|ation|ations)$"), r"iz\1"),  # organise → organize
)


_SAME_WORD = {
    "truce": "ceasefire", "truces": "ceasefires", "paradise": "heaven", "isil": "isis", "daesh": "isis",
    "death": "kill", "deaths": "kill", "dead": "kill", "died": "kill", "dies": "kill", "killed": "kill",
    "killing": "kill", "killings": "kill", "kills": "kill", "slain": "kill", "movie": "film", "movies": "films",
}  # fmt: skip
"""Words that make the same key term: paraphrases common in news ("truce" and "ceasefire", "killed" and
"death"); a claim stated with one is found in a source written with the other."""

_NO_CUES: frozenset[str] = frozenset()


@lru_cache(maxsize=400_000)
def _term(token: str) -> str:
    token = _SAME_WORD.get(token, token)
    for pattern, replacement in _SPELLING:
        token = pattern.sub(replacement, token)
    return stem(token)


def term_of(token: str) -> str:
    """The key term a token counts as (spelling variants and paraphrases folded, then stemmed)."""
    return _term(token)


def key_terms_of(normalized: str) -> frozenset[str]:
    """The key terms of a normalized text, as a passage's are counted (stopwords left out)."""
    return _key_terms(tokenize(normalized))


Spellings = Mapping[str, Sequence[str]]
"""Claim term → other spellings of it across sources, closest first (see :func:`match_claim`)."""


@dataclass(frozen=True, slots=True)
class Passage:
    """A sentence of a source outside boilerplate, normalized once."""

    start: int
    end: int
    section: SectionKind
    cues: frozenset[str]
    values: tuple[Value, ...]


@dataclass(frozen=True, slots=True)
class PreparedSource:
    source: Source
    passages: tuple[Passage, ...]
    postings: Mapping[str, tuple[int, ...]]
    fuzzy_vocabulary: tuple[str, ...]
    value_kinds: frozenset[ValueKind]
    debunks: frozenset[str]
    """Phrases anywhere in the source that call a story false (see :func:`checks.engine.normalize.debunk_cues`)."""


@dataclass(frozen=True, slots=True)
class PreparedClaim:
    text: str
    weights: Mapping[str, float]
    surface: Mapping[str, str]
    values: tuple[Value, ...]
    value_terms: frozenset[str]
    slots: tuple[tuple[str, frozenset[str], Mapping[str, str]], ...]
    """Per group of declared alternatives: the claim's own term, the other names' terms, term → name."""
    cues: frozenset[str]
    debunks: frozenset[str]
    """Debunking phrases in the claim itself ("... is a hoax"): then a debunking source agrees."""
    frame: frozenset[str]
    """The key terms without the claim's values and alternative names: what the claim is about."""
    units: Mapping[str, int]
    """The weights in whole thousandths: sums of them are exact, whatever the order they are added in."""
    total: float
    """The sum of the weights."""
    frame_weights: tuple[tuple[str, float], ...]
    """The weights of the frame's terms, in the claim's order."""
    frame_total: float
    bits: Mapping[str, int]
    """Each key term's bit: a passage's terms of the claim as one integer."""
    subject: str | None
    """The key term of the name the claim is about: the first name the editors declared (aliases, alternatives)
    among its first words ("Mercedes" in "Mercedes is partnering with Huawei"), or None. A source that never names
    it cannot support or discuss the claim. Only declared names count: measured on the public sets, a name guessed
    from capitals costs more verdicts (headline labels, names written otherwise) than it saves."""
    names: frozenset[str]
    """The key terms of every proper name in the claim (a denial by one of them contradicts it)."""
    predicate: frozenset[str] = frozenset()
    """The frame's terms the claim writes only in lower case, not as verb forms: what it says of its subject
    ("driver" in "Kendall Jenner is a driver"), which a passage must mostly hold to state the claim."""
    scores: dict[tuple[int, bool], tuple[int, int]] = field(default_factory=dict, compare=False, repr=False)
    """Score and frame score by (terms as bits, pair of passages?), filled as spans are scored: the same few
    combinations of a claim's terms recur in passage after passage and source after source."""

    def describe(self) -> str:
        """How the engine reads the claim, for ``--checks-debug``: its key terms by weight, what it is about, its
        names, values, polarity and modality cues, and its declared alternatives.

        >>> from checks.engine.normalize import AliasTable
        >>> print(prepare_claim("BMW will not adopt HarmonyOS in 2026", AliasTable()).describe())
        claim: BMW will not adopt HarmonyOS in 2026
          key terms (weight): ...
          about: adopt, bmw, harmonyos
          names: bmw, harmonyos
          values: 2026 (year)
          polarity: negated (not)
        """
        terms = ", ".join(f"{self.surface.get(t, t)} ({w:.1f})" for t, w in sorted(self.weights.items(), key=_heavy))
        lines = [f"claim: {self.text}", f"  key terms (weight): {terms or 'none'}"]
        if self.frame:
            lines.append(f"  about: {', '.join(sorted(self.surface.get(t, t) for t in self.frame))}")
        if self.subject:
            lines.append(f"  subject (must be named): {self.surface.get(self.subject, self.subject)}")
        if self.names:
            lines.append(f"  names: {', '.join(sorted(self.surface.get(t, t) for t in self.names))}")
        if self.values:
            lines.append(f"  values: {'; '.join(f'{v.text} ({v.kind.value})' for v in self.values)}")
        negated = sorted(c for c in self.cues if c in NEGATIONS)
        hedged = sorted(c for c in self.cues if c in HEDGES)
        if negated or hedged:
            said = [f"negated ({', '.join(negated)})"] * bool(negated) + [f"hedged ({', '.join(hedged)})"] * bool(
                hedged
            )
            lines.append(f"  polarity: {'; '.join(said)}")
        if self.debunks:
            lines.append(f"  debunks: {', '.join(sorted(self.debunks))}")
        for own, _, names in self.slots:
            lines.append(f"  alternatives: {names.get(own, own)} (one of {', '.join(sorted(set(names.values())))})")
        return "\n".join(lines)


@dataclass(frozen=True, slots=True)
class Candidate:
    """A span of one or two passages and how much of the claim it covers."""

    start: int
    end: int
    section: SectionKind
    score: int
    frame_score: int
    """Coverage without the claim's values and alternative names: does the passage speak of the same thing?"""
    matched: frozenset[str]
    missing: frozenset[str]
    cues: frozenset[str]
    values: tuple[Value, ...]
    first: int
    """The span's first and last passages (indexes into :attr:`PreparedSource.passages`)."""
    last: int
    postings: Mapping[str, tuple[int, ...]] = field(repr=False, compare=False)

    def holds(self, term: str) -> bool:
        """Whether the span holds ``term``, any key term of the source (not only the claim's)."""
        found = self.postings.get(term, ())
        at = bisect_left(found, self.first)
        return at < len(found) and found[at] <= self.last


def _analyse_normalized(normalized: str, published: date | None) -> tuple[list[str], tuple[Value, ...], frozenset[str]]:
    tokens = tokenize(normalized)
    return tokens, tuple(extract_values(normalized, published=published)), polarity_cues(normalized, tokens)


def prepare_source(source: Source, aliases: AliasTable) -> PreparedSource:
    """Segment, normalize and index a source (boilerplate excluded)."""
    published = source.metadata.published_date()
    passages: list[Passage] = []
    postings: dict[str, list[int]] = {}
    debunks: set[str] = set()
    for start, end, kind, normalized in _sentences(source, aliases):
        debunks |= debunk_cues(normalized)
        tokens, values, cues = _analyse_normalized(normalized, published)
        terms = _key_terms(tokens)
        index = len(passages)
        # A passage's terms live only in the postings (kept per source for the whole run: memory counts).
        passages.append(Passage(start, end, kind, cues or _NO_CUES, values))
        for term in terms:
            postings.setdefault(term, []).append(index)
    vocabulary = tuple(sorted(t for t in postings if fuzzy_eligible(t)))
    kinds = frozenset(v.kind for p in passages for v in p.values)
    return PreparedSource(
        source, tuple(passages), {k: tuple(v) for k, v in postings.items()}, vocabulary, kinds, frozenset(debunks)
    )


def source_terms(source: Source, aliases: AliasTable) -> frozenset[str]:
    """The key terms of a source: the same set as the postings of :func:`prepare_source`, at a fraction
    of its cost (no values, cues or passages). What the index across sources is built from."""
    terms: set[str] = set()
    for _, _, _, normalized in _sentences(source, aliases):
        terms |= _key_terms(tokenize(normalized))
    return frozenset(terms)


def fuzzy_eligible(term: str) -> bool:
    """Terms long enough to be matched by spelling similarity (shorter words are too easily confused)."""
    return len(term) >= 5 and term.isalpha()


_UNREAD = frozenset({SectionKind.BOILERPLATE})
"""Never read as passages: boilerplate. A correction is read like the body (it is the source's own voice: "It
was, in fact, by a satirical news site"); what it quotes from an earlier version is caught first, by
:mod:`checks.engine.corrections`."""


def _sentences(source: Source, aliases: AliasTable) -> Iterator[tuple[int, int, SectionKind, str]]:
    for section in source.sections:
        if section.kind in _UNREAD:
            continue
        for start, end in split_sentences(source.text, section.start, section.end):
            yield start, end, section.kind, aliases.apply(normalize_text(source.text[start:end]))


def _key_terms(tokens: Iterable[str]) -> frozenset[str]:
    return frozenset(_term(t) for t in tokens if t not in STOPWORDS)


def prepare_claim(
    text: str,
    aliases: AliasTable,
    *,
    alternatives: Sequence[Sequence[str]] = (),
    published: date | None = None,
) -> PreparedClaim:
    """Key terms with weights, values, alternative slots and cues of a claim."""
    normalized = aliases.apply(normalize_text(text))
    tokens, values, cues = _analyse_normalized(normalized, published)
    aside = _disambiguators(normalized, values)
    values = tuple(v for v in values if v not in aside)
    periods = {t for v in values if v.kind in _PERIODS and v.text[-1].isalpha() for t in tokenize(v.text)}
    periods |= {t for v in aside for t in tokenize(v.text)}
    weights, surface = _key_term_weights([t for t in tokens if t not in periods])  # the value stands for them
    declared = _declared(aliases)
    names_found = _names(text, aliases, weights, declared)
    slots = _alternative_slots(alternatives, aliases, weights)
    names = {aliases.token_for(name): name for group in alternatives for name in group}
    for term, token in surface.items():
        if token in names:
            surface[term] = names[token]  # an alternative reads as written in the feature, not as its token
    value_terms = frozenset(t for t in weights if t.isdigit())
    debunks = debunk_cues(normalize_text(text))
    named = {term for term, _, _ in slots}
    frame = frozenset(t for t in weights if t not in value_terms and t not in named)
    units = {t: round(1000 * w) for t, w in weights.items()}
    frame_weights = tuple((t, w) for t, w in weights.items() if t in frame)
    return PreparedClaim(
        text,
        weights,
        surface,
        values,
        value_terms,
        tuple(slots),
        cues,
        debunks,
        frame,
        units,
        total=sum(weights.values()),
        frame_weights=frame_weights,
        frame_total=sum(w for _, w in frame_weights),
        bits={t: 1 << i for i, t in enumerate(weights)},
        subject=next((t for at, t in names_found if at < _SUBJECT_WITHIN and t in declared), None),
        names=frozenset(t for _, t in names_found),
        predicate=_lower_case_terms(text, aliases, frame),
    )


_ASIDE = re.compile(r"\(\s*((?:[^()\s]+\s*){1,3})\)")


def _disambiguators(normalized: str, values: Sequence[Value]) -> frozenset[Value]:
    """Years in a short aside that tells one namesake from another ("Australia (2008 film)", "Dreamer (2005
    film)"): part of the name, not a fact the claim states, so a source need not give them."""
    asides = [m.span() for m in _ASIDE.finditer(normalized)]
    return frozenset(
        v for v in values if v.kind is ValueKind.YEAR and any(a <= v.start and v.end <= b for a, b in asides)
    )


@lru_cache(maxsize=8192)
def capitalized_terms(text: str, *, first: bool) -> frozenset[str]:
    """The key terms of the words ``text`` writes with a capital. Its first word counts when ``first`` is true, or
    when the word after it has a capital too (a name that opens the text: "North Korean leader...")."""
    words = _WORD.findall(text)
    opening = first or (len(words) > 1 and words[1][0].isupper())
    chosen = [w for i, w in enumerate(words) if w[0].isupper() and (i or opening)]
    return frozenset(_term(t) for w in chosen for t in tokenize(normalize_text(w)))


def _lower_case_terms(text: str, aliases: AliasTable, frame: frozenset[str]) -> frozenset[str]:
    """The terms of ``frame`` that the claim writes only in lower case, its first word aside, and not as a verb
    form ("-ing", "-ed" but after an article: "a shipping company"): what it says of its subject ("a driver" in
    "Kendall Jenner is a driver"). Verb forms are left out, as news paraphrases them most ("is working with" is
    stated by "has a partnership with")."""
    lower: set[str] = set()
    upper: set[str] = set()
    words = _WORD.findall(text)
    for position, word in enumerate(words):
        after_article = position > 0 and words[position - 1].lower() in _ARTICLES  # "a shipping company"
        verb = word.lower().endswith(("ing", "ed")) and not after_article
        for token in tokenize(aliases.apply(normalize_text(word))):
            (lower if position and word[0].islower() and not verb else upper).add(_term(token))
    return frozenset((lower - upper - _MODIFIERS) & frame)


_ARTICLES = frozenset("a an the its their his her our this that".split())
_MODIFIER_WORDS = ("only", "solely", "exclusively", "just", "also", "still", "not", "now", "never")
_MODIFIERS = frozenset(map(_term, _MODIFIER_WORDS))
"""Words that qualify what a claim says rather than say it: not required of a passage stating it."""


def _heavy(item: tuple[str, float]) -> tuple[float, str]:
    return -item[1], item[0]


_PERIODS = frozenset({ValueKind.WEEK, ValueKind.MONTH})
"""Relative periods ("earlier this month", "until next week"): once resolved against the source's publication,
their words are not key terms; the value is compared instead (a date inside the period gives it)."""
_WORD = re.compile(r"[A-Za-z][\w'’&.-]*")
_COMMON = 4.2
"""A capitalized word (not the first) is a name when its lowercase form is rarer than this (Zipf): "Mercedes" (4.0)
is, "Police" (5.3) is not."""
_TITLE_CASE = 0.6


_SUBJECT_WITHIN = 3
"""The subject is a name among the claim's first words ("Mercedes is partnering", "The Norvane board"): a name
further on ("... near Mexico") is a detail a source may well write otherwise ("Mexican")."""


def _declared(aliases: AliasTable) -> frozenset[str]:
    """The key terms of the names the editors declared (aliases and alternatives), once per table."""
    terms: frozenset[str] = aliases.derived(
        "declared", lambda table: frozenset(_term(table.token_for(name)) for name, _ in table.names)
    )
    return terms


def _names(
    text: str, aliases: AliasTable, weights: Mapping[str, float], declared: frozenset[str]
) -> list[tuple[int, str]]:
    """(word position, key term) of the claim's proper names, in order: names the editors declared (aliases and
    alternatives), acronyms ("BMW", "ISIS"), and capitalized words rarer than :data:`_COMMON` that do not open the
    claim. A capitalized first word is not a name by itself ("Rare meteorite...", "Attorney: ..."), and a claim in
    title case ("Apple Installing Safes In Stores") has no names by its capitals at all, only declared ones."""
    from wordfreq import zipf_frequency

    words = _WORD.findall(text)
    long_words = [w for w in words if len(w) > 3]
    title = bool(long_words) and sum(w[0].isupper() for w in long_words) >= _TITLE_CASE * len(long_words)
    shouted = title and _shouted(words)
    found = []
    head, colon, _ = text.partition(":")
    label = len(_WORD.findall(head)) - 1 if colon and len(_WORD.findall(head)) <= 3 else -1  # "WSJ:", "BREAKING:"
    for position, word in enumerate(words):
        if position <= label:
            continue
        tokens = tokenize(aliases.apply(normalize_text(word)))
        term = _term(tokens[0]) if tokens else ""
        if term not in weights or term.isdigit():
            continue
        bare = word.strip(".'’-:")
        # Not shouted words ("SHOCK", "BREAKING"), and nothing by its capitals in a headline in title case.
        acronym = 2 <= len(bare) <= 4 and bare.isupper() and bare.isalpha() and not shouted
        rare = zipf_frequency(bare.lower(), "en") < _COMMON
        capital = not title and position > label + 1 and word[0].isupper() and rare
        if term in declared or acronym or capital:
            found.append((position, term))
    return found


def _shouted(words: Sequence[str]) -> bool:
    """A headline with a word of five capitals or more ("SHOCK", "BREAKING") shouts: its capitals name nothing."""
    return any(len(w) >= 5 and w.isupper() and w.isalpha() for w in words)


REFUSALS = frozenset("refuse refused refuses fail failed fails unable".split())
"""The verbs of "refused to", "failed to", "unable to": cues of the claim's polarity, not what it is about."""


def _key_term_weights(tokens: Iterable[str]) -> tuple[dict[str, float], dict[str, str]]:
    """Each key term of a claim (stemmed; stopwords, negations and hedges left out: they are cues) with its
    weight by rarity, and the word it was written as."""
    weights: dict[str, float] = {}
    surface: dict[str, str] = {}
    for token in tokens:
        if token in STOPWORDS or token in NEGATIONS or token in HEDGES or token in REFUSALS or token.endswith("n't"):
            continue
        term = _term(token)
        if term not in weights:
            weights[term] = term_weight(token)
            surface[term] = token
    return weights, surface


def _alternative_slots(
    alternatives: Sequence[Sequence[str]], aliases: AliasTable, weights: Mapping[str, float]
) -> list[tuple[str, frozenset[str], dict[str, str]]]:
    """(the claim's own name, the other names, term → name) for each group of alternatives the claim names
    exactly one of."""
    slots = []
    for group in alternatives:
        group_terms = {_term(aliases.token_for(name)): name for name in group}
        own = [t for t in group_terms if t in weights]
        if len(own) == 1:
            slots.append((own[0], frozenset(group_terms) - {own[0]}, group_terms))
    return slots


def covered_terms(claim: PreparedClaim, prepared: PreparedSource, *, score_cutoff: int = 88) -> frozenset[str]:
    """The claim's key terms found anywhere in the source, a misspelling counting for the word.

    Every passage covers a subset of these, so their weight bounds every passage's score
    (see :mod:`checks.engine.index`, which computes the same set for many sources at once).
    """
    return frozenset(t for t in claim.weights if holds_term(prepared, t, score_cutoff=score_cutoff))


def holds_term(prepared: PreparedSource, term: str, *, score_cutoff: int = 88) -> bool:
    """Whether the source holds ``term`` anywhere, a misspelling counting for the word."""
    return term in prepared.postings or _spelling(term, prepared, score_cutoff) is not None


def _spelling(term: str, prepared: PreparedSource, score_cutoff: int) -> str | None:
    """The source's closest spelling of a long word it does not hold as such, if one is similar enough."""
    if not fuzzy_eligible(term) or not prepared.fuzzy_vocabulary:
        return None
    hit = process.extractOne(term, prepared.fuzzy_vocabulary, scorer=fuzz.ratio, score_cutoff=score_cutoff)
    return None if hit is None else hit[0]


def match_claim(
    claim: PreparedClaim,
    prepared: PreparedSource,
    *,
    score_cutoff: int = 88,
    related: int = 0,
    spellings: Spellings | None = None,
) -> list[Candidate]:
    """The passages (and neighbouring pairs) that share key terms with the claim, best first.

    With ``related``, only the spans whose score or frame score reaches it are returned, and the best
    span whatever its score: the others cannot change a verdict, and building them is most of the cost.
    ``spellings`` (:meth:`checks.engine.index.SourceIndex.spellings`): the misspellings of each claim term across
    all sources, closest first, looked up once per claim instead of in each source; the same result.
    """
    if not claim.weights or not prepared.passages:
        return []
    hits = _hits(claim, prepared, score_cutoff, spellings)
    if not hits:
        return []
    passages = prepared.passages
    spans: dict[tuple[int, int], int] = {(i, i): found for i, found in hits.items()}
    for index, found in hits.items():
        other = hits.get(index + 1)
        if other is None or passages[index + 1].section is not passages[index].section:
            continue
        union = found | other
        if union != found and union != other:  # a pair must cover more than either sentence
            spans[(index, index + 1)] = union
    scores = claim.scores
    scored = []
    for (first, last), found in spans.items():
        key = (found, first != last)
        known = scores.get(key)
        if known is None:
            known = scores[key] = _scores(claim, found, pair=first != last)
        score, frame_score = known
        # Ties go to the article body before headlines, summaries and FAQs: the body is the reporting.
        order = (-score, -frame_score, SECTION_PRIORITY[passages[first].section], passages[first].start, first, last)
        scored.append((order, score, frame_score, found))
    scored.sort(key=lambda item: item[0])
    kept = [item for rank, item in enumerate(scored) if rank == 0 or item[1] >= related or item[2] >= related]
    candidates = []
    for (*_, first, last), score, frame_score, found in kept:  # the order ends with the span's passages
        candidates.append(_candidate(claim, prepared, first, last, score, frame_score, found))
    return candidates


def _scores(claim: PreparedClaim, found: int, *, pair: bool) -> tuple[int, int]:
    """Score and frame score of a span holding the claim terms ``found`` (bits)."""
    penalty = 0.9 if pair else 1.0  # a pair must earn its place: it covers more than either sentence, at a cost
    bits = claim.bits
    # Summed in the claim's order, not a set's: the same float in every process, whatever its hash seed.
    score = round(100 * penalty * sum(w for t, w in claim.weights.items() if bits[t] & found) / claim.total)
    if not claim.frame_total:
        return score, score
    frame_covered = sum(w for t, w in claim.frame_weights if bits[t] & found)
    return score, round(100 * penalty * frame_covered / claim.frame_total)


def _hits(
    claim: PreparedClaim, prepared: PreparedSource, score_cutoff: int, spellings: Spellings | None
) -> dict[int, int]:
    """Passage index → the claim terms it contains, as bits (a misspelt word counts for the claim's)."""
    mapping: dict[str, str] = {}  # source term → claim term
    postings = prepared.postings
    for term in claim.weights:
        if term in postings:
            mapping[term] = term
            continue
        if spellings is None:
            spelling = _spelling(term, prepared, score_cutoff)
        else:
            spelling = next((s for s in spellings.get(term, ()) if s in postings), None)
        if spelling is not None:
            mapping.setdefault(spelling, term)
    hits: dict[int, int] = {}
    bits = claim.bits
    for source_term, claim_term in mapping.items():
        bit = bits[claim_term]
        for index in postings[source_term]:
            hits[index] = hits.get(index, 0) | bit
    return hits


def _candidate(
    claim: PreparedClaim, prepared: PreparedSource, first: int, last: int, score: int, frame_score: int, found: int
) -> Candidate:
    """A span of passages (``first`` to ``last``), built only for the spans that can decide a verdict."""
    group = prepared.passages[first : last + 1]
    matched = frozenset(t for t, bit in claim.bits.items() if bit & found)
    return Candidate(
        start=group[0].start,
        end=group[-1].end,
        section=group[0].section,
        score=score,
        frame_score=frame_score,
        matched=matched,
        missing=frozenset(claim.weights) - matched,
        cues=frozenset().union(*(p.cues for p in group)),
        values=tuple(v for p in group for v in p.values),
        first=first,
        last=last,
        postings=prepared.postings,
    )
