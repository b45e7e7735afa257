"""The decision rules: one prepared claim against one prepared source gives one verdict, in this order.

1. **supported** — a passage covers at least ``supported`` % of the claim's key terms and what the claim says
   of its subject, its values agree, it names no declared alternative instead, and it neither negates nor
   hedges.
2. **contradicted** — a passage about the same thing (``related`` % of the claim without its
   values) gives another value in the same slot, names a declared alternative instead of the
   claim's, puts another word of the claim's closed class in its place (:mod:`.opposites`), or
   negates/denies what the claim asserts.
3. **discussed** — a passage covers at least ``related`` % but hedges ("reportedly", "may"),
   or covers only part of the claim.
4. **not_mentioned** — nothing else.

Similarity alone never makes agreement: "cut rates" and "raised rates" share most words, but
the decision comes from slots and polarity, not from the score.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache

from checks.config import Thresholds
from checks.engine.attribution import attribution
from checks.engine.matching import (
    Candidate,
    PreparedClaim,
    PreparedSource,
    Spellings,
    capitalized_terms,
    holds_term,
    match_claim,
    term_of,
)
from checks.engine.normalize import (
    ATTRIBUTED_DENIALS,
    DENIALS,
    HEDGES,
    NEGATIONS,
    REFUSING,
    normalize_text,
    tokenize,
)
from checks.engine.opposites import swap
from checks.engine.values import Value, ValueKind, conflicts, covers
from checks.models import Evidence, Source, SourceVerdict
from checks.verdicts import Verdict

__all__ = [
    "HARD_RULES",
    "RULES",
    "Reading",
    "decide_verdict",
    "describe_value",
    "make_verdict",
    "negated",
    "read_pair",
    "scoped_negation",
]

_DEBUNKS = 2
"""A source calls a story false when it uses this many distinct debunking phrases."""
_NEARBY = 5
"""How many of the best passages about a claim are read for hedges."""
_STATES = 80
"""A negative claim is contradicted by a passage stating its terms this fully without a negation."""


@dataclass(frozen=True, slots=True)
class Reading:
    """What the rules made of one claim against one source: the verdict, the rule that decided (a short code,
    see :data:`RULES`), and the passages they read, for the learned combiner to weigh (:mod:`.combine`)."""

    verdict: SourceVerdict
    rule: str
    candidates: Sequence[Candidate]
    related: Sequence[Candidate]

    @property
    def best(self) -> Candidate | None:
        """The passage most about the claim: the first related one, else the first candidate, else None."""
        passages = self.related or self.candidates
        return passages[0] if passages else None


RULES = (
    "no_terms", "no_shared_term", "unrelated", "subject_absent", "value_kind_absent", "partial", "hedged",
    "hedged_nearby", "negation_nearby", "unasserted", "supported", "debunked", "alternative", "value", "weekday",
    "direction", "denial", "party_denial", "negative_claim_stated", "scoped_negation", "opposite", "predicate_absent",
)  # fmt: skip
"""The codes of the rules, one per way a verdict is reached."""
HARD_RULES = frozenset({"no_terms", "no_shared_term", "subject_absent", "alternative", "value", "weekday"})
"""Rules that stand whatever the learned combiner says: a different figure, date, day or declared alternative in
the same frame, a declared subject the source never names, a source sharing no key term. Such facts are rare in
the public training sets, so a model cannot learn them; the rules state them exactly."""


def decide_verdict(
    claim: PreparedClaim, prepared: PreparedSource, config: Thresholds, spellings: Spellings | None = None
) -> SourceVerdict:
    """The rules' verdict (:func:`read_pair`)."""
    return read_pair(claim, prepared, config, spellings).verdict


def read_pair(
    claim: PreparedClaim, prepared: PreparedSource, config: Thresholds, spellings: Spellings | None = None
) -> Reading:
    """Apply the decision rules (module docstring) to one prepared claim and source: the first stage that
    decides wins, in the order debunked → supported → contradicted → discussed or not mentioned."""
    source = prepared.source
    if not claim.weights:
        verdict = make_verdict(source, Verdict.NOT_MENTIONED, 0, "the claim has no key terms to look for", None)
        return Reading(verdict, "no_terms", (), ())
    candidates = match_claim(
        claim, prepared, score_cutoff=config.fuzzy_token, related=config.related, spellings=spellings
    )
    related = [c for c in candidates if c.frame_score >= config.related or c.score >= config.related]
    verdict, rule = (
        _debunking(claim, prepared, related)
        or _supporting(claim, prepared, related, config)
        or _contradicting(claim, prepared, related, config)
        or _remaining(claim, prepared, candidates, config)
    )
    return Reading(verdict, rule, candidates, related)


