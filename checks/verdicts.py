"""The vocabulary of verdicts and outcomes, defined once and used everywhere."""

from __future__ import annotations

from enum import StrEnum

__all__ = ["ID_PREFIX", "KNOWN_DIVERGENCE_TAG", "FailureKind", "Outcome", "StepKind", "StepStatus", "Verdict"]

KNOWN_DIVERGENCE_TAG = "known-divergence"
"""The scenario tag by which editors accept that the sources diverge on a claim."""
ID_PREFIX = "id:"
"""The tag that names a scenario's claim: ``@id:huawei-partner``."""


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


class StepKind(StrEnum):
    """Which step phrase recorded a check (``results.json``: ``checks[].kind``)."""

    EVERY_SOURCE_SUPPORTS = "every_source_supports"
    AT_LEAST_SOURCES_SUPPORT = "at_least_sources_support"
    AT_LEAST_INDEPENDENT_SOURCES_SUPPORT = "at_least_independent_sources_support"
    NO_SOURCE_SUPPORTS = "no_source_supports"
    EVERY_SOURCE_CONSISTENT = "every_source_consistent"
    """Each source's headline, summary and FAQ against its own body (within-source consistency)."""
    SOURCE_SUPPORTED = "source_supported"
    SOURCE_CONTRADICTED = "source_contradicted"
    SOURCE_DISCUSSED = "source_discussed"
    SOURCE_NOT_MENTIONED = "source_not_mentioned"
    RECORD = "record"
    SOURCES_AGREE = "sources_agree"
    EVERY_SOURCE_PUBLISHED = "every_source_published"
    SOURCE_PUBLISHED = "source_published"

    @classmethod
    def expecting(cls, verdict: Verdict) -> StepKind:
        """The ``Then source "<id>" …`` kind that expects ``verdict``."""
        return cls(f"source_{verdict.value}")

    @property
    def is_agreement(self) -> bool:
        """An agreement question (which value each source names), not a claim."""
        return self is StepKind.SOURCES_AGREE

    @property
    def is_metadata(self) -> bool:
        """A check of the sources' metadata (publication dates), not of their text."""
        return self in (StepKind.EVERY_SOURCE_PUBLISHED, StepKind.SOURCE_PUBLISHED)


class StepStatus(StrEnum):
    """How one step of a scenario ended."""

    PASSED = "passed"
    FAILED = "failed"
    SKIPPED = "skipped"
    """Not reached: an earlier step of the scenario failed."""


class FailureKind(StrEnum):
    """Why a scenario's test failed, as the plugin tells it to the gate."""

    CLAIM = "claim"
    """A claim did not hold (the editors' business)."""
    CHECK = "check"
    """The scenario cannot be checked as written: an unknown step, source or story."""
    INTERNAL = "internal"
    """A bug in the harness."""
    STOPPED_DIVERGING = "stopped_diverging"
    """Tagged ``@known-divergence``, but every claim held: the tag must go."""
