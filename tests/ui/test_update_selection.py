"""Updating an article (and undoing or redoing it) keeps the selected claim selected
where it still is: the same id on the article that did not change, the claim its
sentence moved to on the one that did; a claim whose sentence is gone leaves nothing
selected, cleanly."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from factcheck.models import Verdict
from ui.claim_table import CLAIM_ID_ROLE

from .helpers import text_without, update_quietly

Key = Qt.Key
CTRL = Qt.KeyboardModifier.ControlModifier
CTRL_SHIFT = CTRL | Qt.KeyboardModifier.ShiftModifier


def _press(qtbot: QtBot, window: Any, key: Key, times: int = 1) -> None:
    for _ in range(times):
        qtbot.keyClick(window.panes[window.current_side()].view, key)


def _shown_as_selected(window: Any, claim_id: str) -> None:
    """Every view agrees that ``claim_id`` is the current claim."""
    store = window.store
    side = claim_id.split(":", 1)[0]
    assert window.current_claim == claim_id
    assert window.panes[side].view.selected == claim_id
    assert window.panes[side].view.is_claim_visible(claim_id)
    assert window.claim_panel.table.currentIndex().data(CLAIM_ID_ROLE) == claim_id
    assert window.inspector.claim_text.text() == store.claim(claim_id).text


def test_a_moved_claim_stays_selected_through_update_undo_and_redo(
    window: Any, qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _press(qtbot, window, Key.Key_J, 40)
    assert window.current_claim == "a:40"
    old_store, text = window.store, window.store.claim("a:40").text
    new_a = text_without(window, tmp_path / "a2.txt", "a:3")  # a sentence before it

    update_quietly(window, "a", new_a, monkeypatch)
    assert window.store is not old_store
    assert window.store.claim("a:39").text == text
    _shown_as_selected(window, "a:39")

    view = window.panes["a"].view
    qtbot.keyClick(view, Key.Key_Z, CTRL)
    assert window.store is old_store
    _shown_as_selected(window, "a:40")
    qtbot.keyClick(view, Key.Key_Z, CTRL_SHIFT)
    _shown_as_selected(window, "a:39")
    # Navigation goes on from there.
    _press(qtbot, window, Key.Key_J)
    assert window.current_claim == "a:40"


def test_a_claim_of_the_other_article_keeps_its_id(
    window: Any, qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _press(qtbot, window, Key.Key_S)  # to pane B
    _press(qtbot, window, Key.Key_J, 3)
    claim_id = window.current_claim
    assert claim_id.startswith("b:")
    update_quietly(window, "a", text_without(window, tmp_path / "a2.txt", "a:3"), monkeypatch)
    _shown_as_selected(window, claim_id)
    qtbot.keyClick(window.panes["b"].view, Key.Key_Z, CTRL)
    _shown_as_selected(window, claim_id)


def test_a_deleted_claim_leaves_nothing_selected(
    window: Any, qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _press(qtbot, window, Key.Key_J, 3)
    assert window.current_claim == "a:3"
    new_a = text_without(window, tmp_path / "a2.txt", "a:3")
    with qtbot.waitSignal(window.selectionChanged) as blocker:
        update_quietly(window, "a", new_a, monkeypatch)
    assert blocker.args == [""]
    assert window.current_claim is None
    assert window.chosen_match is None
    assert [view.selected for view in window.views()] == [None, None]
    assert not any(r.selected for r in window.link_view.ribbons())
    table = window.claim_panel.table
    assert not table.currentIndex().isValid()
    assert not table.selectionModel().hasSelection()
    assert window.inspector.heading.text() == "No claim selected"
    assert not window.inspector.isEnabled()
    for name in ("verdict_supported", "confirm", "reject", "link", "note"):
        assert not window.actions_by_name[name].isEnabled(), name
    # Keys that act on a claim do nothing; J starts again at the first claim.
    view = window.panes["a"].view
    view.setFocus()
    steps = window.undo_stack.count()
    qtbot.keyClick(view, Key.Key_1)
    assert window.undo_stack.count() == steps
    assert window.store.verdict_counts()[Verdict.SUPPORTED] == 0
    qtbot.keyClick(view, Key.Key_J)
    _shown_as_selected(window, "a:0")
