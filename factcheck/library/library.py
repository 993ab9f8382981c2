"""The claim library: open one by URL, add reviewed claims, look claims up.

    sqlite:///path/to/library.sqlite3     the embedded default (one file, nothing to start)
    postgresql://user:password@host/db    a newsroom's shared library (factcheck[team])

Without a URL the library is ``$FACTCHECK_LIBRARY`` when set, else
``library.sqlite3`` in the user data folder (platformdirs).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from types import TracebackType

from . import vectors
from .backend import LibraryBackend, LibraryError, unique_rows
from .entry import AddResult, LibraryEntry, PriorCheck
from .lookup import SHOWN, THRESHOLD, prior_checks

ENVIRONMENT_VARIABLE = "FACTCHECK_LIBRARY"
#: Entries per transaction of a bulk add.
ADD_BATCH = 20_000
#: An add of at least this many entries ends with :meth:`LibraryBackend.settle`.
SETTLE_AFTER = 10_000


def default_library_url() -> str:
    """``$FACTCHECK_LIBRARY``, else the SQLite file in the user data folder."""
    configured = os.environ.get(ENVIRONMENT_VARIABLE, "").strip()
    if configured:
        return configured
    from platformdirs import user_data_path

    return "sqlite:///" + str(user_data_path("factcheck", appauthor=False) / "library.sqlite3")


class ClaimLibrary:
    """A library on one back end; see the module docstring. Use as a context manager."""

    def __init__(self, backend: LibraryBackend) -> None:
        self.backend = backend
        #: After a lookup: "" when it used embeddings, else why it was lexical only.
        self.note = ""

    @property
    def location(self) -> str:
        return self.backend.location

    def add(self, entries: Iterable[LibraryEntry], *, embed: bool | None = None) -> AddResult:
        """Add or update (same claim, same source) entries, in transactions of ADD_BATCH.

        ``embed``: compute the new entries' embeddings in the same pass (True), leave
        them to :meth:`index` (False), or (None) embed when the encoder is there and the
        add is small (at most ``vectors.EMBED_INLINE`` entries)."""
        added = updated = 0
        batch: list[LibraryEntry] = []
        # (key, text, norm) of the entries added, while the add may still embed them.
        fresh: list[tuple[str, str, str]] | None = [] if embed is not False else None

        def flush() -> None:
            nonlocal added, updated, fresh
            rows = unique_rows(batch)
            result = self.backend.add_many(rows)
            added, updated = added + result.added, updated + result.updated
            batch.clear()
            if fresh is not None:
                fresh += [(r[0], r[1], r[2]) for r in rows]
                if embed is None and len(fresh) > vectors.EMBED_INLINE:
                    fresh = None

        for entry in entries:
            if not entry.text.strip():
                raise LibraryError(self.location, "an entry needs the text of its claim")
            batch.append(entry)
            if len(batch) >= ADD_BATCH:
                flush()
        if batch:
            flush()
        if added + updated >= SETTLE_AFTER:
            self.backend.settle()
        if fresh and embed is None:
            from ..matching.encoder import encoder_available

            fresh = fresh if encoder_available() else None
        if fresh:
            vectors.store(self.backend, fresh)
        return AddResult(added=added, updated=updated)

    def index(
        self, *, progress: Callable[[int, int], bool] | None = None, limit: int | None = None
    ) -> int:
        """Embed the entries that have no embedding yet (see :func:`vectors.index`);
        how many were embedded."""
        return vectors.index(self.backend, progress=progress, limit=limit)

    def unembedded_count(self) -> int:
        """Entries :meth:`index` would embed (all of them when the stored embeddings
        are another model's)."""
        if vectors.stale(self.backend):
            return self.backend.count()
        return self.backend.count() - self.backend.embedded_count()

    def lookup(
        self, texts: Sequence[str], *, shown: int = SHOWN, threshold: float = THRESHOLD
    ) -> tuple[tuple[PriorCheck, ...], ...]:
        """For each text, the prior checks of the same claim, best first (:attr:`note`
        says afterwards whether the ranking used embeddings)."""
        if not texts:
            return ()
        checks, self.note = prior_checks(self.backend, texts, shown=shown, threshold=threshold)
        return checks

    def by_keys(self, keys: Iterable[str]) -> dict[str, LibraryEntry]:
        return self.backend.by_keys(list(keys))

    def remove(self, keys: Iterable[str]) -> int:
        """Delete entries by natural key (undoing an add); how many were there."""
        return self.backend.remove(list(keys))

    def entries(self) -> Iterator[LibraryEntry]:
        return self.backend.iter_entries()

    def count(self) -> int:
        return self.backend.count()

    def close(self) -> None:
        self.backend.close()

    def __enter__(self) -> ClaimLibrary:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        value: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()


def library_exists(url: str | None = None) -> bool:
    """False only when the library is an SQLite file that is not there yet (nothing to
    look up, and nothing is created by asking); a server's library may always exist."""
    target = (url or default_library_url()).strip()
    if target.lower().startswith("sqlite://"):
        return Path("/" + target[len("sqlite://") :].lstrip("/")).exists()
    if target.partition(":")[0].lower() in ("postgresql", "postgres"):
        return True
    return Path(target).expanduser().exists()


def open_library(url: str | None = None) -> ClaimLibrary:
    """The library at ``url`` (see the module docstring); created and migrated as needed."""
    target = (url or default_library_url()).strip()
    scheme = target.partition(":")[0].lower()
    if scheme == "sqlite":
        from .sqlite_backend import SqliteBackend

        path = target[len("sqlite://") :] if target.lower().startswith("sqlite://") else ""
        if not path.startswith("/") or not path.strip("/"):
            raise LibraryError(target, "an SQLite library URL is sqlite:///absolute/path")
        return ClaimLibrary(SqliteBackend(Path("/" + path.lstrip("/"))))
    if scheme in ("postgresql", "postgres"):
        from .postgres_backend import PostgresBackend

        return ClaimLibrary(PostgresBackend(target))
    if scheme and "/" not in scheme and len(scheme) > 1:
        raise LibraryError(
            target, f"unknown kind of library {scheme!r}: use sqlite:///… or postgresql://…"
        )
    # A plain path: an SQLite file.
    from .sqlite_backend import SqliteBackend

    return ClaimLibrary(SqliteBackend(Path(target).expanduser().resolve()))
