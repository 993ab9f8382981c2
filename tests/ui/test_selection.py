"""Selecting a claim outlines it, highlights its matches, scrolls the other pane to
the best one, and the ribbons follow."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QPoint, Qt
from pytestqt.qtbot import QtBot

from factcheck.models import Article, LinkState
from ui.project_io import new_project

from .helpers import seed_with_matches


def _claim_far_from_its_match(window: Any) -> tuple[str, str]:
    """A claim of A whose best match in B is far down B (so B has to scroll)."""
    index = window._index
    store = window.store
    candidates = []
    for claim in store.claims("a"):
        best = index.best(claim.id)
        if best is not None:
            candidates.append((store.claim(best.claim_id).index, claim.id, best.claim_id))
    _, a_id, b_id = max(candidates)
    return a_id, b_id


def test_click_selects_claim_and_scrolls_other_pane_to_its_match(
    make_window: Callable[..., Any], qtbot: QtBot
) -> None:
    window = make_window(seed_with_matches())
    window.resize(1200, 700)
    view_a, view_b = window.views()
    a_id, b_id = _claim_far_from_its_match(window)
    view_a.scroll_to_claim(a_id)
    assert not view_b.is_claim_visible(b_id)
    rect = view_a.claim_rects(a_id)[0]
    point = rect.center().toPoint()
    with qtbot.waitSignal(window.selectionChanged) as blocker:
        qtbot.mouseClick(view_a.viewport(), Qt.MouseButton.LeftButton, pos=point)
    assert blocker.args == [a_id]
    assert window.current_claim == a_id
    assert window.chosen_match == b_id
    assert view_a.selected == a_id
    assert view_b.selected == b_id
    assert view_b.is_claim_visible(b_id), "the other pane scrolled to the best match"
    assert b_id in view_b._related
    # The inspector shows the claim and the diff with its match.
    assert window.inspector.claim_text.text() == window.store.claim(a_id).text
    assert window.inspector.candidates.currentItem().data(Qt.ItemDataRole.UserRole) == b_id
    # The selected pair's ribbon is drawn and highlighted, ending on both claims.
    ribbons = {(r.a_id, r.b_id): r for r in window.link_view.ribbons()}
    ribbon = ribbons[(a_id, b_id)]
    assert ribbon.selected
    assert ribbon.state is LinkState.SUGGESTED
    a_top, a_bottom = _in_link_view(window, view_a, a_id)
    b_top, b_bottom = _in_link_view(window, view_b, b_id)
    assert (ribbon.a_top, ribbon.a_bottom) == (a_top, a_bottom)
    assert (ribbon.b_top, ribbon.b_bottom) == (b_top, b_bottom)


def _in_link_view(window: Any, view: Any, claim_id: str) -> tuple[float, float]:
    span = next(s for s in view.visible_claims() if s.claim_id == claim_id)
    dy = window.link_view.mapFromGlobal(view.viewport().mapToGlobal(QPoint(0, 0))).y()
    return span.top + dy, span.bottom + dy


def test_ribbons_only_for_visible_claims_and_follow_scrolling(
    make_window: Callable[..., Any], qtbot: QtBot
) -> None:
    window = make_window(seed_with_matches())
    window.resize(1200, 600)
    view_a, view_b = window.views()
    visible = {s.claim_id for s in view_a.visible_claims()} | {
        s.claim_id for s in view_b.visible_claims()
    }
    ribbons = window.link_view.ribbons()
    assert ribbons
    assert all(r.a_id in visible or r.b_id in visible for r in ribbons)
    # Every visible A claim with a match has a ribbon.
    for span in view_a.visible_claims():
        if window._index.best(span.claim_id) is not None:
            assert any(r.a_id == span.claim_id for r in ribbons)
    before = {(r.a_id, r.b_id): r.a_top for r in ribbons}
    with qtbot.waitSignal(view_a.viewChanged):
        view_a.verticalScrollBar().setValue(view_a.verticalScrollBar().value() + 3)
    after = {(r.a_id, r.b_id): r.a_top for r in window.link_view.ribbons()}
    moved = [k for k in before.keys() & after.keys() if k[0] in visible and after[k] < before[k]]
    assert moved, "ribbons moved up with the text"


def test_rejected_link_has_no_ribbon(make_window: Callable[..., Any], qtbot: QtBot) -> None:
    window = make_window(seed_with_matches())
    a_id, b_id = _claim_far_from_its_match(window)
    window.select_claim(a_id)
    window.actions_by_name["reject"].trigger()
    assert window.store.link_state(a_id, b_id) is LinkState.REJECTED
    assert (a_id, b_id) not in {(r.a_id, r.b_id) for r in window.link_view.ribbons()}


def test_text_with_emoji_maps_clicks_to_the_right_claim(
    make_window: Callable[..., Any], qtbot: QtBot
) -> None:
    from ui.project_io import project_from_texts

    a = "First 😀 claim here. Second 🎉🎉 claim follows. Third claim ends it."
    b = "Another text entirely. Second 🎉🎉 claim follows too."
    window = make_window(project_from_texts(a, b))
    view_a = window.views()[0]
    claims = window.store.claims("a")
    assert [c.text for c in claims][1] == "Second 🎉🎉 claim follows."
    third = claims[2]
    rect = view_a.claim_rects(third.id)[0]
    qtbot.mouseClick(view_a.viewport(), Qt.MouseButton.LeftButton, pos=rect.center().toPoint())
    assert window.current_claim == third.id
    # The decoration covers exactly the claim's characters in the document.
    cursor = view_a.cursorForPosition(rect.center().toPoint())
    cursor.setPosition(view_a._starts[2])
    cursor.setPosition(view_a._ends[2], cursor.MoveMode.KeepAnchor)
    assert cursor.selectedText() == third.text


def test_scrolling_one_pane_moves_only_its_ribbon_ends(
    make_window: Callable[..., Any], qtbot: QtBot
) -> None:
    window = make_window(seed_with_matches())
    window.resize(1200, 600)
    view_a, view_b = window.views()

    def ends() -> dict[tuple[str, str], tuple[float, float, float, float]]:
        return {
            (r.a_id, r.b_id): (r.a_top, r.a_bottom, r.b_top, r.b_bottom)
            for r in window.link_view.ribbons()
        }

    shown_a = {s.claim_id for s in view_a.visible_claims()}
    before = ends()
    assert before
    bar = view_b.verticalScrollBar()
    with qtbot.waitSignal(view_b.viewChanged):
        bar.setValue(bar.value() + 3)
    after = ends()
    kept = [k for k in before.keys() & after.keys() if k[0] in shown_a]
    assert kept, "ribbons from A's visible claims stay"
    assert all(after[k][:2] == before[k][:2] for k in kept), "A did not move"
    assert any(after[k][2:] != before[k][2:] for k in kept), "B's ends moved"
    with qtbot.waitSignal(view_b.viewChanged):
        bar.setValue(bar.value() - 3)
    assert ends() == before


def test_a_jump_to_a_far_claim_is_one_scroll_for_the_decorations_and_ribbons(
    make_window: Callable[..., Any], qtbot: QtBot
) -> None:
    """QPlainTextEdit moves the scroll bar in steps while it lays out the paragraphs
    above a claim it centres; the view re-decorates and tells the ribbons once."""
    sentences = [f"Claim {i} says {i * 7} people came on day {i % 28 + 1}." for i in range(400)]
    text = "\n".join(" ".join(sentences[i : i + 3]) for i in range(0, 400, 3))
    project = new_project(
        Article(id="a", title="A", source="test", text=text),
        Article(id="b", title="B", source="test", text=text),
    )
    window = make_window(project)
    window.resize(1200, 600)
    view = window.panes["a"].view
    moves: list[int] = []
    changes: list[None] = []
    view.verticalScrollBar().valueChanged.connect(moves.append)
    view.viewChanged.connect(lambda: changes.append(None))
    far = view.claims[-40].id
    view.scroll_to_claim(far)
    assert view.is_claim_visible(far)
    assert len(moves) > 1, "the premise: QPlainTextEdit got there in steps"
    assert len(changes) == 1
    # The claims now in view are decorated for where the view ended up.
    first, last = view.visible_range()
    lo, hi = view._decorated
    assert lo <= first and last <= hi
