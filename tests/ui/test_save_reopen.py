"""Save → reopen gives back everything the reviewer did: verdicts, notes, evidence,
tags, link decisions, links made by hand and the match settings."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog
from pytestqt.qtbot import QtBot

from factcheck.models import LinkState, Verdict

from .helpers import activate, normalised

Key = Qt.Key
CTRL = Qt.KeyboardModifier.ControlModifier


def _review(window: Any, qtbot: QtBot) -> None:
    """A little of everything, by keyboard."""
    view_a = window.panes["a"].view
    inspector = window.inspector
    view_a.setFocus()
    qtbot.keyClick(view_a, Key.Key_1)
    qtbot.keyClick(view_a, Key.Key_N)
    qtbot.keyClicks(inspector.note, "Both say 2019.")
    qtbot.keyClick(inspector.note, Key.Key_Escape)
    inspector.evidence.setFocus()
    qtbot.keyClicks(inspector.evidence, "https://example.org/a, https://example.org/b")
    qtbot.keyClick(inspector.evidence, Key.Key_Return)
    inspector.tags.setFocus()
    qtbot.keyClicks(inspector.tags, "economy, needs source")
    qtbot.keyClick(inspector.tags, Key.Key_Return)
    view_a.setFocus()
    qtbot.keyClick(view_a, Key.Key_J)
    qtbot.keyClick(view_a, Key.Key_2)
    matched = [c.id for c in window.store.claims("a") if window._index.best(c.id)]
    window.select_claim(matched[0])
    qtbot.keyClick(view_a, Key.Key_C)
    window.select_claim(matched[1])
    qtbot.keyClick(view_a, Key.Key_X)
    window.select_claim("a:0")
    window.select_claim("b:0", follow=False)
    qtbot.keyClick(view_a, Key.Key_L, CTRL)


def test_everything_survives_save_and_reopen(
    make_window: Callable[..., Any], qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    window = make_window()
    activate(window, qtbot)
    with qtbot.waitSignal(window.matchesApplied, timeout=20000):
        window.match_controls.threshold.setValue(15)
    _review(window, qtbot)
    store = window.store
    annotation = store.annotation("a:0")
    assert annotation.verdict is Verdict.SUPPORTED
    assert annotation.note == "Both say 2019."
    assert annotation.evidence == ("https://example.org/a", "https://example.org/b")
    assert annotation.tags == ("economy", "needs source")
    states = {link.state for link in store.links()}
    assert states == {LinkState.CONFIRMED, LinkState.REJECTED, LinkState.MANUAL}
    assert window.isWindowModified()

    target = tmp_path / "review"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), ""))
    qtbot.keyClick(window.panes["a"].view, Key.Key_S, CTRL)
    saved_path = tmp_path / "review.factcheck.json"
    assert saved_path.is_file()
    assert window.path == saved_path
    assert not window.isWindowModified()
    assert window.windowTitle() == "review[*] — factcheck"
    saved = normalised(store.project())

    other = make_window()
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(saved_path), ""))
    other.actions_by_name["open"].trigger()
    assert other.path == saved_path
    assert normalised(other.store.project()) == saved
    assert other.store.settings.match.threshold == 15
    assert other.match_controls.threshold.value() == 15
    assert other.store.matches == store.matches
    assert not other.isWindowModified()
    assert other.store.annotation("a:0").tags == ("economy", "needs source")
    # The reopened views show it too.
    assert other.inspector.note.toPlainText() == "Both say 2019."
    assert other.inspector.tags.text() == "economy, needs source"
    assert other.settings.recent_files()[0] == str(saved_path)
