"""The plugin stays out of projects that do not ask for it, and collects feature files natively where they do.

In the style of Hypothesis's ``test_no_plugin_side_effects``: a project with a ``.feature`` file and no
``[tool.checks]`` runs as if the plugin were not installed (same outcome, no files written, none of the engine's
dependencies imported)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import FEATURE

pytestmark = pytest.mark.slow  # end to end through subprocesses: the full suite runs them

HEAVY = ("numpy", "rapidfuzz", "jinja2", "scipy", "checks.engine", "checks.pytest_plugin.hooks")

PROBE = """
def test_ordinary() -> None:
    assert 1 + 1 == 2
"""

CONFTEST = """
import json, sys
from pathlib import Path


def pytest_unconfigure(config):
    loaded = sorted(name for name in {heavy!r} if name in sys.modules)
    Path(config.rootpath, "..", "loaded.json").write_text(json.dumps(loaded))
"""


def _files(root: Path) -> set[str]:
    return {str(p.relative_to(root)) for p in root.rglob("*") if "__pycache__" not in p.parts}


def _run(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}
    env.pop("PYTEST_ADDOPTS", None)
    env.pop("PYTEST_XDIST_WORKER", None)
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-p", "no:randomly", *args],
        cwd=root, env=env, capture_output=True, text=True, check=False,
    )  # fmt: skip


@pytest.fixture
def unrelated(tmp_path: Path) -> Path:
    """A project unrelated to checks: an ordinary test, a draft .feature file, an empty pyproject.toml."""
    root = tmp_path / "project"
    root.mkdir()
    (root / "pyproject.toml").write_text('[project]\nname = "unrelated"\n', encoding="utf-8")
    (root / "test_ordinary.py").write_text(PROBE, encoding="utf-8")
    (root / "conftest.py").write_text(CONFTEST.format(heavy=HEAVY), encoding="utf-8")
    (root / "draft.feature").write_text("Feature: a draft\n  this is not even Gherkin yet\n", encoding="utf-8")
    return root


def test_a_project_without_tool_checks_runs_as_if_the_plugin_were_absent(unrelated: Path, tmp_path: Path) -> None:
    # The same project with the plugin blocked: what other installed plugins write (pytest-benchmark's
    # .benchmarks/, say) is theirs, not ours.
    absent = tmp_path / "absent" / "project"
    shutil.copytree(unrelated, absent)
    without = _run(absent, "-p", "no:checks")
    done = _run(unrelated)
    assert done.returncode == without.returncode == 0, done.stdout + done.stderr
    assert "1 passed" in done.stdout
    assert "feature files have problems" not in done.stdout + done.stderr
    assert _files(unrelated) == _files(absent)  # no reports/, no cache, nothing of ours
    assert not (unrelated / "reports").exists() and not (unrelated / ".checks-cache").exists()
    assert json.loads((unrelated.parent / "loaded.json").read_text()) == []


def test_the_options_are_registered_everywhere(unrelated: Path) -> None:
    done = _run(unrelated, "--help")
    assert done.returncode == 0 and "--checks-corpus" in done.stdout and "--checks-debug" in done.stdout


@pytest.mark.parametrize("ask", [["-p", "checks"], ["--checks"]])
def test_asking_on_the_command_line_activates_it(unrelated: Path, ask: list[str]) -> None:
    done = _run(unrelated, *ask)
    assert done.returncode == pytest.ExitCode.USAGE_ERROR, done.stdout + done.stderr
    assert "feature files have problems" in done.stdout + done.stderr  # the draft is now ours to lint


def test_a_checks_toml_activates_it(unrelated: Path) -> None:
    (unrelated / "checks.toml").write_text("", encoding="utf-8")
    assert _run(unrelated).returncode == pytest.ExitCode.USAGE_ERROR


def test_no_steps_leak_into_other_pytest_bdd_projects(tmp_path: Path) -> None:
    """A pytest-bdd project of its own, without [tool.checks], does not get our step definitions."""
    root = tmp_path / "bdd"
    (root / "features").mkdir(parents=True)
    (root / "features" / "x.feature").write_text(
        'Feature: X\n  Scenario: Y\n    Given the sources of story "tiny"\n', encoding="utf-8"
    )
    (root / "test_x.py").write_text('from pytest_bdd import scenarios\n\nscenarios("features")\n', encoding="utf-8")
    done = _run(root)
    assert done.returncode == 1, done.stdout + done.stderr
    assert "StepDefinitionNotFoundError" in done.stdout


def _two_folders(project: pytest.Pytester) -> None:
    (project.path / "features" / "tiny.feature").unlink()
    for folder, name in (("rates", "Rates went up"), ("cuts", "Wrong direction")):
        (project.path / "features" / folder).mkdir()
        text = FEATURE.replace("Feature: Tiny story", f"Feature: {folder}")
        (project.path / "features" / folder / f"{folder}.feature").write_text(text, encoding="utf-8")
        assert name in text


def test_a_subfolder_runs_just_its_feature_files(project: pytest.Pytester) -> None:
    _two_folders(project)
    result = project.runpytest("features/rates", "--collect-only", "-q")
    collected = [line for line in result.outlines if "::" in line]
    assert collected and all(line.startswith("features/rates/rates.feature::") for line in collected)
    result = project.runpytest("features/rates")
    result.assert_outcomes(passed=2)
    results = json.loads((project.path / "reports" / "results.json").read_text(encoding="utf-8"))
    assert {s["feature"] for s in results["scenarios"]} == {"features/rates/rates.feature"}


def test_one_feature_file_and_one_node_id(project: pytest.Pytester) -> None:
    project.runpytest("features/tiny.feature").assert_outcomes(passed=2)
    project.runpytest("features/tiny.feature::test_rates_went_up").assert_outcomes(passed=1)


def test_k_and_tags_as_markers(project: pytest.Pytester) -> None:
    feature = project.path / "features" / "tiny.feature"
    feature.write_text(FEATURE.replace("  Scenario: Wrong direction", "  @economy\n  Scenario: Wrong direction"))
    project.makepyprojecttoml('[tool.checks]\n[tool.pytest.ini_options]\nmarkers = ["economy: tagged"]\n')
    project.runpytest("features/", "-k", "rates_went_up").assert_outcomes(passed=1, deselected=1)
    project.runpytest("features/", "-m", "economy").assert_outcomes(passed=1, deselected=1)


def test_no_boilerplate_module_is_needed(project: pytest.Pytester) -> None:
    assert not list(project.path.rglob("*.py"))
    project.runpytest("features/").assert_outcomes(passed=2)
