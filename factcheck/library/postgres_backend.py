"""The team back end: a PostgreSQL server (psycopg 3, ``pip install 'factcheck[team]'``).

The schema is created and migrated by the tool (versioned migrations under an advisory
lock, so two fact-checkers opening a new library at once do not both create it).
Writers run concurrently: an add is one transaction that stages its rows with COPY,
locks the keys it touches (advisory locks on their hash buckets, in order, so the
document frequencies it changes are exact even when two people add the same claim at
once), upserts the entries and adds its word-count changes in word order (no
deadlocks between writers).
A transaction the server aborts as a deadlock or serialisation failure is retried,
counted in ``busy_retries``.

Posting lists come from a GIN index on ``to_tsvector('simple', norm)``. Embeddings are
int8 bytes (:mod:`.vectors`) in a ``bytea`` column. Where the server has the pgvector
extension (``CREATE EXTENSION vector`` needs it installed on the server: Debian's
``postgresql-NN-pgvector``), a ``vector(384)`` column with an HNSW index gives each
looked-up claim its nearest entries on the server (:meth:`PostgresBackend.neighbours`);
without it the lookup scans the stored embeddings in chunks, as on SQLite.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Collection, Iterator, Sequence
from typing import TYPE_CHECKING, Any, TypeVar
from urllib.parse import urlsplit, urlunsplit

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

if TYPE_CHECKING:
    import psycopg

RETRIES = 20
CONNECT_TIMEOUT_S = 5
_T = TypeVar("_T")
#: Arbitrary constants naming the migration lock and the entry-key locks.
_MIGRATION_LOCK = 7_160_016
_KEY_LOCKS = 7_160_017
#: Keys are locked by hash bucket (a power of two): a transaction holds at most this
#: many advisory locks, well inside the server's lock table (64 per connection by
#: default), however many entries it adds.
KEY_LOCK_BUCKETS = 64
#: An add of this many rows is a bulk add: its GIN pending list may grow to
#: BULK_PENDING_LIST before being merged (fewer, bigger merges: adding 100,000 entries
#: took 19.8 s -> 15.2 s, the final merge included, at load 6).
BULK_ROWS = 1_000
BULK_PENDING_LIST = "256MB"

MIGRATIONS: dict[int, tuple[str, ...]] = {
    1: (
        "CREATE TABLE entries (id BIGSERIAL PRIMARY KEY, key TEXT NOT NULL UNIQUE, "
        + ", ".join(f"{c} TEXT NOT NULL DEFAULT ''" for c in COLUMNS if c != "key")
        + ", tsv tsvector GENERATED ALWAYS AS (to_tsvector('simple', norm)) STORED)",
        "CREATE INDEX entries_tsv ON entries USING gin (tsv)",
        "CREATE TABLE terms (word TEXT PRIMARY KEY, df BIGINT NOT NULL)",
    ),
    2: (
        "ALTER TABLE entries ADD COLUMN embedding bytea",
        "CREATE INDEX entries_embedded ON entries (id) WHERE embedding IS NOT NULL",
        "INSERT INTO terms (word, df) VALUES ('', (SELECT count(*) FROM entries)) "
        "ON CONFLICT (word) DO UPDATE SET df = EXCLUDED.df",
    ),
    3: (
        # Which encoder made the stored embeddings (see the SQLite back end).
        "CREATE TABLE embedding_model (model TEXT NOT NULL)",
    ),
}
#: Done when the server has pgvector (not a schema version: the same library may move
#: to a server with or without it).
PGVECTOR = (
    "CREATE EXTENSION IF NOT EXISTS vector",
    "ALTER TABLE entries ADD COLUMN IF NOT EXISTS vec vector(384)",
    "CREATE INDEX IF NOT EXISTS entries_vec ON entries USING hnsw (vec vector_cosine_ops)",
)


def redacted(url: str) -> str:
    """``url`` without its password, for messages."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return "postgresql://…"
    if parts.password is None:
        return url
    netloc = parts.netloc.rpartition("@")
    user = (parts.username or "") + ":***"
    return urlunsplit((parts.scheme, f"{user}@{netloc[2]}", parts.path, parts.query, ""))


