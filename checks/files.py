"""Atomic file writes: a reader (or a crashed run) never sees a half-written file."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Mapping
from pathlib import Path

from checks.errors import ConfigError

__all__ = ["confined_path", "relative_path", "write_all_atomic", "write_atomic"]


def write_atomic(path: Path, data: bytes) -> None:
    """Write ``data`` to a temporary file beside ``path``, then rename it over ``path``."""
    tmp = _write_temp(path, data)
    try:
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_all_atomic(files: Mapping[Path, bytes]) -> None:
    """Replace every file, or none: each is first written in full beside its target; only then are they renamed
    into place, and a rename that fails puts back the files already replaced. Leaves no temporary files."""
    temps: dict[Path, str] = {}
    backups: dict[Path, str] = {}
    replaced: list[Path] = []
    try:
        for path, data in files.items():
            temps[path] = _write_temp(path, data)
        for path in files:
            if path.exists():
                backups[path] = _temp_name(path, ".bak")
                os.link(path, backups[path])
        for path in files:
            os.replace(temps[path], path)
            del temps[path]
            replaced.append(path)
    except BaseException:
        for path in reversed(replaced):
            if path in backups:
                os.replace(backups.pop(path), path)
            else:
                path.unlink(missing_ok=True)
        raise
    finally:
        for leftover in [*temps.values(), *backups.values()]:
            Path(leftover).unlink(missing_ok=True)


def _write_temp(path: Path, data: bytes) -> str:
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, 0o644)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return tmp


def _temp_name(path: Path, suffix: str) -> str:
    fd, name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=suffix)
    os.close(fd)
    os.unlink(name)
    return name


def relative_path(path: Path, root: Path) -> str:
    """``path`` relative to ``root`` as posix text (as written in reports), or as given when outside it."""
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return path.as_posix()


def confined_path(root: Path, value: str | Path, *, what: str, from_command_line: bool = False) -> Path:
    """``value`` (relative to ``root``) as a path that stays inside the project.

    A path written inside the project must also lead inside it once symbolic links are followed: a committed
    ``reports`` or ``corpus`` that is a link to ``/tmp`` or ``~`` is refused. A path written outside the project
    is refused when it comes from a file in the project (``[tool.checks]``, the ini options), which a pull request
    can change, and accepted only from the command line, where the operator chose it (the CI templates write the
    base branch's reports to the runner's temporary folder that way).
    """
    written = Path(os.path.normpath(root / value))
    if not written.is_relative_to(Path(os.path.normpath(root))):
        if from_command_line:
            return written
        raise ConfigError(
            f"{what} {value}: outside the project; paths in the project's configuration must stay inside it "
            "(an operator can pass another folder on the command line)"
        )
    resolved = written.resolve()
    if not resolved.is_relative_to(root.resolve()):
        raise ConfigError(
            f"{what} {value}: leads outside the project (a symbolic link to {resolved}); replace the link with a "
            "real folder or file inside the project"
        )
    return written
