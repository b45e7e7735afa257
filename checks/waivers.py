"""Editor-owned waivers (``features/waivers.toml``): a failing claim accepted on the record, until a date.

    [[waiver]]
    claim = "huawei-system"          # the scenario's claim id (its @id: tag)
    source = "reuters-via-gbaf"      # one source id, or "*" for every source
    reason = "Reuters wrote before the HarmonyOS announcement; follow-up requested"
    reviewer = "J. Editor"
    expires = 2026-06-30             # the waiver stops applying after this day

A waiver says why, who and until when, for real: the reason needs at least 10 visible characters and the
reviewer a visible name (spaces and invisible characters do not count), and the expiry may lie at most
``max_waiver_days`` (``[tool.checks]``, default 366) after the day the waiver is read. Days are UTC days, on
every runner: a waiver that expires on 2026-06-30 applies until 2026-06-30T23:59:59Z, whatever the machine's
time zone.

A waiver turns a failing check into ``waived`` when every source that made it fail is waived for that claim. It
never hides: waived scenarios show as waived in every report. An expired waiver fails the gate and names itself; a
waiver that matched no failure in the run is reported as stale.
"""

from __future__ import annotations

import tomllib
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from enum import StrEnum
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, ValidationError, ValidationInfo, field_validator

from checks.errors import ConfigError
from checks.limits import check_nesting
from checks.models import ID_PATTERN

__all__ = [
    "ALL_SOURCES",
    "MAX_WAIVER_DAYS",
    "Waiver",
    "WaiverBook",
    "WaiverFile",
    "WaiverState",
    "WaiverStatus",
    "covering",
    "load_waivers",
    "statuses",
    "visible",
    "waiver_day",
]

ALL_SOURCES = "*"
MAX_WAIVER_DAYS = 366
"""How far ahead a waiver may expire, by default (``[tool.checks] max_waiver_days``)."""


class Waiver(BaseModel):
    """One accepted failure."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    claim: str = Field(min_length=1, description="Claim id of the scenario (its @id: tag, or the id in the reports)")
    source: str = Field(
        default=ALL_SOURCES, pattern=rf"^(\*|{ID_PATTERN.strip('^$')})$", description='A source id, or "*" for all'
    )
    reason: str = Field(description="Why the failure is accepted, for the record (10+ visible characters)")
    reviewer: str = Field(description="Who accepted it (a visible name)")
    expires: date = Field(description="Last day the waiver applies (YYYY-MM-DD)")

    @field_validator("reason", "reviewer")
    @classmethod
    def _visible(cls, value: str, info: ValidationInfo) -> str:
        shown = visible(value)
        least = 10 if info.field_name == "reason" else 2
        if len(shown) < least:
            raise ValueError(
                f"needs at least {least} visible characters (spaces and invisible characters do not count)"
            )
        return value

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


def waiver_day() -> date:
    """The day waivers are judged on: today in UTC, the same on every runner (module docstring)."""
    return datetime.now(UTC).date()


def visible(text: str) -> str:
    """``text`` without whitespace and invisible (format, control, unassigned) characters."""
    return "".join(c for c in text if not c.isspace() and unicodedata.category(c) not in _INVISIBLE)


_INVISIBLE = frozenset({"Cf", "Cc", "Cn", "Co", "Cs", "Zs", "Zl", "Zp", "Mn", "Me"})


def load_waivers(
    path: Path, display: str | None = None, *, today: date | None = None, max_days: int = MAX_WAIVER_DAYS
) -> tuple[Waiver, ...]:
    """The waivers in ``path`` (none when the file does not exist); ConfigError names every problem. A waiver
    that expires more than ``max_days`` after ``today`` (default :func:`waiver_day`) is a problem."""
    name = display or str(path)
    if not path.is_file():
        return ()
    try:
        text = path.read_text(encoding="utf-8")
        check_nesting(text, name)
        data = tomllib.loads(text)
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{name}: not valid TOML ({exc}); see the example at the top of the README section") from None
    except OSError as exc:
        raise ConfigError(f"{name}: cannot be read ({exc.strerror})") from None
    try:
        waivers = tuple(WaiverFile.model_validate(data).waiver)
    except ValidationError as exc:
        lines = []
        for error in exc.errors(include_url=False):
            loc = error["loc"]
            where = f"waiver #{int(loc[1]) + 1}" if len(loc) > 1 and loc[0] == "waiver" else "file"
            field = ".".join(str(p) for p in loc[2:]) or ".".join(str(p) for p in loc)
            lines.append(f"{name}: {where}: {field}: {error['msg'].removeprefix('Value error, ')}")
        raise ConfigError("\n".join(lines)) from None
    day = today or waiver_day()
    horizon = day + timedelta(days=max_days)
    far = [
        f"{name}: waiver #{n}: expires: {w.expires.isoformat()} is more than {max_days} days away (at most "
        f"{horizon.isoformat()}); waivers are reviewed, not permanent (max_waiver_days in [tool.checks])"
        for n, w in enumerate(waivers, 1)
        if w.expires > horizon
    ]
    if far:
        raise ConfigError("\n".join(far))
    return waivers


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
