"""The pytest plugin's hooks, registered by :mod:`checks.pytest_plugin` once a project asks for the harness.

Each hook routes to a function elsewhere: collection to :mod:`~checks.pytest_plugin.collect`, the lint of
feature files to :mod:`checks.claims.lint`, outcomes and the exit status to :mod:`checks.gate`, reports to
:mod:`~checks.pytest_plugin.session`.
"""

from __future__ import annotations

import io
import os
import sys
from collections.abc import Generator
from pathlib import Path
from typing import Any

import pytest
from pytest_bdd.parser import Examples, ScenarioTemplate, Step

from checks.cache import CacheUnavailable, VerdictCache
from checks.claims.identity import claim_id, find_duplicate_scenarios
from checks.claims.lint import check_structure, feature_files, scenario_problems, unknown_step_message
from checks.claims.tags import label_tags, scenario_tags
from checks.config import Settings, load_settings
from checks.corpus import Corpus, load_corpus
from checks.engine import Engine
from checks.errors import CheckError, ClaimFailure, ConfigError
from checks.files import confined_path, relative_path
from checks.gcpolicy import checking, freeze_loaded
from checks.progress import Progress
from checks.pytest_plugin.collect import FeatureFile
from checks.pytest_plugin.keys import (
    CACHE,
    CACHE_NOTE_KEY,
    CACHE_NOTES,
    CACHE_PATH,
    COLLECTED,
    CORPUS,
    CORPUS_PATH,
    CURRENT_STEP,
    ENGINE,
    EXPECTED,
    FAILURE_KIND,
    LOOKUP_ERROR,
    PROGRESS,
    RESTORE_GC,
    SETTINGS,
    SOFT_FAILURES,
    STEP_ERRORED,
    STEP_FAILURE,
    WAIVERS,
)
from checks.pytest_plugin.session import ChecksSession
from checks.reports.diff import load_results
from checks.reports.records import SCENARIO_KEY, STEP_KEY, ScenarioHeader, StepResult
from checks.reports.text import terminal_safe
from checks.verdicts import ID_PREFIX, KNOWN_DIVERGENCE_TAG, FailureKind, StepStatus
from checks.waivers import WaiverBook, load_waivers, waiver_day


class _PastCapture(io.TextIOBase):
    """Standard error past pytest's output capture: where progress bars of long runs are drawn."""

    def __init__(self, capture: Any) -> None:
        self._capture = capture

    def write(self, text: str) -> int:
        with self._capture.global_and_fixture_disabled():
            sys.stderr.write(text)
            sys.stderr.flush()
        return len(text)

    def isatty(self) -> bool:
        with self._capture.global_and_fixture_disabled():
            return sys.stderr.isatty()


def pytest_unconfigure(config: pytest.Config) -> None:
    engine = config.stash.get(ENGINE, None)
    if engine is not None:
        engine.clear()  # before pytest's final garbage collections, which walk every object still alive
    restore = config.stash.get(RESTORE_GC, None)
    if restore is not None:
        restore()


