"""An index across sources: which sources could speak to a claim at all, without reading them.

Every passage's score is a share of the claim's key-term weight, and a passage can only hold
terms its source holds. So the weight of the claim's terms found *anywhere* in a source (its
*reach*) bounds every passage's score. A source whose reach stays below the ``related`` threshold
cannot support, contradict or discuss the claim: the engine says ``not_mentioned`` without
reading it (:func:`checks.engine.check_claim`), with or without this index.

The index computes the reach of every source at once: term → array of the sources holding it,
summed with numpy, and misspellings looked up once per claim in the vocabulary of all sources
(RapidFuzz with ``score_cutoff``) instead of once per source. On FNC-1 (1,648 headlines × 1,683
bodies) about 5 % of the pairs pass; only those are read passage by passage.

Pure and deterministic: sums are of integers (:attr:`PreparedClaim.units`), so the reach is the same
here as in the per-source computation, bit for bit.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from rapidfuzz import fuzz, process

from checks.engine.matching import PreparedClaim, fuzzy_eligible, source_terms
from checks.engine.normalize import AliasTable
from checks.models import Source

__all__ = ["Reach", "SourceIndex"]

Positions = npt.NDArray[np.int32]


@dataclass(frozen=True, slots=True)
class Reach:
    """Per source (in index order): the claim's key-term weight found anywhere in it, in thousandths,
    in total and for the claim's frame (its terms without values and alternative names)."""

    covered: npt.NDArray[np.int64]
    frame: npt.NDArray[np.int64]

    @classmethod
    def of_terms(cls, claim: PreparedClaim, found: Sequence[frozenset[str]]) -> Reach:
        """The reach from each source's own :func:`checks.engine.matching.covered_terms`, source by source."""
        covered = [sum(claim.units[t] for t in terms) for terms in found]
        frame = [sum(claim.units[t] for t in terms if t in claim.frame) for terms in found]
        return cls(np.array(covered, dtype=np.int64), np.array(frame, dtype=np.int64))


class SourceIndex:
    """Term → sources for a list of sources, built once and asked for the reach of many claims."""

    def __init__(
        self,
        sources: Sequence[Source],
        aliases: AliasTable,
        *,
        progress: Callable[[Iterable[Source]], Iterable[Source]] | None = None,
        terms: Sequence[Iterable[str]] | None = None,
    ) -> None:
        """``terms``: each source's :func:`checks.engine.matching.source_terms`, when known (from a cache)."""
        self.size = len(sources)
        self.aliases_key = aliases.key
        if terms is None:
            terms = [source_terms(source, aliases) for source in (progress(sources) if progress else sources)]
        elif len(terms) != len(sources):
            raise ValueError(f"terms of {len(terms)} sources given for {len(sources)} sources")
        vocabulary: dict[str, int] = {}
        term_ids: list[Positions] = []
        for held in terms:
            ids = [vocabulary.setdefault(term, len(vocabulary)) for term in held]
            term_ids.append(np.asarray(ids, dtype=np.int32))
        counts = np.fromiter((len(ids) for ids in term_ids), dtype=np.int64, count=len(term_ids))
        flat = np.concatenate(term_ids) if term_ids else np.zeros(0, dtype=np.int32)
        owners = np.repeat(np.arange(self.size, dtype=np.int32), counts)
        order = np.argsort(flat, kind="stable")  # stable: each term's sources stay in source order
        self._owners = owners[order]
        self._bounds = np.searchsorted(flat[order], np.arange(len(vocabulary) + 1, dtype=np.int32))
        self._ids = vocabulary
        self._fuzzy_by_length: dict[int, list[str]] = {}
        for term in sorted(vocabulary):
            if fuzzy_eligible(term):
                self._fuzzy_by_length.setdefault(len(term), []).append(term)
        self._near: dict[tuple[int, int], list[str]] = {}
        self._spellings: dict[tuple[str, int], tuple[str, ...]] = {}

    @property
    def vocabulary_size(self) -> int:
        return len(self._ids)

    def holders(self, term: str) -> Positions:
        """Positions of the sources that hold ``term``, ascending."""
        found = self._ids.get(term)
        if found is None:
            return np.zeros(0, dtype=np.int32)
        return self._owners[self._bounds[found] : self._bounds[found + 1]]

    def reach(self, claim: PreparedClaim, *, score_cutoff: int) -> Reach:
        """The reach of ``claim`` in every source; the same as :func:`checks.engine.matching.covered_terms`
        weighed with the claim's units, source by source."""
        covered = np.zeros(self.size, dtype=np.int64)
        frame = np.zeros(self.size, dtype=np.int64)
        for term, units in claim.units.items():
            positions = self._holders_of(term, score_cutoff)
            covered[positions] += units
            if term in claim.frame:
                frame[positions] += units
        return Reach(covered, frame)

    def _holders_of(self, term: str, score_cutoff: int) -> Positions:
        """Sources holding the term or, for a long word, a spelling of it at least ``score_cutoff`` similar."""
        exact = self.holders(term)
        spellings = [self.holders(spelling) for spelling in self.spellings_of(term, score_cutoff)]
        if not spellings:
            return exact
        return np.unique(np.concatenate([exact, *spellings]))

    def spellings_of(self, term: str, score_cutoff: int) -> tuple[str, ...]:
        """Other spellings of a long word in any source, at least ``score_cutoff`` similar: the closest first,
        then alphabetically, so the first a source holds is the one :func:`checks.engine.matching.match_claim` would
        find in that source alone."""
        if not fuzzy_eligible(term) or not self._fuzzy_by_length:
            return ()
        key = (term, score_cutoff)
        if key not in self._spellings:  # claims share words: each is looked up in the vocabulary once
            near = self._near_in_length(len(term), score_cutoff)
            similar = process.extract(term, near, scorer=fuzz.ratio, score_cutoff=score_cutoff, limit=None)
            ranked = sorted((-score, spelling) for spelling, score, _ in similar if spelling != term)
            self._spellings[key] = tuple(spelling for _, spelling in ranked)
        return self._spellings[key]

    def spellings(self, claim: PreparedClaim, *, score_cutoff: int) -> dict[str, tuple[str, ...]]:
        """:meth:`spellings_of` every key term of ``claim``."""
        return {term: self.spellings_of(term, score_cutoff) for term in claim.weights}

    def _near_in_length(self, length: int, score_cutoff: int) -> list[str]:
        """The fuzzy vocabulary of the lengths a word of ``length`` letters can reach ``score_cutoff`` with:
        ``ratio`` is at most 100 · (1 − |a − b| / (a + b)) for words of lengths a and b."""
        key = (length, score_cutoff)
        if key not in self._near:
            self._near[key] = [
                term
                for other, terms in sorted(self._fuzzy_by_length.items())
                if 100 * (length + other - abs(length - other)) >= score_cutoff * (length + other)
                for term in terms
            ]
        return self._near[key]
