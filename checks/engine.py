"""The verdict engine: a pure function of (claim, sources, aliases, thresholds).

It knows nothing of pytest, files or HTML. For each source it finds the passages that speak to
the claim (:mod:`checks.matching`), then decides, in this order:

1. **supported** — a passage covers at least ``supported`` % of the claim's key terms, its values
   agree, it names no declared alternative instead, and it neither negates nor hedges.
2. **contradicted** — a passage about the same thing (``related`` % of the claim without its
   values) gives another value in the same slot, names a declared alternative instead of the
   claim's, or negates/denies what the claim asserts.
3. **discussed** — a passage covers at least ``related`` % but hedges ("reportedly", "may"),
   or covers only part of the claim.
4. **not_mentioned** — nothing else.

Similarity alone never makes agreement: "cut rates" and "raised rates" share most words, but
the decision comes from slots and polarity, not from the score.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from functools import lru_cache, partial

import numpy as np
import numpy.typing as npt

from checks.config import Thresholds
from checks.index import Reach, SourceIndex
from checks.matching import (
    Candidate,
    PreparedClaim,
    PreparedSource,
    Spellings,
    covered_terms,
    match_claim,
    prepare_claim,
    prepare_source,
)
from checks.models import SECTION_PRIORITY, Claim, Evidence, Source, SourceVerdict, Verdicts
from checks.normalize import DENIALS, HEDGES, NEGATIONS, AliasTable, normalize_text
from checks.progress import progress
from checks.values import Value, ValueKind, conflicts
from checks.verdicts import Verdict

__all__ = [
    "Decide",
    "TermsOf",
    "check_claim",
    "check_claims",
    "check_values",
    "clear_caches",
    "describe_value",
    "read_sources",
    "screen_claim",
]

Decide = Callable[[Claim, list[int], Callable[[list[int]], list[SourceVerdict]]], Mapping[int, SourceVerdict]]
"""How :func:`screen_claim` gets the verdicts of the sources it keeps: (claim, positions, reader) → verdicts."""
TermsOf = Callable[[Sequence[Source], AliasTable], Sequence[Iterable[str]]]
"""Each source's key terms (:func:`checks.matching.source_terms`), from wherever a caller keeps them."""
_NO_ALIASES = AliasTable()
_DEBUNKS = 2
"""A source calls a story false when it uses this many distinct debunking phrases."""
_NEARBY = 5
"""How many of the best passages about a claim are read for hedges."""
_STATES = 80
"""A negative claim is contradicted by a passage stating its terms this fully without a negation."""
_DEFAULT = Thresholds()


def check_claim(
    claim: Claim | str,
    sources: Sequence[Source],
    *,
    aliases: AliasTable = _NO_ALIASES,
    config: Thresholds = _DEFAULT,
    index: bool | None = None,
) -> Verdicts:
    """One verdict per source, in the order of ``sources``.

    Sources whose reach (:mod:`checks.index`) stays below ``related`` are ``not_mentioned`` without
    being read. With ``index`` the reach of every source comes from an index across them, built once per
    list of sources; without, from each source in turn; by default, the index from ``_INDEX_FROM`` sources
    up. The verdicts are the same.

    >>> from checks.corpus import load_corpus
    >>> corpus = load_corpus("corpus")
    >>> [v.verdict.value for v in check_claim("BMW will integrate Huawei HiCar into its China-made cars in 2026",
    ...                                        corpus.story("bmw-huawei-2025"))]
    ['not_mentioned', 'supported']
    """
    return screen_claim(claim, sources, aliases=aliases, config=config, index=index)


