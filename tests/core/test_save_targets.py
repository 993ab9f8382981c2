"""What a save or export does to the path it writes: permissions, symbolic links,
and paths that are not files (pipes, folders) — refused before anything changes."""

from __future__ import annotations

import os
import stat
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from factcheck.atomicwrite import backup_path, write_atomic
from factcheck.errors import ProjectFileError
from factcheck.projectfile import load_project, save_project
from tests.core.helpers import tiny_project

posix_only = pytest.mark.skipif(sys.platform == "win32", reason="POSIX permissions and FIFOs")


@pytest.fixture
def umask_022() -> Iterator[None]:
    old = os.umask(0o022)
    try:
        yield
    finally:
        os.umask(old)


def _mode(path: Path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


@posix_only
def test_a_new_file_gets_the_usual_permissions(tmp_path: Path, umask_022: None) -> None:
    from factcheck import atomicwrite

    report = tmp_path / "report.html"
    write_atomic(report, b"<p>hi</p>")
    assert _mode(report) == 0o666 & ~atomicwrite._UMASK
    assert _mode(report) & 0o044, "a report others may read (not 0600)"


@posix_only
@pytest.mark.parametrize("mode", [0o644, 0o640, 0o600, 0o664])
def test_a_replaced_file_keeps_its_permissions(tmp_path: Path, mode: int) -> None:
    path = tmp_path / "p.factcheck.json"
    save_project(tiny_project(), path)
    os.chmod(path, mode)
    save_project(tiny_project(), path)
    assert _mode(path) == mode
    write_atomic(path, b"{}")
    assert _mode(path) == mode


@posix_only
def test_a_symbolic_link_is_written_through(tmp_path: Path) -> None:
    real = tmp_path / "projects" / "p.factcheck.json"
    real.parent.mkdir()
    save_project(tiny_project(), real)
    link = tmp_path / "link.factcheck.json"
    link.symlink_to(real)
    save_project(tiny_project(name="saved through the link"), link)
    assert link.is_symlink() and link.resolve() == real.resolve()
    assert load_project(real).name == "saved through the link"
    # The backup of the previous version sits beside the real file, not the link.
    assert backup_path(real).is_file() and not backup_path(link).exists()
    assert load_project(backup_path(real)).name == tiny_project().name


@posix_only
def test_a_pipe_is_refused_and_left_alone(tmp_path: Path) -> None:
    pipe = tmp_path / "out.csv"
    os.mkfifo(pipe)
    with pytest.raises(ProjectFileError) as err:
        write_atomic(pipe, b"a,b\n")
    assert str(pipe) in str(err.value) and "not a file" in str(err.value)
    assert stat.S_ISFIFO(os.lstat(pipe).st_mode)
    assert [p.name for p in tmp_path.iterdir()] == ["out.csv"], "no temp file left"


def test_a_folder_is_refused(tmp_path: Path) -> None:
    folder = tmp_path / "report.html"
    folder.mkdir()
    with pytest.raises(ProjectFileError) as err:
        write_atomic(folder, b"x")
    assert str(folder) in str(err.value) and "a folder" in str(err.value)
    assert folder.is_dir() and list(folder.iterdir()) == []
