"""Features tried for the "same claim" confidence and not shipped: one table, CV by pair.

    pip install -e '.[bench]'                      # scikit-learn (gradient boosting, the head)
    python scripts/confidence_experiments.py       # about 5 minutes on 2 idle cores
    python scripts/confidence_experiments.py --no-head --no-gbm

On the labelled article pairs, each alternative adds features to the shipped
``semantic`` model's and is scored like ``benchmarks/article_pairs.py`` scores the
default: leave-one-pair-out, model, threshold and top-k fitted on the other 11 pairs.

* ``align``: BERTScore-style alignment from the encoder's contextual token embeddings
  (:meth:`factcheck.matching.encoder.OnnxEncoder.token_embeddings`): each token of one
  sentence matched to its most similar token of the other, IDF-weighted (IDF over the
  two articles' sentences, special tokens left out): coverage of A by B, of B by A,
  their F, min and max; ``+ ranks``: the rank of the pair's F among its claims' pools;
* ``words``: the same coverage on normalised words (exact match), each way;
* ``counterpart``: how the claim's best base score stands against the article's
  other claims' best (z-score), the pair's own z-score, candidates within 0.05 of the
  best, each side;
* ``head``: a logistic regression on frozen sentence embeddings (u·v and |u−v|, 768
  features) fitted on STS-b train (grade ≥ 3.8 against ≤ 2.5) and MRPC train, its
  logit as one feature (and its rank in the pool);
* gradient boosting (scikit-learn) on the default features and on the best set.

The last columns bootstrap the 12 pairs (2,000 draws): the 90 % interval of each
set's micro-F1 gain over the default (same folds), and how often it is positive.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Mapping, Sequence
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "scripts"))

from benchmarks import article_pairs as ap  # noqa: E402
from benchmarks import harness  # noqa: E402
from factcheck.matching import confidence, encoder, engine, semantic  # noqa: E402
from factcheck.matching.normalize import normalize_text  # noqa: E402

FloatArray = np.ndarray  # type: ignore[type-arg]
#: [PAD], [CLS], [SEP]: not content.
SPECIAL_IDS = frozenset({0, 101, 102})
RANKS = ("rank_a", "rank_b", "mutual_best", "margin_a", "margin_b")
ALIGN = ("align_a", "align_b", "align_f", "align_min", "align_max")
ALIGN_RANKS = tuple(f"align_{r}" for r in RANKS)
WORDS = ("words_a", "words_b")
COUNTERPART = tuple(f"{k}_{s}" for k in ("best_z", "pair_z", "close") for s in "ab")
HEAD = ("head", *(f"head_{r}" for r in RANKS))


def idf_of(documents: Sequence[Sequence[object]]) -> dict[object, float]:
    """log((N + 1) / (df + 1)) over the given documents (sentences)."""
    df: dict[object, int] = {}
    for doc in documents:
        for item in set(doc):
            df[item] = df.get(item, 0) + 1
    return {item: float(np.log((len(documents) + 1) / (n + 1))) for item, n in df.items()}


def alignment(
    a_tokens: FloatArray, a_weights: FloatArray, b_tokens: FloatArray, b_weights: FloatArray
) -> tuple[float, float]:
    """Greedy soft alignment of two sentences' L2-normalised token rows: the
    IDF-weighted mean of each A token's best cosine in B (A covered by B), and of each
    B token's best in A."""
    similarity = a_tokens @ b_tokens.T
    covered_a = float(a_weights @ similarity.max(axis=1) / a_weights.sum())
    covered_b = float(b_weights @ similarity.max(axis=0) / b_weights.sum())
    return covered_a, covered_b


def content_tokens(
    model: encoder.OnnxEncoder, texts: Sequence[str]
) -> list[tuple[FloatArray, FloatArray]]:
    """Each text's content-token rows (normalised) and IDF weights (IDF over ``texts``)."""
    found = model.token_embeddings(texts)
    idf = idf_of([ids for ids, _ in found])
    out = []
    for ids, rows in found:
        keep = [n for n, t in enumerate(ids) if t not in SPECIAL_IDS] or list(range(len(ids)))
        kept = rows[keep] / np.maximum(np.linalg.norm(rows[keep], axis=1, keepdims=True), 1e-9)
        out.append((kept, np.array([idf[ids[n]] for n in keep]) + 1e-6))
    return out


def pool_ranks(rows: ap.Rows, values: FloatArray, prefix: str) -> dict[str, FloatArray]:
    ranks = confidence.rank_features(rows.a_index, rows.b_index, values)
    return {f"{prefix}_{name}": ranks[name] for name in RANKS}


