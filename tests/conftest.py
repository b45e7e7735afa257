"""Shared fixtures: tiny corpora written on the fly, the shipped seed corpus, golden-file updates."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from pathlib import Path

import pytest

from checks.corpus.load import Corpus, load_corpus

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


FEATURE = """\
Feature: Tiny story
  Background:
    Given the sources of story "tiny"

  @id:rates
  Scenario: Rates went up
    Then every source supports "The central bank raised interest rates"

  Scenario: Wrong direction
    Then no source supports "The central bank cut interest rates"
"""


@pytest.fixture
def project(pytester: pytest.Pytester) -> pytest.Pytester:
    """A project with a two-source corpus and a feature file."""
    corpus = pytester.path / "corpus" / "tiny"
    corpus.mkdir(parents=True)
    for source_id, text in {
        "wire": "The central bank raised interest rates on Tuesday.\n",
        "paper": "On Tuesday the central bank raised interest rates again.\n",
    }.items():
        (corpus / f"{source_id}.txt").write_text(text, encoding="utf-8")
        (corpus / f"{source_id}.json").write_text(json.dumps({"published": "2025-03-17"}), encoding="utf-8")
    features = pytester.path / "features"
    features.mkdir()
    (pytester.path / "pyproject.toml").write_text("[tool.checks]\n", encoding="utf-8")
    (features / "tiny.feature").write_text(FEATURE, encoding="utf-8")
    return pytester
