"""The faster paths of the matcher give what the plain definitions give: ASCII text
normalisation, ranking inside groups, and the confidence's pool-only feature."""

from __future__ import annotations

import random
import string
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest

from factcheck.matching import confidence, encoder, engine, lexindex, semantic
from factcheck.matching.normalize import _TYPOGRAPHY, _normalize_ascii, _normalize_folded
from factcheck.models import MatchConfig

from .test_matching import A, B, _bag_of_words_encoder

_TRICKY = [
    "The stock rose $2.11, or 11.5 percent, to 21.51.",
    "It's Putin's 2,500 troops (and 1,0000 more) at 3.5. 4.x .5 5. ..6",
    "don`t `s Don's 'S ISN'T a_b x__y A-B/C 10,000,000 1,00 ,123 1,234a",
    "tab\there\x0bvt\x0cff\rcr\x1cfs\x1fus\x00nul\x7fdel  end ",
    "",
    " . , ' ",
]


def _random_ascii(rng: random.Random, alphabet: str, count: int) -> list[str]:
    return ["".join(rng.choice(alphabet) for _ in range(rng.randint(0, 24))) for _ in range(count)]


def test_ascii_normalisation_equals_the_general_one() -> None:
    rng = random.Random(5)
    texts = [
        *_TRICKY,
        *_random_ascii(rng, "aZ09 .,'`s_-\t\n" + string.punctuation, 3000),
        *_random_ascii(rng, "1234567890.,'s `S", 3000),
        *_random_ascii(rng, "".join(map(chr, range(128))), 3000),
    ]
    for text in texts:
        folded = text.translate(_TYPOGRAPHY).casefold()
        assert _normalize_ascii(text) == _normalize_folded(folded), repr(text)


def _lexsort_rank(group: np.ndarray, other: np.ndarray, score: np.ndarray) -> np.ndarray:  # type: ignore[type-arg]
    """The definition: by group, best score first, then ``other``; first by position."""
    order = np.lexsort((other, -score, group))
    rank = np.empty(len(order), dtype=np.int64)
    for position, n in enumerate(order.tolist()):
        rank[n] = position - int(np.searchsorted(group[order], group[n]))
    return rank


@pytest.mark.parametrize("spread", [50, 2**40])
def test_rank_inside_groups_equals_the_lexsort_definition(spread: int) -> None:
    """Ties of score, repeated pairs, and indices too large for one integer key (the
    lexsort fallback)."""
    rng = np.random.default_rng(3)
    group = rng.integers(0, 40, 3000) * (spread // 50)
    other = rng.integers(0, 30, 3000) * (spread // 50)
    score = rng.integers(0, 6, 3000).astype(np.float64)
    for g, o in ((group, other), (other, group)):
        assert confidence._rank_in(g, o, score).tolist() == _lexsort_rank(g, o, score).tolist()
    assert confidence._rank_in(group[:0], other[:0], score[:0]).tolist() == []


@pytest.fixture(params=["lexical only", "with the encoder"])
def stage(
    request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> Iterator[None]:
    monkeypatch.setenv(encoder.MODEL_DIR_ENV, str(tmp_path))
    semantic.set_encoder(_bag_of_words_encoder if request.param == "with the encoder" else None)
    yield
    semantic.set_encoder(None)


def test_the_confidence_from_its_pool_only_feature_equals_the_one_from_every_candidate(
    stage: None,
) -> None:
    """The matcher computes token_set_ratio for the confidence's pool only; the scores
    are those computed from every candidate's features."""
    rng = random.Random(8)
    words = [
        "bank",
        "rate",
        "rose",
        "fell",
        "storm",
        "city",
        "river",
        "mayor",
        "said",
        "cut",
        "two",
        "2.5",
        "percent",
        "the",
        "a",
        "of",
    ]
    a = [" ".join(rng.choice(words) for _ in range(rng.randint(3, 9))) for _ in range(60)]
    b = [" ".join(rng.choice(words) for _ in range(rng.randint(3, 9))) for _ in range(50)]
    ai, bi, score, _ = engine.score_candidates(a, b, MatchConfig(scorer="confidence"))
    full_ai, full_bi, parts, cosine = engine.confidence_inputs(a, b)
    assert np.isfinite(parts["token_set_ratio"]).all()
    expected = confidence.confidence(a, b, full_ai, full_bi, parts, cosine)
    assert (ai == full_ai).all() and (bi == full_bi).all()
    assert (score == expected).all()
    assert (score > 0).sum() < len(score)  # some candidates are outside the pool


def test_overlaps_by_blocks_of_a_claims_in_any_pair_order(monkeypatch: pytest.MonkeyPatch) -> None:
    """A table of a few cells makes many blocks; pairs come shuffled, some repeated."""
    rng = random.Random(4)
    words = [f"w{n}" for n in range(30)]
    a = [rng.sample(words, rng.randint(0, 8)) for _ in range(40)]
    b = [rng.sample(words, rng.randint(0, 8)) for _ in range(30)]
    corpus = lexindex.build_corpus(a, b)
    pairs = [(rng.randrange(40), rng.randrange(30)) for _ in range(500)]
    ai = np.array([i for i, _ in pairs], dtype=np.int64)
    bi = np.array([j for _, j in pairs], dtype=np.int64)
    expected = [
        float(sum(corpus.idf[w] for w in sorted(set(corpus.a_sets[i]) & set(corpus.b_sets[j]))))
        for i, j in pairs
    ]
    monkeypatch.setattr(lexindex, "_TABLE_CELLS", 50)
    assert lexindex.pair_overlaps(corpus, ai, bi).tolist() == expected


def test_match_claims_gives_the_shown_links_without_building_related() -> None:
    config = MatchConfig(scorer="lexical", threshold=40.0)
    result = engine.match_with_related(A, B, config)
    assert result.related  # there is something left out
    assert engine.match_claims(A, B, config) == result.shown
    assert engine.match_with_related(A, B, config, related=False) == engine.MatchResult(
        result.shown, ()
    )