def pytest_configure(config: pytest.Config) -> None:
    pyproject = config.rootpath / "pyproject.toml"
    try:
        settings = load_settings(pyproject)
    except ConfigError as exc:
        raise pytest.UsageError(str(exc)) from None
    if config.getoption("checks_engine_mode"):  # the option overrides [tool.checks] engine, and is recorded as used
        settings = settings.model_copy(update={"engine": config.getoption("checks_engine_mode")})
    config.stash[SETTINGS] = settings
    root = config.rootpath
    try:
        paths = {
            what: _configured_path(config, what, option, ini, default)
            for what, option, ini, default in (
                ("corpus", "checks_corpus", "checks_corpus", settings.corpus),
                ("reports", "checks_reports", "checks_reports", settings.reports),
                ("waivers", "checks_waivers", "checks_waivers", settings.waivers),
                ("cache", "checks_cache", None, settings.cache),
            )
        }
    except ConfigError as exc:
        raise pytest.UsageError(str(exc)) from None
    # An empty corpus, reports or waivers setting is the project root itself, as it always was; only the cache
    # can be turned off.
    corpus_path, reports_path, waivers_path = (paths[what] or root for what in ("corpus", "reports", "waivers"))
    config.stash[CORPUS_PATH] = corpus_path
    config.stash[CACHE_PATH] = paths["cache"]
    waivers_name = relative_path(waivers_path, root)
    try:
        day = waiver_day()
        found = load_waivers(waivers_path, waivers_name, today=day, max_days=settings.max_waiver_days)
        config.stash[WAIVERS] = WaiverBook(found, day)
    except ConfigError as exc:
        raise pytest.UsageError(str(exc)) from None
    capture = config.pluginmanager.getplugin("capturemanager")
    progress = Progress(_PastCapture(capture) if capture else None, silent=hasattr(config, "workerinput"))
    config.stash[PROGRESS] = progress
    config.stash[ENGINE] = Engine(thresholds=settings.thresholds, progress=progress, mode=settings.engine)
    config.stash[RESTORE_GC] = checking()
    if not hasattr(config, "workerinput"):
        baseline_path = config.getoption("checks_baseline")
        try:
            baseline = load_results(Path(baseline_path)) if baseline_path else None
        except CheckError as exc:
            raise pytest.UsageError(f"--checks-baseline: {exc}") from None
        session = ChecksSession(
            config,
            reports=reports_path,
            corpus_path=config.stash[CORPUS_PATH],
            settings=settings.model_dump(mode="json"),
            load_corpus=lambda: get_corpus(config),
            waivers=config.stash[WAIVERS],
            waivers_path=waivers_name,
            baseline=baseline,
            engine=config.stash[ENGINE],
        )
        config.pluginmanager.register(session, "checks-session")


def _configured_path(
    config: pytest.Config, what: str, option: str, ini: str | None, default: str | None
) -> Path | None:
    """A configured folder or file, confined to the project (:func:`checks.files.confined_path`); None when the
    setting is empty or null (for the cache: turned off)."""
    given = config.getoption(option)
    value = given or (config.getini(ini) if ini else None) or default
    if not value:
        return None
    return confined_path(config.rootpath, str(value), what=what, from_command_line=bool(given))


def get_corpus(config: pytest.Config) -> Corpus:
    """The corpus, loaded once per process."""
    if CORPUS not in config.stash:
        config.stash[CORPUS] = load_corpus(
            config.stash[CORPUS_PATH],
            max_bytes=config.stash[SETTINGS].max_source_bytes,
            progress=config.stash[PROGRESS],
        )
        freeze_loaded()  # the corpus lives to the end of the run: no collection walks it again
    return config.stash[CORPUS]


def pytest_collect_file(file_path: Path, parent: pytest.Collector) -> FeatureFile | None:
    """Every ``.feature`` file is a test module of its scenarios (:mod:`checks.pytest_plugin.collect`)."""
    if file_path.suffix == ".feature":
        parent.config.stash.setdefault(COLLECTED, set()).add(file_path.resolve())
        return FeatureFile.from_parent(parent, path=file_path)
    return None


@pytest.hookimpl(tryfirst=True)
def pytest_collection(session: pytest.Session) -> None:
    """Stop before collecting when a feature file cannot be parsed, has no scenarios, carries a refused tag or
    would not be collected (exit 4); register every label tag as a marker (``-m`` selects by it, and
    ``--strict-markers`` accepts it)."""
    config = session.config
    invocation = config.invocation_params.dir
    paths = [invocation / arg.split("::")[0] for arg in config.args]
    files = feature_files([p for p in paths if p.exists()], config.rootpath)
    parsed, problems = check_structure(files, config.rootpath)
    if problems:
        listed = "\n".join(f"  {problem}" for problem in problems)
        raise pytest.UsageError(terminal_safe(f"feature files have problems; nothing was checked:\n{listed}"))
    config.stash[EXPECTED] = {f.resolve(): relative_path(f, config.rootpath) for f in files}
    for label in sorted(label_tags(feature for _, feature in parsed)):
        config.addinivalue_line("markers", f"{label}: a tag of the feature files (selects scenarios with -m)")


