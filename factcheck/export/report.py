"""A self-contained, printable HTML report.

One file, nothing fetched: inline CSS (with print rules), an inline SVG bar chart of
the verdict counts, no script. Every piece of article or user text goes through
:func:`escape` (``html.escape``, with bidi embeddings, overrides and isolates shown as
``<U+202E>``) and stands in an element that isolates its direction (``<bdi>`` or
``dir="auto"``), so right-to-left text or a stray control never reorders the report
around it. The only links are evidence URLs that are absolute http(s) URLs, opened with
``rel="noopener noreferrer"``; their text is the address the link opens, spelt as a URI
(the host in punycode, the path percent-encoded), so a look-alike host, a zero-width
character or a U+202E cannot show one address and open another. Anything else
(``javascript:``, ``data:``, plain citations) is shown as text.
"""

from __future__ import annotations

from collections.abc import Iterator
from html import escape as escape_html

from ..claimref import claim_anchor, claim_label
from ..models import Annotation, Article, Orphan, Project, Verdict
from ..worddiff import DiffKind, WordDiff
from .changes import ChangedClaim
from .common import show_bidi_controls, web_uri
from .report_model import (
    VERDICT_LABELS,
    VERDICT_ORDER,
    ArticleSection,
    ClaimEntry,
    LinkedClaim,
    ReportData,
    article_label,
    build_report,
    link_state_label,
    source_rows,
)

BAR_COLOURS = {
    Verdict.SUPPORTED: "#2e7d32",
    Verdict.CONTESTED: "#c62828",
    Verdict.OPINION: "#1565c0",
    Verdict.UNREVIEWED: "#9e9e9e",
}

CSS = """
:root { color-scheme: light; }
body { font: 15px/1.5 Georgia, "Times New Roman", serif; color: #1b1b1b; margin: 2rem auto;
  max-width: 52rem; padding: 0 1rem; }
h1 { font-size: 1.7rem; margin-bottom: .2rem; }
h2 { border-bottom: 2px solid #ddd; padding-bottom: .2rem; margin-top: 2rem; }
h3 { margin-bottom: .3rem; }
.meta, .count { color: #555; }
.sources { display: grid; grid-template-columns: 1fr 1fr; gap: 1.5rem; }
dl { display: grid; grid-template-columns: max-content 1fr; gap: .1rem .8rem; margin: 0; }
dt { font-weight: bold; } dd { margin: 0; overflow-wrap: anywhere; }
table { border-collapse: collapse; margin: .5rem 0 1rem; }
th, td { border: 1px solid #ccc; padding: .2rem .6rem; } td.n { text-align: right; }
.claim { border-left: 5px solid #9e9e9e; padding: .3rem 0 .3rem .9rem; margin: 1.2rem 0;
  break-inside: avoid; page-break-inside: avoid; }
.claim.supported { border-color: #2e7d32; } .claim.contested { border-color: #c62828; }
.claim.opinion { border-color: #1565c0; }
.head { margin: 0; font-family: system-ui, sans-serif; font-size: .85rem; color: #444; }
.badge { font-weight: bold; text-transform: uppercase; letter-spacing: .04em; }
.supported .badge { color: #2e7d32; } .contested .badge { color: #c62828; }
.opinion .badge { color: #1565c0; }
blockquote { margin: .3rem 0; font-size: 1.05rem; }
.note { white-space: pre-wrap; background: #f6f6f2; padding: .4rem .6rem; margin: .3rem 0; }
.tag { border: 1px solid #bbb; border-radius: .6rem; padding: 0 .45rem; font-size: .85rem; }
.linked li { margin-bottom: .4rem; }
ins { background: #d7f5dc; text-decoration: none; }
del { background: #fbdada; }
.facts { font-size: .85rem; color: #555; }
.changed-mark { font-weight: bold; border: 1px dashed #9a6700; padding: 0 .3rem; }
a { color: #0b57d0; overflow-wrap: anywhere; }
@media print {
  body { margin: 0; max-width: none; font-size: 10.5pt; }
  h2 { break-after: avoid; page-break-after: avoid; }
  .sources { grid-template-columns: 1fr 1fr; }
  a { color: inherit; }
  ins, del, .note, svg { print-color-adjust: exact; -webkit-print-color-adjust: exact; }
}
"""


def escape(text: str) -> str:
    """Article or user text as HTML text: markup escaped, bidi controls made visible."""
    return escape_html(show_bidi_controls(text))


def export_html(project: Project) -> str:
    return render_html(build_report(project))


