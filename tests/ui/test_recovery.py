"""RecoveryManager: autosave while modified, and restoring after a real process kill."""

from __future__ import annotations

import json
import os
import select
import signal
import subprocess
import sys
from collections.abc import Callable, Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import platformdirs
import pytest
from PySide6.QtCore import QLockFile, QSysInfo
from pytestqt.qtbot import QtBot

from factcheck.errors import ProjectFileError
from factcheck.models import Project
from factcheck.projectfile import load_project, project_to_dict
from tests.core.helpers import tiny_project
from tests.ui._recovery_child import seed_project
from ui.recovery import RecoveryFile, RecoveryManager

REPO = Path(__file__).resolve().parents[2]
INTERVAL_MS = 20
QUIET_MS = 10 * INTERVAL_MS  # several timer periods without a save
WAIT_S = 20  # bound for a child process to start; never reached normally


class Session:
    """The state a window would hand to the manager: a project and a modified flag."""

    def __init__(self, project: Project | None, modified: bool) -> None:
        self.project, self.modified = project, modified

    def snapshot(self) -> Project | None:
        return self.project

    def is_modified(self) -> bool:
        return self.modified


@pytest.fixture
def make_manager(tmp_path: Path) -> Iterator[Callable[..., RecoveryManager]]:
    managers: list[RecoveryManager] = []

    def make(session: Session | None = None) -> RecoveryManager:
        manager = RecoveryManager(tmp_path / "recovery", interval_ms=INTERVAL_MS)
        managers.append(manager)
        if session is not None:
            manager.start(session.snapshot, session.is_modified)
        return manager

    yield make
    for manager in managers:
        manager.stop()


def test_autosaves_when_modified(
    qtbot: QtBot, make_manager: Callable[..., RecoveryManager]
) -> None:
    session = Session(tiny_project(name="draft"), modified=True)
    manager = make_manager(session)
    with qtbot.waitSignal(manager.saved, timeout=2000) as blocker:
        pass
    assert blocker.args == [str(manager.path)]
    assert manager.path.parent == manager.directory
    assert session.project is not None
    assert project_to_dict(load_project(manager.path)) == project_to_dict(session.project)


def test_no_autosave_while_clean(
    qtbot: QtBot, make_manager: Callable[..., RecoveryManager]
) -> None:
    manager = make_manager(Session(tiny_project(), modified=False))
    with qtbot.assertNotEmitted(manager.saved, wait=QUIET_MS):
        pass
    assert not manager.path.exists()
    assert not manager.save_now()


def test_no_autosave_without_a_project(
    qtbot: QtBot, make_manager: Callable[..., RecoveryManager]
) -> None:
    manager = make_manager(Session(None, modified=True))
    with qtbot.assertNotEmitted(manager.saved, wait=QUIET_MS):
        pass
    assert not manager.directory.exists()


def test_autosaves_again_only_after_a_change(
    qtbot: QtBot, make_manager: Callable[..., RecoveryManager]
) -> None:
    session = Session(tiny_project(name="one"), modified=True)
    manager = make_manager(session)
    with qtbot.waitSignal(manager.saved, timeout=2000):
        pass
    with qtbot.assertNotEmitted(manager.saved, wait=QUIET_MS):
        session.project = tiny_project(name="one")  # equal, though another object
    with qtbot.waitSignal(manager.saved, timeout=2000):
        session.project = tiny_project(name="two")
    assert load_project(manager.path).name == "two"


def test_clear_removes_the_session_files(make_manager: Callable[..., RecoveryManager]) -> None:
    session = Session(tiny_project(name="draft"), modified=True)
    manager = make_manager(session)
    manager.stop()
    assert manager.save_now()
    assert sorted(p.suffix for p in manager.directory.iterdir()) == [".info", ".json", ".lock"]
    manager.clear()
    assert list(manager.directory.iterdir()) == []
    assert manager.save_now()  # the same work is written again when still unsaved


def test_pending_ignores_own_session(make_manager: Callable[..., RecoveryManager]) -> None:
    manager = make_manager(Session(tiny_project(name="mine"), modified=True))
    assert manager.save_now()
    assert manager.pending() == []
    # Another manager in this process sees it: the pid is ours, but not the session.
    other = make_manager()
    (found,) = other.pending()
    assert found == RecoveryFile(manager.path, "mine", found.saved_at)
    assert found.saved_at.endswith("Z")


