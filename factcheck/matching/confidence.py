"""The "same claim" confidence: a calibrated probability that two claims state one fact.

Scorer ``confidence`` (the default). Every candidate pair the index (and, when the
sentence encoder is there, the embedding neighbours) proposes gets features from

* the lexical scores (rapidfuzz ``ratio``/``token_set_ratio``, IDF-weighted Dice and
  containment, BM25, the combined lexical score) and the embedding cosine;
* its rank among the candidates of its A claim and of its B claim, the margin to
  each one's best, and whether it is the best both ways;
* names, numbers, dates and negation the two sides share or change
  (:func:`factcheck.differences.fact_differences`), and the length ratio;
* the article context: the gap between the two claims' relative positions, and how
  similar their neighbours are (a story told in the same order);
* the cross-encoder's logit (:mod:`.cross_encoder`, which reads both sentences at
  once), its rank among the pool of each claim and the margin to the best.

A logistic regression maps them to a probability. Its parameters are data
(``confidence.json``), fitted by ``scripts/fit_confidence.py`` (scikit-learn, at fit
time only) on the labelled article pairs, cross-validated by pair; the runtime is
numpy. Three models are stored, the best one that can run is used (and the app says
when it is not the first): ``cross`` (with the cross-encoder), ``semantic`` (sentence
embeddings, no cross-encoder) and ``lexical_only`` (no encoder at all).

Only a claim's few best candidates by the base score (``PREFILTER`` each way, or
``CROSS_POOL`` with the cross-encoder: the pool) get the full features; the rest are
not the same claim as far as this model is concerned (probability 0), which keeps the
cost of fact differences and of the cross-encoder bounded on long articles. Beyond
``CROSS_MAX_PAIRS`` pairs in the pool the cross-encoder is skipped
(the ``semantic`` model is used).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources

import numpy as np
import numpy.typing as npt

from ..differences import fact_differences
from ..differences.text import text_features
from ..models import DifferenceKind
from .lexindex import FloatArray, IntArray

#: Candidates per claim and side (by the base score) that get the full features.
PREFILTER = 6
#: The same with the cross-encoder: a wider pool, since it can lift a pair from far
#: down (on the article pairs the base score's 6 best both ways hold 88 % of the gold
#: links, its 10 best 96 %).
CROSS_POOL = 10
#: Pairs of the pool, at most, that the cross-encoder scores (beyond: the model
#: without it): about a minute on two cores. Two 40-claim articles make a pool of
#: about 470 pairs, two 1,000-claim articles about 13,000.
CROSS_MAX_PAIRS = 10_000
#: Ranks beyond this count as this (log-scaled feature).
_RANK_CAP = 10

#: Scores sentence pairs with the cross-encoder: logits, higher is more likely the same
#: claim (``cross_encoder.score_pairs`` with the caller's progress and cancel).
CrossScorer = Callable[[Sequence[tuple[str, str]]], npt.NDArray[np.floating]]


@dataclass(frozen=True)
class ConfidenceModel:
    """Logistic regression on standardised features: p = σ(b + Σ wᵢ (xᵢ − μᵢ) / σᵢ)."""

    name: str
    features: tuple[str, ...]
    mean: tuple[float, ...]
    scale: tuple[float, ...]
    coef: tuple[float, ...]
    intercept: float

    def probability(self, features: Mapping[str, FloatArray]) -> FloatArray:
        """P(same claim) for each row of ``features`` (a column per name)."""
        n = len(next(iter(features.values()))) if features else 0
        z = np.full(n, self.intercept)
        for name, mu, sd, w in zip(self.features, self.mean, self.scale, self.coef, strict=True):
            z += w * (np.asarray(features[name], dtype=np.float64) - mu) / sd
        return np.asarray(1.0 / (1.0 + np.exp(-np.clip(z, -40.0, 40.0))), dtype=np.float64)


@dataclass(frozen=True)
class ConfidenceParams:
    """What ``confidence.json`` holds: both models and the default decision rule."""

    semantic: ConfidenceModel
    lexical_only: ConfidenceModel
    #: With the cross-encoder's features (None: not fitted yet, the semantic one runs).
    cross: ConfidenceModel | None
    #: Default threshold (0–100, confidence %) and top-k, chosen by cross-validation.
    threshold: float
    top_k: int
    about: str


def _model(raw: Mapping[str, object], name: str) -> ConfidenceModel:
    part = raw[name]
    if not isinstance(part, Mapping):
        raise ValueError(f"confidence.json: {name!r} is not an object")
    model = ConfidenceModel(
        name=name,
        features=tuple(str(f) for f in part["features"]),
        mean=tuple(float(v) for v in part["mean"]),
        scale=tuple(float(v) for v in part["scale"]),
        coef=tuple(float(v) for v in part["coef"]),
        intercept=float(part["intercept"]),
    )
    n = len(model.features)
    if not (len(model.mean) == len(model.scale) == len(model.coef) == n):
        raise ValueError(f"confidence.json: {name!r} has parameter lists of different lengths")
    unknown = set(model.features) - set(ALL_FEATURES)
    if unknown:
        raise ValueError(f"confidence.json: {name!r} uses unknown features {sorted(unknown)}")
    return model


def parse_params(text: str) -> ConfidenceParams:
    """The parameters from the JSON text of ``confidence.json`` (ValueError if malformed)."""
    raw = json.loads(text)
    try:
        return ConfidenceParams(
            semantic=_model(raw, "semantic"),
            lexical_only=_model(raw, "lexical_only"),
            cross=_model(raw, "cross") if raw.get("cross") is not None else None,
            threshold=float(raw["threshold"]),
            top_k=int(raw["top_k"]),
            about=str(raw.get("about", "")),
        )
    except (KeyError, TypeError) as error:
        raise ValueError(f"confidence.json: missing or malformed entry {error}") from error


@cache
def params() -> ConfidenceParams:
    """The shipped parameters (read once)."""
    text = resources.files("factcheck.matching").joinpath("confidence.json").read_text("utf-8")
    return parse_params(text)


LEXICAL_FEATURES = (
    "ratio",
    "token_set_ratio",
    "idf_dice",
    "idf_containment",
    "bm25",
    "lexical",
)
RANK_FEATURES = ("rank_a", "rank_b", "mutual_best", "margin_a", "margin_b")
FACT_FEATURES = (
    "number_shared",
    "number_diff",
    "date_diff",
    "name_diff",
    "negation_diff",
    "name_shared",
    "length_ratio",
)
CONTEXT_FEATURES = ("position_gap", "neighbour_support")
CROSS_FEATURES = ("cross", "cross_rank_a", "cross_rank_b", "cross_margin_a", "cross_margin_b")
ALL_FEATURES = (
    *LEXICAL_FEATURES,
    "semantic",
    *RANK_FEATURES,
    *FACT_FEATURES,
    *CONTEXT_FEATURES,
    *CROSS_FEATURES,
)


def base_score(lexical: Mapping[str, FloatArray], cosine: FloatArray | None) -> FloatArray:
    """What ranks the candidates before the model: the lexical score, averaged with the
    semantic one when there is one (both 0–1)."""
    lex = np.asarray(lexical["lexical"], dtype=np.float64)
    return lex if cosine is None else 0.5 * (lex + cosine)


def top_k_mask(
    a_index: IntArray, b_index: IntArray, score: FloatArray, k: int
) -> npt.NDArray[np.bool_]:
    """Mask of pairs among the k best (by ``score``) of their A claim or of their B claim."""
    keep = np.zeros(len(score), dtype=bool)
    worse = _worse_first(score)
    for group, other in ((a_index, b_index), (b_index, a_index)):
        keep |= _rank_in(group, other, score, worse) < k
    return keep


def _worse_first(score: FloatArray) -> IntArray:
    """Each score's dense rank, best 0 (equal scores share one)."""
    distinct, inverse = np.unique(score, return_inverse=True)
    return np.asarray(len(distinct) - 1 - inverse.reshape(-1), dtype=np.int64)