def _is_scenario(item: pytest.Item) -> bool:
    return "_pytest_bdd_example" in getattr(item, "fixturenames", ())


def pytest_collection_modifyitems(session: pytest.Session, config: pytest.Config, items: list[pytest.Item]) -> None:
    scenarios = [item for item in items if _is_scenario(item)]
    expected = config.stash.get(EXPECTED, {})
    uncollected = sorted(name for path, name in expected.items() if path not in config.stash.get(COLLECTED, set()))
    if uncollected:
        listed = "\n".join(
            f"  {name}: pytest did not collect it (norecursedirs, --ignore, collect_ignore or a conftest), so its "
            "scenarios would not run; move it where pytest collects, or delete it"
            for name in uncollected
        )
        raise pytest.UsageError(f"feature files that would not run; nothing was checked:\n{listed}")
    if not scenarios:
        return
    problems: list[str] = []
    features = sorted({f for f in map(_feature_of, scenarios) if f is not None})
    for feature in features:
        problems.extend(str(error) for error in find_duplicate_scenarios(str(feature)))
    try:
        corpus: Corpus | None = get_corpus(config)
    except CheckError as exc:
        corpus = None
        problems.append(f"the corpus is invalid; nothing was checked. Fix these (checks validate lists them):\n{exc}")
    found = _scenario_problems(session, scenarios, corpus)
    if found:
        listed = "\n".join(f"  {problem}" for problem in found)
        problems.append(f"scenarios that cannot run; nothing was checked (checks validate lists them too):\n{listed}")
    if problems:
        raise pytest.UsageError(terminal_safe("\n".join(problems)))
    _attach_headers(config, scenarios)


