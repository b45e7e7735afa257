"""The index across sources: its reach equals the per-source computation, screening never changes a verdict,
and the verdicts are the same with and without it."""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from checks.config import Thresholds
from checks.corpus.load import Corpus
from checks.engine import Engine, check_claim, check_values, decide_verdict
from checks.engine.index import SourceIndex
from checks.engine.matching import covered_terms, match_claim, prepare_claim, prepare_source, source_terms
from checks.engine.normalize import AliasTable
from checks.models import Source
from checks.verdicts import Verdict
from tests import factories

ALIASES = AliasTable.from_rows([("HarmonyOS NEXT", ["Harmony OS NEXT"]), ("Neue Klasse", ["New Class"])])
VOCABULARY = (
    "BMW Huawei HarmonyOS NEXT Harmony OS HiCar Neue Klasse cars China Chinese Shenyang integrate integrates adopted "
    "will not never may reportedly denied said launch launched 2025 2026 40% 25 percent million yuan raised cut "
    "software platform partnership electric vehicles vehicls softwre plattform platfrom platforn softwere "
    "Reuters Munich Beijing hoax fake "
    "Copyright Updated Related: Share this article"
).split()
WORDS = st.sampled_from(VOCABULARY)
LINES = st.lists(WORDS, min_size=1, max_size=14).map(lambda ws: " ".join(ws) + st_end(ws))
TEXTS = st.lists(LINES, min_size=1, max_size=8).map(lambda lines: "\n".join(lines) + "\n")
CLAIMS = st.lists(WORDS, min_size=1, max_size=10).map(" ".join)
CONFIGS = st.builds(
    lambda related, gap, fuzzy: Thresholds(related=related, supported=min(100, related + gap), fuzzy_token=fuzzy),
    st.integers(0, 90),
    st.integers(0, 40),
    st.sampled_from([80, 88, 95]),
)


def st_end(words: list[str]) -> str:
    return "." if len(words) % 3 else "?"


def make_source(text: str, number: int = 0) -> Source:
    return factories.make_source(text, f"s{number}", sha256=f"{number:064x}")


@settings(max_examples=200, deadline=None)
@given(TEXTS)
def test_source_terms_are_the_prepared_postings(text: str) -> None:
    source = make_source(text)
    assert source_terms(source, ALIASES) == set(prepare_source(source, ALIASES).postings)


@settings(max_examples=150, deadline=None)
@given(st.lists(TEXTS, min_size=1, max_size=6), CLAIMS, st.sampled_from([80, 88, 95]))
def test_the_index_reach_equals_the_per_source_reach(texts: list[str], claim: str, cutoff: int) -> None:
    sources = [make_source(text, i) for i, text in enumerate(texts)]
    prepared = prepare_claim(claim, ALIASES)
    reach = SourceIndex(sources, ALIASES).reach(prepared, score_cutoff=cutoff)
    for i, source in enumerate(sources):
        terms = covered_terms(prepared, prepare_source(source, ALIASES), score_cutoff=cutoff)
        assert reach.covered[i] == sum(prepared.units[t] for t in terms)
        assert reach.frame[i] == sum(prepared.units[t] for t in terms if t in prepared.frame)


@settings(max_examples=150, deadline=None)
@given(st.lists(TEXTS, min_size=1, max_size=6), CLAIMS, st.sampled_from([80, 88, 95]))
def test_spellings_across_sources_match_as_in_each_source_alone(texts: list[str], claim: str, cutoff: int) -> None:
    """Misspellings looked up once across sources (closest first, then alphabetical) pick in each source the
    spelling its own lookup would: "platfrom" and "platforn" are equally close to "platform"."""
    sources = [make_source(text, i) for i, text in enumerate(texts)]
    prepared = prepare_claim(claim, ALIASES)
    spellings = SourceIndex(sources, ALIASES).spellings(prepared, score_cutoff=cutoff)
    for source in sources:
        alone = prepare_source(source, ALIASES)
        assert match_claim(prepared, alone, score_cutoff=cutoff, spellings=spellings) == match_claim(
            prepared, alone, score_cutoff=cutoff
        )


@settings(max_examples=300, deadline=None)
@given(st.lists(TEXTS, min_size=1, max_size=5), CLAIMS, CONFIGS)
def test_screening_never_changes_a_verdict(texts: list[str], claim: str, config: Thresholds) -> None:
    """In rules mode, a source screened out is one the full rules would also call not mentioned (learned mode
    reads short sources the rules would leave unread: see test_learned_mode_reads_a_short_source_sharing_a_term)."""
    sources = [make_source(text, i) for i, text in enumerate(texts)]
    prepared = prepare_claim(claim, ALIASES, published=sources[0].metadata.published_date())
    screened = Engine(ALIASES, config, mode="rules").screen_claim(claim, sources, index=True)
    for position, (verdict, source) in enumerate(zip(screened, sources, strict=True)):
        full = decide_verdict(prepared, prepare_source(source, ALIASES), config)
        if position in screened.read:
            assert verdict == full
        else:
            assert full.verdict is Verdict.NOT_MENTIONED
            assert verdict.verdict is Verdict.NOT_MENTIONED
            assert verdict.score >= full.score  # the reach bounds every passage's score


@settings(max_examples=150, deadline=None)
@given(st.lists(TEXTS, min_size=1, max_size=6), CLAIMS, CONFIGS)
def test_the_same_verdicts_with_and_without_the_index(texts: list[str], claim: str, config: Thresholds) -> None:
    sources = [make_source(text, i) for i, text in enumerate(texts)]
    with_index = check_claim(claim, sources, aliases=ALIASES, config=config, index=True)
    assert with_index == check_claim(claim, sources, aliases=ALIASES, config=config, index=False)


