"""Ribbons between the two article panes (Meld's linkmap, calibre's splitter handle).

For every visible claim with a partner in the other article, one ribbon joins the
claim's lines on the left to its partner's on the right: two cubic Béziers with
their control points at mid-width, filled with an alpha that grows with the score,
coloured by state (suggested / confirmed / linked by hand; rejected links are not
drawn). Ribbons of the selected claim are drawn last and outlined.

A ribbon whose partner is scrolled out of view is not drawn to the edge: it is culled
to a fin, a short light shape at its visible claim pointing toward the edge the
partner is beyond, as Meld's linkmap culls a chunk to a tab on its visible side. In a
long article most visible claims have their partner out of view; drawn whole, those
ribbons ran the full height into a grey fan at each edge and filling them was most of
a click's repaint. The ribbons of the selected claim are drawn whole, to the edge.

Repainting is cheap because little changes between paints: the ribbons' geometry
(which claims are visible, where their ends are) is kept until a pane scrolls or
resizes or the links change, each pane's part of it until that pane moves; the paint
itself is a few whole ribbons and a few dozen small fins.

:meth:`LinkView.ribbons` and :meth:`LinkView.fins` return the geometry as plain values
so tests can check what would be painted without looking at pixels.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, QPoint, QPointF, QSize
from PySide6.QtGui import QColor, QPainterPath, QPaintEvent
from PySide6.QtWidgets import QSizePolicy, QWidget

from factcheck.models import LinkState
from factcheck.values import Value

from .article_view import ArticleView, ClaimSpan
from .claim_style import LINK_COLOURS
from .link_index import LinkIndex

if TYPE_CHECKING:
    from PySide6.QtGui import QPainter, QPen

#: A pane's visible spans by id, its y offset in the link view, first and last visible index.
_SideGeometry = tuple[dict[str, ClaimSpan], float, int, int]
#: Where a ribbon's end goes when its claim is scrolled out of view (pixels past the edge).
OFFSCREEN = 24.0
#: A fin (a plain ribbon whose other end is out of view): how far it reaches into the
#: link view, how far its tip goes past its claim toward the partner's edge, and how
#: far its base is inset from the claim's top and bottom (pixels).
FIN_LENGTH = 14.0
FIN_TIP = 7.0
FIN_INSET = 2.0


@dataclass(frozen=True, eq=False, repr=False)
class Ribbon(Value):
    a_id: str
    b_id: str
    a_top: float
    a_bottom: float
    b_top: float
    b_bottom: float
    score: float
    state: LinkState
    selected: bool


@dataclass(frozen=True, eq=False, repr=False)
class Fin(Value):
    """What a plain ribbon with one end out of view is drawn as: a short fin at the
    edge of side ``side`` (0: A, 1: B) on its claim's lines from ``top`` to
    ``bottom``, pointing up (``lean`` -1) or down (1), toward its partner."""

    side: int
    top: float
    bottom: float
    lean: int
    state: LinkState


class LinkView(QWidget):
    def __init__(self, view_a: ArticleView, view_b: ArticleView, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("linkView")
        self._views = (view_a, view_b)
        self._index: LinkIndex | None = None
        self._current: str | None = None
        self._pair: tuple[str | None, str | None] = (None, None)
        #: The plain ribbons and the state they were computed for (see _state).
        self._geometry: tuple[Any, tuple[Ribbon, ...]] | None = None
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

    def _plain_ribbons(self) -> tuple[Ribbon, ...]:
        """Every ribbon with at least one end visible, none selected (kept while the
        state it was computed for holds)."""
        state = self._state()
        if self._geometry is None or self._geometry[0] != state:
            self._geometry = (state, self._compute_ribbons())
        return self._geometry[1]

    def _compute_ribbons(self) -> tuple[Ribbon, ...]:
        if self._index is None:
            return ()
        index = self._index
        sides = [self._side_geometry(side) for side in (0, 1)]
        pairs: dict[tuple[str, str], float | None] = {}
        for a_id in sides[0][0]:
            for p in index.partners(a_id, include_rejected=False):
                pairs[(a_id, p.claim_id)] = p.score
        for b_id in sides[1][0]:
            for p in index.partners(b_id, include_rejected=False):
                pairs[(p.claim_id, b_id)] = p.score
        ribbons = []
        for (a_id, b_id), score in pairs.items():
            state = index.state(a_id, b_id) or LinkState.SUGGESTED
            a_top, a_bottom = self._end(0, a_id, sides[0])
            b_top, b_bottom = self._end(1, b_id, sides[1])
            ribbons.append(
                Ribbon(a_id, b_id, a_top, a_bottom, b_top, b_bottom, score or 0.0, state, False)
            )
        return tuple(ribbons)

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

    def fins(self) -> dict[Fin, float]:
        """The plain ribbons with an end out of view, culled to fins, each with the best
        score among the ribbons it stands for."""
        return _cull(self.ribbons(), float(self.height()))[1]

    def paintEvent(self, event: QPaintEvent) -> None:
        if self._index is None:  # no links yet (the app's first paint): the window's
            return  # background, without PySide's Qt namespace (see MainWindow)
        from PySide6.QtGui import QPainter  # (not at the first paint, see MainWindow)

        whole, fins = _cull(self.ribbons(), float(self.height()))
        painter = QPainter(self)
        painter.fillRect(self.rect(), self.palette().window().color())
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        looks = _RibbonLooks(painter, float(self.width()))
        for fin, score in fins.items():
            looks.paint_fin(fin, score)
        for r in whole:  # the selected ones last: over the others
            looks.paint(r)
        painter.end()


def _cull(ribbons: Sequence[Ribbon], height: float) -> tuple[list[Ribbon], dict[Fin, float]]:
    """The ribbons drawn whole (both ends in view, or selected), in their order, and the
    fins the others are culled to, one per claim, edge and state (a claim with three
    partners below gets one fin, as strong as its best link's)."""
    whole: list[Ribbon] = []
    fins: dict[Fin, float] = {}
    for r in ribbons:
        if r.selected:
            whole.append(r)
            continue
        if r.b_bottom <= 0 or r.b_top >= height:
            fin = Fin(0, r.a_top, r.a_bottom, -1 if r.b_top < r.a_top else 1, r.state)
        elif r.a_bottom <= 0 or r.a_top >= height:
            fin = Fin(1, r.b_top, r.b_bottom, -1 if r.a_top < r.b_top else 1, r.state)
        else:
            whole.append(r)
            continue
        fins[fin] = max(fins.get(fin, 0.0), r.score)
    return whole, fins


class _RibbonLooks:
    """Paints ribbons on one painter: two cubic Béziers with their control points at
    mid-width (Meld's linkmap), filled by state and score and outlined; and fins. The
    ribbons and fins of one paint share the colours and pens."""

    def __init__(self, painter: QPainter, width: float) -> None:
        self._painter = painter
        self._width = width
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

    def fin_path(self, fin: Fin) -> QPainterPath:
        length = min(FIN_LENGTH, self._width / 3)
        x0, x1 = (0.0, length) if fin.side == 0 else (self._width, self._width - length)
        # The base on the claim's lines, inset so that the fins of claims on adjacent
        # lines stay apart; the tip past the end toward the partner's edge.
        inset = min(FIN_INSET, (fin.bottom - fin.top) / 4)
        top, bottom = fin.top + inset, fin.bottom - inset
        middle = (top + bottom) / 2
        up = fin.lean < 0
        path = QPainterPath(QPointF(x0, top))
        path.quadTo(x1, top if up else middle, x1, top - FIN_TIP if up else bottom + FIN_TIP)
        path.quadTo(x1, middle if up else bottom, x0, bottom)
        path.closeSubpath()
        return path

    def paint_fin(self, fin: Fin, score: float) -> None:
        # Light, with no outline: the ribbons between claims in view stand out.
        alpha = 30 + int(score) // 2
        self._painter.fillPath(self.fin_path(fin), self._fill(fin.state, alpha))

    def paint(self, r: Ribbon) -> None:
        painter = self._painter
        alpha = min(230, 40 + int(r.score * 1.3)) if r.selected else 18 + int(r.score)
        path = self.path(r)
        painter.fillPath(path, self._fill(r.state, alpha))
        pen = self._pens.get((r.state, r.selected))
        if pen is None:
            from PySide6.QtGui import QPen

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
