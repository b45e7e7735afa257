"""The terminal summary printed after ``pytest features/``: scenarios by outcome, verdicts by kind, the
divergences, waivers, gate errors, what the update changes, and where the report is. Plain lines, so that the
plugin only prints them."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from checks.reports.diff import Changes
from checks.reports.results import ScenarioResult, summarize
from checks.verdicts import Verdict
from checks.waivers import WaiverState, WaiverStatus

__all__ = ["Line", "summary_lines"]

SHOWN_CHANGES = 10
"""Verdict changes listed in the terminal; the report lists all."""


@dataclass(frozen=True, slots=True)
class Line:
    text: str
    error: bool = False


def summary_lines(
    scenarios: Sequence[ScenarioResult],
    *,
    waivers: Sequence[WaiverStatus] = (),
    gate_errors: Sequence[str] = (),
    changes: Changes | None = None,
    internal_errors: int = 0,
    write_error: str | None = None,
    written: Sequence[Path] = (),
    notes: Sequence[str] = (),
) -> Iterator[Line]:
    """``notes``: warnings that do not change the outcome (a verdict cache that could not be used)."""
    summary = summarize(scenarios)
    outcomes = ", ".join(f"{n} {o.replace('_', ' ')}" for o, n in summary.scenarios.items() if n)
    verdicts = ", ".join(f"{n} {Verdict(v).label}" for v, n in summary.verdicts.items() if n)
    yield Line(f"scenarios: {outcomes}")
    yield Line(f"claim × source verdicts: {verdicts or 'none'}")
    if summary.divergences:
        yield Line(f"divergences ({len(summary.divergences)}):")
        for divergence in summary.divergences:
            yield Line(f"  - {divergence.text}{' [known]' if divergence.known else ''}")
    yield from _waiver_lines(waivers)
    yield from (Line(f"warning: {note}") for note in notes)
    yield from (Line(f"ERROR: {error}", error=True) for error in gate_errors)
    if changes is not None:
        yield from _change_lines(changes)
    if internal_errors:
        yield Line(f"ERROR: {internal_errors} scenario(s) hit an internal error in checks (exit code 3)", error=True)
    if write_error:
        yield Line(f"ERROR: {write_error}", error=True)
    elif written:
        html = next((p for p in written if p.suffix == ".html"), written[0])
        yield Line(f"report: {html}")


def _waiver_lines(waivers: Sequence[WaiverStatus]) -> Iterator[Line]:
    for status in waivers:
        if status.state is WaiverState.USED:
            yield Line(f"waived: {status.label} ({', '.join(status.scenarios)})")
        elif status.state is WaiverState.STALE:
            yield Line(f"stale: {status.label} matched no failure in this run; remove it if the claim is fixed")


def _change_lines(changes: Changes) -> Iterator[Line]:
    yield Line(f"baseline: {changes.headline()}")
    for change in changes.verdicts[:SHOWN_CHANGES]:
        before = change.before.label if change.before else "new source"
        yield Line(f"  - {change.claim} · {change.source}: {before} → {change.after.label}")
    if len(changes.verdicts) > SHOWN_CHANGES:
        yield Line(f"  … and {len(changes.verdicts) - SHOWN_CHANGES} more (see the report)")
