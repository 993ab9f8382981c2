"""An export never replaces the project's own files, and a replaced file loses the
permission bits that would make it a program or let anyone change it."""

from __future__ import annotations

import os
import stat
import sys
from pathlib import Path

import pytest

from factcheck.atomicwrite import backup_path, write_atomic
from factcheck.cli import main
from factcheck.projectfile import load_project, save_project
from tests.core.helpers import tiny_project


@pytest.fixture
def project_path(tmp_path: Path) -> Path:
    path = tmp_path / "p.factcheck.json"
    save_project(tiny_project(name="first"), path)
    save_project(tiny_project(name="second"), path)
    return path


@pytest.mark.parametrize("spelling", ["plain", "relative", "through a link to the project"])
def test_an_export_onto_the_projects_backup_is_refused(
    project_path: Path,
    spelling: str,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    backup = backup_path(project_path)
    before = backup.read_bytes()
    monkeypatch.chdir(project_path.parent)
    project = project_path
    output = str(backup)
    if spelling == "relative":
        output = f"../{project_path.parent.name}/{backup.name}"
    elif spelling == "through a link to the project":
        (project_path.parent / "elsewhere").mkdir()
        project = project_path.parent / "elsewhere" / "alias.factcheck.json"
        project.symlink_to(project_path)
    assert main(["export", str(project), "-f", "markdown", "-o", output]) == 1
    err = capsys.readouterr().err
    assert f"{output}: is the project's backup (its only previous version)" in err
    assert backup.read_bytes() == before
    assert load_project(backup).name == "first"


def test_an_export_beside_the_project_is_written(
    project_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = project_path.with_name("p.factcheck.json.bak.md")
    assert main(["export", str(project_path), "-f", "markdown", "-o", str(out)]) == 0
    assert out.read_text("utf-8").startswith("#")


def _mode(path: Path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX permission bits")
@pytest.mark.parametrize(
    ("mode", "expected"),
    [
        (0o4777, 0o775),
        (0o2755, 0o755),
        (0o6775, 0o775),
        (0o666, 0o664),
        (0o1777, 0o1775),
        (0o640, 0o640),
    ],
)
def test_replacing_a_file_drops_setuid_setgid_and_world_write(
    tmp_path: Path, mode: int, expected: int
) -> None:
    for target in (tmp_path / "report.html", tmp_path / "p.factcheck.json"):
        target.write_bytes(b"old")
        os.chmod(target, mode)
        assert _mode(target) == mode
        if target.suffix == ".html":
            write_atomic(target, b"<p>new</p>")
        else:
            save_project(tiny_project(), target)
        assert _mode(target) == expected
