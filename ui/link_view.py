"""Ribbons between the two article panes (Meld's linkmap, calibre's splitter handle).

For every visible claim with a partner in the other article, one ribbon joins the
claim's lines on the left to its partner's on the right: two cubic Béziers with
their control points at mid-width, filled with an alpha that grows with the score,
coloured by state (suggested / confirmed / linked by hand; rejected links are not
drawn). Ribbons of the selected claim are drawn last and outlined.

Repainting is cheap because little changes between paints: the ribbons' geometry
(which claims are visible, where their ends are) is kept until a pane scrolls or
resizes or the links change, each pane's part of it until that pane moves, and the
ribbons are rendered in their plain look into three pixmaps: those from visible claims
of A to claims of B out of view, those with both ends in view, and those from B's
visible claims to A's out of view. Scrolling one pane (or a click, which scrolls the
other pane to the match) redraws two of them; the third is drawn as it was. A click
only changes which ribbons are highlighted: the selected ribbons are painted over the
rest (over their own faint plain look, which their stronger fill and outline cover).

:meth:`LinkView.ribbons` returns the geometry as plain values so tests can check
what would be painted without looking at pixels.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any

from PySide6.QtCore import QObject, QPoint, QPointF, QSize, Qt
from PySide6.QtGui import QColor, QPainter, QPainterPath, QPaintEvent, QPen, QPixmap
from PySide6.QtWidgets import QSizePolicy, QWidget

from factcheck.models import LinkState

from .article_view import ArticleView, ClaimSpan
from .claim_style import LINK_COLOURS
from .link_index import LinkIndex

#: A pane's visible spans by id, its y offset in the link view, first and last visible index.
_SideGeometry = tuple[dict[str, ClaimSpan], float, int, int]
#: The plain ribbons: A's end visible only, both ends visible, B's end visible only.
_Geometry = tuple[tuple["Ribbon", ...], tuple["Ribbon", ...], tuple["Ribbon", ...]]
#: Where a ribbon's end goes when its claim is scrolled out of view (pixels past the edge).
OFFSCREEN = 24.0


@dataclass(frozen=True)
class Ribbon:
    a_id: str
    b_id: str
    a_top: float
    a_bottom: float
    b_top: float
    b_bottom: float
    score: float
    state: LinkState
    selected: bool


class LinkView(QWidget):
    def __init__(self, view_a: ArticleView, view_b: ArticleView, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("linkView")
        self._views = (view_a, view_b)
        self._index: LinkIndex | None = None
        self._current: str | None = None
        self._pair: tuple[str | None, str | None] = (None, None)
        #: The ribbons' geometry and the state it was computed for (see _state).
        self._geometry: tuple[Any, _Geometry] | None = None
        #: The plain ribbons going out of view on B's side, in view on both sides and
        #: going out of view on A's side, rendered; each with the ribbons and the size it
        #: was drawn for.
        self._layers: list[tuple[Any, QPixmap] | None] = [None, None, None]
        #: Each pane's visible spans and the pane state they were computed for.
        self._sides: list[tuple[Any, _SideGeometry] | None] = [None, None]
        self.setMinimumWidth(40)
        self.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Expanding)
        for view in self._views:
            view.viewChanged.connect(self.update)

    def sizeHint(self) -> QSize:
        return QSize(72, 400)

    def set_index(self, index: LinkIndex) -> None:
        self._index = index
        self.update()

    def set_selection(self, current: str | None, a_id: str | None, b_id: str | None) -> None:
        """``current`` is the claim in focus; ``a_id``/``b_id`` the pair shown as chosen."""
        self._current, self._pair = current, (a_id, b_id)
        self.update()

    # -- geometry ------------------------------------------------------------------

    def ribbons(self) -> list[Ribbon]:
        """The ribbons to draw, the selected ones last (they paint over the others)."""
        current = self._current
        ribbons = [
            replace(r, selected=True) if current in (r.a_id, r.b_id) else r
            for r in self._plain_ribbons()
        ]
        ribbons.sort(key=lambda r: (r.selected, (r.a_id, r.b_id) == self._pair))
        return ribbons

    def _state(self) -> tuple[Any, ...]:
        """What the geometry depends on: the links, each pane's state (see
        :meth:`_view_state`) and this view's height."""
        return (id(self._index), self.height(), tuple(map(self._view_state, self._views)))

    def _view_state(self, view: ArticleView) -> tuple[Any, ...]:
        """What a pane's visible spans depend on: its claims, scroll position, size and
        place relative to this view."""
        return (
            id(view.claims),
            view.verticalScrollBar().value(),
            view.viewport().size().toTuple(),
            self.mapFromGlobal(view.viewport().mapToGlobal(QPoint(0, 0))).y(),
        )

    def _plain_ribbons(self) -> list[Ribbon]:
        """Every ribbon with at least one end visible, none selected (kept while the
        state it was computed for holds)."""
        return [r for group in self._ribbon_groups() for r in group]

    def _ribbon_groups(self) -> _Geometry:
        """The plain ribbons in three groups: A's end visible only, both ends visible,
        B's end visible only."""
        state = self._state()
        if self._geometry is None or self._geometry[0] != state:
            self._geometry = (state, self._compute_ribbons())
        return self._geometry[1]

    def _compute_ribbons(self) -> _Geometry:
        if self._index is None:
            return ((), (), ())
        index = self._index
        sides = [self._side_geometry(side) for side in (0, 1)]
        pairs: dict[tuple[str, str], float | None] = {}
        for a_id in sides[0][0]:
            for p in index.partners(a_id, include_rejected=False):
                pairs[(a_id, p.claim_id)] = p.score
        for b_id in sides[1][0]:
            for p in index.partners(b_id, include_rejected=False):
                pairs[(p.claim_id, b_id)] = p.score
        groups: tuple[list[Ribbon], list[Ribbon], list[Ribbon]] = ([], [], [])
        for (a_id, b_id), score in pairs.items():
            state = index.state(a_id, b_id) or LinkState.SUGGESTED
            a_top, a_bottom = self._end(0, a_id, sides[0])
            b_top, b_bottom = self._end(1, b_id, sides[1])
            group = 2 if a_id not in sides[0][0] else 0 if b_id not in sides[1][0] else 1
            groups[group].append(
                Ribbon(a_id, b_id, a_top, a_bottom, b_top, b_bottom, score or 0.0, state, False)
            )
        return (tuple(groups[0]), tuple(groups[1]), tuple(groups[2]))

    def _side_geometry(self, side: int) -> _SideGeometry:
        """Visible spans by id, the view's y offset here, first and last visible index
        (kept while the pane's state holds: scrolling one pane leaves the other's)."""
        view = self._views[side]
        state = self._view_state(view)
        kept = self._sides[side]
        if kept is not None and kept[0] == state:
            return kept[1]
        spans = view.visible_claims()
        dy = float(state[3])
        first = view.claim_index(spans[0].claim_id) if spans else 0
        last = view.claim_index(spans[-1].claim_id) if spans else -1
        geometry = ({s.claim_id: s for s in spans}, dy, first, last)
        self._sides[side] = (state, geometry)
        return geometry

    def _end(self, side: int, claim_id: str, geometry: _SideGeometry) -> tuple[float, float]:
        spans, dy, first, _last = geometry
        span = spans.get(claim_id)
        if span is not None:
            return span.top + dy, span.bottom + dy
        # Off screen: point the ribbon past the edge it is beyond.
        if self._views[side].claim_index(claim_id) < first:
            return -OFFSCREEN, -OFFSCREEN + 4
        edge = float(self.height())
        return edge + OFFSCREEN - 4, edge + OFFSCREEN

    # -- painting ------------------------------------------------------------------

    def paintEvent(self, event: QPaintEvent) -> None:
        a_only, both, b_only = self._ribbon_groups()
        painter = QPainter(self)
        painter.fillRect(self.rect(), self.palette().window().color())
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        for slot, group in enumerate((a_only, both, b_only)):
            if group:
                painter.drawPixmap(0, 0, self._layer(slot, group))
        looks = _RibbonLooks(painter, float(self.width()), float(self.height()))
        for r in self.ribbons():
            if r.selected:
                looks.paint(r)
        painter.end()

    def _layer(self, slot: int, ribbons: tuple[Ribbon, ...]) -> QPixmap:
        """``ribbons`` rendered on a transparent pixmap (kept while they are the same)."""
        ratio = self.devicePixelRatioF()
        key = (ribbons, self.size().toTuple(), ratio)
        kept = self._layers[slot]
        if kept is not None and kept[0] == key:
            return kept[1]
        pixmap = QPixmap(self.size() * ratio)
        pixmap.setDevicePixelRatio(ratio)
        pixmap.fill(Qt.GlobalColor.transparent)
        painter = QPainter(pixmap)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        looks = _RibbonLooks(painter, float(self.width()), float(self.height()))
        for r in ribbons:
            looks.paint(r)
        painter.end()
        self._layers[slot] = (key, pixmap)
        return pixmap


