"""Matching quality on real labelled data: one table, one command.

    python benchmarks/harness.py            # the table (about 5 s; 4 min with the semantic rows)
    python benchmarks/harness.py --fit      # refit and print LEXICAL_WEIGHTS, LEXICAL_SCALE,
                                            # SEMANTIC_SCALE (to paste into matching/)
    python benchmarks/harness.py --smoke    # a few hundred pairs, for CI (exit 0 without data)

Data (``<repo>/../shared/benchmarks`` or ``$FACTCHECK_SHARED/benchmarks``):

* MRPC — news sentence pairs, paraphrase or not: accuracy and F1 on test, with the
  threshold that maximises accuracy on train.
* STS-benchmark dev, and its news ``headlines`` part: Pearson and Spearman of the
  score against the 0–5 gold similarity.
* CheckThat! 2020 task 2 dev — rank the ~10k verified claims for each tweet with the
  real matcher (index candidates + re-scoring): MAP@1, MAP@5, recall@5. Each verified
  claim is indexed as its ``vclaim`` and ``title`` columns together, as the official
  baseline does.

``--fit`` fits the lexical direction (logistic regression) on MRPC train *and*
CheckThat train candidates (equal total weight: pair classification and
retrieval-style ranking), then the STS scale (least squares onto 20 × the STS-B
train grade) of the lexical score and of the cosine similarity. Nothing is fitted
on MRPC test, STS dev or CheckThat dev, which the table reports.

Each row is one scorer; the ``semantic`` and ``hybrid`` rows appear when the shipped
sentence encoder can load (``factcheck/encoder_model/``).
"""

from __future__ import annotations

import argparse
import csv
import os
import subprocess
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from benchmarks._memory import peak_rss_mb  # noqa: E402
from factcheck.matching import confidence, engine, lexindex, scoring, semantic  # noqa: E402
from factcheck.matching.normalize import normalize_text  # noqa: E402
from factcheck.models import MatchConfig  # noqa: E402

SHARED = Path(os.environ.get("FACTCHECK_SHARED", REPO.parent / "shared")) / "benchmarks"


@dataclass(frozen=True)
class PairSet:
    a: list[str]
    b: list[str]
    gold: np.ndarray  # type: ignore[type-arg]
    group: list[str]


def load_mrpc(split: str, limit: int | None = None) -> PairSet:
    path = SHARED / "mrpc" / f"msr_paraphrase_{split}.txt"
    a, b, gold = [], [], []
    with path.open(encoding="utf-8-sig") as f:
        next(f)
        for line in f:
            label, _, _, s1, s2 = line.rstrip("\n").split("\t")
            a.append(s1)
            b.append(s2)
            gold.append(int(label))
    n = limit or len(a)
    return PairSet(a[:n], b[:n], np.array(gold[:n], dtype=float), ["news"] * len(a[:n]))


def load_sts(split: str, limit: int | None = None) -> PairSet:
    a, b, gold, group = [], [], [], []
    with (SHARED / "stsb" / f"sts-{split}.csv").open(encoding="utf-8") as f:
        for line in f:
            cols = line.rstrip("\n").split("\t")
            group.append(cols[1])
            gold.append(float(cols[4]))
            a.append(cols[5])
            b.append(cols[6])
    n = limit or len(a)
    return PairSet(a[:n], b[:n], np.array(gold[:n]), group[:n])


def load_checkthat(
    split: str = "dev", limit: int | None = None
) -> tuple[list[str], list[str], list[set[int]]]:
    base = SHARED / "checkthat2020"
    claims: list[str] = []
    with (base / "verified_claims.docs.tsv").open(encoding="utf-8") as f:
        reader = csv.reader(f, delimiter="\t")
        next(reader)
        ids = []
        for row in reader:
            ids.append(int(row[0]))
            # The official baseline indexes the claim and its fact-check's title.
            claims.append(f"{row[1]} {row[2]}" if len(row) > 2 else row[1])
    position = {claim_id: n for n, claim_id in enumerate(ids)}
    tweets: list[str] = []
    tweet_ids: list[str] = []
    with (base / split / "tweets.queries.tsv").open(encoding="utf-8") as f:
        reader = csv.reader(f, delimiter="\t")
        next(reader)
        for row in reader:
            tweet_ids.append(row[0])
            tweets.append(row[1])
    relevant: dict[str, set[int]] = {t: set() for t in tweet_ids}
    for line in (base / split / "tweet-vclaim-pairs.qrels").read_text().splitlines():
        tweet, _, claim, rel = line.split("\t")
        if int(rel) > 0:
            relevant[tweet].add(position[int(claim)])
    gold = [relevant[t] for t in tweet_ids]
    if limit is not None:
        return tweets[:limit], claims, gold[:limit]
    return tweets, claims, gold


