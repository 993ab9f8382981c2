"""The strip between the panes when two versions of one article are compared: Meld's
link map. Each change chunk joins its sentences in the old version (left) to the new
(right); an insertion starts from a point between the old sentences where it goes,
a deletion ends at such a point on the right. Two cubic Béziers with control points
at a third and two thirds of the width, filled by kind (changed, added, removed,
moved), outlined; the current chunk is outlined strongly and drawn last. Chunks
entirely out of view on both sides are not drawn.

:meth:`VersionMap.shapes` gives the geometry as plain values for tests.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from PySide6.QtCore import QPoint, QPointF, QSize
from PySide6.QtGui import QColor, QPainter, QPainterPath, QPaintEvent, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

from factcheck.versions import ChangeChunk, ChangeKind

from .article_view import ArticleView

CHUNK_COLOURS: dict[ChangeKind, QColor] = {
    ChangeKind.CHANGED: QColor("#0969da"),
    ChangeKind.INSERTED: QColor("#1a7f37"),
    ChangeKind.DELETED: QColor("#cf222e"),
    ChangeKind.MOVED: QColor("#8250df"),
    ChangeKind.UNCHANGED: QColor("#6e7781"),
}


@dataclass(frozen=True)
class ChunkShape:
    index: int
    kind: ChangeKind
    old_top: float
    old_bottom: float
    new_top: float
    new_bottom: float
    current: bool


class VersionMap(QWidget):
    def __init__(
        self, view_old: ArticleView, view_new: ArticleView, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("versionMap")
        self._views = (view_old, view_new)
        self._chunks: tuple[ChangeChunk, ...] = ()
        self._current: int | None = None
        self.setMinimumWidth(40)
        self.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Expanding)
        for view in self._views:
            view.viewChanged.connect(self.update)

    def sizeHint(self) -> QSize:
        return QSize(72, 400)

    def set_chunks(self, chunks: Sequence[ChangeChunk]) -> None:
        self._chunks, self._current = tuple(chunks), None
        self.update()

    def set_current(self, index: int | None) -> None:
        if index != self._current:
            self._current = index
            self.update()

    # -- geometry ------------------------------------------------------------------

    def shapes(self) -> list[ChunkShape]:
        """The chunks in view (at least one end), the current one last."""
        height = float(self.height())
        shapes = []
        for n, chunk in enumerate(self._chunks):
            old = self._ends(0, chunk.old_range)
            new = self._ends(1, chunk.new_range)
            if old is None or new is None:
                continue
            above = old[1] < 0 and new[1] < 0
            below = old[0] > height and new[0] > height
            if above or below:
                continue
            shapes.append(ChunkShape(n, chunk.kind, *old, *new, n == self._current))
        shapes.sort(key=lambda s: s.current)
        return shapes

    def _ends(self, side: int, claims: tuple[int, int]) -> tuple[float, float] | None:
        """Top and bottom here of claims ``[start, end)`` of a side (a point between two
        claims when the range is empty)."""
        view = self._views[side]
        count = len(view.claims)
        if count == 0:
            return (0.0, 0.0)
        start, end = claims
        dy = float(self.mapFromGlobal(view.viewport().mapToGlobal(QPoint(0, 0))).y())
        if start < end:
            top = view.claim_y(view.claims[start].id)[0]
            bottom = view.claim_y(view.claims[end - 1].id)[1]
            return (top + dy, bottom + dy)
        # Between claims: just above the next one, or below the last.
        y = view.claim_y(view.claims[start].id)[0] if start < count else None
        if y is None:
            y = view.claim_y(view.claims[-1].id)[1]
        return (y + dy, y + dy)

    # -- painting ------------------------------------------------------------------

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.fillRect(self.rect(), self.palette().window())
        width = float(self.width())
        x1, x2 = width / 3, 2 * width / 3
        for s in self.shapes():
            path = QPainterPath(QPointF(0, s.old_top))
            path.cubicTo(x1, s.old_top, x2, s.new_top, width, s.new_top)
            path.lineTo(width, s.new_bottom)
            path.cubicTo(x2, s.new_bottom, x1, s.old_bottom, 0, s.old_bottom)
            path.closeSubpath()
            colour = CHUNK_COLOURS[s.kind]
            fill = QColor(colour)
            fill.setAlpha(150 if s.current else 70)
            painter.fillPath(path, fill)
            painter.setPen(QPen(colour, 2.5 if s.current else 1.0))
            painter.drawPath(path)
        painter.end()
