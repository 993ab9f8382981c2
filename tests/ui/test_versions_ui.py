"""File ▸ Compare versions…: the two versions in the panes, the change map between
them, Alt+Down/Alt+Up through the changes, the word diff of each in the inspector."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog, QMessageBox
from pytestqt.qtbot import QtBot

from factcheck.models import Verdict
from factcheck.projectfile import load_project
from factcheck.versions import ChangeKind
from ui.app import seed_project

from ..core.test_versions import _seed_with_hand_edits
from .helpers import activate

Key = Qt.Key
ALT = Qt.KeyboardModifier.AltModifier
CTRL = Qt.KeyboardModifier.ControlModifier


@pytest.fixture
def versions(tmp_path: Path) -> tuple[Path, Path]:
    old, new = _seed_with_hand_edits()
    paths = tmp_path / "old.txt", tmp_path / "new.txt"
    paths[0].write_text(old.text, "utf-8")
    paths[1].write_text(new.text, "utf-8")
    return paths


@pytest.fixture
def window(
    make_window: Callable[..., Any],
    qtbot: QtBot,
    versions: tuple[Path, Path],
    monkeypatch: pytest.MonkeyPatch,
) -> Any:
    window = make_window()
    activate(window, qtbot)
    window.panes["a"].view.setFocus()
    chosen = iter(versions)
    titles: list[str] = []

    def pick(_parent: Any, title: str, *_a: Any, **_k: Any) -> tuple[str, str]:
        titles.append(title)
        return str(next(chosen)), ""

    monkeypatch.setattr(QFileDialog, "getOpenFileName", pick)
    with qtbot.waitSignal(window.versions.storeReady):
        window.actions_by_name["compare_versions"].trigger()
    assert ["OLD" in titles[0], "NEW" in titles[1]] == [True, True]
    return window


def test_versions_open_in_the_panes_with_the_change_map(window: Any) -> None:
    assert window.versions.active
    assert window.store.article("a").source.endswith("old.txt")
    assert window.store.article("b").source.endswith("new.txt")
    assert "Versions old.txt → new.txt" in window.windowTitle()
    assert window.versions.map.isVisible() and not window.link_view.isVisible()
    assert not window.match_controls.threshold.isEnabled()  # the alignment is the matching
    kinds = [c.kind for c in window.versions.chunks]
    assert kinds == [ChangeKind.DELETED, ChangeKind.CHANGED, ChangeKind.MOVED, ChangeKind.INSERTED]
    # It opens on the first change, highlighted in the map.
    assert window.current_claim == "a:3"
    shapes = window.versions.map.shapes()
    current = [s for s in shapes if s.current]
    assert [s.kind for s in current] == [ChangeKind.DELETED]
    (deleted,) = current
    assert deleted.new_top == deleted.new_bottom  # a point between two new sentences
    assert deleted.old_bottom > deleted.old_top
    text = window.inspector.diff.toPlainText()
    assert "Removed from the new version (A4 of the old one)" in text
    assert "before what is now B4" in text


def test_alt_down_and_alt_up_walk_the_changes(window: Any, qtbot: QtBot) -> None:
    view = window.panes["a"].view
    visited = [window.current_claim]
    for _ in range(4):
        qtbot.keyClick(window.focusWidget() or view, Key.Key_Down, ALT)
        visited.append(window.current_claim)
    # removed, changed (and its new sentence chosen), moved, added; then no further
    assert visited == ["a:3", "a:17", "a:20", "b:57", "b:57"]
    assert window.focusWidget() is window.panes["b"].view
    for _ in range(2):
        qtbot.keyClick(window.focusWidget(), Key.Key_Up, ALT)
    assert window.current_claim == "a:17"
    assert window.versions.current_chunk == 1


def test_the_inspector_shows_the_changed_sentence_word_diff_with_flags(
    window: Any, qtbot: QtBot
) -> None:
    qtbot.keyClick(window.focusWidget(), Key.Key_Down, ALT)
    assert (window.current_claim, window.chosen_match) == ("a:17", "b:16")
    html = window.inspector.diff.toHtml()
    text = window.inspector.diff.toPlainText()
    assert "Date: 2022 → 2021" in text
    assert "tacit" in text and "line-through" in html


def test_opening_a_project_ends_the_version_compare(window: Any, tmp_path: Path) -> None:
    from ui.app import seed_project

    window.load_project(seed_project())
    assert not window.versions.active
    assert window.link_view.isVisible() and not window.versions.map.isVisible()
    assert window.match_controls.threshold.isEnabled()
    assert window.versions.step(1) is False


def test_a_missing_version_is_named_and_nothing_changes(
    window: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "critical", lambda _p, _t, text, *a, **k: shown.append(text))
    before = window.store
    assert window.versions.open_files(tmp_path / "gone.txt", tmp_path / "gone.txt") is False
    assert shown and "gone.txt" in shown[0]
    assert window.store is before


def test_a_project_opened_while_comparing_wins(
    make_window: Callable[..., Any], qtbot: QtBot, versions: tuple[Path, Path]
) -> None:
    from ui.app import seed_project

    window = make_window()
    ready: list[object] = []
    window.versions.storeReady.connect(ready.append)
    # The worker's own "done" signal: the comparison finished (and was dropped).
    with qtbot.waitSignal(window.versions._task._done, timeout=20_000):
        window.versions.open_files(*versions)  # computed off the GUI thread
        window.load_project(seed_project())  # the user opened a project meanwhile
        shown = window.store
    assert ready == [] and window.store is shown and not window.versions.active


def test_a_saved_version_comparison_opens_again_in_the_mode(
    window: Any,
    qtbot: QtBot,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    make_window: Callable[..., Any],
) -> None:
    kinds = [c.kind for c in window.versions.chunks]
    assert window.current_claim == "a:3"
    qtbot.keyClick(window.panes["a"].view, Key.Key_2)  # contested, on the removed sentence
    path = tmp_path / "versions.factcheck.json"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *_a, **_k: (str(path), ""))
    with qtbot.waitSignal(window.files.saved):
        qtbot.keyClick(window.panes["a"].view, Key.Key_S, CTRL)
    assert load_project(path).settings.versions

    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *_a, **_k: (str(path), ""))
    window.load_project(seed_project())  # another project in between
    assert not window.versions.active
    with qtbot.waitSignal(window.versions.storeReady, timeout=10000):
        qtbot.keyClick(window.panes["a"].view, Key.Key_O, CTRL)
    assert window.versions.active and window.path == path
    assert window.versions.map.isVisible() and not window.link_view.isVisible()
    assert not window.match_controls.threshold.isEnabled()
    assert [c.kind for c in window.versions.chunks] == kinds
    assert window.store.annotation("a:3").verdict is Verdict.CONTESTED
    assert window.current_claim == "a:3" and not window.isWindowModified()
    assert window.chosen_match is None  # the removed sentence has no partner
    window.select_claim("a:17")
    assert window.chosen_match == "b:16", "the aligned pairs are the matches again"

    # Opened from the command line (the window's constructor) too.
    again = make_window(load_project(path), path=path)
    qtbot.waitUntil(lambda: again.versions.active, timeout=10000)
    assert [c.kind for c in again.versions.chunks] == kinds
