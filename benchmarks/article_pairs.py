"""Suggested links against gold links on real article pairs (issue 12), one table.

    python benchmarks/article_pairs.py            # lexical, hybrid and confidence rows
    python benchmarks/article_pairs.py --smoke    # two pairs, lexical + confidence (CI)

Data: ``../shared/benchmarks/article_pairs`` (12 BASIL pairs, 310 gold links; see its
README). Gold links are mapped onto our claims as the README says: a gold substring's
span ``[start, end)`` in the file → every claim overlapping it. Headlines are claims
like any other, so all 310 links count.

For each scorer, at its default settings (threshold, top-k):

* recall@1/3/5 of gold links: is a true partner among the A claim's k best candidates;
  hit@k per A sentence with at least one link;
* precision, recall and F1 of the **links shown** (micro: counts summed over pairs;
  macro: mean of per-pair values), recall per tier (lexical/semantic) and stance
  (same/partial/contradicts); ``FP a-only``: how many of the 60 known A-only
  sentences get a shown link.

The ``confidence`` rows are **cross-validated by pair**: for each held-out pair the
model is refitted (numpy logistic regression, the shipped model's form and
regularisation) on the other 11 pairs, and its threshold and top-k are chosen on
those 11 (max F1, then precision); the held-out pair is scored with them only. The
``shipped`` row is the model in the package (fitted on all 12): in-sample, optimistic.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from benchmarks.harness import SHARED  # noqa: E402
from factcheck.matching import confidence, engine, semantic  # noqa: E402
from factcheck.models import MatchConfig  # noqa: E402
from factcheck.segmentation import segment_spans  # noqa: E402

PAIRS = SHARED / "article_pairs"
STANCES = ("same", "partial", "contradicts")
TIERS = ("lexical", "semantic")
#: Thresholds (confidence %) and top-k values tried when choosing the default.
THRESHOLDS = tuple(range(20, 91, 5))
TOP_KS = (1, 2, 3)
#: L2 penalty of the logistic regression on standardised features (CV-chosen by
#: ``scripts/fit_confidence.py``; the benchmark's folds use the same).
L2 = 1.0


@dataclass(frozen=True)
class Link:
    a: frozenset[int]
    b: frozenset[int]
    tier: str
    stance: str


@dataclass
class Pair:
    slug: str
    a_texts: list[str]
    b_texts: list[str]
    links: list[Link]
    a_only: list[frozenset[int]]
    #: Claims of fewer than six words outside every link: unlabelled, left out.
    unlabelled_a: set[int] = field(default_factory=set)
    unlabelled_b: set[int] = field(default_factory=set)

    @property
    def true(self) -> set[tuple[int, int]]:
        """Every (A claim, B claim) some gold link covers."""
        return {(i, j) for link in self.links for i in link.a for j in link.b}


def _overlapping(
    spans: Sequence[tuple[int, int]], text: str, quote: str, where: str
) -> frozenset[int]:
    start = text.find(quote)
    if start < 0:
        raise ValueError(f"{where}: gold substring not found: {quote[:60]!r}")
    end = start + len(quote)
    found = frozenset(n for n, (s, e) in enumerate(spans) if s < end and start < e)
    if not found:
        raise ValueError(f"{where}: gold substring overlaps no claim: {quote[:60]!r}")
    return found


def load_pairs(limit: int | None = None) -> list[Pair]:
    pairs = []
    for folder in sorted(p for p in PAIRS.iterdir() if (p / "gold.json").is_file())[:limit]:
        a_text = (folder / "a.txt").read_text(encoding="utf-8")
        b_text = (folder / "b.txt").read_text(encoding="utf-8")
        gold = json.loads((folder / "gold.json").read_text(encoding="utf-8"))
        a_spans, b_spans = segment_spans(a_text), segment_spans(b_text)
        where = str(folder / "gold.json")
        links = [
            Link(
                _overlapping(a_spans, a_text, link["a"], where),
                _overlapping(b_spans, b_text, link["b"], where),
                link["tier"],
                link["stance"],
            )
            for link in gold["links"]
        ]
        a_only = [_overlapping(a_spans, a_text, q, where) for q in gold["a_only_examples"]]
        a_texts = [a_text[s:e] for s, e in a_spans]
        b_texts = [b_text[s:e] for s, e in b_spans]
        in_a = set().union(*(k.a for k in links), *a_only)
        in_b = set().union(*(k.b for k in links))
        pairs.append(
            Pair(
                folder.name,
                a_texts,
                b_texts,
                links,
                a_only,
                {n for n, t in enumerate(a_texts) if len(t.split()) < 6 and n not in in_a},
                {n for n, t in enumerate(b_texts) if len(t.split()) < 6 and n not in in_b},
            )
        )
    return pairs


def gold_labels(pair: Pair, a_index: np.ndarray, b_index: np.ndarray) -> np.ndarray:  # type: ignore[type-arg]
    """1 for candidate pairs some gold link covers, else 0."""
    true = pair.true
    return np.array(
        [(i, j) in true for i, j in zip(a_index.tolist(), b_index.tolist(), strict=True)],
        dtype=float,
    )


# --- measures -----------------------------------------------------------------------


@dataclass(frozen=True)
class Scored:
    """One pair's candidates with a score, and the shown mask at the chosen settings."""

    a_index: np.ndarray  # type: ignore[type-arg]
    b_index: np.ndarray  # type: ignore[type-arg]
    score: np.ndarray  # type: ignore[type-arg]
    shown: np.ndarray  # type: ignore[type-arg]


