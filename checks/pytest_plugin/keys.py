"""What the plugin keeps in ``config.stash`` and ``item.stash``: one key per value, typed."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from checks.cache import VerdictCache
from checks.config import Settings
from checks.corpus import Corpus
from checks.engine import Engine
from checks.progress import Progress
from checks.waivers import WaiverBook

__all__ = [
    "CACHE",
    "CACHE_NOTES",
    "CACHE_NOTE_KEY",
    "CACHE_PATH",
    "COLLECTED",
    "CORPUS",
    "CORPUS_PATH",
    "CURRENT_STEP",
    "ENGINE",
    "EXPECTED",
    "FAILURE_KIND",
    "LOOKUP_ERROR",
    "PROGRESS",
    "RESTORE_GC",
    "SETTINGS",
    "SOFT_FAILURES",
    "STEP_ERRORED",
    "STEP_FAILURE",
    "WAIVERS",
]

SETTINGS = pytest.StashKey[Settings]()
CORPUS_PATH = pytest.StashKey[Path]()
CORPUS = pytest.StashKey[Corpus]()
WAIVERS = pytest.StashKey[WaiverBook]()
PROGRESS = pytest.StashKey[Progress]()
ENGINE = pytest.StashKey[Engine]()
"""The engine of this process: its prepared sources and indexes serve every scenario."""
RESTORE_GC = pytest.StashKey[Callable[[], None]]()
"""Puts the garbage collector back as it was before the run (:mod:`checks.gcpolicy`)."""
EXPECTED = pytest.StashKey[dict[Path, str]]()
"""The feature files the lint found under the run's arguments (real path → name as reported)."""
COLLECTED = pytest.StashKey[set[Path]]()
"""The feature files pytest actually collected (real paths): every expected one must be among them."""
CACHE_PATH = pytest.StashKey[Path | None]()
"""The verdict cache folder, confined to the project; None when ``[tool.checks]`` turns the cache off."""
CACHE = pytest.StashKey[VerdictCache]()
"""This process's verdict cache, when the run uses one."""
CACHE_NOTES = pytest.StashKey[list[str]]()
"""Warnings about the verdict cache in this process (unusable, rebuilt, turned off), each sent once."""
CACHE_NOTE_KEY = "checks_cache_note"
"""``report.user_properties`` key of a cache warning, carried to the controller (with or without ``-n``). Not a
Python warning: a project's ``filterwarnings = error`` must not turn an unusable cache into a failed run."""
SOFT_FAILURES = pytest.StashKey[list[tuple[str, int, str]]]()
"""The claims of a scenario that did not hold, (step, line, message) in order: every claim step of a scenario is
evaluated, and the scenario fails once at its end with all of them (soft assertions)."""
STEP_FAILURE = pytest.StashKey[str]()
"""Why the step that just ran did not hold (its record says failed, though it raised nothing)."""
STEP_ERRORED = pytest.StashKey[bool]()
"""A step raised (a harness or feature error): its own error ends the scenario, not the soft failures."""
LOOKUP_ERROR = pytest.StashKey[str]()
"""Our message for a step that matches no definition (replaces pytest-bdd's)."""
CURRENT_STEP = pytest.StashKey[tuple[str, int]]()
"""The step being run (its text as written and its line), for the record the step writes."""
FAILURE_KIND = "checks_failure"
"""Report attribute (a :class:`checks.verdicts.FailureKind` value) set where the test ran, read by the controller:
an attribute, because reports cross from xdist workers to the controller and stashes do not."""
