from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from checks.cli import main
from checks.corpus.load import load_corpus
from tests.conftest import ROOT, SEED, WriteSource

HTML = """<!DOCTYPE html><html lang="en"><head><title>BMW picks Huawei | Example News</title>
<meta name="author" content="Jane Doe"><meta property="article:published_time" content="2025-03-17T08:00:00Z">
</head><body><nav>Home · World · Business</nav><article><h1>BMW picks Huawei</h1>
<p>BMW Group will integrate Huawei HiCar into its locally produced new models in 2026,
the German automaker said on Monday.</p>
<p>BMW is teaming up with Huawei to develop smart applications based on the Harmony operating system
for drivers in China.</p>
</article><footer>Copyright Example News</footer></body></html>"""


def test_validate_shipped_corpus_and_features(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(ROOT)
    assert main(["validate"]) == 0
    assert capsys.readouterr().out == (
        "ok: 2 sources in 1 story, all valid\nok: 1 feature file, every step known and every story and source found\n"
    )


def test_validate_reports_every_problem(write_source: WriteSource, capsys: pytest.CaptureFixture[str]) -> None:
    write_source("story", "one", "Text.\n", {"published": "17/03/2025", "titel": "x"})
    root = write_source("story", "two", b"\xff")
    assert main(["validate", str(root)]) == 1
    err = capsys.readouterr().err
    assert "one.json: published: '17/03/2025' is not an ISO date" in err
    assert "one.json: titel: unknown field; did you mean 'title'?" in err
    assert "two.txt: text: is not UTF-8" in err
    assert "3 problem(s)" in err
    assert "Traceback" not in err


def test_add_html(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    page = tmp_path / "saved.html"
    page.write_text(HTML, encoding="utf-8")
    corpus = tmp_path / "corpus"
    assert (
        main(["add", str(page), "--story", "bmw", "--id", "example", "--corpus", str(corpus), "--origin", "Reuters"])
        == 0
    )
    source = load_corpus(corpus).by_id["example"]
    assert "BMW Group will integrate Huawei HiCar" in source.text
    assert "Copyright" not in source.text
    meta = source.metadata
    assert (meta.title, meta.author, meta.published, meta.origin) == (
        "BMW picks Huawei",
        "Jane Doe",
        "2025-03-17",
        "Reuters",
    )
    assert meta.sha256 == source.sha256
    written = json.loads((corpus / "bmw" / "example.json").read_text(encoding="utf-8"))
    assert "url" in written and written["url"] is None  # unknown values are explicit
    assert "unknown (left null" in capsys.readouterr().out


def test_add_refuses_to_overwrite_without_force(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    article = tmp_path / "note.txt"
    article.write_text("BMW works with Huawei.\n", encoding="utf-8")
    args = ["add", str(article), "--story", "s", "--corpus", str(tmp_path / "c")]
    assert main(args) == 0
    assert main(args) == 1
    assert "already exists; pass --force" in capsys.readouterr().err
    assert main([*args, "--force", "--published", "2025-03-17"]) == 0


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--published", "yesterday"], "is not an ISO date"),
        (["--url", "javascript:alert(1)"], "http(s) URL"),
        (["--id", "../escape"], "is not allowed"),
        (["--story", "Bad Story"], "is not allowed"),
    ],
)
def test_add_rejects_bad_input(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], extra: list[str], message: str
) -> None:
    article = tmp_path / "note.txt"
    article.write_text("Text.\n", encoding="utf-8")
    args = ["add", str(article), "--story", "s", "--corpus", str(tmp_path / "c"), *extra]
    if "--story" in extra:
        args.remove("s")
        args.remove("--story")
    assert main(args) == 1
    assert message in capsys.readouterr().err
    assert not list((tmp_path / "c").glob("**/*.txt"))


