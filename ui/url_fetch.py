"""File ▸ Open URL's download: off the GUI thread, with a progress dialog whose Cancel
button (or Esc) stops it at once.

Signals: ``fetched(object article)`` with the downloaded :class:`Article`,
``failed(object error)`` with the exception, ``cancelled()`` after the user stopped it.
The download itself ends within ``factcheck.fetch.FETCH_DEADLINE_S`` seconds whatever
the server does; Cancel shuts its connection at once (the worker thread ends within a
fraction of a second) and its result, if one is already on its way, is dropped.
"""

from __future__ import annotations

import threading

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import QProgressDialog, QWidget

from .tasks import FunctionTask

#: The progress dialog appears only for downloads that take longer than this.
SHOW_AFTER_MS = 300


class UrlFetch(QObject):
    fetched = Signal(object)
    failed = Signal(object)
    cancelled = Signal()

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self._parent = parent
        self._task = FunctionTask(self)
        self._task.finished.connect(self._on_task_finished)
        self._task.failed.connect(self._on_task_failed)
        self._stop: threading.Event | None = None
        self.dialog: QProgressDialog | None = None

    def is_running(self) -> bool:
        return self._stop is not None

    def start(self, url: str, side: str) -> None:
        """Download ``url`` as article ``side``; a download still running is cancelled."""
        from factcheck.fetch import fetch_article

        self.cancel()
        stop = threading.Event()
        self._stop = stop
        dialog = QProgressDialog(f"Fetching {url}…", "&Cancel", 0, 0, self._parent)
        dialog.setObjectName("fetchProgress")
        dialog.setWindowTitle("Open URL")
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.setMinimumDuration(SHOW_AFTER_MS)
        dialog.setAutoReset(False)
        dialog.setAutoClose(False)
        dialog.canceled.connect(self.cancel)  # the Cancel button; Esc in an active window
        dialog.rejected.connect(self.cancel)  # Esc otherwise (QDialog rejects on it)
        dialog.setValue(0)  # starts the timer that shows it after SHOW_AFTER_MS
        self.dialog = dialog
        self._task.start(lambda: fetch_article(url, article_id=side, cancel=stop))

    def cancel(self) -> None:
        """Stop the running download (nothing happens when none is running)."""
        stop = self._stop
        if stop is None:
            return
        stop.set()
        self._task.abandon()
        self._finish()
        self.cancelled.emit()

    def _finish(self) -> None:
        self._stop = None
        dialog, self.dialog = self.dialog, None
        if dialog is not None:
            dialog.canceled.disconnect(self.cancel)  # closing it emits canceled
            dialog.rejected.disconnect(self.cancel)
            dialog.hide()
            dialog.deleteLater()

    def _on_task_finished(self, article: object) -> None:
        self._finish()
        self.fetched.emit(article)

    def _on_task_failed(self, error: object) -> None:
        self._finish()
        self.failed.emit(error)
