"""The learned combiner: the shipped model loads and refuses what it was not trained for, its trees are evaluated
exactly, its verdicts explain themselves, the rules it may not overrule stand, and the mode is chosen by config."""

from __future__ import annotations

import json
import math
from importlib import resources

import pytest

from checks.corpus import load_corpus
from checks.engine import Engine
from checks.engine.attribution import attribution, is_description
from checks.engine.combine import STANDING, Model, Tree, default_model
from checks.engine.rules import HARD_RULES, RULES
from checks.engine.signals import SIGNALS
from checks.verdicts import Verdict
from tests.factories import make_source, seed_project

SEED = "BMW will integrate Huawei HiCar into its China-made cars in 2026"


def _model_text() -> str:
    return resources.files("checks.engine").joinpath("combiner.json").read_text(encoding="utf-8")


def test_the_shipped_model_matches_the_signals_and_records_its_training() -> None:
    model = default_model()
    assert model.classes == (Verdict.SUPPORTED, Verdict.CONTRADICTED, Verdict.DISCUSSED, Verdict.NOT_MENTIONED)
    assert model.trees and all(0 <= t.klass < 4 for t in model.trees)
    assert model.training["recipe"] == "training/combiner.py"
    assert set(model.training["rows"]) == {"fnc1", "emergent", "fever", "climate"}
    assert all(len(digest) == 64 for digest in model.training["data"].values())


def test_a_model_trained_on_other_signals_or_layout_is_refused() -> None:
    data = json.loads(_model_text())
    data["signals"] = data["signals"][:-1]
    with pytest.raises(ValueError, match="other signals"):
        Model.from_json(json.dumps(data))
    data = json.loads(_model_text())
    data["format"] = 99
    with pytest.raises(ValueError, match="format"):
        Model.from_json(json.dumps(data))
    with pytest.raises(ValueError, match="signals"):
        default_model().predict([0.0])
    with pytest.raises(ValueError, match="cycle"):
        Model.from_json(_model_text().replace('"class":1,', '"class":2,', 1))


def _path(tree: Tree, vector: list[float]) -> tuple[float, list[tuple[int, float]]]:
    """The reference walk, one node at a time: the tree's output and each step's (signal, change of output)."""
    node, steps = 0, []
    while tree.feature[node] != -1:
        split = tree.feature[node]
        child = tree.left[node] if vector[split] <= tree.threshold[node] else tree.right[node]
        steps.append((split, tree.value[child] - tree.value[node]))
        node = child
    return tree.value[node], steps


def test_a_tree_walks_left_on_at_most_the_threshold_and_attributes_each_step() -> None:
    # root splits on signal 0 at 5: left leaf 1.0, right splits on signal 1 at 0.5 into -1.0 / 3.0
    tree = Tree(0, (0, -1, 1, -1, -1), (5.0, 0, 0.5, 0, 0), (1, -1, 3, -1, -1), (2, -1, 4, -1, -1),
                (0.5, 1.0, 1.0, -1.0, 3.0))  # fmt: skip
    assert _path(tree, [5.0, 0.0]) == (1.0, [(0, 0.5)])
    assert _path(tree, [5.5, 0.5]) == (-1.0, [(0, 0.5), (1, -2.0)])
    assert _path(tree, [6.0, 0.6]) == (3.0, [(0, 0.5), (1, 2.0)])
    # the model's walk (all trees at once) agrees: against a constant second class, softmax(output, 0)
    zero = Tree(1, (-1,), (0.0,), (-1,), (-1,), (0.0,))
    model = Model((Verdict.SUPPORTED, Verdict.CONTRADICTED), (tree, zero), {})
    padding = [0.0] * (len(SIGNALS) - 2)
    for x, (out, steps) in (([5.0, 0.0], (1.0, [(0, 0.5)])), ([5.5, 0.5], (-1.0, [(0, 0.5), (1, -2.0)]))):
        walk = model.predict(x + padding)
        assert walk.probabilities[0] == pytest.approx(1 / (1 + math.exp(-out)))
        assert walk.contributions(0)[:2] == pytest.approx([sum(c for s, c in steps if s == i) for i in (0, 1)])


def test_probabilities_are_a_distribution_and_contributions_sum_to_the_path_outputs() -> None:
    model = default_model()
    vector = [0.0] * len(SIGNALS)
    vector[0] = vector[1] = 90.0
    walk = model.predict(vector)
    assert sum(walk.probabilities) == pytest.approx(1.0)
    for k in range(4):
        root = sum(t.value[0] for t in model.trees if t.klass == k)
        paths = [_path(t, vector) for t in model.trees if t.klass == k]
        assert root + sum(walk.contributions(k)) == pytest.approx(sum(out for out, _ in paths))
        by_signal = [0.0] * len(SIGNALS)
        for _, steps in paths:
            for signal, change in steps:
                by_signal[signal] += change
        assert walk.contributions(k) == pytest.approx(by_signal)


