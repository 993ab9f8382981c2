"""Keyboard triage: real key presses on the window's widgets move between claims and
panes, set verdicts and type notes."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QApplication, QMenu
from pytestqt.qtbot import QtBot

from factcheck.models import Verdict

from .helpers import activate

Key = Qt.Key


@pytest.fixture
def window(make_window: Callable[..., Any], qtbot: QtBot) -> Any:
    window = make_window()
    activate(window, qtbot)
    window.panes["a"].view.setFocus()
    assert window.current_claim == "a:0"
    return window


def _verdict(window: Any, claim_id: str | None = None) -> Verdict:
    return window.store.annotation(claim_id or window.current_claim).verdict


def test_j_k_and_arrows_step_through_the_pane(window: Any, qtbot: QtBot) -> None:
    view = window.panes["a"].view
    visited = []
    for key in (Key.Key_J, Key.Key_Down, Key.Key_J, Key.Key_K, Key.Key_Up, Key.Key_Up, Key.Key_K):
        qtbot.keyClick(view, key)
        visited.append(window.current_claim)
    assert visited == ["a:1", "a:2", "a:3", "a:2", "a:1", "a:0", "a:0"]
    assert view.selected == "a:0"
    assert window.claim_panel.table.currentIndex().data() == "A"
    # The other pane follows to the best match of each claim that has one.
    with_match = next(c.id for c in window.store.claims("a") if window._index.best(c.id))
    while window.current_claim != with_match:
        qtbot.keyClick(view, Key.Key_J)
    assert window.panes["b"].view.selected == window._index.best(with_match).claim_id


def test_number_keys_set_each_verdict(window: Any, qtbot: QtBot) -> None:
    view = window.panes["a"].view
    total = len(window.store.all_claims())
    expected = {
        Key.Key_1: Verdict.SUPPORTED,
        Key.Key_2: Verdict.CONTESTED,
        Key.Key_3: Verdict.OPINION,
        Key.Key_0: Verdict.UNREVIEWED,
    }
    for key, verdict in expected.items():
        qtbot.keyClick(view, key)
        assert _verdict(window, "a:0") is verdict
    qtbot.keyClick(view, Key.Key_1)
    qtbot.keyClick(view, Key.Key_J)
    qtbot.keyClick(view, Key.Key_2)
    qtbot.keyClick(view, Key.Key_J)
    qtbot.keyClick(view, Key.Key_3)
    assert [_verdict(window, f"a:{i}") for i in range(3)] == [
        Verdict.SUPPORTED,
        Verdict.CONTESTED,
        Verdict.OPINION,
    ]
    assert window.match_controls.counts.text() == (
        f"3 of {total} claims reviewed · 1 supported · 1 contested · 1 opinion"
    )
    assert window.actions_by_name["verdict_opinion"].isChecked()


def test_note_key_focuses_the_note_and_typing_writes_it(window: Any, qtbot: QtBot) -> None:
    view = window.panes["a"].view
    qtbot.keyClick(view, Key.Key_J)
    qtbot.keyClick(view, Key.Key_N)
    note = window.inspector.note
    assert QApplication.focusWidget() is note
    # Digits and j/k are text here, not shortcuts.
    qtbot.keyClicks(note, "Checked 2 sources, ok")
    assert window.store.annotation("a:1").note == "Checked 2 sources, ok"
    assert window.current_claim == "a:1"
    assert _verdict(window) is Verdict.UNREVIEWED
    qtbot.keyClick(note, Key.Key_Escape)
    assert QApplication.focusWidget() is view
    qtbot.keyClick(view, Key.Key_J)
    assert window.current_claim == "a:2"
    assert note.toPlainText() == ""


def test_search_box_takes_printable_keys(window: Any, qtbot: QtBot) -> None:
    search = window.claim_panel.search
    search.setFocus()
    qtbot.keyClicks(search, "1jk")
    assert search.text() == "1jk"
    assert window.current_claim == "a:0"
    assert _verdict(window, "a:0") is Verdict.UNREVIEWED


def test_next_unreviewed_skips_reviewed_claims_and_crosses_panes(window: Any, qtbot: QtBot) -> None:
    view_a, view_b = window.views()
    qtbot.keyClick(view_a, Key.Key_1)
    qtbot.keyClick(view_a, Key.Key_J)
    qtbot.keyClick(view_a, Key.Key_2)
    qtbot.keyClick(view_a, Key.Key_K)
    qtbot.keyClick(view_a, Key.Key_U)
    assert window.current_claim == "a:2"
    # With every claim of A reviewed, the next unreviewed one is B's first.
    for claim in window.store.claims("a"):
        window.store.set_verdict(claim.id, Verdict.OPINION)
    qtbot.keyClick(view_a, Key.Key_U)
    assert window.current_claim == "b:0"
    assert QApplication.focusWidget() is view_b


def test_switch_pane_and_go_to_pane(window: Any, qtbot: QtBot) -> None:
    view_a, view_b = window.views()
    qtbot.keyClick(view_a, Key.Key_S)
    assert window.current_claim.startswith("b:")
    assert QApplication.focusWidget() is view_b
    first_b = window.current_claim
    # Shift+J steps without moving the other pane's selection.
    qtbot.keyClick(view_b, Key.Key_J, Qt.KeyboardModifier.ShiftModifier)
    assert window.current_claim == f"b:{int(first_b[2:]) + 1}"
    assert window.panes["a"].view.selected == "a:0"
    qtbot.keyClick(view_b, Key.Key_Left)
    assert window.current_claim == "a:0"
    assert QApplication.focusWidget() is view_a
    qtbot.keyClick(view_a, Key.Key_L)
    assert window.current_claim.startswith("b:")
    qtbot.keyClick(view_b, Key.Key_H)
    assert window.current_claim == "a:0"
    qtbot.keyClick(view_a, Key.Key_Right)
    assert QApplication.focusWidget() is view_b
    qtbot.keyClick(view_b, Key.Key_3)
    assert _verdict(window) is Verdict.OPINION
    assert window.current_claim.startswith("b:")


def test_every_action_is_in_a_menu_with_its_shortcut_shown(window: Any) -> None:
    in_menus = set()
    for menu in window.menuBar().findChildren(QMenu):
        in_menus.update(id(a) for a in menu.actions())
    for name, action in window.actions_by_name.items():
        assert id(action) in in_menus, name
        for key in action.shortcuts():
            shown = key.toString(QKeySequence.SequenceFormat.NativeText)
            assert shown in action.toolTip(), name
    for name in ("next", "previous", "verdict_supported", "note", "confirm", "undo", "redo"):
        assert window.actions_by_name[name].shortcuts(), name
