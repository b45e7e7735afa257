"""The collector policy of a run (checks.gcpolicy): set while checking, put back afterwards."""

from __future__ import annotations

import gc

import pytest

from checks.gcpolicy import YOUNG, checking, freeze_loaded


def test_a_run_collects_less_often_and_puts_the_collector_back() -> None:
    before = gc.get_threshold()
    restore = checking()
    try:
        assert gc.get_threshold()[0] == YOUNG and gc.isenabled()  # cycles are still collected
        freeze_loaded()
        assert gc.get_freeze_count() > 0
    finally:
        restore()
    assert gc.get_threshold() == before and gc.get_freeze_count() == 0


def test_a_pytest_run_restores_the_collector(pytester: pytest.Pytester) -> None:
    from tests.factories import seed_project

    before = gc.get_threshold()
    seed_project(pytester).runpytest("features/").assert_outcomes(passed=15, xfailed=1)
    assert gc.get_threshold() == before and gc.get_freeze_count() == 0
