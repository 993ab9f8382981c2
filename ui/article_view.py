"""A read-only article pane where every claim is a visible, clickable region.

A claim that is only tinted (unreviewed and unchanged: most of a fresh article) has its
tints painted by the view itself, under the text, for the visible lines only: no extra
selections, so a click or a scroll costs what the visible part costs, and the text is
drawn once (every extra selection makes QTextLayout draw its lines again, clipped to a
path). Claims with a verdict or a "changed" mark need character formats (underline,
overline, hatching): those are extra selections owned by one :class:`DecorationManager`,
for the claims near the visible part only; scrolling past the decorated window
re-decorates. Both come from one list of layers per claim (:meth:`claim_tints` shows
it). The selected claim gets an outline drawn on top.

Signals: ``claimClicked(str claim_id, bool keep_other)`` on a click (``keep_other``
when Ctrl is held: do not move the other pane's selection), ``viewChanged()`` after a
scroll, resize or re-decoration, ``fileDropped(str path)`` when a file is dropped.
"""

from __future__ import annotations

import math
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QPoint, QPointF, QRect, QRectF, Signal
from PySide6.QtGui import (
    QColor,
    QDragEnterEvent,
    QDropEvent,
    QFocusEvent,
    QMouseEvent,
    QPaintEvent,
    QResizeEvent,
    QTextOption,
)
from PySide6.QtWidgets import QFrame, QPlainTextEdit, QWidget

from factcheck.models import Claim, Verdict
from factcheck.values import Value

from .claim_style import (
    KEPT_OUTLINE,
    PARTNER_OUTLINE,
    RELATED_TINT,
    SELECTED_OUTLINE,
    SELECTED_TINT,
    UNREVIEWED_TINTS,
    VERDICT_STYLES,
    SelectionLook,
    changed_hatch,
)
from .decorations import (
    ORDER_CHANGED,
    ORDER_RELATED,
    ORDER_SELECTED,
    ORDER_VERDICT,
    Decoration,
    DecorationManager,
    new_cursor,
    new_format,
)
from .offsets import OffsetMap, display_text

if TYPE_CHECKING:
    from PySide6.QtGui import QPainter, QTextBlock, QTextLine

#: Decorate this many characters beyond each edge of the visible text.
DECORATION_MARGIN = 4000
#: After a change of verdicts or selection only about the visible part is decorated
#: again (a click re-decorates both panes); scrolling out of it widens the window again.
REFRESH_MARGIN = 500
#: The "checked before" diamond (ui.library_panel): the claim library's colour.
MARK_COLOUR = QColor("#6a3d9a")
_OUTLINES = {
    SelectionLook.CURRENT: SELECTED_OUTLINE,
    SelectionLook.MATCH: PARTNER_OUTLINE,
    SelectionLook.KEPT: KEPT_OUTLINE,
}


@dataclass(frozen=True, eq=False, repr=False)
class ClaimSpan(Value):
    """Where a visible claim is, in viewport pixels (top of first line, bottom of last)."""

    claim_id: str
    top: float
    bottom: float


