"""Keyboard everywhere: Esc leaves text fields, Down enters the search results, Ctrl+F
and Alt+1/Alt+2 bring their dock to the front, Tab moves on in the paste boxes."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QDialogButtonBox
from pytestqt.qtbot import QtBot

from .helpers import activate

Key = Qt.Key
CTRL = Qt.KeyboardModifier.ControlModifier
ALT = Qt.KeyboardModifier.AltModifier


@pytest.fixture
def window(make_window: Callable[..., Any], qtbot: QtBot) -> Any:
    window = make_window()
    activate(window, qtbot)
    window.panes["a"].view.setFocus()
    return window


def _focus() -> Any:
    return QApplication.focusWidget()


@pytest.mark.parametrize("field", ["search", "evidence", "tags"])
def test_esc_leaves_a_text_field_for_the_pane(window: Any, qtbot: QtBot, field: str) -> None:
    widget = {
        "search": window.claim_panel.search,
        "evidence": window.inspector.evidence,
        "tags": window.inspector.tags,
    }[field]
    if field == "search":
        qtbot.keyClick(window.panes["a"].view, Key.Key_F, CTRL)
    else:
        widget.setFocus()
    assert _focus() is widget
    qtbot.keyClicks(widget, "xyz")
    qtbot.keyClick(widget, Key.Key_Escape)
    assert _focus() is window.panes["a"].view
    if field != "search":  # what was typed is kept for the claim
        annotation = window.store.annotation(window.current_claim)
        assert ("xyz",) in (annotation.evidence, annotation.tags)


def test_down_from_the_search_box_enters_the_results(window: Any, qtbot: QtBot) -> None:
    qtbot.keyClick(window.panes["a"].view, Key.Key_F, CTRL)
    window.claim_panel.table.selectionModel().clear()
    qtbot.keyClicks(window.claim_panel.search, "Gaddafi")
    qtbot.keyClick(window.claim_panel.search, Key.Key_Down)
    table = window.claim_panel.table
    assert _focus() is table
    assert "Gaddafi" in window.store.claim(window.current_claim).text
    qtbot.keyClick(table, Key.Key_Down)
    assert "Gaddafi" in window.store.claim(window.current_claim).text
    qtbot.keyClick(table, Key.Key_Escape)
    assert _focus() is window.panes[window.current_claim[0]].view


def _in_front(dock: Any) -> bool:
    return dock.isVisible() and not dock.visibleRegion().isEmpty()


def test_ctrl_f_brings_the_claims_table_forward(window: Any, qtbot: QtBot) -> None:
    window.tabifyDockWidget(window.claims_dock, window.inspector_dock)
    window.inspector_dock.raise_()
    qtbot.waitUntil(lambda: _in_front(window.inspector_dock))
    assert not _in_front(window.claims_dock)
    qtbot.keyClick(window.panes["a"].view, Key.Key_F, CTRL)
    qtbot.waitUntil(lambda: _in_front(window.claims_dock))
    assert _focus() is window.claim_panel.search


def test_alt_1_and_alt_2_bring_their_dock_forward_then_close_it(window: Any, qtbot: QtBot) -> None:
    window.tabifyDockWidget(window.claims_dock, window.inspector_dock)
    view = window.panes["a"].view
    window.inspector_dock.raise_()
    qtbot.waitUntil(lambda: _in_front(window.inspector_dock))
    qtbot.keyClick(view, Key.Key_1, ALT)  # behind a tab: forward, not closed
    qtbot.waitUntil(lambda: _in_front(window.claims_dock))
    assert window.actions_by_name["show_claims"].isChecked()
    qtbot.keyClick(view, Key.Key_2, ALT)
    qtbot.waitUntil(lambda: _in_front(window.inspector_dock))
    qtbot.keyClick(view, Key.Key_2, ALT)  # in front: closed
    assert window.inspector_dock.isHidden()
    assert not window.actions_by_name["show_inspector"].isChecked()
    qtbot.keyClick(view, Key.Key_2, ALT)  # closed: opened, in front
    qtbot.waitUntil(lambda: _in_front(window.inspector_dock))


def test_new_comparison_paste_boxes_tab_on_and_keep_text_on_esc(qtbot: QtBot) -> None:
    from ui.new_comparison import NewComparisonDialog

    dialog = NewComparisonDialog()
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    activate(dialog, qtbot)
    box = dialog.inputs[0].text
    box.setFocus()
    qtbot.keyClicks(box, "One.")
    qtbot.keyClick(box, Key.Key_Tab, CTRL)
    qtbot.keyClicks(box, "Two.")
    assert box.toPlainText() == "One.\tTwo."
    qtbot.keyClick(box, Key.Key_Tab)
    assert _focus() is not box and box.toPlainText() == "One.\tTwo."
    box.setFocus()
    qtbot.keyClick(box, Key.Key_Escape)
    assert dialog.isVisible() and box.toPlainText() == "One.\tTwo."
    ok = dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Ok)
    assert _focus() is ok
