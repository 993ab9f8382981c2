"""Fit the "same claim" confidence and write factcheck/matching/confidence.json.

    pip install -e '.[bench]'                 # scikit-learn, at fit time only
    python scripts/fit_confidence.py          # compare alternatives (CV), fit, write
    python scripts/fit_confidence.py --dry-run

On the labelled article pairs (``../shared/benchmarks/article_pairs``), every
alternative is scored by leave-one-pair-out cross-validation (never fit and score on
the same pair): feature sets (lexical only, + embedding, + ranks, + names/numbers,
+ context), logistic regression against gradient boosting, the L2 penalty. The best
(micro F1 of shown links with the threshold and top-k chosen inside each fold, then
precision) is refitted on all pairs and stored as data; the default threshold and
top-k are the ones that maximise F1 (then precision) over the pooled cross-validated
probabilities. A reliability table checks the calibration of those probabilities.
"""

from __future__ import annotations

import argparse
import itertools
import json
import sys
from collections.abc import Sequence
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from benchmarks import article_pairs as ap  # noqa: E402
from factcheck.matching import confidence, semantic  # noqa: E402
from factcheck.models import MatchConfig  # noqa: E402

OUT = REPO / "factcheck" / "matching" / "confidence.json"
C = confidence
FEATURE_SETS: dict[str, tuple[str, ...]] = {
    "lexical": C.LEXICAL_FEATURES,
    "lexical+ranks": (*C.LEXICAL_FEATURES, *C.RANK_FEATURES),
    "lexical+ranks+facts": (*C.LEXICAL_FEATURES, *C.RANK_FEATURES, *C.FACT_FEATURES),
    "lexical+ranks+facts+context": (
        *C.LEXICAL_FEATURES,
        *C.RANK_FEATURES,
        *C.FACT_FEATURES,
        *C.CONTEXT_FEATURES,
    ),
    "semantic": ("semantic",),
    "semantic+lexical": (*C.LEXICAL_FEATURES, "semantic"),
    "semantic+lexical+ranks": (*C.LEXICAL_FEATURES, "semantic", *C.RANK_FEATURES),
    "semantic+lexical+ranks+facts": (
        *C.LEXICAL_FEATURES,
        "semantic",
        *C.RANK_FEATURES,
        *C.FACT_FEATURES,
    ),
    "all": tuple(f for f in C.ALL_FEATURES if f not in C.CROSS_FEATURES),
}
#: With the cross-encoder (its logit, ranks and margins in the pool).
CROSS_SETS: dict[str, tuple[str, ...]] = {
    "cross": ("cross",),
    "cross+ranks": C.CROSS_FEATURES,
    "cross+semantic+lexical": ("cross", *C.LEXICAL_FEATURES, "semantic"),
    "cross+ranks+semantic+lexical+ranks": (
        *C.CROSS_FEATURES,
        *C.LEXICAL_FEATURES,
        "semantic",
        *C.RANK_FEATURES,
    ),
    "cross+ranks+all": C.ALL_FEATURES,
}


def gbm_cv(
    pairs: Sequence[ap.Pair], rows: Sequence[ap.Rows], names: Sequence[str]
) -> list[ap.Scored]:
    """Leave-one-pair-out with gradient boosting (threshold/top-k chosen in each fold)."""
    from sklearn.ensemble import HistGradientBoostingClassifier

    out = []
    for n in range(len(pairs)):
        train = [r for m, r in enumerate(rows) if m != n]
        model = HistGradientBoostingClassifier(max_iter=200, learning_rate=0.05, max_depth=3)
        model.fit(ap.design(train, names), np.concatenate([r.gold for r in train]))
        probs = [model.predict_proba(ap.design([r], names))[:, 1] for r in train]
        threshold, top_k = ap.choose_rule([p for m, p in enumerate(pairs) if m != n], train, probs)
        score = 100 * model.predict_proba(ap.design([rows[n]], names))[:, 1]
        out.append(ap._as_scored(rows[n], score, MatchConfig(threshold=threshold, top_k=top_k)))
    return out


def sklearn_lr(rows: Sequence[ap.Rows], names: Sequence[str], l2: float) -> C.ConfidenceModel:
    """The shipped form: scikit-learn's L2 logistic regression on standardised features."""
    from sklearn.linear_model import LogisticRegression

    x = ap.design(rows, names)
    y = np.concatenate([r.gold for r in rows])
    mean, scale = x.mean(axis=0), x.std(axis=0)
    scale[scale == 0] = 1.0
    lr = LogisticRegression(C=1.0 / l2, max_iter=5000).fit((x - mean) / scale, y)
    return C.ConfidenceModel(
        "fitted",
        tuple(names),
        tuple(float(v) for v in mean),
        tuple(float(v) for v in scale),
        tuple(float(v) for v in lr.coef_[0]),
        float(lr.intercept_[0]),
    )


def reliability(rows: Sequence[ap.Rows], scored: Sequence[ap.Scored]) -> list[str]:
    gold = np.concatenate([r.gold for r in rows])
    prob = np.concatenate([s.score for s in scored]) / 100
    lines = ["predicted   pairs   observed"]
    edges = np.linspace(0, 1, 11)
    for lo, hi in itertools.pairwise(edges):
        inside = (prob >= lo) & ((prob < hi) | (hi == 1))
        if inside.any():
            lines.append(
                f"{lo:.1f}–{hi:.1f}  {int(inside.sum()):>7}   {gold[inside].mean():.3f}"
                f"  (mean predicted {prob[inside].mean():.3f})"
            )
    return lines


