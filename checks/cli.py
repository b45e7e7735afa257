"""The ``checks`` command: validate the corpus and features, add sources, compare two runs.

Exit codes: 0 success; 1 problems found (or ``diff --fail-on`` matched); 2 usage error.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from checks.claims.lint import feature_files, lint_features
from checks.config import Settings, load_settings, write_thresholds
from checks.corpus.adding import FIELDS, add_sources, article_files
from checks.corpus.load import Corpus, load_corpus, validate_corpus
from checks.corpus.suspicious import suspicious_lines
from checks.errors import CheckError, ConfigError, CorpusError
from checks.files import confined_path, relative_path
from checks.progress import Progress
from checks.reports.diff import DiffError, diff_results, load_results, render_markdown, render_text
from checks.reports.text import terminal_safe
from checks.waivers import load_waivers, waiver_day

if TYPE_CHECKING:
    from checks.evaluation import Label

__all__ = ["main"]

EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE = 0, 1, 2


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``checks`` console script."""
    parser = _parser()
    args = parser.parse_args(argv)
    try:
        code: int = args.run(args)
    except CorpusError as exc:
        for problem in exc.problems:
            _print(problem, file=sys.stderr)
        return EXIT_PROBLEMS
    except CheckError as exc:
        _print(f"error: {exc}", file=sys.stderr)
        return EXIT_PROBLEMS
    except KeyboardInterrupt:
        _print("interrupted", file=sys.stderr)
        return 130
    return code


