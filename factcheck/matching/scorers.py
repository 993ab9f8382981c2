"""The scorers a matching can use, by name: what the settings, the toolbar and the
project file offer and check. Plain data, apart from :mod:`.scoring` (which computes
the scores, with numpy and rapidfuzz), so that reading the list stays light.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType

from .encoder import encoder_problem


@dataclass(frozen=True)
class ScorerSpec:
    """One entry of :data:`SCORERS`."""

    name: str
    description: str
    #: Needs the sentence encoder (``matching.encoder``, shipped in the package).
    semantic: bool = False


SCORERS: Mapping[str, ScorerSpec] = MappingProxyType(
    {
        "confidence": ScorerSpec(
            "confidence",
            "probability (0–100 %) that the two claims state the same fact, from lexical and"
            " embedding similarity, ranks, names/numbers/dates and article context (default)",
        ),
        "lexical": ScorerSpec(
            "lexical",
            "index candidates; rapidfuzz ratio and IDF-weighted overlap in one score"
            " calibrated to 20 × STS grade",
        ),
        "hybrid": ScorerSpec(
            "hybrid",
            "lexical score combined with sentence-embedding similarity",
            semantic=True,
        ),
        "semantic": ScorerSpec(
            "semantic",
            "sentence-embedding cosine similarity only",
            semantic=True,
        ),
        "bm25": ScorerSpec("bm25", "symmetric BM25 over the index, self-score normalised"),
        "token_set_ratio": ScorerSpec("token_set_ratio", "rapidfuzz token_set_ratio"),
        "token_sort_ratio": ScorerSpec("token_sort_ratio", "rapidfuzz token_sort_ratio"),
        "ratio": ScorerSpec("ratio", "rapidfuzz ratio (Indel similarity)"),
    }
)


def missing_stage(scorer: str) -> str:
    """Why ``scorer`` (a known one) cannot run here: the sentence encoder it needs is
    missing or unreadable, the message names the file ("" when it can run)."""
    if SCORERS[scorer].semantic:
        problem = encoder_problem()
        if problem:
            return f"{scorer!r} needs the semantic stage, which is off (lexical only): {problem}"
    return ""
