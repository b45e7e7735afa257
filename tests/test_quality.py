"""The code's own gates, run by the README test command: ruff (lint and format) and mypy --strict."""

from __future__ import annotations

import shutil
import subprocess
import sys

import pytest

from tests.conftest import ROOT

pytestmark = pytest.mark.slow


@pytest.mark.parametrize(
    "command",
    [
        pytest.param(["ruff", "check", "checks", "tests", "benchmarks", "features"], id="ruff-check"),
        pytest.param(["ruff", "format", "--check", "checks", "tests", "benchmarks", "features"], id="ruff-format"),
        pytest.param([sys.executable, "-m", "mypy"], id="mypy-strict"),
    ],
)
def test_gate(command: list[str]) -> None:
    if command[0] == "ruff":
        found = shutil.which("ruff")
        assert found, "ruff is installed with the test extras"
        command = [found, *command[1:]]
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stdout[-4000:] + done.stderr[-2000:]
