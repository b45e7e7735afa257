"""Text normalization, tokens, key-term weights, aliases and polarity cues.

Everything here is a pure function of its input and deterministic. Normalization folds what
should not matter for matching: case, Unicode quotes and dashes, diacritics, compatibility
forms (NFKC: a no-break space is a space), runs of whitespace, invisible characters (Unicode's
default-ignorable code points: soft hyphen, zero-width space and joiners, word joiner, bidi
embeddings, overrides and isolates, variation selectors) and look-alike letters (a letter of another script that
Unicode TR39 lists as confusable with a Latin letter or digit, such as Cyrillic "а", is read as that letter).
It works on spans of the original text, so evidence offsets always point into the source as written.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

__all__ = [
    "ATTRIBUTED_DENIALS",
    "DENIALS",
    "DOWNWARD",
    "HEDGES",
    "NEGATING_PHRASES",
    "NEGATIONS",
    "NO_ANSWER_VERBS",
    "QUESTION",
    "REFUSING",
    "REPORTED",
    "STOPWORDS",
    "UPWARD",
    "AliasTable",
    "debunk_cues",
    "fold_phrases",
    "is_number_token",
    "look_alikes_version",
    "normalize_text",
    "polarity_cues",
    "stem",
    "term_weight",
    "tokenize",
]

_PUNCT = str.maketrans(
    {
        "\u2018": "'",
        "\u2019": "'",
        "\u201a": "'",
        "\u201b": "'",
        "\u2032": "'",
        "\u00b4": "'",
        "`": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u201e": '"',
        "\u201f": '"',
        "\u2033": '"',
        "\u00ab": '"',
        "\u00bb": '"',
        "\u2010": "-",
        "\u2011": "-",
        "\u2012": "-",
        "\u2013": "-",
        "\u2014": "-",
        "\u2015": "-",
        "\u2212": "-",
        "\u00a0": " ",
        "\u2009": " ",
        "\u202f": " ",
        "\u200b": "",
    }
)
_TOKEN = re.compile(r"[^\W_]+(?:'[^\W_]+)*")

STOPWORDS = frozenset(
    """a about above after again against all also am an and any are as at be because been before being below
    between both but by can did do does doing down during each few for from further had has have having he her
    here hers herself him himself his how i if in into is it its itself just me more most my myself of off on
    once only or other our ours ourselves out over own same she should so some such than that the their theirs
    them themselves then there these they this those through to too under until up very was we were what when
    where which while who whom why will with would you your yours yourself yourselves s t said says say saying
    told according new one two also us via per mr mrs ms dr its it's who's there's that's week monday tuesday
    wednesday thursday friday saturday sunday today yesterday nearly almost approximately roughly around""".split()
)
"""Words that carry no claim on their own. Negations and hedges are not here: they are cues."""

DENIALS = frozenset(
    """refute refutes refuted refuting debunk debunked debunks false fake hoax hoaxes untrue baseless bogus
    fabricated fabrication myth satire satirical""".split()
)
"""Cues that the source itself calls a report false: enough on any passage about the claim."""

ATTRIBUTED_DENIALS = frozenset("deny denies denied denying denial".split())
"""Someone quoted denies it: the source reports the denial without taking a side (discussed)."""

NEGATING_PHRASES = frozenset({"instead of", "rather than", "independently of", "independent of", "in place of",
                              "no longer", "without", "refused to", "refuses to", "declined to", "declines to",
                              "failed to", "fails to", "unable to", "turned down", "turns down",
                              "turn down"})  # fmt: skip
"""Negation without "not": "runs on Android instead of HarmonyOS", "operates independently of HarmonyOS",
"refused to model for", "was unable to appear in", "turned down offers to work for" (not "declined to comment": a
party that does not answer neither confirms nor denies)."""

NEGATIONS = (
    DENIALS
    | NEGATING_PHRASES
    | frozenset(
        """not no never none nobody nothing neither nor cannot isn't aren't wasn't weren't don't doesn't
        didn't won't wouldn't can't couldn't shouldn't hasn't haven't hadn't""".split()
    )
)
"""Every negation cue: plain ones ("not", "never") only count on a passage that restates the claim."""

