"""An incremental verdict cache in SQLite (``.checks-cache/verdicts.sqlite``): re-runs after a corpus update
re-check only the claim × source pairs whose inputs changed.

The key of a verdict is a SHA-256 over everything it depends on: the engine's own code (a fingerprint of its
modules, so a changed rule can never be answered from the cache), the thresholds, the alias table, the claim
with its declared alternatives, and the source (id, text hash and metadata). A stale result is therefore never
returned.

The cache is untrusted input (a CI cache restored from an earlier run, a file in a pull request): every stored
answer carries an HMAC-SHA256 over its key and value, keyed by a secret that lives outside the cache folder
(:func:`cache_secret`: ``$CHECKS_CACHE_KEY``, or a per-user key file created on first use). A row whose MAC does
not verify, or that does not parse, is a miss, never an answer. A database that fails SQLite's integrity check,
carries any schema object the harness did not create (a trigger, a view, another table or index, a CHECK
constraint, a table without its key index) or another schema version is not read at all: it is thrown away and
rebuilt, with a warning. Any SQLite or disk error while the run uses the cache (a full disk, a locked or
unwritable file) turns the cache off for the rest of the run, with a warning: the verdicts are computed, never
lost, and the run never fails because of its cache.
Each source's key terms (what the index across sources is built from) are kept the same way, keyed by the
engine, the alias table and the source, so a re-run indexes only new or changed sources.
Several processes (pytest-xdist workers) share one file: WAL journal, busy timeout, one transaction per batch
of new verdicts (a process that dies before closing the cache loses only its unwritten verdicts).
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import json
import os
import secrets
import sqlite3
import tempfile
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from functools import lru_cache
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path

from pydantic import ValidationError

from checks.config import Thresholds
from checks.engine.matching import source_terms
from checks.engine.normalize import AliasTable, look_alikes_version
from checks.engine.screen import Engine
from checks.models import Claim, Source, SourceVerdict, Verdicts
from checks.progress import QUIET, Progress

__all__ = ["CacheUnavailable", "VerdictCache", "cache_secret", "engine_fingerprint"]

_ENGINE_PACKAGE = "checks.engine"
"""Every file of this package is part of the fingerprint, found by listing it: a module added to the engine
changes every key without anyone remembering to list it."""
_ALSO = ("models.py", "config.py", "verdicts.py", "corpus/sections.py")
"""Modules outside the engine package that a verdict depends on (the data models, thresholds, sections)."""
_SCHEMA = 3
_TABLES = {
    "meta": "CREATE TABLE meta (name TEXT PRIMARY KEY, value TEXT NOT NULL)",
    # Rowid tables: rows of a few hundred bytes insert faster than in WITHOUT ROWID trees.
    "verdicts": "CREATE TABLE verdicts (key TEXT PRIMARY KEY, value TEXT NOT NULL, mac TEXT NOT NULL)",
    "terms": "CREATE TABLE terms (key TEXT PRIMARY KEY, value TEXT NOT NULL, mac TEXT NOT NULL)",
}
"""Every schema object a cache may hold, exactly as created (plus each table's primary-key index)."""
_SCHEMA_OBJECTS = {("table", name, sql) for name, sql in _TABLES.items()} | {
    ("index", f"sqlite_autoindex_{name}_1", None) for name in _TABLES
}
_KEY_ENV = "CHECKS_CACHE_KEY"
_BATCH = 5_000
"""Verdicts written per transaction (and at :meth:`VerdictCache.close`)."""
_STEAL = 100
"""Sources of other processes' shares indexed between two looks at what they have stored."""


@lru_cache(maxsize=1)
def engine_fingerprint() -> str:
    """A hash of the engine's source code: any change to a rule changes every key."""
    digest = hashlib.sha256(f"confusables {look_alikes_version()}".encode())
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


class CacheUnavailable(Exception):
    """The cache cannot be used in this run (its folder is not writable, no secret can be had): run without it."""


def cache_secret(cache_folder: Path) -> bytes:
    """The key of the cache's MACs: ``$CHECKS_CACHE_KEY`` when set (CI: a repository secret, so that a cache
    restored on another runner is trusted only by runs that know it), else a random key in
    ``$XDG_CONFIG_HOME/checks/cache-key`` (``~/.config/…``), created on first use, readable by its owner only.

    Raises :class:`CacheUnavailable` when the key file would live inside the cache folder (whoever can write the
    cache could then forge its MACs) or cannot be read or created.
    """
    given = os.environ.get(_KEY_ENV)
    if given:
        return hashlib.sha256(b"checks-cache-key\x1f" + given.encode("utf-8")).digest()
    base = os.environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    path = Path(base) / "checks" / "cache-key"
    if path.resolve().is_relative_to(cache_folder.resolve()):
        raise CacheUnavailable(f"the cache key {path} would live inside the cache folder; set {_KEY_ENV}")
    try:
        return _read_or_create_key(path)
    except OSError as exc:
        raise CacheUnavailable(f"no cache key ({path}: {exc.strerror or exc}); set {_KEY_ENV}") from None


def _read_or_create_key(path: Path) -> bytes:
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".cache-key.")
        try:
            os.write(fd, secrets.token_hex(32).encode("ascii"))
            os.fsync(fd)
            os.close(fd)
            with contextlib.suppress(FileExistsError):  # another process made it first: use theirs
                os.link(tmp, path)
        finally:
            os.unlink(tmp)
    key = path.read_bytes().strip()
    if len(key) < 32:
        raise OSError(0, "the key file is shorter than 32 characters")
    return key


