"""``checks add``: put saved articles into a story, one or many, all or nothing.

Every article is read and checked first (its text, its size, its metadata, its id against the corpus and the
other articles of the batch); only when all are good is anything written, and the corpus is then validated with
the new sources in it. If any of them does not validate, every file written is taken back out and every file
replaced is put back, so a batch never leaves half of itself behind.

Replacing a source (``force``, for a corrected article) keeps its existing metadata: a field is changed only by a
flag given for it, or filled in from the page where it was unknown. Section overrides are kept when the text is
unchanged and dropped when it changed (their offsets would point into the old text), with a notice.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import ValidationError

from checks.corpus.ingest import SUFFIXES, read_article, slugify
from checks.corpus.load import sha256_text, validate_corpus
from checks.errors import CorpusError, Problem
from checks.files import write_atomic
from checks.models import SourceMetadata, is_id
from checks.progress import QUIET, Progress

__all__ = ["FIELDS", "Added", "add_sources", "article_files"]

FIELDS = ("title", "publisher", "url", "published", "updated", "author", "origin", "language", "retrieved")
"""Metadata fields a flag can set (``--title``, ``--published``, …)."""


@dataclass(frozen=True, slots=True)
class Added:
    """One source the batch added or replaced."""

    story: str
    source_id: str
    characters: int
    unknown: tuple[str, ...]
    """Metadata fields left null."""
    notes: tuple[str, ...] = ()


@dataclass(slots=True)
class _Plan:
    source: Path
    source_id: str
    txt: Path
    meta: Path
    data: bytes
    document: dict[str, object]
    notes: list[str] = field(default_factory=list)


def article_files(paths: Iterable[Path]) -> list[Path]:
    """The articles named: files as given, and every ``.txt`` / ``.html`` file inside a folder, sorted."""
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            found.extend(sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.casefold() in SUFFIXES))
        else:
            found.append(path)
    return found


def add_sources(
    files: Sequence[Path],
    *,
    story: str,
    corpus: Path,
    source_id: str | None = None,
    overrides: Mapping[str, str | None] | None = None,
    force: bool = False,
    max_bytes: int,
    progress: Progress = QUIET,
) -> list[Added]:
    """Add ``files`` to ``story`` (module docstring). ``source_id`` names the source when there is one file;
    ``overrides`` are metadata fields given as flags. Raises CorpusError with every problem found."""
    if not files:
        raise CorpusError(Problem("FILE", "", "no article given; name a .txt or .html file, or a folder of them"))
    if source_id is not None and len(files) > 1:
        raise CorpusError(Problem("--id", "", f"names one source, but {len(files)} articles were given"))
    if not is_id(story):
        raise CorpusError(
            Problem("--story", "", f"{story!r} is not allowed; use lowercase letters, digits and hyphens")
        )
    plans, problems = [], []
    taken: dict[str, Path] = {}
    with progress.bar(len(files), what="reading articles") as advance:
        for file in files:
            try:
                plan = _plan(file, story, corpus, source_id or slugify(file.stem), overrides or {}, force, max_bytes)
            except CorpusError as exc:
                problems.extend(exc.problems)
            else:
                if plan.source_id in taken:
                    problems.append(
                        Problem(str(file), "id", f"{plan.source_id!r} is also the id of {taken[plan.source_id]}")
                    )
                taken[plan.source_id] = file
                plans.append(plan)
            advance(1)
    if problems:
        raise CorpusError(problems)
    _write_all(plans, corpus, max_bytes)
    return [
        Added(
            story,
            p.source_id,
            len(p.data.decode("utf-8")),
            tuple(n for n in FIELDS if p.document.get(n) is None),
            tuple(p.notes),
        )
        for p in plans
    ]


def _plan(
    file: Path,
    story: str,
    corpus: Path,
    source_id: str,
    overrides: Mapping[str, str | None],
    force: bool,
    max_bytes: int,
) -> _Plan:
    if not is_id(source_id):
        raise CorpusError(
            Problem("--id", "", f"{source_id!r} is not allowed; use lowercase letters, digits and single hyphens")
        )
    story_dir = corpus / story
    txt, meta = story_dir / f"{source_id}.txt", story_dir / f"{source_id}.json"
    clash = sorted(p for p in corpus.glob(f"*/{source_id}.*") if p.parent != story_dir) if corpus.is_dir() else []
    if clash:
        raise CorpusError(Problem(str(clash[0]), "id", f"id {source_id!r} is already used; choose another with --id"))
    if (txt.exists() or meta.exists()) and not force:
        raise CorpusError(Problem(str(txt), "", "already exists; pass --force to replace it (its metadata is kept)"))
    article = read_article(file)
    if not article.text.strip():
        raise CorpusError(Problem(str(file), "text", "is empty; nothing to add"))
    data = article.text.encode("utf-8")
    if len(data) > max_bytes:
        raise CorpusError(
            Problem(
                str(file),
                "text",
                f"is {len(data):,} bytes, above the limit of {max_bytes:,} (max_source_bytes in [tool.checks]); "
                "nothing was added",
            )
        )
    existing = _existing(meta) if force else {}
    notes: list[str] = []
    fields: dict[str, object] = {k: v for k, v in article.fields.items() if v}
    fields.update({k: v for k, v in existing.items() if v is not None and k in FIELDS})
    fields.update({name: value for name, value in overrides.items() if value is not None})
    digest = sha256_text(data)
    document = {name: fields.get(name) for name in FIELDS}
    sections = existing.get("sections")
    if sections:
        if existing.get("sha256") == digest:
            document["sections"] = sections
        else:
            notes.append("its section overrides were dropped: the text changed, so their offsets no longer fit")
    document["sha256"] = digest
    try:
        metadata = SourceMetadata.model_validate(document)
    except ValidationError as exc:
        raise CorpusError(
            [
                Problem(f"--{err['loc'][0]}", "", str(err.get("ctx", {}).get("error", err["msg"])))
                for err in exc.errors(include_url=False)
            ]
        ) from None
    dumped = metadata.model_dump(mode="json", exclude_none=False)
    if not dumped.get("sections"):
        dumped.pop("sections", None)
    return _Plan(file, source_id, txt, meta, data, dumped, notes)


def _existing(meta: Path) -> dict[str, object]:
    try:
        data = json.loads(meta.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError):
        return {}
    return data if isinstance(data, dict) else {}


def _write_all(plans: list[_Plan], corpus: Path, max_bytes: int) -> None:
    """Write every planned source, validate the corpus, and take the whole batch back on any problem."""
    previous: dict[Path, bytes | None] = {}
    try:
        for plan in plans:
            plan.txt.parent.mkdir(parents=True, exist_ok=True)
            document = (json.dumps(plan.document, indent=2, ensure_ascii=False) + "\n").encode("utf-8")
            for path, content in ((plan.txt, plan.data), (plan.meta, document)):
                previous[path] = path.read_bytes() if path.exists() else None
                write_atomic(path, content)
        ids = {p.source_id for p in plans}
        mine = [p for p in validate_corpus(corpus, max_bytes=max_bytes).problems if Path(p.path).stem in ids]
        if mine:
            raise CorpusError(mine)
    except BaseException:
        for path, before in previous.items():
            if before is None:
                path.unlink(missing_ok=True)
            else:
                write_atomic(path, before)
        raise