RUMOURS = frozenset(
    """reportedly allegedly alleged purportedly supposedly rumor rumors rumored rumour rumours rumoured unconfirmed
    unverified speculation speculated""".split()
)
"""Hedges that make a passage a report of a rumour (a subset of :data:`HEDGES`)."""

QUESTION = "asks whether"
"""The cue of a passage that asks rather than states ("Was the Batmobile stolen in Detroit?")."""
REPORTED = "a report says"
"""The cue of a passage labelled as someone else's report or an open question ("Report: ...", "...: Source",
"sources say", "Variety is reporting that", "purports to show", "if confirmed", "is assessing whether", "is said to
have", "insiders")."""
_REPORT_LABEL = re.compile(
    r"^(?:report|reports|source|sources)\s*:|:\s*(?:report|reports|source|sources)\W*$"  # "Report: ...", "...: Source"
    r"|\b(?:report|reports|source|sources) (?:say|says|said|claim|claims)\b|\breport(?:s|ed|ing) that\b"
    r"|\bpurport(?:s|ed|ing)?\b|\bif confirmed\b|\b(?:assessing|asked|asks|wonder(?:s|ed)?) whether\b"
    r"|\binsiders?\b|\bsources? close to\b"
)
_REPORT_WORDS = ("report", "source", "purport", "confirmed", "whether", "insider")
"""A passage holds one of these, or no :data:`_REPORT_LABEL` can match it (a cheap test first: most do not)."""
_SAID_TO_BE = re.compile(r"\b(?:said|thought|understood) to (?:be|have)\b")

HEDGES = (
    ATTRIBUTED_DENIALS
    | RUMOURS
    | frozenset(
        """apparently may might could possibly perhaps speculate claims claimed claiming suggests suggested believed
        appears seems""".split()
    )
    | {QUESTION, REPORTED}
)
"""Cues that the passage reports without asserting."""


UPWARD = frozenset(
    """raise raises raised raising increase increases increased increasing hike hikes hiked rise rises rose
    risen rising boost boosts boosted grow grows grew grown growing gain gains gained higher expand expanded
    expands up surge surged soar soared jump jumped climb climbed""".split()
)
DOWNWARD = frozenset(
    """cut cuts cutting lower lowers lowered lowering reduce reduces reduced reducing decrease decreases
    decreased decreasing fall falls fell fallen falling drop drops dropped dropping slash slashed decline
    declines declined shrink shrinks shrank shrunk down plunge plunged slump slumped tumble tumbled""".split()
)
"""Words of direction: "cut rates" and "raised rates" share most words but say opposite things."""

_UNSETTLED = re.compile(
    r"\b(?:not|n't|never) (?:yet |been |immediately |independently )?"
    r"(?:clear|known|confirmed|verified|certain|sure|able to (?:confirm|verify))\b"
    # Non-answers: a party that did not answer neither confirms nor denies.
    r"|\b(?:not|n't) (?:immediately )?(?:respond|responded|reply|replied|return(?:ed)? (?:a )?(?:call|request)s?|"
    r"answer|answered|comment|commented|available for comment)\b"
    r"|\b(?:declined|refused) to (?:comment|confirm|say)\b|\bcould not be reached\b|\bno immediate comment\b"
)
NO_ANSWER_VERBS = (
    r"comment|confirm|deny|say|disclose|elaborate|discuss|answer|respond|reply|specify|provide|give|return"
)
"""After "declined to", "failed to", "refused to": a party that does not answer, no negation of the claim."""
REFUSING = rf"(?:refuse[sd]?|fail(?:s|ed)?|unable|declin(?:ed|es)) to(?! (?:{NO_ANSWER_VERBS}|\d)\b)"
"""A verb of refusal or failure ("refused to pay", "was unable to attend", "declined to fly"), as a regex."""
_NEGATING = re.compile(
    r"\b(?:instead of|rather than|independent(?:ly)? of|in place of|no longer|without|turn(?:ed|s)? down"
    rf"|(?!declin){REFUSING}"
    rf"|declin(?:ed|es) to(?= (?!(?:a|an|the|its|their|his|her|about|around|just|only|record|new|{NO_ANSWER_VERBS})\b)"
    r"[a-z]))\b"
)