def _ranked(scored: Scored) -> dict[int, list[int]]:
    order = np.lexsort((scored.b_index, -scored.score, scored.a_index))
    ranked: dict[int, list[int]] = {}
    for n in order.tolist():
        if scored.score[n] >= 0:
            ranked.setdefault(int(scored.a_index[n]), []).append(int(scored.b_index[n]))
    return ranked


def _shown(pair: Pair, scored: Scored) -> set[tuple[int, int]]:
    return {
        (i, j)
        for i, j in zip(
            scored.a_index[scored.shown].tolist(),
            scored.b_index[scored.shown].tolist(),
            strict=True,
        )
        if i not in pair.unlabelled_a and j not in pair.unlabelled_b
    }


def shown_counts(pair: Pair, scored: Scored) -> tuple[int, int, int]:
    """Shown pairs, correct ones, gold links covered (what choosing a rule needs)."""
    shown = _shown(pair, scored)
    covered = sum(any((i, j) in shown for i in k.a for j in k.b) for k in pair.links)
    return len(shown), len(shown & pair.true), covered


def pair_counts(pair: Pair, scored: Scored) -> dict[str, float]:
    """Counts for one pair (summed for micro averages)."""
    shown = _shown(pair, scored)
    counts: dict[str, float] = {
        "shown": len(shown),
        "correct": len(shown & pair.true),
        "links": len(pair.links),
        "covered": 0,
    }
    for group in (*TIERS, *STANCES):
        counts[f"n {group}"] = 0
        counts[f"covered {group}"] = 0
    ranked = _ranked(scored)
    for k in (1, 3, 5):
        counts[f"found@{k}"] = 0
    for link in pair.links:
        covered = any((i, j) in shown for i in link.a for j in link.b)
        counts["covered"] += covered
        for group in (link.tier, link.stance):
            counts[f"n {group}"] += 1
            counts[f"covered {group}"] += covered
        for k in (1, 3, 5):
            counts[f"found@{k}"] += any(j in link.b for i in link.a for j in ranked.get(i, [])[:k])
    sentences: dict[frozenset[int], set[int]] = {}
    for link in pair.links:
        sentences.setdefault(link.a, set()).update(link.b)
    counts["sentences"] = len(sentences)
    for k in (1, 3, 5):
        counts[f"hit@{k}"] = sum(
            any(j in partners for i in a for j in ranked.get(i, [])[:k])
            for a, partners in sentences.items()
        )
    shown_a = {i for i, _ in shown}
    counts["fp a-only"] = sum(bool(a & shown_a) for a in pair.a_only)
    return counts