# --- scoring pairs ----------------------------------------------------------------


def pair_features(pairs: PairSet) -> dict[str, np.ndarray]:  # type: ignore[type-arg]
    """Every lexical feature (0–1) of the labelled pairs, IDF taken over the whole set."""
    a_norm = [normalize_text(t) for t in pairs.a]
    b_norm = [normalize_text(t) for t in pairs.b]
    corpus = lexindex.build_corpus([t.split() for t in a_norm], [t.split() for t in b_norm])
    index = np.arange(len(a_norm), dtype=np.int64)
    overlap = lexindex.pair_overlaps(corpus, index, index)
    return scoring.lexical_features(
        corpus, a_norm, b_norm, index, index, overlap, rapidfuzz=tuple(scoring.RAPIDFUZZ_SCORERS)
    )


def scorer_columns(
    pairs: PairSet,
    weights: Sequence[float],
    scale: tuple[float, float],
    with_semantic: bool,
    with_cross: bool = False,
) -> dict[str, np.ndarray]:  # type: ignore[type-arg]
    features = pair_features(pairs)
    columns = {
        name: 100 * features[name]
        for name in (
            "ratio",
            "token_sort_ratio",
            "token_set_ratio",
            "bm25",
            "idf_dice",
            "idf_containment",
        )
    }
    columns["lexical"] = scoring.combine(features, weights, scale)
    parts = {**features, "lexical": columns["lexical"] / 100}
    if with_semantic:
        index = np.arange(len(pairs.a), dtype=np.int64)
        score = semantic.pair_similarity(pairs.a, pairs.b, index, index)
        columns["semantic"] = score
        columns["hybrid"] = semantic.hybrid(columns["lexical"], score)
        parts["semantic"] = score / 100
    if with_cross:
        from factcheck.matching import cross_encoder

        logit = cross_encoder.score_pairs(list(zip(pairs.a, pairs.b, strict=True)))
        columns["cross-encoder"] = 100.0 / (1.0 + np.exp(-np.asarray(logit, dtype=np.float64)))
    # The confidence on isolated pairs: only when its model needs no article context.
    params = confidence.params()
    model = params.semantic if with_semantic else params.lexical_only
    if set(model.features) <= parts.keys():
        columns["confidence"] = 100 * model.probability(parts)
    return columns


def fit_logistic(
    x: np.ndarray,  # type: ignore[type-arg]
    y: np.ndarray,  # type: ignore[type-arg]
    sample_weight: np.ndarray | None = None,  # type: ignore[type-arg]
    l2: float = 1e-3,
) -> np.ndarray:  # type: ignore[type-arg]
    """Newton-Raphson logistic regression; returns (intercept, weights...)."""
    design = np.column_stack([np.ones(len(x)), x])
    sw = np.ones(len(x)) if sample_weight is None else sample_weight
    w = np.zeros(design.shape[1])
    for _ in range(60):
        p = 1 / (1 + np.exp(-design @ w))
        gradient = design.T @ (sw * (p - y)) + l2 * np.r_[0, w[1:]]
        hessian = design.T @ (design * (sw * p * (1 - p))[:, None]) + l2 * np.diag(
            np.r_[0, np.ones(len(w) - 1)]
        )
        step = np.linalg.solve(hessian, gradient)
        w -= step
        if np.abs(step).max() < 1e-9:
            break
    return w


def fit_scale(z: np.ndarray, sts_grade: np.ndarray) -> tuple[float, float]:  # type: ignore[type-arg]
    """Least squares ``20 × grade ≈ α + β·z``."""
    beta, alpha = np.polyfit(z, 20.0 * sts_grade, 1)
    return float(round(alpha, 2)), float(round(beta, 3))


def fit_anchored_scale(cosine: np.ndarray, sts_grade: np.ndarray) -> tuple[float, float]:  # type: ignore[type-arg]
    """Least squares ``20 × grade ≈ 100 − β·(1 − cos)``: the same text always scores 100."""
    gap = 1.0 - cosine
    beta = round(float(gap @ (100.0 - 20.0 * sts_grade) / (gap @ gap)), 3)
    return round(100.0 - beta, 3), beta


