"""Train the learned combiner (checks/engine/combiner.json) from the four public sets, bit for bit reproducibly.

    python training/combiner.py             # train on the tune parts of all four sets, write the model
    python training/combiner.py --cv        # story-disjoint 5-fold cross-validation inside the tune parts
    python training/combiner.py --cv-engine # the same folds through the engine (guards, hard rules), all rows
    python training/combiner.py --check     # retrain and compare with the shipped model (exit 1 if they differ)

Needs the `training` extra (`pip install -e '.[training]'`: LightGBM) and ../shared/data. The recipe:
- Rows: each set as in benchmarks/public_sets.py. Only the *tune* part of each set is used (checks.evaluation.
  held_out: one story in five is held out by a hash of its name, never trained on); on top, any tune row whose
  claim or text also occurs in a held-out row of *another* set is dropped (FNC-1 was built from Emergent's
  articles: the two share stories, and benchmarks/public_sets.py names a shared story the same in both).
- Features: the engine's own signals (checks.engine.signals) for every pair the combiner weighs
  (checks.engine.combine.weighed: read by the engine, and not decided by a hard rule); the others are not
  trained on either.
- Targets: supported / contradicted / discussed / not mentioned; CLIMATE-FEVER's "not enough info" (neutral:
  either of the last two is right) takes the rules' verdict when that is one of them, else discussed.
- Weights: every set weighs the same in total (FNC-1 has 30 times as many rows read as FEVER), and within a set
  labels are partly balanced (each row weighs 1 / sqrt(rows of its label)), so no set's label mix becomes the
  model's prior, nor are rare labels called too often.
- LightGBM multiclass, one thread, deterministic, fixed seed; the trees are dumped to a plain JSON layout that
  checks.engine.combine evaluates in Python, and checked against LightGBM's own raw scores on every row.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import sys
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

import numpy as np  # noqa: E402
from public_sets import DATA, SETS  # noqa: E402

from checks.cache import engine_fingerprint  # noqa: E402
from checks.engine import Engine  # noqa: E402
from checks.engine.combine import FORMAT, SHORT_SOURCE, Model, decide, weighed  # noqa: E402
from checks.engine.signals import SIGNALS  # noqa: E402
from checks.evaluation import Label, Scores, held_out, predict, score, source_for  # noqa: E402
from checks.verdicts import Verdict  # noqa: E402

MODEL = ROOT / "checks" / "engine" / "combiner.json"
CACHE = ROOT / "training" / "out"
CLASSES = (Verdict.SUPPORTED, Verdict.CONTRADICTED, Verdict.DISCUSSED, Verdict.NOT_MENTIONED)
PARAMS: dict[str, Any] = {
    "objective": "multiclass",
    "num_class": len(CLASSES),
    "learning_rate": 0.08,
    "num_leaves": 12,
    "max_depth": 5,
    "min_data_in_leaf": 40,
    "min_sum_hessian_in_leaf": 1.0,
    "feature_fraction": 1.0,
    "bagging_fraction": 1.0,
    "lambda_l2": 1.0,
    "num_threads": 1,
    "deterministic": True,
    "force_col_wise": True,
    "seed": 17,
    "verbosity": -1,
}
ROUNDS = 120


def data_manifest() -> dict[str, str]:
    """SHA-256 of every data file the rows are read from."""
    files = sorted(p for p in DATA.rglob("*") if p.is_file() and p.suffix in (".csv", ".jsonl"))
    return {str(p.relative_to(DATA)): hashlib.sha256(p.read_bytes()).hexdigest() for p in files}


def _key(text: str) -> str:
    return " ".join(text.lower().split())


def tune_rows() -> dict[str, list[dict[str, str]]]:
    """The tune part of each set, without rows that share a claim or text with a held-out row of another set."""
    every = {name: list(make()) for name, make in SETS.items()}
    held = {
        name: {_key(r[f]) for r in rows if held_out(r["group"]) for f in ("claim", "text")}
        for name, rows in every.items()
    }
    tune = {}
    for name, rows in every.items():
        elsewhere = set().union(*(keys for other, keys in held.items() if other != name))
        tune[name] = [
            r for r in rows
            if not held_out(r["group"]) and _key(r["claim"]) not in elsewhere and _key(r["text"]) not in elsewhere
        ]  # fmt: skip
    return tune


def extract(name: str, rows: list[dict[str, str]]) -> tuple[np.ndarray, list[str], list[str], list[str], list[int]]:
    """(signal matrix, target, gold label, story, row index) of the rows the combiner weighs; cached per set
    under a hash of the engine's code (its fingerprint, as for the verdict cache), the signals and the rows."""
    CACHE.mkdir(parents=True, exist_ok=True)
    digest = hashlib.sha256(
        json.dumps([engine_fingerprint(), [s.name for s in SIGNALS], SHORT_SOURCE, rows], sort_keys=True).encode()
    ).hexdigest()[:16]
    cached = CACHE / f"{name}-{digest}.npz"
    if cached.exists():
        z = np.load(cached, allow_pickle=False)
        return (
            z["x"],
            [str(v) for v in z["y"]],
            [str(v) for v in z["gold"]],
            [str(v) for v in z["group"]],
            [int(v) for v in z["index"]],
        )
    engine = Engine(mode="learned")  # learned mode's screen (signals_of reads with the rules, never the model)
    by_claim: dict[str, list[int]] = defaultdict(list)
    for i, row in enumerate(rows):
        by_claim[row["claim"]].append(i)
    sources: dict[str, Any] = {}
    x, y, gold, group, index = [], [], [], [], []
    for n, (claim, positions) in enumerate(by_claim.items()):
        if n % 500 == 0:
            print(f"  {name}: claim {n}/{len(by_claim)}", file=sys.stderr)
        chosen = []
        for i in positions:
            text = rows[i]["text"]
            if text not in sources:
                sources[text] = source_for(f"s{len(sources)}", text, None)
            chosen.append(sources[text])
        for i, found in zip(positions, engine.signals_of(claim, chosen), strict=True):
            if found is None or not weighed(found[0], len(rows[i]["text"])):
                continue  # never weighed by the combiner, so not trained on
            reading, vector = found
            expected = rows[i]["expected"]
            if expected == "neutral":
                said = reading.verdict.verdict
                expected = said.value if said in (Verdict.DISCUSSED, Verdict.NOT_MENTIONED) else "discussed"
            x.append(vector)
            y.append(expected)
            gold.append(rows[i]["expected"])
            group.append(rows[i]["group"])
            index.append(i)
    matrix = np.asarray(x, dtype=np.float64).reshape(len(x), len(SIGNALS))
    np.savez(cached, x=matrix, y=np.asarray(y), gold=np.asarray(gold), group=np.asarray(group), index=np.asarray(index))
    return matrix, y, gold, group, index


