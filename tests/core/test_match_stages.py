"""The quick first stage of matching: the whole matcher without the sentence encoder."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from factcheck.errors import MatchConfigError
from factcheck.matching import encoder, match_with_related
from factcheck.models import MatchConfig

from .helpers import claims

A = claims(
    "a",
    [
        "The company's profits fell sharply last quarter.",
        "Rain is expected in the north on Sunday.",
        "The mayor said the bridge will reopen in May.",
    ],
)
B = claims(
    "b",
    [
        "Earnings at the company dropped steeply in the last quarter.",
        "The bridge is to reopen in May, the mayor said.",
        "Sunday brings rain to the north.",
    ],
)
CONFIDENCE = MatchConfig(threshold=0.0, top_k=3)


@pytest.fixture
def cold_encoder() -> Iterator[None]:
    """The shipped model, nothing encoded yet."""
    encoder.set_encoder(None)
    yield
    encoder.set_encoder(None)


def test_without_the_encoder_the_confidence_is_its_lexical_only_model(
    cold_encoder: None, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    if encoder.encoder_problem():
        pytest.skip(f"the shipped encoder is needed: {encoder.encoder_problem()}")
    texts = [c.text for c in (*A, *B)]
    first = match_with_related(A, B, CONFIDENCE, with_encoder=False)
    assert encoder.uncached(texts) == len(texts)  # nothing was encoded
    assert first.shown and all(m.scorer == "confidence" for m in first.shown)
    assert all("semantic" not in dict(m.components) for m in first.shown)
    # The same result as a machine where the model file is missing.
    monkeypatch.setenv(encoder.MODEL_DIR_ENV, str(tmp_path))
    assert encoder.encoder_problem()
    assert match_with_related(A, B, CONFIDENCE) == first


def test_the_full_run_after_it_uses_the_encoder(cold_encoder: None) -> None:
    if encoder.encoder_problem():
        pytest.skip(f"the shipped encoder is needed: {encoder.encoder_problem()}")
    first = match_with_related(A, B, CONFIDENCE, with_encoder=False)
    refined = match_with_related(A, B, CONFIDENCE)
    assert refined.shown and all("semantic" in dict(m.components) for m in refined.shown)
    assert refined != first


def test_a_scorer_that_needs_the_encoder_cannot_run_without_it() -> None:
    with pytest.raises(MatchConfigError, match="needs the sentence encoder"):
        match_with_related(A, B, MatchConfig(scorer="hybrid"), with_encoder=False)
