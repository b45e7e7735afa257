"""Faults during a run: an unreadable source, a reports folder that cannot be written, a write that fails
halfway, an exception inside the engine. Each ends with a non-zero exit and a clear message, and leaves no
partial report files."""

from __future__ import annotations

import json
import os
from pathlib import Path

import jsonschema
import pytest

from checks.cli import main
from checks.reports.writers import REPORT_FILES
from checks.schemas import load_schema

PREVIOUS = b"previous report\n"


def _previous_reports(root: Path) -> dict[str, bytes]:
    reports = root / "reports"
    reports.mkdir(exist_ok=True)
    for name in REPORT_FILES:
        (reports / name).write_bytes(PREVIOUS)
    return dict.fromkeys(REPORT_FILES, PREVIOUS)


def _reports(root: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted((root / "reports").iterdir())}


def _output(result: pytest.RunResult) -> str:
    output = result.stdout.str() + result.stderr.str()
    assert "Traceback" not in output
    return output


def test_unreadable_source(
    project: pytest.Pytester, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    target = project.path / "corpus" / "tiny" / "wire.txt"
    real = Path.read_bytes

    def read_bytes(self: Path) -> bytes:
        if self.name == target.name:
            raise PermissionError(13, "Permission denied", str(self))
        return real(self)

    monkeypatch.setattr(Path, "read_bytes", read_bytes)
    before = _previous_reports(project.path)
    result = project.runpytest("features/")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    assert "corpus/tiny/wire.txt: text: cannot be read (Permission denied); check its permissions" in _output(result)
    assert _reports(project.path) == before
    monkeypatch.chdir(project.path)
    assert main(["validate"]) == 1
    assert "wire.txt: text: cannot be read (Permission denied)" in capsys.readouterr().err


def test_reports_folder_that_is_not_writable(project: pytest.Pytester) -> None:
    (project.path / "reports").write_text("a file where the folder should be\n", encoding="utf-8")
    result = project.runpytest("features/")
    assert result.ret == pytest.ExitCode.INTERNAL_ERROR
    output = _output(result)
    assert "ERROR: reports not written to" in output and "previous reports are untouched" in output
    assert (project.path / "reports").read_text(encoding="utf-8") == "a file where the folder should be\n"


@pytest.mark.parametrize("fails", ["write", "rename"])
@pytest.mark.parametrize("mode", ["switch", "file by file"])
def test_a_write_that_fails_halfway_keeps_every_previous_report(
    fails: str, mode: str, project: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Both ways of writing: the whole set switched at once (a reports folder holding only reports), and file by
    file (a folder that also holds files of the project's own, which must survive)."""
    import checks.files

    calls = {"n": 0}
    writer = "_write_file" if mode == "switch" else "_write_temp"
    real_write, real_replace = getattr(checks.files, writer), os.replace

    def failing_write(path: Path, data: bytes) -> object:
        calls["n"] += 1
        if calls["n"] == 3:
            raise OSError(28, "No space left on device", str(path))
        return real_write(path, data)

    def failing_replace(src: str, dst: str | Path) -> None:
        calls["n"] += 1
        if calls["n"] == 3:
            raise OSError(5, "Input/output error", str(dst))
        real_replace(src, dst)

    def failing_exchange(a: Path, b: Path) -> bool:
        raise OSError(5, "Input/output error", str(b))

    if fails == "write":
        monkeypatch.setattr(checks.files, writer, failing_write)
    elif mode == "switch":
        monkeypatch.setattr(checks.files, "_exchange", failing_exchange)
    else:
        monkeypatch.setattr(checks.files.os, "replace", failing_replace)
    before = _previous_reports(project.path)
    if mode == "file by file":
        (project.path / "reports" / "notes.md").write_bytes(b"the desk's own notes\n")
        before = {**before, "notes.md": b"the desk's own notes\n"}
    result = project.runpytest("features/")
    assert result.ret == pytest.ExitCode.INTERNAL_ERROR
    output = _output(result)
    assert "reports not written to" in output
    assert "No space left on device" in output or "Input/output error" in output
    assert _reports(project.path) == dict(sorted(before.items()))  # every previous report, no temporary file
    assert sorted(p.name for p in project.path.iterdir() if p.name.startswith(".reports")) == []


def test_an_exception_inside_the_engine(project: pytest.Pytester, monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(*_: object, **__: object) -> None:
        raise ZeroDivisionError("division by zero in a rule")

    monkeypatch.setattr("checks.engine.screen.read_pair", broken)  # every path, cached or not, reads through it
    result = project.runpytest("features/")
    assert result.ret == pytest.ExitCode.INTERNAL_ERROR
    output = _output(result)
    assert "internal error in checks: ZeroDivisionError: division by zero in a rule" in output
    assert "Rerun with --checks-debug for the traceback" in output
    assert "2 scenario(s) hit an internal error in checks (exit code 3)" in output
    reports = _reports(project.path)
    assert sorted(reports) == sorted(REPORT_FILES)  # complete, never partial
    results = json.loads(reports["results.json"])
    jsonschema.validate(results, load_schema("results.schema.json"))
    assert [s["outcome"] for s in results["scenarios"]] == ["error", "error"]
    debug = project.runpytest("features/", "--checks-debug").stdout.str()
    # The real traceback (pytest's long form: the raising line and the exception), not our one-line message.
    assert 'raise ZeroDivisionError("division by zero in a rule")' in debug
    assert "E       ZeroDivisionError: division by zero in a rule" in debug
    assert "Rerun with --checks-debug for the traceback" not in debug
    assert "Rerun with --checks-debug for the traceback" in project.runpytest("features/", "-v").stdout.str()
    very_verbose = project.runpytest("features/", "-vv").stdout.str()
    assert 'raise ZeroDivisionError("division by zero in a rule")' in very_verbose
