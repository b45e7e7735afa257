"""FNC-1 accuracy of the verdict engine: headline = claim, body = source.

    python benchmarks/fnc1_accuracy.py                 # held-out part (the numbers we report)
    python benchmarks/fnc1_accuracy.py --split tune    # the part thresholds were tuned on

Prints the FNC-1 score (as a % of the maximum), relatedness accuracy, per-class F1 and the
confusion matrix, with agree/disagree/discuss/unrelated mapped to supported/contradicted/
discussed/not_mentioned. The held-out part is a fixed 20 % of the bodies (all their pairs).
"""

from __future__ import annotations

import argparse
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from fnc1 import STANCE_TO_VERDICT, STANCES, body_source, data_dir, is_held_out, load_bodies, load_pairs, machine

from checks.config import Thresholds
from checks.engine import check_claim

VERDICT_TO_STANCE = {v: k for k, v in STANCE_TO_VERDICT.items()}


def fnc_score(gold: list[str], predicted: list[str]) -> float:
    score = best = 0.0
    for g, p in zip(gold, predicted, strict=True):
        related_g, related_p = g != "unrelated", p != "unrelated"
        best += 0.25 + (0.75 if related_g else 0)
        if related_g == related_p:
            score += 0.25
            if related_g and g == p:
                score += 0.75
    return 100 * score / best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--split", choices=["heldout", "tune", "all"], default="heldout")
    parser.add_argument("--limit", type=int, default=0, help="only the first N pairs (quick look)")
    parser.add_argument("--related", type=int, default=None)
    parser.add_argument("--supported", type=int, default=None)
    parser.add_argument("--slot", type=int, default=None)
    args = parser.parse_args()

    path = data_dir()
    bodies = load_bodies(path)
    pairs = [
        p for p in load_pairs(path) if args.split == "all" or (is_held_out(p.body_id) == (args.split == "heldout"))
    ]
    if args.limit:
        pairs = pairs[: args.limit]
    overrides = {k: getattr(args, k) for k in ("related", "supported", "slot") if getattr(args, k) is not None}
    config = Thresholds(**overrides)
    sources = {body_id: body_source(body_id, text) for body_id, text in bodies.items()}

    by_headline: dict[str, list[int]] = defaultdict(list)
    for index, pair in enumerate(pairs):
        by_headline[pair.headline].append(index)
    predicted = [""] * len(pairs)
    started = time.perf_counter()
    for headline, indexes in by_headline.items():
        verdicts = check_claim(headline, [sources[pairs[i].body_id] for i in indexes], config=config)
        for i, verdict in zip(indexes, verdicts, strict=True):
            predicted[i] = VERDICT_TO_STANCE[verdict.verdict.value]
    elapsed = time.perf_counter() - started
    gold = [p.stance for p in pairs]
    report(args.split, config, gold, predicted, elapsed)


def report(split: str, config: Thresholds, gold: list[str], predicted: list[str], elapsed: float) -> None:
    n = len(gold)
    print(f"FNC-1 training set, {split} part: {n:,} pairs · machine: {machine()}")
    print(
        f"thresholds: related={config.related} supported={config.supported} slot={config.slot} "
        f"fuzzy_token={config.fuzzy_token}"
    )
    print(f"engine time: {elapsed:.1f} s ({n / elapsed:,.0f} pairs/s)\n")
    score = fnc_score(gold, predicted)
    all_unrelated = fnc_score(gold, ["unrelated"] * n)
    related_ok = sum((g != "unrelated") == (p != "unrelated") for g, p in zip(gold, predicted, strict=True))
    print(f"FNC-1 score:            {score:6.2f} %   (all 'unrelated' scores {all_unrelated:.2f} %)")
    print(f"relatedness accuracy:   {100 * related_ok / n:6.2f} %")
    print(f"exact accuracy:         {100 * sum(g == p for g, p in zip(gold, predicted, strict=True)) / n:6.2f} %\n")
    print(f"{'class (verdict)':<30} {'precision':>9} {'recall':>7} {'F1':>6} {'gold':>7}")
    for stance in STANCES:
        tp = sum(g == p == stance for g, p in zip(gold, predicted, strict=True))
        fp = sum(p == stance != g for g, p in zip(gold, predicted, strict=True))
        fn = sum(g == stance != p for g, p in zip(gold, predicted, strict=True))
        precision = tp / (tp + fp) if tp + fp else 0.0
        recall = tp / (tp + fn) if tp + fn else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        label = f"{stance} ({STANCE_TO_VERDICT[stance]})"
        print(f"{label:<30} {precision:9.3f} {recall:7.3f} {f1:6.3f} {tp + fn:7,}")
    print("\nconfusion matrix (rows gold, columns predicted):")
    counts = Counter(zip(gold, predicted, strict=True))
    print(f"{'':>11}" + "".join(f"{s:>11}" for s in STANCES))
    for g in STANCES:
        print(f"{g:>11}" + "".join(f"{counts[(g, p)]:>11,}" for p in STANCES))


if __name__ == "__main__":
    main()
