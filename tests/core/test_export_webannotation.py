"""Web Annotation export, checked against the W3C annotation-model test suite's schemas."""

from __future__ import annotations

import json
from dataclasses import replace
from functools import cache
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from referencing import Registry
from referencing.jsonschema import DRAFT4

from factcheck.export.webannotation import annotation_collection, export_web_annotations
from factcheck.models import Verdict

from ..conftest import SHARED
from .test_export_common import HOSTILE_NOTE, sample_project

SUITE = SHARED / "web-annotation-tests"

#: Optional ("may"/"should") assertions every exported claim annotation implements.
CLAIM_OPTIONALS = [
    "annotations/3.1-bodyKeyFound.json",
    "annotations/3.3.1-annotationCreatedImplemented.json",
    "annotations/3.3.1-annotationModifiedImplemented.json",
    "annotations/3.3.1-annotationGeneratorImplemented.json",
    "annotations/3.3.1-annotationCreatorImplemented.json",
    "annotations/3.3.1-annotationSingleCreatorImplemented.json",
    "annotations/3.3.2-annotationCreatorAgentNameImplemented.json",
    "annotations/3.3.2-annotationCreatorAgentSingleNameImplemented.json",
    "annotations/3.3.2-annotationCreatorAgentHomepageImplemented.json",
    "annotations/3.3.2-annotationGeneratorAgentNameImplemented.json",
    "annotations/3.3.2-annotationGeneratorAgentTypeImplemented.json",
    "annotations/3.3.5-annotationMotivationImplemented.json",
    "annotations/3.3.5-annotationSingleMotivationImplemented.json",
    "annotations/bodiesTargets/3.2.4-bodyETB.json",
    "annotations/bodiesTargets/3.2.4-bodyETBTypeTextualBody.json",
    "annotations/bodiesTargets/3.3.5-bodyPurpose.json",
    "annotations/bodiesTargets/4-targSpecificResource.json",
    "annotations/specificResource/4.2-selectorFound.json",
    "annotations/specificResource/4.2.4-textQuoteSelector.json",
    "annotations/specificResource/4.2.4-prefix.json",
    "annotations/specificResource/4.2.4-suffix.json",
    "annotations/specificResource/4.2.5-textPositionSelector.json",
]
#: Implemented by annotations that have a note (format) or an evidence URL.
NOTE_OPTIONALS = [
    "annotations/bodiesTargets/3.2.1-bodyFormat.json",
    "annotations/bodiesTargets/3.2.1-bodySingleFormat.json",
]
EVIDENCE_OPTIONALS = ["annotations/bodiesTargets/4-bodySpecificResource.json"]


def _suite() -> Path:
    if not SUITE.is_dir():
        pytest.skip(f"the W3C web-annotation-tests are not at {SUITE}")
    pytest.importorskip("rfc3986_validator", reason="jsonschema needs it to check 'uri' formats")
    pytest.importorskip("rfc3339_validator", reason="jsonschema needs it to check date-times")
    return SUITE


@cache
def _registry(suite: Path) -> Registry[Any]:
    registry: Registry[Any] = Registry()
    for path in sorted((suite / "definitions").glob("*.json")):
        schema = json.loads(path.read_text("utf-8"))
        registry = registry.with_resource(schema["id"], DRAFT4.create_resource(schema))
    return registry


def _assertions(test_file: str) -> list[str]:
    data = json.loads((_suite() / test_file).read_text("utf-8"))
    assertions: list[str] = data["assertions"]
    return assertions


def _failures(item: dict[str, Any], assertions: list[str]) -> list[str]:
    suite = _suite()
    failures = []
    for name in assertions:
        schema = json.loads((suite / name).read_text("utf-8"))
        assert schema["expectedResult"] == "valid"
        validator = jsonschema.Draft4Validator(
            schema,
            registry=_registry(suite),
            format_checker=jsonschema.Draft4Validator.FORMAT_CHECKER,
        )
        if not validator.is_valid(item):
            failures.append(f"{name}: {schema.get('errorMessage', '')}")
    return failures


def _items() -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = annotation_collection(sample_project())["first"]["items"]
    return items


def test_every_annotation_passes_every_must_assertion() -> None:
    musts = _assertions("annotations/annotationMusts.test")
    assert len(musts) >= 50
    items = _items()
    assert len(items) == 7
    for item in items:
        assert _failures(item, musts) == [], item["id"]


