"""Run one blocking function (a download, say) in a worker thread.

Signals: ``finished(object result)`` or ``failed(object exception)``, delivered on
the GUI thread. A result that arrives after :meth:`FunctionTask.abandon` is dropped.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, Signal


class FunctionTask(QObject):
    finished = Signal(object)
    failed = Signal(object)
    _done = Signal(int, object, bool)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._generation = 0
        self._running = False
        # Emitted from the worker; the receiver lives in the GUI thread, so it is queued.
        self._done.connect(self._on_done)

    def is_running(self) -> bool:
        return self._running

    def start(self, function: Callable[[], Any]) -> None:
        self._generation += 1
        self._running = True
        generation = self._generation

        def work() -> None:
            try:
                outcome = (function(), True)
            except Exception as error:
                outcome = (error, False)
            # RuntimeError: this task's owner was deleted meanwhile; nobody waits for it.
            with contextlib.suppress(RuntimeError):
                self._done.emit(generation, *outcome)

        threading.Thread(target=work, name="factcheck-task", daemon=True).start()

    def abandon(self) -> None:
        self._generation += 1
        self._running = False

    def _on_done(self, generation: int, value: object, ok: bool) -> None:
        if generation != self._generation:
            return
        self._running = False
        (self.finished if ok else self.failed).emit(value)