BALANCE = float(os.environ.get("COMBINER_BALANCE", "0.5"))
"""Within a set, a label's rows weigh 1 / count ** BALANCE each: 1 would make every label weigh the same in total
(and the model call rare labels too often), 0 would keep each set's label mix as the model's prior."""


def weights(sets: list[str], targets: list[str]) -> np.ndarray:
    """Each set weighs the same in total; within a set, labels are partly balanced (:data:`BALANCE`)."""
    count = Counter(zip(sets, targets, strict=True))
    raw = np.asarray([count[(s, t)] ** -BALANCE for s, t in zip(sets, targets, strict=True)])
    totals: dict[str, float] = defaultdict(float)
    for s, w in zip(sets, raw, strict=True):
        totals[s] += float(w)
    return np.asarray([w / totals[s] for s, w in zip(sets, raw, strict=True)]) * len(sets) / len(totals)


def train(x: np.ndarray, y: list[str], w: np.ndarray) -> Any:
    import lightgbm as lgb

    target = np.asarray([[c.value for c in CLASSES].index(t) for t in y])
    data = lgb.Dataset(x, label=target, weight=w, params={"verbosity": -1, "max_bin": 255}, free_raw_data=False)
    return lgb.train(PARAMS, data, num_boost_round=ROUNDS)


def to_json(booster: Any, manifest: dict[str, Any]) -> str:
    """The booster's trees in the layout of checks.engine.combine (flattened, node values kept)."""
    dump = booster.dump_model()
    trees = []
    trees = [_flatten(info) for info in dump["tree_info"]]
    model = {
        "format": FORMAT,
        "classes": [c.value for c in CLASSES],
        "signals": [s.name for s in SIGNALS],
        "training": manifest,
        "trees": trees,
    }
    return json.dumps(model, separators=(",", ":"), sort_keys=False) + "\n"


