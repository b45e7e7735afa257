"""Corrections: a claim the source itself retracts is contradicted by that source, with the correction quoted.

Articles are corrected after publication: "An earlier version of this story said BMW would integrate HiCar in
2025. It will do so in 2026." A paragraph like that is its own section kind (``correction``, see
:mod:`checks.corpus.sections`), read like the body (it is the source's own voice), but what it quotes from the
earlier version is what the source no longer says. :func:`retraction` finds, in each correction, the statement
it retracts — what the earlier version "said", "stated", "reported" or "misstated", or what the story
"incorrectly said" — and when that statement holds the claim (its key terms at the supported threshold, and
every figure or date of the claim, with no other in its slot) the source contradicts the claim, whatever its
other passages say. The corrected fact itself ("in 2026") is left to the body, where the corrected story
states it.
"""

from __future__ import annotations

import re
from datetime import date

from checks.config import Thresholds
from checks.engine.matching import PreparedClaim, key_terms_of
from checks.engine.normalize import AliasTable, normalize_text
from checks.engine.sentences import section_sentences
from checks.engine.values import compatible, extract_values
from checks.models import Evidence, SectionKind, Source, SourceVerdict
from checks.verdicts import Verdict

__all__ = ["retracted", "retraction"]

_VERB = r"(?:said|stated|reported|wrote|misstated|misreported|gave|described|referred\s+to|named|identified|claimed)"
_RETRACTED = re.compile(
    rf"(?:(?:earlier|previous|prior|original)\s+version\s+of\s+this\s+(?:story|article|report|piece)"
    rf"(?:,[^,]{{0,60}},)?\s+(?:incorrectly\s+|wrongly\s+|mistakenly\s+|erroneously\s+)?{_VERB}"
    rf"|(?:incorrectly|wrongly|mistakenly|erroneously)\s+{_VERB})"
    r"\s+(?:that\s+)?(?P<said>.+?)(?=\s*(?:;|\.\s|\.$|$|,\s+(?:but|when|while|rather\s+than|instead\s+of|not)\b"
    r"|\s+rather\s+than\b|\s+instead\s+of\b))",
    re.IGNORECASE,
)
"""The statement a correction retracts: what the earlier version said, up to the end of its clause."""
_CORRECTIONS = frozenset({SectionKind.CORRECTION})


def retracted(text: str) -> list[tuple[int, int]]:
    """(start, end) offsets in ``text`` of each statement a correction sentence retracts.

    >>> s = "Correction: An earlier version of this story said BMW would use HiCar in 2025. It will in 2026."
    >>> [s[a:b] for a, b in retracted(s)]
    ['BMW would use HiCar in 2025']
    """
    return [m.span("said") for m in _RETRACTED.finditer(text)]


def retraction(
    claim: PreparedClaim, source: Source, aliases: AliasTable, thresholds: Thresholds
) -> SourceVerdict | None:
    """The source's contradiction of a claim one of its corrections retracts, or None."""
    if claim.total <= 0:
        return None
    published = source.metadata.published_date()
    for _, start, end in section_sentences(source, _CORRECTIONS):
        sentence = source.text[start:end]
        for a, b in retracted(sentence):
            said = sentence[a:b]
            score = _holds(claim, said, aliases, published)
            if score >= thresholds.supported:
                evidence = Evidence(quote=sentence, start=start, end=end, section=SectionKind.CORRECTION)
                return SourceVerdict(
                    source=source.id,
                    verdict=Verdict.CONTRADICTED,
                    score=score,
                    rule=f'retracted by the source\'s correction: an earlier version said "{said}"',
                    evidence=evidence,
                )
    return None


def _holds(claim: PreparedClaim, said: str, aliases: AliasTable, published: date | None) -> int:
    """How much of the claim the retracted statement holds (0-100), 0 when a figure or date of the claim is
    missing from it or differs."""
    normalized = aliases.apply(normalize_text(said))
    values = extract_values(normalized, published=published)
    if not all(any(v.kind is w.kind and compatible(v, w) for w in values) for v in claim.values):
        return 0
    terms = key_terms_of(normalized)
    held = sum(weight for term, weight in claim.weights.items() if term in terms)
    return round(100 * held / claim.total)
