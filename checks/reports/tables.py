"""Plain tables for terminals and Markdown (PR comments, job summaries); cells are untrusted text."""

from __future__ import annotations

import re
from collections.abc import Sequence

__all__ = ["markdown_table", "markdown_text", "text_table"]


def text_table(headers: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    """Columns padded to their widest cell; newlines inside a cell become spaces."""
    cells = [[_one_line(c) for c in row] for row in [headers, *rows]]
    widths = [max(len(row[i]) for row in cells) for i in range(len(headers))]
    lines = ["  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip() for row in cells]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


def markdown_table(headers: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    """A GitHub-flavoured Markdown table. Pipes, backticks, angle brackets and newlines in cells are neutralized,
    so a quote from a source can neither break the table nor inject markup into a PR comment."""
    lines = ["| " + " | ".join(_md(h) for h in headers) + " |", "|" + "---|" * len(headers)]
    lines += ["| " + " | ".join(_md(c) for c in row) + " |" for row in rows]
    return "\n".join(lines)


def _one_line(text: str) -> str:
    return " ".join(text.split())


_MD_ESCAPES = str.maketrans({"\\": "&#92;", "|": "&#124;", "`": "\\`", "<": "&lt;", ">": "&gt;", "*": "\\*",
                             "_": "\\_", "[": "\\[", "]": "\\]", "#": "\\#", "@": "@\u200b", "&": "&amp;"})  # fmt: skip


def markdown_text(text: str) -> str:
    """One line of untrusted text made inert in Markdown."""
    return _md(text)


_AUTOLINK = re.compile(r"(?i)(?<![\w\u200b])(https?|ftp|www|mailto)(?=[:.])")
"""What GitHub turns into a link on its own (extended autolinks): ``https://…``, ``www.…``; a zero-width space
after the scheme or ``www`` breaks it (``@`` of e-mail autolinks is broken the same way, in the escapes)."""


def _md(text: str) -> str:
    """A backslash or a pipe becomes an HTML entity, not a backslash escape: GitHub splits table rows on pipes
    before it reads escapes, so ``\\|`` in a source would end the cell."""
    return _AUTOLINK.sub("\\1\u200b", _one_line(text).translate(_MD_ESCAPES))
