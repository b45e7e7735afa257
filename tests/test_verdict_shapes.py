"""The shapes of claim and source that broke verdicts on real text (issue: verdicts that hold on real text), each
with sentences written for the purpose, on the seed story and on stories of our own."""

from __future__ import annotations

import pytest

from checks.corpus import Corpus
from checks.engine import AliasTable, Engine, check_claim
from checks.verdicts import Verdict
from tests.factories import make_source

SEED = "bmw-huawei-2025"


def _verdict(claim: str, text: str, published: str | None = "2025-11-05") -> tuple[Verdict, str]:
    [verdict] = check_claim(claim, [make_source(text, published=published)])
    return verdict.verdict, verdict.rule


# -- a negated claim is not supported by the positive ------------------------------------------------------------


@pytest.mark.parametrize(
    ("claim", "source"),
    [
        ("BMW will not integrate Huawei HiCar into its China-made cars in 2026", "reuters-via-gbaf"),
        ("BMW will not use HarmonyOS NEXT in its Neue Klasse cars built in China", "harmonyos-neue-klasse"),
        ("BMW has never had R&D centres in China", "harmonyos-neue-klasse"),
    ],
)
def test_a_negated_claim_is_contradicted_by_the_source_stating_the_positive(
    seed_corpus: Corpus, claim: str, source: str
) -> None:
    verdicts = {v.source: v for v in check_claim(claim, seed_corpus.story(SEED))}
    assert verdicts[source].verdict is Verdict.CONTRADICTED, verdicts[source].rule


@pytest.mark.parametrize(
    ("claim", "text"),
    [
        ("The port will not reopen on Friday", "The port will reopen on Friday, the harbour master said.\n"),
        ("Brightwater did not cut its dividend", "Brightwater cut its dividend by half on Monday.\n"),
    ],
)
def test_a_negated_claim_is_contradicted_by_a_positive_sentence(claim: str, text: str) -> None:
    assert _verdict(claim, text)[0] is Verdict.CONTRADICTED


def test_a_negation_elsewhere_in_the_sentence_does_not_contradict_the_claim() -> None:
    """It does not scope over the claim, so it is no contradiction; the passage still is no clean statement of it
    (discussed, with the negation named), which is how news data labels such passages."""
    text = "Brightwater, which did not disclose the price, bought the Kestrel terminal on Monday.\n"
    verdict, rule = _verdict("Brightwater bought the Kestrel terminal", text)
    assert verdict is Verdict.DISCUSSED and "negation ('not')" in rule, rule


# -- negation without "not" ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "BMW's iDrive X system operates independently of HarmonyOS, the company said.\n",
        "BMW's iDrive X system runs on Android Automotive instead of HarmonyOS.\n",
        "The iDrive X system is built on Android Automotive rather than on HarmonyOS.\n",
        "BMW built the iDrive X system without HarmonyOS.\n",
    ],
)
def test_negation_without_not_contradicts(text: str) -> None:
    verdict, rule = _verdict("The iDrive X system is built on HarmonyOS", text)
    assert verdict is Verdict.CONTRADICTED and "negates" in rule, rule


# -- the claim's subject must be named ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "claim",
    [
        "Mercedes is partnering with Huawei on connected car software",
        "Volkswagen will integrate Huawei HiCar into its China-made cars in 2026",
        "Toyota has four R&D centres in China",
    ],
)
def test_a_source_that_never_names_the_subject_does_not_mention_the_claim(seed_corpus: Corpus, claim: str) -> None:
    # Editors declare the names a story is about (Given the aliases / the alternatives); a capitalized first word
    # alone is not taken for a name ("Rare meteorite...").
    carmakers = AliasTable.from_rows([(name, []) for name in ("BMW", "Mercedes", "Volkswagen", "Toyota")])
    for verdict in check_claim(claim, seed_corpus.story(SEED), aliases=carmakers):
        assert verdict.verdict is Verdict.NOT_MENTIONED, (verdict.source, verdict.rule)
        assert verdict.rule.startswith("the source never names") or "key term" in verdict.rule


