"""Progress bars for long runs (tqdm): on a terminal only, never in CI.

A bar appears only when the work lasts more than a second, on a stream that is a terminal, and not when
``CI`` is set to true. ``CHECKS_PROGRESS=1`` forces bars on (at once, however short the work), ``=0`` off.
A :class:`Progress` is passed to whatever does long work (the engine, the corpus loader, the cache); the pytest
plugin makes one that draws on the terminal past pytest's output capture.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterable, Iterator, Sized
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Protocol, TypeVar

__all__ = ["QUIET", "Progress", "Stream"]

T = TypeVar("T")


class Stream(Protocol):
    def write(self, text: str, /) -> int: ...
    def flush(self) -> None: ...
    def isatty(self) -> bool: ...


@dataclass(frozen=True, slots=True)
class Progress:
    """Where bars are drawn: ``stream`` (``None``: standard error), or nowhere when ``silent`` (pytest-xdist
    workers, whose controller shows the progress)."""

    stream: Stream | None = None
    silent: bool = False

    def enabled(self) -> bool:
        if self.silent:
            return False
        forced = os.environ.get("CHECKS_PROGRESS", "").strip()
        if forced in {"0", "1"}:
            return forced == "1"
        if os.environ.get("CI", "").strip().lower() in {"1", "true", "yes"}:
            return False
        try:
            return self._stream().isatty()
        except (OSError, ValueError):
            return False

    def each(self, items: Iterable[T], *, what: str, total: int | None = None) -> Iterator[T]:
        """``items``, with a bar saying ``what`` is being done when that takes a while on a terminal."""
        if not self.enabled():
            yield from items
            return
        from tqdm import tqdm  # type: ignore[import-untyped]

        if total is None and isinstance(items, Sized):
            total = len(items)
        delay = 0.0 if _forced() else 1.0
        yield from tqdm(
            items, desc=what, total=total, file=self._stream(), delay=delay, leave=False, dynamic_ncols=True
        )

    @contextmanager
    def bar(self, total: int, *, what: str) -> Iterator[Callable[[int], object]]:
        """A bar for ``total`` units of work done in steps: yields ``advance(units)``."""
        if not total or not self.enabled():
            yield lambda _units: None
            return
        from tqdm import tqdm

        delay, every = (0.0, 0.0) if _forced() else (1.0, 0.1)  # forced: draw every step (tests, debugging)
        with tqdm(
            desc=what, total=total, file=self._stream(), delay=delay, mininterval=every, leave=False, dynamic_ncols=True
        ) as drawn:
            yield drawn.update

    def _stream(self) -> Stream:
        return self.stream if self.stream is not None else sys.stderr


QUIET = Progress(silent=True)
"""Draws nothing."""


def _forced() -> bool:
    return os.environ.get("CHECKS_PROGRESS", "").strip() == "1"
