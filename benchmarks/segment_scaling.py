"""How segmentation time grows with the length of one line (an article without
paragraph breaks), next to the same text one sentence per line.

    python benchmarks/segment_scaling.py            # 0.3, 1.25 and 5 MB
    python benchmarks/segment_scaling.py --smoke    # small sizes, one run (CI)

Three kinds of line: news prose, sentences glued without white space
(``Ab.Cd!Ef?Gh.``), and runs without white space or periods to walk back over.
For each size it prints the median seconds of ``--repeat`` runs, the time per MB,
and the ratio to the smallest size's time per MB: about 1 when the work is linear
in the length of the line (the splitter once sliced the rest of the line at every
full stop, and a 5 MB line took a minute). Compare within one run: shared machines
vary.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from factcheck.segmentation import segment_spans

UNITS = {
    "prose": "The minister said the budget grew by 3.5 percent. ",
    "glued": "Ab.Cd!Ef?Gh.",
    "no periods": "aa!Bb?Cc!",
}
MB = 1_000_000


def seconds(text: str, repeat: int) -> float:
    runs = []
    for _ in range(repeat):
        began = time.perf_counter()
        segment_spans(text)
        runs.append(time.perf_counter() - began)
    return statistics.median(runs)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n")[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--smoke", action="store_true", help="small sizes, one run (for CI)")
    args = parser.parse_args(argv)
    sizes = (20_000, 80_000) if args.smoke else (312_500, 1_250_000, 5_000_000)
    repeat = 1 if args.smoke else args.repeat
    print(f"{'line':<12}{'MB':>7}{'one line s':>12}{'s per MB':>10}{'× smallest':>12}"
          f"{'per-line s':>12}")  # fmt: skip
    for name, unit in UNITS.items():
        first_rate = None
        for size in sizes:
            text = unit * (size // len(unit))
            one_line = seconds(text, repeat)
            # The same sentences one per line, where each line is short (prose only:
            # the other kinds have no white space to break at).
            split = seconds(text.replace(". ", ".\n"), repeat) if name == "prose" else None
            rate = one_line / (len(text) / MB)
            first_rate = first_rate or rate
            per_line = f"{split:>12.3f}" if split is not None else f"{'':>12}"
            print(
                f"{name:<12}{len(text) / MB:>7.2f}{one_line:>12.3f}{rate:>10.3f}"
                f"{rate / first_rate:>12.2f}{per_line}"
            )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
