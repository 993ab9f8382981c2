"""A semantic scorer shows the lexical matches first and refines them in the background,
with progress and Cancel; cancelling keeps or restores what makes sense."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator, Sequence
from dataclasses import replace
from typing import Any

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from factcheck.matching import SCORERS, encoder, match_claims
from factcheck.models import Claim, Match, MatchConfig
from tests.core.helpers import claims
from ui.background import MatchJob, lexical_preview

from .helpers import GatedMatcher, activate

TIMEOUT_MS = 30_000
HYBRID = MatchConfig(scorer="hybrid")


@pytest.fixture(autouse=True)
def cold_encoder() -> Iterator[None]:
    """The shipped model, nothing encoded yet (as in a fresh app)."""
    encoder.set_encoder(None)
    yield
    encoder.set_encoder(None)


def gated_semantic() -> GatedMatcher:
    """The real matcher; a run of a semantic scorer is held."""
    return GatedMatcher(match_claims, lambda config, _e: SCORERS[config.scorer].semantic)


A = claims("a", ["The company's profits fell sharply last quarter.", "Rain is expected."])
B = claims("b", ["Earnings at the firm dropped steeply in the previous three months."])


def test_lexical_matches_come_first_then_the_refinement_in_a_worker(qtbot: QtBot) -> None:
    threads: list[threading.Thread] = []

    def preview(a: Sequence[Claim], b: Sequence[Claim], c: MatchConfig) -> MatchConfig | None:
        threads.append(threading.current_thread())
        return lexical_preview(a, b, c)

    job = MatchJob(preview_fn=preview)
    shown: list[tuple[MatchConfig, tuple[Match, ...]]] = []
    job.preview.connect(lambda config, matches: shown.append((config, matches)))
    try:
        with qtbot.waitSignal(job.finished, timeout=TIMEOUT_MS) as finished:
            job.start(A, B, replace(HYBRID, threshold=0.0))
        assert threads and threads[0] is not threading.main_thread()
        assert len(shown) == 1 and shown[0][0].scorer == "lexical"
        assert all(m.scorer == "lexical" for m in shown[0][1])
        refined = finished.args[0].shown  # a MatchResult: the links and the related
        assert refined and all(m.scorer == "hybrid" for m in refined)
        # Encoded now: the same run again needs no preview.
        with qtbot.waitSignal(job.finished, timeout=TIMEOUT_MS):
            job.start(A, B, replace(HYBRID, threshold=0.0))
        assert len(shown) == 1
    finally:
        job.shutdown()


def test_the_refinement_can_be_cancelled_after_the_preview(qtbot: QtBot) -> None:
    gated = gated_semantic()
    job = MatchJob(match_fn=gated)
    finished: list[object] = []
    job.finished.connect(finished.append)
    try:
        with qtbot.waitSignal(job.preview, timeout=TIMEOUT_MS):
            job.start(A, B, HYBRID)
        assert job.is_running()
        with qtbot.waitSignal(job.cancelled, timeout=TIMEOUT_MS):
            job.cancel()
        assert not finished and not job.is_running()
    finally:
        gated.release.set()
        job.shutdown()


def _hybrid_project(make_window: Callable[..., Any]) -> Any:
    from ui.app import seed_project

    project = seed_project()
    settings = replace(project.settings, match=HYBRID)
    return make_window(replace(project, settings=settings))


def test_opening_with_a_semantic_scorer_shows_lexical_matches_and_cancel_keeps_them(
    make_window: Callable[..., Any], qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    gated = gated_semantic()
    monkeypatch.setattr(MatchJob, "_resolved_match_fn", lambda self: gated)
    window = _hybrid_project(make_window)
    controls = window.match_controls
    qtbot.waitUntil(gated.started.is_set, timeout=TIMEOUT_MS)
    qtbot.waitUntil(lambda: window.store.settings.match.scorer == "lexical", timeout=TIMEOUT_MS)
    lexical = window.store.matches
    assert lexical == match_claims(
        window.store.claims("a"), window.store.claims("b"), replace(HYBRID, scorer="lexical")
    )
    assert controls.progress.isVisible() and "Semantic refinement" in controls.progress.format()
    activate(window, qtbot)
    with qtbot.waitSignal(controls.job.cancelled, timeout=TIMEOUT_MS):
        qtbot.mouseClick(controls.cancel_button, Qt.MouseButton.LeftButton)
    gated.release.set()
    assert window.store.matches == lexical
    assert controls.scorer.currentData() == "lexical"
    assert not controls.progress.isVisible()
    assert "lexical matches shown" in window.statusBar().currentMessage()
    assert window.undo_stack.count() == 0


def test_a_refined_setting_is_one_undo_step_from_the_settings_before_it(
    make_window: Callable[..., Any], qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    gated = gated_semantic()
    monkeypatch.setattr(MatchJob, "_resolved_match_fn", lambda self: gated)
    window = make_window()
    activate(window, qtbot)
    controls, store = window.match_controls, window.store
    qtbot.waitUntil(lambda: not controls.is_running(), timeout=TIMEOUT_MS)
    encoder.set_encoder(None)  # the default scorer (confidence) encoded the seed: cold again
    # Start from bm25, so that the lexical preview differs from what was shown.
    with qtbot.waitSignal(window.matchesApplied, timeout=TIMEOUT_MS):
        controls.scorer.setCurrentIndex(controls.scorer.findData("bm25"))
    before = (store.settings.match, store.matches)
    steps = window.undo_stack.count()

    # Cancelled during the refinement: back to bm25, nothing to undo.
    with qtbot.waitSignal(controls.job.preview, timeout=TIMEOUT_MS):
        controls.scorer.setCurrentIndex(controls.scorer.findData("hybrid"))
    assert store.settings.match.scorer == "lexical"
    with qtbot.waitSignal(controls.job.cancelled, timeout=TIMEOUT_MS):
        qtbot.mouseClick(controls.cancel_button, Qt.MouseButton.LeftButton)
    assert (store.settings.match, store.matches) == before
    assert controls.scorer.currentData() == "bm25"
    assert window.undo_stack.count() == steps

    # Let through: hybrid, in one undo step that goes back to bm25.
    gated.release.set()
    with qtbot.waitSignal(controls.job.finished, timeout=TIMEOUT_MS):
        controls.scorer.setCurrentIndex(controls.scorer.findData("hybrid"))
    assert store.settings.match.scorer == "hybrid"
    assert all(m.scorer == "hybrid" for m in store.matches)
    assert window.undo_stack.count() == steps + 1
    window.undo_stack.undo()
    assert (store.settings.match, store.matches) == before
