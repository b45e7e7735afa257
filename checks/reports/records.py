"""What one scenario records while it runs, as plain data that survives pytest-xdist.

Steps append :class:`CheckRecord` objects to ``item.user_properties`` as JSON strings under
:data:`CHECK_KEY`; the scenario header goes under :data:`SCENARIO_KEY`. The controller process
reads them back from the test reports, whatever worker ran the test.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence

from pydantic import BaseModel, ConfigDict, Field

from checks.models import SourceVerdict, speaking
from checks.verdicts import StepKind, StepStatus, Verdict

__all__ = [
    "CHECK_KEY",
    "LISTED_SOURCES",
    "SCENARIO_KEY",
    "STEP_KEY",
    "CheckRecord",
    "ScenarioHeader",
    "StepResult",
]

CHECK_KEY = "checks:check"
SCENARIO_KEY = "checks:scenario"
STEP_KEY = "checks:step"
LISTED_SOURCES = 40
"""A check of up to this many sources lists every verdict; above, only the sources that speak to the claim
are listed and the silent ones counted (:attr:`CheckRecord.silent`): an archive of 100k sources is silent on
almost every claim, and listing the silence would be most of the results."""


class CheckRecord(BaseModel):
    """One claim checked by one step, with a verdict per source."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    step: str = Field(description="The step as written in the feature file")
    kind: StepKind = Field(description="Which step phrase: every_source_supports, sources_agree, record, ...")
    claim: str = Field(description="The claim (or the question, for agreement steps)")
    expected: str = Field(description="What the step expects, in words")
    passed: bool
    message: str = Field(default="", description="Why the step failed, as shown in the terminal and JUnit")
    divergence: str | None = Field(default=None, description="One sentence naming which source says what")
    line: int = Field(default=0, description="Line of the step in the feature file")
    verdicts: list[SourceVerdict] = Field(
        description="One verdict per source checked; above 40 sources, only the sources that speak to the claim"
    )
    silent: int = Field(
        default=0,
        ge=0,
        description="Sources checked but not listed in verdicts (above 40 sources): each is not_mentioned",
    )
    failing_sources: list[str] = Field(default_factory=list, description="Sources whose verdict made the step fail")
    waived_by: list[int] = Field(
        default_factory=list, description="Numbers of the waivers that accept this failure (features/waivers.toml)"
    )

    @classmethod
    def listing(cls, verdicts: Sequence[SourceVerdict], limit: int = LISTED_SOURCES) -> tuple[list[SourceVerdict], int]:
        """The verdicts to list and the number of silent ones to count, as a record of ``verdicts`` keeps
        them: all up to ``limit`` sources, only those that speak to the claim above."""
        if len(verdicts) <= limit:
            return list(verdicts), 0
        listed = speaking(verdicts)
        return listed, len(verdicts) - len(listed)

    @property
    def checked(self) -> int:
        """Sources checked: those listed and those counted as silent."""
        return len(self.verdicts) + self.silent

    @property
    def not_mentioning(self) -> int:
        """Sources that do not mention the claim: listed as ``not_mentioned`` or counted as silent. The one
        definition of a silent source, used by every report."""
        return sum(not v.verdict.speaks for v in self.verdicts) + self.silent

    def verdict_on(self, source: str, checked: Iterable[str]) -> Verdict | None:
        """The verdict on ``source``: listed, or ``not_mentioned`` when the check counts its silent sources and
        ``source`` is among those it ``checked``; None when the check did not look at it."""
        for verdict in self.verdicts:
            if verdict.source == source:
                return verdict.verdict
        return Verdict.NOT_MENTIONED if self.silent and source in set(checked) else None

    @property
    def disagreement(self) -> str | None:
        """The one definition of a divergence, in one sentence naming who says what, or None: the sources
        disagree when an agreement check finds them naming different values, or when one source supports a
        claim that another contradicts. A claim that merely fails (say, one source supports it and another only
        discusses it) is a failure, not a divergence."""
        if self.divergence:
            return self.divergence
        supported = [v.source for v in self.verdicts if v.verdict is Verdict.SUPPORTED]
        contradicted = [v.source for v in self.verdicts if v.verdict is Verdict.CONTRADICTED]
        if supported and contradicted:
            return f"{self.claim}: supported by {', '.join(supported)}; contradicted by {', '.join(contradicted)}"
        return None

    @property
    def counts(self) -> Counter[Verdict]:
        """Verdicts by kind, the counted silent sources included."""
        counts = Counter(v.verdict for v in self.verdicts)
        if self.silent:
            counts[Verdict.NOT_MENTIONED] += self.silent
        return counts


class StepResult(BaseModel):
    """A step of a scenario as written, and how it ended."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    keyword: str
    text: str
    line: int
    status: StepStatus = Field(default=StepStatus.SKIPPED, description="passed, failed or skipped (not reached)")
    error: str = ""


class ScenarioHeader(BaseModel):
    """Where a scenario comes from and its stable claim id."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    feature: str
    feature_name: str
    name: str
    line: int
    claim_id: str
    tags: list[str]
    steps: list[StepResult]
    order: int = 0
    """Position among the scenarios (and outline rows) of its feature file, as collected: orders rows that share
    a line, the same with or without ``-n``."""
