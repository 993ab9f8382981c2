"""Claim matching across two articles, and near-duplicates inside one.

Pipeline: normalise every claim → inverted index with IDF weights proposes candidate
pairs (never all pairs) → rapidfuzz re-scores only the candidates in C batches → one
calibrated 0–100 score → top-k per claim, both ways, above a threshold. The sentence
encoder (an ONNX model shipped in the package, :mod:`.encoder`) adds embedding
neighbours as candidates and blends cosine similarity into ``hybrid``. The default
scorer, ``confidence``, turns all of it (plus ranks, fact agreement and article
context) into the probability that two claims state the same fact
(:mod:`.confidence`); pairs below the threshold are only "related".
"""

from __future__ import annotations

from .encoder import encoder_problem
from .engine import (
    Coverage,
    MatchCancelled,
    MatchResult,
    coverage,
    find_near_duplicates,
    match_claims,
    match_with_related,
    missing_stage,
    pair_differences,
    stage_note,
)
from .normalize import normalize_text
from .scoring import SCORERS, ScorerSpec
from .semantic import semantic_available

__all__ = [
    "SCORERS",
    "Coverage",
    "MatchCancelled",
    "MatchResult",
    "ScorerSpec",
    "coverage",
    "encoder_problem",
    "find_near_duplicates",
    "match_claims",
    "match_with_related",
    "missing_stage",
    "normalize_text",
    "pair_differences",
    "semantic_available",
    "stage_note",
]
