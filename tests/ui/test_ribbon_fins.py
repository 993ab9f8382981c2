"""Ribbons to claims out of view are culled to fins at their visible claim (Meld's
linkmap culls such chunks to a tab); the selected claim's ribbons stay whole."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QImage
from pytestqt.qtbot import QtBot

from ui.link_view import Fin

from .helpers import seed_with_matches


def _click_the_claim_farthest_from_its_match(window: Any, qtbot: QtBot) -> str:
    """Click the claim of A whose best match is lowest in B (B scrolls down to it)."""
    index, store = window._index, window.store
    best = [
        (store.claim(b.claim_id).index, c.id)
        for c in store.claims("a")
        if (b := index.best(c.id)) is not None
    ]
    a_id = max(best)[1]
    view_a = window.panes["a"].view
    view_a.scroll_to_claim(a_id)
    point = view_a.claim_rects(a_id)[0].center().toPoint()
    with qtbot.waitSignal(window.selectionChanged):
        qtbot.mouseClick(view_a.viewport(), Qt.MouseButton.LeftButton, pos=point)
    return a_id


def test_ribbons_with_an_end_out_of_view_become_one_fin_per_claim_edge_and_state(
    make_window: Callable[..., Any], qtbot: QtBot
) -> None:
    window = make_window(seed_with_matches())
    window.resize(1200, 600)
    current = _click_the_claim_farthest_from_its_match(window, qtbot)
    views = window.views()
    shown = [{s.claim_id for s in view.visible_claims()} for view in views]
    firsts = [view.claim_index(view.visible_claims()[0].claim_id) for view in views]
    expected: dict[Fin, float] = {}
    whole = 0
    for r in window.link_view.ribbons():
        ids, tops = (r.a_id, r.b_id), ((r.a_top, r.a_bottom), (r.b_top, r.b_bottom))
        out = [side for side in (0, 1) if ids[side] not in shown[side]]
        if r.selected or not out:
            whole += 1
            continue
        (gone,) = out
        side = 1 - gone
        lean = -1 if views[gone].claim_index(ids[gone]) < firsts[gone] else 1
        fin = Fin(side, *tops[side], lean, r.state)
        expected[fin] = max(expected.get(fin, 0.0), r.score)
    fins = window.link_view.fins()
    assert fins == expected
    assert whole and fins, "the seed pair in a short window has both"
    # The current claim's ribbons are drawn whole, also to partners out of view.
    ends = {(r.a_top, r.a_bottom) for r in window.link_view.ribbons() if r.a_id == current}
    assert ends
    assert not any(f.side == 0 and (f.top, f.bottom) in ends for f in fins)


def test_fins_are_painted_at_the_edge_of_their_claim(
    make_window: Callable[..., Any], qtbot: QtBot
) -> None:
    window = make_window(seed_with_matches())
    window.resize(1200, 600)
    _click_the_claim_farthest_from_its_match(window, qtbot)
    link_view = window.link_view
    image = link_view.grab().toImage().convertToFormat(QImage.Format.Format_RGB32)
    background = link_view.palette().window().color().rgb()
    fins = link_view.fins()
    assert fins
    for fin in fins:
        x = 1 if fin.side == 0 else link_view.width() - 2
        y = round((fin.top + fin.bottom) / 2)
        if 0 <= y < link_view.height():
            assert image.pixel(x, y) != background, fin