def word_coverage(pair: ap.Pair, rows: ap.Rows) -> dict[str, FloatArray]:
    a = [set(normalize_text(t).split()) for t in pair.a_texts]
    b = [set(normalize_text(t).split()) for t in pair.b_texts]
    idf = idf_of([*a, *b])
    out = np.zeros((len(rows.gold), 2))
    for r, (i, j) in enumerate(zip(rows.a_index.tolist(), rows.b_index.tolist(), strict=True)):
        shared = sum(idf[w] for w in a[i] & b[j])
        out[r] = (
            shared / max(sum(idf[w] for w in a[i]), 1e-9),
            shared / max(sum(idf[w] for w in b[j]), 1e-9),
        )
    return {"words_a": out[:, 0], "words_b": out[:, 1]}


def counterpart(
    pair: ap.Pair, every: tuple[FloatArray, FloatArray, FloatArray], rows: ap.Rows
) -> dict[str, FloatArray]:
    """Where the claim's best candidate stands among the article's claims' bests."""
    a_index, b_index, base = every
    at = {
        (i, j): n for n, (i, j) in enumerate(zip(a_index.tolist(), b_index.tolist(), strict=True))
    }
    keep = np.array(
        [at[(i, j)] for i, j in zip(rows.a_index.tolist(), rows.b_index.tolist(), strict=True)]
    )
    out: dict[str, FloatArray] = {}
    for side, group, size in (("a", a_index, len(pair.a_texts)), ("b", b_index, len(pair.b_texts))):
        best = np.full(size, -np.inf)
        np.maximum.at(best, group, base)
        seen = best[np.isfinite(best)]
        mean, spread = seen.mean(), seen.std() + 1e-9
        close = np.zeros(size)
        np.add.at(close, group, (base >= best[group] - 0.05).astype(float))
        out[f"best_z_{side}"] = ((best[group] - mean) / spread)[keep]
        out[f"pair_z_{side}"] = ((base - mean) / spread)[keep]
        out[f"close_{side}"] = np.log1p(close[group])[keep]
    return out


def embedding_head() -> tuple[FloatArray, float]:
    """Weights and intercept of the logistic regression on (u·v, |u−v|), train splits."""
    from sklearn.linear_model import LogisticRegression

    sts, mrpc = harness.load_sts("train"), harness.load_mrpc("train")
    grade = np.asarray(sts.gold)
    clear = (grade >= 3.8) | (grade <= 2.5)
    x, y = [], []
    for a, b, gold in (
        (
            [t for t, c in zip(sts.a, clear, strict=True) if c],
            [t for t, c in zip(sts.b, clear, strict=True) if c],
            (grade[clear] >= 3.8).astype(float),
        ),
        (mrpc.a, mrpc.b, np.asarray(mrpc.gold, dtype=float)),
    ):
        u, v = encoder.encode(a), encoder.encode(b)
        x.append(np.hstack([u * v, np.abs(u - v)]))
        y.append(gold)
    model = LogisticRegression(C=1.0, max_iter=3000).fit(np.vstack(x), np.concatenate(y))
    return model.coef_[0], float(model.intercept_[0])


def extra_features(
    pairs: Sequence[ap.Pair], head: tuple[FloatArray, float] | None
) -> list[ap.Rows]:
    model = encoder.load_encoder()
    out = []
    for pair in pairs:
        ai, bi, lexical, cosine = engine.confidence_inputs(pair.a_texts, pair.b_texts)
        keep, features = confidence.pair_features(
            pair.a_texts, pair.b_texts, ai, bi, lexical, cosine
        )
        rows = ap.Rows(ai[keep], bi[keep], dict(features), ap.gold_labels(pair, ai[keep], bi[keep]))
        texts = [*pair.a_texts, *pair.b_texts]
        tokens = content_tokens(model, texts)
        na = len(pair.a_texts)
        covered = np.array(
            [
                alignment(*tokens[i], *tokens[na + j])
                for i, j in zip(rows.a_index.tolist(), rows.b_index.tolist(), strict=True)
            ]
        ).reshape(-1, 2)
        a_side, b_side = covered[:, 0], covered[:, 1]
        f = 2 * a_side * b_side / np.maximum(a_side + b_side, 1e-9)
        rows.features.update(
            align_a=a_side,
            align_b=b_side,
            align_f=f,
            align_min=np.minimum(a_side, b_side),
            align_max=np.maximum(a_side, b_side),
        )
        rows.features.update(pool_ranks(rows, f, "align"))
        rows.features.update(word_coverage(pair, rows))
        base = confidence.base_score(lexical, cosine)
        rows.features.update(counterpart(pair, (ai, bi, base), rows))
        if head is not None:
            vectors = semantic.embed(texts)
            u, v = vectors[rows.a_index], vectors[na + rows.b_index]
            logit = np.hstack([u * v, np.abs(u - v)]) @ head[0] + head[1]
            rows.features["head"] = logit
            rows.features.update(pool_ranks(rows, logit, "head"))
        out.append(rows)
    return out


