"""The "same claim" confidence: features on hand-made pairs, the stored model, the rule."""

from __future__ import annotations

import importlib.resources
import json
from collections.abc import Iterator, Sequence
from pathlib import Path

import numpy as np
import pytest

from factcheck.matching import confidence, encoder, engine, match_claims, semantic
from factcheck.matching.engine import match_with_related, shown_mask, stage_note
from factcheck.models import MatchConfig

from .helpers import claims
from .test_matching import A, B, _bag_of_words_encoder


def test_a_changed_number_sets_number_disagreement_and_not_agreement() -> None:
    same = confidence.fact_features(
        "The quake had a magnitude of 7.0, officials said.",
        "Officials said the quake's magnitude was 7.0.",
    )
    changed = confidence.fact_features(
        "The quake had a magnitude of 7.0, officials said.",
        "The quake had a magnitude of 7.1, officials said.",
    )
    assert same["number_shared"] == 1.0 and same["number_diff"] == 0.0
    assert changed["number_diff"] == 1.0 and changed["number_shared"] == 0.0


def test_names_dates_negation_and_length_features() -> None:
    names = confidence.fact_features(
        "Putin met Xi in Beijing on Tuesday.", "Putin met Modi in Beijing on Tuesday."
    )
    assert names["name_diff"] == 1.0
    assert names["name_shared"] == pytest.approx(2 / 3)  # Xi/Modi, Beijing, Tuesday
    dates = confidence.fact_features(
        "The bill passed on March 3, 2019.", "The bill passed on March 5, 2019."
    )
    assert dates["date_diff"] == 1.0
    negation = confidence.fact_features(
        "The senator supported the bill.", "The senator never supported the bill."
    )
    assert negation["negation_diff"] == 1.0
    plain = confidence.fact_features(
        "One two three four.", "One two three four five six seven eight."
    )
    assert plain["length_ratio"] == pytest.approx(0.5)
    assert not any(plain[k] for k in ("number_diff", "date_diff", "name_diff", "negation_diff"))


def test_rank_and_context_features_on_a_small_grid() -> None:
    ai = np.array([0, 0, 1, 1, 2], dtype=np.int64)
    bi = np.array([0, 1, 0, 1, 2], dtype=np.int64)
    base = np.array([0.9, 0.5, 0.4, 0.8, 0.7])
    ranks = confidence.rank_features(ai, bi, base)
    assert ranks["mutual_best"].tolist() == [1, 0, 0, 1, 1]
    assert ranks["rank_a"][1] == pytest.approx(np.log1p(1))
    assert ranks["margin_a"][1] == pytest.approx(-0.4)
    context = confidence.context_features(ai, bi, base, 3, 3)
    # (1, 1) has (0, 0) before it and (2, 2) after it: the better neighbour counts.
    assert context["neighbour_support"][3] == pytest.approx(0.9)
    assert context["neighbour_support"][1] == 0.0  # (0,1): neither (−1,0) nor (1,2) exists
    assert context["position_gap"].tolist() == pytest.approx([0, 0.5, 0.5, 0, 0])


def _model(coef: Sequence[float]) -> confidence.ConfidenceModel:
    names = confidence.LEXICAL_FEATURES[: len(coef)]
    return confidence.ConfidenceModel(
        "test", names, (0.5,) * len(coef), (0.25,) * len(coef), tuple(coef), -1.0
    )


def test_probability_is_in_range_and_monotonic_in_a_positive_feature() -> None:
    model = _model([2.0])
    x = np.linspace(0, 1, 101)
    p = model.probability({"ratio": x})
    assert np.all((p > 0) & (p < 1))
    assert np.all(np.diff(p) > 0)
    assert model.probability({"ratio": np.array([0.5])})[0] == pytest.approx(1 / (1 + np.e))


def test_stored_parameters_load_and_match_the_default_settings() -> None:
    params = confidence.params()
    for model in (params.semantic, params.lexical_only):
        assert set(model.features) <= set(confidence.ALL_FEATURES)
        assert all(s > 0 for s in model.scale)
    assert "semantic" not in params.lexical_only.features
    default = MatchConfig()
    assert (default.scorer, default.threshold, default.top_k) == (
        "confidence",
        params.threshold,
        params.top_k,
    )


