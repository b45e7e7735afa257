"""Load and validate the corpus: ``corpus/<story>/<id>.txt`` + ``<id>.json`` pairs.

:func:`validate_corpus` never raises: it collects every problem with its path and field so the
CLI can print them all at once. :func:`load_corpus` returns the sources or raises
:class:`~checks.errors.CorpusError` carrying those same problems.
"""

from __future__ import annotations

import difflib
import hashlib
import json
import os
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path

from pydantic import ValidationError

from checks.corpus.ingest import binary_kind
from checks.corpus.sections import split_sections
from checks.errors import ConfigError, CorpusError, Problem
from checks.limits import MAX_NESTING, check_nesting
from checks.models import Source, SourceMetadata, SourceVersion, is_id
from checks.progress import Progress

_ON_A_TERMINAL = Progress()
"""Bars on standard error, on a terminal only: the default for loading."""

__all__ = ["Corpus", "CorpusReport", "content_hash", "load_corpus", "sha256_text", "validate_corpus"]

MAX_SOURCE_BYTES = 20_000_000
"""Texts above this size are refused: a saved article is a few kilobytes, a bigger file is a mistake."""

_IGNORED = {"README.md", "readme.md"}


def sha256_text(data: bytes) -> str:
    """The SHA-256 of a text file's bytes, as written in the ``sha256`` metadata field."""
    return hashlib.sha256(data).hexdigest()


@dataclass(frozen=True, slots=True)
class Corpus:
    """Every source of the corpus, sorted by story then id."""

    root: Path
    sources: tuple[Source, ...]
    by_id: Mapping[str, Source] = field(repr=False)
    by_story: Mapping[str, tuple[Source, ...]] = field(init=False, repr=False)
    versioned: frozenset[str] = field(init=False, repr=False)
    """The ids of the sources with earlier texts (``<id>@<retrieved>.txt``)."""

    def __post_init__(self) -> None:
        grouped: dict[str, list[Source]] = {}
        for source in self.sources:
            grouped.setdefault(source.story, []).append(source)
        object.__setattr__(self, "by_story", {name: tuple(group) for name, group in grouped.items()})
        object.__setattr__(self, "versioned", frozenset(s.id for s in self.sources if s.versions))

    @property
    def stories(self) -> tuple[str, ...]:
        return tuple(sorted(self.by_story))

    def story(self, name: str) -> tuple[Source, ...]:
        """The sources of one story, in id order: the same tuple every time (the engine's index across sources
        is kept per tuple)."""
        return self.by_story.get(name, ())


@dataclass(frozen=True, slots=True)
class CorpusReport:
    """What :func:`validate_corpus` found."""

    sources: tuple[Source, ...]
    problems: tuple[Problem, ...]
    stories: int

    @property
    def ok(self) -> bool:
        return not self.problems


def content_hash(sources: tuple[Source, ...]) -> str:
    """A hash of every source's id, text and metadata: changes whenever the corpus does."""
    digest = hashlib.sha256()
    for source in sorted(sources, key=lambda s: s.id):
        digest.update(source.id.encode())
        digest.update(source.sha256.encode())
        digest.update(source.metadata.model_dump_json().encode())
        for version in source.versions:
            digest.update(f"{version.retrieved}\x1f{version.sha256}".encode())
    return digest.hexdigest()


def load_corpus(
    root: str | os.PathLike[str], *, max_bytes: int = MAX_SOURCE_BYTES, progress: Progress = _ON_A_TERMINAL
) -> Corpus:
    """Load every source under ``root``; raise :class:`CorpusError` listing every problem. ``progress`` draws a
    bar per story on long loads (standard error, on a terminal only, by default)."""
    report = validate_corpus(root, max_bytes=max_bytes, progress=progress)
    if report.problems:
        raise CorpusError(list(report.problems))
    return Corpus(Path(root), report.sources, {s.id: s for s in report.sources})