class PostgresBackend:
    """See the module docstring."""

    def __init__(self, url: str) -> None:
        self.location = redacted(url)
        self.busy_retries = 0
        self.pgvector = False
        self._lock = threading.Lock()
        try:
            import psycopg
        except ImportError:
            raise LibraryError(
                self.location,
                "a PostgreSQL library needs psycopg: pip install 'factcheck[team]'",
            ) from None
        self._psycopg = psycopg
        try:
            self._db = psycopg.connect(
                url, connect_timeout=CONNECT_TIMEOUT_S, application_name="factcheck"
            )
        except psycopg.OperationalError as exc:
            raise LibraryError(self.location, _connect_problem(exc)) from None
        except psycopg.ProgrammingError as exc:
            raise LibraryError(self.location, f"not a usable server address: {exc}") from None
        try:
            self._write(self._migrate)
            self.pgvector = self._write(self._use_pgvector)
        except BaseException:
            self._db.close()
            raise

    def _use_pgvector(self, cur: psycopg.Cursor[Any]) -> bool:
        """Whether the server has pgvector and the vector column is set up (without the
        rights to create the extension, the library goes on without it)."""
        row = cur.execute(
            "SELECT count(*) FROM pg_available_extensions WHERE name = 'vector'"
        ).fetchone()
        if not row or not row[0]:
            return False
        try:
            with self._db.transaction():  # a savepoint
                cur.execute("SELECT pg_advisory_xact_lock(%s)", (_MIGRATION_LOCK,))
                for statement in PGVECTOR:
                    cur.execute(statement)
        except self._psycopg.errors.InsufficientPrivilege:
            return False
        return True

    def _migrate(self, cur: psycopg.Cursor[Any]) -> None:
        # For this session: the library's queries are short, and compiling one (JIT, on
        # when the planner expects many rows) took 1.6 s of a 1,000,000-entry lookup.
        cur.execute("SET jit = off")
        cur.execute("SELECT pg_advisory_xact_lock(%s)", (_MIGRATION_LOCK,))
        cur.execute("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)")
        row = cur.execute("SELECT version FROM schema_version").fetchone()
        if row is None:
            cur.execute("INSERT INTO schema_version VALUES (0)")
            version = 0
        else:
            version = int(row[0])
        if version > SCHEMA_VERSION:
            raise LibraryError(
                self.location,
                f"has schema version {version}, newer than this factcheck reads "
                f"({SCHEMA_VERSION}): upgrade factcheck to use it",
            )
        for step in range(version + 1, SCHEMA_VERSION + 1):
            for statement in MIGRATIONS[step]:
                cur.execute(statement)
            cur.execute("UPDATE schema_version SET version = %s", (step,))

    # -- transactions ------------------------------------------------------------

    def _write(self, work: Callable[[psycopg.Cursor[Any]], _T]) -> _T:
        """``work`` in one transaction, retried on deadlock or serialisation failure."""
        errors = self._psycopg.errors
        with self._lock:
            for attempt in range(RETRIES + 1):
                try:
                    with self._db.transaction(), self._db.cursor() as cur:
                        return work(cur)
                except (errors.DeadlockDetected, errors.SerializationFailure):
                    if attempt == RETRIES:
                        raise
                    self.busy_retries += 1
                    time.sleep(min(0.02 * 2**attempt, 1.0))
                except self._psycopg.OperationalError as exc:
                    raise LibraryError(self.location, _connect_problem(exc)) from None
                except self._psycopg.Error as exc:
                    raise LibraryError(self.location, f"database error: {exc}") from None
            raise AssertionError("unreachable")

    def _read(self, work: Callable[[psycopg.Cursor[Any]], _T]) -> _T:
        return self._write(work)

    # -- the interface -----------------------------------------------------------

    def add_many(self, rows: Sequence[Row]) -> AddResult:
        def work(cur: psycopg.Cursor[Any]) -> AddResult:
            if len(rows) >= BULK_ROWS:
                # A bulk add grows the GIN index's pending list, merged once by settle().
                cur.execute(f"SET LOCAL gin_pending_list_limit = '{BULK_PENDING_LIST}'")
            cur.execute(
                "CREATE TEMP TABLE staging (ordinal BIGSERIAL, "
                + ", ".join(f"{c} TEXT" for c in COLUMNS)
                + ") ON COMMIT DROP"
            )
            with cur.copy(f"COPY staging ({', '.join(COLUMNS)}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
            cur.execute(
                "SELECT pg_advisory_xact_lock(%s, b) FROM (SELECT DISTINCT "
                "(hashtextextended(key, 0) & %s)::int AS b FROM staging ORDER BY b) k",
                (_KEY_LOCKS, KEY_LOCK_BUCKETS - 1),
            )
            old = dict(
                cur.execute(
                    "SELECT e.key, e.norm FROM entries e JOIN staging s ON s.key = e.key"
                ).fetchall()
            )
            deltas, result = new_and_old(rows, old)
            cur.execute(
                f"INSERT INTO entries ({', '.join(COLUMNS)}) "
                f"SELECT {', '.join(COLUMNS)} FROM staging ORDER BY ordinal "
                "ON CONFLICT (key) DO UPDATE SET "
                + ", ".join(f"{c} = EXCLUDED.{c}" for c in UPDATED_COLUMNS)
                # A new text's old embedding is not its embedding.
                + ", embedding = CASE WHEN entries.norm = EXCLUDED.norm "
                "THEN entries.embedding END"
                + (
                    ", vec = CASE WHEN entries.norm = EXCLUDED.norm THEN entries.vec END"
                    if self.pgvector
                    else ""
                )
            )
            cur.execute("CREATE TEMP TABLE term_delta (word TEXT, d BIGINT) ON COMMIT DROP")
            with cur.copy("COPY term_delta (word, d) FROM STDIN") as copy:
                for item in deltas.items():
                    copy.write_row(item)
            cur.execute(
                "INSERT INTO terms (word, df) SELECT word, d FROM term_delta ORDER BY word "
                "ON CONFLICT (word) DO UPDATE SET df = terms.df + EXCLUDED.df"
            )
            return result

        return self._write(work)

    def frequencies(self, words: Collection[str]) -> tuple[dict[str, int], int]:
        listed = sorted(set(words))

        def work(cur: psycopg.Cursor[Any]) -> tuple[dict[str, int], int]:
            found = {
                str(w): int(n)
                for w, n in cur.execute(
                    "SELECT word, df FROM terms WHERE word = ANY(%s) AND df > 0",
                    ([COUNT_WORD, *listed],),
                )
            }
            return found, found.pop(COUNT_WORD, 0)

        return self._read(work)

    def settle(self) -> None:
        # Rows a bulk add left in the GIN index's pending list are searched linearly by
        # every query until merged; and the planner needs the table's new size.
        def work(cur: psycopg.Cursor[Any]) -> None:
            cur.execute(f"SET LOCAL maintenance_work_mem = '{BULK_PENDING_LIST}'")
            cur.execute("SELECT gin_clean_pending_list('entries_tsv'::regclass)")
            cur.execute("ANALYZE entries")

        self._write(work)

    def set_embeddings(self, items: Sequence[tuple[str, str, bytes]]) -> int:
        from .vectors import pgvector_text

        def work(cur: psycopg.Cursor[Any]) -> int:
            cur.execute(
                "CREATE TEMP TABLE embedding_batch (key TEXT, norm TEXT, embedding bytea, "
                "vec TEXT) ON COMMIT DROP"
            )
            with cur.copy("COPY embedding_batch (key, norm, embedding, vec) FROM STDIN") as copy:
                for key, norm, blob in items:
                    copy.write_row(
                        (key, norm, blob, pgvector_text(blob) if self.pgvector else None)
                    )
            vec = ", vec = b.vec::vector" if self.pgvector else ""
            cur.execute(
                f"UPDATE entries e SET embedding = b.embedding{vec} FROM embedding_batch b "
                "WHERE e.key = b.key AND e.norm = b.norm"
            )
            return int(cur.rowcount)

        return self._write(work)

    def unembedded(self, after: int, limit: int) -> list[tuple[int, str, str, str]]:
        sql = (
            "SELECT id, key, text, norm FROM entries WHERE embedding IS NULL AND id > %s "
            "ORDER BY id LIMIT %s"
        )
        rows = self._read(lambda cur: cur.execute(sql, (after, limit)).fetchall())
        return [(int(i), str(k), str(t), str(n)) for i, k, t, n in rows]

    def embeddings(self, ids: Collection[int]) -> dict[int, bytes]:
        rows = self._by_id("id, embedding", ids)
        return {int(i): bytes(b) for i, b in rows if b is not None}

    def embedding_chunk(self, after: int, limit: int) -> list[tuple[int, bytes]]:
        sql = (
            "SELECT id, embedding FROM entries WHERE embedding IS NOT NULL AND id > %s "
            "ORDER BY id LIMIT %s"
        )
        rows = self._read(lambda cur: cur.execute(sql, (after, limit)).fetchall())
        return [(int(i), bytes(b)) for i, b in rows]

    def embedded_count(self) -> int:
        sql = "SELECT count(*) FROM entries WHERE embedding IS NOT NULL"
        row = self._read(lambda cur: cur.execute(sql).fetchone())
        return int(row[0]) if row else 0

    def embedding_model(self) -> str:
        row = self._read(lambda cur: cur.execute("SELECT model FROM embedding_model").fetchone())
        return str(row[0]) if row else ""

    def set_embedding_model(self, model: str, *, clear: bool) -> None:
        def work(cur: psycopg.Cursor[Any]) -> None:
            # Under the migration lock: two apps finding another model's embeddings at
            # once clear them once, one after the other.
            cur.execute("SELECT pg_advisory_xact_lock(%s)", (_MIGRATION_LOCK,))
            if clear:
                vec = ", vec = NULL" if self.pgvector else ""
                cur.execute(f"UPDATE entries SET embedding = NULL{vec} WHERE embedding IS NOT NULL")
            cur.execute("DELETE FROM embedding_model")
            cur.execute("INSERT INTO embedding_model VALUES (%s)", (model,))

        self._write(work)

    def neighbours(self, vectors: Sequence[bytes], width: int) -> list[list[int]] | None:
        if not self.pgvector:
            return None
        from .vectors import pgvector_text

        sql = "SELECT id FROM entries ORDER BY vec <=> %s::vector LIMIT %s"  # the HNSW index

        def work(cur: psycopg.Cursor[Any]) -> list[list[int]]:
            return [
                [int(r[0]) for r in cur.execute(sql, (pgvector_text(v), width)).fetchall()]
                for v in vectors
            ]

        return self._read(work)

    def postings(self, words: Collection[str]) -> dict[str, list[int]]:
        listed = sorted(set(words))
        queries = ["'" + w.replace("'", "''") + "'" for w in listed]

        def work(cur: psycopg.Cursor[Any]) -> dict[str, list[int]]:
            found: dict[str, list[int]] = {w: [] for w in listed}
            rows = cur.execute(
                "SELECT q.n, e.id FROM unnest(%s::text[]) WITH ORDINALITY AS q(query, n), "
                "LATERAL (SELECT id FROM entries WHERE tsv @@ to_tsquery('simple', q.query)) e",
                (queries,),
            ).fetchall()
            for n, entry_id in rows:
                found[listed[int(n) - 1]].append(int(entry_id))
            return found

        return self._read(work)

    def texts(self, ids: Collection[int]) -> dict[int, tuple[str, str]]:
        return {int(r[0]): (str(r[1]), str(r[2])) for r in self._by_id("id, text, norm", ids)}

    def fetch(self, ids: Collection[int]) -> dict[int, LibraryEntry]:
        columns = ", ".join(("id", *ENTRY_COLUMNS))
        return {int(r[0]): row_entry(r[1:]) for r in self._by_id(columns, ids)}

    def _by_id(self, columns: str, ids: Collection[int]) -> list[tuple[Any, ...]]:
        listed = sorted(set(ids))
        sql = f"SELECT {columns} FROM entries WHERE id = ANY(%s)"
        return self._read(lambda cur: cur.execute(sql, (listed,)).fetchall())

    def by_keys(self, keys: Collection[str]) -> dict[str, LibraryEntry]:
        sql = f"SELECT {', '.join(ENTRY_COLUMNS)} FROM entries WHERE key = ANY(%s)"
        listed = sorted(set(keys))
        rows = self._read(lambda cur: cur.execute(sql, (listed,)).fetchall())
        return {e.key: e for e in (row_entry(r) for r in rows)}

    def remove(self, keys: Collection[str]) -> int:
        listed = sorted(set(keys))

        def work(cur: psycopg.Cursor[Any]) -> int:
            cur.execute(
                "SELECT pg_advisory_xact_lock(%s, b) FROM (SELECT DISTINCT "
                "(hashtextextended(k, 0) & %s)::int AS b FROM unnest(%s::text[]) AS k "
                "ORDER BY b) k",
                (_KEY_LOCKS, KEY_LOCK_BUCKETS - 1, listed),
            )
            old = [
                str(r[0])
                for r in cur.execute(
                    "DELETE FROM entries WHERE key = ANY(%s) RETURNING norm", (listed,)
                ).fetchall()
            ]
            deltas = term_deltas(old, ())
            cur.executemany(
                "UPDATE terms SET df = df + %s WHERE word = %s",
                [(d, w) for w, d in deltas.items()],
            )
            return len(old)

        return self._write(work)

    def iter_entries(self) -> Iterator[LibraryEntry]:
        last = 0
        sql = f"SELECT id, {', '.join(ENTRY_COLUMNS)} FROM entries WHERE id > %s ORDER BY id "
        sql += "LIMIT 1000"
        while True:

            def page(cur: psycopg.Cursor[Any], after: int = last) -> list[tuple[Any, ...]]:
                return cur.execute(sql, (after,)).fetchall()

            rows = self._read(page)
            if not rows:
                return
            for row in rows:
                yield row_entry(row[1:])
            last = int(rows[-1][0])

    def count(self) -> int:
        def work(cur: psycopg.Cursor[Any]) -> int:
            row = cur.execute("SELECT count(*) FROM entries").fetchone()
            return int(row[0]) if row else 0

        return self._read(work)

    def close(self) -> None:
        with self._lock:
            self._db.close()


def _connect_problem(exc: Exception) -> str:
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    lowered = str(exc).lower()
    if "password authentication failed" in lowered or "no password supplied" in lowered:
        return f"wrong user name or password for the PostgreSQL server ({text})"
    if "does not exist" in lowered and "database" in lowered:
        return f"the server has no such database ({text})"
    if "connection refused" in lowered or "timeout" in lowered or "could not" in lowered:
        return f"cannot reach the PostgreSQL server (is it running, is the address right?): {text}"
    return f"PostgreSQL server error: {text}"
