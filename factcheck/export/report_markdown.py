"""The report as Markdown (CommonMark + GitHub tables and ``~~strikethrough~~``).

Same content as the HTML report, the verdict chart included (:func:`chart_image`).
Article and user text is escaped so that it renders as written: inline markup
characters (``\\ ` * _ [ ] < > & | ~``) always get a backslash, block markers (``#``,
``-``, ``+``, ``=``, ``>``, ``1.``) at the start of a line too, and leading spaces are
dropped so nothing turns into a code block. In word
diffs, words only in A are ``~~struck~~`` and words only in B are ``**bold**``.
Markdown cannot isolate the direction of a piece of text, so bidi embeddings,
overrides and isolates (U+202E…) are written visibly as ``<U+202E>``. Evidence becomes
a link only when it is an absolute http(s) URL, and its text is then the address the
link opens (host in punycode, path percent-encoded), never a look-alike of it.
"""

from __future__ import annotations

import base64
import re
from collections.abc import Iterator

from ..claimref import claim_label
from ..models import Annotation, Article, Orphan, Project, Verdict
from ..worddiff import DiffKind, WordDiff
from .changes import ChangedClaim
from .common import show_bidi_controls, web_uri
from .report import verdict_chart
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

#: Inline markup characters, each escaped with a backslash.
_INLINE = str.maketrans({c: "\\" + c for c in "\\`*_[]<>&|~"})
_INLINE_RE = re.compile(r"[\\`*_\[\]<>&|~]")
_BLOCK_MARKS = "#+-=>"
_ORDERED_START = re.compile(r"^(\d+)([.)])")


def escape_markdown(text: str) -> str:
    """``text`` (one line or several) as Markdown that renders exactly as ``text``."""
    lines = []
    for line in text.splitlines() or [""]:
        line = _escape_inline(line.strip())
        if line and line[0] in _BLOCK_MARKS:
            line = "\\" + line
        elif line[:1].isdigit():
            line = _ORDERED_START.sub(r"\1\\\2", line)
        lines.append(line)
    return "\n".join(lines)


def export_markdown(project: Project) -> str:
    return render_markdown(build_report(project))


def render_markdown(report: ReportData) -> str:
    out = [f"# Fact-check report: {_one_line(escape_markdown(report.title))}\n"]
    if report.project.modified:
        out.append(f"Last changed {escape_markdown(report.project.modified)}\n")
    out.append("## Sources\n")
    for section in report.sections:
        out.append(_source(section.label, section.article))
    out.append("## Verdicts\n")
    labels = " | ".join(s.label for s in report.sections)
    out.append(f"| Verdict | {labels} | Total |\n|---|---:|---:|---:|")
    a, b = (s.article.id for s in report.sections)
    for v in VERDICT_ORDER:
        counts = report.counts
        out.append(
            f"| {VERDICT_LABELS[v]} | {counts[a][v]} | {counts[b][v]} | {counts['total'][v]} |"
        )
    out.append("")
    out.append(chart_image(report.counts["total"]) + "\n")
    if report.changed:
        out.append(_changed(report.changed))
    for section in report.sections:
        out.append(_section(section))
    if report.other_links:
        out.append("## Other confirmed links\n")
        for entry in report.other_links:
            label = claim_label(entry.a_claim.id)
            out.append(f"- {_quote_inline(entry.a_claim.text)} ({label}) — ")
            out.append(_linked_body(entry.linked, indent="  "))
        out.append("")
    if report.orphans:
        out.append(_orphans(report.orphans))
    return "\n".join(out).rstrip("\n") + "\n"


def chart_image(counts: dict[Verdict, int]) -> str:
    """The HTML report's verdict chart as a Markdown image with a ``data:`` URI.

    Nothing is fetched. Renderers that refuse ``data:`` images (GitHub does) show the
    alternative text instead, which carries the same counts.
    """
    svg = base64.b64encode(verdict_chart(counts).encode("utf-8")).decode("ascii")
    alt = ", ".join(f"{VERDICT_LABELS[v]} {counts[v]}" for v in VERDICT_ORDER)
    return f"![Verdict counts: {alt}](data:image/svg+xml;base64,{svg})"


def _source(label: str, article: Article) -> str:
    title = escape_markdown(article.title) if article.title else "(untitled)"
    lines = [f"### {label}: {_one_line(title)}\n"]
    lines += [f"- {k}: {_one_line(escape_markdown(v))}" for k, v in source_rows(article)]
    lines.append(f"- SHA-256: `{article.hash}`\n")
    return "\n".join(lines)


def _section(section: ArticleSection) -> str:
    out = [
        f"## {section.label}: reviewed claims\n",
        f"{len(section.entries)} of {section.claim_count} claims reviewed; "
        f"{section.unreviewed} not reviewed.\n",
    ]
    out.extend(_claim(entry) for entry in section.entries)
    return "\n".join(out)


