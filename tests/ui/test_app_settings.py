"""AppSettings on a temporary INI file: recent files, window layout, match settings."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QDockWidget, QLabel, QMainWindow
from pytestqt.qtbot import QtBot

from factcheck.models import MatchConfig
from ui.app_settings import MAX_RECENT_FILES, AppSettings


@pytest.fixture
def ini(tmp_path: Path) -> Path:
    return tmp_path / "settings.ini"


def _settings(ini: Path) -> AppSettings:
    return AppSettings(QSettings(str(ini), QSettings.Format.IniFormat))


def _files(tmp_path: Path, n: int) -> list[str]:
    paths = []
    for i in range(n):
        path = tmp_path / f"project{i}.factcheck.json"
        path.write_text("{}", encoding="utf-8")
        paths.append(str(path))
    return paths


def test_recent_files_most_recent_first_without_duplicates(tmp_path: Path, ini: Path) -> None:
    one, two, three = _files(tmp_path, 3)
    settings = _settings(ini)
    assert settings.recent_files() == []
    for path in (one, two, three, one):
        settings.add_recent(path)
    assert settings.recent_files() == [one, three, two]
    settings.sync()
    assert _settings(ini).recent_files() == [one, three, two]  # read back from the file


def test_recent_files_are_capped(tmp_path: Path, ini: Path) -> None:
    paths = _files(tmp_path, MAX_RECENT_FILES + 3)
    settings = _settings(ini)
    for path in paths:
        settings.add_recent(path)
    assert settings.recent_files() == paths[::-1][:MAX_RECENT_FILES]


def test_missing_files_are_dropped_on_read(tmp_path: Path, ini: Path) -> None:
    kept, gone = _files(tmp_path, 2)
    settings = _settings(ini)
    settings.add_recent(kept)
    settings.add_recent(gone)
    Path(gone).unlink()
    assert settings.recent_files() == [kept]


def test_relative_paths_are_stored_absolute(
    tmp_path: Path, ini: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (path,) = _files(tmp_path, 1)
    monkeypatch.chdir(tmp_path)
    settings = _settings(ini)
    settings.add_recent(Path(path).name)
    assert settings.recent_files() == [path]


def test_single_recent_file_survives_the_ini_round_trip(tmp_path: Path, ini: Path) -> None:
    (path,) = _files(tmp_path, 1)
    _settings(ini).add_recent(path)
    assert _settings(ini).recent_files() == [path]


def test_garbage_recent_files_give_an_empty_list(ini: Path) -> None:
    ini.write_text("[General]\nrecent_files=@ByteArray(\\0\\x1)\n", encoding="utf-8")
    assert _settings(ini).recent_files() == []
    ini.write_text("[General]\nrecent_files=42\n", encoding="utf-8")
    assert _settings(ini).recent_files() == []


def _window(qtbot: QtBot) -> QMainWindow:
    window = QMainWindow()
    qtbot.addWidget(window)
    window.setCentralWidget(QLabel("panes"))
    dock = QDockWidget("Claims", window)
    dock.setObjectName("claims_dock")
    dock.setWidget(QLabel("claims"))
    window.addDockWidget(Qt.DockWidgetArea.LeftDockWidgetArea, dock)
    return window


def test_window_geometry_and_docks_round_trip(qtbot: QtBot, ini: Path) -> None:
    window = _window(qtbot)
    window.resize(620, 430)  # inside the 800×600 offscreen screen
    dock = window.findChild(QDockWidget, "claims_dock")
    assert dock is not None
    window.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, dock)
    _settings(ini).save_window(window)

    fresh = _window(qtbot)
    assert fresh.size().width() != 620
    assert _settings(ini).restore_window(fresh)
    assert (fresh.size().width(), fresh.size().height()) == (620, 430)
    fresh_dock = fresh.findChild(QDockWidget, "claims_dock")
    assert fresh_dock is not None
    assert fresh.dockWidgetArea(fresh_dock) == Qt.DockWidgetArea.RightDockWidgetArea


def test_restore_without_saved_window_says_so(qtbot: QtBot, ini: Path) -> None:
    assert not _settings(ini).restore_window(_window(qtbot))


def test_garbage_window_state_is_ignored(qtbot: QtBot, ini: Path) -> None:
    ini.write_text(
        "[window]\ngeometry=@ByteArray(not a geometry)\nstate=nonsense\n", encoding="utf-8"
    )
    window = _window(qtbot)
    window.resize(700, 500)
    assert not _settings(ini).restore_window(window)
    assert (window.size().width(), window.size().height()) == (700, 500)


def test_match_config_round_trip(ini: Path) -> None:
    assert _settings(ini).match_config() is None
    config = MatchConfig(scorer="token_set_ratio", threshold=72.5, top_k=5, duplicate_threshold=88)
    settings = _settings(ini)
    settings.set_match_config(config)
    settings.sync()
    assert _settings(ini).match_config() == config


@pytest.mark.parametrize(
    "match_section",
    [
        "scorer=no_such_scorer\nthreshold=50\ntop_k=3\nduplicate_threshold=90",
        "scorer=lexical\nthreshold=abc\ntop_k=3\nduplicate_threshold=90",
        "scorer=lexical\nthreshold=150\ntop_k=3\nduplicate_threshold=90",
        "scorer=lexical\nthreshold=nan\ntop_k=3\nduplicate_threshold=90",
        "scorer=lexical\nthreshold=50\ntop_k=2.5\nduplicate_threshold=90",
        "scorer=lexical\nthreshold=50\ntop_k=0\nduplicate_threshold=90",
        "scorer=lexical\nthreshold=50\ntop_k=3",
        "scorer=lexical, hybrid\nthreshold=50\ntop_k=3\nduplicate_threshold=90",
        "scorer=@ByteArray(x)\nthreshold=50\ntop_k=3\nduplicate_threshold=90",
    ],
)
def test_garbage_match_settings_give_none(ini: Path, match_section: str) -> None:
    ini.write_text(f"[match]\n{match_section}\n", encoding="utf-8")
    assert _settings(ini).match_config() is None


def test_hand_written_match_settings_are_read(ini: Path) -> None:
    ini.write_text(
        "[match]\nscorer=lexical\nthreshold=40\ntop_k=2\nduplicate_threshold=95.5\n",
        encoding="utf-8",
    )
    assert _settings(ini).match_config() == MatchConfig("lexical", 40.0, 2, 95.5)


def test_the_old_default_settings_give_way_to_the_confidence(ini: Path) -> None:
    # Saved by every earlier version unless changed: lexical, threshold 20, top 3.
    ini.write_text(
        "[match]\nscorer=lexical\nthreshold=20\ntop_k=3\nduplicate_threshold=85\n",
        encoding="utf-8",
    )
    assert _settings(ini).match_config() is None  # so the new default applies
    chosen = ini.with_name("chosen.ini")
    chosen.write_text(
        "[match]\nscorer=lexical\nthreshold=25\ntop_k=3\nduplicate_threshold=85\n",
        encoding="utf-8",
    )
    assert _settings(chosen).match_config() == MatchConfig("lexical", 25.0, 3, 85.0)
