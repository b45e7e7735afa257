"""Source versions: earlier texts in the corpus, evidence anchored and re-found, verdicts compared across edits."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest

from checks.corpus.load import load_corpus, validate_corpus
from checks.engine import Engine
from checks.engine.versions import anchor, history, refind
from checks.schemas import load_schema
from checks.verdicts import Verdict
from tests.factories import ROOT, seed_project

SEED = ROOT / "corpus" / "bmw-huawei-2025"
IN_2026 = "into its locally produced new models in 2026, the German automaker said on Monday."
IN_2025 = "into its locally produced new models in 2025, the German automaker said on Monday."
HICAR = "BMW will integrate Huawei HiCar into its China-made cars in 2026"


def _earlier(current: str) -> str:
    """The Reuters story as first published in this test: 2025 wherever it now says 2026 for the launch."""
    return current.replace("in 2026", "in 2025").replace("by 2026", "by 2025")


def _story(tmp_path: Path) -> Path:
    story = tmp_path / "corpus" / "bmw-huawei-2025"
    story.mkdir(parents=True)
    for name in ("reuters-via-gbaf.txt", "reuters-via-gbaf.json"):
        (story / name).write_bytes((SEED / name).read_bytes())
    return story


def test_earlier_texts_load_oldest_first_and_change_the_corpus_hash(tmp_path: Path) -> None:
    from checks.corpus.load import content_hash

    story = _story(tmp_path)
    before = content_hash(load_corpus(tmp_path / "corpus").sources)
    current = (story / "reuters-via-gbaf.txt").read_text(encoding="utf-8")
    (story / "reuters-via-gbaf@2025-03-18.txt").write_text(current.replace(IN_2026, IN_2025), encoding="utf-8")
    (story / "reuters-via-gbaf@2025-03-17T0930Z.txt").write_text(current, encoding="utf-8")
    corpus = load_corpus(tmp_path / "corpus")
    [source] = corpus.sources
    assert [v.retrieved for v in source.versions] == ["2025-03-17T09:30:00Z", "2025-03-18"]
    assert source.versions[1].path == "bmw-huawei-2025/reuters-via-gbaf@2025-03-18.txt"
    assert corpus.versioned == {"reuters-via-gbaf"}
    assert content_hash(corpus.sources) != before


@pytest.mark.parametrize(
    ("name", "problem"),
    [
        ("reuters-via-gbaf@yesterday.txt", "is not a retrieval time"),
        ("reuters-via-gbaf@2025-02-30.txt", "is not a retrieval time"),
        ("nobody@2025-03-17.txt", "which is not a source here"),
        ("reuters-via-gbaf@2025-03-17.json", "a version has no metadata of its own"),
    ],
)
def test_a_bad_version_file_is_a_problem_with_a_fix(tmp_path: Path, name: str, problem: str) -> None:
    story = _story(tmp_path)
    (story / name).write_text("text" if name.endswith(".txt") else "{}", encoding="utf-8")
    report = validate_corpus(tmp_path / "corpus")
    assert any(problem in str(p) for p in report.problems), report.problems


def test_a_version_retrieved_after_the_current_text_is_refused(tmp_path: Path) -> None:
    story = _story(tmp_path)
    meta = json.loads((story / "reuters-via-gbaf.json").read_text(encoding="utf-8"))
    meta["retrieved"] = "2025-03-20"
    (story / "reuters-via-gbaf.json").write_text(json.dumps(meta), encoding="utf-8")
    (story / "reuters-via-gbaf@2025-04-01.txt").write_text("Later text.\n", encoding="utf-8")
    report = validate_corpus(tmp_path / "corpus")
    assert any("after the current text" in str(p) for p in report.problems)


def test_a_quote_is_refound_exactly_by_its_context_or_approximately_when_edited() -> None:
    old = "Rates rose. The bank said so. Rates rose. Markets fell."
    second = old.index("Rates rose", 5)
    selector = anchor(old, second, second + len("Rates rose."))
    assert (selector.prefix.endswith("said so. "), selector.suffix.startswith(" Markets")) == (True, True)
    moved = "Intro line. " + old
    assert refind(selector, moved) == (moved.index("Rates rose", 20), moved.index("Rates rose", 20) + 11, True)
    edited = "Rates rose. The bank said so. Rates rose sharply. Markets fell."
    start, end, exact = refind(anchor(old, 0, 11), edited) or (0, 0, True)
    assert exact is True  # "Rates rose." is still there, first occurrence
    sentence = "BMW will integrate Huawei HiCar into its cars in 2026, the company said."
    reworded = "BMW is to integrate Huawei HiCar into its cars in 2025, the company said."
    start, end, exact = refind(anchor(sentence, 0, len(sentence)), "Intro. " + reworded) or (0, 0, True)
    assert not exact and "HiCar into its cars in 2025" in ("Intro. " + reworded)[start:end]
    assert refind(anchor(sentence, 0, len(sentence)), "Nothing like it at all here, only weather news.") is None


def test_history_says_the_verdict_and_the_evidence_changed_between_versions(tmp_path: Path) -> None:
    story = _story(tmp_path)
    current = (story / "reuters-via-gbaf.txt").read_text(encoding="utf-8")
    (story / "reuters-via-gbaf@2025-03-17.txt").write_text(_earlier(current), encoding="utf-8")
    [source] = load_corpus(tmp_path / "corpus").sources
    engine = Engine()
    [now] = engine.check_claim(HICAR, [source])
    found = history(engine, HICAR, source, now)
    assert found is not None and found.version == "2025-03-17"
    assert found.before.verdict is Verdict.CONTRADICTED and now.verdict is Verdict.SUPPORTED and found.verdict_changed
    assert found.evidence == "edited" and "2026" in found.now and "2025" in (found.before.evidence or now).quote
    assert "since the version of 2025-03-17: was contradicted" in found.describe()
    assert history(engine, HICAR, load_corpus(ROOT / "corpus").by_id["reuters-via-gbaf"], now) is None


def test_an_edited_seed_source_flags_the_changed_evidence_in_every_report(pytester: pytest.Pytester) -> None:
    project = seed_project(pytester)
    story = project.path / "corpus" / "bmw-huawei-2025"
    current = (story / "reuters-via-gbaf.txt").read_text(encoding="utf-8")
    (story / "reuters-via-gbaf@2025-03-17.txt").write_text(_earlier(current), encoding="utf-8")
    project.runpytest("features/").assert_outcomes(passed=15, xfailed=1)
    results = json.loads((project.path / "reports" / "results.json").read_text(encoding="utf-8"))
    jsonschema.validate(results, load_schema("results.schema.json"))
    [scenario] = [s for s in results["scenarios"] if s["claim_id"] == "hicar-2026"]
    [reuters] = [v for v in scenario["checks"][0]["verdicts"] if v["source"] == "reuters-via-gbaf"]
    assert reuters["verdict"] == "supported"
    assert reuters["history"]["verdict"] == "contradicted" and reuters["history"]["verdict_changed"] is True
    assert reuters["history"]["evidence"] == "edited" and "2025" in reuters["history"]["quote"]
    assert "2026" in reuters["history"]["now"]
    [other] = [v for c in scenario["checks"] for v in c["verdicts"] if v["source"] == "harmonyos-neue-klasse"]
    assert other["history"] is None  # a source without earlier texts
    html = (project.path / "reports" / "report.html").read_text(encoding="utf-8")
    section = html[html.index('<section id="edits">') : html.index("</section>", html.index('<section id="edits">'))]
    assert "verdict changed" in section and "evidence changed" in section
    assert reuters["history"]["quote"] in section and reuters["history"]["now"] in section
