"""The shipped cross-encoder on hand-made pairs, its pair tokenisation, and what happens
when its files are missing."""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest

from factcheck.matching import cross_encoder, encoder
from factcheck.matching.wordpiece import WordPiece

#: The cross-encoder reads all-MiniLM-L6-v2's tokenizer, the file the encoder ships.
TOKENIZER = encoder.DEFAULT_MODEL_DIR / encoder.TOKENIZER_FILE
#: A stand-in model file where only its presence is checked.
MODEL = encoder.DEFAULT_MODEL_DIR / encoder.MODEL_FILE
#: Written by scripts/export_crossencoder.py: hand-made pairs, the fp32 torch logits of
#: the exported model and Hugging Face tokenizers' pair ids.
REFERENCE = json.loads(
    (Path(__file__).parent / "data" / "cross_encoder_reference.json").read_text("utf-8")
)

QUAKE = "A magnitude 7.0 earthquake struck the coast before dawn on Tuesday."
#: The same claim in other words, the same story with another claim, another story.
PARAPHRASE = "Early on Tuesday morning, a 7.0-magnitude quake hit the coastline."
SAME_STORY = "Rescue teams were still searching collapsed buildings for survivors."
UNRELATED = "The museum reopened after two years of renovation work."
RATES = "The central bank raised interest rates by a quarter of a point."
RATES_PARAPHRASE = "The central bank lifted its key rate by 0.25 percentage points."
RATES_OTHER = "Economists expect inflation to stay high well into next year."


