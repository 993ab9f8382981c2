"""The one storage interface of the claim library, and what both back ends share.

A back end stores entries under their natural key (:attr:`LibraryEntry.key`), keeps the
document frequency of every normalised word (so that a lookup weighs words by the same
IDF as the in-memory matcher, over the whole library), and lists the entries holding a
word from its own full-text index. Choosing and ranking candidates is not its business:
:mod:`factcheck.library.lookup` does that, with the matcher's scorer.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Collection, Iterable, Iterator, Mapping, Sequence
from itertools import chain
from typing import Protocol

from ..errors import FactcheckError
from ..matching.normalize import normalize_text
from ..models import Verdict
from ..timeutil import utc_now
from .entry import AddResult, LibraryEntry, norm_key, source_identity

#: The newest schema this version of factcheck reads and writes (see the migrations
#: of each back end). A library with a higher version is refused, never touched.
SCHEMA_VERSION = 3

#: The row of the word-count table that holds the number of entries (no word is empty):
#: kept by the same deltas as the words, so a lookup never counts a million rows.
COUNT_WORD = ""

#: Columns of an entry row, in the order :func:`entry_row` gives them.
COLUMNS = (
    "key",
    "text",
    "norm",
    "verdict",
    "rating",
    "note",
    "evidence",
    "tags",
    "reviewer",
    "review_date",
    "source_title",
    "source_outlet",
    "source_url",
    "source_date",
    "project",
    "added_by",
    "added_at",
    "updated_at",
)
#: Columns a re-add replaces (who added the entry first, and when, stay).
UPDATED_COLUMNS = tuple(c for c in COLUMNS if c not in ("key", "added_by", "added_at"))
#: Columns that make a :class:`LibraryEntry` back, in the order :func:`row_entry` reads.
ENTRY_COLUMNS = tuple(c for c in COLUMNS if c not in ("key", "norm", "updated_at"))

Row = tuple[str, ...]


class LibraryError(FactcheckError):
    """The library cannot be opened, read or written; nothing was changed.

    ``str(error)`` is ``"<library>: <problem>"`` (a server URL without its password).
    """

    def __init__(self, location: str, problem: str) -> None:
        super().__init__(f"{location}: {problem}")
        self.location = location
        self.problem = problem


class LibraryBackend(Protocol):
    """What the library needs of a database. Every method is one transaction."""

    #: Where the library is, for messages (never with a password).
    location: str
    #: Times a write found the database busy (locked by another writer) and was retried.
    busy_retries: int

    def add_many(self, rows: Sequence[Row]) -> AddResult:
        """Insert or update rows of :func:`entry_row` (unique keys), all or nothing."""
        ...

    def frequencies(self, words: Collection[str]) -> tuple[dict[str, int], int]:
        """How many entries hold each word (absent: 0), and the number of entries."""
        ...

    def settle(self) -> None:
        """After a bulk add: bring the full-text index and the planner's statistics up to
        date (one merge, not one per batch)."""
        ...

    def set_embeddings(self, items: Sequence[tuple[str, str, bytes]]) -> int:
        """Store (key, normalised text, embedding) where the entry still has that text;
        how many were stored (an entry re-added with another text since is left)."""
        ...

    def unembedded(self, after: int, limit: int) -> list[tuple[int, str, str, str]]:
        """(id, key, text, normalised text) of up to ``limit`` entries past id ``after`` with
        no embedding, by id."""
        ...

    def embeddings(self, ids: Collection[int]) -> dict[int, bytes]:
        """The stored embeddings of these entries (those without one are left out)."""
        ...

    def embedding_chunk(self, after: int, limit: int) -> list[tuple[int, bytes]]:
        """Up to ``limit`` (id, embedding) of embedded entries past id ``after``, by id."""
        ...

    def embedded_count(self) -> int:
        """How many entries have an embedding."""
        ...

    def embedding_model(self) -> str:
        """The model the stored embeddings were made by (see
        :func:`factcheck.matching.encoder.model_id`); "" when none is recorded."""
        ...

    def set_embedding_model(self, model: str, *, clear: bool) -> None:
        """Record ``model`` as the stored embeddings' model; ``clear``: drop every stored
        embedding in the same transaction (they were made by another model)."""
        ...

    def neighbours(self, vectors: Sequence[bytes], width: int) -> list[list[int]] | None:
        """The ``width`` nearest embedded entries of each vector by the server's own
        vector index (pgvector), or None when the server has none (the caller scans)."""
        ...

    def postings(self, words: Collection[str]) -> dict[str, list[int]]:
        """The ids of the entries holding each word (its full-text index's posting list)."""
        ...

    def texts(self, ids: Collection[int]) -> dict[int, tuple[str, str]]:
        """The text and normalised text of entries, by id."""
        ...

    def fetch(self, ids: Collection[int]) -> dict[int, LibraryEntry]:
        """Entries by id."""
        ...

    def by_keys(self, keys: Collection[str]) -> dict[str, LibraryEntry]:
        """The entries stored under these natural keys (absent ones are left out)."""
        ...

    def remove(self, keys: Collection[str]) -> int:
        """Delete the entries of these keys (their word counts too); how many there were."""
        ...

    def iter_entries(self) -> Iterator[LibraryEntry]:
        """Every entry, oldest first."""
        ...

    def count(self) -> int: ...

    def close(self) -> None: ...


def entry_row(entry: LibraryEntry, now: str | None = None) -> Row:
    """``entry`` as a row of :data:`COLUMNS`; ``added_at`` defaults to now."""
    stamp = now or utc_now()
    norm = normalize_text(entry.text)  # once: the key is of the normalised text too
    return (
        norm_key(norm, source_identity(entry)),
        entry.text,
        norm,
        entry.verdict.value,
        entry.rating,
        entry.note,
        _json_text(entry.evidence),
        _json_text(entry.tags),
        entry.reviewer,
        entry.review_date,
        entry.source_title,
        entry.source_outlet,
        entry.source_url,
        entry.source_date,
        entry.project,
        entry.added_by,
        entry.added_at or stamp,
        stamp,
    )


def unique_rows(entries: Iterable[LibraryEntry], now: str | None = None) -> list[Row]:
    """Rows of ``entries``, one per key (the last one given wins, in its place)."""
    stamp = now or utc_now()
    by_key: dict[str, Row] = {}
    for row in (entry_row(e, stamp) for e in entries):
        by_key.pop(row[0], None)
        by_key[row[0]] = row
    return list(by_key.values())


def row_entry(values: Sequence[object]) -> LibraryEntry:
    """A :class:`LibraryEntry` from the values of :data:`ENTRY_COLUMNS`."""
    v = [("" if x is None else str(x)) for x in values]
    try:
        verdict = Verdict(v[1])
    except ValueError:
        verdict = Verdict.UNREVIEWED
    return LibraryEntry(
        text=v[0],
        verdict=verdict,
        rating=v[2],
        note=v[3],
        evidence=tuple(_json_list(v[4])),
        tags=tuple(_json_list(v[5])),
        reviewer=v[6],
        review_date=v[7],
        source_title=v[8],
        source_outlet=v[9],
        source_url=v[10],
        source_date=v[11],
        project=v[12],
        added_by=v[13],
        added_at=v[14],
    )


def _json_text(items: tuple[str, ...]) -> str:
    return json.dumps(list(items), ensure_ascii=False) if items else "[]"


def _json_list(text: str) -> list[str]:
    try:
        value = json.loads(text) if text else []
    except ValueError:
        return []
    return [str(x) for x in value] if isinstance(value, list) else []


def term_deltas(old_norms: Iterable[str], new_norms: Iterable[str]) -> dict[str, int]:
    """Change of each word's document frequency when entries go from old to new texts
    (and of the entry count, under :data:`COUNT_WORD`)."""
    new = [set(norm.split()) for norm in new_norms]
    old = [set(norm.split()) for norm in old_norms]
    delta = Counter(chain.from_iterable(new))  # counted in C: a bulk add's hot loop
    delta.subtract(chain.from_iterable(old))
    delta[COUNT_WORD] += len(new) - len(old)
    return {word: n for word, n in sorted(delta.items()) if n}


def new_and_old(rows: Sequence[Row], old: Mapping[str, str]) -> tuple[dict[str, int], AddResult]:
    """The term deltas and counts of adding ``rows`` where ``old`` maps existing keys to norms."""
    deltas = term_deltas(old.values(), (r[2] for r in rows))
    updated = sum(1 for r in rows if r[0] in old)
    return deltas, AddResult(added=len(rows) - updated, updated=updated)