_DEBUNKS = re.compile(
    r"\b(?:contrary to|cast(?:s|ing)? doubt|no evidence|(?:is|was|are|were)(?:n't| not) true|not real|made up"
    r"|turned out to be|fake news|a prank|photoshopped|doctored|bullshit|not plausible|debunk\w*|hoax\w*"
    r"|satir\w+|fabricat\w+|false(?:ly)?|fake|untrue|bogus|baseless|myth)\b"
)


def debunk_cues(normalized: str) -> frozenset[str]:
    """Phrases with which a source calls a story false ("contrary to reports", "a hoax", "fake news").

    >>> sorted(debunk_cues("contrary to some reports, the photo was photoshopped"))
    ['contrary to', 'photoshopped']
    """
    return frozenset(m.group(0) for m in _DEBUNKS.finditer(normalized))


def polarity_cues(normalized: str, tokens: Iterable[str]) -> frozenset[str]:
    """The negation and hedge cues of a passage. "Not clear", "not confirmed", "could not be
    verified" hedge rather than negate: they become the cue ``unconfirmed``.

    >>> sorted(polarity_cues("it is not clear whether he left", tokenize("it is not clear whether he left")))
    ['unconfirmed']
    """
    cues = {t for t in tokens if t in NEGATIONS or t in HEDGES or t.endswith("n't")}
    if "may" in cues and not _MAY_HEDGES.search(normalized):
        cues.discard("may")  # "born 5 May 1981", "in May 2024": the month
    cues |= {m.group(0) for m in _NEGATING.finditer(normalized)}
    if normalized.rstrip(" \"')]").endswith("?"):
        cues.add(QUESTION)
    if (any(w in normalized for w in _REPORT_WORDS) and _REPORT_LABEL.search(normalized)) or (
        (" to be" in normalized or " to have" in normalized) and _SAID_TO_BE.search(normalized)
    ):
        cues.add(REPORTED)
    declining = {c[:-3] for c in cues if c.startswith("decline")}  # "declined to comment" is no direction
    cues |= {"direction:up" for t in tokens if t in UPWARD}
    cues |= {"direction:down" for t in tokens if t in DOWNWARD and t not in declining}
    if _UNSETTLED.search(normalized):
        cues -= {"not", "never"}
        cues = {c for c in cues if not c.endswith("n't")}
        cues.add("unconfirmed")
    return frozenset(cues)


_MAY_HEDGES = re.compile(r"\bmay\b(?! \d)(?<!\d may)")
""""May" as a hedge: not next to a day or a year ("5 May 1981", "May 2024", "May 5")."""

_PHRASES = re.compile(r"\b(?:air strikes?|cease-? ?fires?|islamic state|al-? ?qaeda|e-? ?mails?|web ?sites?)\b")
_PHRASE_FORMS = {"air strike": "airstrike", "air strikes": "airstrikes", "islamic state": "isis"}


def _fold_phrase(match: re.Match[str]) -> str:
    found = match.group(0)
    return _PHRASE_FORMS.get(found) or found.replace("-", "").replace(" ", "")


def fold_phrases(normalized: str) -> str:
    """One spelling for words written several ways: "air strike" and "airstrike", "cease-fire" and "ceasefire",
    "Islamic State" and "ISIS" (same meaning, one key term).

    >>> fold_phrases("an air strike broke the cease-fire, islamic state said")
    'an airstrike broke the ceasefire, isis said'
    """
    if any(marker in normalized for marker in _PHRASE_MARKERS):
        return _PHRASES.sub(_fold_phrase, normalized)
    return normalized


