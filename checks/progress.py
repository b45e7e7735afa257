"""Progress bars for long runs (tqdm): on a terminal only, never in CI.

A bar appears only when the work lasts more than a second, on a stream that is a terminal, and not when
``CI`` is set to true. ``CHECKS_PROGRESS=1`` forces bars on (at once, however short the work), ``=0`` off.
The pytest plugin points :func:`use_stream` at the terminal past pytest's output capture.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterable, Iterator, Sized
from contextlib import contextmanager
from typing import Protocol, TypeVar

from tqdm import tqdm  # type: ignore[import-untyped]

__all__ = ["enabled", "progress", "progress_bar", "use_stream"]

T = TypeVar("T")


class Stream(Protocol):
    def write(self, text: str, /) -> int: ...
    def flush(self) -> None: ...
    def isatty(self) -> bool: ...


_stream: Stream | None = None
_silent = False


def use_stream(stream: Stream | None, *, silent: bool = False) -> None:
    """Draw bars on ``stream`` (``None``: standard error), or nowhere when ``silent`` (pytest-xdist workers,
    whose controller shows the progress)."""
    global _stream, _silent
    _stream, _silent = stream, silent


def enabled(stream: Stream) -> bool:
    if _silent:
        return False
    forced = os.environ.get("CHECKS_PROGRESS", "").strip()
    if forced in {"0", "1"}:
        return forced == "1"
    if os.environ.get("CI", "").strip().lower() in {"1", "true", "yes"}:
        return False
    try:
        return stream.isatty()
    except (OSError, ValueError):
        return False


def progress(items: Iterable[T], *, what: str, total: int | None = None) -> Iterator[T]:
    """``items``, with a bar saying ``what`` is being done when that takes a while on a terminal."""
    stream = _stream or sys.stderr
    if not enabled(stream):
        yield from items
        return
    if total is None and isinstance(items, Sized):
        total = len(items)
    delay = 0.0 if _forced() else 1.0
    yield from tqdm(items, desc=what, total=total, file=stream, delay=delay, leave=False, dynamic_ncols=True)


@contextmanager
def progress_bar(total: int, *, what: str) -> Iterator[Callable[[int], object]]:
    """A bar for ``total`` units of work done in steps: yields ``advance(units)``."""
    stream = _stream or sys.stderr
    if not total or not enabled(stream):
        yield lambda _units: None
        return
    delay, every = (0.0, 0.0) if _forced() else (1.0, 0.1)  # forced: draw every step (tests, debugging)
    with tqdm(
        desc=what, total=total, file=stream, delay=delay, mininterval=every, leave=False, dynamic_ncols=True
    ) as bar:
        yield bar.update


def _forced() -> bool:
    return os.environ.get("CHECKS_PROGRESS", "").strip() == "1"
