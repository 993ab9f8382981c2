"""Message boxes whose buttons have mnemonics (Alt+letter).

Qt's standard buttons read "Save", "Discard", "Cancel" with no underlined letter on
most platforms. :func:`question` asks as ``QMessageBox.question`` does, and while its
box is open a filter gives each button the first letter of its text that no other
button of the box uses (buttons that have one keep it). The filter is on the
application only for as long as the box is open, so no other event pays for it.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QAbstractButton, QApplication, QMessageBox, QWidget

_Button = QMessageBox.StandardButton


def add_mnemonics(buttons: list[QAbstractButton]) -> None:
    """Give each of ``buttons`` without a mnemonic one of its own letters."""
    used = {
        text[text.index("&") + 1].lower()
        for text in (b.text() for b in buttons)
        if "&" in text and text.index("&") + 1 < len(text)
    }
    for button in buttons:
        text = button.text()
        if "&" in text:
            continue
        for n, ch in enumerate(text):
            if ch.isalnum() and ch.lower() not in used:
                used.add(ch.lower())
                button.setText(text[:n] + "&" + text[n:])
                break


class _BoxMnemonics(QObject):
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Show and isinstance(watched, QMessageBox):
            add_mnemonics(watched.buttons())
        return False


def question(
    parent: QWidget | None,
    title: str,
    text: str,
    buttons: _Button,
    default: _Button = _Button.NoButton,
) -> _Button:
    """``QMessageBox.question`` with mnemonics on its buttons."""
    app = QApplication.instance()
    mnemonics = _BoxMnemonics()
    if app is not None:
        app.installEventFilter(mnemonics)
    try:
        return QMessageBox.question(parent, title, text, buttons, default)
    finally:
        if app is not None:
            app.removeEventFilter(mnemonics)