def _prf(correct: float, shown: float, covered: float, links: float) -> tuple[float, float, float]:
    p = correct / shown if shown else 0.0
    r = covered / links if links else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def summary(per_pair: Sequence[dict[str, float]]) -> dict[str, float]:
    total = {k: sum(c[k] for c in per_pair) for k in per_pair[0]}
    p, r, f1 = _prf(total["correct"], total["shown"], total["covered"], total["links"])
    macro = np.mean(
        [_prf(c["correct"], c["shown"], c["covered"], c["links"]) for c in per_pair], axis=0
    )
    row = {"shown": total["shown"], "P": p, "R": r, "F1": f1}
    row.update({"macro P": macro[0], "macro R": macro[1], "macro F1": macro[2]})
    for k in (1, 3, 5):
        row[f"R@{k}"] = total[f"found@{k}"] / total["links"]
        row[f"hit@{k}"] = total[f"hit@{k}"] / total["sentences"]
    for group in (*TIERS, *STANCES):
        row[f"R {group}"] = total[f"covered {group}"] / max(total[f"n {group}"], 1)
    row["FP a-only"] = total["fp a-only"]
    return row


# --- scorers ------------------------------------------------------------------------


def fixed_scorer(pairs: Sequence[Pair], config: MatchConfig) -> list[Scored]:
    """Every pair scored by the engine at ``config`` (no fitting)."""
    out = []
    for pair in pairs:
        ai, bi, score, _ = engine.score_candidates(pair.a_texts, pair.b_texts, config)
        out.append(Scored(ai, bi, score, engine.shown_mask(ai, bi, score, config)))
    return out


@dataclass(frozen=True)
class Rows:
    """One pair's prefiltered candidates, their features and gold labels."""

    a_index: np.ndarray  # type: ignore[type-arg]
    b_index: np.ndarray  # type: ignore[type-arg]
    features: dict[str, np.ndarray]  # type: ignore[type-arg]
    gold: np.ndarray  # type: ignore[type-arg]


#: Cross-encoder logits already computed in this run, by sentence pair.
_LOGITS: dict[tuple[str, str], float] = {}


def cross_scorer() -> confidence.CrossScorer | None:
    """The cross-encoder's scorer (memoised over this run), or None when it is off.

    The engine's own calls (the ``shipped`` row scores the same pools again) go
    through the same memo: this process's ``cross_encoder.score_pairs`` is replaced.
    """
    if not engine.cross_ready():
        return None
    from factcheck.matching import cross_encoder

    model = getattr(cross_encoder.score_pairs, "unmemoised", cross_encoder.score_pairs)

    def score(pairs: Sequence[tuple[str, str]]) -> np.ndarray:  # type: ignore[type-arg]
        new = [p for p in dict.fromkeys(pairs) if p not in _LOGITS]
        if new:
            _LOGITS.update(zip(new, model(new).tolist(), strict=True))
        return np.array([_LOGITS[p] for p in pairs])

    def memoised(pairs: Sequence[tuple[str, str]], **_: object) -> np.ndarray:  # type: ignore[type-arg]
        return score(pairs).astype(np.float32)

    memoised.unmemoised = model  # type: ignore[attr-defined]
    cross_encoder.score_pairs = memoised  # type: ignore[assignment]
    return score


def feature_rows(
    pair: Pair, with_semantic: bool, cross: confidence.CrossScorer | None = None
) -> Rows:
    """The pool's features (the cross-encoder's too when ``cross`` is given)."""
    ai, bi, lexical, cosine = engine.confidence_inputs(pair.a_texts, pair.b_texts)
    if not with_semantic:
        cosine = None
    keep, features = confidence.pair_features(
        pair.a_texts, pair.b_texts, ai, bi, lexical, cosine, cross=cross
    )
    return Rows(ai[keep], bi[keep], features, gold_labels(pair, ai[keep], bi[keep]))


