"""One owner for all highlights of a text view (Spyder's decoration manager).

Views never call ``setExtraSelections`` themselves: they hand a list of
:class:`Decoration` to :meth:`DecorationManager.apply`, which sorts them by draw order
and installs them in one call (later ones paint over earlier ones).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QPlainTextEdit, QTextEdit

from factcheck.values import Value

if TYPE_CHECKING:
    from PySide6.QtGui import QTextCharFormat, QTextCursor, QTextDocument

#: Draw orders: verdict tint first, then matched claims, then the selection.
ORDER_VERDICT = 0
#: The hatching of a claim changed since reviewed, over its verdict tint.
ORDER_CHANGED = 5
ORDER_RELATED = 10
ORDER_SELECTED = 20


@dataclass(frozen=True, eq=False, repr=False)
class Decoration(Value):
    """A format over document positions ``start``–``end`` (UTF-16, not str offsets)."""

    start: int
    end: int
    char_format: QTextCharFormat
    order: int = ORDER_VERDICT


def new_format(base: QTextCharFormat | None = None) -> QTextCharFormat:
    """A new character format, or a copy of ``base``."""
    kind = _format_class()
    return kind() if base is None else kind(base)


def new_cursor(document: QTextDocument) -> QTextCursor:
    """A cursor at the start of ``document``."""
    return _cursor_class()(document)


@cache
def _format_class() -> type[QTextCharFormat]:
    """PySide builds QTextCharFormat's class with its 11 enum classes (Property has 150
    members) on first use, 0.014 G instructions: not for the app's first paint, which
    shows the text without its claims' formats (nor QTextCursor's, 0.002 G)."""
    from PySide6.QtGui import QTextCharFormat

    return QTextCharFormat


@cache
def _cursor_class() -> type[QTextCursor]:
    """(See :func:`_format_class`.)"""
    from PySide6.QtGui import QTextCursor

    return QTextCursor


class DecorationManager:
    def __init__(self, editor: QPlainTextEdit) -> None:
        self._editor = editor
        self._count = 0
        self._installed: list[Decoration] = []

    @property
    def count(self) -> int:
        """How many selections are installed (for tests and the benchmark)."""
        return self._count

    def apply(self, decorations: Iterable[Decoration]) -> None:
        """Install ``decorations`` (nothing happens when they are the ones installed:
        a new set of selections repaints the whole view)."""
        ordered = sorted(decorations, key=lambda d: d.order)
        if ordered == self._installed:
            return
        self._installed = ordered
        document = self._editor.document()
        selections = []
        for deco in ordered:
            selection = QTextEdit.ExtraSelection()
            cursor = new_cursor(document)
            cursor.setPosition(deco.start)
            cursor.setPosition(deco.end, cursor.MoveMode.KeepAnchor)
            selection.cursor = cursor
            selection.format = deco.char_format
            selections.append(selection)
        self._editor.setExtraSelections(selections)
        self._count = len(selections)

    def clear(self) -> None:
        self._editor.setExtraSelections([])
        self._count = 0
        self._installed = []
