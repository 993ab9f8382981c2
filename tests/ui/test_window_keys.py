"""The window by keyboard: mnemonics in message boxes, zoom (persisted), the Help menu,
and a window that fits the screen."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QSettings, Qt, QTimer
from PySide6.QtWidgets import QApplication, QDockWidget, QMessageBox
from pytestqt.qtbot import QtBot

from .helpers import activate

Key = Qt.Key
CTRL = Qt.KeyboardModifier.ControlModifier
ALT = Qt.KeyboardModifier.AltModifier
_Button = QMessageBox.StandardButton


def test_message_box_buttons_have_mnemonics_that_work(qtbot: QtBot) -> None:
    from ui.mnemonics import question

    seen: list[list[str]] = []

    def answer_with_alt_d() -> None:
        box = QApplication.activeModalWidget()
        assert isinstance(box, QMessageBox)
        seen.append(sorted(b.text() for b in box.buttons()))
        box.activateWindow()  # mnemonics are shortcuts of the active window
        qtbot.waitUntil(box.isActiveWindow)
        qtbot.keyClick(box, Key.Key_D, ALT)

    QTimer.singleShot(0, answer_with_alt_d)
    answer = question(
        None, "Unsaved changes", "Save?", _Button.Save | _Button.Discard | _Button.Cancel
    )
    assert answer == _Button.Discard
    (texts,) = seen
    assert all("&" in t for t in texts)
    letters = [t[t.index("&") + 1].lower() for t in texts]
    assert len(set(letters)) == len(letters)


@pytest.fixture
def window(make_window: Callable[..., Any], qtbot: QtBot) -> Any:
    window = make_window()
    activate(window, qtbot)
    window.panes["a"].view.setFocus()
    return window


def test_zoom_keys_change_the_panes_font_and_are_remembered(
    window: Any, qtbot: QtBot, make_window: Callable[..., Any]
) -> None:
    view_a, view_b = window.views()
    usual = view_a.font().pointSizeF()
    qtbot.keyClick(view_a, Key.Key_Equal, CTRL)
    qtbot.keyClick(view_a, Key.Key_Equal, CTRL)
    assert view_a.font().pointSizeF() == usual + 2 == view_b.font().pointSizeF()
    qtbot.keyClick(view_a, Key.Key_Minus, CTRL)
    assert view_a.font().pointSizeF() == usual + 1
    assert window.settings.zoom() == 1
    again = make_window(settings=window.settings)  # the next start
    assert again.views()[0].font().pointSizeF() == usual + 1
    qtbot.keyClick(view_a, Key.Key_0, CTRL)
    assert view_a.font().pointSizeF() == usual and window.settings.zoom() == 0
    assert window.store.annotation(window.current_claim).verdict.value == "unreviewed"


def test_f1_shows_every_shortcut(
    window: Any, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    from ui.actions import shortcut_table
    from ui.help_dialog import ShortcutsDialog

    shown: list[str] = []
    monkeypatch.setattr(
        ShortcutsDialog, "exec", lambda self: shown.append(self.table.toPlainText()) or 0
    )
    qtbot.keyClick(window.panes["a"].view, Key.Key_F1)
    (text,) = shown
    for _menu, action, keys in shortcut_table():
        assert action in text and keys in text
    assert "Alt+Down" in text and "Ctrl+0" in text
    about = window.actions_by_name["about"]
    assert about.parent() is window and "About" in about.text()


def test_the_window_fits_the_screen(make_window: Callable[..., Any], tmp_path: Path) -> None:
    from ui.app_settings import AppSettings
    from ui.window_size import available

    settings = AppSettings(QSettings(str(tmp_path / "big.ini"), QSettings.Format.IniFormat))
    window = make_window(settings=settings)
    area = available(window)
    assert window.frameGeometry().width() <= area.width()
    assert window.frameGeometry().height() <= area.height()
    # On a small screen the inspector and the library's dock share their column as tabs.
    library = window.findChild(QDockWidget, "libraryDock")
    assert library in window.tabifiedDockWidgets(window.inspector_dock)
    # A layout saved on a larger screen is brought back within this one.
    window.resize(area.width() + 600, area.height() + 400)
    window.move(area.right() - 50, area.bottom() - 50)
    settings.save_window(window)
    again = make_window(settings=settings)
    smallest = again.minimumSizeHint()  # the offscreen test screen is only 800 wide
    assert again.width() <= max(area.width(), smallest.width())
    assert again.height() <= max(area.height(), smallest.height())
    assert area.contains(again.geometry().topLeft())


def test_the_toolbar_is_reachable_by_keyboard(window: Any, qtbot: QtBot) -> None:
    controls = window.match_controls
    qtbot.keyClick(window.panes["a"].view, Key.Key_T, ALT)
    assert QApplication.focusWidget() is controls.threshold
    qtbot.keyClick(QApplication.focusWidget(), Key.Key_O, ALT)
    assert QApplication.focusWidget() is controls.scorer


def test_zooming_keeps_the_current_claim_in_view(window: Any, qtbot: QtBot) -> None:
    view = window.panes["a"].view
    short = [c for c in window.store.claims("a") if len(c.text) < 60]
    window.select_claim(short[-2].id)  # near the end, a line or two long
    assert view.is_claim_visible(window.current_claim)
    for _ in range(6):
        qtbot.keyClick(view, Key.Key_Equal, CTRL)
        qtbot.waitUntil(lambda: view.is_claim_visible(window.current_claim))
    qtbot.keyClick(view, Key.Key_0, CTRL)
    qtbot.waitUntil(lambda: view.is_claim_visible(window.current_claim))


def test_a_new_window_shows_several_rows_of_the_claims_table(window: Any, qtbot: QtBot) -> None:
    table = window.claim_panel.table
    rows = table.verticalHeader().defaultSectionSize()
    qtbot.waitUntil(lambda: table.viewport().height() >= 5 * rows)
    assert window.claims_dock.height() >= 180
