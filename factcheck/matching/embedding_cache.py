"""Embeddings kept on disk between runs: ``factcheck compare`` and the app, given texts
they encoded before, neither load the sentence encoder nor encode again.

Each call of the encoder (one batch of up to 256 new texts) is stored as one file,
named by a hash of the model files' identity (and onnxruntime's: ``encoder.cache_key``)
and of the batch's texts in order; the file holds the batch's rows (float32). Keyed
by the whole batch, not by text: the int8 model quantises activations per batch, so a
text's row depends a little on the texts encoded with it, and a run served from here
gives bit-for-bit the rows a run without it computes.

The folder is ``$FACTCHECK_EMBEDDING_CACHE``, else ``embeddings/`` in the user cache
folder; ``FACTCHECK_EMBEDDING_CACHE=off`` turns it off. It keeps at most
:data:`MAX_BYTES`, dropping the least recently used files. A damaged or foreign file
is ignored (and encoded again), never an error; so is a folder that cannot be written.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import time
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .encoder import Float32Array

#: Environment variable: the cache folder, or ``off``.
CACHE_ENV = "FACTCHECK_EMBEDDING_CACHE"
#: Bytes of cached rows kept, at most (about 40,000 sentences).
MAX_BYTES = 64 * 1024 * 1024
_SUFFIX = ".f32"
#: The files the size limit counts: embeddings, and matches (:mod:`.match_cache`).
CACHED_SUFFIXES = (_SUFFIX, ".matches")


def cache_dir() -> Path | None:
    """The cache folder in use (None: the cache is off)."""
    configured = os.environ.get(CACHE_ENV)
    if configured is not None:
        return None if configured.strip().lower() in ("", "off", "0", "no") else Path(configured)
    from platformdirs import user_cache_path

    return user_cache_path("factcheck") / "embeddings"


def model_key(files: Sequence[Path]) -> str:
    """What identifies a model without reading it: its files' paths, sizes and times."""
    parts = []
    for path in files:
        info = path.stat()
        parts.append(f"{path.resolve()}\0{info.st_size}\0{info.st_mtime_ns}")
    return hashlib.sha256("\0\0".join(parts).encode("utf-8", "surrogatepass")).hexdigest()


def _path(folder: Path, model: str, texts: Sequence[str]) -> Path:
    digest = hashlib.sha256(model.encode("ascii"))
    for text in texts:
        encoded = text.encode("utf-8", "surrogatepass")
        digest.update(len(encoded).to_bytes(8, "little"))
        digest.update(encoded)
    return folder / f"{digest.hexdigest()}{_SUFFIX}"


def load(model: str, texts: Sequence[str], dimension: int) -> Float32Array | None:
    """The rows stored for this batch of ``texts`` (None when there are none)."""
    folder = cache_dir()
    if folder is None or not texts:
        return None
    data = read_entry(_path(folder, model, texts))
    if data is None or len(data) != len(texts) * dimension * 4:
        return None  # not there, cut short by a crash or written by something else
    import numpy as np

    return np.frombuffer(data, dtype="<f4").reshape(len(texts), dimension).astype(np.float32)


def store(model: str, texts: Sequence[str], rows: Float32Array) -> None:
    """Keep ``rows`` (one per text) for the next run; silently nothing when it cannot."""
    folder = cache_dir()
    if folder is None or not texts:
        return
    import numpy as np

    write_entry(_path(folder, model, texts), np.ascontiguousarray(rows, dtype="<f4").tobytes())


def installed_files(modules: Sequence[str]) -> list[Path]:
    """The file each installed module of ``modules`` is loaded from (a package's
    ``__init__.py``, rewritten by every install of another version), found without
    importing it; modules not installed are left out."""
    from importlib.util import find_spec

    found = []
    for name in modules:
        spec = find_spec(name)
        if spec is not None and spec.origin:
            found.append(Path(spec.origin))
    return found


def read_entry(path: Path) -> bytes | None:
    """A cached file's bytes, marked as recently used (None: not there or unreadable)."""
    try:
        data = path.read_bytes()
    except OSError:
        return None
    with contextlib.suppress(OSError):
        os.utime(path)  # recently used: kept longest
    return data


def write_entry(path: Path, data: bytes) -> None:
    """Store a cached file whole (or not at all), then keep the folder within its size;
    silently nothing when it cannot."""
    temp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        temp.write_bytes(data)
        os.replace(temp, path)
        _prune(path.parent)
    except OSError:
        with contextlib.suppress(OSError):  # the folder itself may be the problem
            temp.unlink(missing_ok=True)


def _prune(folder: Path) -> None:
    """Drop the least recently used files beyond :data:`MAX_BYTES`."""
    files = []
    for entry in os.scandir(folder):
        if entry.name.endswith(CACHED_SUFFIXES):
            info = entry.stat()
            files.append((info.st_mtime, info.st_size, entry.path))
        elif entry.name.endswith(".tmp") and entry.stat().st_mtime < time.time() - 3600:
            os.unlink(entry.path)  # left by a killed run
    total = sum(size for _, size, _ in files)
    for _, size, name in sorted(files):
        if total <= MAX_BYTES:
            break
        os.unlink(name)
        total -= size
