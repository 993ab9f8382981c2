"""Importing Web Annotations: ours round-trip, Hypothesis' land, the rest is kept."""

from __future__ import annotations

import json
from dataclasses import replace
from typing import Any

import pytest

from factcheck.export import ExportError, import_web_annotations, webannotation_parse
from factcheck.export.webannotation import annotation_collection, export_web_annotations
from factcheck.models import AnchorStatus, Article, LinkState, Project, Verdict
from factcheck.projectfile import dumps_project, loads_project

from .test_export_common import HOSTILE_NOTE, sample_project


def _bare(project: Project) -> Project:
    return Project(article_a=project.article_a, article_b=project.article_b)


def _summary(project: Project) -> dict[str, tuple[Any, ...]]:
    return {
        a.claim_id: (a.verdict, a.note, a.tags, a.evidence, a.anchor) for a in project.annotations
    }


def test_our_export_round_trips_onto_the_same_articles() -> None:
    project = sample_project()
    result = import_web_annotations(_bare(project), export_web_annotations(project))
    assert result.placed == 7 and result.orphans == ()
    assert result.statuses[AnchorStatus.ANCHORED] == 9  # 5 claims + 2 links x 2 ends
    assert result.statuses[AnchorStatus.ORPHANED] == 0
    assert _summary(result.project) == _summary(project)
    confirmed = {k.key: (k.state, k.score) for k in project.links if k.is_confirmed}
    assert {k.key: (k.state, k.score) for k in result.project.links} == confirmed
    assert confirmed[("a:2", "b:1")] == (LinkState.CONFIRMED, 71.5)
    # The result is a valid project file.
    assert loads_project(dumps_project(result.project)).annotations == result.project.annotations


def test_annotations_follow_their_quote_into_an_edited_version() -> None:
    project = sample_project()
    exported = export_web_annotations(project)
    edited_b = Article(
        id="b",
        title="B v2",
        source="b2.txt",
        text="Breaking: a new first line.\n" + project.article_b.text,
    )
    target = replace(_bare(project), article_b=edited_b)
    result = import_web_annotations(target, exported)
    assert result.orphans == ()
    # b:0 and b:2, and the b end of both links, moved down one line; article a is as it was.
    assert result.statuses[AnchorStatus.MOVED] == 4
    assert result.statuses[AnchorStatus.ANCHORED] == 5
    notes = {a.claim_id: a.note for a in result.project.annotations}
    assert notes["b:1"] == "no verdict yet"  # was b:0: one claim was added before it
    verdicts = {a.claim_id: a.verdict for a in result.project.annotations}
    assert verdicts["b:3"] is Verdict.OPINION
    assert {link.key for link in result.project.links} == {("a:2", "b:2"), ("a:3", "b:3")}
    for a in result.project.annotations:
        article = edited_b if a.article_id == "b" else project.article_a
        assert article.text[a.anchor.start : a.anchor.end] == a.anchor.exact


HYPOTHESIS_ROW = {
    "id": "Zx81cQ",
    "created": "2025-10-01T09:00:00.000000+00:00",
    "updated": "2025-10-02T09:00:00.000000+00:00",
    "user": "acct:reader@hypothes.is",
    "uri": "https://example.org/news/putin.html",
    "text": "Which court? **check**",
    "tags": ["icc", "court"],
    "target": [
        {
            "source": "https://example.org/news/putin.html",
            "selector": [
                {
                    "type": "RangeSelector",
                    "startContainer": "/div[1]/p[2]",
                    "startOffset": 4,
                    "endContainer": "/div[1]/p[2]",
                    "endOffset": 18,
                },
                {"type": "TextPositionSelector", "start": 1400, "end": 1414},
                {
                    "type": "TextQuoteSelector",
                    "exact": "arrest warrant",
                    "prefix": "last week. The ICC issued an ",
                    "suffix": " for Putin.\n123 countries",
                },
            ],
        }
    ],
}


def test_hypothesis_api_rows_land_on_the_claim_by_quote() -> None:
    project = sample_project()
    data = json.dumps({"total": 1, "rows": [HYPOTHESIS_ROW]})
    result = import_web_annotations(_bare(project), data)
    assert result.placed == 1 and result.statuses[AnchorStatus.MOVED] == 1
    (annotation,) = result.project.annotations
    assert annotation.claim_id == "a:2"  # the highlight is inside that sentence
    assert annotation.note == "Which court? **check**"
    assert annotation.tags == ("icc", "court")
    assert annotation.verdict is Verdict.UNREVIEWED
    assert annotation.modified == "2025-10-02T09:00:00.000000+00:00"


