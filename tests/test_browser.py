"""Open report.html from disk in headless Chromium (Debian's ``chromium``): the divergence and the
matrix render, and hostile markup in sources and claims shows as text and never runs."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pytest

from checks.reports.html import render_html
from tests.factories import seed_project
from tests.payloads import FORBIDDEN_TAGS, PAYLOADS
from tests.synthetic import synthetic_results

pytestmark = [pytest.mark.browser, pytest.mark.slow]

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


def run_chromium(tmp_path: Path, page: Path, *args: str, fragment: str = "", width: int = 1400) -> str:
    done = subprocess.run(
        [
            chromium(),
            *FLAGS,
            f"--user-data-dir={tmp_path / 'profile'}",
            f"--window-size={width},1600",
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
    seed_project(pytester)


def test_seed_report_shows_divergence_and_matrix(pytester: pytest.Pytester, tmp_path: Path, artifacts: Path) -> None:
    _project(pytester)
    pytester.runpytest("features/").assert_outcomes(passed=15, xfailed=1)
    page = pytester.path / "reports" / "report.html"
    dom = run_chromium(tmp_path, page, "--dump-dom")
    divergences = dom[dom.index('id="divergences"') : dom.index('id="matrix"')]
    assert "HiCar — reuters-via-gbaf" in divergences
    assert "HarmonyOS NEXT — harmonyos-neue-klasse" in divergences
    assert "BMW Group will integrate Huawei HiCar" in divergences
    assert '<table class="matrix">' in dom and "BMW is working with Huawei" in dom
    for width in (400, 1400):  # a phone and a desktop: the screenshots are kept as test artifacts
        shot = artifacts / f"seed-report-{width}px.png"
        run_chromium(tmp_path, page, f"--screenshot={shot}", width=width)
        assert shot.stat().st_size > 10_000
        assert _png_size(shot)[0] == width


def _png_size(path: Path) -> tuple[int, int]:
    """Width and height from a PNG's header."""
    import struct

    header = path.read_bytes()[:24]
    assert header[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", header[16:24])
    return int(width), int(height)


class _Elements(HTMLParser):
    """Every element of a DOM dump with its attributes."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[tuple[str, list[tuple[str, str | None]]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.found.append((tag, attrs))


def _injected(dom: str) -> list[str]:
    """Elements and attributes in the rendered DOM that only an injection could have put there."""
    parser = _Elements()
    parser.feed(dom)
    bad = []
    for tag, attrs in parser.found:
        if tag == "input" and dict(attrs).get("name") != "filter":
            bad.append("<input>")
        if tag in FORBIDDEN_TAGS or (tag == "meta" and any(k == "http-equiv" and v != "Content-Security-Policy"
                                                            for k, v in attrs)):  # fmt: skip
            bad.append(f"<{tag}>")
        for name, value in attrs:
            if name.startswith("on") or (name in ("href", "src", "data") and value and
                                         not value.startswith(("#", "http://", "https://"))):  # fmt: skip
                bad.append(f"<{tag} {name}={value!r}>")
    return bad


def test_hostile_markup_shows_as_text_and_never_runs(
    pytester: pytest.Pytester, tmp_path: Path, artifacts: Path
) -> None:
    """Every payload in source text, metadata, claims, aliases, scenario and feature names."""
    story = pytester.path / "corpus" / "evil"
    story.mkdir(parents=True)
    text = "The central bank raised interest rates.\n" + "\n".join(PAYLOADS).replace("\x00", "") + "\n"  # NUL: binary
    (story / "evil.txt").write_text(text, encoding="utf-8")
    meta = {"title": PAYLOADS[0], "publisher": PAYLOADS[1], "author": PAYLOADS[2], "origin": PAYLOADS[11]}
    (story / "evil.json").write_text(json.dumps(meta), encoding="utf-8")
    features = pytester.path / "features"
    features.mkdir()
    (pytester.path / "pyproject.toml").write_text("[tool.checks]\n", encoding="utf-8")
    aliases = "".join(f"      | {p.replace('|', '/')} | {p.replace('|', '/')} x |\n" for p in PAYLOADS[10:20])
    claims = "".join(
        f'    And record what each source says about:\n      """\n      The central bank {p}\n      """\n'
        for p in PAYLOADS
    )
    (features / "evil.feature").write_text(
        f"Feature: evil {PAYLOADS[5]}\n  Scenario: hostile {PAYLOADS[13]}\n"
        '    Given the sources of story "evil"\n'
        f"    And the aliases:\n      | name | also written as |\n{aliases}"
        f'    Then record what each source says about:\n      """\n      {PAYLOADS[0]}\n      """\n{claims}',
        encoding="utf-8",
    )
    pytester.runpytest("features/").assert_outcomes(passed=1)
    page = pytester.path / "reports" / "report.html"
    dom = run_chromium(tmp_path, page, "--dump-dom")
    assert "data-pwned" not in dom.split(">", 2)[1]  # the <html> element carries no marker
    assert 'data-pwned="1"' not in dom.replace("&quot;", "")
    assert "<title>PWNED" not in dom
    assert _injected(dom) == []
    assert "&lt;script&gt;" in dom and "onerror=" in dom and "&lt;IMG SRC=JaVaScRiPt:" in dom  # shown, as text
    run_chromium(tmp_path, page, f"--screenshot={artifacts / 'hostile-report.png'}")


def test_the_detector_sees_an_executed_payload(tmp_path: Path) -> None:
    """Control: the same payload in a page that does not escape it is caught by the detector."""
    page = tmp_path / "unsafe.html"
    page.write_text(
        f"<!DOCTYPE html><html><head><title>ok</title></head><body>{PAYLOADS[0]}</body></html>", encoding="utf-8"
    )
    dom = run_chromium(tmp_path, page, "--dump-dom")
    assert 'data-pwned="1"' in dom and "<title>PWNED" in dom
    assert _injected(dom) == ["<script>"]


def test_a_compact_cell_opens_its_source_at_the_quote(tmp_path: Path) -> None:
    results, texts = synthetic_results(claims=3, sources=4)
    page = tmp_path / "report.html"
    page.write_text(render_html(results, texts, inline_limit=0), encoding="utf-8")
    closed = run_chromium(tmp_path, page, "--dump-dom")
    assert re.search(r'<details id="source-s1" class="source">', closed)
    dom = run_chromium(tmp_path, page, "--dump-dom", fragment="ev-claim-0-0-s1")
    assert re.search(r'<details id="source-s1" class="source" open="', dom)  # fragment navigation opens the source
