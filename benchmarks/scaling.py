"""Speed, memory and fidelity of the matcher on long articles, next to brute force.

    python benchmarks/scaling.py --out /tmp/scaling      # 1k, 2k, 5k, 10k, 20k per side
    python benchmarks/scaling.py --sizes 1000 2000        # the table only
    python benchmarks/scaling.py --reference ../old-checkout --out /tmp/scaling
    python benchmarks/scaling.py --smoke                  # one tiny size, no plot (CI)

Articles are built from real sentences of the benchmark sets: about half of A's
claims have a paraphrase in B (MRPC and STS pairs), the rest are unrelated sentences
(CheckThat verified claims and other pairs). Each measurement runs in a fresh
subprocess, so its peak resident memory (``VmHWM``) is its own.

Columns: ``lexical`` is the matcher with the ``lexical`` scorer; ``index tsr`` is the
matcher with the ``token_set_ratio`` scorer (index candidates, then exact re-scoring),
compared with brute force — rapidfuzz ``process.cdist`` over all pairs with
``token_set_ratio``, timed only up to 2k per side (about 160 s at 10k on 2 cores;
nothing is extrapolated). ``recall@3`` is the share of brute force's top-3 per A claim the
index version also finds (by score, so ties count as found); above 2k it is measured
against brute force on 300 sampled A claims. ``r@3≥60`` counts only top-3 pairs
scoring at least 60 (below that, token_set_ratio's best "matches" are unrelated
sentences sharing "the", "said" and a few letters). ``true kept`` is what matters
to a user: the share of the planted paraphrases that brute force's top 3, and the
index's top 3, hold (on the same sampled claims above 2k). Times and peak memory (the
child process's max RSS, interpreter and articles included) are medians of
``--repeats`` runs. ``cpu s`` is the match's CPU time (all threads): on a shared
machine it moves much less with the load than the wall time beside it.

``--reference PATH`` also times the default matcher of another checkout (a folder with
``factcheck/``, e.g. ``git worktree add ../old main~5``) in the same run: ``ref s``,
``ref MB``, ``ref planted``. ``exp`` is the time exponent from the previous size
(``log(t2/t1) / log(n2/n1)``: 1 is linear).

With ``--out DIR`` writes ``DIR/scaling.csv`` and the curve ``DIR/scaling.png``
(matplotlib, the ``bench`` extra, imported only then); without it, only the table.
The README's ``docs/scaling.png`` is a copy made on purpose, never overwritten by a run.

Then the default scorer as the app runs it on long articles (``--semantic-sizes``,
default 10k claims a side, ``--semantic-repeats`` runs each), in one process with
nothing encoded yet: ``first s``, the time to its first result (the confidence's
lexical-only model, without the encoder), then ``refine s``, the refinement that
follows in the background (the encoder's load, the encoding of both articles and the
re-scoring). ``planted`` is the share of the planted paraphrases each result holds.
With ``--reference`` the other checkout's figures follow (``-``: it has no first
result, nothing shows until the refinement ends).
"""

from __future__ import annotations

import argparse
import csv
import json
import math
import os
import random
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
# Encoding is timed here: no rows from an earlier run's disk cache (children inherit it).
os.environ["FACTCHECK_EMBEDDING_CACHE"] = "off"
from benchmarks._memory import peak_rss_mb  # noqa: E402

# A child timing another checkout imports factcheck from there (see --reference).
if os.environ.get("FACTCHECK_CODE"):
    sys.path.insert(0, os.environ["FACTCHECK_CODE"])

SHARED = Path(os.environ.get("FACTCHECK_SHARED", REPO.parent / "shared")) / "benchmarks"


BRUTE_LIMIT = 2000
RECALL_SAMPLE = 300