def _parser() -> argparse.ArgumentParser:
    raw = argparse.RawDescriptionHelpFormatter
    parser = argparse.ArgumentParser(
        prog="checks",
        description="Source-consistency harness: manage the corpus that `pytest features/` checks claims against.",
        epilog="examples:\n  checks validate\n  checks add saved-article.html --story bmw-huawei-2025\n\n"
        "Run the claims with: pytest features/",
        formatter_class=raw,
    )
    commands = parser.add_subparsers(title="commands", required=True, metavar="COMMAND")

    validate = commands.add_parser(
        "validate",
        help="check every story of the corpus",
        description="Check every story: metadata schema, complete .txt/.json pairs, unique ids, UTF-8 and "
        "non-empty text, sha256. Then lint the feature files: Gherkin syntax, empty features, unknown steps, "
        "unbalanced quotes, scenarios selecting no sources, unknown stories and source ids. Prints each problem "
        "as `path: field: what is wrong`, exits 1 if any.",
        epilog="examples:\n  checks validate\n  checks validate corpus/ --features features/\n"
        "  checks validate path/to/other-corpus",
        formatter_class=raw,
    )
    validate.add_argument("path", nargs="?", default="corpus", help="the corpus folder (default: corpus)")
    validate.add_argument(
        "--features",
        default=None,
        metavar="DIR",
        help="also lint the .feature files under DIR against the corpus (default: features/ when it exists)",
    )
    validate.set_defaults(run=_validate)

    diff = commands.add_parser(
        "diff",
        help="what changed between two results.json",
        description="Compare two reports/results.json: sources and claims added and removed, every verdict that "
        "changed per claim × source (with the quote), scenarios that now fail, new and resolved divergences.",
        epilog="exit codes: 0 compared (and nothing to fail on); 1 --fail-on matched; 2 a file is not a "
        "results.json or the command line is wrong\n\nexamples:\n  checks diff base/results.json reports/results.json\n"
        "  checks diff base.json reports/results.json --format markdown >> $GITHUB_STEP_SUMMARY\n"
        "  checks diff base.json reports/results.json --fail-on regressions",
        formatter_class=raw,
    )
    diff.add_argument("base", type=Path, help="results.json of the baseline (e.g. the target branch)")
    diff.add_argument("new", type=Path, help="results.json of this update")
    diff.add_argument("--format", choices=["text", "markdown"], default="text", help="terminal tables or Markdown")
    diff.add_argument(
        "--fail-on",
        choices=["never", "regressions", "changes"],
        default="never",
        help="exit 1 on scenarios that now fail or error (regressions), or on any change (changes)",
    )
    diff.set_defaults(run=_diff)

    add = commands.add_parser(
        "add",
        help="add saved articles (.txt or .html, or folders of them) to a story",
        description="Ingest articles, all or nothing. HTML goes through trafilatura (main text, title, date, "
        "author, site, language, updated); flags override what it extracts. Writes <id>.txt and <id>.json with "
        "sha256 set, then validates; if any article fails, none is added.",
        epilog="examples:\n"
        "  checks add ~/saved/bmw.html --story bmw-huawei-2025\n"
        "  checks add notes.txt --story bmw-huawei-2025 --id wire-copy --origin Reuters --published 2025-03-17\n"
        "  checks add bmw.html --story bmw-huawei-2025 --id reuters-via-gbaf --force\n"
        "  checks add ~/saved/bmw-huawei/ --story bmw-huawei-2025",
        formatter_class=raw,
    )
    add.add_argument(
        "files", type=Path, nargs="+", metavar="FILE", help="saved articles (.txt UTF-8 or .html), or folders of them"
    )
    add.add_argument("--story", required=True, help="story folder name, e.g. bmw-huawei-2025")
    add.add_argument("--id", dest="source_id", help="source id (default: made from the file name)")
    add.add_argument("--corpus", default="corpus", help="the corpus folder (default: corpus)")
    add.add_argument(
        "--force", action="store_true", help="replace an existing source with this id (its metadata is kept)"
    )
    for name in FIELDS:
        add.add_argument(f"--{name}", help=f"metadata field {name!r} (overrides what is extracted)")
    add.set_defaults(run=_add)

    suggest = commands.add_parser(
        "suggest",
        help="draft scenarios for what the sources of a story say that no claim checks",
        description="List the check-worthy statements of a story's sources (figures, dates, names, words quoted "
        "from named people) that no claim's evidence in the last run covers, ranked: statements where sources "
        "give different figures first. Printed as draft Gherkin scenarios tagged @draft, each step holding the "
        "verdict the engine gives today, read with the aliases of the story's feature files: paste them below "
        "the story's Background.",
        epilog="examples:\n  checks suggest bmw-huawei-2025\n  checks suggest bmw-huawei-2025 --limit 5 >> drafts.txt\n"
        "  checks suggest bmw-huawei-2025 --results ci/results.json --include-covered",
        formatter_class=raw,
    )
    suggest.add_argument("story", help="the story folder name, e.g. bmw-huawei-2025")
    suggest.add_argument("--corpus", default=None, help="the corpus folder (default: [tool.checks] corpus)")
    suggest.add_argument("--features", default="features", help="where the feature files are (for the aliases)")
    suggest.add_argument(
        "--results", default=None, help="the run whose evidence counts as covered (default: <reports>/results.json)"
    )
    suggest.add_argument("--limit", type=int, default=20, help="at most this many drafts (0: all; default 20)")
    suggest.add_argument(
        "--include-covered", action="store_true", help="also draft statements some claim's evidence covers"
    )
    suggest.set_defaults(run=_suggest)

    evaluate = commands.add_parser(
        "evaluate",
        help="score the engine on adjudicated labels",
        description="Run the engine over a labels file (CSV or JSON Lines: claim, text or source, expected, and "
        "optionally group and published) and print per-verdict precision, recall and F1, accuracy, macro-F1, the "
        "confusion matrix and the FNC-1 score, beside two baselines on the same rows: the most frequent label and "
        "the best one-line RapidFuzz rule.",
        epilog="examples:\n  checks evaluate desk-labels.csv\n  checks evaluate labels.jsonl --part held-out\n"
        "  checks evaluate labels.csv --format json > scores.json",
        formatter_class=raw,
    )
    evaluate.add_argument("labels", type=Path, help="the labels file (.csv with a header, or .jsonl)")
    evaluate.add_argument(
        "--part",
        choices=["all", "held-out", "tune"],
        default="all",
        help="rows of every group, or only of the held-out groups (one in five, by a hash of the group), or the rest",
    )
    evaluate.add_argument("--corpus", default="corpus", help="where rows naming a source id find it")
    evaluate.add_argument("--format", choices=["text", "json"], default="text", help="tables or JSON")
    evaluate.add_argument(
        "--mode",
        choices=["learned", "rules"],
        default=None,
        help="the engine's mode (default: [tool.checks] engine, or learned)",
    )
    evaluate.add_argument(
        "--fit",
        action="store_true",
        help="choose related and supported on the tune part (macro-F1 over a grid) and show what the choice does "
        "on the held-out part, which it never saw",
    )
    evaluate.add_argument(
        "--write",
        action="store_true",
        help="with --fit: write the suggested thresholds to [tool.checks.thresholds] in ./pyproject.toml",
    )
    evaluate.set_defaults(run=_evaluate)
    return parser


