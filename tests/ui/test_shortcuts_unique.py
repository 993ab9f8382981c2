"""No key does two things (as Meld's accelerator test): every shortcut of the window's
actions and QShortcuts is bound once, and within a menu each mnemonic (&-letter) is
used once, so Alt+letter never has to guess."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from typing import Any

from PySide6.QtGui import QAction, QKeySequence, QShortcut
from PySide6.QtWidgets import QMenu


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