def render_html(report: ReportData) -> str:
    e = escape
    out = [
        '<!DOCTYPE html>\n<html>\n<head>\n<meta charset="utf-8">\n',
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n',
        f"<title>Fact-check report: {e(report.title)}</title>\n",
        f"<style>{CSS}</style>\n</head>\n<body>\n",
        f"<header><h1>Fact-check report: <bdi>{e(report.title)}</bdi></h1>\n",
    ]
    if report.project.modified:
        out.append(f'<p class="meta">Last changed {e(report.project.modified)}</p>\n')
    out.append('</header>\n<section id="sources">\n<h2>Sources</h2>\n<div class="sources">\n')
    for section in report.sections:
        out.append(_source(section.label, section.article))
    out.append("</div>\n</section>\n")
    out.append(_summary(report))
    if report.changed:
        out.append(_changed(report.changed))
    for section in report.sections:
        out.append(_section(section))
    if report.other_links:
        out.append('<section id="links">\n<h2>Other confirmed links</h2>\n<ul class="linked">\n')
        for entry in report.other_links:
            out.append(
                f'<li><q dir="auto">{e(entry.a_claim.text)}</q> '
                f"({e(claim_label(entry.a_claim.id))}) — {_linked_body(entry.linked)}</li>\n"
            )
        out.append("</ul>\n</section>\n")
    if report.orphans:
        out.append(_orphans(report.orphans))
    out.append("</body>\n</html>\n")
    return "".join(out)


def _source(label: str, article: Article) -> str:
    rows = (*source_rows(article), ("SHA-256", article.hash))
    items = "".join(f'<dt>{k}</dt><dd dir="auto">{escape(v)}</dd>\n' for k, v in rows if v)
    title = f"<bdi>{escape(article.title)}</bdi>" if article.title else "(untitled)"
    return f"<article>\n<h3>{escape(label)}: {title}</h3>\n<dl>\n{items}</dl>\n</article>\n"


def _summary(report: ReportData) -> str:
    a, b = (s.article.id for s in report.sections)
    rows = "".join(
        f'<tr><th scope="row">{VERDICT_LABELS[v]}</th>'
        f'<td class="n">{report.counts[a][v]}</td><td class="n">{report.counts[b][v]}</td>'
        f'<td class="n">{report.counts["total"][v]}</td></tr>\n'
        for v in VERDICT_ORDER
    )
    labels = "".join(f'<th scope="col">{s.label}</th>' for s in report.sections)
    return (
        '<section id="verdicts">\n<h2>Verdicts</h2>\n'
        f"<table>\n<tr><th>Verdict</th>{labels}<th>Total</th></tr>\n{rows}</table>\n"
        f"{verdict_chart(report.counts['total'])}</section>\n"
    )


def verdict_chart(counts: dict[Verdict, int]) -> str:
    """A horizontal bar per verdict, scaled to the largest count, as inline SVG.

    With its namespace, so the same text is a valid stand-alone SVG image (the
    Markdown report embeds it as a ``data:`` URI).
    """
    label_w, bar_w, row_h = 100, 260, 26
    largest = max(counts.values(), default=0) or 1
    height = row_h * len(VERDICT_ORDER)
    total = sum(counts.values())
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{label_w + bar_w + 60}" '
        f'height="{height}" role="img" '
        f'viewBox="0 0 {label_w + bar_w + 60} {height}">'
        f"<title>Verdict counts over {total} claims</title>"
    ]
    for row, verdict in enumerate(VERDICT_ORDER):
        y = row * row_h
        width = round(bar_w * counts[verdict] / largest)
        parts.append(
            f'<text x="0" y="{y + 17}" font-family="sans-serif" font-size="13">'
            f"{VERDICT_LABELS[verdict]}</text>"
            f'<rect x="{label_w}" y="{y + 4}" width="{width}" height="{row_h - 8}" '
            f'fill="{BAR_COLOURS[verdict]}"/>'
            f'<text x="{label_w + width + 6}" y="{y + 17}" font-family="sans-serif" '
            f'font-size="13">{counts[verdict]}</text>'
        )
    parts.append("</svg>\n")
    return "".join(parts)


def _section(section: ArticleSection) -> str:
    article_id = escape(section.article.id)
    out = [
        f'<section id="claims-{article_id}">\n<h2>{section.label}: reviewed claims</h2>\n',
        f'<p class="count">{len(section.entries)} of {section.claim_count} claims reviewed; '
        f"{section.unreviewed} not reviewed.</p>\n",
    ]
    out.extend(_claim(entry) for entry in section.entries)
    out.append("</section>\n")
    return "".join(out)


