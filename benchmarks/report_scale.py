"""The HTML report at 500 claims × 200 sources: size, render time and headless-Chromium load time.

    python benchmarks/report_scale.py [--claims 500] [--sources 200]

Baseline, measured in the same run: the same results rendered with every cell's evidence inline
(the layout used for small reports). Three in four cells carry evidence.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from fnc1 import machine

from checks.reports.html import render_html
from checks.reports.tables import text_table
from tests.synthetic import synthetic_results

FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--no-first-run", "--window-size=1400,900"]  # fmt: skip


def load_seconds(page: Path, workdir: Path) -> float:
    """Wall time for headless Chromium to open, lay out and screenshot the page."""
    browser = shutil.which("chromium") or shutil.which("chromium-browser")
    if browser is None:
        return float("nan")
    start = time.perf_counter()
    subprocess.run(
        [browser, *FLAGS, f"--user-data-dir={workdir / 'profile'}",
         f"--screenshot={workdir / 'shot.png'}", page.as_uri()],
        capture_output=True, check=True, timeout=600,
    )  # fmt: skip
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--claims", type=int, default=500)
    parser.add_argument("--sources", type=int, default=200)
    args = parser.parse_args()
    results, texts = synthetic_results(args.claims, args.sources)
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        for name, limit in (("inline evidence (baseline)", sys.maxsize), ("compact matrix (shipped)", None)):
            start = time.perf_counter()
            html = render_html(results, texts) if limit is None else render_html(results, texts, inline_limit=limit)
            rendered = time.perf_counter() - start
            page = workdir / "report.html"
            page.write_text(html, encoding="utf-8")
            rows.append((name, len(html.encode()) / 1e6, rendered, load_seconds(page, workdir)))
    base = rows[0]
    print(f"report.html at {args.claims} claims × {args.sources} sources · machine: {machine()}")
    print(text_table(
        ["layout", "size MB", "render s", "Chromium load s", "size ratio", "load ratio"],
        [[n, f"{mb:.1f}", f"{r:.2f}", f"{ld:.1f}", f"{base[1] / mb:.1f}×", f"{base[3] / ld:.1f}×"]
         for n, mb, r, ld in rows],
    ))  # fmt: skip


if __name__ == "__main__":
    main()
