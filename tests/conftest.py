"""Shared fixtures: tiny corpora written on the fly, the shipped seed corpus, golden-file updates."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from pathlib import Path

import pytest

from checks.corpus import Corpus, load_corpus

pytest_plugins = ["pytester"]

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "corpus"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-goldens",
        action="store_true",
        default=False,
        help="rewrite tests/goldens/ from the current output instead of comparing",
    )


@pytest.fixture(scope="session")
def seed_corpus() -> Corpus:
    return load_corpus(SEED)


WriteSource = Callable[..., Path]


@pytest.fixture
def write_source(tmp_path: Path) -> WriteSource:
    """Write ``<root>/<story>/<id>.txt`` and ``.json``; return the corpus root."""
    root = tmp_path / "corpus"

    def write(
        story: str, source_id: str, text: str | bytes, meta: dict[str, object] | None = None, *, sha: bool = False
    ) -> Path:
        folder = root / story
        folder.mkdir(parents=True, exist_ok=True)
        data = text.encode("utf-8") if isinstance(text, str) else text
        (folder / f"{source_id}.txt").write_bytes(data)
        metadata = dict(meta or {"published": "2025-03-17"})
        if sha:
            metadata["sha256"] = hashlib.sha256(data).hexdigest()
        (folder / f"{source_id}.json").write_text(json.dumps(metadata), encoding="utf-8")
        return root

    return write
