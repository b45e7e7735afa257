"""``reports/report.html``: one self-contained page an editor reads in a minute.

Rendered with Jinja2 and autoescape; a Content-Security-Policy forbids every script, so even a
payload that escaped escaping could not run. No JavaScript is needed: cells open with
``<details>``, the verdict filter is CSS radio buttons. Only http(s) URLs become links.
"""

from __future__ import annotations

import heapq
import itertools
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache

from jinja2 import Environment, PackageLoader, StrictUndefined

from checks.models import SourceVerdict
from checks.reports.diff import Changes
from checks.reports.records import CheckRecord
from checks.reports.results import Results, ScenarioResult, SourceEntry, merge_checks
from checks.reports.text import context
from checks.verdicts import Outcome, Verdict

__all__ = ["render_html", "safe_url"]

INLINE_EVIDENCE_LIMIT = 5_000
"""Above this many evidence cells the matrix stays compact: each cell links to its evidence highlighted in the
source view instead of repeating the context inline (a 500 × 200 report would otherwise be ~45 MB)."""

WIDE_SOURCE_LIMIT = 40
"""Above this many sources there is no matrix: each claim lists the sources that speak to it, grouped by verdict,
and counts the silent ones (an archive of thousands of sources is mostly silent on any one claim)."""

SYMBOL = {Verdict.SUPPORTED: "✔", Verdict.CONTRADICTED: "✖", Verdict.DISCUSSED: "≈", Verdict.NOT_MENTIONED: "–"}
_HTTP = re.compile(r"^https?://[^\s\"'<>`]+$", re.IGNORECASE)


def safe_url(url: str | None) -> str | None:
    """The URL when it is plain http(s), else None: never a ``javascript:`` or ``data:`` link."""
    return url if url and _HTTP.match(url) else None


@dataclass(frozen=True, slots=True)
class Cell:
    verdict: SourceVerdict
    symbol: str
    before: str = ""
    after: str = ""
    anchor: str = ""


@dataclass(frozen=True, slots=True)
class Row:
    anchor: str
    scenario: ScenarioResult
    check: CheckRecord
    cells: tuple[Cell | None, ...]
    diverges: bool
    verdict_classes: str
    silent: int = 0
    """In the wide layout, the sources that do not mention the claim (their cells are left out)."""
    story: str = ""
    """The story whose matrix the row is in."""

    @property
    def accepted(self) -> bool:
        """Editors accepted its failure or divergence: a known divergence, or a waiver."""
        return self.scenario.outcome in (Outcome.KNOWN_DIVERGENCE, Outcome.WAIVED)

    @property
    def fails(self) -> bool:
        """The claim does not hold, or its scenario failed or hit an error: the gate's business, whether or not
        the sources disagree."""
        return not self.check.passed or self.scenario.outcome in (Outcome.FAILED, Outcome.ERROR)

    @property
    def summary_cells(self) -> list[Cell]:
        """For the divergence summary: one source per distinct (verdict, values), in source order."""
        seen: set[tuple[str, tuple[str, ...]]] = set()
        chosen = []
        for cell in self.cells:
            if cell is None:
                continue
            key = (cell.verdict.verdict.value, tuple(cell.verdict.values))
            if key not in seen:
                seen.add(key)
                chosen.append(cell)
        return chosen

    @property
    def hidden_sources(self) -> int:
        return sum(cell is not None for cell in self.cells) - len(self.summary_cells)


@dataclass
class Span:
    """A piece of a source's text, and the evidence anchors that cover it."""

    text: str
    refs: list[tuple[str, str, str]] = field(default_factory=list)  # (evidence anchor, row anchor, verdict)
    starts: list[str] = field(default_factory=list)  # evidence anchors that begin here
    ends: list[tuple[str, str, str]] = field(default_factory=list)
    """The evidence that ends here, (row anchor, verdict, claim): labelled once, at its end."""

    @property
    def blank(self) -> bool:
        """Only whitespace (a paragraph break inside a quote): shown plain, never highlighted."""
        return not self.text.strip()

    @property
    def kind(self) -> str:
        """The highlight: the verdict of the evidence covering it, or ``mixed`` when it is evidence for several."""
        verdicts = {ref[2] for ref in self.refs}
        return verdicts.pop() if len(verdicts) == 1 else "mixed"

    @property
    def verdicts(self) -> str:
        """Every verdict this piece is evidence for, for its title."""
        return ", ".join(sorted({ref[2].replace("_", " ") for ref in self.refs}))


@dataclass(frozen=True, slots=True)
class SourceView:
    entry: SourceEntry
    url: str | None
    fields: tuple[tuple[str, str | None], ...]
    spans: tuple[Span, ...]
    evidence_count: int


