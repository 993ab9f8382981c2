"""A key written twice in one JSON object is refused by name and place, in project and
annotation files: no parser keeps both values, so one would be silently lost."""

from __future__ import annotations

import json
from pathlib import Path

import orjson
import pytest

from factcheck.errors import ProjectFileError
from factcheck.export import ExportError, export_project, import_web_annotations
from factcheck.jsonkeys import duplicate_key
from factcheck.projectfile import dumps_project, load_project, loads_project

from .test_projectfile import annotated_project


def _project_text() -> str:
    return dumps_project(annotated_project().project())


def test_a_second_empty_annotations_key_is_refused(tmp_path: Path) -> None:
    text = _project_text()
    assert text.rstrip().endswith("}")
    path = tmp_path / "p.factcheck.json"
    path.write_text(text.rstrip()[:-1] + ',\n "annotations": []\n}\n', "utf-8")
    assert len(json.loads(text)["annotations"]) == 2
    with pytest.raises(ProjectFileError) as caught:
        load_project(path)
    assert str(caught.value) == (
        f"{path}: invalid project file at top level: the key 'annotations' appears twice "
        "(one of its values would be lost)"
    )


@pytest.mark.parametrize(
    ("old", "new", "key", "where"),
    [
        ('"verdict":"supported"', '"verdict":"supported","verdict":"opinion"', "verdict",
         "annotations/0"),
        ('"start":', '"start":0,"start":', "start", "annotations/0/anchor"),
        ('"reviewer": {', '"reviewer": {"url": "", ', "url", "settings/reviewer"),
        # The same key spelled with an escape is the same key.
        ('"name": ', '"n\\u0061me": "x", "name": ', "name", "top level"),
        ('"scorer":', '"scorer" : "x",\n "scorer"  :', "scorer", "settings/match"),
    ],
)  # fmt: skip
def test_a_duplicate_key_anywhere_is_named_with_its_path(
    old: str, new: str, key: str, where: str
) -> None:
    text = _project_text()
    assert old in text
    broken = text.replace(old, new, 1)
    with pytest.raises(ProjectFileError) as caught:
        loads_project(broken, source="p.json")
    assert str(caught.value) == (
        f"p.json: invalid project file at {where}: the key {key!r} appears twice "
        "(one of its values would be lost)"
    )


@pytest.mark.parametrize(
    "text",
    [
        '{"a": "x:y", "b": {"c": "::"}}',
        '{"a": "\\u003a", "b": 1}',  # an escaped colon: checked the slow way, still fine
        '{"a": 123456789012345678901234567890}',  # beyond orjson: the slow way too
        '[{"a": 1}, {"a": 2}, {"b": [{"a": 1, "b": 2}]}]',
        '{"k\\"": 1, "k": 2}',
    ],
)
def test_documents_without_duplicates_pass(text: str) -> None:
    assert duplicate_key(text, json.loads(text)) is None
    assert duplicate_key(text.encode("utf-8"), json.loads(text)) is None


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ('{"a": 1, "a": 1}', ("a", "")),
        ('[0, {"x": [1, {"a": "\\u003a", "a": 2}]}]', ("a", "1/x/1")),
        ('{"a": {"b": 1}, "c": {"b": 2, "b": 3}}', ("b", "c")),
        ('{"n": 123456789012345678901234567890, "n": 1}', ("n", "")),
    ],
)
def test_duplicates_are_found_whichever_parser_read_the_text(
    text: str, found: tuple[str, str]
) -> None:
    assert duplicate_key(text, json.loads(text)) == found
    try:
        parsed = orjson.loads(text)
    except orjson.JSONDecodeError:
        return  # orjson refuses integers beyond 64 bits itself
    assert duplicate_key(text.encode("utf-8"), parsed) == found


def test_an_annotation_file_with_a_duplicate_key_is_refused() -> None:
    project = annotated_project().project()
    text = export_project(project, "webannotation")
    assert '"type":"TextQuoteSelector"' in text
    broken = text.replace('"type":"TextQuoteSelector"', '"exact":"","type":"TextQuoteSelector"', 1)
    with pytest.raises(ExportError) as caught:
        import_web_annotations(project, broken, source="notes.jsonld")
    message = str(caught.value)
    assert message.startswith("notes.jsonld: the key 'exact' appears twice at first/items/0/")
    assert message.endswith("/selector/0 (one of its values would be lost)")
