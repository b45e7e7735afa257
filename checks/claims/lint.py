"""Lint Gherkin feature files before anything runs: every problem as ``file:line: field: message``.

``pytest features/`` stops on the structural problems (malformed Gherkin, a feature without scenarios) before
collecting anything; ``checks validate`` also reports what each scenario would fail on at run time (an unknown
step with the nearest documented phrase, unbalanced quotes, no sources selected, unknown stories and ids).
"""

from __future__ import annotations

import difflib
import os
import re
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path

from pytest_bdd.exceptions import GherkinParseError
from pytest_bdd.parser import Feature, FeatureParser, Scenario, ScenarioTemplate, Step

from checks.claims.tags import IdUse, id_problems, id_uses, tag_problems
from checks.claims.vocabulary import StepVocabulary
from checks.corpus.load import Corpus
from checks.engine.normalize import STOPWORDS, normalize_text, tokenize
from checks.errors import Problem
from checks.files import relative_path

__all__ = [
    "StepVocabulary",
    "check_structure",
    "default_vocabulary",
    "feature_files",
    "lint_features",
    "parse_feature",
    "scenario_problems",
    "unknown_step_message",
]


def default_vocabulary() -> StepVocabulary:
    return StepVocabulary.default()


_NOT_COLLECTED = ("build", "dist", "node_modules", "venv", "CVS", "_darcs", "{arch}")
"""Folder names pytest never enters (its default ``norecursedirs``, with hidden folders and ``*.egg``)."""


def feature_files(paths: Iterable[Path], root: Path) -> list[Path]:
    """Every ``.feature`` file under ``paths`` (files or folders), sorted, each once. Folders are walked without
    following symbolic links; hidden files, symlinks and files pytest would not collect are kept, so that
    :func:`parse_feature` reports them instead of letting them pass unrun."""
    found: set[Path] = set()
    for path in paths:
        if path.suffix == ".feature" and (path.is_file() or path.is_symlink()):
            found.add(path)
        elif path.is_dir():
            for folder, dirs, files in os.walk(path, followlinks=False):
                base = Path(folder)
                found.update(base / f for f in files if f.endswith(".feature"))
                found.update(base / d for d in dirs if (base / d).is_symlink())
    return sorted(found)


def _placement_problem(file: Path, root: Path) -> str | None:
    """Why pytest would not run ``file`` as one feature file of the project, or None."""
    if file.is_symlink():
        kind = "folder" if file.is_dir() else "file"
        return (
            f"is a symbolic link to a {kind}: links are not followed (they can lead out of the project, loop, or "
            "run the same scenarios twice); replace it with the real file or folder"
        )
    if not file.resolve().is_relative_to(root.resolve()):
        return "leads outside the project; feature files must live inside it"
    try:
        parts = file.resolve().relative_to(root.resolve()).parts
    except ValueError:  # pragma: no cover - checked just above
        return None
    hidden = [p for p in parts if p.startswith(".") or p in _NOT_COLLECTED or p.endswith(".egg")]
    if hidden:
        return (
            f"pytest does not collect files in or named {hidden[0]!r}, so its scenarios would never run: "
            "move or rename it (or delete it)"
        )
    return None


def parse_feature(file: Path, root: Path) -> tuple[Feature | None, list[Problem]]:
    """The parsed feature, or the structural problems that stop a whole run: a file outside the project,
    malformed Gherkin (with its line), not UTF-8, no scenarios."""
    name = relative_path(file, root) if not file.is_symlink() else _link_name(file, root)
    placement = _placement_problem(file, root)
    if placement:
        return None, [Problem(name, "file", placement)]
    try:
        feature = FeatureParser(str(file.parent), file.name).parse()
    except GherkinParseError as exc:
        return None, [Problem(f"{name}:{exc.line}", "gherkin", _parse_message(exc))]
    except UnicodeDecodeError as exc:
        return None, [Problem(name, "encoding", f"not UTF-8 (byte {exc.start}); save the file as UTF-8")]
    if not feature.scenarios:
        return None, [Problem(f"{name}:1", "feature", "has no scenarios; add a `Scenario:` with steps, or delete it")]
    return feature, []


def _link_name(file: Path, root: Path) -> str:
    try:
        return (file.parent.resolve() / file.name).relative_to(root.resolve()).as_posix()
    except ValueError:
        return file.as_posix()


def check_structure(files: Sequence[Path], root: Path) -> tuple[list[tuple[Path, Feature]], list[Problem]]:
    """Every file parsed once, with the problems that stop a whole run: what :func:`parse_feature` finds, refused
    tags, several ids on a scenario, one id on different claims. Returns the files that parsed, with their
    features, and the problems."""
    problems: list[Problem] = []
    parsed: list[tuple[Path, Feature]] = []
    ids: list[tuple[str, IdUse]] = []
    for file in files:
        feature, found = parse_feature(file, root)
        problems.extend(found)
        if feature is None:
            continue
        name = relative_path(file, root)
        problems.extend(tag_problems(name, feature))
        ids.extend(id_uses(name, feature))
        parsed.append((file, feature))
    problems.extend(id_problems(ids))
    return parsed, problems


