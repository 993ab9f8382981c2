"""The claims table: filters by verdict, article and match, text search, sorting by a
header click, and a clicked row selecting its claim in its pane."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from factcheck.models import Verdict
from ui.claim_table import CLAIM_ID_ROLE, COL_SCORE, ClaimFilterModel

from .helpers import activate


@pytest.fixture
def window(make_window: Callable[..., Any], qtbot: QtBot) -> Any:
    window = make_window()
    window.resize(1300, 900)
    activate(window, qtbot)
    store = window.store
    store.set_verdict("a:2", Verdict.SUPPORTED)
    store.set_verdict("b:4", Verdict.SUPPORTED)
    store.set_verdict("b:5", Verdict.CONTESTED)
    store.set_note("a:7", "Check the Kremlin transcript")
    return window


def _shown(window: Any) -> list[str]:
    proxy = window.claim_panel.proxy
    return [proxy.index(r, 0).data(CLAIM_ID_ROLE) for r in range(proxy.rowCount())]


def _choose(combo: Any, data: object) -> None:
    combo.setCurrentIndex(combo.findData(data))


def test_filters_by_verdict_article_and_match(window: Any) -> None:
    panel, store = window.claim_panel, window.store
    assert len(_shown(window)) == len(store.all_claims())
    _choose(panel.verdict, Verdict.SUPPORTED)
    assert _shown(window) == ["a:2", "b:4"]
    _choose(panel.article, "b")
    assert _shown(window) == ["b:4"]
    _choose(panel.verdict, None)
    _choose(panel.match, ClaimFilterModel.MATCH_HAS)
    matched = _shown(window)
    assert matched and all(window._index.best(c) is not None for c in matched)
    assert all(c.startswith("b:") for c in matched)
    _choose(panel.match, ClaimFilterModel.MATCH_NONE)
    unmatched = _shown(window)
    assert all(window._index.best(c) is None for c in unmatched)
    assert len(matched) + len(unmatched) == len(store.claims("b"))


def test_search_finds_claim_text_and_notes(window: Any, qtbot: QtBot) -> None:
    search = window.claim_panel.search
    qtbot.keyClicks(search, "kremlin")
    shown = _shown(window)
    assert "a:7" in shown  # by its note
    for claim_id in shown:
        text = window.store.claim(claim_id).text + window.store.annotation(claim_id).note
        assert "kremlin" in text.casefold()
    assert window.current_claim == "a:0", "filtering does not pick another claim"


def test_verdict_filter_keeps_the_current_claim_when_its_row_goes(
    window: Any, qtbot: QtBot
) -> None:
    _choose(window.claim_panel.verdict, Verdict.UNREVIEWED)
    view = window.panes["a"].view
    view.setFocus()
    qtbot.keyClick(view, Qt.Key.Key_1)  # a:0 leaves the filtered table
    assert "a:0" not in _shown(window)
    assert window.current_claim == "a:0"
    qtbot.keyClick(view, Qt.Key.Key_J)
    assert window.current_claim == "a:1"
    assert window.claim_panel.table.currentIndex().data(CLAIM_ID_ROLE) == "a:1"


def test_header_click_sorts_by_best_score(window: Any, qtbot: QtBot) -> None:
    table = window.claim_panel.table
    header = table.horizontalHeader()
    x = header.sectionViewportPosition(COL_SCORE) + header.sectionSize(COL_SCORE) // 2
    from PySide6.QtCore import QPoint

    point = QPoint(x, header.height() // 2)
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=point)
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=point)
    assert header.sortIndicatorSection() == COL_SCORE
    order = header.sortIndicatorOrder()
    scores = [window._index.best_score(c) or -1.0 for c in _shown(window)]
    expected = sorted(scores, reverse=order is Qt.SortOrder.DescendingOrder)
    assert scores == expected
    assert scores[0] != scores[-1]


def test_clicking_a_row_selects_its_claim_in_its_pane(window: Any, qtbot: QtBot) -> None:
    table = window.claim_panel.table
    _choose(window.claim_panel.article, "b")
    proxy = window.claim_panel.proxy
    last = proxy.index(proxy.rowCount() - 1, 2)
    claim_id = last.data(CLAIM_ID_ROLE)
    table.scrollTo(last)
    with qtbot.waitSignal(window.selectionChanged) as blocker:
        qtbot.mouseClick(
            table.viewport(), Qt.MouseButton.LeftButton, pos=table.visualRect(last).center()
        )
    assert blocker.args == [claim_id]
    assert window.current_claim == claim_id
    view_b = window.panes["b"].view
    assert view_b.selected == claim_id
    assert view_b.is_claim_visible(claim_id)


def test_selecting_a_claim_in_a_pane_moves_the_row(window: Any, qtbot: QtBot) -> None:
    view = window.panes["a"].view
    view.setFocus()
    for _ in range(3):
        qtbot.keyClick(view, Qt.Key.Key_J)
    assert window.claim_panel.table.currentIndex().data(CLAIM_ID_ROLE) == "a:3"


def test_arrow_keys_in_the_table_walk_its_sorted_filtered_rows(window: Any, qtbot: QtBot) -> None:
    panel = window.claim_panel
    _choose(panel.verdict, Verdict.SUPPORTED)
    assert _shown(window) == ["a:2", "b:4"]
    panel.table.setFocus()
    panel.table.setCurrentIndex(panel.proxy.index(0, 2))
    with qtbot.waitSignal(window.selectionChanged) as blocker:
        qtbot.keyClick(panel.table, Qt.Key.Key_Down)
    # The next row of the filtered table (a claim of B), not the next claim of A's pane.
    assert blocker.args == ["b:4"]
    assert window.current_claim == "b:4"
    assert panel.table.currentIndex().data(CLAIM_ID_ROLE) == "b:4"
    qtbot.keyClick(panel.table, Qt.Key.Key_Up)
    assert window.current_claim == "a:2"


def test_a_hand_link_counts_as_a_match(window: Any, qtbot: QtBot) -> None:
    panel, store = window.claim_panel, window.store
    a = next(c.id for c in store.claims("a") if window._index.best(c.id) is None)
    b = next(c.id for c in store.claims("b") if window._index.best(c.id) is None)
    window.select_claim(b)
    window.select_claim(a, follow=False)  # b stays selected in the other pane
    qtbot.keyClick(window.panes["a"].view, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    assert store.link_state(a, b) is not None
    model = panel.proxy.sourceModel()
    for claim_id in (a, b):
        assert model.index(model.row_of(claim_id), COL_SCORE).data() == "linked"
    _choose(panel.match, ClaimFilterModel.MATCH_HAS)
    assert {a, b} <= set(_shown(window))
    _choose(panel.match, ClaimFilterModel.MATCH_NONE)
    assert not {a, b} & set(_shown(window))


def test_clicking_a_claim_in_a_pane_scrolls_the_table_to_its_row_right_after(
    window: Any, qtbot: QtBot
) -> None:
    """The row becomes current at once; the table scrolls to it just after the click's
    event (the panes and ribbons paint first)."""
    table = window.claim_panel.table
    table.scrollToTop()
    view = window.panes["b"].view
    claim_id = window.store.claims("b")[-1].id
    view.scroll_to_claim(claim_id)
    point = view.claim_rects(claim_id)[0].center().toPoint()
    with qtbot.waitSignal(window.selectionChanged):
        qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=point)
    assert table.currentIndex().data(CLAIM_ID_ROLE) == claim_id

    def row_in_view() -> None:
        assert table.viewport().rect().contains(table.visualRect(table.currentIndex()))

    qtbot.waitUntil(row_in_view)
