"""The confidence with the cross-encoder: its features, the pool it scores, the fallback.

The cross-encoder itself is replaced by a hand-made pair scorer (shared words), as
the sentence encoder is by a bag of words: what is tested is how the confidence uses
a scorer's logits, not the model.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from factcheck.library import LibraryEntry, open_library
from factcheck.matching import confidence, cross_encoder, encoder, engine, semantic
from factcheck.matching.normalize import normalize_text
from factcheck.models import MatchConfig

from .test_matching import A, B, _bag_of_words_encoder

CROSS_MODEL = confidence.ConfidenceModel(
    "cross", ("cross", "semantic"), (0.0, 0.0), (1.0, 1.0), (2.0, 1.0), -1.0
)


def _shared_words(pairs: Sequence[tuple[str, str]]) -> np.ndarray:  # type: ignore[type-arg]
    """A stand-in logit: 4 × the share of words in common, minus 2."""
    out = []
    for a, b in pairs:
        wa, wb = set(normalize_text(a).split()), set(normalize_text(b).split())
        out.append(4.0 * len(wa & wb) / max(min(len(wa), len(wb)), 1) - 2.0)
    return np.array(out)


def test_cross_features_rank_each_claims_pool_by_the_logit() -> None:
    ai = np.array([0, 0, 1, 1], dtype=np.int64)
    bi = np.array([0, 1, 0, 1], dtype=np.int64)
    logit = np.array([3.0, -1.0, 0.5, 2.0])
    features = confidence.cross_features(ai, bi, logit)
    assert features["cross"].tolist() == [3.0, -1.0, 0.5, 2.0]
    assert features["cross_rank_a"].tolist() == pytest.approx([0, np.log1p(1), np.log1p(1), 0])
    assert features["cross_margin_a"].tolist() == pytest.approx([0, -4.0, -1.5, 0])
    # b:0's best is a:0 (3.0); a:1's 0.5 is 2.5 behind it.
    assert features["cross_margin_b"].tolist() == pytest.approx([0, -3.0, -2.5, 0])


def _inputs() -> tuple[np.ndarray, np.ndarray, dict[str, np.ndarray], np.ndarray]:  # type: ignore[type-arg]
    a_texts, b_texts = [c.text for c in A], [c.text for c in B]
    ai, bi = (g.ravel().astype(np.int64) for g in np.meshgrid(range(4), range(4), indexing="ij"))
    lexical = {
        name: np.array(
            [
                len(set(a_texts[i].split()) & set(b_texts[j].split())) / 10
                for i, j in zip(ai.tolist(), bi.tolist(), strict=True)
            ]
        )
        for name in confidence.LEXICAL_FEATURES
    }
    cosine = np.linspace(0.1, 0.9, len(ai))
    return ai, bi, lexical, cosine


def test_the_cross_encoder_scores_exactly_the_pool() -> None:
    a_texts, b_texts = [c.text for c in A], [c.text for c in B]
    ai, bi, lexical, cosine = _inputs()
    asked: list[tuple[str, str]] = []

    def scorer(pairs: Sequence[tuple[str, str]]) -> np.ndarray:  # type: ignore[type-arg]
        asked.extend(pairs)
        return _shared_words(pairs)

    keep, features = confidence.pair_features(
        a_texts, b_texts, ai, bi, lexical, cosine, confidence.CROSS_FEATURES, scorer
    )
    expected = np.flatnonzero(
        confidence.top_k_mask(ai, bi, confidence.base_score(lexical, cosine), confidence.CROSS_POOL)
    )
    assert keep.tolist() == expected.tolist()
    assert asked == [(a_texts[ai[n]], b_texts[bi[n]]) for n in keep.tolist()]
    assert features["cross"].tolist() == pytest.approx(_shared_words(asked).tolist())
    _, without = confidence.pair_features(a_texts, b_texts, ai, bi, lexical, cosine)
    assert not set(confidence.CROSS_FEATURES) & without.keys()


@pytest.fixture
def with_cross_model(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    stored = replace(confidence.params(), cross=CROSS_MODEL)
    monkeypatch.setattr(confidence, "params", lambda: stored)
    yield


def test_the_cross_model_runs_with_the_cross_encoder_and_not_beyond_the_budget(
    with_cross_model: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    a_texts, b_texts = [c.text for c in A], [c.text for c in B]
    ai, bi, lexical, cosine = _inputs()
    calls: list[int] = []

    def scorer(pairs: Sequence[tuple[str, str]]) -> np.ndarray:  # type: ignore[type-arg]
        calls.append(len(pairs))
        return _shared_words(pairs)

    with_cross = confidence.confidence(a_texts, b_texts, ai, bi, lexical, cosine, cross=scorer)
    keep = confidence.pool(ai, bi, lexical, cosine, confidence.CROSS_POOL)
    logit = _shared_words([(a_texts[ai[n]], b_texts[bi[n]]) for n in keep.tolist()])
    expected = 100 / (1 + np.exp(-(-1.0 + 2.0 * logit + cosine[keep])))
    assert calls == [len(keep)]
    assert with_cross[keep].tolist() == pytest.approx(expected.tolist())
    monkeypatch.setattr(confidence, "CROSS_MAX_PAIRS", len(keep) - 1)
    fallback = confidence.confidence(a_texts, b_texts, ai, bi, lexical, cosine, cross=scorer)
    assert calls == [len(keep)]  # not called again: the semantic model ran
    semantic_only = confidence.confidence(a_texts, b_texts, ai, bi, lexical, cosine)
    assert fallback.tolist() == semantic_only.tolist()


def test_stored_parameters_may_hold_a_cross_model() -> None:
    text = (Path(confidence.__file__).parent / "confidence.json").read_text("utf-8")
    raw = json.loads(text)
    assert confidence.parse_params(json.dumps(dict(raw, cross=None))).cross is None
    cross = {"features": ["cross", "semantic"], "mean": [0, 0], "scale": [1, 1]}
    cross |= {"coef": [2, 1], "intercept": -1}
    parsed = confidence.parse_params(json.dumps(dict(raw, cross=cross))).cross
    assert parsed is not None and parsed.features == ("cross", "semantic")
    with pytest.raises(ValueError, match="unknown features"):
        confidence.parse_params(json.dumps(dict(raw, cross=dict(cross, features=["x", "y"]))))


@pytest.fixture
def stand_in_models(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, with_cross_model: None
) -> Iterator[list[int]]:
    """Bag-of-words sentence encoder, shared-words cross-encoder (its calls recorded)."""
    monkeypatch.setenv(encoder.MODEL_DIR_ENV, str(tmp_path))
    semantic.set_encoder(_bag_of_words_encoder)
    calls: list[int] = []

    def score_pairs(pairs: Sequence[tuple[str, str]], *, progress=None, cancel=None):  # type: ignore[no-untyped-def]
        calls.append(len(pairs))
        if progress is not None and progress(len(pairs), len(pairs)) is False:
            raise InterruptedError("cancelled")
        return _shared_words(pairs).astype(np.float32)

    monkeypatch.setattr(cross_encoder, "score_pairs", score_pairs)
    monkeypatch.setattr(engine, "cross_problem", lambda: "")
    yield calls
    semantic.set_encoder(None)


def test_the_engine_uses_the_cross_encoder_with_progress_and_cancel(
    stand_in_models: list[int],
) -> None:
    seen: list[tuple[int, int]] = []

    def progress(done: int, total: int) -> bool:
        seen.append((done, total))
        return True

    shown = engine.match_claims(A, B, MatchConfig(threshold=0.0, top_k=1), progress=progress)
    assert stand_in_models and all(m.scorer == "confidence" for m in shown)
    best = {m.a_id: m.b_id for m in sorted(shown, key=lambda m: m.score)}
    assert best["a:0"] == "b:1" and best["a:3"] == "b:3"
    totals = {t for _, t in seen}
    assert totals == {4 * len(A)} and seen[-1] == (4 * len(A), 4 * len(A))
    assert [d for d, _ in seen] == sorted(d for d, _ in seen)

    def stop_in_cross(done: int, total: int) -> bool:
        return done <= 3 * len(A)

    with pytest.raises(engine.MatchCancelled):
        engine.match_claims(A, B, progress=stop_in_cross)


def test_without_the_cross_encoder_file_the_semantic_model_runs_and_it_is_said(
    stand_in_models: list[int], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(engine, "cross_problem", lambda: "cross_encoder.onnx: model file missing")
    assert "without the cross-encoder" in engine.stage_note("confidence")
    assert "cross_encoder.onnx" in engine.stage_note("confidence")
    shown = engine.match_claims(A, B, MatchConfig(threshold=0.0, top_k=1))
    assert shown and not stand_in_models
    monkeypatch.setattr(engine, "cross_problem", lambda: "")
    assert engine.stage_note("confidence") == ""


def test_the_library_lookup_reranks_its_candidates_with_the_cross_encoder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The claim library's lookup (the product's retrieval) scores each looked-up
    claim's pool with the shipped cross-encoder, as the in-memory matcher does."""
    if confidence.params().cross is None or not engine.cross_wanted():
        pytest.skip("no cross model stored, or the cross-encoder cannot run here")
    monkeypatch.delenv(encoder.MODEL_DIR_ENV, raising=False)
    asked: list[tuple[str, str]] = []
    real = engine.cross_scorer

    def recording() -> confidence.CrossScorer | None:
        scorer = real()
        assert scorer is not None

        def score(pairs: Sequence[tuple[str, str]]) -> np.ndarray:  # type: ignore[type-arg]
            asked.extend(pairs)
            return scorer(pairs)

        return score

    monkeypatch.setattr(engine, "cross_scorer", recording)
    putin = "Putin has ruled Russia, as president or prime minister, since 1999."
    other = "The river burst its banks after three days of heavy rain."
    query = "Vladimir Putin has been in power since 1999."
    with open_library(f"sqlite:///{tmp_path / 'library.sqlite3'}") as library:
        library.add(
            [
                LibraryEntry(text=putin, source_url="x:1"),
                LibraryEntry(text=other, source_url="x:2"),
            ]
        )
        (checks,) = library.lookup([query])
    assert (query, putin) in asked
    assert [c.entry.text for c in checks][:1] == [putin]
