"""``reports/junit.xml``: one testcase per scenario, valid against both JUnit schemas CI servers check it with.

The two schemas in use disagree on where per-test details may go: the Jenkins xunit plugin's ``junit-10.xsd``
allows no ``properties`` (and no ``file`` or ``line``) on a ``testcase``, and the Apache Ant schema (windyroad
``JUnit.xsd``) allows a testcase nothing but one ``failure``, ``error`` or ``skipped``. So each testcase carries
its name, class name and real duration, and its outcome (the ``testsuites`` root carries no attributes, which
the Ant schema forbids; the totals are on the one ``testsuite``): a ``failure`` whose text is the per-source table
(source, verdict, quote, rule), an ``error``, or ``skipped`` (a known divergence, or a waived failure, whose
message names the waiver). The per-source verdicts of every scenario go once, on the suite: as ``properties``
(``<scenario> · claim <n> · <source>`` → verdict and quote) and as a readable ``system-out``. An expired waiver,
which fails the gate whatever the scenarios did, is a failing testcase of its own (class ``checks.waivers``)
named after the waiver. Written from the results, so it is the same with or without ``-n``, apart from the
times and the timestamp.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import UTC, datetime

from checks.reports.results import Results, ScenarioResult
from checks.reports.text import clip, format_table, xml_safe
from checks.verdicts import Outcome
from checks.waivers import WaiverState, WaiverStatus

__all__ = ["render_junit"]

SUITE = "checks"


def render_junit(results: Results) -> bytes:
    counts = results.summary.scenarios
    expired = [w for w in results.waivers if w.state is WaiverState.EXPIRED]
    tests = len(results.scenarios) + len(expired)
    failures = counts[Outcome.FAILED.value] + len(expired)
    time = _seconds(sum(s.duration_seconds for s in results.scenarios))
    totals = {"tests": str(tests), "failures": str(failures), "errors": str(counts[Outcome.ERROR.value])}
    root = ET.Element("testsuites")  # the Ant schema allows it no attribute; the totals are on the suite
    suite = ET.SubElement(
        root,
        "testsuite",
        {
            "name": SUITE,
            "package": SUITE,
            "id": "0",
            "timestamp": _timestamp(results.run.started),
            "hostname": "localhost",
            **totals,
            "skipped": str(counts[Outcome.KNOWN_DIVERGENCE.value] + counts[Outcome.WAIVED.value]),
            "time": time,
        },
    )
    properties = ET.SubElement(suite, "properties")
    _property(properties, "corpus", results.run.corpus)
    _property(properties, "corpus_hash", results.run.corpus_hash)
    for scenario in results.scenarios:
        _scenario_properties(properties, scenario)
    for scenario in results.scenarios:
        suite.append(_testcase(scenario))
    for status in expired:
        suite.append(_expired(status))
    ET.SubElement(suite, "system-out").text = xml_safe(_system_out(results))
    ET.SubElement(suite, "system-err").text = ""
    ET.indent(root)
    data: bytes = ET.tostring(root, encoding="utf-8", xml_declaration=True)
    return data + b"\n"


def _timestamp(started: str) -> str:
    """The run's start as the Ant schema wants it: ``YYYY-MM-DDTHH:MM:SS``, UTC, no offset."""
    try:
        moment = datetime.fromisoformat(started)
    except ValueError:
        moment = datetime(1970, 1, 1, tzinfo=UTC)
    if moment.tzinfo is not None:
        moment = moment.astimezone(UTC)
    return moment.strftime("%Y-%m-%dT%H:%M:%S")


def _seconds(value: float) -> str:
    return f"{max(value, 0.0):.3f}"


def _classname(scenario: ScenarioResult) -> str:
    return xml_safe(scenario.feature.removesuffix(".feature").replace("/", "."))


def _scenario_properties(properties: ET.Element, scenario: ScenarioResult) -> None:
    name = f"{scenario.name} (line {scenario.line})"
    _property(properties, f"{name} · claim id", scenario.claim_id)
    _property(properties, f"{name} · outcome", scenario.outcome.value)
    for waiver in scenario.waivers:
        _property(
            properties,
            f"{name} · waiver",
            f"claim {waiver.claim}, source {waiver.source}, by {waiver.reviewer} until {waiver.expires}: "
            f"{waiver.reason}",
        )
    for number, check in enumerate(scenario.checks, start=1):
        _property(properties, f"{name} · claim {number}", check.claim)
        for verdict in check.verdicts:
            if not verdict.verdict.speaks:
                continue  # counted below with the silent ones: an archive of 100k sources is mostly silent
            quote = f' "{clip(verdict.evidence.quote, 200)}"' if verdict.evidence else ""
            _property(properties, f"{name} · claim {number} · {verdict.source}", f"{verdict.verdict.value}{quote}")
        if check.not_mentioning:
            _property(properties, f"{name} · claim {number} · not mentioned by", f"{check.not_mentioning} source(s)")


def _testcase(scenario: ScenarioResult) -> ET.Element:
    case = ET.Element(
        "testcase",
        {
            "classname": _classname(scenario),
            "name": xml_safe(scenario.name),
            "time": _seconds(scenario.duration_seconds),
        },
    )
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


def _expired(status: WaiverStatus) -> ET.Element:
    waiver = status.waiver
    case = ET.Element("testcase", {"classname": f"{SUITE}.waivers", "name": xml_safe(status.label), "time": "0.000"})
    message = f"{status.label} expired on {waiver.expires.isoformat()}; renew its date or remove it"
    failure = ET.SubElement(case, "failure", {"message": xml_safe(message), "type": "ExpiredWaiver"})
    failure.text = xml_safe(f"{message}\nreviewer {waiver.reviewer}: {waiver.reason}")
    return case


def _system_out(results: Results) -> str:
    """Every scenario's per-source verdicts, readable: what the properties say, as the terminal shows it."""
    parts = []
    for scenario in results.scenarios:
        head = f"{scenario.feature}:{scenario.line}: {scenario.name} [{scenario.outcome.value}] ({scenario.claim_id})"
        tables = [
            f"  {c.claim}\n{format_table([v for v in c.verdicts if v.verdict.speaks], c.not_mentioning)}"
            for c in scenario.checks
            if c.verdicts or c.silent
        ]
        parts.append("\n".join([head, *tables]))
    return "\n\n".join(parts) + "\n"


def _property(parent: ET.Element, name: str, value: str) -> None:
    ET.SubElement(parent, "property", {"name": xml_safe(name), "value": xml_safe(value)})
