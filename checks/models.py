"""The nouns of the harness.

What is read from or written to disk is a pydantic model (frozen, unknown keys forbidden); the
committed JSON Schemas in ``checks/schemas/`` are generated from these classes. In-memory values
that never touch disk are frozen dataclasses.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum
from typing import Annotated, Literal, overload

from pydantic import AfterValidator, BaseModel, ConfigDict, Field

from checks.verdicts import Verdict

__all__ = [
    "SECTION_PRIORITY",
    "Claim",
    "Evidence",
    "EvidenceState",
    "Section",
    "SectionKind",
    "SectionOverride",
    "Source",
    "SourceMetadata",
    "SourceVerdict",
    "SourceVersion",
    "Verdicts",
    "VersionHistory",
    "is_id",
    "parse_iso",
    "speaking",
]

ID_PATTERN = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"
"""Story names and source ids: lowercase letters, digits and single hyphens (JSON Schema syntax)."""
_ID = re.compile(ID_PATTERN.removeprefix("^").removesuffix("$"))


def is_id(value: str) -> bool:
    """Whether ``value`` is a valid story or source id: the whole of it (a trailing newline is not allowed).

    >>> is_id("reuters-via-gbaf"), is_id("added\\n"), is_id("../x")
    (True, False, False)
    """
    return _ID.fullmatch(value) is not None


_BCP47 = re.compile(r"^[A-Za-z]{2,3}(?:-[A-Za-z0-9]{2,8})*$")
_SHA256 = re.compile(r"^[0-9a-f]{64}$")


def parse_iso(value: str) -> date | datetime:
    """Parse an ISO 8601 date (``2025-03-17``) or datetime (``2025-03-17T09:30:00+00:00``).

    >>> parse_iso("2025-03-17")
    datetime.date(2025, 3, 17)
    """
    if len(value) == 10:
        return date.fromisoformat(value)
    return datetime.fromisoformat(value)


def _check_iso(value: str) -> str:
    try:
        parse_iso(value)
    except ValueError:
        raise ValueError(f"{value!r} is not an ISO date (YYYY-MM-DD) or datetime (YYYY-MM-DDTHH:MM:SS+00:00)") from None
    return value


def _check_url(value: str) -> str:
    if not re.match(r"^https?://[^\s/$.?#][^\s]*$", value, flags=re.IGNORECASE):
        raise ValueError(f"{value!r} is not an absolute http(s) URL (write it as https://...)")
    return value


def _check_language(value: str) -> str:
    if not _BCP47.match(value):
        raise ValueError(f"{value!r} is not a BCP 47 language tag (for example en, en-GB, zh-Hans)")
    return value


def _check_sha256(value: str) -> str:
    if not _SHA256.match(value):
        raise ValueError(f"{value!r} is not 64 lowercase hexadecimal digits")
    return value


IsoDate = Annotated[
    str,
    AfterValidator(_check_iso),
    Field(description="ISO 8601 date (YYYY-MM-DD) or datetime; null when unknown"),
]
Url = Annotated[str, AfterValidator(_check_url), Field(description="Absolute http(s) URL")]
Language = Annotated[str, AfterValidator(_check_language), Field(description="BCP 47 language tag")]
Sha256 = Annotated[str, AfterValidator(_check_sha256), Field(description="SHA-256 of the .txt bytes, hex")]


class SectionKind(StrEnum):
    """The parts of an article. Boilerplate is never evidence."""

    HEADLINE = "headline"
    BODY = "body"
    SUMMARY = "summary"
    FAQ = "faq"
    CORRECTION = "correction"
    """A paragraph correcting the article ("Correction: ...", "An earlier version of this story said ...")."""
    BOILERPLATE = "boilerplate"


SECTION_PRIORITY = {
    SectionKind.BODY: 0,
    SectionKind.HEADLINE: 1,
    SectionKind.SUMMARY: 2,
    SectionKind.FAQ: 3,
    SectionKind.CORRECTION: 4,
    SectionKind.BOILERPLATE: 5,
}
"""When passages tie, evidence comes from the body first: it is the reporting; summaries and FAQs restate it."""


class SectionOverride(BaseModel):
    """An author's correction of the section heuristics: characters ``start``..``end`` are ``kind``."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    kind: SectionKind
    start: int = Field(ge=0, strict=True, description="First character (0-based, inclusive)")
    end: int = Field(ge=0, strict=True, description="Last character (exclusive)")