class ArticleView(QPlainTextEdit):
    claimClicked = Signal(str, bool)
    viewChanged = Signal()
    fileDropped = Signal(str)
    focusEntered = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        # No keyboard caret: J/K and the arrows navigate claims, not characters. Read-only
        # is text selectable by mouse only, with strong focus (without PySide's ``Qt``
        # namespace, which the first paint does without: see MainWindow).
        self.setReadOnly(True)
        self.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)
        self.setWordWrapMode(QTextOption.WrapMode.WordWrap)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setAcceptDrops(True)
        self.document().setDocumentMargin(10)
        self._decorations = DecorationManager(self)
        self._claims: tuple[Claim, ...] = ()
        self._index: dict[str, int] = {}
        self._starts: list[int] = []
        self._ends: list[int] = []
        self._offsets = OffsetMap("")
        #: The text :meth:`show_text` put up, until its claims come.
        self._text_only: str | None = None
        self._verdict_of: Callable[[str], Verdict] = lambda _cid: Verdict.UNREVIEWED
        self._changed: frozenset[str] = frozenset()
        self._selected: str | None = None
        self._related: frozenset[str] = frozenset()
        #: Claims the claim library has prior checks of: a diamond in the margin.
        self._marked: frozenset[str] = frozenset()
        self._active = False
        self._decorated: tuple[int, int] | None = None
        self._press: QPoint | None = None
        #: Inside scroll_to_claim: its steps are one scroll (see there).
        self._jumping = False
        self.verticalScrollBar().valueChanged.connect(self._on_scrolled)

    # -- content -----------------------------------------------------------------

    def set_claims(self, text: str, claims: Sequence[Claim]) -> None:
        self._forget_claims()
        if text != self._text_only:  # else laid out already, and still at the top
            self.setPlainText(display_text(text))
        self._text_only = None
        self._offsets = OffsetMap(text)
        self._claims = tuple(claims)
        self._index = {c.id: i for i, c in enumerate(self._claims)}
        self._starts = [self._offsets.to_position(c.start) for c in self._claims]
        self._ends = [self._offsets.to_position(c.end) for c in self._claims]
        self._decorated = None
        self.refresh()

    def show_text(self, text: str) -> None:
        """The article's text without its claims (the app's first paint); the claims
        follow with :meth:`set_claims` and the same text, which keeps this layout."""
        self._forget_claims()
        self.setPlainText(display_text(text))
        self._text_only = text

    def _forget_claims(self) -> None:
        # Before the text changes: replacing the text resets the scroll bar, whose
        # signal decorates the visible claims, and no claim positions may be applied to
        # a document they were not made for.
        self._claims, self._index, self._starts, self._ends = (), {}, [], []
        self._selected, self._related, self._decorated = None, frozenset(), None
        self._decorations.clear()

    def set_verdict_source(self, verdict_of: Callable[[str], Verdict]) -> None:
        self._verdict_of = verdict_of

    def set_changed(self, claim_ids: frozenset[str]) -> None:
        """Mark the claims "changed since reviewed" (overlined and hatched: a shape, not
        only a colour); repaints only when the set differs."""
        if claim_ids != self._changed:
            self._changed = claim_ids
            self.refresh()

    @property
    def changed(self) -> frozenset[str]:
        return self._changed

    def set_marked(self, claim_ids: frozenset[str]) -> None:
        """Mark these claims with a diamond in the margin (checked before: the claim
        library has prior checks of them)."""
        if claim_ids != self._marked:
            self._marked = claim_ids
            self.viewport().update()

    @property
    def marked(self) -> frozenset[str]:
        return self._marked

    def set_selection(self, selected: str | None, related: frozenset[str], active: bool) -> None:
        """Outline ``selected`` (strongly when this pane is the ``active`` one) and tint
        ``related`` (the other pane's selection's partners). In the other pane a
        selection that is not one of them gets only a dashed grey outline: it is kept
        for linking by hand, and must not look like a match.

        Only the lines of the claims whose look changed are repainted (the old and
        new selection, the related claims that came or went): a click changes a few
        claims, and repainting the whole pane cost as much as the rest of the click."""
        changed = {c for c in (self._selected, selected) if c is not None}
        changed |= self._related ^ related
        self._selected, self._related, self._active = selected, related, active
        # Plain claims have no extra selections: their look is painted (paintEvent).
        if not all(self._is_plain(self._index[c]) for c in changed if c in self._index):
            self._decorated = None
            self._decorate_visible(REFRESH_MARGIN)
        self._update_claims(changed)

    @property
    def selection_look(self) -> SelectionLook | None:
        if self._selected is None:
            return None
        if self._active:
            return SelectionLook.CURRENT
        return SelectionLook.MATCH if self._selected in self._related else SelectionLook.KEPT

    @property
    def claims(self) -> tuple[Claim, ...]:
        return self._claims

    @property
    def selected(self) -> str | None:
        return self._selected

    @property
    def decoration_count(self) -> int:
        return self._decorations.count

    def claim_tints(self, claim_id: str) -> list[QColor]:
        """The backgrounds laid over exactly this claim, bottom to top (painted by the
        view or installed as extra selections: the same layers either way)."""
        return [
            d.char_format.background().color()
            for d in self._claim_decorations(self._index[claim_id])
        ]

    def refresh(self) -> None:
        """Re-decorate the visible window (after a verdict or selection change)."""
        self._decorated = None
        self._decorate_visible(REFRESH_MARGIN)
        self.viewport().update()

    def _update_claims(self, claim_ids: Iterable[str]) -> None:
        """Repaint the visible lines of these claims, the full width of the viewport
        (tints, outline and margin bar), from the first line's top to the last's
        bottom and a little beyond (the outline's pen)."""
        from PySide6.QtGui import QRegion  # (not at the first paint, see MainWindow)

        blocks = list(self._visible_blocks())
        width = self.viewport().width()
        region = QRegion()
        for claim_id in claim_ids:
            i = self._index.get(claim_id)
            if i is None:
                continue
            extent = self._extent(self._starts[i], self._ends[i], blocks)
            if extent is not None:
                top, bottom = math.floor(extent[0]) - 2, math.ceil(extent[1]) + 2
                region += QRect(0, top, width, bottom - top)
        if not region.isEmpty():
            self.viewport().update(region)

    # -- geometry ------------------------------------------------------------------

    def claim_index(self, claim_id: str) -> int:
        return self._index[claim_id]

    def claim_at_position(self, position: int) -> str | None:
        """The claim covering document ``position`` (``None`` between claims)."""
        i = bisect_right(self._starts, position) - 1
        if i >= 0 and position < self._ends[i]:
            return self._claims[i].id
        return None

    def claim_at_point(self, point: QPoint) -> str | None:
        return self.claim_at_position(self.cursorForPosition(point).position())

    def visible_range(self) -> tuple[int, int]:
        """Document positions of the first and past-the-last visible character."""
        blocks = list(self._visible_blocks())
        if not blocks:
            return (0, 0)
        last = blocks[-1][0]
        return (blocks[0][0].position(), last.position() + last.length())

    def visible_claims(self) -> list[ClaimSpan]:
        """Claims with at least one line in the viewport, in text order (each with its
        whole extent: the top of a claim that starts above the viewport is negative)."""
        height = self.viewport().height()
        blocks = list(self._visible_blocks())
        if not blocks:
            return []
        first, last = _line_span(blocks, 0, height)
        spans = []
        for i in range(bisect_right(self._ends, first), bisect_left(self._starts, last)):
            extent = self._extent(self._starts[i], self._ends[i], blocks)
            # A visible paragraph's other lines may be far above or below the viewport.
            if extent is not None and extent[1] > 0 and extent[0] < height:
                spans.append(ClaimSpan(self._claims[i].id, *extent))
        return spans

    def claim_rects(self, claim_id: str) -> list[QRectF]:
        """The visible line pieces of a claim, in viewport coordinates."""
        i = self._index[claim_id]
        return self._range_rects(self._starts[i], self._ends[i], list(self._visible_blocks()))

    def claim_y(self, claim_id: str) -> tuple[float, float]:
        """Top and bottom of a claim in viewport pixels, visible or not."""
        i = self._index[claim_id]
        return (
            float(self._cursor_rect(self._starts[i]).top()),
            float(self._cursor_rect(self._ends[i]).bottom()),
        )

    def is_claim_visible(self, claim_id: str) -> bool:
        top, bottom = self.claim_y(claim_id)
        return top >= 0 and bottom <= self.viewport().height()

    def scroll_to_claim(self, claim_id: str, *, center: bool = True) -> None:
        """Bring a claim into view; leave the view alone when it is already visible."""
        if self.is_claim_visible(claim_id):
            return
        cursor = new_cursor(self.document())
        cursor.setPosition(self._starts[self._index[claim_id]])
        # QPlainTextEdit gets there in steps: it lays out the paragraphs above the claim
        # and moves the scroll bar a line or two for each (about fifteen moves for a
        # jump, each of which would re-decorate and tell the ribbons): once, at the end.
        self._jumping = True
        try:
            self.setTextCursor(cursor)
            if center:
                self.centerCursor()
            else:
                self.ensureCursorVisible()
        finally:
            self._jumping = False
        self._on_scrolled(self.verticalScrollBar().value())

    def scroll_claim_to_y(self, claim_id: str, y: float) -> None:
        """Scroll so the claim's top is as near ``y`` as the scroll bar's steps allow.

        A step of QPlainTextEdit's scroll bar is a line of the paragraph at the top
        when that paragraph's lines are laid out, and a whole paragraph otherwise,
        so one jump estimated in lines can fall short: step again from where it
        lands, keeping the nearest position, until no step gets closer."""
        line = max(1.0, float(self.fontMetrics().lineSpacing()))
        bar = self.verticalScrollBar()
        best = (abs(self.claim_y(claim_id)[0] - y), bar.value())
        for _ in range(32):
            top = self.claim_y(claim_id)[0]
            step = round((top - y) / line) or (1 if top - y >= line / 2 else 0)
            value = max(bar.minimum(), min(bar.maximum(), bar.value() + step))
            if step == 0 or value == bar.value():
                break
            bar.setValue(value)
            distance = abs(self.claim_y(claim_id)[0] - y)
            if distance >= best[0]:
                break
            best = (distance, value)
        bar.setValue(best[1])

    # -- painting ----------------------------------------------------------------

    def paintEvent(self, event: QPaintEvent) -> None:
        if self._claims:
            # Only the lines of the area to repaint: a click repaints a few lines, and
            # a paragraph can be a hundred lines long.
            area = event.rect()
            top, bottom = float(area.top()), float(area.bottom() + 1)
            self._paint_tints(list(self._visible_blocks(top, bottom)), top, bottom)
        super().paintEvent(event)
        if self._marked:
            self._paint_marks()
        if self._selected is None:
            return
        rects = self.claim_rects(self._selected)
        if not rects:
            return
        from PySide6.QtGui import QPainter, QPen  # (not at the first paint, see MainWindow)

        look = self.selection_look
        painter = QPainter(self.viewport())
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        colour = _OUTLINES[look or SelectionLook.CURRENT]
        pen = QPen(colour, 2.0 if look is SelectionLook.CURRENT else 1.5)
        if look is SelectionLook.KEPT:
            from PySide6.QtCore import Qt  # (not at the first paint: see MainWindow)

            pen.setStyle(Qt.PenStyle.DashLine)
        painter.setPen(pen)
        for rect in rects:
            painter.drawRoundedRect(rect.adjusted(-2, 0, 2, 0), 3, 3)
        # A bar in the left margin marks the selection even where lines wrap.
        top = min(r.top() for r in rects)
        bottom = max(r.bottom() for r in rects)
        painter.fillRect(QRectF(1, top, 4, bottom - top), colour)
        painter.end()

    def _paint_marks(self) -> None:
        """A diamond in the right margin next to each visible claim checked before."""
        from PySide6.QtCore import Qt
        from PySide6.QtGui import QPainter

        painter = QPainter(self.viewport())
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(MARK_COLOUR)
        x = self.viewport().width() - 8.0
        for span in self.visible_claims():
            if span.claim_id in self._marked:
                y = max(span.top, 0.0) + 8.0
                painter.drawPolygon(
                    [QPointF(x, y - 4), QPointF(x + 4, y), QPointF(x, y + 4), QPointF(x - 4, y)]
                )
        painter.end()

    def _paint_tints(
        self, blocks: Sequence[tuple[QTextBlock, float]], top: float, bottom: float
    ) -> None:
        """The tints of the plain claims on the lines from ``top`` to ``bottom``, under
        the text (where QTextLayout would paint an extra selection's background: see
        :meth:`_tint_rects`)."""
        if not blocks:
            return
        first, last = _line_span(blocks, top, bottom)
        painter: QPainter | None = None
        x = self.contentOffset().x()
        for i in range(bisect_right(self._ends, first), bisect_left(self._starts, last)):
            if not self._is_plain(i):
                continue
            rects = self._tint_rects(self._starts[i], self._ends[i], blocks, x)
            if not rects:
                continue
            if painter is None:
                from PySide6.QtGui import QPainter  # (not at the first paint: see MainWindow)

                painter = QPainter(self.viewport())
            for deco in self._claim_decorations(i):
                brush = deco.char_format.background()
                for rect in rects:
                    painter.fillRect(rect, brush)
        if painter is not None:
            painter.end()

    def _tint_rects(
        self, start: int, end: int, blocks: Sequence[tuple[QTextBlock, float]], x: float
    ) -> list[QRectF]:
        """The area QTextLayout::draw fills for a selection's background: a line the
        range covers whole (with its newline, on a paragraph's last line) is the line's
        natural text rectangle; a line it covers in part is the range's extent there,
        clipped to that rectangle and rounded out to whole pixels."""
        rects = []
        for line, b_start, top, l_start, last in _lines_from(start, end, blocks):
            l_end = l_start + line.textLength() + (1 if last else 0)
            if l_end <= start:
                continue
            natural = line.naturalTextRect().translated(x, top)
            natural.setBottom(math.ceil(natural.bottom()))
            if line.textLength() and (l_start <= start or end < l_end):
                x1 = _cursor_x(line, max(start, l_start) - b_start) + x
                x2 = _cursor_x(line, min(end, l_start + line.textLength()) - b_start) + x
                part = QRectF(x1, top + line.y(), x2 - x1, line.height()) & natural
                if part.width() > 0 and part.height() > 0:
                    rects.append(QRectF(part.toAlignedRect()))
            else:
                rects.append(natural)
        return rects

    def _is_plain(self, i: int) -> bool:
        """Whether claim ``i`` is only tinted (the view paints it; no extra selection)."""
        claim_id = self._claims[i].id
        return claim_id not in self._changed and self._verdict_of(claim_id) is Verdict.UNREVIEWED

    def _decorate_visible(self, margin: int = DECORATION_MARGIN) -> None:
        first, last = self.visible_range()
        if self._decorated and self._decorated[0] <= first and last <= self._decorated[1]:
            return
        lo, hi = max(0, first - margin), last + margin
        decorations: list[Decoration] = []
        for i in range(bisect_right(self._ends, lo), bisect_left(self._starts, hi)):
            if not self._is_plain(i):
                decorations.extend(self._claim_decorations(i))
        self._decorations.apply(decorations)
        self._decorated = (lo, hi)

    def _claim_decorations(self, i: int) -> Iterator[Decoration]:
        claim = self._claims[i]
        start, end = self._starts[i], self._ends[i]
        verdict = self._verdict_of(claim.id)
        style = VERDICT_STYLES[verdict]
        fmt = new_format()
        tint = UNREVIEWED_TINTS[i % 2] if verdict is Verdict.UNREVIEWED else style.tint
        fmt.setBackground(tint)
        if style.underline is not None:
            fmt.setUnderlineStyle(style.underline)
            fmt.setUnderlineColor(style.mark)
        changed = claim.id in self._changed
        if changed:
            fmt.setFontOverline(True)  # kept by the related/selected copies below
        yield Decoration(start, end, fmt, ORDER_VERDICT)
        if changed:
            hatch = new_format()
            hatch.setBackground(changed_hatch())
            hatch.setFontOverline(True)
            yield Decoration(start, end, hatch, ORDER_CHANGED)
        if claim.id in self._related:
            related = new_format(fmt)
            related.setBackground(RELATED_TINT)
            yield Decoration(start, end, related, ORDER_RELATED)
        if claim.id == self._selected and self.selection_look is not SelectionLook.KEPT:
            selected = new_format(fmt)
            selected.setBackground(SELECTED_TINT if self._active else RELATED_TINT)
            yield Decoration(start, end, selected, ORDER_SELECTED)

    def _visible_blocks(
        self, top: float | None = None, bottom: float | None = None
    ) -> Iterator[tuple[QTextBlock, float]]:
        """Each visible block with its top in viewport pixels (only those reaching
        from ``top`` to ``bottom`` when given)."""
        block = self.firstVisibleBlock()
        offset = self.contentOffset()
        height = self.viewport().height() if bottom is None else bottom
        while block.isValid():
            rect = self.blockBoundingGeometry(block).translated(offset)
            if rect.top() > height:
                break
            if block.isVisible() and (top is None or rect.bottom() >= top):
                yield block, rect.top()
            block = block.next()

    def _range_rects(
        self, start: int, end: int, blocks: Sequence[tuple[QTextBlock, float]]
    ) -> list[QRectF]:
        rects = []
        for line, b_start, y, s, e in _lines_in_range(start, end, blocks):
            x1 = _cursor_x(line, s - b_start)
            x2 = _cursor_x(line, e - b_start)
            rects.append(QRectF(x1, y, max(2.0, x2 - x1), line.height()))
        return rects

    def _extent(
        self, start: int, end: int, blocks: Sequence[tuple[QTextBlock, float]]
    ) -> tuple[float, float] | None:
        """Top of the first and bottom of the last line :meth:`_range_rects` would give
        (the link view asks for every visible claim on every repaint: no x positions)."""
        top: float | None = None
        bottom = 0.0
        for line, _b_start, y, _s, _e in _lines_in_range(start, end, blocks):
            if top is None:
                top = y
            bottom = y + line.height()
        return None if top is None else (top, bottom)

    def _cursor_rect(self, position: int) -> QRectF:
        cursor = new_cursor(self.document())
        cursor.setPosition(position)
        return QRectF(self.cursorRect(cursor))

    # -- events ------------------------------------------------------------------

    def _on_scrolled(self, _value: int) -> None:
        if self._jumping:
            return
        self._decorate_visible()
        self.viewChanged.emit()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._decorated = None
        self._decorate_visible()
        self.viewChanged.emit()

    def focusInEvent(self, event: QFocusEvent) -> None:
        super().focusInEvent(event)
        self.focusEntered.emit()

    def mousePressEvent(self, event: QMouseEvent) -> None:
        self._press = event.position().toPoint()
        super().mousePressEvent(event)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        super().mouseReleaseEvent(event)
        from PySide6.QtCore import Qt

        point = event.position().toPoint()
        dragged = self._press is not None and (point - self._press).manhattanLength() > 4
        self._press = None
        if event.button() is not Qt.MouseButton.LeftButton or dragged:
            return  # a drag selects text to copy; it does not pick a claim
        claim_id = self.claim_at_point(point)
        if claim_id is not None:
            keep = bool(event.modifiers() & Qt.KeyboardModifier.ControlModifier)
            self.claimClicked.emit(claim_id, keep)

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if any(url.isLocalFile() for url in event.mimeData().urls()):
            event.acceptProposedAction()
        else:
            event.ignore()

    def dragMoveEvent(self, event: QDragEnterEvent) -> None:  # type: ignore[override]
        self.dragEnterEvent(event)

    def dropEvent(self, event: QDropEvent) -> None:
        files = [url.toLocalFile() for url in event.mimeData().urls() if url.isLocalFile()]
        if files:
            event.acceptProposedAction()
            self.fileDropped.emit(files[0])
        else:
            event.ignore()


