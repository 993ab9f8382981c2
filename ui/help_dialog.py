"""Help ▸ Keyboard shortcuts (the same table as the menus and the README) and About."""

from __future__ import annotations

from html import escape

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from .actions import shortcut_table
from .mnemonics import about, dialog_mnemonics


class ShortcutsDialog(QDialog):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Keyboard shortcuts")
        self.table = QTextBrowser(self)
        self.table.setObjectName("shortcutTable")
        rows = "".join(
            f"<tr><td>{escape(menu)}</td><td>{escape(action)}</td><td><b>{escape(keys)}</b></td></tr>"
            for menu, action, keys in shortcut_table()
        )
        self.table.setHtml(
            "<p>Single keys work while an article pane has the focus; Esc leaves a text "
            "field.</p><table cellpadding='3'><tr><th align='left'>Menu</th>"
            f"<th align='left'>Action</th><th align='left'>Keys</th></tr>{rows}</table>"
        )
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table)
        layout.addWidget(buttons)
        self.resize(560, 640)
        dialog_mnemonics(self)


def about_text() -> str:
    # Here, not at the top: importlib.metadata (with email) is not needed to show the window.
    from importlib.metadata import PackageNotFoundError, version

    try:
        number = version("factcheck")
    except PackageNotFoundError:  # pragma: no cover - run from a plain checkout
        number = "(development)"
    return (
        f"<h3>factcheck {escape(number)}</h3>"
        "<p>Compare two articles claim by claim, or two versions of one article; mark "
        "each claim supported, contested or opinion; export the work as W3C Web "
        "Annotations, ClaimReview, CSV or a report.</p>"
        "<p>Everything runs on this computer; only File ▸ Open URL uses the network.</p>"
    )


def show_about(parent: QWidget | None) -> None:
    about(parent, "About factcheck", about_text())
