"""Small text helpers shared by the report writers."""

from __future__ import annotations

import re
from collections.abc import Sequence

from checks.models import SourceVerdict

__all__ = ["clip", "clip_around", "context", "decisive_words", "format_table", "terminal_safe", "xml_safe"]

_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_TERMINAL_CONTROLS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
_WORKFLOW_COMMAND = re.compile(r"^(\s*)(::|##\[)", re.MULTILINE)


def terminal_safe(text: str) -> str:
    """Text with claims or source quotes in it, made safe to print to a terminal or a CI log: control characters
    (ESC sequences, carriage returns, bidi controls) are dropped, and a line that would start with ``::`` or
    ``##[`` (a GitHub Actions or Azure Pipelines workflow command: ``::error``, ``::add-mask::``,
    ``::stop-commands::``) gets a space inside the marker, so the runner prints it instead of executing it.

    >>> terminal_safe("ok\\n::error file=x::Gate passed\\x1b[2K")
    'ok\\n: :error file=x::Gate passed[2K'
    """
    text = _TERMINAL_CONTROLS.sub("", text.replace("\r\n", "\n"))
    return _WORKFLOW_COMMAND.sub(lambda m: f"{m.group(1)}{m.group(2)[0]} {m.group(2)[1:]}", text)


def xml_safe(text: str) -> str:
    """Drop the characters XML 1.0 cannot carry at all (escaping is the serializer's job)."""
    return _XML_INVALID.sub("", text)


def clip(text: str, size: int = 160) -> str:
    """One line of at most ``size`` characters."""
    flat = " ".join(text.split())
    return flat if len(flat) <= size else flat[: size - 1] + "…"


def clip_around(text: str, keep: Sequence[str], size: int = 160) -> str:
    """One line of at most about ``size`` characters that shows the first of the ``keep`` words (most decisive
    first: the value or name that decided) found in the text, with the text around it, where the plain cut would
    drop it.

    >>> quote = "The tank at Terminal 3 is " + "run by a contractor under a lease agreed in 2019 " * 3 + "Brightwater"
    >>> clip_around(quote, ["Brightwater"], size=60).endswith("Brightwater")
    True
    """
    flat = " ".join(text.split())
    if len(flat) <= size:
        return flat
    lowered = flat.casefold()
    spot = next((lowered.find(w.casefold()) for w in keep if w and w.casefold() in lowered), -1)
    if spot < size - 12:
        return clip(flat, size)  # nothing decisive, or it is already inside the plain cut
    start = max(0, spot - size // 3)
    start = flat.rfind(" ", 0, start) + 1 if start else 0
    end = min(len(flat), start + size - 2)
    return ("…" if start else "") + flat[start:end] + ("…" if end < len(flat) else "")


_DECISIVE = re.compile(r"\b(?:[A-Z][\w&.-]*|\d[\d.,%]*)(?:\s+[A-Z][\w&.-]*)*")


def decisive_words(verdict: SourceVerdict) -> list[str]:
    """What decided a verdict, as words to keep in a clipped quote: its values, then the names and numbers its
    rule mentions.

    >>> from checks.verdicts import Verdict
    >>> decisive_words(SourceVerdict(source="s", verdict=Verdict.CONTRADICTED, score=80,
    ...                              rule="names Brightwater Logistics, not Norvane", values=["2026"]))
    ['2026', 'Brightwater Logistics', 'Norvane']
    """
    return [*verdict.values, *(m.group() for m in _DECISIVE.finditer(verdict.rule))]


def context(text: str, start: int, end: int, width: int = 120) -> tuple[str, str]:
    """Up to ``width`` characters before ``start`` and after ``end``, cut at word boundaries."""
    lo = max(0, start - width)
    hi = min(len(text), end + width)
    before, after = text[lo:start], text[end:hi]
    if lo > 0 and " " in before:
        before = before[before.index(" ") + 1 :]
    if hi < len(text) and " " in after:
        after = after[: after.rindex(" ")]
    return before, after


def format_table(verdicts: Sequence[SourceVerdict], silent: int = 0) -> str:
    """The per-source table shown in the terminal and in JUnit failure messages; ``silent`` sources
    (not mentioned, not listed) are counted at the end."""
    width = max([len("source"), *(len(v.source) for v in verdicts)])
    lines = [f"{'source':<{width}}  {'verdict':<13}  quote / rule", f"{'-' * width}  {'-' * 13}  {'-' * 40}"]
    for v in verdicts:
        quote = f'"{clip_around(v.evidence.quote, decisive_words(v))}"' if v.evidence else "(no evidence)"
        lines.append(f"{v.source:<{width}}  {v.verdict.label:<13}  {quote}")
        lines.append(f"{'':<{width}}  {'':<13}  {v.rule}")
    if silent:
        lines.append(f"… and {silent} more source(s): not mentioned")
    return "\n".join(lines)
