"""Configuration: ``[tool.checks]`` in ``pyproject.toml``.

::

    [tool.checks]
    corpus = "corpus"            # where the stories are
    reports = "reports"          # where reports are written
    engine = "learned"           # default: the rules weighed by the shipped combiner; "rules": the rules alone

    [tool.checks.thresholds]     # scores are 0-100
    related = 30                 # below: the source does not mention the claim
    supported = 70               # at or above (and no conflict, denial or hedge): supported
    slot = 60                    # passages this close (values aside) have their numbers, dates, names compared
    fuzzy_token = 88             # two words this similar count as the same word (typos, spellings)
"""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from checks.errors import ConfigError
from checks.limits import check_nesting

__all__ = ["Settings", "Thresholds", "load_settings", "write_thresholds"]


class Thresholds(BaseModel):
    """Score thresholds of the engine, each 0-100."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    related: int = Field(
        default=30, ge=0, le=100, strict=True, description="Minimum score for the claim to be mentioned"
    )
    supported: int = Field(default=70, ge=0, le=100, strict=True, description="Minimum score to be supported")
    slot: int = Field(
        default=60,
        ge=0,
        le=100,
        strict=True,
        description="Minimum score of a passage without the claim's values for its values to be compared",
    )
    fuzzy_token: int = Field(
        default=88, ge=50, le=100, strict=True, description="Word similarity that counts as the same word"
    )

    @model_validator(mode="after")
    def _ordered(self) -> Thresholds:
        if self.supported < self.related:
            raise ValueError(f"supported ({self.supported}) must be at least related ({self.related})")
        return self


class Settings(BaseModel):
    """Everything ``[tool.checks]`` may hold."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    corpus: str = "corpus"
    reports: str = "reports"
    waivers: str = "features/waivers.toml"
    cache: str | None = ".checks-cache"
    engine: Literal["learned", "rules"] = "learned"
    thresholds: Thresholds = Thresholds()
    max_source_bytes: int = Field(default=20_000_000, gt=0, strict=True)
    max_waiver_days: int = Field(
        default=366, ge=1, strict=True, description="How far ahead a waiver may expire, in days"
    )


def load_settings(pyproject: Path | None) -> Settings:
    """Read ``[tool.checks]`` from ``pyproject`` (defaults when there is none)."""
    if pyproject is None or not pyproject.is_file():
        return Settings()
    try:
        text = pyproject.read_text(encoding="utf-8")
        check_nesting(text, str(pyproject))
        document = tomllib.loads(text)
    except (tomllib.TOMLDecodeError, UnicodeDecodeError, OSError) as exc:
        raise ConfigError(f"{pyproject}: cannot be read as TOML: {exc}") from None
    table: Any = document.get("tool", {}).get("checks", {})
    if not isinstance(table, dict):
        raise ConfigError(f"{pyproject}: [tool.checks] must be a table")
    try:
        return Settings.model_validate(table)
    except ValidationError as exc:
        lines = []
        for error in exc.errors(include_url=False):
            key = ".".join(str(p) for p in error["loc"])
            where = f"[tool.checks] {key}" if key else "[tool.checks]"
            message = error["msg"].removeprefix("Value error, ")
            lines.append(f"{pyproject}: {where}: {message} (got {error.get('input')!r})")
        raise ConfigError("\n".join(lines)) from None


def write_thresholds(pyproject: Path, thresholds: Thresholds) -> None:
    """Set ``related`` and ``supported`` in ``[tool.checks.thresholds]`` of ``pyproject``, keeping every other line,
    comment and key as written (tomlkit); the file is created, or the tables added, when missing. The result is
    read back and validated before it replaces the file."""
    import tomlkit

    from checks.files import write_atomic

    text = pyproject.read_text(encoding="utf-8") if pyproject.is_file() else ""
    document = tomlkit.parse(text)
    tool = document.setdefault("tool", tomlkit.table(is_super_table=True))
    checks = tool.setdefault("checks", tomlkit.table())
    table = checks.setdefault("thresholds", tomlkit.table())
    table["related"] = thresholds.related
    table["supported"] = thresholds.supported
    written = tomlkit.dumps(document)
    Settings.model_validate(tomllib.loads(written).get("tool", {}).get("checks", {}))
    write_atomic(pyproject, written.encode("utf-8"))
