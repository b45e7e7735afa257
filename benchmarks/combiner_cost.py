"""What the learned combiner costs: the FNC-1 cross product (headlines × every body) through the engine in rules
mode (the baseline, measured in the same run) and in learned mode.

    python benchmarks/combiner_cost.py [--headlines 200] [--bodies 1683] [--repeat 3]

Both modes run on the same sources, each with a fresh Engine (sources prepared inside the timing, as a cold
`pytest features/` run does), alternately, best of ``--repeat``. Prints the seconds and the ratio learned / rules
(the issue's budget: at most 1.5×), and how many pairs each mode read.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from fnc1 import data_dir, load_bodies, load_pairs, machine

from checks.engine import Engine
from checks.evaluation import source_for


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--headlines", type=int, default=200)
    parser.add_argument("--bodies", type=int, default=1683)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    data = data_dir()
    bodies = sorted(load_bodies(data).items())[: args.bodies]
    headlines = sorted({pair.headline for pair in load_pairs(data)})[: args.headlines]
    sources = tuple(source_for(f"b{body_id}", text, None) for body_id, text in bodies)
    best: dict[str, float] = {}
    read: dict[str, int] = {}
    for _ in range(args.repeat):
        for mode in ("rules", "learned"):
            engine = Engine(mode=mode)  # type: ignore[arg-type]
            start = time.perf_counter()
            verdicts = [engine.check_claim(h, sources) for h in headlines]
            took = time.perf_counter() - start
            best[mode] = min(best.get(mode, took), took)
            read[mode] = sum(len(v.read) for v in verdicts)
    print(machine())
    print(f"{len(headlines)} headlines × {len(sources)} bodies, best of {args.repeat}")
    for mode in ("rules", "learned"):
        print(f"  {mode:8} {best[mode]:7.2f} s   pairs read: {read[mode]:,}")
    print(f"  learned / rules: {best['learned'] / best['rules']:.2f}×  (budget 1.5×)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
