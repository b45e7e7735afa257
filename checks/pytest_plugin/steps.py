"""The step definitions (pytest-bdd), one per entry of the vocabulary (:mod:`checks.claims.vocabulary`).

Steps are thin: parse the step text, call the engine, record, fail if the gate says so. A claim is written inline
in double quotes, or — when the step ends with a colon — as the step's docstring.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import pytest
from pytest_bdd import given, parsers, then

from checks.cache import VerdictCache
from checks.claims.vocabulary import VERBS, name_row, spec
from checks.corpus import Corpus
from checks.engine import AliasTable, Engine, check_values
from checks.engine.consistency import Consistency, consistency
from checks.engine.lineage import lineages, voices
from checks.engine.versions import history
from checks.errors import FeatureError
from checks.gate import apply_waivers
from checks.models import Claim, Source, SourceVerdict, Verdicts, speaking
from checks.pytest_plugin.keys import CURRENT_STEP, SOFT_FAILURES, STEP_FAILURE
from checks.reports.records import CHECK_KEY, SCENARIO_KEY, CheckRecord, ScenarioHeader
from checks.reports.text import format_table
from checks.verdicts import StepKind, Verdict
from checks.waivers import WaiverBook

__all__ = ["ScenarioState"]


@dataclass
class ScenarioState:
    """What the Given steps of one scenario set up."""

    sources: tuple[Source, ...] | None = None
    aliases: AliasTable = field(default_factory=AliasTable)
    alternatives: list[tuple[str, ...]] = field(default_factory=list)


@pytest.fixture
def checks_state() -> ScenarioState:
    return ScenarioState()


def _step(name: str) -> Callable[[Callable[..., None]], Any]:
    """Register the decorated function for every pattern of the vocabulary's step ``name``."""
    found = spec(name)
    decorator = given if found.type == "given" else then

    def register(func: Callable[..., None]) -> Any:
        for pattern in found.patterns:
            # stacklevel=2: pytest-bdd puts the step fixture in the module that applies this decorator.
            decorator(parsers.re(pattern), stacklevel=2)(func)
        return func

    return register


# --- Given ---------------------------------------------------------------------------------------


@_step("sources_of_story")
def sources_of_story(story: str, checks_state: ScenarioState, checks_corpus: Corpus) -> None:
    __tracebackhide__ = True
    sources = checks_corpus.story(story)
    if not sources:
        known = ", ".join(checks_corpus.stories) or "none"
        raise FeatureError(f'story "{story}" has no sources in the corpus (stories: {known}); check the name')
    checks_state.sources = sources


@_step("named_sources")
def named_sources(ids: str, checks_state: ScenarioState, checks_corpus: Corpus) -> None:
    __tracebackhide__ = True
    wanted = re.findall(r'"([^"]*)"', ids)
    unknown = [i for i in wanted if i not in checks_corpus.by_id]
    if unknown:
        raise FeatureError(f"unknown source id(s): {', '.join(unknown)}; run `checks validate` to list the corpus")
    checks_state.sources = tuple(checks_corpus.by_id[i] for i in dict.fromkeys(wanted))


def _table(datatable: Sequence[Sequence[object]] | None, step: str) -> list[tuple[str, list[str]]]:
    if not datatable or len(datatable) < 2:
        raise FeatureError(f"{step} needs a table: | name | also written as | with one row per name")
    rows = []
    for row in datatable[1:]:
        found = name_row(row)
        if found is None:
            raise FeatureError(f"{step}: a row has an empty first cell; every row starts with a name")
        rows.append(found)
    return rows


@_step("aliases")
def aliases(datatable: Sequence[Sequence[object]], checks_state: ScenarioState) -> None:
    __tracebackhide__ = True
    checks_state.aliases = checks_state.aliases.merged(AliasTable.from_rows(_table(datatable, "the aliases:")))


@_step("alternatives")
def alternatives(datatable: Sequence[Sequence[object]], checks_state: ScenarioState) -> None:
    __tracebackhide__ = True
    rows = _table(datatable, "the alternatives:")
    checks_state.aliases = checks_state.aliases.merged(AliasTable.from_rows(rows))
    checks_state.alternatives.append(tuple(name for name, _ in rows))


