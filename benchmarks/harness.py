"""Matching quality on real labelled data: one table, one command.

    python benchmarks/harness.py            # the table
    python benchmarks/harness.py --fit      # also refit the lexical score's weights on MRPC train

Data (``<repo>/../shared/benchmarks`` or ``$FACTCHECK_SHARED/benchmarks``):

* MRPC — news sentence pairs, paraphrase or not: accuracy and F1 on test, with the
  threshold that maximises accuracy on train.
* STS-benchmark dev, and its news ``headlines`` part: Pearson and Spearman of the
  score against the 0–5 gold similarity.
* CheckThat! 2020 task 2 dev — rank the ~10k verified claims for each tweet with the
  real matcher (index candidates + re-scoring): MAP@1, MAP@5, recall@5.

Each row is one scorer; the ``semantic`` and ``hybrid`` rows appear when the optional
``factcheck[semantic]`` extra is installed.
"""

from __future__ import annotations

import argparse
import csv
import os
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from factcheck.matching import engine, lexindex, scoring, semantic  # noqa: E402
from factcheck.matching.normalize import normalize_text  # noqa: E402
from factcheck.models import MatchConfig  # noqa: E402

SHARED = Path(os.environ.get("FACTCHECK_SHARED", REPO.parent / "shared")) / "benchmarks"


@dataclass(frozen=True)
class PairSet:
    a: list[str]
    b: list[str]
    gold: np.ndarray  # type: ignore[type-arg]
    group: list[str]


def load_mrpc(split: str) -> PairSet:
    path = SHARED / "mrpc" / f"msr_paraphrase_{split}.txt"
    a, b, gold = [], [], []
    with path.open(encoding="utf-8-sig") as f:
        next(f)
        for line in f:
            label, _, _, s1, s2 = line.rstrip("\n").split("\t")
            a.append(s1)
            b.append(s2)
            gold.append(int(label))
    return PairSet(a, b, np.array(gold, dtype=float), ["news"] * len(a))


def load_sts(split: str) -> PairSet:
    a, b, gold, group = [], [], [], []
    with (SHARED / "stsb" / f"sts-{split}.csv").open(encoding="utf-8") as f:
        for line in f:
            cols = line.rstrip("\n").split("\t")
            group.append(cols[1])
            gold.append(float(cols[4]))
            a.append(cols[5])
            b.append(cols[6])
    return PairSet(a, b, np.array(gold), group)


def load_checkthat(split: str = "dev") -> tuple[list[str], list[str], list[set[int]]]:
    base = SHARED / "checkthat2020"
    claims: list[str] = []
    with (base / "verified_claims.docs.tsv").open(encoding="utf-8") as f:
        reader = csv.reader(f, delimiter="\t")
        next(reader)
        ids = []
        for row in reader:
            ids.append(int(row[0]))
            claims.append(row[1])
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
    return tweets, claims, [relevant[t] for t in tweet_ids]


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


def scorer_columns(pairs: PairSet, weights: Sequence[float]) -> dict[str, np.ndarray]:  # type: ignore[type-arg]
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
    columns["lexical"] = scoring.combine(features, weights)
    if semantic.semantic_available():
        index = np.arange(len(pairs.a), dtype=np.int64)
        cosine = semantic.pair_similarity(pairs.a, pairs.b, index, index)
        columns["semantic"] = cosine
        columns["hybrid"] = semantic.hybrid(columns["lexical"], cosine)
    return columns


def fit_logistic(x: np.ndarray, y: np.ndarray, l2: float = 1e-3) -> np.ndarray:  # type: ignore[type-arg]
    """Newton-Raphson logistic regression; returns (intercept, weights...)."""
    design = np.column_stack([np.ones(len(x)), x])
    w = np.zeros(design.shape[1])
    for _ in range(50):
        p = 1 / (1 + np.exp(-design @ w))
        gradient = design.T @ (p - y) + l2 * np.r_[0, w[1:]]
        hessian = design.T @ (design * (p * (1 - p))[:, None]) + l2 * np.diag(
            np.r_[0, np.ones(len(w) - 1)]
        )
        step = np.linalg.solve(hessian, gradient)
        w -= step
        if np.abs(step).max() < 1e-9:
            break
    return w


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


def rank_checkthat(scorer: str, width: int) -> dict[str, float]:
    tweets, claims, relevant = load_checkthat()
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


# --- the table --------------------------------------------------------------------


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--fit", action="store_true", help="refit the lexical weights on MRPC train"
    )
    parser.add_argument(
        "--width", type=int, default=engine.CANDIDATE_WIDTH, help="index candidates per claim"
    )
    args = parser.parse_args(argv)
    if not SHARED.is_dir():
        print(f"benchmark data not found at {SHARED} (set FACTCHECK_SHARED)", file=sys.stderr)
        return 2
    started = time.perf_counter()
    weights: Sequence[float] = scoring.LEXICAL_WEIGHTS
    mrpc_train, mrpc_test = load_mrpc("train"), load_mrpc("test")
    if args.fit:
        features = pair_features(mrpc_train)
        x = np.column_stack([features[name] for name in scoring.LEXICAL_FEATURES])
        weights = tuple(float(round(w, 4)) for w in fit_logistic(x, mrpc_train.gold))
        print(f"fitted LEXICAL_WEIGHTS = {weights}  # features {scoring.LEXICAL_FEATURES}")
    train_cols = scorer_columns(mrpc_train, weights)
    test_cols = scorer_columns(mrpc_test, weights)
    sts = load_sts("dev")
    sts_cols = scorer_columns(sts, weights)
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
            "head r": pearson(sts_cols[name][headlines], sts.gold[headlines]),
            "head ρ": spearman(sts_cols[name][headlines], sts.gold[headlines]),
        }
    tweets, claims, relevant = load_checkthat()
    rows.setdefault("bm25 (classic)", {}).update(
        ranking_metrics(classic_bm25(tweets, claims), relevant)
    )
    for name in ("token_set_ratio", "token_sort_ratio", "bm25", "lexical", "semantic", "hybrid"):
        if name in rows and (name not in ("semantic", "hybrid") or semantic.semantic_available()):
            rows[name].update(rank_checkthat(name, args.width))
    columns = [
        "MRPC thr",
        "MRPC acc",
        "MRPC F1",
        "STS r",
        "STS ρ",
        "head r",
        "head ρ",
        "MAP@1",
        "MAP@5",
        "R@5",
    ]
    print(f"{'scorer':<18}" + "".join(f"{c:>10}" for c in columns))
    for name, row in rows.items():
        cells = "".join(
            f"{row[c]:>10.3f}"
            if c in row and c != "MRPC thr"
            else f"{row[c]:>10.1f}"
            if c in row
            else f"{'':>10}"
            for c in columns
        )
        print(f"{name:<18}{cells}")
    print(f"(index candidates per claim: {args.width}; {time.perf_counter() - started:.0f} s)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