def _evaluate(args: argparse.Namespace) -> int:
    from checks.evaluation import evaluate, format_report, held_out, load_labels

    settings = load_settings(Path("pyproject.toml"))
    texts = None
    if Path(args.corpus).is_dir():
        texts = {s.id: s.text for s in load_corpus(args.corpus, max_bytes=settings.max_source_bytes).sources}
    labels = load_labels(args.labels, texts)
    if args.write and not args.fit:
        raise ConfigError("--write writes what --fit suggests: pass --fit too")
    if args.fit:
        return _fit(labels, settings, args)
    if args.part != "all":
        labels = [label for label in labels if held_out(label.group) == (args.part == "held-out")]
    if not labels:
        raise ConfigError(f"{args.labels}: no rows in part {args.part!r}")
    from checks.engine import Engine

    progress = Progress()
    engine = Engine(thresholds=settings.thresholds, progress=progress, mode=args.mode or settings.engine)
    report = evaluate(labels, engine=engine, progress=progress)
    if args.format == "json":
        data: dict[str, object] = {
            name: {"accuracy": s.accuracy, "macro_f1": s.macro_f1, "fnc_score": s.fnc_score, "per_label": s.per_label,
                   "confusion": s.confusion, "rows": s.total}
            for name, s in (("engine", report.engine), ("majority", report.majority), ("rapidfuzz", report.rapidfuzz))
        }  # fmt: skip
        data["baselines"] = {"majority": report.majority_label, "rapidfuzz": report.rapidfuzz_rule}
        _print(json.dumps(data, indent=2, sort_keys=True))
    else:
        _print(format_report(report, title=f"{args.labels} ({args.part})"))
    return EXIT_OK


def _count(number: int, one: str, many: str | None = None) -> str:
    """``1 story``, ``2 stories``."""
    return f"{number:,} {one if number == 1 else many or one + 's'}"


def _print(*values: object, file: Any = None, end: str = "\n") -> None:
    """``print``, with claims and source text made safe for a terminal or a CI log (no control characters, no
    line that a CI runner would execute as a workflow command)."""
    print(terminal_safe(" ".join(str(v) for v in values)), file=file, end=end)


def _fit(labels: list[Label], settings: Settings, args: argparse.Namespace) -> int:
    from checks.evaluation import fit_thresholds, format_fit

    try:
        fit = fit_thresholds(
            labels, current=settings.thresholds, mode=args.mode or settings.engine, progress=Progress()
        )
    except ValueError as exc:
        raise ConfigError(f"{args.labels}: {exc}") from None
    _print(format_fit(fit))
    if args.write:
        write_thresholds(Path("pyproject.toml"), fit.chosen)
        _print(f"wrote related = {fit.chosen.related}, supported = {fit.chosen.supported} to pyproject.toml")
    else:
        _print(
            f"to use it: [tool.checks.thresholds] related = {fit.chosen.related}, supported = {fit.chosen.supported}"
            " (or rerun with --write)"
        )
    return EXIT_OK


def _suggest(args: argparse.Namespace) -> int:
    from checks.claims.drafts import Draft, render_drafts, story_aliases
    from checks.claims.lint import check_structure
    from checks.coverage import evidence_spans
    from checks.engine import AliasTable, Engine
    from checks.engine.coverage import groups

    if args.limit < 0:
        raise ConfigError("--limit is a number of drafts, 0 for all")
    settings = load_settings(Path("pyproject.toml"))
    root = Path.cwd()
    corpus_path = confined_path(root, args.corpus or settings.corpus, what="corpus", from_command_line=True)
    corpus = load_corpus(corpus_path, max_bytes=settings.max_source_bytes)
    sources = corpus.story(args.story)
    if not sources:
        known = ", ".join(corpus.stories) or "none"
        raise ConfigError(f'story "{args.story}" has no sources in {corpus_path} (stories: {known})')
    results_path = Path(args.results) if args.results else Path(settings.reports) / "results.json"
    spans: dict[str, list[tuple[int, int]]] = {}
    if results_path.is_file():
        results = load_results(results_path)
        hashes = {s.id: s.sha256 for s in results.sources}
        stale = sorted(s.id for s in sources if s.id in hashes and hashes[s.id] != s.sha256)
        spans = {k: v for k, v in evidence_spans(results.scenarios).items() if k not in stale}
        if stale:
            _print(f"warning: {', '.join(stale)} changed since {results_path}: their statements count as unchecked; "
                   "run `pytest features/` again", file=sys.stderr)  # fmt: skip
        read_from = str(results_path)
    else:
        _print(f"warning: no results at {results_path}: every statement counts as unchecked; run `pytest "
               "features/` first", file=sys.stderr)  # fmt: skip
        read_from = "no run (every statement counts as unchecked)"
    features_dir = Path(args.features)
    files = feature_files([features_dir], root) if features_dir.exists() else []
    parsed, _ = check_structure(files, root)
    aliases = AliasTable.from_rows(story_aliases((f for _, f in parsed), args.story))
    found = [g for g in groups(sources, spans) if args.include_covered or not g.covered]
    shown = found if args.limit == 0 else found[: args.limit]
    engine = Engine(thresholds=settings.thresholds, mode=settings.engine)
    drafts = []
    for group in shown:
        verdicts = engine.check_claim(group.lead.text, sources, aliases=aliases)
        named = [(v.source, v.verdict) for v in verdicts if v.verdict.speaks or len(sources) <= 10]
        notes = tuple(
            f"{s.source}, {s.section.value}, characters {s.start}-{s.end}: {'; '.join(s.reasons)}"
            + (" (covered)" if s.covered_by(spans.get(s.source, ())) else "")
            for s in group.statements
        )
        drafts.append(Draft(group.key, _draft_claim(group.lead.text), group.divergent, notes, tuple(named)))
    _print(render_drafts(args.story, drafts, unchecked=len(found), source=read_from), end="")
    return EXIT_OK


