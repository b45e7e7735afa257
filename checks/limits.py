"""Bounds on what the harness reads, checked before a parser sees the text: nesting depth of JSON and TOML.

Python's JSON and TOML parsers recurse once per level, so a metadata file or ``waivers.toml`` nested a few
thousand levels deep ends in ``RecursionError``. No file the harness reads needs more than a few levels; the
check below is linear in the text and happens first, so such a file is refused with a message naming it.
"""

from __future__ import annotations

import re

from checks.errors import ConfigError

__all__ = ["MAX_NESTING", "check_nesting"]

MAX_NESTING = 32
"""Levels of ``[``/``{`` allowed: metadata and waivers need 3."""

_STRINGS = re.compile(r'"(?:[^"\\\n]|\\.)*"|\'[^\'\n]*\'')


def check_nesting(text: str, name: str, limit: int = MAX_NESTING) -> None:
    """Raise ConfigError when ``text`` nests arrays or tables/objects deeper than ``limit`` (brackets inside
    quoted strings do not count).

    >>> check_nesting('{"a": [1, {"b": "[[["}]}', "x.json")
    >>> check_nesting("[" * 40 + "]" * 40, "deep.json")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    checks.errors.ConfigError: deep.json: nested more than 32 levels deep (at character 32); ...
    """
    depth = 0
    for match in re.finditer(r"[\[\]{}]", _STRINGS.sub('""', text)):
        depth += 1 if match.group() in "[{" else -1
        if depth > limit:
            raise ConfigError(
                f"{name}: nested more than {limit} levels deep (at character {match.start()}); such a file is "
                "refused before parsing"
            )
