"""Orphans (notes and links an article update could not place) are in every export
that can hold them, and ClaimReview says how many it leaves out: none is lost quietly."""

from __future__ import annotations

import csv
import io
import json
from dataclasses import replace
from pathlib import Path

import pytest

from factcheck.cli import main
from factcheck.export import (
    claimreview_export,
    export_csv,
    export_html,
    export_markdown,
    export_web_annotations,
    import_web_annotations,
)
from factcheck.models import Project, Verdict
from factcheck.projectfile import save_project
from factcheck.update import update_article

from .test_export_common import HOSTILE_NOTE, sample_project
from .test_export_webannotation import _assertions, _failures

# Article A without its second and third sentences (a:1 supported with the hostile
# note, a:2 contested and linked to b:1).
REWRITTEN_A = (
    "Putin’s rule is crumbling\n"
    "Nothing here is like what stood in this place before, not a single word of it.\n"
    "123 countries are parties to the Rome Statute."
)
GONE = ("Xi visited Moscow last week.", "The ICC issued an arrest warrant for Putin.")


@pytest.fixture(scope="module")
def updated() -> Project:
    project = sample_project()
    new_a = replace(project.article_a, text=REWRITTEN_A, hash="")
    project = update_article(project, "a", new_a).project
    kinds = sorted("note" if o.annotation else "link" for o in project.orphans)
    assert kinds == ["link", "link", "note", "note"], "two notes, a link, a rejected link"
    return project


def test_web_annotation_keeps_orphans_by_quote_only(updated: Project) -> None:
    items = json.loads(export_web_annotations(updated))["first"]["items"]
    orphans = [i for i in items if _quotes(i) & set(GONE)]
    assert len(orphans) == 3, "two notes and the confirmed link (a rejected one is not exported)"
    for item in orphans:
        targets = item["target"] if isinstance(item["target"], list) else [item["target"]]
        for target in targets:
            # The quote is no longer in the text: no position is claimed for it.
            assert target["selector"]["type"] == "TextQuoteSelector"
    notes = [b["value"] for i in orphans for b in i["body"] if b.get("purpose") == "commenting"]
    assert HOSTILE_NOTE in notes
    assert len({i["id"] for i in items}) == len(items), "ids stay unique"


def test_orphan_annotations_pass_the_w3c_must_assertions(updated: Project) -> None:
    musts = _assertions("annotations/annotationMusts.test")
    items = json.loads(export_web_annotations(updated))["first"]["items"]
    orphaned = [item for item in items if _quotes(item) & set(GONE)]
    assert orphaned, "the export has annotations of the orphans"
    for item in orphaned:
        assert _failures(item, musts) == [], item["id"]


def test_imported_back_the_orphans_stay_orphans(updated: Project) -> None:
    bare = Project(article_a=updated.article_a, article_b=updated.article_b)
    result = import_web_annotations(bare, export_web_annotations(updated))
    assert len(result.orphans) == 3
    verdicts = sorted(o.annotation.verdict.value for o in result.orphans if o.annotation)
    assert verdicts == ["contested", "supported"]
    assert any(o.link is not None for o in result.orphans)


def test_csv_has_a_row_per_orphan(updated: Project) -> None:
    rows = list(csv.DictReader(io.StringIO(export_csv(updated).removeprefix("\ufeff"))))
    orphans = [r for r in rows if r["kind"] == "orphan"]
    assert len(orphans) == 3
    assert all(r["claim_id"] == r["start"] == r["end"] == "" for r in orphans)
    assert {r["text"] for r in orphans} == set(GONE)
    supported = next(r for r in orphans if r["verdict"] == "supported")
    assert supported["note"] == HOSTILE_NOTE
    assert supported["tags"].splitlines() == ["travel", "=SUM(A1)"]  # not a formula: not first
    link_row = next(r for r in orphans if r["linked_claims"])
    assert "The ICC called for the arrest of Putin." in link_row["linked_claims"]


@pytest.mark.parametrize("export", [export_html, export_markdown])
def test_reports_list_the_orphans(export: object, updated: Project) -> None:
    text = export(updated)  # type: ignore[operator]
    assert "Orphaned notes and links" in text
    section = text[text.index("Orphaned notes and links") :]
    for quote in GONE:
        assert quote in section
    assert "<script>" not in text
    assert "The ICC called for the arrest of Putin." in section  # the link's other end


def test_claimreview_counts_the_orphaned_verdicts_it_leaves_out(updated: Project) -> None:
    result = claimreview_export(updated)
    assert result.skipped_orphans == 2
    assert not set(GONE) & {r["claimReviewed"] for r in json.loads(result.text)}
    assert result.reviews == sum(
        1
        for a in updated.annotations
        if a.verdict in (Verdict.SUPPORTED, Verdict.CONTESTED) and a.anchor.exact not in GONE
    )


def test_the_cli_says_how_many_orphans_went_where(
    updated: Project, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "p.factcheck.json"
    save_project(updated, path)
    assert main(["export", str(path), "-f", "csv", "-o", str(tmp_path / "p.csv")]) == 0
    assert "with 3 orphaned notes and links" in capsys.readouterr().err
    assert main(["export", str(path), "-f", "claimreview", "-o", str(tmp_path / "p.json")]) == 0
    assert "2 orphaned verdicts skipped" in capsys.readouterr().err


def _quotes(item: dict[str, object]) -> set[str]:
    targets = item["target"] if isinstance(item["target"], list) else [item["target"]]
    quotes = set()
    for target in targets:
        selectors = target["selector"]  # type: ignore[index]
        for selector in selectors if isinstance(selectors, list) else [selectors]:
            if selector["type"] == "TextQuoteSelector":
                quotes.add(selector["exact"])
    return quotes