_PHRASE_MARKERS = ("air strike", "cease", "islamic state", "qaeda", "e-mail", "e mail", "web site")
"""Plain substrings that every phrase :func:`fold_phrases` folds contains: most text holds none, and skips the
pattern (``in`` on a string is far cheaper than a regular-expression search)."""


def normalize_text(text: str) -> str:
    """Fold case, Unicode quotes and dashes, diacritics, compatibility forms and whitespace.

    >>> normalize_text("  Crème  Brûlée’s “Ｎｅｘｔ” — ok ")
    'creme brulee\\'s "next" - ok'
    """
    if text.isascii():  # only case, backticks and whitespace to fold: the common case, ten times faster
        return fold_phrases(" ".join(text.casefold().translate(_PUNCT).split()))
    return fold_phrases(_fold_unicode(text))


def _fold_unicode(text: str) -> str:
    text = unicodedata.normalize("NFKC", text.translate(_IGNORABLE)).translate(_look_alikes())
    text = text.casefold().translate(_PUNCT)
    if not text.isascii():  # diacritics to strip, look-alikes to fold
        text = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
        text = unicodedata.normalize("NFKC", text.translate(_look_alikes())).casefold().translate(_PUNCT)
    return " ".join(text.split())


_IGNORABLE_RANGES = (
    (0x00AD, 0x00AD),
    (0x034F, 0x034F),
    (0x061C, 0x061C),
    (0x115F, 0x1160),
    (0x17B4, 0x17B5),
    (0x180B, 0x180F),
    (0x200B, 0x200F),
    (0x202A, 0x202E),
    (0x2060, 0x206F),
    (0x3164, 0x3164),
    (0xFE00, 0xFE0F),
    (0xFEFF, 0xFEFF),
    (0xFFA0, 0xFFA0),
    (0xFFF0, 0xFFF8),
    (0x1BCA0, 0x1BCA3),
    (0x1D173, 0x1D17A),
    (0xE0000, 0xE0FFF),
)
"""Unicode's Default_Ignorable_Code_Point property (DerivedCoreProperties.txt): characters that render as
nothing, so a word written with one inside reads as the word without it."""
_IGNORABLE: dict[int, None] = {c: None for start, end in _IGNORABLE_RANGES for c in range(start, end + 1)}


@lru_cache(maxsize=1)
def _look_alikes() -> dict[int, str]:
    """Non-ASCII letters and digits that TR39 lists as confusable with one ASCII letter or digit, mapped to it
    (lower case). Built once from the ``confusable-homoglyphs`` table."""
    import json
    from importlib import resources

    data = json.loads(resources.files("confusable_homoglyphs").joinpath("confusables.json").read_text("utf-8"))
    table: dict[int, str] = {}
    for char, homoglyphs in sorted(data.items()):
        if len(char) != 1 or char.isascii() or not char.isalnum():
            continue
        targets = sorted({h["c"].lower() for h in homoglyphs if len(h["c"]) == 1 and h["c"].isascii()})
        targets = [t for t in targets if t.isalnum()]
        if targets:
            table[ord(char)] = targets[0]
    return table


def look_alikes_version() -> str:
    """The version of the confusables table, for the verdict cache's fingerprint."""
    from importlib.metadata import version

    return version("confusable-homoglyphs")


def tokenize(normalized: str) -> list[str]:
    """Words and numbers of a normalized text; a possessive ``'s`` is dropped.

    >>> tokenize("bmw's 25% stake in r&d")
    ['bmw', '25', 'stake', 'in', 'r', 'd']
    """
    tokens = []
    for token in _TOKEN.findall(normalized):
        if token.endswith("'s"):
            token = token[:-2]
        tokens.append(token)
    return tokens


def is_number_token(token: str) -> bool:
    return token.isdigit()


@lru_cache(maxsize=200_000)
def stem(token: str) -> str:
    """The Snowball (Porter 2) stem of an English token; numbers and short tokens are kept as they are."""
    if len(token) <= 3 or not token.isalpha():
        return token
    return str(_stemmer().stemWord(token))