def _draft_claim(text: str) -> str:
    """A statement as a claim a feature file can hold: one line, and no triple quote to end a docstring."""
    return " ".join(text.split()).replace('"""', "”””")


def _validate(args: argparse.Namespace) -> int:
    settings = load_settings(Path("pyproject.toml"))
    confined_path(Path.cwd(), args.path, what="corpus", from_command_line=True)
    report = validate_corpus(args.path, max_bytes=settings.max_source_bytes)
    for problem in report.problems:
        _print(problem, file=sys.stderr)
    if report.problems:
        _print(f"{len(report.problems)} problem(s) in {args.path}", file=sys.stderr)
        return EXIT_PROBLEMS
    if not report.sources:
        _print(f"{args.path}: no sources found; add one with `checks add FILE --story NAME`", file=sys.stderr)
        return EXIT_PROBLEMS
    _print(f"ok: {_count(len(report.sources), 'source')} in {_count(report.stories, 'story', 'stories')}, all valid")
    for source in report.sources:
        for warning in suspicious_lines(f"{Path(args.path).as_posix()}/{source.story}/{source.id}.txt", source.text):
            _print(f"warning: {warning}")
    waivers = confined_path(Path.cwd(), settings.waivers, what="waivers")
    expired: list[str] = []
    if waivers.is_file():
        found = load_waivers(waivers, settings.waivers, max_days=settings.max_waiver_days)
        expired = [
            f"{settings.waivers}: {w.label(n)} expired on {w.expires.isoformat()}, so `pytest features/` fails; "
            "renew its date or remove it"
            for n, w in enumerate(found, 1)
            if w.expired(waiver_day())
        ]
        for message in expired:
            _print(message, file=sys.stderr)
        if not expired:
            _print(f"ok: {_count(len(found), 'waiver')} in {settings.waivers}, valid")
    features = Path(args.features if args.features is not None else "features")
    if args.features is None and not features.is_dir():
        return EXIT_PROBLEMS if expired else EXIT_OK
    linted = _lint(features, Corpus(Path(args.path), report.sources, {s.id: s for s in report.sources}))
    return EXIT_PROBLEMS if expired else linted


def _lint(features: Path, corpus: Corpus) -> int:
    if not features.exists():
        raise CheckError(f"{features}: not found; pass the folder that holds the .feature files")
    root = Path.cwd()
    files = feature_files([features], root)
    if not files:
        _print(f"{features}: no .feature files; a gate that checks nothing must not pass", file=sys.stderr)
        return EXIT_PROBLEMS
    problems = lint_features(files, root, corpus=corpus)
    for problem in problems:
        _print(problem, file=sys.stderr)
    if problems:
        _print(f"{len(problems)} problem(s) in {features}", file=sys.stderr)
        return EXIT_PROBLEMS
    _print(f"ok: {_count(len(files), 'feature file')}, every step known and every story and source found")
    for file in files:
        for warning in suspicious_lines(relative_path(file, root), file.read_text(encoding="utf-8")):
            _print(f"warning: {warning}")
    return EXIT_OK


def _diff(args: argparse.Namespace) -> int:
    try:
        changes = diff_results(load_results(args.base), load_results(args.new))
    except DiffError as exc:
        _print(f"error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    _print(render_markdown(changes) if args.format == "markdown" else render_text(changes), end="")
    if args.fail_on == "regressions" and changes.regressions:
        return EXIT_PROBLEMS
    if args.fail_on == "changes" and not changes.empty:
        return EXIT_PROBLEMS
    return EXIT_OK


def _add(args: argparse.Namespace) -> int:
    files = article_files(args.files)
    added = add_sources(
        files,
        story=args.story,
        corpus=Path(args.corpus),
        source_id=args.source_id,
        overrides={name: getattr(args, name) for name in FIELDS},
        force=args.force,
        max_bytes=load_settings(Path("pyproject.toml")).max_source_bytes,
        progress=Progress(),
    )
    for source in added:
        _print(f"added {source.story}/{source.source_id} ({source.characters:,} characters)")
        if source.unknown:
            _print(f"  unknown (left null; set them with flags or in its .json): {', '.join(source.unknown)}")
        for note in source.notes:
            _print(f"  note: {note}")
    if len(added) > 1:
        _print(f"{len(added)} sources added to {args.story}, all valid")
    return EXIT_OK


if __name__ == "__main__":
    sys.exit(main())
