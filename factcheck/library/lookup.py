"""Lookup: candidates from the database's full-text index and, where entries have
embeddings, their embedding neighbours; ranked in memory by the matcher's "same claim"
confidence (:func:`factcheck.matching.confidence.confidence`, from the lexical features
and the cosine of the stored embeddings, and the cross-encoder's reading of each
claim's best candidates when it is installed), so that what the store finds equals what
the in-memory matcher would find with the whole library on one side.

The cosine needs an embedding of every candidate: when some candidates have none yet
(a big import not indexed yet) and there are more than :data:`ENCODE_MISSING` of them,
or the encoder is missing, the lookup ranks by the confidence's lexical-only model and
says why (:attr:`Ranked.note`).

Candidates: the entries sharing the most IDF weight with a claim, counted over the
posting lists of the claim's rarest words (as the in-memory index ranks its
candidates), fetched once per word for all the claims looked up together.

The scorer weighs words by their IDF; the in-memory matcher counts document frequencies
over both sides it compares (the claims looked up, and the library). Here the
library's side comes from the store's word counts and the looked-up side is counted in
memory: the same IDF, so the same score for every pair. :func:`score_pairs` is the only
place that scores.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from ..matching import confidence, engine, lexindex
from ..matching.normalize import normalize_text
from ..models import MatchConfig
from . import vectors
from .backend import LibraryBackend
from .entry import LibraryEntry, PriorCheck

#: Candidates fetched from the database per looked-up claim before re-ranking: as many
#: as the in-memory matcher keeps (CheckThat dev MAP@5 through the store: 0.814 with
#: 24, 0.813 with 100, at a fifth of the lookup time).
CANDIDATES = engine.CANDIDATE_WIDTH
#: Candidates without a stored embedding that a lookup encodes itself (a few new
#: entries); with more, the lookup is lexical-only until ``factcheck library index``.
ENCODE_MISSING = 64
#: Words of a looked-up claim the candidate query uses, rarest first: frequent words
#: ("the", "said") find everything and rank nothing.
QUERY_WORDS = 24
#: The candidate query stops adding words (rarest first) once their entries add up to
#: this many, and it has QUERY_MIN_WORDS words: what one query costs the database is
#: about that many index rows, however large the library (1,000,000 entries: 78,000
#: rows for 100 claims, against 425,000 with 5,000 and 3). CheckThat! 2020 dev through
#: the store: MAP@5 0.816 (5,000 and 3: 0.814), the embedding neighbours bringing what
#: the rarer words miss.
QUERY_POSTINGS = 1_000
QUERY_MIN_WORDS = 2
#: Candidate pairs whose embeddings' cosine is computed at once (2 × 6 MB of rows).
PAIR_CHUNK = 4_096
#: Prior checks shown per claim, and the confidence (%) they need: the app's default
#: for showing a link (``MatchConfig.threshold``).
SHOWN = 5
THRESHOLD = MatchConfig().threshold
CONFIDENCE = MatchConfig(scorer="confidence")


@dataclass(frozen=True)
class Ranked:
    """The best entries for each looked-up claim, best first, with their scores."""

    ids: tuple[tuple[int, ...], ...]
    scores: tuple[tuple[float, ...], ...]
    entries: dict[int, LibraryEntry]
    #: "" when ranked with embeddings; else why the ranking is lexical only.
    note: str = ""


def query_words(norm: str, df: dict[str, int]) -> list[str]:
    """The words of a normalised claim that the candidate query asks for: the rarest,
    up to QUERY_WORDS of them and QUERY_POSTINGS entries (always the rarest
    QUERY_MIN_WORDS)."""
    known = sorted({w for w in norm.split() if df.get(w, 0) > 0}, key=lambda w: (df[w], w))
    chosen: list[str] = []
    postings = 0
    for word in known[:QUERY_WORDS]:
        postings += df[word]
        if postings > QUERY_POSTINGS and len(chosen) >= QUERY_MIN_WORDS:
            break
        chosen.append(word)
    return chosen


def rank(
    backend: LibraryBackend,
    texts: Sequence[str],
    *,
    keep: int = SHOWN,
    threshold: float = 0.0,
    candidates: int = CANDIDATES,
    config: MatchConfig = CONFIDENCE,
) -> Ranked:
    """The ``keep`` best entries scoring ``>= threshold`` for each text (``config.scorer``
    ``confidence``, or a lexical scorer of pairs alone)."""
    norms = [normalize_text(t) for t in texts]
    words = {w for n in norms for w in n.split()}
    df, size = backend.frequencies(words)
    found = _candidates(backend, [query_words(n, df) for n in norms], df, size, candidates)
    semantic = config.scorer == "confidence"
    queries, note = _query_vectors(backend, texts) if semantic else (None, "")
    if queries is not None:
        near = backend.neighbours(vectors.quantize(queries), vectors.NEIGHBOURS)
        if near is None and backend.embedded_count() <= vectors.SCAN_LIMIT:
            near = vectors.scan_neighbours(backend, queries)
        for ids, extra in zip(found, near or [], strict=False):
            seen = set(ids)
            ids.extend(i for i in extra if i not in seen)
    pool = backend.texts({i for ids in found for i in ids})
    # The candidates' other words weigh in the score too.
    more = {w for _, norm in pool.values() for w in norm.split()} - words
    if more:
        df = {**df, **backend.frequencies(more)[0]}
    order = sorted(pool)
    position = {entry_id: n for n, entry_id in enumerate(order)}
    a_index = np.array([q for q, ids in enumerate(found) for _ in ids], dtype=np.int64)
    b_index = np.array([position[i] for ids in found for i in ids], dtype=np.int64)
    b_side = ([pool[i][0] for i in order], [pool[i][1] for i in order])
    if len(a_index) == 0:
        score: lexindex.FloatArray = np.zeros(0)
    elif semantic:
        scored = score_pairs(
            (texts, norms), b_side, a_index, b_index, df=df, size=size, config=config
        )
        cosine = None
        if queries is not None:
            cosine, note = _pool_cosine(backend, order, b_side[0], queries, a_index, b_index)
        parts = {name: values / 100.0 for name, values in scored.components}
        # The cross-encoder re-ranks each claim's best candidates (the confidence's
        # pool), as in the in-memory matcher; only with the embeddings' cosine.
        cross = engine.cross_scorer() if cosine is not None else None
        score = confidence.confidence(
            texts, b_side[0], a_index, b_index, parts, cosine, cross=cross
        )
    else:
        score = score_pairs(
            (texts, norms), b_side, a_index, b_index, df=df, size=size, config=config
        ).score
    ids_per_text: list[tuple[int, ...]] = []
    scores_per_text: list[tuple[float, ...]] = []
    start = 0
    for ids in found:
        part = score[start : start + len(ids)].tolist()
        start += len(ids)
        best = sorted(
            ((s, i) for s, i in zip(part, ids, strict=True) if s >= threshold),
            key=lambda p: (-p[0], p[1]),
        )[:keep]
        ids_per_text.append(tuple(i for _, i in best))
        scores_per_text.append(tuple(round(s, 2) for s, _ in best))
    shown = backend.fetch({i for ids in ids_per_text for i in ids})
    return Ranked(tuple(ids_per_text), tuple(scores_per_text), shown, note)


def _query_vectors(
    backend: LibraryBackend, texts: Sequence[str]
) -> tuple[vectors.Float32Array | None, str]:
    """Embeddings of the looked-up texts, or None and why the lookup is lexical only."""
    from ..matching.encoder import EncoderUnavailable, encode, encoder_problem, model_id

    embedded = backend.embedded_count()
    if embedded == 0 and backend.count() == 0:
        return None, ""  # an empty library: nothing is ranked, so nothing to say
    problem = encoder_problem()
    if problem:
        return None, f"lexical lookup only: the sentence encoder is not available ({problem})"
    if embedded == 0:
        return None, "lexical lookup only: no entry has an embedding (factcheck library index)"
    try:
        if backend.embedding_model() != model_id():
            return None, (
                "lexical lookup only: the library's embeddings were made by another version "
                "of the sentence encoder (factcheck library index embeds them again)"
            )
        return encode(texts), ""
    except EncoderUnavailable as error:
        return None, f"lexical lookup only: the sentence encoder is not available ({error})"


def _pool_cosine(
    backend: LibraryBackend,
    order: Sequence[int],
    pool_texts: Sequence[str],
    queries: vectors.Float32Array,
    a_index: lexindex.IntArray,
    b_index: lexindex.IntArray,
) -> tuple[lexindex.FloatArray | None, str]:
    """The semantic score ÷ 100 of each pair from the stored embeddings (a few missing
    ones encoded here), or None and why when too many candidates have none."""
    from ..matching.encoder import encode
    from ..matching.semantic import to_score

    stored = backend.embeddings(order)
    missing = [n for n, entry_id in enumerate(order) if entry_id not in stored]
    if len(missing) > ENCODE_MISSING:
        return None, (
            f"lexical lookup only: {len(missing)} of the candidates have no embedding yet "
            "(factcheck library index)"
        )
    pool = np.zeros((len(order), queries.shape[1]), dtype=np.float32)
    have = [n for n, entry_id in enumerate(order) if entry_id in stored]
    if have:
        pool[have] = vectors.dequantize([stored[order[n]] for n in have])
    if missing:
        fresh = encode([pool_texts[n] for n in missing])
        pool[missing] = vectors.dequantize(vectors.quantize(fresh))
    # By chunks of pairs: gathering both sides' rows of every pair at once took
    # 2 × 750 MB for 10,000 claims, and held the GIL for as long.
    cosine = np.empty(len(a_index), dtype=np.float32)
    for start in range(0, len(a_index), PAIR_CHUNK):
        part = slice(start, start + PAIR_CHUNK)
        cosine[part] = np.einsum("ij,ij->i", queries[a_index[part]], pool[b_index[part]])
    # float32, as the one einsum over all pairs gave it (the same scores to the digit).
    return to_score(cosine) / 100.0, ""  # type: ignore[arg-type]


def _candidates(
    backend: LibraryBackend,
    queries: Sequence[Sequence[str]],
    df: dict[str, int],
    size: int,
    width: int,
) -> list[list[int]]:
    """For each list of words, the ``width`` entries holding the most IDF weight of them
    (ties: the older entry first)."""
    lists = backend.postings({w for words in queries for w in words})
    postings = {w: np.asarray(ids, dtype=np.int64) for w, ids in lists.items()}
    found: list[list[int]] = []
    for words in queries:
        parts = [postings[w] for w in words if len(postings.get(w, ()))]
        if not parts:
            found.append([])
            continue
        idf = [
            np.log1p((size - df[w] + 0.5) / (df[w] + 0.5))
            for w in words
            if len(postings.get(w, ()))
        ]
        ids, where = np.unique(np.concatenate(parts), return_inverse=True)
        weight = np.bincount(where, np.repeat(idf, [len(p) for p in parts]), minlength=len(ids))
        best = np.lexsort((ids, -weight))[:width]
        found.append(ids[best].tolist())
    return found


def prior_checks(
    backend: LibraryBackend,
    texts: Sequence[str],
    *,
    shown: int = SHOWN,
    threshold: float = THRESHOLD,
) -> tuple[tuple[tuple[PriorCheck, ...], ...], str]:
    """For each text, the library's entries likely stating the same claim, best first;
    and "" or why the ranking is lexical only."""
    ranked = rank(backend, texts, keep=shown, threshold=threshold)
    checks = tuple(
        tuple(PriorCheck(ranked.entries[i], s) for i, s in zip(ids, scores, strict=True))
        for ids, scores in zip(ranked.ids, ranked.scores, strict=True)
    )
    return checks, ranked.note


def score_pairs(
    a: tuple[Sequence[str], Sequence[str]],
    b: tuple[Sequence[str], Sequence[str]],
    a_index: lexindex.IntArray,
    b_index: lexindex.IntArray,
    *,
    df: dict[str, int],
    size: int,
    config: MatchConfig,
) -> engine._Scored:
    """The matcher's scores of the pairs (``a[a_index[k]]``, ``b[b_index[k]]``); ``a`` and
    ``b`` are (texts, normalised texts). IDF is over the library (``df``, ``size``
    entries, ``b`` among them) plus the ``a`` texts, as the in-memory matcher counts it."""
    (a_texts, a_norm), (b_texts, b_norm) = a, b
    a_tokens = [t.split() for t in a_norm]
    frequency = dict(df)
    for tokens in a_tokens:
        for word in set(tokens):
            frequency[word] = frequency.get(word, 0) + 1
    corpus = lexindex.build_corpus(
        a_tokens,
        [t.split() for t in b_norm],
        document_frequency=(frequency, size + len(a_texts)),
    )
    overlap = lexindex.pair_overlaps(corpus, a_index, b_index)
    candidates = lexindex.Candidates(a_index, b_index, overlap)
    # For ``confidence``: the lexical score and the features the confidence reads.
    return engine._rescore(
        config.scorer, corpus, (a_norm, b_norm), (a_texts, b_texts), candidates, every_feature=True
    )
