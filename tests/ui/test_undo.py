"""Undo and redo restore the project exactly: verdicts, notes (typed in one go, undone
in one step), link decisions and links made by hand. Keys are real key presses."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from factcheck.models import LinkState, Project, Verdict

from .helpers import normalised

Key = Qt.Key
CTRL = Qt.KeyboardModifier.ControlModifier
CTRL_SHIFT = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier


def _state(window: Any) -> Project:
    return normalised(window.store.project())


def _undo(qtbot: QtBot, widget: Any, times: int = 1) -> None:
    for _ in range(times):
        qtbot.keyClick(widget, Key.Key_Z, CTRL)


def _redo(qtbot: QtBot, widget: Any, times: int = 1) -> None:
    for _ in range(times):
        qtbot.keyClick(widget, Key.Key_Z, CTRL_SHIFT)


def _claim_with_match(window: Any) -> tuple[str, str]:
    for claim in window.store.claims("a"):
        best = window._index.best(claim.id)
        if best is not None:
            return claim.id, best.claim_id
    raise AssertionError("the seed pair has matches")


def test_verdicts_undo_and_redo_exactly(window: Any, qtbot: QtBot) -> None:
    view = window.panes["a"].view
    before = _state(window)
    qtbot.keyClick(view, Key.Key_1)
    qtbot.keyClick(view, Key.Key_J)
    qtbot.keyClick(view, Key.Key_2)
    qtbot.keyClick(view, Key.Key_3)  # a second change to the same claim: its own step
    after = _state(window)
    assert window.undo_stack.count() == 3
    _undo(qtbot, view)
    assert window.store.annotation("a:1").verdict is Verdict.CONTESTED
    _undo(qtbot, view, 2)
    assert _state(window) == before
    assert window.store.verdict_counts()[Verdict.UNREVIEWED] == len(window.store.all_claims())
    _redo(qtbot, view, 3)
    assert _state(window) == after, "redo replays the same annotations, times included"
    assert window.panes["a"].view.selected == "a:1"


def test_a_note_typed_in_one_go_is_one_undo_step(window: Any, qtbot: QtBot) -> None:
    view, note = window.panes["a"].view, window.inspector.note
    qtbot.keyClick(view, Key.Key_2)
    before = _state(window)
    steps = window.undo_stack.count()
    qtbot.keyClick(view, Key.Key_N)
    qtbot.keyClicks(note, "Figures differ: 40 vs 45")
    typed = _state(window)
    assert window.store.annotation("a:0").note == "Figures differ: 40 vs 45"
    assert window.undo_stack.count() == steps + 1
    _undo(qtbot, note)  # Ctrl+Z in the note editor reaches the window's stack
    assert _state(window) == before
    assert note.toPlainText() == ""
    assert window.store.annotation("a:0").verdict is Verdict.CONTESTED
    _redo(qtbot, note)
    assert _state(window) == typed
    assert note.toPlainText() == "Figures differ: 40 vs 45"


def test_notes_on_two_claims_are_two_steps(window: Any, qtbot: QtBot) -> None:
    view, note = window.panes["a"].view, window.inspector.note
    before = _state(window)
    qtbot.keyClick(view, Key.Key_N)
    qtbot.keyClicks(note, "first")
    qtbot.keyClick(note, Key.Key_Escape)
    qtbot.keyClick(view, Key.Key_J)
    qtbot.keyClick(view, Key.Key_N)
    qtbot.keyClicks(note, "second")
    assert window.undo_stack.count() == 2
    _undo(qtbot, note)
    assert window.store.annotation("a:1").note == ""
    assert window.store.annotation("a:0").note == "first"
    _undo(qtbot, note)
    assert _state(window) == before


@pytest.mark.parametrize(
    ("key", "state"), [(Key.Key_C, LinkState.CONFIRMED), (Key.Key_X, LinkState.REJECTED)]
)
def test_confirm_and_reject_undo_exactly(
    window: Any, qtbot: QtBot, key: Qt.Key, state: LinkState
) -> None:
    a_id, b_id = _claim_with_match(window)
    window.select_claim(a_id)
    view = window.panes["a"].view
    assert window.store.link_state(a_id, b_id) is LinkState.SUGGESTED
    before = _state(window)
    qtbot.keyClick(view, key)
    assert window.store.link_state(a_id, b_id) is state
    after = _state(window)
    assert after.links != before.links
    _undo(qtbot, view)
    assert _state(window) == before
    assert window.store.link_state(a_id, b_id) is LinkState.SUGGESTED
    _redo(qtbot, view)
    assert _state(window) == after


def test_manual_link_undoes_exactly(window: Any, qtbot: QtBot) -> None:
    view_b = window.panes["b"].view
    index = window._index
    a_id = "a:0"
    b_id = next(c.id for c in window.store.claims("b") if index.state(a_id, c.id) is None)
    window.select_claim(a_id)
    # Ctrl+click in B selects there without moving A's selection.
    view_b.scroll_to_claim(b_id)
    point = view_b.claim_rects(b_id)[0].center().toPoint()
    qtbot.mouseClick(view_b.viewport(), Qt.MouseButton.LeftButton, CTRL, point)
    assert (window.selected_in("a"), window.selected_in("b")) == (a_id, b_id)
    before = _state(window)
    qtbot.keyClick(view_b, Key.Key_L, CTRL)
    assert window.store.link_state(a_id, b_id) is LinkState.MANUAL
    assert window.chosen_match == a_id
    after = _state(window)
    _undo(qtbot, view_b)
    assert _state(window) == before
    assert window._index.state(a_id, b_id) is None
    _redo(qtbot, view_b)
    assert _state(window) == after
    assert any((r.a_id, r.b_id) == (a_id, b_id) for r in window.link_view.ribbons())
