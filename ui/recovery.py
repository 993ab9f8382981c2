"""Autosave to a recovery file, and finding the ones that crashed sessions left.

Each running app is one *session* with its own recovery file
``<dir>/<session>.factcheck.json``, a :class:`QLockFile` ``<dir>/<session>.lock`` that
the session holds while the file exists, and ``<dir>/<session>.info`` (JSON: project
name, time of the save) for the restore prompt. A recovery file is *pending* —
offered for restoring — when its lock is stale: Qt finds its owner gone (no such
process, or the pid reused by another program; the lock holds the pid, host and
application name), or the owner had the pid this very process has now under another
session id (as happens in containers). A normal close calls
:meth:`RecoveryManager.clear`, so only crashes leave files behind.
"""

from __future__ import annotations

import contextlib
import os
import time
from collections.abc import Callable
from dataclasses import astuple, dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, QTimer, Signal, Slot

from factcheck.errors import ProjectFileError
from factcheck.timeutil import utc_now
from factcheck.values import Value

if TYPE_CHECKING:
    from PySide6.QtCore import QLockFile

    from factcheck.models import Project
    from factcheck.projectfile import FileStamp

RECOVERY_SUFFIX = ".factcheck.json"
INFO_SUFFIX = ".info"
LOCK_SUFFIX = ".lock"
_INFO_MAX_BYTES = 64 * 1024


@dataclass(frozen=True, eq=False, repr=False)
class RecoveryFile(Value):
    path: Path
    project_name: str
    saved_at: str  # ISO 8601 UTC, as factcheck.timeutil.utc_now gives
    #: The project file the work belonged to (None: never saved), so that a restored
    #: project saves back to it.
    project_path: Path | None = None
    #: That file's stamp when the session read or last saved it (None: unknown), so
    #: that saving the restored work notices a file changed since.
    project_stamp: FileStamp | None = None


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
        # The default is looked up when first needed: platformdirs, json and datetime
        # are imported after the app's first paint (together 0.04 G instructions).
        self._dir = Path(directory) if directory is not None else None
        stamp = time.strftime("%Y%m%dT%H%M%S", time.gmtime())
        # Random hex from os.urandom, not uuid (whose import costs the app's start 5 ms).
        self._session = f"{stamp}-{os.getpid()}-{os.urandom(4).hex()}"
        self._snapshot: Callable[[], Project | None] | None = None
        self._is_modified: Callable[[], bool] | None = None
        self._last_saved: Project | None = None
        self._lock: QLockFile | None = None
        self._project_path: Callable[[], Path | None] = lambda: None
        self._project_stamp: Callable[[], FileStamp | None] = lambda: None
        self._timer = QTimer(self)
        self._timer.setInterval(interval_ms)
        self._timer.timeout.connect(self._on_timer_timeout)

    @property
    def directory(self) -> Path:
        if self._dir is None:
            import platformdirs

            self._dir = Path(platformdirs.user_state_dir("factcheck")) / "recovery"
        return self._dir

    @property
    def path(self) -> Path:
        """This session's recovery file (it exists only once something was autosaved)."""
        return self.directory / f"{self._session}{RECOVERY_SUFFIX}"

    def start(
        self,
        snapshot: Callable[[], Project | None],
        is_modified: Callable[[], bool],
        project_path: Callable[[], Path | None] = lambda: None,
        project_stamp: Callable[[], FileStamp | None] = lambda: None,
    ) -> None:
        """Autosave ``snapshot()`` every interval while ``is_modified()`` and it changed;
        ``project_path()`` is the file the project belongs to and ``project_stamp()``
        that file's stamp, both kept with the autosave."""
        self._snapshot, self._is_modified = snapshot, is_modified
        self._project_path, self._project_stamp = project_path, project_stamp
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
        from factcheck.atomicwrite import write_atomic
        from factcheck.projectfile import dumps_project

        try:
            self.directory.mkdir(mode=0o700, parents=True, exist_ok=True)
            # The lock first: a recovery file never exists without its owner.
            self._hold_lock()
            write_atomic(
                self._info_path(self._session),
                _info(project, self._session, self._project_path(), self._project_stamp()),
            )
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
        self._release_lock()
        self._last_saved = None

    def pending(self) -> list[RecoveryFile]:
        """Recovery files of sessions that are no longer running, newest first."""
        try:
            files = sorted(self.directory.glob(f"*{RECOVERY_SUFFIX}"))
            infos = sorted(self.directory.glob(f"*{INFO_SUFFIX}"))
        except OSError:
            return []
        found: list[RecoveryFile] = []
        for file in files:
            session = file.name.removesuffix(RECOVERY_SUFFIX)
            if session == self._session:
                continue
            if self._owner_running(session):
                continue
            info = _read_info(self._info_path(session)) or {}
            name = info.get("project_name")
            saved_at = info.get("saved_at")
            where = info.get("project_path")
            found.append(
                RecoveryFile(
                    path=file,
                    project_name=name if isinstance(name, str) else "",
                    saved_at=saved_at if isinstance(saved_at, str) else _mtime(file),
                    project_path=Path(where) if isinstance(where, str) and where else None,
                    project_stamp=_stamp(info.get("project_stamp")),
                )
            )
        self._drop_stray_infos(infos, files)
        return sorted(found, key=lambda r: r.saved_at, reverse=True)

    def load(self, path: Path) -> Project:
        """The project in a recovery file; ProjectFileError naming it if it is unusable."""
        from factcheck.projectfile import load_project

        return load_project(path)

    def discard(self, path: Path) -> None:
        """Delete a recovery file (restored or declined) and its info."""
        path = Path(path)
        folder = self.directory
        if path.parent.resolve() != folder.resolve() or not path.name.endswith(RECOVERY_SUFFIX):
            raise ValueError(f"{path} is not a recovery file in {folder}")
        session = path.name.removesuffix(RECOVERY_SUFFIX)
        self._remove(session)
        if session == self._session:
            self._release_lock()
            self._last_saved = None

    @Slot()
    def _on_timer_timeout(self) -> None:
        self.save_now()

    def _info_path(self, session: str) -> Path:
        return self.directory / f"{session}{INFO_SUFFIX}"

    def _lock_file(self, session: str) -> QLockFile:
        from PySide6.QtCore import QLockFile  # (when first saving: not before the first paint)

        lock = QLockFile(str(self.directory / f"{session}{LOCK_SUFFIX}"))
        # Never stale by age: a session may run for days. Stale when the owner is gone.
        lock.setStaleLockTime(0)
        return lock

    def _hold_lock(self) -> None:
        if self._lock is not None and self._lock.isLocked():
            return
        lock = self._lock_file(self._session)
        if not lock.tryLock(0):
            raise OSError(f"cannot lock {lock.fileName()} ({lock.error().name})")
        self._lock = lock

    def _release_lock(self) -> None:
        if self._lock is not None:
            self._lock.unlock()
            self._lock = None

    def _owner_running(self, session: str) -> bool:
        """Whether a live process holds ``session``'s lock. A stale lock (its owner was
        killed) is removed by taking it."""
        lock = self._lock_file(session)
        if lock.tryLock(0):
            lock.unlock()  # it was stale (Qt removed it) or missing: nobody owns it
            return False
        pid, _host, _app = lock.getLockInfo()  # (0, "", "") when unreadable
        if not pid:
            # Unreadable: removable only when no process holds its native lock.
            return not lock.removeStaleLockFile()
        # A session of ours would have been skipped: the crashed run had our pid.
        return bool(pid != os.getpid())

    def _remove(self, session: str) -> None:
        for path in (self.directory / f"{session}{RECOVERY_SUFFIX}", self._info_path(session)):
            with contextlib.suppress(FileNotFoundError):
                path.unlink()

    def _drop_stray_infos(self, infos: list[Path], files: list[Path]) -> None:
        """Infos of dead sessions without a recovery file are litter."""
        with_files = {f.name.removesuffix(RECOVERY_SUFFIX) for f in files}
        for info in infos:
            session = info.name.removesuffix(INFO_SUFFIX)
            if session in with_files or session == self._session:
                continue
            if not self._owner_running(session):
                with contextlib.suppress(OSError):
                    info.unlink()


