"""View ▸ Zoom in / Zoom out / Reset zoom: the article panes' font size.

One step is one point; the number of steps is what the app remembers (the base size
is the platform's, which may differ between machines). Signals: ``zoomed(int steps)``.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QObject, QTimer, Signal

from .article_view import ArticleView

MIN_STEPS, MAX_STEPS = -4, 16


class PaneZoom(QObject):
    zoomed = Signal(int)

    def __init__(self, views: Sequence[ArticleView], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._views = tuple(views)
        self._base = self._views[0].font().pointSizeF()
        self.steps = 0

    def set_steps(self, steps: int) -> None:
        steps = max(MIN_STEPS, min(MAX_STEPS, int(steps)))
        if steps == self.steps:
            return
        self.steps = steps
        for view in self._views:
            font = view.font()
            font.setPointSizeF(self._base + steps)
            view.setFont(font)
            view.refresh()
            # The text reflows (once laid out again): bring the selected claim back.
            QTimer.singleShot(0, view, lambda v=view: _keep_selection_in_view(v))
            view.viewChanged.emit()  # claims moved: ribbons and maps follow
        self.zoomed.emit(steps)

    def zoom(self, delta: int) -> None:
        self.set_steps(self.steps + delta)

    def point_size(self) -> float:
        return self._views[0].font().pointSizeF()


def _keep_selection_in_view(view: ArticleView) -> None:
    if view.selected is not None:
        view.scroll_to_claim(view.selected)
