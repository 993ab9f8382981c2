"""The shipped ONNX sentence encoder, against the fp32 torch reference the export script
measured, and the lexical fallback when its files are missing."""

from __future__ import annotations

import json
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest

from factcheck.errors import MatchConfigError
from factcheck.matching import encoder, match_claims, missing_stage, semantic
from factcheck.matching.wordpiece import WordPiece
from factcheck.models import MatchConfig

from .helpers import claims

REFERENCE = json.loads(
    (Path(__file__).parent / "data" / "encoder_reference.json").read_text(encoding="utf-8")
)
#: The export script measured int8 against fp32 at 0.98 mean cosine or more on STS-b.
MIN_COSINE = 0.97


@pytest.fixture
def shipped(monkeypatch: pytest.MonkeyPatch) -> Iterator[encoder.OnnxEncoder]:
    monkeypatch.delenv(encoder.MODEL_DIR_ENV, raising=False)
    encoder.set_encoder(None)
    yield encoder.load_encoder()


def test_the_shipped_model_loads_once_and_gives_normalised_rows(
    shipped: encoder.OnnxEncoder,
) -> None:
    assert encoder.load_encoder() is shipped
    vectors = encoder.encode(REFERENCE["sentences"])
    assert vectors.shape == (len(REFERENCE["sentences"]), encoder.DIMENSION)
    assert vectors.dtype == np.float32
    assert np.linalg.norm(vectors, axis=1) == pytest.approx(1.0, abs=1e-5)
    assert encoder.encode([]).shape == (0, encoder.DIMENSION)


