"""Mnemonics (Alt+letter) on every button of the app's dialogs and message boxes.

Qt's standard buttons read "OK", "Save", "Discard", "Cancel", "Close" with no
underlined letter on most platforms (only Yes and No have one). :func:`dialog_mnemonics`
gives each button of a dialog the first letter of its text that no other control of
the dialog uses: not another button, not a label's buddy letter (``&Title``), not a
group box. Our dialogs call it once built. The message boxes go through
:func:`question`, :func:`critical`, :func:`warning`, :func:`information` and
:func:`about`, which show ``QMessageBox``'s own static boxes while a filter gives the
box its mnemonics as it shows. The filter is on the application only for as long as
the box is open, so no other event pays for it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TypeVar

from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QDialog,
    QDialogButtonBox,
    QGroupBox,
    QLabel,
    QMessageBox,
    QWidget,
)

_Button = QMessageBox.StandardButton
_T = TypeVar("_T")


def mnemonic(text: str) -> str | None:
    """The letter after the single ``&`` of ``text`` (lower case), None without one."""
    text = text.replace("&&", "")
    i = text.find("&")
    return text[i + 1].lower() if 0 <= i < len(text) - 1 else None


def add_mnemonics(buttons: list[QAbstractButton], taken: Iterable[str] = ()) -> None:
    """Give each of ``buttons`` without a mnemonic one of its own letters, none of
    ``taken`` and none another button has."""
    used = set(taken) | {m for m in (mnemonic(b.text()) for b in buttons) if m}
    for button in buttons:
        text = button.text()
        if mnemonic(text) is not None:
            continue
        for n, ch in enumerate(text):
            if ch.isalnum() and ch.lower() not in used:
                used.add(ch.lower())
                button.setText(text[:n] + "&" + text[n:])
                break


def dialog_mnemonics(dialog: QWidget) -> list[str]:
    """Give every button of ``dialog`` a mnemonic of its own (see the module); returns
    the mnemonic texts of its controls, one entry per control that has one."""
    taken = [
        m
        for m in (
            [mnemonic(label.text()) for label in dialog.findChildren(QLabel) if label.buddy()]
            + [mnemonic(box.title()) for box in dialog.findChildren(QGroupBox)]
        )
        if m
    ]
    buttons = dialog.findChildren(QAbstractButton)
    # OK, Cancel... first: they keep the same letter in every dialog where it is free.
    buttons.sort(key=lambda b: not isinstance(b.parent(), QDialogButtonBox))
    add_mnemonics(buttons, taken)
    return taken + [m for m in (mnemonic(b.text()) for b in buttons) if m]


class _BoxMnemonics(QObject):
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Show and isinstance(watched, QDialog):
            dialog_mnemonics(watched)
        return False


def with_mnemonics(show: Callable[[], _T]) -> _T:
    """``show()`` (which opens a modal box), its buttons given mnemonics as it shows."""
    app = QApplication.instance()
    mnemonics = _BoxMnemonics()
    if app is not None:
        app.installEventFilter(mnemonics)
    try:
        return show()
    finally:
        if app is not None:
            app.removeEventFilter(mnemonics)


def question(
    parent: QWidget | None,
    title: str,
    text: str,
    buttons: _Button,
    default: _Button = _Button.NoButton,
) -> _Button:
    """``QMessageBox.question`` with mnemonics on its buttons."""
    return with_mnemonics(lambda: QMessageBox.question(parent, title, text, buttons, default))


def critical(parent: QWidget | None, title: str, text: str) -> None:
    """``QMessageBox.critical`` with a mnemonic on its button."""
    with_mnemonics(lambda: QMessageBox.critical(parent, title, text))


def warning(parent: QWidget | None, title: str, text: str) -> None:
    """``QMessageBox.warning`` with a mnemonic on its button."""
    with_mnemonics(lambda: QMessageBox.warning(parent, title, text))


def information(parent: QWidget | None, title: str, text: str) -> None:
    """``QMessageBox.information`` with a mnemonic on its button."""
    with_mnemonics(lambda: QMessageBox.information(parent, title, text))


def about(parent: QWidget | None, title: str, text: str) -> None:
    """``QMessageBox.about`` with a mnemonic on its button."""
    with_mnemonics(lambda: QMessageBox.about(parent, title, text))
