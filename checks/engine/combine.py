"""The learned combiner: a small gradient-boosted tree model that weighs the rules' signals into a verdict.

The rules (:mod:`checks.engine.rules`) stay the explainable features and keep the last word where they state a
fact exactly (:data:`checks.engine.rules.HARD_RULES`: another figure, date, day or declared alternative). For
every other reading the combiner weighs the signals of :mod:`checks.engine.signals` and gives a verdict with
its confidence and the two or three signals that drove it (per-signal contributions along each tree's path).

The model ships in the package (``combiner.json``, its training recipe and data manifest inside it); it is
trained by ``python training/combiner.py`` from the public data sets, bit for bit the same on every run. It is
evaluated with numpy comparisons and an exactly rounded sum per class (``math.fsum``): the same verdicts on every
run and platform, no network, no LightGBM at run time. The file is part of the engine's fingerprint, so it is
part of every verdict-cache key.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from typing import Any

import numpy as np
import numpy.typing as npt

from checks.engine.matching import PreparedClaim, PreparedSource
from checks.engine.normalize import HEDGES, QUESTION
from checks.engine.rules import HARD_RULES, Reading, make_verdict, unsupportable
from checks.engine.signals import SIGNALS, explain
from checks.engine.values import ValueKind
from checks.models import SourceVerdict
from checks.verdicts import Verdict

__all__ = ["FORMAT", "SHORT_SOURCE", "Model", "Tree", "Walk", "combine", "decide", "default_model", "weighed"]

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


@dataclass(frozen=True, slots=True)
class Model:
    classes: tuple[Verdict, ...]
    trees: tuple[Tree, ...]
    training: dict[str, Any]
    """How the model was made: recipe, parameters, data manifest (file hashes, rows per set)."""
    forest: _Forest = field(init=False, repr=False, compare=False)
    """The trees as arrays, built once with the model."""

    def __post_init__(self) -> None:
        object.__setattr__(self, "forest", _Forest.of(self.trees))

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

    def predict(self, vector: list[float]) -> Walk:
        """Walk every tree for ``vector``: class probabilities and, on demand, each signal's contribution.

        All trees are walked at once, one level per step (numpy); each class's outputs are summed with
        ``math.fsum``, which rounds exactly, so the probabilities do not depend on the order or the platform."""
        if len(vector) != len(SIGNALS):
            raise ValueError(f"expected {len(SIGNALS)} signals, got {len(vector)}")
        forest = self.forest
        x = np.asarray(vector, dtype=np.float64)
        at = forest.roots
        levels = [at]
        for _ in range(forest.depth):
            left = x.take(forest.feature.take(at)) <= forest.threshold.take(at)
            at = np.where(left, forest.left.take(at), forest.right.take(at))
            levels.append(at)
        leaves = forest.value.take(at).reshape(-1, len(self.classes))
        raw = [math.fsum(column) for column in leaves.T.tolist()]
        top = max(raw)
        exps = [math.exp(r - top) for r in raw]
        total = sum(exps)
        return Walk([e / total for e in exps], np.stack(levels), forest, len(self.classes))


@dataclass(frozen=True, slots=True)
class Walk:
    """One vector's way through the trees."""

    probabilities: list[float]
    levels: npt.NDArray[np.int64]
    """Node (flat index) of every tree at every level, root first; a leaf repeats itself to the last level."""
    forest: _Forest
    classes: int

    def contributions(self, klass: int) -> list[float]:
        """Each signal's share of the class's output: the change of output at every split it decided, summed
        over the class's trees (leaves repeat themselves, so they add nothing)."""
        mine = self.levels[:, klass :: self.classes]
        change = self.forest.value.take(mine[1:]) - self.forest.value.take(mine[:-1])
        split = self.forest.feature.take(mine[:-1])
        summed: list[float] = np.bincount(split.ravel(), weights=change.ravel(), minlength=len(SIGNALS)).tolist()
        return summed