def _model_json(model: C.ConfidenceModel) -> dict[str, object]:
    return {
        "features": list(model.features),
        "mean": [round(v, 6) for v in model.mean],
        "scale": [round(v, 6) for v in model.scale],
        "coef": [round(v, 6) for v in model.coef],
        "intercept": round(model.intercept, 6),
    }


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--dry-run", action="store_true", help="compare, but write nothing")
    parser.add_argument("--no-gbm", action="store_true", help="skip gradient boosting")
    args = parser.parse_args(argv)
    if not ap.PAIRS.is_dir():
        print(f"article pairs not found at {ap.PAIRS}")
        return 1
    if not semantic.semantic_available():
        print("the sentence encoder is needed to fit the semantic model")
        return 1
    pairs = ap.load_pairs()
    rows = [ap.feature_rows(p, True) for p in pairs]
    lexical_rows = [ap.feature_rows(p, False) for p in pairs]
    cross = ap.cross_scorer()
    cross_rows = [ap.feature_rows(p, True, cross) for p in pairs] if cross else []
    sets = {**FEATURE_SETS, **(CROSS_SETS if cross else {})}
    if cross is None:
        print(f"cross-encoder off ({ap.engine.cross_problem()}): the stored cross model is kept")
    results: dict[tuple[str, str, float], tuple[dict[str, float], list[ap.Scored]]] = {}
    for name, names in sets.items():
        use = (
            cross_rows if name in CROSS_SETS else lexical_rows if "semantic" not in names else rows
        )
        for l2 in (0.1, 1.0, 10.0):
            scored, _ = ap.cross_validated(pairs, use, names, l2)
            results[(name, "LR", l2)] = (ap._measure(pairs, scored), scored)
    if not args.no_gbm:
        for name in ("lexical+ranks+facts+context", "all"):
            use = lexical_rows if name.startswith("lexical") else rows
            scored = gbm_cv(pairs, use, FEATURE_SETS[name])
            results[(name, "GBM", 0.0)] = (ap._measure(pairs, scored), scored)
    print(f"{'features':<32}{'model':>6}{'L2':>6}" + "".join(f"{c:>9}" for c in ap.COLUMNS[:8]))
    for (name, kind, l2), (row, _) in results.items():
        cells = "".join(
            f"{row[c]:>9.0f}" if c == "shown" else f"{row[c]:>9.3f}" for c in ap.COLUMNS[:8]
        )
        print(f"{name:<32}{kind:>6}{l2:>6g}{cells}")

    def best(keys: Sequence[tuple[str, str, float]]) -> tuple[str, str, float]:
        return max(keys, key=lambda k: (round(results[k][0]["F1"], 3), results[k][0]["P"]))

    lr_keys = [k for k in results if k[1] == "LR"]
    # The models without the cross-encoder also run on long articles (10k claims a
    # side): they do without the fact features (a fact_differences call per pool pair).
    plain = [
        k
        for k in lr_keys
        if k[0] in FEATURE_SETS and set(FEATURE_SETS[k[0]]).isdisjoint(C.FACT_FEATURES)
    ]
    sem_key = best([k for k in plain if "semantic" in FEATURE_SETS[k[0]]])
    lex_key = best([k for k in plain if "semantic" not in FEATURE_SETS[k[0]]])
    cross_key = best([k for k in lr_keys if k[0] in CROSS_SETS]) if cross else None
    overall = best(list(results))
    print(
        f"best overall: {overall}; best LR with the cross-encoder: {cross_key};"
        f" with embedding: {sem_key}; lexical only: {lex_key}"
    )
    if overall[1] == "GBM":
        print("(gradient boosting is best: consider storing it; LR is what ships)")
    sem_rows, lex_rows_ = rows, lexical_rows
    semantic_model = sklearn_lr(sem_rows, FEATURE_SETS[sem_key[0]], sem_key[2])
    lexical_model = sklearn_lr(lex_rows_, FEATURE_SETS[lex_key[0]], lex_key[2])
    stored = C.params()
    cross_json = _model_json(stored.cross) if stored.cross else None
    default_key, default_rows = sem_key, rows
    if cross_key is not None:
        cross_json = _model_json(sklearn_lr(cross_rows, CROSS_SETS[cross_key[0]], cross_key[2]))
        default_key, default_rows = cross_key, cross_rows
    # The default rule from the pooled cross-validated probabilities of the default model.
    cv_scored = results[default_key][1]
    threshold, top_k = ap.choose_rule(pairs, default_rows, [s.score / 100 for s in cv_scored])
    print(
        "default rule (CV probabilities, max F1 then precision):"
        f" threshold {threshold:g}, top-k {top_k}"
    )
    print("\n".join(reliability(default_rows, cv_scored)))
    out = {
        "about": (
            "Same-claim confidence, fitted by scripts/fit_confidence.py on the 12 article "
            "pairs (logistic regression on standardised features; chosen by "
            "leave-one-pair-out CV)."
        ),
        "threshold": threshold,
        "top_k": top_k,
        "semantic": _model_json(semantic_model),
        "lexical_only": _model_json(lexical_model),
        "cross": cross_json,
    }
    if args.dry_run:
        print(json.dumps(out, indent=1))
    else:
        OUT.write_text(json.dumps(out, indent=1) + "\n", encoding="utf-8")
        print(f"wrote {OUT}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