def test_claim_annotations_implement_the_relevant_optional_features() -> None:
    assessing = [item for item in _items() if item["motivation"] == "assessing"]
    assert assessing, "the export has claim annotations"
    for item in assessing:
        bodies = item["body"]
        wanted = list(CLAIM_OPTIONALS)
        if any(b.get("purpose") == "commenting" for b in bodies):
            wanted += NOTE_OPTIONALS
        if any(b.get("type") == "SpecificResource" for b in bodies):
            wanted += EVIDENCE_OPTIONALS
        assert _failures(item, wanted) == [], item["id"]


def test_the_optional_checks_can_fail() -> None:
    # A guard against a schema set-up that passes everything.
    broken = dict(_items()[0], motivation="grading", created="yesterday", id="not an iri")
    del broken["@context"]
    failures = _failures(broken, _assertions("annotations/annotationMusts.test"))
    assert any("3.1-annotationContextValidated" in f for f in failures)
    assert any("3.1-annotationIdValidated" in f for f in failures)
    assert any("3.3.1-annotationCreatedValidated" in f for f in failures)
    assert _failures(broken, ["annotations/3.3.5-annotationMotivationImplemented.json"])


def test_collection_and_page_pass_their_must_assertions() -> None:
    collection = annotation_collection(sample_project())
    musts = _assertions("collections/collectionMusts.test")
    assert _failures(collection, musts) == []
    page_musts = _assertions("collections/pages/pageMusts.test")
    assert _failures(collection, page_musts) == []
    page = dict(collection["first"], **{"@context": collection["@context"]})
    assert _failures(page, page_musts) == []
    optionals = [
        "collections/5.1-collectionLabelImplemented.json",
        "collections/5.1-collectionTotalImplemented.json",
        "collections/5.1-collectionFirstImplemented.json",
        "collections/5.1-collectionLastImplemented.json",
        "collections/3.3.1-collectionCreatedImplemented.json",
        "collections/3.3.1-collectionModifiedImplemented.json",
    ]
    assert _failures(collection, optionals) == []


# -- content (no schema suite needed) ------------------------------------------------


def test_claim_annotation_carries_verdict_note_tags_and_evidence() -> None:
    project = sample_project()
    collection = annotation_collection(project)
    assert collection["total"] == 7 and collection["label"] == "Putin and Xi, two versions"
    first = collection["first"]["items"][0]
    assert first["motivation"] == "assessing"
    assert first["created"] == "2026-01-01T10:00:01Z"
    assert first["creator"] == {"name": "Check Desk", "homepage": "https://checkdesk.example/"}
    bodies = {(b.get("purpose"), b.get("value", b.get("source"))) for b in first["body"]}
    assert bodies == {
        ("assessing", "supported"),
        ("commenting", HOSTILE_NOTE),
        ("tagging", "travel"),
        ("tagging", "=SUM(A1)"),
        ("linking", "https://example.org/visit?x=1&y=2"),
        ("linking", "javascript:alert(1)"),
        ("linking", "AP, 3 Jan"),
    }
    # Only real web URLs become resources; the rest stays text.
    resources = [b for b in first["body"] if b["type"] == "SpecificResource"]
    assert [b["source"] for b in resources] == ["https://example.org/visit?x=1&y=2"]
    note = next(b for b in first["body"] if b["purpose"] == "commenting")
    assert note["format"] == "text/plain" and "language" not in note


def test_targets_locate_the_claim_by_quote_and_position() -> None:
    project = sample_project()
    items = annotation_collection(project)["first"]["items"]
    a_text, b_text = project.article_a.text, project.article_b.text
    first = items[0]["target"]
    assert first["source"] == "https://example.org/news/putin.html"
    quote, position = first["selector"]
    assert quote["type"] == "TextQuoteSelector" and position["type"] == "TextPositionSelector"
    assert a_text[position["start"] : position["end"]] == quote["exact"]
    assert quote["exact"] == "Xi visited Moscow last week."
    assert a_text[: position["start"]].endswith(quote["prefix"])
    assert a_text[position["end"] :].startswith(quote["suffix"])
    assert len(quote["suffix"]) == 32
    b_item = next(i for i in items if i["target"]["source"].startswith("urn:sha256:"))
    assert b_item["target"]["source"] == f"urn:sha256:{project.article_b.hash}"
    assert b_item["target"]["selector"][0]["exact"] in b_text


