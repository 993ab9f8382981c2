"""Embeddings in the claim library, on both back ends: stored when entries are added,
used by the lookup (neighbours by a chunked scan, or pgvector where the server has it),
and the lexical fallback when the model is missing or entries are not embedded yet."""

from __future__ import annotations

import sqlite3
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from factcheck.cli import main
from factcheck.library import LibraryEntry, open_library, vectors
from factcheck.matching.encoder import MODEL_DIR_ENV, EncoderUnavailable, encode, model_id

LIBRARY = [
    "The unemployment rate fell to four percent last year.",
    "Bananas are rich in potassium.",
    "The president vetoed the budget bill.",
    "Vaccines cause autism in children.",
    "The city built three new bridges in 2020.",
]
#: Says what LIBRARY[3] says with none of its rarer words: only its embedding finds it.
REWORDED = "Kids get autism from shots."


def _entries() -> list[LibraryEntry]:
    return [LibraryEntry(text=t, source_url=f"urn:test:{n}") for n, t in enumerate(LIBRARY)]


@pytest.fixture
def no_model(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The shipped encoder's folder replaced by an empty one."""
    empty = tmp_path / "no-model"
    empty.mkdir()
    monkeypatch.setenv(MODEL_DIR_ENV, str(empty))
    return empty


def test_adding_entries_stores_their_embeddings(library_url: str) -> None:
    with open_library(library_url) as library:
        library.add(_entries())
        backend = library.backend
        assert backend.embedded_count() == library.count() == len(LIBRARY)
        stored = backend.embeddings(range(1, 100))
    assert {len(blob) for blob in stored.values()} == {384}  # int8: a byte a dimension
    by_text = dict(zip(LIBRARY, encode(LIBRARY), strict=True))
    with open_library(library_url) as library:
        texts = library.backend.texts(stored)
    for entry_id, blob in stored.items():
        (vector,) = vectors.dequantize([blob])
        assert float(vector @ by_text[texts[entry_id][0]]) > 0.995


def test_a_reworded_claim_is_found_through_its_embedding(library_url: str) -> None:
    with open_library(library_url) as library:
        library.add(_entries())
        (checks,) = library.lookup([REWORDED])
        assert library.note == ""
    assert [c.entry.text for c in checks] == [LIBRARY[3]]


def test_without_embeddings_the_lookup_is_lexical_and_says_so(library_url: str) -> None:
    with open_library(library_url) as library:
        library.add(_entries(), embed=False)
        assert library.unembedded_count() == len(LIBRARY)
        (checks,) = library.lookup([REWORDED])
        assert "lexical lookup only" in library.note and "library index" in library.note
        assert checks == ()
        # Indexing embeds them; the same lookup then finds the claim.
        assert library.index() == len(LIBRARY)
        assert library.unembedded_count() == 0
        (checks,) = library.lookup([REWORDED])
    assert [c.entry.text for c in checks] == [LIBRARY[3]]


def test_an_empty_library_gives_no_note(library_url: str, no_model: Path) -> None:
    """Nothing is ranked, so neither "no entry has an embedding" nor a missing model
    is worth a word in the app's status line."""
    with open_library(library_url) as library:
        assert library.count() == 0
        assert library.lookup([REWORDED]) == ((),)
        assert library.note == ""
        library.add(_entries()[:1], embed=False)
        library.lookup([REWORDED])
        assert "sentence encoder is not available" in library.note


def test_a_new_text_drops_the_old_embedding(library_url: str) -> None:
    with open_library(library_url) as library:
        library.add(_entries())
        changed = replace(_entries()[1], text="Bananas are rich in potassium and fibre.")
        library.add([changed], embed=False)
        assert library.unembedded_count() == 1
        library.add([changed])  # re-adding the same text embeds it again
        assert library.unembedded_count() == 0
        library.add([_entries()[0]], embed=False)  # same text: the embedding stays
        assert library.unembedded_count() == 0


def test_with_the_model_missing_lookup_is_lexical_and_says_why(
    library_url: str, no_model: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with open_library(library_url) as library:
        library.add(_entries())  # adds, without embeddings
        assert library.unembedded_count() == len(LIBRARY)
        (checks,) = library.lookup(["The president vetoed the budget bill on Monday."])
        assert "sentence encoder is not available" in library.note
        assert "model file missing" in library.note and str(no_model) in library.note
        with pytest.raises(EncoderUnavailable):
            library.index()
    assert [c.entry.text for c in checks] == [LIBRARY[2]]
    assert main(["library", "search", "The president vetoed the budget bill.", "--library",
                 library_url]) == 0  # fmt: skip
    captured = capsys.readouterr()
    assert "The president vetoed the budget bill." in captured.out
    assert "lexical lookup only" in captured.err
    assert main(["library", "index", "--library", library_url]) == 1
    assert "cannot embed" in capsys.readouterr().err


def test_index_command_embeds_what_an_import_left(
    library_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with open_library(library_url) as library:
        library.add(_entries(), embed=False)
    assert main(["library", "info", "--library", library_url]) == 0
    assert f"{len(LIBRARY)} entries, 0 with an embedding" in capsys.readouterr().out
    assert main(["library", "index", "--library", library_url]) == 0
    assert f"{len(LIBRARY)} entries embedded" in capsys.readouterr().out
    assert main(["library", "info", "--library", library_url]) == 0
    assert f"{len(LIBRARY)} entries, {len(LIBRARY)} with an embedding" in capsys.readouterr().out


class _Recorded:
    """The real back end, recording how many rows each chunk of the scan brought."""

    def __init__(self, backend: object) -> None:
        self._backend = backend
        self.chunks: list[int] = []

    def embedding_chunk(self, after: int, limit: int) -> list[tuple[int, bytes]]:
        rows: list[tuple[int, bytes]] = self._backend.embedding_chunk(after, limit)  # type: ignore[attr-defined]
        self.chunks.append(len(rows))
        return rows


@pytest.mark.parametrize("query_block", [1, vectors.QUERY_BLOCK])
def test_the_scan_holds_one_chunk_at_a_time_and_finds_the_nearest(
    library_url: str, monkeypatch: pytest.MonkeyPatch, query_block: int
) -> None:
    monkeypatch.setattr(vectors, "SCAN_CHUNK", 7)
    monkeypatch.setattr(vectors, "QUERY_BLOCK", query_block)
    texts = [f"Claim number {n} about {w}" for n in range(30) for w in ("taxes", "rain")]
    with open_library(library_url) as library:
        library.add(LibraryEntry(text=t, source_url=f"urn:scan:{n}") for n, t in enumerate(texts))
        recorded = _Recorded(library.backend)
        queries = encode(["How much tax do we pay?", "Will it rain tomorrow?"])
        found = vectors.scan_neighbours(recorded, queries, width=5)  # type: ignore[arg-type]
        everything = library.backend.embedding_chunk(0, 10_000)
    assert max(recorded.chunks) <= 7 and sum(recorded.chunks) == len(texts)
    ids = np.array([i for i, _ in everything])
    sims = queries @ vectors.dequantize([b for _, b in everything]).T
    for row, nearest in zip(sims, found, strict=True):
        assert nearest == ids[np.argsort(-row, kind="stable")[:5]].tolist()


def test_postgresql_without_pgvector_falls_back_to_the_scan(postgres_url: str) -> None:
    with open_library(postgres_url) as library:
        if library.backend.pgvector:  # type: ignore[attr-defined]
            pytest.skip("this server has pgvector: the fallback is not in use")
        library.add(_entries())
        assert library.backend.neighbours(vectors.quantize(encode([REWORDED])), 3) is None
        (checks,) = library.lookup([REWORDED])
    assert [c.entry.text for c in checks] == [LIBRARY[3]]


def test_pgvector_gives_the_neighbours_where_the_server_has_it(pgvector_url: str) -> None:
    with open_library(pgvector_url) as library:
        assert library.backend.pgvector  # type: ignore[attr-defined]
        library.add(_entries())
        queries = encode([REWORDED])
        near = library.backend.neighbours(vectors.quantize(queries), 2)
        scanned = vectors.scan_neighbours(library.backend, queries, width=2)
        (checks,) = library.lookup([REWORDED])
    assert near == scanned
    assert [c.entry.text for c in checks] == [LIBRARY[3]]


def test_the_lookup_ranks_the_same_in_small_chunks(
    library_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Stored rows, queries and pairs taken a few at a time (the scan's chunks and query
    blocks, the cosine's pairs) give the ranking of one pass over all of them."""
    from factcheck.library import lookup

    topics = ("taxes", "rain", "the bridge", "vaccines", "the budget", "bananas")
    texts = [f"Claim {n} says {w} went up by {n} percent" for n in range(12) for w in topics]
    asked = [f"Did {w} go up by {n} percent?" for n in (1, 4, 7) for w in topics]
    with open_library(library_url) as library:
        library.add(LibraryEntry(text=t, source_url=f"urn:chunks:{n}") for n, t in enumerate(texts))
        whole = lookup.rank(library.backend, asked, threshold=lookup.THRESHOLD)
        monkeypatch.setattr(vectors, "SCAN_CHUNK", 7)
        monkeypatch.setattr(vectors, "QUERY_BLOCK", 5)
        monkeypatch.setattr(lookup, "PAIR_CHUNK", 11)
        chunked = lookup.rank(library.backend, asked, threshold=lookup.THRESHOLD)
    assert whole.note == "" and sum(len(ids) for ids in whole.ids) > len(asked)
    assert (chunked.ids, chunked.scores, chunked.entries) == (
        whole.ids,
        whole.scores,
        whole.entries,
    )


def test_the_stored_embeddings_record_the_model_that_made_them(library_url: str) -> None:
    with open_library(library_url) as library:
        assert library.backend.embedding_model() == ""
        library.add(_entries())
        assert library.backend.embedding_model() == model_id()
    assert len(model_id()) == 64  # the sha256 of the shipped model.onnx


def test_another_models_embeddings_are_not_compared_and_index_replaces_them(
    library_url: str,
) -> None:
    """A library embedded by an older factcheck (another model): its vectors are not
    comparable with the shipped model's, so the lookup is lexical and says so, an add
    does not mix new vectors in, and ``index`` embeds every entry again."""
    with open_library(library_url) as library:
        library.add(_entries())
        library.backend.set_embedding_model("an older model", clear=False)
        (checks,) = library.lookup([REWORDED])
        assert "another version of the sentence encoder" in library.note
        assert "library index" in library.note
        assert checks == ()
        assert library.unembedded_count() == len(LIBRARY)
        library.add([LibraryEntry(text="Tides follow the moon.", source_url="urn:test:new")])
        assert library.backend.embedded_count() == len(LIBRARY)  # the old ones only
        assert library.index() == len(LIBRARY) + 1
        assert library.backend.embedding_model() == model_id()
        assert library.unembedded_count() == 0
        (checks,) = library.lookup([REWORDED])
        assert library.note == ""
    assert [c.entry.text for c in checks] == [LIBRARY[3]]


def _as_written_by_schema_2(url: str) -> None:
    """The library as the previous schema left it: embeddings, no model recorded."""
    statements = ("DROP TABLE embedding_model", "UPDATE schema_version SET version = 2")
    if url.startswith("sqlite:///"):
        with sqlite3.connect(url[len("sqlite://") :]) as db:
            for statement in statements:
                db.execute(statement)
        return
    import psycopg

    with psycopg.connect(url) as db:
        for statement in statements:
            db.execute(statement)  # type: ignore[arg-type]


def test_a_schema_2_library_is_upgraded_and_its_embeddings_made_again(library_url: str) -> None:
    with open_library(library_url) as library:
        library.add(_entries())
    _as_written_by_schema_2(library_url)
    with open_library(library_url) as library:
        assert [e.text for e in library.entries()] == LIBRARY
        assert library.backend.embedding_model() == ""
        library.lookup([REWORDED])
        assert "another version of the sentence encoder" in library.note
        assert library.index() == len(LIBRARY)
        (checks,) = library.lookup([REWORDED])
    assert [c.entry.text for c in checks] == [LIBRARY[3]]
