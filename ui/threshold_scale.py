"""What the threshold becomes when the scorer changes, so that the number keeps its
meaning.

The calibrated scorers (lexical, hybrid, semantic) share one scale, 20 × the STS
similarity grade, so a threshold carries over unchanged between them. The raw scores
(rapidfuzz ratios, normalised BM25) are on scales of their own, where 20 keeps almost
every pair (token_set_ratio at 20 linked 232 pairs of the seed articles): switching
to or from one of them resets the threshold to that scorer's usual value. One
function, so that a new calibration changes only this table.
"""

from __future__ import annotations

from factcheck.models import MatchConfig

#: Scorers whose scores are on the calibrated 20 × STS-grade scale.
CALIBRATED = frozenset({"lexical", "hybrid", "semantic"})
#: A raw scorer's usual threshold: where its pairs start to say roughly the same.
RAW_DEFAULTS = {"token_set_ratio": 60.0, "token_sort_ratio": 60.0, "ratio": 60.0, "bm25": 40.0}


def default_threshold(scorer: str) -> float:
    return RAW_DEFAULTS.get(scorer, MatchConfig().threshold)


def threshold_for_scorer(old: str, new: str, threshold: float) -> float:
    """The threshold to use with ``new`` where ``threshold`` was used with ``old``."""
    if old == new or (old in CALIBRATED and new in CALIBRATED):
        return threshold
    return default_threshold(new)
