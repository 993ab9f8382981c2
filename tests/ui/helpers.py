"""Shared helpers for window tests."""

from __future__ import annotations

from dataclasses import replace

from factcheck.models import MatchConfig, Project

#: A matcher setting under which the seed pair has plenty of matches (the default
#: calibrated scorer finds the two seed articles' sentences too different).
SEED_MATCHING = MatchConfig(scorer="token_set_ratio", threshold=60.0, top_k=3)


def seed_with_matches() -> Project:
    from ui.app import seed_project

    project = seed_project()
    return replace(project, settings=replace(project.settings, match=SEED_MATCHING))
