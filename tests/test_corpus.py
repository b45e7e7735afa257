from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from checks.corpus.load import load_corpus, validate_corpus
from checks.errors import CorpusError
from checks.models import SectionKind
from tests.conftest import SEED, WriteSource

TEXT = "BMW will integrate Huawei HiCar into its China-made cars in 2026.\n"


def test_seed_corpus_is_valid() -> None:
    report = validate_corpus(SEED)
    assert report.problems == ()
    assert [s.id for s in report.sources] == ["harmonyos-neue-klasse", "reuters-via-gbaf"]
    reuters = next(s for s in report.sources if s.id == "reuters-via-gbaf")
    assert reuters.metadata.publisher == "Global Banking & Finance Review"
    assert reuters.metadata.origin == "Reuters"
    assert reuters.metadata.updated == "2026-01-24"
    assert reuters.metadata.url is None


def test_seed_texts_are_verbatim() -> None:
    shared = SEED.parents[1] / "shared" / "seeds"
    if not shared.is_dir():
        pytest.skip("shared/seeds not beside the work tree")
    pairs = {
        "000_a679d598c1ec6a4b.txt": "reuters-via-gbaf.txt",
        "004_fe2b02b1fba6436b.txt": "harmonyos-neue-klasse.txt",
    }
    for original, copy in pairs.items():
        assert (shared / original).read_bytes() == (SEED / "bmw-huawei-2025" / copy).read_bytes()


def _problems(root: Path) -> list[str]:
    return [str(p) for p in validate_corpus(root).problems]


def test_valid_tiny_corpus(write_source: WriteSource) -> None:
    root = write_source("story", "one", TEXT, sha=True)
    corpus = load_corpus(root)
    assert corpus.story("story")[0].text == TEXT


@pytest.mark.parametrize(
    ("meta", "field", "fragment"),
    [
        pytest.param({"published": "17/03/2025"}, "published", "is not an ISO date", id="bad-date"),
        pytest.param({"publihsed": "2025-03-17"}, "publihsed", "did you mean 'published'", id="unknown-key"),
        pytest.param({"title": 42}, "title", "valid string", id="mistyped"),
        pytest.param({"url": "javascript:alert(1)"}, "url", "http(s) URL", id="javascript-url"),
        pytest.param({"language": "english!"}, "language", "BCP 47", id="bad-language"),
        pytest.param({"sha256": "abc"}, "sha256", "64 lowercase", id="bad-sha-format"),
        pytest.param(
            {"sections": [{"kind": "body", "start": 5, "end": 9999}]}, "sections[0]", "not inside", id="section-range"
        ),
    ],
)
def test_bad_metadata_names_file_and_field(
    write_source: WriteSource, meta: dict[str, object], field: str, fragment: str
) -> None:
    root = write_source("story", "one", TEXT, meta)
    problems = _problems(root)
    assert len(problems) == 1, problems
    assert problems[0].startswith(f"{_rel(root)}/story/one.json: {field}: ")
    assert fragment in problems[0]


def _rel(path: Path) -> str:
    try:
        return path.relative_to(Path.cwd()).as_posix()
    except ValueError:
        return path.as_posix()


@pytest.mark.parametrize(
    ("data", "fragment"),
    [
        pytest.param(b"\xff\xfe caf\xe9", "is not UTF-8 (bad byte at offset 0)", id="non-utf8"),
        pytest.param(b"   \n\t ", "is empty", id="empty"),
        pytest.param(b"\x00\x01\x02binary", "binary file", id="binary"),
    ],
)
def test_bad_text(write_source: WriteSource, data: bytes, fragment: str) -> None:
    root = write_source("story", "one", data)
    problems = _problems(root)
    assert len(problems) == 1
    assert problems[0].startswith(f"{_rel(root)}/story/one.txt: text: ")
    assert fragment in problems[0]


