"""How long Compare versions takes on long articles, next to segmenting them alone.

    python benchmarks/versions_speed.py            # 500, 2,000 and 10,000 sentences
    python benchmarks/versions_speed.py --smoke    # small sizes, one run (CI)

The old version is made of distinct synthetic news sentences in paragraphs of five;
the new one edits 5 % of them (a figure changed), deletes 2 %, inserts 2 % and moves
one paragraph in twenty elsewhere: a heavily revised story. Printed: median seconds
of ``--repeat`` runs of ``compare_versions`` (segmentation of both versions, the
alignment, the pairing, the moves), the share of that spent segmenting, and the
counts found, which must match the edits made. Compare within one run: shared
machines vary.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from factcheck.models import Article
from factcheck.segmentation import segment_claims
from factcheck.versions import ChangeKind, compare_versions

WHO = ["The minister", "A spokesman", "The council", "Officials", "The mayor", "Analysts"]
DID = ["said", "reported", "confirmed", "denied", "estimated", "announced"]
WHAT = ["the budget", "the deficit", "turnout", "the harvest", "exports", "the fund"]


def sentence(rng: random.Random, n: int) -> str:
    return (
        f"{rng.choice(WHO)} {rng.choice(DID)} that {rng.choice(WHAT)} of district {n} "
        f"reached {rng.randint(10, 999)} units in {rng.randint(1990, 2024)}."
    )


def versions(count: int, seed: int = 7) -> tuple[Article, Article, dict[str, int]]:
    rng = random.Random(seed)
    old = [sentence(rng, n) for n in range(count)]
    paragraphs = [old[i : i + 5] for i in range(0, count, 5)]
    edits = {"changed": 0, "deleted": 0, "inserted": 0, "moved": 0}
    new_paragraphs = []
    moved = []
    for p, para in enumerate(paragraphs):
        if p % 20 == 7 and p + 1 < len(paragraphs):
            moved.append(list(para))
            edits["moved"] += len(para)
            continue
        out = []
        for s in para:
            roll = rng.random()
            if roll < 0.05:
                out.append(s.replace(" units", " units more"))
                edits["changed"] += 1
            elif roll < 0.07:
                edits["deleted"] += 1
            else:
                out.append(s)
            if rng.random() < 0.02:
                out.append(
                    f"In a new paragraph, residents of block {rng.randint(1, 10**6)} objected."
                )
                edits["inserted"] += 1
        new_paragraphs.append(out)
    new_paragraphs += moved
    old_text = "\n\n".join(" ".join(p) for p in paragraphs)
    new_text = "\n\n".join(" ".join(p) for p in new_paragraphs if p)
    return Article("a", "Old", "old.txt", old_text), Article("b", "New", "new.txt", new_text), edits


def median_seconds(fn: object, repeat: int) -> float:
    runs = []
    for _ in range(repeat):
        began = time.perf_counter()
        fn()  # type: ignore[operator]
        runs.append(time.perf_counter() - began)
    return statistics.median(runs)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n")[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--smoke", action="store_true", help="small sizes, one run (for CI)")
    args = parser.parse_args(argv)
    sizes = (200, 500) if args.smoke else (500, 2_000, 10_000)
    repeat = 1 if args.smoke else args.repeat
    print(f"{'sentences':>10}{'compare s':>11}{'segment s':>11}"
          f"{'changed':>9}{'deleted':>9}{'inserted':>10}{'moved':>7}  made (c/d/i/m)")  # fmt: skip
    for size in sizes:
        old, new, made = versions(size)
        total = median_seconds(lambda o=old, n=new: compare_versions(o, n), repeat)
        segment = median_seconds(
            lambda o=old, n=new: (segment_claims(o), segment_claims(n)), repeat
        )
        counts = compare_versions(old, new).counts()
        found = [
            counts[k]
            for k in (ChangeKind.CHANGED, ChangeKind.DELETED, ChangeKind.INSERTED, ChangeKind.MOVED)
        ]
        made_text = "/".join(str(made[k]) for k in ("changed", "deleted", "inserted", "moved"))
        print(f"{size:>10}{total:>11.3f}{segment:>11.3f}{found[0]:>9}{found[1]:>9}{found[2]:>10}"
              f"{found[3]:>7}  {made_text}")  # fmt: skip
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
