"""The semantic stage: sentence-embedding similarity next to the lexical score.

The embeddings come from :mod:`.encoder` (all-MiniLM-L6-v2 as int8 ONNX, shipped in
the package: no torch, nothing downloaded). It loads lazily on first use; embeddings
are cached per text, so re-matching after a settings change does not encode again.
Without the model files the stage is off and says why (``engine.missing_stage``).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from .encoder import encode as embed
from .encoder import encoder_available as semantic_available
from .encoder import encoder_problem, set_encoder
from .lexindex import Candidates, Corpus, FloatArray, IntArray

__all__ = [
    "HYBRID_SEMANTIC_WEIGHT",
    "SEMANTIC_SCALE",
    "add_candidates",
    "embed",
    "encoder_problem",
    "hybrid",
    "pair_similarity",
    "semantic_available",
    "set_encoder",
    "to_score",
]

#: Weight of the semantic score in the hybrid score (the rest is the lexical score,
#: which always counts). Both are on the same scale (20 × STS grade), so the mean
#: is too. Compared in ``benchmarks/harness.py``: hybrid beats both parts on MRPC
#: F1 and CheckThat MAP@5.
HYBRID_SEMANTIC_WEIGHT = 0.5
#: ``(α, β)``: cosine similarity mapped onto 20 × the STS-B train grade by least
#: squares (``benchmarks/harness.py --fit``), like the lexical score, anchored so
#: that the same text (cosine 1) scores 100 as it does lexically: α = 100 − β.
SEMANTIC_SCALE = (-28.658, 128.658)


def to_score(cosine: FloatArray) -> FloatArray:
    """Cosine similarity as a 0–100 score on the lexical score's scale (20 × STS grade)."""
    _alpha, beta = SEMANTIC_SCALE
    # α + β·cos written as 100 − β·(1 − cos) (α = 100 − β): cosine 1 gives exactly 100.
    return np.asarray(np.clip(100.0 - beta * (1.0 - cosine), 0.0, 100.0), dtype=np.float64)


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
