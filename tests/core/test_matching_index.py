"""The inverted index: exact overlaps, candidates that never miss a strong pair, and blocks."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from factcheck.matching import lexindex, scoring

WORDS = st.lists(
    st.sampled_from(
        ["the", "a", "of", "war", "putin", "xi", "moscow", "kyiv", "123", "talks", "deal", "icc"]
    )
)


def reference_overlap(corpus: lexindex.Corpus, i: int, j: int) -> float:
    shared = set(corpus.a_sets[i]) & set(corpus.b_sets[j])
    return float(sum(corpus.idf[w] for w in shared))


@settings(max_examples=60, deadline=None)
@given(st.lists(WORDS, min_size=1, max_size=6), st.lists(WORDS, min_size=1, max_size=6))
def test_pair_overlaps_equal_the_set_definition(a: list[list[str]], b: list[list[str]]) -> None:
    corpus = lexindex.build_corpus(a, b)
    ai, bi = np.meshgrid(np.arange(len(a)), np.arange(len(b)), indexing="ij")
    got = lexindex.pair_overlaps(corpus, ai.ravel(), bi.ravel())
    expected = [
        reference_overlap(corpus, i, j) for i, j in zip(ai.ravel(), bi.ravel(), strict=True)
    ]
    assert got == pytest.approx(expected)


def test_idf_favours_rare_words() -> None:
    corpus = lexindex.build_corpus([["the", "putin"], ["the", "war"]], [["the", "kyiv"]])
    idf = dict(zip(["the", "putin", "war", "kyiv"], corpus.idf.tolist(), strict=True))
    assert idf["putin"] > idf["the"] > 0


@settings(max_examples=40, deadline=None)
@given(st.lists(WORDS, min_size=1, max_size=8), st.lists(WORDS, min_size=1, max_size=8))
def test_wide_candidates_are_every_pair_sharing_a_word(
    a: list[list[str]], b: list[list[str]]
) -> None:
    corpus = lexindex.build_corpus(a, b)
    found = lexindex.candidate_pairs(corpus, width=100)
    expected = {(i, j) for i in range(len(a)) for j in range(len(b)) if set(a[i]) & set(b[j])}
    assert set(zip(found.a_index.tolist(), found.b_index.tolist(), strict=True)) == expected
    for i, j, w in zip(found.a_index, found.b_index, found.overlap, strict=True):
        assert w == pytest.approx(reference_overlap(corpus, int(i), int(j)))


def test_narrow_candidates_keep_the_best_of_each_row_and_column() -> None:
    a = [["putin", "xi", "deal"], ["kyiv", "war"], ["icc", "warrant", "putin"]]
    b = [["xi", "putin", "deal", "talks"], ["war", "in", "kyiv"], ["icc", "putin", "warrant"]]
    corpus = lexindex.build_corpus(a, b)
    found = lexindex.candidate_pairs(corpus, width=1)
    pairs = set(zip(found.a_index.tolist(), found.b_index.tolist(), strict=True))
    assert pairs == {(0, 0), (1, 1), (2, 2)}


def best_keys(
    corpus: lexindex.Corpus, found: lexindex.Candidates
) -> tuple[dict[int, list[float]], dict[int, list[float]]]:
    dice = lexindex.weighted_dice(corpus, found.overlap, found.a_index, found.b_index)
    rows: dict[int, list[float]] = {}
    cols: dict[int, list[float]] = {}
    for i, j, key in zip(
        found.a_index.tolist(), found.b_index.tolist(), dice.tolist(), strict=True
    ):
        rows.setdefault(i, []).append(round(key, 9))
        cols.setdefault(j, []).append(round(key, 9))
    return (
        {i: sorted(v, reverse=True)[:5] for i, v in rows.items()},
        {j: sorted(v, reverse=True)[:5] for j, v in cols.items()},
    )


def test_blocks_and_frequent_words_do_not_change_the_result(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    rng = np.random.default_rng(3)
    vocabulary = [f"w{n}" for n in range(40)]
    a = [list(rng.choice(vocabulary, 6)) for _ in range(60)]
    b = [list(rng.choice(vocabulary, 6)) for _ in range(50)]
    corpus = lexindex.build_corpus(a, b)
    whole = lexindex.candidate_pairs(corpus, width=5)
    monkeypatch.setattr(lexindex, "_BLOCK_PAIRS", 37)
    blocked = lexindex.candidate_pairs(corpus, width=5)
    # Ties may be broken differently; the best keys of every row and column may not.
    assert best_keys(corpus, whole) == best_keys(corpus, blocked)
    # One row per block: the column floors and merges see every block.
    monkeypatch.setattr(lexindex, "_BLOCK_PAIRS", 1)
    one_row = lexindex.candidate_pairs(corpus, width=5)
    assert best_keys(corpus, whole) == best_keys(corpus, one_row)
    # With every word "frequent" nothing is left to rank on, so nothing is proposed;
    # with some frequent words, overlaps still count them (they are exact).
    monkeypatch.setattr(lexindex, "_FREQUENT_PAIRS", 20)
    reduced = lexindex.candidate_pairs(corpus, width=5)
    for i, j, w in zip(reduced.a_index, reduced.b_index, reduced.overlap, strict=True):
        assert w == pytest.approx(reference_overlap(corpus, int(i), int(j)))


def test_progress_can_stop_the_search() -> None:
    corpus = lexindex.build_corpus([["a", "b"]] * 3, [["a"]] * 3)
    with pytest.raises(InterruptedError):
        lexindex.candidate_pairs(corpus, 2, progress=lambda done, total: False)


def test_combined_score_is_the_documented_linear_map_clipped_to_0_100() -> None:
    features = {"ratio": np.array([0.0, 0.3, 0.5, 1.0]), "idf_dice": np.array([0.0, 0.3, 0.5, 1.0])}
    b0, w_ratio, w_dice = scoring.LEXICAL_WEIGHTS
    alpha, beta = scoring.LEXICAL_SCALE
    z = b0 + w_ratio * features["ratio"] + w_dice * features["idf_dice"]
    score = scoring.combine(features)
    assert score == pytest.approx(np.clip(alpha + beta * z, 0, 100))
    # Nothing shared scores 0, identical scores 100, and more overlap never scores less.
    assert score[0] == 0.0 and score[-1] == 100.0
    assert 0 < score[1] < score[2] < 100
    assert list(score) == sorted(score)


def test_weighted_measures_are_bounded_and_symmetric() -> None:
    corpus = lexindex.build_corpus([["putin", "met", "xi"]], [["xi", "met", "putin", "today"]])
    idx = np.array([0])
    w = lexindex.pair_overlaps(corpus, idx, idx)
    dice = lexindex.weighted_dice(corpus, w, idx, idx)[0]
    containment = lexindex.weighted_containment(corpus, w, idx, idx)[0]
    bm25 = lexindex.bm25_similarity(corpus, w, idx, idx)[0]
    assert 0 < dice < 1
    assert containment == pytest.approx(1.0)
    assert 0 < bm25 <= 1
    flipped = lexindex.build_corpus([["xi", "met", "putin", "today"]], [["putin", "met", "xi"]])
    w2 = lexindex.pair_overlaps(flipped, idx, idx)
    assert lexindex.weighted_dice(flipped, w2, idx, idx)[0] == pytest.approx(dice)
    assert lexindex.bm25_similarity(flipped, w2, idx, idx)[0] == pytest.approx(bm25)


def test_combined_score_reads_as_sts_grades() -> None:
    """Identical claims score 5 grades (100), unrelated ones about 0, a topical pair between."""
    a = ["the central bank raised interest rates by half a point on tuesday"]
    b = [
        a[0],
        "on tuesday the central bank raised interest rates by half a point",
        "the central bank kept its forecast for growth unchanged this year",
        "heavy rain flooded villages in the northern valley overnight",
    ]
    corpus = lexindex.build_corpus([t.split() for t in a], [t.split() for t in b])
    ai = np.zeros(len(b), dtype=np.int64)
    bi = np.arange(len(b), dtype=np.int64)
    features = scoring.lexical_features(
        corpus, a, b, ai, bi, lexindex.pair_overlaps(corpus, ai, bi)
    )
    same, paraphrase, topical, unrelated = scoring.combine(features).tolist()
    assert same == 100.0
    assert paraphrase >= 60.0  # grade 3+: equivalent
    assert 10.0 <= topical < paraphrase  # shares a topic, not the facts
    assert unrelated < 10.0  # under half a grade
