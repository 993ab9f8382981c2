from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from factcheck import worddiff
from factcheck.models import DifferenceKind
from factcheck.worddiff import DiffKind, diff_ops, tokenize, word_diff

#: The C++ diff-match-patch (when installed) and the pure-Python one it falls back to.
BACKENDS = ["fast", "python"]


@pytest.fixture(params=BACKENDS)
def backend(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    if request.param == "fast" and worddiff._fast_dmp is None:
        pytest.skip("fast-diff-match-patch is not installed here")
    if request.param == "python":
        monkeypatch.setattr(worddiff, "_fast_dmp", None)
    return str(request.param)


def test_diff_works_on_whole_words_not_characters() -> None:
    ops = diff_ops("Xi visited Moscow last week.", "Xi toured Moscow last week.")
    changed = [(op.kind, op.text) for op in ops if op.kind is not DiffKind.EQUAL]
    assert changed == [(DiffKind.DELETE, "visited"), (DiffKind.INSERT, "toured")]


def test_offsets_point_into_each_text() -> None:
    a = "The ICC issued an arrest warrant earlier this month."
    b = "The ICC called for the arrest of Putin this month."
    for op in diff_ops(a, b):
        if op.kind is not DiffKind.INSERT:
            assert a[op.a_start : op.a_end] == op.text
        if op.kind is not DiffKind.DELETE:
            assert b[op.b_start : op.b_end] == op.text


def test_numbers_that_differ_are_reported() -> None:
    diff = word_diff("123 countries are parties.", "124 countries are parties.")
    numbers = [d for d in diff.differences if d.kind is DifferenceKind.NUMBER]
    assert [(d.a_text, d.b_text) for d in numbers] == [("123", "124")]
    assert [op.text for op in diff.ops if op.kind is DiffKind.DELETE] == ["123"]


def test_identical_texts_have_one_equal_op() -> None:
    diff = word_diff("Same words.", "Same words.")
    assert diff.is_identical
    assert diff.differences == ()
    assert [(op.kind, op.text, op.a_end, op.b_end) for op in diff.ops] == [
        (DiffKind.EQUAL, "Same words.", 11, 11)
    ]
    assert diff_ops("", "") == ()


def test_tokens_keep_decimals_and_apostrophes_whole() -> None:
    assert tokenize("Russia’s 3.5 U.S.") == ["Russia’s", " ", "3.5", " ", "U.S", "."]


# The backend fixture sets the same state for every example, so sharing it is fine.
@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(a=st.text(max_size=60), b=st.text(max_size=60))
def test_ops_rebuild_both_texts(backend: str, a: str, b: str) -> None:
    ops = diff_ops(a, b)
    assert "".join(op.text for op in ops if op.kind is not DiffKind.INSERT) == a
    assert "".join(op.text for op in ops if op.kind is not DiffKind.DELETE) == b


SENTENCES = [
    ("The mayor said 40 people were hurt on Monday.", "Officials said 45 people were hurt."),
    ("Putin cannot defeat Ukraine.", "Putin can defeat Ukraine, he said."),
    ("Xi visited Moscow last week.", "Xi visited Moscow and met Putin last week."),
    ("Sales rose 5% in May.", "Sales rose 5% in May."),
    ("", "Something new."),
]


def test_both_backends_give_the_same_word_diff_on_claims(monkeypatch: pytest.MonkeyPatch) -> None:
    if worddiff._fast_dmp is None:
        pytest.skip("fast-diff-match-patch is not installed here")
    fast = [diff_ops(a, b) for a, b in SENTENCES]
    monkeypatch.setattr(worddiff, "_fast_dmp", None)
    python = [diff_ops(a, b) for a, b in SENTENCES]
    assert fast == python
    assert any(op.kind is DiffKind.INSERT for ops in fast for op in ops)


def test_a_pair_is_diffed_once_and_kept() -> None:
    word_diff.cache_clear()
    first = word_diff("Xi met Putin in 2023.", "Xi met Putin in 2024.")
    assert word_diff("Xi met Putin in 2023.", "Xi met Putin in 2024.") is first
    assert word_diff.cache_info().hits == 1
    assert word_diff("Xi met Putin in 2024.", "Xi met Putin in 2023.") is not first
