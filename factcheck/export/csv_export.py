"""Export every claim of both articles as one CSV row, for spreadsheets.

Columns: ``article, claim_id, start, end, kind, text, verdict, note, tags, evidence,
linked_claims, changed_since_reviewed`` (+ ``suggested_matches`` when the caller passes
matches). Claims are named as people see them, ``A18`` (the 18th claim of article A;
:mod:`factcheck.claimref`). Cells with several values (tags, evidence, links) hold one
value per line. ``linked_claims`` lists the confirmed and manual links as
``B4 (71.5, confirmed)`` (no score when the link has none). ``changed_since_reviewed``
holds, for a claim an article update put a verdict or link on while its text changed,
the text as it was reviewed (empty otherwise).

Orphans (notes and links an update of an article could not place) follow, one row
each, with ``kind`` ``orphan``, no ``claim_id`` or offsets (their sentence is gone),
``text`` the quote as it was; an orphaned link's ``linked_claims`` holds the quote of
its other end and its state.

Encoding: UTF-8 with a byte-order mark, comma-separated, ``\\r\\n`` line ends, fields
quoted when needed (RFC 4180). The BOM is what makes Excel read the file as UTF-8
instead of the system code page; LibreOffice, Numbers, pandas (``utf-8-sig``) and
Python's ``csv`` with ``encoding="utf-8-sig"`` all accept it.

Formula injection: a text cell that begins with ``=``, ``+``, ``-``, ``@`` (or their
full-width forms), a tab or a carriage return is prefixed with ``'`` so spreadsheet
programs show it as text instead of evaluating it (OWASP's advice). The formula sign is
looked for after any leading white space, quotes and invisible characters (zero-width
spaces, byte-order marks, bidi marks, soft hyphens, fillers), since spreadsheets trim
some of them: ``' =1+1'``, ``"=1+1`` and ``"\u200b=1+1"`` are prefixed too. Numbers
(offsets) are left as they are. Bidi embeddings, overrides and isolates (U+202E…),
which would make a cell read in another order than it is, are written visibly as
``<U+202E>`` (:func:`~factcheck.export.common.show_bidi_controls`).
"""

from __future__ import annotations

import csv
import io
import unicodedata
from collections.abc import Sequence

from ..claimref import claim_label
from ..models import Link, Match, Orphan, Project
from .changes import changed_claims
from .common import ProjectIndex, exported_orphans, index_project, show_bidi_controls

BOM = "\ufeff"
COLUMNS = (
    "article",
    "claim_id",
    "start",
    "end",
    "kind",
    "text",
    "verdict",
    "note",
    "tags",
    "evidence",
    "linked_claims",
    "changed_since_reviewed",
)
_FORMULA_SIGNS = frozenset("=+-@\uff1d\uff0b\uff0d\uff20\ufe62\ufe63")
#: Categories skipped before the formula sign: controls, format characters (zero-width
#: space, BOM, bidi marks, soft hyphen), separators (spaces of every width) and marks.
_SKIPPED_CATEGORIES = frozenset({"Cc", "Cf", "Zs", "Zl", "Zp", "Mn", "Me"})
#: Letters that show as nothing (Hangul fillers, braille blank) and quotes.
_SKIPPED_CHARS = frozenset("'\"\u115f\u1160\u3164\uffa0\u2800")


def neutralise(cell: str) -> str:
    """``cell`` as a spreadsheet will show it as text, never run it as a formula, with
    bidi controls written visibly."""
    cell = show_bidi_controls(cell)
    return "'" + cell if _starts_a_formula(cell) else cell


def _starts_a_formula(cell: str) -> bool:
    if cell.startswith(("\t", "\r")):
        return True
    for char in cell:
        if char in _SKIPPED_CHARS or unicodedata.category(char) in _SKIPPED_CATEGORIES:
            continue
        return char in _FORMULA_SIGNS
    return False


def export_csv(project: Project, *, matches: Sequence[Match] | None = None) -> str:
    """One row per claim; ``matches`` (suggestions, e.g. the store's) adds a column."""
    index = index_project(project)
    suggested = _suggestions(matches) if matches is not None else None
    out = io.StringIO()
    out.write(BOM)
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(COLUMNS + (("suggested_matches",) if suggested is not None else ()))
    reviewed: dict[str, str] = {}
    for item in changed_claims(index):
        reviewed.setdefault(item.claim.id, item.changed.old_quote)
    for claim in index.all_claims():
        annotation = index.annotations.get(claim.id)
        text_cells = [
            claim.kind.value,
            claim.text,
            index.verdict(claim.id).value,
            annotation.note if annotation else "",
            "\n".join(annotation.tags) if annotation else "",
            "\n".join(annotation.evidence) if annotation else "",
            "\n".join(_linked(index, claim.id, link) for link in index.links_of.get(claim.id, ())),
            reviewed.get(claim.id, ""),
        ]
        if suggested is not None:
            text_cells.append("\n".join(suggested.get(claim.id, ())))
        row: list[str | int] = [claim.article_id, claim_label(claim.id), claim.start, claim.end]
        row += [neutralise(cell) for cell in text_cells]
        writer.writerow(row)
    for orphan in exported_orphans(index.project):
        cells = _orphan_cells(orphan) + ([""] if suggested is not None else [])
        writer.writerow([orphan.article_id, "", "", ""] + [neutralise(c) for c in cells])
    return out.getvalue()


def _orphan_cells(orphan: Orphan) -> list[str]:
    """``kind`` to ``linked_claims`` of an orphan's row."""
    a = orphan.annotation
    if a is not None:
        tags, evidence = "\n".join(a.tags), "\n".join(a.evidence)
        return ["orphan", orphan.anchor.exact, a.verdict.value, a.note, tags, evidence, "", ""]
    assert orphan.link is not None  # an orphan holds exactly one of the two
    link = orphan.link
    other = link.b_anchor if orphan.article_id == "a" else link.a_anchor
    linked = f"“{other.exact}” ({link.state.value})"
    return ["orphan", orphan.anchor.exact, "", "", "", "", linked, ""]


def _linked(index: ProjectIndex, claim_id: str, link: Link) -> str:
    other = claim_label(index.other_end(link, claim_id).id)
    if link.score is None:
        return f"{other} ({link.state.value})"
    return f"{other} ({link.score:.1f}, {link.state.value})"


def _suggestions(matches: Sequence[Match]) -> dict[str, list[str]]:
    found: dict[str, list[tuple[float, str]]] = {}
    for m in matches:
        a, b = claim_label(m.a_id), claim_label(m.b_id)
        found.setdefault(m.a_id, []).append((m.score, f"{b} ({m.score:.1f})"))
        found.setdefault(m.b_id, []).append((m.score, f"{a} ({m.score:.1f})"))
    return {k: [text for _, text in sorted(v, key=lambda p: -p[0])] for k, v in found.items()}
