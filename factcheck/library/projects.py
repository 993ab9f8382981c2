"""Library entries from a project's reviewed claims (what "Add to library" adds)."""

from __future__ import annotations

from ..export.common import index_project
from ..models import Annotation, Article, Claim, Project, TextAnchor, Verdict
from .entry import LibraryEntry


def entry_for_claim(
    project: Project, claim: Claim, annotation: Annotation | None, *, added_by: str = ""
) -> LibraryEntry:
    """The library entry of one claim of ``project`` with its review (if any)."""
    article: Article = project.article_a if claim.article_id == "a" else project.article_b
    meta = article.metadata
    review = annotation or Annotation(claim.id, claim.article_id, TextAnchor(0, 0, ""))
    return LibraryEntry(
        text=claim.text,
        verdict=review.verdict,
        note=review.note,
        evidence=review.evidence,
        tags=review.tags,
        reviewer=project.settings.reviewer.name,
        review_date=(review.modified or review.created or project.modified)[:10],
        source_title=article.title,
        source_outlet=meta.site_name or "",
        source_url=meta.url or "",
        source_date=meta.date or "",
        project=project.name,
        added_by=added_by,
    )


def reviewed_entries(project: Project, *, added_by: str = "") -> list[LibraryEntry]:
    """An entry for every claim of ``project`` with a verdict, in claim order."""
    index = index_project(project)
    return [
        entry_for_claim(project, claim, index.annotations[claim.id], added_by=added_by)
        for claim in index.annotated_claims()
        if index.annotations[claim.id].verdict is not Verdict.UNREVIEWED
    ]