def _info(
    project: Project,
    session: str,
    project_path: Path | None = None,
    project_stamp: FileStamp | None = None,
) -> bytes:
    titles = f"{project.article_a.title} / {project.article_b.title}"
    info = {
        "session": session,
        "project_name": project.name or titles,
        "saved_at": utc_now(),
        "project_path": str(project_path) if project_path is not None else None,
        "project_stamp": None if project_stamp is None else list(astuple(project_stamp)),
    }
    import json

    return json.dumps(info, ensure_ascii=False).encode("utf-8")


def _stamp(value: Any) -> FileStamp | None:
    """A stamp written by :func:`_info`; None for anything else (an older info file)."""
    if not isinstance(value, list) or len(value) != 3:
        return None
    size, mtime_ns, sha256 = value
    if type(size) is int and type(mtime_ns) is int and isinstance(sha256, str):
        from factcheck.projectfile import FileStamp

        return FileStamp(size, mtime_ns, sha256)
    return None


def _read_info(path: Path) -> dict[str, Any] | None:
    import json

    try:
        with path.open("rb") as handle:
            data = json.loads(handle.read(_INFO_MAX_BYTES))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def _mtime(path: Path) -> str:
    try:
        seconds = path.stat().st_mtime
    except OSError:
        return ""
    from datetime import UTC, datetime

    when = datetime.fromtimestamp(seconds, UTC).isoformat(timespec="seconds")
    return when.replace("+00:00", "Z")
