"""Claim matching: normalisation, many-to-many top-k, threshold, coverage, duplicates, cancel."""

from __future__ import annotations

import os
from collections.abc import Iterator, Sequence
from pathlib import Path

import numpy as np
import pytest

from factcheck.matching import (
    SCORERS,
    MatchCancelled,
    coverage,
    find_near_duplicates,
    match_claims,
    normalize_text,
    pair_differences,
    semantic,
)
from factcheck.models import DifferenceKind, MatchConfig

from .helpers import claims

A = claims(
    "a",
    [
        "The central bank raised interest rates by half a point on Tuesday.",
        "Heavy rain flooded the northern valley villages overnight.",
        "The striker scored twice in the cup final against the champions.",
        "Officials said the bridge would reopen next spring after repairs.",
    ],
)
B = claims(
    "b",
    [
        "Floodwater from heavy rain swept through villages in the northern valley overnight.",
        "On Tuesday the central bank raised interest rates by half a point.",
        "A new museum of modern art opened downtown with a sculpture garden.",
        "The bridge will reopen next spring once repairs end, officials said.",
    ],
)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Putin’s “key negotiating issues” — done", "putin key negotiating issues done"),
        ('Putin\'s "key negotiating issues" - done', "putin key negotiating issues done"),
        ("  HELLO,\tWorld!\n", "hello world"),
        ("He didn’t pay $2,500.50 in 2023", "he didnt pay 2500.50 in 2023"),
        ("non-extradition…", "non extradition"),
    ],
)
def test_normalize_text(raw: str, expected: str) -> None:
    assert normalize_text(raw) == expected


def test_default_finds_each_paraphrase_and_nothing_else() -> None:
    matches = match_claims(A, B)
    assert {(m.a_id, m.b_id) for m in matches} == {("a:0", "b:1"), ("a:1", "b:0"), ("a:3", "b:3")}
    assert all(50 <= m.score <= 100 and m.scorer == "confidence" for m in matches)
    assert {"confidence", "lexical"} <= dict(matches[0].components).keys()
    lexical = match_claims(A, B, MatchConfig(scorer="lexical", threshold=20.0, top_k=3))
    assert {(m.a_id, m.b_id) for m in lexical} == {(m.a_id, m.b_id) for m in matches}
    components = dict(lexical[0].components)
    assert {"lexical", "ratio", "idf_dice", "bm25"} <= components.keys()


def test_sorted_by_a_then_best_score_first() -> None:
    matches = match_claims(A, B, MatchConfig(threshold=0.0, top_k=4))
    keys = [(int(m.a_id[2:]), -m.score) for m in matches]
    assert keys == sorted(keys)


def test_threshold_filters_and_scores_are_bounded() -> None:
    everything = match_claims(A, B, MatchConfig(threshold=0.0, top_k=4))
    strict = match_claims(A, B, MatchConfig(threshold=80.0, top_k=4))
    assert all(0.0 <= m.score <= 100.0 for m in everything)
    assert {(m.a_id, m.b_id) for m in strict} == {
        (m.a_id, m.b_id) for m in everything if m.score >= 80.0
    }
    assert len(strict) < len(everything)


def test_top_k_is_many_to_many_union_of_both_sides() -> None:
    a = claims("a", ["The mayor opened the new central library on Friday morning."])
    b = claims(
        "b",
        [
            "The mayor opened the new central library on Friday.",
            "On Friday morning the mayor opened the new central library.",
            "The new central library was opened by the mayor.",
        ],
    )
    one = match_claims(a, b, MatchConfig(threshold=0.0, top_k=1))
    # Each B claim's single best A claim is a:0, so all three pairs survive top-1.
    assert {m.b_id for m in one} == {"b:0", "b:1", "b:2"}
    a_side_only = [m for m in one if m.b_id == max(one, key=lambda m: m.score).b_id]
    assert len(a_side_only) == 1


def test_top_k_bounds_both_sides() -> None:
    a = claims("a", [f"Storm {w} hit the coastal town of Dover at dawn." for w in "ABCDE"])
    b = claims("b", ["A storm hit the coastal town of Dover at dawn."])
    matches = match_claims(a, b, MatchConfig(threshold=0.0, top_k=2))
    assert len(matches) == 5  # every A claim keeps its best (its only) B claim
    matches_b = match_claims(b, a, MatchConfig(threshold=0.0, top_k=2))
    assert len(matches_b) == 5  # symmetric
    assert {m.a_id for m in matches_b} == {"b:0"}


