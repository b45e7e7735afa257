"""Values that claims state: numbers, percentages, money, years, dates and relative dates.

Extraction works on normalized text (see :func:`checks.engine.normalize.normalize_text`) and returns
:class:`Value` objects that compare by meaning: "nearly 25%" and "25 per cent" are the same
percentage, "March 17, 2025" and "2025-03-17" the same date, "later this year" in a source
published in 2025 is the year 2025, "on Tuesday" in a source published on Wednesday 2025-11-05 is 2025-11-04.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

__all__ = [
    "Value",
    "ValueKind",
    "compatible",
    "covers",
    "extract_values",
]


class ValueKind(StrEnum):
    PERCENT = "percent"
    MONEY = "money"
    NUMBER = "number"
    YEAR = "year"
    DATE = "date"
    MONTH = "month"
    WEEK = "week"
    """An ISO week, ``2025-W12``: "this week", "until next week", "last week", resolved against publication."""


@dataclass(frozen=True, slots=True)
class Value:
    """A value found in text. ``amount`` is a float for quantities, an ISO string for dates."""

    kind: ValueKind
    amount: float | str
    text: str
    start: int
    end: int
    approx: str | None = None
    unit: str | None = None
    context: tuple[str, ...] = ()
    """Up to three words after a plain number ("four major r&d centers" → major, r, d): what it counts."""


_MONTHS = {
    "jan": 1,
    "feb": 2,
    "mar": 3,
    "apr": 4,
    "may": 5,
    "jun": 6,
    "jul": 7,
    "aug": 8,
    "sep": 9,
    "sept": 9,
    "oct": 10,
    "nov": 11,
    "dec": 12,
}
_WORDS = {
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "thirteen": 13,
    "fourteen": 14,
    "fifteen": 15,
    "sixteen": 16,
    "seventeen": 17,
    "eighteen": 18,
    "nineteen": 19,
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "sixty": 60,
    "seventy": 70,
    "eighty": 80,
    "ninety": 90,
    "hundred": 100,
    "dozen": 12,
}
_SCALES = {
    "thousand": 1e3,
    "k": 1e3,
    "million": 1e6,
    "m": 1e6,
    "mn": 1e6,
    "billion": 1e9,
    "bn": 1e9,
    "b": 1e9,
    "trillion": 1e12,
    "tn": 1e12,
}
_APPROX = (
    r"nearly|almost|about|around|approximately|roughly|some|over|more than|less than|fewer than|"
    r"up to|at least|at most|close to|under|above|below|just over|just under|by"
)
_MONTH_RE = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sept?(?:ember)?"
    r"|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\b\.?"
)
"""A month's name or its abbreviation, and nothing longer: "mar" and "march", never "mara" or "marketing"."""
_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_WEEKDAY_RE = "|".join(_WEEKDAYS)
_NUM = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
_WORD_NUM = "|".join(sorted(_WORDS, key=len, reverse=True))

_DATED = rf"""
    | (?P<dm>\b(?P<d4>\d{{1,2}})(?:st|nd|rd|th)?\s(?P<m4>{_MONTH_RE})(?![\w.]))
    | (?P<md>\b(?P<m5>{_MONTH_RE})\s(?P<d5>\d{{1,2}})(?:st|nd|rd|th)?\b(?!\s?(?:%|percent|per\scent)|[.,]\d))
    | (?P<wd>\b(?:(?P<wq>next|last)\s)?(?P<wn>{_WEEKDAY_RE})\b)
    | (?P<rp>\b(?:(?P<rpw>earlier|later|early|late)\s)?(?P<rpr>this|next|last)\s(?P<rpu>week|month)\b)
"""
"""Dates without a year, weekdays and relative weeks and months ("until next week", "earlier this month"): values
only when the text's publication date resolves them. Without one,
"4 November" stays the number it was, and the pattern does not try them at all."""


