"""Shared helpers for window tests."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from pytestqt.qtbot import QtBot

from factcheck.models import MatchConfig, Project

#: A matcher setting under which the seed pair has plenty of matches (the default
#: calibrated scorer finds the two seed articles' sentences too different).
SEED_MATCHING = MatchConfig(scorer="token_set_ratio", threshold=60.0, top_k=3)


def seed_with_matches() -> Project:
    from ui.app import seed_project

    project = seed_project()
    return replace(project, settings=replace(project.settings, match=SEED_MATCHING))


def activate(window: Any, qtbot: QtBot) -> None:
    """Make ``window`` the active window, so its window-wide shortcuts take keys."""
    with qtbot.waitActive(window):
        window.activateWindow()
    assert window.isActiveWindow()


def normalised(project: Project) -> Project:
    """``project`` without the project-wide "last modified" time, which every change
    (and its undo) moves forward; annotation and link times are kept."""
    return replace(project, modified="")
