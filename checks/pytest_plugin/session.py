"""The controller side of a run: gather scenario results from test reports, write the reports,
print the summary. A plugin object registered by :mod:`checks.pytest_plugin.hooks` (never on xdist workers).

Everything it needs arrives as plain data on ``report.user_properties`` (see
:mod:`checks.reports.records`), so the same results come out with or without ``-n``.
"""

from __future__ import annotations

import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from checks.cache import engine_fingerprint
from checks.corpus.load import Corpus, content_hash
from checks.corpus.suspicious import suspicious_lines
from checks.coverage import checked_stories, evidence_spans, story_lineages, unchecked
from checks.engine import Engine
from checks.engine.consistency import front_matter
from checks.errors import CheckError
from checks.files import relative_path
from checks.gate import ExitStatus, classify_scenario, exit_status, expired_waivers, unrun_reason
from checks.pytest_plugin.keys import CACHE_NOTE_KEY, FAILURE_KIND
from checks.reports.diff import Changes, diff_results
from checks.reports.records import CHECK_KEY, SCENARIO_KEY, STEP_KEY, CheckRecord, ScenarioHeader, StepResult
from checks.reports.results import FrontCheck, Results, RunInfo, ScenarioResult, source_entries, summarize
from checks.reports.summary import summary_lines
from checks.reports.text import terminal_safe
from checks.reports.writers import write_reports
from checks.verdicts import KNOWN_DIVERGENCE_TAG, FailureKind, Outcome, Verdict
from checks.waivers import WaiverBook, WaiverStatus, statuses

__all__ = ["ChecksSession"]