def _claim(entry: ClaimEntry) -> str:
    e = escape
    a = entry.annotation
    verdict = a.verdict.value
    mark = (
        ' · <a class="changed-mark" href="#changed">Δ changed since reviewed</a>'
        if entry.changed
        else ""
    )
    out = [
        f'<article class="claim {verdict}" id="{e(claim_anchor(entry.claim.id))}">\n',
        f'<p class="head"><span class="badge">{VERDICT_LABELS[a.verdict]}</span> · '
        f"{e(claim_label(entry.claim.id))} · {e(entry.claim.kind.value)}{mark}</p>\n",
        f'<blockquote dir="auto">{e(entry.claim.text)}</blockquote>\n',
    ]
    out.extend(_annotation_body(a))
    if entry.linked:
        items = "".join(f"<li>{_linked_body(x)}</li>\n" for x in entry.linked)
        out.append(f'<p>Linked claims:</p>\n<ul class="linked">\n{items}</ul>\n')
    out.append("</article>\n")
    return "".join(out)


def _annotation_body(a: Annotation) -> Iterator[str]:
    """The note, tags and evidence of ``a``."""
    e = escape
    if a.note:
        yield f'<div class="note" dir="auto">{e(a.note)}</div>\n'
    if a.tags:
        tags = " ".join(f'<span class="tag" dir="auto">{e(t)}</span>' for t in a.tags)
        yield f'<p class="tags">Tags: {tags}</p>\n'
    if a.evidence:
        items = "".join(f"<li>{_evidence(x)}</li>" for x in a.evidence)
        yield f'<p>Evidence:</p>\n<ul class="evidence">{items}</ul>\n'


def _changed(changed: tuple[ChangedClaim, ...]) -> str:
    e = escape
    out = [
        '<section id="changed">\n<h2>Changed since reviewed</h2>\n',
        f'<p class="count">{len(changed)} verdicts or links were made on text that an update '
        "of the article has changed since; they wait for the reviewer to re-confirm them. "
        "Struck: the text as reviewed; underlined: the text now.</p>\n<ul>\n",
    ]
    for item in changed:
        out.append(
            f'<li><a href="#{e(claim_anchor(item.claim.id))}">{e(item.label)}</a> '
            f"({e(item.what)}): {diff_html(item.diff)}{_facts(item.diff)}</li>\n"
        )
    out.append("</ul>\n</section>\n")
    return "".join(out)


def _facts(diff: WordDiff) -> str:
    if not diff.differences:
        return ""
    facts = "; ".join(
        f"{d.kind.value}: <bdi>{escape(d.a_text or '—')}</bdi> → "
        f"<bdi>{escape(d.b_text or '—')}</bdi>"
        for d in diff.differences
    )
    return f'<br><span class="facts">Differences: {facts}</span>'


def _orphans(orphans: tuple[Orphan, ...]) -> str:
    e = escape
    out = [
        '<section id="orphans">\n<h2>Orphaned notes and links</h2>\n',
        f'<p class="count">{len(orphans)} could not be placed on the current text of the '
        "articles (an update removed their sentence); the project keeps them.</p>\n",
    ]
    for orphan in orphans:
        where = f"{article_label(orphan.article_id)} · orphaned · {e(orphan.reason)}"
        if orphan.annotation is not None:
            a = orphan.annotation
            out.append(
                f'<article class="claim {a.verdict.value}">\n<p class="head"><span class="badge">'
                f"{VERDICT_LABELS[a.verdict]}</span> · {where}</p>\n"
                f'<blockquote dir="auto">{e(orphan.anchor.exact)}</blockquote>\n'
            )
            out.extend(_annotation_body(a))
            out.append("</article>\n")
        elif orphan.link is not None:
            link = orphan.link
            out.append(
                f'<article class="claim">\n<p class="head">{e(link_state_label(link))} · '
                f'{where}</p>\n<p><q dir="auto">{e(link.a_anchor.exact)}</q> (A) ↔ '
                f'<q dir="auto">{e(link.b_anchor.exact)}</q> (B)</p>\n</article>\n'
            )
    out.append("</section>\n")
    return "".join(out)


def _evidence(value: str) -> str:
    uri = web_uri(value)
    if uri is not None:
        # The text is the href: what the reader sees is where the link goes.
        return f'<a href="{escape(uri)}" rel="noopener noreferrer">{escape(uri)}</a>'
    return f"<bdi>{escape(value)}</bdi>"


def _linked_body(linked: LinkedClaim) -> str:
    e = escape
    label = claim_label(linked.claim.id)
    return (
        f'<q dir="auto">{e(linked.claim.text)}</q> ({e(label)}, {e(linked.description)})<br>'
        f"A → B: "
        f'<span class="diff" dir="auto">{diff_html(linked.diff)}</span>{_facts(linked.diff)}'
    )


def diff_html(diff: WordDiff) -> str:
    """The word diff from the A claim to the B claim: ``<del>`` only in A, ``<ins>`` only in B."""
    tags = {DiffKind.DELETE: "del", DiffKind.INSERT: "ins"}
    out = []
    for op in diff.ops:
        tag = tags.get(op.kind)
        out.append(f"<{tag}>{escape(op.text)}</{tag}>" if tag else escape(op.text))
    return "".join(out)
