"""Who asserts a passage: the source in its own voice, or a party it quotes ("the port authority said",
"according to BMW", "Norvane denied").

:func:`attribution` reads the original text of a passage (capitals matter: they tell a name from a word) and
returns the party and how it speaks. It never guesses beyond the passage: a pronoun ("he said") is attributed to
"someone quoted", not to a name from elsewhere.

>>> attribution("BMW will use HarmonyOS NEXT in China, the company said on Monday.")
Attribution(party='the company', verb='said')
>>> attribution("According to Reuters, the deal was signed.")
Attribution(party='Reuters', verb='according to')
>>> attribution("BMW will use HiCar in 2026, the German automaker said on Monday.")
Attribution(party='the German automaker', verb='said')
>>> attribution("Norvane denied that the leak came from one of its tanks.")
Attribution(party='Norvane', verb='denied')
>>> attribution("BMW is teaming up with Huawei in China, according to a company statement.").describe()
'according to a company statement'
>>> attribution("The port reopened on Tuesday.") is None
True
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

__all__ = ["DENYING", "DESCRIPTIONS", "REPORTING", "Attribution", "attribution", "is_description"]

REPORTING = frozenset(
    """said says say told tells reported reports announced announces stated states claimed claims confirmed confirms
    added adds wrote writes according""".split()
)
"""Verbs of reported speech (and "according to")."""
DENYING = frozenset("denied denies deny rejected rejects dismissed dismisses refuted refutes".split())
"""Verbs of a quoted party's denial."""

DESCRIPTIONS = frozenset(
    """company firm group automaker carmaker maker manufacturer giant conglomerate business brand retailer bank lender
    insurer airline operator developer startup producer supplier government ministry agency regulator department
    statement spokesperson spokesman spokeswoman""".split()
)
"""Head nouns of a definite description that stands for a named organisation ("the German automaker", "the
company", "the statement"): who it names is the organisation the passage itself names."""
_DESCRIPTION = re.compile(
    r"(?:the|a|an) (?:[A-Z][a-z]+ |company(?:'s|’s)? |[a-z]+(?:'s|’s) )?(?P<head>[a-z]+)", re.IGNORECASE
)

_VERBS = "|".join(sorted((REPORTING | DENYING) - {"according"}, key=len, reverse=True))
_PARTY = (
    r"(?P<party>(?:[Tt]he |[Aa] |[Aa]n )?(?:[A-Z][\w&.'’-]*|[a-z]+ (?:spokesperson|spokesman|spokeswoman|official|"
    r"officials|minister|ministry|police|company|authority|authorities))(?: [A-Z][\w&.'’-]*){0,4}"
    r"|(?:[Tt]he |[Aa] |[Aa]n )(?:[A-Z][a-z]+ )?[a-z]+(?: [a-z]+)?|he|she|they|it|officials|police|sources|analysts"
    r"|experts)"
)
_WHEN = (
    r"(?: (?:on|late on|early on) (?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)| (?:today|yesterday))?"
)
_ACCORDING = re.compile(
    r"\b[Aa]ccording to (?P<party>(?:(?:the|a|an) )?[\w&'’-]+"
    r"(?: [A-Z][\w&'’-]*| statement| spokesperson| spokesman| spokeswoman| official| officials){0,3})"
)
_PARTY_VERB = re.compile(
    r"\b" + _PARTY + _WHEN + r",? (?:(?:has|have|had|also|flatly|strongly) )?(?P<verb>" + _VERBS + r")\b"
)
_VERB_PARTY = re.compile(r"(?:,|\"|”) (?P<verb>said|says|told|added|wrote) " + _PARTY)
_PRONOUNS = frozenset({"he", "she", "they", "it"})


@dataclass(frozen=True, slots=True)
class Attribution:
    party: str
    """Who speaks, as written ("BMW", "the company", "Reuters"); "someone quoted" for a pronoun."""
    verb: str
    """How: "said", "according to", "denied"…"""

    @property
    def denies(self) -> bool:
        return self.verb in DENYING

    def describe(self) -> str:
        """As a report writes it: "according to BMW", "Norvane denies"."""
        return f"{self.party} denies" if self.denies else f"according to {self.party}"


@lru_cache(maxsize=65_536)
def attribution(text: str) -> Attribution | None:
    """The first party the passage quotes, or None when it speaks in the source's own voice."""
    found = []
    for pattern in (_ACCORDING, _PARTY_VERB, _VERB_PARTY):
        match = pattern.search(text)
        if match:
            verb = "according to" if pattern is _ACCORDING else match.group("verb").lower()
            found.append((match.start(), match.group("party").strip(), verb))
    if not found:
        return None
    _, party, verb = min(found)
    if party.lower() in _PRONOUNS:
        party = "someone quoted"
    return Attribution(party, verb)


def is_description(party: str) -> bool:
    """Whether ``party`` is a description of an organisation rather than a name: "the company", "the German
    automaker", "a company statement", "the company's statement".

    >>> is_description("the German automaker"), is_description("the statement"), is_description("Reuters")
    (True, True, False)
    >>> is_description("the port authority"), is_description("The Times")
    (False, False)
    """
    match = _DESCRIPTION.fullmatch(party)
    return match is not None and match.group("head") in DESCRIPTIONS
