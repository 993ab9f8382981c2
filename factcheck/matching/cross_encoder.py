"""The "same claim" cross-encoder: one logit per sentence pair, int8 ONNX, no torch.

The bi-encoder (:mod:`.encoder`) embeds each sentence alone, so two sentences about
one story look alike whether or not they state the same fact. This model reads both
at once (``[CLS] a [SEP] b [SEP]``, :meth:`.wordpiece.WordPiece.encode_pair`) and
gives a logit: higher means more likely the same claim. It is all-MiniLM-L6-v2
fine-tuned by ``scripts/finetune_crossencoder.py`` and exported by
``scripts/export_encoder.py --cross`` (its folder's ``NOTICE.md`` says on what, and
how well it does alone).

``factcheck/cross_encoder_model/`` holds ``model.onnx`` and ``tokenizer.json``
(``FACTCHECK_CROSS_ENCODER_DIR`` points the loader at another folder). ``onnxruntime``
is imported, and the model loaded, on first use only, once per process (thread-safe),
so a caller that wants it off its GUI thread calls :func:`load_cross_encoder` there.
When something is missing :func:`available` is False and
:func:`cross_encoder_problem` names the file; the confidence then runs without it.
"""

from __future__ import annotations

import importlib.util
import os
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from .encoder import MODEL_FILE, TOKENIZER_FILE, ModelSlots, cpu_session, length_batches

if TYPE_CHECKING:
    # numpy is imported where logits are made: asking whether the model can run stays
    # light (the app's first paint, the CLI's start), as in .encoder.
    import numpy as np
    import numpy.typing as npt

    Float32Array = npt.NDArray[np.float32]

#: Environment variable naming another model folder (tests, packagers).
MODEL_DIR_ENV = "FACTCHECK_CROSS_ENCODER_DIR"
#: The model folder shipped in the package.
DEFAULT_MODEL_DIR = Path(__file__).resolve().parents[1] / "cross_encoder_model"
#: Tokens per pair, at most (both sentences and the three special tokens), as trained.
MAX_TOKENS = 128
#: Pairs per model call, at most; pairs are sorted by length first, so little is padding.
_BATCH = 32
#: Tokens per model call, at most (rows × longest row).
_BATCH_TOKENS = 2048


class OnnxCrossEncoder:
    """The cross-encoder through onnxruntime: pair-tokenise, batch by length, run."""

    def __init__(self, model: Path, tokenizer: Path, *, threads: int | None = None) -> None:
        from .wordpiece import WordPiece

        self._tokenizer = WordPiece(tokenizer, MAX_TOKENS)
        self._session = cpu_session(model, threads)

    def __call__(
        self,
        pairs: Sequence[tuple[str, str]],
        step: Callable[[int], bool] | None = None,
    ) -> Float32Array:
        """Logits of ``pairs``; ``step(done)`` after each batch, False stops (InterruptedError)."""
        import numpy as np

        out = np.zeros(len(pairs), dtype=np.float32)
        encoded = [self._tokenizer.encode_pair(a, b) for a, b in pairs]
        # By length, then text: batches depend on the set of pairs, not on their order
        # (int8 activations are quantised per batch, so a batch's members matter a little).
        order = sorted(range(len(pairs)), key=lambda n: (len(encoded[n][0]), pairs[n]))
        done = 0
        lengths = [len(ids) for ids, _ in encoded]
        for rows in length_batches(order, lengths, _BATCH, _BATCH_TOKENS):
            width = lengths[rows[-1]]
            ids = np.zeros((len(rows), width), dtype=np.int64)
            types = np.zeros_like(ids)
            mask = np.zeros_like(ids)
            for r, n in enumerate(rows):
                ids[r, : lengths[n]], types[r, : lengths[n]] = encoded[n]
                mask[r, : lengths[n]] = 1
            feeds = {"input_ids": ids, "attention_mask": mask, "token_type_ids": types}
            out[rows] = np.asarray(self._session.run(None, feeds)[0], dtype=np.float32)
            done += len(rows)
            if step is not None and not step(done):
                raise InterruptedError("cross-encoder scoring cancelled")
        return out


_slots: ModelSlots[OnnxCrossEncoder] = ModelSlots()


def model_dir() -> Path:
    """The model folder in use: ``$FACTCHECK_CROSS_ENCODER_DIR`` or the shipped one."""
    configured = os.environ.get(MODEL_DIR_ENV)
    return Path(configured) if configured else DEFAULT_MODEL_DIR


def cross_encoder_problem(directory: Path | None = None) -> str:
    """Why the cross-encoder cannot run here ("" when it can), without loading it."""
    folder = directory or model_dir()
    if folder in _slots.failed:
        return _slots.failed[folder]
    if importlib.util.find_spec("onnxruntime") is None:
        return "the onnxruntime package is not installed (pip install onnxruntime)"
    for name in (MODEL_FILE, TOKENIZER_FILE):
        path = folder / name
        if not path.is_file():
            return f"{path}: model file missing (reinstall factcheck)"
        if not os.access(path, os.R_OK) or path.stat().st_size == 0:
            return f"{path}: model file unreadable or empty (reinstall factcheck)"
    return ""


def available() -> bool:
    """True when the model files are there and onnxruntime is importable."""
    return not cross_encoder_problem()


def load_cross_encoder(directory: Path | None = None) -> OnnxCrossEncoder:
    """The cross-encoder of ``directory`` (default :func:`model_dir`), loaded once.

    Raises :class:`~.encoder.EncoderUnavailable` naming the file and the problem.
    """
    folder = directory or model_dir()
    return _slots.load(
        folder,
        cross_encoder_problem,
        lambda: OnnxCrossEncoder(folder / MODEL_FILE, folder / TOKENIZER_FILE),
    )


def score_pairs(
    pairs: Sequence[tuple[str, str]],
    *,
    progress: Callable[[int, int], object] | None = None,
    cancel: Callable[[], bool] | None = None,
) -> Float32Array:
    """The logit of each ``(a, b)`` pair (float32; higher: more likely the same claim).

    ``progress(done, total)`` is called before the first batch and after each
    (returning False cancels, as :func:`.encoder.encode`'s does); ``cancel()`` is asked
    as often, returning True cancels. Cancelling raises :class:`InterruptedError`.
    Raises :class:`~.encoder.EncoderUnavailable` when the model cannot load.
    """
    model = load_cross_encoder()
    total = len(pairs)

    def step(done: int) -> bool:
        if cancel is not None and cancel():
            return False
        return progress is None or progress(done, total) is not False

    if not step(0):
        raise InterruptedError("cross-encoder scoring cancelled")
    return model(pairs, step)
