from __future__ import annotations

import itertools
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from factcheck.models import Article, ClaimKind
from factcheck.segmentation import (
    _TERMINAL_RE,
    LINE_BREAKS,
    _sentence_cuts,
    segment_claims,
    segment_spans,
)


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


def _spans_by_the_rules(text: str) -> list[tuple[int, int]]:
    """``segment_spans`` without its fast paths: every line goes through the rules, and
    every offset of it is offered as a fused pair."""
    spans = []
    for line in re.finditer(f"[^{LINE_BREAKS}]+", text):
        bounds = [
            0,
            *_sentence_cuts(line.group(), list(range(len(line.group())))),
            len(line.group()),
        ]
        for a, b in itertools.pairwise(bounds):
            piece = line.group()[a:b]
            if piece.strip():
                start = line.start() + a + len(piece) - len(piece.lstrip())
                spans.append((start, start + len(piece.strip())))
    return spans


# Line ends, terminals and closers in every order, fused pairs, and what follows them.
_tails = st.sampled_from(
    [
        *".!?…。！？”’\"')]»“‘«( \t\n\u2028\x1f3\xa0؟।۔」』）ب",
        *["\r\n", "I", "A", "ok", "Ab", "U.S", "Mr", "The ", "journalist", "The", "So", "Its,"],
        *["www", "@", "://"],
    ]
)


@settings(max_examples=400, deadline=None)
@given(st.lists(_tails, max_size=40).map("".join) | st.text(max_size=200))
def test_lines_skipped_by_the_fast_paths_have_no_cut(text: str) -> None:
    # A line whose only terminals end it, and that has no fused pair candidate, is
    # taken whole without looking at the rules: that must be what the rules say.
    assert segment_spans(text) == _spans_by_the_rules(text)


@pytest.mark.parametrize(
    "text",
    [
        "ok.I ",  # the rules see trailing white space: "I " is a one-letter word
        "ok.I",
        "Hi.”. \nYes?!” ",
        "Hi。.",  # a CJK terminal followed by anything ends a sentence
        "你好。”我",
        "He said “no.” Then",
        "a journalistThe editorial\nThe journalistThe",
        "…\n“”\n.",
    ],
)
def test_fast_paths_agree_with_the_rules_at_the_edges(text: str) -> None:
    assert segment_spans(text) == _spans_by_the_rules(text)


@settings(max_examples=300, deadline=None)
@given(st.lists(_tails, max_size=40).map("".join))
def test_terminal_pattern_matches_the_plain_one(text: str) -> None:
    # _TERMINAL_RE is written for speed; this is the rule it stands for.
    plain = re.compile(
        r"(?:[.!?…؟।۔]+|[。！？]+)[”’\"'»)\]」』）》〉】]*(?:[“‘«](?=\s|$))?(?:\s»[”’\"'»)\]]*)?"
    )
    assert [m.span() for m in _TERMINAL_RE.finditer(text)] == [
        m.span() for m in plain.finditer(text)
    ]


def test_a_claim_that_shares_its_line_is_not_a_caption() -> None:
    claims = segment_claims(article("Title line\nHe left. She stayed\nA caption\nThe end."))
    kinds = [(c.text, c.kind) for c in claims]
    assert kinds == [
        ("Title line", ClaimKind.HEADLINE),
        ("He left.", ClaimKind.BODY),
        ("She stayed", ClaimKind.BODY),
        ("A caption", ClaimKind.CAPTION),
        ("The end.", ClaimKind.BODY),
    ]
    claims = segment_claims(article("He left. She stayed\nA caption\nThe end."))
    assert [c.kind for c in claims[:2]] == [ClaimKind.HEADLINE, ClaimKind.HEADLINE]


