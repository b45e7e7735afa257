from __future__ import annotations

import re

import pytest
from hypothesis import assume, example, given, settings
from hypothesis import strategies as st

from checks.corpus.load import Corpus
from checks.engine import Engine, check_claim, check_values
from checks.engine.matching import prepare_claim
from checks.engine.normalize import AliasTable
from checks.models import Claim, SectionKind, Source
from checks.verdicts import Verdict
from tests.factories import is_plain_word, make_source

ALIASES = AliasTable.from_rows([("HarmonyOS NEXT", ["Harmony OS NEXT"]), ("R&D centres", ["R&D centers"])])
ALTERNATIVES = (("HiCar", "HarmonyOS NEXT"),)


source = make_source


def verdicts(corpus: Corpus, claim: str | Claim) -> dict[str, Verdict]:
    return {v.source: v.verdict for v in check_claim(claim, corpus.story("bmw-huawei-2025"), aliases=ALIASES)}


@pytest.mark.parametrize(
    ("claim", "gbaf", "neue"),
    [
        pytest.param("BMW is working with Huawei", Verdict.SUPPORTED, Verdict.SUPPORTED, id="partner"),
        pytest.param(
            Claim("BMW will integrate Huawei HiCar into its China-made cars in 2026", ALTERNATIVES),
            Verdict.SUPPORTED,
            Verdict.CONTRADICTED,
            id="hicar-vs-harmonyos",
        ),
        pytest.param(
            "BMW will integrate Huawei HiCar into its China-made cars in 2028",
            Verdict.CONTRADICTED,
            Verdict.DISCUSSED,
            id="wrong-year",
        ),
        pytest.param(
            "Nearly 25% of BMW's mobile app users in China use Huawei devices",
            Verdict.NOT_MENTIONED,
            Verdict.SUPPORTED,
            id="25-percent",
        ),
        pytest.param(
            "40% of BMW's mobile application users in China rely on Huawei devices",
            Verdict.NOT_MENTIONED,
            Verdict.CONTRADICTED,
            id="40-percent",
        ),
        pytest.param("BMW has four R&D centres in China", Verdict.NOT_MENTIONED, Verdict.SUPPORTED, id="four-centres"),
        pytest.param("BMW has six R&D centres in China", Verdict.NOT_MENTIONED, Verdict.CONTRADICTED, id="six-centres"),
        pytest.param("Tesla cut prices in Europe", Verdict.NOT_MENTIONED, Verdict.NOT_MENTIONED, id="unrelated"),
    ],
)
def test_seed_verdicts(seed_corpus: Corpus, claim: str | Claim, gbaf: Verdict, neue: Verdict) -> None:
    assert verdicts(seed_corpus, claim) == {"reuters-via-gbaf": gbaf, "harmonyos-neue-klasse": neue}


def test_rules_explain_themselves(seed_corpus: Corpus) -> None:
    [neue] = check_claim(
        "40% of BMW's mobile application users in China rely on Huawei devices",
        seed_corpus.story("bmw-huawei-2025")[:1],
        aliases=ALIASES,
    )
    assert neue.rule == "number differs: claim says 40 %, source says nearly 25 %"
    assert neue.evidence is not None
    assert "nearly 25%" in neue.evidence.quote


def test_every_evidence_slices_its_source(seed_corpus: Corpus) -> None:
    sources = seed_corpus.story("bmw-huawei-2025")
    for claim in ("BMW is working with Huawei", "BMW has six R&D centres in China", "Digital key for HarmonyOS"):
        for verdict in check_claim(claim, sources, aliases=ALIASES):
            if verdict.evidence is not None:
                text = seed_corpus.by_id[verdict.source].text
                assert text[verdict.evidence.start : verdict.evidence.end] == verdict.evidence.quote


def test_boilerplate_is_never_evidence(seed_corpus: Corpus) -> None:
    [gbaf] = check_claim("Add as preferred source on Google", [seed_corpus.by_id["reuters-via-gbaf"]])
    assert gbaf.verdict is Verdict.NOT_MENTIONED