def test_positions_count_code_points_not_utf16_units() -> None:
    project = sample_project()
    items = annotation_collection(project)["first"]["items"]
    # "Putin’s rule..." has a non-ASCII apostrophe before every claim of article a.
    selector = items[1]["target"]["selector"][1]
    exact = items[1]["target"]["selector"][0]["exact"]
    assert project.article_a.text[selector["start"] : selector["end"]] == exact


def test_links_become_linking_annotations_with_both_claims_as_targets() -> None:
    items = annotation_collection(sample_project())["first"]["items"]
    links = [i for i in items if i["motivation"] == "linking"]
    assert len(links) == 2  # the rejected pair is not a link
    first = links[0]
    assert [t["selector"][0]["exact"] for t in first["target"]] == [
        "The ICC issued an arrest warrant for Putin.",
        "The ICC called for the arrest of Putin.",
    ]
    assert "71.5" in first["body"][0]["value"]
    assert links[1]["body"][0]["value"].startswith("Manual")


def test_export_is_deterministic_and_ids_are_unique() -> None:
    project = sample_project()
    assert export_web_annotations(project) == export_web_annotations(project)
    ids = [i["id"] for i in annotation_collection(project)["first"]["items"]]
    assert len(set(ids)) == len(ids) and all(i.startswith("urn:uuid:") for i in ids)


def test_unreviewed_annotation_with_a_note_has_no_verdict_body() -> None:
    items = annotation_collection(sample_project())["first"]["items"]
    b0 = next(i for i in items if i["body"][0].get("value") == "no verdict yet")
    assert [b["purpose"] for b in b0["body"]] == ["commenting"]
    assert Verdict.UNREVIEWED.value not in json.dumps(b0)


def test_an_empty_project_is_a_valid_empty_collection() -> None:
    project = sample_project()
    empty = replace(project, annotations=(), links=())
    collection = annotation_collection(empty)
    assert collection["total"] == 0 and "first" not in collection
    if SUITE.is_dir():
        assert _failures(collection, _assertions("collections/collectionMusts.test")) == []


#: Optional assertions every link annotation implements.
LINK_OPTIONALS = [
    "annotations/3.1-bodyKeyFound.json",
    "annotations/3.3.1-annotationCreatedImplemented.json",
    "annotations/3.3.1-annotationModifiedImplemented.json",
    "annotations/3.3.1-annotationGeneratorImplemented.json",
    "annotations/3.3.5-annotationMotivationImplemented.json",
    "annotations/3.3.5-annotationSingleMotivationImplemented.json",
    "annotations/bodiesTargets/3.2.4-bodyETB.json",
    "annotations/bodiesTargets/3.3.5-bodyPurpose.json",
    "annotations/bodiesTargets/4-targSpecificResource.json",
    "annotations/specificResource/4.2-selectorFound.json",
    "annotations/specificResource/4.2.4-textQuoteSelector.json",
    "annotations/specificResource/4.2.5-textPositionSelector.json",
]


def test_link_annotations_implement_the_relevant_optional_features() -> None:
    links = [i for i in _items() if i["motivation"] == "linking"]
    assert len(links) == 2
    for item in links:
        assert len(item["target"]) == 2
        assert _failures(item, LINK_OPTIONALS) == [], item["id"]


def test_unusual_urls_become_valid_uris() -> None:
    project = sample_project()
    meta = replace(project.article_a.metadata, url="https://пример.рф/статья?q=a|b%zz#x")
    article_a = replace(project.article_a, metadata=meta)
    odd = replace(project.annotations[0], evidence=("https://example.org/{x}^ü",))
    reviewer = replace(project.settings.reviewer, url="https://desk.example/ö")
    project = replace(
        project,
        article_a=article_a,
        annotations=(odd, *project.annotations[1:]),
        settings=replace(project.settings, reviewer=reviewer),
    )
    items = annotation_collection(project)["first"]["items"]
    first = items[0]
    assert first["target"]["source"] == (
        "https://xn--e1afmkfd.xn--p1ai/%D1%81%D1%82%D0%B0%D1%82%D1%8C%D1%8F?q=a%7Cb%25zz#x"
    )
    resources = [b["source"] for b in first["body"] if b["type"] == "SpecificResource"]
    assert resources == ["https://example.org/%7Bx%7D%5E%C3%BC"]
    assert first["creator"]["homepage"] == "https://desk.example/%C3%B6"
    musts = _assertions("annotations/annotationMusts.test")
    for item in items:
        assert _failures(item, musts) == [], item["id"]
        assert (
            _failures(item, ["annotations/3.3.2-annotationCreatorAgentHomepageImplemented.json"])
            == []
        )