@pytest.fixture
def shipped(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.delenv(cross_encoder.MODEL_DIR_ENV, raising=False)
    if not cross_encoder.available():
        # Not shipped (README: measured, left out); the tests run where it is installed.
        pytest.skip(f"no cross-encoder installed: {cross_encoder.cross_encoder_problem()}")
    yield


def test_logits_match_the_fp32_reference(shipped: None) -> None:
    pairs = [tuple(p) for p in REFERENCE["pairs"]]
    logits = cross_encoder.score_pairs(pairs)  # type: ignore[arg-type]
    want = np.array(REFERENCE["logits"])
    # int8 weights and activations: close to fp32, and in the same order.
    assert logits == pytest.approx(want, abs=0.5)
    assert np.corrcoef(logits, want)[0, 1] > 0.99


def test_pair_ids_match_hugging_face_tokenizers() -> None:
    tokenizer = WordPiece(TOKENIZER, cross_encoder.MAX_TOKENS)
    for (a, b), ids, types in zip(
        REFERENCE["pairs"], REFERENCE["token_ids"], REFERENCE["type_ids"], strict=True
    ):
        assert tokenizer.encode_pair(a, b) == (ids, types)


def test_a_paraphrase_scores_above_the_same_story_and_an_unrelated_pair(shipped: None) -> None:
    logits = cross_encoder.score_pairs(
        [
            (QUAKE, PARAPHRASE),
            (QUAKE, SAME_STORY),
            (QUAKE, UNRELATED),
            (RATES, RATES_PARAPHRASE),
            (RATES, RATES_OTHER),
            (RATES, QUAKE),
        ]
    )
    assert logits.dtype == np.float32 and logits.shape == (6,)
    assert logits[0] > logits[1] and logits[0] > logits[2]
    assert logits[3] > logits[4] and logits[3] > logits[5]


def test_scores_do_not_depend_on_the_order_of_the_pairs(shipped: None) -> None:
    sentences = [QUAKE, PARAPHRASE, SAME_STORY, UNRELATED, RATES, RATES_PARAPHRASE, RATES_OTHER]
    pairs = [(a, b) for a in sentences for b in sentences if a != b] * 2  # 84: three batches
    logits = cross_encoder.score_pairs(pairs)
    order = np.random.default_rng(5).permutation(len(pairs))
    shuffled = cross_encoder.score_pairs([pairs[n] for n in order])
    assert np.array_equal(shuffled, logits[order])
    # Batched with others or alone, a pair scores (almost) the same: int8 activations
    # are quantised per batch.
    alone = np.array([cross_encoder.score_pairs([p])[0] for p in pairs[:6]])
    assert alone == pytest.approx(logits[:6], abs=0.3)


def test_no_pairs_give_an_empty_array(shipped: None) -> None:
    out = cross_encoder.score_pairs([])
    assert out.shape == (0,) and out.dtype == np.float32


def test_a_very_long_pair_is_truncated_not_crashed(shipped: None) -> None:
    long_text = " ".join([PARAPHRASE] * 2000)  # about 30,000 tokens
    logits = cross_encoder.score_pairs([(QUAKE, long_text), (long_text, long_text), ("", "")])
    assert np.isfinite(logits).all()
    # The short side keeps all of its tokens, so the pair is still read as a match.
    assert logits[0] > cross_encoder.score_pairs([(QUAKE, UNRELATED)])[0]


def test_progress_reaches_the_total_and_cancel_stops(shipped: None) -> None:
    pairs = [(QUAKE, PARAPHRASE)] * 70
    seen: list[tuple[int, int]] = []
    cross_encoder.score_pairs(pairs, progress=lambda done, total: seen.append((done, total)))
    assert seen[0] == (0, 70) and seen[-1] == (70, 70)
    assert [d for d, _ in seen] == sorted(d for d, _ in seen)
    with pytest.raises(InterruptedError):
        cross_encoder.score_pairs(pairs, progress=lambda done, _total: done < 32)
    calls: list[int] = []
    with pytest.raises(InterruptedError):
        cross_encoder.score_pairs(pairs, cancel=lambda: len(calls) > 0 or bool(calls.append(1)))
    assert calls == [1]


def test_pair_tokens_are_cls_a_sep_b_sep_with_token_types() -> None:
    tokenizer = WordPiece(TOKENIZER, 128)
    a, b = tokenizer.pieces("Hello world"), tokenizer.pieces("Bye")
    ids, types = tokenizer.encode_pair("Hello world", "Bye")
    cls, sep = tokenizer.encode("")
    assert ids == [cls, *a, sep, *b, sep]
    assert types == [0] * (len(a) + 2) + [1] * (len(b) + 1)
    assert tokenizer.encode("Hello world") == [cls, *a, sep]


def test_the_longer_side_is_cut_first() -> None:
    tokenizer = WordPiece(TOKENIZER, 16)
    short, long_text = "two words", " ".join(["claims"] * 50)
    ids, types = tokenizer.encode_pair(short, long_text)
    assert len(ids) == 16 and len(types) == 16
    assert ids[1:3] == tokenizer.pieces(short)  # the short side whole
    ids, _ = tokenizer.encode_pair(long_text, long_text)
    assert len(ids) == 16 and ids.count(ids[-1]) == 2  # both halves cut, two [SEP]


@pytest.mark.parametrize(
    ("sizes", "kept"),
    [((300, 300), (62, 63)), ((70, 69), (63, 62)), ((69, 70), (62, 63)), ((300, 61), (64, 61))],
)
def test_truncation_keeps_what_hugging_face_keeps(
    sizes: tuple[int, int], kept: tuple[int, int]
) -> None:
    """The parts Hugging Face ``tokenizers`` (longest_first, 128) keeps, measured."""
    tokenizer = WordPiece(TOKENIZER, 128)
    _, types = tokenizer.encode_pair("a " * sizes[0], "b " * sizes[1])
    assert (types.count(0) - 2, types.count(1) - 1) == kept


@pytest.mark.parametrize("missing", [cross_encoder.MODEL_FILE, encoder.TOKENIZER_FILE])
def test_a_missing_model_file_is_named(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, missing: str
) -> None:
    for name in (cross_encoder.MODEL_FILE, encoder.TOKENIZER_FILE):
        if name != missing:
            shutil.copyfile(TOKENIZER if name == encoder.TOKENIZER_FILE else MODEL, tmp_path / name)
    monkeypatch.setenv(cross_encoder.MODEL_DIR_ENV, str(tmp_path))
    assert not cross_encoder.available()
    problem = cross_encoder.cross_encoder_problem()
    assert str(tmp_path / missing) in problem and "missing" in problem
    with pytest.raises(encoder.EncoderUnavailable, match=missing):
        cross_encoder.score_pairs([(QUAKE, PARAPHRASE)])


def test_a_broken_model_file_is_named(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    shutil.copyfile(TOKENIZER, tmp_path / encoder.TOKENIZER_FILE)
    (tmp_path / cross_encoder.MODEL_FILE).write_bytes(b"not a model")
    monkeypatch.setenv(cross_encoder.MODEL_DIR_ENV, str(tmp_path))
    with pytest.raises(encoder.EncoderUnavailable, match="unreadable"):
        cross_encoder.load_cross_encoder()
    assert not cross_encoder.available()
    assert str(tmp_path) in cross_encoder.cross_encoder_problem()
