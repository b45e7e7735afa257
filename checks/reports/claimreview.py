"""``reports/claimreview.jsonld``: a schema.org ClaimReview for each claim × source verdict.

A source that does not mention a claim holds no appearance of it to review, so ``not_mentioned`` verdicts
have none (they are in ``results.json``).

The evidence is anchored with W3C Web Annotation selectors: a ``TextQuoteSelector`` (exact,
prefix, suffix) and a ``TextPositionSelector`` (start, end) into the source's text.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from checks.reports.results import Results, SourceEntry
from checks.verdicts import Verdict

__all__ = ["render_claimreview"]

_RATING = {Verdict.SUPPORTED: 3, Verdict.DISCUSSED: 2, Verdict.CONTRADICTED: 1}


def render_claimreview(results: Results, texts: Mapping[str, str]) -> str:
    sources = {s.id: s for s in results.sources}
    # One review per line: readable, diffable, and written by json's C encoder as soon as it is built (indenting
    # is pure Python, and an archive run holds tens of thousands of reviews).
    graph: list[str] = []
    for scenario in results.scenarios:
        for check in scenario.checks:
            for verdict in check.verdicts:
                if not verdict.verdict.speaks:
                    continue
                source = sources.get(verdict.source)
                review: dict[str, Any] = {
                    "@type": "ClaimReview",
                    "identifier": f"{scenario.claim_id}/{verdict.source}",
                    "claimReviewed": check.claim,
                    "itemReviewed": _claim(source),
                    "reviewRating": {
                        "@type": "Rating",
                        "ratingValue": _RATING[verdict.verdict],
                        "bestRating": 3,
                        "worstRating": 1,
                        "alternateName": verdict.verdict.value,
                        "ratingExplanation": verdict.rule,
                    },
                    "author": {"@type": "SoftwareApplication", "name": "checks"},
                }
                if verdict.evidence is not None:
                    text = texts.get(verdict.source, "")
                    ev = verdict.evidence
                    review["evidence"] = {
                        "@context": "http://www.w3.org/ns/anno.jsonld",
                        "type": "Annotation",
                        "motivation": "assessing",
                        "target": {
                            "source": (
                                source.metadata.url
                                if source and source.metadata.url
                                else f"urn:checks:source:{verdict.source}"
                            ),
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
                graph.append(f"    {json.dumps(review, ensure_ascii=False)}")
    body = "[\n" + ",\n".join(graph) + "\n  ]" if graph else "[]"
    return f'{{\n  "@context": "https://schema.org",\n  "@graph": {body}\n}}\n'


def _claim(source: SourceEntry | None) -> dict[str, Any]:
    claim: dict[str, Any] = {"@type": "Claim"}
    if source is None:
        return claim
    work: dict[str, Any] = {"@type": "CreativeWork", "identifier": source.id}
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
    if meta.published:
        claim["datePublished"] = meta.published
    return claim