class SourceMetadata(BaseModel):
    """The ``<id>.json`` beside every ``<id>.txt``. Every field may be null: unknown, never invented."""

    model_config = ConfigDict(
        frozen=True,
        extra="forbid",
        title="Source metadata",
        json_schema_extra={
            "$id": "https://checks.invalid/schemas/source.schema.json",
            "description": "Metadata of one source of the checks corpus (corpus/<story>/<id>.json).",
        },
    )

    title: str | None = Field(default=None, description="Headline as published")
    publisher: str | None = Field(default=None, description="Who published this copy")
    url: Url | None = None
    published: IsoDate | None = None
    updated: IsoDate | None = None
    author: str | None = None
    origin: str | None = Field(
        default=None, description="Wire agency or original publisher when the copy is syndicated (e.g. Reuters)"
    )
    language: Language | None = None
    retrieved: IsoDate | None = Field(default=None, description="When this copy was saved")
    sha256: Sha256 | None = None
    sections: tuple[SectionOverride, ...] | None = Field(
        default=None, description="Overrides of the section heuristics, as character ranges of the text"
    )

    def published_date(self) -> date | None:
        """The publication date, for resolving "later this year" and for metadata steps."""
        if self.published is None:
            return None
        value = parse_iso(self.published)
        return value.date() if isinstance(value, datetime) else value


@dataclass(frozen=True, slots=True)
class Section:
    """A character range ``[start, end)`` of a source's text and what kind of part it is."""

    kind: SectionKind
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class SourceVersion:
    """An earlier text of a source (``<id>@<retrieved>.txt`` beside ``<id>.txt``), as it was when retrieved."""

    retrieved: str
    """When this text was saved: an ISO date, or date and time (``2025-03-17``, ``2025-03-17T09:30:00Z``)."""
    text: str
    sections: tuple[Section, ...]
    path: str
    sha256: str


@dataclass(frozen=True, slots=True)
class Source:
    """One loaded source: text exactly as on disk, validated metadata, and its sections."""

    id: str
    story: str
    text: str
    metadata: SourceMetadata
    sections: tuple[Section, ...]
    path: str
    sha256: str
    versions: tuple[SourceVersion, ...] = ()
    """Its earlier texts, oldest first (the current text is :attr:`text`)."""

    def as_version(self, version: SourceVersion) -> Source:
        """This source as it read in ``version``: same id and metadata, that text."""
        return Source(self.id, self.story, version.text, self.metadata, version.sections, version.path,
                      version.sha256)  # fmt: skip

    def section_at(self, offset: int) -> SectionKind:
        """The kind of section that contains character ``offset``."""
        for section in self.sections:
            if section.start <= offset < section.end:
                return section.kind
        return SectionKind.BODY


@dataclass(frozen=True, slots=True)
class Claim:
    """A claim as an editor wrote it, with the declared alternatives of its slots."""

    text: str
    alternatives: tuple[tuple[str, ...], ...] = field(default=())


class Evidence(BaseModel):
    """Where a verdict comes from: ``text[start:end] == quote`` in the source's ``.txt``."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    quote: str
    start: int = Field(ge=0)
    end: int = Field(ge=0)
    section: SectionKind


EvidenceState = Literal["unchanged", "edited", "gone", "none"]
"""What became of an earlier verdict's quote in the current text (see :class:`VersionHistory`)."""


