"""A project whose note is anchored in the white space after the last claim opens in
the app with that note in the "Orphaned notes" dock (it used to end the app)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot

from factcheck.models import Annotation, Article, Project, TextAnchor, Verdict
from factcheck.projectfile import save_project
from factcheck.segmentation import segment_claims

TEXT_A = "The bridge reopened on Monday. It cost 42 million dollars.\n\n   \n"
TEXT_B = "The bridge opened again on Monday. Repairs cost 40 million dollars."


def test_note_after_the_last_claim_opens_as_an_orphan(
    make_window: Callable[..., Any],
    qtbot: QtBot,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    errors: list[str] = []
    monkeypatch.setattr(QMessageBox, "critical", lambda _p, _t, text: errors.append(text))
    a = Article("a", "A", "a.txt", TEXT_A)
    end = segment_claims(a)[-1].end
    anchor = TextAnchor.from_text(TEXT_A, end + 1, end + 3)
    note = Annotation("a:2", "a", anchor, Verdict.CONTESTED, note="a note in the gap")
    path = tmp_path / "gap.factcheck.json"
    save_project(Project(a, Article("b", "B", "b.txt", TEXT_B), annotations=(note,)), path)
    window = make_window()
    assert window.files.open_path(path)
    assert errors == []
    model = window.orphans.model
    assert model.rowCount() == 1
    shown = model.data(model.index(0, 0), Qt.ItemDataRole.DisplayRole)
    assert "a note in the gap" in shown