def checkthat_candidates(
    split: str, width: int, limit: int | None = None
) -> tuple[dict[str, np.ndarray], lexindex.Candidates, list[set[int]]]:  # type: ignore[type-arg]
    """The index's candidate pairs of a CheckThat split, their features and the gold."""
    tweets, claims, relevant = load_checkthat(split, limit)
    a_norm = [normalize_text(t) for t in tweets]
    b_norm = [normalize_text(t) for t in claims]
    corpus = lexindex.build_corpus([t.split() for t in a_norm], [t.split() for t in b_norm])
    found = lexindex.candidate_pairs(corpus, width)
    features = scoring.lexical_features(
        corpus, a_norm, b_norm, found.a_index, found.b_index, found.overlap
    )
    return features, found, relevant


def fit(width: int, smoke: bool) -> tuple[tuple[float, ...], tuple[float, float]]:
    """LEXICAL_WEIGHTS on MRPC train + CheckThat train, then LEXICAL_SCALE on STS-B train."""
    limit = 40 if smoke else None
    mrpc = load_mrpc("train", limit and 400)
    mrpc_features = pair_features(mrpc)
    ct_features, found, relevant = checkthat_candidates("train", width, limit)
    ct_gold = np.array(
        [
            b in relevant[a]
            for a, b in zip(found.a_index.tolist(), found.b_index.tolist(), strict=True)
        ],
        dtype=float,
    )
    x = np.vstack(
        [
            np.column_stack([mrpc_features[n] for n in scoring.LEXICAL_FEATURES]),
            np.column_stack([ct_features[n] for n in scoring.LEXICAL_FEATURES]),
        ]
    )
    # Both tasks weigh the same in total, whatever their number of pairs.
    sample_weight = np.r_[
        np.ones(len(mrpc.gold)), np.full(len(ct_gold), len(mrpc.gold) / len(ct_gold))
    ]
    w = fit_logistic(x, np.r_[mrpc.gold, ct_gold], sample_weight)
    weights = tuple(float(round(v, 3)) for v in w)
    sts = load_sts("train", limit and 400)
    sts_features = pair_features(sts)
    z = weights[0] + sum(
        wi * sts_features[n] for wi, n in zip(weights[1:], scoring.LEXICAL_FEATURES, strict=True)
    )
    scale = fit_scale(np.asarray(z), sts.gold)
    print(f"LEXICAL_WEIGHTS = {weights}  # features {scoring.LEXICAL_FEATURES}")
    print(f"LEXICAL_SCALE = {scale}")
    if semantic.semantic_available() and not smoke:
        index = np.arange(len(sts.a), dtype=np.int64)
        cosine = np.einsum("ij,ij->i", semantic.embed(sts.a)[index], semantic.embed(sts.b)[index])
        print(f"SEMANTIC_SCALE = {fit_anchored_scale(cosine, sts.gold)}")
    return weights, scale


def best_threshold(score: np.ndarray, gold: np.ndarray) -> float:  # type: ignore[type-arg]
    candidates = np.unique(score)
    accuracy = [((score >= t) == (gold > 0)).mean() for t in candidates]
    return float(candidates[int(np.argmax(accuracy))])


def accuracy_f1(score: np.ndarray, gold: np.ndarray, threshold: float) -> tuple[float, float]:  # type: ignore[type-arg]
    predicted, truth = score >= threshold, gold > 0
    tp = float((predicted & truth).sum())
    precision = tp / max(predicted.sum(), 1)
    recall = tp / max(truth.sum(), 1)
    f1 = 2 * precision * recall / max(precision + recall, 1e-12)
    return float((predicted == truth).mean()), f1


def ranks(x: np.ndarray) -> np.ndarray:  # type: ignore[type-arg]
    order = np.argsort(x, kind="stable")
    r = np.empty(len(x))
    r[order] = np.arange(len(x))
    # Average ranks of ties.
    _values, inverse = np.unique(x, return_inverse=True)
    sums = np.bincount(inverse, r)
    counts = np.bincount(inverse)
    return (sums / counts)[inverse]


def pearson(x: np.ndarray, y: np.ndarray) -> float:  # type: ignore[type-arg]
    return float(np.corrcoef(x, y)[0, 1])


def spearman(x: np.ndarray, y: np.ndarray) -> float:  # type: ignore[type-arg]
    return pearson(ranks(x), ranks(y))


