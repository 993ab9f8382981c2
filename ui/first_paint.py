"""Work held back until a widget has painted for the first time: the app's window shows
its articles first; matching and the library lookup (which import numpy, the matcher
and the library in their worker threads, competing with the GUI thread for the
interpreter) start once it has painted.

:meth:`FirstPaint.later` runs a callable after the first paint, on the GUI thread (at
once when that has happened already). Asked for by the work held back (the app's window
builds its docks and menus after the first paint, then starts matching), it runs on the
next turn of the event loop, once the layouts that work changed are done: as it would
after a first paint of the whole window.
"""

from __future__ import annotations

from collections.abc import Callable

import shiboken6
from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QWidget


class FirstPaint(QObject):
    def __init__(self, widget: QWidget) -> None:
        super().__init__(widget)
        self._pending: list[Callable[[], None]] = []
        self._painted = False
        self._running = False
        widget.installEventFilter(self)

    @property
    def painted(self) -> bool:
        return self._painted

    def later(self, work: Callable[[], None]) -> None:
        if self._running:
            QTimer.singleShot(0, self, work)
        elif self._painted:
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
        self._running = True
        try:
            for work in pending:
                work()
        finally:
            self._running = False


#: Input a user can aim at a window.
_INPUT = frozenset(
    {
        QEvent.Type.ShortcutOverride,
        QEvent.Type.KeyPress,
        QEvent.Type.MouseButtonPress,
        QEvent.Type.MouseButtonDblClick,
        QEvent.Type.Wheel,
    }
)


class BeforeInput(QObject):
    """Runs ``work`` once, before the first key, shortcut, click or wheel turn aimed at a
    widget of ``window`` is handled (the app's window builds its menus and their
    shortcuts then, if the user is quicker than its first paint).

    It watches the widgets the window has when it is made (the rest is what ``work``
    builds), not the whole application: an application-wide filter passes every event
    of every object through Python, and wrapping those objects made PySide build the
    enum classes of dozens of Qt classes during the first paint (about a tenth of the
    app's start)."""

    def __init__(self, window: QWidget, work: Callable[[], None]) -> None:
        super().__init__(window)
        self._work: Callable[[], None] | None = work
        self._watched = [window, *window.findChildren(QWidget)]
        for widget in self._watched:
            widget.installEventFilter(self)

    def done(self) -> None:
        """Nothing more to do: stop watching the input."""
        self._work = None
        watched, self._watched = self._watched, []
        for widget in watched:
            if shiboken6.isValid(widget):
                widget.removeEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if self._work is not None and event.type() in _INPUT:
            work = self._work
            self.done()
            work()
        return False
