"""An incremental verdict cache in SQLite (``.checks-cache/verdicts.sqlite``): re-runs after a corpus update
re-check only the claim × source pairs whose inputs changed.

The key of a verdict is a SHA-256 over everything it depends on: the engine's own code (a fingerprint of its
modules, so a changed rule can never be answered from the cache), the thresholds, the alias table, the claim
with its declared alternatives, and the source (id, text hash and metadata). A stale result is therefore never
returned. A cache that fails SQLite's integrity check, or a row that does not parse, is thrown away and rebuilt.
Each source's key terms (what the index across sources is built from) are kept the same way, keyed by the
engine, the alias table and the source, so a re-run indexes only new or changed sources.
Several processes (pytest-xdist workers) share one file: WAL journal, busy timeout, one transaction per batch
of new verdicts (a process that dies before closing the cache loses only its unwritten verdicts).
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from functools import lru_cache
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path

from pydantic import ValidationError

from checks.config import Thresholds
from checks.engine.matching import source_terms
from checks.engine.normalize import AliasTable
from checks.engine.screen import Engine
from checks.models import Claim, Source, SourceVerdict, Verdicts
from checks.progress import QUIET, Progress

__all__ = ["VerdictCache", "engine_fingerprint"]

_ENGINE_PACKAGE = "checks.engine"
"""Every file of this package is part of the fingerprint, found by listing it: a module added to the engine
changes every key without anyone remembering to list it."""
_ALSO = ("models.py", "config.py", "verdicts.py", "corpus/sections.py")
"""Modules outside the engine package that a verdict depends on (the data models, thresholds, sections)."""
_SCHEMA = 2
_BATCH = 5_000
"""Verdicts written per transaction (and at :meth:`VerdictCache.close`)."""
_STEAL = 100
"""Sources of other processes' shares indexed between two looks at what they have stored."""


@lru_cache(maxsize=1)
def engine_fingerprint() -> str:
    """A hash of the engine's source code: any change to a rule changes every key."""
    digest = hashlib.sha256()
    for name, data in _engine_files():
        digest.update(name.encode())
        digest.update(b"\x1f")
        digest.update(data)
    return digest.hexdigest()


def _engine_files() -> list[tuple[str, bytes]]:
    """(name, bytes) of every file the fingerprint covers, in a fixed order: the engine package's files (code,
    and any data it ships) and :data:`_ALSO`."""
    root = resources.files("checks")
    found: list[tuple[str, bytes]] = []

    def walk(folder: Traversable, prefix: str) -> None:
        for entry in sorted(folder.iterdir(), key=lambda e: e.name):
            if entry.name == "__pycache__" or entry.name.startswith("."):
                continue
            if entry.is_dir():
                walk(entry, f"{prefix}{entry.name}/")
            elif not entry.name.endswith((".pyc", ".pyo")):
                found.append((f"{prefix}{entry.name}", entry.read_bytes()))

    walk(resources.files(_ENGINE_PACKAGE), "engine/")
    for name in _ALSO:
        found.append((name, root.joinpath(name).read_bytes()))
    return found


