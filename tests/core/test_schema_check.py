"""jsonschema-rs through factcheck.schema_check says what jsonschema says: on hundreds
of broken project documents (every value of a real project replaced by one of
another type, every key removed, an unknown key added to every object, limits
crossed), the same verdict, the same place and the same message."""

from __future__ import annotations

import copy
import json
from collections.abc import Iterator
from importlib import resources
from typing import Any

import jsonschema

from factcheck.projectfile import project_to_dict
from factcheck.schema_check import SchemaChecker

from .test_projectfile import annotated_project

Path_ = tuple[str | int, ...]


def _schema() -> Any:
    text = resources.files("factcheck").joinpath("schemas/project-v1.json").read_text("utf-8")
    return json.loads(text)


def _document() -> dict[str, Any]:
    document = project_to_dict(annotated_project().project())
    document["links"][0]["score"] = 81.5
    return document


def _leaves(node: Any, path: Path_ = ()) -> Iterator[tuple[Path_, Any]]:
    yield path, node
    if isinstance(node, dict):
        for key, value in node.items():
            yield from _leaves(value, (*path, key))
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from _leaves(value, (*path, i))


def _set(document: dict[str, Any], path: Path_, value: Any) -> dict[str, Any]:
    broken = copy.deepcopy(document)
    node: Any = broken
    for step in path[:-1]:
        node = node[step]
    node[path[-1]] = value
    return broken


def _delete(document: dict[str, Any], path: Path_) -> dict[str, Any]:
    broken = copy.deepcopy(document)
    node: Any = broken
    for step in path[:-1]:
        node = node[step]
    del node[path[-1]]
    return broken


#: Values of every JSON type (and out-of-range numbers, over-long strings).
WRONG = (None, True, -1, 0, 101, 2.5, "", "x" * 600_000, [], [1], {}, {"x": 1}, "not-a-state")


def broken_documents() -> Iterator[tuple[str, dict[str, Any]]]:
    document = _document()
    for path, value in _leaves(document):
        if not path:
            continue
        where = "/".join(map(str, path))
        for wrong in WRONG:
            if wrong != value and type(wrong) is not type(value):
                yield f"{where}={str(wrong)[:12]}", _set(document, path, wrong)
        if isinstance(path[-1], str):
            yield f"{where} removed", _delete(document, path)
        if isinstance(value, dict):
            yield f"{where}+extra", _set(document, (*path, "extra"), 1)
        if isinstance(value, list):
            yield f"{where}+items", _set(document, path, [*value, *([value[:1] or [0]] * 600)])
    yield "top+extra", {**document, "zzz": 1, "aaa": 2}
    yield "two problems", _set(_set(document, ("name",), 5), ("links", 0, "state"), "maybe")


def test_same_verdict_place_and_message_as_jsonschema() -> None:
    schema = _schema()
    reference = jsonschema.validators.validator_for(schema)(schema)
    checker = SchemaChecker(schema)
    cases = list(broken_documents())
    assert len(cases) > 500
    differ, invalid = [], 0
    for name, document in cases:
        expected = next(iter(reference.iter_errors(document)), None)
        got = checker.first_problem(document)
        if expected is None or got is None:
            if (got is None) != (expected is None):
                differ.append((name, got, expected and expected.message))
            continue
        invalid += 1
        said = (tuple(expected.absolute_path), expected.validator, expected.message)
        if (got.path, got.keyword, got.message) != said:
            differ.append((name, (got.path, got.keyword, got.message[:200]), said))
    assert invalid > 500
    assert differ == []


def test_the_valid_document_is_valid() -> None:
    checker = SchemaChecker.shipped("factcheck", "schemas/project-v1.json")
    assert checker.first_problem(_document()) is None
