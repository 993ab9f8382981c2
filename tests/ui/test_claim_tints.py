"""Claim tints reach the screen: the view paints the tints of plain (unreviewed,
unchanged) claims itself, reviewed ones are extra selections; both look as their layers
say, and a click installs no selections for plain claims."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QPoint, QRect, Qt
from PySide6.QtGui import QColor, QImage, QPainter
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from factcheck.models import Verdict
from ui.claim_style import SELECTED_TINT, UNREVIEWED_TINTS


def _composite(base: QColor, tints: list[QColor]) -> QColor:
    """``tints`` painted in order over ``base`` (one pixel, as the view blends them)."""
    image = QImage(1, 1, QImage.Format.Format_RGB32)
    image.fill(base)
    painter = QPainter(image)
    for tint in tints:
        painter.fillRect(0, 0, 1, 1, tint)
    painter.end()
    return image.pixelColor(0, 0)


def _background_under(view: Any, claim_id: str) -> QColor:
    """The commonest colour inside the claim's widest line piece (the background
    between the glyphs), away from the selection outline at its edges."""
    view.viewport().repaint()
    image = view.viewport().grab().toImage()
    rect = (
        max(view.claim_rects(claim_id), key=lambda r: r.width())
        .toAlignedRect()
        .adjusted(4, 3, -4, -3)
    )
    rect &= QRect(0, 0, image.width(), image.height())
    assert rect.width() > 4 and rect.height() > 2, rect
    colours = Counter(
        image.pixel(x, y)
        for x in range(rect.left(), rect.right() + 1)
        for y in range(rect.top(), rect.bottom() + 1)
    )
    return QColor.fromRgb(colours.most_common(1)[0][0])


def test_plain_and_reviewed_claims_show_their_tints(
    make_window: Callable[..., Any], qtbot: QtBot
) -> None:
    window = make_window()
    view = window.panes["a"].view
    base = view.viewport().palette().base().color()
    window.select_claim("a:3")
    assert view.claim_tints("a:3") == [UNREVIEWED_TINTS[1], SELECTED_TINT]
    assert view.extraSelections() == []  # painted by the view, not installed
    for claim_id in ("a:3", "a:4", "a:5"):
        expected = _composite(base, view.claim_tints(claim_id))
        assert _background_under(view, claim_id) == expected, claim_id

    # A verdict needs an underline: that claim becomes an extra selection, same tints.
    window.store.set_verdict("a:4", Verdict.SUPPORTED)
    qtbot.waitUntil(lambda: bool(view.extraSelections()))
    spans = {(s.cursor.selectionStart(), s.cursor.selectionEnd()) for s in view.extraSelections()}
    i = view.claim_index("a:4")
    assert spans == {(view._starts[i], view._ends[i])}
    expected = _composite(base, view.claim_tints("a:4"))
    assert _background_under(view, "a:4") == expected


def test_a_click_on_a_plain_claim_installs_no_selections(
    make_window: Callable[..., Any], qtbot: QtBot
) -> None:
    window = make_window()
    view = window.panes["a"].view
    point = view.claim_rects("a:2")[0].center().toPoint()
    with qtbot.waitSignal(view.claimClicked):
        qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=point)
    assert window.current_claim == "a:2"
    assert view.extraSelections() == [] and view.decoration_count == 0
    assert view.claim_tints("a:2")[-1] == SELECTED_TINT


def _on_screen(window: Any, side: str) -> QImage:
    """Pane ``side``'s viewport as the window's backing store holds it now (what the
    last paints left there), after the pending paints."""
    QApplication.processEvents()
    viewport = window.panes[side].view.viewport()
    shown = window.screen().grabWindow(window.winId()).toImage()
    corner = viewport.mapTo(window, QPoint(0, 0))
    return shown.copy(QRect(corner, viewport.size())).convertToFormat(QImage.Format.Format_RGB32)


def _repainted(window: Any, side: str) -> QImage:
    """The same viewport painted whole, now."""
    image = window.panes[side].view.viewport().grab().toImage()
    return image.convertToFormat(QImage.Format.Format_RGB32)


def test_the_lines_a_click_repaints_leave_the_pane_as_a_whole_repaint_would(
    make_window: Callable[..., Any], qtbot: QtBot
) -> None:
    """A click repaints only the lines of the claims whose look changed: the old
    selection's outline, margin bar and tint must go all the same, in both panes."""
    window = make_window()
    window.repaint()
    clicks = [("a", "a:3"), ("a", "a:4"), ("b", None), ("a", "a:3")]
    for side, claim_id in clicks:
        view = window.panes[side].view
        if claim_id is None:  # the middle claim of B in view, not the current match
            spans = view.visible_claims()
            claim_id = spans[len(spans) // 2].claim_id
        point = view.claim_rects(claim_id)[0].center().toPoint()
        with qtbot.waitSignal(view.claimClicked):
            qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=point)
        assert window.current_claim == claim_id
        for pane in ("a", "b"):
            assert _on_screen(window, pane) == _repainted(window, pane), (claim_id, pane)
