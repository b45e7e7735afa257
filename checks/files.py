"""Atomic file writes: a reader (or a crashed run) never sees a half-written file."""

from __future__ import annotations

import ctypes
import errno
import os
import shutil
import signal
import tempfile
from collections.abc import Mapping
from pathlib import Path

from checks.errors import ConfigError

__all__ = [
    "FAULT_ENV",
    "confined_path",
    "relative_path",
    "replace_folder",
    "sweep_stale",
    "write_all_atomic",
    "write_atomic",
]


FAULT_ENV = "CHECKS_FAULT_KILL_AT"
"""Fault injection for the tests: ``CHECKS_FAULT_KILL_AT=3`` kills the process (SIGKILL) at the third step of
:func:`replace_folder`, to prove that a run killed at any point leaves a whole report set, old or new."""
_NEW, _OLD = ".new-", ".old-"


def _step(counter: list[int]) -> None:
    counter[0] += 1
    if os.environ.get(FAULT_ENV) == str(counter[0]):
        os.kill(os.getpid(), signal.SIGKILL)


def replace_folder(folder: Path, files: Mapping[str, bytes], *, keep: frozenset[str] = frozenset()) -> None:
    """Make ``folder`` hold exactly ``files`` (name → bytes), switching the whole set at once.

    The files are written in full into a new sibling folder, which then takes the place of ``folder`` in one
    atomic ``renameat2(RENAME_EXCHANGE)`` (Linux), so a reader, or a run killed at any moment, sees the old set or
    the new one, never a mix. Where the exchange is not available, the old folder is renamed aside and the new
    one into place: a reader then sees, for an instant, no folder at all, and :func:`sweep_stale` puts the old
    one back if the run died in between. Entries named in ``keep`` (``.gitkeep``) are carried over.
    """
    steps = [0]
    parent = folder.parent
    new = Path(tempfile.mkdtemp(dir=parent, prefix=f".{folder.name}{_NEW}{os.getpid()}-"))
    try:
        for name, data in files.items():
            _write_file(new / name, data)
            _step(steps)
        for name in keep:
            if (folder / name).is_file():
                shutil.copy2(folder / name, new / name)
        os.chmod(new, 0o755)
        _fsync_folder(new)
        _step(steps)
        if folder.exists() and _exchange(new, folder):
            _step(steps)
            shutil.rmtree(new)  # now the old set
        elif folder.exists():
            old = parent / f".{folder.name}{_OLD}{os.getpid()}"
            os.rename(folder, old)
            _step(steps)
            os.rename(new, folder)
            _step(steps)
            shutil.rmtree(old)
        else:
            os.rename(new, folder)
        _fsync_folder(parent)
    except BaseException:
        shutil.rmtree(new, ignore_errors=True)
        raise


def sweep_stale(folder: Path) -> None:
    """Remove what a killed :func:`replace_folder` left beside ``folder`` (folders of processes that are gone),
    putting the old set back first when the run died between the two renames of the fallback."""
    try:
        entries = list(folder.parent.iterdir())
    except OSError:
        return
    for entry in sorted(entries):
        for marker in (_NEW, _OLD):
            prefix = f".{folder.name}{marker}"
            if not entry.name.startswith(prefix):
                continue
            pid = entry.name.removeprefix(prefix).split("-", 1)[0]
            if pid.isdigit() and _alive(int(pid)):
                continue
            if marker == _OLD and not folder.exists():
                os.rename(entry, folder)
            else:
                shutil.rmtree(entry, ignore_errors=True)


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return False  # a folder of ours from before: this process is not writing it
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


def _exchange(a: Path, b: Path) -> bool:
    """Swap two folders atomically (Linux ``renameat2``); False where the system cannot."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    result = renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE)
    if result == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.EINVAL, errno.ENOSYS, errno.ENOTSUP, errno.EOPNOTSUPP):
        return False
    raise OSError(code, os.strerror(code), str(b))


def _write_file(path: Path, data: bytes) -> None:
    with open(path, "xb") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())
    os.chmod(path, 0o644)


def _fsync_folder(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


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
