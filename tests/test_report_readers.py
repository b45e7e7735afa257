"""Our reports fed to the third-party tools that read them, as a newsroom's CI would: a Cucumber HTML reporter
(npm, pinned in .ci/cucumber), and, in test_reports.py, the Jenkins and Ant JUnit schemas."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import FEATURE, ROOT
from tests.factories import seed_project

READER = ROOT / ".ci" / "cucumber" / "report.cjs"


def cucumber_reporter(report: Path, tmp_path: Path) -> dict[str, Any]:
    """The numbers multiple-cucumber-html-reporter computes from ``report``."""
    node = shutil.which("node")
    if node is None or not (READER.parent / "node_modules" / "multiple-cucumber-html-reporter").is_dir():
        pytest.fail("the Cucumber reporter is needed: run .ci/bootstrap (it installs Node.js and the pinned reporter)")
    inputs = tmp_path / "cucumber-in"
    inputs.mkdir()
    shutil.copy(report, inputs / "cucumber.json")
    done = subprocess.run(
        [node, str(READER), str(inputs), str(tmp_path / "cucumber-html")], capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr
    numbers: dict[str, Any] = json.loads(done.stdout)
    assert (tmp_path / "cucumber-html" / "index.html").is_file()
    return numbers


def test_a_green_gate_is_green_in_the_cucumber_reporter(pytester: pytest.Pytester, tmp_path: Path) -> None:
    """The seed run exits 0 with a known divergence: the reporter used to show "Features: Failed 100 %"."""
    seed_project(pytester)
    assert pytester.runpytest("features/").ret == 0
    numbers = cucumber_reporter(pytester.path / "reports" / "cucumber.json", tmp_path)
    assert numbers["features"]["failed"] == 0
    assert numbers["scenarios"]["failed"] == 0
    assert numbers["scenarios"]["skipped"] == 1 and numbers["scenarios"]["passed"] == 15
    element = next(
        e
        for f in json.loads((pytester.path / "reports" / "cucumber.json").read_text(encoding="utf-8"))
        for e in f["elements"]
        if e["name"] == "Which Huawei system goes into China-made BMWs"
    )
    [accepted] = [s for s in element["steps"] if s["result"]["status"] == "skipped"]
    assert "accepted divergence" in accepted["result"]["error_message"] and accepted["embeddings"]


def test_a_waived_failure_is_not_a_failure_and_a_real_one_is(project: pytest.Pytester, tmp_path: Path) -> None:
    from datetime import UTC, datetime, timedelta

    expires = (datetime.now(UTC).date() + timedelta(days=30)).isoformat()
    (project.path / "features" / "tiny.feature").write_text(
        FEATURE.replace('raised interest rates"\n\n  Scenario', 'cut interest rates"\n\n  Scenario', 1)
        + '\n  Scenario: Still wrong\n    Then every source supports "The central bank cut rates to zero"\n',
        encoding="utf-8",
    )
    (project.path / "features" / "waivers.toml").write_text(
        f'[[waiver]]\nclaim = "rates"\nsource = "*"\nreason = "The desk accepted the wording"\n'
        f'reviewer = "J. Editor"\nexpires = {expires}\n',
        encoding="utf-8",
    )
    assert project.runpytest("features/").ret == 1  # "Still wrong" fails the gate
    numbers = cucumber_reporter(project.path / "reports" / "cucumber.json", tmp_path)
    assert numbers["scenarios"]["failed"] == 1 and numbers["scenarios"]["skipped"] == 1
    assert numbers["features"]["failed"] == 1


# -- JSON-LD: schema.org ClaimReview and W3C Web Annotations, offline ------------------------------------------

SCHEMAS = ROOT / "tests" / "schemas"
CONTEXTS = {
    "https://schema.org": SCHEMAS / "jsonld" / "schemaorg-context.jsonld",
    "http://www.w3.org/ns/anno.jsonld": SCHEMAS / "jsonld" / "anno.jsonld",
}


def _load_context(url: str, options: object = None) -> dict[str, Any]:
    """pyld's document loader, offline: only the vendored contexts exist."""
    key = url.rstrip("/").replace("http://schema.org", "https://schema.org")
    if key not in CONTEXTS:
        raise AssertionError(f"the document needs a context we do not know: {url}")
    document = json.loads(CONTEXTS[key].read_text(encoding="utf-8"))
    return {"contextUrl": None, "documentUrl": url, "document": document}


def _schema_org_terms() -> set[str]:
    context = json.loads(CONTEXTS["https://schema.org"].read_text(encoding="utf-8"))["@context"]
    return {term for term in context if not term.startswith("@")}