Decided = tuple[SourceVerdict, str]


def _debunking(claim: PreparedClaim, prepared: PreparedSource, related: Sequence[Candidate]) -> Decided | None:
    """The source calls the story false, and some passage is about the claim."""
    debunked = _debunked(claim, prepared)
    if not (debunked and related):
        return None
    rule = f"the source calls the story false ({', '.join(repr(c) for c in sorted(debunked))})"
    return make_verdict(prepared.source, Verdict.CONTRADICTED, related[0].frame_score, rule, related[0]), "debunked"


def _supporting(
    claim: PreparedClaim, prepared: PreparedSource, related: Sequence[Candidate], config: Thresholds
) -> Decided | None:
    """The best passage that states the claim without a problem supports it, unless the source hedges it in
    another passage about the claim (then it is discussed)."""
    source = prepared.source
    if not related or related[0].score < config.supported:
        return None
    if any(not holds_term(prepared, name, score_cutoff=config.fuzzy_token) for name in claim.names):
        return None  # the same frame about someone else: "BMW partners with Huawei" for a claim about Mercedes
    nearby = _nearby_hedges(claim, related, config)
    for candidate in related:
        if candidate.score < config.supported:
            return None
        if not _problems(claim, prepared, candidate, config):
            if nearby:
                rule = f"reports it, hedged nearby ({_cue_list(nearby, HEDGES)}): the source does not assert it"
                return make_verdict(source, Verdict.DISCUSSED, candidate.score, rule, candidate), "hedged_nearby"
            verdict = make_verdict(source, Verdict.SUPPORTED, candidate.score, _supports(claim, candidate), candidate)
            return verdict, "supported"
    return None


def _contradicting(
    claim: PreparedClaim, prepared: PreparedSource, related: Sequence[Candidate], config: Thresholds
) -> Decided | None:
    """The passage most about the same thing that gives another value, name, direction or polarity."""
    for candidate in sorted(related, key=lambda c: (-c.frame_score, -c.score, c.start)):
        if candidate.frame_score < config.related:
            return None
        found = _contradiction(claim, prepared, candidate, config, strong=candidate.frame_score >= config.slot)
        if found:
            code, reason = found
            return make_verdict(prepared.source, Verdict.CONTRADICTED, candidate.frame_score, reason, candidate), code
    return None


def _remaining(
    claim: PreparedClaim, prepared: PreparedSource, candidates: Sequence[Candidate], config: Thresholds
) -> Decided:
    """Discussed when the best passage is related to the claim; not mentioned otherwise, or when the source has
    no figure of the kind the claim states."""
    source = prepared.source
    best = candidates[0] if candidates else None
    if best is None:
        return make_verdict(source, Verdict.NOT_MENTIONED, 0, "no passage shares a key term with the claim", None), (
            "no_shared_term"
        )
    if best.score < config.related:
        rule = f"no passage speaks to the claim; the closest mentions only {_terms(claim, best.matched)}"
        return make_verdict(source, Verdict.NOT_MENTIONED, best.score, rule, best), "unrelated"
    if claim.subject is not None and not holds_term(prepared, claim.subject, score_cutoff=config.fuzzy_token):
        rule = f"the source never names {_written(claim, claim.subject)}, whom the claim is about"
        return make_verdict(source, Verdict.NOT_MENTIONED, best.score, rule, best), "subject_absent"
    absent = [v for v in claim.values if v.kind not in prepared.value_kinds and not _dated_period(v, prepared)]
    if absent:
        rule = f"the source gives no {' or '.join(describe_value(v) for v in absent)} (no such figure at all)"
        return make_verdict(source, Verdict.NOT_MENTIONED, best.score, rule, best), "value_kind_absent"
    code, rule = _discusses(claim, best, config)
    return make_verdict(source, Verdict.DISCUSSED, best.score, rule, best), code


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


