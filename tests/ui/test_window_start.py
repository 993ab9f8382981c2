"""The app's window paints its articles first and builds the rest (docks, menus, toolbar,
status bar, claims table, inspector) right after that first paint: then it is the same
window as one built whole, its shortcuts work as soon as it shows, and its saved layout
is restored."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QEvent, QObject, QSettings, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication, QDockWidget, QToolBar
from pytestqt.qtbot import QtBot

from ui.app import seed_project
from ui.app_settings import AppSettings
from ui.main_window import MainWindow

from .helpers import activate

SELECTABLE = Qt.TextInteractionFlag.TextSelectableByMouse
ELIDE_RIGHT = Qt.TextElideMode.ElideRight


def _settings(tmp_path: Path) -> AppSettings:
    return AppSettings(QSettings(str(tmp_path / "start.ini"), QSettings.Format.IniFormat))


def _parts(window: Any) -> list[str]:
    """What the user sees of a window besides its articles: menus with their shortcuts,
    docks, toolbars, the status line and the current claim."""
    parts = [
        f"{menu.text()}: "
        + ", ".join(
            f"{a.text()} [{' '.join(k.toString() for k in a.shortcuts())}] {a.isEnabled()}"
            for a in menu.menu().actions()
        )
        for menu in window.menuBar().actions()
    ]
    parts += sorted(
        f"{d.objectName()} {window.dockWidgetArea(d).name} {d.isVisibleTo(window)}"
        for d in window.findChildren(QDockWidget)
    )
    parts += [
        f"{t.objectName()} {[a.text() for a in t.actions()]}" for t in window.findChildren(QToolBar)
    ]
    parts.append(f"{window.windowTitle()} {window.current_claim} {window.statusBar().isVisible()}")
    return parts


class _FirstPaint(QObject):
    """Notes, at the first paint of article A, whether the docks were built yet, and
    the text and claims the pane showed."""

    def __init__(self, window: Any) -> None:
        super().__init__()
        self.window = window
        self.docks_built: bool | None = None
        self.shown: tuple[str, int, int] | None = None

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint and self.docks_built is None:
            self.docks_built = "claims_dock" in vars(self.window)
            view = self.window.panes["a"].view
            self.shown = (view.toPlainText(), len(view.claims), view.document().revision())
        return False


def test_the_articles_paint_before_the_rest_is_built_then_all_is_as_built_whole(
    qtbot: QtBot, tmp_path: Path, make_window: Callable[..., Any]
) -> None:
    whole = make_window(settings=_settings(tmp_path / "whole"))
    window = MainWindow(
        seed_project(), settings=_settings(tmp_path / "app"), match_after_paint=True
    )
    qtbot.addWidget(window)
    assert window.panes["a"].view.toPlainText() == whole.panes["a"].view.toPlainText()
    watch = _FirstPaint(window)
    window.panes["a"].view.viewport().installEventFilter(watch)
    window.show()
    qtbot.waitUntil(lambda: watch.docks_built is not None)
    assert watch.docks_built is False
    # The text alone: the claims are marked (and the ribbons drawn) right after, on the
    # document laid out for that paint (not set again).
    text, claims, revision = watch.shown or ("", -1, -1)
    assert (text, claims) == (whole.panes["a"].view.toPlainText(), 0)
    qtbot.waitUntil(lambda: "claims_dock" in vars(window))
    for side in ("a", "b"):
        assert window.panes[side].view.claims == whole.panes[side].view.claims != ()
        assert window.panes[side].view.decoration_count == whole.panes[side].view.decoration_count
    assert window.panes["a"].view.document().revision() == revision
    for pane in window.panes.values():  # headers elided, and selectable, as built whole
        for label in (pane.title, pane.source):
            width = max(10, label.width() - 4)
            elided = label.fontMetrics().elidedText(label.full_text(), ELIDE_RIGHT, width)
            assert label.text() == elided
            assert label.textInteractionFlags() == SELECTABLE
    qtbot.waitUntil(lambda: window.statusBar().isVisible())
    assert _parts(window) == _parts(whole)
    assert window.current_claim == "a:0"


def test_a_part_asked_for_before_the_first_paint_is_built_then(qtbot: QtBot) -> None:
    window = MainWindow(seed_project(), match_after_paint=True)
    qtbot.addWidget(window)
    assert "match_controls" not in vars(window)
    assert not window.match_controls.is_running()  # built now, matching after the paint
    assert "inspector" in vars(window) and window.current_claim == "a:0"


def test_shortcuts_work_as_soon_as_the_window_shows(
    qtbot: QtBot, make_window: Callable[..., Any]
) -> None:
    window = make_window(match_after_paint=True)
    activate(window, qtbot)
    qtbot.keyClick(window.panes["a"].view, Qt.Key.Key_J)  # from the first claim, selected
    assert window.current_claim == "a:1"
    qtbot.keyClick(window.panes["a"].view, Qt.Key.Key_K)
    assert window.current_claim == "a:0"


def test_input_before_the_first_paint_builds_the_window_first(qtbot: QtBot) -> None:
    window = MainWindow(seed_project(), match_after_paint=True)
    qtbot.addWidget(window)
    assert "actions_by_name" not in vars(window)
    press = QKeyEvent(
        QEvent.Type.ShortcutOverride, Qt.Key.Key_J, Qt.KeyboardModifier.NoModifier, "j"
    )
    QApplication.sendEvent(window.panes["a"].view, press)
    assert "actions_by_name" in vars(window)
    assert window.actions_by_name["next"].shortcuts()[0].toString() == "J"


def test_the_saved_layout_is_restored_as_in_a_window_built_whole(
    qtbot: QtBot, tmp_path: Path, make_window: Callable[..., Any]
) -> None:
    settings = _settings(tmp_path)
    first = make_window(settings=settings)
    first.addDockWidget(Qt.DockWidgetArea.LeftDockWidgetArea, first.inspector_dock)
    first.resize(760, 640)  # within the offscreen screen (800 × 800)
    qtbot.waitUntil(lambda: first.inspector_dock.x() == 0)
    settings.save_window(first)
    whole = make_window(settings=settings)
    again = make_window(settings=settings, match_after_paint=True)
    qtbot.waitUntil(lambda: "inspector_dock" in vars(again))
    assert again.dockWidgetArea(again.inspector_dock) is Qt.DockWidgetArea.LeftDockWidgetArea
    assert again.size() == whole.size() == first.size()

    def docks(window: Any) -> list[tuple[str, Any]]:
        found = window.findChildren(QDockWidget)
        return sorted((d.objectName(), d.geometry().getRect()) for d in found if d.isVisible())

    qtbot.waitUntil(lambda: docks(again) == docks(whole))


def test_the_article_views_select_with_the_mouse_only_and_take_focus(qtbot: QtBot) -> None:
    # (What setReadOnly gives: the views set no flags of their own, see ArticleView.)
    window = MainWindow(seed_project(), match_after_paint=True)
    qtbot.addWidget(window)
    for pane in window.panes.values():
        assert pane.view.textInteractionFlags() == SELECTABLE
        assert pane.view.focusPolicy() == Qt.FocusPolicy.StrongFocus
