"""Export reviewed claims as schema.org ``ClaimReview`` (JSON-LD), as fact-check
publishers mark up their pages and search engines and the Fact Check Explorer read them.

The output is a JSON array of ``ClaimReview`` objects, one per claim whose verdict is
*supported* or *contested*. Opinions are not fact-checkable: they are skipped and
counted (:func:`claimreview_export` returns the count); unreviewed claims are left out,
and so are orphaned verdicts (an update removed their sentence from the article, so
the article no longer makes the claim): counted too. Publishers paste the array into
a ``<script type="application/ld+json">`` element, so ``<``, ``>`` and ``&`` in strings
are written as ``\\u`` escapes (:func:`factcheck.jsonlayout.script_safe`).

Rating scale (``reviewRating``): ``worstRating`` 1, ``bestRating`` 5;

* ``contested`` → ``ratingValue`` 1, ``alternateName`` "Contested" (the claim is
  disputed by the evidence: the "False" end of the scale);
* ``supported`` → ``ratingValue`` 5, ``alternateName`` "Supported" (the "True" end).

2–4 are unused: factcheck makes no finer verdicts.

Fields, following Google's fact-check markup guidelines:

* ``claimReviewed``: the reviewer's own summary when they wrote one (stored with the
  annotation: ``Annotation.summary``), else the claim's text without verdict words,
  under 75 characters, cut at a word boundary with "…".
* ``url``: the reviewer's page (``settings.reviewer.url``) with a unique fragment per
  claim, named as people see it (``#claim-A18``), since one page carries many reviews.
* ``author``: an ``Organization`` named ``settings.reviewer.name`` with that URL.
* ``datePublished``: the day the annotation was last changed.
* ``itemReviewed``: a ``Claim``; its ``appearance`` is a ``CreativeWork`` with the
  article's URL, title and date where stated, and its ``author`` the article's stated
  author (an ``Organization`` when it is the site's name, else a ``Person``); its
  ``datePublished`` is the article's date. ``firstAppearance`` is filled when it is
  known: the claim is linked (confirmed or by hand) to a claim of the other article
  and both articles state their dates; it is the earlier article. Nothing the
  articles do not state is filled in (``factcheck set-article`` and Article ▸
  Details… set URL, date, author, outlet and title).

Claims "changed since reviewed" (an update of the article put the verdict on text
that differs from the text it was given on) are left out and counted, like orphans:
a review must not be published for text nobody checked. Re-confirming them in the
app (or giving a new verdict) puts them back.

A missing or non-web reviewer name or URL raises :class:`ExportError` naming the
setting: a ClaimReview without them is invalid.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from ..claim_summary import SUMMARY_LIMIT as SUMMARY_LIMIT
from ..claim_summary import claim_summary
from ..claimref import claim_anchor
from ..jsonlayout import dumps_outline, script_safe
from ..models import Annotation, Article, Claim, Project, Verdict
from ..timeutil import utc_now
from .common import ExportError, ProjectIndex, index_project, web_uri
from .reviewer import reviewer_url_problem

WORST, BEST = 1, 5
RATINGS: dict[Verdict, tuple[int, str]] = {
    Verdict.CONTESTED: (1, "Contested"),
    Verdict.SUPPORTED: (5, "Supported"),
}
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}")


@dataclass(frozen=True)
class ClaimReviewExport:
    """The exported text and what went into it, for the caller to report."""

    text: str
    reviews: int
    #: Claims marked *opinion*: not fact-checkable, so not exported.
    skipped_opinions: int
    #: Orphaned supported/contested verdicts: their sentence is gone from the article.
    skipped_orphans: int = 0
    #: Supported/contested verdicts on text changed since they were given.
    skipped_changed: int = 0


def export_claimreview(project: Project) -> str:
    return claimreview_export(project).text


def claimreview_export(project: Project) -> ClaimReviewExport:
    reviews, skipped = claim_reviews(project)
    text = script_safe(dumps_outline(reviews, levels=1))  # one review per line
    orphans = sum(
        1 for o in project.orphans if o.annotation is not None and o.annotation.verdict in RATINGS
    )
    changed = sum(1 for a in project.annotations if a.changed is not None and a.verdict in RATINGS)
    return ClaimReviewExport(
        text=text,
        reviews=len(reviews),
        skipped_opinions=skipped,
        skipped_orphans=orphans,
        skipped_changed=changed,
    )


def claim_reviews(project: Project) -> tuple[list[dict[str, Any]], int]:
    """The ``ClaimReview`` objects and the number of opinion claims skipped (changed
    verdicts are left out: :func:`claimreview_export` counts them)."""
    reviewer = project.settings.reviewer
    name, url = reviewer.name.strip(), reviewer.url.strip()
    if not name:
        raise ExportError(
            "settings.reviewer.name is empty: ClaimReview needs the reviewer's name (author)"
        )
    if not url:
        raise ExportError(
            "settings.reviewer.url is empty: ClaimReview needs the URL of the page that "
            "publishes the fact check (url, author.url)"
        )
    problem = reviewer_url_problem(url)
    page = web_uri(url)
    if problem is not None or page is None:
        raise ExportError(f"settings.reviewer.url: {problem or 'not an http(s) URL'}")
    url = page
    index = index_project(project)
    author = {"@type": "Organization", "name": name, "url": url}
    reviews: list[dict[str, Any]] = []
    skipped = 0
    for claim in index.all_claims():
        annotation = index.annotations.get(claim.id)
        if annotation is None:
            continue
        if annotation.verdict is Verdict.OPINION:
            skipped += 1
        elif annotation.verdict in RATINGS and annotation.changed is None:
            reviews.append(_review(index, claim, annotation, author, url))
    return reviews, skipped


def _review(
    index: ProjectIndex,
    claim: Claim,
    annotation: Annotation,
    author: dict[str, Any],
    url: str,
) -> dict[str, Any]:
    value, word = RATINGS[annotation.verdict]
    article = index.article(claim.article_id)
    summary = annotation.summary or claim_summary(claim.text) or _fallback_summary(article)
    item = _claim_item(article)
    first = _first_appearance(index, claim, article)
    if first is not None:
        item["firstAppearance"] = first
    return {
        "@context": "https://schema.org",
        "@type": "ClaimReview",
        "url": _with_fragment(url, claim_anchor(claim.id)),
        "claimReviewed": summary,
        "author": author,
        "datePublished": _published(annotation, index.project),
        "itemReviewed": item,
        "reviewRating": {
            "@type": "Rating",
            "ratingValue": value,
            "bestRating": BEST,
            "worstRating": WORST,
            "alternateName": word,
        },
    }


def _fallback_summary(article: Article) -> str:
    return claim_summary(f"A claim in {article.title}" if article.title else "A claim")


def _first_appearance(index: ProjectIndex, claim: Claim, article: Article) -> dict[str, Any] | None:
    """The earlier of the two articles, when the claim is linked to the other one and
    both state their dates (else None: where a claim first appeared is not known)."""
    links = index.links_of.get(claim.id, ())
    if not links or not _dated(article):
        return None
    other = index.article("b" if claim.article_id == "a" else "a")
    if not _dated(other):
        return None
    first = other if (other.metadata.date or "") < (article.metadata.date or "") else article
    return _appearance(first)


def _dated(article: Article) -> bool:
    return bool(article.metadata.date and _DATE.match(article.metadata.date))


def _claim_item(article: Article) -> dict[str, Any]:
    meta = article.metadata
    item: dict[str, Any] = {"@type": "Claim"}
    person = _author(article)
    if person is not None:
        item["author"] = person
    if meta.date and _DATE.match(meta.date):
        item["datePublished"] = meta.date
    appearance = _appearance(article)
    if len(appearance) > 1:
        item["appearance"] = appearance
    return item


def _appearance(article: Article) -> dict[str, Any]:
    """The article as a ``CreativeWork``: what it states of its URL, title, date,
    author and outlet."""
    meta = article.metadata
    person = _author(article)
    appearance: dict[str, Any] = {"@type": "CreativeWork"}
    url = web_uri(meta.url or "")
    if url is not None:
        appearance["url"] = url
    if article.title:
        appearance["headline"] = article.title
    if _dated(article):
        appearance["datePublished"] = meta.date
    if person is not None:
        appearance["author"] = person
    if meta.site_name:
        appearance["publisher"] = {"@type": "Organization", "name": meta.site_name}
    return appearance


def _author(article: Article) -> dict[str, Any] | None:
    author = (article.metadata.author or "").strip()
    if not author:
        return None
    kind = "Organization" if author == (article.metadata.site_name or "").strip() else "Person"
    return {"@type": kind, "name": author}


def _published(annotation: Annotation, project: Project) -> str:
    for stamp in (annotation.modified, annotation.created, project.modified):
        if _DATE.match(stamp):
            return stamp[:10]
    return utc_now()[:10]


def _with_fragment(url: str, fragment: str) -> str:
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, parts.path or "/", parts.query, fragment))
