"""Calibration as a feature: run the engine over adjudicated labels and score it.

A labels file (CSV with a header, or JSON Lines) has one row per check: ``claim``, the source as ``text`` (or
``source``, a source id of the corpus), ``expected`` (``supported``, ``contradicted``, ``discussed``,
``not_mentioned``, or ``neutral`` for "neither supports nor contradicts", which accepts ``discussed`` and
``not_mentioned``), and optionally ``group`` (the story: rows of one group are never split between the tune and
held-out parts) and ``published`` (the source's publication date, YYYY-MM-DD).

:func:`evaluate` returns per-verdict precision, recall and F1, accuracy, macro-F1, the confusion matrix, the
FNC-1 score, and two baselines on the same rows: always the most frequent label, and the best one-line RapidFuzz
rule (``token_set_ratio`` above a threshold gives one label, below another, with the threshold and labels chosen
on the rows themselves, so an optimistic baseline).
"""

from __future__ import annotations

import csv
import hashlib
import json
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from rapidfuzz import fuzz

from checks.config import Thresholds
from checks.corpus.sections import split_sections
from checks.engine import Engine
from checks.engine.screen import EngineMode
from checks.errors import ConfigError
from checks.models import Source, SourceMetadata
from checks.progress import QUIET, Progress

__all__ = ["HELD_OUT_SHARE", "Label", "Report", "Scores", "evaluate", "held_out", "load_labels", "source_for"]

NEUTRAL = "neutral"
LABELS = ("supported", "contradicted", "discussed", "not_mentioned", NEUTRAL)
HELD_OUT_SHARE = 5
"""One group in this many (by a hash of its name) is held out: never tuned or trained on."""


@dataclass(frozen=True, slots=True)
class Label:
    claim: str
    text: str
    expected: str
    group: str
    published: str | None = None


def load_labels(path: Path, corpus_texts: Mapping[str, str] | None = None) -> list[Label]:
    """Rows of a labels file (module docstring). ``corpus_texts``: source id → text, for rows naming a source."""
    try:
        raw = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: cannot be read ({exc})") from None
    if path.suffix in (".jsonl", ".ndjson"):
        rows = [json.loads(line) for line in raw.splitlines() if line.strip()]
    else:
        rows = list(csv.DictReader(raw.splitlines()))
    labels = []
    for number, row in enumerate(rows, start=1):
        where = f"{path}:{number}"
        if not isinstance(row, dict):
            raise ConfigError(f"{where}: each row is an object with claim, text (or source) and expected")
        text = row.get("text")
        if text is None and row.get("source") is not None:
            if corpus_texts is None or row["source"] not in corpus_texts:
                raise ConfigError(f"{where}: unknown source id {row['source']!r}")
            text = corpus_texts[row["source"]]
        expected = str(row.get("expected", "")).strip().replace(" ", "_")
        if not row.get("claim") or not text or expected not in LABELS:
            raise ConfigError(
                f"{where}: needs claim, text (or source) and expected (one of {', '.join(LABELS)}); got {row!r:.120}"
            )
        group = str(row.get("group") or row["claim"])
        labels.append(Label(str(row["claim"]), str(text), expected, group, row.get("published") or None))
    return labels


def held_out(group: str) -> bool:
    """Whether a group belongs to the held-out part: a hash of its name, the same on every machine."""
    return int(hashlib.sha256(group.encode("utf-8")).hexdigest(), 16) % HELD_OUT_SHARE == 0


@dataclass(frozen=True, slots=True)
class Scores:
    """How well some predictions match the expected labels."""

    total: int
    accuracy: float
    macro_f1: float
    per_label: dict[str, tuple[float, float, float, int]]
    """label → (precision, recall, F1, support)."""
    confusion: dict[str, dict[str, int]]
    """expected → predicted → count."""
    fnc_score: float | None
    """The FNC-1 score (as a share of its maximum), when the labels use the four verdicts."""


@dataclass(frozen=True, slots=True)
class Report:
    engine: Scores
    majority: Scores
    majority_label: str
    rapidfuzz: Scores
    rapidfuzz_rule: str
    predictions: list[str] = field(repr=False)


def evaluate(
    labels: Sequence[Label],
    *,
    engine: Engine | None = None,
    thresholds: Thresholds | None = None,
    progress: Progress = QUIET,
) -> Report:
    """Run the engine over ``labels`` (grouped by claim, so each claim is prepared once) and score it."""
    engine = engine or Engine(thresholds=thresholds, progress=progress)
    predictions = predict(labels, engine, progress=progress)
    expected = [label.expected for label in labels]
    majority_label = Counter(expected).most_common(1)[0][0] if expected else "not_mentioned"
    rule, fuzzy = _best_rapidfuzz_rule(labels)
    return Report(
        engine=score(expected, predictions),
        majority=score(expected, [majority_label] * len(labels)),
        majority_label=majority_label,
        rapidfuzz=score(expected, fuzzy),
        rapidfuzz_rule=rule,
        predictions=predictions,
    )