@pytest.mark.parametrize("scorer", [name for name, spec in SCORERS.items() if not spec.semantic])
def test_every_lexical_scorer_ranks_the_true_pair_first(scorer: str) -> None:
    matches = match_claims(A, B, MatchConfig(scorer=scorer, threshold=0.0, top_k=1))
    best = {}
    for m in matches:
        if m.a_id not in best or m.score > best[m.a_id].score:
            best[m.a_id] = m
    assert best["a:0"].b_id == "b:1"
    assert best["a:1"].b_id == "b:0"
    assert all(m.scorer == scorer for m in matches)


def test_identical_claims_score_near_the_top() -> None:
    (match,) = match_claims(A[:1], claims("b", [A[0].text]), MatchConfig(threshold=0.0))
    assert match.score >= 95.0


def test_empty_sides() -> None:
    assert match_claims([], B) == ()
    assert match_claims(A, []) == ()
    assert coverage([], B, ()).only_in_b == tuple(c.id for c in B)


def test_unknown_scorer_and_bad_settings_raise() -> None:
    with pytest.raises(ValueError, match="unknown scorer 'WRatio'"):
        match_claims(A, B, MatchConfig(scorer="WRatio"))
    with pytest.raises(ValueError, match="top_k"):
        match_claims(A, B, MatchConfig(top_k=0))
    with pytest.raises(ValueError, match="threshold"):
        match_claims(A, B, MatchConfig(threshold=101.0))


def test_coverage_lists_claims_only_on_one_side() -> None:
    cov = coverage(A, B, match_claims(A, B))
    assert cov.matched_a == ("a:0", "a:1", "a:3")
    assert cov.only_in_a == ("a:2",)
    assert cov.matched_b == ("b:0", "b:1", "b:3")
    assert cov.only_in_b == ("b:2",)


def test_near_duplicates_inside_one_article() -> None:
    article = claims(
        "b",
        [
            "Xi visited Moscow and met Putin last week, pledging closer ties.",
            "The summit ended without a joint statement on Ukraine.",
            "Xi visited Moscow and met Putin last week (pictured), pledging closer ties",
        ],
    )
    (dup,) = find_near_duplicates(article)
    assert (dup.a_id, dup.b_id) == ("b:0", "b:2")
    assert dup.score >= MatchConfig().duplicate_threshold
    assert find_near_duplicates(article, MatchConfig(duplicate_threshold=99.9)) == ()


def test_progress_reaches_total_and_can_cancel() -> None:
    seen: list[tuple[int, int]] = []

    def record(done: int, total: int) -> bool:
        seen.append((done, total))
        return True

    match_claims(A, B, progress=record)
    assert seen and seen[-1][0] == seen[-1][1]
    assert [d for d, _ in seen] == sorted(d for d, _ in seen)

    with pytest.raises(MatchCancelled):
        match_claims(A, B, progress=lambda done, total: False)


