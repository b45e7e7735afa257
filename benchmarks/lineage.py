"""How well copies are told from independent voices (checks.engine.lineage), on pairs built from FNC-1 bodies.

    python benchmarks/lineage.py [--bodies 400]

Positives (one lineage): a body and its verbatim copy; the body trimmed of its last third with boilerplate added
around it ("Share this article", a subscription line, "Related:"); the body with one sentence in four changed
(a word inserted). Negatives (two voices): two different bodies of the same FNC-1 story (bodies that share a
headline: the same facts, written separately), and two bodies of different stories. Prints precision and recall
of "same lineage" per kind of pair, and the pairs per second.
"""

from __future__ import annotations

import argparse
import csv
import itertools
import random
import sys
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from checks.corpus.sections import split_sections  # noqa: E402
from checks.engine.lineage import lineages  # noqa: E402
from checks.engine.sentences import split_sentences  # noqa: E402
from checks.models import Source, SourceMetadata  # noqa: E402

DATA = ROOT.parent / "shared" / "data" / "fnc1-train"
BOILERPLATE = ("Share this article on social media.", "Subscribe to our newsletter for more news like this.")


def _source(source_id: str, text: str) -> Source:
    return Source(source_id, "pairs", text, SourceMetadata(), split_sections(text), f"pairs/{source_id}.txt", "0" * 64)


def _trimmed(text: str) -> str:
    kept = text[: max(1, 2 * len(text) // 3)]
    return f"{BOILERPLATE[0]}\n{kept}\n{BOILERPLATE[1]}\nRelated: more from this desk."


def _edited(text: str, rng: random.Random) -> str:
    spans = split_sentences(text)
    pieces = [text[a:b] for a, b in spans]
    for i in range(0, len(pieces), 4):
        words = pieces[i].split()
        if len(words) > 3:
            words.insert(rng.randrange(1, len(words)), "reportedly")
            pieces[i] = " ".join(words)
    return " ".join(pieces)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--bodies", type=int, default=400)
    args = parser.parse_args()
    with (DATA / "train_bodies.csv").open(encoding="utf-8", newline="") as handle:
        bodies = {row["Body ID"]: row["articleBody"] for row in csv.DictReader(handle)}
    by_headline: dict[str, set[str]] = defaultdict(set)
    with (DATA / "train_stances.csv").open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            if row["Stance"] != "unrelated":
                by_headline[row["Headline"]].add(row["Body ID"])
    rng = random.Random(7)
    ids = sorted(bodies)[: args.bodies]
    pairs: dict[str, list[tuple[str, str, bool]]] = defaultdict(list)
    for body in ids:
        text = bodies[body]
        pairs["verbatim copy"].append((text, text, True))
        pairs["trimmed copy + boilerplate"].append((text, _trimmed(text), True))
        pairs["one sentence in four edited"].append((text, _edited(text, rng), True))
    stories = sorted(sorted(b) for b in by_headline.values() if len(b) > 1)
    for members in stories[: args.bodies]:
        pairs["same story, other body"].append((bodies[members[0]], bodies[members[1]], False))
    for a, b in itertools.pairwise(ids):
        pairs["different stories"].append((bodies[a], bodies[b], False))
    print(f"{'pairs':<30} {'n':>5} {'said same':>10} {'correct':>8}")
    tp = fp = fn = 0
    start, total = time.perf_counter(), 0
    for kind, found in pairs.items():
        same = sum(len(lineages([_source("a", x), _source("b", y)])) == 1 for x, y, _ in found)
        total += len(found)
        expected = found[0][2]
        correct = same if expected else len(found) - same
        tp += same if expected else 0
        fp += 0 if expected else same
        fn += 0 if not expected else len(found) - same
        print(f"{kind:<30} {len(found):>5} {same:>10} {100 * correct / len(found):>7.1f}%")
    seconds = time.perf_counter() - start
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    print(f"copy detection: precision {precision:.3f}, recall {recall:.3f}; {total / seconds:.0f} pairs/s")


if __name__ == "__main__":
    main()
