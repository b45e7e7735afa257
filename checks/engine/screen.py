"""The engine object: screens every source for a claim, reads the ones that may speak to it, and keeps what
it prepared (sources, indexes across sources) for the next claim.

It knows nothing of pytest, files or HTML. Its caches belong to the :class:`Engine` passed in, never to module
globals: a benchmark, the CLI, the pytest plugin or a distributed runner each hold their own.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from datetime import date
from functools import lru_cache
from typing import Literal

import numpy as np
import numpy.typing as npt

from checks.config import Thresholds
from checks.engine.combine import SHORT_SOURCE, Model, combine, weighed
from checks.engine.corrections import retraction
from checks.engine.index import Reach, SourceIndex
from checks.engine.matching import (
    PreparedClaim,
    PreparedSource,
    Spellings,
    covered_terms,
    prepare_claim,
    prepare_source,
)
from checks.engine.normalize import AliasTable, normalize_text
from checks.engine.rules import Reading, make_verdict, read_pair
from checks.engine.signals import signals
from checks.models import Claim, Source, SourceVerdict, Verdicts
from checks.progress import QUIET, Progress
from checks.verdicts import Verdict

__all__ = [
    "NO_ALIASES",
    "Decide",
    "Engine",
    "EngineMode",
    "TermsOf",
    "check_claim",
    "check_claims",
    "may_reach",
    "with_alternatives",
]

EngineMode = Literal["learned", "rules"]
"""``learned`` (the default): the rules' reading weighed by the shipped combiner (:mod:`checks.engine.combine`),
which may not overrule the hard rules; ``rules``: the decision rules alone, for comparison."""
Decide = Callable[[Claim, list[int], Callable[[list[int]], list[SourceVerdict]]], Mapping[int, SourceVerdict]]
"""How :meth:`Engine.screen_claim` gets the verdicts of the sources it keeps: (claim, positions, reader) → verdicts."""
TermsOf = Callable[[Sequence[Source], AliasTable], Sequence[Iterable[str]]]
"""Each source's key terms (:func:`checks.engine.matching.source_terms`), from wherever a caller keeps them."""
NO_ALIASES = AliasTable()
INDEX_FROM = 32
"""Fewer sources are screened one by one: building an index for a handful costs more than it saves."""
PREPARED_KEPT = 131_072
"""Prepared sources kept (about 20 KB each): every source of an archive of 100k, so that each is prepared once per
run, not once per claim that reads it. A cache smaller than the sources read thrashes: with 16k kept, 30k sources
took 6 times as long as 10k."""
INDEXES_KEPT = 4