def _attach_headers(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Each scenario's header (where it comes from, its claim id, its steps) on the item itself, so that every
    report of it carries the header, including one that skipped before any step ran."""
    position: dict[str, int] = {}
    for item in items:
        template = _template_of(item)
        if template is None:
            continue
        example = getattr(item, "callspec", None)
        context = example.params.get("_pytest_bdd_example", {}) if example else {}
        scenario = template.render(context)
        feature = template.feature
        tags = scenario_tags(feature, template, _examples_of(template, context)).tags
        claims = [f"{step.name}\n{step.docstring or ''}" for step in scenario.steps if step.type == "then"]
        steps = [StepResult(keyword=s.keyword.strip(), text=s.name, line=s.line_number) for s in scenario.steps]
        name = relative_path(Path(feature.filename), config.rootpath)
        position[name] = position.get(name, -1) + 1
        header = ScenarioHeader(
            feature=name,
            feature_name=feature.name,
            name=scenario.name,
            line=scenario.line_number,
            claim_id=claim_id(tags, claims),
            tags=list(tags),
            steps=steps,
            order=position[name],
        )
        item.user_properties.append((SCENARIO_KEY, header.model_dump_json()))


def _examples_of(template: ScenarioTemplate, context: dict[str, str]) -> Examples | None:
    """The Examples block an outline row comes from (the first one holding its values)."""
    for examples in template.examples:
        if any(row == context for row in examples.as_contexts()):
            return examples
    return None


def _scenario_problems(session: pytest.Session, items: list[pytest.Item], corpus: Corpus | None) -> list[str]:
    """Every scenario's steps looked up as pytest-bdd will (so the user's own step definitions count),
    its quotes, and its stories and source ids in the corpus."""
    from pytest_bdd.scenario import find_fixturedefs_for_step

    fixtures = session._fixturemanager
    seen: set[str] = set()
    found: list[str] = []
    for item in items:
        template = _template_of(item)
        if template is None:
            continue
        example = getattr(item, "callspec", None)
        scenario = template.render(example.params.get("_pytest_bdd_example", {}) if example else {})
        name = relative_path(Path(template.feature.filename), session.config.rootpath)

        def is_known(step: Step, node: pytest.Item = item) -> bool:
            return any(True for _ in find_fixturedefs_for_step(step, fixtures, node))

        for problem in scenario_problems(name, scenario, is_known, corpus):
            if str(problem) not in seen:
                seen.add(str(problem))
                found.append(str(problem))
    return found


def _template_of(item: pytest.Item) -> ScenarioTemplate | None:
    """The scenario (as written, before examples) that pytest-bdd generated ``item`` from."""
    from pytest_bdd.scenario import scenario_wrapper_template_registry

    return scenario_wrapper_template_registry.get(getattr(item, "obj", None))  # type: ignore[arg-type]


def _feature_of(item: pytest.Item) -> str | None:
    template = _template_of(item)
    return str(template.feature.filename) if template is not None else None


@pytest.hookimpl(tryfirst=True)
def pytest_bdd_apply_tag(tag: str, function: Any) -> Any:
    """``@known-divergence`` is a strict xfail; ``@id:`` is no mark; any other tag is a label mark (the lint has
    refused those that would act on the test: :mod:`checks.claims.tags`)."""
    if tag == KNOWN_DIVERGENCE_TAG:
        reason = "known divergence (tagged @known-divergence)"
        pytest.mark.xfail(raises=ClaimFailure, strict=True, reason=reason)(function)
        return True
    if tag.startswith(ID_PREFIX):
        return True
    return None


def pytest_bdd_before_step(request: pytest.FixtureRequest, step: Any) -> None:
    request.node.stash[CURRENT_STEP] = (f"{step.keyword.strip()} {step.name}", step.line_number)


def pytest_bdd_after_step(request: pytest.FixtureRequest, step: Any) -> None:
    failure = request.node.stash.get(STEP_FAILURE, None)
    if failure is not None:
        del request.node.stash[STEP_FAILURE]
        _step_done(request, step, StepStatus.FAILED, failure)
    else:
        _step_done(request, step, StepStatus.PASSED, "")


def pytest_bdd_step_error(request: pytest.FixtureRequest, step: Any, exception: Exception) -> None:
    request.node.stash[STEP_ERRORED] = True
    _step_done(request, step, StepStatus.FAILED, str(exception))


def pytest_bdd_after_scenario(request: pytest.FixtureRequest, feature: Any, scenario: Any) -> None:
    """Fail the scenario once, with every claim of it that did not hold (soft assertions), unless a step raised
    an error of its own (that error is the scenario's outcome)."""
    __tracebackhide__ = True
    failures = request.node.stash.get(SOFT_FAILURES, [])
    if not failures or request.node.stash.get(STEP_ERRORED, False):
        return
    first_step, first_line, _ = failures[0]
    request.node.stash[CURRENT_STEP] = (first_step, first_line)
    name = relative_path(Path(feature.filename), request.config.rootpath)
    parts = [failures[0][2], *(f"{name}:{line}: {text}" for _, line, text in failures[1:])]
    raise ClaimFailure("\n\n".join(parts))


def pytest_bdd_step_func_lookup_error(request: pytest.FixtureRequest, step: Any) -> None:
    wanted = f"{step.keyword.strip()} {step.name}"
    request.node.stash[CURRENT_STEP] = (wanted, step.line_number)
    message = unknown_step_message(step)
    request.node.stash[LOOKUP_ERROR] = message
    _step_done(request, step, StepStatus.FAILED, message)


def _step_done(request: pytest.FixtureRequest, step: Any, status: StepStatus, error: str) -> None:
    result = StepResult(keyword=step.keyword.strip(), text=step.name, line=step.line_number, status=status, error=error)
    request.node.user_properties.append((STEP_KEY, result.model_dump_json()))


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Generator[None, Any, Any]:
    report = yield
    notes = _cache_notes(item.config)
    if notes:
        report.user_properties = [*report.user_properties, *((CACHE_NOTE_KEY, note) for note in notes)]
    if not _is_scenario(item) or report.skipped:  # a skip, or an expected failure: the session judges it
        return report
    if call.excinfo is None:
        if report.failed and call.when == "call":  # a strict xfail that passed: @known-divergence, all claims hold
            setattr(report, FAILURE_KIND, FailureKind.STOPPED_DIVERGING.value)
        return report
    error = call.excinfo.value
    debug = item.config.getoption("checks_debug") or item.config.get_verbosity() >= 2
    if isinstance(error, ClaimFailure):
        setattr(report, FAILURE_KIND, FailureKind.CLAIM.value)
        if not debug and not hasattr(report, "wasxfail"):
            report.longrepr = terminal_safe(f"{_where(item)}{error}")
    elif isinstance(error, CheckError) or type(error).__module__.startswith("pytest_bdd"):
        setattr(report, FAILURE_KIND, FailureKind.CHECK.value)
        if not debug:
            report.longrepr = terminal_safe(f"{_where(item)}{item.stash.get(LOOKUP_ERROR, str(error))}")
    else:
        setattr(report, FAILURE_KIND, FailureKind.INTERNAL.value)
        if not debug:
            report.longrepr = terminal_safe(
                f"{_where(item)}internal error in checks: {type(error).__name__}: {error}\n"
                "This is a bug in the harness, not in your claims or corpus. Rerun with --checks-debug for the "
                "traceback and report it."
            )
    return report


def _where(item: pytest.Item) -> str:
    step = item.stash.get(CURRENT_STEP, None)
    feature = _feature_of(item)
    if step is None or feature is None:
        return ""
    return f"{relative_path(Path(feature), item.config.rootpath)}:{step[1]}: "


@pytest.fixture(scope="session")
def checks_settings(request: pytest.FixtureRequest) -> Settings:
    """``[tool.checks]`` as loaded from pyproject.toml."""
    return request.config.stash[SETTINGS]


@pytest.fixture(scope="session")
def checks_waivers(request: pytest.FixtureRequest) -> WaiverBook:
    """The editors' waivers (``--checks-waivers``)."""
    return request.config.stash[WAIVERS]


@pytest.fixture(scope="session")
def checks_cache(request: pytest.FixtureRequest) -> Generator[VerdictCache | None, None, None]:
    """The verdict cache shared by every process of the run, or None when disabled or unusable (then the run
    checks without it, and says why: :data:`~checks.pytest_plugin.keys.CACHE_NOTE_KEY`)."""
    config = request.config
    folder = config.stash[CACHE_PATH]
    if config.getoption("checks_no_cache") or folder is None:
        yield None
        return
    notes = config.stash.setdefault(CACHE_NOTES, [])
    try:
        cache = VerdictCache.open(folder / "verdicts.sqlite", share=_process_share(), progress=config.stash[PROGRESS])
    except CacheUnavailable as exc:
        notes.append(f"{exc}; checking without it")
        yield None
        return
    config.stash[CACHE] = cache
    yield cache
    cache.close()


def _cache_notes(config: pytest.Config) -> list[str]:
    """Cache warnings of this process not yet sent to the controller."""
    notes = config.stash.setdefault(CACHE_NOTES, [])
    cache = config.stash.get(CACHE, None)
    if cache is not None:
        notes.extend(cache.warnings)
        cache.warnings.clear()
    sent, notes[:] = list(notes), []
    return sent


def _process_share() -> tuple[int, int]:
    """This process's number and the number of processes of the run: (2, 4) on xdist worker gw2 of four."""
    worker = os.environ.get("PYTEST_XDIST_WORKER", "").removeprefix("gw")
    count = os.environ.get("PYTEST_XDIST_WORKER_COUNT", "")
    if worker.isdigit() and count.isdigit() and int(worker) < int(count):
        return int(worker), int(count)
    return 0, 1


@pytest.fixture(scope="session")
def checks_corpus(request: pytest.FixtureRequest) -> Corpus:
    """Every source of the corpus (``--checks-corpus``)."""
    return get_corpus(request.config)


@pytest.fixture(scope="session")
def checks_engine(request: pytest.FixtureRequest) -> Engine:
    """The engine of this process, configured by ``[tool.checks.thresholds]``."""
    return request.config.stash[ENGINE]