@pytest.mark.parametrize(
    "claim",
    [
        "Mercedes is partnering with Huawei on connected car software for China",
        "Carmaker Mercedes is partnering with Huawei on connected car software for China",
        "VW is partnering with Huawei on connected car software for China",
    ],
)
def test_the_same_frame_about_someone_else_is_not_support(claim: str) -> None:
    text = "BMW is partnering with Huawei on connected car software for China.\n"
    aliases = AliasTable.from_rows([("Mercedes", ["Mercedes-Benz"]), ("VW", ["Volkswagen"]), ("BMW", [])])
    [verdict] = check_claim(claim, [make_source(text)], aliases=aliases)
    assert verdict.verdict is Verdict.NOT_MENTIONED and verdict.rule.startswith("the source never names"), verdict.rule


def test_an_undeclared_name_is_not_required() -> None:
    """Without the editors' aliases, a source in the same frame about someone else is at most discussed: a name the
    claim writes with a capital, or an acronym, must be in the source for it to support the claim."""
    text = "BMW is partnering with Huawei on connected car software for China.\n"
    verdict, rule = _verdict("Carmaker Mercedes is partnering with Huawei on connected car software for China", text)
    assert verdict is Verdict.DISCUSSED, rule


def test_a_capitalized_first_word_is_not_taken_for_a_name() -> None:
    text = "A meteorite impact caused a blast in Managua, the capital of Nicaragua, late on Saturday.\n"
    verdict, rule = _verdict("Rare meteorite impact causes blast in Nicaragua's capital, Managua", text)
    assert verdict is not Verdict.NOT_MENTIONED, rule


def test_a_declared_alternative_instead_of_the_subject_contradicts(seed_corpus: Corpus) -> None:
    from checks.models import Claim

    claim = Claim("BMW will integrate HiCar into its China-made cars", (("HiCar", "HarmonyOS NEXT"),))
    verdicts = {v.source: v for v in check_claim(claim, seed_corpus.story(SEED))}
    assert verdicts["harmonyos-neue-klasse"].verdict is Verdict.CONTRADICTED


# -- time ---------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("claim", "text"),
    [
        ("The leak happened on Wednesday", "The leak happened on Tuesday, officials said.\n"),
        ("Norvane shut the pipeline on Monday", "Norvane shut the pipeline on Thursday after the leak.\n"),
        ("The strike at Terminal 3 began on Friday", "The strike at Terminal 3 began on Saturday morning.\n"),
    ],
)
def test_another_weekday_contradicts(claim: str, text: str) -> None:
    verdict, rule = _verdict(claim, text)
    assert verdict is Verdict.CONTRADICTED and "differs" in rule, rule
    said, found = (next(d for d in _DAYS if d in t) for t in (claim, text))
    assert f"claim says {said}" in rule and f"source says {found}" in rule, rule


_DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


@pytest.mark.parametrize(
    ("claim", "text", "published", "shown"),
    [
        # a weekday and a date: the weekday is resolved against the source's publication date
        ("The strike began on Wednesday 5 November", "The strike began on 4 November 2025, the union said.\n",
         "2025-11-05", "2025-11-04"),
        ("The strike began on 5 November 2025", "The strike began on Tuesday, the union said.\n",
         "2025-11-05", "Tuesday = 2025-11-04"),
        # a date without its year takes the source's
        ("The leak happened on 4 November 2025", "The leak happened on 3 November, officials said.\n",
         "2025-11-05", "3 November = 2025-11-03"),
    ],
)  # fmt: skip
def test_a_date_and_a_weekday_are_compared_as_days(claim: str, text: str, published: str, shown: str) -> None:
    [verdict] = check_claim(claim, [make_source(text, published=published)])
    assert verdict.verdict is Verdict.CONTRADICTED and shown in verdict.rule, verdict.rule


def test_a_claim_dated_to_the_publication_day_is_supported_by_said_on_monday() -> None:
    text = "BMW said on Monday it will integrate Huawei HiCar into its China-made cars.\n"
    claim = "BMW said on 17 March 2025 it will integrate Huawei HiCar into its China-made cars"
    [verdict] = check_claim(claim, [make_source(text, published="2025-03-17")])
    assert verdict.verdict is Verdict.SUPPORTED, verdict.rule
    [verdict] = check_claim(claim.replace("17 March", "18 March"), [make_source(text, published="2025-03-17")])
    assert verdict.verdict is Verdict.CONTRADICTED and "Monday = 2025-03-17" in verdict.rule, verdict.rule


