"""CSV cells that hide a formula or reorder their text: a formula sign after white
space, quotes or invisible characters is neutralised; bidi controls are shown.

Every combination below is generated, written as notes, tags, evidence and article
text, and read back with Python's csv reader, as a spreadsheet would read the file.
"""

from __future__ import annotations

import csv
import io
import itertools

from factcheck.export import export_csv
from factcheck.models import Article, Project, Verdict
from factcheck.store import ProjectStore

#: What may stand before a formula sign and be trimmed or not seen by a spreadsheet.
PREFIXES = (
    "",
    " ",
    "   ",
    "\t",
    "\r",
    "\n",
    "\u00a0",  # no-break space
    "\u3000",  # ideographic space
    "\u200b",  # zero-width space
    "\u200b\u200b ",
    "\ufeff",  # byte-order mark
    "\u2060",  # word joiner
    "\u200e",  # left-to-right mark
    "\u00ad",  # soft hyphen
    "\u3164",  # Hangul filler
    "'",
    '"',
    '" ',
    "' \u200b\"",
)
FORMULAS = ("=1+1", "+1+1", "-1+1", "@SUM(A1:A9)", '=HYPERLINK("http://x.example")', "\uff1d1+1")
#: Leading characters the test itself skips (independent of the exporter's own list).
INVISIBLE = " \t\r\n\u00a0\u3000\u200b\ufeff\u2060\u200e\u00ad\u3164'\""


def _hidden_formulas() -> list[str]:
    return [p + f for p, f in itertools.product(PREFIXES, FORMULAS)]


def _project(values: list[str]) -> Project:
    text_a = "".join(f"Sentence {n} is here.\n" for n in range(len(values)))
    store = ProjectStore(
        Project(Article("a", "A", "a.txt", text_a), Article("b", "B", "b.txt", "Other text.")),
        matches=(),
    )
    for claim, value in zip(store.claims("a"), values, strict=True):
        store.set_verdict(claim.id, Verdict.CONTESTED)
        store.set_note(claim.id, value)
        store.set_tags(claim.id, [value])
        store.set_evidence(claim.id, [value])
    return store.project()


def _rows(text: str) -> list[dict[str, str]]:
    assert text.startswith("\ufeff")
    return list(csv.DictReader(io.StringIO(text[1:], newline="")))


def _would_compute(cell: str) -> bool:
    visible = cell.lstrip(INVISIBLE)
    return cell[:1] in ("\t", "\r") or visible[:1] in ("=", "+", "-", "@", "\uff1d")


def test_formulas_behind_white_space_quotes_and_invisible_characters_are_text() -> None:
    values = _hidden_formulas()
    rows = [r for r in _rows(export_csv(_project(values))) if r["article"] == "a"]
    assert len(rows) == len(values)
    for row, value in zip(rows, values, strict=True):
        for column in ("note", "tags", "evidence"):
            cell = row[column]
            assert cell.startswith("'"), (column, value)
            assert cell[1:] in (value, value.strip())  # tags and evidence are stripped
            assert _would_compute(cell[1:])  # the test's own check sees the danger


def test_plain_text_is_left_alone() -> None:
    values = ["Plain note.", " indented note", '"quoted" note', "\u200bzero-width then text"]
    rows = [r for r in _rows(export_csv(_project(values))) if r["article"] == "a"]
    assert [r["note"] for r in rows] == values


def test_bidi_overrides_are_shown_not_obeyed() -> None:
    spoof = "Source: \u202egro.elpmaxe//:sptth\u202c and \u2067isolated\u2069"
    rows = _rows(export_csv(_project([spoof, "\u202e=1+1"])))
    notes = [r["note"] for r in rows if r["article"] == "a"]
    assert notes == [
        "Source: <U+202E>gro.elpmaxe//:sptth<U+202C> and <U+2067>isolated<U+2069>",
        "<U+202E>=1+1",
    ]
    assert not any("\u202e" in cell for row in rows for cell in row.values())