# --- CheckThat ranking ------------------------------------------------------------


def rank_checkthat(scorer: str, width: int, limit: int | None) -> dict[str, float]:
    tweets, claims, relevant = load_checkthat("dev", limit)
    old = engine.CANDIDATE_WIDTH
    engine.CANDIDATE_WIDTH = width
    try:
        scored = engine._score(tweets, claims, MatchConfig(scorer=scorer), None, same_side=False)
    finally:
        engine.CANDIDATE_WIDTH = old
    ranked = _per_query_ranking(scored.a_index, scored.b_index, scored.score, len(tweets))
    return ranking_metrics(ranked, relevant)


def classic_bm25(queries: Sequence[str], docs: Sequence[str]) -> list[list[int]]:
    """Textbook BM25 (term frequencies, k1=1.2, b=0.75): the CheckThat baseline."""
    doc_tokens = [normalize_text(d).split() for d in docs]
    postings: dict[str, list[tuple[int, int]]] = {}
    for n, tokens in enumerate(doc_tokens):
        for token in set(tokens):
            postings.setdefault(token, []).append((n, tokens.count(token)))
    lengths = np.array([len(t) for t in doc_tokens], dtype=float)
    average = lengths.mean()
    k1, b = lexindex.BM25_K1, lexindex.BM25_B
    ranked = []
    for query in queries:
        scores = np.zeros(len(docs))
        for token in set(normalize_text(query).split()):
            hits = postings.get(token)
            if not hits:
                continue
            idf = np.log1p((len(docs) - len(hits) + 0.5) / (len(hits) + 0.5))
            idx = np.array([h[0] for h in hits])
            tf = np.array([h[1] for h in hits], dtype=float)
            scores[idx] += idf * tf * (k1 + 1) / (tf + k1 * (1 - b + b * lengths[idx] / average))
        ranked.append(list(np.argsort(-scores, kind="stable")[:5]))
    return ranked


def _per_query_ranking(a_index, b_index, score, n_queries: int) -> list[list[int]]:  # type: ignore[no-untyped-def]
    order = np.lexsort((b_index, -score, a_index))
    ranked: list[list[int]] = [[] for _ in range(n_queries)]
    for n in order.tolist():
        row = ranked[int(a_index[n])]
        if len(row) < 5:
            row.append(int(b_index[n]))
    return ranked


def ranking_metrics(
    ranked: Sequence[Sequence[int]], relevant: Sequence[set[int]]
) -> dict[str, float]:
    def average_precision(row: Sequence[int], rel: set[int], k: int) -> float:
        hits, total = 0, 0.0
        for position, doc in enumerate(row[:k], start=1):
            if doc in rel:
                hits += 1
                total += hits / position
        return total / max(min(len(rel), k), 1)

    queries = [(r, rel) for r, rel in zip(ranked, relevant, strict=True) if rel]
    return {
        "MAP@1": float(np.mean([average_precision(r, rel, 1) for r, rel in queries])),
        "MAP@5": float(np.mean([average_precision(r, rel, 5) for r, rel in queries])),
        "R@5": float(np.mean([len(set(r[:5]) & rel) / len(rel) for r, rel in queries])),
    }


# --- semantic speed ---------------------------------------------------------------


def encode_speed(n: int = 2000) -> str:
    """Sentences per second and peak memory of the semantic stage, in a fresh process."""
    out = subprocess.run(
        [sys.executable, __file__, "--encode-child", str(n)],
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "HF_HUB_OFFLINE": "1"},
    )
    return out.stdout.strip().splitlines()[-1]


def _encode_child(n: int) -> str:
    sts = load_sts("dev")
    texts = list(dict.fromkeys(sts.a + sts.b))[:n]
    before = peak_rss_mb()
    started = time.perf_counter()
    semantic.embed(texts[:1])
    loaded = time.perf_counter()
    semantic.embed(texts[1:])
    done = time.perf_counter()
    peak = peak_rss_mb()
    return (
        f"semantic encoder (all-MiniLM-L6-v2, int8 ONNX, CPU): load {loaded - started:.1f} s, "
        f"{(len(texts) - 1) / (done - loaded):.0f} sentences/s over {len(texts)} STS sentences, "
        f"peak RSS {peak:.0f} MB ({peak - before:.0f} MB for onnxruntime + model + embeddings)"
    )


# --- the table --------------------------------------------------------------------