def test_the_same_weekday_supports() -> None:
    assert _verdict("The leak happened on Tuesday", "The leak happened on Tuesday, officials said.\n")[0] is (
        Verdict.SUPPORTED
    )


def test_until_next_week_is_not_supported_by_on_wednesday() -> None:
    text = "Terminal 3 remained closed on Wednesday morning, the port authority said.\n"
    assert _verdict("Terminal 3 will remain closed until next week", text)[0] is not Verdict.SUPPORTED
    said = "Terminal 3 will remain closed until next week, the port authority said on Wednesday.\n"
    assert _verdict("Terminal 3 will remain closed until next week", said)[0] is Verdict.SUPPORTED


def test_earlier_this_month_is_given_by_a_date_in_that_month_only() -> None:
    """(Stated in the source's own voice: what officials say may be weighed as a report, see the attribution tests.)"""
    claim = "The leak began earlier this month"
    assert _verdict(claim, "The leak at the port began on 4 November.\n")[0] is Verdict.SUPPORTED
    assert _verdict(claim, "The leak at the port began in the summer.\n")[0] is not Verdict.SUPPORTED
    assert _verdict(claim, "The leak began in the summer, officials said.\n")[0] is not Verdict.SUPPORTED


# -- attribution --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "Norvane did not immediately respond to a request for comment about the leak from its tanks.\n",
        "Norvane declined to comment on whether the leak came from one of its tanks.\n",
        "Norvane could not be reached for comment on the leak from its tanks.\n",
    ],
)
def test_a_party_that_does_not_answer_neither_confirms_nor_denies(text: str) -> None:
    verdict, rule = _verdict("Norvane denied that the leak came from one of its tanks", text)
    assert verdict is not Verdict.SUPPORTED and verdict is not Verdict.CONTRADICTED, rule
    verdict, rule = _verdict("The leak came from one of Norvane's tanks", text)
    assert verdict is not Verdict.CONTRADICTED, rule


@pytest.mark.parametrize(
    "text",
    [
        "Norvane denied that the leak came from one of its tanks.\n",
        "Norvane has denied that the leak came from one of its storage tanks.\n",
    ],
)
def test_the_subjects_denial_contradicts_attributed_to_it(text: str) -> None:
    verdict, rule = _verdict("The leak came from one of Norvane's tanks", text)
    assert verdict is Verdict.CONTRADICTED and "according to Norvane" in rule, rule


def test_a_third_partys_denial_is_reported_not_taken() -> None:
    text = "The union denied that the leak came from one of Norvane's tanks.\n"
    assert _verdict("The leak came from one of Norvane's tanks", text)[0] is Verdict.DISCUSSED


# -- paraphrase ---------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("claim", "text"),
    [
        ("Israel agreed to a truce in Gaza", "Israel agreed to a ceasefire in Gaza on Tuesday.\n"),
        ("ISIS fighters killed 20 soldiers", "Islamic State fighters killed 20 soldiers near the border.\n"),
        ("The airstrike hit a school in Aleppo", "The air strike hit a school in Aleppo, witnesses said.\n"),
        ("The cease-fire collapsed in Aleppo", "The ceasefire collapsed in Aleppo overnight.\n"),
        ("Three people died in the Kestrel fire", "The Kestrel fire killed three people.\n"),
    ],
)
def test_paraphrases_count_as_the_same_words(claim: str, text: str) -> None:
    verdict, rule = _verdict(claim, text)
    assert verdict is Verdict.SUPPORTED, rule


def test_aliases_still_apply_with_paraphrases() -> None:
    aliases = AliasTable.from_rows([("Brightwater Logistics", ["Brightwater"])])
    [verdict] = check_claim(
        "Brightwater Logistics agreed to a truce with the union",
        [make_source("Brightwater agreed to a ceasefire with the union.\n")],
        aliases=aliases,
    )
    assert verdict.verdict is Verdict.SUPPORTED


