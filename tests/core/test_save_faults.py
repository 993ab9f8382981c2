"""Saving survives being killed, read-only folders, a full disk and outside changes."""

from __future__ import annotations

import errno
import os
import random
import signal
import subprocess
import sys
import tempfile
import threading
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import IO, Any

import pytest

from factcheck import projectfile
from factcheck.atomicwrite import backup_path
from factcheck.errors import ProjectChangedError, ProjectFileError
from factcheck.models import Project
from factcheck.projectfile import (
    dumps_project,
    load_project,
    load_project_with_stamp,
    project_to_dict,
    save_project,
)
from tests.core._save_writer import BIG_CHARS, STOP_POINTS, big_project
from tests.core.helpers import tiny_project

REPO = Path(__file__).resolve().parents[2]
WAIT_S = 20  # generous bound for a child to start and save once; never reached normally


class Writer:
    """A ``_save_writer`` child process and the save names it has reported."""

    def __init__(self, path: Path, label: str, chars: int, stop: str | None = None) -> None:
        args = [sys.executable, "-m", "tests.core._save_writer", str(path), label, str(chars)]
        self._errors = path.with_name("writer-errors.txt")
        with self._errors.open("w") as errors:
            self.process = subprocess.Popen(
                [*args, *([stop] if stop else [])],
                cwd=REPO,
                stdout=subprocess.PIPE,
                stderr=errors,
                text=True,
            )
        self.lines: list[str] = []
        self._first = threading.Event()
        self._reader = threading.Thread(target=self._read, args=(self.process.stdout,))
        self._reader.start()

    def _read(self, stream: IO[str]) -> None:
        for line in stream:
            self.lines.append(line.strip())
            self._first.set()
        self._first.set()

    def wait_for_first_line(self) -> str:
        assert self._first.wait(WAIT_S), "the writer reported nothing"
        assert self.lines, f"the writer died: {self._errors.read_text()}"
        return self.lines[0]

    def kill(self) -> None:
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(WAIT_S)
        self._reader.join(WAIT_S)
        assert self.process.stdout is not None
        self.process.stdout.close()
        assert self.process.returncode == -signal.SIGKILL


def _same_project_named(loaded: Project, name: str, chars: int = BIG_CHARS) -> bool:
    return project_to_dict(loaded) == project_to_dict(replace(big_project(chars), name=name))


def _temp_files(folder: Path) -> list[Path]:
    return sorted(folder.glob(".*.tmp"))


def test_killed_at_random_moments_leaves_old_or_new_file(tmp_path: Path) -> None:
    path = tmp_path / "big.factcheck.json"
    save_project(replace(big_project(), name="initial"), path)
    assert path.stat().st_size > 2_000_000
    rng = random.Random(20240611)
    for round_no in range(4):
        writer = Writer(path, f"round {round_no}", BIG_CHARS)
        writer.wait_for_first_line()  # at least one save of this round is complete
        threading.Event().wait(rng.uniform(0.0, 0.25))
        writer.kill()
        saved = writer.lines
        loaded = load_project(path)
        # Either the last save it finished, or the one it was in when killed.
        last = int(saved[-1].rsplit(" ", 1)[1])
        candidates = {f"round {round_no} {last}", f"round {round_no} {last + 1}"}
        assert loaded.name in candidates
        assert _same_project_named(loaded, loaded.name)
        backup = load_project(backup_path(path))
        assert backup.name.startswith(("round", "initial"))
        assert _same_project_named(backup, backup.name)


@pytest.mark.parametrize("stop", STOP_POINTS)
def test_killed_at_each_step_of_a_save(tmp_path: Path, stop: str) -> None:
    # Where it stops is certain here, so a small project does.
    chars = 20_000
    path = tmp_path / "p.factcheck.json"
    save_project(replace(big_project(chars), name="older"), path)
    save_project(replace(big_project(chars), name="old"), path)
    writer = Writer(path, "new", chars, stop)
    assert writer.wait_for_first_line() == f"stopped at {stop}"
    writer.kill()
    expected = "new 1" if stop == "folder_fsync" else "old"
    assert _same_project_named(load_project(path), expected, chars)
    expected_backup = "older" if stop in ("fsync", "backup") else "old"
    assert _same_project_named(load_project(backup_path(path)), expected_backup, chars)
    # The killed writer leaves its fully written temporary file behind, which a
    # later save neither reads nor trips over.
    assert len(_temp_files(tmp_path)) == (1 if stop in ("fsync", "backup", "replace") else 0)
    save_project(replace(big_project(chars), name="after"), path)
    assert load_project(path).name == "after"


# -- in-process faults: the old file and the backup stay exactly as they were --------