@lru_cache(maxsize=1)
def _environment() -> Environment:
    env = Environment(
        loader=PackageLoader("checks.reports", "templates"),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["safe_url"] = safe_url
    return env


def render_html(
    results: Results,
    texts: Mapping[str, str],
    *,
    inline_limit: int = INLINE_EVIDENCE_LIMIT,
    wide_limit: int = WIDE_SOURCE_LIMIT,
    changes: Changes | None = None,
) -> str:
    """The report page. ``inline_limit``: the most evidence cells whose context is shown inside the matrix;
    ``wide_limit``: the most sources shown as matrix columns."""
    checks = [c for s in results.scenarios for c in s.checks]
    used = {v.source for c in checks for v in c.verdicts}
    source_ids = [s.id for s in results.sources if s.id in used]
    # Checks of many sources list only those that speak (CheckRecord.silent): count the others too.
    checked = max([len(source_ids), *(len(c.verdicts) + c.silent for c in checks)])
    evidence_cells = sum(v.evidence is not None for c in checks for v in c.verdicts)
    wide = checked > wide_limit or any(c.silent for c in checks)  # a matrix needs every verdict
    compact = wide or evidence_cells > inline_limit
    stories = _stories(results, source_ids)
    rows = _rows(results, stories, {} if compact else texts, wide=wide)
    marks = _marks_by_source(rows)
    shown = [s for s in results.sources if s.id in used and (s.id in marks or not wide)]
    views = [_source_view(s, marks.get(s.id, []), texts.get(s.id, "")) for s in shown]
    counts = results.summary.verdicts
    template = _environment().get_template("report.html.j2")
    return template.render(
        results=results,
        rows=rows,
        source_ids=source_ids,
        views=views,
        counts=counts,
        verdicts=list(Verdict),
        symbol=SYMBOL,
        outcomes=results.summary.scenarios,
        divergent_rows=[r for r in rows if r.diverges and not r.accepted],
        failing_rows=[r for r in rows if r.fails and not r.diverges],
        accepted_rows=[r for r in rows if r.accepted and (r.diverges or not r.check.passed)],
        stories=[(story, ids, [r for r in rows if r.story == story]) for story, ids in stories.items()],
        compact=compact,
        wide=wide,
        checked=checked,
        unshown_sources=checked - len(shown),
        evidence_cells=evidence_cells,
        changes=changes,
        waivers=results.waivers,
        front_rows=sorted(
            results.front_matter, key=lambda f: (_FRONT_ORDER[f.body.verdict], f.source, f.statement.start)
        ),
        front_unsupported=sum(not f.consistent for f in results.front_matter),
        shown_ids={s.id for s in shown},
        edits=[
            (c.claim, v)
            for c in checks
            for v in c.verdicts
            if v.history is not None and (v.history.verdict_changed or v.history.evidence in ("edited", "gone"))
        ],
        open_groups=[g for g in results.unchecked if not g.covered][:UNCHECKED_SHOWN],
        open_total=sum(not g.covered for g in results.unchecked),
    )


UNCHECKED_SHOWN = 200
"""Statement groups listed under "Not checked by any claim" (the rest are in results.json)."""


_FRONT_ORDER = {Verdict.CONTRADICTED: 0, Verdict.NOT_MENTIONED: 1, Verdict.DISCUSSED: 2, Verdict.SUPPORTED: 3}
"""Front-matter statements the body contradicts first, then those it is silent on, then discussed ones."""


def _stories(results: Results, source_ids: list[str]) -> dict[str, list[str]]:
    """The matrix has one table per story, with only that story's sources as columns (a check of sources from
    several stories gets a table of its own, named after them): table name → its source ids, in natural order
    (``body-72`` before ``body-719``)."""
    story_of = {s.id: s.story for s in results.sources}
    used = set(source_ids)
    tables: dict[str, list[str]] = {}
    for scenario in results.scenarios:
        for check in scenario.checks:
            name = _table_of(check, story_of)
            ids = tables.setdefault(name, [])
            ids.extend(v.source for v in check.verdicts if v.source in used and v.source not in ids)
    return {name: sorted(ids, key=natural_key) for name, ids in sorted(tables.items(), key=lambda t: natural_key(t[0]))}


def _table_of(check: CheckRecord, story_of: Mapping[str, str]) -> str:
    stories = sorted({story_of.get(v.source, "") for v in check.verdicts}, key=natural_key)
    return " + ".join(stories) if stories else ""


def natural_key(text: str) -> tuple[tuple[int, int | str], ...]:
    """Sort key that orders the numbers inside ids by value.

    >>> sorted(["body-719-syndicated", "body-72", "body-8"], key=natural_key)
    ['body-8', 'body-72', 'body-719-syndicated']
    """
    return tuple((0, int(part)) if part.isdigit() else (1, part) for part in re.split(r"(\d+)", text) if part)


def _rows(results: Results, tables: dict[str, list[str]], texts: Mapping[str, str], *, wide: bool = False) -> list[Row]:
    """One row per check, in its story's table with that table's columns: divergences first, then failures."""
    story_of = {s.id: s.story for s in results.sources}
    rows = []
    for s_index, scenario in enumerate(results.scenarios):
        for c_index, check in enumerate(merge_checks(scenario.checks)):
            anchor = f"claim-{s_index}-{c_index}"
            story = _table_of(check, story_of)
            columns = tables.get(story, [])
            cells = _speaking_cells(check, anchor) if wide else _matrix_cells(check, anchor, columns, texts)
            silent = check.not_mentioning if wide else 0
            kinds = set(check.counts)
            diverges = check.disagreement is not None
            classes = " ".join(f"has-{k.value}" for k in sorted(kinds))
            rows.append(Row(anchor, scenario, check, tuple(cells), diverges, classes, silent, story))
    rows.sort(key=lambda r: (not r.diverges, not r.fails, _order(r.scenario)))
    return rows


def _matrix_cells(
    check: CheckRecord, anchor: str, source_ids: list[str], texts: Mapping[str, str]
) -> list[Cell | None]:
    """One cell per source column (None where the source was not checked), with context when ``texts``."""
    by_source = {v.source: v for v in check.verdicts}
    cells: list[Cell | None] = []
    for source_id in source_ids:
        verdict = by_source.get(source_id)
        if verdict is None:
            cells.append(None)
            continue
        before = after = ""
        ev = verdict.evidence
        if ev is not None and texts:
            before, after = context(texts.get(source_id, ""), ev.start, ev.end, width=80)
        cells.append(Cell(verdict, SYMBOL[verdict.verdict], before, after, f"{anchor}-{source_id}"))
    return cells


_VERDICT_ORDER = {Verdict.SUPPORTED: 0, Verdict.CONTRADICTED: 1, Verdict.DISCUSSED: 2}


def _speaking_cells(check: CheckRecord, anchor: str) -> list[Cell | None]:
    """The wide layout: the sources that speak to the claim, supported first, then contradicted, then
    discussed, the strongest evidence first within each."""
    speaking = sorted(
        (v for v in check.verdicts if v.verdict.speaks), key=lambda v: (_VERDICT_ORDER[v.verdict], -v.score, v.source)
    )
    return [Cell(v, SYMBOL[v.verdict], anchor=f"{anchor}-{v.source}") for v in speaking]


def _order(scenario: ScenarioResult) -> tuple[str, int]:
    return scenario.feature, scenario.line


Mark = tuple[int, int, str, str, str, str]
"""An evidence span in a source's text: start, end, cell anchor, row anchor, verdict, claim."""


def _marks_by_source(rows: Iterable[Row]) -> dict[str, list[Mark]]:
    """Every evidence span of the matrix, grouped by source, in row order (one pass over the cells)."""
    marks: dict[str, list[Mark]] = {}
    for row in rows:
        for cell in row.cells:
            if cell is not None and cell.verdict.evidence is not None:
                ev = cell.verdict.evidence
                marks.setdefault(cell.verdict.source, []).append(
                    (ev.start, ev.end, cell.anchor, row.anchor, cell.verdict.verdict.value, row.check.claim)
                )
    return marks


def _source_view(entry: SourceEntry, marks: list[Mark], text: str) -> SourceView:
    meta = entry.metadata
    fields = (
        ("title", meta.title),
        ("publisher", meta.publisher),
        ("origin", meta.origin),
        ("author", meta.author),
        ("published", meta.published),
        ("updated", meta.updated),
        ("language", meta.language),
        ("retrieved", meta.retrieved),
        ("url", meta.url),
    )
    return SourceView(entry, safe_url(meta.url), fields, tuple(_spans(text, marks)), len(marks))


def _spans(text: str, marks: list[Mark]) -> Iterable[Span]:
    """Cut the text at every evidence boundary; each piece lists the evidence covering it (in row order).

    One sweep over the cuts with the evidence open at each: linear in the marks and the pieces, plus what is
    listed (looking every mark up for every piece was quadratic: 16,000 claims took a minute)."""
    cuts = sorted({0, len(text), *(m[0] for m in marks), *(m[1] for m in marks)})
    by_start = sorted(range(len(marks)), key=lambda i: marks[i][0])
    closing: list[tuple[int, int]] = []  # heap of (end, mark index)
    open_marks: set[int] = set()
    taken = 0
    for lo, hi in itertools.pairwise(cuts):
        starting = []
        while taken < len(by_start) and marks[by_start[taken]][0] <= lo:
            index = by_start[taken]
            taken += 1
            starting.append(index)
            if marks[index][1] > lo:
                open_marks.add(index)
                heapq.heappush(closing, (marks[index][1], index))
        while closing and closing[0][0] <= lo:
            open_marks.discard(heapq.heappop(closing)[1])
        refs = [(marks[i][2], marks[i][3], marks[i][4]) for i in sorted(open_marks)]
        ends = [(marks[i][3], marks[i][4], marks[i][5]) for i in sorted(open_marks) if marks[i][1] == hi]
        yield Span(text[lo:hi], refs, [marks[i][2] for i in sorted(starting)], ends)
