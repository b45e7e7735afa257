"""The learned combiner: a small gradient-boosted tree model that weighs the rules' signals into a verdict.

The rules (:mod:`checks.engine.rules`) stay the explainable features and keep the last word where they state a
fact exactly (:data:`checks.engine.rules.HARD_RULES`: another figure, date, day or declared alternative). For
every other reading the combiner weighs the signals of :mod:`checks.engine.signals` and gives a verdict with
its confidence and the two or three signals that drove it (per-signal contributions along each tree's path).

The model ships in the package (``combiner.json``, its training recipe and data manifest inside it); it is
trained by ``python training/combiner.py`` from the public data sets, bit for bit the same on every run. Its
evaluation is plain Python over floats in a fixed order: the same verdicts on every run and platform, no
network, no native code. The file is part of the engine's fingerprint, so it is part of every verdict-cache key.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

from checks.engine.matching import PreparedClaim, PreparedSource
from checks.engine.rules import Reading, make_verdict
from checks.engine.signals import SIGNALS, explain
from checks.models import SourceVerdict
from checks.verdicts import Verdict

__all__ = ["FORMAT", "Model", "Tree", "combine", "default_model"]

FORMAT = 1
"""The version of the model file's layout."""
_LEAF = -1


@dataclass(frozen=True, slots=True)
class Tree:
    """One regression tree, flattened: node ``i`` splits on ``feature[i]`` at ``threshold[i]`` (``<=`` goes to
    ``left[i]``), or is a leaf when ``feature[i]`` is -1; ``value[i]`` is the node's output (for split nodes,
    the mean output below them, which attributes each step of the path to the signal it split on)."""

    klass: int
    feature: tuple[int, ...]
    threshold: tuple[float, ...]
    left: tuple[int, ...]
    right: tuple[int, ...]
    value: tuple[float, ...]

    def path(self, vector: list[float]) -> tuple[float, list[tuple[int, float]]]:
        """The tree's output for ``vector`` and each step's (signal, change of output) along its path."""
        node = 0
        steps = []
        feature, value = self.feature, self.value
        while feature[node] != _LEAF:
            split = feature[node]
            child = self.left[node] if vector[split] <= self.threshold[node] else self.right[node]
            steps.append((split, value[child] - value[node]))
            node = child
        return value[node], steps


@dataclass(frozen=True, slots=True)
class Model:
    classes: tuple[Verdict, ...]
    trees: tuple[Tree, ...]
    training: dict[str, Any]
    """How the model was made: recipe, parameters, data manifest (file hashes, rows per set)."""

    @classmethod
    def from_json(cls, text: str) -> Model:
        """Read a model file; refuse one of another layout or trained on other signals."""
        data = json.loads(text)
        if data.get("format") != FORMAT:
            raise ValueError(f"combiner model format {data.get('format')!r}, expected {FORMAT}")
        names = [s.name for s in SIGNALS]
        if data.get("signals") != names:
            raise ValueError("combiner model was trained on other signals: retrain it (python training/combiner.py)")
        trees = tuple(
            Tree(
                int(t["class"]),
                tuple(map(int, t["feature"])),
                tuple(map(float, t["threshold"])),
                tuple(map(int, t["left"])),
                tuple(map(int, t["right"])),
                tuple(map(float, t["value"])),
            )
            for t in data["trees"]
        )
        return cls(tuple(Verdict(c) for c in data["classes"]), trees, dict(data.get("training", {})))

    def predict(self, vector: list[float]) -> tuple[list[float], list[list[float]]]:
        """Class probabilities (softmax over summed tree outputs) and per-class signal contributions."""
        if len(vector) != len(SIGNALS):
            raise ValueError(f"expected {len(SIGNALS)} signals, got {len(vector)}")
        raw = [0.0] * len(self.classes)
        contributions = [[0.0] * len(vector) for _ in self.classes]
        for tree in self.trees:
            out, steps = tree.path(vector)
            raw[tree.klass] += out
            row = contributions[tree.klass]
            for feature, change in steps:
                row[feature] += change
        top = max(raw)
        exps = [math.exp(r - top) for r in raw]
        total = sum(exps)
        return [e / total for e in exps], contributions


@lru_cache(maxsize=1)
def default_model() -> Model:
    """The model shipped with the package (``checks/engine/combiner.json``)."""
    text = resources.files("checks.engine").joinpath("combiner.json").read_text(encoding="utf-8")
    return Model.from_json(text)


STANDING = frozenset(
    {"negative_claim_stated", "scoped_negation", "party_denial", "negation_nearby", "direction", "value_kind_absent"}
)
"""Rules the combiner never overrules either: a negation that scopes over the claim, a negative claim stated as
fact, a denial by the party the claim names, opposite directions (cut / raised), a claim's kind of figure the
source never gives. The public sets hold few such sentences about claims as editors
write them, so the model learned them poorly (it reads "X will not..." meeting "X will..." as a discussion)."""
_SIGNAL = {s.name: i for i, s in enumerate(SIGNALS)}


def _may_overrule(reading: Reading, verdict: Verdict, vector: list[float]) -> bool:
    """Where the combiner may replace the rules' verdict. Besides :data:`STANDING`: it never calls supported a
    source that does not name all the parties of the claim, and never demotes a support the source states in its
    own voice or in the words of a party the claim names (a full, unhedged statement of the claim: what an editor
    means by "the source says it"). Supports quoted from third parties may become discussed: they are reports, as
    the public sets label them."""
    if reading.rule in STANDING:
        return False
    if verdict is Verdict.SUPPORTED and vector[_SIGNAL["names_held"]] < 1:
        return False
    if reading.verdict.verdict is Verdict.SUPPORTED:
        return reading.verdict.attribution is not None and vector[_SIGNAL["attributed_to_named"]] < 1
    return True


_WORDS = {
    Verdict.SUPPORTED: "supports it",
    Verdict.CONTRADICTED: "contradicts it",
    Verdict.DISCUSSED: "discusses it without settling it",
    Verdict.NOT_MENTIONED: "does not speak to it",
}


def combine(
    model: Model | None, claim: PreparedClaim, prepared: PreparedSource, reading: Reading, vector: list[float]
) -> SourceVerdict:
    """The combiner's verdict on one reading, with its confidence and the signals that drove it. The evidence is
    the rules' when they agree, else the passage most about the claim; the rule says both readings in words."""
    model = model if model is not None else default_model()
    probabilities, contributions = model.predict(vector)
    best = max(range(len(probabilities)), key=lambda k: (probabilities[k], -k))
    verdict = model.classes[best]
    drivers = explain(contributions[best], vector)
    confidence = round(probabilities[best], 3)
    rules = reading.verdict
    if verdict is not rules.verdict and not _may_overrule(reading, verdict, vector):
        verdict = rules.verdict
        at = model.classes.index(verdict)
        drivers = explain(contributions[at], vector)
        confidence = round(probabilities[at], 3)
    if verdict is rules.verdict:
        return rules.model_copy(update={"confidence": confidence, "signals": drivers})
    passages = reading.related or reading.candidates
    candidate = passages[0] if passages else None
    because = "; ".join(drivers) if drivers else "the signals together"
    rule = (
        f"weighing the signals, the source {_WORDS[verdict]} ({because}); "
        f"the rules alone say {rules.verdict.value.replace('_', ' ')}: {rules.rule}"
    )
    score = candidate.score if candidate is not None else 0
    made = make_verdict(prepared.source, verdict, score, rule, candidate)
    return made.model_copy(update={"confidence": confidence, "signals": drivers})