class ChecksSession:
    """Collects :class:`ScenarioResult` objects and writes ``reports/`` at the end of the session."""

    def __init__(
        self,
        config: pytest.Config,
        *,
        reports: Path,
        corpus_path: Path,
        settings: dict[str, Any],
        load_corpus: Any,
        waivers: WaiverBook,
        waivers_path: str,
        baseline: Results | None,
        engine: Engine,
    ) -> None:
        self.config = config
        self.engine = engine
        self.waivers = waivers
        self.waivers_path = waivers_path
        self.baseline = baseline
        self.changes: Changes | None = None
        self.gate_errors: list[str] = []
        self.waiver_report: list[WaiverStatus] = []
        self.reports = reports
        self.corpus_path = corpus_path
        self.settings = settings
        self._load_corpus = load_corpus
        self.started = datetime.now(UTC)
        self.clock = time.perf_counter()
        self.scenarios: dict[str, ScenarioResult] = {}
        self.order: dict[str, tuple[str, int, int]] = {}
        self.durations: dict[str, float] = {}
        self.written: list[Path] = []
        self.write_error: str | None = None
        self.internal_errors: list[str] = []
        self.notes: list[str] = []

    # -- gathering ---------------------------------------------------------------------------

    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        for key, value in report.user_properties:
            if key == CACHE_NOTE_KEY and str(value) not in self.notes:
                self.notes.append(str(value))
        header = _header(report)
        if header is None:
            return
        if _failure(report) is FailureKind.INTERNAL and report.nodeid not in self.internal_errors:
            self.internal_errors.append(report.nodeid)
        unrun = _unrun(header, report)
        self.order[report.nodeid] = (header.feature, header.line, header.order)
        self.durations[report.nodeid] = self.durations.get(report.nodeid, 0.0) + report.duration
        if unrun is not None and report.nodeid not in self.scenarios:
            self.scenarios[report.nodeid] = _scenario(header, report, self.waivers, skipped=unrun)
            self.gate_errors.append(f"{header.feature}:{header.line}: {header.name}: not checked: {unrun}")
        elif report.when == "call" or (report.failed and report.nodeid not in self.scenarios):
            self.scenarios[report.nodeid] = _scenario(header, report, self.waivers)
        elif report.failed and report.when == "teardown":
            previous = self.scenarios[report.nodeid]
            self.scenarios[report.nodeid] = previous.model_copy(
                update={"outcome": Outcome.ERROR, "message": report.longreprtext}
            )

    # -- writing -----------------------------------------------------------------------------

    def results(self) -> Results:
        corpus: Corpus = self._load_corpus()
        finished = datetime.now(UTC)
        scenarios = [
            s.model_copy(update={"duration_seconds": round(self.durations.get(node, 0.0), 3)})
            for node, s in sorted(self.scenarios.items(), key=lambda e: (*self.order[e[0]], e[0]))
        ]
        run = RunInfo(
            versions=_versions(),
            configuration=self.settings,
            corpus=relative_path(self.corpus_path, self.config.rootpath),
            corpus_hash=content_hash(corpus.sources),
            engine=engine_fingerprint(),
            started=self.started.isoformat(timespec="seconds"),
            finished=finished.isoformat(timespec="seconds"),
            duration_seconds=round(time.perf_counter() - self.clock, 3),
        )
        statements, skipped = front_matter(self.engine, corpus.sources)
        stories = checked_stories(corpus.sources, scenarios)
        groups, too_large = unchecked(stories, evidence_spans(scenarios))
        checks = [
            FrontCheck(source=f.source, section=f.statement.section, statement=f.statement, body=f.body)
            for f in statements
        ]
        return Results(
            run=run,
            sources=source_entries(corpus.sources),
            scenarios=scenarios,
            summary=summarize(scenarios),
            waivers=self.waiver_statuses(scenarios),
            front_matter=checks,
            front_matter_skipped=skipped,
            unchecked=groups,
            unchecked_skipped=too_large,
            lineages=story_lineages(stories),
        )

    def waiver_statuses(self, scenarios: list[ScenarioResult]) -> list[WaiverStatus]:
        used: dict[int, list[str]] = {}
        for scenario in scenarios:
            for check in scenario.checks:
                for number in check.waived_by:
                    used.setdefault(number, [])
                    if scenario.name not in used[number]:
                        used[number].append(scenario.name)
        return statuses(self.waivers.waivers, used, self.waivers.today)

    @pytest.hookimpl(trylast=True)
    def pytest_sessionfinish(self, session: pytest.Session, exitstatus: int) -> None:
        if not self.scenarios:
            return
        if exitstatus == ExitStatus.INTERRUPTED:  # Ctrl-C: the results are partial, the previous set stays
            self.write_error = (
                f"the run was interrupted: reports not written to {self.reports}; previous reports are untouched"
            )
            return
        written = True
        try:
            corpus = self._load_corpus()
            texts = {s.id: s.text for s in corpus.sources}
            self.notes.extend(self._suspicious(corpus))
            results = self.results()
            self.notes.extend(_front_matter_notes(results))
            self.changes = diff_results(self.baseline, results) if self.baseline is not None else None
            self.waiver_report = results.waivers
            self.gate_errors.extend(expired_waivers(self.waiver_report, self.waivers_path))
            self.written = write_reports(results, self.reports, texts, changes=self.changes)
        except (CheckError, OSError) as exc:
            message = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
            self.write_error = f"reports not written to {self.reports}: {message}; previous reports are untouched"
            written = False
        session.exitstatus = exit_status(
            int(session.exitstatus),
            internal_errors=len(self.internal_errors),
            gate_errors=len(self.gate_errors),
            reports_written=written,
        )

    def _suspicious(self, corpus: Corpus) -> list[str]:
        """Bidi controls and mixed-script words in the sources and the feature files of the run."""
        root = self.config.rootpath
        found = []
        for source in corpus.sources:
            path = relative_path(self.corpus_path / source.story / f"{source.id}.txt", root)
            found.extend(suspicious_lines(path, source.text))
        for feature in sorted({s.feature for s in self.scenarios.values()}):
            try:
                found.extend(suspicious_lines(feature, (root / feature).read_text(encoding="utf-8")))
            except (OSError, UnicodeDecodeError):
                continue  # the lint has refused it already
        return found

    def pytest_terminal_summary(self, terminalreporter: Any) -> None:
        if not self.scenarios:
            return
        terminalreporter.section("checks")
        lines = summary_lines(
            list(self.scenarios.values()),
            waivers=self.waiver_report,
            gate_errors=self.gate_errors,
            changes=self.changes,
            internal_errors=len(self.internal_errors),
            write_error=self.write_error,
            written=self.written,
            notes=self.notes,
        )
        for line in lines:
            for text in terminal_safe(line.text).split("\n"):
                terminalreporter.write_line(text, red=line.error, bold=line.error)