def _pattern(dated: str) -> re.Pattern[str]:
    return re.compile(
        rf"""
    # Every value starts a word, or at a currency sign ("HK$5"): rule out positions inside words at once,
    # instead of trying each alternative there (2.5x faster on news text).
    (?:(?<!\w)|(?=[$€£¥]))
    (?:(?P<iso>\b(?P<iy>\d{{4}})-(?P<im>\d{{2}})-(?P<id>\d{{2}})\b)
    | (?P<mdy>\b(?P<m1>{_MONTH_RE})\s(?P<d1>\d{{1,2}})(?:st|nd|rd|th)?(?:\s?,)?\s(?P<y1>\d{{4}})\b)
    | (?P<dmy>\b(?P<d2>\d{{1,2}})(?:st|nd|rd|th)?\s(?P<m2>{_MONTH_RE})(?:\s?,)?\s(?P<y2>\d{{4}})\b)
    | (?P<my>\b(?P<m3>{_MONTH_RE})\s(?P<y3>\d{{4}})\b)
    {dated}
    | (?P<rel>\b(?:(?P<rw>later|earlier|early|late)\s)?(?P<rr>this|next|last)\syear\b)
    | (?P<qty>
        (?:\b(?P<approx>{_APPROX})\s)?
        (?P<cur>[$€£¥]|us\$|usd\s|eur\s|rmb\s)?
        (?P<num>(?<![\w.,]){_NUM}(?![\w]|[.,]\d)|\b(?:{_WORD_NUM})\b)
        (?:\s?(?P<scale>thousand|million|billion|trillion|bn|mn|tn|k|m|b)\b)?
        (?:\s?(?P<unit>%|percent\b|per\scent\b|percentage\spoints?\b|dollars?\b|euros?\b|yuan\b|pounds?\b))?
      ))
    """,
        re.VERBOSE,
    )


_PATTERN = _pattern("")
_PATTERN_DATED = _pattern(_DATED)
_CONTEXT = re.compile(r"[^\W_]+")
_MAYBE = re.compile(rf"\d|day\b|\b(?:year|week|month|{_WORD_NUM})\b")
"""What every value holds (a digit, a number word, "year", "week", "month" or a weekday): most sentences have none
and are skipped at once."""


def extract_values(normalized: str, *, published: date | None = None) -> list[Value]:
    """Every value in ``normalized`` text, in order; relative years, weekdays ("on Tuesday") and dates without a
    year ("4 November") need ``published`` and are resolved against it.

    >>> [(v.kind.value, v.amount, v.approx) for v in extract_values("nearly 25% of users in 2026")]
    [('percent', 25.0, 'nearly'), ('year', 2026.0, None)]
    """
    found: list[Value] = []
    if not _MAYBE.search(normalized):
        return found
    for match in (_PATTERN if published is None else _PATTERN_DATED).finditer(normalized):
        value = _value(match, normalized, published)
        if value is not None:
            found.append(value)
    return found


def _value(match: re.Match[str], text: str, published: date | None) -> Value | None:
    group = match.lastgroup
    start, end, raw = match.start(), match.end(), match.group(0)
    if match.group("iso"):
        return _date(int(match["iy"]), int(match["im"]), int(match["id"]), raw, start, end)
    if match.group("mdy"):
        return _date(int(match["y1"]), _MONTHS[match["m1"][:3]], int(match["d1"]), raw, start, end)
    if match.group("dmy"):
        return _date(int(match["y2"]), _MONTHS[match["m2"][:3]], int(match["d2"]), raw, start, end)
    if match.group("my"):
        return Value(ValueKind.MONTH, f"{match['y3']}-{_MONTHS[match['m3'][:3]]:02d}", raw, start, end)
    if published is not None and match.re is _PATTERN_DATED:  # the pattern with the groups below
        if match.group("dm") or match.group("md"):  # "4 November": the source's year
            day, month = (match["d4"], match["m4"]) if match.group("dm") else (match["d5"], match["m5"])
            return _date(published.year, _MONTHS[month[:3]], int(day), raw, start, end)
        if match.group("wd"):
            day_of = _weekday_date(published, match["wn"], match["wq"])
            return Value(ValueKind.DATE, day_of.isoformat(), raw, start, end)
        if match.group("rp"):
            return _relative_period(published, match["rpr"], match["rpu"], raw.strip(), start, end, match["rpw"])
    if match.group("rel"):
        if published is None:
            return None
        offset = {"this": 0, "next": 1, "last": -1}[match["rr"]]
        return Value(ValueKind.YEAR, float(published.year + offset), raw.strip(), start, end, approx=match["rw"])
    del group
    return _quantity(match, text)


