"""Draft scenarios (``checks suggest``): Gherkin for statements no claim checks yet, ready to paste in.

Each draft is one scenario tagged ``@draft`` with a stable ``@id:draft-<hash>``, the claim written from a
statement of the sources, one step per source that speaks to it with the verdict the engine gives today (so it
runs green when pasted into the story's feature file, and shows a divergence where sources disagree), and
comments saying where the statement is and why it was picked. Nothing here reads files: the caller passes the
parsed features and the verdicts.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from pytest_bdd.parser import Feature

from checks.claims.vocabulary import VERBS, name_row
from checks.verdicts import Verdict

__all__ = ["Draft", "render_drafts", "story_aliases"]

_VERB = dict(
    zip((Verdict.SUPPORTED, Verdict.CONTRADICTED, Verdict.DISCUSSED, Verdict.NOT_MENTIONED), VERBS, strict=True)
)
_STORY = re.compile(r'the sources of story "(?P<story>[^"]*)"')
_NAME_WIDTH = 70


@dataclass(frozen=True, slots=True)
class Draft:
    """One draft scenario: the claim, where it comes from, and each source's verdict on it."""

    key: str
    claim: str
    divergent: bool
    notes: tuple[str, ...]
    """Comment lines: each statement's source, section, place and reasons."""
    verdicts: tuple[tuple[str, Verdict], ...]
    """(source id, verdict) of the sources the scenario names."""


def story_aliases(features: Iterable[Feature], story: str) -> list[tuple[str, list[str]]]:
    """The aliases declared in the Background of every feature that selects ``story``, in file order: the
    drafts are read with them, as the scenarios pasted below that Background will be."""
    rows: list[tuple[str, list[str]]] = []
    for feature in features:
        background = feature.background
        if background is None:
            continue
        steps = list(background.steps)
        if not any((m := _STORY.fullmatch(s.name)) and m.group("story") == story for s in steps):
            continue
        for step in steps:
            if step.name.strip() != "the aliases:" or step.datatable is None:
                continue
            for row in step.datatable.rows[1:]:
                found = name_row([c.value for c in row.cells])
                if found is not None:
                    rows.append(found)
    return rows


def render_drafts(story: str, drafts: Sequence[Draft], *, unchecked: int, source: str) -> str:
    """The Gherkin text of ``drafts``, with a header saying what it is and where to paste it."""
    lines = [
        f'# Draft scenarios for story "{story}": {unchecked} check-worthy statement group(s) no claim checks '
        f"({sum(d.divergent for d in drafts)} of those shown where sources give different figures).",
        f"# Coverage read from {source}.",
        "# Each step holds the verdict the engine gives today: paste the scenarios below the Background of the",
        "# story's feature file, reword the claims as an editor would, and drop @draft once a claim is reviewed.",
        "",
    ]
    names: set[str] = set()
    for draft in drafts:
        lines += _scenario(draft, names)
    return "\n".join(lines) + "\n"


def _scenario(draft: Draft, names: set[str]) -> list[str]:
    name = ("Sources differ: " if draft.divergent else "") + _shorten(draft.claim)
    if name in names:
        name = f"{name} ({draft.key})"
    names.add(name)
    out = [f"  @draft @id:draft-{draft.key}", f"  Scenario: {name}"]
    out += [f"    # {note}" for note in draft.notes]
    for n, (source, verdict) in enumerate(draft.verdicts):
        keyword = "Then" if n == 0 else "And"
        out += _step(keyword, f'source "{source}" {_VERB[verdict]}', draft.claim)
    if not draft.verdicts:
        out += _step("Then", "record what each source says about", draft.claim)
    return [*out, ""]


def _step(keyword: str, phrase: str, claim: str) -> list[str]:
    """One claim step: inline in double quotes, or with the claim as a docstring when it holds one."""
    if '"' not in claim and "\n" not in claim:
        return [f'    {keyword} {phrase} "{claim}"']
    return [f"    {keyword} {phrase}:", '      """', f"      {claim}", '      """']


def _shorten(text: str) -> str:
    flat = " ".join(text.split())
    if len(flat) <= _NAME_WIDTH:
        return flat
    return flat[: _NAME_WIDTH - 1].rsplit(" ", 1)[0] + "…"
