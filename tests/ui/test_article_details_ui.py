"""Article ▸ Details… (Ctrl+I) and the inspector's ClaimReview summary, by keyboard:
each change is one undo step (issue 14, point 4)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from ui.article_details_dialog import ArticleDetailsDialog

Key = Qt.Key
CTRL = Qt.KeyboardModifier.ControlModifier


def test_details_dialog_checks_values_and_is_one_undo_step(window: Any, qtbot: QtBot) -> None:
    seen: dict[str, Any] = {}

    def fill() -> None:
        dialog = QApplication.activeModalWidget()
        assert isinstance(dialog, ArticleDetailsDialog)
        try:
            _fill(dialog)
        finally:
            if dialog.isVisible():  # a failed step must not leave the test waiting on it
                dialog.reject()

    def _fill(dialog: ArticleDetailsDialog) -> None:
        seen["title"] = dialog.fields["title"].text()
        url, date, outlet = (dialog.fields[n] for n in ("url", "date", "outlet"))
        qtbot.keyClicks(url, "https://example.org/putin")
        qtbot.keyClicks(date, "30.9.2025")
        qtbot.keyClicks(outlet, "Example Times")
        qtbot.keyClick(outlet, Key.Key_Return)
        # A bad date: the dialog stays, says what is wrong, selects the wrong text.
        assert dialog.isVisible() and date.selectedText() == "30.9.2025"
        seen["error"] = dialog.error.text()
        qtbot.keyClicks(date, "2025-09-30")  # typed over the selection
        qtbot.keyClick(date, Key.Key_Return)
        assert dialog.result() == dialog.DialogCode.Accepted

    QTimer.singleShot(0, fill)
    steps = window.undo_stack.count()
    qtbot.keyClick(window.panes["a"].view, Key.Key_I, CTRL)
    assert "Date" in seen["error"] and "not a date as YYYY-MM-DD" in seen["error"]
    article = window.store.article("a")
    assert seen["title"] == article.title  # the dialog showed the current details
    assert article.metadata.url == "https://example.org/putin"
    assert (article.metadata.date, article.metadata.site_name) == ("2025-09-30", "Example Times")
    assert "Example Times" in window.panes["a"].source.full_text()
    assert window.undo_stack.count() == steps + 1
    assert window.undo_stack.undoText() == "Edit details of article A"
    window.actions_by_name["undo"].trigger()
    assert window.store.article("a").metadata.url is None
    assert "Example Times" not in window.panes["a"].source.full_text()


def test_cancelled_details_change_nothing(window: Any, qtbot: QtBot) -> None:
    def cancel() -> None:
        dialog = QApplication.activeModalWidget()
        assert isinstance(dialog, ArticleDetailsDialog)
        qtbot.keyClicks(dialog.fields["author"], "Someone")
        qtbot.keyClick(dialog.fields["author"], Key.Key_Escape)
        if dialog.isVisible():
            dialog.reject()
            raise AssertionError("Esc did not close the dialog")

    QTimer.singleShot(0, cancel)
    steps = window.undo_stack.count()
    window.actions_by_name["article_details"].trigger()
    assert window.undo_stack.count() == steps
    assert window.store.article("a").metadata.author != "Someone"


def test_claimreview_summary_is_typed_in_the_inspector(window: Any, qtbot: QtBot) -> None:
    window.select_claim("a:17")
    summary = window.inspector.summary
    assert summary.placeholderText().startswith("It is also frequently ignored")
    summary.setFocus()
    qtbot.keyClicks(summary, "Xi approved both invasions")
    qtbot.keyClick(summary, Key.Key_Tab)
    assert window.store.annotation("a:17").summary == "Xi approved both invasions"
    assert window.undo_stack.undoText() == "Edit ClaimReview summary of A18"
    window.focus_pane("a")
    qtbot.keyClick(window.panes["a"].view, Key.Key_Z, CTRL)
    assert window.store.annotation("a:17").summary == ""
    assert summary.text() == ""
