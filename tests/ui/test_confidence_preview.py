"""On long articles the default (confidence) scorer shows its lexical-only result first,
then refines it with the sentence encoder in the background; Cancel keeps the first."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from factcheck.matching import encoder, match_with_related
from factcheck.models import MatchConfig
from ui import background
from ui.background import MatchJob

from .helpers import GatedMatcher, activate

TIMEOUT_MS = 30_000


@pytest.fixture(autouse=True)
def long_articles(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The shipped encoder, cold, and the seed pair counted as long articles."""
    if encoder.encoder_problem():
        pytest.skip(f"the shipped encoder is needed: {encoder.encoder_problem()}")
    monkeypatch.setattr(background, "CONFIDENCE_PREVIEW_TEXTS", 1)
    encoder.set_encoder(None)
    yield
    encoder.set_encoder(None)


def gated_refinement() -> GatedMatcher:
    """The real matcher; a run with the encoder (the refinement) is held."""
    return GatedMatcher(match_with_related, lambda _config, with_encoder: with_encoder)


def test_the_job_shows_the_lexical_only_confidence_before_the_refined_one(qtbot: QtBot) -> None:
    from tests.core.helpers import claims

    a = claims("a", ["The company's profits fell sharply last quarter.", "Rain is expected."])
    b = claims("b", ["Earnings at the firm dropped steeply in the previous three months."])
    config = MatchConfig(threshold=0.0)
    job = MatchJob()
    events: list[tuple[str, Any]] = []
    job.preview.connect(lambda c, matches: events.append(("preview", (c, matches))))
    job.finished.connect(lambda result: events.append(("finished", result)))
    try:
        with qtbot.waitSignal(job.finished, timeout=TIMEOUT_MS):
            job.start(a, b, config)
    finally:
        job.shutdown()
    assert [name for name, _ in events] == ["preview", "finished"]
    preview_config, preview = events[0][1]
    assert preview_config == config  # the same settings, without the encoder
    assert preview == match_with_related(a, b, config, with_encoder=False).shown
    assert preview and all("semantic" not in dict(m.components) for m in preview)
    refined = events[1][1].shown
    assert refined and all("semantic" in dict(m.components) for m in refined)


def test_opening_long_articles_shows_the_first_result_and_cancel_keeps_it(
    make_window: Callable[..., Any], qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    gated = gated_refinement()
    monkeypatch.setattr(MatchJob, "_resolved_match_fn", lambda self: gated)
    window = make_window()  # the seed pair, default (confidence) settings
    controls, store = window.match_controls, window.store
    qtbot.waitUntil(gated.started.is_set, timeout=TIMEOUT_MS)
    qtbot.waitUntil(lambda: bool(store.matches), timeout=TIMEOUT_MS)
    config = store.settings.match
    assert config.scorer == "confidence"
    first = match_with_related(
        store.claims("a"), store.claims("b"), config, with_encoder=False
    ).shown
    assert store.matches == first
    assert controls.progress.isVisible() and "Semantic refinement" in controls.progress.format()
    activate(window, qtbot)
    with qtbot.waitSignal(controls.job.cancelled, timeout=TIMEOUT_MS):
        qtbot.mouseClick(controls.cancel_button, Qt.MouseButton.LeftButton)
    gated.release.set()
    assert store.matches == first
    assert store.settings.match == config
    assert controls.scorer.currentData() == "confidence"
    assert not controls.progress.isVisible()
    assert "lexical matches shown" in window.statusBar().currentMessage()
    assert window.undo_stack.count() == 0


def test_the_refinement_replaces_the_first_result_when_it_finishes(
    make_window: Callable[..., Any], qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    gated = gated_refinement()
    monkeypatch.setattr(MatchJob, "_resolved_match_fn", lambda self: gated)
    window = make_window()
    controls, store = window.match_controls, window.store
    qtbot.waitUntil(gated.started.is_set, timeout=TIMEOUT_MS)
    qtbot.waitUntil(lambda: bool(store.matches), timeout=TIMEOUT_MS)
    first = store.matches
    with qtbot.waitSignal(controls.job.finished, timeout=TIMEOUT_MS):
        gated.release.set()
    assert store.matches != first
    assert store.matches and all("semantic" in dict(m.components) for m in store.matches)
    assert not controls.progress.isVisible()
    assert window.undo_stack.count() == 0