def _annotation_validators() -> list[tuple[str, Any]]:
    """Every MUST assertion of the W3C annotation tests (annotationMusts.test) as a JSON Schema validator."""
    import jsonschema
    from referencing import Registry, Resource
    from referencing.jsonschema import DRAFT4

    base = "https://w3c.example/web-annotation-tests/"
    root = SCHEMAS / "web-annotation-tests"
    registry: Registry[Any] = Registry()
    for path in sorted((root / "definitions").glob("*.json")):
        schema = json.loads(path.read_text(encoding="utf-8"))
        schema["id"] = base + path.name
        registry = registry.with_resource(
            base + path.name, Resource.from_contents(schema, default_specification=DRAFT4)
        )
    musts = json.loads((root / "annotations" / "annotationMusts.test").read_text(encoding="utf-8"))["assertions"]
    expected = {}
    for name in musts:
        # Registered under a URI beside the definitions: their references ("id.json#/...") resolve against it.
        schema = json.loads((root / name).read_text(encoding="utf-8"))
        expected[name] = schema.get("expectedResult", "valid")
        uri = base + Path(name).name
        registry = registry.with_resource(uri, Resource.from_contents(schema, default_specification=DRAFT4))
    checker = jsonschema.FormatChecker()
    validators = []
    for name in musts:
        reference = {"$ref": base + Path(name).name}
        validator = jsonschema.Draft4Validator(reference, registry=registry, format_checker=checker)
        validators.append((f"{name} (expected {expected[name]})", (validator, expected[name])))
    return validators


def test_the_claimreview_export_is_valid_json_ld_of_schema_org_terms_and_w3c_annotations(
    pytester: pytest.Pytester,
) -> None:
    from pyld import jsonld

    seed_project(pytester)
    assert pytester.runpytest("features/").ret == 0
    results = json.loads((pytester.path / "reports" / "results.json").read_text(encoding="utf-8"))
    document = json.loads((pytester.path / "reports" / "claimreview.jsonld").read_text(encoding="utf-8"))
    graph = document["@graph"]
    expanded = jsonld.expand(document, {"documentLoader": _load_context})
    assert len(expanded) == len(graph)
    known = _schema_org_terms()

    def walk(node: Any) -> None:
        if isinstance(node, list):
            for item in node:
                walk(item)
        elif isinstance(node, dict):
            for key, value in node.items():
                for iri in [key, *(value if key == "@type" else [])]:
                    if isinstance(iri, str) and iri.startswith("http://schema.org/"):
                        assert iri.removeprefix("http://schema.org/") in known, f"not a schema.org term: {iri}"
                walk(value)

    walk(expanded)
    ids = [node.get("@id") or node.get("id") for node in graph]
    assert all(ids) and len(set(ids)) == len(ids)  # every node has an IRI, and no two share one
    reviews = [n for n in graph if n.get("@type") == "ClaimReview"]
    annotations = [n for n in graph if n.get("type") == "Annotation"]
    assert reviews and annotations
    claims = {c["claim"] for s in results["scenarios"] for c in s["checks"] if c["kind"] not in ("sources_agree",
              "every_source_published", "source_published")}  # fmt: skip
    assert {r["claimReviewed"] for r in reviews} <= claims
    assert "Which Huawei system goes into China-made BMWs" not in {r["claimReviewed"] for r in reviews}
    review_ids = {r["@id"] for r in reviews}
    validators = _annotation_validators()
    without_id = {k: v for k, v in annotations[0].items() if k != "id"}  # what the export used to write
    assert any(
        v.iter_errors(without_id) for _, (v, e) in validators if e == "valid" and list(v.iter_errors(without_id))
    )
    for annotation in annotations:
        assert annotation["body"] in review_ids
        for name, (validator, expected) in validators:
            errors = list(validator.iter_errors(annotation))
            assert (not errors) == (expected == "valid"), f"{name}: {[e.message for e in errors][:2]}"


def test_a_denying_source_reads_as_denying_in_the_export() -> None:
    from checks.models import SourceVerdict
    from checks.reports.claimreview import render_claimreview
    from checks.verdicts import Verdict
    from tests.synthetic import synthetic_results

    results, texts = synthetic_results(1, 1)
    scenario = results.scenarios[0]
    check = scenario.checks[0]
    denial = SourceVerdict(
        source="s0", verdict=Verdict.CONTRADICTED, score=80, rule="denied: 'denied that the leak came from'",
        attribution="Norvane denies",
    )  # fmt: skip
    check = check.model_copy(update={"verdicts": [denial], "kind": "every_source_supports"})
    results = results.model_copy(update={"scenarios": [scenario.model_copy(update={"checks": [check]})]})
    [review] = json.loads(render_claimreview(results, texts))["@graph"]
    assert review["reviewRating"]["alternateName"] == "contradicted"
    assert review["reviewBody"].startswith("contradicted — Norvane denies: the source contradicts the claim")