def test_hard_and_standing_rules_are_rule_codes() -> None:
    assert set(RULES) >= HARD_RULES and set(STANDING) <= set(RULES)


def test_learned_mode_gives_confidence_and_signals_and_the_same_verdicts_every_run() -> None:
    story = load_corpus("corpus").story("bmw-huawei-2025")
    first = Engine(mode="learned").check_claim(SEED, story)
    again = Engine(mode="learned").check_claim(SEED, story)
    assert [v.model_dump() for v in first] == [v.model_dump() for v in again]
    read = [v for v in first if v.confidence is not None]
    assert read and all(0 < v.confidence <= 1 and v.signals for v in read)  # type: ignore[operator]
    rules = Engine(mode="rules").check_claim(SEED, story)
    assert all(v.confidence is None and not v.signals for v in rules)


def test_in_learned_mode_a_different_figure_still_contradicts() -> None:
    source = make_source("BMW will integrate Huawei HiCar into its China-made cars in 2027, the company said.")
    [verdict] = Engine(mode="learned").check_claim(SEED, [source])
    assert verdict.verdict is Verdict.CONTRADICTED
    assert "2026" in verdict.rule and "2027" in verdict.rule


def test_in_learned_mode_a_negated_claim_meeting_the_positive_is_contradicted() -> None:
    source = make_source("BMW will integrate Huawei HiCar into its China-made cars in 2026.")
    claim = "BMW will not integrate Huawei HiCar into its China-made cars in 2026"
    [verdict] = Engine(mode="learned").check_claim(claim, [source])
    assert verdict.verdict is Verdict.CONTRADICTED


@pytest.mark.parametrize(
    ("text", "weighed"),
    [
        ("BMW will not integrate Huawei HiCar into its China-made cars in 2026.", False),
        ("BMW will not integrate Huawei HiCar into its China-made cars in 2026, BMW said.", False),
        ("BMW will not integrate Huawei HiCar into its China-made cars in 2026, a union official said.", True),
    ],
)
def test_a_negation_stands_unless_a_third_party_says_it(text: str, weighed: bool) -> None:
    """A negation scoped over the claim is the source's word when it speaks itself or quotes the claim's party; quoted
    from anyone else it is a report, which the combiner weighs (FNC-1 labels such bodies *discuss*)."""
    assert _weighed_as_discussion(text, "scoped_negation") is weighed


@pytest.mark.parametrize(
    ("rest", "weighed"),
    [
        ("The company gave no more details.\n", False),
        ("The deal may still change, sources say.\nIt could be delayed, people familiar with it said.\n", True),
    ],
)
def test_a_plain_support_is_weighed_only_in_a_story_told_with_hedges(rest: str, weighed: bool) -> None:
    """A support in the source's own voice stands, unless the story around it hedges (then FNC-1 labels it
    *discuss*: the story reports rather than asserts)."""
    text = "BMW will integrate Huawei HiCar into its China-made cars in 2026.\n" + rest
    assert _weighed_as_discussion(text, "supported") is weighed


def _weighed_as_discussion(text: str, rule: str) -> bool:
    """Whether the combiner may turn the rules' reading of the seed claim in ``text`` (by ``rule``) into
    discussed."""
    from checks.engine.combine import _may_overrule
    from checks.engine.matching import prepare_claim, prepare_source
    from checks.engine.normalize import AliasTable

    source = make_source(text)
    [found] = Engine(mode="learned").signals_of(SEED, [source])
    assert found is not None
    reading, vector = found
    assert reading.rule == rule
    aliases = AliasTable()
    claim, prepared = prepare_claim(SEED, aliases), prepare_source(source, aliases)
    return _may_overrule(claim, reading, Verdict.DISCUSSED, vector, prepared)


def test_a_headline_that_leaves_out_the_claims_figure_is_weighed_a_story_that_lacks_it_is_not() -> None:
    claim = "Acme will open its new Leeds site in 2026"
    headline = make_source("Acme to open new Leeds site, creating 300 jobs")
    [rules] = Engine(mode="rules").check_claim(claim, [headline])
    assert rules.verdict is Verdict.NOT_MENTIONED and "no 2026" in rules.rule
    [learned] = Engine(mode="learned").check_claim(claim, [headline])
    assert learned.verdict is not Verdict.NOT_MENTIONED, learned.rule
    story = make_source(
        "Acme to open new Leeds site, creating 300 jobs.\n\n"
        + "The company said the site would make parts for trains and buses, and that hiring would start soon. " * 5
    )
    [long] = Engine(mode="learned").check_claim(claim, [story])
    assert long.verdict is Verdict.NOT_MENTIONED and "no 2026" in long.rule


