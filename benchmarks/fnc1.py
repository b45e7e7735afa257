"""Shared loading of the FNC-1 training set (../shared/data/fnc1-train) for the benchmarks."""

from __future__ import annotations

import csv
import hashlib
import os
import platform
from dataclasses import dataclass
from pathlib import Path

from checks.corpus.load import sha256_text
from checks.corpus.sections import split_sections
from checks.models import Source, SourceMetadata

DEFAULT_DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "fnc1-train"
STANCES = ("agree", "disagree", "discuss", "unrelated")
STANCE_TO_VERDICT = {
    "agree": "supported",
    "disagree": "contradicted",
    "discuss": "discussed",
    "unrelated": "not_mentioned",
}


@dataclass(frozen=True, slots=True)
class Pair:
    headline: str
    body_id: str
    stance: str


def data_dir() -> Path:
    path = Path(os.environ.get("FNC1_DATA", DEFAULT_DATA))
    if not (path / "train_bodies.csv").is_file():
        raise SystemExit(f"FNC-1 data not found in {path}; set FNC1_DATA to the folder with train_bodies.csv")
    return path


def load_bodies(path: Path) -> dict[str, str]:
    with (path / "train_bodies.csv").open(encoding="utf-8", newline="") as handle:
        return {row["Body ID"]: row["articleBody"] for row in csv.DictReader(handle)}


def load_pairs(path: Path) -> list[Pair]:
    with (path / "train_stances.csv").open(encoding="utf-8", newline="") as handle:
        return [Pair(r["Headline"], r["Body ID"], r["Stance"]) for r in csv.DictReader(handle)]


def is_held_out(body_id: str) -> bool:
    """A fixed 20 % of the bodies (by a hash of the body id) is never used for tuning."""
    return hashlib.sha256(f"fnc1:{body_id}".encode()).digest()[0] % 5 == 0


def body_source(body_id: str, text: str) -> Source:
    return Source(
        id=f"body-{body_id}",
        story="fnc1",
        text=text,
        metadata=SourceMetadata(),
        sections=split_sections(text),
        path=f"fnc1/body-{body_id}.txt",
        sha256=sha256_text(text.encode("utf-8")),
    )


def machine() -> str:
    return f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, {platform.system()}"