def predict(labels: Sequence[Label], engine: Engine, *, progress: Progress = QUIET) -> list[str]:
    """The engine's verdict for every row, in order."""
    sources: dict[tuple[str, str | None], Source] = {}
    by_claim: dict[str, list[int]] = defaultdict(list)
    for i, label in enumerate(labels):
        key = (label.text, label.published)
        if key not in sources:
            sources[key] = source_for(f"s{len(sources)}", label.text, label.published)
        by_claim[label.claim].append(i)
    out = [""] * len(labels)
    for claim, rows in progress.each(list(by_claim.items()), what="evaluating claims"):
        chosen = [sources[(labels[i].text, labels[i].published)] for i in rows]
        for i, verdict in zip(rows, engine.check_claim(claim, chosen), strict=True):
            out[i] = verdict.verdict.value
    return out


def source_for(source_id: str, text: str, published: str | None) -> Source:
    """A source of the given text (and publication date), outside any corpus."""
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
    metadata = SourceMetadata(published=published)
    return Source(source_id, "evaluation", text, metadata, split_sections(text), f"evaluation/{source_id}.txt", digest)


def _matches(expected: str, predicted: str) -> bool:
    return predicted == expected or (expected == NEUTRAL and predicted in ("discussed", "not_mentioned"))


def _as_label(expected: str, predicted: str) -> str:
    """The prediction in the label space of the row: ``neutral`` rows read discussed/not mentioned as neutral."""
    return NEUTRAL if expected == NEUTRAL and predicted in ("discussed", "not_mentioned") else predicted


def score(expected: Sequence[str], predicted: Sequence[str]) -> Scores:
    """Accuracy, per-label precision/recall/F1, macro-F1 over the expected labels, confusion, FNC score."""
    pairs = [(e, _as_label(e, p)) for e, p in zip(expected, predicted, strict=True)]
    confusion: dict[str, dict[str, int]] = {}
    for e, p in pairs:
        confusion.setdefault(e, {}).setdefault(p, 0)
        confusion[e][p] += 1
    space = [label for label in LABELS if label in {e for e, _ in pairs}]
    per_label = {}
    for label in space:
        tp = sum(1 for e, p in pairs if e == label and p == label)
        said = sum(1 for _, p in pairs if p == label)
        support = sum(1 for e, _ in pairs if e == label)
        precision = tp / said if said else 0.0
        recall = tp / support if support else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        per_label[label] = (precision, recall, f1, support)
    total = len(pairs)
    accuracy = sum(_matches(e, p) for e, p in pairs) / total if total else 0.0
    macro = sum(v[2] for v in per_label.values()) / len(per_label) if per_label else 0.0
    return Scores(total, accuracy, macro, per_label, confusion, _fnc(pairs))


def _fnc(pairs: Iterable[tuple[str, str]]) -> float | None:
    pairs = list(pairs)
    if not any(e == "not_mentioned" for e, _ in pairs) or any(e == NEUTRAL for e, _ in pairs):
        return None
    got = best = 0.0
    for e, p in pairs:
        related = e != "not_mentioned"
        best += 1.0 if related else 0.25
        if related == (p != "not_mentioned"):
            got += 0.25
            if related and p == e:
                got += 0.75
    return got / best if best else None


def _best_rapidfuzz_rule(labels: Sequence[Label]) -> tuple[str, list[str]]:
    """The best rule of the form ``high if token_set_ratio(claim, text) >= t else low`` on these rows."""
    ratios = [fuzz.token_set_ratio(label.claim, label.text) for label in labels]
    space = sorted({label.expected for label in labels})
    expected = [label.expected for label in labels]
    best: tuple[float, str, list[str]] = (-1.0, "", [])
    for high in space:
        for low in space:
            for t in range(0, 101, 5):
                predicted = [high if r >= t else low for r in ratios]
                accuracy = sum(e == p for e, p in zip(expected, predicted, strict=True))
                if accuracy > best[0]:
                    best = (accuracy, f"{high} if token_set_ratio >= {t} else {low}", predicted)
    return best[1], best[2]


def fnc(scores: Scores) -> str:
    return f"{scores.fnc_score:.1%}" if scores.fnc_score is not None else "—"


