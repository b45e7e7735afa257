"""The engine on the four public labelled sets in ../shared/data, through `checks evaluate`.

    python benchmarks/public_sets.py [--part held-out|tune|all] [--sets fnc1 emergent fever climate] [--mode rules]

Each set is turned into a labels file (benchmarks/out/<set>.jsonl: claim, text, expected, group) and scored on its
held-out part by default: one story in five, by a hash of the story (checks.evaluation.held_out), never tuned on.
Stories are groups that must not be split between tuning and held-out:
- fnc1: headline = claim, body = source; agree/disagree/discuss/unrelated → supported/contradicted/discussed/
  not_mentioned; a story is a connected component of the headline–body graph of related pairs (191 of them), so a
  headline and the bodies about it are on the same side; a story whose headlines are Emergent article headlines
  (129 of them) is named by that Emergent claim, so the two sets hold it out together.
- emergent: claim vs article headline; for/against/observing → supported/contradicted/discussed; story = claim id.
- fever: FEVER Symmetric, claim vs one evidence sentence; SUPPORTS/REFUTES → supported/contradicted; story = the
  group of four (base id).
- climate: CLIMATE-FEVER, claim vs each of its five evidence sentences; SUPPORTS/REFUTES/NOT_ENOUGH_INFO →
  supported/contradicted/neutral (neutral accepts discussed and not mentioned); story = claim id.
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from checks.engine import Engine  # noqa: E402
from checks.evaluation import evaluate, format_report, held_out, load_labels  # noqa: E402

DATA = ROOT.parent / "shared" / "data"
OUT = ROOT / "benchmarks" / "out"

Row = dict[str, str]


def fnc1() -> Iterator[Row]:
    with (DATA / "fnc1-train" / "train_bodies.csv").open(encoding="utf-8", newline="") as f:
        bodies = {row["Body ID"]: row["articleBody"] for row in csv.DictReader(f)}
    with (DATA / "fnc1-train" / "train_stances.csv").open(encoding="utf-8", newline="") as f:
        stances = list(csv.DictReader(f))
    parent: dict[str, str] = {}

    def find(x: str) -> str:
        while parent.setdefault(x, x) != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for row in stances:
        if row["Stance"] != "unrelated":
            parent[find("h:" + row["Headline"])] = find("b:" + row["Body ID"])
    # FNC-1 was built from Emergent's articles: a story whose headlines are Emergent article headlines takes that
    # Emergent claim's id, so that both sets hold the story out (or not) together.
    claim_of: dict[str, set[str]] = defaultdict(set)
    for row in emergent():
        claim_of[" ".join(row["text"].lower().split())].add(row["group"])
    story_of: dict[str, set[str]] = defaultdict(set)
    for row in stances:
        story_of[find("h:" + row["Headline"])] |= claim_of.get(" ".join(row["Headline"].lower().split()), set())
    mapping = {"agree": "supported", "disagree": "contradicted", "discuss": "discussed", "unrelated": "not_mentioned"}
    for row in stances:
        story = find("h:" + row["Headline"])
        group = min(story_of[story]) if story_of[story] else f"fnc1:{story}"
        yield {"claim": row["Headline"], "text": bodies[row["Body ID"]], "expected": mapping[row["Stance"]],
               "group": group}  # fmt: skip


def emergent() -> Iterator[Row]:
    mapping = {"for": "supported", "against": "contradicted", "observing": "discussed"}
    path = DATA / "emergent-train" / "url-versions-2015-06-14-clean-train.csv"
    with path.open(encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            stance, story = mapping[row["articleHeadlineStance"]], f"emergent:{row['claimId']}"
            yield {"claim": row["claimHeadline"], "text": row["articleHeadline"], "expected": stance, "group": story}


def fever() -> Iterator[Row]:
    mapping = {"SUPPORTS": "supported", "REFUTES": "contradicted"}
    for line in (DATA / "fever-symmetric-dev" / "fever_symmetric_dev.jsonl").read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        base = str(row["id"])
        base = base[: -len("0000002")] if len(base) > 7 and base[-7:] in ("0000002", "0000003", "0000004") else base
        yield {"claim": row["claim"], "text": row["evidence"], "expected": mapping[row["label"]],
               "group": f"fever:{base}"}  # fmt: skip


def climate() -> Iterator[Row]:
    mapping = {"SUPPORTS": "supported", "REFUTES": "contradicted", "NOT_ENOUGH_INFO": "neutral"}
    for line in (DATA / "climate-fever" / "climate-fever.jsonl").read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        for evidence in row["evidences"]:
            yield {"claim": row["claim"], "text": evidence["evidence"], "expected": mapping[evidence["evidence_label"]],
                   "group": f"climate:{row['claim_id']}"}  # fmt: skip


SETS = {"fnc1": fnc1, "emergent": emergent, "fever": fever, "climate": climate}


def write_labels(name: str) -> Path:
    OUT.mkdir(parents=True, exist_ok=True)
    path = OUT / f"{name}.jsonl"
    with path.open("w", encoding="utf-8") as f:
        for row in SETS[name]():
            f.write(json.dumps(row, ensure_ascii=False) + "\n")
    return path


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--part", choices=["held-out", "tune", "all"], default="held-out")
    parser.add_argument("--sets", nargs="+", choices=list(SETS), default=list(SETS))
    parser.add_argument("--mode", choices=["learned", "rules"], default="learned", help="the engine's mode")
    parser.add_argument("--limit", type=int, default=0, help="at most this many rows per set (0: all)")
    args = parser.parse_args()
    if not DATA.is_dir():
        print(f"no public data at {DATA}", file=sys.stderr)
        return 2
    for name in args.sets:
        labels = load_labels(write_labels(name))
        if args.part != "all":
            labels = [label for label in labels if held_out(label.group) == (args.part == "held-out")]
        if args.limit:
            labels = labels[: args.limit]
        report = evaluate(labels, engine=Engine(mode=args.mode))
        print(format_report(report, title=f"== {name} ({args.part}, {args.mode}, {len(labels)} rows)"))
        print()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