@lru_cache(maxsize=1)
def _stemmer() -> Any:
    import snowballstemmer

    return snowballstemmer.stemmer("english")


@lru_cache(maxsize=200_000)
def term_weight(token: str) -> float:
    """How much a term matters: rare words weigh more than common ones (from wordfreq's Zipf scale).

    "huawei" (Zipf 3.3) weighs about 4.7, "china" (5.1) about 2.9, "said" would weigh 1.
    Numbers weigh 5: a figure is the heart of the claims that carry one.
    """
    if token.isdigit():
        return 5.0
    from wordfreq import zipf_frequency

    return max(1.0, min(8.0, 8.0 - zipf_frequency(token, "en")))


@dataclass(frozen=True, slots=True)
class AliasTable:
    """Names that are also written otherwise: every variant is folded into one token per name.

    A table is built once per distinct set of rows (a Background's table, read again for every scenario, is the
    same object each time), and what is derived from it (its key, its compiled pattern, the declared names'
    terms) is computed once per table: a table of 100,000 rows costs its size once, not once per scenario,
    claim or passage.

    >>> table = AliasTable.from_rows([("HarmonyOS NEXT", ["Harmony OS NEXT"])])
    >>> table.apply(normalize_text("Huawei's Harmony OS Next"))
    "huawei's harmonyosnext"
    """

    names: tuple[tuple[str, tuple[str, ...]], ...] = ()
    _derived: dict[str, Any] = field(default_factory=dict, compare=False, hash=False, repr=False)

    @classmethod
    def from_rows(cls, rows: Iterable[tuple[str, Sequence[str]]]) -> AliasTable:
        return _table_of(tuple((name, tuple(variants)) for name, variants in rows))

    def merged(self, other: AliasTable) -> AliasTable:
        if not other.names or other.names == self.names:
            return self
        if not self.names:
            return other
        return AliasTable(tuple(sorted(set(self.names) | set(other.names))))

    def __hash__(self) -> int:
        return hash(self.key)

    def derived(self, name: str, compute: Callable[[AliasTable], Any]) -> Any:
        """``compute(self)``, once per table (kept under ``name``)."""
        if name not in self._derived:
            self._derived[name] = compute(self)
        return self._derived[name]

    @property
    def key(self) -> str:
        """A short stable text that changes whenever the table does (for caches): a digest of its rows."""
        return str(self.derived("key", lambda t: hashlib.sha256(repr(t.names).encode("utf-8")).hexdigest()))

    def token_for(self, name: str) -> str:
        """The single token every variant of ``name`` becomes."""
        return _alias_token(normalize_text(name))

    def apply(self, normalized: str) -> str:
        """Replace every variant (and the name itself) by the name's token."""
        if not self.names:
            return normalized
        pattern, lookup = self.derived("compiled", lambda t: _compile(t.names))
        return str(pattern.sub(lambda m: lookup[m.group(0)], normalized))


@lru_cache(maxsize=16)
def _table_of(rows: tuple[tuple[str, tuple[str, ...]], ...]) -> AliasTable:
    names = tuple(
        (name, tuple(v for v in variants if normalize_text(v))) for name, variants in rows if normalize_text(name)
    )
    return AliasTable(tuple(sorted(names)))


def _alias_token(normalized_name: str) -> str:
    return "".join(tokenize(normalized_name)) or normalized_name


def _compile(names: tuple[tuple[str, tuple[str, ...]], ...]) -> tuple[re.Pattern[str], Mapping[str, str]]:
    lookup: dict[str, str] = {}
    for name, variants in names:
        token = _alias_token(normalize_text(name))
        for spelling in (name, *variants):
            normalized = normalize_text(spelling)
            if normalized:
                lookup.setdefault(normalized, token)
    if not lookup:
        return re.compile(r"(?!)"), lookup  # nothing to replace: a pattern that never matches
    alternation = "|".join(re.escape(v) for v in sorted(lookup, key=lambda v: (-len(v), v)))
    return re.compile(rf"(?<![^\W_])(?:{alternation})(?![^\W_])"), lookup