def _rank_in(
    group: IntArray, other: IntArray, score: FloatArray, worse: IntArray | None = None
) -> IntArray:
    """0-based rank of each pair by score (best first, then ``other`` ascending) inside its
    group. ``worse``: :func:`_worse_first` of ``score``, when the caller has it."""
    n = len(score)
    if worse is None:
        worse = _worse_first(score)
    n_other = int(other.max(initial=0)) + 1
    n_score = int(worse.max(initial=0)) + 1
    if (int(group.max(initial=0)) + 1) * n_score * n_other < 2**62:
        # (group, score rank, other) in one integer: one sort instead of lexsort's
        # three; a stable sort, so equal keys keep lexsort's order.
        key = (group.astype(np.int64) * n_score + worse) * n_other + other
        order = np.argsort(key, kind="stable")
    else:
        order = np.lexsort((other, worse, group))
    sorted_group = group[order]
    position = np.arange(n)
    starts = np.r_[True, sorted_group[1:] != sorted_group[:-1]] if n else np.zeros(0, bool)
    first = np.maximum.accumulate(np.where(starts, position, 0)) if n else position
    rank = np.empty(n, dtype=np.int64)
    rank[order] = position - first
    return rank


def _best_in(group: IntArray, score: FloatArray, size: int) -> FloatArray:
    best = np.full(max(size, 1), -np.inf)
    np.maximum.at(best, group, score)
    return best[group]


