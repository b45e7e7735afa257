"""The CI gate end to end, from the command line, as the workflow runs it: `checks validate`, then
`pytest features/ --checks-baseline BASE`, then `checks diff BASE NEW --format markdown --fail-on regressions`.

Corpus updates that (a) add an agreeing source: passes; (b) add a contradicting source: fails, and the diff names
the claim, the source and the quote; (c) carry an expired waiver: fails naming it; (d) add an invalid source: fails
at validation before any claim is checked; (e) waive the failure: passes, and the waiver shows in the reports.
"""

from __future__ import annotations

import json
import subprocess
import sys
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow  # end to end through subprocesses: the full suite runs them

BASE = "base-results.json"
AGREES = "Officials said the central bank raised interest rates by a quarter point on Tuesday.\n"
CONTRADICTS = "The central bank did not raise interest rates on Tuesday, surprising markets.\n"


@dataclass
class Gate:
    validate: subprocess.CompletedProcess[str]
    pytest: subprocess.CompletedProcess[str] | None
    diff: subprocess.CompletedProcess[str] | None

    @property
    def passed(self) -> bool:
        steps = [self.validate, self.pytest, self.diff]
        return all(step is not None and step.returncode == 0 for step in steps)


def _run(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", *args], cwd=root, capture_output=True, text=True, check=False)


def run_gate(root: Path) -> Gate:
    """The steps of .github/workflows/corpus-gate.yml, stopping where the workflow stops."""
    validate = _run(root, "checks", "validate")
    if validate.returncode:
        return Gate(validate, None, None)
    tests = _run(root, "pytest", "features/", "-p", "no:cacheprovider", "--checks-baseline", BASE)
    diff = _run(
        root, "checks", "diff", BASE, "reports/results.json", "--format", "markdown", "--fail-on", "regressions"
    )
    return Gate(validate, tests, diff)


def _source(root: Path, source_id: str, text: str, meta: dict[str, object] | None = None) -> None:
    story = root / "corpus" / "tiny"
    (story / f"{source_id}.txt").write_text(text, encoding="utf-8")
    (story / f"{source_id}.json").write_text(json.dumps(meta or {"published": "2025-03-17"}), encoding="utf-8")


IN_A_MONTH = (datetime.now(UTC).date() + timedelta(days=30)).isoformat()
"""An expiry that is valid whenever the tests run (waivers may expire at most max_waiver_days ahead)."""


def _waiver(root: Path, source: str, expires: str) -> None:
    (root / "features" / "waivers.toml").write_text(
        f'[[waiver]]\nclaim = "rates"\nsource = "{source}"\nreason = "The blog misread the statement; '
        f'correction requested"\nreviewer = "J. Editor"\nexpires = {expires}\n',
        encoding="utf-8",
    )


@pytest.fixture
def gated(project: pytest.Pytester) -> Path:
    """The tiny project with a baseline from its current state, as CI computes it from the target branch."""
    root = project.path
    result = _run(root, "pytest", "features/", "-p", "no:cacheprovider")
    assert result.returncode == 0, result.stdout
    (root / "reports" / "results.json").rename(root / BASE)
    return root


def test_a_source_agreeing_with_every_claim_passes(gated: Path) -> None:
    _source(gated, "agency", AGREES)
    gate = run_gate(gated)
    assert gate.passed, gate
    assert gate.pytest is not None and "baseline: this update changes 2 verdicts: 1 source added" in gate.pytest.stdout
    assert gate.diff is not None and "agency" in gate.diff.stdout and "new source" in gate.diff.stdout


def test_a_source_contradicting_a_claim_fails_and_the_diff_names_it(gated: Path) -> None:
    _source(gated, "blog", CONTRADICTS)
    gate = run_gate(gated)
    assert not gate.passed
    assert gate.pytest is not None and gate.pytest.returncode == 1
    assert gate.diff is not None and gate.diff.returncode == 1  # --fail-on regressions
    markdown = gate.diff.stdout
    assert "1 regression" in markdown and "Rates went up" in markdown
    row = next(line for line in markdown.splitlines() if "| blog |" in line)
    assert "The central bank raised interest rates" in row  # the claim
    assert "new source" in row and "contradicted" in row
    assert "The central bank did not raise interest rates on Tuesday, surprising markets." in row  # the quote
    html = (gated / "reports" / "report.html").read_text(encoding="utf-8")
    changes = html[html.index('id="changes"') : html.index('id="divergences"')]
    assert "Against the baseline, this update changes" in changes and "surprising markets" in changes


def test_an_expired_waiver_fails_naming_itself(gated: Path) -> None:
    _source(gated, "blog", CONTRADICTS)
    _waiver(gated, "blog", "2001-01-31")
    gate = run_gate(gated)
    assert not gate.passed and gate.validate.returncode == 1 and gate.pytest is None  # the workflow stops there
    assert "waiver #1 (claim rates, source blog) expired on 2001-01-31, so `pytest features/` fails" in (
        gate.validate.stderr
    )
    tests = _run(gated, "pytest", "features/", "-p", "no:cacheprovider")
    assert tests.returncode == 1
    assert "features/waivers.toml: waiver #1 (claim rates, source blog) expired on 2001-01-31" in tests.stdout
    assert "expired on 2001-01-31; renew its date or fix the claim" in tests.stdout
    junit = (gated / "reports" / "junit.xml").read_text(encoding="utf-8")
    assert 'name="waiver #1 (claim rates, source blog)"' in junit and "ExpiredWaiver" in junit
    results = json.loads((gated / "reports" / "results.json").read_text(encoding="utf-8"))
    assert results["waivers"][0]["state"] == "expired"


def test_an_expired_waiver_fails_even_when_nothing_needs_it(gated: Path) -> None:
    _waiver(gated, "blog", "2001-01-31")
    gate = run_gate(gated)
    assert gate.validate.returncode == 1 and gate.pytest is None
    tests = _run(gated, "pytest", "features/", "-p", "no:cacheprovider")
    assert tests.returncode == 1
    assert "waiver #1 (claim rates, source blog) expired on 2001-01-31" in tests.stdout


def test_an_invalid_source_fails_at_validation_before_any_claim(gated: Path) -> None:
    _source(gated, "broken", AGREES, {"published": "last Tuesday"})
    gate = run_gate(gated)
    assert not gate.passed and gate.pytest is None
    assert gate.validate.returncode == 1
    assert "corpus/tiny/broken.json: published: 'last Tuesday' is not an ISO date" in gate.validate.stderr
    direct = _run(gated, "pytest", "features/", "-p", "no:cacheprovider")
    assert direct.returncode == 4 and "nothing was checked" in direct.stderr


def test_a_waived_failure_passes_and_shows_in_every_report(gated: Path) -> None:
    _source(gated, "blog", CONTRADICTS)
    _waiver(gated, "blog", IN_A_MONTH)
    gate = run_gate(gated)
    assert gate.passed, gate
    assert (
        gate.pytest is not None and "waived: waiver #1 (claim rates, source blog) (Rates went up)" in gate.pytest.stdout
    )
    reports = gated / "reports"
    results = json.loads((reports / "results.json").read_text(encoding="utf-8"))
    scenario = next(s for s in results["scenarios"] if s["claim_id"] == "rates")
    assert scenario["outcome"] == "waived"
    assert scenario["waivers"][0]["reviewer"] == "J. Editor"
    assert results["summary"]["scenarios"]["waived"] == 1
    assert results["waivers"][0]["state"] == "used"
    html = (reports / "report.html").read_text(encoding="utf-8")
    divergences = html[html.index('id="divergences"') : html.index('id="matrix"')]
    assert "waived" in divergences and f"Waived for blog by J. Editor until {IN_A_MONTH}" in divergences
    assert 'id="waivers"' in html and "The blog misread the statement" in html
    case = next(
        c for c in ET.parse(reports / "junit.xml").getroot().iter("testcase") if c.get("name") == "Rates went up"
    )
    skipped = case.find("skipped")
    assert skipped is not None and "waiver #1 (claim rates, source blog) by J. Editor" in skipped.get("message", "")
    cucumber = json.loads((reports / "cucumber.json").read_text(encoding="utf-8"))
    element = next(e for f in cucumber for e in f["elements"] if e["name"] == "Rates went up")
    assert element["description"].startswith("waived — waiver #1")


def test_a_waiver_that_matches_nothing_is_stale(gated: Path) -> None:
    _waiver(gated, "blog", IN_A_MONTH)
    gate = run_gate(gated)
    assert gate.passed
    assert (
        gate.pytest is not None
        and "stale: waiver #1 (claim rates, source blog) matched no failure" in gate.pytest.stdout
    )
    results = json.loads((gated / "reports" / "results.json").read_text(encoding="utf-8"))
    assert results["waivers"][0]["state"] == "stale"


def test_a_waiver_for_another_source_does_not_waive(gated: Path) -> None:
    _source(gated, "blog", CONTRADICTS)
    _waiver(gated, "wire", IN_A_MONTH)
    assert _run(gated, "pytest", "features/", "-p", "no:cacheprovider").returncode == 1


@pytest.mark.parametrize(
    ("toml", "message"),
    [
        ('[[waiver]]\nclaim = "rates"\n', "waiver #1: reason: Field required"),
        ('[[waiver]]\nclaim = "rates"\nreason = "r r r"\nreviewer = "me"\nexpires = "soon"\n', "waiver #1: expires"),
        ('[[waiver]]\nclaim = "rates"\nsource = "../x"\nreason = "r r r"\nreviewer = "me"\nexpires = 2030-01-01\n',
         "waiver #1: source: String should match pattern"),
        ("[[waiver]\n", "features/waivers.toml: not valid TOML"),
        ('[[waivers]]\nclaim = "x"\n', "file: waivers: Extra inputs are not permitted"),
    ],
)  # fmt: skip
def test_a_broken_waivers_file_stops_the_run(toml: str, message: str, gated: Path) -> None:
    (gated / "features" / "waivers.toml").write_text(toml, encoding="utf-8")
    result = _run(gated, "pytest", "features/", "-p", "no:cacheprovider")
    assert result.returncode == 4 and message in result.stderr and "Traceback" not in result.stderr
    validate = _run(gated, "checks", "validate")
    assert validate.returncode == 1 and message in validate.stderr


def test_diff_refuses_a_file_that_is_not_results(gated: Path) -> None:
    (gated / "other.json").write_text('{"hello": 1}', encoding="utf-8")
    result = _run(gated, "checks", "diff", BASE, "other.json")
    assert result.returncode == 2 and "other.json: not a checks results.json" in result.stderr


def test_a_baseline_that_is_missing_is_a_usage_error(gated: Path) -> None:
    result = _run(gated, "pytest", "features/", "-p", "no:cacheprovider", "--checks-baseline", "nope.json")
    assert result.returncode == 4 and "--checks-baseline: nope.json: cannot be read" in result.stderr