class _RibbonLooks:
    """Paints ribbons on one painter: two cubic Béziers with their control points at
    mid-width (Meld's linkmap), filled by state and score and outlined; a layer of
    dozens of ribbons shares the colours, pens and the painter's antialiasing switch
    (a click redraws two or three layers: the cost of a repaint is mostly here)."""

    def __init__(self, painter: QPainter, width: float, height: float) -> None:
        self._painter = painter
        self._width = width
        self._height = height
        self._antialiased = True
        self._fills: dict[tuple[LinkState, int], QColor] = {}
        self._pens: dict[tuple[LinkState, bool], QPen] = {}

    def path(self, r: Ribbon) -> QPainterPath:
        width = self._width
        mid = width / 2
        path = QPainterPath(QPointF(0, r.a_top))
        path.cubicTo(mid, r.a_top, mid, r.b_top, width, r.b_top)
        path.lineTo(width, r.b_bottom)
        path.cubicTo(mid, r.b_bottom, mid, r.a_bottom, 0, r.a_bottom)
        path.closeSubpath()
        return path

    def paint(self, r: Ribbon) -> None:
        painter = self._painter
        alpha = min(230, 40 + int(r.score * 1.3)) if r.selected else 18 + int(r.score)
        # Ribbons to claims scrolled out of view bunch up at the edges: keep them
        # faint so the links between visible claims stand out.
        offscreen = min(r.a_bottom, r.b_bottom) <= 0 or max(r.a_top, r.b_top) >= self._height
        faint = offscreen and not r.selected
        if faint:
            # Faint, and most of the ribbons: filled without antialiasing or an outline,
            # which is most of the cost of a repaint (they run the whole height).
            alpha //= 2
        if self._antialiased == faint:
            self._antialiased = not faint
            painter.setRenderHint(QPainter.RenderHint.Antialiasing, not faint)
        path = self.path(r)
        painter.fillPath(path, self._fill(r.state, alpha))
        if faint:
            return
        pen = self._pens.get((r.state, r.selected))
        if pen is None:
            outline = QColor(LINK_COLOURS[r.state])
            outline.setAlpha(255 if r.selected else 110)
            pen = self._pens[(r.state, r.selected)] = QPen(outline, 2.0 if r.selected else 1.0)
        painter.setPen(pen)
        painter.drawPath(path)

    def _fill(self, state: LinkState, alpha: int) -> QColor:
        fill = self._fills.get((state, alpha))
        if fill is None:
            fill = self._fills[(state, alpha)] = QColor(LINK_COLOURS[state])
            fill.setAlpha(alpha)
        return fill


