"""The library in and out: schema.org ClaimReview (JSON-LD) both ways, and CSV out.

Import reads the project's own ClaimReview export and other publishers' markup: a
single object, a list, or an ``@graph``; per review ``claimReviewed`` (required),
``reviewRating`` (its ``alternateName`` is kept as the publisher's rating text, and
mapped to factcheck's verdicts: see :func:`verdict_of`), ``itemReviewed`` (the claim's
``appearance``/``firstAppearance``: the source article's URL, headline, date and
publisher; its ``author``: who made the claim), ``url`` (the fact-check page, kept as
evidence), ``author`` (the fact-checker), ``datePublished`` and ``reviewBody``. A file
that is not JSON, holds no ClaimReview, or a review without a claim is an error naming
the file and the place, and nothing is added.

Export writes a JSON array of ClaimReview objects, one per entry with a verdict or a
rating (``claimReviewed`` keeps the whole claim text: a library is exchanged to be
matched again; ``<``, ``>`` and ``&`` escaped for a page's ``<script>`` as the project's
ClaimReview export does), and CSV with the project exports' encoding and formula
neutralising.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable
from typing import Any

from ..export.claimreview import BEST, RATINGS, WORST
from ..export.common import ExportError, web_uri
from ..export.csv_export import BOM, neutralise
from ..jsonlayout import dumps_outline, script_safe
from ..models import Verdict
from .entry import LibraryEntry

_SUPPORTED_WORDS = ("supported", "true", "correct", "accurate", "verified")
_CONTESTED_WORDS = (
    "contested", "false", "fake", "incorrect", "inaccurate", "misleading", "pants on fire",
    "wrong", "fabricated", "unsupported", "hoax", "debunked",
)  # fmt: skip
CSV_COLUMNS = (
    "text", "verdict", "rating", "note", "evidence", "tags", "reviewer", "review_date",
    "source_title", "source_outlet", "source_url", "source_date", "project", "added_by",
    "added_at",
)  # fmt: skip


def verdict_of(rating: dict[str, Any]) -> Verdict:
    """factcheck's verdict for a publisher's rating: by its words, else by its value on
    its scale (top quarter supported, bottom quarter contested), else unreviewed."""
    name = _text(rating.get("alternateName")).lower()
    if any(word in name for word in _CONTESTED_WORDS):
        return Verdict.CONTESTED
    if any(word in name for word in _SUPPORTED_WORDS) and "half" not in name:
        return Verdict.SUPPORTED
    try:
        value = float(rating["ratingValue"])
        best = float(rating.get("bestRating", 5))
        worst = float(rating.get("worstRating", 1))
    except (KeyError, TypeError, ValueError):
        return Verdict.UNREVIEWED
    if best == worst:
        return Verdict.UNREVIEWED
    share = (value - worst) / (best - worst)
    if share >= 0.75:
        return Verdict.SUPPORTED
    if share <= 0.25:
        return Verdict.CONTESTED
    return Verdict.UNREVIEWED


def parse_claimreview(text: str, source: str) -> list[LibraryEntry]:
    """The entries of a ClaimReview JSON-LD document; :class:`ExportError` when malformed."""
    try:
        document = json.loads(text)
    except ValueError as exc:
        raise ExportError(f"not JSON: {exc}", source=source) from None
    items = _items(document)
    reviews = [(n, item) for n, item in enumerate(items, 1) if "ClaimReview" in _types(item)]
    if not reviews:
        raise ExportError("holds no ClaimReview (a @type ClaimReview object)", source=source)
    return [_entry(item, f"ClaimReview {n}", source) for n, item in reviews]


def _items(document: Any) -> list[Any]:
    if isinstance(document, list):
        return [x for d in document for x in _items(d)]
    if isinstance(document, dict):
        graph = document.get("@graph")
        if isinstance(graph, list):
            return [x for d in graph for x in _items(d)]
        return [document]
    return []


def _types(item: Any) -> list[str]:
    if not isinstance(item, dict):
        return []
    kind = item.get("@type", [])
    return [kind] if isinstance(kind, str) else [k for k in kind if isinstance(k, str)]


def _text(value: Any) -> str:
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)
    return ""


def _name(value: Any) -> str:
    if isinstance(value, list):
        return ", ".join(n for n in (_name(v) for v in value) if n)
    if isinstance(value, dict):
        return _text(value.get("name"))
    return _text(value)


def _first(value: Any) -> dict[str, Any]:
    if isinstance(value, list):
        value = next((v for v in value if isinstance(v, dict)), {})
    return value if isinstance(value, dict) else {}


def _entry(item: dict[str, Any], where: str, source: str) -> LibraryEntry:
    given = item.get("claimReviewed")
    claim = given.strip() if isinstance(given, str) else ""
    if not claim:
        raise ExportError(f"{where} has no claimReviewed text", source=source)
    rating = _first(item.get("reviewRating"))
    reviewed = _first(item.get("itemReviewed"))
    appearance = _first(reviewed.get("appearance")) or _first(reviewed.get("firstAppearance"))
    page = web_uri(_text(item.get("url")))
    article_url = web_uri(_text(appearance.get("url")))
    outlet = _name(appearance.get("publisher")) or _name(reviewed.get("author"))
    return LibraryEntry(
        text=claim,
        verdict=verdict_of(rating),
        rating=_text(rating.get("alternateName")),
        note=_text(item.get("reviewBody")) or _text(item.get("description")),
        evidence=(page,) if page else (),
        reviewer=_name(item.get("author")),
        review_date=_text(item.get("datePublished")),
        source_title=_text(appearance.get("headline")) or _text(appearance.get("name")),
        source_outlet=outlet,
        # Without the claim's article, the review page stands for the source.
        source_url=article_url or page or "",
        source_date=_text(appearance.get("datePublished")) or _text(reviewed.get("datePublished")),
    )


def claimreview_text(entries: Iterable[LibraryEntry]) -> tuple[str, int, int]:
    """ClaimReview JSON-LD of ``entries``, the number written and the number skipped
    (entries with neither a fact-checkable verdict nor a publisher's rating)."""
    reviews: list[dict[str, Any]] = []
    skipped = 0
    for entry in entries:
        review = _review(entry)
        if review is None:
            skipped += 1
        else:
            reviews.append(review)
    return script_safe(dumps_outline(reviews, levels=1)), len(reviews), skipped


def _review(entry: LibraryEntry) -> dict[str, Any] | None:
    if entry.verdict in RATINGS:
        value, word = RATINGS[entry.verdict]
        rating: dict[str, Any] = {
            "@type": "Rating",
            "ratingValue": value,
            "bestRating": BEST,
            "worstRating": WORST,
            "alternateName": entry.rating or word,
        }
    elif entry.rating:
        rating = {"@type": "Rating", "alternateName": entry.rating}
    else:
        return None
    review: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "ClaimReview",
        "claimReviewed": entry.text,
        "reviewRating": rating,
    }
    pages = [u for u in (web_uri(e) for e in entry.evidence) if u]
    if pages:
        review["url"] = pages[0]
    if entry.reviewer:
        review["author"] = {"@type": "Organization", "name": entry.reviewer}
    if entry.review_date:
        review["datePublished"] = entry.review_date
    if entry.note:
        review["reviewBody"] = entry.note
    appearance: dict[str, Any] = {"@type": "CreativeWork"}
    article_url = web_uri(entry.source_url)
    if article_url:
        appearance["url"] = article_url
    if entry.source_title:
        appearance["headline"] = entry.source_title
    if entry.source_date:
        appearance["datePublished"] = entry.source_date
    if entry.source_outlet:
        appearance["publisher"] = {"@type": "Organization", "name": entry.source_outlet}
    item: dict[str, Any] = {"@type": "Claim"}
    if len(appearance) > 1:
        item["appearance"] = appearance
    review["itemReviewed"] = item
    return review


def csv_text(entries: Iterable[LibraryEntry]) -> tuple[str, int]:
    """CSV of ``entries`` (UTF-8 BOM, RFC 4180, formulas neutralised) and the row count."""
    out = io.StringIO()
    out.write(BOM)
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    rows = 0
    for e in entries:
        cells = [
            e.text, e.verdict.value, e.rating, e.note, "\n".join(e.evidence), "\n".join(e.tags),
            e.reviewer, e.review_date, e.source_title, e.source_outlet, e.source_url,
            e.source_date, e.project, e.added_by, e.added_at,
        ]  # fmt: skip
        writer.writerow([neutralise(c) for c in cells])
        rows += 1
    return out.getvalue(), rows