# --- Then: claims ------------------------------------------------------------------------------


def _debug(request: pytest.FixtureRequest) -> bool:
    """``--checks-debug`` or ``-vv``: show how each claim is read (its parse) beside the test's output."""
    return bool(request.config.getoption("checks_debug") or request.config.get_verbosity() >= 2)


def _verdicts(
    state: ScenarioState,
    claim: str,
    engine: Engine,
    cache: VerdictCache | None = None,
    request: pytest.FixtureRequest | None = None,
) -> Sequence[SourceVerdict]:
    __tracebackhide__ = True
    sources, claim_ = _selected(state, claim)
    if request is not None and _debug(request):
        request.node.add_report_section("call", "claim parse", engine.describe_claim(claim_, aliases=state.aliases))
    if cache is not None:
        verdicts = cache.check_claim(engine, claim_, sources, aliases=state.aliases)
    else:
        verdicts = engine.check_claim(claim_, sources, aliases=state.aliases)
    if request is None or not request.getfixturevalue("checks_corpus").versioned:
        return verdicts  # no source has earlier texts: nothing to compare (and no scan of an archive per claim)
    return _with_history(verdicts, sources, claim_, engine, state.aliases)


def _selected(state: ScenarioState, claim: str) -> tuple[tuple[Source, ...], Claim]:
    """The scenario's sources and the claim with its alternatives, or the error an editor can fix."""
    __tracebackhide__ = True
    if state.sources is None:
        raise FeatureError('no sources selected: start the scenario with Given the sources of story "<story>"')
    text = claim.strip()
    if not text:
        raise FeatureError("the claim is empty; write it in double quotes or as a docstring after a colon")
    return state.sources, Claim(text, tuple(state.alternatives))


def _with_history(
    verdicts: Sequence[SourceVerdict], sources: Sequence[Source], claim: Claim, engine: Engine, aliases: AliasTable
) -> Sequence[SourceVerdict]:
    """Each verdict on a source with earlier texts, with the verdict on the previous text and what became of its
    evidence (:mod:`checks.engine.versions`)."""
    updates = {}
    for i, source in enumerate(sources):
        if not source.versions:
            continue
        current = verdicts[i]
        found = history(engine, claim, source, current, aliases=aliases)
        if found is None:
            continue
        updates[i] = current.model_copy(update={"history": found.record()})
    if not updates:
        return verdicts
    if isinstance(verdicts, Verdicts):
        return verdicts.replaced(updates)
    return [updates.get(i, v) for i, v in enumerate(verdicts)]


def _record(
    request: pytest.FixtureRequest,
    kind: StepKind,
    claim: str,
    expected: str,
    verdicts: Sequence[SourceVerdict],
    failing: Sequence[SourceVerdict] | None,
    *,
    divergence: str | None = None,
    message: str | None = None,
) -> None:
    """Record the check on the test item (survives xdist); a check that did not hold (and is not waived) is kept
    for the end of the scenario (:func:`checks.pytest_plugin.hooks.pytest_bdd_after_scenario`), which fails it
    with every claim that did not hold."""
    __tracebackhide__ = True
    passed = failing is None
    listed, silent = CheckRecord.listing(verdicts)
    text = message or ("" if passed else f"{expected}\n\n{format_table(listed, silent)}")
    failing_sources = [v.source for v in failing or []]
    waived_by: tuple[int, ...] = ()
    if not passed:
        book: WaiverBook = request.getfixturevalue("checks_waivers")
        decision = apply_waivers(book, _claim_id(request), failing_sources, text)
        waived_by, text = decision.waived_by, decision.message
    record = CheckRecord(
        step=_current_step(request),
        kind=kind,
        claim=claim,
        expected=expected,
        passed=passed,
        message=text,
        divergence=divergence,
        line=_current_line(request),
        verdicts=listed,
        silent=silent,
        failing_sources=failing_sources,
        waived_by=list(waived_by),
    )
    request.node.user_properties.append((CHECK_KEY, record.model_dump_json()))
    for verdict in listed:
        if not verdict.verdict.speaks:
            continue  # what a source says, for pytest's own --junitxml; silence is in the check record
        quote = verdict.evidence.quote if verdict.evidence else ""
        request.node.user_properties.append((f"verdict {verdict.source}", f"{verdict.verdict.value}: {quote}"[:300]))
    if not passed and not waived_by:  # soft: the scenario's other claims are still checked, then it fails once
        request.node.stash.setdefault(SOFT_FAILURES, []).append((record.step, record.line, text))
        request.node.stash[STEP_FAILURE] = text