def test_sha_mismatch(write_source: WriteSource) -> None:
    root = write_source("story", "one", TEXT, {"sha256": "0" * 64})
    [problem] = _problems(root)
    assert "one.json: sha256: does not match the text" in problem


def test_missing_pair_both_ways(write_source: WriteSource) -> None:
    root = write_source("story", "one", TEXT)
    (root / "story" / "one.json").unlink()
    (root / "story" / "two.json").write_text("{}", encoding="utf-8")
    problems = _problems(root)
    assert any("one.txt: one.json is missing" in p for p in problems)
    assert any("two.json: two.txt is missing" in p for p in problems)


def test_duplicate_ids_across_stories(write_source: WriteSource) -> None:
    write_source("first", "same", TEXT)
    root = write_source("second", "same", TEXT)
    problems = _problems(root)
    assert len(problems) == 2
    assert all("id: id 'same' is used in several stories (first, second)" in p for p in problems)


@pytest.mark.parametrize("name", ["Bad_Id", "with space", "trailing-", "UPPER"])
def test_bad_ids(write_source: WriteSource, name: str) -> None:
    root = write_source("story", "ok", TEXT)
    (root / "story" / f"{name}.txt").write_text(TEXT, encoding="utf-8")
    (root / "story" / f"{name}.json").write_text("{}", encoding="utf-8")
    problems = _problems(root)
    assert any(f"source id {name!r} is not allowed" in p for p in problems)


def test_bad_story_name(write_source: WriteSource) -> None:
    root = write_source("Bad Story", "one", TEXT)
    [problem] = _problems(root)
    assert "story name 'Bad Story' is not allowed" in problem


def test_symlink_out_of_corpus_is_refused(write_source: WriteSource, tmp_path: Path) -> None:
    root = write_source("story", "one", TEXT)
    outside = tmp_path / "secret.txt"
    outside.write_text("secret\n", encoding="utf-8")
    os.symlink(outside, root / "story" / "leak.txt")
    (root / "story" / "leak.json").write_text("{}", encoding="utf-8")
    problems = _problems(root)
    assert any("leak.txt: leads outside the corpus folder" in p for p in problems)


def test_invalid_json(write_source: WriteSource) -> None:
    root = write_source("story", "one", TEXT)
    (root / "story" / "one.json").write_text('{"title": ', encoding="utf-8")
    [problem] = _problems(root)
    assert "one.json: line 1 column 11: invalid JSON" in problem


def test_too_large_is_refused(write_source: WriteSource) -> None:
    root = write_source("story", "one", "word " * 1000)
    [problem] = [str(p) for p in validate_corpus(root, max_bytes=100).problems]
    assert "above the limit of 100" in problem


def test_load_corpus_raises_with_every_problem(write_source: WriteSource) -> None:
    write_source("story", "one", TEXT, {"published": "nope"})
    root = write_source("story", "two", b"")
    with pytest.raises(CorpusError) as info:
        load_corpus(root)
    assert len(info.value.problems) == 2


def test_missing_corpus_folder(tmp_path: Path) -> None:
    [problem] = _problems(tmp_path / "nope")
    assert "corpus folder not found" in problem


def test_section_override_wins(write_source: WriteSource) -> None:
    text = "A headline\nBody sentence one. Body sentence two.\n"
    root = write_source("story", "one", text, {"sections": [{"kind": "boilerplate", "start": 11, "end": 30}]})
    source = load_corpus(root).by_id["one"]
    assert source.section_at(12) is SectionKind.BOILERPLATE
    assert source.section_at(35) is SectionKind.BODY


def test_metadata_round_trips(write_source: WriteSource) -> None:
    meta = {"title": "T", "published": "2025-03-17T09:30:00+00:00", "language": "en-GB", "url": "https://example.org/a"}
    root = write_source("story", "one", TEXT, meta)
    source = load_corpus(root).by_id["one"]
    assert json.loads(source.metadata.model_dump_json(exclude_none=True)) == meta
