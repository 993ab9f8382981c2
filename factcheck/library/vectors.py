"""Embeddings in the claim library: stored as int8 bytes, computed when entries are
added (small adds) or by ``factcheck library index`` (big imports), and searched.

An entry's embedding is the shipped sentence encoder's vector (384 floats,
:mod:`factcheck.matching.encoder`) scaled so its largest component is ±127 and
rounded: 384 bytes an entry (a quarter of float32), and the cosine of two stored
vectors stays within about 0.005 of the float one, far below what separates a
paraphrase from a neighbour.

Nearest entries of a looked-up claim: the server's vector index where there is one
(pgvector), else a scan of the stored vectors in chunks of :data:`SCAN_CHUNK` rows,
keeping only each claim's best :data:`NEIGHBOURS` so far: memory is one chunk,
whatever the library's size. The scan reads every stored vector (~0.4 GB at a million
entries); above :data:`SCAN_LIMIT` embedded entries it is skipped and the lookup's
semantic part is the re-ranking of the full-text candidates only (say so, and use
PostgreSQL with pgvector for neighbours at that scale).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np
import numpy.typing as npt

from .backend import LibraryBackend

Float32Array = npt.NDArray[np.float32]

#: Embedded entries a lookup scans at most for embedding neighbours.
SCAN_LIMIT = 200_000
#: Rows per chunk of the scan (× 384 bytes, and × claims looked up as float32 scores).
SCAN_CHUNK = 8_192
#: Queries compared with a chunk at once (their scores: QUERY_BLOCK × SCAN_CHUNK floats,
#: 8 MB; one block's numpy calls hold the GIL for a few milliseconds).
QUERY_BLOCK = 256
#: Embedding neighbours added per looked-up claim (the in-memory matcher's width).
NEIGHBOURS = 24
#: Entries encoded (and committed) per step of indexing.
INDEX_BATCH = 512
#: A single add embeds its entries in the same pass up to this many; a bigger import
#: leaves them to ``factcheck library index`` (at ~460 sentences/s on two cores, a
#: million entries take over half an hour to embed).
EMBED_INLINE = 5_000


def quantize(vectors: Float32Array) -> list[bytes]:
    """Rows of float vectors as int8 bytes, each row scaled to its largest component."""
    rows = np.asarray(vectors, dtype=np.float32)
    peak = np.maximum(np.abs(rows).max(axis=1, keepdims=True), 1e-12)
    scaled = np.rint(rows * (127.0 / peak)).astype(np.int8)
    return [row.tobytes() for row in scaled]


def dequantize(blobs: Sequence[bytes]) -> Float32Array:
    """Stored vectors back as L2-normalised float32 rows (zeros for an empty one)."""
    if not blobs:
        return np.zeros((0, 0), dtype=np.float32)
    rows = np.frombuffer(b"".join(blobs), dtype=np.int8).reshape(len(blobs), -1)
    floats = rows.astype(np.float32)
    norms = np.sqrt(np.einsum("ij,ij->i", floats, floats))[:, None]
    floats /= np.maximum(norms, 1e-12)
    return floats


def pgvector_text(blob: bytes) -> str:
    """A stored vector as pgvector's text input (``[x,y,…]``)."""
    (row,) = dequantize([blob])
    return "[" + ",".join(f"{x:.5f}" for x in row.tolist()) + "]"