class Engine:
    """Verdicts of claims against sources, with the prepared sources and indexes kept between claims.

    ``aliases`` and ``thresholds`` are the defaults of every call (a call may pass its own alias table);
    ``progress`` draws bars for long work such as indexing thousands of sources.

    >>> from checks.corpus import load_corpus
    >>> engine = Engine()
    >>> story = load_corpus("corpus").story("bmw-huawei-2025")
    >>> [v.verdict.value for v in engine.check_claim("BMW will integrate Huawei HiCar into its China-made cars", story)]
    ['discussed', 'supported']
    >>> from checks.models import Claim
    >>> claim = Claim("BMW will integrate Huawei HiCar into its China-made cars", (("HiCar", "HarmonyOS NEXT"),))
    >>> [(v.verdict.value, v.rule) for v in engine.check_claim(claim, story)][0]
    ('contradicted', 'names another alternative: claim says HiCar, source says HarmonyOS NEXT')
    """

    def __init__(
        self,
        aliases: AliasTable = NO_ALIASES,
        thresholds: Thresholds | None = None,
        *,
        progress: Progress = QUIET,
        prepared_kept: int = PREPARED_KEPT,
        mode: EngineMode = "learned",
        model: Model | None = None,
    ) -> None:
        if mode not in ("learned", "rules"):
            raise ValueError(f"unknown engine mode {mode!r}: learned or rules")
        self.aliases = aliases
        self.mode: EngineMode = mode
        self.model = model
        self.thresholds = thresholds if thresholds is not None else Thresholds()
        self.progress = progress
        self._prepared: OrderedDict[tuple[str, str, str], PreparedSource] = OrderedDict()
        self._prepared_kept = prepared_kept
        self._indexes: OrderedDict[tuple[str, int, int, int], tuple[tuple[Source, ...], SourceIndex]] = OrderedDict()
        self._silent = lru_cache(maxsize=1 << 18)(_silent)

    # -- claims --------------------------------------------------------------------------------

    def check_claim(
        self,
        claim: Claim | str,
        sources: Sequence[Source],
        *,
        aliases: AliasTable | None = None,
        index: bool | None = None,
    ) -> Verdicts:
        """One verdict per source, in the order of ``sources``.

        Sources whose reach (:mod:`checks.engine.index`) stays below ``related`` are ``not_mentioned`` without
        being read. With ``index`` the reach of every source comes from an index across them, built once per
        list of sources; without, from each source in turn; by default, the index from 32 sources up. The
        verdicts are the same.
        """
        return self.screen_claim(claim, sources, aliases=aliases, index=index)

    def describe_claim(self, claim: Claim | str, *, aliases: AliasTable | None = None) -> str:
        """How the engine reads ``claim`` (:meth:`PreparedClaim.describe`), without a publication date: a
        source's ``published`` also resolves the claim's weekdays and relative dates."""
        found = claim if isinstance(claim, Claim) else Claim(claim)
        table = self.aliases if aliases is None else aliases
        return prepare_claim(found.text, table, alternatives=found.alternatives).describe()

    def check_claims(
        self, claims: Sequence[Claim | str], sources: Sequence[Source], *, aliases: AliasTable | None = None
    ) -> list[list[SourceVerdict]]:
        """Batch form of :meth:`check_claim`: one list of verdicts per claim. Pure, so it can be mapped
        over partitions of the sources."""
        return [list(self.check_claim(claim, sources, aliases=aliases)) for claim in claims]

    def screen_claim(
        self,
        claim: Claim | str,
        sources: Sequence[Source],
        *,
        aliases: AliasTable | None = None,
        index: bool | None = None,
        decide: Decide | None = None,
        terms: TermsOf | None = None,
    ) -> Verdicts:
        """:meth:`check_claim`, with a say in how sources are read; :attr:`Verdicts.read` tells the sources read
        from those screened out.

        ``decide`` (the claim, the positions of the sources to read and a function reading positions → their
        verdicts) lets a caller answer some from elsewhere, a cache for instance; by default all are read.
        ``terms`` likewise gives each source's key terms (:func:`checks.engine.matching.source_terms`) when the
        index across sources is built.
        """
        config = self.thresholds
        aliases = self.aliases if aliases is None else aliases
        if isinstance(claim, str):
            claim = Claim(claim)
        table = with_alternatives(aliases, claim.alternatives)
        probe = prepare_claim(claim.text, table, alternatives=claim.alternatives)
        if not probe.weights:
            rule = "the claim has no key terms to look for"
            return Verdicts(len(sources), {}, lambda i: make_verdict(sources[i], Verdict.NOT_MENTIONED, 0, rule, None))
        spellings = None
        if index or (index is None and len(sources) >= INDEX_FROM):
            across = self.index(sources, table, terms)
            reach = across.reach(probe, score_cutoff=config.fuzzy_token)
            spellings = across.spellings(probe, score_cutoff=config.fuzzy_token)
        else:
            found = [covered_terms(probe, self.prepared(s, table), score_cutoff=config.fuzzy_token) for s in sources]
            reach = Reach.of_terms(probe, found)
        total = sum(probe.units.values())
        frame_total = sum(probe.units[t] for t in probe.frame)
        reads = may_reach(reach.covered, total, config.related)
        if frame_total:
            reads |= may_reach(reach.frame, frame_total, config.related)
        if self.mode == "learned":
            # A sentence-long source sharing a term with the claim is weighed by the combiner even below the
            # screen: for a headline or one evidence sentence, little overlap is not silence.
            for i in np.flatnonzero(~reads & (reach.covered > 0)).tolist():
                reads[i] = len(sources[i].text) <= SHORT_SOURCE
        read = np.flatnonzero(reads).tolist()

        def read_positions(positions: list[int]) -> list[SourceVerdict]:
            chosen = [sources[i] for i in positions]
            return self.read_sources(claim, chosen, aliases=aliases, spellings=spellings)

        if decide is None:
            decided: Mapping[int, SourceVerdict] = dict(zip(read, read_positions(read), strict=True))
        else:
            decided = decide(claim, read, read_positions)
        # Shares of the claim found anywhere, rounded half up in whole numbers, for the sources screened out.
        shares = np.minimum(100, (200 * reach.covered + total) // (2 * total))
        covered = reach.covered

        def silent(i: int) -> SourceVerdict:
            return self._silent(sources[i].id, int(shares[i]), bool(covered[i] > 0))

        return Verdicts(len(sources), decided, silent)

    def read_sources(
        self,
        claim: Claim,
        sources: Sequence[Source],
        *,
        aliases: AliasTable | None = None,
        spellings: Spellings | None = None,
    ) -> list[SourceVerdict]:
        """Read each source passage by passage, without screening: for the sources :meth:`screen_claim` keeps.
        ``spellings``: see :func:`checks.engine.matching.match_claim`. In ``learned`` mode the combiner
        (:mod:`checks.engine.combine`) weighs the rules' reading, except where a hard rule decided."""
        learned = self.mode == "learned"
        table = self._table(claim, aliases)
        verdicts = []
        for prepared_claim, prepared, reading in self._readings(claim, sources, table, spellings):
            retracted = retraction(prepared_claim, prepared.source, table, self.thresholds)
            if retracted is not None:  # the source itself takes it back: the rules and the combiner do not weigh it
                verdicts.append(retracted)
            elif learned and weighed(reading, len(prepared.source.text)):
                vector = signals(prepared_claim, prepared, reading)
                verdicts.append(combine(self.model, prepared_claim, prepared, reading, vector))
            else:
                verdicts.append(reading.verdict)
        return verdicts

    def signals_of(
        self, claim: Claim | str, sources: Sequence[Source], *, aliases: AliasTable | None = None
    ) -> list[tuple[Reading, list[float]] | None]:
        """For each source, the rules' reading and its signal vector (:mod:`checks.engine.signals`), or None for
        a source screened out (never read, so never weighed): what the combiner is trained on."""
        claim = Claim(claim) if isinstance(claim, str) else claim
        found: dict[int, tuple[Reading, list[float]]] = {}

        def decide(_: Claim, positions: list[int], __: object) -> Mapping[int, SourceVerdict]:
            chosen = [sources[i] for i in positions]
            readings = self._readings(claim, chosen, self._table(claim, aliases), None)
            for i, (pc, ps, reading) in zip(positions, readings, strict=True):
                found[i] = (reading, signals(pc, ps, reading))
            return {i: found[i][0].verdict for i in positions}

        self.screen_claim(claim, sources, aliases=aliases, decide=decide, index=False)
        return [found.get(i) for i in range(len(sources))]

    def _table(self, claim: Claim, aliases: AliasTable | None) -> AliasTable:
        """The aliases a claim is read with: the run's (or ``aliases``) and its declared alternatives."""
        return with_alternatives(self.aliases if aliases is None else aliases, claim.alternatives)

    def _readings(
        self, claim: Claim, sources: Sequence[Source], table: AliasTable, spellings: Spellings | None
    ) -> Iterator[tuple[PreparedClaim, PreparedSource, Reading]]:
        """The rules' reading of each source, ``table`` being :meth:`_table` of the claim."""
        # A claim depends on a source only through its publication date ("later this year").
        by_date: dict[date | None, PreparedClaim] = {}
        for source in sources:
            published = source.metadata.published_date()
            if published not in by_date:
                by_date[published] = prepare_claim(
                    claim.text, table, alternatives=claim.alternatives, published=published
                )
            prepared = self.prepared(source, table)
            yield by_date[published], prepared, read_pair(by_date[published], prepared, self.thresholds, spellings)

    # -- what it keeps ---------------------------------------------------------------------------

    def prepared(self, source: Source, aliases: AliasTable) -> PreparedSource:
        """``source`` split into passages with their terms, values and cues; prepared once, then kept."""
        key = (source.id, source.sha256, aliases.key)
        hit = self._prepared.get(key)
        if hit is not None and hit.source is source:
            self._prepared.move_to_end(key)
            return hit
        prepared = prepare_source(source, aliases)
        self._prepared[key] = prepared
        if len(self._prepared) > self._prepared_kept:
            self._prepared.popitem(last=False)
        return prepared

    def index(self, sources: Sequence[Source], aliases: AliasTable, terms: TermsOf | None = None) -> SourceIndex:
        """The index across ``sources``, built once per list of (the same) sources and alias table.

        Looked up by identity, which is cheap per claim even for 100k sources; the entry holds the sources,
        so their identities cannot be reused by others while it is kept.
        """
        key = (aliases.key, len(sources), id(sources[0]) if sources else 0, id(sources[-1]) if sources else 0)
        found = self._indexes.get(key)
        if found is None or (
            found[0] is not sources and any(a is not b for a, b in zip(found[0], sources, strict=True))
        ):
            held = terms(sources, aliases) if terms is not None else None
            each = self.progress.each
            index = SourceIndex(sources, aliases, progress=lambda s: each(s, what="indexing sources"), terms=held)
            found = self._indexes[key] = (sources if isinstance(sources, tuple) else tuple(sources), index)
            if len(self._indexes) > INDEXES_KEPT:
                self._indexes.popitem(last=False)
        self._indexes.move_to_end(key)
        return found[1]

    def clear(self) -> None:
        """Forget the prepared sources and indexes kept between claims (they are rebuilt when needed)."""
        self._prepared.clear()
        self._indexes.clear()
        self._silent.cache_clear()


def check_claim(
    claim: Claim | str,
    sources: Sequence[Source],
    *,
    aliases: AliasTable = NO_ALIASES,
    config: Thresholds | None = None,
    index: bool | None = None,
) -> Verdicts:
    """One verdict per source, in the order of ``sources``, from a fresh :class:`Engine` (nothing kept).

    >>> from checks.corpus import load_corpus
    >>> story = load_corpus("corpus").story("bmw-huawei-2025")
    >>> claim = "BMW will integrate Huawei HiCar into its China-made cars in 2026"
    >>> [v.verdict.value for v in check_claim(claim, story)]
    ['discussed', 'supported']
    """
    return Engine(aliases, config).check_claim(claim, sources, index=index)


def check_claims(
    claims: Sequence[Claim | str],
    sources: Sequence[Source],
    *,
    aliases: AliasTable = NO_ALIASES,
    config: Thresholds | None = None,
) -> list[list[SourceVerdict]]:
    """Batch form of :func:`check_claim`: one engine for every claim, so each source is prepared once."""
    return Engine(aliases, config).check_claims(claims, sources)


def may_reach(covered: npt.NDArray[np.int64], total: int, score: int) -> npt.NDArray[np.bool_]:
    """Sources whose reach (``covered`` of ``total`` units) lets a passage score ``score``. One point of margin
    for the rounding of scores: weights are floats, units whole thousandths."""
    return np.asarray(100 * covered >= (score - 1) * total)


def _silent(source_id: str, share: int, shares_terms: bool) -> SourceVerdict:
    """The verdict of a source screened out. By far the most frequent verdict, and frozen: shared, not rebuilt."""
    if shares_terms:
        rule = f"no passage speaks to the claim: only {share} % of its key terms appear anywhere in the source"
    else:
        rule = "no passage shares a key term with the claim"
    return SourceVerdict(source=source_id, verdict=Verdict.NOT_MENTIONED, score=share, rule=rule)


def with_alternatives(aliases: AliasTable, alternatives: Sequence[Sequence[str]]) -> AliasTable:
    """``aliases`` with every declared alternative name added (each counts as a name of its own)."""
    if not alternatives:
        return aliases
    extra = [(name, ()) for group in alternatives for name in group if normalize_text(name)]
    return aliases.merged(AliasTable.from_rows(extra))
