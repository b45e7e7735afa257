"""Words that exclude each other, and a passage that puts one in the place of the claim's.

A claim's word of a closed class — a nationality, a month, an ordinal, one of a pair of opposites — that the
passage replaces, in the same place, by another word of the same class states another fact in the claim's frame:
"the first woman to lead" / "the second woman to lead", "an American sports film" / "a Canadian sports film",
"ranked greatest male star" / "ranked as the worst male star", "released in October" / "released on March 30".
The place is the claim's neighbouring word: the passage holds it, with the other word of the class within
:data:`_WINDOW` words of it. Anywhere else in the passage the other word may be about something else ("a
British official said the American journalist...") and proves nothing.

The classes are small and closed on purpose: what excludes what is a fact of the language an editor can check,
not a guess from similarity. Directions (up / down) have their own rule (:func:`checks.engine.rules`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import lru_cache

from checks.engine.matching import capitalized_terms, term_of
from checks.engine.normalize import STOPWORDS, normalize_text, tokenize

__all__ = ["Swap", "content", "swap"]

_NATIONALITIES = """
afghan african albanian algerian american argentine argentinian armenian asian australian austrian bangladeshi
belgian bolivian brazilian british bulgarian burmese cambodian cameroonian canadian chilean chinese colombian
congolese croatian cuban czech danish dutch ecuadorian egyptian english eritrean estonian ethiopian european
filipino finnish french georgian german ghanaian greek guatemalan haitian hungarian icelandic indian indonesian
iranian iraqi irish israeli italian jamaican japanese jordanian kazakh kenyan korean kurdish kuwaiti lebanese
libyan lithuanian malaysian mexican moroccan nepalese nigerian norwegian pakistani palestinian peruvian polish
portuguese qatari romanian russian rwandan saudi scottish senegalese serbian singaporean slovak somali spanish
sudanese swedish swiss syrian taiwanese thai tunisian turkish ugandan ukrainian uzbek venezuelan vietnamese welsh
yemeni zimbabwean
"""
_MONTHS = "january february march april june july august september october november december"
"""Without "may", which is a hedge far more often than a month."""
_ORDINALS = "first second third fourth fifth sixth seventh eighth ninth tenth eleventh twelfth"
_CONTINENTS = "africa antarctica asia australia europe"
_OPPOSITES = """
greatest:worst best:worst highest:lowest largest:smallest biggest:smallest oldest:youngest older:younger
major:minor large:small big:small highly:barely male:female men:women man:woman
boys:girls boy:girl husband:wife son:daughter sons:daughters father:mother brother:sister king:queen
first:last
alive:dead public:private legal:illegal domestic:foreign
internal:external urban:rural northern:southern eastern:western north:south east:west inside:outside
positive:negative success:failure successful:unsuccessful strong:weak fast:slow hot:cold wet:dry rich:poor
ancient:modern fiction:nonfiction comedy:tragedy comedy:drama married:single
guilty:innocent heavy:light full:empty cheap:expensive
"""
_WINDOW = 3
"""How many words either side of the claim's neighbouring word the other word of the class may stand."""


_PROPER = frozenset(term_of(w) for w in (_NATIONALITIES + _MONTHS + _CONTINENTS).split())
"""Classes whose words are written with a capital: any other word written so in a claim is part of a name
("North Korean", "Second Avenue") and is not compared."""


def _classes() -> dict[str, frozenset[str]]:
    """Key term → the key terms it excludes."""
    excludes: dict[str, set[str]] = {}

    def add_class(words: Iterable[str]) -> None:
        terms = {term_of(w) for w in words}
        for t in terms:
            excludes.setdefault(t, set()).update(terms - {t})

    for group in (_NATIONALITIES, _MONTHS, _ORDINALS, _CONTINENTS):
        add_class(group.split())
    for pair in _OPPOSITES.split():
        add_class(pair.split(":"))
    return {t: frozenset(others) for t, others in excludes.items()}


_EXCLUDES = _classes()


@lru_cache(maxsize=8192)
def content(normalized: str) -> tuple[tuple[str, str], ...]:
    """(key term, word) of a normalized text in order, stopwords left out unless they are of a class here."""
    pairs = ((term_of(t), t) for t in tokenize(normalized))
    return tuple((term, t) for term, t in pairs if t not in STOPWORDS or term in _EXCLUDES)


@lru_cache(maxsize=8192)
def _claim_content(claim_text: str) -> tuple[tuple[str, str], ...]:
    """:func:`content` of a claim, normalized once per claim rather than once per passage it is compared with."""
    return content(normalize_text(claim_text))


Swap = tuple[str, str]
"""(the claim's word, the passage's word in its place), as written (normalized)."""


def swap(claim_text: str, span: str, holds: Callable[[str], bool]) -> Swap | None:
    """The first word of a closed class in the claim that the passage (normalized ``span``) lacks and replaces in
    the same place by another word of its class; or None. ``holds`` says whether the passage holds a key term."""
    claimed = _claim_content(claim_text)
    said = [term for term, _ in claimed]
    if not any(t in _EXCLUDES for t in said):
        return None
    capitals = capitalized_terms(claim_text, first=False)
    passage = content(span)
    found = [term for term, _ in passage]
    present = set(found)
    claim_terms = set(said)
    for i, term in enumerate(said):
        others = _EXCLUDES.get(term)
        if not others or term in present or holds(term) or (term in capitals and term not in _PROPER):
            continue
        rivals = others - claim_terms
        anchors = {said[j] for j in (i - 1, i + 1) if 0 <= j < len(said)}
        for at, word in enumerate(found):
            if word not in anchors:
                continue
            for near in (*range(max(0, at - _WINDOW), at), *range(at + 1, min(len(found), at + 1 + _WINDOW))):
                if found[near] in rivals:
                    return claimed[i][1], passage[near][1]
    return None
