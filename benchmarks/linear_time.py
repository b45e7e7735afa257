"""Pathological text, timed: every parser runs in time linear in its input, regular expressions included.

``python benchmarks/linear_time.py`` doubles inputs built to trip backtracking (long runs of punctuation, digits,
separators, repeated patterns) and prints, per parser and input, the time ratio large/small (about 2 when linear;
4 or more is quadratic). A benchmark, not a test: wall-clock ratios vary on a busy machine. The test suite's
deterministic version counts interpreted work instead (tests/test_pathological.py)."""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.test_pathological import PARSERS, UNITS


def _cost(parse: Callable[[str], object], text: str) -> float:
    best = float("inf")
    for _ in range(3):
        started = time.perf_counter()
        parse(text)
        best = min(best, time.perf_counter() - started)
    return best


def main() -> int:
    slow = []
    print(f"{'parser':22} {'worst unit':14} {'small s':>9} {'large s':>9} {'ratio':>6}")
    for parser, parse in PARSERS.items():
        size = 4_000 if parser in ("engine", "sections") else 20_000
        worst = ("", 0.0, 0.0, 0.0)
        for unit in UNITS:
            small, large = _cost(parse, unit * (size // len(unit))), _cost(parse, unit * (2 * size // len(unit)))
            ratio = large / small if small else 0.0
            if ratio > worst[3]:
                worst = (unit, small, large, ratio)
            if large > small * 3.5 + 0.005:
                slow.append(f"{parser} on {unit!r}")
        print(f"{parser:22} {worst[0]!r:14} {worst[1]:9.4f} {worst[2]:9.4f} {worst[3]:6.2f}")
    print("superlinear: " + (", ".join(slow) if slow else "none"))
    return 1 if slow else 0


if __name__ == "__main__":
    raise SystemExit(main())
