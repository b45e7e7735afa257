"""Shared fixtures: tiny corpora written on the fly, the shipped seed corpus, golden-file updates."""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import HealthCheck, Phase, settings

from checks.corpus.load import Corpus, load_corpus

pytest_plugins = ["pytester"]

# Hypothesis, deterministic by default: the same examples on every run and every machine (derandomize), no
# example database carried between runs, no deadline (a busy CI runner must not fail a property). A property
# that fails, fails for a reason that reproduces. `HYPOTHESIS_PROFILE=explore` searches with fresh random seeds.
settings.register_profile(
    "deterministic",
    derandomize=True,
    database=None,
    deadline=None,
    print_blob=True,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.register_profile("explore", deadline=None, phases=list(Phase), suppress_health_check=[HealthCheck.too_slow])
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "deterministic"))

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "corpus"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-goldens",
        action="store_true",
        default=False,
        help="rewrite tests/goldens/ from the current output instead of comparing",
    )


@pytest.fixture(autouse=True)
def _cache_key_home(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """The verdict cache's key file goes to a temporary folder, never to the user's own ~/.config."""
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path_factory.getbasetemp() / "config-home"))
    monkeypatch.delenv("CHECKS_CACHE_KEY", raising=False)


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


@pytest.fixture(scope="session")
def artifacts(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Where tests leave files for people to look at (browser screenshots): ``$CHECKS_TEST_ARTIFACTS`` when set
    (CI uploads it), else pytest's temporary folder. Never the project's own ``reports/``."""
    chosen = os.environ.get("CHECKS_TEST_ARTIFACTS")
    folder = Path(chosen) if chosen else tmp_path_factory.mktemp("artifacts")
    folder.mkdir(parents=True, exist_ok=True)
    return folder
