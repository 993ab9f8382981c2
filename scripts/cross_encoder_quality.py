"""The cross-encoder's quality on its own, on held-out data (what its NOTICE reports).

    python scripts/cross_encoder_quality.py                 # the shipped model
    python scripts/cross_encoder_quality.py --model X.onnx  # another one (same folder
                                                            # layout: it reads model.onnx)
    python scripts/cross_encoder_quality.py --limit 50      # a quick look

* STS-b dev: Pearson r of the logit with the grade.
* MRPC test: accuracy and F1, the threshold chosen on MRPC train.
* CheckThat! 2020 dev: the hybrid scorer's top 20 verified claims of each tweet,
  re-ranked by the logit: MAP@1, MAP@5, R@5 (and the same before re-ranking).
* Article pairs (``../shared/benchmarks/article_pairs``): the links shown when the
  sigmoid of the logit is the score, threshold and top-k chosen by leave-one-pair-out
  cross-validation (``benchmarks/article_pairs.py``'s machinery: for each pair the
  rule is chosen on the other 11). Two candidate sets: the confidence scorer's
  prefiltered candidates re-ranked, and every sentence pair (no candidate limit).

Nothing is fitted here but the MRPC threshold and the article-pair rule.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

import numpy as np  # noqa: E402

from benchmarks import article_pairs as ap  # noqa: E402
from benchmarks import harness  # noqa: E402
from factcheck.matching import cross_encoder, encoder  # noqa: E402
from factcheck.models import MatchConfig  # noqa: E402

Score = Callable[[Sequence[tuple[str, str]]], np.ndarray]  # type: ignore[type-arg]
#: Candidates per CheckThat tweet re-ranked.
RERANK_TOP = 20
#: Thresholds (sigmoid of the logit, %) tried by the article-pair rule.
THRESHOLDS = tuple(range(5, 96, 5))

Ranked = tuple[list[str], list[str], list[set[int]], list[list[int]]]


def checkthat_ranked(split: str, top: int, limit: int | None = None) -> Ranked:
    """Tweets, claims, gold and each tweet's ``top`` claims by the hybrid scorer."""
    from factcheck.matching import engine

    tweets, claims, relevant = harness.load_checkthat(split, limit)
    old = engine.CANDIDATE_WIDTH
    engine.CANDIDATE_WIDTH = max(old, top)
    try:
        scored = engine._score(tweets, claims, MatchConfig(scorer="hybrid"), None, same_side=False)
    finally:
        engine.CANDIDATE_WIDTH = old
    order = np.lexsort((scored.b_index, -scored.score, scored.a_index))
    ranked: list[list[int]] = [[] for _ in tweets]
    for n in order.tolist():
        row = ranked[int(scored.a_index[n])]
        if len(row) < top:
            row.append(int(scored.b_index[n]))
    return tweets, claims, relevant, ranked


def pair_set_quality(score: Score, limit: int | None = None) -> dict[str, float]:
    figures: dict[str, float] = {}
    sts = harness.load_sts("dev", limit)
    figures["STS-b dev r"] = harness.pearson(score(list(zip(sts.a, sts.b, strict=True))), sts.gold)
    train_set, test_set = harness.load_mrpc("train", limit), harness.load_mrpc("test", limit)
    threshold = harness.best_threshold(
        score(list(zip(train_set.a, train_set.b, strict=True))), train_set.gold
    )
    test_logit = score(list(zip(test_set.a, test_set.b, strict=True)))
    figures["MRPC test acc"], figures["MRPC test F1"] = harness.accuracy_f1(
        test_logit, test_set.gold, threshold
    )
    return figures


