"""``reports/junit.xml``: one testcase per scenario, readable in GitLab, Jenkins and GitHub.

A failure's message is the per-source table (source, verdict, quote); each source's verdict is
also a ``<property>``, except ``not_mentioned``, which is counted. Written from the results, so it is
the same with or without ``-n``.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET

from checks.reports.results import Results, ScenarioResult
from checks.reports.text import clip, format_table, xml_safe
from checks.verdicts import Outcome

__all__ = ["render_junit"]


def render_junit(results: Results) -> bytes:
    counts = results.summary.scenarios
    attrs = {
        "name": "checks",
        "tests": str(len(results.scenarios)),
        "failures": str(counts[Outcome.FAILED.value]),
        "errors": str(counts[Outcome.ERROR.value]),
        "skipped": str(counts[Outcome.KNOWN_DIVERGENCE.value] + counts[Outcome.WAIVED.value]),
    }
    root = ET.Element("testsuites", attrs)
    suite = ET.SubElement(root, "testsuite", attrs)
    for scenario in results.scenarios:
        suite.append(_testcase(scenario))
    ET.indent(root)
    data: bytes = ET.tostring(root, encoding="utf-8", xml_declaration=True)
    return data + b"\n"


def _testcase(scenario: ScenarioResult) -> ET.Element:
    case = ET.Element(
        "testcase",
        {
            "classname": xml_safe(scenario.feature.removesuffix(".feature").replace("/", ".")),
            "name": xml_safe(scenario.name),
            "file": xml_safe(scenario.feature),
            "line": str(scenario.line),
        },
    )
    properties = ET.SubElement(case, "properties")
    _property(properties, "claim_id", scenario.claim_id)
    _property(properties, "outcome", scenario.outcome.value)
    for waiver in scenario.waivers:
        _property(
            properties,
            "waiver",
            f"{waiver.claim} / {waiver.source} by {waiver.reviewer} until {waiver.expires}: {waiver.reason}",
        )
    for number, check in enumerate(scenario.checks, start=1):
        _property(properties, f"claim {number}", check.claim)
        for verdict in check.verdicts:
            if not verdict.verdict.speaks:
                continue  # counted below with the silent ones: an archive of 100k sources is mostly silent
            quote = f' "{clip(verdict.evidence.quote, 200)}"' if verdict.evidence else ""
            _property(properties, f"claim {number} · {verdict.source}", f"{verdict.verdict.value}{quote}")
        if check.not_mentioning:
            _property(properties, f"claim {number} · not mentioned by", f"{check.not_mentioning} source(s)")
    failing = [c for c in scenario.checks if not c.passed]
    tables = [f"{c.step or c.expected}\n{format_table(c.verdicts, c.silent)}" for c in failing]
    body = "\n\n".join(tables) or scenario.message
    first = failing[0].expected if failing else scenario.message.splitlines()[0] if scenario.message else ""
    if scenario.outcome is Outcome.FAILED:
        element = ET.SubElement(case, "failure", {"message": xml_safe(clip(first, 300)), "type": "ClaimFailure"})
        element.text = xml_safe(body)
    elif scenario.outcome is Outcome.ERROR:
        element = ET.SubElement(case, "error", {"message": xml_safe(clip(first, 300)), "type": "CheckError"})
        element.text = xml_safe(scenario.message)
    elif scenario.outcome is Outcome.KNOWN_DIVERGENCE:
        element = ET.SubElement(case, "skipped", {"message": xml_safe(f"known divergence: {clip(first, 280)}")})
        element.text = xml_safe(body)
    elif scenario.outcome is Outcome.WAIVED:
        waived = scenario.message.split("\n\n")[0]
        element = ET.SubElement(case, "skipped", {"message": xml_safe(clip(waived, 300))})
        element.text = xml_safe(body)
    return case


def _property(parent: ET.Element, name: str, value: str) -> None:
    ET.SubElement(parent, "property", {"name": xml_safe(name), "value": xml_safe(value)})
