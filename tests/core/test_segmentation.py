from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from factcheck.models import Article, ClaimKind
from factcheck.segmentation import segment_claims, segment_spans


def texts(text: str) -> list[str]:
    return [text[s:e] for s, e in segment_spans(text)]


def article(text: str, title: str = "") -> Article:
    return Article(id="a", title=title, source="test", text=text)


def test_offsets_give_back_the_exact_claim_text(seed_texts: tuple[str, str]) -> None:
    for text in seed_texts:
        claims = segment_claims(article(text))
        assert claims
        for c in claims:
            assert text[c.start : c.end] == c.text
            assert c.text == c.text.strip()
            assert c.id == f"a:{c.index}"


def test_every_glued_join_in_the_seed_splits(seed_texts: tuple[str, str]) -> None:
    text = seed_texts[0]
    joins = [m.start() + 1 for m in re.finditer(r"[a-z0-9%”’\"][.!?][”’\"]?[A-Z]", text)]
    assert len(joins) >= 20
    ends = {e for _s, e in segment_spans(text)}
    for pos in joins:
        end = pos + 1 + (text[pos + 1] in '”’"')
        assert end in ends, text[pos - 30 : pos + 30]


def test_glued_sentences_split() -> None:
    assert texts("It continues his confrontation.The question remains.") == [
        "It continues his confrontation.",
        "The question remains.",
    ]


def test_fused_words_at_a_lost_line_break_split() -> None:
    assert texts("Viktor Kaspruk, journalistThe editorial team disagrees.") == [
        "Viktor Kaspruk, journalist",
        "The editorial team disagrees.",
    ]


@pytest.mark.parametrize(
    "sentence",
    [
        "The U.S. Senate voted on Tuesday.",
        "Mr. Smith met Dr. Jones at St. Paul's.",
        "Sir Geoffrey Nice said so.",
        "Growth was 3.5 percent in the U.K. economy.",
        "J. K. Rowling wrote it at 10.30 in the morning.",
        "“It is likely,” he said.",
        "“Is it over?” she asked.",
        "See fig. 3 and No. 5 for details.",
        "Visit www.Example.com for more.",
    ],
)
def test_abbreviations_initials_decimals_and_quotes_do_not_split(sentence: str) -> None:
    assert texts(sentence) == [sentence]


def test_sentences_split_after_quotes_and_question_marks() -> None:
    assert texts("He said “it is over.” Then he left. Why? Nobody knows!") == [
        "He said “it is over.”",
        "Then he left.",
        "Why?",
        "Nobody knows!",
    ]


def test_line_breaks_are_hard_boundaries_and_captions_are_marked(
    seed_texts: tuple[str, str],
) -> None:
    claims = segment_claims(article(seed_texts[1]))
    captions = [c.text for c in claims if c.kind is ClaimKind.CAPTION]
    assert any(t.startswith("Ukrainian soldiers ride atop") for t in captions)
    assert any(t.startswith("Smoke rises from a burning building") for t in captions)
    assert all("\n" not in c.text for c in claims)


def test_headline_and_trailing_boilerplate(seed_texts: tuple[str, str]) -> None:
    text = seed_texts[0]
    claims = segment_claims(article(text, title=text.split("\n")[0]))
    headline = [c.text for c in claims if c.kind is ClaimKind.HEADLINE]
    assert " ".join(headline) == "Putin’s rule is crumbling. Will Xi offer him a way out?"
    tail = [c.text for c in claims if c.kind is ClaimKind.BOILERPLATE]
    assert tail[-1].startswith("The editorial team does not always share")
    assert "Viktor Kaspruk, journalist" in tail
    assert claims[-len(tail) - 1].kind is ClaimKind.BODY


def test_first_sentence_ending_in_a_period_is_not_a_headline(seed_texts: tuple[str, str]) -> None:
    claims = segment_claims(article(seed_texts[1]))
    assert all(c.kind is not ClaimKind.HEADLINE for c in claims)


def test_cjk_terminals_split_without_spaces() -> None:
    assert texts("普京在克里姆林宫。习近平访问了莫斯科。") == [
        "普京在克里姆林宫。",
        "习近平访问了莫斯科。",
    ]


def test_empty_and_whitespace_only_text_has_no_claims() -> None:
    assert texts("") == []
    assert texts(" \n\t\u2028 ") == []


_alphabet = st.sampled_from([*list("ab AZ.!?”“\"'\n\r\t3,—…。\u2028"), "Mr.", "U.S.", "The "])


@settings(max_examples=400, deadline=None)
@given(st.lists(_alphabet, max_size=80).map("".join) | st.text(max_size=200))
def test_claims_partition_every_non_whitespace_character(text: str) -> None:
    spans = segment_spans(text)
    owner = [0] * len(text)
    last_end = 0
    for s, e in spans:
        assert last_end <= s < e <= len(text)
        assert not text[s].isspace() and not text[e - 1].isspace()
        for i in range(s, e):
            owner[i] += 1
        last_end = e
    for i, ch in enumerate(text):
        assert owner[i] == 1 or (ch.isspace() and owner[i] == 0), (i, ch)