def rank_features(a_index: IntArray, b_index: IntArray, base: FloatArray) -> dict[str, FloatArray]:
    """Rank of b among a's candidates (and vice versa), margins to the best, mutual best."""
    size = int(max(a_index.max(initial=0), b_index.max(initial=0))) + 1
    worse = _worse_first(base)
    rank_a = _rank_in(a_index, b_index, base, worse)
    rank_b = _rank_in(b_index, a_index, base, worse)
    return {
        "rank_a": np.log1p(np.minimum(rank_a, _RANK_CAP)).astype(np.float64),
        "rank_b": np.log1p(np.minimum(rank_b, _RANK_CAP)).astype(np.float64),
        "mutual_best": ((rank_a == 0) & (rank_b == 0)).astype(np.float64),
        "margin_a": base - _best_in(a_index, base, size),
        "margin_b": base - _best_in(b_index, base, size),
    }


def context_features(
    a_index: IntArray, b_index: IntArray, base: FloatArray, n_a: int, n_b: int
) -> dict[str, FloatArray]:
    """Relative position gap, and the base score of the diagonal neighbours (the pair
    before and the pair after in both articles; 0 when not a candidate)."""
    width = max(n_b, 1) + 2
    keys = (a_index + 1) * width + (b_index + 1)
    order = np.argsort(keys)
    sorted_keys = keys[order]

    def lookup(da: int, db: int) -> FloatArray:
        probe = (a_index + 1 + da) * width + (b_index + 1 + db)
        at = np.minimum(np.searchsorted(sorted_keys, probe), max(len(keys) - 1, 0))
        if len(keys) == 0:
            return np.zeros(0)
        hit = sorted_keys[at] == probe
        return np.where(hit, base[order[at]], 0.0)

    support = np.maximum(lookup(-1, -1), lookup(1, 1))
    gap = np.abs(a_index / max(n_a - 1, 1) - b_index / max(n_b - 1, 1))
    return {"position_gap": gap.astype(np.float64), "neighbour_support": support}


