"""The values of the claim library: a reviewed claim with its source, and a prior check found
for a claim being reviewed now."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from ..matching.normalize import normalize_text
from ..models import Verdict


@dataclass(frozen=True)
class LibraryEntry:
    """One reviewed claim as the library keeps it.

    ``verdict`` is factcheck's own scale; ``rating`` keeps a publisher's rating text as
    it was published ("Mostly false", "Pants on fire") when the entry was imported from
    ClaimReview markup. Dates are ISO 8601 strings ("" when not known); ``added_by`` and
    ``added_at`` say who put the entry in the library first and when (re-adding the same
    claim from the same source updates the rest, never these two).
    """

    text: str
    verdict: Verdict = Verdict.UNREVIEWED
    rating: str = ""
    note: str = ""
    evidence: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    reviewer: str = ""
    review_date: str = ""
    source_title: str = ""
    source_outlet: str = ""
    source_url: str = ""
    source_date: str = ""
    project: str = ""
    added_by: str = ""
    added_at: str = ""

    @property
    def verdict_label(self) -> str:
        """What to show: the publisher's rating where kept, else factcheck's verdict."""
        return self.rating or self.verdict.value

    @property
    def key(self) -> str:
        """The natural key: the same claim (normalised text) from the same source."""
        return entry_key(self.text, source_identity(self))


def source_identity(entry: LibraryEntry) -> str:
    """The source article as the key sees it: its URL, else its title and outlet."""
    if entry.source_url.strip():
        return "url:" + entry.source_url.strip()
    return "article:" + normalize_text(f"{entry.source_title} \x1f {entry.source_outlet}")


def entry_key(text: str, source: str) -> str:
    return norm_key(normalize_text(text), source)


def norm_key(norm: str, source: str) -> str:
    """:func:`entry_key` of an already normalised text."""
    digest = hashlib.sha256(f"{norm}\x1f{source}".encode("utf-8", "surrogatepass"))
    return digest.hexdigest()


@dataclass(frozen=True)
class PriorCheck:
    """A library entry found for a claim, with how sure the match is (0–100, best first)."""

    entry: LibraryEntry
    score: float


@dataclass(frozen=True)
class AddResult:
    """What adding entries did: new entries, and existing ones (same key) updated."""

    added: int
    updated: int