@pytest.fixture
def saved(tmp_path: Path) -> Iterator[Path]:
    """A project saved twice: the file holds "second", its backup "first"."""
    path = tmp_path / "p.factcheck.json"
    save_project(tiny_project(name="first"), path)
    save_project(tiny_project(name="second"), path)
    yield path


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def _raise(error: OSError) -> Any:
    def fail(*args: object, **kwargs: object) -> Any:
        raise error

    return fail


@pytest.mark.parametrize(
    ("module", "names"),
    [
        (tempfile, ["mkstemp"]),
        (os, ["write"]),
        (os, ["replace"]),
        (os, ["link"]),
    ],
    ids=["cannot-create-temp-file", "cannot-write-temp-file", "cannot-rename", "cannot-backup"],
)
def test_read_only_folder_simulated(
    saved: Path, monkeypatch: pytest.MonkeyPatch, module: object, names: list[str]
) -> None:
    before = _snapshot(saved.parent)
    project = tiny_project(name="third")
    in_memory = project_to_dict(project)
    denied = _raise(PermissionError(errno.EACCES, "Permission denied"))
    for name in names:
        monkeypatch.setattr(module, name, denied)
    if names == ["link"]:  # and the fallback copy (a second temporary file) is refused too
        monkeypatch.setattr(tempfile, "mkstemp", _fails_after_first(tempfile.mkstemp, denied))
    with pytest.raises(ProjectFileError) as caught:
        save_project(project, saved)
    monkeypatch.undo()
    assert project_to_dict(project) == in_memory
    assert caught.value.path == str(saved)
    assert str(caught.value) == f"{saved}: cannot write here (permission denied)"
    assert load_project(saved).name == "second"
    after = _snapshot(saved.parent)
    assert after[saved.name] == before[saved.name]
    assert _temp_files(saved.parent) == []
    assert load_project(backup_path(saved)).name == "first"


def _fails_after_first(real: Any, failure: Any) -> Any:
    calls = [0]

    def call(*args: Any, **kwargs: Any) -> Any:
        calls[0] += 1
        return real(*args, **kwargs) if calls[0] == 1 else failure(*args, **kwargs)

    return call


def _can_write_into_read_only_folders(folder: Path) -> bool:
    """True for root (CAP_DAC_OVERRIDE), for whom chmod stops nothing."""
    probe = folder / "probe"
    probe.mkdir(mode=0o500)
    try:
        (probe / "x").touch()
    except PermissionError:
        return False
    finally:
        probe.chmod(0o700)
        (probe / "x").unlink(missing_ok=True)
        probe.rmdir()
    return True


def test_read_only_folder_for_real(saved: Path, tmp_path_factory: pytest.TempPathFactory) -> None:
    if _can_write_into_read_only_folders(tmp_path_factory.mktemp("probe")):
        pytest.skip("this user (root) writes into read-only folders anyway")
    before = _snapshot(saved.parent)
    saved.parent.chmod(0o500)
    try:
        with pytest.raises(ProjectFileError, match="permission denied") as caught:
            save_project(tiny_project(name="third"), saved)
    finally:
        saved.parent.chmod(0o700)
    assert caught.value.path == str(saved)
    assert _snapshot(saved.parent) == before


def _disk_fills_up_after(room: int) -> Any:
    """An ``os.write`` that writes ``room`` bytes in all, then fails as a full disk does."""
    real_write = os.write
    left = [room]

    def write(fd: int, data: bytes) -> int:
        if left[0] <= 0:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        written = real_write(fd, bytes(data[: left[0]]))
        left[0] -= written
        return written

    return write


@pytest.mark.parametrize("where", ["write-at-once", "write-part-way", "fsync"])
def test_full_disk_simulated(saved: Path, monkeypatch: pytest.MonkeyPatch, where: str) -> None:
    before = _snapshot(saved.parent)
    project = tiny_project(name="third")
    in_memory = project_to_dict(project)
    if where == "fsync":
        monkeypatch.setattr(os, "fsync", _raise(OSError(errno.ENOSPC, "No space left on device")))
    else:
        monkeypatch.setattr(
            os, "write", _disk_fills_up_after(0 if where == "write-at-once" else 100)
        )
    with pytest.raises(ProjectFileError) as caught:
        save_project(project, saved)
    monkeypatch.undo()
    assert str(caught.value) == f"{saved}: could not be saved (No space left on device)"
    assert _snapshot(saved.parent) == before  # file and backup as they were, no temp file
    assert load_project(saved).name == "second"
    assert load_project(backup_path(saved)).name == "first"
    assert project_to_dict(project) == in_memory


