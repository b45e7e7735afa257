"""The harness's exceptions: one root, a child per stage.

Every message says what is wrong, where, and how to fix it, so that bad data surfaces as a clean
error line (CLI) or a failing test (pytest), never as a Python traceback.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = [
    "CheckError",
    "ClaimFailure",
    "ConfigError",
    "CorpusError",
    "FeatureError",
    "Problem",
    "ReportError",
]


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong with one file: ``path: field: message``."""

    path: str
    field: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}: {self.field}: {self.message}" if self.field else f"{self.path}: {self.message}"


class CheckError(Exception):
    """Root of every error the harness raises on purpose."""


class CorpusError(CheckError):
    """The corpus (sources, metadata, paths) is invalid. Carries every problem found."""

    def __init__(self, problems: list[Problem] | Problem) -> None:
        self.problems: list[Problem] = problems if isinstance(problems, list) else [problems]
        super().__init__("\n".join(str(p) for p in self.problems))


class FeatureError(CheckError):
    """A feature file or a step is malformed (unknown step, bad quotes, duplicate scenario...)."""


class ConfigError(CheckError):
    """``[tool.checks]`` or a command-line option has an invalid value."""


class ReportError(CheckError):
    """A report could not be written."""


class ClaimFailure(AssertionError):
    """A claim did not hold. An ``AssertionError`` so that pytest shows it as a test failure."""