@dataclass(frozen=True, slots=True, eq=False)
class _Forest:
    """Every tree of a model in flat arrays (tree ``i``'s node ``j`` at ``i * width + j``), children as flat
    indexes; a leaf splits on signal 0 at +inf and is its own child, so every walk takes ``depth`` steps."""

    roots: npt.NDArray[np.int64]
    feature: npt.NDArray[np.int64]
    threshold: npt.NDArray[np.float64]
    left: npt.NDArray[np.int64]
    right: npt.NDArray[np.int64]
    value: npt.NDArray[np.float64]
    depth: int

    @classmethod
    def of(cls, trees: tuple[Tree, ...]) -> _Forest:
        classes = 1 + max(t.klass for t in trees)
        if any(t.klass != i % classes for i, t in enumerate(trees)):
            raise ValueError("combiner model trees must cycle through the classes in order")
        width = max(len(t.feature) for t in trees)
        size = len(trees) * width
        feature = np.zeros(size, dtype=np.int64)
        threshold = np.full(size, np.inf, dtype=np.float64)
        left = np.arange(size, dtype=np.int64)
        right = np.arange(size, dtype=np.int64)
        value = np.zeros(size, dtype=np.float64)
        for i, t in enumerate(trees):
            base = i * width
            for j, split in enumerate(t.feature):
                value[base + j] = t.value[j]
                if split != _LEAF:
                    feature[base + j], threshold[base + j] = split, t.threshold[j]
                    left[base + j], right[base + j] = base + t.left[j], base + t.right[j]
        roots = np.arange(len(trees), dtype=np.int64) * width
        return cls(roots, feature, threshold, left, right, value, max(_depth(t, 0) for t in trees))


def _depth(tree: Tree, node: int) -> int:
    if tree.feature[node] == _LEAF:
        return 0
    return 1 + max(_depth(tree, tree.left[node]), _depth(tree, tree.right[node]))


SHORT_SOURCE = 400
"""Sources this short (characters) are a headline or an evidence sentence or two: for them little overlap is not
silence, so the combiner weighs them even where no passage reaches ``related`` (and the screen reads them)."""


def weighed(reading: Reading, source_length: int) -> bool:
    """Whether the combiner weighs this reading: not where a hard rule decided (:data:`HARD_RULES`), nor where no
    passage of a long source speaks to the claim (it stays not mentioned, as the rules say)."""
    if reading.rule in HARD_RULES:
        return False
    return reading.rule != "unrelated" or source_length <= SHORT_SOURCE


def decide(probabilities: list[float]) -> int:
    """The class to give: the likeliest, ties going to the earlier class. (Measured in cross-validation inside the
    tune parts: settling only when supported + contradicted outweighs the other two lost 1-5 points of accuracy.)"""
    return max(range(len(probabilities)), key=lambda k: (probabilities[k], -k))


@lru_cache(maxsize=1)
def default_model() -> Model:
    """The model shipped with the package (``checks/engine/combiner.json``)."""
    text = resources.files("checks.engine").joinpath("combiner.json").read_text(encoding="utf-8")
    return Model.from_json(text)


STANDING = frozenset(
    {
        "negative_claim_stated",
        "scoped_negation",
        "party_denial",
        "negation_nearby",
        "direction",
        "value_kind_absent",
        "opposite",
    }
)
"""Rules the combiner never overrules either: a negation that scopes over the claim, a negative claim stated as
fact, a denial by the party the claim names, opposite directions (cut / raised), a word in the claim's place
that excludes the claim's (first / second, American / Canadian: :mod:`.opposites`), a claim's kind of figure the
source never gives. The public sets hold few such sentences about claims as editors
write them, so the model learned them poorly (it reads "X will not..." meeting "X will..." as a discussion)."""
_SIGNAL = {s.name: i for i, s in enumerate(SIGNALS)}
_REPORTED_NEGATIONS = frozenset({"negative_claim_stated", "scoped_negation"})
"""Standing rules the combiner may weigh after all when the passage is quoted from a party the claim does not
name: what a third party says against a claim is reported, not the source's own word (measured by
cross-validation through the engine: FNC-1 disagree F1 0.290 → 0.297, the other sets unchanged)."""


_WHEN = frozenset({ValueKind.DATE, ValueKind.WEEK, ValueKind.MONTH})
"""Kinds of figure that tie a claim to its time: a short source without them never supports it."""


_HEDGING = 2
"""A source with this many sentences that hedge (beyond the claim's own hedges) tells its story as a report: the
combiner may weigh even its plain statement of the claim as a discussion (cross-validation through the engine:
FNC-1 FNC score 79.4 → 79.8 %, the other sets unchanged)."""


_STORY_HEDGES = HEDGES - {QUESTION}
"""The hedges that make a story a report: a question is none here (an FAQ asks its questions of a story it tells
plainly)."""


def _hedging(claim: PreparedClaim, prepared: PreparedSource) -> int:
    """How many of the source's sentences hedge (:data:`_STORY_HEDGES`), the claim's own hedges aside."""
    return sum(bool((p.cues & _STORY_HEDGES) - claim.cues) for p in prepared.passages)


