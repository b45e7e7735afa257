"""The bad-input catalogue, each case through `pytest features/` and through `checks validate`: a message naming
the file and the field or line and how to fix it, a non-zero exit, no traceback, previous reports untouched."""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from pathlib import Path

import pytest

from checks.cli import main
from checks.reports.writers import REPORT_FILES
from tests.conftest import FEATURE
from tests.factories import run_features, run_validate

PREVIOUS = b"previous report\n"

Breakage = Callable[[Path], None]


def _write(path: Path, data: str | bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(data, bytes):
        path.write_bytes(data)
    else:
        path.write_text(data, encoding="utf-8")


def _meta(meta: dict[str, object]) -> Breakage:
    return lambda root: _write(root / "corpus/tiny/wire.json", json.dumps(meta))


def _text(data: bytes) -> Breakage:
    return lambda root: _write(root / "corpus/tiny/wire.txt", data)


def _duplicate(root: Path) -> None:
    _write(root / "corpus/other/wire.txt", "Another story.\n")
    _write(root / "corpus/other/wire.json", "{}")


def _symlink_out(root: Path) -> None:
    outside = root.parent / f"{root.name}-secret.txt"
    outside.write_text("secret\n", encoding="utf-8")
    os.symlink(outside, root / "corpus/tiny/leak.txt")
    _write(root / "corpus/tiny/leak.json", "{}")


CORPUS_CASES: dict[str, tuple[Breakage, str]] = {
    "unknown key": (_meta({"publisherr": "x"}), "corpus/tiny/wire.json: publisherr: unknown field"),
    "mistyped field": (_meta({"title": 5}), "corpus/tiny/wire.json: title: "),
    "bad date": (_meta({"published": "17/03/2025"}), "corpus/tiny/wire.json: published: '17/03/2025' is not an ISO"),
    "javascript: URL": (_meta({"url": "javascript:alert(1)"}), "corpus/tiny/wire.json: url: "),
    "data: URL": (_meta({"url": "data:text/html,<script>x</script>"}), "corpus/tiny/wire.json: url: "),
    "metadata not an object": (lambda r: _write(r / "corpus/tiny/wire.json", "[]"), "corpus/tiny/wire.json"),
    "non-UTF-8 text": (_text(b"caf\xe9 au lait\n"), "corpus/tiny/wire.txt: text: is not UTF-8"),
    "binary text": (_text(b"\x00\x01\x02\x03binary"), "corpus/tiny/wire.txt: text: is a binary file"),
    "empty text": (_text(b""), "corpus/tiny/wire.txt: text: is empty"),
    "50 MB text": (_text(b"word " * 10_000_000), "wire.txt: text: is 50,000,000 bytes, above the limit of 20,000,000"),
    "duplicate id across stories": (_duplicate, "id: id 'wire' is used in several stories (other, tiny)"),
    "symlink out of corpus": (_symlink_out, "corpus/tiny/leak.txt: leads outside the corpus folder"),
    ".txt without .json": (
        lambda r: (r / "corpus/tiny/wire.json").unlink(),
        "corpus/tiny/wire.txt: wire.json is missing",
    ),
}

FEATURE_CASES: dict[str, tuple[str, str]] = {
    "malformed Gherkin": (
        'Feature: x\n  Scenario: y\n    Given the sources of story "tiny"\n    This line is no step\n',
        "features/tiny.feature:4: gherkin: ",
    ),
    "empty feature": ("Feature: nothing here\n", "features/tiny.feature:1: feature: has no scenarios"),
    "unknown step": (
        FEATURE.replace("Then every source supports", "Then every source support"),
        'features/tiny.feature:7: step: unknown step `Then every source support "The central bank raised interest '
        'rates"`; did you mean: Then every source supports "<claim>"',
    ),
    "unbalanced quotes": (
        FEATURE.replace('supports "The central bank raised', 'supports "The "central bank raised'),
        'features/tiny.feature:7: step: unknown step `Then every source supports "The "central bank raised interest'
        ' rates"`: unbalanced double quotes: a claim goes between one pair of',
    ),
    "scenario selecting no sources": (
        FEATURE.replace('  Background:\n    Given the sources of story "tiny"\n', ""),
        'features/tiny.feature:4: scenario: "Rates went up" selects no sources; start it with Given the sources of',
    ),
    # Vacuous scenarios: they would pass whatever the sources say.
    "at least 0 sources": (
        FEATURE.replace("Then every source supports", "Then at least 0 sources support"),
        "features/tiny.feature:7: step: at least 0 sources always holds",
    ),
    "a claim of common words only": (
        FEATURE.replace("The central bank raised interest rates", "It is what it was"),
        "has no word that a source could be checked on",
    ),
    "only Given steps": (
        'Feature: Tiny story\n  Scenario: Nothing\n    Given the sources of story "tiny"\n',
        'features/tiny.feature:2: scenario: "Nothing" has no Then step',
    ),
    "unknown story": (
        FEATURE.replace('story "tiny"', 'story "nope"'),
        'features/tiny.feature:3: story: "nope" has no sources in the corpus (stories: tiny)',
    ),
    "unknown source id": (
        FEATURE.replace('the sources of story "tiny"', 'the sources "wire", "papr"'),
        'features/tiny.feature:3: source: unknown source id "papr"; did you mean "paper"?',
    ),
    "id with ../": (
        FEATURE.replace('the sources of story "tiny"', 'the sources "../../etc/passwd"'),
        'features/tiny.feature:3: source: unknown source id "../../etc/passwd"',
    ),
    "absolute path as id": (
        FEATURE.replace('the sources of story "tiny"', 'the sources "/etc/passwd"'),
        'features/tiny.feature:3: source: unknown source id "/etc/passwd"',
    ),
    "story with ../": (
        FEATURE.replace('story "tiny"', 'story "../corpus/tiny"'),
        'features/tiny.feature:3: story: "../corpus/tiny" has no sources in the corpus',
    ),
}


def _previous_reports(root: Path) -> None:
    for name in REPORT_FILES:
        _write(root / "reports" / name, PREVIOUS)


def _assert_untouched(root: Path) -> None:
    assert sorted(p.name for p in (root / "reports").iterdir()) == sorted(REPORT_FILES)
    assert all((root / "reports" / name).read_bytes() == PREVIOUS for name in REPORT_FILES)


_run_pytest = run_features
_run_cli = run_validate


@pytest.mark.parametrize("case", CORPUS_CASES)
def test_bad_corpus(case: str, project: pytest.Pytester, capsys: pytest.CaptureFixture[str]) -> None:
    breakage, message = CORPUS_CASES[case]
    breakage(project.path)
    _previous_reports(project.path)
    code, output = _run_pytest(project)
    assert code == pytest.ExitCode.USAGE_ERROR
    assert "the corpus is invalid; nothing was checked" in output and message in output
    _assert_untouched(project.path)
    code, output = _run_cli(project, capsys)
    assert code == 1 and message in output


@pytest.mark.parametrize("case", FEATURE_CASES)
def test_bad_feature(case: str, project: pytest.Pytester, capsys: pytest.CaptureFixture[str]) -> None:
    feature, message = FEATURE_CASES[case]
    (project.path / "features" / "tiny.feature").write_text(feature, encoding="utf-8")
    _previous_reports(project.path)
    code, output = _run_pytest(project)
    assert code == pytest.ExitCode.USAGE_ERROR
    assert message in output
    assert "nothing was checked" in output
    _assert_untouched(project.path)
    code, output = _run_cli(project, capsys)
    assert code == 1 and message in output


def test_the_users_own_step_definitions_are_not_unknown(project: pytest.Pytester) -> None:
    (project.path / "features" / "conftest.py").write_text(
        'from pytest_bdd import then\n\n@then("the desk signs it off")\ndef desk() -> None:\n    pass\n',
        encoding="utf-8",
    )
    (project.path / "features" / "tiny.feature").write_text(
        FEATURE + "    And the desk signs it off\n", encoding="utf-8"
    )
    project.runpytest("features/").assert_outcomes(passed=2)


@pytest.mark.parametrize(
    ("toml", "message"),
    [
        ("[tool.checks.thresholds]\nsupported = 'lots'\n", "thresholds.supported: Input should be a valid integer"),
        ("[tool.checks.thresholds]\nrelated = 130\n", "thresholds.related: Input should be less than or equal to 100"),
        ("[tool.checks]\ncorpuss = 'x'\n", "corpuss"),
    ],
)
def test_bad_configuration(
    toml: str, message: str, project: pytest.Pytester, capsys: pytest.CaptureFixture[str]
) -> None:
    project.makepyprojecttoml(toml)
    _previous_reports(project.path)
    code, output = _run_pytest(project)
    assert code == pytest.ExitCode.USAGE_ERROR and message in output
    _assert_untouched(project.path)
    code, output = _run_cli(project, capsys)
    assert code == 1 and message in output and "pyproject.toml" in output


def test_checks_add_refuses_ids_that_are_paths(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    article = tmp_path / "a.txt"
    article.write_text("Text.\n", encoding="utf-8")
    for bad in ("../escape", "/etc/passwd"):
        code = main(["add", str(article), "--story", "s", "--id", bad, "--corpus", str(tmp_path / "corpus")])
        assert code == 1
        assert f"--id: {bad!r} is not allowed" in capsys.readouterr().err
    assert not (tmp_path / "corpus").exists() and not (tmp_path / "escape.txt").exists()
