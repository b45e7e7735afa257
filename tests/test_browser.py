"""Open report.html from disk in headless Chromium (Debian's ``chromium``): the divergence and the
matrix render, and hostile markup in sources and claims shows as text and never runs."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from checks.html_report import render_html
from checks.synthetic import synthetic_results
from tests.conftest import ROOT

pytestmark = [pytest.mark.browser, pytest.mark.slow]

ARTIFACTS = ROOT / "reports" / "browser-artifacts"
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
    "--disable-quic",
]


def chromium() -> str:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        found = shutil.which(name)
        if found:
            return found
    pytest.fail("headless Chromium is needed: install Debian's chromium package (the README test command does)")


def run_chromium(tmp_path: Path, page: Path, *args: str, fragment: str = "") -> str:
    done = subprocess.run(
        [
            chromium(),
            *FLAGS,
            f"--user-data-dir={tmp_path / 'profile'}",
            "--window-size=1400,1600",
            "--virtual-time-budget=3000",
            *args,
            page.as_uri() + (f"#{fragment}" if fragment else ""),
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout


def _project(pytester: pytest.Pytester) -> None:
    shutil.copytree(ROOT / "corpus", pytester.path / "corpus")
    shutil.copytree(ROOT / "features", pytester.path / "features", ignore=shutil.ignore_patterns("__pycache__"))


def test_seed_report_shows_divergence_and_matrix(pytester: pytest.Pytester, tmp_path: Path) -> None:
    _project(pytester)
    pytester.runpytest("features/").assert_outcomes(passed=14, xfailed=1)
    page = pytester.path / "reports" / "report.html"
    dom = run_chromium(tmp_path, page, "--dump-dom")
    divergences = dom[dom.index('id="divergences"') : dom.index('id="matrix"')]
    assert "HiCar — reuters-via-gbaf" in divergences
    assert "HarmonyOS NEXT — harmonyos-neue-klasse" in divergences
    assert "BMW Group will integrate Huawei HiCar" in divergences
    assert '<table class="matrix">' in dom and "BMW is working with Huawei" in dom
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    shot = ARTIFACTS / "seed-report.png"
    run_chromium(tmp_path, page, f"--screenshot={shot}")
    assert shot.stat().st_size > 10_000


MARK = "document.documentElement.setAttribute('data-pwned','1');document.title='PWNED'"
PAYLOADS = [
    f"<script>{MARK}</script>",
    f'<img src=x onerror="{MARK}">',
    f'"><svg onload="{MARK}">',
    f"</textarea><script>{MARK}</script>",
    f'<a href="javascript:{MARK}">link</a>',
    f"' onmouseover='{MARK}' x='",
    f'<iframe src="javascript:{MARK}"></iframe>',
    f'<body onload="{MARK}">',
    f"<style>@import 'javascript:{MARK}';</style>",
    f'<math><mtext><table><mglyph><style><img src=x onerror="{MARK}">',
]


def test_hostile_markup_shows_as_text_and_never_runs(pytester: pytest.Pytester, tmp_path: Path) -> None:
    story = pytester.path / "corpus" / "evil"
    story.mkdir(parents=True)
    text = "The central bank raised interest rates.\n" + "\n".join(PAYLOADS) + "\n"
    (story / "evil.txt").write_text(text, encoding="utf-8")
    (story / "evil.json").write_text(
        json.dumps({"title": PAYLOADS[0], "publisher": PAYLOADS[1], "author": PAYLOADS[2]}), encoding="utf-8"
    )
    features = pytester.path / "features"
    features.mkdir()
    shutil.copy(ROOT / "features" / "test_features.py", features)
    claim = "The central bank raised interest rates " + PAYLOADS[1].replace('"', "'")
    (features / "evil.feature").write_text(
        'Feature: evil\n  Scenario: hostile\n    Given the sources of story "evil"\n'
        f'    Then record what each source says about:\n      """\n      {claim}\n      """\n'
        f'    And record what each source says about "{PAYLOADS[3].replace(chr(34), "")}"\n',
        encoding="utf-8",
    )
    pytester.runpytest("features/").assert_outcomes(passed=1)
    page = pytester.path / "reports" / "report.html"
    dom = run_chromium(tmp_path, page, "--dump-dom")
    assert "data-pwned" not in dom.split(">", 2)[1]  # the <html> element carries no marker
    assert 'data-pwned="1"' not in dom.replace("&quot;", "")
    assert "<title>PWNED" not in dom
    assert "&lt;script&gt;" in dom and "onerror=" in dom  # shown, as text
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    run_chromium(tmp_path, page, f"--screenshot={ARTIFACTS / 'hostile-report.png'}")


def test_the_detector_sees_an_executed_payload(tmp_path: Path) -> None:
    """Control: the same payload in a page that does not escape it is caught by the detector."""
    page = tmp_path / "unsafe.html"
    page.write_text(
        f"<!DOCTYPE html><html><head><title>ok</title></head><body>{PAYLOADS[0]}</body></html>", encoding="utf-8"
    )
    dom = run_chromium(tmp_path, page, "--dump-dom")
    assert 'data-pwned="1"' in dom and "<title>PWNED" in dom


def test_a_compact_cell_opens_its_source_at_the_quote(tmp_path: Path) -> None:
    results, texts = synthetic_results(claims=3, sources=4)
    page = tmp_path / "report.html"
    page.write_text(render_html(results, texts, inline_limit=0), encoding="utf-8")
    closed = run_chromium(tmp_path, page, "--dump-dom")
    assert re.search(r'<details id="source-s1" class="source">', closed)
    dom = run_chromium(tmp_path, page, "--dump-dom", fragment="ev-claim-0-0-s1")
    assert re.search(r'<details id="source-s1" class="source" open="', dom)  # fragment navigation opens the source