def _lines_from(
    start: int, end: int, blocks: Sequence[tuple[QTextBlock, float]]
) -> Iterator[tuple[QTextLine, int, float, int, bool]]:
    """The laid-out lines of ``blocks`` (each with its top) from the one holding
    ``start`` to the last that starts before ``end``: each line, its block's position
    and top, the line's start in the document, and whether it is its block's last."""
    for block, top in blocks:
        b_start = block.position()
        if b_start >= end:
            break
        if b_start + block.length() <= start:
            continue
        layout = block.layout()
        # Start at the claim's first line: a long paragraph has dozens of lines
        # and every visible claim asks on every repaint of the ribbons.
        first = layout.lineForTextPosition(max(0, start - b_start))
        count = layout.lineCount()
        for n in range(first.lineNumber() if first.isValid() else 0, count):
            line = layout.lineAt(n)
            l_start = b_start + line.textStart()
            if l_start >= end:
                break
            yield line, b_start, top, l_start, n == count - 1


def _lines_in_range(
    start: int, end: int, blocks: Sequence[tuple[QTextBlock, float]]
) -> Iterator[tuple[QTextLine, int, float, int, int]]:
    """The laid-out lines of ``blocks`` (each with its top) that hold part of
    ``start``–``end``: each line, its block's position, the line's top, and the part's
    start and end in the document."""
    for line, b_start, top, l_start, _last in _lines_from(start, end, blocks):
        s, e = max(start, l_start), min(end, l_start + line.textLength())
        if s < e:
            yield line, b_start, top + line.y(), s, e