def test_cut_is_not_raised() -> None:
    [verdict] = check_claim(
        "The central bank cut interest rates", [source("The central bank raised interest rates.\n")]
    )
    assert verdict.verdict is Verdict.CONTRADICTED
    assert verdict.rule.startswith("direction differs")


def test_negation_contradicts_and_hedge_discusses() -> None:
    negated = source("BMW will not integrate Huawei HiCar into its cars made in China.\n")
    hedged = source("BMW may reportedly integrate Huawei HiCar into its cars made in China.\n")
    claim = "BMW will integrate Huawei HiCar into its cars made in China"
    assert check_claim(claim, [negated])[0].verdict is Verdict.CONTRADICTED
    assert check_claim(claim, [hedged])[0].verdict is Verdict.DISCUSSED


CLAIM_HICAR = "BMW will integrate Huawei HiCar into its cars made in China"


@pytest.mark.parametrize(
    "text",
    [
        "BMW will reportedly integrate Huawei HiCar into its cars made in China.\n",
        "BMW could integrate Huawei HiCar into its cars made in China, people familiar with the plan said.\n",
        "Huawei HiCar will allegedly be integrated by BMW into its cars made in China.\n",
    ],
)
def test_a_hedge_in_the_passage_itself_discusses(text: str) -> None:
    [verdict] = check_claim(CLAIM_HICAR, [source(text)])
    assert verdict.verdict is Verdict.DISCUSSED
    assert verdict.rule.startswith("hedged ("), verdict.rule  # the passage's own hedge, not one nearby


@pytest.mark.parametrize(
    "text",
    [
        "BMW will integrate Huawei HiCar into its cars made in China.\n\n"
        "Reports that BMW will integrate Huawei HiCar in China remain unconfirmed.\n",
        "Reports that BMW may integrate Huawei HiCar in China cars spread on Monday.\n\n"
        "BMW will integrate Huawei HiCar into its cars made in China.\n",
    ],
)
def test_a_hedge_in_a_nearby_passage_about_the_claim_discusses(text: str) -> None:
    [verdict] = check_claim(CLAIM_HICAR, [source(text, body_only=True)])
    assert verdict.verdict is Verdict.DISCUSSED
    assert verdict.rule.startswith("reports it, hedged nearby"), verdict.rule


def test_a_hedge_about_something_else_does_not_discuss() -> None:
    text = "BMW will integrate Huawei HiCar into its cars made in China.\n\nIt may rain in Munich tomorrow.\n"
    assert check_claim(CLAIM_HICAR, [source(text, body_only=True)])[0].verdict is Verdict.SUPPORTED


def test_attributed_denial_is_discussed_and_hoax_is_contradicted() -> None:
    claim = "A spider burrowed under a tourist's skin in Bali"
    denied = source("The hotel denied that a spider burrowed under a tourist's skin in Bali.\n")
    hoax = source("The story that a spider burrowed under a tourist's skin in Bali is a hoax. It is fake.\n")
    assert check_claim(claim, [denied])[0].verdict is Verdict.DISCUSSED
    assert check_claim(claim, [hoax])[0].verdict is Verdict.CONTRADICTED


def test_agreement_values(seed_corpus: Corpus) -> None:
    result = check_values(
        "Which Huawei system",
        [("HiCar", ["Huawei HiCar"]), ("HarmonyOS NEXT", ["Harmony OS NEXT"])],
        seed_corpus.story("bmw-huawei-2025"),
    )
    assert {v.source: v.values for v in result} == {
        "harmonyos-neue-klasse": ["HarmonyOS NEXT"],
        "reuters-via-gbaf": ["HiCar"],
    }
    for verdict in result:
        assert verdict.evidence is not None and verdict.evidence.section.value == "body"


def test_a_warm_engine_answers_as_a_cold_one(seed_corpus: Corpus) -> None:
    """What an engine keeps between claims (prepared sources, indexes) never changes a later verdict: the same
    claim after others, with other alias tables, gets the verdicts a fresh engine gives it."""
    story = seed_corpus.story("bmw-huawei-2025")
    claim = "BMW adopts HarmonyOS NEXT in Neue Klasse EVs built in China"
    cold = Engine(ALIASES).check_claim(claim, story)
    warm = Engine(ALIASES)
    for other in ("BMW has six R&D centres in China", "Huawei HiCar reaches 25% of users", claim):
        warm.check_claim(other, story, aliases=AliasTable())
        warm.check_claim(other, story)
    assert list(warm.check_claim(claim, story)) == list(cold)
    assert any(v.verdict.speaks for v in cold)