def validate_corpus(
    root: str | os.PathLike[str], *, max_bytes: int = MAX_SOURCE_BYTES, progress: Progress = _ON_A_TERMINAL
) -> CorpusReport:
    """Check every story under ``root`` and load what is valid. Never raises."""
    base = Path(root)
    if not base.is_dir():
        problem = Problem(_display(base), "", "corpus folder not found; pass the folder that holds the stories")
        return CorpusReport((), (problem,), 0)
    real_root = base.resolve()
    problems: list[Problem] = []
    sources: list[Source] = []
    stories = 0
    for story_dir in sorted(base.iterdir()):
        if story_dir.name.startswith(".") or (story_dir.is_file() and story_dir.name in _IGNORED):
            continue
        if not _inside(story_dir, real_root):
            problems.append(Problem(_display(story_dir), "", "leads outside the corpus folder; remove the link"))
            continue
        if not story_dir.is_dir():
            problems.append(
                Problem(_display(story_dir), "", "stray file at the corpus top level; put sources in a story folder")
            )
            continue
        stories += 1
        if not is_id(story_dir.name):
            problems.append(Problem(_display(story_dir), "story", _bad_name("story name", story_dir.name)))
            continue
        for source, found in _load_story(story_dir, real_root, max_bytes, progress):
            problems.extend(found)
            if source is not None:
                sources.append(source)
    problems.extend(_duplicate_ids(sources, base))
    duplicated = {p.path for p in problems if p.field == "id"}
    kept = tuple(s for s in sources if _display(base / s.path) not in duplicated)
    return CorpusReport(kept, tuple(problems), stories)


def _load_story(
    story_dir: Path, real_root: Path, max_bytes: int, progress: Progress
) -> Iterator[tuple[Source | None, list[Problem]]]:
    real_story = story_dir.resolve()  # inside the root (checked by the caller)
    stems: dict[str, set[str]] = {}
    real_texts: dict[str, Path] = {}
    with os.scandir(story_dir) as scan:
        entries = sorted(scan, key=lambda e: e.name)
    for item in entries:
        if item.name.startswith(".") or item.name in _IGNORED:
            continue
        entry = story_dir / item.name
        # Only a link can lead elsewhere: any other entry of a folder inside the root is inside it.
        if item.is_symlink() and not _inside(entry, real_root):
            yield None, [Problem(_display(entry), "", "leads outside the corpus folder; remove the link")]
            continue
        if entry.suffix not in {".txt", ".json"} or not item.is_file():
            yield None, [Problem(_display(entry), "", "unexpected entry; a source is <id>.txt with <id>.json")]
            continue
        stems.setdefault(entry.stem, set()).add(entry.suffix)
        if entry.suffix == ".txt":
            real_texts[entry.stem] = entry.resolve() if item.is_symlink() else real_story / item.name
    versions: dict[str, list[tuple[str, str]]] = {}
    for stem in [s for s in stems if "@" in s]:
        suffixes = stems.pop(stem)
        source_id, stamp = stem.split("@", 1)
        retrieved = _version_time(stamp)
        where = story_dir / f"{stem}{min(suffixes)}"
        if ".json" in suffixes:
            yield None, [Problem(_display(story_dir / f"{stem}.json"), "", "a version has no metadata of its own "
                                 f"(it shares {source_id}.json); remove the file")]  # fmt: skip
        elif retrieved is None:
            yield None, [Problem(_display(where), "", f"{stamp!r} is not a retrieval time; name a version "
                                 "<id>@YYYY-MM-DD.txt or <id>@YYYY-MM-DDTHHMM[SS]Z.txt")]  # fmt: skip
        elif source_id not in stems:
            yield None, [Problem(_display(where), "", f"a version of {source_id!r}, which is not a source here; "
                                 f"add {source_id}.txt and {source_id}.json, or remove the version")]  # fmt: skip
        else:
            versions.setdefault(source_id, []).append((retrieved, stem))
    for stem, suffixes in progress.each(sorted(stems.items()), what=f"loading {story_dir.name}"):
        txt, meta = story_dir / f"{stem}.txt", story_dir / f"{stem}.json"
        if suffixes != {".txt", ".json"}:
            present, missing = (txt, meta) if ".txt" in suffixes else (meta, txt)
            hint = "write its metadata (checks add does it)" if missing == meta else "add the article text"
            yield None, [Problem(_display(present), "", f"{missing.name} is missing; {hint}")]
            continue
        if not is_id(stem):
            yield None, [Problem(_display(txt), "id", _bad_name("source id", stem))]
            continue
        rel = real_texts[stem].relative_to(real_root).as_posix()
        source, problems = _load_source(story_dir.name, stem, txt, meta, max_bytes, rel)
        if source is not None and stem in versions:
            loaded = []
            for retrieved, name in sorted(versions[stem]):
                version_rel = real_texts[name].relative_to(real_root).as_posix()
                version = _load_version(story_dir / f"{name}.txt", retrieved, source, max_bytes, version_rel, problems)
                if version is not None:
                    loaded.append(version)
            source = None if problems else replace(source, versions=tuple(loaded))
        yield source, problems


