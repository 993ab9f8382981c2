"""Shared test setup: Qt runs offscreen, seed articles are at hand."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

REPO = Path(__file__).resolve().parents[1]
SEEDS = REPO / "seeds"
SHARED = Path(os.environ.get("FACTCHECK_SHARED", REPO.parent / "shared"))


@pytest.fixture
def seed_texts() -> tuple[str, str]:
    a, b = sorted(SEEDS.glob("*.txt"))
    return a.read_text(encoding="utf-8"), b.read_text(encoding="utf-8")
