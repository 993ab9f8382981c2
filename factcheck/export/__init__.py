"""Export a project in formats other tools read, and import Web Annotations back.

Every exporter is a pure function ``Project -> str``; callers write the text as UTF-8
bytes unchanged (the CSV text starts with a byte-order mark and uses ``\\r\\n`` line
ends: write it with ``newline=""`` or as bytes, never through newline translation).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from ..gcpause import without_gc_pauses
from ..models import Project
from ..projectfile import dumps_project
from .claimreview import claimreview_export, export_claimreview
from .common import ExportError, exported_orphans
from .csv_export import export_csv
from .report import export_html
from .report_markdown import export_markdown
from .webannotation import export_web_annotations
from .webannotation_import import ImportResult, import_web_annotations

Exporter = Callable[[Project], str]

#: name -> (exporter, default file suffix, one-line description)
EXPORT_FORMATS: dict[str, tuple[Exporter, str, str]] = {
    "json": (
        without_gc_pauses(dumps_project),
        ".factcheck.json",
        "factcheck project file (native JSON)",
    ),
    "webannotation": (
        without_gc_pauses(export_web_annotations),
        ".jsonld",
        "W3C Web Annotation collection (JSON-LD): verdicts, notes, tags, links",
    ),
    "claimreview": (
        without_gc_pauses(export_claimreview),
        ".claimreview.jsonld",
        "schema.org ClaimReview (JSON-LD) for supported/contested claims",
    ),
    "csv": (
        without_gc_pauses(export_csv),
        ".csv",
        "spreadsheet, one row per claim (UTF-8 with BOM)",
    ),
    "html": (without_gc_pauses(export_html), ".html", "self-contained printable HTML report"),
    "markdown": (without_gc_pauses(export_markdown), ".md", "Markdown report"),
}


@dataclass(frozen=True)
class ExportOutcome:
    """An export's text, and one line on what it holds for the user."""

    text: str
    #: "12 claim reviews; 3 opinion claims skipped (not fact-checkable)", "csv export".
    summary: str


def export_summarised(project: Project, fmt: str) -> ExportOutcome:
    """:func:`export_project`, with what went in and what was left out said in a line."""
    if fmt == "claimreview":
        result = claimreview_export(project)
        summary = (
            f"{result.reviews} claim reviews; {result.skipped_opinions} opinion claims "
            "skipped (not fact-checkable)"
        )
        if result.skipped_changed:
            summary += (
                f"; {result.skipped_changed} verdicts changed since reviewed skipped "
                "(re-confirm them first)"
            )
        if result.skipped_orphans:
            summary += (
                f"; {result.skipped_orphans} orphaned verdicts skipped (their sentence is "
                "no longer in the article)"
            )
        return ExportOutcome(result.text, summary)
    text = export_project(project, fmt)
    summary = f"{fmt} export"
    orphans = len(exported_orphans(project))
    if orphans and fmt != "json":
        summary += f" (with {orphans} orphaned notes and links)"
    return ExportOutcome(text, summary)


def export_project(project: Project, fmt: str) -> str:
    """The project in format ``fmt`` (a key of :data:`EXPORT_FORMATS`)."""
    try:
        exporter = EXPORT_FORMATS[fmt][0]
    except KeyError:
        known = ", ".join(EXPORT_FORMATS)
        raise ExportError(f"unknown export format {fmt!r} (known: {known})") from None
    return exporter(project)


__all__ = [
    "EXPORT_FORMATS",
    "ExportError",
    "ExportOutcome",
    "Exporter",
    "ImportResult",
    "claimreview_export",
    "export_claimreview",
    "export_csv",
    "export_html",
    "export_markdown",
    "export_project",
    "export_summarised",
    "export_web_annotations",
    "import_web_annotations",
]
