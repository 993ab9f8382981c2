"""Keys a control needs for itself win over the window-wide single-key shortcuts.

The review shortcuts include bare keys (J, K, digits, the arrows; :mod:`ui.actions`).
Qt offers every key press to the shortcuts before the focused widget, unless that
widget accepts the ``ShortcutOverride`` event first. Line edits do so for typing, but
spin-box arrows, combo boxes and list views do not, so Up in the threshold box would
select the previous claim instead of raising the threshold. :func:`keep_own_keys`
gives such a widget its navigation keys (and, with ``typing``, printable keys).
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QWidget

Key = Qt.Key
_Mod = Qt.KeyboardModifier

#: Keys that move within a control (step a spin box, choose a combo item or list row).
NAVIGATION = frozenset(
    {Key.Key_Up, Key.Key_Down, Key.Key_PageUp, Key.Key_PageDown, Key.Key_Home, Key.Key_End}
)


class _OwnKeys(QObject):
    def __init__(self, widget: QWidget, *, typing: bool) -> None:
        super().__init__(widget)
        self._typing = typing

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (
            event.type() == QEvent.Type.ShortcutOverride
            and isinstance(event, QKeyEvent)
            and self._owns(event)
        ):
            event.accept()  # the key goes to the widget; no shortcut fires
            return True
        return False

    def _owns(self, event: QKeyEvent) -> bool:
        modifiers = event.modifiers() & ~_Mod.KeypadModifier
        if modifiers == _Mod.NoModifier and event.key() in NAVIGATION:
            return True
        text = event.text()
        return (
            self._typing
            and modifiers in (_Mod.NoModifier, _Mod.ShiftModifier)
            and text.isprintable()
            and bool(text.strip())
        )


def keep_own_keys(widget: QWidget, *, typing: bool = False) -> None:
    """Let ``widget`` take its navigation keys (and printable keys, with ``typing``)
    before the window's shortcuts do."""
    widget.installEventFilter(_OwnKeys(widget, typing=typing))
