"""``reports/claimreview.jsonld``: one JSON-LD document whose ``@graph`` holds a schema.org ``ClaimReview`` for
each claim × source verdict, and a W3C Web Annotation for the evidence of each, one node per line.

ClaimReview models a reviewer rating a claim that appears somewhere. Our verdict is a source's *stance* on a
claim, not a truth rating, and the export says so:

- ``itemReviewed`` is the ``Claim`` (the editors' wording) with its ``appearance``: the source (a
  ``CreativeWork`` with its URL, headline, publisher, author, date);
- ``reviewRating`` rates how far that source supports the claim: 3 supported, 2 discussed (covered without being
  asserted: hedged, attributed, partial), 1 contradicted; ``alternateName`` is the verdict and
  ``ratingExplanation`` the rule that decided;
- ``reviewBody`` states the stance in words, with who asserts the evidence when the source quotes a party
  ("contradicted — Norvane denies: …"), so a denying or hedging source never reads as a plain rating.

Only claim checks are exported (the ``supports`` / ``contradicts`` / ``discusses`` / ``record`` steps): an
agreement question or a publication date is not a claim anyone reviews. A source that does not mention a claim
holds no appearance of it to review, so ``not_mentioned`` verdicts have no node (they are in ``results.json``).

Every node has a stable IRI, unique in the document: ``urn:checks:review:<claim id>/<n>/<source>`` (``n``: the
check's place in its scenario, as a scenario may check several claims under one id), ``…/rating``, the claim
``urn:checks:claim:<claim id>/<n>``, the source ``urn:checks:source:<id>``, the annotation
``urn:checks:evidence:<claim id>/<n>/<source>``. The evidence annotation (``motivation: assessing``, its
``body`` the review) carries its own Web Annotation context and anchors the quote with a ``TextQuoteSelector``
(exact, prefix, suffix) and a ``TextPositionSelector`` (start, end) into the source's text. Only schema.org terms
are used outside the annotations (the tests expand the document with pyld against the schema.org context and
check every term against it, and validate each annotation against the W3C annotation tests' JSON schemas).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from checks.models import Evidence, SourceVerdict
from checks.reports.records import CheckRecord
from checks.reports.results import Results, SourceEntry
from checks.verdicts import StepKind, Verdict

__all__ = ["CLAIM_KINDS", "render_claimreview"]

_RATING = {Verdict.SUPPORTED: 3, Verdict.DISCUSSED: 2, Verdict.CONTRADICTED: 1}
_STANCE = {
    Verdict.SUPPORTED: "the source asserts the claim",
    Verdict.DISCUSSED: "the source covers the claim without asserting it",
    Verdict.CONTRADICTED: "the source contradicts the claim",
}
CLAIM_KINDS = frozenset(
    {
        StepKind.EVERY_SOURCE_SUPPORTS,
        StepKind.AT_LEAST_SOURCES_SUPPORT,
        StepKind.AT_LEAST_INDEPENDENT_SOURCES_SUPPORT,
        StepKind.NO_SOURCE_SUPPORTS,
        StepKind.SOURCE_SUPPORTED,
        StepKind.SOURCE_CONTRADICTED,
        StepKind.SOURCE_DISCUSSED,
        StepKind.SOURCE_NOT_MENTIONED,
        StepKind.RECORD,
    }
)
"""The checks that are claims: exported. Agreement questions and publication dates are not."""
ENGINE_IRI = "urn:checks:engine"
ANNOTATION_CONTEXT = "http://www.w3.org/ns/anno.jsonld"


def render_claimreview(results: Results, texts: Mapping[str, str]) -> str:
    sources = {s.id: s for s in results.sources}
    # One node per line: readable, diffable, and written by json's C encoder as soon as it is built (indenting
    # is pure Python, and an archive run holds tens of thousands of reviews).
    graph: list[str] = []
    for scenario in results.scenarios:
        for number, check in enumerate((c for c in scenario.checks if c.kind in CLAIM_KINDS), start=1):
            claim_iri = f"urn:checks:claim:{scenario.claim_id}/{number}"
            for verdict in check.verdicts:
                if not verdict.verdict.speaks:
                    continue
                name = f"{scenario.claim_id}/{number}/{verdict.source}"
                review = _review(name, claim_iri, check, verdict, sources.get(verdict.source))
                graph.append(f"    {json.dumps(review, ensure_ascii=False)}")
                if verdict.evidence is not None:
                    text = texts.get(verdict.source, "")
                    annotation = _annotation(name, verdict.evidence, _target(verdict.source, sources), text)
                    graph.append(f"    {json.dumps(annotation, ensure_ascii=False)}")
    body = "[\n" + ",\n".join(graph) + "\n  ]" if graph else "[]"
    return f'{{\n  "@context": "https://schema.org",\n  "@graph": {body}\n}}\n'


def _review(
    name: str, claim_iri: str, check: CheckRecord, verdict: SourceVerdict, source: SourceEntry | None
) -> dict[str, Any]:
    stance = verdict.verdict.label
    if verdict.attribution:
        stance = f"{stance} — {verdict.attribution}"
    return {
        "@type": "ClaimReview",
        "@id": f"urn:checks:review:{name}",
        "identifier": name,
        "claimReviewed": check.claim,
        "itemReviewed": _claim(claim_iri, check.claim, source, verdict.source),
        "reviewRating": {
            "@type": "Rating",
            "@id": f"urn:checks:review:{name}/rating",
            "ratingValue": _RATING[verdict.verdict],
            "bestRating": 3,
            "worstRating": 1,
            "alternateName": verdict.verdict.value,
            "ratingExplanation": verdict.rule,
        },
        "reviewBody": f"{stance}: {_STANCE[verdict.verdict]} ({verdict.rule})",
        "author": {"@type": "SoftwareApplication", "@id": ENGINE_IRI, "name": "checks"},
    }


def _claim(iri: str, text: str, source: SourceEntry | None, source_id: str) -> dict[str, Any]:
    claim: dict[str, Any] = {"@type": "Claim", "@id": iri, "text": text}
    work: dict[str, Any] = {"@type": "CreativeWork", "@id": f"urn:checks:source:{source_id}", "identifier": source_id}
    if source is not None:
        meta = source.metadata
        if meta.url:
            work["url"] = meta.url
        if meta.title:
            work["headline"] = meta.title
        if meta.publisher:
            work["publisher"] = {"@type": "Organization", "name": meta.publisher}
        if meta.published:
            work["datePublished"] = meta.published
        if meta.author:
            work["author"] = {"@type": "Person", "name": meta.author}
    claim["appearance"] = work
    return claim


def _target(source_id: str, sources: Mapping[str, SourceEntry]) -> str:
    """What the annotation targets: the source's URL, or its IRI when it has none."""
    source = sources.get(source_id)
    return source.metadata.url if source and source.metadata.url else f"urn:checks:source:{source_id}"


def _annotation(name: str, ev: Evidence, target: str, text: str) -> dict[str, Any]:
    return {
        "@context": ANNOTATION_CONTEXT,
        "id": f"urn:checks:evidence:{name}",
        "type": "Annotation",
        "motivation": "assessing",
        "body": f"urn:checks:review:{name}",
        "target": {
            "source": target,
            "selector": [
                {
                    "type": "TextQuoteSelector",
                    "exact": ev.quote,
                    "prefix": text[max(0, ev.start - 32) : ev.start],
                    "suffix": text[ev.end : ev.end + 32],
                },
                {"type": "TextPositionSelector", "start": ev.start, "end": ev.end},
            ],
        },
    }
