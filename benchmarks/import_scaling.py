"""How importing annotations and re-anchoring quotes scale with hostile input.

    python benchmarks/import_scaling.py            # the sizes of issue 13
    python benchmarks/import_scaling.py --smoke    # small sizes, one run (CI)

Three tables:

* **absent quotes** — N annotations whose quotes are in neither article, imported onto
  two articles of the given size: seconds, how many were searched before the search
  budget (anchoring.SEARCH_BUDGET) ran out, and peak memory. Before the budget, 5,000
  took 18.8 s and 100,000 took 690 s; time per annotation now falls as N grows.
* **one long quote** — re-anchoring a quote of the given length (absent) against an
  article of the same length: long quotes are found exactly or not at all (the
  fuzzy search of a 1,000,000-character quote never ended before).
* **one fuzzy search** — the cost of one approximate search for a 120-character
  quote, next to the pure-Python bitap it used to run (diff_match_patch.match_main),
  measured in this run: the ratio is the figure.

Compare within one run: shared machines vary by 2-3x.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks._memory import peak_rss_mb
from factcheck import anchoring
from factcheck.export import import_web_annotations
from factcheck.models import Article, Project, TextAnchor

SYLLABLES = ["ka", "lo", "mi", "nu", "pe", "ra", "si", "to", "ve", "zu"]


def prose(chars: int, seed: int) -> str:
    rng = random.Random(seed)
    words = ["".join(rng.choice(SYLLABLES) for _ in range(rng.randint(1, 4))) for _ in range(5000)]
    out: list[str] = []
    size = 0
    while size < chars:
        sentence = " ".join(rng.choice(words) for _ in range(rng.randint(6, 14))).capitalize()
        sentence += ".\n" if len(out) % 12 == 11 else ". "
        out.append(sentence)
        size += len(sentence)
    return "".join(out)


def absent_quotes(n: int, article_chars: int) -> tuple[float, int, float]:
    project = Project(
        article_a=Article(id="a", title="A", source="a.txt", text=prose(article_chars, 1)),
        article_b=Article(id="b", title="B", source="b.txt", text=prose(article_chars, 2)),
    )
    rng = random.Random(n)
    items = [
        {
            "type": "Annotation",
            "target": {
                "source": "a.txt",
                "selector": {
                    "type": "TextQuoteSelector",
                    "exact": " ".join(rng.choice(SYLLABLES) * 2 for _ in range(16)) + " zzq",
                },
            },
        }
        for _ in range(n)
    ]
    data = json.dumps(items)
    began = time.perf_counter()
    result = import_web_annotations(project, data)
    seconds = time.perf_counter() - began
    searched = sum(anchoring.NOT_SEARCHED not in o.reason for o in result.orphans)
    return seconds, searched, peak_rss_mb()


def long_quote(chars: int) -> float:
    text, quote = prose(chars, 3), prose(chars, 4)
    began = time.perf_counter()
    anchoring.reanchor(text, TextAnchor(10, 10 + len(quote), quote, "", ""))
    return time.perf_counter() - began


def one_search(article_chars: int, repeat: int) -> tuple[float, float]:
    """Median seconds of one fuzzy re-anchoring now, and of the old pure-Python bitap
    step alone (the part that dominated it)."""
    import diff_match_patch

    text = prose(article_chars, 5)
    rng = random.Random(5)
    quotes = [" ".join(rng.choice(SYLLABLES) * 2 for _ in range(16)) for _ in range(repeat)]
    now, old = [], []
    dmp = diff_match_patch.diff_match_patch()
    anchoring.reanchor(text, TextAnchor(0, 5, "warm up the index", "", ""))
    for q in quotes:
        loc = rng.randrange(len(text))
        began = time.perf_counter()
        anchoring.reanchor(text, TextAnchor(loc, loc + len(q), q, "", ""))
        now.append(time.perf_counter() - began)
        began = time.perf_counter()
        dmp.match_main(text, q[:32], loc)
        dmp.match_main(text, q[-32:], loc)
        old.append(time.perf_counter() - began)
    return statistics.median(now), statistics.median(old)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n")[0])
    parser.add_argument("--smoke", action="store_true", help="small sizes (for CI)")
    args = parser.parse_args(argv)
    if args.smoke:
        counts, article, quotes, repeat = (200, 1_000), 20_000, (10_000, 100_000), 3
    else:
        counts, article, quotes, repeat = (
            (1_000, 5_000, 20_000, 100_000),
            100_000,
            (
                100_000,
                1_000_000,
            ),
            9,
        )

    print(f"absent quotes, two articles of {article:,} characters each")
    print(f"{'annotations':>12}{'seconds':>10}{'ms each':>10}{'searched':>10}{'peak MB':>10}")
    for n in counts:
        seconds, searched, peak = absent_quotes(n, article)
        print(f"{n:>12,}{seconds:>10.2f}{1000 * seconds / n:>10.3f}{searched:>10,}{peak:>10.0f}")

    print("\none long absent quote against an article of the same length")
    print(f"{'characters':>12}{'seconds':>10}")
    for chars in quotes:
        print(f"{chars:>12,}{long_quote(chars):>10.3f}")

    now, old = one_search(article * 10 if not args.smoke else article, repeat)
    print(f"\none fuzzy search, 120-character quote, median of {repeat}")
    print(f"  whole search now: {1000 * now:.1f} ms; the old Python bitap step alone: "
          f"{1000 * old:.1f} ms ({old / now:.1f}x the whole search now)")  # fmt: skip
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
