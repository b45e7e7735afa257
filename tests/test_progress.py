"""Progress bars: on a terminal only, never in CI, forced by CHECKS_PROGRESS, drawn past pytest's capture."""

from __future__ import annotations

import io

import pytest

from checks.progress import QUIET, Progress


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


@pytest.fixture(autouse=True)
def _clean(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CI", raising=False)
    monkeypatch.delenv("CHECKS_PROGRESS", raising=False)


def test_on_a_terminal_only() -> None:
    assert Progress(Terminal()).enabled()
    assert not Progress(io.StringIO()).enabled()


@pytest.mark.parametrize("value", ["true", "1", "TRUE"])
def test_never_in_ci(monkeypatch: pytest.MonkeyPatch, value: str) -> None:
    monkeypatch.setenv("CI", value)
    assert not Progress(Terminal()).enabled()


def test_forced_on_and_off(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CHECKS_PROGRESS", "1")
    monkeypatch.setenv("CI", "true")
    assert Progress(io.StringIO()).enabled()
    monkeypatch.setenv("CHECKS_PROGRESS", "0")
    assert not Progress(Terminal()).enabled()


def test_a_silenced_process_draws_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CHECKS_PROGRESS", "1")
    terminal = Terminal()
    assert list(Progress(terminal, silent=True).each(range(5), what="work")) == [0, 1, 2, 3, 4]
    assert list(QUIET.each(range(2), what="work")) == [0, 1]
    assert terminal.getvalue() == ""


def test_draws_a_bar_and_yields_everything(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CHECKS_PROGRESS", "1")
    terminal = Terminal()
    assert list(Progress(terminal).each(range(300), what="indexing sources")) == list(range(300))
    assert "indexing sources" in terminal.getvalue()
    assert "/300" in terminal.getvalue()  # the total is known from the items


def test_a_bar_advanced_in_steps(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CHECKS_PROGRESS", "1")
    terminal = Terminal()
    with Progress(terminal).bar(40, what="indexing sources") as advance:
        for _ in range(4):
            advance(10)
    assert "indexing sources" in terminal.getvalue() and "40/40" in terminal.getvalue()
    quiet = io.StringIO()
    monkeypatch.delenv("CHECKS_PROGRESS")
    with Progress(quiet).bar(40, what="indexing sources") as advance:
        advance(40)
    assert quiet.getvalue() == ""


def test_quiet_when_not_a_terminal() -> None:
    stream = io.StringIO()
    assert list(Progress(stream).each(range(3), what="work")) == [0, 1, 2]
    assert stream.getvalue() == ""


def test_pytest_run_draws_past_the_capture(project: pytest.Pytester, monkeypatch: pytest.MonkeyPatch) -> None:
    pytester = project
    monkeypatch.setenv("CHECKS_PROGRESS", "1")
    result = pytester.runpytest_subprocess("features/")
    assert result.ret == 0
    assert "loading tiny" in result.stderr.str()  # (two sources are screened without an index: no second bar)


def test_pytest_run_in_ci_draws_nothing(project: pytest.Pytester, monkeypatch: pytest.MonkeyPatch) -> None:
    pytester = project
    monkeypatch.setenv("CI", "true")
    result = pytester.runpytest_subprocess("features/")
    assert result.ret == 0
    assert "loading tiny" not in result.stderr.str() + result.stdout.str()