def fact_features(a_text: str, b_text: str) -> dict[str, float]:
    """Agreement and disagreement of numbers, dates, names and negation; length ratio."""
    kinds = {d.kind for d in fact_differences(a_text, b_text)}
    a, b = text_features(a_text), text_features(b_text)
    a_numbers = {m.key for m in a.numbers()} if a.may_hold_numbers() else set()
    b_numbers = {m.key for m in b.numbers()} if b.may_hold_numbers() else set()
    a_words, b_words = a_text.split(), b_text.split()
    a_names, b_names = _name_words(a_words), _name_words(b_words)
    shorter, longer = sorted((len(a_words), len(b_words)))
    return {
        "number_shared": float(bool(a_numbers & b_numbers)),
        "number_diff": float(DifferenceKind.NUMBER in kinds),
        "date_diff": float(DifferenceKind.DATE in kinds),
        "name_diff": float(DifferenceKind.NAME in kinds),
        "negation_diff": float(DifferenceKind.NEGATION in kinds),
        "name_shared": len(a_names & b_names) / max(min(len(a_names), len(b_names)), 1),
        "length_ratio": shorter / max(longer, 1),
    }


def _name_words(words: Sequence[str]) -> set[str]:
    """Capitalised words after the first (a cheap stand-in for names), stripped of punctuation."""
    found = set()
    for word in words[1:]:
        core = word.strip(".,;:!?\"'()[]“”‘’—–-")
        if len(core) > 1 and core[0].isupper():
            found.add(core.removesuffix("’s").removesuffix("'s"))
    return found


def cross_features(
    a_index: IntArray, b_index: IntArray, logit: FloatArray
) -> dict[str, FloatArray]:
    """The cross-encoder's logit of each pool pair, its rank among the pool of its A
    claim and of its B claim, and the margin to each one's best."""
    ranks = rank_features(a_index, b_index, logit)
    return {
        "cross": logit,
        "cross_rank_a": ranks["rank_a"],
        "cross_rank_b": ranks["rank_b"],
        "cross_margin_a": ranks["margin_a"],
        "cross_margin_b": ranks["margin_b"],
    }


def pool(
    a_index: IntArray,
    b_index: IntArray,
    lexical: Mapping[str, FloatArray],
    cosine: FloatArray | None,
    width: int = PREFILTER,
) -> IntArray:
    """Positions of the pool: each claim's ``width`` best candidates by the base score,
    both ways."""
    return _pool_by(a_index, b_index, base_score(lexical, cosine), width)


def _pool_by(a_index: IntArray, b_index: IntArray, base: FloatArray, width: int) -> IntArray:
    return np.flatnonzero(top_k_mask(a_index, b_index, base, width)).astype(np.int64)


def plan(
    a_index: IntArray,
    b_index: IntArray,
    lexical: Mapping[str, FloatArray],
    cosine: FloatArray | None,
    cross: CrossScorer | None,
    model: ConfidenceModel | None = None,
) -> tuple[IntArray, ConfidenceModel, CrossScorer | None]:
    """The pool, the model and the cross scorer (None when it is not used) for these
    candidates: the cross-encoder runs when the chosen model has its features and the
    :data:`CROSS_POOL`-wide pool holds at most :data:`CROSS_MAX_PAIRS` pairs; otherwise
    the model without it, on the :data:`PREFILTER`-wide pool."""
    if cross is not None:
        wide = pool(a_index, b_index, lexical, cosine, CROSS_POOL)
        chosen = model or choose_model(cosine is not None, True)
        if len(wide) <= CROSS_MAX_PAIRS and not set(chosen.features).isdisjoint(CROSS_FEATURES):
            return wide, chosen, cross
    chosen = model or choose_model(cosine is not None, False)
    return pool(a_index, b_index, lexical, cosine), chosen, None


