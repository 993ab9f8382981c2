"""``factcheck-gui``'s command line, without running an event loop: no argument opens
the seed pair, two files a comparison, one project file that project; bad command
lines and unreadable files give a dialog and an exit status. Also: the next start
offers to restore autosaved work."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot

from factcheck.models import Verdict
from factcheck.projectfile import save_project
from ui import app
from ui.project_io import project_from_texts
from ui.recovery import RecoveryManager


@pytest.fixture(autouse=True)
def state_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Recovery files go under tmp_path, never the user's state folder."""
    folder = tmp_path / "state"
    monkeypatch.setenv("XDG_STATE_HOME", str(folder))
    return folder


@pytest.fixture
def launched(qtbot: QtBot) -> Iterator[list[Any]]:
    windows: list[Any] = []
    yield windows
    for window in windows:
        window.match_controls.cancel()
        window.close()


def _launch(qtbot: QtBot, launched: list[Any], files: list[str]) -> tuple[Any, Any]:
    args = app.parse_args(files)
    window, recovery = app.create_window(args.files)
    qtbot.addWidget(window)
    launched.append(window)
    return window, recovery


def _shown_and_matched(qtbot: QtBot, window: Any) -> None:
    """The app's window matches once it has painted (its articles show first)."""
    assert not window.store.matches and not window.match_controls.is_running()
    with qtbot.waitSignal(window.matchesApplied, timeout=60_000):
        window.show()


def test_no_argument_opens_the_seed_pair_segmented_and_matched(
    qtbot: QtBot, launched: list[Any], state_dir: Path
) -> None:
    window, recovery = _launch(qtbot, launched, [])
    assert window.store.article("a").title.startswith("Putin’s rule is crumbling")
    assert len(window.store.claims("a")) > 20 and len(window.store.claims("b")) > 20
    _shown_and_matched(qtbot, window)
    assert window.store.matches
    assert window.path is None
    assert recovery.directory.is_relative_to(state_dir)


def test_two_files_open_as_a_comparison(qtbot: QtBot, launched: list[Any], tmp_path: Path) -> None:
    a, b = tmp_path / "a.txt", tmp_path / "b.md"
    a.write_text("Sales rose 5% in May. Shops were busy.", encoding="utf-8")
    b.write_text("Sales rose 7% in May.", encoding="utf-8")
    window, _ = _launch(qtbot, launched, [str(a), str(b)])
    assert [c.text for c in window.store.claims("a")] == [
        "Sales rose 5% in May.",
        "Shops were busy.",
    ]
    assert window.store.article("b").text.startswith("Sales rose 7%")
    _shown_and_matched(qtbot, window)
    assert window.store.link_state("a:0", "b:0") is not None


def test_one_project_file_opens_the_project(
    qtbot: QtBot, launched: list[Any], tmp_path: Path
) -> None:
    path = tmp_path / "review.factcheck.json"
    project = project_from_texts("One claim here.", "Another claim there.")
    save_project(project, path)
    window, _ = _launch(qtbot, launched, [str(path)])
    assert window.path == path
    assert window.windowTitle() == "review[*] — factcheck"
    assert window.settings.recent_files() == [str(path)]


@pytest.mark.parametrize("files", [["one.txt"], ["a.txt", "b.txt", "c.txt"], ["--no-such-option"]])
def test_a_bad_command_line_exits_with_status_2(
    files: list[str], monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "critical", lambda _p, _t, text: shown.append(text))
    assert app.main(files) == 2
    assert len(shown) == 1 and "usage: factcheck-gui" in shown[0]
    assert "factcheck-gui:" in capsys.readouterr().err


def test_an_unreadable_file_exits_with_status_1(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "critical", lambda _p, _t, text: shown.append(text))
    missing = tmp_path / "missing.txt"
    other = tmp_path / "b.txt"
    other.write_text("Text.", encoding="utf-8")
    assert app.main([str(missing), str(other)]) == 1
    assert len(shown) == 1 and "missing.txt" in shown[0]


def test_next_start_offers_to_restore_autosaved_work(
    qtbot: QtBot, launched: list[Any], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "recovery"
    crashed = RecoveryManager(folder)
    project = project_from_texts("Unsaved claim.", "Other claim.")
    from ui.project_io import make_store

    store, _ = make_store(project)
    store.set_verdict("a:0", Verdict.CONTESTED)
    crashed.start(store.project, lambda: True)
    assert crashed.save_now()
    crashed.stop()
    # The crashed session's lock has this process's pid under another session: a run that
    # had our pid before (as in containers), so its file is pending for a new session.
    asked: list[str] = []

    def yes(*args: Any, **_k: Any) -> Any:
        asked.append(args[1])
        return QMessageBox.StandardButton.Yes

    monkeypatch.setattr(QMessageBox, "question", yes)
    window, _ = _launch(qtbot, launched, [])
    fresh = RecoveryManager(folder)
    assert [r.path for r in fresh.pending()] == [crashed.path]
    assert app.offer_recovery(window, fresh)
    assert asked == ["Restore unsaved work?"]
    assert window.store.annotation("a:0").verdict is Verdict.CONTESTED
    assert window.isWindowModified()
    assert fresh.pending() == []
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Discard)
