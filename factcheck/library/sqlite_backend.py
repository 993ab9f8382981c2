"""The embedded back end: one SQLite file (the standard library's ``sqlite3``) in WAL mode.

Several processes may write at once: every write is one ``BEGIN IMMEDIATE``
transaction (it takes the write lock up front, so two writers never deadlock on
upgrading a read lock), waits up to :data:`BUSY_TIMEOUT_S` for the lock inside SQLite,
and is retried from the start, up to :data:`BUSY_RETRIES` times with a growing pause,
when SQLite still answers "database is locked". Readers never wait for writers (WAL).
``busy_retries`` counts the retries, which the library benchmark reports.

Posting lists come from an FTS5 index of the normalised texts. Embeddings (int8 bytes,
:mod:`.vectors`) sit in a column of their own; a partial index lists the embedded
entries, which a lookup scans in chunks (no vector index in SQLite).
"""

from __future__ import annotations

import sqlite3
import threading
import time
from collections.abc import Callable, Collection, Iterator, Sequence
from pathlib import Path
from typing import TypeVar

from .backend import (
    COLUMNS,
    COUNT_WORD,
    ENTRY_COLUMNS,
    SCHEMA_VERSION,
    UPDATED_COLUMNS,
    LibraryError,
    Row,
    new_and_old,
    row_entry,
    term_deltas,
)
from .entry import AddResult, LibraryEntry

BUSY_TIMEOUT_S = 10.0
BUSY_RETRIES = 20
#: Host parameters per statement (SQLite's limit is 32,766 since 3.32).
_CHUNK = 900

_T = TypeVar("_T")


def _in_chunks(items: Sequence[_T]) -> Iterator[tuple[Sequence[_T], str]]:
    """``items`` in slices of :data:`_CHUNK`, each with its ``?,?,…`` for ``IN (…)``."""
    for start in range(0, len(items), _CHUNK):
        part = items[start : start + _CHUNK]
        yield part, ",".join("?" * len(part))


#: Versioned migrations: version → statements taking the schema from version − 1.
MIGRATIONS: dict[int, tuple[str, ...]] = {
    1: (
        "CREATE TABLE entries (id INTEGER PRIMARY KEY, key TEXT NOT NULL UNIQUE, "
        + ", ".join(f"{c} TEXT NOT NULL DEFAULT ''" for c in COLUMNS if c != "key")
        + ")",
        "CREATE VIRTUAL TABLE entries_fts USING fts5(norm, content='entries', "
        "content_rowid='id', tokenize=\"unicode61 remove_diacritics 0 tokenchars '.'\")",
        "CREATE TRIGGER entries_ai AFTER INSERT ON entries BEGIN "
        "INSERT INTO entries_fts(rowid, norm) VALUES (new.id, new.norm); END",
        "CREATE TRIGGER entries_ad AFTER DELETE ON entries BEGIN "
        "INSERT INTO entries_fts(entries_fts, rowid, norm) VALUES ('delete', old.id, old.norm); "
        "END",
        "CREATE TRIGGER entries_au AFTER UPDATE OF norm ON entries BEGIN "
        "INSERT INTO entries_fts(entries_fts, rowid, norm) VALUES ('delete', old.id, old.norm); "
        "INSERT INTO entries_fts(rowid, norm) VALUES (new.id, new.norm); END",
        "CREATE TABLE terms (word TEXT PRIMARY KEY, df INTEGER NOT NULL) WITHOUT ROWID",
    ),
    2: (
        # New rows reach the full-text index in one statement per add (add_many), not
        # by a trigger per row: half the time of a bulk add.
        "DROP TRIGGER entries_ai",
        "ALTER TABLE entries ADD COLUMN embedding BLOB",
        "CREATE INDEX entries_embedded ON entries (id) WHERE embedding IS NOT NULL",
        "INSERT INTO terms (word, df) VALUES ('', (SELECT count(*) FROM entries)) "
        "ON CONFLICT(word) DO UPDATE SET df = excluded.df",
    ),
    3: (
        # Which encoder made the stored embeddings (none recorded: those stored before
        # are of an unknown model, and a lookup does not compare them with its own).
        "CREATE TABLE embedding_model (model TEXT NOT NULL)",
    ),
}
#: Page cache of a connection (KiB, as SQLite's negative cache_size): the key index of
#: a million entries is ~100 MB; with SQLite's 2 MB default a bulk add is random reads.
CACHE_KIB = 65_536