def test_the_seed_verdicts_are_the_same_with_and_without_the_index(seed_corpus: Corpus) -> None:
    sources = seed_corpus.story("bmw-huawei-2025")
    sentences = [s.text[a:b] for s in sources for a, b in _some_spans(s)]
    for claim in sentences:
        indexed = check_claim(claim, sources, aliases=ALIASES, index=True)
        assert indexed == check_claim(claim, sources, aliases=ALIASES, index=False)


VALUES = [("HiCar", ()), ("HarmonyOS NEXT", ("Harmony OS NEXT",)), ("electric vehicles", ("EVs",)), ("2026", ())]


@settings(max_examples=150, deadline=None)
@given(st.lists(TEXTS, min_size=1, max_size=6))
def test_agreement_is_the_same_with_and_without_the_index(texts: list[str]) -> None:
    sources = [make_source(text, i) for i, text in enumerate(texts)]
    screened = check_values("Which system?", VALUES, sources, aliases=ALIASES, index=True)
    assert screened == check_values("Which system?", VALUES, sources, aliases=ALIASES, index=False)
    assert all(v.verdict is Verdict.NOT_MENTIONED for i, v in enumerate(screened) if i not in screened.read)


def test_agreement_reads_only_sources_that_hold_a_whole_value() -> None:
    sources = [
        make_source("BMW will use HiCar in 2026.\n", 0),
        make_source("Huawei makes electric cars.\n", 1),  # "electric" without "vehicles": cannot name a value
        make_source("Munich weather was mild.\n", 2),
    ]
    screened = check_values("Which system?", VALUES, sources, aliases=ALIASES, index=True)
    assert list(screened.read) == [0] and screened[0].values == ["HiCar", "2026"]
    assert screened[1].rule == screened[2].rule == "names none of: HiCar, HarmonyOS NEXT, electric vehicles, 2026"


def _some_spans(source: Source) -> list[tuple[int, int]]:
    prepared = prepare_source(source, ALIASES)
    return [(p.start, p.end) for p in prepared.passages[::3]]


def test_an_unrelated_source_is_screened_out_and_says_how_little_it_shares() -> None:
    related = make_source("BMW will integrate Huawei HiCar into its China-made cars in 2026.\n", 0)
    unrelated = make_source("Munich weather was mild on Monday, said the BMW museum.\n", 1)
    empty = make_source("Nothing in common here at all.\n", 2)
    claim = "BMW will integrate Huawei HiCar into its China-made cars in 2026"
    screened = Engine(mode="rules").screen_claim(claim, [related, unrelated, empty])
    assert list(screened.read) == [0]
    assert screened[1].verdict is Verdict.NOT_MENTIONED and screened[-2] == screened[1]
    assert "appear anywhere in the source" in screened[1].rule
    assert screened[2].rule == "no passage shares a key term with the claim"
    assert screened.speaking() == [screened[0]] == [v for v in screened if v.verdict.speaks]
    assert screened[1:] == [screened[1], screened[2]] and len(screened) == 3
    with pytest.raises(IndexError):
        screened[3]


def test_learned_mode_reads_a_short_source_sharing_a_term() -> None:
    """A headline or an evidence sentence sharing a key term is weighed by the combiner, so the screen reads it;
    one sharing none stays screened out in every mode."""
    short = make_source("Munich weather was mild on Monday, said the BMW museum.\n", 0)
    empty = make_source("Nothing in common here at all.\n", 1)
    claim = "BMW will integrate Huawei HiCar into its China-made cars in 2026"
    screened = Engine(mode="learned").screen_claim(claim, [short, empty])
    assert list(screened.read) == [0]
    assert screened[1].rule == "no passage shares a key term with the claim"


def test_a_misspelling_in_the_source_keeps_it_a_candidate() -> None:
    source = make_source("The softwre plattform partnership was announced.\n")
    screened = Engine().screen_claim("software platform partnership", [source])
    assert list(screened.read) == [0] and screened[0].verdict is Verdict.SUPPORTED


@pytest.mark.slow
def test_fnc1_sample_verdicts_are_the_same_with_and_without_the_index(monkeypatch: pytest.MonkeyPatch) -> None:
    """A sample of the cross product the benchmarks run: every label equals the full rules' label."""
    monkeypatch.syspath_prepend(str(Path(__file__).resolve().parents[1] / "benchmarks"))
    import fnc1

    try:
        path = fnc1.data_dir()
    except SystemExit:
        pytest.skip("FNC-1 data not beside the project")
    bodies = sorted(fnc1.load_bodies(path).items())
    headlines = sorted({pair.headline for pair in fnc1.load_pairs(path)})
    rng = random.Random(6)
    sources = [fnc1.body_source(body_id, text) for body_id, text in rng.sample(bodies, 150)]
    config = Thresholds()
    rules, learned = Engine(thresholds=config, mode="rules"), Engine(thresholds=config, mode="learned")
    for headline in rng.sample(headlines, 25):
        indexed = learned.check_claim(headline, sources, index=True)
        assert indexed == learned.check_claim(headline, sources, index=False)
        indexed = rules.check_claim(headline, sources, index=True)
        assert indexed == rules.check_claim(headline, sources, index=False)
        prepared = prepare_claim(headline, AliasTable())
        labels = [decide_verdict(prepared, prepare_source(s, AliasTable()), config).verdict for s in sources]
        assert [v.verdict for v in indexed] == labels
