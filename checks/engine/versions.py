"""Evidence that survives edits: a verdict read again on the source's previous version, its quote re-found.

Articles are edited after publication. For a source with earlier texts (``<id>@<retrieved>.txt``), a claim is
also read on the latest earlier text, and that verdict's evidence — anchored as a W3C TextQuoteSelector: the
exact quote with the text just before and after it — is looked for in the current text: exactly (the occurrence
whose surroundings match best), else approximately (RapidFuzz's best alignment, at :data:`FUZZY` or more). So a
verdict can say "evidence changed" (the quote was edited: both wordings) or "evidence gone", and "verdict
changed between versions" with both quotes.
"""

from __future__ import annotations

from dataclasses import dataclass

from rapidfuzz import fuzz

from checks.engine.normalize import AliasTable
from checks.engine.screen import Engine
from checks.models import Claim, EvidenceState, Source, SourceVerdict, VersionHistory
from checks.verdicts import Verdict

__all__ = ["CONTEXT", "FUZZY", "Anchor", "History", "anchor", "history", "refind"]

CONTEXT = 32
"""Characters of prefix and suffix kept with a quote (as the ClaimReview export's selectors)."""
FUZZY = 80
"""The lowest RapidFuzz partial-ratio alignment at which an edited quote is the same passage reworded."""


@dataclass(frozen=True, slots=True)
class Anchor:
    """A W3C TextQuoteSelector: the quote and the text around it."""

    exact: str
    prefix: str
    suffix: str


def anchor(text: str, start: int, end: int, context: int = CONTEXT) -> Anchor:
    return Anchor(text[start:end], text[max(0, start - context) : start], text[end : end + context])


def refind(selector: Anchor, text: str) -> tuple[int, int, bool] | None:
    """Where the quote is in ``text``: ``(start, end, exact)``; exact occurrences first, the one whose prefix and
    suffix match best; else the best approximate alignment at :data:`FUZZY` or more; else None."""
    if not selector.exact:
        return None
    best: tuple[int, int] | None = None
    at = text.find(selector.exact)
    while at != -1:
        fit = _context_fit(selector, text, at, at + len(selector.exact))
        if best is None or fit > best[0]:
            best = (fit, at)
        at = text.find(selector.exact, at + 1)
    if best is not None:
        return best[1], best[1] + len(selector.exact), True
    found = fuzz.partial_ratio_alignment(selector.exact, text, score_cutoff=FUZZY)
    if found is None or found.dest_end <= found.dest_start:
        return None
    return found.dest_start, found.dest_end, False


def _context_fit(selector: Anchor, text: str, start: int, end: int) -> int:
    before = text[max(0, start - len(selector.prefix)) : start]
    after = text[end : end + len(selector.suffix)]
    return _common_suffix(before, selector.prefix) + _common_prefix(after, selector.suffix)


def _common_prefix(a: str, b: str) -> int:
    n = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        n += 1
    return n


def _common_suffix(a: str, b: str) -> int:
    return _common_prefix(a[::-1], b[::-1])


@dataclass(frozen=True, slots=True)
class History:
    """What a claim's verdict on a source was in the source's previous version, and what became of its evidence."""

    version: str
    """When the previous text was retrieved."""
    before: SourceVerdict
    """The verdict on the previous text."""
    evidence: EvidenceState
    """``unchanged`` (the quote is still there), ``edited`` (reworded: :attr:`now`), ``gone``, or ``none`` (the
    earlier verdict had no evidence)."""
    now: str
    """For ``edited``: the passage of the current text the earlier quote became."""
    current: Verdict
    """The verdict on the current text."""

    @property
    def verdict_changed(self) -> bool:
        return self.before.verdict is not self.current

    def record(self) -> VersionHistory:
        """The history as the results write it (:class:`checks.models.VersionHistory`)."""
        before = self.before
        return VersionHistory(
            version=self.version,
            verdict=before.verdict,
            quote=before.evidence.quote if before.evidence else "",
            evidence=self.evidence,
            now=self.now,
            verdict_changed=self.verdict_changed,
        )

    def describe(self) -> str:
        """``since the version of 2025-03-10: was supported ("…"); evidence edited: now "…"``."""
        quote = f' ("{self.before.evidence.quote}")' if self.before.evidence else ""
        was = "was" if self.verdict_changed else "also"
        words = [f"since the version of {self.version}: {was} {self.before.verdict.label}{quote}"]
        if self.evidence == "edited":
            words.append(f'evidence edited: now "{self.now}"')
        elif self.evidence == "gone":
            words.append("evidence gone from the current text")
        return "; ".join(words)


def history(
    engine: Engine, claim: Claim | str, source: Source, current: SourceVerdict, *, aliases: AliasTable | None = None
) -> History | None:
    """The claim read on ``source``'s latest earlier text and its evidence looked for now, or None for a source
    without earlier texts. Deterministic: the same texts give the same history."""
    if not source.versions:
        return None
    version = source.versions[-1]
    earlier = source.as_version(version)
    [before] = engine.check_claim(claim, [earlier], aliases=aliases, index=False)
    state: EvidenceState = "none"
    now = ""
    if before.evidence is not None:
        found = refind(anchor(version.text, before.evidence.start, before.evidence.end), source.text)
        if found is None:
            state = "gone"
        elif found[2]:
            state = "unchanged"
        else:
            state, now = "edited", source.text[found[0] : found[1]]
    return History(version.retrieved, before, state, now, current.verdict)
