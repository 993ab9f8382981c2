"""Cross-article matching: candidates from the index, re-scored, cut to top-k both ways."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from itertools import repeat

import numpy as np
import numpy.typing as npt

from ..differences import fact_differences
from ..errors import MatchConfigError
from ..models import Claim, FactDifference, Match, MatchConfig
from . import confidence, semantic
from .claim_coverage import Coverage as Coverage
from .claim_coverage import coverage as coverage
from .encoder import EncoderUnavailable, encoder_problem
from .lexindex import Candidates, Corpus, FloatArray, IntArray, bm25_similarity, build_corpus
from .lexindex import candidate_pairs as _candidate_pairs
from .normalize import normalize_text
from .scorers import missing_stage
from .scoring import RAPIDFUZZ_SCORERS, SCORERS, combine, lexical_features, rapidfuzz_scores

Progress = Callable[[int, int], bool]

#: Candidates kept per claim and side by the index, at least (re-scoring then picks
#: the top-k). Measured by ``benchmarks/scaling.py``: recall of brute-force top-3.
CANDIDATE_WIDTH = 24
#: The rapidfuzz scorers the confidence's features need, and the sub-scores a
#: confidence match keeps for display (0–100). ``token_set_ratio`` (the costliest) is
#: a feature of the pool only (each claim's few best by the base score, which does not
#: use it): it is computed for the pool, not for every candidate (:func:`_pool_only`).
_CONFIDENCE_RAPIDFUZZ = ("ratio", "token_set_ratio")
_POOL_ONLY = "token_set_ratio"
_CONFIDENCE_COMPONENTS = ("lexical", "semantic")
#: Lowest score of a "related" candidate (listed in the inspector, never a link).
RELATED_FLOOR = 10.0
#: Candidates re-scored per progress report.
_RESCORE_CHUNK = 50_000


class MatchCancelled(Exception):
    """The progress callback asked to stop; no partial result is returned."""


@dataclass(frozen=True)
class _Scored:
    a_index: IntArray
    b_index: IntArray
    score: FloatArray
    components: tuple[tuple[str, FloatArray], ...]


def match_claims(
    a_claims: Sequence[Claim],
    b_claims: Sequence[Claim],
    config: MatchConfig = MatchConfig(),  # noqa: B008 - frozen, so sharing it is safe
    *,
    progress: Progress | None = None,
    with_encoder: bool = True,
) -> tuple[Match, ...]:
    """The pairs shown as links (see :func:`match_with_related`; the related pairs are
    not built)."""
    return match_with_related(
        a_claims, b_claims, config, progress=progress, with_encoder=with_encoder, related=False
    ).shown


@dataclass(frozen=True)
class MatchResult:
    """Shown links, and the related candidates below the threshold (inspector only)."""

    shown: tuple[Match, ...]
    related: tuple[Match, ...]


def match_with_related(
    a_claims: Sequence[Claim],
    b_claims: Sequence[Claim],
    config: MatchConfig = MatchConfig(),  # noqa: B008
    *,
    progress: Progress | None = None,
    with_encoder: bool = True,
    related: bool = True,
) -> MatchResult:
    """Scored pairs across two claim lists, many-to-many.

    A pair is **shown** when ``score >= config.threshold`` and it is among the
    ``config.top_k`` best of its A claim or of its B claim (:func:`shown_mask`); with
    the ``confidence`` scorer that reads "likely the same claim". Among the same
    top-k, pairs below the threshold scoring at least ``RELATED_FLOOR`` are
    **related** (same story, maybe not the same claim). Sorted by A claim, then best
    score first. ``progress(done, total)`` returning False raises
    :class:`MatchCancelled`.

    ``with_encoder=False`` leaves the sentence encoder out, as when it is missing: the
    ``confidence`` scorer then uses its lexical-only model. That is the quick first
    result on long articles, shown while the encoder runs (a scorer that needs the
    encoder raises :class:`MatchConfigError`). ``related=False`` leaves ``related``
    empty (its matches are not built).
    """
    _check_config(config)
    if not with_encoder and SCORERS[config.scorer].semantic:
        raise MatchConfigError(f"scorer {config.scorer!r} needs the sentence encoder")
    scored = _score(
        [c.text for c in a_claims],
        [c.text for c in b_claims],
        config,
        progress,
        same_side=False,
        with_encoder=with_encoder,
    )
    top = _top_k_both_ways(scored, config.top_k)
    shown = top & (scored.score >= config.threshold)
    if not related:
        return MatchResult(_matches(scored, shown, a_claims, b_claims, config.scorer), ())
    below = top & ~shown & (scored.score >= RELATED_FLOOR)
    return MatchResult(
        _matches(scored, shown, a_claims, b_claims, config.scorer),
        _matches(scored, below, a_claims, b_claims, config.scorer),
    )


def shown_mask(
    a_index: IntArray, b_index: IntArray, score: FloatArray, config: MatchConfig
) -> npt.NDArray[np.bool_]:
    """The decision rule on scored candidate pairs: which are shown as links."""
    scored = _Scored(a_index, b_index, score, ())
    return _top_k_both_ways(scored, config.top_k) & (score >= config.threshold)


def score_candidates(
    a_texts: Sequence[str], b_texts: Sequence[str], config: MatchConfig
) -> tuple[IntArray, IntArray, FloatArray, dict[str, FloatArray]]:
    """Every candidate pair's score and sub-scores, before the decision rule (for
    benchmarks and fitting)."""
    _check_config(config)
    scored = _score(a_texts, b_texts, config, None, same_side=False)
    return scored.a_index, scored.b_index, scored.score, dict(scored.components)


def confidence_inputs(
    a_texts: Sequence[str], b_texts: Sequence[str]
) -> tuple[IntArray, IntArray, dict[str, FloatArray], FloatArray | None]:
    """The candidate pairs and what the confidence is computed from (lexical parts and
    cosine, 0–1; cosine None without the encoder): for fitting the confidence model."""
    config = MatchConfig(scorer="confidence")
    scored = _score(a_texts, b_texts, config, None, same_side=False, raw=True)
    parts_of, cosine = _confidence_inputs(scored)
    return scored.a_index, scored.b_index, parts_of, cosine


def find_near_duplicates(
    claims: Sequence[Claim],
    config: MatchConfig = MatchConfig(),  # noqa: B008
) -> tuple[Match, ...]:
    """Pairs of claims inside one article scoring ``>= config.duplicate_threshold``.

    A caption that repeats a body sentence is the usual case. ``a_id`` is always the
    earlier claim. Sorted by the earlier claim, best score first.
    """
    _check_config(config)
    if config.scorer == "confidence":
        # Inside one article the claims are not two tellings of one story: the lexical
        # score (and its 0–100 duplicate threshold) is what finds a repeated sentence.
        config = replace(config, scorer="lexical")
    texts = [c.text for c in claims]
    scored = _score(texts, texts, config, None, same_side=True)
    keep = (scored.a_index < scored.b_index) & (scored.score >= config.duplicate_threshold)
    return _matches(scored, keep, claims, claims, config.scorer)


def pair_differences(a: Claim, b: Claim) -> tuple[FactDifference, ...]:
    """Numbers, dates, names and negations that differ between two matched claims."""
    return fact_differences(a.text, b.text)


def uses_encoder(scorer: str) -> bool:
    """Whether ``scorer`` runs the sentence encoder here (``confidence`` does when it can)."""
    return SCORERS[scorer].semantic or (scorer == "confidence" and semantic.semantic_available())


def stage_note(scorer: str) -> str:
    """What the user should know about ``scorer`` here ("" when it runs in full)."""
    missing = missing_stage(scorer)
    if missing:
        return missing
    if scorer != "confidence":
        return ""
    problem = encoder_problem()
    if problem:
        return (
            "the confidence uses lexical features only (fewer differently-worded links"
            f" are found): the sentence encoder is off: {problem}"
        )
    problem = cross_problem()
    if problem and confidence.params().cross is not None:
        return f"the confidence runs without the cross-encoder (fewer links are right): {problem}"
    return ""


def _check_config(config: MatchConfig) -> None:
    if config.scorer not in SCORERS:
        known = ", ".join(SCORERS)
        raise MatchConfigError(f"unknown scorer {config.scorer!r}; known scorers: {known}")
    missing = missing_stage(config.scorer)
    if missing:
        raise MatchConfigError(f"scorer {missing}")
    if config.top_k < 1:
        raise MatchConfigError(f"top_k must be at least 1, got {config.top_k}")
    for name in ("threshold", "duplicate_threshold"):
        value = getattr(config, name)
        if not 0.0 <= value <= 100.0:
            raise MatchConfigError(f"{name} must be between 0 and 100, got {value}")


def _score(
    a_texts: Sequence[str],
    b_texts: Sequence[str],
    config: MatchConfig,
    progress: Progress | None,
    *,
    same_side: bool,
    raw: bool = False,
    with_encoder: bool = True,
) -> _Scored:
    a_norm = [normalize_text(t) for t in a_texts]
    b_norm = a_norm if same_side else [normalize_text(t) for t in b_texts]
    corpus = build_corpus([t.split() for t in a_norm], [t.split() for t in b_norm])
    # Progress runs over phases of len(A) steps each: the index, the embeddings (only
    # with the semantic stage), re-scoring, the cross-encoder (only for the confidence
    # when it can run).
    uses_semantic = with_encoder and uses_encoder(config.scorer)
    uses_cross = uses_semantic and config.scorer == "confidence" and not raw and cross_wanted()
    step = max(len(a_norm), 1)
    total = (2 + uses_semantic + uses_cross) * step

    def index_progress(done: int, _total: int) -> bool:
        return progress is None or progress(done, total)

    width = max(CANDIDATE_WIDTH, 4 * config.top_k)
    try:
        candidates = _candidate_pairs(corpus, width, progress=index_progress)
        if uses_semantic:
            texts = list(a_texts) if same_side else [*a_texts, *b_texts]

            def embed_progress(done: int, of: int) -> bool:
                return progress is None or progress(step + (step * done) // max(of, 1), total)

            semantic.embed(texts, progress=embed_progress)
            candidates = semantic.add_candidates(candidates, a_texts, b_texts, corpus, width)
    except InterruptedError as stop:
        raise MatchCancelled("matching cancelled") from stop
    rescored_from = (1 + uses_semantic) * step
    parts: list[_Scored] = []
    n = len(candidates.a_index)
    for start in range(0, max(n, 1), _RESCORE_CHUNK):
        chunk = Candidates(
            candidates.a_index[start : start + _RESCORE_CHUNK],
            candidates.b_index[start : start + _RESCORE_CHUNK],
            candidates.overlap[start : start + _RESCORE_CHUNK],
        )
        parts.append(
            _rescore(
                config.scorer,
                corpus,
                (a_norm, b_norm),
                (a_texts, b_texts),
                chunk,
                uses_semantic,
                every_feature=raw,
            )
        )
        done = rescored_from + (step * min(n, start + _RESCORE_CHUNK)) // max(n, 1)
        if progress is not None and not progress(min(done, total), total):
            raise MatchCancelled("matching cancelled")
    names = [name for name, _ in parts[0].components]
    scored = _Scored(
        np.concatenate([p.a_index for p in parts]),
        np.concatenate([p.b_index for p in parts]),
        np.concatenate([p.score for p in parts]),
        tuple((name, np.concatenate([dict(p.components)[name] for p in parts])) for name in names),
    )
    if config.scorer != "confidence" or raw:
        return scored
    parts_of, cosine = _confidence_inputs(scored)
    cross = _cross_scorer(progress, rescored_from + step, total) if uses_cross else None
    # The base score the pool is chosen by does not use token_set_ratio: one pool serves.
    pool, model, cross = confidence.plan(scored.a_index, scored.b_index, parts_of, cosine, cross)
    parts_of[_POOL_ONLY] = _pool_only(scored, pool, (a_norm, b_norm))
    args = (a_texts, b_texts, scored.a_index, scored.b_index, parts_of, cosine)
    try:
        score = confidence.confidence(*args, model, cross, kept=pool)
    except InterruptedError as stop:
        raise MatchCancelled("matching cancelled") from stop
    except EncoderUnavailable:  # the cross-encoder's file is there but does not load
        pool, model, _ = confidence.plan(scored.a_index, scored.b_index, parts_of, cosine, None)
        parts_of[_POOL_ONLY] = _pool_only(scored, pool, (a_norm, b_norm))
        score = confidence.confidence(*args, model, kept=pool)
    if uses_cross and progress is not None:
        progress(total, total)  # also when the pool was too large for the cross-encoder
    kept = tuple((n, v) for n, v in scored.components if n in _CONFIDENCE_COMPONENTS)
    return _Scored(scored.a_index, scored.b_index, score, (("confidence", score), *kept))


def cross_wanted() -> bool:
    """Whether the confidence uses the cross-encoder here: a model with its features is
    stored and the cross-encoder can run."""
    return confidence.params().cross is not None and cross_ready()


def cross_scorer() -> confidence.CrossScorer | None:
    """The cross-encoder's pair scorer for the confidence (None when it is not used
    here, :func:`cross_wanted`): what lookups in the claim library re-rank with."""
    return _cross_scorer(None, 0, 1) if cross_wanted() else None


def cross_ready() -> bool:
    """Whether the confidence can use the cross-encoder here (model files, onnxruntime)."""
    return not cross_problem()


def cross_problem() -> str:
    """Why the cross-encoder is off ("" when it can run)."""
    from . import cross_encoder

    return cross_encoder.cross_encoder_problem()


def _cross_scorer(progress: Progress | None, first: int, total: int) -> confidence.CrossScorer:
    """The cross-encoder's pair scorer, reporting its progress from ``first`` to ``total``."""
    from . import cross_encoder

    def score(pairs: Sequence[tuple[str, str]]) -> npt.NDArray[np.floating]:
        def report(done: int, of: int) -> bool:
            return progress is None or progress(first + (total - first) * done // max(of, 1), total)

        return cross_encoder.score_pairs(pairs, progress=report)

    return score


def _confidence_inputs(scored: _Scored) -> tuple[dict[str, FloatArray], FloatArray | None]:
    parts_of = {name: values / 100.0 for name, values in scored.components}
    return parts_of, parts_of.get("semantic")


def _pool_only(
    scored: _Scored, keep: IntArray, normalized: tuple[Sequence[str], Sequence[str]]
) -> FloatArray:
    """``token_set_ratio`` (0–1) of the pairs at ``keep`` (the confidence's pool), NaN
    elsewhere: the same values as computed for every candidate, at a fraction of the
    cost."""
    values = np.full(len(scored.a_index), np.nan)
    ai, bi = scored.a_index[keep], scored.b_index[keep]
    # Through the 0–100 scale and back, as the other components go (the same floats).
    values[keep] = 100.0 * rapidfuzz_scores(_POOL_ONLY, *normalized, ai, bi) / 100.0
    return values


def _rescore(
    scorer: str,
    corpus: Corpus,
    normalized: tuple[Sequence[str], Sequence[str]],
    texts: tuple[Sequence[str], Sequence[str]],
    candidates: Candidates,
    with_semantic: bool = False,
    *,
    every_feature: bool = False,
) -> _Scored:
    """Scores of one chunk of candidates. For ``confidence`` this is the lexical score
    (and the cosine when ``with_semantic``): the confidence needs every candidate and is
    computed after (``_score``), so a caller scoring pairs alone gets the lexical score.
    ``token_set_ratio``, a confidence feature of its pool only, is computed here only
    with ``every_feature`` (for fitting, and for callers computing the confidence
    themselves); ``_score`` adds it for the pool."""
    (a_norm, b_norm), (a_texts, b_texts) = normalized, texts
    ai, bi, overlap = candidates.a_index, candidates.b_index, candidates.overlap
    if scorer in RAPIDFUZZ_SCORERS:
        score = 100.0 * rapidfuzz_scores(scorer, a_norm, b_norm, ai, bi)
        return _Scored(ai, bi, score, ((scorer, score),))
    if scorer == "bm25":
        score = 100.0 * bm25_similarity(corpus, overlap, ai, bi)
        return _Scored(ai, bi, score, (("bm25", score),))
    more: tuple[str, ...] = ()
    if scorer == "confidence":
        more = tuple(n for n in _CONFIDENCE_RAPIDFUZZ if every_feature or n != _POOL_ONLY)
    features = lexical_features(corpus, a_norm, b_norm, ai, bi, overlap, rapidfuzz=more)
    lexical = combine(features)
    components = [("lexical", lexical)] + [(k, 100.0 * v) for k, v in features.items()]
    if scorer == "lexical" or (scorer == "confidence" and not with_semantic):
        return _Scored(ai, bi, lexical, tuple(components))
    cosine = semantic.pair_similarity(a_texts, b_texts, ai, bi)
    components.append(("semantic", cosine))
    score = cosine if scorer in ("semantic", "confidence") else semantic.hybrid(lexical, cosine)
    return _Scored(
        ai, bi, score, (("hybrid", score), *components) if scorer == "hybrid" else tuple(components)
    )


def _top_k_both_ways(scored: _Scored, k: int) -> npt.NDArray[np.bool_]:
    """Mask of pairs among the k best of their A claim or of their B claim."""
    return confidence.top_k_mask(scored.a_index, scored.b_index, scored.score, k)


def _matches(
    scored: _Scored,
    keep: npt.NDArray[np.bool_],
    a_claims: Sequence[Claim],
    b_claims: Sequence[Claim],
    scorer: str,
) -> tuple[Match, ...]:
    index = np.flatnonzero(keep)
    order = index[np.lexsort((scored.b_index[index], -scored.score[index], scored.a_index[index]))]
    # Each component's (name, value) pairs a column at a time, zipped into one tuple per
    # match: the loops run in C, not once per match and component in Python.
    columns = [zip(repeat(name), np.round(v[order], 2).tolist()) for name, v in scored.components]
    scores = np.round(scored.score[order], 2).tolist()
    a_ids = [a_claims[i].id for i in scored.a_index[order].tolist()]
    b_ids = [b_claims[j].id for j in scored.b_index[order].tolist()]
    components = zip(*columns, strict=True) if columns else repeat((), len(scores))
    return tuple(map(Match, a_ids, b_ids, scores, repeat(scorer, len(scores)), components))