def pair_features(
    a_texts: Sequence[str],
    b_texts: Sequence[str],
    a_index: IntArray,
    b_index: IntArray,
    lexical: Mapping[str, FloatArray],
    cosine: FloatArray | None,
    wanted: Collection[str] = ALL_FEATURES,
    cross: CrossScorer | None = None,
    *,
    kept: IntArray | None = None,
) -> tuple[IntArray, dict[str, FloatArray]]:
    """The pool (positions into the given pairs, :func:`pool`: ``PREFILTER`` wide, or
    ``CROSS_POOL`` with a ``cross`` scorer) and its features: those
    of :data:`ALL_FEATURES` (at least those ``wanted``: the rank, fact, context and
    cross features, the costly ones, only when one of them is wanted; the cross
    features only with a ``cross`` scorer).

    ``lexical`` holds the lexical features (0–1, ``lexical`` the combined score ÷ 100)
    of every candidate pair; ``cosine`` the semantic score ÷ 100 (None without the
    encoder: zeros). Ranks and neighbours are taken over all candidates. ``kept``: the
    pool, when the caller has computed it already.
    """
    base = base_score(lexical, cosine)
    width = PREFILTER if cross is None else CROSS_POOL
    keep = _pool_by(a_index, b_index, base, width) if kept is None else kept
    features: dict[str, FloatArray] = {
        name: np.asarray(lexical[name], dtype=np.float64)[keep] for name in LEXICAL_FEATURES
    }
    features["semantic"] = np.zeros(len(keep)) if cosine is None else cosine[keep]
    every: dict[str, FloatArray] = {}
    if not set(wanted).isdisjoint(RANK_FEATURES):
        every.update(rank_features(a_index, b_index, base))
    if not set(wanted).isdisjoint(CONTEXT_FEATURES):
        every.update(context_features(a_index, b_index, base, len(a_texts), len(b_texts)))
    features.update({name: values[keep] for name, values in every.items()})
    if not set(wanted).isdisjoint(FACT_FEATURES):
        rows = [
            fact_features(a_texts[i], b_texts[j])
            for i, j in zip(a_index[keep].tolist(), b_index[keep].tolist(), strict=True)
        ]
        for name in FACT_FEATURES:
            features[name] = np.array([r[name] for r in rows], dtype=np.float64)
    if cross is not None and not set(wanted).isdisjoint(CROSS_FEATURES):
        ai, bi = a_index[keep], b_index[keep]
        texts = [(a_texts[i], b_texts[j]) for i, j in zip(ai.tolist(), bi.tolist(), strict=True)]
        logit = np.asarray(cross(texts), dtype=np.float64) if texts else np.zeros(0)
        features.update(cross_features(ai, bi, logit))
    return keep, features


def choose_model(with_cosine: bool, with_cross: bool) -> ConfidenceModel:
    """The stored model for what can run: cross-encoder, embeddings, or neither."""
    stored = params()
    if with_cross and with_cosine and stored.cross is not None:
        return stored.cross
    return stored.semantic if with_cosine else stored.lexical_only


def confidence(
    a_texts: Sequence[str],
    b_texts: Sequence[str],
    a_index: IntArray,
    b_index: IntArray,
    lexical: Mapping[str, FloatArray],
    cosine: FloatArray | None,
    model: ConfidenceModel | None = None,
    cross: CrossScorer | None = None,
    *,
    kept: IntArray | None = None,
) -> FloatArray:
    """P(same claim) × 100 for each candidate pair (0 outside the pool). ``cross``
    scores the pool with the cross-encoder when the pool holds at most
    :data:`CROSS_MAX_PAIRS` pairs (and a cross model is stored). ``kept``: the pool,
    when the caller has computed it with :func:`plan` (``cross`` then as it planned)."""
    out = np.zeros(len(a_index))
    if len(a_index) == 0:
        return out
    if kept is None:
        kept, chosen, cross = plan(a_index, b_index, lexical, cosine, cross, model)
    else:
        chosen = model or choose_model(cosine is not None, cross is not None)
    keep, features = pair_features(
        a_texts, b_texts, a_index, b_index, lexical, cosine, chosen.features, cross, kept=kept
    )
    out[keep] = 100.0 * chosen.probability(features)
    return out
