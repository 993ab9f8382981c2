"""``factcheck export``, ``formats`` and ``import`` from the command line."""

from __future__ import annotations

import csv
import io
import json
from dataclasses import replace
from pathlib import Path

import pytest

from factcheck.cli import main
from factcheck.export import EXPORT_FORMATS, export_project
from factcheck.export.csv_export import BOM
from factcheck.models import AnchorStatus, Project, ProjectSettings
from factcheck.projectfile import load_project, save_project

from .test_export_common import sample_project


def _saved(tmp_path: Path, project: Project | None = None) -> Path:
    path = tmp_path / "story.factcheck.json"
    save_project(project or sample_project(), path)
    return path


def test_formats_lists_every_format(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["formats"]) == 0
    out = capsys.readouterr().out
    for name, (_fn, suffix, description) in EXPORT_FORMATS.items():
        assert name in out and suffix in out and description in out


@pytest.mark.parametrize("fmt", sorted(EXPORT_FORMATS))
def test_export_writes_every_format(
    fmt: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    project_path = _saved(tmp_path)
    out = tmp_path / f"out{EXPORT_FORMATS[fmt][1]}"
    assert main(["export", str(project_path), "--format", fmt, "-o", str(out)]) == 0
    expected = export_project(load_project(project_path), fmt)
    assert out.read_bytes() == expected.encode("utf-8")
    assert str(out) in capsys.readouterr().err
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")] == []


def test_export_to_stdout_keeps_the_bytes(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    project_path = _saved(tmp_path)
    assert main(["export", str(project_path), "-f", "csv", "-o", "-"]) == 0
    out = capsys.readouterr().out
    assert out.startswith(BOM) and "\r\n" in out
    rows = list(csv.reader(io.StringIO(out[len(BOM) :], newline="")))
    assert rows[0][:2] == ["article", "claim_id"] and len(rows) == 8


def test_claimreview_export_says_how_many_opinions_were_skipped(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    project_path = _saved(tmp_path)
    out = tmp_path / "reviews.jsonld"
    assert main(["export", str(project_path), "-f", "claimreview", "-o", str(out)]) == 0
    assert "3 claim reviews; 1 opinion claims skipped" in capsys.readouterr().err
    assert len(json.loads(out.read_text("utf-8"))) == 3


def test_export_refuses_to_overwrite_the_project_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    project_path = _saved(tmp_path)
    before = project_path.read_bytes()
    monkeypatch.chdir(tmp_path)
    for output in (
        str(project_path),
        f"./{project_path.name}",
        f"../{tmp_path.name}/{project_path.name}",
    ):
        assert main(["export", str(project_path), "-f", "html", "-o", output]) == 1
        err = capsys.readouterr().err
        assert "is the project file itself" in err and output in err
    linked = tmp_path / "alias.json"
    linked.symlink_to(project_path)
    assert main(["export", str(linked), "-f", "json", "-o", str(project_path)]) == 1
    assert "is the project file itself" in capsys.readouterr().err
    assert project_path.read_bytes() == before


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["-f", "pdf"], "--format: unknown format 'pdf'"),
        (["-f", "claimreview"], "settings.reviewer.name is empty"),
    ],
)
def test_export_errors_name_the_problem(
    args: list[str], message: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    project = replace(sample_project(), settings=ProjectSettings())
    project_path = _saved(tmp_path, project)
    out = tmp_path / "out.txt"
    assert main(["export", str(project_path), *args, "-o", str(out)]) == 1
    err = capsys.readouterr().err
    assert err.startswith("factcheck: ") and message in err
    assert not out.exists()


def test_export_of_a_missing_project_or_into_a_missing_folder_fails_cleanly(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    missing = tmp_path / "nope.json"
    assert main(["export", str(missing), "-f", "csv", "-o", str(tmp_path / "x.csv")]) == 1
    assert f"{missing}: no such file" in capsys.readouterr().err
    project_path = _saved(tmp_path)
    bad_out = tmp_path / "no-folder" / "x.csv"
    assert main(["export", str(project_path), "-f", "csv", "-o", str(bad_out)]) == 1
    assert str(bad_out) in capsys.readouterr().err


def test_a_failed_export_leaves_the_previous_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    project_path = _saved(tmp_path, replace(sample_project(), settings=ProjectSettings()))
    out = tmp_path / "reviews.jsonld"
    out.write_text("earlier export", "utf-8")
    assert main(["export", str(project_path), "-f", "claimreview", "-o", str(out)]) == 1
    assert out.read_text("utf-8") == "earlier export"


def test_import_round_trips_an_export_and_lists_orphans(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    full = sample_project()
    annotations = tmp_path / "notes.jsonld"
    annotations.write_text(export_project(full, "webannotation"), "utf-8")
    bare = Project(article_a=full.article_a, article_b=full.article_b)
    project_path = _saved(tmp_path, bare)
    assert main(["import", str(project_path), str(annotations)]) == 0
    out = capsys.readouterr().out
    assert "imported 7 annotations (9 anchored)" in out and "0 could not be placed" in out
    imported = load_project(project_path)
    assert len(imported.annotations) == 5 and len(imported.links) == 2
    assert (tmp_path / (project_path.name + ".bak")).exists()

    lost = {"type": "Annotation", "bodyValue": "gone", "target": {"selector": {
        "type": "TextQuoteSelector", "exact": "No article says this."}}}  # fmt: skip
    (tmp_path / "lost.json").write_text(json.dumps(lost), "utf-8")
    other = tmp_path / "other.json"
    assert main(["import", str(project_path), str(tmp_path / "lost.json"), "-o", str(other)]) == 0
    out = capsys.readouterr().out
    assert "1 could not be placed" in out and "No article says this." in out
    assert "not in the article" in out
    assert load_project(other).orphans[0].annotation is not None
    assert AnchorStatus.ORPHANED.value in out


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (None, "no such file"),
        (b"\xff\xfe not utf-8", "not UTF-8"),
        (b"<html>", "not JSON (line 1, column 1"),
        (b'{"hello": 1}', "no annotations found"),
    ],
)
def test_import_errors_name_the_file_and_leave_the_project(
    content: bytes | None, message: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    project_path = _saved(tmp_path)
    before = project_path.read_bytes()
    notes = tmp_path / "notes.json"
    if content is not None:
        notes.write_bytes(content)
    assert main(["import", str(project_path), str(notes)]) == 1
    err = capsys.readouterr().err
    assert err.startswith(f"factcheck: {notes}") and message in err
    assert project_path.read_bytes() == before


def test_import_reads_a_file_with_a_byte_order_mark(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    project_path = _saved(tmp_path)
    notes = tmp_path / "notes.json"
    notes.write_bytes(b"\xef\xbb\xbf[]")
    assert main(["import", str(project_path), str(notes)]) == 0
    assert "imported 0 annotations (none)" in capsys.readouterr().out
