"""The step vocabulary as data: every phrase the README documents and the patterns it is matched with.

The pytest plugin registers a pytest-bdd step for each :class:`StepSpec`; ``checks validate`` lints feature files
against the same table without importing pytest. A test checks that the README lists every phrase.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

__all__ = ["STEPS", "STEP_PATTERNS", "STEP_PHRASES", "StepSpec", "StepVocabulary", "name_row", "spec"]

_QUOTED = r'"(?P<claim>[^"]*)"'
_IDS = r'(?P<ids>"[^"]*"(?:\s*(?:,|and)\s*"[^"]*")*)'
VERBS = ("supports", "contradicts", "discusses", "does not mention")
"""The verbs of ``Then source "<id>" … "<claim>"``, in the order of the verdicts they expect."""


@dataclass(frozen=True, slots=True)
class StepSpec:
    """One documented step: its Gherkin type, a name the plugin binds it by, the phrase as the README shows it,
    and the regular expressions (full match) its text is read with."""

    type: str
    name: str
    phrase: str
    patterns: tuple[str, ...]


def _claim(name: str, inline: str, phrase: str) -> StepSpec:
    """A claim step, written with the claim inline in quotes or ending with ``:`` and the claim as docstring."""
    return StepSpec("then", name, phrase, (inline.replace("{claim}", _QUOTED), inline.replace(" {claim}", ":")))


STEPS: tuple[StepSpec, ...] = (
    StepSpec(
        "given",
        "sources_of_story",
        'Given the sources of story "<story>"',
        (r'the sources of story "(?P<story>[^"]*)"',),
    ),
    StepSpec("given", "named_sources", 'Given the sources "<id>", "<id>"', (rf"the sources {_IDS}",)),
    StepSpec("given", "aliases", "Given the aliases:", ("the aliases:",)),
    StepSpec("given", "alternatives", "Given the alternatives:", ("the alternatives:",)),
    _claim("every_source_supports", r"every source supports {claim}", 'Then every source supports "<claim>"'),
    _claim(
        "at_least_sources_support",
        r"at least (?P<count>\d+) sources? supports? {claim}",
        'Then at least <N> sources support "<claim>"',
    ),
    _claim(
        "at_least_independent_sources_support",
        r"at least (?P<count>\d+) independent sources? supports? {claim}",
        'Then at least <N> independent sources support "<claim>"',
    ),
    _claim("no_source_supports", r"no source supports {claim}", 'Then no source supports "<claim>"'),
    _claim(
        "every_source_consistent",
        r"every source is consistent about {claim}",
        'Then every source is consistent about "<claim>"',
    ),
    _claim(
        "source_verdict",
        r'source "(?P<source>[^"]*)" (?P<verb>' + "|".join(VERBS) + r") {claim}",
        'Then source "<id>" supports|contradicts|discusses|does not mention "<claim>"',
    ),
    _claim(
        "record", r"record what each source says about {claim}", 'Then record what each source says about "<claim>"'
    ),
    StepSpec(
        "then",
        "sources_agree",
        'Then the sources agree on "<question>":',
        (r'the sources agree on "(?P<question>[^"]*)":',),
    ),
    StepSpec(
        "then",
        "every_source_published",
        "Then every source was published on <YYYY-MM-DD>",
        (r"every source was published on (?P<day>\S+)",),
    ),
    StepSpec(
        "then",
        "source_published",
        'Then source "<id>" was published on <YYYY-MM-DD>',
        (r'source "(?P<source>[^"]*)" was published on (?P<day>\S+)',),
    ),
)

STEP_PHRASES: list[str] = [s.phrase for s in STEPS]
"""Every phrase, as documented in the README."""
STEP_PATTERNS: list[tuple[str, str]] = [(s.type, p) for s in STEPS for p in s.patterns]
"""(step type, regular expression) of every step."""


def name_row(cells: Sequence[object]) -> tuple[str, list[str]] | None:
    """One row of a ``| name | also written as |`` table (aliases, alternatives): the name and its variants
    (comma-separated, in one cell or several), or None when the row has no name."""
    texts = [str(c).strip() for c in cells]
    if not texts or not texts[0]:
        return None
    return texts[0], [v.strip() for v in ",".join(texts[1:]).split(",") if v.strip()]


def spec(name: str) -> StepSpec:
    """The step called ``name`` (a :attr:`StepSpec.name`)."""
    for found in STEPS:
        if found.name == name:
            return found
    raise KeyError(name)


@dataclass(frozen=True, slots=True)
class StepVocabulary:
    """The documented step phrases and the patterns they are matched with."""

    phrases: Sequence[str]
    patterns: Sequence[tuple[str, str]]

    @classmethod
    def default(cls) -> StepVocabulary:
        return _DEFAULT

    def matches(self, kind: str, text: str) -> bool:
        return self.arguments(kind, text) is not None

    def arguments(self, kind: str, text: str) -> dict[str, str] | None:
        """The named arguments of the step ``text`` matches (story, ids, source, claim...), or None."""
        for k, pattern in self.patterns:
            found = re.fullmatch(pattern, text) if k == kind else None
            if found:
                return {name: value for name, value in found.groupdict().items() if value is not None}
        return None

    def matches_with_quoted_quotes(self, kind: str, text: str) -> bool:
        """Whether the step would match if a quoted part were allowed to contain double quotes."""
        return any(k == kind and re.fullmatch(p.replace('[^"]*', ".*"), text) for k, p in self.patterns)


_DEFAULT = StepVocabulary(tuple(STEP_PHRASES), tuple(STEP_PATTERNS))
