"""docs/project-format.md describes the native JSON format as the schema and code define it."""

from __future__ import annotations

import json
import re
from importlib import resources
from typing import Any

import pytest

from factcheck.projectfile import FORMAT, VERSION, project_to_dict

from ..conftest import REPO
from .test_export_common import sample_project

DOC = REPO / "docs" / "project-format.md"


def _schema() -> dict[str, Any]:
    text = resources.files("factcheck").joinpath("schemas/project-v1.json").read_text("utf-8")
    schema: dict[str, Any] = json.loads(text)
    return schema


def _tables() -> dict[str, dict[str, bool]]:
    """Each ``## heading``'s table: field name -> marked required."""
    tables: dict[str, dict[str, bool]] = {}
    heading = ""
    for line in DOC.read_text("utf-8").splitlines():
        if line.startswith("## "):
            heading = line[3:].strip()
        elif line.startswith("| `") and heading:
            cells = [c.strip() for c in line.strip("|").split("|")]
            for name in re.findall(r"`([a-z_]+)`", cells[0]):
                tables.setdefault(heading, {})[name] = cells[1] == "req."
    return tables


@pytest.mark.parametrize(
    ("heading", "pointer"),
    [
        ("Top level", ""),
        ("Article", "article"),
        ("Annotation", "annotation"),
        ("Link", "link"),
        ("Orphan", "orphan"),
    ],
)
def test_each_documented_table_lists_the_schema_fields(heading: str, pointer: str) -> None:
    schema = _schema()
    node = schema["$defs"][pointer] if pointer else schema
    documented = _tables()[heading]
    assert set(documented) == set(node["properties"]), heading
    required = {name for name, req in documented.items() if req}
    assert required == set(node.get("required", ())), heading


#: Optional fields added within version 1, written only when set (see the version policy).
WRITTEN_WHEN_SET = {"Annotation": {"summary", "changed"}, "Link": {"a_changed", "b_changed"}}


def test_the_written_file_has_the_documented_fields_and_version() -> None:
    data = project_to_dict(sample_project())
    tables = _tables()
    assert set(data) == set(tables["Top level"])
    assert set(data["articles"][0]) == set(tables["Article"])
    assert set(data["annotations"][0]) == set(tables["Annotation"]) - WRITTEN_WHEN_SET["Annotation"]
    assert set(data["links"][0]) == set(tables["Link"]) - WRITTEN_WHEN_SET["Link"]
    assert set(tables["Changed"]) == set(_schema()["$defs"]["changed"]["properties"])
    for heading, names in WRITTEN_WHEN_SET.items():
        section = DOC.read_text("utf-8").split(f"## {heading}\n", 1)[1].split("\n## ", 1)[0]
        for name in names:
            row = next(x for x in section.splitlines() if x.startswith("| `") and f"`{name}`" in x)
            assert "written only when set" in row, name
    text = DOC.read_text("utf-8")
    assert f"version {VERSION}" in text and f'`"{FORMAT}"`' in text
    assert _schema()["properties"]["version"] == {"const": VERSION}


def test_the_settings_section_lists_every_scorer() -> None:
    from factcheck.matching import SCORERS

    settings = DOC.read_text("utf-8").split("## Settings", 1)[1].split("\n## ", 1)[0]
    assert set(re.findall(r"`([a-z_0-9]+)`", settings)) >= set(SCORERS)