# -- agreement uses the same stance ----------------------------------------------------------------------------

_OPERATORS = [("Norvane", ["Norvane Energy"]), ("Calder Storage", [])]


@pytest.mark.parametrize(
    ("text", "named"),
    [
        ("Norvane denied operating the tank farm. The tank farm is run by Calder Storage.\n", ["Calder Storage"]),
        ("Norvane reportedly operates the tank farm, according to unconfirmed posts.\n", []),
        ("The tank farm is not operated by Norvane.\n", []),
        ("Norvane operates the tank farm at the port.\n", ["Norvane"]),
    ],
)  # fmt: skip
def test_a_source_that_denies_or_rumours_a_value_does_not_name_it(text: str, named: list[str]) -> None:
    from checks.engine import check_values

    [verdict] = check_values("Who operates the tank farm?", _OPERATORS, [make_source(text)])
    assert verdict.values == named, verdict.rule
    if not named:
        assert verdict.verdict is Verdict.NOT_MENTIONED and "Norvane" in verdict.rule.split("(")[-1], verdict.rule


# -- negation by a verb of refusal or failure ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("claim", "text"),
    [
        ("Norvane refused to pay the fine", "Norvane paid the fine in full on Monday.\n"),
        ("The mayor was unable to attend the summit in Lyon", "The mayor attended the summit in Lyon on Monday.\n"),
        (
            "Kestrel Air flew its new jets to Oslo",
            "Kestrel Air declined to fly its new jets to Oslo after the storm.\n",
        ),
        ("The ferry sailed to Bergen", "The ferry failed to sail to Bergen on Tuesday.\n"),
    ],
)
def test_a_verb_of_refusal_negates(claim: str, text: str) -> None:
    verdict, rule = _verdict(claim, text)
    assert verdict is Verdict.CONTRADICTED, rule


@pytest.mark.parametrize(
    "text",
    [
        "Shares of Norvane declined to 5 dollars on Monday after the leak.\n",
        "Norvane declined to comment on the leak from its tank on Monday.\n",
    ],
)
def test_a_fall_in_price_or_no_comment_is_no_refusal(text: str) -> None:
    from checks.engine.normalize import normalize_text, polarity_cues, tokenize

    normalized = normalize_text(text)
    assert not {"declined to", "refused to"} & polarity_cues(normalized, tokenize(normalized))


def test_a_date_written_with_a_spaced_comma_is_still_a_date() -> None:
    """Tokenised text ("June 12 , 1875", as some archives and data sets write it) gives the same date."""
    verdict, rule = _verdict(
        "Aleister Crowley was born on 12 October 1875", "Aleister Crowley was born on June 12 , 1875 in Leamington.\n"
    )
    assert verdict is Verdict.CONTRADICTED and "1875-06-12" in rule, rule


# -- a figure of another event is not a contradiction ------------------------------------------------------------


@pytest.mark.parametrize(
    ("claim", "text"),
    [
        ("The Leeds site opened in 1988", "Acme will close its Leeds site in 2027, the company said."),
        ("The Terminal 3 building was completed in 2008", "Terminal 3 will reopen in 2026 after repairs."),
        ("Inflation fell to 3% in March", "Unemployment in March rose to 5%, the statistics office said."),
    ],
)
def test_a_year_or_share_of_another_event_about_the_same_party_does_not_contradict(claim: str, text: str) -> None:
    """The rules compare a date, year or share only on a passage about the claim's event. (The learned combiner
    may still read such a short source as a contradiction: on FEVER's swaps — "an American actor" / "an English
    actor" — the same shape is one, and a guard against it cost 20 points of FEVER tune accuracy.)"""
    [verdict] = Engine(mode="rules").check_claim(claim, [make_source(text, published="2025-11-05")])
    assert verdict.verdict is not Verdict.CONTRADICTED, verdict.rule


