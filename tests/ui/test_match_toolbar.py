"""The matching toolbar with the keyboard: stepping the threshold and choosing a scorer
re-match (fewer or more suggested links, the claims table's Match column follows) and
are remembered for next time; the semantic scorers say when their stage is off."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QSettings, Qt
from pytestqt.qtbot import QtBot

from factcheck.matching import match_claims
from factcheck.models import Match, MatchConfig
from ui.app_settings import AppSettings
from ui.claim_table import CLAIM_ID_ROLE, COL_SCORE

from .helpers import activate

Key = Qt.Key
#: Re-matching runs off the GUI thread; the seed pair takes well under a second.
MATCH_TIMEOUT_MS = 20_000


def _match_column(window: Any) -> dict[str, str]:
    """The claims table's Match column as shown, by claim id."""
    model = window.claim_panel.table.model()
    return {
        model.index(row, 0).data(CLAIM_ID_ROLE): model.index(row, COL_SCORE).data()
        for row in range(model.rowCount())
    }


def _best_scores(window: Any, matches: tuple[Match, ...]) -> dict[str, str]:
    best: dict[str, float] = {}
    for m in matches:
        for claim_id in (m.a_id, m.b_id):
            best[claim_id] = max(best.get(claim_id, 0.0), m.score)
    return {c.id: f"{best[c.id]:.0f}" if c.id in best else "" for c in window.store.all_claims()}


def _expected(window: Any, config: MatchConfig) -> tuple[Match, ...]:
    store = window.store
    return match_claims(store.claims("a"), store.claims("b"), config)


def test_threshold_and_scorer_keys_rematch_and_persist(
    make_window: Callable[..., Any], qtbot: QtBot, tmp_path: Path
) -> None:
    window = make_window()
    activate(window, qtbot)
    controls, store = window.match_controls, window.store
    default = MatchConfig()
    assert (store.settings.match.scorer, store.settings.match.threshold) == ("confidence", 20.0)
    assert "min. confidence %" in controls.threshold_label.text()
    assert _match_column(window) == _best_scores(window, store.matches)
    start = len(store.matches)
    selected = window.current_claim

    # Up steps the threshold (it does not select the previous claim): fewer matches.
    controls.threshold.setFocus()
    with qtbot.waitSignal(window.matchesApplied, timeout=MATCH_TIMEOUT_MS):
        qtbot.keyClick(controls.threshold, Key.Key_Up)
    assert controls.threshold.value() == 25
    assert window.current_claim == selected
    config = store.settings.match
    assert (config.scorer, config.threshold, config.top_k) == ("confidence", 25.0, default.top_k)
    assert store.matches == _expected(window, config)
    assert 0 < len(store.matches) < start
    assert all(m.score >= 25 for m in store.matches)
    assert _match_column(window) == _best_scores(window, store.matches)

    # Typing a scorer's name chooses it. Its raw scores are on another scale: the
    # threshold becomes its usual value (at 25 it would link almost every pair).
    controls.scorer.setFocus()
    with qtbot.waitSignal(window.matchesApplied, timeout=MATCH_TIMEOUT_MS):
        qtbot.keyClicks(controls.scorer, "token_set")
    assert controls.scorer.currentData() == "token_set_ratio"
    config = store.settings.match
    assert (config.scorer, config.threshold) == ("token_set_ratio", 60.0)
    assert controls.threshold.value() == 60
    assert "min. score" in controls.threshold_label.text()
    assert store.matches == _expected(window, config)
    assert store.matches and all(m.score >= 60 for m in store.matches)
    assert _match_column(window) == _best_scores(window, store.matches)
    assert window.current_claim == selected
    assert window.undo_stack.undoText() == "Match with token_set_ratio ≥ 60"
    at_25 = match_claims(store.claims("a"), store.claims("b"), MatchConfig("token_set_ratio", 25))
    assert len(at_25) > 2 * len(store.matches)

    # Remembered: the settings file holds them for the next comparison.
    window.settings.sync()
    saved = AppSettings(QSettings(str(tmp_path / "app.ini"), QSettings.Format.IniFormat))
    assert saved.match_config() == config


@pytest.mark.parametrize("installed", [False, True], ids=["missing", "installed"])
def test_semantic_scorers_say_when_the_model_is_missing(
    make_window: Callable[..., Any],
    qtbot: QtBot,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    installed: bool,
) -> None:
    if not installed:  # the encoder pointed at an empty folder: its files are missing
        monkeypatch.setenv("FACTCHECK_ENCODER_DIR", str(tmp_path))
    window = make_window()
    combo = window.match_controls.scorer
    flags = Qt.ItemFlag.ItemIsEnabled
    for name in ("hybrid", "semantic"):
        i = combo.findData(name)
        assert i >= 0, f"{name} is offered"
        item_flags = combo.model().flags(combo.model().index(i, 0))
        tip = combo.itemData(i, Qt.ItemDataRole.ToolTipRole)
        assert bool(item_flags & flags) is installed
        assert (str(tmp_path / "model.onnx") in tip) is not installed
        assert ("Semantic stage off" in tip) is not installed
    assert ("semantic stage off" in combo.toolTip()) is not installed
    lexical = combo.findData("lexical")
    assert combo.model().flags(combo.model().index(lexical, 0)) & flags
    if installed:
        return
    # The keyboard passes over the disabled items: Down from lexical lands on bm25, and
    # typing "sem" chooses nothing.
    activate(window, qtbot)
    combo.setFocus()
    assert combo.currentData() == "confidence"  # the default runs without the extra
    with qtbot.waitSignal(window.matchesApplied, timeout=MATCH_TIMEOUT_MS):
        qtbot.keyClick(combo, Key.Key_Down)
    assert combo.currentData() == "lexical"
    with qtbot.waitSignal(window.matchesApplied, timeout=MATCH_TIMEOUT_MS):
        qtbot.keyClick(combo, Key.Key_Down)
    assert combo.currentData() == "bm25"
    assert window.store.settings.match.scorer == "bm25"
    qtbot.keyClicks(combo, "sem")
    assert combo.currentData() == "bm25"
    assert not window.match_controls.is_running()


def test_threshold_keeps_its_meaning_across_scorers() -> None:
    from ui.threshold_scale import threshold_for_scorer

    assert threshold_for_scorer("lexical", "hybrid", 35.0) == 35.0  # one calibrated scale
    assert threshold_for_scorer("lexical", "token_set_ratio", 20.0) == 60.0
    assert threshold_for_scorer("token_set_ratio", "lexical", 60.0) == MatchConfig().threshold
    assert threshold_for_scorer("ratio", "ratio", 72.0) == 72.0
