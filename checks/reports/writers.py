"""Write every report of a run, all or nothing.

Each format is rendered to bytes first; only when all rendered does anything touch the disk. When the reports
folder holds only the harness's reports (and a ``.gitkeep``), the new set is written into a new folder that
takes the old one's place in one atomic exchange (:func:`checks.files.replace_folder`): a reader, or a run killed
at any moment, sees the whole previous set or the whole new one. A folder that also holds other files is
updated file by file instead: every file is written in full beside its target and only then renamed into place,
and a failed rename puts back what it replaced. Either way a crash or a full disk midway leaves the previous
reports as they were, and what a killed run left behind is swept at the next run.
"""

from __future__ import annotations

import errno
import gc
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

from checks.errors import ReportError
from checks.files import replace_folder, sweep_stale, write_all_atomic
from checks.reports.claimreview import render_claimreview
from checks.reports.cucumber import render_cucumber
from checks.reports.diff import Changes
from checks.reports.html import render_html
from checks.reports.junit import render_junit
from checks.reports.results import Results

__all__ = ["REPORT_FILES", "render_reports", "write_reports"]

REPORT_FILES = ("results.json", "report.html", "junit.xml", "cucumber.json", "claimreview.jsonld")
_KEPT = frozenset({".gitkeep"})
_OWN = frozenset(REPORT_FILES) | _KEPT
"""What a reports folder may hold for the whole set to be switched at once."""
_NO_SWITCH = frozenset({errno.EBUSY, errno.EXDEV, errno.EACCES, errno.EPERM})


def render_reports(results: Results, texts: Mapping[str, str], *, changes: Changes | None = None) -> dict[str, bytes]:
    """Every report as bytes, by file name. ``texts`` are the sources' texts, by id; ``changes`` what the run
    changed against a baseline (shown at the top of the HTML report)."""
    with _without_cycle_collection():
        return {
            "results.json": (results.model_dump_json(indent=2) + "\n").encode("utf-8"),
            "report.html": render_html(results, texts, changes=changes).encode("utf-8"),
            "junit.xml": render_junit(results),
            "cucumber.json": render_cucumber(results).encode("utf-8"),
            "claimreview.jsonld": render_claimreview(results, texts).encode("utf-8"),
        }


@contextmanager
def _without_cycle_collection() -> Iterator[None]:
    """Rendering allocates a great deal and frees it all at once: the cycle collector would walk every
    object of a large run again and again meanwhile (a third of the rendering time at 1,648 claims)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def write_reports(
    results: Results, directory: Path, texts: Mapping[str, str], *, changes: Changes | None = None
) -> list[Path]:
    """Render, then write every report into ``directory``; return the paths written."""
    rendered = render_reports(results, texts, changes=changes)
    try:
        directory.parent.mkdir(parents=True, exist_ok=True)
        sweep_stale(directory)
        ours = not directory.exists() or (
            directory.is_dir() and not directory.is_symlink() and {p.name for p in directory.iterdir()} <= _OWN
        )
    except OSError as exc:
        raise ReportError(f"cannot create {directory}: {exc.strerror}") from None
    files = {directory / name: data for name, data in rendered.items()}
    try:
        if ours:
            try:
                replace_folder(directory, rendered, keep=_KEPT)
            except OSError as exc:
                if exc.errno not in _NO_SWITCH:
                    raise
                write_all_atomic(files)  # a mount point, or a parent folder we may not write in
        else:
            write_all_atomic(files)
    except OSError as exc:
        where = f" {exc.filename}" if exc.filename else ""
        raise ReportError(f"cannot write{where}: {exc.strerror or exc}") from None
    return list(files)