def _line_span(
    blocks: Sequence[tuple[QTextBlock, float]], top: float, bottom: float
) -> tuple[int, int]:
    """Document positions from the start of the first line of ``blocks`` (each with
    its top) that reaches below ``top`` to past the end of the last line that starts
    above ``bottom`` (a whole block where it has no lines laid out)."""
    block, y = blocks[0]
    layout = block.layout()
    count = layout.lineCount()
    lo, hi = 0, count  # the first line whose bottom is below ``top``
    while lo < hi:
        mid = (lo + hi) // 2
        line = layout.lineAt(mid)
        if y + line.y() + line.height() <= top:
            lo = mid + 1
        else:
            hi = mid
    first = block.position() + (layout.lineAt(lo).textStart() if lo < count else 0)
    block, y = blocks[-1]
    layout = block.layout()
    count = layout.lineCount()
    lo, hi = 0, count  # the first line that starts at or below ``bottom``
    while lo < hi:
        mid = (lo + hi) // 2
        if y + layout.lineAt(mid).y() < bottom:
            lo = mid + 1
        else:
            hi = mid
    if lo == count:  # the whole block (with its newline)
        return first, block.position() + block.length()
    line = layout.lineAt(lo)  # the first line not reached: the span ends at its start
    return first, block.position() + line.textStart()


def _cursor_x(line: QTextLine, position: int) -> float:
    """x of a cursor position in a layout line (PySide6 returns ``(x, position)``)."""
    result: Any = line.cursorToX(position)
    return float(result[0] if isinstance(result, tuple) else result)
