"""A report of what changed between two versions of one article (HTML or Markdown).

Like the project report: one self-contained file, no script, nothing fetched, every
piece of article text escaped (:func:`~factcheck.export.report.escape`, which also shows
bidi controls, in direction-isolated blocks; :func:`escape_markdown`). Each change is
listed in order with its place in both versions (1-based sentence numbers), the
word diff for an edited sentence and the facts it changes. Local files are named by
their file name only: a published report must not show the reviewer's folders.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import PurePath

from ..models import Article, Claim
from ..versions import ChangeKind, SentenceChange, VersionComparison
from ..worddiff import WordDiff
from .report import CSS, diff_html, escape
from .report_markdown import diff_markdown, escape_markdown

KIND_LABELS = {
    ChangeKind.CHANGED: "Changed",
    ChangeKind.INSERTED: "Added",
    ChangeKind.DELETED: "Removed",
    ChangeKind.MOVED: "Moved",
    ChangeKind.UNCHANGED: "Unchanged",
}
_ORDER = (ChangeKind.CHANGED, ChangeKind.INSERTED, ChangeKind.DELETED, ChangeKind.MOVED)
_EXTRA_CSS = """
.change { border-left: 5px solid #9e9e9e; padding: .3rem 0 .3rem .9rem; margin: 1rem 0;
  break-inside: avoid; page-break-inside: avoid; }
.change.changed { border-color: #1565c0; } .change.inserted { border-color: #2e7d32; }
.change.deleted { border-color: #c62828; } .change.moved { border-color: #6a1b9a; }
"""


def source_name(article: Article) -> str:
    """A web address as it is; a local file by its name only."""
    source = article.source
    return source if "://" in source else PurePath(source).name


def where(row: SentenceChange) -> str:
    """``old 4 → new 5``, ``new 7 (added before old 6)``, ``old 3 (removed)``."""
    if row.old is not None and row.new is not None:
        return f"old {row.old.index + 1} → new {row.new.index + 1}"
    if row.new is not None:
        return f"new {row.new.index + 1} (added; before old {row.old_gap + 1})"
    assert row.old is not None
    return f"old {row.old.index + 1} (removed; was before new {row.new_gap + 1})"


def summary_line(cmp: VersionComparison) -> str:
    counts = cmp.counts()
    parts = [f"{counts[k]} {KIND_LABELS[k].lower()}" for k in _ORDER]
    return f"{len(cmp.changes())} sentences differ: " + ", ".join(parts)


def versions_html(cmp: VersionComparison) -> str:
    e = escape
    title = f"Changes: {cmp.old.title or 'untitled'}"
    out = [
        '<!DOCTYPE html>\n<html>\n<head>\n<meta charset="utf-8">\n',
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n',
        f"<title>{e(title)}</title>\n<style>{CSS}{_EXTRA_CSS}</style>\n</head>\n<body>\n",
        f"<header><h1>{e(title)}</h1></header>\n",
        '<section id="sources">\n<h2>Versions</h2>\n<div class="sources">\n',
    ]
    for label, article, count in (
        ("Old", cmp.old, len(cmp.old_claims)),
        ("New", cmp.new, len(cmp.new_claims)),
    ):
        out.append(
            f"<article>\n<h3>{label}: {e(article.title or '(untitled)')}</h3>\n<dl>\n"
            f"<dt>Source</dt><dd>{e(source_name(article))}</dd>\n"
            f"<dt>Sentences</dt><dd>{count}</dd>\n"
            f"<dt>SHA-256</dt><dd>{e(article.hash)}</dd>\n</dl>\n</article>\n"
        )
    out.append("</div>\n</section>\n")
    out.append(
        f'<section id="changes">\n<h2>Changes</h2>\n<p class="count">{e(summary_line(cmp))}.</p>\n'
    )
    for row in cmp.changes():
        out.append(_html_change(row))
    out.append("</section>\n</body>\n</html>\n")
    return "".join(out)


def _html_change(row: SentenceChange) -> str:
    e = escape
    out = [
        f'<article class="change {row.kind.value}">\n<p class="head"><span class="badge">'
        f"{KIND_LABELS[row.kind]}</span> · {e(where(row))}</p>\n"
    ]
    diff = row.diff()
    if diff is not None and not diff.is_identical:
        out.append(f'<blockquote class="diff" dir="auto">{diff_html(diff)}</blockquote>\n')
        if diff.differences:
            out.append(f'<p class="facts">Differences: {_facts(diff, e)}</p>\n')
    else:
        claim = _only_claim(row)
        tag = {ChangeKind.INSERTED: "ins", ChangeKind.DELETED: "del"}.get(row.kind)
        text = e(claim.text)
        out.append(
            f'<blockquote dir="auto"><{tag}>{text}</{tag}></blockquote>\n'
            if tag
            else f'<blockquote dir="auto">{text}</blockquote>\n'
        )
    out.append("</article>\n")
    return "".join(out)


def versions_markdown(cmp: VersionComparison) -> str:
    def one_line(text: str) -> str:
        return " ".join(escape_markdown(text).split())

    out = [f"# Changes: {one_line(cmp.old.title or 'untitled')}\n", "## Versions\n"]
    for label, article, count in (
        ("Old", cmp.old, len(cmp.old_claims)),
        ("New", cmp.new, len(cmp.new_claims)),
    ):
        out.append(
            f"- {label}: {one_line(article.title or '(untitled)')} — "
            f"{one_line(source_name(article))}, {count} sentences, "
            f"SHA-256 `{article.hash}`"
        )
    out.append(f"\n## Changes\n\n{summary_line(cmp)}.\n")
    for row in cmp.changes():
        out.append(f"### {KIND_LABELS[row.kind]}: {where(row)}\n")
        diff = row.diff()
        if diff is not None and not diff.is_identical:
            out.append(f"> {diff_markdown(diff)}\n")
            if diff.differences:
                out.append(f"Differences: {_facts(diff, one_line)}\n")
        else:
            claim = _only_claim(row)
            mark = {ChangeKind.INSERTED: "**", ChangeKind.DELETED: "~~"}.get(row.kind, "")
            out.append(f"> {mark}{one_line(claim.text)}{mark}\n")
    return "\n".join(out).rstrip("\n") + "\n"


def _facts(diff: WordDiff, escape_text: Callable[[str], str]) -> str:
    """``date: 2022 → 2021; number: …``, each value through ``escape_text``."""
    return "; ".join(
        f"{d.kind.value}: {escape_text(d.a_text or '—')} → {escape_text(d.b_text or '—')}"
        for d in diff.differences
    )


def _only_claim(row: SentenceChange) -> Claim:
    """The sentence of a row that has one (an insertion's, a deletion's)."""
    claim = row.new or row.old
    assert claim is not None
    return claim


VERSION_FORMATS = {"html": versions_html, "markdown": versions_markdown}