def _problems(claim: PreparedClaim, prepared: PreparedSource, candidate: Candidate, config: Thresholds) -> bool:
    return bool(
        _contradiction(claim, prepared, candidate, config)
        or _predicate_absent(claim, candidate)
        or _hedge(claim, candidate)
        or _lacks_values(claim, candidate)
        or _other_negation(claim, candidate)
    )


_PREDICATE_SLACK = 3
"""A passage stating the claim may lack about one in this many of the terms the claim says of its parties (none
of one, one of two to four, two of five to seven)."""


def _predicate_absent(claim: PreparedClaim, candidate: Candidate) -> frozenset[str]:
    """What the claim says of its parties that the passage lacks, when that is more than paraphrase explains: a
    passage naming Kendall Jenner "an American fashion model" does not state that she is a driver, however much
    of the claim's weight her name carries."""
    missing = claim.predicate - candidate.matched
    return missing if len(missing) > (len(claim.predicate) + 1) // _PREDICATE_SLACK else frozenset()


def _other_negation(claim: PreparedClaim, candidate: Candidate) -> bool:
    """A negation in a passage that restates the claim but does not scope over it ("which did not disclose the
    price"): no contradiction, but no clean statement either, so the source discusses rather than supports."""
    return not negated(claim.cues) and negated(candidate.cues)


def _contradiction(
    claim: PreparedClaim, prepared: PreparedSource, candidate: Candidate, config: Thresholds, *, strong: bool = True
) -> tuple[str, str] | None:
    """Why the passage contradicts the claim, or None. Value and alternative slots are only compared
    on ``strong`` passages (about the same thing as the claim); negation on any related passage."""
    if not strong:
        denial = _denial(claim, candidate)
        return ("denial", denial) if denial else None
    for own, others, names in claim.slots:
        if not candidate.holds(own):
            named = sorted(names[t] for t in others if candidate.holds(t))
            if named:
                return (
                    "alternative",
                    f"names another alternative: claim says {names[own]}, source says {' / '.join(named)}",
                )
    clashes = [(a, b) for a, b in conflicts(claim.values, candidate.values) if _same_event(claim, candidate, a, config)]
    if clashes:
        said, found = clashes[0]
        kind = _KIND_WORDS[said.kind]
        return "value", f"{kind} differs: claim says {describe_value(said)}, source says {describe_value(found)}"
    span = normalize_text(prepared.source.text[candidate.start : candidate.end])  # for the checks that read words
    day = _weekday(claim, span)
    if day:
        return "weekday", day
    direction = _direction(claim, candidate)
    if direction:
        return "direction", direction
    opposite = swap(claim.text, span, candidate.holds)
    if opposite:
        return "opposite", f"says otherwise in the claim's place: claim says {opposite[0]}, source says {opposite[1]}"
    party = _party_denial(claim, span)
    if party:
        return "party_denial", party
    return _polarity(claim, prepared, candidate, span, config)


def _same_event(claim: PreparedClaim, candidate: Candidate, value: Value, config: Thresholds) -> bool:
    """Whether a passage that gives another date, year or percentage speaks of the claim's event: it restates
    the claim (its score reaches ``supported``: all but the figure), or it holds more than half of what the claim
    says of its parties (its frame terms other than names, when it has two or more). "The site opened in 1988"
    is not contradicted by "the site will close in 2027", which names the same site but not the opening. Plain
    numbers need a shared counted word instead (:func:`~checks.engine.values.conflicts`)."""
    if value.kind is ValueKind.NUMBER or candidate.score >= config.supported:
        return True
    predicate = [t for t, _ in claim.frame_weights if t not in claim.names]
    if len(predicate) < 2:
        return True
    return 2 * sum(map(candidate.holds, predicate)) > len(predicate)


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