def test_hypothesis_jsonld_and_single_objects_are_read() -> None:
    project = sample_project()
    jsonld = {
        "@context": "http://www.w3.org/ns/anno.jsonld",
        "type": "Annotation",
        "id": "https://hypothes.is/a/Zx81cQ",
        "body": [
            {"type": "TextualBody", "value": "Seen elsewhere", "format": "text/markdown"},
            {"type": "TextualBody", "purpose": "tagging", "value": "icc"},
            {"type": "TextualBody", "purpose": "assessing", "value": "Mostly false"},
            "https://example.org/source",
        ],
        "target": HYPOTHESIS_ROW["target"],
    }
    result = import_web_annotations(_bare(project), json.dumps(jsonld))
    (annotation,) = result.project.annotations
    assert annotation.claim_id == "a:2"
    assert annotation.note == "Seen elsewhere\n\nAssessment: Mostly false"  # their scale, kept
    assert annotation.tags == ("icc",)
    assert annotation.evidence == ("https://example.org/source",)
    as_list = import_web_annotations(_bare(project), json.dumps([jsonld, jsonld]))
    assert as_list.placed == 2 and len(as_list.project.annotations) == 1  # merged


def test_import_merges_with_what_a_claim_already_has() -> None:
    project = sample_project()
    incoming = {
        "type": "Annotation",
        "body": [
            {"type": "TextualBody", "purpose": "assessing", "value": "contested"},
            {"type": "TextualBody", "value": "a second opinion"},
            {"type": "TextualBody", "purpose": "tagging", "value": "travel"},
        ],
        "target": {"source": f"urn:sha256:{project.article_a.hash}", "selector": {
            "type": "TextQuoteSelector", "exact": "Xi visited Moscow last week."}},
    }  # fmt: skip
    result = import_web_annotations(project, json.dumps(incoming))
    merged = next(a for a in result.project.annotations if a.claim_id == "a:1")
    assert merged.verdict is Verdict.CONTESTED
    assert merged.note == HOSTILE_NOTE + "\n\na second opinion"
    assert merged.tags == ("travel", "=SUM(A1)")
    assert len(result.project.annotations) == len(project.annotations)


def test_what_cannot_be_placed_is_kept_as_orphans_and_saved() -> None:
    project = sample_project()
    collection = annotation_collection(project)
    items = collection["first"]["items"]
    items[0]["target"]["selector"][0]["exact"] = "A sentence no version of the story has."
    items[0]["target"]["selector"][1] = {"type": "TextPositionSelector", "start": 9000, "end": 9050}
    link = next(i for i in items if i["motivation"] == "linking")
    link["target"][1]["selector"][0]["exact"] = "Nothing like this either."
    link["target"][1]["selector"][1] = {"type": "TextPositionSelector", "start": 9000, "end": 9025}
    page_note = {"type": "Annotation", "bodyValue": "about the whole page", "target": "urn:x:y"}
    items.append(page_note)
    collection["total"] = len(items)
    result = import_web_annotations(_bare(project), json.dumps(collection))
    assert len(result.orphans) == 3 and result.placed == 5
    assert result.statuses[AnchorStatus.ORPHANED] == 3
    lost_note, lost_link, lost_page = result.orphans
    assert lost_note.annotation is not None and lost_note.annotation.note == HOSTILE_NOTE
    assert "not in the article" in lost_note.reason and "annotation 1" in lost_note.reason
    assert lost_link.link is not None and lost_link.link.a_claim_id == "a:2"
    assert lost_link.article_id == "b" and lost_link.anchor.exact == "Nothing like this either."
    assert lost_page.annotation is not None and "whole page" in lost_page.reason
    assert result.project.orphans == result.orphans
    saved = loads_project(dumps_project(result.project))
    assert saved.orphans == result.orphans


