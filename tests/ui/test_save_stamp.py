"""The app's Save passes the project file's stamp: a file another program changed
since it was opened or last saved is not silently replaced. Ctrl+S asks (Overwrite /
Save As… / Cancel) and the answer is given with real key presses."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QFileDialog, QMessageBox
from pytestqt.qtbot import QtBot

from factcheck.models import Verdict
from factcheck.projectfile import load_project, load_project_with_stamp, save_project
from ui.recovery import RecoveryManager

from .helpers import activate

Key = Qt.Key
CTRL = Qt.KeyboardModifier.ControlModifier
ALT = Qt.KeyboardModifier.AltModifier
THEIRS = "changed by another program"


@pytest.fixture
def project_file(tmp_path: Path) -> Path:
    from ui.app import seed_project

    path = tmp_path / "shared.factcheck.json"
    save_project(seed_project(), path)
    return path


@pytest.fixture
def window(
    make_window: Callable[..., Any],
    qtbot: QtBot,
    project_file: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> Any:
    """A window that opened ``project_file`` with Ctrl+O, then marked claim A1 supported."""
    window = make_window()
    activate(window, qtbot)
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *_a, **_k: (str(project_file), ""))
    view = window.panes["a"].view
    view.setFocus()
    with qtbot.waitSignal(window.storeShown, timeout=5000):
        qtbot.keyClick(view, Key.Key_O, CTRL)
    assert window.path == project_file
    window.panes["a"].view.setFocus()
    window.select_claim("a:0")
    qtbot.keyClick(window.panes["a"].view, Key.Key_1)
    assert window.store.annotation("a:0").verdict is Verdict.SUPPORTED
    return window


def _change_on_disk(path: Path) -> str:
    """Another program rewrites the project (under a new name); returns what it wrote."""
    project = load_project(path)
    save_project(replace(project, name=THEIRS), path)
    return path.read_text("utf-8")


def _answer_with(qtbot: QtBot, key: Qt.Key, modifier: Qt.KeyboardModifier, seen: list[Any]) -> None:
    """When the changed-on-disk box shows, note its texts and press ``modifier+key``."""

    def answer() -> None:
        box = QApplication.activeModalWidget()
        if not isinstance(box, QMessageBox):
            QTimer.singleShot(10, answer)
            return
        seen.append((box.windowTitle(), box.text(), sorted(b.text() for b in box.buttons())))
        box.activateWindow()  # mnemonics are shortcuts of the active window
        qtbot.waitUntil(box.isActiveWindow)
        qtbot.keyClick(box, key, modifier)

    QTimer.singleShot(0, answer)


def _save_with_ctrl_s(window: Any, qtbot: QtBot) -> None:
    activate(window, qtbot)
    qtbot.keyClick(window.panes["a"].view, Key.Key_S, CTRL)


def test_save_without_outside_changes_does_not_ask(window: Any, qtbot: QtBot) -> None:
    with qtbot.waitSignal(window.files.saved, timeout=5000):
        _save_with_ctrl_s(window, qtbot)
    assert not window.isWindowModified()
    qtbot.keyClick(window.panes["a"].view, Key.Key_2)
    with qtbot.waitSignal(window.files.saved, timeout=5000):  # the saved stamp is the next one
        _save_with_ctrl_s(window, qtbot)
    assert load_project(window.path).annotations[0].verdict is Verdict.CONTESTED
    assert window.stamp == load_project_with_stamp(window.path)[1]


def test_changed_file_asks_and_cancel_keeps_theirs(
    window: Any, qtbot: QtBot, project_file: Path
) -> None:
    theirs = _change_on_disk(project_file)
    seen: list[Any] = []
    _answer_with(qtbot, Key.Key_Escape, Qt.KeyboardModifier.NoModifier, seen)
    with qtbot.assertNotEmitted(window.files.saved):
        _save_with_ctrl_s(window, qtbot)
    ((title, text, buttons),) = seen
    assert title == "Project changed on disk"
    assert "“shared.factcheck.json” was changed by another program" in text
    assert buttons == ["&Cancel", "&Overwrite", "Save &As…"]
    assert project_file.read_text("utf-8") == theirs
    assert window.isWindowModified(), "the work is still unsaved"


def test_overwrite_with_alt_o_saves_this_version(
    window: Any, qtbot: QtBot, project_file: Path
) -> None:
    _change_on_disk(project_file)
    seen: list[Any] = []
    _answer_with(qtbot, Key.Key_O, ALT, seen)
    with qtbot.waitSignal(window.files.saved, timeout=5000):
        _save_with_ctrl_s(window, qtbot)
    assert len(seen) == 1
    saved = load_project(project_file)
    assert saved.name != THEIRS
    assert [(a.claim_id, a.verdict) for a in saved.annotations] == [("a:0", Verdict.SUPPORTED)]
    assert not window.isWindowModified()
    assert window.stamp == load_project_with_stamp(project_file)[1]


def test_save_as_with_alt_a_keeps_theirs_and_moves_to_the_new_file(
    window: Any, qtbot: QtBot, project_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    theirs = _change_on_disk(project_file)
    other = project_file.with_name("mine.factcheck.json")
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *_a, **_k: (str(other), ""))
    seen: list[Any] = []
    _answer_with(qtbot, Key.Key_A, ALT, seen)
    with qtbot.waitSignal(window.files.saved, timeout=5000):
        _save_with_ctrl_s(window, qtbot)
    assert len(seen) == 1
    assert project_file.read_text("utf-8") == theirs
    assert load_project(other).annotations[0].verdict is Verdict.SUPPORTED
    assert window.path == other and not window.isWindowModified()


def test_restored_work_saves_with_the_stamp_its_session_had(
    make_window: Callable[..., Any],
    tmp_path: Path,
    project_file: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from ui.app import offer_recovery

    project, stamp = load_project_with_stamp(project_file)
    crashed = RecoveryManager(tmp_path / "crashed")
    crashed.start(lambda: project, lambda: True, lambda: project_file, lambda: stamp)
    assert crashed.save_now()
    # Another manager sees it (the pid is ours, but not the session).
    restoring = RecoveryManager(tmp_path / "crashed")
    (pending,) = restoring.pending()
    assert (pending.project_path, pending.project_stamp) == (project_file, stamp)
    window = make_window()
    monkeypatch.setattr(QMessageBox, "question", lambda *_a, **_k: QMessageBox.StandardButton.Yes)
    assert offer_recovery(window, restoring)
    assert (window.path, window.stamp) == (project_file, stamp)
    crashed.clear()