def _polarity(
    claim: PreparedClaim, prepared: PreparedSource, candidate: Candidate, span: str, config: Thresholds
) -> tuple[str, str] | None:
    """On a passage that restates the claim (as fully as a support would): one negates what the other asserts.
    A negation counts only where it scopes over the claim: a key term of the claim follows it within a few
    words ("BMW will not integrate HiCar", "runs on Android instead of HarmonyOS"), not "did not disclose terms".
    A negative claim meeting a source that calls the story false agrees with it (a double negative)."""
    denial = _denial(claim, candidate)
    if denial:
        return "denial", denial
    claim_negated = negated(claim.cues)
    if claim_negated:
        # A passage that would support the claim but for its negation; unless the source calls a story false,
        # which agrees with a claim that something did not happen (a double negative).
        if candidate.score >= config.supported and not negated(candidate.cues) and not prepared.debunks:
            return "negative_claim_stated", "the claim is negative, the source states it as fact"
        return None
    scoped = scoped_negation(claim, span) if candidate.score >= min(_STATES, config.supported) else None
    if scoped:
        cue, terms = scoped
        return "scoped_negation", f"the source negates it ('{cue}' before {_terms(claim, terms)})"
    return None


_SCOPE = 6
"""Words after a negation that it scopes over."""
_CLAUSE_END = re.compile(r"[,;:.!?]| but | although | while | whereas ")


def scoped_negation(claim: PreparedClaim, span: str) -> tuple[str, frozenset[str]] | None:
    """The first negation in ``span`` that key terms of the claim follow within :data:`_SCOPE` words of the same
    clause, with those terms; or None."""
    for match in _NEGATION.finditer(span):
        after = _CLAUSE_END.split(span[match.end() :], maxsplit=1)[0]
        terms = frozenset(t for t in map(term_of, tokenize(after)[:_SCOPE]) if t in claim.weights)
        if terms:
            return match.group(0), terms
    return None


_NEGATION = re.compile(
    r"\b(?:not|never|no|none|nor|neither|cannot|without|instead of|rather than|independent(?:ly)? of|in place of"
    r"|no longer|turn(?:ed|s)? down|" + REFUSING + r"|\w+n't)\b"
)
_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_WEEKDAY = re.compile(r"\b(?:" + "|".join(_WEEKDAYS) + r")\b")


def _weekday(claim: PreparedClaim, span: str) -> str | None:
    """The claim and the passage date it to different days of the week ("on Wednesday" vs "on Tuesday")."""
    said = _weekdays_of(claim.text)
    found = set(_WEEKDAY.findall(span))
    if said and found and not said & found:
        return f"day differs: claim says {', '.join(sorted(said, key=_WEEKDAYS.index)).title()}, " + (
            f"source says {', '.join(sorted(found, key=_WEEKDAYS.index)).title()}"
        )
    return None


@lru_cache(maxsize=4096)
def _weekdays_of(claim_text: str) -> frozenset[str]:
    """The weekdays a claim names: read once per claim, not once per passage it is compared with."""
    return frozenset(_WEEKDAY.findall(normalize_text(claim_text)))


_DENIER = re.compile(r"\b([a-z][\w'&-]*)(?: [a-z][\w'&-]*)? (?:has |have |had |flatly |strongly )?(?:denied|denies|deny"
                     r"|rejected|rejects|dismissed|dismisses|refuted|refutes)\b")  # fmt: skip


def _written(claim: PreparedClaim, term: str) -> str:
    """A key term as the claim writes it ("Norvane", not "norvane")."""
    words: list[str] = re.findall(r"[\w'’&-]+", claim.text)
    for word in words:
        tokens = tokenize(normalize_text(word))
        if tokens and term_of(tokens[0]) == term:
            return word.removesuffix("'s").removesuffix("’s")
    return claim.surface.get(term, term)


_NOT_PARTIES = frozenset(term_of(w) for w in ("the", "a", "an", "this", "report", "reports", "it", "he", "she"))
"""Capitalised words that name no party that could deny ("The", "Report")."""


def _party_denial(claim: PreparedClaim, span: str) -> str | None:
    """A party the claim names denies it ("Norvane denied that the leak came from its tanks"): contradicted, and
    attributed to that party. A denial by anyone else is a report of a denial (discussed, a hedge)."""
    if claim.cues & (ATTRIBUTED_DENIALS | DENIALS):
        return None
    # the parties a claim may name: its names and any word it writes with a capital ("Apple" in a headline in title
    # case, "Apple Will Shut Down Beats Music", which has no names by its capitals)
    parties = claim.names | (capitalized_terms(claim.text, first=True) - _NOT_PARTIES)
    for match in _DENIER.finditer(span):
        term = term_of(match.group(1))
        if term in parties:
            name = _written(claim, term)
            return f"contradicted, according to {name}: {name} denies it"
    return None