def _load_source(
    story: str, source_id: str, txt: Path, meta: Path, max_bytes: int, rel: str
) -> tuple[Source | None, list[Problem]]:
    problems: list[Problem] = []
    text, data = _read_text(txt, max_bytes, problems)
    metadata = _read_metadata(meta, problems)
    if text is None or data is None or metadata is None:
        return None, problems
    digest = sha256_text(data)
    if metadata.sha256 is not None and metadata.sha256 != digest:
        problems.append(
            Problem(
                _display(meta),
                "sha256",
                f"does not match the text (its sha256 is {digest}); the .txt changed after it was recorded: "
                "check the change, then update or remove the field",
            )
        )
    for index, override in enumerate(metadata.sections or ()):
        if override.end <= override.start or override.end > len(text):
            problems.append(
                Problem(
                    _display(meta),
                    f"sections[{index}]",
                    f"range {override.start}..{override.end} is not inside the text (0..{len(text)}) "
                    "or is empty; use 0 <= start < end <= length",
                )
            )
    if problems:
        return None, problems
    sections = split_sections(text, title=metadata.title, overrides=metadata.sections or ())
    return Source(source_id, story, text, metadata, sections, rel, digest), problems


_VERSION_TIME = re.compile(r"(\d{4}-\d{2}-\d{2})(?:T(\d{2})(\d{2})(\d{2})?Z?)?")


def _version_time(stamp: str) -> str | None:
    """``2025-03-17`` or ``2025-03-17T0930Z`` (a file name has no colons) as an ISO date or time, or None."""
    found = _VERSION_TIME.fullmatch(stamp)
    if found is None:
        return None
    day, hour, minute, second = found.groups()
    try:
        date.fromisoformat(day)
    except ValueError:
        return None
    if hour is None:
        return day
    if int(hour) > 23 or int(minute) > 59 or (second is not None and int(second) > 59):
        return None
    return f"{day}T{hour}:{minute}:{second or '00'}Z"


def _load_version(
    txt: Path, retrieved: str, source: Source, max_bytes: int, rel: str, problems: list[Problem]
) -> SourceVersion | None:
    text, data = _read_text(txt, max_bytes, problems)
    if text is None or data is None:
        return None
    current = source.metadata.retrieved
    if current is not None and retrieved[:10] > current[:10]:
        problems.append(Problem(_display(txt), "", f"retrieved {retrieved}, after the current text ({current}); "
                                "the newest text is <id>.txt and its metadata's retrieved is its time"))  # fmt: skip
        return None
    sections = split_sections(text, title=source.metadata.title)
    return SourceVersion(retrieved, text, sections, rel, sha256_text(data))