class VerdictCache:
    """Verdicts by key, in one SQLite file. Open it with :meth:`open`; it rebuilds itself when corrupt."""

    def __init__(
        self,
        path: Path,
        connection: sqlite3.Connection,
        share: tuple[int, int] = (0, 1),
        progress: Progress = QUIET,
    ) -> None:
        self.path = path
        self.progress = progress
        self._db = connection
        self._pending: dict[str, SourceVerdict] = {}
        self._share = share
        self.hits = 0
        self.misses = 0
        self.terms_computed = 0

    @classmethod
    def open(cls, path: Path, *, share: tuple[int, int] = (0, 1), progress: Progress = QUIET) -> VerdictCache:
        """``share``: this process's number and the number of processes of the run (xdist workers), which
        split the indexing of new sources between them (see :meth:`source_terms`)."""
        number, processes = share
        if not 0 <= number < processes:
            raise ValueError(f"process {number} of {processes}")
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            return cls(path, _connect(path), share, progress)
        except sqlite3.DatabaseError:
            for leftover in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
                leftover.unlink(missing_ok=True)
            return cls(path, _connect(path), share, progress)

    def close(self) -> None:
        try:
            self.flush()
        finally:
            self._db.close()

    def flush(self) -> None:
        """Write the verdicts computed since the last flush, in one transaction."""
        if not self._pending:
            return
        rows = [(key, verdict.model_dump_json()) for key, verdict in self._pending.items()]
        with _transaction(self._db):
            self._db.executemany("INSERT OR REPLACE INTO verdicts (key, value) VALUES (?, ?)", rows)
        self._pending.clear()

    def check_claim(
        self, engine: Engine, claim: Claim, sources: Sequence[Source], *, aliases: AliasTable | None = None
    ) -> Verdicts:
        """The same as ``engine.check_claim``, answered from the cache where the inputs are unchanged.

        Only the sources the engine reads are cached: the others are screened out by the index across
        sources faster than a cache lookup.
        """

        aliases = engine.aliases if aliases is None else aliases
        config = engine.thresholds

        def decide(
            claim: Claim, positions: list[int], read: Callable[[list[int]], list[SourceVerdict]]
        ) -> dict[int, SourceVerdict]:
            base = _claim_key(claim, aliases, config, engine.mode)
            keys = {i: _key(base, sources[i]) for i in positions}
            found = self._get(list(keys.values()))
            missing = [i for i in positions if keys[i] not in found]
            self.hits += len(positions) - len(missing)
            self.misses += len(missing)
            if missing:
                computed = read(missing)
                fresh = {keys[i]: verdict for i, verdict in zip(missing, computed, strict=True)}
                self._put(fresh)
                found.update(fresh)
            return {i: found[key] for i, key in keys.items()}

        return engine.screen_claim(claim, sources, aliases=aliases, decide=decide, terms=self.source_terms)

    def source_terms(self, sources: Sequence[Source], aliases: AliasTable) -> list[frozenset[str]]:
        """Each source's key terms (what the index across sources is built from), from the cache where the
        source and the engine are unchanged: a re-run after a corpus update indexes only the new sources.

        The processes of a run share the work: each indexes its own share of the sources not in the cache
        and stores it at once, then takes the others' shares from the cache, indexing itself (from the end)
        whatever no other process has stored yet. So no source is indexed twice unless a process falls
        behind, and a process that never comes (a worker without claims) delays no one.
        """
        keys = [_terms_key(source, aliases) for source in sources]
        stored = self._stored_terms(keys)
        missing = [i for i, key in enumerate(keys) if key not in stored]
        number, processes = self._share
        mine = missing[number::processes]
        theirs = [i for k, i in enumerate(missing) if k % processes != number]
        with self.progress.bar(len(missing), what="indexing sources") as advance:
            self._index_terms(sources, aliases, keys, mine, stored, advance)
            while theirs:
                stored.update(self._stored_terms([keys[i] for i in theirs]))
                theirs = [i for i in theirs if keys[i] not in stored]
                batch, theirs = theirs[-_STEAL:], theirs[:-_STEAL]
                self._index_terms(sources, aliases, keys, batch[::-1], stored, advance)
        return [stored[key] for key in keys]

    def _stored_terms(self, keys: list[str]) -> dict[str, frozenset[str]]:
        stored: dict[str, frozenset[str]] = {}
        for start in range(0, len(keys), 500):
            chunk = keys[start : start + 500]
            marks = ",".join("?" * len(chunk))
            for key, value in self._db.execute(f"SELECT key, value FROM terms WHERE key IN ({marks})", chunk):
                terms = _decode_terms(value)
                if terms is not None:  # else recomputed and overwritten
                    stored[key] = terms
        return stored

    def _index_terms(
        self,
        sources: Sequence[Source],
        aliases: AliasTable,
        keys: list[str],
        positions: list[int],
        stored: dict[str, frozenset[str]],
        advance: Callable[[int], object],
    ) -> None:
        """Index the sources at ``positions`` and store their terms at once, for the other processes."""
        if not positions:
            return
        fresh = {}
        for i in positions:
            fresh[keys[i]] = source_terms(sources[i], aliases)
            advance(1)
        self.terms_computed += len(fresh)
        with _transaction(self._db):
            self._db.executemany(
                "INSERT OR REPLACE INTO terms (key, value) VALUES (?, ?)",
                [(key, _encode_terms(terms)) for key, terms in fresh.items()],
            )
        stored.update(fresh)

    def _get(self, keys: list[str]) -> dict[str, SourceVerdict]:
        found = {key: self._pending[key] for key in keys if key in self._pending}
        broken: list[str] = []
        stored = [key for key in keys if key not in found]
        for start in range(0, len(stored), 500):
            chunk = stored[start : start + 500]
            marks = ",".join("?" * len(chunk))
            for key, value in self._db.execute(f"SELECT key, value FROM verdicts WHERE key IN ({marks})", chunk):
                try:
                    found[key] = SourceVerdict.model_validate_json(value)
                except ValidationError:
                    broken.append(key)
        if broken:
            with _transaction(self._db):
                self._db.executemany("DELETE FROM verdicts WHERE key = ?", [(k,) for k in broken])
        return found

    def _put(self, verdicts: dict[str, SourceVerdict]) -> None:
        # Written in batches: a transaction per claim costs more than the claim's verdicts (WAL commits).
        self._pending.update(verdicts)
        if len(self._pending) >= _BATCH:
            self.flush()