def test_malformed_parameters_say_what_is_wrong() -> None:
    good = json.loads(
        (importlib.resources.files("factcheck.matching") / "confidence.json").read_text("utf-8")
    )
    bad = dict(good, semantic=dict(good["semantic"], coef=[1.0]))
    with pytest.raises(ValueError, match="different lengths"):
        confidence.parse_params(json.dumps(bad))
    unknown = dict(good, lexical_only=dict(good["lexical_only"], features=["nope"], mean=[0],
                                           scale=[1], coef=[1]))  # fmt: skip
    with pytest.raises(ValueError, match="unknown features"):
        confidence.parse_params(json.dumps(unknown))
    with pytest.raises(ValueError, match="missing or malformed"):
        confidence.parse_params(json.dumps({"semantic": good["semantic"]}))


def test_decision_rule_needs_the_threshold_and_the_top_k() -> None:
    ai = np.array([0, 0, 0, 1], dtype=np.int64)
    bi = np.array([0, 1, 2, 1], dtype=np.int64)
    score = np.array([90.0, 80.0, 70.0, 40.0])
    rule = MatchConfig(threshold=60.0, top_k=1)
    # (0,1) is not a:0's best, but it is b:1's best: shown. (0,2) is b:2's only pair.
    assert shown_mask(ai, bi, score, rule).tolist() == [True, True, True, False]
    assert shown_mask(ai, bi, score, MatchConfig(threshold=85.0, top_k=1)).tolist() == [
        True,
        False,
        False,
        False,
    ]


@pytest.fixture
def no_encoder(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[None]:
    """The model folder is empty: the encoder is off."""
    monkeypatch.setenv(encoder.MODEL_DIR_ENV, str(tmp_path))
    semantic.set_encoder(None)
    yield
    semantic.set_encoder(None)


def test_without_the_encoder_the_lexical_only_model_is_used_and_said(no_encoder: None) -> None:
    assert not semantic.semantic_available()
    note = stage_note("confidence")
    assert "lexical features only" in note and "model file missing" in note
    assert engine.missing_stage("confidence") == ""
    result = match_with_related(A, B, MatchConfig(threshold=0.0, top_k=1))
    found = {(m.a_id, m.b_id) for m in result.shown}
    assert {("a:0", "b:1"), ("a:1", "b:0"), ("a:3", "b:3")} <= found
    assert all("semantic" not in dict(m.components) for m in result.shown)
    assert all(0.0 <= m.score <= 100.0 and m.scorer == "confidence" for m in result.shown)


def test_with_an_encoder_the_semantic_model_runs(no_encoder: None) -> None:
    semantic.set_encoder(_bag_of_words_encoder)
    assert stage_note("confidence") == ""
    shown = match_claims(A, B, MatchConfig(threshold=0.0, top_k=1))
    assert all("semantic" in dict(m.components) for m in shown)
    best = max((m for m in shown if m.a_id == "a:0"), key=lambda m: m.score)
    assert best.b_id == "b:1"


def test_related_pairs_are_the_top_k_below_the_threshold(no_encoder: None) -> None:
    everything = match_with_related(A, B, MatchConfig(threshold=0.0, top_k=3)).shown
    scores = sorted({m.score for m in everything})
    cut = (scores[len(scores) // 2 - 1] + scores[len(scores) // 2]) / 2  # between two scores
    result = match_with_related(A, B, MatchConfig(threshold=cut, top_k=3))
    shown = {(m.a_id, m.b_id) for m in result.shown}
    related = {(m.a_id, m.b_id) for m in result.related}
    assert shown == {(m.a_id, m.b_id) for m in everything if m.score >= cut}
    # Scores are shown rounded to 0.01: leave out the ones at the floor.
    floor = engine.RELATED_FLOOR
    assert {(m.a_id, m.b_id) for m in everything if floor + 0.01 <= m.score < cut} <= related
    assert related <= {(m.a_id, m.b_id) for m in everything if floor - 0.01 <= m.score < cut}
    assert shown and not shown & related


def test_a_changed_number_stays_a_link_with_its_flag(no_encoder: None) -> None:
    a = claims("a", ["The earthquake had a magnitude of 7.0 and struck near the coast at dawn."])
    b = claims(
        "b",
        [
            "The earthquake had a magnitude of 7.1 and struck near the coast at dawn.",
            "Schools in the capital will stay closed until further notice.",
        ],
    )
    (link,) = match_claims(a, b)
    assert link.b_id == "b:0"
    assert [d.kind.value for d in engine.pair_differences(a[0], b[0])] == ["number"]