def test_a_long_line_splits_as_its_sentences_do() -> None:
    unit = "Mr. Smith said it grew 3.5 percent. “Why?” he asked.It fell.The end! "
    assert texts(unit * 500) == texts(unit) * 500


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Der Minister sagte: „Das ist falsch.“ Die Regierung widersprach.",
            ["Der Minister sagte: „Das ist falsch.“", "Die Regierung widersprach."],
        ),
        ("Er rief: »Nein!« Dann ging er.", ["Er rief: »Nein!«", "Dann ging er."]),
        (
            "Le ministre a dit : « C’est faux. » Le gouvernement a répondu.",
            ["Le ministre a dit : « C’est faux. »", "Le gouvernement a répondu."],
        ),
        ("« Vraiment ?\u00a0» Oui.", ["« Vraiment ?\u00a0»", "Oui."]),
        # English is unchanged: an opening quote glued to the next sentence opens it.
        ("He said.“Then he left.", ["He said.", "“Then he left."]),
        ("He said “no.” Then “Yes.” And", ["He said “no.”", "Then “Yes.”", "And"]),
    ],
)
def test_german_and_french_closing_quotes_end_a_sentence(text: str, expected: list[str]) -> None:
    assert texts(text) == expected


def test_a_german_quote_alone_on_its_line_is_not_a_caption() -> None:
    claims = segment_claims(article("Titel\nEr sagte: „Das ist falsch.“\nEnde."))
    assert claims[1].kind is ClaimKind.BODY


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "# Budget\n\n1. Taxes rise by 2.5%.\n2. Dr. Smith objects.\n",
            ["# Budget", "1. Taxes rise by 2.5%.", "2. Dr. Smith objects."],
        ),
        ("  10. First point. Second one.", ["10. First point.", "Second one."]),
        # Only at the start of a line: elsewhere a number may end a sentence.
        ("Growth was 5. Then it fell.", ["Growth was 5.", "Then it fell."]),
    ],
)
def test_a_numbered_list_item_keeps_its_number(text: str, expected: list[str]) -> None:
    assert texts(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "השר אמר כי 3.5 מיליון איש נפגעו. הממשלה תגיב בקרוב. האם זה נכון?",
            ["השר אמר כי 3.5 מיליון איש נפגעו.", "הממשלה תגיב בקרוב.", "האם זה נכון?"],
        ),
        (
            "قال الوزير إن 3.5 مليون شخص تأثروا. هل هذا صحيح؟ نعم.",
            ["قال الوزير إن 3.5 مليون شخص تأثروا.", "هل هذا صحيح؟", "نعم."],
        ),
        (
            "मंत्री ने कहा कि 35 लाख लोग प्रभावित हुए। सरकार जल्द ही जवाब देगी। क्या यह सच है?",
            ["मंत्री ने कहा कि 35 लाख लोग प्रभावित हुए।", "सरकार जल्द ही जवाब देगी।", "क्या यह सच है?"],
        ),
        ("وزیر نے کہا۔ حکومت جواب دے گی۔", ["وزیر نے کہا۔", "حکومت جواب دے گی۔"]),
        # A lower-case word still does not start a sentence.
        ("“It is likely,” he said. so", ["“It is likely,” he said. so"]),
    ],
)
def test_sentences_of_caseless_scripts_split(text: str, expected: list[str]) -> None:
    assert texts(text) == expected


CJK = "部长表示有350万人受到影响。政府将很快作出回应！这是真的吗？是的。\n東京都は計画を発表した。"


def test_a_cjk_paragraph_is_not_a_headline() -> None:
    claims = segment_claims(article(CJK))
    assert [c.text for c in claims][:4] == [
        "部长表示有350万人受到影响。",
        "政府将很快作出回应！",
        "这是真的吗？",
        "是的。",
    ]
    assert all(c.kind is ClaimKind.BODY for c in claims)
    # A CJK title without a full stop still is one.
    claims = segment_claims(article("普京的统治正在崩溃\n" + CJK))
    assert claims[0].kind is ClaimKind.HEADLINE


def test_cjk_closing_brackets_stay_with_their_sentence() -> None:
    assert texts("「はい。」彼は去った。『本当？』") == ["「はい。」", "彼は去った。", "『本当？』"]


@pytest.mark.parametrize("line", ["هل هذا صحيح؟", "सरकार जवाब देगी।", "「はい。」"])
def test_a_sentence_alone_on_its_line_in_other_scripts_is_not_a_caption(line: str) -> None:
    claims = segment_claims(article(f"Title\n{line}\nThe end."))
    assert claims[1].kind is ClaimKind.BODY
