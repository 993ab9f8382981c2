"""Every export shows a claim "changed since reviewed" (issue 14, point 1), and names
claims as people see them (point 3)."""

from __future__ import annotations

import csv
import io
import json
from dataclasses import replace

from factcheck.export import export_summarised
from factcheck.export.claimreview import claimreview_export
from factcheck.export.csv_export import export_csv
from factcheck.export.report import export_html
from factcheck.export.report_markdown import export_markdown
from factcheck.export.webannotation import CHANGED_NOTE, annotation_collection
from factcheck.export.webannotation_import import import_web_annotations
from factcheck.models import Project, ReviewerSettings

from .test_changed_since_reviewed import A18, reviewed_seed, updated
from .test_export_webannotation import _assertions, _failures


def changed_project() -> Project:
    project = updated(reviewed_seed())
    reviewer = ReviewerSettings(name="Check Desk", url="https://checkdesk.example/")
    return replace(project, settings=replace(project.settings, reviewer=reviewer))


def old_quote(project: Project) -> str:
    changed = next(a for a in project.annotations if a.claim_id == A18).changed
    assert changed is not None
    return changed.old_quote


def test_csv_has_the_text_as_reviewed_in_its_own_column() -> None:
    project = changed_project()
    rows = {r["claim_id"]: r for r in csv.DictReader(io.StringIO(export_csv(project)[1:]))}
    assert rows["A18"]["changed_since_reviewed"] == old_quote(project)
    assert "2021" in rows["A18"]["text"]
    assert rows["A19"]["changed_since_reviewed"] == ""
    assert rows["B1"]["linked_claims"] == "A18 (confirmed)"


def test_reports_list_it_with_the_word_diff_and_the_date_flag() -> None:
    project = changed_project()
    html = export_html(project)
    assert '<section id="changed">' in html and "Changed since reviewed" in html
    assert '<a href="#claim-A18">A18</a> (verdict supported)' in html
    assert "<del>2022</del><ins>2021</ins>" in html
    assert "date: <bdi>2022</bdi> → <bdi>2021</bdi>" in html
    assert 'id="claim-A18"' in html and "Δ changed since reviewed" in html
    assert "/home/reviewer" not in html and "copy.txt" in html  # the file name only
    md = export_markdown(project)
    assert "## Changed since reviewed" in md
    assert "- A18 (verdict supported):" in md and "~~2022~~**2021**" in md
    assert "### A18 — Supported (body) — Δ changed since reviewed" in md
    assert "/home/reviewer" not in md


def test_web_annotation_keeps_the_old_quote_valid_and_imports_it_back() -> None:
    project = changed_project()
    items = annotation_collection(project)["first"]["items"]
    claim = next(i for i in items if i["motivation"] == "assessing")
    describing = [b for b in claim["body"] if b["purpose"] == "describing"]
    assert describing == [
        {
            "type": "TextualBody",
            "value": f"{CHANGED_NOTE}“{old_quote(project)}”",
            "purpose": "describing",
        }
    ]
    link = next(i for i in items if i["motivation"] == "linking")
    assert any("article A's claim read: “" in b["value"] for b in link["body"])
    musts = _assertions("annotations/annotationMusts.test")
    for item in items:
        assert _failures(item, musts) == [], item["id"]


def test_import_reads_the_changed_state_back() -> None:
    project = changed_project()
    exported = json.dumps(annotation_collection(project))
    fresh = replace(project, annotations=(), links=(), orphans=())
    result = import_web_annotations(fresh, exported)
    a18 = next(a for a in result.project.annotations if a.claim_id == A18)
    assert a18.changed is not None and a18.changed.old_quote == old_quote(project)
    assert a18.note == next(a for a in project.annotations if a.claim_id == A18).note


def test_claimreview_leaves_changed_verdicts_out_and_counts_them() -> None:
    project = changed_project()
    result = claimreview_export(project)
    assert result.skipped_changed == 1
    assert all("#claim-A18" not in r for r in result.text.splitlines())
    assert (
        "1 verdicts changed since reviewed skipped"
        in export_summarised(project, "claimreview").summary
    )
    # Re-confirmed, it is published, under the claim's number as people see it.
    confirmed = replace(
        project,
        annotations=tuple(replace(a, changed=None) for a in project.annotations),
    )
    reviews = json.loads(claimreview_export(confirmed).text)
    assert any(r["url"] == "https://checkdesk.example/#claim-A18" for r in reviews)


def test_an_import_placed_on_changed_text_is_marked_changed() -> None:
    before = reviewed_seed()
    exported = json.dumps(annotation_collection(before))
    edited = updated(before)  # article A with the stealth edit
    fresh = replace(edited, annotations=(), links=(), orphans=())
    result = import_web_annotations(fresh, exported)
    a18 = next(a for a in result.project.annotations if a.claim_id == A18)
    assert a18.changed is not None and "2022" in a18.changed.old_quote
    assert "2021" in a18.anchor.exact
    # What landed on unchanged text is not marked.
    assert next(a for a in result.project.annotations if a.claim_id == "a:18").changed is None