def test_a_position_without_a_quote_is_only_a_guess() -> None:
    project = sample_project()
    item = {"type": "Annotation", "bodyValue": "here", "target": {
        "source": f"urn:sha256:{project.article_b.hash}",
        "selector": {"type": "TextPositionSelector", "start": 43, "end": 50}}}  # fmt: skip
    result = import_web_annotations(_bare(project), json.dumps(item))
    assert result.statuses[AnchorStatus.FUZZY] == 1
    assert [a.claim_id for a in result.project.annotations] == ["b:1"]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ("<html>", r"<import>: not JSON \(line 1, column 1"),
        ("42", "expected a JSON object or list"),
        ('{"hello": 1}', "no annotations found"),
        ("[1]", "annotation 1: not a JSON object"),
        ('[{"type": "Annotation"}]', "annotation 1: it has no 'target'"),
        ('{"first": "https://example.org/page1"}', "pages are not in the file"),
        ('{"items": {}}', "'items' is not a list"),
        (
            '[{"target": {"selector": {"type": "TextQuoteSelector", "exact": 5}}}]',
            "'exact' is not a string",
        ),
        (
            '[{"target": {"selector": {"type": "TextPositionSelector", "start": 9, "end": 2}}}]',
            "0 <= start <= end",
        ),
        (
            '[{"target": {"selector": {"type": "TextPositionSelector", "start": -1, "end": 2}}}]',
            "0 <= start <= end",
        ),
        ("[" * 100_000 + "]" * 100_000, "nested too deeply"),
        ('[{"target": {"selector": {"start": ' + "9" * 5000 + "}}}]", "a number is too long"),
    ],
)
def test_hostile_input_is_a_clear_error(data: str, message: str) -> None:
    with pytest.raises(ExportError, match=message):
        import_web_annotations(_bare(sample_project()), data)


def test_oversized_input_is_refused_before_parsing(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(webannotation_parse, "MAX_IMPORT_CHARS", 100)
    with pytest.raises(ExportError, match=r"notes\.json: too large"):
        import_web_annotations(_bare(sample_project()), "[" + " " * 200 + "]", source="notes.json")
    monkeypatch.setattr(webannotation_parse, "MAX_ANNOTATIONS", 2)
    with pytest.raises(ExportError, match="too many annotations"):
        import_web_annotations(_bare(sample_project()), "[{}, {}, {}]")


def test_a_quote_in_both_articles_goes_where_its_context_fits() -> None:
    project = sample_project()
    item = {"type": "Annotation", "bodyValue": "which count?", "target": {
        "source": "https://elsewhere.example/copy", "selector": {
            "type": "TextQuoteSelector", "exact": "countries are parties to the Rome Statute.",
            "prefix": "last week.\n124 ", "suffix": ""}}}  # fmt: skip
    result = import_web_annotations(_bare(project), json.dumps(item))
    assert [a.claim_id for a in result.project.annotations] == ["b:2"]


def test_a_merge_that_would_exceed_the_file_limits_is_kept_as_an_orphan(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    project = sample_project()
    monkeypatch.setattr(webannotation_parse, "MAX_NOTE_CHARS", len(HOSTILE_NOTE) + 10)
    incoming = {"type": "Annotation", "bodyValue": "a second, longer opinion", "target": {
        "source": f"urn:sha256:{project.article_a.hash}", "selector": {
            "type": "TextQuoteSelector", "exact": "Xi visited Moscow last week."}}}  # fmt: skip
    result = import_web_annotations(project, json.dumps(incoming))
    assert result.placed == 0
    (orphan,) = result.orphans
    assert "exceeds a project's limits" in orphan.reason
    assert orphan.annotation is not None and orphan.annotation.note == "a second, longer opinion"
    kept = next(a for a in result.project.annotations if a.claim_id == "a:1")
    assert kept.note == HOSTILE_NOTE


def test_a_reworded_claim_is_placed_fuzzily_and_a_lookalike_is_not() -> None:
    project = sample_project()
    exported = export_web_annotations(project)
    text_b = project.article_b.text.replace(
        "The ICC called for the arrest of Putin.", "The ICC has called for the arrest of Putin."
    )
    target = replace(_bare(project), article_b=Article(id="b", title="B", source="b", text=text_b))
    result = import_web_annotations(target, exported)
    assert result.statuses[AnchorStatus.FUZZY] == 1  # the b end of the a:2-b:1 link
    assert ("a:2", "b:1") in {link.key for link in result.project.links}
    assert result.orphans == ()
