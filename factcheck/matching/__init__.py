"""Claim matching across two articles, and near-duplicates inside one.

Pipeline (default scorer ``lexical``): normalise every claim → inverted index with
IDF weights proposes candidate pairs (never all pairs) → rapidfuzz re-scores only the
candidates in C batches → one calibrated 0–100 score → top-k per claim, both ways,
above a threshold. The semantic stage (an ONNX sentence encoder shipped in the
package, :mod:`.encoder`) adds embedding neighbours as candidates and blends cosine
similarity into ``hybrid``.
"""

from __future__ import annotations

from .encoder import encoder_problem
from .engine import (
    Coverage,
    MatchCancelled,
    coverage,
    find_near_duplicates,
    match_claims,
    missing_stage,
    pair_differences,
)
from .normalize import normalize_text
from .scoring import SCORERS, ScorerSpec
from .semantic import semantic_available

__all__ = [
    "SCORERS",
    "Coverage",
    "MatchCancelled",
    "ScorerSpec",
    "coverage",
    "encoder_problem",
    "find_near_duplicates",
    "match_claims",
    "missing_stage",
    "normalize_text",
    "pair_differences",
    "semantic_available",
]
