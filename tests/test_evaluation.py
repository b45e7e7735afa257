"""`checks evaluate`: scores, baselines, the held-out split and the labels format, through the API and the CLI."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from checks.cli import main
from checks.errors import ConfigError
from checks.evaluation import Label, evaluate, held_out, load_labels, score

ROWS = [
    ("The central bank raised interest rates", "The central bank raised interest rates on Tuesday.", "supported"),
    ("The central bank cut interest rates", "The central bank raised interest rates on Tuesday.", "contradicted"),
    ("The central bank raised rates by 40%", "The central bank raised rates by 25% on Tuesday.", "contradicted"),
    ("Farmers sold 40 cows at market", "The central bank raised interest rates on Tuesday.", "not_mentioned"),
    ("The central bank may raise rates", "Analysts said the central bank may raise rates, reportedly.", "discussed"),
]


def _write(tmp_path: Path, kind: str = "csv") -> Path:
    if kind == "jsonl":
        path = tmp_path / "labels.jsonl"
        lines = [
            json.dumps({"claim": c, "text": t, "expected": e, "group": f"g{i}"}) for i, (c, t, e) in enumerate(ROWS)
        ]
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        return path
    path = tmp_path / "labels.csv"
    body = "".join(f'"{c}","{t}",{e},g{i}\n' for i, (c, t, e) in enumerate(ROWS))
    path.write_text("claim,text,expected,group\n" + body, encoding="utf-8")
    return path


def test_scores_per_label_and_overall() -> None:
    scores = score(["supported", "supported", "contradicted", "not_mentioned"], ["supported", "discussed",
                   "contradicted", "not_mentioned"])  # fmt: skip
    assert scores.accuracy == 0.75
    assert scores.per_label["supported"] == (1.0, 0.5, pytest.approx(2 / 3), 2)
    assert scores.confusion["supported"] == {"supported": 1, "discussed": 1}
    # FNC-1: unrelated right 0.25; related right-related 0.25 + exact 0.75; maximum 3 × 1 + 0.25
    assert scores.fnc_score == pytest.approx((1 + 0.25 + 1 + 0.25) / 3.25)


def test_neutral_accepts_discussed_and_not_mentioned() -> None:
    scores = score(["neutral", "neutral", "supported"], ["discussed", "not_mentioned", "discussed"])
    assert scores.accuracy == pytest.approx(2 / 3)
    assert scores.per_label["neutral"][1] == 1.0
    assert scores.fnc_score is None


def test_the_engine_beats_nothing_it_should_not(tmp_path: Path) -> None:
    report = evaluate(load_labels(_write(tmp_path)))
    assert report.predictions[:4] == ["supported", "contradicted", "contradicted", "not_mentioned"]
    assert report.engine.accuracy >= 0.8 > report.majority.accuracy
    assert "token_set_ratio" in report.rapidfuzz_rule


def test_held_out_is_a_stable_fifth_of_the_groups() -> None:
    groups = [f"story-{i}" for i in range(2_000)]
    share = sum(map(held_out, groups)) / len(groups)
    assert 0.17 < share < 0.23
    assert [held_out(g) for g in groups[:50]] == [held_out(g) for g in groups[:50]]


def test_bad_rows_are_named(tmp_path: Path) -> None:
    path = tmp_path / "bad.csv"
    path.write_text("claim,text,expected\nRates rose,Rates rose.,agree\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"bad.csv:1: needs claim, text .* expected"):
        load_labels(path)
    with pytest.raises(ConfigError, match="unknown source id"):
        load_labels(_row(tmp_path, {"claim": "x", "source": "nope", "expected": "supported"}), {})


def _row(tmp_path: Path, row: dict[str, str]) -> Path:
    path = tmp_path / "one.jsonl"
    path.write_text(json.dumps(row) + "\n", encoding="utf-8")
    return path


def test_rows_may_name_a_corpus_source(tmp_path: Path) -> None:
    path = _row(tmp_path, {"claim": "BMW has four R&D centres in China", "source": "harmonyos-neue-klasse",
                           "expected": "supported"})  # fmt: skip
    [label] = load_labels(path, {"harmonyos-neue-klasse": "BMW has four R&D centres in China."})
    assert label == Label("BMW has four R&D centres in China", "BMW has four R&D centres in China.", "supported",
                          "BMW has four R&D centres in China")  # fmt: skip


@pytest.mark.parametrize("kind", ["csv", "jsonl"])
def test_through_the_cli(tmp_path: Path, kind: str, capsys: pytest.CaptureFixture[str]) -> None:
    path = _write(tmp_path, kind)
    assert main(["evaluate", str(path), "--corpus", str(tmp_path / "none")]) == 0
    out = capsys.readouterr().out
    assert "engine" in out and "majority (" in out and "best RapidFuzz rule" in out and "rows: 5" in out
    assert main(["evaluate", str(path), "--format", "json", "--corpus", str(tmp_path / "none")]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["engine"]["rows"] == 5 and 0 <= data["engine"]["accuracy"] <= 1


def test_an_empty_part_is_an_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = _row(tmp_path, {"claim": "x y z", "text": "x y z.", "expected": "supported", "group": "story-0"})
    part = "tune" if held_out("story-0") else "held-out"
    assert main(["evaluate", str(path), "--part", part, "--corpus", str(tmp_path / "none")]) == 1
    assert "no rows in part" in capsys.readouterr().err


def test_the_cli_evaluates_either_engine_mode(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = _write(tmp_path, "jsonl")
    scores = {}
    for mode in ("rules", "learned"):
        assert main(["evaluate", str(path), "--mode", mode, "--format", "json", "--corpus", str(tmp_path / "x")]) == 0
        scores[mode] = json.loads(capsys.readouterr().out)["engine"]
        assert scores[mode]["rows"] == 5
    with pytest.raises(SystemExit):
        main(["evaluate", str(path), "--mode", "neural"])


def test_fit_chooses_thresholds_on_the_tune_part_and_writes_them_keeping_the_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from checks.config import load_settings

    rows = []
    for i in range(60):
        claim = f"Company {i} opened a factory in Lyon"
        text = [
            f"Company {i} opened a factory in Lyon on Monday.",
            f"Company {i} did not open a factory in Lyon.",
            f"Company {i} is said to be looking at Lyon for a plant.",
            "The weather was mild across the region.",
        ][i % 4]
        expected = ["supported", "contradicted", "discussed", "not_mentioned"][i % 4]
        rows.append(json.dumps({"claim": claim, "text": text, "expected": expected, "group": f"g{i}"}))
    (tmp_path / "labels.jsonl").write_text("\n".join(rows) + "\n", encoding="utf-8")
    (tmp_path / "pyproject.toml").write_text(
        '# the desk\'s settings\n[tool.checks]\ncorpus = "corpus"  # where the stories are\n', encoding="utf-8"
    )
    monkeypatch.chdir(tmp_path)
    assert main(["evaluate", "labels.jsonl", "--fit", "--write"]) == 0
    out = capsys.readouterr().out
    assert "fitted on" in out and "suggested: related = " in out and "never used to choose" in out
    text = (tmp_path / "pyproject.toml").read_text(encoding="utf-8")
    assert text.startswith("# the desk's settings\n") and "# where the stories are" in text
    written = load_settings(tmp_path / "pyproject.toml").thresholds
    assert f"suggested: related = {written.related}, supported = {written.supported}" in out
    assert main(["evaluate", "labels.jsonl", "--write"]) == 1  # --write alone writes nothing