def _front_matter_notes(results: Results) -> list[str]:
    """What the within-source check found, for the terminal summary."""
    notes = []
    unsupported = [f for f in results.front_matter if not f.consistent]
    if unsupported:
        contradicted = sum(f.body.verdict is Verdict.CONTRADICTED for f in unsupported)
        sources = len({f.source for f in unsupported})
        notes.append(
            f"front matter: {len(unsupported)} headline, summary or FAQ statement(s) in {sources} source(s) that "
            f"the body does not support ({contradicted} contradicted); see report.html"
        )
    open_groups = [g for g in results.unchecked if not g.covered]
    if open_groups:
        divergent = sum(g.divergent for g in open_groups)
        notes.append(
            f"coverage: {len(open_groups)} check-worthy statement(s) no claim checks ({divergent} where sources give "
            "different figures); `checks suggest <story>` drafts scenarios for them"
        )
    if results.front_matter_skipped:
        notes.append(
            f"front matter: not checked, {results.front_matter_skipped} sources have a headline, summary or FAQ "
            "(more than the limit of the within-source check)"
        )
    return notes


def _header(report: pytest.TestReport) -> ScenarioHeader | None:
    for key, value in report.user_properties:
        if key == SCENARIO_KEY:
            return ScenarioHeader.model_validate_json(str(value))
    return None


def _unrun(header: ScenarioHeader, report: pytest.TestReport) -> str | None:
    """Why this report's scenario did not run as written (:func:`checks.gate.unrun_reason`), or None."""
    expected = getattr(report, "wasxfail", None)
    reason = ""
    if report.skipped and isinstance(report.longrepr, tuple):
        reason = str(report.longrepr[2]).removeprefix("Skipped: ")
    return unrun_reason(
        skipped=report.skipped,
        expected_failure=None if expected is None else str(expected),
        tagged_divergence=KNOWN_DIVERGENCE_TAG in header.tags,
        reason=reason,
    )


def _scenario(
    header: ScenarioHeader, report: pytest.TestReport, book: WaiverBook, *, skipped: str | None = None
) -> ScenarioResult:
    checks = [CheckRecord.model_validate_json(str(v)) for k, v in report.user_properties if k == CHECK_KEY]
    ran = {}
    for key, value in report.user_properties:
        if key == STEP_KEY:
            step = StepResult.model_validate_json(str(value))
            ran[step.line] = step
    steps = [ran.get(step.line, step) for step in header.steps]
    # @known-divergence, and a claim failed as expected (any other expected failure is caught by _unrun)
    expected = hasattr(report, "wasxfail") and KNOWN_DIVERGENCE_TAG in header.tags
    outcome, message = classify_scenario(
        passed=report.passed or expected,
        expected_to_fail=expected,
        failure=_failure(report),
        checks=checks,
        error=report.longreprtext,
        skipped=skipped,
    )
    return ScenarioResult(
        feature=header.feature,
        feature_name=header.feature_name,
        name=header.name,
        line=header.line,
        claim_id=header.claim_id,
        tags=header.tags,
        outcome=outcome,
        message=message,
        steps=steps,
        checks=checks,
        waivers=[book.waivers[n - 1] for n in sorted({n for c in checks for n in c.waived_by})],
    )


def _failure(report: pytest.TestReport) -> FailureKind | None:
    kind = getattr(report, FAILURE_KIND, None)
    return FailureKind(kind) if kind else None


def _versions() -> dict[str, str]:
    import platform
    from importlib.metadata import PackageNotFoundError, version

    found = {"python": platform.python_version()}
    for name in ("checks", "pytest", "pytest-bdd", "rapidfuzz", "pydantic"):
        try:
            found[name] = version(name)
        except PackageNotFoundError:
            found[name] = "unknown"
    return found