class ScrollSync(QObject):
    """Scrolls one pane to follow the other along the links.

    The pane that scrolls keeps its claim nearest the middle where it is; the other
    pane scrolls so that claim's best partner sits at the same height. ``_syncing``
    stops the echo (the followed pane's own scroll signal) from scrolling back.
    """

    def __init__(
        self,
        view_a: ArticleView,
        view_b: ArticleView,
        index: Callable[[], LinkIndex | None],
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.enabled = False
        self._syncing = False
        self._index = index
        view_a.verticalScrollBar().valueChanged.connect(lambda _v: self.follow(view_a, view_b))
        view_b.verticalScrollBar().valueChanged.connect(lambda _v: self.follow(view_b, view_a))

    def follow(self, source: ArticleView, target: ArticleView) -> None:
        index = self._index()
        if not self.enabled or self._syncing or index is None:
            return
        middle = source.viewport().height() / 2
        spans = [s for s in source.visible_claims() if index.best(s.claim_id) is not None]
        if not spans:
            return
        span = min(spans, key=lambda s: abs((s.top + s.bottom) / 2 - middle))
        partner = index.best(span.claim_id)
        assert partner is not None
        self._syncing = True
        try:
            target.scroll_claim_to_y(partner.claim_id, span.top)
        finally:
            self._syncing = False
