"""Lock scrolling (View ▸ Lock scrolling, Ctrl+Shift+L): scrolling pane A scrolls pane B
so that the linked claim nearest A's middle has its partner in view, at its height;
with the lock off, pane B stays where it is."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from ui.article_view import ArticleView, ClaimSpan

from .helpers import activate, seed_with_matches

Key = Qt.Key
CTRL_SHIFT = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier


def _linked_in_middle(window: Any, view: ArticleView) -> tuple[ClaimSpan, str] | None:
    """The claim in view with a partner that is nearest the middle, and that partner."""
    index = window._index
    middle = view.viewport().height() / 2
    spans = [s for s in view.visible_claims() if index.best(s.claim_id) is not None]
    if not spans:
        return None
    span = min(spans, key=lambda s: abs((s.top + s.bottom) / 2 - middle))
    return span, index.best(span.claim_id).claim_id


def _in_view(view: ArticleView) -> set[str]:
    height = view.viewport().height()
    return {s.claim_id for s in view.visible_claims() if s.bottom > 0 and s.top < height}


def test_lock_scrolling_keeps_the_linked_claim_in_view(
    make_window: Callable[..., Any], qtbot: QtBot
) -> None:
    window = make_window(seed_with_matches())
    window.resize(1200, 600)
    activate(window, qtbot)
    view_a, view_b = window.views()
    bar_a, bar_b = view_a.verticalScrollBar(), view_b.verticalScrollBar()
    assert bar_a.maximum() > 0 and bar_b.maximum() > 0, "both panes scroll"
    line = view_b.fontMetrics().lineSpacing()
    lock = window.actions_by_name["sync"]
    view_a.setFocus()
    assert not lock.isChecked()

    qtbot.keyClick(view_a, Key.Key_L, CTRL_SHIFT)
    assert lock.isChecked() and window.sync.enabled
    followed = []
    while bar_a.value() < bar_a.maximum():
        b_before = bar_b.value()
        qtbot.keyClick(view_a, Key.Key_PageDown)
        linked = _linked_in_middle(window, view_a)
        if linked is None:
            continue
        span, partner = linked
        assert partner in _in_view(view_b), f"{span.claim_id}'s partner {partner} in view"
        if 0 < bar_b.value() < bar_b.maximum():  # B was free to put it at A's height
            assert abs(view_b.claim_y(partner)[0] - span.top) <= line
        followed.append(bar_b.value() != b_before)
    assert any(followed), "pane B scrolled to follow pane A"

    # Off: pane B stays put, and the partner is left out of view.
    qtbot.keyClick(view_a, Key.Key_L, CTRL_SHIFT)
    assert not lock.isChecked() and not window.sync.enabled
    qtbot.keyClick(view_a, Key.Key_Home)
    assert bar_a.value() == 0
    b_value, out_of_view = bar_b.value(), []
    while bar_a.value() < bar_a.maximum():
        qtbot.keyClick(view_a, Key.Key_PageDown)
        assert bar_b.value() == b_value
        linked = _linked_in_middle(window, view_a)
        if linked is not None and linked[1] not in _in_view(view_b):
            out_of_view.append(linked[1])
    assert out_of_view, "without the lock, some linked claim's partner is out of view"