def _third_party(vector: list[float]) -> bool:
    """The best passage is quoted from someone, and not from a party the claim names."""
    return vector[_SIGNAL["passage_attributed"]] > 0 and vector[_SIGNAL["attributed_to_named"]] < 1


def _may_overrule(
    claim: PreparedClaim, reading: Reading, verdict: Verdict, vector: list[float], prepared: PreparedSource
) -> bool:
    """Where the combiner may replace the rules' verdict. Besides :data:`STANDING`: it never calls supported a
    source that does not name all the parties of the claim, nor one whose passage about the claim lacks the
    claim's kind of figure or gives another figure or the opposite direction; it never calls silent a source whose
    passage about the claim names the subject the editors declared (a declared name in its first words: the source
    covers what the claim is about, and the rules found part of it there); and it never demotes a support the
    source states in its own voice or in the words of a party the claim names (a full, unhedged statement of the
    claim: what an editor means by "the source says it"), nor one of a claim that itself reports what someone said;
    and a denial by a party the claim does not name stays a report (discussed), never the source's contradiction.
    A support in the source's own voice may become discussed in a story told with hedges (:data:`_HEDGING`).
    Supports quoted from third parties may become discussed: they are reports, as the public sets label them; so
    may a negation quoted from a third party (:data:`_REPORTED_NEGATIONS`). A short source (a headline, a sentence)
    without the claim's kind of figure is weighed too: there the figure is left out, not absent from a story.
    (Each measured by cross-validation through the engine, ``python training/combiner.py --cv-engine``.)"""
    if reading.rule == "value_kind_absent" and len(prepared.source.text) <= SHORT_SOURCE:
        # a headline or one sentence that leaves out the claim's figure omits it ("Apple's 12-inch MacBook Air
        # revealed" for "... in 2015"): the combiner weighs it, naming the claim's parties to support it; not
        # a day, week or month, which tie the claim to its time ("began in the summer" is no "earlier this month")
        if verdict is Verdict.SUPPORTED:
            timed = any(v.kind in _WHEN for v in claim.values)
            return not timed and vector[_SIGNAL["names_held"]] >= 1
        return True
    if reading.rule in STANDING:
        return reading.rule in _REPORTED_NEGATIONS and _third_party(vector)
    if verdict is Verdict.CONTRADICTED and reading.rule == "hedged" and vector[_SIGNAL["passage_reported_denial"]] > 0:
        return False  # "the union denied that...": a denial by a party the claim does not name is reported
    if verdict is Verdict.SUPPORTED and vector[_SIGNAL["names_held"]] < 1:
        return False
    if verdict is Verdict.SUPPORTED and (reading.best is None or unsupportable(claim, reading.best)):
        return False  # "cut rates to zero" is not supported by "raised interest rates", however alike they read
    if verdict is Verdict.NOT_MENTIONED and reading.verdict.verdict is Verdict.DISCUSSED and claim.subject:
        best = reading.best
        if best is not None and best.holds(claim.subject):
            return False
    if reading.verdict.verdict is Verdict.SUPPORTED:
        if vector[_SIGNAL["claim_attributed"]] > 0:
            return False  # "..., Green stated" is supported by a source reporting that Green stated it
        if verdict is Verdict.DISCUSSED and _hedging(claim, prepared) >= _HEDGING:
            return True  # a story told with hedges ("reportedly", "may", "sources say") reports what it states
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
    walk = model.predict(vector)
    probabilities = walk.probabilities
    best = decide(probabilities)
    rules = reading.verdict
    held: list[str] = []
    leaning = model.classes[best]
    if leaning is not rules.verdict and not _may_overrule(claim, reading, leaning, vector, prepared):
        best = model.classes.index(rules.verdict)
        held = [f"the rule stands, though the signals lean to {leaning.value.replace('_', ' ')}"]
    verdict = model.classes[best]
    drivers = held + explain(walk.contributions(best), vector)
    confidence = round(probabilities[best], 3)
    if verdict is rules.verdict:
        return rules.model_copy(update={"confidence": confidence, "signals": drivers})
    candidate = reading.best
    because = "; ".join(drivers) if drivers else "the signals together"
    rule = (
        f"weighing the signals, the source {_WORDS[verdict]} ({because}); "
        f"the rules alone say {rules.verdict.value.replace('_', ' ')}: {rules.rule}"
    )
    score = candidate.score if candidate is not None else 0
    made = make_verdict(prepared.source, verdict, score, rule, candidate)
    return made.model_copy(update={"confidence": confidence, "signals": drivers})
