"""The claim library on both back ends (a SQLite file and a real PostgreSQL server)."""

from __future__ import annotations

import multiprocessing
import sqlite3
from dataclasses import replace
from pathlib import Path

import pytest

from factcheck.library import LibraryEntry, LibraryError, open_library
from factcheck.library.backend import SCHEMA_VERSION
from factcheck.library.lookup import rank
from factcheck.matching import engine
from factcheck.models import Claim, MatchConfig, Verdict
from factcheck.seeds import seed_pair
from factcheck.segmentation import segment_claims

#: The library scores with the lexical scorer (pairs alone, on the 0–100 scale).
LEXICAL = MatchConfig(scorer="lexical")

PUTIN = LibraryEntry(
    text="Putin has been in power since 1999.",
    verdict=Verdict.CONTESTED,
    note="He became prime minister in 1999 and president in 2000.",
    evidence=("https://example.org/kremlin",),
    tags=("russia",),
    reviewer="Check Desk",
    review_date="2026-11-02",
    source_title="Putin's long rule",
    source_outlet="Daily Example",
    source_url="https://news.example/putin",
    source_date="2026-11-01",
    project="putin-rule",
    added_by="ana",
)
WAR = LibraryEntry(
    text="The war has been going on for three and a half years.",
    verdict=Verdict.SUPPORTED,
    source_url="https://news.example/war",
)


def test_an_entry_comes_back_whole(library_url: str) -> None:
    with open_library(library_url) as library:
        assert library.add([PUTIN, WAR]).added == 2
        (stored,) = [e for e in library.entries() if e.text == PUTIN.text]
    assert stored == replace(PUTIN, added_at=stored.added_at)
    assert stored.added_at.startswith("20")


def test_re_adding_the_same_claim_from_the_same_source_updates(library_url: str) -> None:
    with open_library(library_url) as library:
        library.add([PUTIN])
        again = replace(
            PUTIN, text="Putin has been in power since 1999!", note="new", added_by="bo"
        )
        result = library.add([again])
        assert (result.added, result.updated) == (0, 1)
        (stored,) = library.entries()
        assert library.count() == 1
    # The review is replaced; who added the entry first, and when, stay.
    assert (stored.note, stored.added_by) == ("new", "ana")
    other_source = replace(PUTIN, source_url="https://other.example/putin")
    with open_library(library_url) as library:
        assert library.add([other_source]).added == 1
        assert library.count() == 2


def test_lookup_finds_the_same_claim_reworded_best_first(library_url: str) -> None:
    with open_library(library_url) as library:
        library.add([PUTIN, WAR, replace(WAR, text="Bananas are yellow.", source_url="x:1")])
        checks, none = library.lookup(
            ["Vladimir Putin has been in power since 1999", "Cats sleep sixteen hours a day."]
        )
    assert [c.entry.text for c in checks] == [PUTIN.text]
    assert checks[0].score >= 50
    assert none == ()


def test_lookup_through_the_store_scores_as_the_in_memory_matcher(library_url: str) -> None:
    """Article B's claims as the library, article A's looked up: every pair scores what
    the in-memory matcher gives it, and with 100 candidates a claim (the default keeps
    24, as the matcher does, chosen differently) the best found is at least the
    matcher's best."""
    article_a, article_b = seed_pair()
    claims_a, claims_b = segment_claims(article_a), segment_claims(article_b)
    with open_library(library_url) as library:
        library.add(LibraryEntry(text=c.text, source_url=f"urn:seed:{c.index}") for c in claims_b)
        ranked = rank(
            library.backend, [c.text for c in claims_a], keep=3, candidates=100, config=LEXICAL
        )
    scored = engine._score(
        [c.text for c in claims_a], [c.text for c in claims_b], LEXICAL, None, same_side=False
    )
    in_memory = {
        (a, b): s
        for a, b, s in zip(
            scored.a_index.tolist(), scored.b_index.tolist(), scored.score.tolist(), strict=True
        )
    }
    compared = 0
    for q, (ids, scores) in enumerate(zip(ranked.ids, ranked.scores, strict=True)):
        for entry_id, score in zip(ids, scores, strict=True):
            b = int(ranked.entries[entry_id].source_url.rpartition(":")[2])
            if (q, b) in in_memory:
                assert score == pytest.approx(in_memory[(q, b)], abs=0.01)
                compared += 1
        best_in_memory = max((s for (a, _), s in in_memory.items() if a == q), default=None)
        if best_in_memory is not None:
            assert scores[0] >= best_in_memory - 0.01
    assert compared >= len(claims_a)


