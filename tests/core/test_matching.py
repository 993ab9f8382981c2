"""Claim matching: normalisation, many-to-many top-k, threshold, coverage, duplicates, cancel."""

from __future__ import annotations

from collections.abc import Sequence

import pytest

from factcheck.matching import (
    SCORERS,
    MatchCancelled,
    coverage,
    find_near_duplicates,
    match_claims,
    normalize_text,
    pair_differences,
)
from factcheck.models import Claim, DifferenceKind, MatchConfig


def claims(article: str, texts: Sequence[str]) -> list[Claim]:
    out, start = [], 0
    for i, text in enumerate(texts):
        out.append(Claim(f"{article}:{i}", article, i, start, start + len(text), text))
        start += len(text) + 1
    return out


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
    assert all(50 <= m.score <= 100 and m.scorer == "lexical" for m in matches)
    components = dict(matches[0].components)
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
