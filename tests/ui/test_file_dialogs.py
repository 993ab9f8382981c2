"""File dialogs start in the folder last used and suggest plain file names; Export
never offers (or writes) the open project's own file and remembers its format."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog
from pytestqt.qtbot import QtBot

from factcheck.projectfile import save_project
from ui.export_dialog import ExportDialog
from ui.file_names import file_stem

from .helpers import activate

Key = Qt.Key
CTRL = Qt.KeyboardModifier.ControlModifier
SHIFT = Qt.KeyboardModifier.ShiftModifier


@pytest.mark.parametrize(
    "title",
    [
        "Putin’s rule is crumbling. Will… vs “Xi”: a way out?",
        "Versions old.txt → new.txt",
        'a/b\\c: <d> | "e" * f?',
        "……",
    ],
)
def test_file_stems_are_plain(title: str) -> None:
    stem = file_stem(title)
    assert stem
    for bad in '…’‘“”:/\\<>|"*?→':
        assert bad not in stem
    assert stem == stem.strip(" .")


def test_save_as_starts_in_the_last_folder_with_a_plain_name(
    make_window: Callable[..., Any], qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    window = make_window()
    folder = tmp_path / "work"
    folder.mkdir()
    window.settings.remember_folder(str(folder / "earlier.factcheck.json"))
    offered: list[str] = []

    def choose(_parent: Any, _title: str, suggested: str, *_a: Any) -> tuple[str, str]:
        offered.append(suggested)
        return str(folder / "mine.factcheck.json"), ""

    monkeypatch.setattr(QFileDialog, "getSaveFileName", choose)
    activate(window, qtbot)
    qtbot.keyClick(window.panes["a"].view, Key.Key_S, CTRL | SHIFT)
    (suggested,) = offered
    assert Path(suggested).parent == folder
    name = Path(suggested).name
    assert name.endswith(".factcheck.json")
    assert not any(bad in name for bad in "…’“”:")
    assert (folder / "mine.factcheck.json").is_file()
    # The next dialog starts where that file went.
    offered.clear()
    monkeypatch.setattr(
        QFileDialog, "getOpenFileName", lambda _p, _t, start, *_a: offered.append(start) or ("", "")
    )
    window.path = None
    qtbot.keyClick(window.panes["a"].view, Key.Key_O, CTRL)
    assert offered == [str(folder)]


def test_export_never_offers_the_open_project_and_remembers_the_format(
    make_window: Callable[..., Any], qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from ui.app import seed_project

    project_file = tmp_path / "case.factcheck.json"
    save_project(seed_project(), project_file)
    before = project_file.read_bytes()
    window = make_window(seed_project(), path=project_file)
    activate(window, qtbot)
    dialogs: list[ExportDialog] = []

    def run(dialog: ExportDialog) -> int:
        dialogs.append(dialog)
        dialog.set_format("json")
        offered = Path(dialog.path.text())
        assert offered.resolve() != project_file.resolve()
        assert offered.parent == tmp_path and offered.name.endswith(".factcheck.json")
        dialog.path.setText(str(project_file))  # typed in by hand: refused
        dialog.accept()
        assert "project file itself" in dialog.error.text()
        dialog.set_format("markdown")
        dialog.accept()
        return 1

    monkeypatch.setattr(ExportDialog, "exec", run)
    qtbot.keyClick(window.panes["a"].view, Key.Key_E, CTRL)
    assert project_file.read_bytes() == before
    assert (tmp_path / "case.md").is_file()
    monkeypatch.setattr(ExportDialog, "exec", lambda d: dialogs.append(d) or 0)
    qtbot.keyClick(window.panes["a"].view, Key.Key_E, CTRL)
    assert dialogs[-1].format_name() == "markdown"
