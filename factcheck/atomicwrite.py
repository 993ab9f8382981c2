"""Writing a file so that a crash, a full disk or a read-only folder never leaves it
half written: a temporary file beside it, flushed to disk, then renamed over it.

Used for project files (with a ``.bak`` of the previous version), exports and the
autosave. Errors are :class:`ProjectFileError` naming the file.

Every temporary file has a name of its own (``.<name>.<random>.tmp``), created
exclusively, so two programs saving one file at once never write into each other's
file, and no step ever truncates a file another name points at. A project save
(``keep_backup``, or a ``check`` of what is on disk) holds an advisory lock on a
sibling ``.<name>.lock`` from the check to the rename, so two saves cannot both pass
the check; a save that cannot get the lock within :data:`LOCK_WAIT_S` is refused
("another program is saving this project"). Temporary files left by a killed save
(older than :data:`STALE_TEMP_S` and not locked by their writer) are removed by the
next save and when a project is opened.
"""

from __future__ import annotations

import contextlib
import errno
import os
import re
import secrets
import stat
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path

from .errors import ProjectFileError

__all__ = [
    "LOCK_WAIT_S",
    "STALE_TEMP_S",
    "backup_path",
    "export_target_problem",
    "lock_path",
    "remove_stale_temp_files",
    "same_file",
    "write_atomic",
]

#: How long a project save waits for another program's save of the same file.
LOCK_WAIT_S = 10.0
#: A temporary file of a save that is older than this and not locked is left over.
STALE_TEMP_S = 60.0


def backup_path(path: str | os.PathLike[str]) -> Path:
    p = Path(path)
    return p.with_name(p.name + ".bak")


def export_target_problem(
    output: str | os.PathLike[str], project: str | os.PathLike[str] | None
) -> str | None:
    """Why an export must not be written to ``output`` (None if it may): it is the
    project file itself or the project's backup, its only previous version."""
    if project is None:
        return None
    real = Path(os.path.realpath(project))
    for protected, what in (
        (Path(project), "the project file itself"),
        (backup_path(real), "the project's backup (its only previous version)"),
    ):
        if same_file(protected, Path(output)):
            return f"is {what}; an export would replace it (choose another output file)"
    return None


def same_file(a: Path, b: Path) -> bool:
    """True when ``a`` and ``b`` name one file (also through links or another spelling)."""
    try:
        return a.samefile(b)
    except OSError:  # one of them does not exist (yet)
        return a.resolve() == b.resolve()


def lock_path(path: str | os.PathLike[str]) -> Path:
    """The sibling file a project save locks (it stays there, empty: removing it
    while another program waits on it would let two saves in at once)."""
    p = Path(path)
    return p.with_name(f".{p.name}.lock")


def write_atomic(
    target: Path,
    data: bytes,
    *,
    keep_backup: bool = False,
    check: Callable[[Path], None] | None = None,
) -> None:
    """Replace ``target`` with ``data`` so that a crash leaves the old or the new file.

    A symbolic link is written through: the file it points to is replaced (and its
    backup sits beside that file), the link stays. A new file gets the usual
    permissions (0666 less the umask), a replaced one keeps its own, less setuid,
    setgid and write permission for others. A path that is not a regular file (a
    folder, pipe or device) is refused before anything happens.

    With ``keep_backup`` the previous file is kept as ``<target>.bak``. ``check`` is
    called with the resolved target under the save lock, just before the backup and
    the rename; whatever it raises stops the save with nothing changed.

    ProjectFileError names the file when the folder is read-only, the disk is full,
    another program is saving it, or anything else stops the write; then the old file
    (and backup) are as they were.
    """
    name = str(target)
    target = Path(os.path.realpath(target))
    folder = target.parent
    tmp_name: str | None = None
    fd = -1
    try:
        mode = _mode_for(target, name)
        fd, tmp_name = tempfile.mkstemp(dir=folder, prefix=f".{target.name}.", suffix=".tmp")
        _hold(fd)  # until it is renamed: a cleaner must not take it for a leftover
        _write_all(fd, data)
        os.fsync(fd)
        os.chmod(tmp_name, mode)  # mkstemp makes it 0600
        with _save_lock(target, name, keep_backup or check is not None):
            if check is not None:
                check(target)
            if keep_backup and target.exists():
                _refresh_backup(target)
            os.replace(tmp_name, target)
            tmp_name = None
        _fsync_folder(folder)
        remove_stale_temp_files(target)
    except PermissionError:
        raise ProjectFileError(name, "cannot write here (permission denied)") from None
    except OSError as exc:
        raise ProjectFileError(name, f"could not be saved ({exc.strerror or exc})") from None
    finally:
        if fd >= 0:
            os.close(fd)
        if tmp_name is not None:
            with contextlib.suppress(OSError):
                os.unlink(tmp_name)


@contextlib.contextmanager
def _save_lock(target: Path, name: str, needed: bool) -> Iterator[None]:
    if not needed:
        yield
        return
    from filelock import FileLock, Timeout

    lock = FileLock(lock_path(target), timeout=LOCK_WAIT_S)
    try:
        lock.acquire()
    except Timeout:
        raise ProjectFileError(
            name,
            f"another program is saving this project (waited {LOCK_WAIT_S:g} s); "
            "try again in a moment",
        ) from None
    try:
        yield
    finally:
        lock.release()