def lint_features(
    files: Sequence[Path],
    root: Path,
    *,
    structure_only: bool = False,
    corpus: Corpus | None = None,
    vocabulary: StepVocabulary | None = None,
) -> list[Problem]:
    """Problems in ``files``. ``structure_only``: only what :func:`check_structure` finds; otherwise also every
    step that would fail, with steps checked against ``vocabulary`` and stories and ids against ``corpus``."""
    parsed, problems = check_structure(files, root)
    if structure_only:
        return problems
    words = vocabulary or default_vocabulary()
    for file, feature in parsed:
        for scenario in feature.scenarios.values():
            problems.extend(
                scenario_problems(relative_path(file, root), scenario, lambda s: words.matches(s.type, s.name), corpus)
            )
    return problems


def _parse_message(exc: GherkinParseError) -> str:
    message = exc.message.splitlines()[0] if exc.message else "cannot be parsed"
    message = re.sub(r"^\(\d+:\d+\): ", "", message).rstrip(". ")
    line = exc.line_content.strip()
    shown = f" in `{line}`" if line else ""
    return (
        f"{message}{shown}. Each scenario needs a `Scenario:` line followed by steps starting with "
        "Given, When, Then, And or But; a docstring needs opening and closing triple quotes"
    )


def scenario_problems(
    name: str, scenario: Scenario | ScenarioTemplate, is_known: Callable[[Step], bool], corpus: Corpus | None = None
) -> Iterable[Problem]:
    """What would make this scenario fail before checking any claim. ``is_known``: whether a step has a
    definition; ``corpus``: where stories and source ids are looked up (skipped when None)."""
    steps: list[Step] = scenario.steps
    words = default_vocabulary()
    selects = any(s.type == "given" and {"story", "ids"} & set(words.arguments(s.type, s.name) or {}) for s in steps)
    if not selects and any(s.type == "then" for s in steps):
        yield Problem(
            f"{name}:{scenario.line_number}",
            "scenario",
            f'"{scenario.name}" selects no sources; start it with Given the sources of story "<story>"',
        )
    if not any(s.type == "then" for s in steps):
        yield Problem(
            f"{name}:{scenario.line_number}",
            "scenario",
            f'"{scenario.name}" has no Then step, so it checks nothing and would always pass; add a claim',
        )
    for step in steps:
        where = f"{name}:{step.line_number}"
        if not is_known(step):
            yield Problem(where, "step", unknown_step_message(step))
            continue
        arguments = words.arguments(step.type, step.name) or {}
        yield from _vacuous(where, step, arguments)
        if corpus is not None:
            yield from _corpus_problems(where, arguments, corpus)


def _vacuous(where: str, step: Step, arguments: dict[str, str]) -> Iterable[Problem]:
    """A step that would pass whatever the sources say: ``at least 0 sources``, a claim of only common words."""
    if "count" in arguments and int(arguments["count"]) < 1:
        yield Problem(where, "step", "at least 0 sources always holds: ask for at least 1")
    claim = arguments.get("claim", step.docstring if step.type == "then" and step.name.endswith(":") else None)
    if claim is not None and "question" not in arguments:
        content = [t for t in tokenize(normalize_text(claim)) if t not in STOPWORDS]
        if not content:
            yield Problem(
                where,
                "claim",
                f'"{claim.strip()}" has no word that a source could be checked on (only common words); '
                "state the claim with its names, numbers and facts",
            )


_QUOTE_FIX = (
    'a claim goes between one pair of "…"; when the claim itself contains a double quote, end the step with ":" '
    'and write the claim on the lines below between """ lines'
)


def quote_problem(kind: str, text: str, vocabulary: StepVocabulary | None = None) -> str | None:
    """A message when the step's double quotes are the reason it matches no step, else None."""
    vocabulary = vocabulary or default_vocabulary()
    if vocabulary.matches(kind, text):
        return None
    if text.count('"') % 2:
        return f"unbalanced double quotes: {_QUOTE_FIX}"
    if text.count('"') > 2 and vocabulary.matches_with_quoted_quotes(kind, text):
        return f"double quotes inside a quoted claim: {_QUOTE_FIX}"
    return None


def unknown_step_message(step: Step, vocabulary: StepVocabulary | None = None) -> str:
    """Why ``step`` matches no definition: its quotes, or the nearest documented phrase."""
    words = vocabulary or default_vocabulary()
    shown = f"unknown step `{step.keyword.strip()} {step.name}`"
    quotes = quote_problem(step.type, step.name, words)
    if quotes:
        return f"{shown}: {quotes}"
    close = difflib.get_close_matches(f"{step.type.capitalize()} {step.name}", words.phrases, n=1, cutoff=0.4)
    return f"{shown}; did you mean: {close[0]}" if close else f"{shown}; the README lists every step phrase"


def _corpus_problems(where: str, arguments: dict[str, str], corpus: Corpus) -> Iterable[Problem]:
    """The story or source ids a step names (its arguments, as its pattern reads them) that the corpus lacks."""
    story = arguments.get("story")
    if story is not None and not corpus.story(story):
        known = ", ".join(corpus.stories) or "none"
        yield Problem(where, "story", f'"{story}" has no sources in the corpus (stories: {known})')
    named = re.findall(r'"([^"]*)"', arguments["ids"]) if "ids" in arguments else []
    if "source" in arguments:
        named.append(arguments["source"])
    for source_id in named:
        if source_id not in corpus.by_id:
            close = difflib.get_close_matches(source_id, list(corpus.by_id), n=1)
            hint = f'; did you mean "{close[0]}"?' if close else "; `checks validate` lists the corpus"
            yield Problem(where, "source", f'unknown source id "{source_id}"{hint}')
