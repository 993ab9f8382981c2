"""Build large article pairs from real news sentences, for benchmarks.

Article A takes the first sentence of each labelled pair (MRPC, STS-benchmark),
article B the second, in another order, so B restates many of A's claims in
other words — the situation factcheck is for. Without ../shared/benchmarks the
seed articles' sentences are reused with numbers varied (labelled as such).
"""

from __future__ import annotations

import csv
import os
import random
import re
from pathlib import Path

from factcheck.models import Article
from factcheck.segmentation import segment_spans

REPO = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("FACTCHECK_SHARED", REPO.parent / "shared"))


def sentence_pairs() -> tuple[list[tuple[str, str]], str]:
    """Real sentence pairs and where they came from."""
    pairs: list[tuple[str, str]] = []
    mrpc = SHARED / "benchmarks" / "mrpc"
    for name in ("msr_paraphrase_train.txt", "msr_paraphrase_test.txt"):
        path = mrpc / name
        if path.exists():
            with path.open(encoding="utf-8-sig") as f:
                rows = list(csv.reader(f, delimiter="\t", quoting=csv.QUOTE_NONE))
            pairs += [(r[3], r[4]) for r in rows[1:] if len(r) == 5]
    stsb = SHARED / "benchmarks" / "stsb"
    for name in ("sts-train.csv", "sts-dev.csv"):
        path = stsb / name
        if path.exists():
            with path.open(encoding="utf-8") as f:
                for line in f:
                    cols = line.rstrip("\n").split("\t")
                    if len(cols) >= 7:
                        pairs.append((cols[5], cols[6]))
    if pairs:
        return pairs, "MRPC + STS-benchmark sentence pairs"
    seeds = [p.read_text("utf-8") for p in sorted((REPO / "seeds").glob("*.txt"))]
    sentences = [t[s:e] for t in seeds for s, e in segment_spans(t)]
    return [(s, s) for s in sentences], "seed sentences (../shared/benchmarks absent)"


def article_pair(claims: int, *, seed: int = 7) -> tuple[Article, Article, str]:
    """Two articles of ``claims`` sentences each, one sentence per line."""
    pairs, origin = sentence_pairs()
    rng = random.Random(seed)
    chosen = [pairs[i % len(pairs)] for i in range(claims)]
    rounds = [i // len(pairs) for i in range(claims)]
    a_lines = [_vary(a, r) for (a, _b), r in zip(chosen, rounds, strict=True)]
    b_lines = [_vary(b, r) for (_a, b), r in zip(chosen, rounds, strict=True)]
    rng.shuffle(b_lines)
    a = Article(id="a", title=f"A ({claims} claims)", source=origin, text="\n".join(a_lines))
    b = Article(id="b", title=f"B ({claims} claims)", source=origin, text="\n".join(b_lines))
    return a, b, origin


def _vary(sentence: str, round_: int) -> str:
    """Repeat a sentence in a later round with its numbers changed, so no two are equal."""
    sentence = sentence.strip()
    if round_ == 0:
        return sentence
    varied = re.sub(r"\d+", lambda m: str(int(m.group()) + round_), sentence)
    return varied if varied != sentence else f"{sentence} ({round_})"
