"""The gate attacked as an outside contributor would (a pull request that adds sources, feature files, a conftest,
a cache): each attack was reproduced on an earlier main, where it turned a failing gate into a passing one, ran
nothing, or blew up. Each test here runs it through `pytest features/` (and `checks validate` where the attack is
in what validate reads) and asserts the exit code and the message."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from checks.cli import main
from tests.conftest import FEATURE

FAILING = FEATURE.replace('raised interest rates"\n\n  Scenario', 'cut interest rates"\n\n  Scenario', 1)
"""The tiny feature with a claim that fails (every source supports a cut): exit 1 unless something hides it."""


def _validate(project: pytest.Pytester, capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    capsys.readouterr()
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(project.path)
        code = main(["validate"])
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    return code, out + err


def _run(project: pytest.Pytester, *args: str) -> tuple[int, str]:
    result = project.runpytest("features/", *args)
    output = result.stdout.str() + result.stderr.str()
    assert "Traceback" not in output
    return int(result.ret), output


def _results(project: pytest.Pytester) -> dict[str, object]:
    data: dict[str, object] = json.loads((project.path / "reports" / "results.json").read_text(encoding="utf-8"))
    return data


def _feature(project: pytest.Pytester, text: str, name: str = "tiny.feature") -> None:
    path = project.path / "features" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


# -- tags that skip the check -----------------------------------------------------------------------------------

SKIPPING_TAGS = {
    "scenario @skip": FAILING.replace("  @id:rates\n", "  @id:rates @skip\n"),
    "scenario @skipif": FAILING.replace("  @id:rates\n", "  @id:rates @skipif\n"),
    "scenario @xfail": FAILING.replace("  @id:rates\n", "  @id:rates @xfail\n"),
    "feature @skip": "@skip\n" + FAILING,
    "rule @xfail": FAILING.replace("  @id:rates\n", "  @xfail\n  Rule: cuts\n\n  @id:rates\n"),
    "examples @skip": (
        'Feature: Tiny story\n  Background:\n    Given the sources of story "tiny"\n\n'
        '  Scenario Outline: Rates\n    Then every source supports "The central bank <did> interest rates"\n\n'
        "    @skip\n    Examples:\n      | did |\n      | cut |\n"
    ),
    "@usefixtures": FAILING.replace("  @id:rates\n", "  @id:rates @usefixtures\n"),
    "@flaky": FAILING.replace("  @id:rates\n", "  @id:rates @flaky\n"),
}


@pytest.mark.parametrize("case", SKIPPING_TAGS)
def test_tags_that_would_skip_or_expect_the_check_are_refused(
    case: str, project: pytest.Pytester, capsys: pytest.CaptureFixture[str]
) -> None:
    _feature(project, SKIPPING_TAGS[case])
    code, output = _run(project)
    assert code == pytest.ExitCode.USAGE_ERROR
    assert "without an editor's record" in output and "nothing was checked" in output
    assert not (project.path / "reports" / "results.json").exists()
    code, output = _validate(project, capsys)
    assert code == 1 and "without an editor's record" in output


@pytest.mark.parametrize("mark", ["pytest.mark.skip(reason='later')", "pytest.mark.xfail(reason='flaky')"])
def test_a_conftest_that_skips_or_expects_scenarios_fails_the_gate(mark: str, project: pytest.Pytester) -> None:
    (project.path / "features" / "conftest.py").write_text(
        "import pytest\n\n"
        "def pytest_collection_modifyitems(items):\n"
        f"    for item in items:\n        item.add_marker({mark})\n",
        encoding="utf-8",
    )
    _feature(project, FAILING)
    code, output = _run(project)
    assert code == pytest.ExitCode.TESTS_FAILED
    assert "not checked:" in output
    outcomes = {s["name"]: s["outcome"] for s in _results(project)["scenarios"]}  # type: ignore[attr-defined]
    assert outcomes == {"Rates went up": "failed", "Wrong direction": "failed"}


def test_a_skip_inside_a_step_definition_fails_the_gate(project: pytest.Pytester) -> None:
    (project.path / "features" / "conftest.py").write_text(
        'import pytest\nfrom pytest_bdd import given\n\n@given("nothing to see")\ndef skip_it():\n'
        '    pytest.skip("not today")\n',
        encoding="utf-8",
    )
    _feature(
        project,
        FAILING.replace(
            "  @id:rates\n  Scenario: Rates went up\n",
            "  @id:rates\n  Scenario: Rates went up\n    Given nothing to see\n",
        ),
    )
    code, output = _run(project)
    assert code == pytest.ExitCode.TESTS_FAILED
    assert "not checked: skipped (not today)" in output


def test_label_tags_select_and_change_nothing(project: pytest.Pytester, capsys: pytest.CaptureFixture[str]) -> None:
    """`@wip` used to stop the run with exit 2 (an unregistered marker under --strict-markers): a label runs, and
    `-m` selects by it."""
    project.makepyprojecttoml('[tool.checks]\n[tool.pytest.ini_options]\naddopts = ["--strict-markers"]\n')
    _feature(project, FEATURE.replace("  @id:rates\n", "  @id:rates @wip\n"))
    code, _ = _run(project)
    assert code == 0
    assert _results(project)["summary"]["scenarios"]["passed"] == 2  # type: ignore[index]
    result = project.runpytest("features/", "-m", "wip")
    result.assert_outcomes(passed=1, deselected=1)
    assert _validate(project, capsys)[0] == 0


# -- feature files validate counts but pytest would not run ----------------------------------------------------


@pytest.mark.parametrize(
    "where", ["drafts/.x.feature", ".drafts/x.feature", "build/x.feature", "node_modules/x.feature"]
)
def test_feature_files_pytest_would_not_collect_are_refused(
    where: str, project: pytest.Pytester, capsys: pytest.CaptureFixture[str]
) -> None:
    _feature(project, FAILING.replace("Tiny story", "Hidden"), where)
    code, output = _run(project)
    assert code == pytest.ExitCode.USAGE_ERROR
    assert f"features/{where}" in output and "would never run" in output
    code, output = _validate(project, capsys)
    assert code == 1 and f"features/{where}" in output


def test_a_feature_file_a_conftest_hides_from_collection_stops_the_run(project: pytest.Pytester) -> None:
    _feature(project, FAILING.replace("Tiny story", "Other").replace("  @id:rates\n", ""), "more/other.feature")
    (project.path / "features" / "conftest.py").write_text('collect_ignore = ["more"]\n', encoding="utf-8")
    code, output = _run(project)
    assert code == pytest.ExitCode.USAGE_ERROR
    assert "features/more/other.feature: pytest did not collect it" in output


@pytest.mark.parametrize("target", [".", "..", "/"])
def test_directory_symlinks_in_features_are_refused_not_followed(
    target: str, project: pytest.Pytester, capsys: pytest.CaptureFixture[str]
) -> None:
    os.symlink(target, project.path / "features" / "loop")
    code, output = _run(project)
    assert code == pytest.ExitCode.USAGE_ERROR
    assert "features/loop: file: is a symbolic link to a folder" in output
    code, output = _validate(project, capsys)
    assert code == 1 and "features/loop" in output


def test_a_feature_file_symlink_is_refused(project: pytest.Pytester) -> None:
    os.symlink(project.path / "features" / "tiny.feature", project.path / "features" / "again.feature")
    code, output = _run(project)
    assert code == pytest.ExitCode.USAGE_ERROR
    assert "features/again.feature: file: is a symbolic link to a file" in output


# -- piggy-backing on a waiver ----------------------------------------------------------------------------------

WAIVER = '[[waiver]]\nclaim = "rates-paper"\nsource = "*"\nreason = "Accepted by the desk"\nreviewer = "J. Editor"\nexpires = 2999-01-01\n'

ID_CASES = {
    "two ids on one scenario": (
        FAILING.replace("  @id:rates\n", "  @id:rates-paper @id:zz-cut-40\n"),
        "has several claim ids (@id:rates-paper, @id:zz-cut-40",
    ),
    "a feature id and a scenario id": (
        "@id:rates-paper\n" + FAILING,
        "has several claim ids",
    ),
    "one id on two claims": (
        FAILING.replace("  Scenario: Wrong direction\n", "  @id:rates\n  Scenario: Wrong direction\n"),
        "@id:rates is already the id of a different claim (features/tiny.feature:6)",
    ),
    "one id on outline rows with different claims": (
        'Feature: Tiny story\n  Background:\n    Given the sources of story "tiny"\n\n'
        '  @id:rates\n  Scenario Outline: Rates\n    Then every source supports "The central bank <did> interest rates"\n\n'
        "    Examples:\n      | did |\n      | raised |\n      | cut |\n",
        "@id:rates is already the id of a different claim",
    ),
    "an id with a newline-free but invalid shape": (
        FAILING.replace("  @id:rates\n", "  @id:Rates_Paper\n"),
        "a claim id is lowercase letters",
    ),
}


@pytest.mark.parametrize("case", ID_CASES)
def test_claim_ids_cannot_borrow_a_waiver(
    case: str, project: pytest.Pytester, capsys: pytest.CaptureFixture[str]
) -> None:
    feature, message = ID_CASES[case]
    _feature(project, feature)
    (project.path / "features" / "waivers.toml").write_text(WAIVER, encoding="utf-8")
    code, output = _run(project)
    assert code == pytest.ExitCode.USAGE_ERROR and message in output
    code, output = _validate(project, capsys)
    assert code == 1 and message in output


def test_one_id_across_files_on_the_same_claim_is_allowed(project: pytest.Pytester) -> None:
    _feature(project, FEATURE.replace("Tiny story", "Tiny again"), "again.feature")
    assert _run(project)[0] == 0


# -- order of outline rows --------------------------------------------------------------------------------------

OUTLINE = (
    'Feature: Tiny story\n  Background:\n    Given the sources of story "tiny"\n\n'
    '  Scenario Outline: Rates\n    Then at least <n> sources support "The central bank raised interest rates"\n\n'
    "    Examples:\n      | n |\n" + "".join(f"      | {n} |\n" for n in (1, 2, 1, 2, 1, 2, 1, 2, 1, 2))
)


def test_outline_rows_come_out_in_file_order_with_or_without_xdist(project: pytest.Pytester) -> None:
    _feature(project, OUTLINE)
    orders = []
    for args in ((), ("-n", "2")):
        project.runpytest_subprocess("features/", *args).assert_outcomes(passed=10)
        scenarios = _results(project)["scenarios"]
        orders.append([s["steps"][1]["text"] for s in scenarios])  # type: ignore[attr-defined]
    assert orders[0] == orders[1]
    assert [text.split()[2] for text in orders[0]] == ["1", "2"] * 5
