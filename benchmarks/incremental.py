"""Re-running after a corpus update with the verdict cache (the B3 scenario, at a size this machine runs quickly).

    python benchmarks/incremental.py [--claims 50] [--bodies 1683]

FNC-1 headlines are the claims and FNC-1 bodies the sources. Measured in the same run:
  1. cold: every claim × source through the engine, filling an empty cache (the baseline);
  2. warm: the same again, answered from the cache;
  3. one source added: the update a CI gate sees, where only the new source's pairs are checked.
Prints the machine, the figures and the ratios against the cold run.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from fnc1 import body_source, data_dir, load_bodies, load_pairs, machine

from checks.cache import VerdictCache
from checks.config import Thresholds
from checks.engine import Engine
from checks.engine.normalize import AliasTable
from checks.models import Claim, Source
from checks.reports.tables import text_table

ENGINE = Engine(AliasTable(), Thresholds())
"""One engine for every run, as one pytest process keeps one: its index and prepared sources carry over."""


def run(cache: VerdictCache, claims: list[str], sources: list[Source]) -> float:
    engine = ENGINE
    started = time.perf_counter()
    for claim in claims:
        cache.check_claim(engine, Claim(claim), sources)
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--claims", type=int, default=50)
    parser.add_argument("--bodies", type=int, default=1683)
    args = parser.parse_args()
    path = data_dir()
    bodies = sorted(load_bodies(path).items())[: args.bodies + 1]
    headlines = sorted({pair.headline for pair in load_pairs(path)})[: args.claims]
    sources = [body_source(body_id, text) for body_id, text in bodies[:-1]]
    added = body_source(*bodies[-1])
    with tempfile.TemporaryDirectory() as tmp:
        cache = VerdictCache.open(Path(tmp) / "verdicts.sqlite")
        cold = run(cache, headlines, sources)
        warm = run(cache, headlines, sources)
        before = cache.misses
        update = run(cache, headlines, [*sources, added])
        rechecked = cache.misses - before
        cache.close()  # writes the last batch of verdicts
        size = (Path(tmp) / "verdicts.sqlite").stat().st_size
    pairs = len(headlines) * len(sources)
    print(f"verdict cache: {len(headlines)} claims × {len(sources)} sources ({pairs:,} pairs) · machine: {machine()}")
    print(text_table(
        ["run", "seconds", "pairs checked by the engine", "vs cold"],
        [["cold (empty cache, baseline)", f"{cold:.2f}", f"{pairs:,}", "1.0×"],
         ["warm (nothing changed)", f"{warm:.2f}", "0", f"{cold / warm:.1f}× faster"],
         ["one source added", f"{update:.2f}", f"{rechecked:,}", f"{cold / update:.1f}× faster"]],
    ))  # fmt: skip
    print(f"cache file: {size / 1e6:.1f} MB")


if __name__ == "__main__":
    main()