def _supporting(verdicts: Sequence[SourceVerdict]) -> list[SourceVerdict]:
    """The verdicts that support the claim (read among the sources that speak: silence never supports)."""
    return [v for v in speaking(verdicts) if v.verdict is Verdict.SUPPORTED]


@_step("every_source_supports")
def every_source_supports(
    request: pytest.FixtureRequest,
    checks_state: ScenarioState,
    checks_engine: Engine,
    checks_cache: VerdictCache | None,
    claim: str | None = None,
    docstring: str | None = None,
) -> None:
    __tracebackhide__ = True
    text = _claim_text(claim, docstring)
    verdicts = _verdicts(checks_state, text, checks_engine, checks_cache, request)
    failing = [v for v in verdicts if v.verdict is not Verdict.SUPPORTED]
    expected = f"expected every source to support: {text}"
    _record(request, StepKind.EVERY_SOURCE_SUPPORTS, text, expected, verdicts, failing or None)


@_step("at_least_sources_support")
def at_least_sources_support(
    request: pytest.FixtureRequest,
    checks_state: ScenarioState,
    checks_engine: Engine,
    checks_cache: VerdictCache | None,
    count: str,
    claim: str | None = None,
    docstring: str | None = None,
) -> None:
    __tracebackhide__ = True
    text = _claim_text(claim, docstring)
    verdicts = _verdicts(checks_state, text, checks_engine, checks_cache, request)
    supporting = _supporting(verdicts)
    expected = f"expected at least {count} source(s) to support: {text} (found {len(supporting)})"
    failing = None if len(supporting) >= int(count) else [v for v in verdicts if v not in supporting]
    _record(request, StepKind.AT_LEAST_SOURCES_SUPPORT, text, expected, verdicts, failing)


@_step("at_least_independent_sources_support")
def at_least_independent_sources_support(
    request: pytest.FixtureRequest,
    checks_state: ScenarioState,
    checks_engine: Engine,
    checks_cache: VerdictCache | None,
    count: str,
    claim: str | None = None,
    docstring: str | None = None,
) -> None:
    """Counts voices, not sources: copies of one story (same origin, or the same sentences) are one voice, unless a
    copy supports the claim with a sentence of its own (one no other copy holds)."""
    __tracebackhide__ = True
    text = _claim_text(claim, docstring)
    verdicts = _verdicts(checks_state, text, checks_engine, checks_cache, request)
    supporting = _supporting(verdicts)
    by_id = {s.id: s for s in checks_state.sources or ()}
    chosen = [by_id[v.source] for v in supporting if v.source in by_id]
    found = lineages(chosen)
    quotes = {v.source: v.evidence.quote for v in supporting if v.evidence is not None}
    heard = voices(found, chosen, quotes)
    named = "; ".join(voice.describe() for voice in heard) or "none"
    expected = f"expected at least {count} independent source(s) to support: {text} (found {len(heard)}: {named})"
    failing = None if len(heard) >= int(count) else [v for v in verdicts if v not in supporting] or supporting
    _record(request, StepKind.AT_LEAST_INDEPENDENT_SOURCES_SUPPORT, text, expected, verdicts, failing)


@_step("no_source_supports")
def no_source_supports(
    request: pytest.FixtureRequest,
    checks_state: ScenarioState,
    checks_engine: Engine,
    checks_cache: VerdictCache | None,
    claim: str | None = None,
    docstring: str | None = None,
) -> None:
    __tracebackhide__ = True
    text = _claim_text(claim, docstring)
    verdicts = _verdicts(checks_state, text, checks_engine, checks_cache, request)
    failing = _supporting(verdicts)
    _record(
        request, StepKind.NO_SOURCE_SUPPORTS, text, f"expected no source to support: {text}", verdicts, failing or None
    )


