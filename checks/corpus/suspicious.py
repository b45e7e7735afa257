"""Text that reads differently from how it looks: bidi controls and words that mix scripts.

The engine already reads through both (:func:`checks.engine.normalize.normalize_text` drops invisible characters
and folds look-alike letters), so they cannot change a verdict; they are still reported, because in a source or
a claim they are the mark of text written to fool a reader or a check. ``checks validate`` and the terminal
summary of ``pytest features/`` list them as warnings.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator

__all__ = ["BIDI_CONTROLS", "suspicious_lines", "suspicious_text"]

BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
"""Embeddings, overrides and isolates: they reorder what is displayed (Trojan Source, CVE-2021-42574)."""

_NON_ASCII_WORD = re.compile(r"[^\W\d_]*[^\x00-\x7f][^\W\d_]*")
_SHOWN = 5
"""Findings listed per text; the rest are counted."""


def suspicious_lines(name: str, text: str) -> list[str]:
    """:func:`suspicious_text` as ``name:line: …`` warnings, for the terminal."""
    return [f"{name}:{text.count(chr(10), 0, offset) + 1}: {message}" for offset, message in suspicious_text(text)]


def suspicious_text(text: str) -> list[tuple[int, str]]:
    """What in ``text`` looks like one thing and reads as another, each with its character offset.

    >>> [(offset, m.split('"')[2]) for offset, m in suspicious_text("BMW picks H\\u0430rmonyOS")]
    [(10, ' mixes Cyrillic and Latin letters (a look-alike letter?)')]
    >>> suspicious_text("plain text, Москва and Zürich")
    []
    """
    if text.isascii():
        return []
    found = sorted(_findings(text))
    if len(found) > _SHOWN:
        found = [*found[:_SHOWN], (found[_SHOWN][0], f"… and {len(found) - _SHOWN} more")]
    return found


def _findings(text: str) -> Iterator[tuple[int, str]]:
    for offset, char in enumerate(text):
        if char in BIDI_CONTROLS:
            yield offset, f"bidi control U+{ord(char):04X} ({unicodedata.name(char)}) reorders the displayed text"
    for match in _NON_ASCII_WORD.finditer(text):
        scripts = sorted({_script(c) for c in match.group() if c.isalpha()} - {""})
        if len(scripts) > 1:
            word = "".join(c for c in match.group() if c not in BIDI_CONTROLS)
            yield match.start(), f'the word "{word}" mixes {" and ".join(scripts)} letters (a look-alike letter?)'


def _script(char: str) -> str:
    """The script of a letter, from its Unicode name (LATIN, CYRILLIC, GREEK, ...), title-cased."""
    name = unicodedata.name(char, "")
    first = name.split(" ", 1)[0]
    if first in {"CJK", "HANGUL", "HIRAGANA", "KATAKANA"}:
        return "CJK"
    return first.title() if first else ""
