"""An article's details as a reviewer sets them: title, URL, date, author and outlet.

ClaimReview needs them (``itemReviewed.appearance.url``, ``datePublished``,
``firstAppearance``); reports show them. ``factcheck set-article`` and the app's
Article ▸ Details… both go through :func:`with_details`, which checks every value
and says which one is wrong. An empty value clears that detail (``None``: not
stated, never guessed); the article's text, and so its claims, never change.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from .models import Article, ArticleMetadata

#: The project file's limits (schemas/project-v1.json).
MAX_TITLE_CHARS = 2000
MAX_DETAIL_CHARS = 2000
#: An ISO 8601 date, optionally with a time: what schema.org's ``datePublished`` takes.
_ISO_DATE = re.compile(
    r"^[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])"
    r"(T[0-2][0-9]:[0-5][0-9](:[0-5][0-9](\.[0-9]+)?)?(Z|[+-][0-2][0-9]:[0-5][0-9])?)?$"
)
#: Field names as the command line and the dialog call them, with what they are.
FIELDS = {
    "title": "the article's title",
    "url": "the http(s) address the article was published at",
    "date": "the publication date, YYYY-MM-DD (a time may follow: 2026-03-01T09:30Z)",
    "author": "who wrote it",
    "outlet": "the publication it appeared in (site or newspaper name)",
}


@dataclass(frozen=True)
class ArticleDetails:
    """The details of one article; ``None`` leaves a detail as it is, ``""`` clears it."""

    title: str | None = None
    url: str | None = None
    date: str | None = None
    author: str | None = None
    outlet: str | None = None

    @classmethod
    def of(cls, article: Article) -> ArticleDetails:
        m = article.metadata
        return cls(
            title=article.title,
            url=m.url or "",
            date=m.date or "",
            author=m.author or "",
            outlet=m.site_name or "",
        )


def detail_problem(name: str, value: str) -> str | None:
    """Why ``value`` (stripped) cannot be detail ``name``, or None. Empty is fine."""
    from .export.common import web_uri

    value = value.strip()
    limit = MAX_TITLE_CHARS if name == "title" else MAX_DETAIL_CHARS
    if len(value) > limit:
        return f"too long ({len(value):,} characters; the limit is {limit:,})"
    if not value:
        return None
    if any(ord(c) < 32 for c in value):
        return "holds a line break or a control character"
    if name == "url" and web_uri(value) is None:
        return f"not an http(s) address: {value!r} (e.g. https://example.org/story)"
    if name == "date" and not _ISO_DATE.match(value):
        return f"not a date as YYYY-MM-DD: {value!r} (e.g. 2026-03-01)"
    return None


def with_details(article: Article, details: ArticleDetails) -> Article:
    """``article`` with ``details`` applied. Raises ``ValueError`` naming the first
    detail that is wrong (``url: not an http(s) address: …``)."""
    given = {name: value for name in FIELDS if (value := getattr(details, name)) is not None}
    for name, value in given.items():
        problem = detail_problem(name, value)
        if problem is not None:
            raise ValueError(f"{name}: {problem}")
    values = {name: value.strip() or None for name, value in given.items()}
    m = article.metadata
    metadata = ArticleMetadata(
        author=values.get("author", m.author),
        date=values.get("date", m.date),
        url=values.get("url", m.url),
        site_name=values.get("outlet", m.site_name),
        description=m.description,
    )
    title = values.get("title", article.title) or ""
    return replace(article, title=title, metadata=metadata)
