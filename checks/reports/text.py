"""Small text helpers shared by the report writers."""

from __future__ import annotations

import re
from collections.abc import Sequence

from checks.models import SourceVerdict

__all__ = ["clip", "context", "format_table", "xml_safe"]

_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def xml_safe(text: str) -> str:
    """Drop the characters XML 1.0 cannot carry at all (escaping is the serializer's job)."""
    return _XML_INVALID.sub("", text)


def clip(text: str, size: int = 160) -> str:
    """One line of at most ``size`` characters."""
    flat = " ".join(text.split())
    return flat if len(flat) <= size else flat[: size - 1] + "…"


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
        quote = f'"{clip(v.evidence.quote)}"' if v.evidence else "(no evidence)"
        lines.append(f"{v.source:<{width}}  {v.verdict.label:<13}  {quote}")
        lines.append(f"{'':<{width}}  {'':<13}  {v.rule}")
    if silent:
        lines.append(f"… and {silent} more source(s): not mentioned")
    return "\n".join(lines)
