"""Keys that take the user out of a text field, whichever field it is.

Esc leaves a field (search, evidence, tags, a paste box) for wherever the caller
says, usually the article pane; Down leaves a search box for its results. In a paste
box Tab moves on to the next control and Ctrl+Tab types a tab. The keys are claimed
at ``ShortcutOverride`` time so that no window-wide shortcut (Down is "next claim")
takes them first.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QPlainTextEdit, QWidget

Key = Qt.Key
_Mod = Qt.KeyboardModifier


class _FieldKeys(QObject):
    def __init__(self, widget: QWidget, handlers: dict[tuple[Qt.Key, bool], Callable[[], None]]):
        super().__init__(widget)
        self._handlers = handlers

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if kind not in (QEvent.Type.ShortcutOverride, QEvent.Type.KeyPress):
            return False
        assert isinstance(event, QKeyEvent)
        modifiers = event.modifiers() & ~_Mod.KeypadModifier
        ctrl = modifiers == _Mod.ControlModifier
        if not ctrl and modifiers != _Mod.NoModifier:
            return False
        handler = self._handlers.get((Key(event.key()), ctrl))
        if handler is None:
            return False
        event.accept()
        if kind == QEvent.Type.KeyPress:
            handler()
        return True


def leave_on_escape(
    field: QWidget, leave: Callable[[], None], *, down: Callable[[], None] | None = None
) -> None:
    """Esc in ``field`` calls ``leave``; with ``down``, so does Down (into results)."""
    handlers: dict[tuple[Qt.Key, bool], Callable[[], None]] = {(Key.Key_Escape, False): leave}
    if down is not None:
        handlers[(Key.Key_Down, False)] = down
    field.installEventFilter(_FieldKeys(field, handlers))


def paste_box_keys(box: QPlainTextEdit, leave: Callable[[], None]) -> None:
    """Tab moves focus on, Ctrl+Tab types a tab, Esc calls ``leave`` (not closing the
    dialog, which would lose what was pasted)."""
    box.setTabChangesFocus(True)
    handlers: dict[tuple[Qt.Key, bool], Callable[[], None]] = {
        (Key.Key_Escape, False): leave,
        (Key.Key_Tab, True): lambda: box.insertPlainText("\t"),
    }
    box.installEventFilter(_FieldKeys(box, handlers))
