from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest

from factcheck.atomicwrite import backup_path
from factcheck.errors import ProjectFileError
from factcheck.models import LinkState, Orphan, TextAnchor, Verdict
from factcheck.projectfile import (
    dumps_project,
    load_project,
    loads_project,
    project_to_dict,
    save_project,
)
from factcheck.store import ProjectStore

from .helpers import index_matcher, tiny_project


def annotated_project() -> ProjectStore:
    store = ProjectStore(tiny_project(name="demo"), matcher=index_matcher)
    store.set_verdict("a:1", Verdict.SUPPORTED)
    store.set_note("a:1", "Confirmed by the Kremlin’s own readout.\nSecond line <b>.")
    store.set_evidence("a:1", ["https://example.org/readout"])
    store.set_tags("b:2", ["numbers", "icc"])
    store.set_verdict("b:2", Verdict.CONTESTED)
    store.set_link("a:1", "b:0", LinkState.CONFIRMED)
    store.set_link("a:2", "b:1", LinkState.REJECTED)
    store.set_link("a:3", "b:2", LinkState.MANUAL)
    text = store.article("a").text
    store.set_orphans((Orphan(article_id="a", anchor=TextAnchor(0, 5, "gone!"), reason="deleted"),))
    assert text
    return store


def test_save_then_load_round_trips_everything(tmp_path: Path) -> None:
    project = annotated_project().project()
    path = tmp_path / "p.factcheck.json"
    save_project(project, path)
    loaded = load_project(path)
    assert loaded == project
    assert project_to_dict(loaded) == project_to_dict(project)


def test_saving_again_keeps_the_previous_file_as_backup(tmp_path: Path) -> None:
    store = annotated_project()
    path = tmp_path / "p.factcheck.json"
    save_project(store.project(), path)
    first = path.read_bytes()
    store.set_verdict("a:2", Verdict.OPINION)
    save_project(store.project(), path)
    assert backup_path(path).read_bytes() == first
    assert load_project(backup_path(path)) != load_project(path)
    # Beside them only the (empty) lock file saves take turns on: no temporary file.
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        ".p.factcheck.json.lock",
        "p.factcheck.json",
        "p.factcheck.json.bak",
    ]


def test_a_version_comparison_is_saved_as_one(tmp_path: Path) -> None:
    project = annotated_project().project()
    versions = replace(project, settings=replace(project.settings, versions=True))
    path = tmp_path / "v.factcheck.json"
    save_project(versions, path)
    assert json.loads(path.read_text("utf-8"))["settings"]["versions"] is True
    assert load_project(path) == versions


def test_two_articles_save_as_before_versions_existed(tmp_path: Path) -> None:
    """No ``versions`` field unless set: the file older releases wrote and read."""
    project = annotated_project().project()
    data = project_to_dict(project)
    assert "versions" not in data["settings"]
    path = tmp_path / "old.factcheck.json"
    path.write_text(json.dumps(data), "utf-8")
    assert load_project(path).settings.versions is False
    save_project(load_project(path), path)
    assert json.loads(path.read_text("utf-8")) == data


def good_dict() -> dict[str, object]:
    return json.loads(dumps_project(annotated_project().project()))  # type: ignore[no-any-return]


def break_it(path: str, value: object) -> dict[str, object]:
    data = good_dict()
    *parents, last = path.split("/")
    node: object = data
    for key in parents:
        node = node[int(key)] if isinstance(node, list) else node[key]  # type: ignore[index]
    if isinstance(node, list):
        node[int(last)] = value
    else:
        node[last] = value  # type: ignore[index]
    return data


@pytest.mark.parametrize(
    ("path", "value", "expected"),
    [
        ("version", 2, "made by a newer factcheck"),
        ("format", "something-else", "not a factcheck project"),
        ("annotations/0/verdict", "maybe", "annotations/0/verdict"),
        ("annotations/0/anchor/start", -4, "annotations/0/anchor/start"),
        ("annotations/0/anchor/end", 10**9, "lie outside article"),
        ("links/0/state", "suggested", "links/0/state"),
        ("settings/match/threshold", "high", "settings/match/threshold"),
        (
            "settings/match/scorer",
            "telepathy",
            "invalid project file at settings/match/scorer: unknown scorer 'telepathy'",
        ),
        ("articles/0/text", "edited by hand", "does not match its hash"),
        ("articles/1/id", "a", "one article 'a' and one article 'b'"),
        ("annotations", [{}] * 600_000, "annotations"),
        ("settings/versions", "yes", "settings/versions"),
    ],
)
def test_invalid_content_is_refused_with_where_and_why(
    tmp_path: Path, path: str, value: object, expected: str
) -> None:
    target = tmp_path / "bad.factcheck.json"
    target.write_text(json.dumps(break_it(path, value)), "utf-8")
    before = target.read_bytes()
    with pytest.raises(ProjectFileError) as info:
        load_project(target)
    assert str(target) in str(info.value)
    assert expected in str(info.value)
    assert target.read_bytes() == before


def test_truncated_file_says_truncated(tmp_path: Path) -> None:
    data = dumps_project(annotated_project().project()).encode("utf-8")
    target = tmp_path / "cut.json"
    # Cut anywhere: in a string (article text, notes), between fields, inside a
    # character of more than one byte.
    cuts = [*range(1, len(data), max(1, len(data) // 400)), data.index("’".encode()) + 1]
    for cut in cuts:
        target.write_bytes(data[:cut])
        with pytest.raises(ProjectFileError) as info:
            load_project(target)
        assert f"{target}: the file is truncated" in str(info.value), cut


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"", "empty"),
        (b"\x89PNG\r\n\x1a\n\x00\x00", "not UTF-8"),
        (b"{not json", "malformed JSON"),
        (b"[" * 100_000, "JSON"),
        (b"[1, 2]", "not a factcheck project"),
    ],
)
def test_broken_files_are_refused(tmp_path: Path, content: bytes, expected: str) -> None:
    target = tmp_path / "broken.json"
    target.write_bytes(content)
    with pytest.raises(ProjectFileError, match=expected):
        load_project(target)


def test_missing_file_and_folder(tmp_path: Path) -> None:
    with pytest.raises(ProjectFileError, match="no such file"):
        load_project(tmp_path / "nope.json")
    with pytest.raises(ProjectFileError, match="folder"):
        load_project(tmp_path)


def test_loads_project_rejects_non_objects() -> None:
    with pytest.raises(ProjectFileError, match="top level is not an object"):
        loads_project("42", source="x.json")
