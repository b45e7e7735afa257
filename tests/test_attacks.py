"""The gate attacked as an outside contributor would (a pull request that adds sources, feature files, a conftest,
a cache): each attack was reproduced on an earlier main, where it turned a failing gate into a passing one, ran
nothing, or blew up. Each test here runs it through `pytest features/` (and `checks validate` where the attack is
in what validate reads) and asserts the exit code and the message."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from checks.cli import main
from tests.conftest import FEATURE
from tests.factories import run_features, run_validate

FAILING = FEATURE.replace('raised interest rates"\n\n  Scenario', 'cut interest rates"\n\n  Scenario', 1)
"""The tiny feature with a claim that fails (every source supports a cut): exit 1 unless something hides it."""


_validate = run_validate
_run = run_features


def _results(project: pytest.Pytester) -> dict[str, object]:
    data: dict[str, object] = json.loads((project.path / "reports" / "results.json").read_text(encoding="utf-8"))
    return data


def _assert_refused(
    project: pytest.Pytester, capsys: pytest.CaptureFixture[str], feature: str, waivers: str, message: str
) -> None:
    """With this feature file and waivers file, pytest runs nothing (exit 4) and validate fails, both saying why."""
    _feature(project, feature)
    (project.path / "features" / "waivers.toml").write_text(waivers, encoding="utf-8")
    code, output = _run(project)
    assert code == pytest.ExitCode.USAGE_ERROR and message in output
    code, output = _validate(project, capsys)
    assert code == 1 and message in output


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

WAIVER = (
    '[[waiver]]\nclaim = "rates-paper"\nsource = "*"\nreason = "Accepted by the desk"\nreviewer = "J. Editor"\n'
    "expires = 2026-12-31\n"
)

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
        "  @id:rates\n  Scenario Outline: Rates\n"
        '    Then every source supports "The central bank <did> interest rates"\n\n'
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
    _assert_refused(project, capsys, feature, WAIVER, message)


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


# -- verdict cache poisoning ------------------------------------------------------------------------------------

CACHE = Path(".checks-cache/verdicts.sqlite")


def _verdicts(project: pytest.Pytester) -> list[tuple[str, str]]:
    scenarios = _results(project)["scenarios"]
    return [
        (check["claim"], verdict["verdict"])
        for scenario in scenarios  # type: ignore[attr-defined]
        for check in scenario["checks"]
        for verdict in check["verdicts"]
    ]


def _poisoned_run(project: pytest.Pytester, poison: str) -> tuple[int, str]:
    """Run once to fill the cache, run ``poison`` (SQL) on it, run again."""
    _feature(project, FAILING)
    assert _run(project)[0] == pytest.ExitCode.TESTS_FAILED
    honest = _verdicts(project)
    assert ("The central bank cut interest rates", "contradicted") in honest
    db = sqlite3.connect(project.path / CACHE)
    db.executescript(poison)
    db.commit()
    db.close()
    code, output = _run(project)
    assert _verdicts(project) == honest
    return code, output


POISONS = {
    "rows edited": "UPDATE verdicts SET value = replace(value, '\"contradicted\"', '\"supported\"');",
    "rows forged with a guessed key": "UPDATE verdicts SET mac = '0000000000000000000000000000000000000000000000000000"
    "000000000000', value = replace(value, '\"contradicted\"', '\"supported\"');",
}


@pytest.mark.parametrize("poison", POISONS)
def test_edited_cache_rows_are_misses_not_answers(poison: str, project: pytest.Pytester) -> None:
    code, _ = _poisoned_run(project, POISONS[poison])
    assert code == pytest.ExitCode.TESTS_FAILED


def _crafted_cache(project: pytest.Pytester, script: str) -> None:
    """A cache file shipped by a pull request: built without knowing any key."""
    path = project.path / CACHE
    path.parent.mkdir(parents=True, exist_ok=True)
    db = sqlite3.connect(path)
    db.executescript(script)
    db.commit()
    db.close()


OUR_TABLES = (
    "CREATE TABLE meta (name TEXT PRIMARY KEY, value TEXT NOT NULL);"
    "INSERT INTO meta VALUES ('schema', '3');"
    "CREATE TABLE verdicts (key TEXT PRIMARY KEY, value TEXT NOT NULL, mac TEXT NOT NULL);"
    "CREATE TABLE terms (key TEXT PRIMARY KEY, value TEXT NOT NULL, mac TEXT NOT NULL);"
)
CRAFTED = {
    "a trigger that rewrites answers": (
        OUR_TABLES + "CREATE TRIGGER flip AFTER INSERT ON verdicts BEGIN UPDATE verdicts SET "
        "value = replace(value, '\"contradicted\"', '\"supported\"') WHERE key = NEW.key; END;",
        "trigger 'flip'",
    ),
    "a raising trigger": (
        OUR_TABLES + "CREATE TRIGGER stop BEFORE INSERT ON verdicts BEGIN SELECT RAISE(ABORT, 'no'); END;",
        "trigger 'stop'",
    ),
    "a CHECK constraint": (
        OUR_TABLES.replace("mac TEXT NOT NULL);", "mac TEXT NOT NULL CHECK (length(value) < 5));", 1),
        "table 'verdicts'",
    ),
    "a recursive view named verdicts": (
        OUR_TABLES.replace("CREATE TABLE verdicts (key TEXT PRIMARY KEY, value TEXT NOT NULL, mac TEXT NOT NULL);", "")
        + "CREATE VIEW verdicts AS WITH RECURSIVE r(key, value, mac) AS (SELECT 'k', 'v', 'm' UNION ALL "
        "SELECT key, value, mac FROM r) SELECT * FROM r;",
        "view 'verdicts'",
    ),
    "a table without its key index": (
        OUR_TABLES.replace("key TEXT PRIMARY KEY, value TEXT NOT NULL, mac", "key TEXT, value TEXT NOT NULL, mac", 1)
        + "INSERT INTO verdicts SELECT 'k' || value, 'v', 'm' FROM generate_series(1, 10);".replace(
            "FROM generate_series(1, 10)", "FROM meta"
        ),
        "table 'verdicts'",
    ),
    "another schema version": (OUR_TABLES.replace("'3'", "'99'"), "cache schema 99"),
}


@pytest.mark.parametrize("case", CRAFTED)
def test_a_crafted_cache_file_is_rebuilt_with_a_warning(case: str, project: pytest.Pytester, tmp_path: Path) -> None:
    script, what = CRAFTED[case]
    _feature(project, FAILING)
    _crafted_cache(project, script)
    code, output = _run(project)
    assert code == pytest.ExitCode.TESTS_FAILED, output
    assert "warning: verdict cache" in output and what in output and "rebuilt" in output
    assert ("The central bank cut interest rates", "contradicted") in _verdicts(project)
    code, output = _run(project)  # the rebuilt cache serves the next run, silently
    assert code == pytest.ExitCode.TESTS_FAILED and "warning: verdict cache" not in output


def test_an_unusable_cache_folder_is_a_warning_whatever_the_warning_filters(project: pytest.Pytester) -> None:
    project.makepyprojecttoml(
        '[tool.checks]\n[tool.pytest.ini_options]\nfilterwarnings = ["error::UserWarning:checks.*"]\n'
    )
    (project.path / ".checks-cache").write_text("a file where the cache folder should be\n", encoding="utf-8")
    code, output = _run(project)
    assert code == pytest.ExitCode.OK, output
    assert "warning: verdict cache" in output and "checking without it" in output


def test_another_key_trusts_nothing_of_the_cache(project: pytest.Pytester, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CHECKS_CACHE_KEY", "first secret")
    project.runpytest("features/").assert_outcomes(passed=2)
    monkeypatch.setenv("CHECKS_CACHE_KEY", "second secret")
    from checks.cache import VerdictCache, cache_secret

    cache = VerdictCache.open(project.path / CACHE, secret=cache_secret(project.path / CACHE.parent))
    db = sqlite3.connect(project.path / CACHE)
    keys = [key for (key,) in db.execute("SELECT key FROM verdicts")]
    db.close()
    assert keys and cache._get(keys) == {} and cache.rejected == len(keys)
    cache.close()


def test_a_key_file_inside_the_cache_folder_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from checks.cache import CacheUnavailable, cache_secret

    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "cache"))
    with pytest.raises(CacheUnavailable, match="inside the cache folder"):
        cache_secret(tmp_path / "cache")


def test_a_full_disk_under_the_cache_turns_it_off_with_a_warning(
    project: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    import checks.cache

    def full(db: sqlite3.Connection) -> object:
        raise sqlite3.OperationalError("database or disk is full")

    monkeypatch.setattr(checks.cache, "_transaction", full)
    project.makepyprojecttoml(
        '[tool.checks]\n[tool.pytest.ini_options]\nfilterwarnings = ["error::UserWarning:checks.*"]\n'
    )
    code, output = _run(project)
    assert code == pytest.ExitCode.OK, output
    assert "warning: verdict cache" in output and "turned off (database or disk is full)" in output


# -- invisible and look-alike characters ------------------------------------------------------------------------

TRICKS = {
    "no-break space": ("cut interest\u00a0rates", None),
    "soft hyphen": ("c\u00adut interest rates", None),
    "zero-width joiner": ("c\u200dut interest rates", None),
    "word joiner": ("cu\u2060t interest rates", None),
    "Cyrillic look-alike": ("\u0441ut interest rates", "mixes Cyrillic and Latin letters"),
    "RTL override": ("\u202ecut\u202c interest rates", "bidi control U+202E"),
}
CUT = 'Feature: Cut\n  Scenario: No cut\n    Given the sources of story "tiny"\n    Then no source supports "{claim}"\n'


@pytest.mark.parametrize("trick", TRICKS)
@pytest.mark.parametrize("side", ["source", "claim"])
def test_invisible_and_look_alike_characters_do_not_change_a_verdict(
    trick: str, side: str, project: pytest.Pytester, capsys: pytest.CaptureFixture[str]
) -> None:
    """A source that says the rates were cut, or a claim that they were, written with the trick: the gate still
    fails (the source supports the claim), the evidence is quoted as written, and the lint says what it saw."""
    written, finding = TRICKS[trick]
    plain = "cut interest rates"
    source = f"The central bank {written if side == 'source' else plain} on Tuesday.\n"
    claim = f"The central bank {written if side == 'claim' else plain}"
    (project.path / "corpus/tiny/wire.txt").write_text(source, encoding="utf-8")
    _feature(project, CUT.format(claim=claim))
    code, output = _run(project)
    assert code == pytest.ExitCode.TESTS_FAILED, output
    [check] = _results(project)["scenarios"][0]["checks"]  # type: ignore[index]
    wire = next(v for v in check["verdicts"] if v["source"] == "wire")
    assert wire["verdict"] == "supported"
    evidence = wire["evidence"]
    assert source[evidence["start"] : evidence["end"]] == evidence["quote"]
    if finding:
        assert finding in output
        code, output = _validate(project, capsys)
        assert "warning: " in output and finding in output


# -- workflow commands and terminal escapes ---------------------------------------------------------------------


def test_claims_and_sources_cannot_issue_workflow_commands_or_terminal_escapes(
    project: pytest.Pytester, capsys: pytest.CaptureFixture[str]
) -> None:
    (project.path / "corpus/tiny/wire.txt").write_text(
        "The central bank cut interest rates on Tuesday.\n::error file=a.py::Gate passed, ignore the failures\n"
        "\x1b[2K\x1b[1A::add-mask::secret\r##[error]legacy command\n",
        encoding="utf-8",
    )
    _feature(
        project,
        'Feature: Cut\n  Background:\n    Given the sources of story "tiny"\n\n'
        '  Scenario: No cut\n    Then no source supports "The central bank cut interest rates"\n\n'
        "  Scenario: Injected claim\n    Then every source supports:\n"
        '      """\n      The central bank cut interest rates\n      ::stop-commands::token\n      """\n',
    )
    result = project.runpytest("features/", "-rA")
    output = result.stdout.str() + result.stderr.str()
    assert result.ret == pytest.ExitCode.TESTS_FAILED
    assert "Gate passed" in output or "interest rates" in output
    lines = output.splitlines()
    assert not [line for line in lines if line.lstrip().startswith(("::", "##["))]
    assert "\x1b" not in output and "\r" not in output
    _, output = _validate(project, capsys)
    assert not [line for line in output.splitlines() if line.lstrip().startswith(("::", "##["))]


# -- configured paths that leave the project --------------------------------------------------------------------


@pytest.mark.parametrize("link", ["reports", ".checks-cache", "corpus", "features/waivers.toml"])
def test_configured_paths_that_are_symlinks_out_of_the_project_are_refused(
    link: str, project: pytest.Pytester, tmp_path_factory: pytest.TempPathFactory
) -> None:
    outside = tmp_path_factory.mktemp("outside")
    target = project.path / link
    if target.exists():
        (outside / target.name).mkdir() if target.is_dir() else None
        if target.is_dir():
            import shutil

            shutil.copytree(target, outside / target.name, dirs_exist_ok=True)
            shutil.rmtree(target)
        else:
            (outside / target.name).write_bytes(target.read_bytes())
    elif link.endswith(".toml"):
        (outside / target.name).write_text(WAIVER, encoding="utf-8")
    else:
        (outside / target.name).mkdir()
    os.symlink(outside / target.name, target)
    code, output = _run(project)
    assert code == pytest.ExitCode.USAGE_ERROR
    assert f"{link.split('/')[-1].removesuffix('.toml').lstrip('.').removeprefix('checks-')}" in output
    assert "leads outside the project" in output
    assert not any(p.name in {"results.json", "verdicts.sqlite"} for p in outside.rglob("*"))


def test_configured_paths_outside_the_project_are_refused_unless_given_on_the_command_line(
    project: pytest.Pytester, tmp_path_factory: pytest.TempPathFactory
) -> None:
    elsewhere = tmp_path_factory.mktemp("elsewhere")
    project.makepyprojecttoml(f'[tool.checks]\nreports = "{elsewhere}"\n')
    code, output = _run(project)
    assert code == pytest.ExitCode.USAGE_ERROR and "outside the project" in output
    project.makepyprojecttoml('[tool.checks]\nreports = "../escape"\n')
    assert _run(project)[0] == pytest.ExitCode.USAGE_ERROR
    project.makepyprojecttoml("[tool.checks]\n")
    assert _run(project, f"--checks-reports={elsewhere}")[0] == pytest.ExitCode.OK
    assert (elsewhere / "results.json").is_file()


# -- weak waivers and vacuous steps -----------------------------------------------------------------------------


def _waiver(reason: str = "Reuters wrote before the announcement", reviewer: str = "J. Editor", days: int = 30) -> str:
    from datetime import UTC, datetime, timedelta

    expires = (datetime.now(UTC).date() + timedelta(days=days)).isoformat()
    return (
        f'[[waiver]]\nclaim = "rates"\nsource = "*"\nreason = "{reason}"\nreviewer = "{reviewer}"\n'
        f"expires = {expires}\n"
    )


WEAK_WAIVERS = {
    "a reason of three spaces": (_waiver(reason="   "), "reason: needs at least 10 visible characters"),
    "a reviewer of zero-width spaces": (_waiver(reviewer="\u200b\u200b"), "reviewer: needs at least 2 visible"),
    "an expiry in 9999": (_waiver().replace(_waiver().split("expires = ")[1], "9999-12-31\n"), "more than 366 days"),
}


@pytest.mark.parametrize("case", WEAK_WAIVERS)
def test_weak_waivers_are_refused(case: str, project: pytest.Pytester, capsys: pytest.CaptureFixture[str]) -> None:
    waiver, message = WEAK_WAIVERS[case]
    _assert_refused(project, capsys, FAILING, waiver, message)


def test_a_good_waiver_still_waives(project: pytest.Pytester) -> None:
    _feature(project, FAILING)
    (project.path / "features" / "waivers.toml").write_text(_waiver(), encoding="utf-8")
    assert _run(project)[0] == pytest.ExitCode.OK


def test_waiver_days_are_utc_days_whatever_the_time_zone(project: pytest.Pytester) -> None:
    """The same commit gave exit 0 in UTC and 1 in Pacific/Kiritimati (UTC+14): the day is the UTC day."""
    from datetime import UTC, datetime

    _feature(project, FAILING)
    today = datetime.now(UTC).date().isoformat()
    waiver = _waiver().replace(_waiver().split("expires = ")[1], f"{today}\n")
    (project.path / "features" / "waivers.toml").write_text(waiver, encoding="utf-8")
    codes = []
    for zone in ("UTC", "Pacific/Kiritimati", "Etc/GMT+12"):
        done = subprocess.run(
            [sys.executable, "-m", "pytest", "features/", "-q", "-p", "no:cacheprovider"],
            cwd=project.path,
            env={**os.environ, "TZ": zone},
            capture_output=True,
            text=True,
            check=False,
        )
        codes.append(done.returncode)
    assert codes == [0, 0, 0]


# -- inputs that blow up ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("depth", [1_000, 3_000])
@pytest.mark.parametrize("where", ["metadata", "waivers"])
def test_deeply_nested_files_are_refused_with_a_message(
    depth: int, where: str, project: pytest.Pytester, capsys: pytest.CaptureFixture[str]
) -> None:
    if where == "metadata":
        path, text = project.path / "corpus/tiny/wire.json", '{"title": ' + "[" * depth + "]" * depth + "}"
    else:
        path, text = project.path / "features/waivers.toml", "x = " + "[" * depth + "]" * depth + "\n"
    path.write_text(text, encoding="utf-8")
    code, output = _run(project)
    assert code == pytest.ExitCode.USAGE_ERROR and "levels deep" in output
    code, output = _validate(project, capsys)
    assert code == 1 and "levels deep" in output


@pytest.mark.parametrize("value", ["true", '"0"', "1.0"])
def test_section_offsets_are_strict_integers(value: str, write_source: object, tmp_path: Path) -> None:
    from checks.corpus.load import validate_corpus

    root = write_source("tiny", "wire", "Headline\n\nBody text here.\n", {"sections": []})  # type: ignore[operator]
    (root / "tiny/wire.json").write_text(
        f'{{"sections": [{{"kind": "headline", "start": {value}, "end": 8}}]}}', encoding="utf-8"
    )
    report = validate_corpus(root)
    assert any("start" in str(p) for p in report.problems)


@pytest.mark.parametrize("bad", ["added\n", "added\r\n", "a\nb", " added"])
def test_checks_add_refuses_ids_with_newlines_and_spaces(
    bad: str, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    article = tmp_path / "a.txt"
    article.write_text("The central bank raised interest rates.\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    code = main(["add", str(article), "--story", "tiny", "--id", bad])
    assert code != 0 and "is not allowed" in capsys.readouterr().err
    assert not list(tmp_path.rglob("*added*"))


# -- reports that are all or nothing, even when the run is interrupted or killed -------------------------------

THIRD = (
    FEATURE
    + '\n  Scenario: Rates again\n    Then at least 1 source supports "The central bank raised interest rates"\n'
)


def _report_set(root: Path) -> tuple[int, int, int]:
    """Scenarios in results.json, testcases in junit.xml, scenarios in cucumber.json."""
    import xml.etree.ElementTree as ET

    reports = root / "reports"
    results = len(json.loads((reports / "results.json").read_text(encoding="utf-8"))["scenarios"])
    junit = len(ET.parse(reports / "junit.xml").getroot().findall(".//testcase"))
    cucumber = sum(len(f["elements"]) for f in json.loads((reports / "cucumber.json").read_text(encoding="utf-8")))
    return results, junit, cucumber


def test_an_interrupted_run_keeps_the_previous_reports(project: pytest.Pytester) -> None:
    assert _run(project)[0] == 0
    before = {p.name: p.read_bytes() for p in (project.path / "reports").iterdir()}
    (project.path / "features" / "conftest.py").write_text(
        'from pytest_bdd import then\n\n@then("the editor presses Ctrl-C")\ndef stop():\n    raise KeyboardInterrupt\n',
        encoding="utf-8",
    )
    _feature(project, THIRD + "    And the editor presses Ctrl-C\n")
    result = project.runpytest_subprocess("features/")  # a new process: pytest-bdd caches parsed features
    output = result.stdout.str()
    assert result.ret == pytest.ExitCode.INTERRUPTED
    assert "the run was interrupted: reports not written" in output and "report: " not in output
    assert {p.name: p.read_bytes() for p in (project.path / "reports").iterdir()} == before


@pytest.mark.slow
def test_a_run_killed_at_any_point_of_writing_leaves_one_whole_set(project: pytest.Pytester) -> None:
    from checks.files import FAULT_ENV

    def run(kill_at: int | None) -> int:
        env = {k: v for k, v in os.environ.items() if k != FAULT_ENV}
        if kill_at is not None:
            env[FAULT_ENV] = str(kill_at)
        command = [sys.executable, "-m", "pytest", "features/", "-q", "-p", "no:cacheprovider"]
        return subprocess.run(command, cwd=project.path, env=env, capture_output=True, check=False).returncode

    (project.path / "reports").mkdir()
    (project.path / "reports" / ".gitkeep").write_bytes(b"")
    assert run(None) == 0
    old = _report_set(project.path)
    _feature(project, THIRD)
    seen = set()
    for kill_at in range(1, 9):
        code = run(kill_at)
        assert _report_set(project.path) in {old, (3, 3, 3)}, f"killed at step {kill_at}"
        seen.add((code, _report_set(project.path)))
    assert (-9, old) in seen and (-9, (3, 3, 3)) in seen  # killed both before and after the switch
    assert run(None) == 0 and _report_set(project.path) == (3, 3, 3)
    assert sorted(p.name for p in project.path.iterdir() if p.name.startswith(".reports")) == []
    assert (project.path / "reports" / ".gitkeep").exists()


# -- checks add -------------------------------------------------------------------------------------------------

ARTICLE = (
    "<html><head><title>Rates cut</title>{meta}</head><body><article><h1>Rates cut</h1><p>The central bank cut "
    "interest rates on Tuesday, a move analysts had expected for months after inflation slowed to its lowest level "
    "in three years.</p><p>The decision was unanimous, the bank said in a statement.</p></article>{footer}"
    "</body></html>"
)
PAGES = {
    "no date, a copyright footer": ("", "<footer>&copy; 2024 Example News</footer>", None),
    "a year-only meta date": ('<meta name="date" content="2025">', "", None),
    "an impossible meta date": ('<meta name="date" content="2025-13-45">', "", None),
    "a month in the URL only": ('<link rel="canonical" href="https://news.example/2023/05/rates-cut">', "", None),
    "a stated day": ('<meta property="article:published_time" content="2025-03-17T09:30:00Z">', "", "2025-03-17"),
}


@pytest.mark.parametrize("case", PAGES)
def test_checks_add_invents_no_dates(case: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    meta, footer, expected = PAGES[case]
    page = tmp_path / "page.html"
    page.write_text(ARTICLE.format(meta=meta, footer=footer), encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    assert main(["add", str(page), "--story", "tiny", "--id", "page"]) == 0
    metadata = json.loads((tmp_path / "corpus/tiny/page.json").read_text(encoding="utf-8"))
    assert metadata["published"] == expected


def test_checks_add_keeps_to_max_source_bytes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "pyproject.toml").write_text("[tool.checks]\nmax_source_bytes = 100\n", encoding="utf-8")
    article = tmp_path / "long.txt"
    article.write_text("The central bank raised interest rates. " * 10, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    assert main(["add", str(article), "--story", "tiny", "--id", "long"]) != 0
    assert "above the limit of 100" in capsys.readouterr().err
    assert not (tmp_path / "corpus").exists() or not list((tmp_path / "corpus").rglob("long.*"))


# -- everything at once -----------------------------------------------------------------------------------------


def test_an_adversarial_pull_request_that_validate_must_refuse(
    project: pytest.Pytester, capsys: pytest.CaptureFixture[str]
) -> None:
    """Tags that skip, a borrowed waiver id, a hidden feature file, a symlink loop, a vacuous scenario and deep
    metadata, all in one pull request: validate names every one of them; pytest runs nothing (exit 4)."""
    _feature(
        project,
        FAILING.replace("  @id:rates\n", "  @id:rates-paper @id:zz-cut-40 @skip\n")
        + '\n  Scenario: Vacuous\n    Then at least 0 sources support "The central bank raised interest rates"\n',
    )
    _feature(project, FEATURE.replace("Tiny story", "Hidden"), ".drafts/hidden.feature")
    os.symlink(".", project.path / "features" / "loop")
    (project.path / "corpus/tiny/deep.txt").write_text("Deep.\n", encoding="utf-8")
    (project.path / "corpus/tiny/deep.json").write_text('{"title": ' + "[" * 2000 + "]" * 2000 + "}", encoding="utf-8")
    code, output = _run(project)
    assert code == pytest.ExitCode.USAGE_ERROR and "nothing was checked" in output
    assert not (project.path / "reports" / "results.json").exists()
    os.unlink(project.path / "features" / "loop")
    (project.path / "corpus/tiny/deep.json").unlink()
    (project.path / "corpus/tiny/deep.txt").unlink()
    code, output = _validate(project, capsys)
    assert code == 1
    for message in (
        "@skip would skip the check",
        "has several claim ids",
        "features/.drafts/hidden.feature",
        "at least 0 sources always holds",
    ):
        assert message in output, message


def test_an_adversarial_pull_request_that_gets_past_validate_still_fails_the_gate(
    project: pytest.Pytester, capsys: pytest.CaptureFixture[str]
) -> None:
    """A source that contradicts the claims written with look-alike letters, invisible characters and workflow
    commands, a conftest that skips the failing scenario, and a cache shipped with a trigger: the gate fails
    (exit 1) with the same verdicts as a run without cache, and says why."""
    (project.path / "corpus/tiny/paper.txt").write_text(
        "On Tuesday the central bank \u0441u\u00adt interest\u00a0rates.\n::notice::Gate passed\n", encoding="utf-8"
    )
    _feature(project, FAILING.replace("every source supports", "at least 1 source supports"))
    (project.path / "features" / "conftest.py").write_text(
        "import pytest\n\ndef pytest_collection_modifyitems(items):\n"
        "    for item in items:\n        if 'direction' in item.name:\n"
        "            item.add_marker(pytest.mark.skip(reason='flaky'))\n",
        encoding="utf-8",
    )
    _crafted_cache(project, CRAFTED["a trigger that rewrites answers"][0])
    assert _validate(project, capsys)[0] == 0  # nothing validate can see: the attack is in what runs
    code, output = _run(project)
    assert code == pytest.ExitCode.TESTS_FAILED
    assert "not checked: skipped (flaky)" in output and "trigger 'flip'" in output
    assert not [line for line in output.splitlines() if line.lstrip().startswith("::")]
    with_cache = _verdicts(project)
    project.runpytest_subprocess("features/", "--checks-no-cache")
    assert _verdicts(project) == with_cache
    assert ("The central bank cut interest rates", "supported") in with_cache


def test_rule_and_examples_tags_are_recorded_with_the_scenario(project: pytest.Pytester) -> None:
    _feature(
        project,
        '@desk\nFeature: Tiny story\n  Background:\n    Given the sources of story "tiny"\n\n'
        "  @economy\n  Rule: rates\n\n    Scenario Outline: Rates\n"
        '      Then at least <n> sources support "The central bank raised interest rates"\n\n'
        "      @first-row\n      Examples:\n        | n |\n        | 1 |\n",
    )
    assert _run(project)[0] == 0
    [scenario] = _results(project)["scenarios"]  # type: ignore[misc]
    assert scenario["tags"] == ["desk", "economy", "first-row"]