def format_report(report: Report, *, title: str = "") -> str:
    """The report as text tables: engine and baselines, per-label scores, the confusion matrix."""
    lines = [title] if title else []
    e, m, r = report.engine, report.majority, report.rapidfuzz
    lines.append(f"{'':28} {'accuracy':>9} {'macro-F1':>9} {'FNC score':>10}")
    lines.append(f"{'engine':28} {e.accuracy:9.1%} {e.macro_f1:9.3f} {fnc(e):>10}")
    lines.append(f"{'majority (' + report.majority_label + ')':28} {m.accuracy:9.1%} {m.macro_f1:9.3f} {fnc(m):>10}")
    lines.append(
        f"{'best RapidFuzz rule':28} {r.accuracy:9.1%} {r.macro_f1:9.3f} {fnc(r):>10}  ({report.rapidfuzz_rule})"
    )
    lines.append("")
    lines.append(f"{'label':15} {'precision':>9} {'recall':>7} {'F1':>6} {'support':>8}")
    for label, (p, rec, f1, n) in e.per_label.items():
        lines.append(f"{label:15} {p:9.3f} {rec:7.3f} {f1:6.3f} {n:8d}")
    predicted = sorted({p for row in e.confusion.values() for p in row}, key=LABELS.index)
    lines.append("")
    lines.append("confusion (rows expected, columns predicted):")
    lines.append(f"{'':15}" + "".join(f"{p:>15}" for p in predicted))
    for label in e.per_label:
        lines.append(f"{label:15}" + "".join(f"{e.confusion.get(label, {}).get(p, 0):15d}" for p in predicted))
    lines.append(f"rows: {e.total}")
    return "\n".join(lines)


RELATED_GRID = (20, 25, 30, 35, 40)
SUPPORTED_GRID = (60, 65, 70, 75, 80)


@dataclass(frozen=True, slots=True)
class Fit:
    """Thresholds chosen on the tune part of a labels file, and what they do on the held-out part."""

    chosen: Thresholds
    current: Thresholds
    tune_rows: int
    tune_macro_f1: float
    """Macro-F1 of ``chosen`` on the tune part (what was maximised)."""
    held_out_current: Scores | None
    """The held-out part with the current thresholds (None: the file has no held-out rows)."""
    held_out_chosen: Scores | None
    tried: list[tuple[int, int, float]] = field(repr=False)
    """(related, supported, tune macro-F1) of every pair tried."""


def fit_thresholds(
    labels: Sequence[Label],
    *,
    current: Thresholds,
    mode: EngineMode = "learned",
    progress: Progress = QUIET,
) -> Fit:
    """Choose ``related`` and ``supported`` on the tune part of ``labels`` (rows whose group is not held out) by
    macro-F1 over a small grid, and score the choice beside the current thresholds on the held-out part, which
    the choice never saw. Ties go to the pair closest to the current one. Deterministic."""
    tune = [label for label in labels if not held_out(label.group)]
    test = [label for label in labels if held_out(label.group)]
    if not tune:
        raise ValueError("no tune rows: every group of the file falls in the held-out part; add rows or groups")
    expected = [label.expected for label in tune]
    tried: list[tuple[int, int, float]] = []
    pairs = [(r, s) for r in RELATED_GRID for s in SUPPORTED_GRID if s >= r]
    for related, supported in progress.each(pairs, what="fitting thresholds"):
        thresholds = current.model_copy(update={"related": related, "supported": supported})
        predicted = predict(tune, Engine(thresholds=thresholds, mode=mode))
        tried.append((related, supported, score(expected, predicted).macro_f1))
    best = max(tried, key=lambda t: (round(t[2], 6), -abs(t[0] - current.related) - abs(t[1] - current.supported)))
    chosen = current.model_copy(update={"related": best[0], "supported": best[1]})
    held_current = held_chosen = None
    if test:
        truth = [label.expected for label in test]
        held_current = score(truth, predict(test, Engine(thresholds=current, mode=mode)))
        held_chosen = score(truth, predict(test, Engine(thresholds=chosen, mode=mode)))
    return Fit(chosen, current, len(tune), best[2], held_current, held_chosen, tried)


def format_fit(fit: Fit) -> str:
    """The fit as an editor reads it: what was tried, what is suggested, and what it does on unseen rows."""
    lines = [
        f"fitted on {fit.tune_rows} tune rows (macro-F1 over the grid related {RELATED_GRID}, supported "
        f"{SUPPORTED_GRID}):",
        f"  current: related = {fit.current.related}, supported = {fit.current.supported}",
        f"  suggested: related = {fit.chosen.related}, supported = {fit.chosen.supported} "
        f"(tune macro-F1 {fit.tune_macro_f1:.3f})",
    ]
    if fit.held_out_current is not None and fit.held_out_chosen is not None:
        before, after = fit.held_out_current, fit.held_out_chosen
        lines.append(
            f"held-out part ({after.total} rows, never used to choose): accuracy {100 * before.accuracy:.1f}% → "
            f"{100 * after.accuracy:.1f}%, macro-F1 {before.macro_f1:.3f} → {after.macro_f1:.3f}"
        )
    else:
        lines.append("no held-out rows: the suggestion is untested on unseen rows; add more groups")
    return "\n".join(lines)
