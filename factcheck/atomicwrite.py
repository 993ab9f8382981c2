"""Writing a file so that a crash, a full disk or a read-only folder never leaves it
half written: a temporary file beside it, flushed to disk, then renamed over it.

Used for project files (with a ``.bak`` of the previous version), exports and the
autosave. Errors are :class:`ProjectFileError` naming the file.
"""

from __future__ import annotations

import contextlib
import errno
import os
import stat
import tempfile
from pathlib import Path

from .errors import ProjectFileError

__all__ = ["backup_path", "write_atomic"]


def backup_path(path: str | os.PathLike[str]) -> Path:
    p = Path(path)
    return p.with_name(p.name + ".bak")


def write_atomic(target: Path, data: bytes, *, keep_backup: bool = False) -> None:
    """Replace ``target`` with ``data`` so that a crash leaves the old or the new file.

    A symbolic link is written through: the file it points to is replaced (and its
    backup sits beside that file), the link stays. A new file gets the usual
    permissions (0666 less the umask), a replaced one keeps its own. A path that is
    not a regular file (a folder, pipe or device) is refused before anything happens.

    ProjectFileError names the file when the folder is read-only, the disk is full, or
    anything else stops the write; then the old file (and backup) are as they were.
    """
    name = str(target)
    target = Path(os.path.realpath(target))
    folder = target.parent
    tmp_name: str | None = None
    try:
        mode = _mode_for(target, name)
        fd, tmp_name = tempfile.mkstemp(dir=folder, prefix=f".{target.name}.", suffix=".tmp")
        try:
            _write_all(fd, data)
            os.fsync(fd)
        finally:
            os.close(fd)
        os.chmod(tmp_name, mode)  # mkstemp makes it 0600
        if keep_backup and target.exists():
            _refresh_backup(target)
        os.replace(tmp_name, target)
        tmp_name = None
        _fsync_folder(folder)
    except PermissionError:
        raise ProjectFileError(name, "cannot write here (permission denied)") from None
    except OSError as exc:
        raise ProjectFileError(name, f"could not be saved ({exc.strerror or exc})") from None
    finally:
        if tmp_name is not None:
            with contextlib.suppress(OSError):
                os.unlink(tmp_name)


def _mode_for(target: Path, name: str) -> int:
    """The permission bits the written file gets (see ``write_atomic``)."""
    try:
        st = os.stat(target)
    except FileNotFoundError:
        return 0o666 & ~_UMASK
    if not stat.S_ISREG(st.st_mode):
        kind = "a folder" if stat.S_ISDIR(st.st_mode) else "a pipe, device or socket"
        raise ProjectFileError(name, f"is {kind}, not a file: choose a file name")
    return stat.S_IMODE(st.st_mode)


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
    """Point ``<target>.bak`` at the current file, atomically (hard link, else copy)."""
    backup = backup_path(target)
    staged = backup.with_name(f".{backup.name}.tmp")
    try:
        try:
            staged.unlink(missing_ok=True)
            os.link(target, staged)
        except OSError:
            staged.write_bytes(target.read_bytes())
        os.replace(staged, backup)
    except OSError:
        # A full disk can stop the copy half-way: leave no half backup behind.
        with contextlib.suppress(OSError):
            staged.unlink()
        raise


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
