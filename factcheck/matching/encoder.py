"""The sentence encoder shipped with factcheck: all-MiniLM-L6-v2, int8 ONNX, no torch.

``factcheck/encoder_model/`` holds ``model.onnx`` (the transformer, built by
``scripts/export_encoder.py``; its ``NOTICE.md`` says from what, and how close it is
to the original) and ``tokenizer.json`` (read by :mod:`.wordpiece`). :func:`encode`
turns texts into
L2-normalised 384-dimensional rows: tokens (at most :data:`MAX_TOKENS`) through the
transformer, mean-pooled over the attention mask. ``onnxruntime`` is imported, and
the model loaded, on first use only, once per process (thread-safe),
so a caller that wants it off its GUI thread simply calls :func:`load_encoder` there.

``FACTCHECK_ENCODER_DIR`` points the loader at another folder. When the folder or a
file is missing or unreadable, :func:`encoder_problem` says which and why, and the
semantic stage is off (matching stays lexical, see ``engine.missing_stage``).
Embeddings are cached per text, so re-matching after a settings change does not encode
again. :func:`set_encoder` replaces the model (tests of the plumbing around it).
"""

from __future__ import annotations

import functools
import hashlib
import importlib.util
import os
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, Generic, Protocol, TypeVar

from ..errors import FactcheckError
from . import embedding_cache

if TYPE_CHECKING:
    # numpy is imported where rows are made: asking whether the encoder can run, or
    # what is cached, stays light (the app's first paint, the CLI's start).
    import numpy as np
    import numpy.typing as npt

    Float32Array = npt.NDArray[np.float32]

#: Environment variable naming another model folder (tests, packagers).
MODEL_DIR_ENV = "FACTCHECK_ENCODER_DIR"
#: The model folder shipped in the package.
DEFAULT_MODEL_DIR = Path(__file__).resolve().parents[1] / "encoder_model"
MODEL_FILE = "model.onnx"
TOKENIZER_FILE = "tokenizer.json"
#: Embedding width of all-MiniLM-L6-v2.
DIMENSION = 384
#: Tokens per text, as the model was trained (sentence-transformers' max_seq_length).
MAX_TOKENS = 256
#: Texts per model call, at most; texts are sorted by length first, so little is padding.
_BATCH = 32
#: Tokens per model call, at most (rows × longest row): attention takes memory in
#: rows × tokens², so long texts go in smaller batches (measured on the 400 longest
#: sentences of the 10k scaling articles: batches of 32 added 122 MB, of 8 60 MB,
#: equally fast).
_BATCH_TOKENS = 1024
#: Texts per progress report.
_PROGRESS_STEP = 256
#: Texts whose embeddings are kept in memory (1.5 KB each).
_CACHE_SIZE = 100_000


class EncoderUnavailable(FactcheckError):
    """The model folder is missing, incomplete or unreadable (the message says which)."""


class Encoder(Protocol):
    """Turns texts into L2-normalised float32 embedding rows."""

    def __call__(self, texts: Sequence[str]) -> Float32Array: ...


class OnnxEncoder:
    """all-MiniLM-L6-v2 through onnxruntime: tokenise, run, mean-pool, normalise."""

    def __init__(self, model: Path, tokenizer: Path, *, threads: int | None = None) -> None:
        from .wordpiece import WordPiece

        self._tokenizer = WordPiece(tokenizer, MAX_TOKENS)
        self._session = cpu_session(model, threads)
        self._inputs = {i.name for i in self._session.get_inputs()}

    def __call__(self, texts: Sequence[str]) -> Float32Array:
        import numpy as np

        out = np.zeros((len(texts), DIMENSION), dtype=np.float32)
        for rows, _ids, tokens, mask in self._batches(texts):
            out[rows] = _mean_pool(tokens, mask)
        return out

    def token_embeddings(self, texts: Sequence[str]) -> list[tuple[list[int], Float32Array]]:
        """Each text's token ids (``[CLS]`` … ``[SEP]``) and the transformer's contextual
        embedding of each token (one row per id, before pooling; what ``__call__``
        averages), batched as ``__call__`` batches the same texts."""
        found: dict[int, tuple[list[int], Float32Array]] = {}
        for rows, ids, tokens, mask in self._batches(texts):
            for r, n in enumerate(rows):
                width = int(mask[r].sum())
                found[n] = (ids[r, :width].tolist(), tokens[r, :width].copy())
        return [found[n] for n in range(len(texts))]

    def _batches(
        self, texts: Sequence[str]
    ) -> Iterator[tuple[list[int], npt.NDArray[np.int64], Float32Array, npt.NDArray[np.int64]]]:
        """(positions, token ids, token embeddings, attention mask) per model call."""
        import numpy as np

        tokens = [self._tokenizer.encode(t) for t in texts]
        # By length, then text: batches depend on the set of texts, not on their order
        # (int8 activations are quantised per batch, so a batch's members matter a little).
        order = sorted(range(len(texts)), key=lambda n: (len(tokens[n]), texts[n]))
        for rows in length_batches(order, [len(t) for t in tokens], _BATCH, _BATCH_TOKENS):
            width = len(tokens[rows[-1]])
            ids = np.zeros((len(rows), width), dtype=np.int64)
            mask = np.zeros((len(rows), width), dtype=np.int64)
            for r, n in enumerate(rows):
                ids[r, : len(tokens[n])] = tokens[n]
                mask[r, : len(tokens[n])] = 1
            feeds = {"input_ids": ids, "attention_mask": mask, "token_type_ids": np.zeros_like(ids)}
            result = self._session.run(None, {k: v for k, v in feeds.items() if k in self._inputs})
            yield rows, ids, np.asarray(result[0], dtype=np.float32), mask


