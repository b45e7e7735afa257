"""The gate's decisions as pure functions (checks/gate.py): waivers, outcomes, exit status."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from checks.gate import ExitStatus, apply_waivers, classify_scenario, exit_status, expired_waivers
from checks.reports.records import CheckRecord
from checks.verdicts import FailureKind, Outcome, StepKind
from checks.waivers import Waiver, WaiverBook, WaiverState, WaiverStatus, statuses

DAY = date(2026, 6, 30)


def _waiver(expires: date, source: str = "wire", claim: str = "rates") -> Waiver:
    return Waiver(
        claim=claim, source=source, reason="Desk asked for a correction", reviewer="J. Editor", expires=expires
    )


def _check(passed: bool, message: str = "", waived_by: list[int] | None = None) -> CheckRecord:
    return CheckRecord(
        step="Then every source supports", kind=StepKind.EVERY_SOURCE_SUPPORTS, claim="Rates rose",
        expected="expected every source to support", passed=passed, message=message, verdicts=[],
        waived_by=waived_by or [],
    )  # fmt: skip


@pytest.mark.parametrize(
    ("today", "applies"),
    [(DAY - timedelta(days=1), True), (DAY, True), (DAY + timedelta(days=1), False)],
    ids=["the day before", "its last day", "the day after"],
)
def test_a_waiver_applies_up_to_and_including_its_expiry_day(today: date, applies: bool) -> None:
    book = WaiverBook((_waiver(DAY),), today)
    decision = apply_waivers(book, "rates", ["wire"], "expected every source to support")
    assert decision.waived is applies
    assert _waiver(DAY).expired(today) is not applies
    [status] = statuses(book.waivers, {}, today)
    assert (status.state is WaiverState.EXPIRED) is not applies
    if applies:
        assert decision.message.startswith(
            "waived — waiver #1 (claim rates, source wire) by J. Editor until 2026-06-30"
        )
    else:
        assert "not waived: waiver #1" in decision.message and "expired on" in decision.message


def test_a_waiver_must_cover_every_failing_source() -> None:
    book = WaiverBook((_waiver(DAY, source="wire"),), DAY)
    assert not apply_waivers(book, "rates", ["wire", "paper"], "m").waived
    assert apply_waivers(WaiverBook((_waiver(DAY, source="*"),), DAY), "rates", ["wire", "paper"], "m").waived
    assert not apply_waivers(book, "other-claim", ["wire"], "m").waived


def test_outcomes() -> None:
    failed = [_check(False, "the table")]
    assert classify_scenario(passed=True, expected_to_fail=False, failure=None, checks=[_check(True)], error="") == (
        Outcome.PASSED,
        "",
    )
    assert classify_scenario(passed=True, expected_to_fail=True, failure=None, checks=failed, error="")[0] == (
        Outcome.KNOWN_DIVERGENCE
    )
    waived = [_check(False, "waived — w", [1])]
    assert classify_scenario(passed=True, expected_to_fail=False, failure=None, checks=waived, error="") == (
        Outcome.WAIVED,
        "waived — w",
    )
    assert classify_scenario(passed=False, expected_to_fail=False, failure=FailureKind.CLAIM, checks=failed, error="x")[
        0
    ] == (Outcome.FAILED)
    stopped = classify_scenario(
        passed=False, expected_to_fail=False, failure=FailureKind.STOPPED_DIVERGING, checks=[], error="XPASS"
    )
    assert stopped == (Outcome.FAILED, "tagged @known-divergence, but the sources no longer diverge: remove the tag")
    for kind in (FailureKind.INTERNAL, FailureKind.CHECK, None):
        assert classify_scenario(passed=False, expected_to_fail=False, failure=kind, checks=[], error="boom") == (
            Outcome.ERROR,
            "boom",
        )


def test_exit_status() -> None:
    assert exit_status(ExitStatus.OK, internal_errors=0, gate_errors=0) == ExitStatus.OK
    assert exit_status(ExitStatus.OK, internal_errors=0, gate_errors=1) == ExitStatus.FAILED
    assert exit_status(ExitStatus.FAILED, internal_errors=0, gate_errors=1) == ExitStatus.FAILED
    assert exit_status(ExitStatus.FAILED, internal_errors=1, gate_errors=0) == ExitStatus.INTERNAL_ERROR
    assert exit_status(ExitStatus.OK, internal_errors=0, gate_errors=0, reports_written=False) == 3


def test_every_expired_waiver_is_named() -> None:
    waiver = _waiver(DAY)
    status = WaiverStatus(number=1, label=waiver.label(1), waiver=waiver, state=WaiverState.EXPIRED)
    [message] = expired_waivers([status], "features/waivers.toml")
    assert message.startswith("features/waivers.toml: waiver #1 (claim rates, source wire) expired on 2026-06-30")
    used = status.model_copy(update={"state": WaiverState.USED})
    assert expired_waivers([used], "w.toml") == []
