"""B1: the FNC-1 training cross product through pytest, end to end, against brute-force cdist.

    python benchmarks/fnc1_cross.py [--headlines 1648] [--bodies 1683] [--skip-serial]

Writes a project in a temporary folder: every FNC-1 body as a source in the corpus format (``corpus/fnc1/``),
and one scenario per distinct headline with ``Then record what each source says about:``. Then, in the same run:
  1. baseline: ``rapidfuzz.process.cdist`` with ``token_set_ratio`` of every headline against every sentence of
     every body (scoring alone, one core: ``workers=1``, as the issue measured it);
  2. ``pytest features/`` from a cold start (empty verdict cache, fresh process), one core;
  3. the same with ``-n 2`` (pytest-xdist, both cores).
Prints the machine, the figures and the ratios against the baseline.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from fnc1 import data_dir, load_bodies, load_pairs, machine
from rapidfuzz import fuzz, process

from checks.corpus.sections import split_sections
from checks.engine.sentences import split_sentences
from checks.reports.tables import text_table


def write_project(root: Path, headlines: list[str], bodies: list[tuple[str, str]]) -> None:
    story = root / "corpus" / "fnc1"
    story.mkdir(parents=True)
    for body_id, text in bodies:
        (story / f"body-{body_id}.txt").write_text(text, encoding="utf-8")
        (story / f"body-{body_id}.json").write_text(json.dumps({"publisher": "FNC-1"}), encoding="utf-8")
    features = root / "features"
    features.mkdir()
    lines = ["Feature: FNC-1 cross product", "  Background:", '    Given the sources of story "fnc1"', ""]
    for number, headline in enumerate(headlines, 1):
        claim = " ".join(headline.replace('"""', "'''").split())
        lines += [
            f"  Scenario: headline {number}",
            "    Then record what each source says about:",
            '      """',
            f"      {claim}",
            '      """',
            "",
        ]
    (features / "fnc1.feature").write_text("\n".join(lines), encoding="utf-8")
    (root / "pyproject.toml").write_text('[tool.checks]\ncorpus = "corpus"\n', encoding="utf-8")


def baseline(headlines: list[str], bodies: list[tuple[str, str]]) -> tuple[float, int]:
    """Seconds to score every headline against every body sentence with cdist, and the comparisons made."""
    sentences = []
    for _, text in bodies:
        sentences += [
            text[a:b] for section in split_sections(text) for a, b in split_sentences(text, section.start, section.end)
        ]
    started = time.perf_counter()
    for start in range(0, len(headlines), 64):  # in blocks: the full matrix would not fit in memory
        process.cdist(headlines[start : start + 64], sentences, scorer=fuzz.token_set_ratio, dtype="uint8", workers=1)
    return time.perf_counter() - started, len(headlines) * len(sentences)


def run_pytest(root: Path, *extra: str) -> tuple[float, str]:
    env = {**os.environ, "CI": "true", "PYTHONHASHSEED": "0"}
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "features/", "-q", "-p", "no:cacheprovider", "-p", "no:benchmark", *extra],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    elapsed = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(f"pytest failed ({done.returncode}):\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}")
    summary = next((line for line in done.stdout.splitlines() if line.startswith("claim × source")), "")
    return elapsed, summary


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--headlines", type=int, default=None, help="first N distinct headlines (default: all)")
    parser.add_argument("--bodies", type=int, default=None, help="first N bodies (default: all)")
    parser.add_argument("--skip-serial", action="store_true", help="only the -n 2 run")
    args = parser.parse_args()
    path = data_dir()
    headlines = sorted({pair.headline for pair in load_pairs(path)})[: args.headlines]
    bodies = sorted(load_bodies(path).items())[: args.bodies]
    pairs = len(headlines) * len(bodies)
    print(f"B1: {len(headlines):,} headlines × {len(bodies):,} bodies = {pairs:,} pairs · machine: {machine()}")
    base, comparisons = baseline(headlines, bodies)
    rows = [
        [
            "cdist token_set_ratio, every sentence (baseline)",
            f"{base:.1f}",
            f"{comparisons / base / 1e6:.2f} M comparisons/s",
            "1.0×",
        ]
    ]
    with tempfile.TemporaryDirectory() as tmp:
        runs = [] if args.skip_serial else [("pytest features/ (cold, 1 core)", ())]
        runs.append(("pytest features/ -n 2 (cold, 2 cores)", ("-n", "2")))
        for label, extra in runs:
            root = Path(tmp) / label.split("(")[0].strip().replace(" ", "_").replace("/", "")
            write_project(root, headlines, bodies)
            seconds, summary = run_pytest(root, *extra)
            rows.append([label, f"{seconds:.1f}", f"{pairs / seconds:,.0f} pairs/s", f"{base / seconds:.1f}×"])
            print(f"  {label}: {summary}", flush=True)
    print(text_table(["run", "seconds", "throughput", "vs baseline"], rows))


if __name__ == "__main__":
    main()
