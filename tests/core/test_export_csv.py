"""CSV export: read back with the csv module, content round-trips, formulas are defused."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from factcheck.claimref import claim_label
from factcheck.export.common import index_project
from factcheck.export.csv_export import BOM, COLUMNS, export_csv, neutralise
from factcheck.models import Match

from .test_export_common import HOSTILE_NOTE, sample_project


def _rows(text: str) -> list[dict[str, str]]:
    assert text.startswith(BOM)
    return list(csv.DictReader(io.StringIO(text[len(BOM) :], newline="")))


def _undo(cell: str) -> str:
    return (
        cell[1:] if cell.startswith("'") and cell[1:2] in ("=", "+", "-", "@", "\t", "\r") else cell
    )


def test_one_row_per_claim_of_both_articles_and_content_round_trips() -> None:
    project = sample_project()
    index = index_project(project)
    rows = _rows(export_csv(project))
    assert list(rows[0]) == list(COLUMNS)
    assert [r["claim_id"] for r in rows] == [claim_label(c.id) for c in index.all_claims()]
    for row, claim in zip(rows, index.all_claims(), strict=True):
        assert row["article"] == claim.article_id
        assert (int(row["start"]), int(row["end"])) == (claim.start, claim.end)
        assert _undo(row["text"]) == claim.text
        assert row["kind"] == claim.kind.value
        assert row["verdict"] == index.verdict(claim.id).value
        annotation = index.annotations.get(claim.id)
        if annotation is None:
            assert row["note"] == row["tags"] == row["evidence"] == ""
            continue
        assert _undo(row["note"]) == annotation.note
        assert [_undo(t) for t in row["tags"].split("\n")] == list(annotation.tags) or (
            not annotation.tags and row["tags"] == ""
        )
        assert row["evidence"].split("\n") == list(annotation.evidence) or not annotation.evidence


def test_quotes_newlines_and_commas_in_a_note_survive() -> None:
    rows = {r["claim_id"]: r for r in _rows(export_csv(sample_project()))}
    assert rows["A2"]["note"] == HOSTILE_NOTE
    assert (
        rows["A2"]["evidence"]
        == "https://example.org/visit?x=1&y=2\njavascript:alert(1)\nAP, 3 Jan"
    )


def test_linked_claims_show_both_ways_with_their_scores() -> None:
    rows = {r["claim_id"]: r for r in _rows(export_csv(sample_project()))}
    assert rows["A3"]["linked_claims"] == "B2 (71.5, confirmed)"
    assert rows["B2"]["linked_claims"] == "A3 (71.5, confirmed)"
    assert rows["A4"]["linked_claims"] == "B3 (manual)"
    assert rows["A2"]["linked_claims"] == ""  # the rejected pair is no link


def test_cells_that_look_like_formulas_are_neutralised() -> None:
    rows = {r["claim_id"]: r for r in _rows(export_csv(sample_project()))}
    assert rows["A3"]["note"] == "'-the ICC only asked"
    assert rows["A2"]["tags"] == "travel\n=SUM(A1)"  # the cell starts with "travel"
    for start in ("=", "+", "-", "@", "\t", "\r"):
        assert neutralise(f"{start}1+2") == f"'{start}1+2"
    assert neutralise("1+2") == "1+2" and neutralise("") == ""


def test_suggested_matches_add_a_column_best_first() -> None:
    matches = [Match("a:1", "b:0", 64.0, "x"), Match("a:1", "b:2", 90.25, "x")]
    rows = {r["claim_id"]: r for r in _rows(export_csv(sample_project(), matches=matches))}
    assert rows["A2"]["suggested_matches"] == "B3 (90.2)\nB1 (64.0)"
    assert rows["B1"]["suggested_matches"] == "A2 (64.0)"
    assert rows["A1"]["suggested_matches"] == ""


@pytest.mark.parametrize("encoding", ["utf-8-sig"])
def test_the_file_reads_back_from_disk_as_a_spreadsheet_would(
    tmp_path: Path, encoding: str
) -> None:
    path = tmp_path / "claims.csv"
    path.write_bytes(export_csv(sample_project()).encode("utf-8"))
    assert path.read_bytes().startswith(b"\xef\xbb\xbf")
    with path.open(encoding=encoding, newline="") as handle:
        rows = list(csv.reader(handle))
    assert rows[0][0] == "article"  # the BOM is not glued to the first header
    assert rows[1][5] == "Putin’s rule is crumbling"