def test_cancel_during_rescoring(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[int] = []

    def stop_on_second(done: int, total: int) -> bool:
        calls.append(done)
        return len(calls) < 2

    with pytest.raises(MatchCancelled):
        match_claims(A, B, progress=stop_on_second)
    assert len(calls) == 2


def test_pair_differences_flags_what_changed() -> None:
    a, b = (
        claims("a", ["Officials said 5 people died on Monday."]),
        claims("b", ["Officials said 7 people died on Tuesday."]),
    )
    flags = pair_differences(a[0], b[0])
    assert [(f.kind, f.a_text, f.b_text) for f in flags] == [
        (DifferenceKind.NUMBER, "5", "7"),
        (DifferenceKind.DATE, "Monday", "Tuesday"),
    ]


# --- the optional semantic stage ----------------------------------------------------


def _bag_of_words_encoder(texts: Sequence[str]) -> np.ndarray:  # type: ignore[type-arg]
    """A stand-in for the model: normalised hashed word counts, with synonyms folded."""
    synonyms = {"floodwater": "rain", "swept": "flooded", "will": "would"}
    rows = np.zeros((len(texts), 64))
    for n, text in enumerate(texts):
        for word in normalize_text(text).split():
            rows[n, hash(synonyms.get(word, word)) % 64] += 1.0
    return rows / np.maximum(np.linalg.norm(rows, axis=1, keepdims=True), 1e-9)


@pytest.fixture
def fake_encoder() -> Iterator[list[int]]:
    calls: list[int] = []

    def encode(texts: Sequence[str]) -> np.ndarray:  # type: ignore[type-arg]
        calls.append(len(texts))
        return _bag_of_words_encoder(texts)

    semantic.set_encoder(encode)
    yield calls
    semantic.set_encoder(None)


def test_hybrid_is_on_the_lexical_scale_and_keeps_the_lexical_score(
    fake_encoder: list[int],
) -> None:
    lexical = {(m.a_id, m.b_id): m for m in match_claims(A, B)}
    hybrid = match_claims(A, B, MatchConfig(scorer="hybrid"))
    assert {(m.a_id, m.b_id) for m in hybrid} >= set(lexical)
    for m in hybrid:
        parts = dict(m.components)
        assert 0.0 <= m.score <= 100.0
        assert m.score == pytest.approx(
            (1 - semantic.HYBRID_SEMANTIC_WEIGHT) * parts["lexical"]
            + semantic.HYBRID_SEMANTIC_WEIGHT * parts["semantic"],
            abs=0.02,
        )


def test_embeddings_are_cached_per_text(fake_encoder: list[int]) -> None:
    match_claims(A, B, MatchConfig(scorer="semantic"))
    encoded = sum(fake_encoder)
    assert encoded == len(A) + len(B)
    match_claims(A, B, MatchConfig(scorer="hybrid", threshold=50.0))
    assert sum(fake_encoder) == encoded  # nothing encoded again


def test_semantic_progress_is_monotonic_and_can_cancel(fake_encoder: list[int]) -> None:
    seen: list[tuple[int, int]] = []
    match_claims(A, B, MatchConfig(scorer="hybrid"), progress=lambda d, t: not seen.append((d, t)))
    assert seen[-1][0] == seen[-1][1]
    assert [d for d, _ in seen] == sorted(d for d, _ in seen)
    with pytest.raises(MatchCancelled):
        match_claims(A, B, MatchConfig(scorer="hybrid"), progress=lambda d, t: d < t // 2)


def test_cosine_maps_onto_the_sts_scale() -> None:
    alpha, beta = semantic.SEMANTIC_SCALE
    score = semantic.to_score(np.array([-1.0, 0.0, 0.5, 1.0]))
    assert score.tolist() == pytest.approx(np.clip(alpha + beta * np.r_[-1, 0, 0.5, 1], 0, 100))
    assert score[0] == 0.0 and score[-1] == 100.0


# --- on real labelled data ------------------------------------------------------------

SHARED = Path(os.environ.get("FACTCHECK_SHARED", Path(__file__).parents[3] / "shared"))
MRPC_TEST = SHARED / "benchmarks" / "mrpc" / "msr_paraphrase_test.txt"


@pytest.mark.skipif(not MRPC_TEST.exists(), reason=f"benchmark data absent: {MRPC_TEST}")
def test_on_mrpc_paraphrases_score_higher_than_other_pairs() -> None:
    rows = [
        line.split("\t") for line in MRPC_TEST.read_text(encoding="utf-8-sig").splitlines()[1:]
    ][:600]
    a = claims("a", [r[3] for r in rows])
    b = claims("b", [r[4] for r in rows])
    scores = {(m.a_id, m.b_id): m.score for m in match_claims(a, b, MatchConfig(threshold=0.0))}
    label = [r[0] == "1" for r in rows]
    pair_score = [scores.get((f"a:{i}", f"b:{i}"), 0.0) for i in range(len(rows))]
    yes = np.mean([s for s, y in zip(pair_score, label, strict=True) if y])
    no = np.mean([s for s, y in zip(pair_score, label, strict=True) if not y])
    assert yes > no + 5.0
    # Each sentence finds its own partner among 600 as its best match nearly always.
    assert np.mean([s > 0 for s in pair_score]) > 0.95