def gain_interval(
    pairs: Sequence[ap.Pair], default: Sequence[ap.Scored], other: Sequence[ap.Scored]
) -> tuple[float, float, float]:
    """Bootstrap over pairs of the micro-F1 gain: 5 % and 95 % quantiles, P(gain > 0)."""
    first = [ap.pair_counts(p, s) for p, s in zip(pairs, default, strict=True)]
    second = [ap.pair_counts(p, s) for p, s in zip(pairs, other, strict=True)]

    def f1(counts: Sequence[Mapping[str, float]], draw: FloatArray) -> float:
        total = {
            k: sum(counts[n][k] for n in draw) for k in ("correct", "shown", "covered", "links")
        }
        return ap._prf(total["correct"], total["shown"], total["covered"], total["links"])[2]

    rng = np.random.default_rng(0)
    gains = []
    for _ in range(2000):
        draw = rng.integers(0, len(pairs), len(pairs))
        gains.append(f1(second, draw) - f1(first, draw))
    spread = np.array(gains)
    return (
        float(np.quantile(spread, 0.05)),
        float(np.quantile(spread, 0.95)),
        float(np.mean(spread > 0)),
    )


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--no-head", action="store_true", help="skip the embedding head")
    parser.add_argument("--no-gbm", action="store_true", help="skip gradient boosting")
    args = parser.parse_args(argv)
    if not ap.PAIRS.is_dir() or not semantic.semantic_available():
        print("needs ../shared/benchmarks/article_pairs and the sentence encoder")
        return 1
    started = time.perf_counter()
    pairs = ap.load_pairs()
    rows = extra_features(pairs, None if args.no_head else embedding_head())
    default = confidence.params().semantic.features
    every = tuple(f for f in confidence.ALL_FEATURES if f not in default)
    sets: dict[str, tuple[str, ...]] = {
        "default (shipped semantic model)": default,
        "+ align": (*default, *ALIGN),
        "+ align + ranks": (*default, *ALIGN, *ALIGN_RANKS),
        "+ words": (*default, *WORDS),
        "+ counterpart": (*default, *COUNTERPART),
        "+ facts + context (all shipped)": (*default, *every),
        "+ align + ranks + words + counterpart": (
            *default,
            *ALIGN,
            *ALIGN_RANKS,
            *WORDS,
            *COUNTERPART,
        ),
        "+ all of the above + facts + context": (
            *default,
            *every,
            *ALIGN,
            *ALIGN_RANKS,
            *WORDS,
            *COUNTERPART,
        ),
    }
    if not args.no_head:
        sets["+ head"] = (*default, *HEAD)
        sets["+ align + ranks + head"] = (*default, *ALIGN, *ALIGN_RANKS, *HEAD)
    scored = {name: ap.cross_validated(pairs, rows, names)[0] for name, names in sets.items()}
    if not args.no_gbm:
        from fit_confidence import gbm_cv

        scored["GBM: default"] = gbm_cv(pairs, rows, default)
        scored["GBM: + align + ranks"] = gbm_cv(pairs, rows, sets["+ align + ranks"])
    columns = ("shown", "P", "R", "F1", "R@1", "R@3", "R@5", "R contradicts", "FP a-only")
    print(
        f"{'features (LR unless GBM), CV by pair':<40}"
        + "".join(f"{c:>9}" for c in columns)
        + "   F1 gain 90% CI  P(>0)"
    )
    baseline = scored["default (shipped semantic model)"]
    for name, result in scored.items():
        row = ap._measure(pairs, result)
        low, high, positive = gain_interval(pairs, baseline, result)
        cells = "".join(
            f"{row[c]:>9.0f}" if c in ("shown", "FP a-only") else f"{row[c]:>9.3f}" for c in columns
        )
        print(f"{name:<40}{cells}   [{low:+.3f}, {high:+.3f}]  {positive:.2f}")
    print(f"({len(pairs)} pairs; {time.perf_counter() - started:.0f} s)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