def _hold(fd: int) -> None:
    """Lock our own temporary file, so :func:`remove_stale_temp_files` leaves it alone."""
    from filelock import lock_descriptor

    with contextlib.suppress(OSError):  # no locks on this file system: age alone decides
        lock_descriptor(fd, blocking=False)


def _temp_name_pattern(target: Path) -> re.Pattern[str]:
    # ".NAME.XXXXXXXX.tmp" (mkstemp's 8 characters) for the file, ".NAME.bak.XXXXXXXX.tmp"
    # for a backup being made, and ".NAME.bak.tmp", the fixed name older versions used.
    return re.compile(rf"\.{re.escape(target.name)}(?:\.bak)?(?:\.[a-z0-9_]{{8}})?\.tmp")


def remove_stale_temp_files(path: str | os.PathLike[str], *, now: float | None = None) -> int:
    """Remove temporary files that killed saves of ``path`` left beside it; how many.

    Only files of this file's names, older than :data:`STALE_TEMP_S` and not locked
    by a save in progress. Never fails: a file that cannot be removed stays.
    """
    target = Path(os.path.realpath(path))
    pattern = _temp_name_pattern(target)
    cutoff = (time.time() if now is None else now) - STALE_TEMP_S
    removed = 0
    try:
        entries = list(os.scandir(target.parent))
    except OSError:
        return 0
    for entry in entries:
        if not pattern.fullmatch(entry.name):
            continue
        with contextlib.suppress(OSError):
            info = entry.stat(follow_symlinks=False)
            if stat.S_ISREG(info.st_mode) and info.st_mtime < cutoff and _unlocked(entry.path):
                os.unlink(entry.path)
                removed += 1
    return removed


def _unlocked(path: str) -> bool:
    from filelock import lock_descriptor, unlock_descriptor

    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
    try:
        try:
            if not lock_descriptor(fd, blocking=False):
                return False
        except OSError:
            return True  # no locks here: age alone decides
        unlock_descriptor(fd)
        return True
    finally:
        os.close(fd)


def _mode_for(target: Path, name: str) -> int:
    """The permission bits the written file gets (see ``write_atomic``)."""
    try:
        st = os.stat(target)
    except FileNotFoundError:
        return 0o666 & ~_UMASK
    if not stat.S_ISREG(st.st_mode):
        kind = "a folder" if stat.S_ISDIR(st.st_mode) else "a pipe, device or socket"
        raise ProjectFileError(name, f"is {kind}, not a file: choose a file name")
    # A document is never a program to run as its owner, nor for anyone to change.
    return stat.S_IMODE(st.st_mode) & ~(stat.S_ISUID | stat.S_ISGID | stat.S_IWOTH)


def _read_umask() -> int:
    """The process's umask (read once, at import: setting it back and forth is not
    safe once other threads create files)."""
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


_UMASK = _read_umask()


def _write_all(fd: int, data: bytes) -> None:
    """``os.write`` until everything is written (it may write less than asked)."""
    view = memoryview(data)
    while view:
        written = os.write(fd, view[:_WRITE_CHUNK])
        if written <= 0:
            raise OSError(errno.EIO, "nothing could be written")
        view = view[written:]


_WRITE_CHUNK = 1024 * 1024


def _refresh_backup(target: Path) -> None:
    """Point ``<target>.bak`` at the current file, atomically (hard link, else copy).

    The new backup is made under a name of its own and renamed over the old one, so
    the backup is always a complete version, and no name that points at the project
    file is ever opened for writing.
    """
    backup = backup_path(target)
    staged = _link_to_new_name(target, backup)
    try:
        if staged is None:
            staged = _copy_to_new_name(target, backup)
        os.replace(staged, backup)
        staged = None
    finally:
        if staged is not None:
            with contextlib.suppress(OSError):
                os.unlink(staged)


def _link_to_new_name(target: Path, backup: Path) -> str | None:
    """A fresh hard link to ``target`` beside ``backup``; None where links fail."""
    for _ in range(100):
        staged = _fresh_name(backup)
        try:
            os.link(target, staged)
            return staged
        except FileExistsError:
            continue
        except OSError:
            return None
    return None


def _fresh_name(near: Path) -> str:
    return str(near.with_name(f".{near.name}.{secrets.token_hex(4)}.tmp"))


def _copy_to_new_name(target: Path, backup: Path) -> str:
    """A complete copy of ``target`` in a new, exclusively created file beside ``backup``."""
    fd, staged = tempfile.mkstemp(dir=backup.parent, prefix=f".{backup.name}.", suffix=".tmp")
    try:
        try:
            _write_all(fd, target.read_bytes())
            os.fsync(fd)
        finally:
            os.close(fd)
    except BaseException:
        # A full disk can stop the copy half-way: leave no half backup behind.
        with contextlib.suppress(OSError):
            os.unlink(staged)
        raise
    return staged


def _fsync_folder(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
