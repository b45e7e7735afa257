"""Turn a saved article (plain text or HTML) into a corpus source: text plus metadata fields."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from checks.errors import CorpusError, Problem

__all__ = ["SUFFIXES", "Article", "binary_kind", "read_article", "slugify"]

HTML_SUFFIXES = frozenset({".html", ".htm", ".xhtml"})
SUFFIXES = HTML_SUFFIXES | {".txt"}
"""What ``checks add`` reads: plain text and saved web pages."""
_SIGNATURES = (
    (b"%PDF-", "a PDF"),
    (b"PK\x03\x04", "a ZIP archive (a .docx, .odt or .epub is one)"),
    (b"\x89PNG", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"),
    (b"{\\rtf", "an RTF document"),
    (b"\xd0\xcf\x11\xe0", "an old Microsoft Office document"),
)


def binary_kind(data: bytes) -> str | None:
    """What kind of non-text file ``data`` is, by its content (its first bytes), whatever its name says.

    >>> binary_kind(b"%PDF-1.4 ASCII text inside"), binary_kind(b"Plain text.")
    ('a PDF', None)
    """
    head = data[:8]
    return next((kind for signature, kind in _SIGNATURES if head.startswith(signature)), None)


@dataclass(frozen=True, slots=True)
class Article:
    """Text and whatever metadata the file itself states (``None`` where it says nothing)."""

    text: str
    fields: dict[str, str | None] = field(default_factory=dict)


def slugify(name: str) -> str:
    """A valid story name or source id made from a file name.

    >>> slugify("Reuters BMW_Huawei (2025).html")
    'reuters-bmw-huawei-2025-html'
    """
    return re.sub(r"[^a-z0-9]+", "-", name.casefold()).strip("-")[:80].strip("-") or "source"


def read_article(path: Path) -> Article:
    """Read a ``.txt`` verbatim, or extract the main text and metadata of an HTML page with trafilatura."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise CorpusError(Problem(str(path), "", f"cannot be read ({exc.strerror})")) from None
    kind = binary_kind(data)
    if kind is not None or path.suffix.casefold() == ".pdf":
        raise CorpusError(
            Problem(
                str(path),
                "",
                f"is {kind or 'a PDF'}, not an article's text; save the article as .txt (UTF-8) or the page as .html",
            )
        )
    if path.suffix.casefold() in HTML_SUFFIXES:
        return _read_html(path, data)
    if b"\x00" in data:
        raise CorpusError(Problem(str(path), "", "is a binary file; give a .txt (UTF-8) or an .html article"))
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise CorpusError(Problem(str(path), "", f"is not UTF-8 (bad byte at offset {exc.start})")) from None
    return Article(text)


def _stated_date(found: object, page: bytes) -> str | None:
    """The date trafilatura found, only when the page states that very day (``YYYY-MM-DD`` in its own markup,
    as in ``article:published_time`` or ``<time datetime>``): a date filled in from a copyright year, a
    year-only or month-only meta tag, or a URL path (``/2023/05/``) was never stated, so it stays unknown.

    >>> _stated_date("2025-03-17", b'<meta property="article:published_time" content="2025-03-17T09:30:00Z">')
    '2025-03-17'
    >>> _stated_date("2024-01-01", b"<footer>&copy; 2024 Example News</footer>") is None
    True
    """
    if not isinstance(found, str) or not re.fullmatch(r"\d{4}-\d{2}-\d{2}", found):
        return None
    return found if found.encode("ascii") in page else None


_MODIFIED = ("article:modified_time", "og:updated_time", "dateModified", "last-modified", "dcterms.modified")


def _page_facts(page: bytes) -> dict[str, str]:
    """What the page's own markup states that trafilatura leaves out: its language (``<html lang="en-GB">``) and
    when it was updated (``article:modified_time`` and the like), the latter only to the day it states."""
    import lxml.html

    try:
        root = lxml.html.fromstring(page)
    except (ValueError, lxml.etree.ParserError):
        return {}
    facts: dict[str, str] = {}
    lang = (root.get("lang") or root.get("{http://www.w3.org/XML/1998/namespace}lang") or "").strip()
    if re.fullmatch(r"[A-Za-z]{2,3}(?:-[A-Za-z0-9]{2,8})*", lang):
        facts["language"] = lang
    for meta in root.iter("meta"):
        key = meta.get("property") or meta.get("name") or meta.get("itemprop") or ""
        found = re.match(r"\d{4}-\d{2}-\d{2}", (meta.get("content") or "").strip())
        if key in _MODIFIED and found:
            facts["updated"] = found.group()
            break
    return facts


def _read_html(path: Path, data: bytes) -> Article:
    import trafilatura  # imported here: it is slow to import and only `checks add` needs it

    document = trafilatura.bare_extraction(
        data,
        with_metadata=True,
        include_comments=False,
        date_extraction_params={"extensive_search": False, "original_date": True},
    )
    text = getattr(document, "text", None) if document is not None else None
    if not text or not text.strip():
        raise CorpusError(
            Problem(
                str(path),
                "",
                "no article text found in this HTML page; save the article itself, or paste its text into a .txt",
            )
        )
    page = _page_facts(data)
    fields: dict[str, str | None] = {
        "title": getattr(document, "title", None),
        "author": getattr(document, "author", None),
        "published": _stated_date(getattr(document, "date", None), data),
        "updated": page.get("updated"),
        "publisher": getattr(document, "sitename", None),
        "url": getattr(document, "url", None),
        "language": getattr(document, "language", None) or page.get("language"),
    }
    return Article(text.rstrip("\n") + "\n", fields)
