"""File commands: a new comparison from pasted texts, Open, recent files, and errors
(a bad project, a failed save) that show a dialog and change nothing."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import (
    QApplication,
    QDialogButtonBox,
    QFileDialog,
    QMenu,
    QMessageBox,
    QPlainTextEdit,
)
from pytestqt.qtbot import QtBot

from factcheck.models import Verdict
from factcheck.projectfile import save_project
from ui.project_io import project_from_texts


@pytest.fixture
def errors(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "critical", lambda _p, _title, text: shown.append(text))
    return shown


def test_new_comparison_from_pasted_texts(make_window: Callable[..., Any], qtbot: QtBot) -> None:
    window = make_window()
    filled: list[bool] = []

    def fill() -> None:
        dialog = QApplication.activeModalWidget()
        if dialog is None:
            QTimer.singleShot(10, fill)
            return
        qtbot.keyClicks(
            dialog.findChild(QPlainTextEdit, "text_a"), "Rain fell on Monday. It was cold."
        )
        qtbot.keyClicks(dialog.findChild(QPlainTextEdit, "text_b"), "Rain fell on Tuesday.")
        ok = dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Ok)
        ok.click()
        filled.append(True)

    QTimer.singleShot(0, fill)
    window.actions_by_name["new"].trigger()
    assert filled == [True]
    assert [c.text for c in window.store.claims("a")] == ["Rain fell on Monday.", "It was cold."]
    assert [c.text for c in window.store.claims("b")] == ["Rain fell on Tuesday."]
    assert window.store.link_state("a:0", "b:0") is not None, "matched at once"
    assert window.undo_stack.count() == 0
    assert window.isWindowModified()


def test_open_a_bad_project_changes_nothing(
    make_window: Callable[..., Any],
    tmp_path: Path,
    errors: list[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    window = make_window()
    window.store.set_verdict("a:0", Verdict.OPINION)
    before = window.store.project()
    bad = tmp_path / "bad.factcheck.json"
    bad.write_text("{not json", encoding="utf-8")
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(bad), ""))
    window.actions_by_name["open"].trigger()
    assert len(errors) == 1 and "bad.factcheck.json" in errors[0]
    assert window.store.project() == before
    assert window.path is None
    assert window.settings.recent_files() == []


def test_a_failed_save_keeps_the_changes_unsaved(
    make_window: Callable[..., Any],
    tmp_path: Path,
    errors: list[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    window = make_window()
    window.actions_by_name["verdict_contested"].trigger()
    blocker = tmp_path / "a-file"
    blocker.write_text("", encoding="utf-8")
    target = blocker / "inside.factcheck.json"  # a folder that is a file
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), ""))
    assert not window.files.save_as()
    assert len(errors) == 1
    assert window.path is None
    assert window.isWindowModified()


def test_recent_files_menu_opens_a_project(
    make_window: Callable[..., Any], tmp_path: Path, errors: list[str]
) -> None:
    path = tmp_path / "recent.factcheck.json"
    save_project(project_from_texts("Gamma claim.", "Delta claim."), path)
    window = make_window()
    window.settings.add_recent(str(path))
    menu = window.actions_by_name["recent"].menu()
    assert isinstance(menu, QMenu)
    menu.aboutToShow.emit()
    entries = [a for a in menu.actions() if a.toolTip() == str(path)]
    assert len(entries) == 1
    entries[0].trigger()
    assert errors == []
    assert window.path == path
    assert window.store.article("a").text == "Gamma claim."
