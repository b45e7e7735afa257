"""The gate: every decision about whether a run passes, in one pure module.

- :func:`apply_waivers`: whether the editors' waivers accept a failing check;
- :func:`classify_scenario`: a scenario's outcome (passed, failed, waived, known divergence, error) from how its
  test ended and what its checks recorded;
- :func:`expired_waivers`: the waivers that fail the run whatever else happens;
- :func:`exit_status`: the run's exit code from all of the above.

It knows nothing of pytest: the plugin tells it what happened as plain values.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from checks.reports.records import CheckRecord
from checks.verdicts import KNOWN_DIVERGENCE_TAG, FailureKind, Outcome
from checks.waivers import WaiverBook, WaiverState, WaiverStatus

__all__ = [
    "KNOWN_DIVERGENCE_TAG",
    "ExitStatus",
    "WaiverDecision",
    "apply_waivers",
    "classify_scenario",
    "exit_status",
    "expired_waivers",
    "unrun_reason",
]


class ExitStatus:
    """The exit codes of ``pytest features/`` (pytest's own numbers; the README's table)."""

    OK = 0
    FAILED = 1
    INTERRUPTED = 2
    INTERNAL_ERROR = 3
    USAGE_ERROR = 4
    NO_TESTS = 5


@dataclass(frozen=True, slots=True)
class WaiverDecision:
    """What the waivers say about one failing check: the numbers of those that accept it (empty: it fails), and
    the message to show, which names the waivers used or the expired ones that would have applied."""

    waived_by: tuple[int, ...]
    message: str

    @property
    def waived(self) -> bool:
        return bool(self.waived_by)


def apply_waivers(book: WaiverBook, claim_id: str, failing_sources: Sequence[str], message: str) -> WaiverDecision:
    """A failing check is waived when every source that made it fail is covered by an unexpired waiver for its
    claim id (:meth:`WaiverBook.decide`)."""
    waived_by, expired = book.decide(claim_id, failing_sources)
    if waived_by:
        return WaiverDecision(tuple(waived_by), f"waived — {book.describe(waived_by)}\n\n{message}")
    if expired:
        named = "; ".join(
            f"{book.waivers[n - 1].label(n)} expired on {book.waivers[n - 1].expires.isoformat()}" for n in expired
        )
        note = f"not waived: {named}; renew its date or fix the claim"
        return WaiverDecision((), f"{message}\n\n{note}")
    return WaiverDecision((), message)


def classify_scenario(
    *,
    passed: bool,
    expected_to_fail: bool,
    failure: FailureKind | None,
    checks: Sequence[CheckRecord],
    error: str,
    skipped: str | None = None,
) -> tuple[Outcome, str]:
    """The outcome of a scenario and its message.

    ``passed``: its test passed (a ``@known-divergence`` whose claims failed counts as passed, and then
    ``expected_to_fail``); ``failure``: why it failed otherwise; ``error``: the test's own failure text, shown
    when the harness, not a claim, is at fault; ``skipped``: why its test was skipped or expected to fail other
    than by ``@known-divergence`` (a mark, a plugin, a conftest), which is never a pass.
    """
    if skipped is not None:
        return Outcome.FAILED, (
            f"not checked: {skipped}. A scenario that does not run is not a pass: only @{KNOWN_DIVERGENCE_TAG} "
            "or a waiver in the waivers file accepts a claim that does not hold"
        )
    if passed and expected_to_fail:
        return Outcome.KNOWN_DIVERGENCE, "\n".join(c.message for c in checks if not c.passed)
    if passed and any(c.waived_by for c in checks):
        return Outcome.WAIVED, "\n\n".join(c.message for c in checks if c.waived_by)
    if passed:
        return Outcome.PASSED, ""
    if failure is FailureKind.CLAIM:
        return Outcome.FAILED, "\n\n".join(c.message for c in checks if not c.passed)
    if failure is FailureKind.STOPPED_DIVERGING:
        return Outcome.FAILED, "tagged @known-divergence, but the sources no longer diverge: remove the tag"
    return Outcome.ERROR, error


def unrun_reason(*, skipped: bool, expected_failure: str | None, tagged_divergence: bool, reason: str) -> str | None:
    """Why a scenario's test did not really run, when it did not: skipped (for any reason), or expected to fail
    by something other than ``@known-divergence``. None for a test that ran as the editors wrote it."""
    if expected_failure is not None and not tagged_divergence:
        return f"marked as expected to fail without @{KNOWN_DIVERGENCE_TAG} ({expected_failure or 'no reason'})"
    if skipped and expected_failure is None:
        return f"skipped ({reason or 'no reason given'})"
    return None


def expired_waivers(statuses: Iterable[WaiverStatus], waivers_path: str) -> list[str]:
    """One message per expired waiver: each fails the run, even when nothing needs it any more."""
    errors = []
    for status in statuses:
        if status.state is WaiverState.EXPIRED:
            w = status.waiver
            errors.append(
                f"{waivers_path}: {status.label} expired on {w.expires.isoformat()} "
                f"(reviewer {w.reviewer}: {w.reason}); renew its date or remove it"
            )
    return errors


def exit_status(current: int, *, internal_errors: int, gate_errors: int, reports_written: bool = True) -> int:
    """The run's exit code: ``current`` (pytest's, from the tests' outcomes) unless the harness failed (3: an
    internal error, or reports that could not be written) or the gate found an error of its own, such as an
    expired waiver (1, when nothing else failed)."""
    if internal_errors or not reports_written:
        return ExitStatus.INTERNAL_ERROR
    if gate_errors and current == ExitStatus.OK:
        return ExitStatus.FAILED
    return current