def _claim(entry: ClaimEntry) -> str:
    a = entry.annotation
    mark = " — Δ changed since reviewed" if entry.changed else ""
    out = [
        f"### {claim_label(entry.claim.id)} — {VERDICT_LABELS[a.verdict]} "
        f"({entry.claim.kind.value}){mark}\n",
        _blockquote(entry.claim.text) + "\n",
    ]
    out.extend(_annotation_body(a))
    if entry.linked:
        items = "\n".join("- " + _linked_body(x, indent="  ") for x in entry.linked)
        out.append("Linked claims:\n\n" + items + "\n")
    return "\n".join(out)


def _annotation_body(a: Annotation) -> Iterator[str]:
    """The note, tags and evidence of ``a``."""
    if a.note:
        yield "Note:\n\n" + _blockquote(a.note) + "\n"
    if a.tags:
        yield "Tags: " + ", ".join(_one_line(escape_markdown(t)) for t in a.tags) + "\n"
    if a.evidence:
        yield "Evidence:\n\n" + "\n".join(f"- {_evidence(x)}" for x in a.evidence) + "\n"


def _changed(changed: tuple[ChangedClaim, ...]) -> str:
    out = [
        "## Changed since reviewed\n",
        f"{len(changed)} verdicts or links were made on text that an update of the article "
        "has changed since; they wait for the reviewer to re-confirm them. "
        "~~Struck~~: the text as reviewed; **bold**: the text now.\n",
    ]
    for item in changed:
        facts = _facts(item.diff)
        line = f"- {item.label} ({escape_markdown(item.what)}): {diff_markdown(item.diff)}"
        out.append(line + (f"\\\n  {facts}" if facts else ""))
    out.append("")
    return "\n".join(out)


def _facts(diff: WordDiff) -> str:
    if not diff.differences:
        return ""
    return "Differences: " + "; ".join(
        f"{d.kind.value}: {_one_line(escape_markdown(d.a_text or '—'))} → "
        f"{_one_line(escape_markdown(d.b_text or '—'))}"
        for d in diff.differences
    )


def _orphans(orphans: tuple[Orphan, ...]) -> str:
    out = [
        "## Orphaned notes and links\n",
        f"{len(orphans)} could not be placed on the current text of the articles (an update "
        "removed their sentence); the project keeps them.\n",
    ]
    for orphan in orphans:
        reason = _one_line(escape_markdown(orphan.reason))
        where = f"{article_label(orphan.article_id)}, orphaned: {reason}"
        if orphan.annotation is not None:
            a = orphan.annotation
            out.append(f"### {VERDICT_LABELS[a.verdict]} ({where})\n")
            out.append(_blockquote(orphan.anchor.exact) + "\n")
            out.extend(_annotation_body(a))
        elif orphan.link is not None:
            link = orphan.link
            out.append(f"### {link_state_label(link).capitalize()} ({where})\n")
            a_quote, b_quote = (
                _quote_inline(link.a_anchor.exact),
                _quote_inline(link.b_anchor.exact),
            )
            out.append(f"{a_quote} (A) ↔ {b_quote} (B)\n")
    return "\n".join(out)


def _blockquote(text: str) -> str:
    # A trailing backslash is a hard line break: the note keeps its lines.
    lines = escape_markdown(text).split("\n")
    return "\n".join(
        "> " + line + ("\\" if line and i < len(lines) - 1 and lines[i + 1] else "")
        if line
        else ">"
        for i, line in enumerate(lines)
    )


def _quote_inline(text: str) -> str:
    return "“" + _one_line(escape_markdown(text)) + "”"


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _evidence(value: str) -> str:
    uri = web_uri(value)
    if uri is not None:  # the text is the destination: what is read is what opens
        return f"[{escape_markdown(uri)}](<{uri}>)"
    return _one_line(escape_markdown(value))


def _linked_body(linked: LinkedClaim, *, indent: str) -> str:
    label = claim_label(linked.claim.id)
    line = (
        f"{_quote_inline(linked.claim.text)} ({label}, {linked.description})\\\n"
        f"{indent}A → B: {diff_markdown(linked.diff)}"
    )
    facts = _facts(linked.diff)
    if facts:
        line += f"\\\n{indent}{facts}"
    return line


def diff_markdown(diff: WordDiff) -> str:
    """Words only in A as ``~~deleted~~``, only in B as ``**inserted**``."""
    marks = {DiffKind.DELETE: "~~", DiffKind.INSERT: "**"}
    out = []
    for op in diff.ops:
        text = op.text
        mark = marks.get(op.kind)
        core = text.strip()
        if mark is None or not core:
            out.append(_escape_inline(text))
            continue
        # Emphasis must not start or end with white space: keep it outside the marks.
        lead = text[: len(text) - len(text.lstrip())]
        trail = text[len(text.rstrip()) :]
        out.append(f"{lead}{mark}{_escape_inline(core)}{mark}{trail}")
    return _one_line("".join(out))


def _escape_inline(text: str) -> str:
    text = show_bidi_controls(text)
    # Most text holds none: a search is three times faster than translating it.
    return text.translate(_INLINE) if _INLINE_RE.search(text) else text
