"""Costs that grow with the corpus or the feature files, against the obvious quadratic way, in the same run.

    python benchmarks/bounded_costs.py [--sizes 4000 8000 16000]

- section overrides of one source (``checks validate`` and loading): the sweep in checks.corpus.sections against
  re-splitting every span for each override;
- evidence pieces of one source's view in the HTML report: the sweep in checks.reports.html against looking every
  mark up for every piece.

Prints seconds and the ratio (baseline / ours) per size; the tests count the work instead
(tests/test_pathological.py), this shows what it means in time.
"""

from __future__ import annotations

import argparse
import itertools
import sys
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from checks.corpus.sections import split_sections
from checks.reports.html import _spans
from tests.test_pathological import overrides_case
from tests.test_sections import _reference as _overrides_baseline  # the obvious way the property test checks


def _spans_baseline(text: str, marks: list[tuple[int, int, str, str, str, str]]) -> list[object]:
    cuts = sorted({0, len(text), *(m[0] for m in marks), *(m[1] for m in marks)})
    return [
        (text[lo:hi], [m for m in marks if m[0] <= lo and hi <= m[1]], [m for m in marks if m[0] == lo])
        for lo, hi in itertools.pairwise(cuts)
    ]


def _time(run: Callable[[], object]) -> float:
    start = time.perf_counter()
    run()
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[4000, 8000, 16000])
    args = parser.parse_args()
    print(f"{'case':<22} {'size':>6} {'baseline s':>11} {'ours s':>8} {'ratio':>7}")
    for size in args.sizes:
        text, overrides = overrides_case(size)
        ours = _time(partial(split_sections, text, overrides=overrides))
        base = _time(partial(_overrides_baseline, text, overrides))
        print(f"{'section overrides':<22} {size:>6} {base:>11.2f} {ours:>8.3f} {base / ours:>6.0f}x")
        source = "".join(f"Sentence {i} of the source. " for i in range(size))
        step = len(source) // size
        marks = [(i * step, i * step + step - 1, f"c{i}", f"r{i}", "supported", f"claim {i}") for i in range(size)]
        ours = _time(partial(lambda t, m: list(_spans(t, m)), source, marks))
        base = _time(partial(_spans_baseline, source, marks))
        print(f"{'HTML evidence pieces':<22} {size:>6} {base:>11.2f} {ours:>8.3f} {base / ours:>6.0f}x")


if __name__ == "__main__":
    main()
