from __future__ import annotations

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from checks.engine.normalize import AliasTable, _fold_unicode, debunk_cues, normalize_text, polarity_cues, tokenize


def test_folds_case_quotes_dashes_diacritics_whitespace() -> None:
    assert normalize_text("BMW’s  “NEXT” — Crème\u00a0brûlée") == 'bmw\'s "next" - creme brulee'


@given(st.text())
def test_normalizing_twice_equals_once(text: str) -> None:
    once = normalize_text(text)
    assert normalize_text(once) == once


@given(st.text(alphabet=st.characters(max_codepoint=127)))
def test_the_ascii_fast_path_folds_like_the_unicode_path(text: str) -> None:
    assert normalize_text(text) == _fold_unicode(text)


def test_aliases_fold_every_variant_into_one_token() -> None:
    table = AliasTable.from_rows([("HarmonyOS NEXT", ["Harmony OS NEXT", "HarmonyOS Next"])])
    for spelling in ("HarmonyOS NEXT", "harmony os next", "Harmony OS Next"):
        assert table.apply(normalize_text(f"BMW adopts {spelling} today")) == "bmw adopts harmonyosnext today"


def test_aliases_respect_word_boundaries() -> None:
    table = AliasTable.from_rows([("BMW", ["Bayerische Motoren Werke"])])
    assert table.apply("bmwx and bayerische motoren werke") == "bmwx and bmw"


@given(
    st.lists(st.tuples(st.text(min_size=1, max_size=12), st.lists(st.text(max_size=12), max_size=3)), max_size=4),
    st.text(max_size=200),
)
def test_alias_tables_leave_text_without_any_spelling_alone(rows: list[tuple[str, list[str]]], text: str) -> None:
    table = AliasTable.from_rows(rows)
    normalized = normalize_text(text)
    spellings = {normalize_text(s) for name, variants in table.names for s in (name, *variants)}
    applied = table.apply(normalized)
    if not any(s in normalized for s in spellings):
        assert applied == normalized
    else:
        assert any(table.token_for(name) in applied for name, _ in table.names)


_NAME = st.text(alphabet="abcdefghijklmnopqrstuvwxyz", min_size=3, max_size=8)


@given(
    st.lists(st.tuples(_NAME, st.lists(_NAME, max_size=3)), min_size=1, max_size=4, unique_by=lambda row: row[0]),
    st.data(),
)
def test_every_spelling_becomes_the_token_of_its_name(rows: list[tuple[str, list[str]]], data: st.DataObject) -> None:
    spellings = [s for name, variants in rows for s in (name, *variants)]
    assume(len(spellings) == len(set(spellings)))  # one owner per spelling
    name, variants = data.draw(st.sampled_from(rows))
    spelling = data.draw(st.sampled_from([name, *variants]))
    table = AliasTable.from_rows(rows)
    assert table.apply(normalize_text(f"7 {spelling.upper()} 7")) == f"7 {table.token_for(name)} 7"
    assert table.apply(normalize_text(f"7 {spelling}x 7")) == f"7 {spelling}x 7" or any(
        f"{s}x" == f"{spelling}x"[: len(s) + 1] for s in spellings if s != spelling
    )  # word boundaries: a longer word is not a spelling


def test_tokens_drop_possessives() -> None:
    assert tokenize("bmw's huawei-made 2026 cars") == ["bmw", "huawei", "made", "2026", "cars"]


def test_not_clear_hedges_instead_of_negating() -> None:
    text = "it was not immediately clear whether bmw agreed"
    assert polarity_cues(text, tokenize(text)) == frozenset({"unconfirmed"})
    plain = "bmw did not agree"
    assert "not" in polarity_cues(plain, tokenize(plain))


def test_debunk_phrases() -> None:
    assert debunk_cues("the story is a hoax, contrary to reports") == frozenset({"hoax", "contrary to"})
    assert debunk_cues("bmw sells cars") == frozenset()


def test_blank_alias_names_are_ignored() -> None:
    table = AliasTable.from_rows([("", []), ("  ", ["x"]), ("HiCar", ["", "Hi Car"])])
    assert table.names == (("HiCar", ("Hi Car",)),)
    assert AliasTable.from_rows([("", [])]).apply("any text") == "any text"


@pytest.mark.parametrize(
    ("text", "hedged"),
    [
        ("Craig David (born 5 May 1981) is a British singer", False),
        ("The terminal reopened in May 2024", False),
        ("The terminal reopened on May 5", False),
        ("The terminal may reopen in June", True),
        ("It may close on 5 May 2025", True),
    ],
)
def test_may_hedges_only_when_it_is_not_a_month(text: str, hedged: bool) -> None:
    normalized = normalize_text(text)
    assert ("may" in polarity_cues(normalized, tokenize(normalized))) is hedged


@pytest.mark.parametrize(
    ("text", "cue"),
    [
        ("Was the Batmobile stolen in Detroit?", "asks whether"),
        ('"Is this the end?"', "asks whether"),
        ("Brokaw wants Williams fired: Report", "a report says"),
        ("Source: Brokaw wants Williams fired", "a report says"),
        ("Sources say Brokaw wants Williams fired", "a report says"),
        ("Variety is reporting that Rogen will play Wozniak", "a report says"),
        ("A video purports to show the leader's face blurred", "a report says"),
        ("The Pentagon is assessing whether the strike killed him", "a report says"),
        ("His death, if confirmed, would be a blow", "a report says"),
        ("He is understood to have left the port", "a report says"),
    ],
)
def test_a_question_or_a_report_label_hedges(text: str, cue: str) -> None:
    normalized = normalize_text(text)
    assert cue in polarity_cues(normalized, tokenize(normalized))


def test_a_statement_that_mentions_a_question_mark_inside_asks_nothing() -> None:
    normalized = normalize_text('He asked "why?" and left the port on Monday.')
    assert "asks whether" not in polarity_cues(normalized, tokenize(normalized))


@pytest.mark.parametrize("text", ["The port reopened on Monday", "The report found no leak", "Sources of funding vary"])
def test_plain_statements_are_no_reports(text: str) -> None:
    normalized = normalize_text(text)
    assert "a report says" not in polarity_cues(normalized, tokenize(normalized))
