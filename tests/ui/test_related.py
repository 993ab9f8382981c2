"""Links ("likely the same claim") in the ribbons and the table; the weaker "related"
candidates only in the inspector's candidate list, labelled, with their confidence."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from factcheck.models import MatchConfig

from .helpers import activate


def test_related_candidates_are_listed_after_the_links_and_chosen_with_keys(
    make_window: Callable[..., Any], qtbot: QtBot
) -> None:
    window = make_window()
    activate(window, qtbot)
    store, controls = window.store, window.match_controls
    assert store.settings.match == MatchConfig()
    shown = {(m.a_id, m.b_id) for m in store.matches}
    claim_id = next(c.id for c in store.claims("a") if controls.related_of(c.id, MatchConfig()))
    related = controls.related_of(claim_id, MatchConfig())
    assert all(score < MatchConfig().threshold for score, _ in related)
    assert not {(claim_id, other) for _, other in related} & shown
    # Ribbons join shown links only.
    assert {(r.a_id, r.b_id) for r in window.link_view.ribbons()} <= shown

    window.select_claim(claim_id)
    candidates = window.inspector.candidates
    labels = [candidates.item(n).text() for n in range(candidates.count())]
    tagged = [t for t in labels if "[related]" in t]
    assert len(tagged) == len(related)
    assert labels[-len(tagged) :] == tagged  # after the links
    candidates.setFocus()
    qtbot.keyClick(candidates, Qt.Key.Key_End)
    last = candidates.currentItem().data(Qt.ItemDataRole.UserRole)
    assert last == related[-1][1]
    assert window.inspector.diff.toPlainText().strip()  # the word diff with it
    assert (claim_id, last) not in {(m.a_id, m.b_id) for m in store.matches}
