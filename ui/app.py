"""``factcheck-gui``: the desktop app's entry point.

* no argument: the bundled seed pair (``seeds/`` next to the package),
* ``A B``: two article files,
* ``P``: a project file (``*.factcheck.json``).

A bad command line shows a dialog (and says it on stderr) and exits with status 2;
a file that cannot be read does the same with status 1. Never a traceback.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QApplication, QMessageBox

from factcheck.errors import FactcheckError

from .project_io import is_project_path, new_project, open_project_file, project_from_files

if TYPE_CHECKING:
    import argparse

    from factcheck.models import Project
    from factcheck.projectfile import FileStamp

APP_NAME = "factcheck"
ORGANIZATION = "factcheck"


class UsageError(Exception):
    """The command line is wrong; the message says how."""


def parse_args(argv: Sequence[str]) -> argparse.Namespace:
    import argparse  # (not for create_window: the window's start)

    parser = argparse.ArgumentParser(
        prog="factcheck-gui",
        description="Compare two news articles claim by claim.",
        exit_on_error=False,
    )
    parser.add_argument("files", nargs="*", help="nothing (sample pair), A B, or a project")
    try:
        args, unknown = parser.parse_known_args(list(argv))
    except argparse.ArgumentError as error:
        raise UsageError(str(error)) from None
    # Qt's own options (-platform, -style…) were consumed by QApplication before us.
    options = [u for u in unknown if u.startswith("-")]
    if options:
        raise UsageError(f"unknown option: {' '.join(options)}")
    if unknown or len(args.files) > 2:
        raise UsageError(
            "expected no file (the sample pair), two article files, or one project file; "
            f"got {len(args.files) + len(unknown)}"
        )
    return args


def seed_project(config: Any = None) -> Project:
    from factcheck.seeds import seed_pair

    try:
        a, b = seed_pair()
    except FactcheckError as error:
        raise FactcheckError(
            f"{error}. The sample articles ship in the source tree's seeds/ folder; "
            "install factcheck in development mode (pip install -e .) or set FACTCHECK_SEEDS, "
            "or pass two article files."
        ) from None
    return new_project(a, b, config)


def project_for(
    files: Sequence[str], config: Any = None
) -> tuple[Project, Path | None, FileStamp | None]:
    """What the command line asks to open, the file it came from and that file's stamp
    (raises UsageError or FactcheckError)."""
    if not files:
        return seed_project(config), None, None
    if len(files) == 1:
        path = Path(files[0])
        if not is_project_path(path):
            raise UsageError(
                f"{path}: one file must be a project (*.factcheck.json); "
                "to compare two articles give both files"
            )
        project, stamp = open_project_file(path)
        return project, path, stamp
    return project_from_files(files[0], files[1], config), None, None


def _fail(title: str, message: str, status: int) -> int:
    from .mnemonics import critical

    print(f"factcheck-gui: {message}", file=sys.stderr)
    critical(None, title, message)
    return status


def offer_recovery(window: Any, recovery: Any) -> bool:
    """Ask to restore the newest recovery file; True when one was restored."""
    from .mnemonics import critical, question

    pending = recovery.pending()
    if not pending:
        return False
    newest = max(pending, key=lambda r: str(r.saved_at))
    answer = question(
        window,
        "Restore unsaved work?",
        f"factcheck was closed without saving “{newest.project_name or 'a comparison'}” "
        f"(autosaved {newest.saved_at}). Restore it?",
        QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
        QMessageBox.StandardButton.Yes,
    )
    if answer != QMessageBox.StandardButton.Yes:
        for item in pending:
            recovery.discard(item.path)
        return False
    try:
        project = recovery.load(newest.path)
    except FactcheckError as error:
        critical(window, "Cannot restore", str(error))
        return False
    # Saving then goes back to the file the work belonged to (Ctrl+S, not Save as).
    window.load_project(
        project, path=newest.project_path, stamp=newest.project_stamp, modified=True
    )
    for item in pending:
        recovery.discard(item.path)
    return True


def create_window(files: Sequence[str]) -> Any:
    """The window for a command line (raises UsageError or FactcheckError)."""
    from .app_settings import AppSettings
    from .main_window import MainWindow
    from .recovery import RecoveryManager

    settings = AppSettings()
    project, path, stamp = project_for(files, settings.match_config())
    recovery = RecoveryManager()
    window = MainWindow(
        project,
        path=path,
        stamp=stamp,
        settings=settings,
        recovery=recovery,
        match_after_paint=True,
    )
    if path is not None:
        settings.add_recent(str(path))
    return window, recovery


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    QCoreApplication.setOrganizationName(ORGANIZATION)
    QCoreApplication.setApplicationName(APP_NAME)
    app = QApplication.instance()
    if app is None:
        app = QApplication([sys.argv[0], *argv])
        argv = app.arguments()[1:]  # without the Qt options it consumed (-platform…)
    try:
        args = parse_args(argv)
        window, recovery = create_window(args.files)
    except UsageError as error:
        return _fail("factcheck: wrong arguments", f"{error}\n\nusage: factcheck-gui [A B | P]", 2)
    except FactcheckError as error:
        return _fail("factcheck: cannot open", str(error), 1)
    window.show()
    if recovery is not None:
        offer_recovery(window, recovery)
    return app.exec()


if __name__ == "__main__":
    sys.exit(main())
