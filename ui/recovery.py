"""Autosave to a recovery file, and finding the ones that crashed sessions left.

Each running app is one *session* with its own recovery file
``<dir>/<session>.factcheck.json`` and an owner marker ``<dir>/<session>.pid``
(JSON: pid, the process's start time where the system tells it, project name, time
of the save). A recovery file is *pending* — offered for restoring — when its owner
is gone: no such process, a process that only reuses the pid (another start
time), a zombie, or this very process under another session id (the crashed run
had the pid we have now, as happens in containers). A normal close calls
:meth:`RecoveryManager.clear`, so only crashes leave files behind.
"""

from __future__ import annotations

import contextlib
import json
import os
import sys
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import platformdirs
from PySide6.QtCore import QObject, QTimer, Signal, Slot

from factcheck.atomicwrite import write_atomic
from factcheck.errors import ProjectFileError
from factcheck.models import Project
from factcheck.projectfile import dumps_project, load_project
from factcheck.timeutil import utc_now

RECOVERY_SUFFIX = ".factcheck.json"
MARKER_SUFFIX = ".pid"
_MARKER_MAX_BYTES = 64 * 1024


@dataclass(frozen=True)
class RecoveryFile:
    path: Path
    project_name: str
    saved_at: str  # ISO 8601 UTC, as factcheck.timeutil.utc_now gives


