"""Work held back until a widget has painted for the first time: the app's window shows
its articles first; matching and the library lookup (which import numpy, the matcher
and the library in their worker threads, competing with the GUI thread for the
interpreter) start once it has painted.

:meth:`FirstPaint.later` runs a callable after the first paint, on the GUI thread (at
once when that has happened already).
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QWidget


class FirstPaint(QObject):
    def __init__(self, widget: QWidget) -> None:
        super().__init__(widget)
        self._pending: list[Callable[[], None]] = []
        self._painted = False
        widget.installEventFilter(self)

    @property
    def painted(self) -> bool:
        return self._painted

    def later(self, work: Callable[[], None]) -> None:
        if self._painted:
            work()
        else:
            self._pending.append(work)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint and not self._painted:
            self._painted = True
            watched.removeEventFilter(self)
            # After this paint (and the rest of the window's, in the same pass) is done.
            QTimer.singleShot(0, self, self._run)
        return False

    def _run(self) -> None:
        pending, self._pending = self._pending, []
        for work in pending:
            work()
