"""``factcheck versions OLD NEW``: what changed between two versions of one article.

Prints every change in order (``~`` changed, ``+`` added, ``-`` removed, ``↕`` moved)
with the word diff of an edited sentence and the facts it changes; ``--json`` gives
the whole alignment with offsets; ``--format html|markdown -o OUT`` writes a report.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any, TextIO

from .errors import FactcheckError
from .models import Claim
from .terminal import dump_json, write_document

_MARKS = {"changed": "~", "inserted": "+", "deleted": "-", "moved": "↕"}


def add_parser(sub: Any) -> None:
    p = sub.add_parser(
        "versions", help="what changed between two versions of one article (stealth edits)"
    )
    p.add_argument("old", help="the earlier version (.txt, .md, .html)")
    p.add_argument("new", help="the later version")
    p.add_argument("--json", action="store_true", help="the alignment, machine-readable")
    p.add_argument("--format", "-f", choices=("html", "markdown"), help="write a report")
    p.add_argument("-o", "--output", help="report file to write ('-' for stdout)")
    p.set_defaults(run=cmd_versions, usage_error=p.error)


def cmd_versions(args: argparse.Namespace) -> int:
    from .cli import _warned
    from .loading import load_article
    from .versions import compare_versions

    if (args.format is None) != (args.output is None):
        args.usage_error("--format and -o go together")
    old = _warned(load_article(args.old, article_id="a"))
    new = _warned(load_article(args.new, article_id="b"))
    cmp = compare_versions(old, new)
    if args.format is not None:
        from .atomicwrite import write_atomic
        from .export.versions_report import VERSION_FORMATS, summary_line

        text = VERSION_FORMATS[args.format](cmp)
        if args.output == "-":
            write_document(text)
            return 0
        out = Path(args.output)
        if out.resolve() in (Path(args.old).resolve(), Path(args.new).resolve()):
            raise FactcheckError(f"{out}: is one of the versions; choose another output file")
        write_atomic(out, text.encode("utf-8"))
        print(f"{out}: {summary_line(cmp)}", file=sys.stderr)
        return 0
    if args.json:
        dump_json(_json(cmp), sys.stdout)
        return 0
    _write_text(sys.stdout, cmp)
    return 0


def _claim_json(claim: Claim | None) -> dict[str, Any] | None:
    if claim is None:
        return None
    return {"index": claim.index, "start": claim.start, "end": claim.end, "text": claim.text}


def _json(cmp: Any) -> dict[str, Any]:
    from dataclasses import asdict

    from .export.versions_report import source_name

    rows = []
    for row in cmp.rows:
        entry: dict[str, Any] = {
            "kind": row.kind.value,
            "old": _claim_json(row.old),
            "new": _claim_json(row.new),
            "old_gap": row.old_gap,
            "new_gap": row.new_gap,
            "similarity": round(row.similarity, 1),
        }
        diff = row.diff() if row.is_change else None
        if diff is not None:
            entry["diff"] = [
                {
                    "op": op.kind.value,
                    "text": op.text,
                    "old": [op.a_start, op.a_end],
                    "new": [op.b_start, op.b_end],
                }
                for op in diff.ops
            ]
            entry["differences"] = [
                {k: list(v) if isinstance(v, tuple) else v for k, v in asdict(d).items()}
                for d in diff.differences
            ]
        rows.append(entry)
    return {
        "old": {"title": cmp.old.title, "source": source_name(cmp.old), "hash": cmp.old.hash},
        "new": {"title": cmp.new.title, "source": source_name(cmp.new), "hash": cmp.new.hash},
        "counts": {k.value: n for k, n in cmp.counts().items()},
        "rows": rows,
    }


def _write_text(w: TextIO, cmp: Any) -> None:
    from .cli import _write_diff
    from .export.versions_report import source_name, summary_line, where

    w.write(f"old: {cmp.old.title}  ({len(cmp.old_claims)} sentences, {source_name(cmp.old)})\n")
    w.write(f"new: {cmp.new.title}  ({len(cmp.new_claims)} sentences, {source_name(cmp.new)})\n")
    if cmp.is_identical:
        w.write("The two versions say the same, sentence for sentence.\n")
        return
    w.write(f"{summary_line(cmp)}\n\n")
    for row in cmp.changes():
        w.write(f"{_MARKS[row.kind.value]} {row.kind.value:9} {where(row)}\n")
        diff = row.diff()
        if diff is not None and not diff.is_identical:
            _write_diff(w, diff)
            for d in diff.differences:
                w.write(f"       ! {d.kind.value}: {d.a_text or '—'}  ≠  {d.b_text or '—'}\n")
        else:
            claim = row.new or row.old
            w.write(f"       {claim.text}\n")
        w.write("\n")