@_step("every_source_consistent")
def every_source_consistent(
    request: pytest.FixtureRequest,
    checks_state: ScenarioState,
    checks_engine: Engine,
    claim: str | None = None,
    docstring: str | None = None,
) -> None:
    """Each source's front matter (headline, summary, FAQ) and its body read the claim; a source fails when its
    front matter supports or contradicts it and the body does not say the same, or the body says the opposite.
    The verdict recorded is the body's (the article's own position), its rule both readings with their quotes."""
    __tracebackhide__ = True
    text = _claim_text(claim, docstring)
    sources, claim_ = _selected(checks_state, text)
    readings = consistency(checks_engine, claim_, sources, aliases=checks_state.aliases)
    verdicts = [_consistency_verdict(source, reading) for source, reading in zip(sources, readings, strict=True)]
    failing = [v for v, r in zip(verdicts, readings, strict=True) if not r.consistent]
    named = ", ".join(v.source for v in failing)
    expected = f"expected every source's headline, summary and FAQ to agree with its body on: {text}"
    if failing:
        expected += f" (inconsistent: {named})"
    _record(request, StepKind.EVERY_SOURCE_CONSISTENT, text, expected, verdicts, failing or None)


def _consistency_verdict(source: Source, reading: Consistency) -> SourceVerdict:
    """The body's verdict, or the front matter's when the source has no body; its rule says both readings."""
    chosen = reading.body or reading.front
    if chosen is None:  # neither a body nor front matter: nothing but boilerplate
        return SourceVerdict(source=source.id, verdict=Verdict.NOT_MENTIONED, score=0, rule="no text but boilerplate")
    evidence = chosen.evidence or (reading.front.evidence if reading.front else None)
    return chosen.model_copy(update={"rule": reading.describe(), "evidence": evidence})


_EXPECT = dict(
    zip(VERBS, (Verdict.SUPPORTED, Verdict.CONTRADICTED, Verdict.DISCUSSED, Verdict.NOT_MENTIONED), strict=True)
)


@_step("source_verdict")
def source_verdict(
    request: pytest.FixtureRequest,
    checks_state: ScenarioState,
    checks_engine: Engine,
    checks_cache: VerdictCache | None,
    checks_corpus: Corpus,
    source: str,
    verb: str,
    claim: str | None = None,
    docstring: str | None = None,
) -> None:
    __tracebackhide__ = True
    text = _claim_text(claim, docstring)
    if source not in checks_corpus.by_id:
        raise FeatureError(f'unknown source id "{source}"; run `checks validate` to list the corpus')
    state = ScenarioState((checks_corpus.by_id[source],), checks_state.aliases, checks_state.alternatives)
    verdicts = _verdicts(state, text, checks_engine, checks_cache, request)
    want = _EXPECT[verb]
    expected = f'expected source "{source}" to be {want.label} on: {text} (it is {verdicts[0].verdict.label})'
    failing = None if verdicts[0].verdict is want else verdicts
    _record(request, StepKind.expecting(want), text, expected, verdicts, failing)


@_step("record")
def record_claim(
    request: pytest.FixtureRequest,
    checks_state: ScenarioState,
    checks_engine: Engine,
    checks_cache: VerdictCache | None,
    claim: str | None = None,
    docstring: str | None = None,
) -> None:
    __tracebackhide__ = True
    text = _claim_text(claim, docstring)
    verdicts = _verdicts(checks_state, text, checks_engine, checks_cache, request)
    _record(request, StepKind.RECORD, text, "records what each source says (never fails)", verdicts, None)


def _claim_text(claim: str | None, docstring: str | None) -> str:
    __tracebackhide__ = True
    text = claim if claim is not None else docstring
    if text is None:
        raise FeatureError('a step ending with \':\' needs the claim as a docstring (between """ lines) below it')
    return text


# --- Then: agreement -----------------------------------------------------------------------------