def _flatten(info: dict[str, Any]) -> dict[str, Any]:
    """One dumped tree as flat node arrays (see checks.engine.combine.Tree)."""
    tree: dict[str, Any] = {"class": info["tree_index"] % len(CLASSES), "feature": [], "threshold": [], "left": [],
                            "right": [], "value": []}  # fmt: skip

    def add(node: dict[str, Any]) -> int:
        at = len(tree["feature"])
        for name, empty in (("feature", -1), ("threshold", 0.0), ("left", -1), ("right", -1)):
            tree[name].append(empty)
        if "split_feature" not in node:
            tree["value"].append(float(node.get("leaf_value", 0.0)))
            return at
        if node["decision_type"] != "<=" or node.get("missing_type", "None") not in ("None", None):
            raise SystemExit(f"unsupported split {node['decision_type']} / {node.get('missing_type')}")
        tree["value"].append(float(node["internal_value"]))
        tree["feature"][at] = int(node["split_feature"])
        tree["threshold"][at] = float(node["threshold"])
        tree["left"][at] = add(node["left_child"])
        tree["right"][at] = add(node["right_child"])
        return at

    add(info["tree_structure"])
    return tree


def _verify(text: str, booster: Any, x: np.ndarray) -> None:
    """Our evaluation of the JSON trees gives LightGBM's own raw scores (to rounding) on every training row."""
    model = Model.from_json(text)
    ours = np.asarray([model.predict(list(row)).probabilities for row in x])
    theirs = booster.predict(x)
    if not np.allclose(ours, theirs, atol=1e-9):
        raise SystemExit(f"the JSON trees disagree with LightGBM (max diff {np.abs(ours - theirs).max():.3g})")


def load_all() -> tuple[np.ndarray, list[str], list[str], list[str], list[str], dict[str, tuple[int, int]]]:
    """Every set's weighed rows stacked, with per set (tune rows, rows not weighed whose gold label the rules'
    not-mentioned verdict gets right), which --cv adds back to score all tune rows."""
    xs, ys, golds, groups, sets = [], [], [], [], []
    screened: dict[str, tuple[int, int]] = {}
    for name, rows in tune_rows().items():
        x, y, gold, group, index = extract(name, rows)
        read = set(index)
        right = sum(r["expected"] in ("not_mentioned", "neutral") for i, r in enumerate(rows) if i not in read)
        screened[name] = (len(rows), right)
        print(f"{name}: {len(rows)} tune rows, {len(y)} read by the engine: {dict(Counter(y))}", file=sys.stderr)
        xs.append(x)
        ys += y
        golds += gold
        groups += group
        sets += [name] * len(y)
    return np.vstack(xs), ys, golds, groups, sets, screened


def cross_validate() -> int:
    """Story-disjoint 5-fold CV inside the tune parts: per set, accuracy and contradicted recall of the rules
    and of the combiner on the pairs the engine reads."""
    x, y, gold, groups, sets, screened = load_all()
    fold = _folds(groups)
    predicted = np.empty(len(y), dtype=object)
    for k in range(5):
        train_at, test_at = fold != k, fold == k
        booster = train(x[train_at], [t for t, m in zip(y, train_at, strict=True) if m],
                        weights([s for s, m in zip(sets, train_at, strict=True) if m],
                                [t for t, m in zip(y, train_at, strict=True) if m]))  # fmt: skip
        probabilities = booster.predict(x[test_at])
        predicted[test_at] = [CLASSES[decide(list(row))].value for row in probabilities]
    names = [s.name for s in SIGNALS]
    columns = [names.index(f"rules_{c.value}") for c in CLASSES]
    rules = [CLASSES[int(np.argmax(row[columns]))].value for row in x]
    for name in SETS:
        at = [i for i, s in enumerate(sets) if s == name]
        for who, said in (("rules", rules), ("combiner", list(predicted))):
            ok = sum(_right(gold[i], said[i]) for i in at) / len(at)
            con = [i for i in at if gold[i] == "contradicted"]
            recall = sum(said[i] == "contradicted" for i in con) / len(con) if con else float("nan")
            rows, right = screened[name]
            overall = (ok * len(at) + right) / rows
            extra = f"; {_fnc_figures([gold[i] for i in at], [said[i] for i in at], rows, right)}" * (name == "fnc1")
            print(f"{name:9} {who:9} acc {ok:.3f}  contradicted recall {recall:.3f}  (n={len(at)}); "
                  f"all tune rows {overall:.3f}{extra}")  # fmt: skip
    return 0