def test_short_writes_are_completed(saved: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    real_write = os.write
    monkeypatch.setattr(os, "write", lambda fd, data: real_write(fd, bytes(data[:7])))
    save_project(tiny_project(name="third"), saved)
    monkeypatch.undo()
    assert load_project(saved) == tiny_project(name="third")


def test_interrupted_in_process_leaves_no_temp_file(
    saved: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = _snapshot(saved.parent)
    monkeypatch.setattr(os, "fsync", _raise_interrupt)
    with pytest.raises(KeyboardInterrupt):
        save_project(tiny_project(name="third"), saved)
    monkeypatch.undo()
    assert _snapshot(saved.parent) == before


def _raise_interrupt(*args: object) -> None:
    raise KeyboardInterrupt


def test_failing_rename_after_the_backup_keeps_the_file_and_a_usable_backup(
    saved: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real_replace = os.replace
    current = saved.read_bytes()

    def replace_all_but_the_project(src: Any, dst: Any) -> None:
        if Path(dst) == saved:
            raise OSError(errno.EIO, "Input/output error")
        real_replace(src, dst)

    monkeypatch.setattr(os, "replace", replace_all_but_the_project)
    with pytest.raises(ProjectFileError, match="could not be saved"):
        save_project(tiny_project(name="third"), saved)
    monkeypatch.undo()
    assert saved.read_bytes() == current
    assert load_project(backup_path(saved)).name in ("first", "second")
    assert _temp_files(saved.parent) == []


def test_text_that_cannot_be_encoded_is_refused_before_writing(saved: Path) -> None:
    before = _snapshot(saved.parent)
    with pytest.raises(ProjectFileError, match="not valid Unicode"):
        save_project(tiny_project(name="bad \ud800 name"), saved)
    assert _snapshot(saved.parent) == before


def test_full_disk_while_copying_the_backup_leaves_no_half_backup(
    saved: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = _snapshot(saved.parent)
    # No hard links on this file system, and the disk fills during the copy.
    monkeypatch.setattr(os, "link", _raise(OSError(errno.EPERM, "Operation not permitted")))
    room = len(dumps_project(tiny_project(name="third")).encode("utf-8"))
    monkeypatch.setattr(os, "write", _disk_fills_up_after(room + 100))
    with pytest.raises(ProjectFileError, match="No space left"):
        save_project(tiny_project(name="third"), saved)
    monkeypatch.undo()
    assert _snapshot(saved.parent) == before


# -- a file replaced by another program while open -----------------------------------


def test_stamp_describes_the_loaded_file(saved: Path) -> None:
    project, stamp = load_project_with_stamp(saved)
    assert project.name == "second"
    data = saved.read_bytes()
    assert stamp == projectfile.FileStamp.of(data, saved.stat().st_mtime_ns)
    assert stamp.size == len(data)


def test_save_refuses_a_file_changed_by_another_program(saved: Path) -> None:
    _, stamp = load_project_with_stamp(saved)
    save_project(tiny_project(name="by another program"), saved)  # no stamp: overwrites
    theirs = _snapshot(saved.parent)
    with pytest.raises(ProjectFileError) as caught:
        save_project(tiny_project(name="mine"), saved, expected=stamp)
    assert str(caught.value) == (
        f"{saved}: was changed on disk by another program since it was opened; "
        "save under another name or reload"
    )
    assert isinstance(caught.value, ProjectChangedError)  # the app asks what to do on it
    assert _snapshot(saved.parent) == theirs


def test_same_size_change_is_noticed(saved: Path) -> None:
    _, stamp = load_project_with_stamp(saved)
    data = saved.read_bytes()
    changed = data.replace(b'"second"', b'"SECOND"')
    assert len(changed) == len(data) and changed != data
    saved.write_bytes(changed)
    os.utime(saved, ns=(stamp.mtime_ns, stamp.mtime_ns))  # even with the old time
    with pytest.raises(ProjectFileError, match="changed on disk by another program"):
        save_project(tiny_project(name="mine"), saved, expected=stamp)


def test_touched_but_identical_file_is_saved(saved: Path) -> None:
    _, stamp = load_project_with_stamp(saved)
    os.utime(saved, ns=(1, 1))
    save_project(tiny_project(name="mine"), saved, expected=stamp)
    assert load_project(saved).name == "mine"


def test_returned_stamp_allows_the_next_save(saved: Path) -> None:
    _, stamp = load_project_with_stamp(saved)
    stamp = save_project(tiny_project(name="mine 1"), saved, expected=stamp)
    stamp = save_project(tiny_project(name="mine 2"), saved, expected=stamp)
    assert load_project(saved).name == "mine 2"
    assert load_project(backup_path(saved)).name == "mine 1"
    assert stamp == load_project_with_stamp(saved)[1]


def test_deleted_file_is_written_again(saved: Path) -> None:
    _, stamp = load_project_with_stamp(saved)
    saved.unlink()
    save_project(tiny_project(name="mine"), saved, expected=stamp)
    assert load_project(saved).name == "mine"
