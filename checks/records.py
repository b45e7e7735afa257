"""What one scenario records while it runs, as plain data that survives pytest-xdist.

Steps append :class:`CheckRecord` objects to ``item.user_properties`` as JSON strings under
:data:`CHECK_KEY`; the scenario header goes under :data:`SCENARIO_KEY`. The controller process
reads them back from the test reports, whatever worker ran the test.
"""

from __future__ import annotations

import pytest
from pydantic import BaseModel, ConfigDict, Field

from checks.models import SourceVerdict

__all__ = ["CHECK_KEY", "CURRENT_STEP", "SCENARIO_KEY", "STEP_KEY", "CheckRecord", "ScenarioHeader", "StepResult"]

CHECK_KEY = "checks:check"
SCENARIO_KEY = "checks:scenario"
STEP_KEY = "checks:step"
CURRENT_STEP = pytest.StashKey[tuple[str, int]]()
"""The step being run (its text as written and its line), for the record the step writes."""


class CheckRecord(BaseModel):
    """One claim checked by one step, with a verdict per source."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    step: str = Field(description="The step as written in the feature file")
    kind: str = Field(description="Which step phrase: every_source_supports, sources_agree, record, ...")
    claim: str = Field(description="The claim (or the question, for agreement steps)")
    expected: str = Field(description="What the step expects, in words")
    passed: bool
    message: str = Field(default="", description="Why the step failed, as shown in the terminal and JUnit")
    divergence: str | None = Field(default=None, description="One sentence naming which source says what")
    line: int = Field(default=0, description="Line of the step in the feature file")
    verdicts: list[SourceVerdict]
    failing_sources: list[str] = Field(default_factory=list, description="Sources whose verdict made the step fail")
    waived_by: list[int] = Field(
        default_factory=list, description="Numbers of the waivers that accept this failure (features/waivers.toml)"
    )


class StepResult(BaseModel):
    """A step of a scenario as written, and how it ended."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    keyword: str
    text: str
    line: int
    status: str = Field(default="skipped", description="passed, failed or skipped (not reached)")
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