def _read_text(path: Path, max_bytes: int, problems: list[Problem]) -> tuple[str | None, bytes | None]:
    where = _display(path)
    try:
        size = path.stat().st_size
        if size > max_bytes:
            problems.append(
                Problem(
                    where, "text", f"is {size:,} bytes, above the limit of {max_bytes:,}; is it really one article?"
                )
            )
            return None, None
        data = path.read_bytes()
    except OSError as exc:
        problems.append(Problem(where, "text", f"cannot be read ({exc.strerror}); check its permissions"))
        return None, None
    kind = binary_kind(data)
    if kind is not None:
        problems.append(Problem(where, "text", f"is {kind}, not text; save the article as plain UTF-8 text"))
        return None, None
    if b"\x00" in data:
        problems.append(Problem(where, "text", "is a binary file, not text; save the article as plain UTF-8 text"))
        return None, None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        problems.append(Problem(where, "text", f"is not UTF-8 (bad byte at offset {exc.start}); re-save it as UTF-8"))
        return None, None
    if not text.strip():
        problems.append(Problem(where, "text", "is empty; paste the article text or remove the source"))
        return None, None
    return text, data


def _read_metadata(path: Path, problems: list[Problem]) -> SourceMetadata | None:
    where = _display(path)
    try:
        raw = path.read_text(encoding="utf-8")
    except OSError as exc:
        problems.append(Problem(where, "", f"cannot be read ({exc.strerror}); check its permissions"))
        return None
    except UnicodeDecodeError:
        problems.append(Problem(where, "", "is not UTF-8; re-save it as UTF-8"))
        return None
    try:
        check_nesting(raw, where)
    except ConfigError:
        problems.append(Problem(where, "", f"nested more than {MAX_NESTING} levels deep; metadata is a flat object"))
        return None
    try:
        data = json.loads(raw)
    except json.JSONDecodeError as exc:
        problems.append(Problem(where, f"line {exc.lineno} column {exc.colno}", f"invalid JSON: {exc.msg}"))
        return None
    if not isinstance(data, dict):
        problems.append(Problem(where, "", 'must be a JSON object of metadata fields, like {"title": ...}'))
        return None
    try:
        return SourceMetadata.model_validate(data)
    except ValidationError as exc:
        problems.extend(_pydantic_problems(where, exc))
        return None


def _pydantic_problems(where: str, exc: ValidationError) -> list[Problem]:
    known = list(SourceMetadata.model_fields)
    found = []
    for error in exc.errors(include_url=False):
        loc = error["loc"]
        name = "".join(
            f"[{part}]" if isinstance(part, int) else (f".{part}" if i else str(part)) for i, part in enumerate(loc)
        )
        if error["type"] == "extra_forbidden":
            close = difflib.get_close_matches(str(loc[-1]), known, n=1)
            hint = f"did you mean {close[0]!r}?" if close else f"known fields: {', '.join(known)}"
            message = f"unknown field; {hint}"
        elif error["type"] == "value_error":
            message = str(error["ctx"]["error"]) if "ctx" in error else error["msg"]
        else:
            message = f"{error['msg']} (got {error.get('input')!r})"
        found.append(Problem(where, name, message))
    return found


def _duplicate_ids(sources: list[Source], base: Path) -> list[Problem]:
    seen: dict[str, list[Source]] = {}
    for source in sources:
        seen.setdefault(source.id, []).append(source)
    problems = []
    for source_id, group in sorted(seen.items()):
        if len(group) > 1:
            stories = ", ".join(s.story for s in group)
            for source in group:
                problems.append(
                    Problem(
                        _display(base / source.path),
                        "id",
                        f"id {source_id!r} is used in several stories ({stories}); ids must be unique "
                        "across the corpus: rename one pair",
                    )
                )
    return problems


def _inside(path: Path, real_root: Path) -> bool:
    try:
        path.resolve().relative_to(real_root)
    except (ValueError, OSError):
        return False
    return True


def _bad_name(what: str, name: str) -> str:
    return f"{what} {name!r} is not allowed; use lowercase letters, digits and single hyphens (like bmw-huawei-2025)"


def _display(path: Path) -> str:
    try:
        return path.absolute().relative_to(Path.cwd()).as_posix()
    except ValueError:
        return path.as_posix()
