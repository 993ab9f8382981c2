"""Updating an article carries notes over in one undo step; a note whose sentence is
gone shows up in the "Orphaned notes" dock and can be re-attached to a claim."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog, QMessageBox
from pytestqt.qtbot import QtBot

from factcheck.models import Verdict

#: A's claims the test annotates: one that the new version deletes, one that stays.
DELETED, KEPT = "a:3", "a:4"


@pytest.fixture
def messages(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, str]]:
    """QMessageBox.information/critical calls as (title, text), answered at once."""
    shown: list[tuple[str, str]] = []

    def record(_parent: Any, title: str, text: str, *_a: Any, **_k: Any) -> Any:
        shown.append((title, text))
        return QMessageBox.StandardButton.Ok

    monkeypatch.setattr(QMessageBox, "information", record)
    monkeypatch.setattr(QMessageBox, "critical", record)
    return shown


def _annotated_window(make_window: Callable[..., Any]) -> Any:
    window = make_window()
    window.select_claim(DELETED)
    window.set_verdict(Verdict.CONTESTED)
    window.select_claim(KEPT)
    window.set_verdict(Verdict.SUPPORTED)
    return window


def _edited_a(window: Any, tmp_path: Path) -> Path:
    """Article A's text without the DELETED claim's sentence."""
    store = window.store
    claim = store.claim(DELETED)
    text = store.article("a").text
    path = tmp_path / "a-v2.txt"
    path.write_text(text[: claim.start] + text[claim.end :], encoding="utf-8")
    return path


def _choose_file(monkeypatch: pytest.MonkeyPatch, path: Path) -> None:
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(path), ""))


def test_update_orphans_a_deleted_note_and_reattach_puts_it_on_a_claim(
    make_window: Callable[..., Any],
    qtbot: QtBot,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    messages: list[tuple[str, str]],
) -> None:
    window = _annotated_window(make_window)
    old_store = window.store
    deleted_text = old_store.claim(DELETED).text
    kept_text = old_store.claim(KEPT).text
    _choose_file(monkeypatch, _edited_a(window, tmp_path))
    undo_steps = window.undo_stack.count()

    window.actions_by_name["update_a"].trigger()

    # One undo step; the message gives the count per class.
    assert window.undo_stack.count() == undo_steps + 1
    assert window.undo_stack.undoText() == "Update article A"
    [(title, text)] = messages
    assert title == "Article A updated"
    # The kept sentence moved up (text before it was deleted); the deleted one orphaned.
    assert "  1 moved" in text and "  1 orphaned" in text and "  0 fuzzy" in text
    # The kept note followed its sentence; the deleted one is an orphan in the dock.
    store = window.store
    assert store is not old_store
    assert all(c.text != deleted_text for c in store.claims("a"))
    kept = next(c for c in store.claims("a") if c.text == kept_text)
    assert store.annotation(kept.id).verdict is Verdict.SUPPORTED
    panel = window.orphans
    assert panel.dock.isVisible()
    assert panel.dock.windowTitle() == "Orphaned notes (1)"
    assert panel.model.rowCount() == 1
    row = panel.model.index(0).data(Qt.ItemDataRole.DisplayRole)
    assert deleted_text.strip() in row
    assert "contested" in row

    # Choose the orphan, select a claim of A, re-attach: the note is on that claim.
    target = store.claims("a")[1].id
    window.select_claim(target)
    panel.list.setCurrentIndex(panel.model.index(0))
    assert panel.reattach_button.isEnabled()
    with qtbot.waitSignal(panel.reattached) as blocker:
        qtbot.mouseClick(panel.reattach_button, Qt.MouseButton.LeftButton)
    assert blocker.args == [target]
    assert store.annotation(target).verdict is Verdict.CONTESTED
    assert store.orphans == ()
    assert panel.model.rowCount() == 0
    assert panel.dock.windowTitle() == "Orphaned notes"
    assert window.panes["a"].view.claims == store.claims("a")

    # Undo: the orphan is back, the claim bare; undo again: the old article and store.
    window.actions_by_name["undo"].trigger()
    assert store.annotation(target).verdict is Verdict.UNREVIEWED
    assert panel.model.rowCount() == 1
    window.actions_by_name["undo"].trigger()
    assert window.store is old_store
    assert window.panes["a"].view.claims == old_store.claims("a")
    assert old_store.annotation(DELETED).verdict is Verdict.CONTESTED
    assert panel.model.rowCount() == 0
    # Redo both: the same new store, with the note re-attached.
    window.actions_by_name["redo"].trigger()
    window.actions_by_name["redo"].trigger()
    assert window.store is store
    assert store.annotation(target).verdict is Verdict.CONTESTED


def test_reattach_is_refused_with_a_reason_on_an_annotated_claim(
    make_window: Callable[..., Any],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    messages: list[tuple[str, str]],
) -> None:
    window = _annotated_window(make_window)
    kept_text = window.store.claim(KEPT).text
    _choose_file(monkeypatch, _edited_a(window, tmp_path))
    assert window.files.update_article("a")
    store, panel = window.store, window.orphans
    kept = next(c for c in store.claims("a") if c.text == kept_text)
    window.select_claim(kept.id)
    panel.list.setCurrentIndex(panel.model.index(0))
    steps = window.undo_stack.count()
    assert not panel.reattach_current()
    assert "already has an annotation" in panel.hint.text()
    assert window.undo_stack.count() == steps
    # A claim of the other article does not fit the orphan at all.
    window.select_claim("b:0")
    assert not panel.reattach_button.isEnabled()
    assert "article A" in panel.hint.text()


def test_update_with_an_unreadable_file_changes_nothing(
    make_window: Callable[..., Any],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    messages: list[tuple[str, str]],
) -> None:
    window = _annotated_window(make_window)
    store, steps = window.store, window.undo_stack.count()
    _choose_file(monkeypatch, tmp_path / "missing.txt")
    window.actions_by_name["update_b"].trigger()
    [(title, text)] = messages
    assert title == "Cannot update the article"
    assert "missing.txt" in text
    assert window.store is store
    assert window.undo_stack.count() == steps
    assert not window.orphans.dock.isVisible()
