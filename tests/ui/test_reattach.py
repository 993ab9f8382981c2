"""Re-attaching orphans: with the keyboard (R, Review ▸ Re-attach orphan to claim), and
orphaned links (a confirmed link whose claim an update deleted), undone and redone
exactly; a link's other end is looked up again if its article changed meanwhile."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QApplication, QMenu
from pytestqt.qtbot import QtBot

from factcheck.models import Link, LinkState, TextAnchor, Verdict

from .helpers import activate, normalised, text_without, update_quietly

Key = Qt.Key
CTRL = Qt.KeyboardModifier.ControlModifier
CTRL_SHIFT = CTRL | Qt.KeyboardModifier.ShiftModifier
#: The seed pair's claim of A with a suggested match (B23) under the default scorer.
LINKED_A, LINKED_B = "a:1", "b:22"


def _with_orphaned_link(window: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Link:
    """Confirm LINKED_A–LINKED_B, then update A without LINKED_A's sentence: the link is
    orphaned. Returns the link as it was."""
    window.select_claim(LINKED_A)
    assert window.chosen_match == LINKED_B
    window.decide_link(LinkState.CONFIRMED)
    link = window.store.link(LINKED_A, LINKED_B)
    assert link is not None and link.state is LinkState.CONFIRMED
    update_quietly(window, "a", text_without(window, tmp_path / "a2.txt", LINKED_A), monkeypatch)
    return link


def _choose_orphan(window: Any, row: int = 0) -> None:
    window.orphans.list.setCurrentIndex(window.orphans.model.index(row))


def test_reattach_has_a_shortcut_shown_in_the_review_menu(make_window: Callable[..., Any]) -> None:
    window = make_window()
    action = window.actions_by_name["reattach"]
    assert [k.toString() for k in action.shortcuts()] == ["R"]
    assert "(R)" in action.toolTip()
    review = next(m for m in window.menuBar().findChildren(QMenu) if m.title() == "&Review")
    assert action in review.actions()
    assert not action.isEnabled(), "no orphan: nothing to re-attach"
    shown = action.shortcut().toString(QKeySequence.SequenceFormat.NativeText)
    assert shown in window.orphans.reattach_button.toolTip()


def test_reattach_with_the_keyboard(
    make_window: Callable[..., Any], qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    window = make_window()
    for claim_id, verdict in (("a:3", Verdict.CONTESTED), ("a:5", Verdict.OPINION)):
        window.select_claim(claim_id)
        window.set_verdict(verdict)
    update_quietly(
        window, "a", text_without(window, tmp_path / "a2.txt", "a:3", "a:5"), monkeypatch
    )
    store, panel = window.store, window.orphans
    assert panel.model.rowCount() == 2
    activate(window, qtbot)
    view_a = window.panes["a"].view
    # Down chooses the second orphan in the list (it is not "next claim" there) ...
    panel.list.setFocus()
    assert panel.current_row() == 0
    qtbot.keyClick(panel.list, Key.Key_Down)
    assert panel.current_row() == 1
    assert "opinion" in panel.model.index(1).data()
    # ... Left goes to pane A and J to its second claim; R puts the orphan there.
    qtbot.keyClick(panel.list, Key.Key_Left)
    assert QApplication.focusWidget() is view_a
    assert window.current_claim == "a:0"
    qtbot.keyClick(view_a, Key.Key_J)
    assert window.current_claim == "a:1"
    assert window.actions_by_name["reattach"].isEnabled()
    steps = window.undo_stack.count()
    qtbot.keyClick(view_a, Key.Key_R)
    assert store.annotation("a:1").verdict is Verdict.OPINION
    assert window.undo_stack.count() == steps + 1
    assert window.undo_stack.undoText() == "Re-attach orphaned note to A2"
    assert panel.model.rowCount() == 1
    assert "contested" in panel.model.index(0).data()
    # A claim of B does not fit an orphan of A: R does nothing there.
    qtbot.keyClick(view_a, Key.Key_S)
    assert window.current_claim.startswith("b:")
    assert not window.actions_by_name["reattach"].isEnabled()
    qtbot.keyClick(window.panes["b"].view, Key.Key_R)
    assert window.undo_stack.count() == steps + 1
    assert panel.model.rowCount() == 1
    # Ctrl+Z: the orphan is back in the list and the claim bare.
    qtbot.keyClick(window.panes["b"].view, Key.Key_Z, CTRL)
    assert store.annotation("a:1").verdict is Verdict.UNREVIEWED
    assert panel.model.rowCount() == 2


def test_an_orphaned_link_is_listed_and_reattached_exactly(
    make_window: Callable[..., Any], qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    window = make_window()
    link = _with_orphaned_link(window, tmp_path, monkeypatch)
    store, panel = window.store, window.orphans
    # Orphaned: out of the links, kept whole in the orphans, listed in the dock.
    assert store.links() == ()
    [orphan] = store.orphans
    assert orphan.link == link and orphan.annotation is None
    assert orphan.anchor == link.a_anchor
    assert panel.dock.isVisible()
    assert panel.dock.windowTitle() == "Orphaned notes (1)"
    row = panel.model.index(0).data()
    assert row.startswith(f"A · “{link.a_anchor.exact}”")
    assert "Link A2 ↔ B23 (confirmed)" in row
    before = normalised(store.project())
    # Re-attach to a chosen claim of A: the link is back, confirmed, on that claim.
    activate(window, qtbot)
    target = store.claims("a")[4]
    window.select_claim(target.id)
    _choose_orphan(window)
    qtbot.keyClick(window.panes["a"].view, Key.Key_R)
    assert window.undo_stack.undoText() == "Re-attach orphaned link to A5"
    reattached = store.link(target.id, LINKED_B)
    assert reattached is not None
    assert reattached.state is LinkState.CONFIRMED
    assert reattached.a_anchor == TextAnchor.from_text(
        store.article("a").text, target.start, target.end
    )
    assert (reattached.b_anchor, reattached.score, reattached.created) == (
        link.b_anchor,
        link.score,
        link.created,
    )
    assert store.orphans == ()
    assert panel.model.rowCount() == 0
    # The window shows it: the claim's best partner, and its ribbon is confirmed.
    assert window._index.state(target.id, LINKED_B) is LinkState.CONFIRMED
    window.select_claim(target.id)
    assert window.chosen_match == LINKED_B
    ribbons = {(r.a_id, r.b_id): r for r in window.link_view.ribbons()}
    assert ribbons[(target.id, LINKED_B)].state is LinkState.CONFIRMED
    after = normalised(store.project())
    # Undo and redo restore exactly.
    view = window.panes["a"].view
    qtbot.keyClick(view, Key.Key_Z, CTRL)
    assert normalised(store.project()) == before
    assert store.link(target.id, LINKED_B) is None
    assert store.orphans == (orphan,)
    assert panel.model.rowCount() == 1
    qtbot.keyClick(view, Key.Key_Z, CTRL_SHIFT)
    assert normalised(store.project()) == after
    assert store.link(target.id, LINKED_B) == reattached
    assert panel.model.rowCount() == 0


def test_a_reattached_link_finds_its_other_end_after_that_article_changed(
    make_window: Callable[..., Any], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    window = make_window()
    link = _with_orphaned_link(window, tmp_path, monkeypatch)
    # B loses a sentence before the link's B end: "b:22" now names the next sentence.
    update_quietly(window, "b", text_without(window, tmp_path / "b2.txt", "b:3"), monkeypatch)
    store = window.store
    assert store.claim(LINKED_B).text != link.b_anchor.exact
    moved = next(c for c in store.claims("b") if c.text == link.b_anchor.exact)
    assert moved.id == "b:21"
    before = normalised(store.project())
    target = store.claims("a")[4].id
    window.select_claim(target)
    _choose_orphan(window)
    assert window.orphans.reattach_current()
    # The link joins the sentence it joined before, not whatever is "b:22" now.
    assert store.link(target, LINKED_B) is None
    reattached = store.link(target, moved.id)
    assert reattached is not None
    assert reattached.b_anchor.exact == link.b_anchor.exact
    assert reattached.b_anchor == TextAnchor.from_text(
        store.article("b").text, moved.start, moved.end
    )
    window.undo_stack.undo()
    assert normalised(store.project()) == before


def test_reattaching_a_link_whose_other_end_is_gone_is_refused(
    make_window: Callable[..., Any], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    window = make_window()
    _with_orphaned_link(window, tmp_path, monkeypatch)
    update_quietly(window, "b", text_without(window, tmp_path / "b2.txt", LINKED_B), monkeypatch)
    store, panel = window.store, window.orphans
    before, steps = normalised(store.project()), window.undo_stack.count()
    window.select_claim(store.claims("a")[4].id)
    _choose_orphan(window)
    assert not panel.reattach_current()
    assert "is no longer in article B" in panel.hint.text()
    assert window.undo_stack.count() == steps
    assert normalised(store.project()) == before
    assert panel.model.rowCount() == 1
