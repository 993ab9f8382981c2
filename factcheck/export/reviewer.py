"""Checks of a reviewer name and URL a user gives (``factcheck set-reviewer``, ``export``).

ClaimReview export names the reviewer: an ``Organization`` with the URL of the page
that publishes the reviews (:mod:`.claimreview`). Each check returns the problem as
text for the caller to prefix with the field or option, or ``None`` when the value
is fine. The length limits are the project file's (``schemas/project-v1.json``), so
a name or URL that passes is always saved and loaded again.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from .common import web_uri

MAX_NAME_CHARS = 500
MAX_URL_CHARS = 2000


def reviewer_name_problem(name: str) -> str | None:
    """Why ``name`` (stripped) cannot name the reviewer, or None."""
    name = name.strip()
    if not name:
        return "is empty: give the name of whoever publishes the fact checks"
    return _text_problem(name, MAX_NAME_CHARS)


def reviewer_url_problem(url: str) -> str | None:
    """Why ``url`` (stripped) is not an http(s) URL with a host, or None."""
    url = url.strip()
    if not url:
        return "is empty: give the http(s) URL of the page that publishes the fact checks"
    problem = _text_problem(url, MAX_URL_CHARS)
    if problem is not None:
        return problem
    if web_uri(url) is None:
        return f"not an http(s) URL: {url!r} (e.g. https://example.org/fact-checks/)"
    try:
        parts = urlsplit(url)
        host = parts.hostname
        parts.port  # noqa: B018 - raises ValueError for a port that is not a number
    except ValueError:
        return f"not a valid URL (host or port): {url!r}"
    if not host:
        return f"has no host name: {url!r} (e.g. https://example.org/fact-checks/)"
    return None


def _text_problem(text: str, limit: int) -> str | None:
    if len(text) > limit:
        return f"too long ({len(text):,} characters; the limit is {limit:,})"
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return "is not valid text (it holds bytes that are not UTF-8)"
    return None
