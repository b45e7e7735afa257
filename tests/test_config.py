from __future__ import annotations

from pathlib import Path

import pytest

from checks.config import Settings, load_settings
from checks.errors import ConfigError


def test_defaults_without_pyproject(tmp_path: Path) -> None:
    assert load_settings(tmp_path / "missing.toml") == Settings()


@pytest.mark.parametrize(
    ("toml", "fragment"),
    [
        pytest.param('[tool.checks.thresholds]\nrelated = "high"\n', "thresholds.related", id="not-a-number"),
        pytest.param("[tool.checks.thresholds]\nrelated = 140\n", "less than or equal to 100", id="out-of-range"),
        pytest.param("[tool.checks.thresholds]\nrelated = 80\nsupported = 50\n", "must be at least", id="unordered"),
        pytest.param("[tool.checks]\ncorpsu = 'x'\n", "corpsu", id="unknown-key"),
        pytest.param("[tool.checks\n", "cannot be read as TOML", id="bad-toml"),
    ],
)
def test_bad_configuration_is_named(tmp_path: Path, toml: str, fragment: str) -> None:
    path = tmp_path / "pyproject.toml"
    path.write_text(toml, encoding="utf-8")
    with pytest.raises(ConfigError) as info:
        load_settings(path)
    assert fragment in str(info.value)
    assert str(path) in str(info.value)


def test_bad_configuration_stops_pytest(pytester: pytest.Pytester) -> None:
    pytester.makepyprojecttoml("[tool.checks.thresholds]\nsupported = 'lots'\n")
    result = pytester.runpytest()
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(["*[[]tool.checks[]] thresholds.supported: Input should be a valid integer*"])