def _relative_period(
    published: date, which: str, unit: str, raw: str, start: int, end: int, approx: str | None
) -> Value:
    """ "next week" as the ISO week after publication's, "earlier this month" as publication's month.

    >>> [v.amount for v in extract_values("until next week", published=date(2025, 11, 5))]
    ['2025-W46']
    >>> [v.amount for v in extract_values("earlier this month and last month", published=date(2025, 1, 20))]
    ['2025-01', '2024-12']
    """
    offset = {"this": 0, "next": 1, "last": -1}[which]
    if unit == "week":
        year, week, _ = (published + timedelta(days=7 * offset)).isocalendar()
        return Value(ValueKind.WEEK, f"{year}-W{week:02d}", raw, start, end, approx=approx)
    months = published.year * 12 + published.month - 1 + offset
    return Value(ValueKind.MONTH, f"{months // 12}-{months % 12 + 1:02d}", raw, start, end, approx=approx)


def covers(given: Value, wanted: Value) -> bool:
    """Whether ``given`` (a date in a passage) states the period ``wanted`` (a claim's month or week) by lying in
    it: "on Wednesday 5 November" gives November 2025 and week 2025-W45.

    >>> from datetime import date
    >>> d = extract_values("on 5 november", published=date(2025, 11, 6))[0]
    >>> w = extract_values("this week", published=date(2025, 11, 6))[0]
    >>> covers(d, w), covers(d, extract_values("next week", published=date(2025, 11, 6))[0])
    (True, False)
    """
    if given.kind is not ValueKind.DATE or not isinstance(given.amount, str):
        return False
    day = date.fromisoformat(given.amount)
    if wanted.kind is ValueKind.MONTH:
        return wanted.amount == f"{day.year}-{day.month:02d}"
    if wanted.kind is ValueKind.WEEK:
        year, week, _ = day.isocalendar()
        return wanted.amount == f"{year}-W{week:02d}"
    return False


def _weekday_date(published: date, weekday: str, qualifier: str | None) -> date:
    """The day a news story means by a weekday: the latest such day on or before publication ("said on Monday"),
    the one after it for "next Monday", the one a week before that for "last Monday".

    >>> _weekday_date(date(2025, 3, 17), "monday", None), _weekday_date(date(2025, 3, 19), "tuesday", None)
    (datetime.date(2025, 3, 17), datetime.date(2025, 3, 18))
    """
    back = (published.weekday() - _WEEKDAYS.index(weekday)) % 7
    day = published.toordinal() - back
    if qualifier == "next":
        day += 7
    elif qualifier == "last" and back == 0:
        day -= 7
    return date.fromordinal(day)


def _date(year: int, month: int, day: int, raw: str, start: int, end: int) -> Value | None:
    try:
        return Value(ValueKind.DATE, date(year, month, day).isoformat(), raw, start, end)
    except ValueError:
        return None


