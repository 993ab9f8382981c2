"""Scorers: how a candidate pair of normalised claims gets its 0–100 score.

Plain rapidfuzz scorers (``ratio``, ``token_sort_ratio``, ``token_set_ratio``) and the
index's symmetric ``bm25`` are there for comparison and tuning. The default,
``lexical``, combines several of them into one calibrated score in two steps:

    z     = b + Σ wᵢ·xᵢ                      (direction: logistic regression)
    score = clip(α + β·z, 0, 100)            (scale: least squares on STS-B train)

with the features xᵢ in 0–1 (rapidfuzz ratios / 100, IDF-weighted Dice). The weights
wᵢ decide how pairs are *ranked*. They are fitted on two training sets with equal
total weight: MRPC train (4,076 news sentence pairs labelled paraphrase or not) and
the index's candidates for CheckThat! 2020 train (a tweet against ~10k verified
claims, the right one labelled): a pair of sentences of similar length, and a long
text against a short claim, are both what two articles put side by side. Fitted on
MRPC alone the weights favour character similarity, which ranks long-vs-short pairs
badly (CheckThat dev MAP@5 0.741 against 0.748 pooled; MRPC test F1 0.815 against
0.820). α and β map z onto the STS-benchmark scale, so
``score / 20`` reads as the STS similarity grade of the pair: 100 (5) the same
meaning, 60 (3) roughly equivalent with some facts differing, 40 (2) sharing some
details, 20 (1) on the same topic, 0 unrelated. Two articles about one story share
many topical sentences and few paraphrases, which is why the default threshold is
the "same topic" grade. ``python benchmarks/harness.py --fit`` refits both steps.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from types import MappingProxyType

import numpy as np
from rapidfuzz import fuzz, process

from .lexindex import (
    Corpus,
    FloatArray,
    IntArray,
    bm25_similarity,
    weighted_containment,
    weighted_dice,
)

# The scorer table moved to .scorers (light); its old home still names it.
from .scorers import SCORERS as SCORERS
from .scorers import ScorerSpec as ScorerSpec

#: The rapidfuzz scorers worth offering (``WRatio``/``partial_ratio`` score unrelated
#: sentences high, see issue 2).
RAPIDFUZZ_SCORERS: Mapping[str, Callable[..., float]] = MappingProxyType(
    {
        "ratio": fuzz.ratio,
        "token_sort_ratio": fuzz.token_sort_ratio,
        "token_set_ratio": fuzz.token_set_ratio,
    }
)

#: Features of the combined lexical score, in order (all 0–1). Chosen on the train
#: splits among all subsets (up to 5) of {ratio, token_sort_ratio, token_set_ratio,
#: idf_dice, idf_containment, bm25, word-bigram Dice, equal numbers, length ratio}:
#: character similarity plus IDF-weighted word overlap is the best pair with
#: interpretable (positive) weights on both MRPC and CheckThat. Subsets with word
#: bigrams or token_set_ratio gain ≤ 0.02 MRPC accuracy, with opposite-sign weights,
#: and lose 0.02–0.05 CheckThat MAP@5.
LEXICAL_FEATURES = ("ratio", "idf_dice")
#: Fitted on MRPC train + CheckThat train by ``benchmarks/harness.py --fit``
#: (intercept first).
LEXICAL_WEIGHTS = (-6.444, 4.46, 6.454)
#: ``(α, β)``: the least-squares map of z onto 20 × the STS-B train gold grade.
LEXICAL_SCALE = (56.17, 10.545)


def rapidfuzz_scores(
    name: str, a_texts: Sequence[str], b_texts: Sequence[str], a_index: IntArray, b_index: IntArray
) -> FloatArray:
    """One rapidfuzz scorer over the given pairs, batched in C (0–1)."""
    if len(a_index) == 0:
        return np.zeros(0)
    queries = [a_texts[i] for i in a_index.tolist()]
    choices = [b_texts[j] for j in b_index.tolist()]
    scores = process.cpdist(
        queries, choices, scorer=RAPIDFUZZ_SCORERS[name], dtype=np.float32, workers=-1
    )
    return np.asarray(scores, dtype=np.float64) / 100.0


def lexical_features(
    corpus: Corpus,
    a_texts: Sequence[str],
    b_texts: Sequence[str],
    a_index: IntArray,
    b_index: IntArray,
    overlap: FloatArray,
    rapidfuzz: Sequence[str] = (),
) -> dict[str, FloatArray]:
    """The features of :data:`LEXICAL_FEATURES` (and ``rapidfuzz``) for the given pairs.

    Only the rapidfuzz scorers the combination needs are run unless more are asked
    for: each costs a pass over every candidate.
    """
    features = {
        name: rapidfuzz_scores(name, a_texts, b_texts, a_index, b_index)
        for name in (rapidfuzz or [n for n in LEXICAL_FEATURES if n in RAPIDFUZZ_SCORERS])
    }
    features["idf_dice"] = weighted_dice(corpus, overlap, a_index, b_index)
    features["idf_containment"] = weighted_containment(corpus, overlap, a_index, b_index)
    features["bm25"] = bm25_similarity(corpus, overlap, a_index, b_index)
    return features


def combine(
    features: Mapping[str, FloatArray],
    weights: Sequence[float] = LEXICAL_WEIGHTS,
    scale: tuple[float, float] = LEXICAL_SCALE,
) -> FloatArray:
    """The calibrated 0–100 lexical score (20 × STS grade) from its features."""
    z = np.full(len(features[LEXICAL_FEATURES[0]]), weights[0])
    for name, weight in zip(LEXICAL_FEATURES, weights[1:], strict=True):
        z += weight * features[name]
    return np.asarray(np.clip(scale[0] + scale[1] * z, 0.0, 100.0), dtype=np.float64)