def test_an_unknown_mode_is_refused() -> None:
    with pytest.raises(ValueError, match="mode"):
        Engine(mode="neural")  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("BMW will use HarmonyOS NEXT, the company said on Monday.", "according to the company"),
        ("According to Reuters, the deal was signed.", "according to Reuters"),
        ("Norvane denied that the leak came from one of its tanks.", "Norvane denies"),
        ("Huawei's HiCar app will be integrated, BMW said.", "according to BMW"),
        ("BMW on Monday said it would partner with Huawei.", "according to BMW"),
    ],
)
def test_attribution_names_who_speaks(text: str, shown: str) -> None:
    found = attribution(text)
    assert found is not None and found.describe() == shown


@pytest.mark.parametrize(
    "text",
    ["The port reopened on Tuesday.", "Norvane did not immediately respond to a request for comment."],
)
def test_a_source_in_its_own_voice_has_no_attribution(text: str) -> None:
    assert attribution(text) is None


def test_verdicts_record_attribution_in_every_mode() -> None:
    source = make_source("BMW will integrate Huawei HiCar into its China-made cars in 2026, the automaker said.")
    for mode in ("rules", "learned"):
        [verdict] = Engine(mode=mode).check_claim(SEED, [source])  # type: ignore[arg-type]
        assert verdict.verdict is Verdict.SUPPORTED
        assert verdict.attribution == "according to the automaker"


def test_the_engine_mode_option_reaches_the_verdicts_and_the_cache_key(pytester: pytest.Pytester) -> None:
    seed_project(pytester)
    pytester.runpytest("features/")
    learned = json.loads((pytester.path / "reports" / "results.json").read_text(encoding="utf-8"))
    assert learned["run"]["configuration"]["engine"] == "learned"  # the default
    confidences = [
        v["confidence"] for s in learned["scenarios"] for c in s["checks"] for v in c["verdicts"] if "verdicts" in c
    ]
    assert any(c is not None for c in confidences)
    pytester.runpytest("features/", "--checks-engine-mode", "rules")  # the same cache: no learned answers
    rules = json.loads((pytester.path / "reports" / "results.json").read_text(encoding="utf-8"))
    assert rules["run"]["configuration"]["engine"] == "rules"  # the option overrides [tool.checks], as recorded
    assert all(v["confidence"] is None for s in rules["scenarios"] for c in s["checks"] for v in c.get("verdicts", []))


def test_every_seed_scenario_is_green_in_both_modes(pytester: pytest.Pytester) -> None:
    """The combiner must not demote a company's own statement ("…, the German automaker said") to a report, nor
    call silent a source naming the subject the editors declared: the shipped feature passes in both modes."""
    project = seed_project(pytester)
    for mode in ("learned", "rules"):
        result = project.runpytest_subprocess("features/", "-p", "no:cacheprovider", "--checks-engine-mode", mode)
        result.assert_outcomes(passed=15, xfailed=1)


@pytest.mark.parametrize(
    ("party", "expected"),
    [
        ("the German automaker", True),
        ("the company", True),
        ("the statement", True),
        ("a company statement", True),
        ("Reuters", False),
        ("the port authority", False),
        ("The Times", False),
    ],
)
def test_a_description_of_an_organisation_is_told_from_a_name(party: str, expected: bool) -> None:
    assert is_description(party) is expected


def test_a_description_speaks_for_the_claims_party_when_its_passage_names_it() -> None:
    claim = "Kestrel Air will open a base in Tromso in 2027"
    own = make_source("Kestrel Air will open a base in Tromso in 2027, the Norwegian airline said on Monday.")
    [verdict] = Engine(mode="learned").check_claim(claim, [own])
    assert verdict.verdict is Verdict.SUPPORTED, verdict.rule
    assert verdict.attribution == "according to the Norwegian airline"


def test_in_learned_mode_the_same_parties_with_another_fact_are_not_support() -> None:
    """The parties are named, but nothing the claim says of them is: the rules' support is weighed again."""
    source = make_source("Kestrel Air is a Norwegian airline based in Bergen, founded in 2003.")
    [verdict] = Engine(mode="learned").check_claim("Kestrel Air is a railway operator", [source])
    assert verdict.verdict is not Verdict.SUPPORTED, verdict.rule


def test_explanations_name_what_an_editor_can_check_before_sizes_and_shapes() -> None:
    from checks.engine.signals import SIGNALS, explain

    names = [s.name for s in SIGNALS]
    vector = [0.0] * len(SIGNALS)
    contributions = [0.0] * len(SIGNALS)
    for name, push in (("source_passages", 3.0), ("passage_words", 2.0), ("passage_negated", 1.0)):
        contributions[names.index(name)] = push
    vector[names.index("passage_negated")] = 1.0
    assert explain(contributions, vector) == ["the best passage holds a negation"]
    contributions[names.index("passage_negated")] = 0.0  # only sizes pushed: they are named rather than nothing
    assert explain(contributions, vector) == ["the source has 0 sentences", "the best passage is 0 words long"]
