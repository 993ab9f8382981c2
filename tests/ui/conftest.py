"""Fixtures for window tests: settings and recovery files in tmp folders, never the
user's own; windows registered with qtbot and closed without prompts."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import shiboken6
from PySide6.QtCore import QCoreApplication, QSettings
from PySide6.QtWidgets import QApplication, QMessageBox
from pytestqt.qtbot import QtBot

from factcheck.models import Project
from ui.app_settings import AppSettings
from ui.recovery import RecoveryManager


@pytest.fixture(autouse=True)
def private_settings(tmp_path: Path) -> Iterator[Path]:
    """Any QSettings() made during a test writes under tmp_path."""
    folder = tmp_path / "qsettings"
    QCoreApplication.setOrganizationName("factcheck-tests")
    QCoreApplication.setApplicationName("factcheck-tests")
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    for scope in (QSettings.Scope.UserScope, QSettings.Scope.SystemScope):
        QSettings.setPath(QSettings.Format.IniFormat, scope, str(folder))
    yield folder


def _shown_top_level_widgets() -> dict[int, str]:
    return {
        shiboken6.getCppPointer(w)[0]: f"{type(w).__name__} {w.objectName()!r} {w.windowTitle()!r}"
        for w in QApplication.topLevelWidgets()
        if w.isVisible()
    }


@pytest.fixture(autouse=True)
def no_leftover_widgets(qapp: QApplication) -> Iterator[None]:
    """No window or dialog a test showed is still on screen after it (as napari's
    ``strict_qt``): one nobody registered with qtbot or closed fails the test instead of
    leaking into the next ones (pytest-qt closed the registered ones before this runs)."""
    before = _shown_top_level_widgets()
    yield
    qapp.processEvents()
    left = [name for key, name in _shown_top_level_widgets().items() if key not in before]
    assert not left, f"top-level widgets left on screen: {left}"


@pytest.fixture
def recovery_dir(tmp_path: Path) -> Path:
    return tmp_path / "recovery"


def _settings(tmp_path: Path) -> AppSettings:
    return AppSettings(QSettings(str(tmp_path / "app.ini"), QSettings.Format.IniFormat))


def _recovery(folder: Path) -> RecoveryManager:
    return RecoveryManager(folder)


@pytest.fixture
def make_window(
    qtbot: QtBot, tmp_path: Path, recovery_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Callable[..., Any]]:
    """Build a MainWindow (default: the seed pair), shown and registered with qtbot."""
    from ui.app import seed_project
    from ui.main_window import MainWindow

    windows: list[Any] = []
    # pytest-qt closes a failed test's widgets before fixture teardown: never let the
    # unsaved-changes prompt block that. Tests of the prompt patch it themselves.
    discard = lambda *_a, **_k: QMessageBox.StandardButton.Discard  # noqa: E731
    monkeypatch.setattr(QMessageBox, "question", discard)

    def make(project: Project | None = None, path: Path | None = None, **kwargs: Any) -> Any:
        kwargs.setdefault("settings", _settings(tmp_path))
        kwargs.setdefault("recovery", _recovery(recovery_dir))
        window = MainWindow(project or seed_project(), path=path, **kwargs)
        qtbot.addWidget(window)
        window.show()
        qtbot.waitExposed(window)
        windows.append(window)
        return window

    yield make
    # A test that answered Cancel to the prompt would keep its window open.
    monkeypatch.setattr(QMessageBox, "question", discard)
    for window in windows:
        window.match_controls.cancel()
        window.close()


@pytest.fixture
def window(make_window: Callable[..., Any], qtbot: QtBot) -> Any:
    """The seed pair's window, active, with the keyboard focus in article A's pane
    (test modules that need another window define their own ``window``)."""
    from .helpers import activate

    window = make_window()
    activate(window, qtbot)
    window.panes["a"].view.setFocus()
    return window


#: The offscreen platform plugin cannot pass a top-level window's size constraints to a
#: window system (there is none) and says so at warning level whenever a layout changes
#: them. It is not a fault of ours; every other Qt warning still fails the test.
OFFSCREEN_SIZE_HINTS = r"This plugin does not support propagateSizeHints\(\)"


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "tests/ui/" in str(item.fspath).replace("\\", "/"):
            item.add_marker(pytest.mark.qt_log_ignore(OFFSCREEN_SIZE_HINTS))


from tests.library_fixtures import (  # noqa: E402, F401
    library_url,
    pgvector_server,
    pgvector_url,
    postgres_server,
    postgres_url,
)