def _write_many(url: str, writer: int, count: int) -> None:
    with open_library(url) as library:
        for n in range(0, count, 5):
            library.add(
                LibraryEntry(text=f"Claim {k} of writer {writer}", source_url=f"w{writer}:{k}")
                for k in range(n, n + 5)
            )
            # Every writer also re-adds one shared claim: an update, never a duplicate.
            library.add([LibraryEntry(text="A shared claim", source_url="shared", note=str(n))])


def test_concurrent_writers_lose_nothing(library_url: str) -> None:
    open_library(library_url).close()
    context = multiprocessing.get_context("spawn")
    writers = [context.Process(target=_write_many, args=(library_url, w, 40)) for w in range(4)]
    for p in writers:
        p.start()
    for p in writers:
        p.join(timeout=120)
    assert [p.exitcode for p in writers] == [0, 0, 0, 0]
    with open_library(library_url) as library:
        texts = [e.text for e in library.entries()]
        # Word counts stayed exact: "shared" is in one entry, "writer" in 160.
        df, size = library.backend.frequencies(["shared", "writer"])
    assert len(texts) == 4 * 40 + 1 == len(set(texts))
    assert (df, size) == ({"shared": 1, "writer": 160}, 161)


def _set_schema_version(url: str, version: int) -> None:
    if url.startswith("sqlite:///"):
        with sqlite3.connect(url[len("sqlite://") :]) as db:
            db.execute("UPDATE schema_version SET version = ?", (version,))
        return
    import psycopg

    with psycopg.connect(url) as db:
        db.execute("UPDATE schema_version SET version = %s", (version,))


def test_a_library_of_a_newer_schema_is_refused_untouched(library_url: str) -> None:
    with open_library(library_url) as library:
        library.add([PUTIN])
    _set_schema_version(library_url, SCHEMA_VERSION + 1)
    with pytest.raises(
        LibraryError, match=f"schema version {SCHEMA_VERSION + 1}, newer than this factcheck"
    ):
        open_library(library_url)
    _set_schema_version(library_url, SCHEMA_VERSION)
    with open_library(library_url) as library:
        assert [e.text for e in library.entries()] == [PUTIN.text]


def test_a_corrupt_sqlite_file_is_a_clear_error_and_stays_as_it_was(tmp_path: Path) -> None:
    path = tmp_path / "library.sqlite3"
    garbage = b"this is not a database\x00" * 100
    path.write_bytes(garbage)
    with pytest.raises(LibraryError, match="corrupt, or not an SQLite file") as error:
        open_library(f"sqlite:///{path}")
    assert str(path) in str(error.value)
    assert path.read_bytes() == garbage


def test_another_programs_sqlite_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "other.sqlite3"
    with sqlite3.connect(path) as db:
        db.execute("CREATE TABLE recipes (name TEXT)")
    with pytest.raises(LibraryError, match="not a factcheck library"):
        open_library(f"sqlite:///{path}")


def test_wrong_credentials_are_named(postgres_url: str) -> None:
    from urllib.parse import urlsplit

    parts = urlsplit(postgres_url)
    if parts.password is None:
        pytest.skip("the test server takes no password")
    wrong = postgres_url.replace(f":{parts.password}@", ":not-the-password@")
    with pytest.raises(LibraryError, match="wrong user name or password") as error:
        open_library(wrong)
    assert "not-the-password" not in str(error.value)


