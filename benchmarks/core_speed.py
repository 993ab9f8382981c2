"""Time and peak memory of segment + match, next to a brute-force cdist baseline.

    python benchmarks/core_speed.py            # seeds, 2,000 and 10,000 claims a side
    python benchmarks/core_speed.py --smoke    # a quick run for CI

Each measurement runs in a fresh subprocess so peak memory (max RSS growth over the
set-up) is its own. Times are medians over ``--repeat`` runs. The baseline is
rapidfuzz ``process.cdist`` with ``token_set_ratio`` over all pairs (in row blocks,
both cores), keeping the top 3 per claim: what a matcher without an index would do.
"""

from __future__ import annotations

import argparse
import json
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def _rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _articles(case: str):  # type: ignore[no-untyped-def]
    if case == "seeds":
        from factcheck.seeds import seed_pair

        a, b = seed_pair()
        return a, b, "bundled seed pair"
    from benchmarks.corpus import article_pair

    return article_pair(int(case))


def _measure(case: str, method: str, repeat: int) -> dict[str, object]:
    import numpy as np
    from rapidfuzz import fuzz, process

    from factcheck.matching import match_claims, normalize_text
    from factcheck.models import MatchConfig
    from factcheck.segmentation import segment_claims

    a, b, origin = _articles(case)
    segment_claims(a)  # warm caches and imports outside the measurement
    base = _rss_mb()
    seg_times, match_times = [], []
    pairs = 0
    for _ in range(repeat):
        t0 = time.perf_counter()
        ca, cb = segment_claims(a), segment_claims(b)
        t1 = time.perf_counter()
        if method == "factcheck":
            pairs = len(match_claims(ca, cb, MatchConfig()))
        else:
            qa = [normalize_text(c.text) for c in ca]
            qb = [normalize_text(c.text) for c in cb]
            pairs = 0
            for start in range(0, len(qa), 1000):
                block = process.cdist(
                    qa[start : start + 1000],
                    qb,
                    scorer=fuzz.token_set_ratio,
                    dtype=np.uint8,
                    workers=-1,
                )
                top = np.argpartition(-block, min(3, block.shape[1] - 1), axis=1)[:, :3]
                pairs += int(top.size)
        t2 = time.perf_counter()
        seg_times.append(t1 - t0)
        match_times.append(t2 - t1)
    return {
        "case": case,
        "method": method,
        "origin": origin,
        "claims": [len(ca), len(cb)],
        "segment_s": statistics.median(seg_times),
        "match_s": statistics.median(match_times),
        "pairs": pairs,
        "peak_mb": max(0.0, _rss_mb() - base),
    }


def _run_child(case: str, method: str, repeat: int) -> dict[str, object]:
    out = subprocess.run(
        [sys.executable, __file__, "--child", case, method, str(repeat)],
        capture_output=True,
        text=True,
        check=True,
    )
    result: dict[str, object] = json.loads(out.stdout.strip().splitlines()[-1])
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--smoke", action="store_true", help="small sizes, one repeat (CI)")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--child", nargs=3, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        case, method, repeat = args.child
        print(json.dumps(_measure(case, method, int(repeat))))
        return 0

    cases = ["seeds", "300"] if args.smoke else ["seeds", "2000", "10000"]
    repeat = 1 if args.smoke else args.repeat
    print(
        f"{'case':>8} {'method':>10} {'claims A×B':>13} {'segment s':>10} {'match s':>9} "
        f"{'peak MB':>8} {'× faster':>9}"
    )
    for case in cases:
        ours = _run_child(case, "factcheck", repeat)
        # The baseline is slow at 10k (minutes); one run is enough to compare against.
        brute = _run_child(case, "cdist", 1 if case == "10000" else repeat)
        for r in (ours, brute):
            claims = r["claims"]
            assert isinstance(claims, list)
            ratio = float(brute["match_s"]) / max(float(r["match_s"]), 1e-9)  # type: ignore[arg-type]
            print(
                f"{case:>8} {r['method']:>10} {claims[0]:>6}×{claims[1]:<6} "
                f"{r['segment_s']:>10.3f} {r['match_s']:>9.3f} {r['peak_mb']:>8.1f} {ratio:>9.1f}"
            )
    print("times are medians; peak MB is max-RSS growth over set-up; × faster is vs cdist")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
