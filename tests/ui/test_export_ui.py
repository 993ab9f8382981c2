"""File ▸ Export…: choose a format and a file; the file is written, errors are shown
in the dialog, and ClaimReview asks for the reviewer (an undoable project change)."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication, QUndoStack
from PySide6.QtWidgets import QDialog, QFileDialog
from pytestqt.qtbot import QtBot

from factcheck.models import ReviewerSettings, Verdict
from ui import export_dialog
from ui.export_dialog import ExportDialog


def _window_with_verdicts(make_window: Callable[..., Any]) -> Any:
    window = make_window()
    window.select_claim("a:2")
    window.set_verdict(Verdict.SUPPORTED)
    window.select_claim("a:3")
    window.set_verdict(Verdict.CONTESTED)
    return window


def _dialog(window: Any, qtbot: QtBot) -> ExportDialog:
    suggested = Path.home() / window.project_title()
    dialog = ExportDialog(window.store, window.undo_stack, suggested, window)
    qtbot.addWidget(dialog)
    return dialog


def test_the_dialog_needs_only_a_store_and_an_undo_stack(qtbot: QtBot, tmp_path: Path) -> None:
    from ui.app import seed_project
    from ui.project_io import make_store

    store, _needs_matching = make_store(seed_project())
    undo_stack = QUndoStack()
    dialog = ExportDialog(store, undo_stack, tmp_path / "seed")
    qtbot.addWidget(dialog)
    dialog.set_format("markdown")
    assert dialog.path.text() == str(tmp_path / "seed.md")
    dialog.set_format("claimreview")
    dialog.reviewer_name.setText("Example Checks")
    dialog.reviewer_url.setText("https://checks.example/reviews")
    with qtbot.waitSignal(dialog.exported) as blocker:
        qtbot.mouseClick(dialog.export_button, Qt.MouseButton.LeftButton)
    target = tmp_path / "seed.claimreview.jsonld"
    assert blocker.args == [str(target), dialog.summary]
    assert target.is_file()
    assert undo_stack.count() == 1 and undo_stack.undoText() == "Set reviewer"


def _save_to(monkeypatch: pytest.MonkeyPatch, path: Path) -> list[str]:
    """Patch the save dialog to answer ``path``; returns the folders it was opened on."""
    asked: list[str] = []

    def answer(_parent: Any, _title: str, suggested: str, *_a: Any, **_k: Any) -> Any:
        asked.append(suggested)
        return str(path), ""

    monkeypatch.setattr(QFileDialog, "getSaveFileName", answer)
    return asked


def test_menu_exports_csv_to_the_chosen_file(
    make_window: Callable[..., Any], qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    window = _window_with_verdicts(make_window)
    target = tmp_path / "review.csv"
    asked = _save_to(monkeypatch, target)

    def run(dialog: ExportDialog) -> int:
        dialog.set_format("csv")
        qtbot.mouseClick(dialog.browse, Qt.MouseButton.LeftButton)
        qtbot.mouseClick(dialog.export_button, Qt.MouseButton.LeftButton)
        assert dialog.result() == QDialog.DialogCode.Accepted
        return dialog.result()

    cursors: list[Any] = []

    def export_watching_the_cursor(*args: Any) -> Any:
        cursor = QGuiApplication.overrideCursor()
        cursors.append(cursor.shape() if cursor is not None else None)
        return real_export(*args)

    real_export = export_dialog.export_summarised
    monkeypatch.setattr(export_dialog, "export_summarised", export_watching_the_cursor)
    monkeypatch.setattr(ExportDialog, "exec", run)
    window.actions_by_name["export"].trigger()

    assert cursors == [Qt.CursorShape.WaitCursor], "busy while exporting"
    assert QGuiApplication.overrideCursor() is None
    assert asked and asked[0].endswith(".csv"), "the dialog suggests a name with the suffix"
    raw = target.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf"), "UTF-8 with a byte-order mark, for spreadsheets"
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"), newline="")))
    assert len(rows) == len(window.store.all_claims())
    verdicts = [v for row in rows for v in row.values() if v in ("supported", "contested")]
    assert sorted(verdicts) == ["contested", "supported"]
    assert str(target) in window.statusBar().currentMessage()


def test_exports_w3c_web_annotations(
    make_window: Callable[..., Any], qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    window = _window_with_verdicts(make_window)
    dialog = _dialog(window, qtbot)
    dialog.set_format("webannotation")
    assert dialog.path.text().endswith(".jsonld")
    assert not dialog.reviewer_name.isVisibleTo(dialog)
    target = tmp_path / "notes.jsonld"
    _save_to(monkeypatch, target)
    qtbot.mouseClick(dialog.browse, Qt.MouseButton.LeftButton)
    with qtbot.waitSignal(dialog.accepted):
        qtbot.mouseClick(dialog.export_button, Qt.MouseButton.LeftButton)
    assert dialog.exported_path == target
    data = json.loads(target.read_text(encoding="utf-8"))
    assert "http://www.w3.org/ns/anno.jsonld" in json.dumps(data["@context"])
    text = json.dumps(data)
    assert "supported" in text and "contested" in text


def test_claimreview_asks_for_the_reviewer_and_keeps_it_undoably(
    make_window: Callable[..., Any], qtbot: QtBot, tmp_path: Path
) -> None:
    window = _window_with_verdicts(make_window)
    store = window.store
    assert store.settings.reviewer == ReviewerSettings()
    dialog = _dialog(window, qtbot)
    dialog.set_format("claimreview")
    assert dialog.reviewer_name.isVisibleTo(dialog)
    target = tmp_path / "reviews.claimreview.jsonld"
    dialog.path.setText(str(target))
    steps = window.undo_stack.count()

    # Missing reviewer: said in the dialog, nothing written, nothing changed.
    qtbot.mouseClick(dialog.export_button, Qt.MouseButton.LeftButton)
    assert dialog.error.isVisibleTo(dialog)
    assert "reviewer" in dialog.error.text()
    assert not target.exists()
    # A URL the format refuses: the core's reason, still nothing kept.
    dialog.reviewer_name.setText("Example Checks")
    dialog.reviewer_url.setText("not a url")
    qtbot.mouseClick(dialog.export_button, Qt.MouseButton.LeftButton)
    assert "http" in dialog.error.text()
    assert not target.exists()
    # An http URL without a host is refused too, naming the field.
    dialog.reviewer_url.setText("http://user@/")
    qtbot.mouseClick(dialog.export_button, Qt.MouseButton.LeftButton)
    assert dialog.error.text().startswith("Reviewer URL: has no host name")
    assert dialog.reviewer_url.hasFocus() or not dialog.isActiveWindow()
    assert not target.exists()
    assert window.undo_stack.count() == steps

    dialog.reviewer_url.setText("https://checks.example/reviews")
    with qtbot.waitSignal(dialog.accepted), qtbot.waitSignal(dialog.exported) as exported:
        qtbot.mouseClick(dialog.export_button, Qt.MouseButton.LeftButton)
    reviews = json.loads(target.read_text(encoding="utf-8"))
    assert "Example Checks" in json.dumps(reviews)
    # What went in and what was left out is said, as on the command line.
    said = f"{len(reviews)} claim reviews; "
    assert dialog.summary.startswith(said) and "opinion claims skipped" in dialog.summary
    assert exported.args == [str(target), dialog.summary]
    expected = ReviewerSettings("Example Checks", "https://checks.example/reviews")
    assert store.settings.reviewer == expected
    assert store.project().settings.reviewer == expected, "saved with the project"
    assert window.undo_stack.count() == steps + 1 and window.is_modified()
    window.actions_by_name["undo"].trigger()
    assert store.settings.reviewer == ReviewerSettings()
    # Next time the dialog starts from the saved reviewer.
    window.actions_by_name["redo"].trigger()
    again = _dialog(window, qtbot)
    assert again.reviewer_name.text() == "Example Checks"


def test_a_write_error_is_shown_and_the_dialog_stays_open(
    make_window: Callable[..., Any], qtbot: QtBot, tmp_path: Path
) -> None:
    window = make_window()
    dialog = _dialog(window, qtbot)
    dialog.set_format("csv")
    target = tmp_path / "no-such-folder" / "out.csv"
    dialog.path.setText(str(target))
    qtbot.mouseClick(dialog.export_button, Qt.MouseButton.LeftButton)
    assert dialog.result() != QDialog.DialogCode.Accepted
    assert dialog.error.isVisibleTo(dialog)
    assert "no-such-folder" in dialog.error.text()
    assert QGuiApplication.overrideCursor() is None  # the busy cursor is gone again
    # Changing the format keeps the file name with the new suffix, and clears the error.
    dialog.set_format("markdown")
    assert dialog.path.text() == str(target.with_name("out.md"))
    assert not dialog.error.isVisibleTo(dialog)


@pytest.mark.parametrize("protected", ["project", "backup"])
def test_an_export_onto_the_project_or_its_backup_is_refused(
    make_window: Callable[..., Any], qtbot: QtBot, tmp_path: Path, protected: str
) -> None:
    from factcheck.atomicwrite import backup_path
    from factcheck.projectfile import save_project

    window = make_window()
    path = tmp_path / "p.factcheck.json"
    save_project(window.store.project(), path)
    save_project(window.store.project(), path)  # now with a backup
    window.mark_saved(path)
    target = path if protected == "project" else backup_path(path)
    before = target.read_bytes()
    dialog = ExportDialog(window.store, window.undo_stack, path, window, project_path=path)
    qtbot.addWidget(dialog)
    dialog.set_format("html")
    dialog.path.setText(str(target))
    qtbot.mouseClick(dialog.export_button, Qt.MouseButton.LeftButton)
    assert dialog.result() != QDialog.DialogCode.Accepted
    assert "an export would replace it" in dialog.error.text()
    assert target.read_bytes() == before
