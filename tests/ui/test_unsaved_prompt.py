"""The title's unsaved marker follows the undo stack, and closing with unsaved changes
asks: Save saves, Discard drops them, Cancel keeps the window open."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog, QMessageBox
from pytestqt.qtbot import QtBot

from factcheck.models import Verdict
from factcheck.projectfile import load_project

Button = QMessageBox.StandardButton
Key = Qt.Key
CTRL = Qt.KeyboardModifier.ControlModifier


def _answer(monkeypatch: pytest.MonkeyPatch, button: QMessageBox.StandardButton) -> list[str]:
    """Answer every prompt with ``button``; returns the prompts shown."""
    prompts: list[str] = []

    def question(_parent: Any, title: str, text: str, *_a: Any, **_k: Any) -> Any:
        prompts.append(f"{title}: {text}")
        return button

    monkeypatch.setattr(QMessageBox, "question", question)
    return prompts


def _save_dialog(monkeypatch: pytest.MonkeyPatch, path: Path | None) -> list[int]:
    calls: list[int] = []

    def get_save_file_name(*_a: Any, **_k: Any) -> tuple[str, str]:
        calls.append(1)
        return (str(path) if path else "", "")

    monkeypatch.setattr(QFileDialog, "getSaveFileName", get_save_file_name)
    return calls


def test_title_marker_follows_the_undo_stack(window: Any, qtbot: QtBot) -> None:
    view = window.panes["a"].view
    assert window.windowTitle().startswith("Putin’s rule is crumbling")
    assert not window.isWindowModified()
    qtbot.keyClick(view, Key.Key_1)
    assert window.isWindowModified()
    qtbot.keyClick(view, Key.Key_Z, CTRL)
    assert not window.isWindowModified(), "back at the clean state"
    qtbot.keyClick(view, Key.Key_Z, CTRL | Qt.KeyboardModifier.ShiftModifier)
    assert window.isWindowModified()


def test_closing_without_changes_does_not_ask(window: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    prompts = _answer(monkeypatch, Button.Cancel)
    assert window.close()
    assert prompts == []


def test_save_saves_then_closes(
    window: Any, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    qtbot.keyClick(window.panes["a"].view, Key.Key_2)
    prompts = _answer(monkeypatch, Button.Save)
    target = tmp_path / "closing.factcheck.json"
    dialogs = _save_dialog(monkeypatch, target)
    assert window.close()
    assert len(prompts) == 1 and "unsaved changes" in prompts[0]
    assert dialogs == [1]
    saved = load_project(target)
    assert [(a.claim_id, a.verdict) for a in saved.annotations] == [("a:0", Verdict.CONTESTED)]
    assert not window.isVisible()


def test_save_cancelled_in_the_file_dialog_keeps_the_window(
    window: Any, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    qtbot.keyClick(window.panes["a"].view, Key.Key_2)
    _answer(monkeypatch, Button.Save)
    _save_dialog(monkeypatch, None)
    assert not window.close()
    assert window.isVisible()
    assert window.isWindowModified()


def test_discard_closes_without_saving(
    window: Any, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    qtbot.keyClick(window.panes["a"].view, Key.Key_3)
    prompts = _answer(monkeypatch, Button.Discard)
    dialogs = _save_dialog(monkeypatch, tmp_path / "never.factcheck.json")
    assert window.close()
    assert len(prompts) == 1
    assert dialogs == []
    assert not (tmp_path / "never.factcheck.json").exists()
    assert not window.isVisible()


def test_cancel_keeps_the_window_and_the_changes(
    window: Any, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    qtbot.keyClick(window.panes["a"].view, Key.Key_3)
    before = window.store.project()
    prompts = _answer(monkeypatch, Button.Cancel)
    dialogs = _save_dialog(monkeypatch, None)
    assert not window.close()
    assert len(prompts) == 1
    assert dialogs == []
    assert window.isVisible()
    assert window.isWindowModified()
    assert window.store.project() == before
    assert window.store.annotation("a:0").verdict is Verdict.OPINION