def test_an_unreachable_server_is_named() -> None:
    import socket

    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    pytest.importorskip("psycopg")
    with pytest.raises(LibraryError, match="cannot reach the PostgreSQL server"):
        open_library(f"postgresql://someone:secret@127.0.0.1:{port}/library")


def test_unknown_url_kinds_are_refused() -> None:
    with pytest.raises(LibraryError, match="unknown kind of library 'mysql'"):
        open_library("mysql://host/db")
    with pytest.raises(LibraryError, match="sqlite:///absolute/path"):
        open_library("sqlite://relative.db")


def test_a_claim_without_text_is_refused(library_url: str) -> None:
    with open_library(library_url) as library, pytest.raises(LibraryError, match="text"):
        library.add([PUTIN, replace(PUTIN, text="  ")])
        assert library.count() == 0


def test_claims_are_plain_values() -> None:
    claim = Claim("a:0", "a", 0, 0, 5, "Hello")
    assert PUTIN.key == replace(PUTIN, text="putin HAS been in power since 1999", note="").key
    assert PUTIN.key != replace(PUTIN, source_url="https://elsewhere.example/").key
    assert claim.text == "Hello"


def test_removing_entries_takes_their_words_out_of_the_counts(library_url: str) -> None:
    with open_library(library_url) as library:
        library.add([PUTIN, WAR])
        assert library.remove([PUTIN.key, "no such key"]) == 1
        df, size = library.backend.frequencies(["putin", "war"])
        assert (df, size) == ({"war": 1}, 1)
        assert library.lookup([PUTIN.text]) == ((),)
        assert library.by_keys([WAR.key, PUTIN.key]) == {
            WAR.key: library.by_keys([WAR.key])[WAR.key]
        }


def test_asking_whether_a_library_exists_creates_none(tmp_path: Path) -> None:
    from factcheck.library import library_exists

    url = f"sqlite:///{tmp_path / 'new' / 'library.sqlite3'}"
    assert not library_exists(url)
    assert not (tmp_path / "new").exists()
    open_library(url).close()
    assert library_exists(url)
    assert library_exists("postgresql://someone@127.0.0.1/library")


def _make_version_1_library(url: str) -> None:
    """A library as factcheck wrote it before schema 2 (no embeddings, no count row)."""
    from factcheck.library import postgres_backend, sqlite_backend
    from factcheck.library.backend import COLUMNS, entry_row

    row = entry_row(PUTIN)
    words = sorted(set(row[2].split()))
    if url.startswith("sqlite:"):
        db = sqlite3.connect(url.removeprefix("sqlite://"))
        statements, mark = sqlite_backend.MIGRATIONS[1], "?"
    else:
        import psycopg

        db = psycopg.connect(url)  # type: ignore[assignment]
        statements, mark = postgres_backend.MIGRATIONS[1], "%s"
    db.execute("CREATE TABLE schema_version (version INTEGER NOT NULL)")
    db.execute("INSERT INTO schema_version VALUES (1)")
    for statement in statements:
        db.execute(statement)
    marks = ",".join([mark] * len(COLUMNS))
    db.execute(f"INSERT INTO entries ({', '.join(COLUMNS)}) VALUES ({marks})", row)
    for word in words:
        db.execute(f"INSERT INTO terms (word, df) VALUES ({mark}, 1)", (word,))
    db.commit()
    db.close()


def test_a_version_1_library_is_migrated_and_keeps_working(library_url: str) -> None:
    _make_version_1_library(library_url)
    with open_library(library_url) as library:
        assert library.count() == 1
        assert library.backend.frequencies(["putin"]) == ({"putin": 1}, 1)
        library.add([WAR])  # a new row reaches the full-text index
        assert library.backend.frequencies([])[1] == 2
        assert library.unembedded_count() == 1  # the old entry waits for `index`
        library.index()
        checks = library.lookup([PUTIN.text, WAR.text])
    assert [[c.entry.text for c in found] for found in checks] == [[PUTIN.text], [WAR.text]]
