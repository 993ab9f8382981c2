"""The sentence encoder's disk cache: a run on texts encoded before gets the very rows
a run without the cache computes, without loading the model; a damaged, foreign or
missing cache is ignored; the folder stays within its size."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from factcheck.matching import embedding_cache, encoder
from factcheck.matching.encoder import encoder_problem

TEXTS = ["The council approved the budget.", "Residents welcomed the new bridge.", "Ünïcode ✓"]
KEY = "0" * 64


def _rows(n: int, seed: int = 0) -> np.ndarray:
    return np.random.default_rng(seed).standard_normal((n, 8)).astype(np.float32)


def test_stored_rows_come_back_only_for_the_same_batch(tmp_path: Path) -> None:
    rows = _rows(len(TEXTS))
    embedding_cache.store(KEY, TEXTS, rows)
    back = embedding_cache.load(KEY, TEXTS, 8)
    assert back is not None and back.dtype == np.float32
    assert np.array_equal(back, rows)
    # Another order, another subset, another model: another batch.
    assert embedding_cache.load(KEY, TEXTS[::-1], 8) is None
    assert embedding_cache.load(KEY, TEXTS[:2], 8) is None
    assert embedding_cache.load("1" * 64, TEXTS, 8) is None


def test_a_damaged_file_is_ignored(tmp_path: Path) -> None:
    embedding_cache.store(KEY, TEXTS, _rows(len(TEXTS)))
    folder = embedding_cache.cache_dir()
    assert folder is not None
    (stored,) = folder.glob("*.f32")
    stored.write_bytes(stored.read_bytes()[:-4])  # cut short, as by a crash
    assert embedding_cache.load(KEY, TEXTS, 8) is None


def test_off_and_unwritable_folders_store_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(embedding_cache.CACHE_ENV, "off")
    assert embedding_cache.cache_dir() is None
    embedding_cache.store(KEY, TEXTS, _rows(len(TEXTS)))
    assert embedding_cache.load(KEY, TEXTS, 8) is None
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    monkeypatch.setenv(embedding_cache.CACHE_ENV, str(blocker / "cache"))
    embedding_cache.store(KEY, TEXTS, _rows(len(TEXTS)))  # no error
    assert embedding_cache.load(KEY, TEXTS, 8) is None


def test_the_least_recently_used_files_go_beyond_the_limit(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    one_file = 3 * 8 * 4
    monkeypatch.setattr(embedding_cache, "MAX_BYTES", 2 * one_file)
    batches = [[f"{text} {n}" for text in TEXTS] for n in range(3)]
    embedding_cache.store(KEY, batches[0], _rows(3))
    embedding_cache.store(KEY, batches[1], _rows(3))
    folder = embedding_cache.cache_dir()
    assert folder is not None
    for n, path in enumerate(sorted(folder.glob("*.f32"), key=lambda p: p.stat().st_mtime)):
        os.utime(path, (1_000_000 + n, 1_000_000 + n))
    assert embedding_cache.load(KEY, batches[0], 8) is not None  # used: now the newest
    embedding_cache.store(KEY, batches[2], _rows(3))
    assert len(list(folder.glob("*.f32"))) == 2
    assert embedding_cache.load(KEY, batches[1], 8) is None
    assert embedding_cache.load(KEY, batches[0], 8) is not None
    assert embedding_cache.load(KEY, batches[2], 8) is not None


ENCODE = r"""
import json, sys
from factcheck.matching.encoder import encode
rows = encode(json.loads(sys.argv[1]))
print(json.dumps({"rows": rows.tolist(), "onnxruntime": "onnxruntime" in sys.modules}))
"""


@pytest.mark.skipif(bool(encoder_problem()), reason="the shipped sentence encoder is missing")
def test_a_second_run_gets_the_same_rows_without_the_model(tmp_path: Path) -> None:
    texts = [*TEXTS, *(f"Sentence number {n} of the test." for n in range(40))]

    def run() -> dict[str, object]:
        done = subprocess.run(
            [sys.executable, "-c", ENCODE, json.dumps(texts)],
            capture_output=True,
            text=True,
            check=True,
            env=os.environ.copy(),
        )
        result: dict[str, object] = json.loads(done.stdout)
        return result

    first, second = run(), run()
    assert first["onnxruntime"] is True
    assert second["onnxruntime"] is False
    assert second["rows"] == first["rows"]  # bit for bit (JSON floats round-trip)


def test_the_key_changes_with_the_installed_onnxruntime(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    installed = encoder.runtime_files()
    if not encoder_problem():
        assert installed[0].parts[-2:] == ("onnxruntime", "__init__.py")
    for name in (encoder.MODEL_FILE, encoder.TOKENIZER_FILE):
        (tmp_path / name).write_bytes(b"model")
    runtime = tmp_path / "onnxruntime" / "__init__.py"
    runtime.parent.mkdir()
    runtime.write_text("__version__ = '1.28.0'\n")
    monkeypatch.setattr(encoder, "runtime_files", lambda: [runtime])
    before = encoder.cache_key(tmp_path)
    assert encoder.cache_key(tmp_path) == before
    runtime.write_text("__version__ = '1.32.0.1'\n")  # another install
    assert encoder.cache_key(tmp_path) != before