def cross_validate_engine() -> int:
    """Story-disjoint 5-fold CV through the engine itself: each fold's rows (all of them, not only those the
    combiner weighs) are checked by an Engine whose model was trained on the other four folds, so the guards
    (``_may_overrule``) and the hard rules count as they do in a run. Per set: accuracy, macro-F1, contradicted
    recall (and FNC score and disagree F1 for FNC-1), beside the rules alone on the same rows."""
    x, y, _, groups, sets, _ = load_all()
    fold = _folds(groups)
    models = []
    for k in range(5):
        at = fold != k
        booster = train(x[at], [t for t, m in zip(y, at, strict=True) if m],
                        weights([s for s, m in zip(sets, at, strict=True) if m],
                                [t for t, m in zip(y, at, strict=True) if m]))  # fmt: skip
        models.append(Model.from_json(to_json(booster, {})))
    for name, rows in tune_rows().items():
        labels = [Label(r["claim"], r["text"], r["expected"], r["group"]) for r in rows]
        row_fold = _folds([label.group for label in labels])
        learned = [""] * len(labels)
        for k in range(5):
            at = [i for i, f in enumerate(row_fold) if f == k]
            said = predict([labels[i] for i in at], Engine(mode="learned", model=models[k]))
            for i, verdict in zip(at, said, strict=True):
                learned[i] = verdict
        rules = predict(labels, Engine(mode="rules"))
        expected = [label.expected for label in labels]
        for who, said in (("rules", rules), ("engine", learned)):
            print(f"{name:9} {who:7} {_summary(score(expected, said))}  (n={len(labels)}, end to end)")
    return 0


def _folds(groups: list[str]) -> np.ndarray:
    """Each story's fold (0-4), by a hash of its name: the same folds for the signal matrix and the engine."""
    return np.asarray([int(hashlib.sha256(g.encode()).hexdigest(), 16) % 7 % 5 for g in groups])


def _summary(scores: Scores) -> str:
    recall = scores.per_label.get("contradicted", (0.0, float("nan"), 0.0, 0))[1]
    fnc = f", FNC score {scores.fnc_score:.3f}" if scores.fnc_score is not None else ""
    f1 = scores.per_label.get("contradicted", (0.0, 0.0, float("nan"), 0))[2]
    head = f"acc {scores.accuracy:.3f}  macro-F1 {scores.macro_f1:.3f}"
    return f"{head}  contradicted recall {recall:.3f} F1 {f1:.3f}{fnc}"


def _fnc_figures(gold: list[str], said: list[str], rows: int, unread_right: int) -> str:
    """FNC score over all tune rows (the rows not weighed count as not mentioned, right when unrelated) and the
    disagree (contradicted) F1 of the rows weighed."""
    score = 0.25 * unread_right
    for expected, got in zip(gold, said, strict=True):
        if expected == "not_mentioned":
            score += 0.25 * (got == "not_mentioned")
        else:
            score += 0.25 * (got != "not_mentioned") + 0.75 * (got == expected)
    related = sum(g != "not_mentioned" for g in gold)
    best = related + 0.25 * (rows - related)
    hits = sum(g == s == "contradicted" for g, s in zip(gold, said, strict=True))
    f1 = 2 * hits / (gold.count("contradicted") + said.count("contradicted") or 1)
    return f"FNC score {score / best:.3f}, disagree F1 {f1:.3f}"


def _right(gold: str, said: str) -> bool:
    return said == gold or (gold == "neutral" and said in ("discussed", "not_mentioned"))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cv", action="store_true", help="cross-validate inside the tune parts")
    parser.add_argument("--cv-engine", action="store_true", help="cross-validate through the engine, all tune rows")
    parser.add_argument("--check", action="store_true", help="retrain and compare with the shipped model")
    args = parser.parse_args()
    if not DATA.is_dir():
        print(f"no public data at {DATA}", file=sys.stderr)
        return 2
    if args.cv:
        return cross_validate()
    if args.cv_engine:
        return cross_validate_engine()
    import lightgbm as lgb

    x, y, _, _, sets, _ = load_all()
    booster = train(x, y, weights(sets, y))
    manifest = {
        "recipe": "training/combiner.py",
        "lightgbm": lgb.__version__,
        "params": PARAMS,
        "rounds": ROUNDS,
        "rows": dict(Counter(sets)),
        "data": data_manifest(),
    }
    text = to_json(booster, manifest)
    _verify(text, booster, x)
    if args.check:
        same = MODEL.exists() and MODEL.read_text(encoding="utf-8") == text
        print("the shipped model is reproduced bit for bit" if same else "the shipped model differs from a retrain")
        return 0 if same else 1
    MODEL.write_text(text, encoding="utf-8")
    print(
        f"wrote {MODEL.relative_to(ROOT)} ({len(text) / 1024:.0f} KB, {len(booster.dump_model()['tree_info'])} trees)"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