def scan_neighbours(
    backend: LibraryBackend, queries: Float32Array, width: int = NEIGHBOURS
) -> list[list[int]]:
    """The ``width`` stored entries nearest each query row (cosine), by a chunked scan.

    Each chunk of stored rows is compared with :data:`QUERY_BLOCK` queries at a time:
    memory is a block's scores (not every query's: 10,000 claims looked up made 2 GB of
    temporaries), and no single numpy call holds the GIL long while the app's GUI
    thread waits for it (the lookup runs in a worker thread)."""
    keep_ids = np.zeros((len(queries), width), dtype=np.int64)
    keep_sim = np.zeros((len(queries), width), dtype=np.float32)
    kept = 0  # columns of keep_* filled so far (fewer than width until enough rows)
    after = 0
    while True:
        chunk = backend.embedding_chunk(after, SCAN_CHUNK)
        if not chunk:
            break
        after = chunk[-1][0]
        ids = np.fromiter((i for i, _ in chunk), dtype=np.int64, count=len(chunk))
        rows = dequantize([b for _, b in chunk]).T
        keep = min(width, kept + len(chunk))
        for start in range(0, len(queries), QUERY_BLOCK):
            block = slice(start, start + QUERY_BLOCK)
            sims = queries[block] @ rows
            all_sim = np.hstack([keep_sim[block, :kept], sims])
            all_ids = np.hstack([keep_ids[block, :kept], np.broadcast_to(ids, sims.shape)])
            top = np.argpartition(-all_sim, keep - 1, axis=1)[:, :keep]
            keep_sim[block, :keep] = np.take_along_axis(all_sim, top, axis=1)
            keep_ids[block, :keep] = np.take_along_axis(all_ids, top, axis=1)
        kept = keep
    best_sim, best_ids = keep_sim[:, :kept], keep_ids[:, :kept]
    order = np.argsort(-best_sim, axis=1, kind="stable")
    return np.take_along_axis(best_ids, order, axis=1).tolist()  # type: ignore[no-any-return]


def stale(backend: LibraryBackend) -> bool:
    """Whether the stored embeddings were made by another model than the one in use (an
    older factcheck's): a lookup must not compare them with its own, and
    :func:`index` embeds every entry again. False without embeddings or without the
    model (nothing to compare)."""
    from ..matching.encoder import EncoderUnavailable, model_id

    if backend.embedded_count() == 0:
        return False
    try:
        return backend.embedding_model() != model_id()
    except EncoderUnavailable:
        return False


def store(backend: LibraryBackend, rows: Sequence[tuple[str, str, str]]) -> int:
    """Embed (key, text, normalised text) rows and store them; how many were stored.
    None are while the library holds another model's embeddings (:func:`index`
    replaces those first)."""
    from ..matching.encoder import model_id

    model = model_id()
    if backend.embedding_model() != model:
        if backend.embedded_count():
            return 0
        backend.set_embedding_model(model, clear=False)
    return _embed(backend, rows)


def _embed(backend: LibraryBackend, rows: Sequence[tuple[str, str, str]]) -> int:
    """:func:`store` once the library's embeddings are known to be the model's."""
    from ..matching.encoder import encode

    stored = 0
    for start in range(0, len(rows), INDEX_BATCH):
        part = rows[start : start + INDEX_BATCH]
        blobs = quantize(encode([text for _, text, _ in part]))
        items = [(key, norm, b) for (key, _, norm), b in zip(part, blobs, strict=True)]
        stored += backend.set_embeddings(items)
    return stored


def index(
    backend: LibraryBackend,
    *,
    progress: Callable[[int, int], bool] | None = None,
    limit: int | None = None,
) -> int:
    """Embed the entries that have no embedding yet, :data:`INDEX_BATCH` per transaction
    (an interrupted run keeps what it stored; the next one goes on). ``progress(done,
    total)`` returning False stops after the current batch. Raises
    :class:`factcheck.matching.encoder.EncoderUnavailable` without the model. Embeddings
    made by another model are dropped first: every entry is embedded again."""
    from ..matching.encoder import model_id

    model = model_id()
    if backend.embedding_model() != model:
        backend.set_embedding_model(model, clear=True)
    total = backend.count() - backend.embedded_count()
    if limit is not None:
        total = min(total, limit)
    done = 0
    after = 0
    while done < total:
        rows = backend.unembedded(after, min(INDEX_BATCH, total - done))
        if not rows:
            break
        after = rows[-1][0]
        _embed(backend, [(key, text, norm) for _, key, text, norm in rows])
        done += len(rows)
        if progress is not None and not progress(done, total):
            break
    return done