@pytest.mark.parametrize(
    ("claim", "text"),
    [
        ("Acme will close its Leeds site in 2028", "Acme will close its Leeds site in 2027, the company said."),
        ("Inflation fell to 3% in March", "Inflation fell to 4% in March, the statistics office said."),
    ],
)
def test_the_same_event_with_another_year_or_share_still_contradicts(claim: str, text: str) -> None:
    verdict, rule = _verdict(claim, text)
    assert verdict is Verdict.CONTRADICTED, rule


# -- another fact of the same kind in the claim's place ---------------------------------------------------------


@pytest.mark.parametrize(
    ("claim", "text"),
    [
        ("Norvane is the largest operator at the port",
         "Norvane, the smallest operator at the port, said the leak was contained.\n"),
        ("The first tanker left the port on Monday",
         "The second tanker left the port on Monday, the authority said.\n"),
        ("Acme is a German company", "Acme is a French company with a site in Leeds.\n"),
        ("The leaking tanker sailed from a Dutch port", "The leaking tanker sailed from a Belgian port on Sunday.\n"),
    ],
)  # fmt: skip
def test_another_word_of_the_same_kind_in_the_claims_place_contradicts(claim: str, text: str) -> None:
    verdict, rule = _verdict(claim, text)
    assert verdict is Verdict.CONTRADICTED, rule
    assert "in the claim's place" in rule


@pytest.mark.parametrize(
    ("claim", "text"),
    [
        ("Norvane is an insurer", "Norvane is a shipping company based in Rotterdam.\n"),
        ("Terminal 3 is a warehouse", "Terminal 3 is a passenger terminal, the port authority said.\n"),
        ("Kendall Jenner is a driver", "Kendall Nicole Jenner (born November 3, 1995) is an American fashion model.\n"),
    ],
)
def test_what_the_claim_says_its_subject_is_must_be_in_the_passage(claim: str, text: str) -> None:
    """Names carry most of a claim's weight; a passage naming the subject as something else does not state it.
    (Of two words or more it may lack about one in three: measured on the public sets, news paraphrases them.)"""
    verdict, rule = _verdict(claim, text)
    assert verdict is not Verdict.SUPPORTED, rule


def test_the_subject_named_as_what_the_claim_says_still_supports() -> None:
    assert _verdict("Norvane is a shipping company", "Norvane is a shipping company based in Rotterdam.\n")[0] is (
        Verdict.SUPPORTED
    )


def test_a_headline_in_title_case_names_the_party_that_denies() -> None:
    verdict, rule = _verdict("Apple Will Shut Down Beats Music", "Apple denied that it will shut down Beats Music.\n")
    assert verdict is Verdict.CONTRADICTED, rule
    assert "according to Apple" in rule


@pytest.mark.parametrize(
    ("claim", "text"),
    [
        ("Norvane will pay for the clean-up", "Norvane turned down calls to pay for the clean-up.\n"),
        (
            "Acme hired the Leeds contractor",
            "Acme has hired two firms in York, but declined to hire the Leeds contractor.\n",
        ),
        ("Ana Lopes plays the piano", "Despite her fame as a singer, Ana Lopes does not know how to play the piano.\n"),
    ],
)  # fmt: skip
def test_a_negation_scoped_over_a_partly_restated_claim_contradicts(claim: str, text: str) -> None:
    """The passage need not restate every word of the claim for its negation to count: wherever it would support
    the claim but for the negation, the negation decides."""
    verdict, rule = _verdict(claim, text)
    assert verdict is Verdict.CONTRADICTED, rule
    assert "negates it" in rule


# -- a headline that asks, or labels itself a report, does not assert -------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "Was the Norvane tanker the source of the leak?\n",
        "Did the leak come from a Norvane tanker? Officials are not saying\n",
        "Leak came from a Norvane tanker: report\n",
        "Report: leak came from a Norvane tanker\n",
        "Sources say the leak came from a Norvane tanker\n",
    ],
)
def test_a_headline_that_asks_or_cites_a_report_discusses(text: str) -> None:
    verdict, rule = _verdict("The leak came from a Norvane tanker", text)
    assert verdict is Verdict.DISCUSSED, rule


def test_the_same_headline_stated_supports() -> None:
    assert _verdict("The leak came from a Norvane tanker", "Leak came from a Norvane tanker\n")[0] is Verdict.SUPPORTED
