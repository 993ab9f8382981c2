"""Shared helpers for window tests."""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QFileDialog, QMessageBox
from pytestqt.qtbot import QtBot

from factcheck.matching import MatchCancelled
from factcheck.models import Claim, MatchConfig, Project

#: A matcher setting under which the seed pair has plenty of matches (the default
#: calibrated scorer finds the two seed articles' sentences too different).
SEED_MATCHING = MatchConfig(scorer="token_set_ratio", threshold=60.0, top_k=3)


def seed_with_matches() -> Project:
    from ui.app import seed_project

    project = seed_project()
    return replace(project, settings=replace(project.settings, match=SEED_MATCHING))


class GatedMatcher:
    """The real matcher ``run``, except that a run that ``holds(config, with_encoder)``
    keeps reporting progress until released (or cancelled), so a test can act while it
    runs (a refinement in the background, say). ``started`` is set when one is held."""

    def __init__(self, run: Callable[..., Any], holds: Callable[[MatchConfig, bool], bool]):
        self.run, self.holds = run, holds
        self.release = threading.Event()
        self.started = threading.Event()

    def __call__(
        self,
        a: Sequence[Claim],
        b: Sequence[Claim],
        config: MatchConfig,
        *,
        progress: Callable[[int, int], bool],
        with_encoder: bool = True,
    ) -> Any:
        if self.holds(config, with_encoder):
            self.started.set()
            done = 0
            while not self.release.wait(0.005):
                done = min(done + 1, 999)
                if not progress(done, 1000):
                    raise MatchCancelled
        return self.run(a, b, config, progress=progress, with_encoder=with_encoder)


def activate(window: Any, qtbot: QtBot) -> None:
    """Make ``window`` the active window, so its window-wide shortcuts take keys."""
    with qtbot.waitActive(window):
        window.activateWindow()
    assert window.isActiveWindow()


def normalised(project: Project) -> Project:
    """``project`` without the project-wide "last modified" time, which every change
    (and its undo) moves forward; annotation and link times are kept."""
    return replace(project, modified="")


def text_without(window: Any, path: Path, *claim_ids: str) -> Path:
    """Write the text of the claims' article without those claims' sentences to ``path``
    (the new version an update takes: whatever sat on them becomes an orphan)."""
    store = window.store
    claims = sorted((store.claim(cid) for cid in claim_ids), key=lambda c: -c.start)
    text = store.article(claims[0].article_id).text
    for claim in claims:
        text = text[: claim.start] + text[claim.end :]
    path.write_text(text, encoding="utf-8")
    return path


def update_quietly(
    window: Any, side: str, path: Path, monkeypatch: pytest.MonkeyPatch
) -> list[str]:
    """File ▸ Update article ``side`` with ``path`` chosen in the file dialog; returns the
    texts of the message boxes it showed (answered at once)."""
    shown: list[str] = []

    def record(_parent: Any, _title: str, text: str, *_a: Any, **_k: Any) -> Any:
        shown.append(text)
        return QMessageBox.StandardButton.Ok

    with monkeypatch.context() as patch:
        patch.setattr(QMessageBox, "information", record)
        patch.setattr(QMessageBox, "critical", record)
        patch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(path), ""))
        window.actions_by_name[f"update_{side}"].trigger()
    return shown