def default_features(with_semantic: bool, with_cross: bool) -> tuple[str, ...]:
    """The features of the model that runs here (stored; with the cross-encoder but no
    stored cross model yet: the semantic model's and the cross-encoder's)."""
    stored = confidence.params()
    if with_cross and stored.cross is None:
        return (*stored.semantic.features, *confidence.CROSS_FEATURES)
    return confidence.choose_model(with_semantic, with_cross).features


def design(rows: Sequence[Rows], names: Sequence[str]) -> np.ndarray:  # type: ignore[type-arg]
    return np.vstack([np.column_stack([r.features[n] for n in names]) for r in rows])


def fit_model(
    rows: Sequence[Rows], names: Sequence[str], l2: float = L2
) -> confidence.ConfidenceModel:
    """Logistic regression on standardised features (numpy Newton, as harness.fit_logistic)."""
    from benchmarks.harness import fit_logistic

    x = design(rows, names)
    y = np.concatenate([r.gold for r in rows])
    mean, scale = x.mean(axis=0), x.std(axis=0)
    scale[scale == 0] = 1.0
    w = fit_logistic((x - mean) / scale, y, l2=l2)
    return confidence.ConfidenceModel(
        "fitted", tuple(names), tuple(mean), tuple(scale), tuple(w[1:]), float(w[0])
    )


def choose_rule(
    pairs: Sequence[Pair],
    rows: Sequence[Rows],
    probs: Sequence[np.ndarray],  # type: ignore[type-arg]
) -> tuple[float, int]:
    """Threshold and top-k maximising micro F1 of shown links, then precision."""
    best: tuple[float, float, float, int] = (-1.0, -1.0, 0.0, 1)
    n_links = sum(len(p.links) for p in pairs)
    for k in TOP_KS:
        for t in THRESHOLDS:
            config = MatchConfig(threshold=t, top_k=k)
            shown, correct, covered = np.sum(
                [
                    shown_counts(p, _as_scored(r, 100 * pr, config))
                    for p, r, pr in zip(pairs, rows, probs, strict=True)
                ],
                axis=0,
            )
            precision, _, f1 = _prf(correct, shown, covered, n_links)
            key = (round(f1, 3), precision, float(t), k)
            if key[:2] > best[:2]:
                best = key
    return best[2], best[3]


def _as_scored(rows: Rows, score: np.ndarray, config: MatchConfig) -> Scored:  # type: ignore[type-arg]
    return Scored(
        rows.a_index,
        rows.b_index,
        score,
        engine.shown_mask(rows.a_index, rows.b_index, score, config),
    )


def cross_validated(
    pairs: Sequence[Pair], rows: Sequence[Rows], names: Sequence[str], l2: float = L2
) -> tuple[list[Scored], list[tuple[float, int]]]:
    """Leave-one-pair-out: model, threshold and top-k fitted without the held-out pair."""
    out, rules = [], []
    for n in range(len(pairs)):
        train = [r for m, r in enumerate(rows) if m != n]
        train_pairs = [p for m, p in enumerate(pairs) if m != n]
        model = fit_model(train, names, l2)
        threshold, top_k = choose_rule(
            train_pairs, train, [model.probability(r.features) for r in train]
        )
        score = 100 * model.probability(rows[n].features)
        out.append(_as_scored(rows[n], score, MatchConfig(threshold=threshold, top_k=top_k)))
        rules.append((threshold, top_k))
    return out, rules


# --- the table ----------------------------------------------------------------------

COLUMNS = ["shown", "P", "R", "F1", "macro F1", "R@1", "R@3", "R@5", "hit@1", "hit@3"]
COLUMNS += [f"R {g}" for g in (*TIERS, *STANCES)] + ["FP a-only"]


