"""The signals the learned combiner weighs: what the rules found about one claim and one source, as numbers.

Each signal has a name and the words that explain it to an editor when it drives a verdict. They are computed
from the rules' own reading (:class:`checks.engine.rules.Reading`: the candidate passages, the rule that decided)
plus a few cheap measures of the best passage (word overlap, attribution, debunking phrases), so the combiner
adds little to the engine's time. :data:`SIGNALS` is part of the model file: a model trained on other signals is
refused at load time.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

from rapidfuzz import fuzz

from checks.engine.attribution import attribution, is_description
from checks.engine.matching import Candidate, PreparedClaim, PreparedSource, term_of
from checks.engine.normalize import (
    ATTRIBUTED_DENIALS,
    DENIALS,
    HEDGES,
    STOPWORDS,
    debunk_cues,
    normalize_text,
    tokenize,
)
from checks.engine.rules import RULES, Reading, negated, scoped_negation
from checks.verdicts import Verdict

__all__ = ["SIGNALS", "Signal", "explain", "signals"]


@dataclass(frozen=True, slots=True)
class Signal:
    name: str
    words: str
    """What a high value means, in words ({v}: the value)."""
    low: str = ""
    """What a low value means, when that is what drove a verdict (empty: "not " + words)."""
    plain: bool = True
    """Whether it says something an editor can check in the text (a negation, a quote, the parties named); the
    model also weighs sizes and shapes (how many sentences, how long the passage) and the rules' own verdict,
    which explain nothing to a reader and are left out of explanations while plain signals drove the verdict."""

    def describe(self, value: float) -> str:
        if value > 0.5 or (not self.low and "{v" in self.words):
            return self.words.format(v=value)
        return self.low.format(v=value) if self.low else f"not: {self.words.format(v=value)}"


_NEARBY = 5
_VERDICTS = (Verdict.SUPPORTED, Verdict.CONTRADICTED, Verdict.DISCUSSED, Verdict.NOT_MENTIONED)

SIGNALS: tuple[Signal, ...] = (
    Signal("score", "the best passage holds {v:.0f} % of the claim's key terms"),
    Signal("frame", "the best passage holds {v:.0f} % of the claim's terms other than its figures and names"),
    Signal("max_frame", "some passage holds {v:.0f} % of what the claim is about"),
    Signal("related", "{v:.0f} passages are about the claim", plain=False),
    Signal("candidates", "{v:.0f} passages share a key term with the claim", plain=False),
    Signal("anywhere", "the source holds {v:.0f} % of the claim's key terms somewhere"),
    Signal("claim_terms", "the claim has {v:.0f} key terms", plain=False),
    Signal("claim_negated", "the claim is negative", "the claim is affirmative"),
    Signal("claim_hedged", "the claim is hedged or reported", "the claim is stated as fact"),
    Signal("claim_denial", "the claim reports a denial or calls something false", "the claim reports no denial"),
    Signal("claim_question", "the claim is a question", "the claim is not a question"),
    Signal("claim_values", "the claim states {v:.0f} figures or dates"),
    Signal("claim_names", "the claim names {v:.0f} parties"),
    Signal("claim_attributed", "the claim quotes someone", "the claim does not quote anyone"),
    Signal("passage_negated", "the best passage holds a negation", "the best passage holds no negation"),
    Signal("scoped_negation", "a negation in the passage scopes over the claim's terms", "no negation scopes over it"),
    Signal("passage_hedges", "the best passage hedges ({v:.0f} hedges)", "the best passage does not hedge"),
    Signal("passage_denial", "the best passage calls something false", "the best passage calls nothing false"),
    Signal("passage_reported_denial", "the best passage reports a denial", "the best passage reports no denial"),
    Signal("passage_debunks", "the best passage uses a debunking phrase", "the best passage debunks nothing"),
    Signal("passage_attributed", "the best passage is attributed to a quoted party", "the source says it itself"),
    Signal("attributed_to_named", "the best passage quotes a party the claim names", "no party of the claim speaks"),
    # a party the claim names: by name ("BMW said"), or by a description of the organisation the passage names
    # ("the German automaker said", "the statement added", in a passage naming BMW)
    Signal("nearby_hedges", "passages about the claim hedge it", "no passage about the claim hedges it"),
    Signal("nearby_negations", "{v:.0f} passages about the claim hold a negation"),
    Signal("nearby_denials", "{v:.0f} passages about the claim call something false"),
    Signal("source_debunks", "the source uses {v:.0f} debunking phrases"),
    Signal("source_passages", "the source has {v:.0f} sentences", plain=False),
    Signal("source_length", "the source is long (log length {v:.1f})", plain=False),
    Signal("position", "the best passage comes late in the source", "the best passage comes early in the source",
           plain=False),
    Signal("names_held", "the source names the claim's parties", "the source does not name the claim's parties"),
    Signal("names_in_passage", "the best passage names the claim's parties", "the best passage lacks the parties"),
    Signal("predicate_held", "the best passage holds {v:.0%} of what the claim says of its parties",
           "the best passage holds {v:.0%} of what the claim says of its parties"),
    Signal("passage_values", "the best passage states {v:.0f} figures or dates"),
    Signal("token_set", "the best passage and the claim share {v:.0f} % of their words (token-set ratio)"),
    Signal("partial", "the claim appears {v:.0f} % word for word in the best passage (partial ratio)"),
    Signal("token_sort", "the best passage and the claim are {v:.0f} % alike in their wording (token-sort ratio)"),
    Signal("passage_words", "the best passage is {v:.0f} words long", plain=False),
    Signal("swapped", "{v:.0f} of the claim's words are replaced in the best passage by others in the same place",
           "no word of the claim is replaced by another in the same place"),
    Signal("claim_exclusive", "the claim says only or solely", "the claim does not say only"),
    *(Signal(f"rules_{v.value}", f"the rules alone say {v.value}", f"the rules alone do not say {v.value}",
             plain=False)
      for v in _VERDICTS),
    *(Signal(f"rule_{code}", f"rule: {code.replace('_', ' ')}", f"rule other than {code.replace('_', ' ')}",
             plain=False)
      for code in RULES),
)  # fmt: skip
"""Every signal, in the order of the vector :func:`signals` returns."""


def signals(claim: PreparedClaim, prepared: PreparedSource, reading: Reading) -> list[float]:
    """The signal vector of one reading (:data:`SIGNALS` order): plain floats, the same on every platform."""
    passages = prepared.passages
    related = reading.related
    best = reading.best
    text = prepared.source.text
    raw = text[best.start : best.end] if best is not None else ""
    span = normalize_text(raw) if best is not None else ""
    said = attribution(raw) if best is not None else None
    claim_text = _normalized(claim.text)
    names = claim.names
    postings = prepared.postings  # exact terms only: a fuzzy look-up per missing term would cost more than the rest
    weight = sum(w for t, w in claim.weights.items() if t in postings)
    nearby = related[:_NEARBY]
    cues = best.cues if best is not None else frozenset()
    vector: list[float] = [
        float(best.score if best else 0),
        float(best.frame_score if best else 0),
        float(max((c.frame_score for c in related), default=0)),
        float(min(len(related), 30)),
        float(min(len(reading.candidates), 60)),
        round(100 * weight / claim.total, 6) if claim.total else 0.0,
        float(len(claim.weights)),
        _flag(negated(claim.cues)),
        _flag(claim.cues & HEDGES),
        _flag(claim.cues & (DENIALS | ATTRIBUTED_DENIALS) or claim.debunks),
        _flag("?" in claim.text),
        float(len(claim.values)),
        float(len(names)),
        _flag(_claim_attributed(claim.text)),
        _flag(negated(cues)),
        _flag(best is not None and scoped_negation(claim, span) is not None),
        float(len((cues & HEDGES) - claim.cues)),
        _flag(cues & DENIALS),
        _flag(cues & ATTRIBUTED_DENIALS),
        _flag(debunk_cues(span)) if span else 0.0,
        _flag(said),
        _flag(said is not None and best is not None and _speaks_for(said.party, names, best)),
        float(sum(bool((c.cues & HEDGES) - claim.cues) for c in nearby)),
        float(sum(negated(c.cues) for c in nearby)),
        float(sum(bool(c.cues & DENIALS) for c in nearby)),
        float(len(prepared.debunks)),
        float(min(len(passages), 200)),
        round(math.log1p(len(text)), 6),
        round(best.first / len(passages), 6) if best is not None and passages else 0.0,
        _share(names, postings.__contains__),
        _share(names, best.holds) if best is not None else 0.0,
        _share(_predicate(claim), best.holds) if best is not None else 0.0,
        float(len(best.values)) if best is not None else 0.0,
        round(fuzz.token_set_ratio(claim_text, span), 6) if span else 0.0,
        round(fuzz.partial_ratio(claim_text, span), 6) if span else 0.0,
        round(fuzz.token_sort_ratio(claim_text, span), 6) if span else 0.0,
        float(min(len(span.split()), 200)),
        float(_swapped(claim_text, span, best.holds, names)) if best is not None else 0.0,
        _flag(_EXCLUSIVE & set(tokenize(claim_text))),
    ]
    vector += [_flag(reading.verdict.verdict is v) for v in _VERDICTS]
    vector += [_flag(reading.rule == code) for code in RULES]
    return vector


def explain(contributions: list[float], vector: list[float], *, top: int = 3) -> list[str]:
    """The words of the signals that pushed hardest toward the verdict (largest positive contributions): the
    plain ones (:attr:`Signal.plain`) when any pushed toward it, else whatever did."""
    order = sorted(range(len(contributions)), key=lambda i: (-contributions[i], i))
    pushing = [i for i in order if contributions[i] > 0]
    plain = [i for i in pushing if SIGNALS[i].plain]
    return [SIGNALS[i].describe(vector[i]) for i in (plain or pushing)[:top]]


def _flag(value: object) -> float:
    return 1.0 if value else 0.0


def _share(terms: frozenset[str], holds: Callable[[str], bool]) -> float:
    return round(sum(map(holds, sorted(terms))) / len(terms), 6) if terms else 1.0


@lru_cache(maxsize=8192)
def _normalized(text: str) -> str:
    return normalize_text(text)


@lru_cache(maxsize=8192)
def _claim_attributed(text: str) -> bool:
    return attribution(text) is not None


_EXCLUSIVE = frozenset({"only", "solely", "exclusively", "sole"})


def _swapped(claim_text: str, span: str, holds: Callable[[str], bool], names: frozenset[str]) -> int:
    """How many of the claim's words the passage lacks but replaces, in the same place, by a word the claim does
    not have: the word next to it in the claim (stopwords aside) is in the passage, with another word on that
    side ("ranked greatest male star" / "ranked as the worst male star", "born in Trieste" / "born in Naples").
    Names are left to the names signals ("Tim Roth" / "Timothy Simon Roth"). Paraphrases replace words too, so
    this is a signal to weigh, not a rule."""
    said = _content(claim_text)
    lacking = [i for i, term in enumerate(said) if term not in names and not holds(term)]
    if not lacking:
        return 0
    found = _content(span)
    claim_terms = set(said)
    after: dict[str, set[str]] = {}
    before: dict[str, set[str]] = {}
    for left, right in itertools.pairwise(found):
        after.setdefault(left, set()).add(right)
        before.setdefault(right, set()).add(left)
    count = 0
    for i in lacking:
        neighbours = [(said[i - 1], after)] if i > 0 else []
        neighbours += [(said[i + 1], before)] if i + 1 < len(said) else []
        if any(holds(n) and side.get(n, set()) - claim_terms for n, side in neighbours):
            count += 1
    return count


@lru_cache(maxsize=8192)
def _content(text: str) -> tuple[str, ...]:
    """The terms of a normalized text, stopwords left out, in order."""
    return tuple(term_of(t) for t in tokenize(text) if t not in STOPWORDS)


def _predicate(claim: PreparedClaim) -> frozenset[str]:
    """The claim's frame terms that are not names: what it says of its parties ("driver" in "Kendall Jenner is a
    driver")."""
    return frozenset(t for t, _ in claim.frame_weights) - claim.names


def _speaks_for(party: str, names: frozenset[str], best: Candidate) -> bool:
    """Whether the quoted party is one the claim names: by name, or as "the company" / "the German automaker" /
    "the statement" in a passage that names one of the claim's parties (a description stands for the
    organisation its own passage names; nothing further away is guessed)."""
    if any(w in names for w in _terms_of(party)):
        return True
    return is_description(party) and any(best.holds(name) for name in names)


@lru_cache(maxsize=8192)
def _terms_of(party: str) -> frozenset[str]:
    return frozenset(term_of(t) for t in tokenize(normalize_text(party)))