class VerdictCache:
    """Verdicts by key, in one SQLite file. Open it with :meth:`open`; it rebuilds itself when corrupt or
    untrusted, and turns itself off (with a warning, in :attr:`warnings`) when SQLite or the disk fails."""

    def __init__(
        self,
        path: Path,
        connection: sqlite3.Connection,
        share: tuple[int, int] = (0, 1),
        progress: Progress = QUIET,
        *,
        secret: bytes = b"",
    ) -> None:
        self.path = path
        self.progress = progress
        self._db: sqlite3.Connection | None = connection
        self._secret = secret
        self._pending: dict[str, SourceVerdict] = {}
        self._share = share
        self.hits = 0
        self.misses = 0
        self.terms_computed = 0
        self.rejected = 0
        """Stored rows refused: their MAC did not verify or they did not parse."""
        self.warnings: list[str] = []

    @classmethod
    def open(
        cls,
        path: Path,
        *,
        share: tuple[int, int] = (0, 1),
        progress: Progress = QUIET,
        secret: bytes | None = None,
    ) -> VerdictCache:
        """``share``: this process's number and the number of processes of the run (xdist workers), which
        split the indexing of new sources between them (see :meth:`source_terms`). ``secret``: the MAC key
        (default :func:`cache_secret`). Raises :class:`CacheUnavailable` when the cache cannot be used."""
        number, processes = share
        if not 0 <= number < processes:
            raise ValueError(f"process {number} of {processes}")
        try:
            key = cache_secret(path.parent) if secret is None else secret
            path.parent.mkdir(parents=True, exist_ok=True)
            try:
                return cls(path, _connect(path), share, progress, secret=key)
            except sqlite3.DatabaseError as exc:
                for leftover in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
                    leftover.unlink(missing_ok=True)
                cache = cls(path, _connect(path), share, progress, secret=key)
                cache.warnings.append(f"verdict cache {path} was not used ({exc}): it was rebuilt")
                return cache
        except (OSError, sqlite3.Error) as exc:
            reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
            raise CacheUnavailable(f"verdict cache {path} cannot be used ({reason})") from None

    @property
    def enabled(self) -> bool:
        return self._db is not None

    def close(self) -> None:
        try:
            self.flush()
        finally:
            if self._db is not None:
                self._db.close()
                self._db = None

    def flush(self) -> None:
        """Write the verdicts computed since the last flush, in one transaction."""
        if not self._pending:
            return
        rows = [(key, value, self._mac(key, value)) for key, value in _dumped(self._pending)]
        self._pending.clear()
        self._write("INSERT OR REPLACE INTO verdicts (key, value, mac) VALUES (?, ?, ?)", rows)

    def _mac(self, key: str, value: str) -> str:
        return hmac.new(self._secret, f"{key}\x1f{value}".encode(), hashlib.sha256).hexdigest()

    def _verified(self, key: str, value: object, mac: object) -> str | None:
        """``value`` when its MAC verifies, else None (counted in :attr:`rejected`)."""
        if isinstance(value, str) and isinstance(mac, str) and hmac.compare_digest(self._mac(key, value), mac):
            return value
        self.rejected += 1
        return None

    def _disable(self, exc: BaseException) -> None:
        """Turn the cache off for the rest of the run: the verdicts are computed instead."""
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        self.warnings.append(f"verdict cache {self.path} turned off ({reason}); checking without it")
        db, self._db = self._db, None
        if db is not None:
            with contextlib.suppress(sqlite3.Error):
                db.close()

    def _write(self, statement: str, rows: list[tuple[str, str, str]]) -> None:
        if self._db is None or not rows:
            return
        try:
            with _transaction(self._db):
                self._db.executemany(statement, rows)
        except (sqlite3.Error, OSError) as exc:
            self._disable(exc)

    def _select(self, table: str, keys: list[str]) -> list[tuple[str, object, object]]:
        """(key, value, mac) of the stored rows among ``keys``; nothing once the cache is off."""
        found: list[tuple[str, object, object]] = []
        for start in range(0, len(keys), 500):
            if self._db is None:
                return found
            chunk = keys[start : start + 500]
            marks = ",".join("?" * len(chunk))
            try:
                found.extend(self._db.execute(f"SELECT key, value, mac FROM {table} WHERE key IN ({marks})", chunk))
            except (sqlite3.Error, OSError) as exc:
                self._disable(exc)
        return found

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
        for key, value, mac in self._select("terms", keys):
            verified = self._verified(key, value, mac)
            terms = _decode_terms(verified) if verified is not None else None
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
        rows = [(key, _encode_terms(terms)) for key, terms in fresh.items()]
        self._write(
            "INSERT OR REPLACE INTO terms (key, value, mac) VALUES (?, ?, ?)",
            [(k, v, self._mac(k, v)) for k, v in rows],
        )
        stored.update(fresh)

    def _get(self, keys: list[str]) -> dict[str, SourceVerdict]:
        found = {key: self._pending[key] for key in keys if key in self._pending}
        for key, value, mac in self._select("verdicts", [key for key in keys if key not in found]):
            verified = self._verified(key, value, mac)
            if verified is None:
                continue
            try:
                found[key] = SourceVerdict.model_validate_json(verified)
            except ValidationError:
                self.rejected += 1
        return found

    def _put(self, verdicts: dict[str, SourceVerdict]) -> None:
        # Written in batches: a transaction per claim costs more than the claim's verdicts (WAL commits).
        if self._db is None:
            return
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
        db.execute("PRAGMA trusted_schema = OFF")
        _check_schema(db)
        if db.execute("PRAGMA quick_check").fetchone()[0] != "ok":
            raise sqlite3.DatabaseError("integrity check failed")
        db.execute("PRAGMA journal_mode = WAL")
        db.execute("PRAGMA synchronous = NORMAL")
        for sql in _TABLES.values():
            db.execute(sql.replace("CREATE TABLE", "CREATE TABLE IF NOT EXISTS", 1))
        row = db.execute("SELECT value FROM meta WHERE name = 'schema'").fetchone()
        if row is None:
            db.execute("INSERT OR IGNORE INTO meta (name, value) VALUES ('schema', ?)", (str(_SCHEMA),))
        elif row[0] != str(_SCHEMA):
            raise sqlite3.DatabaseError(f"cache schema {row[0]}, expected {_SCHEMA}")
    except sqlite3.DatabaseError:
        db.close()
        raise
    return db


