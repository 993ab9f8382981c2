"""Every command that writes a project refuses to overwrite a file that another
program changed (or made) after the command read it: no update is silently lost."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from factcheck import projectfile
from factcheck.atomicwrite import backup_path
from factcheck.cli import main
from factcheck.projectfile import load_project, save_project

from .test_update import edited_b, seed_project


@pytest.fixture
def project_path(tmp_path: Path) -> Path:
    path = tmp_path / "p.factcheck.json"
    save_project(seed_project(), path)
    return path


def _after(real: Callable[..., Any], meanwhile: Callable[[], None]) -> Callable[..., Any]:
    """``real``, then another program's change, as if it saved right after we read."""

    def call(*args: Any, **kwargs: Any) -> Any:
        result = real(*args, **kwargs)
        meanwhile()
        return result

    return call


def _another_program_saves(path: Path) -> Callable[[], None]:
    def save() -> None:
        save_project(replace(seed_project(), name="saved by another program"), path)

    return save


def _command(name: str, path: Path) -> list[str]:
    folder = path.parent
    if name == "import":
        annotations = folder / "notes.jsonld"
        assert main(["export", str(path), "-f", "webannotation", "-o", str(annotations)]) == 0
        return ["import", str(path), str(annotations)]
    if name == "set-reviewer":
        return ["set-reviewer", str(path), "--name", "Desk", "--url", "https://example.org"]
    if name == "update":
        new_b = folder / "b2.txt"
        new_b.write_text(edited_b(load_project(path)).text, "utf-8")
        return ["update", str(path), "--b", str(new_b)]
    if name == "reattach":
        new_b = folder / "b2.txt"
        new_b.write_text(edited_b(load_project(path)).text, "utf-8")
        assert main(["update", str(path), "--b", str(new_b)]) == 0
        return ["reattach", str(path), "1", "b:4"]
    if name == "-o onto itself":
        return ["set-reviewer", str(path), "--name", "Desk", "-o", str(path)]
    raise AssertionError(name)


@pytest.mark.parametrize(
    "command", ["import", "set-reviewer", "update", "reattach", "-o onto itself"]
)
def test_a_command_does_not_overwrite_a_project_changed_meanwhile(
    project_path: Path,
    command: str,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    argv = _command(command, project_path)
    capsys.readouterr()
    monkeypatch.setattr(
        projectfile,
        "load_project_with_stamp",
        _after(projectfile.load_project_with_stamp, _another_program_saves(project_path)),
    )
    assert main(argv) == 1
    err = capsys.readouterr().err
    assert f"{project_path}: was changed on disk by another program" in err
    monkeypatch.undo()
    assert load_project(project_path).name == "saved by another program"


@pytest.mark.parametrize("command", ["import", "set-reviewer", "update", "reattach"])
def test_without_a_change_meanwhile_the_command_saves(
    project_path: Path, command: str, capsys: pytest.CaptureFixture[str]
) -> None:
    argv = _command(command, project_path)
    before = project_path.stat().st_mtime_ns
    backup_path(project_path).unlink(missing_ok=True)
    assert main(argv) == 0, capsys.readouterr().err
    assert backup_path(project_path).exists()  # saved in place, the old file kept
    assert load_project(project_path) is not None and project_path.stat().st_mtime_ns >= before


def test_new_force_does_not_overwrite_a_file_changed_meanwhile(
    project_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    a, b = (project_path.parent / n for n in ("a.txt", "b.txt"))
    project = load_project(project_path)
    a.write_text(project.article_a.text, "utf-8")
    b.write_text(project.article_b.text, "utf-8")
    monkeypatch.setattr(
        projectfile,
        "stamp_of_file",
        _after(projectfile.stamp_of_file, _another_program_saves(project_path)),
    )
    assert main(["new", str(a), str(b), "-o", str(project_path), "--force"]) == 1
    assert "was changed on disk by another program" in capsys.readouterr().err
    monkeypatch.undo()
    assert load_project(project_path).name == "saved by another program"
    assert main(["new", str(a), str(b), "-o", str(project_path), "--force"]) == 0
    assert load_project(project_path).name == "p"


def test_new_does_not_overwrite_a_file_made_meanwhile(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    project = seed_project()
    a, b = (tmp_path / n for n in ("a.txt", "b.txt"))
    a.write_text(project.article_a.text, "utf-8")
    b.write_text(project.article_b.text, "utf-8")
    out = tmp_path / "new.factcheck.json"

    def made_by_another_program() -> None:
        save_project(replace(project, name="theirs"), out)

    monkeypatch.setattr(
        projectfile,
        "stamp_of_file",
        _after(projectfile.stamp_of_file, made_by_another_program),
    )
    assert main(["new", str(a), str(b), "-o", str(out)]) == 1
    assert f"{out}: was created by another program meanwhile" in capsys.readouterr().err
    assert load_project(out).name == "theirs"