class RecoveryManager(QObject):
    """Autosaves one session's unsaved work; lists and loads what crashed sessions left.

    Signals:

    * ``saved(path)`` — a recovery file was written
    * ``failed(message)`` — an autosave could not be written (the app keeps running)
    """

    saved = Signal(str)
    failed = Signal(str)

    def __init__(
        self,
        directory: Path | None = None,
        interval_ms: int = 30000,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._dir = Path(
            directory
            if directory is not None
            else Path(platformdirs.user_state_dir("factcheck")) / "recovery"
        )
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S")
        self._session = f"{stamp}-{os.getpid()}-{uuid.uuid4().hex[:8]}"
        self._snapshot: Callable[[], Project | None] | None = None
        self._is_modified: Callable[[], bool] | None = None
        self._last_saved: Project | None = None
        self._timer = QTimer(self)
        self._timer.setInterval(interval_ms)
        self._timer.timeout.connect(self._on_timer_timeout)

    @property
    def directory(self) -> Path:
        return self._dir

    @property
    def path(self) -> Path:
        """This session's recovery file (it exists only once something was autosaved)."""
        return self._dir / f"{self._session}{RECOVERY_SUFFIX}"

    def start(
        self, snapshot: Callable[[], Project | None], is_modified: Callable[[], bool]
    ) -> None:
        """Autosave ``snapshot()`` every interval while ``is_modified()`` and it changed."""
        self._snapshot, self._is_modified = snapshot, is_modified
        self._timer.start()

    def stop(self) -> None:
        self._timer.stop()

    def save_now(self) -> bool:
        """Autosave at once (same conditions as the timer); True when a file was written."""
        if self._snapshot is None or self._is_modified is None or not self._is_modified():
            return False
        project = self._snapshot()
        if project is None or project == self._last_saved:
            return False
        try:
            self._dir.mkdir(mode=0o700, parents=True, exist_ok=True)
            # The marker first: a recovery file never exists without its owner.
            marker = _marker(project, self._session)
            write_atomic(self._marker_path(self._session), marker)
            write_atomic(self.path, dumps_project(project).encode("utf-8"))
        except (ProjectFileError, OSError) as error:
            self.failed.emit(f"Autosave failed: {error}")
            return False
        self._last_saved = project
        self.saved.emit(str(self.path))
        return True

    def clear(self) -> None:
        """Remove this session's recovery file (after a save, or a normal close)."""
        self._remove(self._session)
        self._last_saved = None

    def pending(self) -> list[RecoveryFile]:
        """Recovery files of sessions that are no longer running, newest first."""
        try:
            files = sorted(self._dir.glob(f"*{RECOVERY_SUFFIX}"))
            markers = sorted(self._dir.glob(f"*{MARKER_SUFFIX}"))
        except OSError:
            return []
        found: list[RecoveryFile] = []
        for file in files:
            session = file.name.removesuffix(RECOVERY_SUFFIX)
            if session == self._session:
                continue
            owner = _read_marker(self._marker_path(session))
            if owner is not None and _owner_running(owner):
                continue
            owner = owner or {}
            name = owner.get("project_name")
            saved_at = owner.get("saved_at")
            found.append(
                RecoveryFile(
                    path=file,
                    project_name=name if isinstance(name, str) else "",
                    saved_at=saved_at if isinstance(saved_at, str) else _mtime(file),
                )
            )
        self._drop_stray_markers(markers, files)
        return sorted(found, key=lambda r: r.saved_at, reverse=True)

    def load(self, path: Path) -> Project:
        """The project in a recovery file; ProjectFileError naming it if it is unusable."""
        return load_project(path)

    def discard(self, path: Path) -> None:
        """Delete a recovery file (restored or declined) and its marker."""
        path = Path(path)
        if path.parent.resolve() != self._dir.resolve() or not path.name.endswith(RECOVERY_SUFFIX):
            raise ValueError(f"{path} is not a recovery file in {self._dir}")
        session = path.name.removesuffix(RECOVERY_SUFFIX)
        self._remove(session)
        if session == self._session:
            self._last_saved = None

    @Slot()
    def _on_timer_timeout(self) -> None:
        self.save_now()

    def _marker_path(self, session: str) -> Path:
        return self._dir / f"{session}{MARKER_SUFFIX}"

    def _remove(self, session: str) -> None:
        for path in (self._dir / f"{session}{RECOVERY_SUFFIX}", self._marker_path(session)):
            with contextlib.suppress(FileNotFoundError):
                path.unlink()

    def _drop_stray_markers(self, markers: list[Path], files: list[Path]) -> None:
        """Markers of dead sessions that never autosaved are litter."""
        with_files = {f.name.removesuffix(RECOVERY_SUFFIX) for f in files}
        for marker in markers:
            session = marker.name.removesuffix(MARKER_SUFFIX)
            if session in with_files or session == self._session:
                continue
            owner = _read_marker(marker)
            if owner is None or not _owner_running(owner):
                with contextlib.suppress(OSError):
                    marker.unlink()


def _marker(project: Project, session: str) -> bytes:
    titles = f"{project.article_a.title} / {project.article_b.title}"
    marker = {
        "session": session,
        "pid": os.getpid(),
        "started": _process_start(os.getpid()),
        "project_name": project.name or titles,
        "saved_at": utc_now(),
    }
    return json.dumps(marker, ensure_ascii=False).encode("utf-8")


def _read_marker(path: Path) -> dict[str, Any] | None:
    try:
        with path.open("rb") as handle:
            data = json.loads(handle.read(_MARKER_MAX_BYTES))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def _owner_running(owner: dict[str, Any]) -> bool:
    pid, started = owner.get("pid"), owner.get("started")
    if not isinstance(pid, int) or isinstance(pid, bool) or pid <= 0:
        return False
    if pid == os.getpid():
        return False  # a session of ours would have been skipped: that run had our pid
    if not _pid_exists(pid):
        return False
    # The same pid with another start time is a new process reusing the number.
    return not (isinstance(started, str) and _process_start(pid) not in (None, started))


def _pid_exists(pid: int) -> bool:
    if sys.platform == "win32":
        return _windows_pid_exists(pid)
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # it exists, under another user
    except OSError:
        return False
    return _process_start(pid) != "zombie"


def _process_start(pid: int) -> str | None:
    """The process's start time in clock ticks since boot (Linux), "zombie", or None."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text(encoding="ascii", errors="replace")
    except OSError:
        return None
    # Fields after the command name, which may itself contain spaces and ")".
    fields = stat.rpartition(")")[2].split()
    if len(fields) < 20:
        return None
    return "zombie" if fields[0] in ("Z", "X") else fields[19]


def _windows_pid_exists(pid: int) -> bool:  # pragma: no cover - Windows only
    # os.kill(pid, 0) would send CTRL_C_EVENT on Windows: ask the kernel instead.
    import ctypes

    process_query_limited_information, still_active = 0x1000, 259
    kernel32 = ctypes.windll.kernel32  # type: ignore[attr-defined]
    handle = kernel32.OpenProcess(process_query_limited_information, False, pid)
    if not handle:
        return False
    try:
        code = ctypes.c_ulong()
        if not kernel32.GetExitCodeProcess(handle, ctypes.byref(code)):
            return False
        return bool(code.value == still_active)
    finally:
        kernel32.CloseHandle(handle)


def _mtime(path: Path) -> str:
    try:
        seconds = path.stat().st_mtime
    except OSError:
        return ""
    when = datetime.fromtimestamp(seconds, UTC).isoformat(timespec="seconds")
    return when.replace("+00:00", "Z")