COLUMNS = ["MRPC thr", "MRPC acc", "MRPC F1", "STS r", "STS ρ", "head r", "head ρ"]
COLUMNS += ["MAP@1", "MAP@5", "R@5"]


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--fit", action="store_true", help="refit the lexical weights and scales")
    parser.add_argument("--smoke", action="store_true", help="a small slice of each set (CI)")
    parser.add_argument("--no-semantic", action="store_true", help="lexical rows only")
    parser.add_argument("--encode-child", type=int, help=argparse.SUPPRESS)
    parser.add_argument(
        "--width", type=int, default=engine.CANDIDATE_WIDTH, help="index candidates per claim"
    )
    args = parser.parse_args(argv)
    if args.encode_child:
        print(_encode_child(args.encode_child))
        return 0
    if not SHARED.is_dir():
        print(f"skipped: benchmark data not found at {SHARED} (set FACTCHECK_SHARED)")
        return 0
    started = time.perf_counter()
    # The semantic rows cost minutes of CPU: never in a smoke run.
    with_semantic = semantic.semantic_available() and not (args.smoke or args.no_semantic)
    limit = 300 if args.smoke else None
    weights: Sequence[float] = scoring.LEXICAL_WEIGHTS
    scale: tuple[float, float] = scoring.LEXICAL_SCALE
    if args.fit:
        weights, scale = fit(args.width, args.smoke)
    mrpc_train, mrpc_test = load_mrpc("train", limit), load_mrpc("test", limit)
    sts = load_sts("dev", limit)
    # The cross-encoder alone (MRPC, STS; sigmoid of its logit): when it can run. In the
    # CheckThat rows it re-ranks through the confidence, as the product's lookups do.
    with_cross = with_semantic and engine.cross_ready()
    train_cols = scorer_columns(mrpc_train, weights, scale, with_semantic, with_cross)
    test_cols = scorer_columns(mrpc_test, weights, scale, with_semantic, with_cross)
    sts_cols = scorer_columns(sts, weights, scale, with_semantic, with_cross)
    headlines = np.array([g == "headlines" for g in sts.group])

    rows: dict[str, dict[str, float]] = {}
    for name, train_score in train_cols.items():
        threshold = best_threshold(train_score, mrpc_train.gold)
        accuracy, f1 = accuracy_f1(test_cols[name], mrpc_test.gold, threshold)
        rows[name] = {
            "MRPC thr": threshold,
            "MRPC acc": accuracy,
            "MRPC F1": f1,
            "STS r": pearson(sts_cols[name], sts.gold),
            "STS ρ": spearman(sts_cols[name], sts.gold),
        }
        if headlines.sum() > 2:
            rows[name]["head r"] = pearson(sts_cols[name][headlines], sts.gold[headlines])
            rows[name]["head ρ"] = spearman(sts_cols[name][headlines], sts.gold[headlines])
    ct_limit = 20 if args.smoke else None
    tweets, claims, relevant = load_checkthat("dev", ct_limit)
    rows.setdefault("bm25 (classic)", {}).update(
        ranking_metrics(classic_bm25(tweets, claims), relevant)
    )
    ranked = ("token_set_ratio", "token_sort_ratio", "bm25", "lexical", "semantic", "hybrid")
    # The confidence embeds the ~10k verified claims: not in a smoke run.
    for name in (*ranked, *(() if args.smoke else ("confidence",))):
        if name in rows:
            rows[name].update(rank_checkthat(name, args.width, ct_limit))
    print(f"{'scorer':<22}" + "".join(f"{c:>10}" for c in COLUMNS))
    for name, row in rows.items():
        cells = "".join(
            f"{row[c]:>10.3f}"
            if c in row and c != "MRPC thr"
            else f"{row[c]:>10.1f}"
            if c in row
            else f"{'':>10}"
            for c in COLUMNS
        )
        print(f"{name:<22}{cells}")
    print(
        f"(index candidates per claim: {args.width}; {time.perf_counter() - started:.0f} s"
        + ("; smoke: small slices, figures not comparable)" if args.smoke else ")")
    )
    if with_semantic:
        print(encode_speed())
    elif not semantic.semantic_available():
        print(f"semantic rows skipped: {semantic.encoder_problem()}")
    if with_semantic and not with_cross:
        print(f"cross-encoder rows skipped: {engine.cross_problem()}")
    # The article pairs (issue 12): lexical, hybrid and the confidence, in this run.
    from benchmarks import article_pairs

    print()
    article_pairs.main(["--smoke"] if args.smoke else [])
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