def _hedge(claim: PreparedClaim, candidate: Candidate) -> str | None:
    hedges = (candidate.cues & HEDGES) - claim.cues
    if hedges:
        return f"hedged ({_cue_list(hedges, HEDGES)}): the source reports it without asserting it"
    return None


def unsupportable(claim: PreparedClaim, candidate: Candidate) -> bool:
    """Whether the passage cannot state the claim whatever else it shares with it: it gives no value of a kind
    the claim states, another value of that kind, or the opposite direction ("raised" for "cut")."""
    return (
        _lacks_values(claim, candidate)
        or bool(conflicts(claim.values, candidate.values))
        or _direction(claim, candidate) is not None
    )


def _lacks_values(claim: PreparedClaim, candidate: Candidate) -> bool:
    """The passage gives no value of a kind the claim states (a year counts as given by a date; a month or a week,
    by a date inside it: "remained closed on Wednesday" does not give "until next week")."""
    kinds = {v.kind for v in candidate.values}
    return any(
        v.kind not in kinds and not _year_like(v, kinds) and not any(covers(f, v) for f in candidate.values)
        for v in claim.values
    )


def _dated_period(value: Value, prepared: PreparedSource) -> bool:
    """A claim's month or week ("earlier this month", "until next week") that the source's dates may give."""
    return value.kind in (ValueKind.WEEK, ValueKind.MONTH) and ValueKind.DATE in prepared.value_kinds


def _year_like(value: Value, kinds: set[ValueKind]) -> bool:
    return value.kind is ValueKind.YEAR and bool(kinds & {ValueKind.DATE, ValueKind.MONTH})


def _supports(claim: PreparedClaim, candidate: Candidate) -> str:
    return f"states it: matches {_terms(claim, candidate.matched)} ({candidate.score} % of the claim's key terms)"


def _discusses(claim: PreparedClaim, candidate: Candidate, config: Thresholds) -> tuple[str, str]:
    hedge = _hedge(claim, candidate)
    if hedge:
        return "hedged", hedge
    if candidate.score < config.supported:
        matched, missing = _terms(claim, candidate.matched), _terms(claim, candidate.missing)
        return "partial", f"partly matches: mentions {matched}; not {missing}"
    absent = _predicate_absent(claim, candidate)
    if absent:
        return "predicate_absent", (
            f"names what the claim is about ({_terms(claim, candidate.matched)}) but not what it says of it: "
            f"{_terms(claim, absent)}"
        )
    if _other_negation(claim, candidate):
        cues = _cue_list(candidate.cues, NEGATIONS)
        return "negation_nearby", (
            f"covers the claim ({candidate.score} %) in a passage with a negation ({cues}) that may change its sense"
        )
    return "unasserted", f"covers the claim ({candidate.score} %) without asserting it"


def negated(cues: Iterable[str]) -> bool:
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
    ValueKind.WEEK: "week",
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
    if value.kind is ValueKind.DATE and value.text[-1].isalpha():  # a weekday or a date without its year
        return f"{value.text.title()} = {value.amount}"
    if value.kind in (ValueKind.WEEK, ValueKind.MONTH) and value.text[-1].isalpha():  # "next week" = 2025-W46
        return f"{value.text} = {value.amount}"
    if isinstance(value.amount, str):
        return f"{prefix}{value.amount}"
    return f"{prefix}{_number(value.amount)}"


def _number(amount: float | str) -> str:
    if isinstance(amount, str):
        return amount
    return f"{amount:,.0f}" if amount == int(amount) else f"{amount:,.2f}".rstrip("0")


def make_verdict(
    source: Source,
    verdict: Verdict,
    score: int,
    rule: str,
    candidate: Candidate | None,
    values: list[str] | None = None,
) -> SourceVerdict:
    evidence = None
    said = None
    if candidate is not None and verdict is not Verdict.NOT_MENTIONED:
        quote = source.text[candidate.start : candidate.end]
        evidence = Evidence(quote=quote, start=candidate.start, end=candidate.end, section=candidate.section)
        said = attribution(quote)
    return SourceVerdict(
        source=source.id,
        verdict=verdict,
        score=max(0, min(100, score)),
        rule=rule,
        evidence=evidence,
        values=values or [],
        attribution=said.describe() if said is not None else None,
    )
