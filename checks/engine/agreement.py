"""Agreement on a value: which of a question's candidate values (say, HiCar or HarmonyOS NEXT) each source
names, with the evidence. The ``Then the sources agree on`` step reads a divergence from it."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np

from checks.engine.matching import Candidate, PreparedClaim, PreparedSource, match_claim, prepare_claim
from checks.engine.normalize import ATTRIBUTED_DENIALS, DENIALS, RUMOURS, AliasTable
from checks.engine.rules import make_verdict, negated
from checks.engine.screen import INDEX_FROM, NO_ALIASES, Engine, may_reach
from checks.models import SECTION_PRIORITY, Source, SourceVerdict, Verdicts
from checks.verdicts import Verdict

__all__ = ["check_values"]


@dataclass(frozen=True, slots=True)
class _Found:
    value: str
    candidate: Candidate


def check_values(
    question: str,
    values: Sequence[tuple[str, Sequence[str]]],
    sources: Sequence[Source],
    *,
    aliases: AliasTable = NO_ALIASES,
    engine: Engine | None = None,
    index: bool | None = None,
) -> Verdicts:
    """Which of ``values`` (name, other spellings) each source asserts, with the evidence.

    A source asserts a value when a passage outside boilerplate names it without negating it, denying it or
    reporting it as a rumour ("reportedly", "unconfirmed"): a source that only denies a value does not name it.
    The verdict is ``supported`` when the source names one or more values (listed in ``values``),
    ``not_mentioned`` when it names none. Only sources holding (nearly) every key term of some value are
    read: a passage names a value only when it covers all of it (``index`` as in :meth:`Engine.check_claim`).
    ``engine`` keeps prepared sources and indexes between calls (a fresh one by default).
    """
    engine = engine if engine is not None else Engine()
    table = aliases.merged(AliasTable.from_rows(values))
    names = [name for name, _ in values]
    name_claims = [prepare_claim(name, table) for name in names]
    question_claim = prepare_claim(question, table)
    none = f"names none of: {', '.join(names)}"
    positions: Iterable[int] = range(len(sources))
    if index or (index is None and len(sources) >= INDEX_FROM):
        across = engine.index(sources, table)
        reads = np.zeros(len(sources), dtype=bool)
        for name_claim in name_claims:
            if name_claim.weights:  # a passage names a value with a score of 100
                covered = across.reach(name_claim, score_cutoff=100).covered
                reads |= may_reach(covered, sum(name_claim.units.values()), 100)
        positions = np.flatnonzero(reads).tolist()
    verdicts: dict[int, SourceVerdict] = {}
    for position in positions:
        source = sources[position]
        prepared = engine.prepared(source, table)
        found: list[_Found] = []
        disowned: list[str] = []
        for name, name_claim in zip(names, name_claims, strict=True):
            best, only_disowned = _best_passage_naming(name_claim, question_claim, prepared)
            if best is not None:
                found.append(_Found(name, best))
            elif only_disowned:
                disowned.append(name)
        if not found:
            rule = f"{none} (only denied, negated or reported as a rumour: {', '.join(disowned)})" if disowned else none
            verdicts[position] = make_verdict(source, Verdict.NOT_MENTIONED, 0, rule, None)
            continue
        found.sort(key=lambda f: f.candidate.start)
        named = [f.value for f in found]
        lead = found[0].candidate
        rule = "names " + " and ".join(named)
        verdicts[position] = make_verdict(source, Verdict.SUPPORTED, 100, rule, lead, values=named)
    return Verdicts(len(sources), verdicts, lambda i: make_verdict(sources[i], Verdict.NOT_MENTIONED, 0, none, None))


_DISOWNED = DENIALS | ATTRIBUTED_DENIALS | RUMOURS
"""Cues of a passage that names a value without it being the source's own answer: a denial, or a rumour."""


def _best_passage_naming(
    name: PreparedClaim, question: PreparedClaim, prepared: PreparedSource
) -> tuple[Candidate | None, bool]:
    """The passage that names the value as the source's answer (a single passage: pairs score below 100), and
    whether some passage names it only to negate, deny or report it as a rumour ("Norvane denied operating it")."""
    full = [c for c in match_claim(name, prepared, score_cutoff=100) if c.score == 100]
    naming = [c for c in full if not negated(c.cues) and not c.cues & _DISOWNED]
    if not naming:
        return None, bool(full)
    return min(
        naming, key=lambda c: (SECTION_PRIORITY[c.section], -sum(map(c.holds, question.weights)), c.start)
    ), False
