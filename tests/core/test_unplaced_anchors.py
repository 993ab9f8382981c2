"""Annotations and links anchored where no claim is (the white space after the last
claim, an article of only white space) open as orphans: no traceback from the store,
``factcheck show``, an export or an import, and nothing is dropped."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest

from factcheck.cli import main
from factcheck.export import EXPORT_FORMATS, export_project, import_web_annotations
from factcheck.models import (
    Annotation,
    Article,
    Link,
    LinkState,
    Project,
    ProjectSettings,
    ReviewerSettings,
    TextAnchor,
    Verdict,
)
from factcheck.projectfile import load_project, save_project
from factcheck.segmentation import segment_claims
from factcheck.store import ProjectStore

TEXT_A = "The bridge reopened on Monday. It cost 42 million dollars.   \n\n  \t\n"
TEXT_B = "The bridge opened again on Monday. Repairs cost 40 million dollars."
SETTINGS = ProjectSettings(reviewer=ReviewerSettings("Check Desk", "https://check.example/"))


def _trailing_anchor(text: str) -> TextAnchor:
    """Three characters of the white space after the last claim."""
    last = segment_claims(Article("x", "", "", text))[-1]
    assert text[last.end :].strip() == "" and len(text) - last.end >= 4
    return TextAnchor.from_text(text, last.end + 1, last.end + 4)


def _note_on(article_id: str, anchor: TextAnchor, note: str) -> Annotation:
    return Annotation(
        claim_id=f"{article_id}:2",
        article_id=article_id,
        anchor=anchor,
        verdict=Verdict.CONTESTED,
        note=note,
        evidence=("https://records.example/bridge",),
    )


def _project(text_a: str = TEXT_A) -> Project:
    a = Article("a", "A", "a.txt", text_a)
    b = Article("b", "B", "b.txt", TEXT_B)
    anchor = _trailing_anchor(text_a) if text_a.strip() else TextAnchor.from_text(text_a, 1, 3)
    b_claim = segment_claims(b)[0]
    link = Link(
        a_claim_id="a:2",
        b_claim_id=b_claim.id,
        state=LinkState.CONFIRMED,
        a_anchor=anchor,
        b_anchor=TextAnchor.from_text(TEXT_B, b_claim.start, b_claim.end),
    )
    return Project(
        a,
        b,
        settings=SETTINGS,
        annotations=(_note_on("a", anchor, "note in the gap"),),
        links=(link,),
    )


@pytest.mark.parametrize("text_a", [TEXT_A, " \n\t  \n   "], ids=["trailing-space", "only-space"])
def test_store_keeps_unplaced_items_as_orphans(text_a: str) -> None:
    store = ProjectStore(_project(text_a), matches=())
    assert store.annotations() == ()
    assert store.links() == ()
    orphans = store.orphans
    assert [o.annotation is not None for o in orphans] == [True, False]
    assert orphans[0].annotation is not None and orphans[0].annotation.note == "note in the gap"
    assert orphans[1].link is not None and orphans[1].link.state is LinkState.CONFIRMED
    expected = "has no claims" if not text_a.strip() else "white space after its last claim"
    assert all(expected in o.reason and o.article_id == "a" for o in orphans)


def test_anchor_between_claims_still_goes_to_the_next_claim() -> None:
    text = TEXT_A
    claims = segment_claims(Article("a", "", "", text))
    gap = claims[0].end  # the space between the two sentences
    anchor = TextAnchor.from_text(text, gap, gap + 1)
    project = replace(_project(), annotations=(_note_on("a", anchor, "between"),), links=())
    store = ProjectStore(project, matches=())
    assert store.annotation(claims[1].id).note == "between"
    assert store.orphans == ()


def test_saved_project_with_a_trailing_anchor_shows_orphans(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "p.factcheck.json"
    save_project(_project(), path)
    assert main(["show", str(path)]) == 0
    out = capsys.readouterr().out
    assert "Orphans (2)" in out and "note in the gap" in out
    assert "white space after its last claim" in out
    assert main(["show", str(path), "--json"]) == 0
    assert len(json.loads(capsys.readouterr().out)["orphans"]) == 2


def test_store_snapshot_saves_the_orphans_and_reopens(tmp_path: Path) -> None:
    path = tmp_path / "p.factcheck.json"
    save_project(ProjectStore(_project(), matches=()).project(), path)
    reopened = ProjectStore(load_project(path), matches=())
    assert len(reopened.orphans) == 2 and reopened.annotations() == ()


@pytest.mark.parametrize("fmt", list(EXPORT_FORMATS))
@pytest.mark.parametrize("text_a", [TEXT_A, " \n\t  \n   "], ids=["trailing-space", "only-space"])
def test_every_export_carries_the_note_as_an_orphan(fmt: str, text_a: str) -> None:
    text = export_project(_project(text_a), fmt)
    if fmt in ("json", "claimreview"):
        # The project file keeps it where it was; ClaimReview leaves orphans out.
        assert ("note in the gap" in text) is (fmt == "json")
    else:
        assert "note in the gap" in text


def test_import_onto_a_project_with_a_trailing_anchor_keeps_it() -> None:
    project = _project()
    result = import_web_annotations(project, json.dumps({"type": "AnnotationCollection"}))
    notes = [o.annotation.note for o in result.project.orphans if o.annotation is not None]
    assert notes == ["note in the gap"]
