"""Editor-owned waivers (``features/waivers.toml``): a failing claim accepted on the record, until a date.

    [[waiver]]
    claim = "huawei-system"          # the scenario's claim id (its @id: tag)
    source = "reuters-via-gbaf"      # one source id, or "*" for every source
    reason = "Reuters wrote before the HarmonyOS announcement; follow-up requested"
    reviewer = "J. Editor"
    expires = 2026-06-30             # the waiver stops applying after this day

A waiver turns a failing check into ``waived`` when every source that made it fail is waived for that claim. It
never hides: waived scenarios show as waived in every report. An expired waiver fails the gate and names itself; a
waiver that matched no failure in the run is reported as stale.
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from checks.errors import ConfigError
from checks.models import ID_PATTERN

__all__ = [
    "ALL_SOURCES",
    "Waiver",
    "WaiverBook",
    "WaiverFile",
    "WaiverState",
    "WaiverStatus",
    "covering",
    "load_waivers",
    "statuses",
]

ALL_SOURCES = "*"


class Waiver(BaseModel):
    """One accepted failure."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    claim: str = Field(min_length=1, description="Claim id of the scenario (its @id: tag, or the id in the reports)")
    source: str = Field(
        default=ALL_SOURCES, pattern=rf"^(\*|{ID_PATTERN.strip('^$')})$", description='A source id, or "*" for all'
    )
    reason: str = Field(min_length=3, description="Why the failure is accepted, for the record")
    reviewer: str = Field(min_length=2, description="Who accepted it")
    expires: date = Field(description="Last day the waiver applies (YYYY-MM-DD)")

    def label(self, number: int) -> str:
        """How reports name it: ``waiver #2 (claim huawei-system, source *)``."""
        return f"waiver #{number} (claim {self.claim}, source {self.source})"

    def expired(self, today: date) -> bool:
        return self.expires < today

    def covers(self, claim_id: str, source: str) -> bool:
        return self.claim == claim_id and self.source in (ALL_SOURCES, source)


class WaiverFile(BaseModel):
    """``features/waivers.toml``: a list of ``[[waiver]]`` tables."""

    model_config = ConfigDict(
        frozen=True,
        extra="forbid",
        title="checks waivers",
        json_schema_extra={
            "$id": "https://checks.invalid/schemas/waivers.schema.json",
            "description": "Failures accepted by editors, with reason, reviewer and expiry: features/waivers.toml.",
        },
    )

    waiver: list[Waiver] = Field(default_factory=list)


class WaiverState(StrEnum):
    USED = "used"
    STALE = "stale"
    EXPIRED = "expired"


class WaiverStatus(BaseModel):
    """A waiver as the run found it (in results.json)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    number: int = Field(description="Position in the waivers file, from 1")
    label: str
    waiver: Waiver
    state: WaiverState
    scenarios: list[str] = Field(default_factory=list, description="Scenarios it waived in this run")


@dataclass(frozen=True, slots=True)
class WaiverBook:
    """The waivers of a run and the day they are judged on (fixed when the run starts)."""

    waivers: tuple[Waiver, ...] = ()
    today: date = date.min

    def decide(self, claim_id: str, failing: Iterable[str]) -> tuple[list[int], list[int]]:
        return covering(self.waivers, claim_id, failing, self.today)

    def describe(self, numbers: Iterable[int]) -> str:
        parts = []
        for number in numbers:
            w = self.waivers[number - 1]
            parts.append(f"{w.label(number)} by {w.reviewer} until {w.expires.isoformat()}: {w.reason}")
        return "; ".join(parts)


def load_waivers(path: Path, display: str | None = None) -> tuple[Waiver, ...]:
    """The waivers in ``path`` (none when the file does not exist); ConfigError names every problem."""
    name = display or str(path)
    if not path.is_file():
        return ()
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{name}: not valid TOML ({exc}); see the example at the top of the README section") from None
    except OSError as exc:
        raise ConfigError(f"{name}: cannot be read ({exc.strerror})") from None
    try:
        return tuple(WaiverFile.model_validate(data).waiver)
    except ValidationError as exc:
        lines = []
        for error in exc.errors(include_url=False):
            loc = error["loc"]
            where = f"waiver #{int(loc[1]) + 1}" if len(loc) > 1 and loc[0] == "waiver" else "file"
            field = ".".join(str(p) for p in loc[2:]) or ".".join(str(p) for p in loc)
            lines.append(f"{name}: {where}: {field}: {error['msg']}")
        raise ConfigError("\n".join(lines)) from None


def covering(
    waivers: Sequence[Waiver], claim_id: str, failing: Iterable[str], today: date
) -> tuple[list[int], list[int]]:
    """Waivers (by number) that together cover every failing source of a claim, and the expired ones that would
    have. Returns ([], expired) when any failing source is not covered by an active waiver."""
    active: list[int] = []
    expired: list[int] = []
    for source in failing:
        matching = [(n, w) for n, w in enumerate(waivers, 1) if w.covers(claim_id, source)]
        found = [n for n, w in matching if not w.expired(today)]
        expired.extend(n for n, w in matching if w.expired(today) and n not in expired)
        if not found:
            return [], expired
        active.extend(n for n in found if n not in active)
    return active, expired


def statuses(waivers: Sequence[Waiver], used: dict[int, list[str]], today: date) -> list[WaiverStatus]:
    """Every waiver with its state in this run: used, stale (matched nothing) or expired."""
    found = []
    for number, waiver in enumerate(waivers, 1):
        if waiver.expired(today):
            state = WaiverState.EXPIRED
        elif used.get(number):
            state = WaiverState.USED
        else:
            state = WaiverState.STALE
        found.append(
            WaiverStatus(
                number=number,
                label=waiver.label(number),
                waiver=waiver,
                state=state,
                scenarios=sorted(used.get(number, [])),
            )
        )
    return found
