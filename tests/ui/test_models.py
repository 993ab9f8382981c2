"""Every item model of the window passes Qt's model tester with real data, also while
the store changes under it (the tester stays attached and checks every signal)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from factcheck.models import LinkState, Verdict
from ui.claim_table import ClaimFilterModel, ClaimTableModel
from ui.orphans_panel import OrphanListModel

from .helpers import text_without, update_quietly


def _annotate(window: Any) -> None:
    store = window.store
    store.set_verdict("a:0", Verdict.SUPPORTED)
    store.set_note("a:1", "a long note " * 20)
    store.set_verdict("b:2", Verdict.CONTESTED)
    match = store.matches[0]
    window.select_claim(match.a_id)
    window.decide_link(LinkState.CONFIRMED)


def test_claim_table_model(make_window: Callable[..., Any], qtmodeltester: ModelTester) -> None:
    window = make_window()
    _annotate(window)
    model = window.claim_panel.proxy.sourceModel()
    assert isinstance(model, ClaimTableModel)
    assert model.rowCount() == len(window.store.all_claims())
    qtmodeltester.check(model)
    # Still consistent through changes the tester watches.
    window.store.set_verdict("a:3", Verdict.OPINION)
    window.undo_stack.undo()
    qtmodeltester.check(model)


def test_claim_filter_model_under_every_filter(
    make_window: Callable[..., Any], qtmodeltester: ModelTester
) -> None:
    window = make_window()
    _annotate(window)
    proxy = window.claim_panel.proxy
    assert isinstance(proxy, ClaimFilterModel)
    qtmodeltester.check(proxy)
    proxy.set_verdict(Verdict.SUPPORTED)
    assert proxy.rowCount() == 1
    qtmodeltester.check(proxy)
    proxy.set_verdict(None)
    proxy.set_article("b")
    proxy.set_match(ClaimFilterModel.MATCH_HAS)
    assert 0 < proxy.rowCount() < len(window.store.claims("b"))
    qtmodeltester.check(proxy)
    proxy.set_text("long note")
    proxy.set_article(None)
    proxy.set_match(ClaimFilterModel.MATCH_ANY)
    assert proxy.rowCount() == 1
    proxy.set_text("")
    proxy.sort(4, Qt.SortOrder.DescendingOrder)
    window.store.set_verdict("a:5", Verdict.OPINION)  # the proxy re-sorts and re-filters
    qtmodeltester.check(proxy)


def test_claim_table_model_on_an_empty_comparison(
    make_window: Callable[..., Any], qtmodeltester: ModelTester
) -> None:
    from ui.project_io import project_from_texts

    window = make_window(project_from_texts("One claim here.", "Another claim there."))
    model = window.claim_panel.proxy.sourceModel()
    qtmodeltester.check(model)
    qtmodeltester.check(window.claim_panel.proxy)


def test_candidate_list_model(
    make_window: Callable[..., Any], qtmodeltester: ModelTester, qtbot: QtBot
) -> None:
    window = make_window()
    with_partners = max(window.store.all_claims(), key=lambda c: len(window._index.partners(c.id)))
    window.select_claim(with_partners.id)
    candidates = window.inspector.candidates
    related = window.match_controls.related_of(with_partners.id, window.store.settings.match)
    links = len(window._index.partners(with_partners.id))
    assert candidates.count() == links + len(related) and links >= 1
    qtmodeltester.check(candidates.model())


def test_orphan_list_model_with_orphans_and_without(
    make_window: Callable[..., Any],
    qtmodeltester: ModelTester,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    window = make_window()
    model = window.orphans.model
    assert isinstance(model, OrphanListModel)
    assert model.rowCount() == 0
    qtmodeltester.check(model)  # none: every note has its place
    # A note and a confirmed link whose sentences the new version of A drops.
    window.select_claim("a:3")
    window.set_verdict(Verdict.CONTESTED)
    window.select_claim("a:1")
    assert window.chosen_match == "b:22"
    window.decide_link(LinkState.CONFIRMED)
    update_quietly(
        window, "a", text_without(window, tmp_path / "a2.txt", "a:1", "a:3"), monkeypatch
    )
    assert model.rowCount() == 2
    assert "Note (contested" in model.index(0).data()
    assert "Link A2 ↔ B23 (confirmed)" in model.index(1).data()
    qtmodeltester.check(model)
    # Still consistent while the orphans change under the tester.
    panel = window.orphans
    window.select_claim(window.store.claims("a")[0].id)
    panel.list.setCurrentIndex(model.index(1))
    assert panel.reattach_current()
    assert model.rowCount() == 1
    qtmodeltester.check(model)
    window.undo_stack.undo()  # the re-attach: two orphans again
    window.undo_stack.undo()  # the update: none
    assert model.rowCount() == 0
    qtmodeltester.check(model)
