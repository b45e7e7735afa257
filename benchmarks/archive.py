"""B2–B4: a generated archive of up to 100k sources × 200 claims, cold, after adding one source, and growth.

    python benchmarks/archive.py                        # B2 + B3 at 100k sources, B4 at 10k / 30k / 100k
    python benchmarks/archive.py --sizes 10000 30000    # a quicker growth table
    python benchmarks/archive.py --workdir DIR          # where corpora are generated (kept for re-runs)

The corpus is generated, not committed: FNC-1 bodies with deterministic perturbations (numbers changed,
capitalised names swapped, sentences reordered), written in the corpus format with metadata. The claims are
200 FNC-1 headlines. Each measurement runs in a fresh process through the same path the pytest steps take
(corpus loaded and validated, then the verdict cache and the engine), and reports its phases and peak RSS:
  - B2: cold, with an empty verdict cache (targets: <= 30 s, <= 4 GB RSS);
  - B3: the same again after one source is added (target: <= 2 s);
  - B4: cold at each size, with the pairs read passage by passage: cost should follow those, not claims × sources.
The baseline for the ratios, measured in the same run, is the engine without the index on a 1,000-source
sample, scaled per pair.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from fnc1 import data_dir, load_bodies, load_pairs, machine

from checks.reports.tables import text_table

CLAIMS = 200
_NUMBER = re.compile(r"\b\d+\b")
_NAME = re.compile(r"\b[A-Z][a-z]{3,}\b")


def perturb(text: str, rng: random.Random, names: list[str]) -> str:
    """Numbers changed, a few capitalised names swapped, sentences of a paragraph reordered."""
    text = _NUMBER.sub(lambda m: str(int(m.group(0)) + rng.randint(1, 9)) if rng.random() < 0.5 else m.group(0), text)
    text = _NAME.sub(lambda m: rng.choice(names) if rng.random() < 0.1 else m.group(0), text)
    paragraphs = []
    for paragraph in text.split("\n"):
        sentences = re.split(r"(?<=[.!?])\s+(?=[A-Z])", paragraph)
        if len(sentences) > 2 and rng.random() < 0.5:
            rng.shuffle(sentences)
        paragraphs.append(" ".join(sentences))
    return "\n".join(paragraphs)


def generate(root: Path, size: int) -> Path:
    """``root/corpus`` with ``size`` sources (reused when already there)."""
    done = root / f".generated-{size}"
    story = root / "corpus" / "archive"
    if done.is_file():
        return root / "corpus"
    shutil.rmtree(root, ignore_errors=True)
    story.mkdir(parents=True)
    bodies = [text for _, text in sorted(load_bodies(data_dir()).items())]
    names = sorted({m.group(0) for text in bodies[:200] for m in _NAME.finditer(text)})
    rng = random.Random(2025)
    for number in range(size):
        text = bodies[number % len(bodies)]
        if number >= len(bodies):
            text = perturb(text, rng, names)
        write_source(story, number, text)
    done.write_text("ok", encoding="utf-8")
    return root / "corpus"


def write_source(story: Path, number: int, text: str) -> None:
    metadata = {
        "publisher": f"Publisher {number % 97}",
        "published": f"2025-{1 + number % 12:02d}-{1 + number % 28:02d}",
    }
    (story / f"a{number:06d}.txt").write_text(text, encoding="utf-8")
    (story / f"a{number:06d}.json").write_text(json.dumps(metadata), encoding="utf-8")


RUN = r"""
import json, resource, sys, time
from pathlib import Path
started = time.perf_counter()
from checks.cache import VerdictCache
from checks.corpus.load import load_corpus
from checks.engine import Engine, check_claim
from checks.models import Claim
from checks.engine.normalize import AliasTable
corpus_path, cache_path, claims_path, mode = sys.argv[1:5]
claims = json.loads(Path(claims_path).read_text(encoding="utf-8"))
t = time.perf_counter(); sources = list(load_corpus(corpus_path).sources); load = time.perf_counter() - t
from checks.gcpolicy import checking, freeze_loaded
checking(); freeze_loaded()  # the collector policy of a pytest run (checks/gcpolicy.py)
t = time.perf_counter()
if mode == "brute":
    sample = sources[:1000]
    counts = {}
    for claim in claims[:20]:
        for v in check_claim(claim, sample, index=False):
            counts[v.verdict.value] = counts.get(v.verdict.value, 0) + 1
    pairs, index_time, read = 20 * len(sample), 0.0, 0