def _quantity(match: re.Match[str], text: str) -> Value | None:
    num = match["num"]
    amount = float(_WORDS[num]) if num in _WORDS else float(num.replace(",", ""))
    scale, unit, currency, approx = match["scale"], match["unit"], match["cur"], match["approx"]
    if scale:
        amount *= _SCALES[scale]
    start, end = match.start(), match.end()
    if unit == "%" or (unit and unit.startswith("per")):
        return Value(ValueKind.PERCENT, amount, match.group(0), start, end, approx, "%")
    if currency or (unit and not unit.startswith("percentage")):
        symbol = (currency or unit or "").strip()
        return Value(ValueKind.MONEY, amount, match.group(0), start, end, approx, _currency(symbol))
    if num.isdigit() and len(num) == 4 and 1900 <= amount <= 2100 and not scale:
        return Value(ValueKind.YEAR, amount, match.group(0), start, end, approx)
    if num in _WORDS and num in {"one", "dozen", "hundred"} and not scale:
        return None  # "one of the", "a dozen", "hundreds": too often not a count
    context = tuple(_CONTEXT.findall(text[end : end + 40])[:3])
    return Value(ValueKind.NUMBER, amount, match.group(0), start, end, approx, None, context)


def _currency(symbol: str) -> str:
    return {
        "$": "USD",
        "us$": "USD",
        "usd": "USD",
        "dollar": "USD",
        "dollars": "USD",
        "€": "EUR",
        "eur": "EUR",
        "euro": "EUR",
        "euros": "EUR",
        "£": "GBP",
        "pound": "GBP",
        "pounds": "GBP",
        "¥": "CNY",
        "rmb": "CNY",
        "yuan": "CNY",
    }.get(symbol, symbol.upper())


_LOOSE = frozenset({"nearly", "almost", "about", "around", "approximately", "roughly", "some", "close to"})


def compatible(claim: Value, found: Value) -> bool:
    """Whether two values of one kind can both be true: equal, or equal within the slack an
    approximate wording ("nearly", "about", "by") allows.

    >>> from checks.engine.values import extract_values as ev
    >>> compatible(ev("25%")[0], ev("nearly 25 percent")[0]), compatible(ev("40%")[0], ev("nearly 25%")[0])
    (True, False)
    """
    if claim.kind is not found.kind:
        return True
    if isinstance(claim.amount, str) or isinstance(found.amount, str):
        return claim.amount == found.amount
    if claim.unit != found.unit and claim.kind is ValueKind.MONEY:
        return True
    a, b = claim.amount, found.amount
    if claim.kind is ValueKind.YEAR:
        return a == b or _by_year(a, claim.approx == "by", b, found.approx == "by")
    loose = claim.approx in _LOOSE or found.approx in _LOOSE
    if loose:
        return abs(a - b) <= 0.1 * max(abs(a), abs(b))
    bounds = {found.approx, claim.approx} - {None}
    if bounds & {"over", "more than", "above", "at least", "just over"}:
        return True if found.approx is None or claim.approx is None else a == b
    if bounds & {"under", "less than", "fewer than", "below", "up to", "at most", "just under"}:
        return True
    return a == b


def _by_year(a: float, a_by: bool, b: float, b_by: bool) -> bool:
    """Two different years both true when one is a deadline: "by 2026" holds an event in 2025 or 2026 (the year
    before counts, as "by" is used), never one in 2027; two deadlines a year apart both hold.

    >>> _by_year(2025, False, 2026, True), _by_year(2026, False, 2025, True), _by_year(2025, True, 2026, True)
    (True, False, True)
    """
    if a_by and b_by:
        return abs(a - b) <= 1
    if b_by:
        return b - 1 <= a <= b
    if a_by:
        return a - 1 <= b <= a
    return False


def conflicts(claim_values: Sequence[Value], found_values: Iterable[Value]) -> list[tuple[Value, Value]]:
    """Pairs (claim value, source value) in the same slot that cannot both be true.

    A slot is a kind (percent, money, year, date); plain numbers also need a shared word after
    them ("four centres" and "five centres" share a slot, "four centres" and "five models" do not).
    A claim value with a compatible value in the passage is never in conflict.
    """
    found = list(found_values)
    result = []
    for value in claim_values:
        same = [f for f in found if f.kind is value.kind and _same_slot(value, f)]
        if same and not any(compatible(value, f) for f in same):
            result.append((value, same[0]))
    return result


def _same_slot(claim: Value, found: Value) -> bool:
    if claim.kind is not ValueKind.NUMBER:
        return True
    return bool(set(claim.context) & set(found.context))