def sentence_pool() -> tuple[list[tuple[str, str]], list[str]]:
    """Paraphrase pairs (MRPC positives, STS ≥ 4) and unrelated single sentences."""
    pairs: list[tuple[str, str]] = []
    singles: list[str] = []
    for split in ("train", "test"):
        path = SHARED / "mrpc" / f"msr_paraphrase_{split}.txt"
        for line in path.read_text(encoding="utf-8-sig").splitlines()[1:]:
            label, _, _, s1, s2 = line.split("\t")
            (pairs.append((s1, s2)) if label == "1" else singles.extend((s1, s2)))
    for split in ("train", "dev"):
        for line in (SHARED / "stsb" / f"sts-{split}.csv").read_text(encoding="utf-8").splitlines():
            cols = line.split("\t")
            if len(cols) >= 7:
                (
                    pairs.append((cols[5], cols[6]))
                    if float(cols[4]) >= 4
                    else singles.extend(cols[5:7])
                )
    with (SHARED / "checkthat2020" / "verified_claims.docs.tsv").open(encoding="utf-8") as f:
        reader = csv.reader(f, delimiter="\t")
        next(reader)
        singles.extend(row[1] for row in reader)
    return pairs, list(dict.fromkeys(singles))


def build_articles(n: int, seed: int = 7) -> tuple[list[str], list[str], set[tuple[int, int]]]:
    """Two articles of ``n`` claims and the planted paraphrase pairs (A index, B index)."""
    rng = random.Random(seed)
    pairs, singles = sentence_pool()
    rng.shuffle(pairs)
    rng.shuffle(singles)
    shared = pairs[: n // 2]
    a = [p[0] for p in shared]
    b = [p[1] for p in shared]
    filler = [s for p in pairs[n // 2 :] for s in p] + singles
    need = 2 * n - len(a) - len(b)
    while len(filler) < need:  # only at the largest sizes: repeat sentences
        filler += filler[: need - len(filler)]
    a += filler[: n - len(a)]
    b += filler[n - len(shared) : n - len(shared) + n - len(b)]
    a_order, b_order = list(range(n)), list(range(n))
    rng.shuffle(a_order)
    rng.shuffle(b_order)
    a_at = {old: new for new, old in enumerate(a_order)}
    b_at = {old: new for new, old in enumerate(b_order)}
    planted = {(a_at[k], b_at[k]) for k in range(len(shared))}
    return [a[i] for i in a_order], [b[i] for i in b_order], planted


def refine_child(n: int) -> dict[str, object]:
    """The default scorer as the app runs it on long articles, the encoder cold: the
    first result without the encoder, then the refinement with it (encoder load,
    encoding both articles, re-scoring). A checkout without the first stage (the
    reference before it) shows nothing until the refinement: ``first_s`` is None."""
    from factcheck.matching import SCORERS, match_claims
    from factcheck.models import Claim, MatchConfig

    a_texts, b_texts, planted = build_articles(n)
    a = [Claim(f"a:{i}", "a", i, 0, len(t), t) for i, t in enumerate(a_texts)]
    b = [Claim(f"b:{i}", "b", i, 0, len(t), t) for i, t in enumerate(b_texts)]
    default = MatchConfig()
    result: dict[str, object] = {"scorer": default.scorer, "first_s": None, "first_planted": None}

    def planted_share(matches: tuple[object, ...]) -> float:
        found = {(int(m.a_id[2:]), int(m.b_id[2:])) for m in matches}  # type: ignore[attr-defined]
        return len(found & planted) / max(len(planted), 1)

    started = time.perf_counter()
    if SCORERS[default.scorer].semantic:  # a semantic default shows the lexical scorer first
        first = match_claims(a, b, MatchConfig(scorer="lexical"))
    else:
        try:
            first = match_claims(a, b, default, with_encoder=False)
        except TypeError:  # a checkout without the first stage
            first = None
    if first is not None:
        result["first_s"] = time.perf_counter() - started
        result["first_planted"] = planted_share(first)
    started = time.perf_counter()
    refined = match_claims(a, b, default)
    result["refine_s"] = time.perf_counter() - started
    result["refine_planted"] = planted_share(refined)
    result["peak_mb"] = peak_rss_mb()
    return result


def refinement(sizes: list[int], repeats: int, reference: str | None) -> None:
    """The table of :func:`refine_child` runs (medians), with the reference's beside."""
    print(
        "\nthe default scorer on long articles, encoder cold: first result (no encoder),"
        " then the refinement in the background"
    )
    header = (
        f"{'claims/side':>11} {'scorer':>10} {'first s':>7} {'planted':>7} {'refine s':>8}"
        f" {'planted':>7} {'encoded/s':>9} {'peak MB':>7}"
    )
    if reference:
        header += f" {'ref first s':>11} {'ref refine s':>12} {'ref planted':>11}"
    print(header)
    for n in sizes:
        med = _refine_medians([fresh_process("refine", n) for _ in range(repeats)])
        line = (
            f"{n:>11} {med['scorer']:>10} {_figure(med['first_s'], 7, 2)}"
            f" {_figure(med['first_planted'], 7, 3)} {_figure(med['refine_s'], 8, 1)}"
            f" {_figure(med['refine_planted'], 7, 3)}"
            f" {_figure(2 * n / med['refine_s'], 9, 0)} {_figure(med['peak_mb'], 7, 0)}"
        )
        if reference:
            ref = _refine_medians([fresh_process("refine", n, reference) for _ in range(repeats)])
            line += (
                f" {_figure(ref['first_s'], 11, 2)} {_figure(ref['refine_s'], 12, 1)}"
                f" {_figure(ref['refine_planted'], 11, 3)}"
            )
        print(line, flush=True)


def _refine_medians(runs: list[dict[str, object]]) -> dict[str, Any]:
    """Each figure's median over ``runs`` (None when a run has none)."""
    med: dict[str, Any] = {"scorer": runs[0]["scorer"]}
    for key in runs[0]:
        if key != "scorer":
            values = [float(r[key]) for r in runs if r[key] is not None]  # type: ignore[arg-type]
            med[key] = statistics.median(values) if values else None
    return med


def _figure(value: Any, width: int, digits: int) -> str:
    return f"{float(value):>{width}.{digits}f}" if value is not None else f"{'-':>{width}}"


def child(method: str, n: int) -> dict[str, object]:
    """One measurement, run in its own process."""
    if method == "refine":
        return refine_child(n)
    import numpy as np
    from rapidfuzz import fuzz, process

    from factcheck.matching import match_claims, normalize_text
    from factcheck.models import Claim, MatchConfig

    a_texts, b_texts, planted = build_articles(n)
    a = [Claim(f"a:{i}", "a", i, 0, len(t), t) for i, t in enumerate(a_texts)]
    b = [Claim(f"b:{i}", "b", i, 0, len(t), t) for i, t in enumerate(b_texts)]
    base_rss = peak_rss_mb()
    started, cpu_started = time.perf_counter(), time.process_time()
    result: dict[str, object] = {"method": method, "n": n}
    if method == "brute":
        a_norm = [normalize_text(t) for t in a_texts]
        b_norm = [normalize_text(t) for t in b_texts]
        scores = process.cdist(
            a_norm, b_norm, scorer=fuzz.token_set_ratio, dtype=np.float32, workers=-1
        )
        top_columns = np.argpartition(-scores, 2, axis=1)[:, :3]
        top = -np.sort(-scores, axis=1)[:, :3]
        result["top3"] = top.tolist()
        found = {(i, int(j)) for i in range(n) for j in top_columns[i]}
        result["planted"] = len(found & planted) / max(len(planted), 1)
    else:
        # The lexical scorer at its default settings (the whole matcher without the
        # sentence encoder); every top-3 pair for the token_set_ratio version, to
        # compare with brute force.
        config = (
            MatchConfig(scorer="lexical")
            if method == "lexical"
            else MatchConfig("token_set_ratio", 0.0, 3)
        )
        matches = match_claims(a, b, config)
        result["matches"] = len(matches)
        found = {(int(m.a_id[2:]), int(m.b_id[2:])) for m in matches}
        result["planted"] = len(found & planted) / max(len(planted), 1)
        if method == "index":
            best: dict[int, list[float]] = {}
            for m in matches:
                best.setdefault(int(m.a_id[2:]), []).append(m.score)
            result["top3"] = {i: sorted(s, reverse=True)[:3] for i, s in best.items()}
            result["found"] = sorted(found)
    result["seconds"] = time.perf_counter() - started
    result["cpu_s"] = time.process_time() - cpu_started
    peak = peak_rss_mb()
    result["peak_mb"] = peak
    result["added_mb"] = peak - base_rss
    return result


def sampled_brute_top3(
    n: int, rows: list[int]
) -> tuple[dict[int, list[float]], set[tuple[int, int]]]:
    """Brute force's top-3 scores for ``rows`` of A, and those (row, B claim) pairs."""
    import numpy as np
    from rapidfuzz import fuzz, process

    from factcheck.matching import normalize_text

    a_texts, b_texts, _ = build_articles(n)
    a_norm = [normalize_text(a_texts[i]) for i in rows]
    b_norm = [normalize_text(t) for t in b_texts]
    scores = process.cdist(
        a_norm, b_norm, scorer=fuzz.token_set_ratio, dtype=np.float32, workers=-1
    )
    top = -np.sort(-scores, axis=1)[:, :3]
    columns = np.argpartition(-scores, 2, axis=1)[:, :3]
    pairs = {(i, int(j)) for k, i in enumerate(rows) for j in columns[k]}
    return {i: top[k].tolist() for k, i in enumerate(rows)}, pairs


def planted_kept(
    found: set[tuple[int, int]], planted: set[tuple[int, int]], rows: set[int]
) -> float:
    """The share of the planted paraphrases of ``rows`` that ``found`` holds."""
    wanted = {p for p in planted if p[0] in rows}
    return len(wanted & found) / max(len(wanted), 1)


def recall(
    brute: dict[int, list[float]], ours: dict[int, list[float]], floor: float = 0.0
) -> float:
    found = total = 0
    for row, scores in brute.items():
        mine = sorted(ours.get(row, []), reverse=True) + [-1.0] * 3
        for rank, score in enumerate(scores):
            if score < floor or score <= 0:
                continue
            total += 1
            found += mine[rank] >= score - 0.01
    return found / total if total else 1.0


def fresh_process(method: str, n: int, code: str | None = None) -> dict[str, object]:
    """:func:`child` in a process of its own (with ``code``, the factcheck of that checkout)."""
    env = {**os.environ, "FACTCHECK_CODE": str(Path(code).resolve())} if code else None
    out = subprocess.run(
        [sys.executable, __file__, "--child", method, str(n)],
        capture_output=True,
        text=True,
        check=True,
        env=env,
    )
    result: dict[str, object] = json.loads(out.stdout)
    return result


def run(method: str, n: int, repeats: int = 1, code: str | None = None) -> dict[str, object]:
    """Median time and median peak memory of ``repeats`` fresh processes (the machine is
    shared); with ``code``, the factcheck of that checkout."""
    runs = [fresh_process(method, n, code) for _ in range(repeats)]
    result = dict(runs[0])
    result["seconds"] = statistics.median(float(r["seconds"]) for r in runs)  # type: ignore[arg-type]
    result["peak_mb"] = statistics.median(float(r["peak_mb"]) for r in runs)  # type: ignore[arg-type]
    result["cpu_s"] = statistics.median(float(r["cpu_s"]) for r in runs)  # type: ignore[arg-type]
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 2000, 5000, 10000, 20000])
    parser.add_argument("--repeats", type=int, default=3, help="runs per figure (median)")
    parser.add_argument("--smoke", action="store_true", help="one tiny size, no plot (CI)")
    parser.add_argument("--out", type=Path, help="folder for scaling.csv and scaling.png")
    parser.add_argument("--reference", help="another checkout's folder, timed in the same run")
    parser.add_argument(
        "--lexical-only",
        action="store_true",
        help="no index tsr or brute force columns (the second table stays: --semantic-sizes)",
    )
    parser.add_argument(
        "--semantic-sizes",
        type=int,
        nargs="*",
        default=[10000],
        help="claims per side for the default scorer's two stages (none: skip them)",
    )
    parser.add_argument(
        "--semantic-repeats",
        type=int,
        default=1,
        help="runs per figure of that table (each encodes both articles: minutes at 10k)",
    )
    parser.add_argument("--child", nargs=2, metavar=("METHOD", "N"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(child(args.child[0], int(args.child[1]))))
        return 0
    if not SHARED.is_dir():
        print(f"skipped: benchmark data not found at {SHARED} (set FACTCHECK_SHARED)")
        return 0
    sizes, repeats = ([200], 1) if args.smoke else (args.sizes, args.repeats)
    header = (
        f"{'claims/side':>11} {'lexical s':>9} {'cpu s':>6} {'MB':>6} {'planted':>7}"
        f" {'index tsr s':>11}"
        f" {'MB':>6} {'brute s':>8} {'MB':>6} {'speed-up':>8}"
        f" {'recall@3':>8} {'r@3≥60':>7} {'r@3≥70':>7} {'true kept: brute':>16} {'index':>6}"
        f" {'exp':>5}"
    )
    if args.reference:
        header += f" {'ref s':>7} {'ref cpu':>7} {'ref MB':>6} {'ref planted':>11} {'ref exp':>7}"
    print(header)
    rows: list[tuple[object, ...]] = []
    previous: tuple[int, float, float | None] | None = None
    for n in sizes:
        lexical = run("lexical", n, repeats)
        reference = run("lexical", n, repeats, args.reference) if args.reference else None
        if args.lexical_only:
            exp, ref_cols, previous = _exponent_columns(n, lexical, reference, previous)
            print(
                f"{n:>11} {lexical['seconds']:>9.2f} {lexical['cpu_s']:>6.2f}"
                f" {lexical['peak_mb']:>6.0f}"
                f" {lexical['planted']:>7.3f}{' -' * 10} {exp:>5}{ref_cols}",
                flush=True,
            )
            rows.append((n, lexical["seconds"], lexical["peak_mb"], None, None, None, None))
            continue
        index = run("index", n, repeats)
        ours = {int(k): v for k, v in index["top3"].items()}  # type: ignore[union-attr]
        brute_s: float | None = None
        brute_mb: float | None = None
        index_found = {(int(i), int(j)) for i, j in index["found"]}  # type: ignore[union-attr]
        planted = build_articles(n)[2]
        if n <= BRUTE_LIMIT:
            brute = run("brute", n, 1 if n > 1000 else repeats)
            brute_top = {i: s for i, s in enumerate(brute["top3"])}  # type: ignore[arg-type]
            brute_s, brute_mb = float(brute["seconds"]), float(brute["peak_mb"])  # type: ignore[arg-type]
            # The true paraphrases among each top 3: brute force's, then the index's.
            kept = (float(brute["planted"]), planted_kept(index_found, planted, set(range(n))))  # type: ignore[arg-type]
        else:
            sample = random.Random(n).sample(range(n), RECALL_SAMPLE)
            brute_top, brute_found = sampled_brute_top3(n, sample)
            kept = (
                planted_kept(brute_found, planted, set(sample)),
                planted_kept(index_found, planted, set(sample)),
            )
        r_all, r_60 = recall(brute_top, ours), recall(brute_top, ours, floor=60.0)
        r_70 = recall(brute_top, ours, floor=70.0)
        speedup = f"{brute_s / float(index['seconds']):.0f}x" if brute_s else "-"  # type: ignore[arg-type]
        exp, ref_cols, previous = _exponent_columns(n, lexical, reference, previous)
        print(
            f"{n:>11} {lexical['seconds']:>9.2f} {lexical['cpu_s']:>6.2f}"
            f" {lexical['peak_mb']:>6.0f}"
            f" {lexical['planted']:>7.3f} {index['seconds']:>11.2f} {index['peak_mb']:>6.0f}"
            f" {f'{brute_s:.2f}' if brute_s else '-':>8}"
            f" {f'{brute_mb:.0f}' if brute_mb else '-':>6}"
            f" {speedup:>8} {r_all:>8.3f} {r_60:>7.3f} {r_70:>7.3f}"
            f" {kept[0]:>16.3f} {kept[1]:>6.3f} {exp:>5}{ref_cols}",
            flush=True,
        )
        rows.append(
            (n, lexical["seconds"], lexical["peak_mb"], index["seconds"], brute_s, r_all, r_60)
        )
    if args.out is not None and not args.smoke:
        save_curve(rows, args.out)
    from factcheck.matching import encoder_problem

    if not args.semantic_sizes:
        return 0
    if encoder_problem():
        print(f"semantic refinement skipped: {encoder_problem()}")
    elif args.smoke:
        refinement([40], 1, None)
    else:
        refinement(args.semantic_sizes, args.semantic_repeats, args.reference)
    return 0


def _exponent_columns(
    n: int,
    lexical: dict[str, object],
    reference: dict[str, object] | None,
    previous: tuple[int, float, float | None] | None,
) -> tuple[str, str, tuple[int, float, float | None]]:
    """The time exponent since the previous size, the reference's columns, and the new
    'previous'."""
    seconds = float(lexical["seconds"])  # type: ignore[arg-type]
    ref_s = float(reference["seconds"]) if reference else None  # type: ignore[arg-type]
    exp = ref_exp = "-"
    if previous is not None:
        p_n, p_s, p_ref = previous
        exp = f"{math.log(seconds / p_s) / math.log(n / p_n):.2f}"
        if ref_s and p_ref:
            ref_exp = f"{math.log(ref_s / p_ref) / math.log(n / p_n):.2f}"
    ref_cols = ""
    if reference is not None and ref_s is not None:
        ref_cols = (
            f" {ref_s:>7.2f} {reference['cpu_s']:>7.2f} {reference['peak_mb']:>6.0f}"
            f" {reference['planted']:>11.3f} {ref_exp:>7}"
        )
    return exp, ref_cols, (n, seconds, ref_s)


def save_curve(rows: list[tuple[object, ...]], folder: Path) -> None:
    """``folder/scaling.csv`` always; ``folder/scaling.png`` when matplotlib is there."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "scaling.csv"
    with path.open("w", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(
            [
                "claims_per_side",
                "lexical_s",
                "lexical_peak_mb",
                "index_tsr_s",
                "brute_s",
                "recall_at_3",
                "recall_at_3_min60",
            ]
        )
        writer.writerows([round(v, 3) if isinstance(v, float) else v for v in row] for row in rows)
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        print(f"matplotlib not installed (pip install 'factcheck[bench]'): table in {path}")
        return
    sizes = [r[0] for r in rows]
    fig, ax = plt.subplots(figsize=(6, 4))
    ax.plot(sizes, [r[1] for r in rows], "o-", label="factcheck lexical (default)")
    others = (
        (3, "^-", "factcheck index + token_set_ratio"),
        (4, "s--", "brute-force cdist token_set_ratio"),
    )
    for column, style, label in others:  # neither is measured with --lexical-only
        points = [(r[0], r[column]) for r in rows if r[column] is not None]
        if points:
            ax.plot([p[0] for p in points], [p[1] for p in points], style, label=label)
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel("claims per article")
    ax.set_ylabel("seconds (median, 2 cores)")
    ax.set_title("Matching time, two articles")
    ax.grid(True, which="both", alpha=0.3)
    ax.legend()
    fig.tight_layout()
    png = folder / "scaling.png"
    fig.savefig(png, dpi=120)
    print(f"curve saved to {png}")


if __name__ == "__main__":
    raise SystemExit(main())
