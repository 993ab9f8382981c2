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

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .claim_coverage import Coverage, coverage
    from .encoder import encoder_problem
    from .engine import (
        MatchCancelled,
        MatchResult,
        find_near_duplicates,
        match_claims,
        match_with_related,
        pair_differences,
        stage_note,
    )
    from .normalize import normalize_text
    from .scorers import SCORERS, ScorerSpec, missing_stage
    from .semantic import semantic_available

#: The submodule of each public name. A name's submodule (and with the engine, numpy
#: and rapidfuzz) is imported when the name is first used, so importing one light
#: submodule such as :mod:`.normalize` does not load the whole matcher.
_HOME = {
    "encoder_problem": "encoder",
    "Coverage": "claim_coverage",
    "MatchCancelled": "engine",
    "MatchResult": "engine",
    "coverage": "claim_coverage",
    "find_near_duplicates": "engine",
    "match_claims": "engine",
    "match_with_related": "engine",
    "missing_stage": "scorers",
    "pair_differences": "engine",
    "stage_note": "engine",
    "normalize_text": "normalize",
    "SCORERS": "scorers",
    "ScorerSpec": "scorers",
    "semantic_available": "semantic",
}


def __getattr__(name: str) -> Any:
    home = _HOME.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    # __import__, not importlib.import_module: the same import statement machinery as
    # everywhere else (python -X importtime lists only what goes through it).
    value = getattr(__import__(f"{__name__}.{home}", fromlist=[name]), name)
    globals()[name] = value
    return value


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