def checkthat_quality(score: Score, dev: Ranked) -> dict[str, float]:
    tweets, claims, relevant, ranked = dev
    pairs = [(t, claims[c]) for t, row in zip(tweets, ranked, strict=True) for c in row]
    logits = score(pairs)
    reranked, at = [], 0
    for row in ranked:
        part = logits[at : at + len(row)]
        at += len(row)
        reranked.append([row[n] for n in np.argsort(-part, kind="stable")])
    after = harness.ranking_metrics(reranked, relevant)
    before = harness.ranking_metrics(ranked, relevant)
    figures = {f"CheckThat dev {k}": v for k, v in after.items()}
    figures["CheckThat dev MAP@5 before (hybrid)"] = before["MAP@5"]
    return figures


def article_pair_rows(score: Score, pairs: Sequence[ap.Pair], every_pair: bool) -> list[ap.Rows]:
    """Each pair's candidates (or every sentence pair) with P = sigmoid(logit) as feature."""
    out = []
    for pair in pairs:
        if every_pair:
            a_index, b_index = (
                g.ravel() for g in np.indices((len(pair.a_texts), len(pair.b_texts)))
            )
        else:
            rows = ap.feature_rows(pair, True)
            a_index, b_index = rows.a_index, rows.b_index
        texts = [(pair.a_texts[i], pair.b_texts[j]) for i, j in zip(a_index, b_index, strict=True)]
        prob = 1.0 / (1.0 + np.exp(-np.asarray(score(texts), dtype=np.float64)))
        gold = ap.gold_labels(pair, a_index, b_index)
        out.append(ap.Rows(a_index, b_index, {"cross": prob}, gold))
    return out


def article_pair_quality(rows: Sequence[ap.Rows], pairs: Sequence[ap.Pair]) -> dict[str, float]:
    """Shown links with threshold and top-k chosen leave-one-pair-out (max F1, then P)."""
    old = ap.THRESHOLDS
    ap.THRESHOLDS = THRESHOLDS
    try:
        scored = []
        for n in range(len(pairs)):
            train = [r for m, r in enumerate(rows) if m != n]
            train_pairs = [p for m, p in enumerate(pairs) if m != n]
            t, k = ap.choose_rule(train_pairs, train, [r.features["cross"] for r in train])
            config = MatchConfig(threshold=t, top_k=k)
            scored.append(ap._as_scored(rows[n], 100 * rows[n].features["cross"], config))
    finally:
        ap.THRESHOLDS = old
    return ap._measure(pairs, scored)


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--model", type=Path, help="another cross_encoder.onnx (in a model folder)")
    parser.add_argument("--limit", type=int, help="pairs per set (a quick look)")
    parser.add_argument("--skip", nargs="*", default=(), choices=("pairs", "checkthat", "articles"))
    args = parser.parse_args()
    path = args.model or encoder.model_dir() / cross_encoder.MODEL_FILE
    model = cross_encoder.OnnxCrossEncoder(path, path.parent / encoder.TOKENIZER_FILE)
    report(lambda pairs: model(pairs), args.limit, args.skip, print)
    return 0


def report(
    score: Score, limit: int | None, skip: Sequence[str], out: Callable[[str], None]
) -> dict[str, float]:
    started = time.perf_counter()
    figures: dict[str, float] = {}
    if "pairs" not in skip:
        figures.update(pair_set_quality(score, limit))
    if "checkthat" not in skip:
        figures.update(checkthat_quality(score, checkthat_ranked("dev", RERANK_TOP, limit)))
    for key, value in figures.items():
        out(f"{key:<40} {value:.4f}")
    if "articles" not in skip and ap.PAIRS.is_dir():
        pairs = ap.load_pairs()
        table = []
        for every, name in (
            (False, "cross-encoder, confidence candidates, CV"),
            (True, "cross-encoder, every pair, CV"),
        ):
            row = article_pair_quality(article_pair_rows(score, pairs, every), pairs)
            table.append((name, row))
            figures.update(
                {f"articles {'all' if every else 'cand'} {k}": v for k, v in row.items()}
            )
        ap.print_table(table, out)
    out(f"({time.perf_counter() - started:.0f} s)")
    return figures


if __name__ == "__main__":
    raise SystemExit(main())
