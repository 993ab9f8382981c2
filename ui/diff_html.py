"""A word diff as HTML for the inspector: deletions struck through in red, insertions
underlined in green, and the spans of fact differences (numbers, dates, names,
negation) in bold, keeping their side's strike-through or underline and colour (so a
changed "2022" → "2021" reads as two values, never as "20222021"; a thin space
separates a deletion from the insertion that replaces it). Every piece of text is
HTML-escaped. Pure Python.
"""

from __future__ import annotations

import itertools
from html import escape

from factcheck.models import DifferenceKind, FactDifference
from factcheck.worddiff import DiffKind, WordDiff

DELETE_STYLE = "color:#a40e26;background:#ffebe9;text-decoration:line-through"
INSERT_STYLE = "color:#116329;background:#dafbe1;text-decoration:underline"
FACT_STYLE = "font-weight:bold;background:#fff8c5;color:#3d2c00"
#: A flagged value inside a deletion or an insertion: its side's look, in bold.
DELETED_FACT_STYLE = (
    "font-weight:bold;color:#82071e;background:#ffcecb;text-decoration:line-through"
)
INSERTED_FACT_STYLE = "font-weight:bold;color:#0a3d1c;background:#aceebb;text-decoration:underline"

KIND_LABELS = {
    DifferenceKind.NUMBER: "Number",
    DifferenceKind.DATE: "Date",
    DifferenceKind.NAME: "Name",
    DifferenceKind.NEGATION: "Negation",
}


def _marked(text: str, start: int, spans: list[tuple[int, int]], style: str = FACT_STYLE) -> str:
    """``text`` (which sits at ``start``) escaped, with the parts inside ``spans`` in
    ``style``."""
    cuts = {0, len(text)}
    for s, e in spans:
        for cut in (s - start, e - start):
            if 0 < cut < len(text):
                cuts.add(cut)
    pieces = []
    bounds = sorted(cuts)
    for lo, hi in itertools.pairwise(bounds):
        piece = escape(text[lo:hi])
        inside = any(s <= start + lo and start + hi <= e for s, e in spans)
        pieces.append(f'<span style="{style}">{piece}</span>' if inside else piece)
    return "".join(pieces)


def styled_diff_html(diff: WordDiff) -> str:
    """The inline diff from the A claim to the B claim, styled inline (the inspector's
    rich text has no style sheet; the report's ``diff_html`` uses ``<del>``/``<ins>``)."""
    a_spans = [d.a_span for d in diff.differences if d.a_span is not None]
    b_spans = [d.b_span for d in diff.differences if d.b_span is not None]
    out = []
    previous = None
    for op in diff.ops:
        if op.kind is DiffKind.INSERT:
            if previous is DiffKind.DELETE:
                out.append("\u2009")
            marked = _marked(op.text, op.b_start, b_spans, INSERTED_FACT_STYLE)
            out.append(f'<span style="{INSERT_STYLE}">{marked}</span>')
        elif op.kind is DiffKind.DELETE:
            marked = _marked(op.text, op.a_start, a_spans, DELETED_FACT_STYLE)
            out.append(f'<span style="{DELETE_STYLE}">{marked}</span>')
        else:
            out.append(_marked(op.text, op.a_start, a_spans))
        previous = op.kind
    return "".join(out)


def difference_text(d: FactDifference) -> str:
    """One line per difference: ``Number: 12 → 15`` (``—`` where a side says nothing)."""
    return f"{KIND_LABELS[d.kind]}: {d.a_text or '—'} → {d.b_text or '—'}"


def differences_html(differences: tuple[FactDifference, ...]) -> str:
    if not differences:
        return ""
    items = "".join(f"<li>{escape(difference_text(d))}</li>" for d in differences)
    return f"<p><b>Differences that matter:</b></p><ul style='margin-top:0'>{items}</ul>"
