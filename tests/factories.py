"""Shared builders for the tests: sources in memory, projects on disk, results without their run times."""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from checks.corpus.sections import split_sections
from checks.engine.normalize import (
    DOWNWARD,
    HEDGES,
    NEGATIONS,
    STOPWORDS,
    UPWARD,
    debunk_cues,
    normalize_text,
    polarity_cues,
    tokenize,
)
from checks.engine.values import extract_values
from checks.models import Section, SectionKind, Source, SourceMetadata

ROOT = Path(__file__).resolve().parents[1]
RUN_TIME_FIELDS = ("started", "finished", "duration_seconds")
"""The fields of ``results.json`` that differ between two runs of the same input: these under ``run``, and each
scenario's ``duration_seconds``."""
ACTIVATE = "[tool.checks]\n"
"""The smallest ``pyproject.toml`` that asks for the harness."""


def make_source(
    text: str,
    source_id: str = "s",
    *,
    story: str = "story",
    published: str | None = "2025-03-17",
    body_only: bool = False,
    sha256: str | None = None,
) -> Source:
    """A source of ``text`` in memory; with ``body_only``, all of it is body (no section heuristics)."""
    sections = (Section(SectionKind.BODY, 0, len(text)),) if body_only else split_sections(text)
    digest = sha256 if sha256 is not None else hashlib.sha256(text.encode("utf-8")).hexdigest()
    return Source(
        source_id, story, text, SourceMetadata(published=published), sections, f"{story}/{source_id}.txt", digest
    )


def seed_project(pytester: pytest.Pytester) -> pytest.Pytester:
    """A copy of the shipped seed corpus and features, asking for the harness."""
    shutil.copytree(ROOT / "corpus", pytester.path / "corpus")
    shutil.copytree(ROOT / "features", pytester.path / "features", ignore=shutil.ignore_patterns("__pycache__"))
    (pytester.path / "pyproject.toml").write_text(ACTIVATE, encoding="utf-8")
    return pytester


def stable_results(path: Path) -> dict[str, Any]:
    """``results.json`` without the fields that differ from run to run."""
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    for field in RUN_TIME_FIELDS:
        data["run"].pop(field)
    for scenario in data["scenarios"]:
        scenario.pop("duration_seconds", None)
    return data


_CUES = STOPWORDS | NEGATIONS | HEDGES | UPWARD | DOWNWARD


def is_plain_word(word: str) -> bool:
    """A word that is only a word to the engine: no stopword, negation, hedge, denial or direction, no debunking
    cue, no number word, and nothing that joins a number beside it into another value ("2 million", "3 march").
    Property tests build sentences of these, so that a property's premise holds for every example."""
    normalized = normalize_text(word)
    if word in _CUES or debunk_cues(normalized) or polarity_cues(normalized, tokenize(normalized)):
        return False
    if extract_values(normalized):
        return False
    for beside in (f"5 {normalized}", f"{normalized} 5"):
        if [(v.kind, v.amount) for v in extract_values(beside)] != [(extract_values("5")[0].kind, 5.0)]:
            return False
    return True


def run_features(project: pytest.Pytester, *args: str) -> tuple[int, str]:
    """``pytest features/`` in the project, in-process: its exit code and output (never a traceback)."""
    result = project.runpytest("features/", *args)
    output = result.stdout.str() + result.stderr.str()
    assert "Traceback" not in output
    return int(result.ret), output


def run_validate(project: pytest.Pytester, capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    """``checks validate`` in the project: its exit code and output (never a traceback)."""
    from checks.cli import main

    capsys.readouterr()
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(project.path)
        code = main(["validate"])
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    return code, out + err