def _plant(directory: Path, session: str, info: object | None) -> Path:
    """A recovery file as another session would leave it, with an info file of our choice
    (and no lock: see :func:`_lock`)."""
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / f"{session}.factcheck.json"
    from factcheck.atomicwrite import write_atomic
    from factcheck.projectfile import dumps_project

    # As the autosave writes it: atomically, without a backup (nor a save lock).
    write_atomic(path, dumps_project(tiny_project(name=session)).encode("utf-8"))
    if info is not None:
        text = info if isinstance(info, str) else json.dumps(info)
        (directory / f"{session}.info").write_text(text, encoding="utf-8")
    return path


#: Another process takes a session's lock, then holds it or dies without releasing it.
_LOCKER = (
    "import os, sys, time; from PySide6.QtCore import QLockFile; "
    "lock = QLockFile(sys.argv[1]); assert lock.tryLock(0); print('locked', flush=True); "
    "os._exit(0) if sys.argv[2] == 'crash' else time.sleep(60)"
)


def _lock(directory: Path, session: str, how: str) -> subprocess.Popen[str]:
    child = subprocess.Popen(
        [sys.executable, "-c", _LOCKER, str(directory / f"{session}.lock"), how],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert child.stdout is not None
    ready, _, _ = select.select([child.stdout], [], [], WAIT_S)
    assert ready and child.stdout.readline() == "locked\n"
    child.stdout.close()
    if how == "crash":
        child.wait(WAIT_S)
    return child


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX processes")
def test_pending_judges_owners_by_their_locks(
    make_manager: Callable[..., RecoveryManager],
) -> None:
    manager = make_manager()
    folder = manager.directory
    info = {"project_name": "live", "saved_at": "2024-01-02Z"}
    _plant(folder, "alive", info)
    _plant(folder, "reused-pid", {**info, "saved_at": "2024-01-05Z"})
    _plant(folder, "dead", {**info, "saved_at": "2024-01-04Z"})
    _plant(folder, "garbage-lock", None)
    _plant(folder, "no-lock", None)
    (folder / "stray.info").write_text(json.dumps(info), encoding="utf-8")
    (folder / "stray-alive.info").write_text(json.dumps(info), encoding="utf-8")
    holders = [_lock(folder, "alive", "hold"), _lock(folder, "stray-alive", "hold")]
    other_program = subprocess.Popen(["sleep", "60"])
    try:
        _lock(folder, "dead", "crash")
        _lock(folder, "stray", "crash")
        # The lock of a crashed session whose pid another program has now.
        crashed = (folder / "dead.lock").read_text(encoding="utf-8").split("\n")
        reused = "\n".join([str(other_program.pid), *crashed[1:]])
        (folder / "reused-pid.lock").write_text(reused, encoding="utf-8")
        (folder / "garbage-lock.lock").write_text("{not a lock", encoding="utf-8")
        assert QLockFile(str(folder / "alive.lock")).getLockInfo() == (
            holders[0].pid,
            QSysInfo.machineHostName(),
            Path(sys.executable).resolve().name,
        )

        found = manager.pending()

        names = [f.path.name.removesuffix(".factcheck.json") for f in found]
        assert set(names) == {"reused-pid", "dead", "garbage-lock", "no-lock"}
        # Newest first; files without a usable info are dated by their mtime (now).
        assert names[2:] == ["reused-pid", "dead"]
        assert not (folder / "stray.info").exists()  # litter of a dead session is swept
        assert not (folder / "dead.lock").exists()  # its stale lock too
        assert (folder / "stray-alive.info").exists()
        assert (folder / "alive.lock").exists()
    finally:
        for child in (*holders, other_program):
            child.kill()
            child.wait(WAIT_S)


def test_load_and_discard(make_manager: Callable[..., RecoveryManager]) -> None:
    manager = make_manager()
    path = _plant(manager.directory, "crashed", {"project_name": "crashed"})
    assert manager.load(path).name == "crashed"
    manager.discard(path)
    assert list(manager.directory.iterdir()) == []
    assert manager.pending() == []


def test_discard_refuses_files_elsewhere(
    tmp_path: Path, make_manager: Callable[..., RecoveryManager]
) -> None:
    manager = make_manager()
    precious = tmp_path / "work.factcheck.json"
    precious.write_text("{}", encoding="utf-8")
    with pytest.raises(ValueError, match="not a recovery file"):
        manager.discard(precious)
    assert precious.exists()


def test_damaged_recovery_file_gives_a_clear_error(
    make_manager: Callable[..., RecoveryManager],
) -> None:
    manager = make_manager()
    path = _plant(manager.directory, "damaged", None)
    path.write_bytes(path.read_bytes()[:200])
    (found,) = manager.pending()
    with pytest.raises(ProjectFileError, match="the file is truncated") as caught:
        manager.load(found.path)
    assert caught.value.path == str(path)


def test_write_failure_is_reported_not_raised(qtbot: QtBot, tmp_path: Path) -> None:
    blocker_file = tmp_path / "not-a-folder"
    blocker_file.write_text("", encoding="utf-8")
    manager = RecoveryManager(blocker_file / "recovery", interval_ms=INTERVAL_MS)
    with qtbot.waitSignal(manager.failed, timeout=2000) as blocker:
        manager.start(lambda: tiny_project(), lambda: True)
    manager.stop()
    assert blocker.args[0].startswith("Autosave failed:")
    assert "not-a-folder" in blocker.args[0]


def test_default_folder_is_the_user_state_folder(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr(platformdirs, "user_state_dir", lambda app: str(tmp_path / app))
    assert RecoveryManager().directory == tmp_path / "factcheck" / "recovery"


@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL is POSIX")
def test_recovery_after_the_process_is_killed(tmp_path: Path) -> None:
    folder = tmp_path / "recovery"
    child = subprocess.Popen(
        [sys.executable, "-c", "import sys; from tests.ui._recovery_child import main; "
         "from pathlib import Path; main(Path(sys.argv[1]))", str(folder)],
        cwd=REPO,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )  # fmt: skip
    try:
        assert child.stdout is not None
        ready, _, _ = select.select([child.stdout], [], [], WAIT_S)
        line = child.stdout.readline() if ready else ""
        assert line.startswith("ready"), f"child did not get ready: {line!r}"
        path = Path(line.split(" ", 1)[1].strip())
        assert RecoveryManager(folder).pending() == []  # its owner is still running
        child.send_signal(signal.SIGKILL)
    finally:
        child.kill()  # a no-op after the SIGKILL; stops the child if an assert failed
        _, errors = child.communicate(timeout=WAIT_S)
    assert child.returncode == -signal.SIGKILL, errors

    after_restart = RecoveryManager(folder)
    (found,) = after_restart.pending()
    assert found.path == path
    assert found.project_name == "Seed comparison (unsaved)"
    restored = after_restart.load(found.path)
    assert project_to_dict(restored) == project_to_dict(seed_project())
    after_restart.discard(found.path)
    assert after_restart.pending() == []


def test_info_names_untitled_projects_by_their_articles(
    make_manager: Callable[..., RecoveryManager],
) -> None:
    manager = make_manager(Session(replace(tiny_project(), name=""), modified=True))
    assert manager.save_now()
    (found,) = make_manager().pending()
    assert found.project_name == "A / B"


def test_a_restored_project_saves_back_to_its_file(
    make_window: Callable[..., Any],
    qtbot: QtBot,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QFileDialog, QMessageBox

    from factcheck.models import Verdict
    from factcheck.projectfile import save_project
    from tests.ui.helpers import activate
    from ui.app import offer_recovery

    project_file = tmp_path / "case.factcheck.json"
    save_project(seed_project(), project_file)
    folder = tmp_path / "recovery"
    crashed = make_window(
        load_project(project_file), path=project_file, recovery=RecoveryManager(folder)
    )
    activate(crashed, qtbot)
    crashed.panes["a"].view.setFocus()
    qtbot.keyClick(crashed.panes["a"].view, Qt.Key.Key_1)
    claim = crashed.current_claim
    assert crashed.recovery.save_now()

    restart = RecoveryManager(folder)
    (found,) = restart.pending()
    assert found.project_path == project_file
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: pytest.fail("Save as"))
    window = make_window(recovery=restart)
    assert offer_recovery(window, restart)
    assert window.path == project_file and window.is_modified()
    activate(window, qtbot)
    qtbot.keyClick(window.panes["a"].view, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert not window.is_modified()
    saved = load_project(project_file)
    assert any(a.claim_id == claim and a.verdict is Verdict.SUPPORTED for a in saved.annotations)
