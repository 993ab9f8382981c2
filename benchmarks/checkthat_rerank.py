"""CheckThat! 2020 task 2 with the cross-encoder: the hybrid top k, re-ranked.

    python benchmarks/checkthat_rerank.py          # also printed by benchmarks/harness.py
    python benchmarks/checkthat_rerank.py --smoke  # 5 tweets, 200 claims (CI)

For each tweet the hybrid scorer (index + embedding candidates, lexical and cosine
fused) ranks the ~10k verified claims; its ``RERANK_TOP`` best are re-ranked by

    fused = cross-encoder logit + w × hybrid score / 10

with the weight ``w`` chosen on CheckThat **train** (MAP@5; ``w = 0`` is the
cross-encoder alone) and reported on dev, which nothing is fitted on. The
cross-encoder was trained on CheckThat train (``scripts/train_cross_encoder.py``), so
train favours it: the chosen ``w`` is, if anything, too small.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from benchmarks import harness  # noqa: E402
from factcheck.matching import engine  # noqa: E402
from factcheck.models import MatchConfig  # noqa: E402

#: Claims per tweet the cross-encoder re-ranks.
RERANK_TOP = 20
#: Weights of the hybrid score (÷ 10) next to the logit, tried on train.
WEIGHTS = (0.0, 0.25, 0.5, 1.0, 2.0, 4.0)
#: Train tweets used to choose the weight (the cross-encoder scores 20 pairs each).
TRAIN_TWEETS = 300


def hybrid_top(
    split: str, top: int, limit: int | None, smoke: bool = False
) -> tuple[list[str], list[str], list[set[int]], list[list[tuple[int, float]]]]:
    """Tweets, claims, gold and each tweet's ``top`` (claim, hybrid score), best first."""
    tweets, claims, relevant = harness.load_checkthat(split, limit)
    if smoke:  # the tweets' own claims and 200 others
        kept = sorted(set(range(min(200, len(claims)))).union(*relevant))
        where = {c: n for n, c in enumerate(kept)}
        claims = [claims[c] for c in kept]
        relevant = [{where[c] for c in rel} for rel in relevant]
    old = engine.CANDIDATE_WIDTH
    engine.CANDIDATE_WIDTH = max(old, top)
    try:
        scored = engine._score(tweets, claims, MatchConfig(scorer="hybrid"), None, same_side=False)
    finally:
        engine.CANDIDATE_WIDTH = old
    order = np.lexsort((scored.b_index, -scored.score, scored.a_index))
    ranked: list[list[tuple[int, float]]] = [[] for _ in tweets]
    for n in order.tolist():
        row = ranked[int(scored.a_index[n])]
        if len(row) < top:
            row.append((int(scored.b_index[n]), float(scored.score[n])))
    return tweets, claims, relevant, ranked


def fused(
    ranked: Sequence[Sequence[tuple[int, float]]],
    logits: np.ndarray,
    weight: float,  # type: ignore[type-arg]
) -> list[list[int]]:
    """Each tweet's candidates re-ranked by logit + weight × hybrid / 10 (stable)."""
    out, at = [], 0
    for row in ranked:
        part = logits[at : at + len(row)] + weight * np.array([s for _, s in row]) / 10.0
        at += len(row)
        out.append([row[n][0] for n in np.argsort(-part, kind="stable")])
    return out


def _logits(
    tweets: Sequence[str], claims: Sequence[str], ranked: Sequence[Sequence[tuple[int, float]]]
) -> np.ndarray:  # type: ignore[type-arg]
    from factcheck.matching import cross_encoder

    pairs = [(t, claims[c]) for t, row in zip(tweets, ranked, strict=True) for c, _ in row]
    return np.asarray(cross_encoder.score_pairs(pairs), dtype=np.float64)


def rows(smoke: bool = False) -> dict[str, dict[str, float]]:
    """MAP@1/@5 and R@5 on dev: the hybrid top k as it is, re-ranked by the
    cross-encoder alone, and fused with the weight chosen on train."""
    limit, train_limit = (5, 5) if smoke else (None, TRAIN_TWEETS)
    tweets, claims, relevant, ranked = hybrid_top("train", RERANK_TOP, train_limit, smoke)
    logits = _logits(tweets, claims, ranked)
    on_train = {
        w: harness.ranking_metrics(fused(ranked, logits, w), relevant)["MAP@5"] for w in WEIGHTS
    }
    weight = max(WEIGHTS, key=lambda w: (round(on_train[w], 4), -w))
    tweets, claims, relevant, ranked = hybrid_top("dev", RERANK_TOP, limit, smoke)
    logits = _logits(tweets, claims, ranked)
    plain = [[c for c, _ in row] for row in ranked]
    return {
        f"hybrid top {RERANK_TOP}": harness.ranking_metrics(plain, relevant),
        "x-enc re-rank": harness.ranking_metrics(fused(ranked, logits, 0.0), relevant),
        f"x-enc+hyb w={weight:g}": harness.ranking_metrics(fused(ranked, logits, weight), relevant),
    }


def main(argv: Sequence[str] | None = None) -> int:
    smoke = "--smoke" in (argv if argv is not None else sys.argv[1:])
    if not engine.cross_ready():
        print(f"CheckThat re-ranking skipped: the cross-encoder is off ({engine.cross_problem()})")
        return 0
    for name, row in rows(smoke).items():
        print(f"{name:<22}" + "".join(f"{k:>8} {v:.3f}" for k, v in row.items()))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