_EVERY_SENTENCE = """
import json, sys
from checks.corpus.load import load_corpus
from checks.engine import check_claim
from checks.engine.matching import prepare_source
from checks.engine.normalize import AliasTable
aliases = AliasTable.from_rows([("HarmonyOS NEXT", ["Harmony OS NEXT"])])
sources = load_corpus(sys.argv[1]).story("bmw-huawei-2025")
claims = [s.text[p.start : p.end] for s in sources for p in prepare_source(s, aliases).passages]
print(json.dumps([[v.model_dump(mode="json") for v in check_claim(c, sources, aliases=aliases)] for c in claims]))
"""


def test_the_same_verdicts_whatever_the_hash_seed() -> None:
    """Sets iterate in an order that depends on the process's hash seed (and xdist workers differ in it):
    no score may depend on that order. Every sentence of the seed, as a claim, in two processes."""
    import os
    import subprocess
    import sys

    from tests.conftest import SEED

    outputs = []
    for seed in ("1", "2"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        done = subprocess.run(
            [sys.executable, "-c", _EVERY_SENTENCE, str(SEED)], env=env, capture_output=True, text=True, check=True
        )
        outputs.append(done.stdout)
    assert outputs[0] == outputs[1] and '"supported"' in outputs[0]


WORDS = st.text(alphabet="abcdefghijklmnopqrstuvwxyz", min_size=4, max_size=10).filter(is_plain_word)
SENTENCES = st.lists(WORDS, min_size=4, max_size=12).map(lambda ws: " ".join(ws).capitalize() + ".")


@settings(max_examples=150, deadline=None)
@given(SENTENCES, st.lists(SENTENCES, max_size=4))
def test_a_verbatim_sentence_supports_itself(sentence: str, others: list[str]) -> None:
    text = "\n".join([*others, sentence, *others]) + "\n"
    # Body only: a random first word such as "Updated" makes the section heuristics call a line boilerplate.
    [verdict] = check_claim(sentence, [source(text, body_only=True)])
    assert verdict.verdict is Verdict.SUPPORTED
    assert verdict.evidence is not None
    assert text[verdict.evidence.start : verdict.evidence.end] == verdict.evidence.quote


@settings(max_examples=150, deadline=None)
@given(st.lists(WORDS, min_size=4, max_size=10), st.integers(2, 900), st.integers(1, 90))
@example(words=["aaaa", "aaaa", "mara", "aaaa"], number=2, delta=30)  # "mara 2" was read as a date (March 2)
def test_changing_a_number_contradicts(words: list[str], number: int, delta: int) -> None:
    said = f"{' '.join(words[:2]).capitalize()} {number} {' '.join(words[2:])}."
    changed = said.replace(f" {number} ", f" {number + delta} ")
    assume(changed != said and not re.search(r"\d{4}", said))
    [verdict] = check_claim(changed, [source(said + "\n")])
    assert verdict.verdict is Verdict.CONTRADICTED, verdict.rule


@settings(max_examples=150, deadline=None)
@given(st.lists(SENTENCES, min_size=1, max_size=5), st.lists(WORDS, min_size=2, max_size=6))
def test_no_shared_key_term_is_not_mentioned(sentences: list[str], claim_words: list[str]) -> None:
    text = "\n".join(sentences) + "\n"
    vocabulary = set(text.casefold().replace(".", "").split())
    claim = [w for w in claim_words if w not in vocabulary and not any(w[:4] == v[:4] for v in vocabulary)]
    assume(len(claim) >= 2)
    [verdict] = check_claim(" ".join(claim), [source(text)])
    assert verdict.verdict is Verdict.NOT_MENTIONED


def test_a_span_holds_the_terms_of_its_own_passages_only() -> None:
    from checks.engine.matching import match_claim, prepare_claim, prepare_source

    text = "BMW builds cars in Shenyang today.\n\nHuawei makes phones in Shenzhen, far away.\n"
    prepared = prepare_source(source(text, body_only=True), AliasTable())
    best, *_ = match_claim(prepare_claim("BMW builds cars", AliasTable()), prepared)
    assert text[best.start : best.end] == "BMW builds cars in Shenyang today."
    assert best.holds("shenyang") and best.holds("bmw")
    assert not best.holds("huawei") and not best.holds("shenzhen") and not best.holds("absent")


# -- independent sources (lineages) -------------------------------------------------------------------------------

WIRE = (
    "Harbour officials said the container terminal would stay closed until repairs to the crane were finished. "
    "The operator, Brightwater Logistics, said the damage was limited to one berth. "
    "Shipping lines were told to divert vessels to the northern quay for at least a week. "
    "No one was injured when the crane collapsed on Tuesday night, the port authority said."
)


def _lineage_source(source_id: str, text: str, **meta: str) -> Source:
    from checks.corpus.sections import split_sections
    from checks.models import SourceMetadata

    return Source(
        source_id, "port", text, SourceMetadata(**meta), split_sections(text), f"port/{source_id}.txt", "0" * 64
    )


@pytest.mark.parametrize(
    ("copy", "same"),
    [
        (WIRE, True),  # verbatim
        ("Share this article. Subscribe for more. " + WIRE + " Read more: port news in brief.", True),  # boilerplate
        (WIRE.rsplit(" No one", 1)[0], True),  # trimmed
        (
            "The terminal stays shut until the crane is repaired, harbour officials said. Brightwater Logistics "
            "described the damage as confined to a single berth. Vessels are being sent to the northern quay.",
            False,
        ),  # a rewrite of the same facts is another voice
    ],
)
def test_copies_are_one_lineage_and_rewrites_are_not(copy: str, same: bool) -> None:
    from checks.engine.lineage import lineages

    found = lineages([_lineage_source("wire", WIRE), _lineage_source("copy", copy)])
    assert (len(found) == 1) is same


def test_what_a_copy_changed_is_listed_sentence_by_sentence() -> None:
    from checks.engine.lineage import changes, lineages

    added = "A spokesperson for the union said workers were sent home with full pay."
    edited = WIRE.replace("for at least a week", "for at least ten days")
    copy = _lineage_source("copy", edited + " " + added, published="2025-03-18")
    original = _lineage_source("wire", WIRE, published="2025-03-17")  # the earlier one is the original
    [lineage] = lineages([original, copy])
    assert lineage.copies == (("copy", "wire"),)
    more, fewer, n_more, n_fewer = changes(copy, original)
    assert more == ["Shipping lines were told to divert vessels to the northern quay for at least ten days.", added]
    assert fewer == ["Shipping lines were told to divert vessels to the northern quay for at least a week."]
    assert (n_more, n_fewer) == (2, 1)
    assert changes(original, original) == ([], [], 0, 0)


def test_a_copy_is_a_voice_of_its_own_for_a_sentence_it_adds() -> None:
    from checks.engine.lineage import lineages, voices

    added = "A spokesperson for the union said workers were sent home with full pay."
    copy = _lineage_source("copy", WIRE + " " + added)
    original = _lineage_source("wire", WIRE)
    found = lineages([original, copy])
    shared = "The operator, Brightwater Logistics, said the damage was limited to one berth."
    same = voices(found, [original, copy], {"wire": shared, "copy": shared})
    assert [v.describe() for v in same] == ["wire (wire, copy)"]
    own = voices(found, [original, copy], {"wire": shared, "copy": added})
    assert [v.describe() for v in own] == ["copy (own sentence; copy in wire)", "wire"]


def test_a_declared_origin_joins_a_copy_to_its_original() -> None:
    from checks.engine.lineage import lineages

    original = _lineage_source(
        "reuters", "BMW will integrate HiCar. It said so on Monday in Beijing.", publisher="Reuters"
    )
    copy = _lineage_source("gbaf", "Different wording entirely here. Nothing shared at all in it.", origin="Reuters")
    other = _lineage_source("blog", "A blog wrote its own piece about it. With its own sentences too.")
    found = lineages([original, copy, other])
    assert [lineage.describe() for lineage in found] == ["Reuters (reuters, gbaf)", "blog"]


# -- corrections -----------------------------------------------------------------------------------------------

CORRECTED = (
    "Acme names new chief\n\n"
    "Acme said on Monday that Jane Okafor will lead its European business from April.\n"
    "Okafor joined the company in 2012 and ran its Leeds plant for six years.\n\n"
    "Correction: An earlier version of this story said Jane Okafor would become Acme's global chief executive. "
    "She will lead its European business.\n"
)


def test_a_correction_is_its_own_section_and_retracts_what_the_earlier_version_said() -> None:
    from tests.factories import make_source

    source = make_source(CORRECTED)
    kinds = [s.kind for s in source.sections]
    assert SectionKind.CORRECTION in kinds
    [retracted] = check_claim("Jane Okafor will become Acme's global chief executive", [source])
    assert retracted.verdict is Verdict.CONTRADICTED
    assert retracted.rule.startswith("retracted by the source's correction")
    assert retracted.evidence is not None and retracted.evidence.section is SectionKind.CORRECTION
    assert source.text[retracted.evidence.start : retracted.evidence.end] == retracted.evidence.quote
    assert retracted.evidence.quote.startswith("Correction: An earlier version")
    # without the correction the source does not contradict it
    uncorrected = make_source(CORRECTED.split("\n\nCorrection:")[0] + "\n")
    assert check_claim("Jane Okafor will become Acme's global chief executive", [uncorrected])[0].verdict is not (
        Verdict.CONTRADICTED
    )
    # what the correction puts right is still read from the body, and the correction never counts as support
    [fixed] = check_claim("Jane Okafor will lead Acme's European business", [source])
    assert fixed.verdict is Verdict.SUPPORTED and fixed.evidence is not None
    assert fixed.evidence.section is SectionKind.BODY


def test_a_correction_retracts_only_the_figure_it_names() -> None:
    from tests.factories import make_source

    text = (
        "Acme will close its Leeds plant, which employs 400 workers.\n"
        "An earlier version of this article incorrectly stated that the plant employs 450 workers.\n"
    )
    source = make_source(text)
    assert check_claim("The Leeds plant employs 450 workers", [source])[0].rule.startswith("retracted")
    assert check_claim("The Leeds plant employs 400 workers", [source])[0].verdict is Verdict.SUPPORTED


def test_a_stale_sentence_the_correction_retracts_is_still_retracted() -> None:
    """An edit that appended the correction but left the wrong sentence in the body: the correction wins."""
    from tests.factories import make_source

    stale = CORRECTED.replace(
        "Acme said on Monday that Jane Okafor will lead its European business from April.",
        "Acme said on Monday that Jane Okafor would become Acme's global chief executive.",
    )
    [verdict] = check_claim("Jane Okafor will become Acme's global chief executive", [make_source(stale)])
    assert verdict.verdict is Verdict.CONTRADICTED and verdict.evidence is not None
    assert verdict.evidence.section is SectionKind.CORRECTION


def test_a_year_in_an_aside_that_names_a_namesake_is_not_a_figure_to_find() -> None:
    """FEVER's titles ("Australia (2008 film)"): the year tells the film from the country, the claim does not
    state it; a figure in any other aside stays one."""
    claim = prepare_claim("Production of Australia (2008 film) took place in Sydney", AliasTable())
    assert claim.values == ()
    assert "2008" not in claim.weights
    kept = prepare_claim("Revenue rose 5% (to $3bn) in 2024", AliasTable())
    assert {v.kind.value for v in kept.values} == {"percent", "year"}
    assert "3bn" in kept.weights
    [verdict] = check_claim(
        "Production of Australia (2008 film) took place in Sydney",
        [make_source("Production of the film Australia took place in Sydney and Darwin.\n")],
    )
    assert verdict.verdict is Verdict.SUPPORTED, verdict.rule
