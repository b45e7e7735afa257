"""Within-source consistency: does a source's headline, summary or FAQ say what its body says?

A source can contradict itself: a headline saying "by 2026" over a body saying "in 2026", a "Key Takeaways"
box naming another system than the story. Two questions, both answered by the engine itself on two *views* of
one source — the same text, with every section outside the view turned into boilerplate (never evidence), so
that evidence offsets stay those of the source's ``.txt``:

- :func:`consistency`: one claim, read by the source's front matter (headline, summary, FAQ) and by its body.
  The two readings are inconsistent when the front matter supports or contradicts the claim and the body does
  not say the same (the body is the article; a headline that states what the body does not is the problem
  editors look for), or when the body takes the opposite side of the front matter. Front matter that is silent
  is consistent with anything: a summary leaves things out.
- :func:`front_statements`: every statement of the front matter (a sentence of four words or more that is not a
  question or a section heading), each read as a claim by the body alone.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

from checks.engine.normalize import AliasTable
from checks.engine.screen import Engine
from checks.engine.sentences import section_sentences
from checks.models import Claim, Evidence, Section, SectionKind, Source, SourceVerdict
from checks.verdicts import Verdict

__all__ = [
    "FRONT",
    "FRONT_MATTER_SOURCES",
    "Consistency",
    "FrontStatement",
    "consistency",
    "front_matter",
    "front_statements",
    "view",
]

FRONT = frozenset({SectionKind.HEADLINE, SectionKind.SUMMARY, SectionKind.FAQ})
"""The sections that restate the story: headline, summary ("Key Takeaways"), FAQ."""
BODY = frozenset({SectionKind.BODY})
FRONT_MATTER_SOURCES = 500
"""At most this many sources with front matter are checked after a run (a few claims each, against one body):
an archive of 100k would spend minutes on what nobody reads; above it, the check is skipped and counted."""
_MIN_WORDS = 4
"""A front-matter sentence of fewer words is a label ("Key Takeaways", "BMW and Huawei"), not a statement."""
_SIDES = (Verdict.SUPPORTED, Verdict.CONTRADICTED)


def view(source: Source, kinds: frozenset[SectionKind]) -> Source | None:
    """``source`` with every section not of ``kinds`` read as boilerplate, or None when no such section holds a
    word. The text, id and hash stay the source's: evidence found in a view is evidence in the source."""
    if not any(s.kind in kinds and source.text[s.start : s.end].strip() for s in source.sections):
        return None
    sections = tuple(
        s if s.kind in kinds else Section(SectionKind.BOILERPLATE, s.start, s.end) for s in source.sections
    )
    return replace(source, sections=_merged(sections))


def _merged(sections: Sequence[Section]) -> tuple[Section, ...]:
    """Neighbouring sections of one kind as one (a view has long runs of boilerplate)."""
    out: list[Section] = []
    for section in sections:
        if out and out[-1].kind is section.kind and out[-1].end == section.start:
            out[-1] = Section(section.kind, out[-1].start, section.end)
        else:
            out.append(section)
    return tuple(out)


@dataclass(frozen=True, slots=True)
class Consistency:
    """One claim as a source's front matter and its body read it."""

    source: str
    front: SourceVerdict | None
    """The front matter's verdict (None: the source has no headline, summary or FAQ)."""
    body: SourceVerdict | None
    """The body's verdict (None: the source has no body)."""

    @property
    def consistent(self) -> bool:
        if self.front is None or self.body is None:
            return True
        said = self.front.verdict
        return said not in _SIDES or self.body.verdict is said

    def describe(self) -> str:
        """In words: what each part says, with the quotes."""
        parts = [_part("the headline, summary and FAQ", self.front), _part("the body", self.body)]
        verb = "agree" if self.consistent else "disagree"
        return f"{'consistent' if self.consistent else 'inconsistent'}: {parts[0]}; {parts[1]} (they {verb})"


def _part(name: str, verdict: SourceVerdict | None) -> str:
    if verdict is None:
        return f"{name}: the source has none"
    quote = f' ("{verdict.evidence.quote}", {verdict.evidence.section.value})' if verdict.evidence else ""
    return f"{name}: {verdict.verdict.label}{quote}"


def consistency(
    engine: Engine, claim: Claim | str, sources: Sequence[Source], *, aliases: AliasTable | None = None
) -> list[Consistency]:
    """Per source, the claim as its front matter and its body read it (see the module's docstring)."""
    fronts = [view(s, FRONT) for s in sources]
    bodies = [view(s, BODY) for s in sources]
    front_verdicts = _read(engine, claim, fronts, aliases)
    body_verdicts = _read(engine, claim, bodies, aliases)
    return [Consistency(s.id, f, b) for s, f, b in zip(sources, front_verdicts, body_verdicts, strict=True)]


def _read(
    engine: Engine, claim: Claim | str, views: Sequence[Source | None], aliases: AliasTable | None
) -> list[SourceVerdict | None]:
    present = [v for v in views if v is not None]
    verdicts = iter(engine.check_claim(claim, present, aliases=aliases, index=False) if present else [])
    return [next(verdicts) if v is not None else None for v in views]


@dataclass(frozen=True, slots=True)
class FrontStatement:
    """A statement of a source's front matter and what the body alone says of it."""

    source: str
    statement: Evidence
    """The statement: its text and place in the source."""
    body: SourceVerdict
    """The body's verdict on it, with the body's evidence."""


def front_statements(engine: Engine, source: Source, *, aliases: AliasTable | None = None) -> list[FrontStatement]:
    """Every statement of the source's headline, summary and FAQ, read by the body alone; a statement repeated
    (the same headline twice) is read once, at its first place. Empty when the source has no body."""
    body = view(source, BODY)
    if body is None:
        return []
    seen: set[str] = set()
    found = []
    for kind, start, end in section_sentences(source, FRONT):
        text = source.text[start:end]
        key = " ".join(text.lower().split())
        if key in seen or key.endswith("?") or len(key.split()) < _MIN_WORDS:
            continue
        seen.add(key)
        found.append((Evidence(quote=text, start=start, end=end, section=kind), text))
    out = []
    for statement, text in found:
        verdict = engine.check_claim(text, [body], aliases=aliases, index=False)[0]
        out.append(FrontStatement(source.id, statement, verdict))
    return out


def front_matter(
    engine: Engine, sources: Sequence[Source], *, limit: int = FRONT_MATTER_SOURCES
) -> tuple[list[FrontStatement], int]:
    """:func:`front_statements` of every source with front matter, in id order, and how many such sources were
    skipped (all of them, when there are more than ``limit``)."""
    having = sorted((s for s in sources if view(s, FRONT) is not None), key=lambda s: s.id)
    if len(having) > limit:
        return [], len(having)
    return [statement for source in having for statement in front_statements(engine, source)], 0
