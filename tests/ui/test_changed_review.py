"""Issue 14's reproduction in the app, by keyboard: A18 marked supported with a note,
article A updated with "2022" → "2021" and "gave his tacit approval". A18 is then
marked "changed since reviewed" everywhere, the update summary names it and offers to
go there, D walks to it, V re-confirms it (undoable), a new verdict clears it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog, QMessageBox
from pytestqt.qtbot import QtBot

from factcheck.models import Verdict
from factcheck.projectfile import load_project
from ui.claim_table import CLAIM_ID_ROLE

Key = Qt.Key
CTRL = Qt.KeyboardModifier.ControlModifier
SHIFT = Qt.KeyboardModifier.ShiftModifier
A18 = "a:17"
NOTE = "Checked"


def _keys(
    qtbot: QtBot, window: Any, *keys: Key, modifier: Any = Qt.KeyboardModifier.NoModifier
) -> None:
    for key in keys:
        qtbot.keyClick(window.panes[window.current_side()].view, key, modifier)


def _review_a18(window: Any, qtbot: QtBot) -> None:
    """J to A18, 1 (supported), N, type the note, Esc back to the pane."""
    _keys(qtbot, window, *[Key.Key_J] * 17)
    assert window.current_claim == A18
    _keys(qtbot, window, Key.Key_1, Key.Key_N)
    qtbot.keyClicks(window.inspector.note, NOTE)
    qtbot.keyClick(window.inspector.note, Key.Key_Escape)
    assert window.store.annotation(A18).verdict is Verdict.SUPPORTED
    assert window.store.annotation(A18).note == NOTE


def _update_a(window: Any, path: Path, monkeypatch: pytest.MonkeyPatch, *, walk: bool) -> list[str]:
    """File ▸ Update article A with ``path``; the summary's question answered ``walk``."""
    shown: list[str] = []

    def ask(_parent: Any, _title: str, text: str, *_a: Any, **_k: Any) -> Any:
        shown.append(text)
        return QMessageBox.StandardButton.Yes if walk else QMessageBox.StandardButton.No

    with monkeypatch.context() as patch:
        patch.setattr(QMessageBox, "question", ask)
        patch.setattr(QMessageBox, "information", ask)
        patch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(path), ""))
        window.actions_by_name["update_a"].trigger()
    return shown


def _edited_copy(window: Any, tmp_path: Path) -> Path:
    text = window.store.article("a").text
    assert "in 2014 and 2022" in text and "gave his approval" in text
    path = tmp_path / "a-v2.txt"
    path.write_text(
        text.replace("in 2014 and 2022", "in 2014 and 2021").replace(
            "gave his approval", "gave his tacit approval"
        ),
        "utf-8",
    )
    return path


def test_a_stealth_edit_marks_a18_and_the_reviewer_walks_and_reconfirms_it(
    window: Any, qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _review_a18(window, qtbot)
    _keys(qtbot, window, Key.Key_J)  # move on: the walk must bring us back
    [summary] = _update_a(window, _edited_copy(window, tmp_path), monkeypatch, walk=True)

    # The summary names the item, and accepting it went to A18.
    assert "1 changed since reviewed" in summary
    assert "fuzzy (0.99) annotation A18 → A18, changed since reviewed" in summary
    assert window.current_claim == A18
    store = window.store
    assert store.annotation(A18).verdict is Verdict.SUPPORTED
    assert store.changed_claims() == (A18,)

    # The pane: overlined and hatched (a shape, not only a colour).
    view = window.panes["a"].view
    assert view.changed == frozenset({A18})
    assert any(s.format.fontOverline() for s in view.extraSelections())
    # The inspector: reviewed text → text now, with the date flagged.
    inspector = window.inspector
    assert inspector.changed_diff.isVisibleTo(inspector)
    assert "Changed since reviewed" in inspector.changed_caption.text()
    html = inspector.changed_diff.toPlainText()
    assert "2022" in html and "2021" in html and "Date: 2022 → 2021" in html
    # The status bar and the claims table.
    assert "Δ 1 changed since reviewed" in window.match_controls.counts.text()
    panel = window.claim_panel
    panel.changed.setFocus()
    qtbot.keyClick(panel.changed, Key.Key_Space)
    assert panel.changed.isChecked()
    assert panel.proxy.rowCount() == 1
    row = panel.proxy.index(0, 0)
    assert row.data(CLAIM_ID_ROLE) == A18
    assert panel.proxy.index(0, 3).data() == "Δ ✓ Supported · changed since reviewed"

    # D walks to it from elsewhere; V re-confirms it, one undo step.
    window.focus_pane("a")
    _keys(qtbot, window, Key.Key_K, Key.Key_K)
    assert window.current_claim == "a:15"
    _keys(qtbot, window, Key.Key_D)
    assert window.current_claim == A18
    steps = window.undo_stack.count()
    _keys(qtbot, window, Key.Key_V)
    assert window.undo_stack.count() == steps + 1
    assert store.changed_claims() == ()
    assert store.annotation(A18).verdict is Verdict.SUPPORTED and store.annotation(A18).note == NOTE
    assert view.changed == frozenset()
    assert not inspector.changed_diff.isVisibleTo(inspector)
    assert "changed since reviewed" not in window.match_controls.counts.text()
    assert panel.proxy.rowCount() == 0
    _keys(qtbot, window, Key.Key_D)
    assert "No claim has changed" in window.statusBar().currentMessage()

    _keys(qtbot, window, Key.Key_Z, modifier=CTRL)
    assert store.changed_claims() == (A18,)
    assert view.changed == frozenset({A18})
    # A new verdict also clears it (and is undone as one step).
    _keys(qtbot, window, Key.Key_2)
    assert store.annotation(A18).verdict is Verdict.CONTESTED
    assert store.changed_claims() == ()
    _keys(qtbot, window, Key.Key_Z, modifier=CTRL)
    assert store.changed_claims() == (A18,)
    # Pressing its own verdict again re-confirms it.
    _keys(qtbot, window, Key.Key_1)
    assert store.changed_claims() == () and store.annotation(A18).verdict is Verdict.SUPPORTED


def test_the_mark_is_saved_and_undoing_the_update_removes_it(
    window: Any, qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _review_a18(window, qtbot)
    [summary] = _update_a(window, _edited_copy(window, tmp_path), monkeypatch, walk=False)
    assert "A18" in summary
    path = tmp_path / "p.factcheck.json"
    assert window.files._save_to(path)
    saved = next(a for a in load_project(path).annotations if a.claim_id == A18)
    assert saved.changed is not None and "2022" in saved.changed.old_quote
    _keys(qtbot, window, Key.Key_Z, modifier=CTRL)
    assert window.store.changed_claims() == ()
    assert window.panes["a"].view.changed == frozenset()
    _keys(qtbot, window, Key.Key_D)
    assert "No claim has changed" in window.statusBar().currentMessage()


def test_a_claim_number_typed_in_the_search_finds_that_claim(window: Any, qtbot: QtBot) -> None:
    qtbot.keyClick(window.panes["a"].view, Key.Key_F, CTRL)
    search = window.claim_panel.search
    assert search.hasFocus()
    qtbot.keyClicks(search, "B27")
    proxy = window.claim_panel.proxy
    ids = [proxy.index(r, 0).data(CLAIM_ID_ROLE) for r in range(proxy.rowCount())]
    assert "b:26" in ids
    search.clear()
    qtbot.keyClicks(search, "a:17")
    ids = [proxy.index(r, 0).data(CLAIM_ID_ROLE) for r in range(proxy.rowCount())]
    assert ids == [A18]
