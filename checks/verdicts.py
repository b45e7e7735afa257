"""The vocabulary of verdicts and outcomes, defined once and used everywhere."""

from __future__ import annotations

from enum import StrEnum

__all__ = ["Outcome", "Verdict"]


class Verdict(StrEnum):
    """What one source says about one claim."""

    SUPPORTED = "supported"
    """The source asserts the claim (possibly paraphrased, through aliases, with equal values)."""
    CONTRADICTED = "contradicted"
    """The source asserts something incompatible: another value in the same slot, or a denial."""
    DISCUSSED = "discussed"
    """The source covers the claim's subject without asserting it: hedged, attributed, or partial."""
    NOT_MENTIONED = "not_mentioned"
    """The source is silent on the claim."""

    @property
    def speaks(self) -> bool:
        """Whether the source says anything about the claim: every verdict but ``not_mentioned``."""
        return self is not Verdict.NOT_MENTIONED

    @property
    def label(self) -> str:
        """The words editors read in reports: ``not mentioned`` rather than ``not_mentioned``."""
        return self.value.replace("_", " ")


class Outcome(StrEnum):
    """How a scenario ended."""

    PASSED = "passed"
    FAILED = "failed"
    KNOWN_DIVERGENCE = "known_divergence"
    """Tagged ``@known-divergence`` and the claims still diverge: reported, does not fail the run."""
    WAIVED = "waived"
    ERROR = "error"