def print_table(
    rows: Iterable[tuple[str, dict[str, float]]], out: Callable[[str], None] = print
) -> None:
    widths = [max(8, len(c) + 2) for c in COLUMNS]
    out(f"{'scorer':<36}" + "".join(f"{c:>{w}}" for c, w in zip(COLUMNS, widths, strict=True)))
    for name, row in rows:
        cells = "".join(
            f"{row[c]:>{w}.0f}" if c in ("shown", "FP a-only") else f"{row[c]:>{w}.3f}"
            for c, w in zip(COLUMNS, widths, strict=True)
        )
        out(f"{name:<36}{cells}")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--smoke", action="store_true", help="three pairs, no hybrid (CI)")
    args = parser.parse_args(argv)
    if not PAIRS.is_dir():
        print(f"skipped: article pairs not found at {PAIRS} (set FACTCHECK_SHARED)")
        return 0
    started = time.perf_counter()
    pairs = load_pairs(3 if args.smoke else None)
    table: list[tuple[str, dict[str, float]]] = []
    legacy = MatchConfig(scorer="lexical", threshold=20.0, top_k=3)
    table.append(("lexical (thr 20, top 3)", _measure(pairs, fixed_scorer(pairs, legacy))))
    has_semantic = semantic.semantic_available()
    if has_semantic and not args.smoke:
        hybrid = MatchConfig(scorer="hybrid", threshold=20.0, top_k=3)
        table.append(("hybrid (thr 20, top 3)", _measure(pairs, fixed_scorer(pairs, hybrid))))
    default = MatchConfig()
    shipped = fixed_scorer(pairs, default)
    # The cross-encoder scores ~470 pairs per article pair: never in a smoke run.
    cross = cross_scorer() if has_semantic and not args.smoke else None
    names = default_features(has_semantic, cross is not None)
    rows = [feature_rows(p, has_semantic, cross) for p in pairs]
    cv, rules = cross_validated(pairs, rows, names)
    kind = "cross" if cross is not None else "semantic" if has_semantic else "lexical_only"
    table.append((f"confidence CV ({kind}, new default)", _measure(pairs, cv)))
    if cross is not None:
        alone, _ = cross_validated(pairs, rows, ("cross",))
        table.append(("cross-encoder logit alone, CV", _measure(pairs, alone)))
        sem_rows = [feature_rows(p, True) for p in pairs]
        cv_sem, _ = cross_validated(pairs, sem_rows, confidence.params().semantic.features)
        table.append(("confidence CV (semantic, no x-enc)", _measure(pairs, cv_sem)))
    if has_semantic and not args.smoke:
        lexical_rows = [feature_rows(p, False) for p in pairs]
        lexical_names = confidence.params().lexical_only.features
        cv_lexical, _ = cross_validated(pairs, lexical_rows, lexical_names)
        table.append(("confidence CV (lexical_only)", _measure(pairs, cv_lexical)))
    table.append(
        (
            f"shipped thr {default.threshold:g} top {default.top_k} (in-sample)",
            _measure(pairs, shipped),
        )
    )
    print_table(table)
    chosen = ", ".join(
        f"{p.slug.split('-')[0]} {t:g}/{k}" for p, (t, k) in zip(pairs, rules, strict=True)
    )
    print(f"CV rules per held-out pair (threshold/top-k): {chosen}")
    print(
        f"({len(pairs)} pairs, {sum(len(p.links) for p in pairs)} gold links;"
        f" {time.perf_counter() - started:.0f} s"
        + ("; smoke: three pairs, figures not comparable)" if args.smoke else ")")
    )
    if not has_semantic:
        print("sentence encoder not available: hybrid row skipped, lexical-only confidence")
    elif cross is None:
        why = "smoke run" if args.smoke else engine.cross_problem() or "no cross model stored"
        print(f"confidence without the cross-encoder ({why})")
    return 0


def _measure(pairs: Sequence[Pair], scored: Sequence[Scored]) -> dict[str, float]:
    return summary([pair_counts(p, s) for p, s in zip(pairs, scored, strict=True)])


if __name__ == "__main__":
    raise SystemExit(main())
