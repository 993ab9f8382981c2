"""The inspector: ranked candidate matches, the word diff with the chosen one, verdict
and link buttons, a link made by hand, evidence and tags typed for the right claim."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QToolButton
from pytestqt.qtbot import QtBot

from factcheck.models import LinkState, Verdict
from ui.claim_style import RELATED_TINT, SELECTED_TINT, SelectionLook
from ui.inspector import Inspector
from ui.project_io import project_from_texts

from .helpers import activate

A = (
    "The mayor said 40 people were hurt in Springfield on Monday. "
    "The weather was calm and dry all week."
)
B = (
    "Officials said 40 people were hurt in the city. "
    "The governor said 45 people were hurt in Springfield on Monday. "
    "Nobody mentioned the weather at all."
)
USER = Qt.ItemDataRole.UserRole


@pytest.fixture
def window(make_window: Callable[..., Any], qtbot: QtBot) -> Any:
    window = make_window(project_from_texts(A, B))
    window.resize(1300, 800)
    activate(window, qtbot)
    window.select_claim("a:0")
    return window


def _button(window: Any, action: str) -> QToolButton:
    target = window.actions_by_name[action]
    return next(
        b for b in window.inspector.findChildren(QToolButton) if b.defaultAction() is target
    )


def _click_claim(qtbot: QtBot, view: Any, claim_id: str, ctrl: bool = False) -> None:
    point = view.claim_rects(claim_id)[0].center().toPoint()
    modifier = Qt.KeyboardModifier.ControlModifier if ctrl else Qt.KeyboardModifier.NoModifier
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, modifier, point)


def test_candidates_are_ranked_and_the_best_is_diffed(window: Any) -> None:
    inspector = window.inspector
    items = [inspector.candidates.item(i) for i in range(inspector.candidates.count())]
    assert [i.data(USER) for i in items] == ["b:1", "b:0"]
    scores = [float(i.text().split()[0]) for i in items]
    assert scores == sorted(scores, reverse=True)
    assert inspector.candidates.currentItem() is items[0]
    assert window.chosen_match == "b:1"
    assert inspector.claim_text.text() == window.store.claim("a:0").text
    text = inspector.diff.toPlainText()
    assert "Number: 40 → 45" in text
    html = inspector.diff.toHtml()
    deleted = html.split("line-through")[1].split("</span>")[0]
    inserted = html.split("underline")[1].split("</span>")[0]
    assert "mayor" in deleted and "governor" not in deleted
    assert "governor" in inserted


def test_choosing_another_candidate_changes_the_diff(window: Any, qtbot: QtBot) -> None:
    candidates = window.inspector.candidates
    second = candidates.item(1)
    qtbot.mouseClick(
        candidates.viewport(),
        Qt.MouseButton.LeftButton,
        pos=candidates.visualItemRect(second).center(),
    )
    assert window.chosen_match == "b:0"
    assert window.panes["b"].view.selected == "b:0"
    text = window.inspector.diff.toPlainText()
    assert "Officials" in text and "Number:" not in text, "both say 40"


def test_verdict_and_link_buttons(window: Any, qtbot: QtBot) -> None:
    qtbot.mouseClick(_button(window, "verdict_contested"), Qt.MouseButton.LeftButton)
    assert window.store.annotation("a:0").verdict is Verdict.CONTESTED
    assert "Contested" in window.inspector.heading.text()
    qtbot.mouseClick(_button(window, "confirm"), Qt.MouseButton.LeftButton)
    assert window.store.link_state("a:0", "b:1") is LinkState.CONFIRMED
    assert not _button(window, "confirm").isEnabled()
    assert window.inspector.candidates.item(0).data(USER) == "b:1"
    assert "[" in window.inspector.candidates.item(0).text()  # its state is shown
    qtbot.mouseClick(_button(window, "reject"), Qt.MouseButton.LeftButton)
    assert window.store.link_state("a:0", "b:1") is LinkState.REJECTED
    assert window.inspector.candidates.item(0).data(USER) == "b:0", "rejected ranks last"


def test_link_two_claims_by_hand(window: Any, qtbot: QtBot) -> None:
    view_a, view_b = window.views()
    _click_claim(qtbot, view_a, "a:1")
    assert window.chosen_match == "b:2"
    _click_claim(qtbot, view_b, "b:0", ctrl=True)
    assert (window.selected_in("a"), window.selected_in("b")) == ("a:1", "b:0")
    link = _button(window, "link")
    assert link.isEnabled()
    qtbot.mouseClick(link, Qt.MouseButton.LeftButton)
    assert window.store.link_state("a:1", "b:0") is LinkState.MANUAL
    # The Ctrl+clicked claim is current; its new link ranks first and is diffed.
    assert window.current_claim == "b:0"
    assert window.inspector.candidates.item(0).data(USER) == "a:1", "links rank first"
    assert window.chosen_match == "a:1"
    diff = window.inspector.diff.toPlainText()
    assert "weather" in diff and "Officials" in diff


def test_evidence_and_tags_go_to_the_claim_they_were_typed_for(window: Any, qtbot: QtBot) -> None:
    inspector = window.inspector
    inspector.evidence.setFocus()
    qtbot.keyClicks(inspector.evidence, "https://example.org/x")
    qtbot.keyClick(inspector.evidence, Qt.Key.Key_Return)
    assert window.store.annotation("a:0").evidence == ("https://example.org/x",)
    inspector.tags.setFocus()
    qtbot.keyClicks(inspector.tags, "casualties ,  numbers")
    # Move to the next claim (Down is a window shortcut) without leaving the field.
    qtbot.keyClick(inspector.tags, Qt.Key.Key_Down)
    assert window.current_claim == "a:1"
    assert inspector.tags.hasFocus()
    assert window.store.annotation("a:0").tags == ("casualties", "numbers")
    assert window.store.annotation("a:1").tags == ()
    assert inspector.tags.text() == ""
    window.undo_stack.undo()
    assert window.store.annotation("a:0").tags == ()
    assert window.store.annotation("a:0").evidence == ("https://example.org/x",)


def test_a_claim_without_candidates_says_how_to_find_or_make_one(
    make_window: Callable[..., Any], qtbot: QtBot
) -> None:
    window = make_window(project_from_texts(A + " Zebras graze quietly near Oslo.", B))
    activate(window, qtbot)
    window.select_claim("a:0")
    assert window.inspector.candidates.count() > 0
    assert "No candidate match" not in window.inspector.diff.toPlainText()
    view = window.panes["a"].view
    view.setFocus()
    qtbot.keyClick(view, Qt.Key.Key_J)
    qtbot.keyClick(view, Qt.Key.Key_J)
    assert window.current_claim == "a:2"
    assert window.inspector.candidates.count() == 0
    assert "No candidate match above the threshold" in window.inspector.diff.toPlainText()


def test_a_kept_selection_that_is_not_a_match_does_not_look_like_one(
    make_window: Callable[..., Any], qtbot: QtBot
) -> None:
    window = make_window(project_from_texts(A + " Zebras graze quietly near Oslo.", B))
    activate(window, qtbot)
    view_a, view_b = window.views()
    window.select_claim("a:1")
    kept = window.selected_in("b")
    assert kept == "b:2"
    assert view_b.selection_look is SelectionLook.MATCH
    assert view_b.claim_tints(kept)[-1] == RELATED_TINT
    view_a.setFocus()
    qtbot.keyClick(view_a, Qt.Key.Key_J)
    assert window.current_claim == "a:2"  # no candidate: B keeps its selection for linking
    assert window.selected_in("b") == kept
    assert view_a.selection_look is SelectionLook.CURRENT
    assert view_b.selection_look is SelectionLook.KEPT
    assert RELATED_TINT not in view_b.claim_tints(kept) and SELECTED_TINT not in view_b.claim_tints(
        kept
    )
    # Linking them by hand makes it a match, drawn as one.
    qtbot.mouseClick(_button(window, "link"), Qt.MouseButton.LeftButton)
    assert window.store.link_state("a:2", kept) is LinkState.MANUAL
    window.select_claim("a:2", follow=False)
    assert view_b.selection_look is SelectionLook.MATCH
    assert view_b.claim_tints(kept)[-1] == RELATED_TINT


def _rows(inspector: Inspector) -> list[tuple[Any, ...]]:
    candidates = inspector.candidates
    return [
        (
            item.text(),
            item.data(Qt.ItemDataRole.UserRole),
            item.toolTip(),
            item.data(Qt.ItemDataRole.ForegroundRole),
            item is candidates.currentItem(),
        )
        for item in (candidates.item(n) for n in range(candidates.count()))
    ]


def test_the_candidate_list_reuses_its_rows_and_shows_what_a_fresh_list_would(
    make_window: Callable[..., Any], qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Walking through claims (J) with more, fewer and related candidates: each time
    the list shows what an inspector that never showed another claim shows."""
    window = make_window()
    activate(window, qtbot)
    shown: list[tuple[Any, ...]] = []
    show_claim = window.inspector.show_claim

    def recording(*args: Any) -> None:
        shown.append(args)
        show_claim(*args)

    monkeypatch.setattr(window.inspector, "show_claim", recording)
    view = window.panes["a"].view
    view.setFocus()
    counts, related = set(), 0
    for _ in range(min(12, len(window.store.claims("a")) - 1)):
        qtbot.keyClick(view, Qt.Key.Key_J)
        fresh = Inspector()
        qtbot.addWidget(fresh)
        fresh.show_claim(*shown[-1])
        assert _rows(window.inspector) == _rows(fresh)
        counts.add(window.inspector.candidates.count())
        related += bool(shown[-1][5])
    assert len(counts) > 1 and related, "the walk met different lists and related rows"
