"""No key does two things (as Meld's accelerator test): every shortcut of the window's
actions and QShortcuts is bound once, within a menu each mnemonic (&-letter) is used
once, and every button of every dialog and message box has a mnemonic that no other
control of its dialog uses, so Alt+letter never has to guess."""

from __future__ import annotations

import importlib
import pkgutil
from collections import Counter
from collections.abc import Callable
from dataclasses import replace
from typing import Any

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QAction, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QDialog,
    QGroupBox,
    QLabel,
    QMenu,
    QMessageBox,
    QWidget,
)
from pytestqt.qtbot import QtBot

from ui.load_warnings import show_load_warnings
from ui.mnemonics import mnemonic

from .helpers import activate

_Box = QMessageBox.StandardButton
#: Qt's own, before the window fixture makes every question answer Discard.
_QUESTION = QMessageBox.question


def _key(sequence: QKeySequence) -> str:
    return sequence.toString(QKeySequence.SequenceFormat.PortableText)


def test_no_shortcut_is_bound_twice(make_window: Callable[..., Any]) -> None:
    window = make_window()
    bound: Counter[str] = Counter()
    actions = {id(a): a for a in window.findChildren(QAction)}.values()
    for action in actions:
        bound.update({_key(k) for k in action.shortcuts() if not k.isEmpty()})
    for shortcut in window.findChildren(QShortcut):
        if not shortcut.key().isEmpty():
            bound[_key(shortcut.key())] += 1
    assert len(bound) > 30, "the window's actions were found"
    assert [key for key, n in bound.items() if n > 1] == []


def test_no_mnemonic_is_used_twice_in_a_menu(make_window: Callable[..., Any]) -> None:
    window = make_window()
    menus = [m for m in window.findChildren(QMenu) if m.actions()]
    assert len(menus) >= 4
    for menu in menus:
        letters = Counter(
            text[text.index("&") + 1].lower()
            for text in (a.text().replace("&&", "") for a in menu.actions())
            if "&" in text
        )
        assert [c for c, n in letters.items() if n > 1] == [], menu.title()


# -- dialogs and message boxes ------------------------------------------------------


def _dialog_mnemonics(dialog: QWidget) -> tuple[list[str], list[str]]:
    """The mnemonic letters of ``dialog``'s controls (buttons, labels with a buddy,
    group boxes), and the texts of its buttons that have none."""
    letters = [
        m
        for m in [mnemonic(label.text()) for label in dialog.findChildren(QLabel) if label.buddy()]
        + [mnemonic(box.title()) for box in dialog.findChildren(QGroupBox)]
        + [mnemonic(b.text()) for b in dialog.findChildren(QAbstractButton)]
        if m
    ]
    bare = [b.text() for b in dialog.findChildren(QAbstractButton) if mnemonic(b.text()) is None]
    return letters, bare


def _ui_dialog_classes() -> set[type]:
    """Every QDialog subclass the ui package defines."""
    import ui

    for info in pkgutil.iter_modules(ui.__path__):
        importlib.import_module(f"ui.{info.name}")
    found: set[type] = set()
    todo = [QDialog]
    while todo:
        for sub in todo.pop().__subclasses__():
            todo.append(sub)
            if sub.__module__.startswith("ui."):
                found.add(sub)
    return found


def test_every_dialog_and_message_box_has_a_mnemonic_on_each_button_used_once(
    make_window: Callable[..., Any], qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    from ui import mnemonics

    window = make_window()
    monkeypatch.setattr(QMessageBox, "question", _QUESTION)
    activate(window, qtbot)
    seen: dict[str, tuple[list[str], list[str]]] = {}
    kinds: set[type] = set()

    def inspect_and_escape(name: str) -> None:
        dialog = QApplication.activeModalWidget()
        if dialog is None:
            QTimer.singleShot(10, lambda: inspect_and_escape(name))
            return
        seen[name] = _dialog_mnemonics(dialog)
        kinds.add(type(dialog))
        qtbot.keyClick(dialog, Qt.Key.Key_Escape)

    openers: dict[str, Callable[[], object]] = {
        name: window.actions_by_name[name].trigger
        for name in ("new", "open_url", "export", "article_details", "shortcuts", "about")
    }
    for helper in ("critical", "warning", "information"):
        openers[helper] = lambda h=helper: getattr(mnemonics, h)(window, h, "A message.")
    openers["question"] = lambda: mnemonics.question(
        window, "Unsaved changes", "Save?", _Box.Save | _Box.Discard | _Box.Cancel
    )
    for name, open_it in openers.items():
        QTimer.singleShot(0, lambda n=name: inspect_and_escape(n))
        open_it()
    for side in "ab":  # the one non-modal box: the load warnings
        article = replace(window.store.article(side), load_warnings=("invalid bytes",))
        show_load_warnings(window, article)
        box = window.findChild(QMessageBox, "loadWarnings")
        seen[f"load warnings {side}"] = _dialog_mnemonics(box)
        box.close()
        qtbot.waitUntil(lambda: window.findChild(QMessageBox, "loadWarnings") is None)

    assert set(seen) == {*openers, "load warnings a", "load warnings b"}
    for name, (letters, bare) in seen.items():
        assert bare == [], f"{name}: buttons without a mnemonic"
        assert len(letters) >= 1, name
        assert [c for c, n in Counter(letters).items() if n > 1] == [], name
    assert _ui_dialog_classes() <= kinds, "a dialog class the test does not open"
