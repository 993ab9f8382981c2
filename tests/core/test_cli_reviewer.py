"""The reviewer from the command line: ``export --reviewer-name/--reviewer-url`` and
``set-reviewer``."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest

from factcheck.atomicwrite import backup_path
from factcheck.cli import main
from factcheck.export.reviewer import MAX_NAME_CHARS, MAX_URL_CHARS
from factcheck.models import ProjectSettings, ReviewerSettings
from factcheck.projectfile import load_project, save_project

from .test_export_common import sample_project


def _saved(tmp_path: Path, *, reviewer: bool = True) -> Path:
    """The sample project saved alone in a folder of its own (outputs go beside it)."""
    path = tmp_path / "project" / "story.factcheck.json"
    path.parent.mkdir()
    save_project(sample_project(reviewer=reviewer), path)
    return path


def _files(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in folder.iterdir()}


def _authors(path: Path) -> set[tuple[str, str]]:
    return {(r["author"]["name"], r["author"]["url"]) for r in json.loads(path.read_text("utf-8"))}


# -- export --reviewer-name / --reviewer-url ---------------------------------------


def test_export_options_fill_a_missing_reviewer_for_this_export_only(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    project_path = _saved(tmp_path, reviewer=False)
    before = _files(project_path.parent)
    out = tmp_path / "reviews.jsonld"
    argv = ["export", str(project_path), "-f", "claimreview", "-o", str(out)]
    names = ["--reviewer-name", " Fact Desk ", "--reviewer-url", "https://desk.example/checks"]
    assert main([*argv, *names]) == 0
    assert "3 claim reviews" in capsys.readouterr().err
    assert _authors(out) == {("Fact Desk", "https://desk.example/checks")}
    # The project file is as it was, and no backup was made.
    assert _files(project_path.parent) == before
    assert load_project(project_path).settings.reviewer == ReviewerSettings()


def test_export_options_override_the_projects_reviewer_one_at_a_time(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    project_path = _saved(tmp_path)
    before = project_path.read_bytes()
    out = tmp_path / "reviews.jsonld"
    argv = ["export", str(project_path), "-f", "claimreview", "-o", str(out)]
    assert main([*argv, "--reviewer-name", "Other Desk"]) == 0
    assert _authors(out) == {("Other Desk", "https://checkdesk.example/")}
    assert main([*argv, "--reviewer-url", "https://other.example/"]) == 0
    assert _authors(out) == {("Check Desk", "https://other.example/")}
    # Every format sees the override: the native JSON carries it too.
    copy = tmp_path / "copy.json"
    json_argv = ["export", str(project_path), "-f", "json", "-o", str(copy)]
    assert main([*json_argv, "--reviewer-name", "Other Desk"]) == 0
    assert load_project(copy).settings.reviewer.name == "Other Desk"
    assert project_path.read_bytes() == before


@pytest.mark.parametrize(
    ("options", "message"),
    [
        (["--reviewer-url", "ftp://desk.example/"], "--reviewer-url: not an http(s) URL: "),
        (["--reviewer-url", "desk.example"], "--reviewer-url: not an http(s) URL: 'desk.example'"),
        (["--reviewer-url", "https://user@/"], "--reviewer-url: has no host name"),
        (["--reviewer-url", "https://desk.example:80x/"], "--reviewer-url: not a valid URL"),
        (["--reviewer-url", "javascript:alert(1)"], "--reviewer-url: not an http(s) URL"),
        (["--reviewer-url", "  "], "--reviewer-url: is empty"),
        (["--reviewer-name", ""], "--reviewer-name: is empty"),
        (["--reviewer-name", "x" * (MAX_NAME_CHARS + 1)], "--reviewer-name: too long"),
        (["--reviewer-name", "bad \udcff byte"], "--reviewer-name: is not valid text"),
    ],
)
def test_export_refuses_a_bad_reviewer_option(
    options: list[str], message: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    project_path = _saved(tmp_path)
    before = _files(project_path.parent)
    out = tmp_path / "reviews.jsonld"
    assert main(["export", str(project_path), "-f", "claimreview", "-o", str(out), *options]) == 1
    captured = capsys.readouterr()
    assert captured.err.startswith(f"factcheck: {message}")
    assert captured.out == ""
    assert _files(project_path.parent) == before
    assert not out.exists()


def test_export_still_names_the_reviewer_field_that_is_missing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    project_path = _saved(tmp_path, reviewer=False)
    out = tmp_path / "reviews.jsonld"
    argv = ["export", str(project_path), "-f", "claimreview", "-o", str(out)]
    assert main([*argv, "--reviewer-url", "https://desk.example/"]) == 1
    err = capsys.readouterr().err
    assert err.startswith("factcheck: settings.reviewer.name is empty")
    assert "--reviewer-name" in err and "set-reviewer" in err
    assert main([*argv, "--reviewer-name", "Desk"]) == 1
    err = capsys.readouterr().err
    assert err.startswith("factcheck: settings.reviewer.url is empty")
    assert "--reviewer-url" in err
    assert not out.exists()


# -- set-reviewer ------------------------------------------------------------------


def test_set_reviewer_saves_name_and_url_and_keeps_a_backup(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    project_path = _saved(tmp_path, reviewer=False)
    before = project_path.read_bytes()
    argv = ["set-reviewer", str(project_path)]
    assert main([*argv, "--name", "Fact Desk", "--url", " https://desk.example/checks "]) == 0
    assert capsys.readouterr().out == (
        f"{project_path}: reviewer “Fact Desk”, https://desk.example/checks\n"
    )
    saved = load_project(project_path)
    assert saved.settings.reviewer == ReviewerSettings("Fact Desk", "https://desk.example/checks")
    assert replace(saved, settings=ProjectSettings()) == load_project(backup_path(project_path))
    assert backup_path(project_path).read_bytes() == before

    # One of the two alone changes only that one.
    assert main([*argv, "--url", "https://other.example/"]) == 0
    reviewer = load_project(project_path).settings.reviewer
    assert reviewer == ReviewerSettings("Fact Desk", "https://other.example/")
    out = tmp_path / "reviews.jsonld"
    assert main(["export", str(project_path), "-f", "claimreview", "-o", str(out)]) == 0
    assert _authors(out) == {("Fact Desk", "https://other.example/")}


def test_set_reviewer_can_write_another_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    project_path = _saved(tmp_path)
    before = project_path.read_bytes()
    other = tmp_path / "copy.factcheck.json"
    assert main(["set-reviewer", str(project_path), "--name", "Desk", "-o", str(other)]) == 0
    assert load_project(other).settings.reviewer.name == "Desk"
    assert project_path.read_bytes() == before


@pytest.mark.parametrize(
    ("options", "message"),
    [
        (["--url", "mailto:desk@example.org"], "--url: not an http(s) URL"),
        (["--url", "http://:8080/"], "--url: has no host name"),
        (["--url", "https://desk.example/" + "x" * MAX_URL_CHARS], "--url: too long"),
        (["--name", "Desk", "--url", "//desk.example/"], "--url: not an http(s) URL"),
        (["--name", " "], "--name: is empty"),
    ],
)
def test_set_reviewer_refuses_bad_values_and_leaves_the_file(
    options: list[str], message: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    project_path = _saved(tmp_path)
    before = _files(project_path.parent)
    assert main(["set-reviewer", str(project_path), *options]) == 1
    assert capsys.readouterr().err.startswith(f"factcheck: {message}")
    assert _files(project_path.parent) == before


def test_set_reviewer_needs_something_to_set_and_a_project(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    project_path = _saved(tmp_path)
    before = _files(project_path.parent)
    with pytest.raises(SystemExit) as exit_info:
        main(["set-reviewer", str(project_path)])
    assert exit_info.value.code == 2
    assert "give --name, --url or both" in capsys.readouterr().err
    missing = tmp_path / "nope.json"
    assert main(["set-reviewer", str(missing), "--name", "Desk"]) == 1
    assert f"factcheck: {missing}: no such file" in capsys.readouterr().err
    assert _files(project_path.parent) == before
