"""Our reports fed to the third-party tools that read them, as a newsroom's CI would: a Cucumber HTML reporter
(npm, pinned in .ci/cucumber), and, in test_reports.py, the Jenkins and Ant JUnit schemas."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import FEATURE, ROOT
from tests.factories import seed_project

READER = ROOT / ".ci" / "cucumber" / "report.cjs"


def cucumber_reporter(report: Path, tmp_path: Path) -> dict[str, Any]:
    """The numbers multiple-cucumber-html-reporter computes from ``report``."""
    node = shutil.which("node")
    if node is None or not (READER.parent / "node_modules" / "multiple-cucumber-html-reporter").is_dir():
        pytest.fail("the Cucumber reporter is needed: run .ci/bootstrap (it installs Node.js and the pinned reporter)")
    inputs = tmp_path / "cucumber-in"
    inputs.mkdir()
    shutil.copy(report, inputs / "cucumber.json")
    done = subprocess.run(
        [node, str(READER), str(inputs), str(tmp_path / "cucumber-html")], capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr
    numbers: dict[str, Any] = json.loads(done.stdout)
    assert (tmp_path / "cucumber-html" / "index.html").is_file()
    return numbers


def test_a_green_gate_is_green_in_the_cucumber_reporter(pytester: pytest.Pytester, tmp_path: Path) -> None:
    """The seed run exits 0 with a known divergence: the reporter used to show "Features: Failed 100 %"."""
    seed_project(pytester)
    assert pytester.runpytest("features/").ret == 0
    numbers = cucumber_reporter(pytester.path / "reports" / "cucumber.json", tmp_path)
    assert numbers["features"]["failed"] == 0
    assert numbers["scenarios"]["failed"] == 0
    assert numbers["scenarios"]["skipped"] == 1 and numbers["scenarios"]["passed"] == 14
    element = next(
        e
        for f in json.loads((pytester.path / "reports" / "cucumber.json").read_text(encoding="utf-8"))
        for e in f["elements"]
        if e["name"] == "Which Huawei system goes into China-made BMWs"
    )
    [accepted] = [s for s in element["steps"] if s["result"]["status"] == "skipped"]
    assert "accepted divergence" in accepted["result"]["error_message"] and accepted["embeddings"]


def test_a_waived_failure_is_not_a_failure_and_a_real_one_is(project: pytest.Pytester, tmp_path: Path) -> None:
    from datetime import UTC, datetime, timedelta

    expires = (datetime.now(UTC).date() + timedelta(days=30)).isoformat()
    (project.path / "features" / "tiny.feature").write_text(
        FEATURE.replace('raised interest rates"\n\n  Scenario', 'cut interest rates"\n\n  Scenario', 1)
        + '\n  Scenario: Still wrong\n    Then every source supports "The central bank cut rates to zero"\n',
        encoding="utf-8",
    )
    (project.path / "features" / "waivers.toml").write_text(
        f'[[waiver]]\nclaim = "rates"\nsource = "*"\nreason = "The desk accepted the wording"\n'
        f'reviewer = "J. Editor"\nexpires = {expires}\n',
        encoding="utf-8",
    )
    assert project.runpytest("features/").ret == 1  # "Still wrong" fails the gate
    numbers = cucumber_reporter(project.path / "reports" / "cucumber.json", tmp_path)
    assert numbers["scenarios"]["failed"] == 1 and numbers["scenarios"]["skipped"] == 1
    assert numbers["features"]["failed"] == 1