else:
    cache = VerdictCache.open(Path(cache_path))
    engine = Engine(); engine.index(sources, AliasTable(), cache.source_terms); index_time = time.perf_counter() - t
    counts = {}
    for claim in claims:
        verdicts = cache.check_claim(engine, Claim(claim), sources)
        speaking = verdicts.speaking()  # what the record step keeps; the silent ones are only counted
        for v in speaking:
            counts[v.verdict.value] = counts.get(v.verdict.value, 0) + 1
        counts["not_mentioned"] = counts.get("not_mentioned", 0) + len(verdicts) - len(speaking)
    pairs, read = len(claims) * len(sources), cache.hits + cache.misses
    cache.close()
check = time.perf_counter() - t - index_time
rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps({"load": load, "index": index_time, "check": check, "total": time.perf_counter() - started,
                  "rss_mb": rss, "pairs": pairs, "read": read, "verdicts": counts}))
"""


def measure(corpus: Path, cache: Path, claims: Path, mode: str = "indexed") -> dict[str, float]:
    done = subprocess.run(
        [sys.executable, "-c", RUN, str(corpus), str(cache), str(claims), mode],
        capture_output=True,
        text=True,
        check=False,
        env={"CI": "true", "PATH": "/usr/bin:/bin"},
    )
    if done.returncode != 0:
        raise SystemExit(f"measurement failed:\n{done.stderr[-3000:]}")
    result: dict[str, float] = json.loads(done.stdout.splitlines()[-1])
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 30_000, 100_000])
    parser.add_argument("--workdir", type=Path, default=Path("/tmp/checks-archive"))
    args = parser.parse_args()
    headlines = sorted({pair.headline for pair in load_pairs(data_dir())})
    claims = random.Random(200).sample(headlines, CLAIMS)
    args.workdir.mkdir(parents=True, exist_ok=True)
    claims_path = args.workdir / "claims.json"
    claims_path.write_text(json.dumps(claims), encoding="utf-8")
    print(f"B2–B4: {CLAIMS} claims × generated archives of {', '.join(f'{s:,}' for s in args.sizes)} sources")
    print(f"machine: {machine()}", flush=True)
    rows = []
    base = None
    for size in sorted(args.sizes):
        root = args.workdir / f"archive-{size}"
        started = time.perf_counter()
        corpus = generate(root, size)
        megabytes = sum(p.stat().st_size for p in (corpus / "archive").glob("*.txt")) / 1e6
        print(f"  {size:,} sources, {megabytes:.0f} MB of text (generated in {time.perf_counter() - started:.0f} s)")
        if base is None:
            brute = measure(corpus, root / "unused", claims_path, "brute")
            base = brute["check"] / brute["pairs"]
            rows.append(
                [
                    "engine without the index, 1,000 × 20 (baseline)",
                    "-",
                    f"{brute['check']:.1f}",
                    "-",
                    "-",
                    f"{brute['rss_mb']:.0f}",
                    f"{1 / base:,.0f} pairs/s",
                ]
            )
        cache = root / "cache" / "verdicts.sqlite"
        shutil.rmtree(cache.parent, ignore_errors=True)
        cold = measure(corpus, cache, claims_path)
        estimate = base * cold["pairs"]
        rows.append(
            [
                f"B2/B4 cold, {size:,} sources",
                f"{cold['load']:.1f}",
                f"{cold['check']:.1f}",
                f"{cold['index']:.1f}",
                f"{cold['total']:.1f}",
                f"{cold['rss_mb']:.0f}",
                f"{cold['read']:,} read of {cold['pairs']:,}; {estimate / cold['total']:.0f}× baseline",
            ]
        )
        write_source(corpus / "archive", size, "A new source about Apple and a 2026 product launch.\n")
        (root / f".generated-{size}").unlink()  # the corpus differs from the generated one now
        after = measure(corpus, cache, claims_path)
        rows.append(
            [
                f"B3 one source added, {size:,}",
                f"{after['load']:.1f}",
                f"{after['check']:.1f}",
                f"{after['index']:.1f}",
                f"{after['total']:.1f}",
                f"{after['rss_mb']:.0f}",
                f"{cold['total'] / after['total']:.1f}× faster than cold",
            ]
        )
        print(f"  {size:,}: cold {cold['total']:.1f} s, after adding one source {after['total']:.1f} s", flush=True)
    print(text_table(["run", "load s", "check s", "index s", "total s", "peak RSS MB", "notes"], rows))


if __name__ == "__main__":
    main()
