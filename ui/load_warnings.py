"""Telling the user, without blocking, what went wrong reading an article."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox, QWidget

from factcheck.models import Article

from .mnemonics import dialog_mnemonics


def show_load_warnings(parent: QWidget, *articles: Article) -> None:
    """A non-modal notice of the articles' load warnings (invalid bytes replaced...):
    the text itself shows only U+FFFD where they were. Nothing when there are none."""
    lines = [
        f"Article {side.upper()} ({article.source}): {warning}"
        for side, article in zip("ab", articles, strict=False)
        for warning in article.load_warnings
    ]
    if not lines:
        return
    box = QMessageBox(
        QMessageBox.Icon.Warning,
        "Article read with problems",
        "\n\n".join(lines),
        QMessageBox.StandardButton.Ok,
        parent,
    )
    box.setObjectName("loadWarnings")
    dialog_mnemonics(box)
    box.setWindowModality(Qt.WindowModality.NonModal)
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    box.show()