@_step("sources_agree")
def sources_agree(
    request: pytest.FixtureRequest,
    checks_state: ScenarioState,
    checks_engine: Engine,
    question: str,
    datatable: Sequence[Sequence[object]] | None = None,
) -> None:
    __tracebackhide__ = True
    rows = _table(datatable, f'the sources agree on "{question}":')
    if checks_state.sources is None:
        raise FeatureError('no sources selected: start the scenario with Given the sources of story "<story>"')
    verdicts = check_values(question, rows, checks_state.sources, aliases=checks_state.aliases, engine=checks_engine)
    divergence = describe_divergence(question, verdicts)
    expected = f'expected the sources to agree on "{question}"'
    table = format_table(*CheckRecord.listing(verdicts))
    message = f"{expected}; they diverge: {divergence}\n\n{table}" if divergence else None
    _record(
        request,
        StepKind.SOURCES_AGREE,
        question,
        expected,
        verdicts,
        verdicts if divergence else None,
        divergence=divergence,
        message=message,
    )


def describe_divergence(question: str, verdicts: Sequence[SourceVerdict]) -> str | None:
    """``Which Huawei system: HiCar — a; HarmonyOS NEXT — b``, or None when the sources agree."""
    named = [v for v in speaking(verdicts) if v.values]
    sets = {tuple(v.values) for v in named}
    if len(sets) <= 1:
        return None
    by_value: dict[str, list[str]] = {}
    for verdict in named:
        for value in verdict.values:
            by_value.setdefault(value, []).append(verdict.source)
    parts = [f"{value} — {', '.join(sources)}" for value, sources in by_value.items()]
    return f"{question.rstrip('?')}: " + "; ".join(parts)


# --- Then: metadata -----------------------------------------------------------------------------


def _published(request: pytest.FixtureRequest, sources: Sequence[Source], day: str, kind: StepKind) -> None:
    __tracebackhide__ = True
    try:
        wanted = date.fromisoformat(day)
    except ValueError:
        raise FeatureError(f"{day!r} is not a date; write it as YYYY-MM-DD") from None
    verdicts = []
    for source in sources:
        published = source.metadata.published_date()
        if published is None:
            verdict, rule = Verdict.NOT_MENTIONED, "metadata: publication date unknown"
        elif published == wanted:
            verdict, rule = Verdict.SUPPORTED, f"metadata: published {published.isoformat()}"
        else:
            verdict, rule = Verdict.CONTRADICTED, f"metadata: published {published.isoformat()}, not {day}"
        verdicts.append(
            SourceVerdict(
                source=source.id, verdict=verdict, score=100 if verdict is Verdict.SUPPORTED else 0, rule=rule
            )
        )
    failing = [v for v in verdicts if v.verdict is not Verdict.SUPPORTED]
    _record(request, kind, f"published on {day}", f"expected publication on {day}", verdicts, failing or None)


@_step("every_source_published")
def every_source_published(request: pytest.FixtureRequest, checks_state: ScenarioState, day: str) -> None:
    __tracebackhide__ = True
    if checks_state.sources is None:
        raise FeatureError('no sources selected: start the scenario with Given the sources of story "<story>"')
    _published(request, checks_state.sources, day, StepKind.EVERY_SOURCE_PUBLISHED)


@_step("source_published")
def source_published(request: pytest.FixtureRequest, checks_corpus: Corpus, source: str, day: str) -> None:
    __tracebackhide__ = True
    if source not in checks_corpus.by_id:
        raise FeatureError(f'unknown source id "{source}"; run `checks validate` to list the corpus')
    _published(request, (checks_corpus.by_id[source],), day, StepKind.SOURCE_PUBLISHED)


# --- helpers -------------------------------------------------------------------------------------


def _claim_id(request: pytest.FixtureRequest) -> str:
    for key, value in request.node.user_properties:
        if key == SCENARIO_KEY:
            return ScenarioHeader.model_validate_json(str(value)).claim_id
    return ""


def _current_step(request: pytest.FixtureRequest) -> str:
    step: tuple[str, int] = request.node.stash.get(CURRENT_STEP, ("", 0))
    return step[0]


def _current_line(request: pytest.FixtureRequest) -> int:
    step: tuple[str, int] = request.node.stash.get(CURRENT_STEP, ("", 0))
    return step[1]