def screen_claim(
    claim: Claim | str,
    sources: Sequence[Source],
    *,
    aliases: AliasTable = _NO_ALIASES,
    config: Thresholds = _DEFAULT,
    index: bool | None = None,
    decide: Decide | None = None,
    terms: TermsOf | None = None,
) -> Verdicts:
    """:func:`check_claim`, with a say in how sources are read; :attr:`Verdicts.read` tells the sources read
    from those screened out.

    ``decide`` (the claim, the positions of the sources to read and a function reading positions → their
    verdicts) lets a caller answer some from elsewhere, a cache for instance; by default all are read.
    ``terms`` likewise gives each source's key terms (:func:`checks.matching.source_terms`) when the index
    across sources is built.
    """
    if isinstance(claim, str):
        claim = Claim(claim)
    table = _with_alternatives(aliases, claim.alternatives)
    probe = prepare_claim(claim.text, table, alternatives=claim.alternatives)
    if not probe.weights:
        rule = "the claim has no key terms to look for"
        return Verdicts(len(sources), {}, lambda i: _verdict(sources[i], Verdict.NOT_MENTIONED, 0, rule, None))
    spellings = None
    if index or (index is None and len(sources) >= _INDEX_FROM):
        across = _index(sources, table, terms)
        reach = across.reach(probe, score_cutoff=config.fuzzy_token)
        spellings = across.spellings(probe, score_cutoff=config.fuzzy_token)
    else:
        found = [covered_terms(probe, _prepared(s, table), score_cutoff=config.fuzzy_token) for s in sources]
        reach = Reach.of_terms(probe, found)
    total = sum(probe.units.values())
    frame_total = sum(probe.units[t] for t in probe.frame)
    reads = _may_reach(reach.covered, total, config.related)
    if frame_total:
        reads |= _may_reach(reach.frame, frame_total, config.related)
    read = np.flatnonzero(reads).tolist()

    def read_positions(positions: list[int]) -> list[SourceVerdict]:
        chosen = [sources[i] for i in positions]
        return read_sources(claim, chosen, aliases=aliases, config=config, spellings=spellings)

    if decide is None:
        decided: Mapping[int, SourceVerdict] = dict(zip(read, read_positions(read), strict=True))
    else:
        decided = decide(claim, read, read_positions)
    # Shares of the claim found anywhere, rounded half up in whole numbers, for the sources screened out.
    shares = np.minimum(100, (200 * reach.covered + total) // (2 * total))
    covered = reach.covered

    def silent(i: int) -> SourceVerdict:
        return _silent(sources[i].id, int(shares[i]), bool(covered[i] > 0))

    return Verdicts(len(sources), decided, silent)


def _may_reach(covered: npt.NDArray[np.int64], total: int, score: int) -> npt.NDArray[np.bool_]:
    """Sources whose reach (``covered`` of ``total`` units) lets a passage score ``score``. One point of margin
    for the rounding of scores: weights are floats, units whole thousandths."""
    return np.asarray(100 * covered >= (score - 1) * total)


def read_sources(
    claim: Claim,
    sources: Sequence[Source],
    *,
    aliases: AliasTable = _NO_ALIASES,
    config: Thresholds = _DEFAULT,
    spellings: Spellings | None = None,
) -> list[SourceVerdict]:
    """Read each source passage by passage, without screening: for the sources :func:`screen_claim` keeps.
    ``spellings``: see :func:`checks.matching.match_claim`."""
    table = _with_alternatives(aliases, claim.alternatives)
    # A claim depends on a source only through its publication date ("later this year").
    by_date: dict[date | None, PreparedClaim] = {}
    verdicts = []
    for source in sources:
        published = source.metadata.published_date()
        if published not in by_date:
            by_date[published] = prepare_claim(claim.text, table, alternatives=claim.alternatives, published=published)
        verdicts.append(decide_verdict(by_date[published], _prepared(source, table), config, spellings))
    return verdicts


@lru_cache(maxsize=1 << 18)
def _silent(source_id: str, share: int, shares_terms: bool) -> SourceVerdict:
    """The verdict of a source screened out. By far the most frequent verdict, and frozen: shared, not rebuilt."""
    if shares_terms:
        rule = f"no passage speaks to the claim: only {share} % of its key terms appear anywhere in the source"
    else:
        rule = "no passage shares a key term with the claim"
    return SourceVerdict(source=source_id, verdict=Verdict.NOT_MENTIONED, score=share, rule=rule)


def check_claims(
    claims: Sequence[Claim | str],
    sources: Sequence[Source],
    *,
    aliases: AliasTable = _NO_ALIASES,
    config: Thresholds = _DEFAULT,
) -> list[list[SourceVerdict]]:
    """Batch form of :func:`check_claim`: one list of verdicts per claim. Pure, so it can be mapped
    over partitions of the sources."""
    return [list(check_claim(claim, sources, aliases=aliases, config=config)) for claim in claims]


def decide_verdict(
    claim: PreparedClaim, prepared: PreparedSource, config: Thresholds, spellings: Spellings | None = None
) -> SourceVerdict:
    """Apply the decision rules (module docstring) to one prepared claim and source."""
    source = prepared.source
    if not claim.weights:
        return _verdict(source, Verdict.NOT_MENTIONED, 0, "the claim has no key terms to look for", None)
    cutoff = config.fuzzy_token
    candidates = match_claim(claim, prepared, score_cutoff=cutoff, related=config.related, spellings=spellings)
    related = [c for c in candidates if c.frame_score >= config.related or c.score >= config.related]
    debunked = _debunked(claim, prepared)
    if debunked and related:
        best_related = related[0]
        rule = f"the source calls the story false ({', '.join(repr(c) for c in sorted(debunked))})"
        return _verdict(source, Verdict.CONTRADICTED, best_related.frame_score, rule, best_related)
    nearby = _nearby_hedges(claim, related, config)
    for candidate in related:
        if candidate.score < config.supported:
            break
        if not _problems(claim, candidate):
            if nearby:
                rule = f"reports it, hedged nearby ({_cue_list(nearby, HEDGES)}): the source does not assert it"
                return _verdict(source, Verdict.DISCUSSED, candidate.score, rule, candidate)
            return _verdict(source, Verdict.SUPPORTED, candidate.score, _supports(claim, candidate), candidate)
    by_frame = sorted(related, key=lambda c: (-c.frame_score, -c.score, c.start))
    for candidate in by_frame:
        if candidate.frame_score < config.related:
            break
        reason = _contradiction(claim, candidate, strong=candidate.frame_score >= config.slot)
        if reason:
            return _verdict(source, Verdict.CONTRADICTED, candidate.frame_score, reason, candidate)
    best = candidates[0] if candidates else None
    if best is not None and best.score >= config.related:
        absent = [v for v in claim.values if v.kind not in prepared.value_kinds]
        if absent:
            rule = f"the source gives no {' or '.join(describe_value(v) for v in absent)} (no such figure at all)"
            return _verdict(source, Verdict.NOT_MENTIONED, best.score, rule, best)
        return _verdict(source, Verdict.DISCUSSED, best.score, _discusses(claim, best, config), best)
    if best is None:
        return _verdict(source, Verdict.NOT_MENTIONED, 0, "no passage shares a key term with the claim", None)
    return _verdict(
        source,
        Verdict.NOT_MENTIONED,
        best.score,
        f"no passage speaks to the claim; the closest mentions only {_terms(claim, best.matched)}",
        best,
    )


def _debunked(claim: PreparedClaim, prepared: PreparedSource) -> frozenset[str]:
    """Debunking phrases of the source, when there are at least two and the claim has none."""
    if len(prepared.debunks) < _DEBUNKS or claim.cues & DENIALS or claim.debunks:
        return frozenset()
    return prepared.debunks


def _nearby_hedges(claim: PreparedClaim, related: Sequence[Candidate], config: Thresholds) -> frozenset[str]:
    """Hedges in the other passages about the claim: a source that restates a claim once and
    calls it "reportedly" or "unconfirmed" elsewhere reports it without asserting it."""
    cues: set[str] = set()
    for candidate in related[:_NEARBY]:
        if candidate.frame_score >= config.slot:
            cues |= candidate.cues & HEDGES
    return frozenset(cues - claim.cues)


def _problems(claim: PreparedClaim, candidate: Candidate) -> bool:
    return bool(_contradiction(claim, candidate) or _hedge(claim, candidate) or _lacks_values(claim, candidate))


def _contradiction(claim: PreparedClaim, candidate: Candidate, *, strong: bool = True) -> str | None:
    """Why the passage contradicts the claim, or None. Value and alternative slots are only compared
    on ``strong`` passages (about the same thing as the claim); negation on any related passage."""
    if not strong:
        return _denial(claim, candidate)
    for own, others, names in claim.slots:
        if not candidate.holds(own):
            named = sorted(names[t] for t in others if candidate.holds(t))
            if named:
                return f"names another alternative: claim says {names[own]}, source says {' / '.join(named)}"
    clashes = conflicts(claim.values, candidate.values)
    if clashes:
        said, found = clashes[0]
        return (
            f"{_KIND_WORDS[said.kind]} differs: claim says {describe_value(said)}, source says {describe_value(found)}"
        )
    direction = _direction(claim, candidate)
    if direction:
        return direction
    return _polarity(claim, candidate)


def _direction(claim: PreparedClaim, candidate: Candidate) -> str | None:
    """Opposite directions ("cut" and "raised") on a passage about the same thing."""
    said = {c for c in claim.cues if c.startswith("direction:")}
    found = {c for c in candidate.cues if c.startswith("direction:")}
    if len(said) == 1 and len(found) == 1 and said != found:
        words = {"direction:up": "up (raise, increase...)", "direction:down": "down (cut, lower...)"}
        return f"direction differs: claim says {words[next(iter(said))]}, source says {words[next(iter(found))]}"
    return None


def _denial(claim: PreparedClaim, candidate: Candidate) -> str | None:
    denials = candidate.cues & DENIALS
    if denials and not claim.cues & DENIALS:
        return f"the source denies it ({_cue_list(denials, DENIALS)})"
    return None


def _polarity(claim: PreparedClaim, candidate: Candidate) -> str | None:
    """On a passage that restates the claim: one negates what the other asserts."""
    denial = _denial(claim, candidate)
    if denial:
        return denial
    claim_negated = _negated(claim.cues)
    source_negated = _negated(candidate.cues)
    if source_negated and not claim_negated and candidate.score >= _STATES:
        return f"the source negates it ({_cue_list(candidate.cues, NEGATIONS)})"
    if claim_negated and not source_negated and candidate.score >= _STATES:
        return "the claim is negative, the source states it as fact"
    return None


def _hedge(claim: PreparedClaim, candidate: Candidate) -> str | None:
    hedges = (candidate.cues & HEDGES) - claim.cues
    if hedges:
        return f"hedged ({_cue_list(hedges, HEDGES)}): the source reports it without asserting it"
    return None


def _lacks_values(claim: PreparedClaim, candidate: Candidate) -> bool:
    """The passage gives no value of a kind the claim states (a year counts as given by a date)."""
    kinds = {v.kind for v in candidate.values}
    return any(v.kind not in kinds and not _year_like(v, kinds) for v in claim.values)


def _year_like(value: Value, kinds: set[ValueKind]) -> bool:
    return value.kind is ValueKind.YEAR and bool(kinds & {ValueKind.DATE, ValueKind.MONTH})


def _supports(claim: PreparedClaim, candidate: Candidate) -> str:
    return f"states it: matches {_terms(claim, candidate.matched)} ({candidate.score} % of the claim's key terms)"


def _discusses(claim: PreparedClaim, candidate: Candidate, config: Thresholds) -> str:
    hedge = _hedge(claim, candidate)
    if hedge:
        return hedge
    if candidate.score < config.supported:
        return f"partly matches: mentions {_terms(claim, candidate.matched)}; not {_terms(claim, candidate.missing)}"
    return f"covers the claim ({candidate.score} %) without asserting it"


def _negated(cues: Iterable[str]) -> bool:
    return any(c in NEGATIONS or c.endswith("n't") for c in cues)


def _cue_list(cues: Iterable[str], vocabulary: frozenset[str]) -> str:
    return ", ".join(f"'{c}'" for c in sorted(cues) if c in vocabulary or c.endswith("n't"))


def _terms(claim: PreparedClaim, terms: Iterable[str]) -> str:
    ordered = [claim.surface[t] for t in claim.weights if t in set(terms)]
    return ", ".join(ordered) if ordered else "nothing"


_KIND_WORDS = {
    ValueKind.PERCENT: "number",
    ValueKind.MONEY: "amount",
    ValueKind.NUMBER: "number",
    ValueKind.YEAR: "year",
    ValueKind.DATE: "date",
    ValueKind.MONTH: "month",
}


def describe_value(value: Value) -> str:
    """How a value reads in a rule: ``40 %``, ``nearly 25 %``, ``2026``, ``2025-03-17``."""
    prefix = f"{value.approx} " if value.approx else ""
    if value.kind is ValueKind.PERCENT:
        return f"{prefix}{_number(value.amount)} %"
    if value.kind is ValueKind.MONEY:
        return f"{prefix}{_number(value.amount)} {value.unit}"
    if value.kind is ValueKind.YEAR:
        year = f"{value.amount:.0f}" if isinstance(value.amount, float) else value.amount
        return f"{value.text} ({year})" if not value.text[-1].isdigit() else f"{prefix}{year}"
    if isinstance(value.amount, str):
        return f"{prefix}{value.amount}"
    return f"{prefix}{_number(value.amount)}"


def _number(amount: float | str) -> str:
    if isinstance(amount, str):
        return amount
    return f"{amount:,.0f}" if amount == int(amount) else f"{amount:,.2f}".rstrip("0")


def _verdict(
    source: Source,
    verdict: Verdict,
    score: int,
    rule: str,
    candidate: Candidate | None,
    values: list[str] | None = None,
) -> SourceVerdict:
    evidence = None
    if candidate is not None and verdict is not Verdict.NOT_MENTIONED:
        evidence = Evidence(
            quote=source.text[candidate.start : candidate.end],
            start=candidate.start,
            end=candidate.end,
            section=candidate.section,
        )
    return SourceVerdict(
        source=source.id,
        verdict=verdict,
        score=max(0, min(100, score)),
        rule=rule,
        evidence=evidence,
        values=values or [],
    )


# --- agreement on a value ------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Found:
    value: str
    candidate: Candidate


def check_values(
    question: str,
    values: Sequence[tuple[str, Sequence[str]]],
    sources: Sequence[Source],
    *,
    aliases: AliasTable = _NO_ALIASES,
    config: Thresholds = _DEFAULT,
    index: bool | None = None,
) -> Verdicts:
    """Which of ``values`` (name, other spellings) each source asserts, with the evidence.

    A source asserts a value when a passage outside boilerplate names it without negating it.
    The verdict is ``supported`` when the source names one or more values (listed in ``values``),
    ``not_mentioned`` when it names none. Only sources holding (nearly) every key term of some value are
    read: a passage names a value only when it covers all of it (``index`` as in :func:`check_claim`).
    """
    table = aliases.merged(AliasTable.from_rows(values))
    names = [name for name, _ in values]
    name_claims = [prepare_claim(name, table) for name in names]
    question_claim = prepare_claim(question, table)
    none = f"names none of: {', '.join(names)}"
    positions: Iterable[int] = range(len(sources))
    if index or (index is None and len(sources) >= _INDEX_FROM):
        across = _index(sources, table)
        reads = np.zeros(len(sources), dtype=bool)
        for name_claim in name_claims:
            if name_claim.weights:  # a passage names a value with a score of 100
                covered = across.reach(name_claim, score_cutoff=100).covered
                reads |= _may_reach(covered, sum(name_claim.units.values()), 100)
        positions = np.flatnonzero(reads).tolist()
    verdicts: dict[int, SourceVerdict] = {}
    for position in positions:
        source = sources[position]
        prepared = _prepared(source, table)
        found: list[_Found] = []
        for name, name_claim in zip(names, name_claims, strict=True):
            best = _best_passage_naming(name_claim, question_claim, prepared)
            if best is not None:
                found.append(_Found(name, best))
        if not found:
            verdicts[position] = _verdict(source, Verdict.NOT_MENTIONED, 0, none, None)
            continue
        found.sort(key=lambda f: f.candidate.start)
        named = [f.value for f in found]
        lead = found[0].candidate
        rule = "names " + " and ".join(named)
        verdicts[position] = _verdict(source, Verdict.SUPPORTED, 100, rule, lead, values=named)
    return Verdicts(len(sources), verdicts, lambda i: _verdict(sources[i], Verdict.NOT_MENTIONED, 0, none, None))


def _best_passage_naming(name: PreparedClaim, question: PreparedClaim, prepared: PreparedSource) -> Candidate | None:
    # A single passage (pairs score below 100) that names the value and does not negate it.
    naming = [c for c in match_claim(name, prepared, score_cutoff=100) if c.score == 100 and not _negated(c.cues)]
    if not naming:
        return None
    return min(naming, key=lambda c: (SECTION_PRIORITY[c.section], -sum(map(c.holds, question.weights)), c.start))


# --- preparation cache ---------------------------------------------------------------------------

_CACHE: OrderedDict[tuple[str, str, str], PreparedSource] = OrderedDict()
_CACHE_SIZE = 131_072
"""Prepared sources kept (about 20 KB each): every source of an archive of 100k, so that each is prepared once per
run, not once per claim that reads it. A cache smaller than the sources read thrashes: with 16k kept, 30k sources
took 6 times as long as 10k."""


def _prepared(source: Source, aliases: AliasTable) -> PreparedSource:
    key = (source.id, source.sha256, aliases.key)
    hit = _CACHE.get(key)
    if hit is not None and hit.source is source:
        _CACHE.move_to_end(key)
        return hit
    prepared = prepare_source(source, aliases)
    _CACHE[key] = prepared
    if len(_CACHE) > _CACHE_SIZE:
        _CACHE.popitem(last=False)
    return prepared


_INDEX_FROM = 32
"""Fewer sources are screened one by one: building an index for a handful costs more than it saves."""
_INDEXES: OrderedDict[tuple[str, int, int, int], tuple[tuple[Source, ...], SourceIndex]] = OrderedDict()
_INDEXES_KEPT = 4


def _index(sources: Sequence[Source], aliases: AliasTable, terms: TermsOf | None = None) -> SourceIndex:
    """The index across ``sources``, built once per list of (the same) sources and alias table.

    Looked up by identity, which is cheap per claim even for 100k sources; the entry holds the sources,
    so their identities cannot be reused by others while it is kept.
    """
    key = (aliases.key, len(sources), id(sources[0]) if sources else 0, id(sources[-1]) if sources else 0)
    found = _INDEXES.get(key)
    if found is None or (found[0] is not sources and any(a is not b for a, b in zip(found[0], sources, strict=True))):
        held = terms(sources, aliases) if terms is not None else None
        index = SourceIndex(sources, aliases, progress=partial(progress, what="indexing sources"), terms=held)
        found = _INDEXES[key] = (sources if isinstance(sources, tuple) else tuple(sources), index)
        if len(_INDEXES) > _INDEXES_KEPT:
            _INDEXES.popitem(last=False)
    _INDEXES.move_to_end(key)
    return found[1]


def clear_caches() -> None:
    """Forget the prepared sources and indexes kept between claims (they are rebuilt when needed)."""
    _CACHE.clear()
    _INDEXES.clear()
    _silent.cache_clear()


def _with_alternatives(aliases: AliasTable, alternatives: Sequence[Sequence[str]]) -> AliasTable:
    if not alternatives:
        return aliases
    extra = [(name, ()) for group in alternatives for name in group if normalize_text(name)]
    return aliases.merged(AliasTable.from_rows(extra))
