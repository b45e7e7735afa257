"""The shape of the package: import directions (import-linter contracts in pyproject.toml), the public API, and a
verdict-cache fingerprint that covers the whole engine without a hand-kept list."""

from __future__ import annotations

import importlib
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import checks
from checks import cache

ROOT = Path(__file__).resolve().parents[1]


def test_import_contracts_hold() -> None:
    command = shutil.which("lint-imports") or str(Path(sys.executable).with_name("lint-imports"))
    done = subprocess.run([command, "--config", str(ROOT / "pyproject.toml")], cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "0 broken" in done.stdout and "6 kept" in done.stdout


def test_the_fingerprint_covers_every_engine_module() -> None:
    covered = {name for name, _ in cache._engine_files()}
    on_disk = {
        f"engine/{p.relative_to(ROOT / 'checks' / 'engine')}" for p in (ROOT / "checks" / "engine").rglob("*.py")
    }
    assert on_disk and on_disk <= covered
    assert {"models.py", "config.py", "verdicts.py"} <= covered


def test_the_fingerprint_changes_with_any_engine_file(monkeypatch: pytest.MonkeyPatch) -> None:
    files = cache._engine_files()
    before = cache.engine_fingerprint.__wrapped__()
    for index in range(len(files)):
        changed = [(n, d + b"#" if i == index else d) for i, (n, d) in enumerate(files)]
        monkeypatch.setattr(cache, "_engine_files", lambda changed=changed: changed)
        assert cache.engine_fingerprint.__wrapped__() != before, files[index][0]


def test_public_api_is_curated_and_lazy() -> None:
    assert sorted(checks.__all__) == checks.__all__ or set(checks.__all__) == set(dir(checks))
    for name in checks.__all__:
        assert getattr(checks, name) is not None
    with pytest.raises(AttributeError):
        checks.no_such_name  # noqa: B018
    done = subprocess.run(
        [sys.executable, "-c", "import sys, checks; print([m for m in ('numpy', 'rapidfuzz') if m in sys.modules])"],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    assert done.stdout.strip() == "[]"


def test_the_readme_example_uses_only_the_public_api() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    example = readme.split("```python\n", 1)[1].split("```", 1)[0]
    imported = {name.strip() for line in example.splitlines() if line.startswith("from checks import")
                for name in line.removeprefix("from checks import").split(",")}  # fmt: skip
    assert imported and imported <= set(checks.__all__)
    assert "from checks." not in example


def test_test_data_is_not_in_the_package() -> None:
    with pytest.raises(ModuleNotFoundError):
        importlib.import_module("checks.synthetic")