@contextmanager
def _transaction(db: sqlite3.Connection) -> Iterator[None]:
    """One transaction (the connection autocommits each statement otherwise, a WAL commit per row)."""
    db.execute("BEGIN IMMEDIATE")
    try:
        yield
    except BaseException:
        db.execute("ROLLBACK")
        raise
    db.execute("COMMIT")


def _connect(path: Path) -> sqlite3.Connection:
    db = sqlite3.connect(path, timeout=30, isolation_level=None, check_same_thread=False)
    try:
        db.execute("PRAGMA busy_timeout = 30000")
        if db.execute("PRAGMA quick_check").fetchone()[0] != "ok":
            raise sqlite3.DatabaseError("integrity check failed")
        db.execute("PRAGMA journal_mode = WAL")
        db.execute("PRAGMA synchronous = NORMAL")
        db.execute("CREATE TABLE IF NOT EXISTS meta (name TEXT PRIMARY KEY, value TEXT NOT NULL)")
        # Rowid tables: rows of a few hundred bytes insert faster than in WITHOUT ROWID trees.
        db.execute("CREATE TABLE IF NOT EXISTS verdicts (key TEXT PRIMARY KEY, value TEXT NOT NULL)")
        db.execute("CREATE TABLE IF NOT EXISTS terms (key TEXT PRIMARY KEY, value TEXT NOT NULL)")
        row = db.execute("SELECT value FROM meta WHERE name = 'schema'").fetchone()
        if row is None:
            db.execute("INSERT OR IGNORE INTO meta (name, value) VALUES ('schema', ?)", (str(_SCHEMA),))
        elif row[0] != str(_SCHEMA):
            raise sqlite3.DatabaseError(f"cache schema {row[0]}, expected {_SCHEMA}")
    except sqlite3.DatabaseError:
        db.close()
        raise
    return db


def _claim_key(claim: Claim, aliases: AliasTable, config: Thresholds, mode: str) -> str:
    parts = [
        engine_fingerprint(),
        config.model_dump_json(),
        mode,
        aliases.key,
        json.dumps([claim.text, claim.alternatives]),
    ]
    return hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()


def _key(claim_key: str, source: Source) -> str:
    return hashlib.sha256(f"{claim_key}\x1f{_source_part(source)}".encode()).hexdigest()


def _encode_terms(terms: frozenset[str]) -> str:
    """``count:term term ...``: the count tells a complete row from a damaged one (terms hold no spaces)."""
    return f"{len(terms)}:{' '.join(sorted(terms))}"


def _decode_terms(value: object) -> frozenset[str] | None:
    count, sep, text = value.partition(":") if isinstance(value, str) else ("", "", "")
    terms = frozenset(text.split())
    return terms if sep and count == str(len(terms)) else None


def _terms_key(source: Source, aliases: AliasTable) -> str:
    key = f"terms\x1f{engine_fingerprint()}\x1f{aliases.key}\x1f{_source_part(source)}"
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


@lru_cache(maxsize=1 << 17)
def _source_part(source: Source) -> str:
    """Everything of a source a verdict depends on: id, story, text hash, metadata, sections."""
    parts = [source.id, source.story, source.sha256, source.metadata.model_dump_json(), repr(source.sections)]
    return hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()