def test_threads_loading_at_once_share_one_model(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in (encoder.MODEL_FILE, encoder.TOKENIZER_FILE):  # a folder not loaded yet
        shutil.copyfile(encoder.DEFAULT_MODEL_DIR / name, tmp_path / name)
    monkeypatch.setenv(encoder.MODEL_DIR_ENV, str(tmp_path))
    loaded: list[encoder.OnnxEncoder] = []
    threads = [threading.Thread(target=lambda: loaded.append(encoder.load_encoder())) for _ in "ab"]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(loaded) == 2 and loaded[0] is loaded[1]


def test_embeddings_match_the_fp32_reference(shipped: encoder.OnnxEncoder) -> None:
    want = np.asarray(REFERENCE["embeddings"], dtype=np.float32)
    got = shipped(REFERENCE["sentences"])
    cosine = np.einsum("ij,ij->i", got, want)
    assert cosine.min() >= MIN_COSINE, cosine.round(4).tolist()


def test_a_paraphrase_is_closer_than_an_unrelated_sentence(
    shipped: encoder.OnnxEncoder,
) -> None:
    quake, quake_again, rates, _, asylum, shelter = shipped(REFERENCE["sentences"][:6])
    assert quake @ quake_again > quake @ rates + 0.3
    assert asylum @ shelter > asylum @ rates


def test_order_does_not_change_an_embedding_and_batching_barely(
    shipped: encoder.OnnxEncoder,
) -> None:
    sentences = REFERENCE["sentences"]
    together = shipped(sentences)
    assert np.array_equal(shipped(sentences[::-1])[::-1], together)
    # int8 activations are quantised per batch: a sentence's company moves it a little.
    one_by_one = np.vstack([shipped([s]) for s in sentences])
    assert np.einsum("ij,ij->i", together, one_by_one).min() >= MIN_COSINE


def test_the_tokenizer_gives_the_ids_hugging_face_tokenizers_gave() -> None:
    tokenizer = WordPiece(encoder.DEFAULT_MODEL_DIR / encoder.TOKENIZER_FILE, encoder.MAX_TOKENS)
    texts = [*REFERENCE["sentences"], *REFERENCE["tokenizer_cases"]]
    assert len(texts) == len(REFERENCE["token_ids"])
    for text, want in zip(texts, REFERENCE["token_ids"], strict=True):
        assert tokenizer.encode(text) == want, text
    assert max(len(ids) for ids in REFERENCE["token_ids"]) == encoder.MAX_TOKENS


def test_long_texts_are_truncated_not_refused(shipped: encoder.OnnxEncoder) -> None:
    long_text = " ".join(["The minister spoke to reporters outside parliament."] * 200)
    vector = shipped([long_text])
    assert vector.shape == (1, encoder.DIMENSION)
    assert np.isfinite(vector).all()


def test_encode_caches_per_text_and_reports_progress(shipped: encoder.OnnxEncoder) -> None:
    texts = [f"Sentence number {n} about the flood." for n in range(300)]
    seen: list[tuple[int, int]] = []
    first = encoder.encode(texts, progress=lambda d, t: not seen.append((d, t)))
    assert seen[-1] == (300, 300) and len(seen) > 1
    seen.clear()
    again = encoder.encode(texts[::-1], progress=lambda d, t: not seen.append((d, t)))
    assert seen == []  # all from the cache
    assert np.array_equal(again, first[::-1])
    with pytest.raises(InterruptedError):
        encoder.encode([f"Fresh sentence {n}." for n in range(600)], progress=lambda d, t: False)


def test_hybrid_matching_runs_on_the_shipped_model(shipped: encoder.OnnxEncoder) -> None:
    a = claims("a", ["The company's profits fell sharply last quarter."])
    b = claims(
        "b",
        [
            "Earnings at the firm dropped steeply in the previous three months.",
            "The football club signed a new goalkeeper from Spain.",
        ],
    )
    assert missing_stage("hybrid") == ""
    matches = match_claims(a, b, MatchConfig(scorer="hybrid", threshold=0.0, top_k=2))
    best = max(matches, key=lambda m: m.score)
    assert best.b_id == "b:0"
    assert dict(best.components)["semantic"] > dict(best.components)["lexical"]


# --- without the model files ----------------------------------------------------------


def test_a_missing_model_folder_turns_the_stage_off_and_says_which_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(encoder.MODEL_DIR_ENV, str(tmp_path))
    encoder.set_encoder(None)
    assert not semantic.semantic_available()
    problem = encoder.encoder_problem()
    assert str(tmp_path / "model.onnx") in problem and "missing" in problem
    message = missing_stage("hybrid")
    assert "lexical only" in message and str(tmp_path / "model.onnx") in message
    with pytest.raises(MatchConfigError, match="model file missing"):
        match_claims(claims("a", ["x"]), claims("b", ["y"]), MatchConfig(scorer="hybrid"))
    with pytest.raises(encoder.EncoderUnavailable, match="model file missing"):
        encoder.encode(["anything"])
    # The lexical default does not need it.
    a = claims("a", ["Officials said 5 people died in the flood on Monday."])
    b = claims("b", ["Officials said five people died in the flood on Monday."])
    assert missing_stage(MatchConfig().scorer) == ""
    assert match_claims(a, b)


def test_an_unreadable_model_file_is_reported_not_raised_as_a_crash(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    shutil.copyfile(encoder.DEFAULT_MODEL_DIR / "tokenizer.json", tmp_path / "tokenizer.json")
    (tmp_path / "model.onnx").write_bytes(b"not an onnx model")
    monkeypatch.setenv(encoder.MODEL_DIR_ENV, str(tmp_path))
    encoder.set_encoder(None)
    assert encoder.encoder_problem() == ""  # looks fine until it is read
    with pytest.raises(encoder.EncoderUnavailable, match="unreadable"):
        encoder.load_encoder()
    assert "unreadable" in missing_stage("semantic")


def test_token_embeddings_are_what_the_sentence_embedding_averages(
    shipped: encoder.OnnxEncoder,
) -> None:
    texts = [*REFERENCE["sentences"][:4], "", "Rates."]
    rows = shipped(texts)
    tokens = shipped.token_embeddings(texts)
    assert len(tokens) == len(texts)
    for text, row, (ids, vectors) in zip(texts, rows, tokens, strict=True):
        assert ids[0] == 101 and ids[-1] == 102, text  # [CLS] … [SEP]
        assert vectors.shape == (len(ids), encoder.DIMENSION)
        pooled = vectors.mean(axis=0)
        assert float(pooled @ row) / float(np.linalg.norm(pooled)) > 0.9999, text
    # The same word in two sentences about one quake: close contextual embeddings.
    quake_ids, quake = tokens[0]
    again_ids, again = tokens[1]
    shared = next(t for t in quake_ids[1:-1] if t in again_ids[1:-1])
    a = quake[quake_ids.index(shared)]
    b = again[again_ids.index(shared)]
    assert a @ b / (np.linalg.norm(a) * np.linalg.norm(b)) > 0.5