def _check_schema(db: sqlite3.Connection) -> None:
    """Refuse a database holding anything the harness did not create (module docstring), before reading it."""
    found = {(kind, name, sql) for kind, name, sql in db.execute("SELECT type, name, sql FROM sqlite_master")}
    unexpected = sorted(found - _SCHEMA_OBJECTS, key=lambda o: (str(o[0]), str(o[1])))
    if unexpected:
        kind, name, _ = unexpected[0]
        more = f" and {len(unexpected) - 1} more" if len(unexpected) > 1 else ""
        raise sqlite3.DatabaseError(f"it holds a {kind} {name!r} the harness did not create{more}")
    tables = {name for kind, name, _ in found if kind == "table"}
    missing = [f"sqlite_autoindex_{t}_1" for t in tables if ("index", f"sqlite_autoindex_{t}_1", None) not in found]
    if missing:
        raise sqlite3.DatabaseError(f"the index {missing[0]} is missing")


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


def _dumped(verdicts: dict[str, SourceVerdict]) -> list[tuple[str, str]]:
    return [(key, verdict.model_dump_json()) for key, verdict in verdicts.items()]


def _encoded(terms: dict[str, frozenset[str]]) -> list[tuple[str, str]]:
    return [(key, _encode_terms(value)) for key, value in terms.items()]


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
