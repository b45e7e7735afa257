"""The pytest plugin's entry point (``pytest11``): it registers the ``--checks-*`` options everywhere and does
nothing else until a project asks for the harness.

A project asks for it with a ``[tool.checks]`` table in the rootdir's ``pyproject.toml``, a ``checks.toml`` file
in the rootdir, ``-p checks`` or ``--checks``. Only then are the hooks (:mod:`checks.pytest_plugin.hooks`) and
the steps (:mod:`checks.pytest_plugin.steps`) registered and the engine's dependencies (numpy, RapidFuzz, Jinja2)
imported. Any other project in the same environment runs as if the plugin were not installed: it collects no
``.feature`` file, gets none of our steps, and pays for nothing but this module (standard library and pytest).
"""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

__all__ = ["is_active"]

PLUGIN_NAME = "checks"
"""The entry point's name: ``-p checks`` asks for the harness by it."""


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("checks", "source-consistency checks")
    group.addoption(
        "--checks",
        action="store_true",
        default=False,
        dest="checks_enabled",
        help="run the harness even without [tool.checks] in pyproject.toml (same as -p checks)",
    )
    options = [
        ("--checks-corpus", "DIR", "corpus folder (default: ini checks_corpus, [tool.checks] corpus, or corpus/)"),
        ("--checks-reports", "DIR", "folder for results.json, report.html, junit.xml... (default: reports/)"),
        ("--checks-waivers", "FILE", "editor-owned waivers (default: [tool.checks] waivers, or features/waivers.toml)"),
        (
            "--checks-baseline",
            "RESULTS",
            "a previous results.json: show what this run changes, in the terminal and the HTML report",
        ),
        ("--checks-cache", "DIR", "verdict cache folder (default: [tool.checks] cache, or .checks-cache/)"),
    ]
    for flag, metavar, text in options:
        group.addoption(flag, default=None, metavar=metavar, help=text)
    group.addoption(
        "--checks-no-cache",
        action="store_true",
        default=False,
        help="check every claim × source pair afresh, without reading or writing the cache",
    )
    group.addoption(
        "--checks-engine-mode",
        choices=("learned", "rules"),
        default=None,
        help="learned: the rules' reading weighed by the shipped combiner (default: [tool.checks] engine, or "
        "learned); rules: the decision rules alone",
    )
    group.addoption(
        "--checks-debug",
        action="store_true",
        default=False,
        help="show Python tracebacks for harness errors (also with -vv)",
    )
    parser.addini("checks_corpus", "corpus folder, relative to the project root", default=None)
    parser.addini("checks_reports", "reports folder, relative to the project root", default=None)
    parser.addini("checks_waivers", "waivers file, relative to the project root", default=None)


def is_active(config: pytest.Config) -> bool:
    """Whether this project asked for the harness (module docstring)."""
    if config.getoption("checks_enabled", False):
        return True
    if PLUGIN_NAME in (getattr(config.option, "plugins", None) or []):
        return True
    root = config.rootpath
    if (root / "checks.toml").is_file():
        return True
    return _configures_checks(root / "pyproject.toml")


def _configures_checks(pyproject: Path) -> bool:
    try:
        data = tomllib.loads(pyproject.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError, RecursionError):
        return False  # not ours to judge: the project's own tools report a broken pyproject.toml
    tool = data.get("tool")
    return isinstance(tool, dict) and isinstance(tool.get("checks"), dict)


def pytest_configure(config: pytest.Config) -> None:
    if not is_active(config):
        return
    from checks.pytest_plugin import hooks, steps

    # Registered now, not by entry point: pytest_configure is a historic hook, so the hooks module's own
    # pytest_configure runs as soon as it is registered.
    config.pluginmanager.register(steps, "checks-steps")
    config.pluginmanager.register(hooks, "checks-hooks")