def length_batches(
    order: Sequence[int], lengths: Sequence[int], rows: int, tokens: int
) -> Iterator[list[int]]:
    """``order`` (positions sorted by ``lengths``) cut into batches of at most ``rows``
    positions and ``tokens`` tokens (rows × the longest), one row at least."""
    start = 0
    while start < len(order):
        end = start + 1  # sorted: each row added is the longest so far
        while (
            end < len(order)
            and end - start < rows
            and (end - start + 1) * lengths[order[end]] <= tokens
        ):
            end += 1
        yield list(order[start:end])
        start = end


def cpu_session(model: Path, threads: int | None = None) -> Any:
    """An onnxruntime session of ``model`` on the CPU, one thread per core by default."""
    import onnxruntime

    options = onnxruntime.SessionOptions()
    options.intra_op_num_threads = threads or _cores()
    options.inter_op_num_threads = 1
    options.graph_optimization_level = onnxruntime.GraphOptimizationLevel.ORT_ENABLE_ALL
    # Idle worker threads sleep instead of spinning: encoding runs next to the GUI
    # and other programs, where a spinning core is a core taken from them.
    options.add_session_config_entry("session.intra_op.allow_spinning", "0")
    return onnxruntime.InferenceSession(str(model), options, providers=["CPUExecutionProvider"])


def _mean_pool(tokens: Float32Array, mask: npt.NDArray[np.int64]) -> Float32Array:
    import numpy as np

    weights = mask[:, :, None].astype(np.float32)
    pooled = (tokens * weights).sum(axis=1) / np.maximum(weights.sum(axis=1), 1e-9)
    norms = np.linalg.norm(pooled, axis=1, keepdims=True)
    return np.asarray(pooled / np.maximum(norms, 1e-12), dtype=np.float32)


def _cores() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


def model_dir() -> Path:
    """The model folder in use: ``$FACTCHECK_ENCODER_DIR`` or the shipped one."""
    configured = os.environ.get(MODEL_DIR_ENV)
    return Path(configured) if configured else DEFAULT_MODEL_DIR


def model_id(directory: Path | None = None) -> str:
    """The identity of the model in use: the sha256 of its ``model.onnx`` (what the
    claim library records its stored embeddings were made by; read once per file
    version). Raises :class:`EncoderUnavailable` when the file cannot be read."""
    path = (directory or model_dir()) / MODEL_FILE
    try:
        stat = path.stat()
        return _file_digest(str(path), stat.st_size, stat.st_mtime_ns)
    except OSError as error:
        raise EncoderUnavailable(f"{path}: cannot be read ({error.strerror or error})") from None


@functools.lru_cache(maxsize=4)
def _file_digest(path: str, size: int, mtime_ns: int) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as file:
        while chunk := file.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


_Model = TypeVar("_Model")