class VersionHistory(BaseModel):
    """The same claim read on the source's previous text (``<id>@<retrieved>.txt``), and what became of its
    evidence in the current text."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    version: str = Field(description="When the previous text was retrieved")
    verdict: Verdict = Field(description="The verdict on the previous text")
    quote: str = Field(default="", description="The evidence quote in the previous text")
    evidence: EvidenceState = Field(
        description="The previous quote found as it was in the current text, found reworded, not found, or none"
    )
    now: str = Field(default="", description="For edited evidence: the passage the previous quote became")
    verdict_changed: bool


class SourceVerdict(BaseModel):
    """The verdict of one source on one claim, with the evidence and the rule that decided."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    source: str
    verdict: Verdict
    score: int = Field(ge=0, le=100)
    rule: str = Field(description="Why, in words an editor understands")
    evidence: Evidence | None = None
    values: list[str] = Field(default_factory=list, description="Values asserted (agreement steps)")
    attribution: str | None = Field(
        default=None,
        description='Who asserts the evidence, when the source quotes a party ("according to BMW", "Norvane denies");'
        " none when the source says it in its own voice",
    )
    confidence: float | None = Field(
        default=None, ge=0, le=1, description="The learned combiner's probability for this verdict (none: rules alone)"
    )
    signals: list[str] = Field(
        default_factory=list,
        description="The signals that drove the combiner's verdict, in words, strongest first; first, when the"
        " signals leaned elsewhere but the rule may not be overruled (a hard fact, a negation, a denial), a line"
        " saying so",
    )
    history: VersionHistory | None = Field(
        default=None, description="For a source with earlier texts: the verdict on the previous one, its evidence"
    )


class Verdicts(Sequence[SourceVerdict]):
    """One verdict per source, in source order, holding only the verdicts of the sources read.

    The others are ``not_mentioned`` (screened out: most of a large archive, on any claim) and are built by
    ``silent(position)`` only when asked for, so a claim against 100k sources costs what it reads, not 100k
    verdict objects. Compares equal to any sequence of the same verdicts.
    """

    __slots__ = ("_count", "_read", "_silent")
    __hash__ = None  # type: ignore[assignment]  # mutable-looking sequence semantics: equality by content

    def __init__(self, count: int, read: Mapping[int, SourceVerdict], silent: Callable[[int], SourceVerdict]) -> None:
        self._count = count
        self._read = read
        self._silent = silent

    def __len__(self) -> int:
        return self._count

    @overload
    def __getitem__(self, index: int) -> SourceVerdict: ...

    @overload
    def __getitem__(self, index: slice) -> list[SourceVerdict]: ...

    def __getitem__(self, index: int | slice) -> SourceVerdict | list[SourceVerdict]:
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(self._count))]
        position = index + self._count if index < 0 else index
        if not 0 <= position < self._count:
            raise IndexError(f"verdict {index} of {self._count}")
        found = self._read.get(position)
        return found if found is not None else self._silent(position)

    def __iter__(self) -> Iterator[SourceVerdict]:
        read, silent = self._read, self._silent
        for position in range(self._count):
            found = read.get(position)
            yield found if found is not None else silent(position)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Sequence):
            return NotImplemented
        return len(self) == len(other) and all(a == b for a, b in zip(self, other, strict=True))

    def __repr__(self) -> str:
        return f"Verdicts({self._count} sources, {len(self._read)} read)"

    @property
    def read(self) -> Mapping[int, SourceVerdict]:
        """Positions of the sources read → their verdicts."""
        return self._read

    def replaced(self, updates: Mapping[int, SourceVerdict]) -> Verdicts:
        """The same verdicts with those at the positions of ``updates`` replaced."""
        return Verdicts(self._count, {**self._read, **updates}, self._silent)

    def speaking(self) -> list[SourceVerdict]:
        """The verdicts that are not ``not_mentioned``, in source order, without building the silent ones."""
        return [self._read[i] for i in sorted(self._read) if self._read[i].verdict.speaks]


def speaking(verdicts: Sequence[SourceVerdict]) -> list[SourceVerdict]:
    """The verdicts of ``verdicts`` that speak to the claim (supported, contradicted, discussed), in order."""
    if isinstance(verdicts, Verdicts):
        return verdicts.speaking()
    return [v for v in verdicts if v.verdict.speaks]