def test_add_refuses_an_id_used_elsewhere(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    corpus = tmp_path / "corpus"
    shutil.copytree(SEED, corpus)
    article = tmp_path / "a.txt"
    article.write_text("Text.\n", encoding="utf-8")
    assert main(["add", str(article), "--story", "other", "--id", "reuters-via-gbaf", "--corpus", str(corpus)]) == 1
    assert "already used" in capsys.readouterr().err


def test_help_everywhere_with_examples() -> None:
    for args in (["--help"], ["validate", "--help"], ["add", "--help"]):
        done = subprocess.run([sys.executable, "-m", "checks.cli", *args], capture_output=True, text=True, check=False)
        assert done.returncode == 0
        assert "examples:" in done.stdout


def test_console_script_exit_codes(tmp_path: Path) -> None:
    exe = shutil.which("checks")
    assert exe, "the checks console script is installed"
    assert subprocess.run([exe, "validate", str(SEED)], capture_output=True, check=False).returncode == 0
    bad = subprocess.run([exe, "validate", str(tmp_path)], capture_output=True, text=True, check=False)
    assert bad.returncode == 1 and "no sources found" in bad.stderr
    usage = subprocess.run([exe, "frobnicate"], capture_output=True, text=True, check=False)
    assert usage.returncode == 2


# -- checks add as a newsroom uses it ----------------------------------------------------------------------------

PAGE = (
    '<html lang="en-GB"><head><title>Rates cut</title>'
    '<meta property="article:published_time" content="2025-03-17T09:30:00Z">'
    '<meta property="article:modified_time" content="2025-03-18T10:00:00Z"></head><body><article><h1>Rates cut</h1>'
    "<p>The central bank cut interest rates on Tuesday, a move analysts had expected for months after inflation "
    "slowed to its lowest level in three years.</p><p>The decision was unanimous, the bank said.</p></article>"
    "</body></html>"
)


def _add(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, *args: str) -> int:
    monkeypatch.chdir(tmp_path)
    return main(["add", *args])


def test_add_reads_the_page_language_and_its_update_day(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "page.html").write_text(PAGE, encoding="utf-8")
    assert _add(tmp_path, monkeypatch, "page.html", "--story", "rates", "--id", "page") == 0
    meta = json.loads((tmp_path / "corpus/rates/page.json").read_text(encoding="utf-8"))
    assert (meta["language"], meta["published"], meta["updated"]) == ("en-GB", "2025-03-17", "2025-03-18")


def test_add_force_keeps_the_existing_metadata(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "page.txt").write_text("The central bank cut interest rates.\n", encoding="utf-8")
    args = ["page.txt", "--story", "rates", "--id", "page"]
    assert _add(tmp_path, monkeypatch, *args, "--publisher", "Wire", "--origin", "Reuters") == 0
    (tmp_path / "page.txt").write_text("The central bank cut interest rates, it said.\n", encoding="utf-8")
    assert _add(tmp_path, monkeypatch, *args, "--force", "--title", "Corrected") == 0
    meta = json.loads((tmp_path / "corpus/rates/page.json").read_text(encoding="utf-8"))
    assert (meta["publisher"], meta["origin"], meta["title"]) == ("Wire", "Reuters", "Corrected")
    assert (tmp_path / "corpus/rates/page.txt").read_text(encoding="utf-8").endswith("it said.\n")


def test_add_takes_a_folder_all_or_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    saved = tmp_path / "saved"
    saved.mkdir()
    for name in ("one", "two", "three"):
        (saved / f"{name}.txt").write_text(f"Article {name}: the central bank cut interest rates.\n", encoding="utf-8")
    (saved / "notes.md").write_text("not an article\n", encoding="utf-8")
    assert _add(tmp_path, monkeypatch, "saved", "--story", "rates") == 0
    assert sorted(p.name for p in (tmp_path / "corpus/rates").iterdir()) == [
        "one.json", "one.txt", "three.json", "three.txt", "two.json", "two.txt",
    ]  # fmt: skip
    assert "3 sources added to rates, all valid" in capsys.readouterr().out
    (saved / "four.txt").write_text("Article four.\n", encoding="utf-8")
    (saved / "five.txt").write_bytes(b"%PDF-1.4 plain ASCII inside a PDF\n")
    assert _add(tmp_path, monkeypatch, "saved", "--story", "other") == 1
    assert "five.txt: is a PDF, not an article's text" in capsys.readouterr().err
    assert not (tmp_path / "corpus/other").exists()


def test_a_pdf_is_refused_by_its_content_in_add_and_in_the_corpus(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "report.pdf").write_bytes(b"%PDF-1.7\nBT (The central bank cut interest rates) Tj ET\n")
    assert _add(tmp_path, monkeypatch, "report.pdf", "--story", "rates") == 1
    assert "is a PDF" in capsys.readouterr().err
    story = tmp_path / "corpus" / "rates"
    story.mkdir(parents=True)
    (story / "wire.txt").write_bytes(b"%PDF-1.7\nThe central bank cut interest rates.\n")
    (story / "wire.json").write_text("{}", encoding="utf-8")
    assert main(["validate"]) == 1
    assert "corpus/rates/wire.txt: text: is a PDF, not text" in capsys.readouterr().err