class SqliteBackend:
    """See the module docstring."""

    def __init__(self, path: Path) -> None:
        self.location = str(path)
        self.busy_retries = 0
        self._lock = threading.Lock()
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise LibraryError(self.location, f"cannot create its folder: {exc.strerror}") from None
        try:
            self._db = sqlite3.connect(
                path, timeout=BUSY_TIMEOUT_S, isolation_level=None, check_same_thread=False
            )
        except sqlite3.Error as exc:
            raise LibraryError(self.location, f"cannot open: {exc}") from None
        try:
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute("PRAGMA synchronous=NORMAL")
            self._db.execute(f"PRAGMA cache_size=-{CACHE_KIB}")
            self._db.execute("PRAGMA temp_store=MEMORY")
            self._write(self._migrate)
        except sqlite3.DatabaseError as exc:
            self._db.close()
            raise LibraryError(
                self.location,
                f"not a usable factcheck library (corrupt, or not an SQLite file): {exc}",
            ) from None
        except LibraryError:
            self._db.close()
            raise

    # -- schema ------------------------------------------------------------------

    def _migrate(self) -> None:
        tables = {r[0] for r in self._db.execute("SELECT name FROM sqlite_master")}
        if "schema_version" not in tables:
            if tables:
                raise LibraryError(
                    self.location, "is an SQLite file but not a factcheck library (no schema)"
                )
            self._db.execute("CREATE TABLE schema_version (version INTEGER NOT NULL)")
            self._db.execute("INSERT INTO schema_version VALUES (0)")
        (version,) = self._db.execute("SELECT version FROM schema_version").fetchone()
        if version > SCHEMA_VERSION:
            raise LibraryError(
                self.location,
                f"has schema version {version}, newer than this factcheck reads "
                f"({SCHEMA_VERSION}): upgrade factcheck to use it",
            )
        for step in range(version + 1, SCHEMA_VERSION + 1):
            for statement in MIGRATIONS[step]:
                self._db.execute(statement)
            self._db.execute("UPDATE schema_version SET version = ?", (step,))

    # -- transactions ------------------------------------------------------------

    def _write(self, work: Callable[[], _T]) -> _T:
        """``work`` in one BEGIN IMMEDIATE transaction, retried while the file is locked."""
        with self._lock:
            for attempt in range(BUSY_RETRIES + 1):
                try:
                    self._db.execute("BEGIN IMMEDIATE")
                except sqlite3.OperationalError as exc:
                    if not _busy(exc) or attempt == BUSY_RETRIES:
                        raise self._error(exc) from None
                    self.busy_retries += 1
                    time.sleep(min(0.05 * 2**attempt, 1.0))
                    continue
                try:
                    result = work()
                    self._db.execute("COMMIT")
                    return result
                except BaseException:
                    self._db.execute("ROLLBACK")
                    raise
            raise AssertionError("unreachable")

    def _read(self, work: Callable[[], _T]) -> _T:
        with self._lock:
            try:
                return work()
            except sqlite3.DatabaseError as exc:
                raise self._error(exc) from None

    def _error(self, exc: sqlite3.Error) -> LibraryError:
        if isinstance(exc, sqlite3.OperationalError) and _busy(exc):
            return LibraryError(
                self.location, f"busy: another program held the write lock too long ({exc})"
            )
        return LibraryError(self.location, f"database error: {exc}")

    # -- the interface -----------------------------------------------------------

    def add_many(self, rows: Sequence[Row]) -> AddResult:
        def work() -> AddResult:
            old: dict[str, str] = {}
            for keys, marks in _in_chunks([r[0] for r in rows]):
                old.update(
                    self._db.execute(
                        f"SELECT key, norm FROM entries WHERE key IN ({marks})", keys
                    ).fetchall()
                )
            deltas, result = new_and_old(rows, old)
            (last,) = self._db.execute("SELECT coalesce(max(id), 0) FROM entries").fetchone()
            marks = ",".join("?" * len(COLUMNS))
            self._db.executemany(
                f"INSERT INTO entries ({', '.join(COLUMNS)}) VALUES ({marks})"
                " ON CONFLICT(key) DO UPDATE SET "
                + ", ".join(f"{c} = excluded.{c}" for c in UPDATED_COLUMNS)
                # A new text's old embedding is not its embedding.
                + ", embedding = CASE WHEN entries.norm = excluded.norm "
                "THEN entries.embedding END",
                rows,
            )
            # The new rows (ids past the last one: the write lock is held); re-added
            # ones were re-indexed by the update trigger.
            self._db.execute(
                "INSERT INTO entries_fts (rowid, norm) SELECT id, norm FROM entries WHERE id > ?",
                (last,),
            )
            self._db.executemany(
                "INSERT INTO terms (word, df) VALUES (?, ?) "
                "ON CONFLICT(word) DO UPDATE SET df = df + excluded.df",
                deltas.items(),
            )
            return result

        try:
            return self._write(work)
        except sqlite3.DatabaseError as exc:
            raise self._error(exc) from None

    def frequencies(self, words: Collection[str]) -> tuple[dict[str, int], int]:
        listed = sorted(set(words))

        def work() -> tuple[dict[str, int], int]:
            found: dict[str, int] = {}
            for part, marks in _in_chunks([COUNT_WORD, *listed]):
                found.update(
                    self._db.execute(
                        f"SELECT word, df FROM terms WHERE word IN ({marks}) AND df > 0", part
                    ).fetchall()
                )
            return found, int(found.pop(COUNT_WORD, 0))

        return self._read(work)

    def settle(self) -> None:
        # One FTS5 merge of the segments a bulk add left (lookups read fewer b-trees).
        def work() -> None:
            self._db.execute("INSERT INTO entries_fts(entries_fts) VALUES ('optimize')")
            self._db.execute("ANALYZE")

        try:
            self._write(work)
        except sqlite3.DatabaseError as exc:
            raise self._error(exc) from None

    def set_embeddings(self, items: Sequence[tuple[str, str, bytes]]) -> int:
        def work() -> int:
            before = self._db.total_changes
            self._db.executemany(
                "UPDATE entries SET embedding = ? WHERE key = ? AND norm = ?",
                [(blob, key, norm) for key, norm, blob in items],
            )
            return self._db.total_changes - before

        try:
            return self._write(work)
        except sqlite3.DatabaseError as exc:
            raise self._error(exc) from None

    def unembedded(self, after: int, limit: int) -> list[tuple[int, str, str, str]]:
        sql = (
            "SELECT id, key, text, norm FROM entries WHERE embedding IS NULL AND id > ? "
            "ORDER BY id LIMIT ?"
        )
        rows = self._read(lambda: self._db.execute(sql, (after, limit)).fetchall())
        return [(int(i), str(k), str(t), str(n)) for i, k, t, n in rows]

    def embeddings(self, ids: Collection[int]) -> dict[int, bytes]:
        rows = self._by_id("id, embedding", ids)
        return {int(str(i)): bytes(b) for i, b in rows if isinstance(b, bytes)}

    def embedding_chunk(self, after: int, limit: int) -> list[tuple[int, bytes]]:
        sql = (
            "SELECT id, embedding FROM entries INDEXED BY entries_embedded "
            "WHERE embedding IS NOT NULL AND id > ? ORDER BY id LIMIT ?"
        )
        rows: list[tuple[int, bytes]] = self._read(
            lambda: self._db.execute(sql, (after, limit)).fetchall()
        )
        return rows  # INTEGER and BLOB: int and bytes already

    def embedded_count(self) -> int:
        sql = "SELECT count(*) FROM entries INDEXED BY entries_embedded WHERE embedding IS NOT NULL"
        return int(self._read(lambda: self._db.execute(sql).fetchone())[0])

    def embedding_model(self) -> str:
        row = self._read(lambda: self._db.execute("SELECT model FROM embedding_model").fetchone())
        return str(row[0]) if row else ""

    def set_embedding_model(self, model: str, *, clear: bool) -> None:
        def work() -> None:
            if clear:
                self._db.execute("UPDATE entries SET embedding = NULL WHERE embedding IS NOT NULL")
            self._db.execute("DELETE FROM embedding_model")
            self._db.execute("INSERT INTO embedding_model VALUES (?)", (model,))

        try:
            self._write(work)
        except sqlite3.DatabaseError as exc:
            raise self._error(exc) from None

    def neighbours(self, vectors: Sequence[bytes], width: int) -> list[list[int]] | None:
        return None

    def postings(self, words: Collection[str]) -> dict[str, list[int]]:
        def work() -> dict[str, list[int]]:
            sql = "SELECT rowid FROM entries_fts WHERE entries_fts MATCH ?"
            found: dict[str, list[int]] = {}
            for w in sorted(set(words)):
                rows = self._db.execute(sql, ('"' + w.replace('"', "") + '"',)).fetchall()
                found[w] = [rowid for (rowid,) in rows]
            return found

        return self._read(work)

    def texts(self, ids: Collection[int]) -> dict[int, tuple[str, str]]:
        return {int(str(r[0])): (str(r[1]), str(r[2])) for r in self._by_id("id, text, norm", ids)}

    def fetch(self, ids: Collection[int]) -> dict[int, LibraryEntry]:
        return {
            int(str(r[0])): row_entry(r[1:])
            for r in self._by_id(", ".join(("id", *ENTRY_COLUMNS)), ids)
        }

    def _by_id(self, columns: str, ids: Collection[int]) -> list[tuple[object, ...]]:
        listed = sorted(set(ids))

        def work() -> list[tuple[object, ...]]:
            rows: list[tuple[object, ...]] = []
            for part, marks in _in_chunks(listed):
                sql = f"SELECT {columns} FROM entries WHERE id IN ({marks})"
                rows += self._db.execute(sql, part).fetchall()
            return rows

        return self._read(work)

    def by_keys(self, keys: Collection[str]) -> dict[str, LibraryEntry]:
        return {e.key: e for e in self._where_keys(", ".join(ENTRY_COLUMNS), keys, row_entry)}

    def remove(self, keys: Collection[str]) -> int:
        listed = sorted(set(keys))

        def work() -> int:
            old: dict[str, str] = {}
            for part, marks in _in_chunks(listed):
                old.update(
                    self._db.execute(
                        f"SELECT key, norm FROM entries WHERE key IN ({marks})", part
                    ).fetchall()
                )
                self._db.execute(f"DELETE FROM entries WHERE key IN ({marks})", part)
            self._db.executemany(
                "UPDATE terms SET df = df + ? WHERE word = ?",
                [(d, w) for w, d in term_deltas(old.values(), ()).items()],
            )
            return len(old)

        try:
            return self._write(work)
        except sqlite3.DatabaseError as exc:
            raise self._error(exc) from None

    def _where_keys(
        self, columns: str, keys: Collection[str], make: Callable[[Sequence[object]], _T]
    ) -> list[_T]:
        listed = sorted(set(keys))

        def work() -> list[_T]:
            found: list[_T] = []
            for part, marks in _in_chunks(listed):
                sql = f"SELECT {columns} FROM entries WHERE key IN ({marks})"
                found += [make(row) for row in self._db.execute(sql, part)]
            return found

        return self._read(work)

    def iter_entries(self) -> Iterator[LibraryEntry]:
        last = 0
        while True:

            def page(after: int = last) -> list[tuple[object, ...]]:
                sql = (
                    f"SELECT id, {', '.join(ENTRY_COLUMNS)} FROM entries "
                    "WHERE id > ? ORDER BY id LIMIT 1000"
                )
                return self._db.execute(sql, (after,)).fetchall()

            rows = self._read(page)
            if not rows:
                return
            for row in rows:
                yield row_entry(row[1:])
            last = int(str(rows[-1][0]))

    def count(self) -> int:
        return int(
            self._read(lambda: self._db.execute("SELECT count(*) FROM entries").fetchone())[0]
        )

    def close(self) -> None:
        with self._lock:
            self._db.close()


def _busy(exc: sqlite3.OperationalError) -> bool:
    text = str(exc).lower()
    return "locked" in text or "busy" in text