class ModelSlots(Generic[_Model]):
    """One model per folder, loaded once per process under a lock; a folder whose files
    failed to load keeps its message (the ``*_problem`` functions report it). Serves
    the encoder and the cross-encoder (:mod:`.cross_encoder`)."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.loaded: dict[Path, _Model] = {}
        self.failed: dict[Path, str] = {}

    def load(
        self,
        folder: Path,
        problem: Callable[[Path], str],
        build: Callable[[], _Model],
    ) -> _Model:
        """The model of ``folder``: ``build()`` the first time, when ``problem(folder)``
        finds nothing wrong. Raises :class:`EncoderUnavailable` with the problem, or
        with the error when building fails."""
        with self.lock:
            if folder in self.loaded:
                return self.loaded[folder]
            found = problem(folder)
            if found:
                raise EncoderUnavailable(found)
            try:
                model = build()
            except Exception as error:  # onnxruntime raises its own types
                self.failed[folder] = (
                    f"{folder}: model files unreadable ({type(error).__name__}: {error})"
                )
                raise EncoderUnavailable(self.failed[folder]) from error
            self.loaded[folder] = model
            return model


_slots: ModelSlots[OnnxEncoder] = ModelSlots()


def encoder_problem(directory: Path | None = None) -> str:
    """Why the encoder cannot run here ("" when it can), without loading it."""
    if _override is not None and directory is None:
        return ""
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


def load_encoder(directory: Path | None = None) -> OnnxEncoder:
    """The encoder of ``directory`` (default :func:`model_dir`), loaded once per process.

    Raises :class:`EncoderUnavailable` naming the file and the problem.
    """
    folder = directory or model_dir()
    return _slots.load(
        folder, encoder_problem, lambda: OnnxEncoder(folder / MODEL_FILE, folder / TOKENIZER_FILE)
    )


_override: Encoder | None = None
_cache: OrderedDict[str, Float32Array] = OrderedDict()
_cache_owner: object = None
_cache_lock = threading.Lock()


def set_encoder(encoder: Encoder | None) -> None:
    """Use ``encoder`` instead of the shipped model (None: back to it). Clears the cache."""
    global _override
    with _cache_lock:
        _override = encoder
        _cache.clear()


def encoder_available() -> bool:
    """True when :func:`encode` can run (model files present, or an encoder set)."""
    return not encoder_problem()


def uncached(texts: Sequence[str]) -> int:
    """How many of ``texts`` :func:`encode` would have to run the model for."""
    with _cache_lock:
        return len({t for t in texts if t not in _cache})


def encode(
    texts: Sequence[str], *, progress: Callable[[int, int], bool] | None = None
) -> Float32Array:
    """Embeddings of ``texts`` as rows ``(len(texts), 384)``, float32, L2-normalised.

    Cached per text in memory, and per encoder call on disk (see
    :mod:`.embedding_cache`): rows found there need neither the model nor onnxruntime.
    ``progress(done, total)`` is called as new texts are encoded; returning False
    raises :class:`InterruptedError`. Raises :class:`EncoderUnavailable` when the
    model cannot load.
    """
    import numpy as np

    global _cache_owner
    owner: object = _override if _override is not None else model_dir()
    with _cache_lock:
        if _cache_owner != owner:  # another model folder: other vectors
            _cache.clear()
            _cache_owner = owner
        rows: list[Float32Array | None] = [_cache.get(t) for t in texts]
    missing = list(dict.fromkeys(t for t, r in zip(texts, rows, strict=True) if r is None))
    fresh: dict[str, Float32Array] = {}
    if missing:
        _encode_missing(missing, owner, fresh, progress)
    with _cache_lock:
        if _cache_owner == owner:
            _cache.update(fresh)
            while len(_cache) > _CACHE_SIZE:
                _cache.popitem(last=False)
    if not texts:
        return np.zeros((0, DIMENSION), dtype=np.float32)
    done = [row if row is not None else fresh[text] for text, row in zip(texts, rows, strict=True)]
    return np.asarray(np.stack(done), dtype=np.float32)


def cache_key(folder: Path) -> str:
    """The disk cache's key for the model in ``folder``: its files and the installed
    onnxruntime (another version computes slightly different rows: cosine 0.999)."""
    return embedding_cache.model_key(
        [folder / MODEL_FILE, folder / TOKENIZER_FILE, *runtime_files()]
    )


def runtime_files() -> list[Path]:
    """onnxruntime's ``__init__.py`` (rewritten by every install of another version),
    found without importing it."""
    return embedding_cache.installed_files(["onnxruntime"])


def _encode_missing(
    missing: list[str],
    owner: object,
    fresh: dict[str, Float32Array],
    progress: Callable[[int, int], bool] | None,
) -> None:
    """Rows of ``missing`` into ``fresh``: from the disk cache, else from the model (the
    shipped one is loaded only then)."""
    import numpy as np

    encoder: Encoder | None = _override
    key = ""
    if isinstance(owner, Path):
        problem = encoder_problem(owner)
        if problem:
            raise EncoderUnavailable(problem)
        key = cache_key(owner)
    for start in range(0, len(missing), _PROGRESS_STEP):
        batch = missing[start : start + _PROGRESS_STEP]
        rows = embedding_cache.load(key, batch, DIMENSION) if key else None
        if rows is None:
            encoder = encoder or load_encoder(owner if isinstance(owner, Path) else None)
            rows = np.asarray(encoder(batch), dtype=np.float32)
            if key:
                embedding_cache.store(key, batch, rows)
        fresh.update(zip(batch, rows, strict=True))
        if progress is not None and not progress(start + len(batch), len(missing)):
            raise InterruptedError("encoding cancelled")
