"""Re-anchoring a stored quote on an edited text: anchored, moved, fuzzy or orphaned."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from factcheck.anchoring import MIN_FUZZY_SCORE, reanchor
from factcheck.models import AnchorStatus, Article, Claim, TextAnchor
from factcheck.segmentation import segment_claims

SEEDS = Path(__file__).resolve().parents[2] / "seeds"
SEED_A, SEED_B = (p.read_text("utf-8") for p in sorted(SEEDS.glob("*.txt"))[:2])

STORY = (
    "Talks open in Geneva.\n"
    "Officials said 123 countries joined the statute in 2002, the report says.\n"
    "Officials said 124 countries joined the statute in 2003, the report says.\n"
    "The weather in Geneva was mild for the season.\n"
    "Delegates will meet again next month."
)
FIRST = "Officials said 123 countries joined the statute in 2002, the report says."


def claims_of(text: str) -> tuple[Claim, ...]:
    return segment_claims(Article(id="b", title="", source="t", text=text))


def anchor_on(text: str, quote: str) -> TextAnchor:
    start = text.index(quote)
    return TextAnchor.from_text(text, start, start + len(quote))


def placed(text: str, result_start: int, result_end: int) -> str:
    return text[result_start:result_end]


# -- exact -----------------------------------------------------------------------------


def test_unchanged_text_is_anchored_where_it_was() -> None:
    anchor = anchor_on(STORY, FIRST)
    result = reanchor(STORY, anchor, old_text=STORY)
    assert result.status is AnchorStatus.ANCHORED
    assert (result.start, result.end, result.score) == (anchor.start, anchor.end, 1.0)


def test_inserted_paragraph_before_moves_the_anchor() -> None:
    anchor = anchor_on(STORY, FIRST)
    edited = "A brand new opening paragraph, added later.\n" + STORY
    result = reanchor(edited, anchor, old_text=STORY)
    assert result.status is AnchorStatus.MOVED
    assert result.start == anchor.start + len("A brand new opening paragraph, added later.\n")
    assert placed(edited, result.start, result.end) == FIRST


def test_deleted_paragraphs_before_move_the_anchor() -> None:
    claims = claims_of(SEED_B)
    target = claims[5]
    anchor = TextAnchor.from_text(SEED_B, target.start, target.end)
    edited = SEED_B[claims[2].start :]  # the first two paragraphs are gone
    result = reanchor(edited, anchor, old_text=SEED_B)
    assert result.status is AnchorStatus.MOVED
    assert placed(edited, result.start, result.end) == target.text
    assert result.start == target.start - claims[2].start


@pytest.mark.parametrize("where", ["before", "after"])
def test_a_duplicated_sentence_does_not_pull_the_anchor_away(where: str) -> None:
    claims = claims_of(SEED_B)
    target = claims[5]
    anchor = TextAnchor.from_text(SEED_B, target.start, target.end)
    if where == "before":
        edited = target.text + "\n" + SEED_B
        expected = target.start + len(target.text) + 1
    else:
        edited = SEED_B + "\n" + target.text
        expected = target.start
    result = reanchor(edited, anchor, old_text=SEED_B)
    assert result.start == expected  # the copy with the old surroundings
    assert result.status is (AnchorStatus.ANCHORED if where == "after" else AnchorStatus.MOVED)


def test_context_chooses_among_repeats_even_far_from_the_old_position() -> None:
    quote = "Nobody commented."
    old = f"Alpha said one thing. {quote} Beta said another thing. {quote} Gamma left."
    anchor = TextAnchor.from_text(old, old.rindex(quote), old.rindex(quote) + len(quote))
    edited = "Prologue. " * 20 + old
    result = reanchor(edited, anchor, old_text=old)
    assert result.status is AnchorStatus.MOVED
    assert edited[result.end :].startswith(" Gamma left.")


def test_quote_in_place_but_among_new_neighbours_moves_to_the_copy_with_the_old_ones() -> None:
    quote = "Nobody commented."
    old = f"Alpha said one thing. {quote} Beta said another thing."
    start = old.index(quote)
    anchor = TextAnchor.from_text(old, start, start + len(quote))
    # Same length around the old place (so the quote is still exactly at ``start``),
    # other words; the old sentence with its old neighbours follows.
    edited = f"Delta told the press. {quote} Omega said it was fine.\n{old}"
    assert edited.startswith(quote, start)
    result = reanchor(edited, anchor, old_text=old)
    assert result.status is AnchorStatus.MOVED
    assert result.start == len(edited) - len(old) + start


def test_quote_in_place_with_its_context_stays_even_when_repeated_elsewhere() -> None:
    quote = "Nobody commented."
    old = f"Alpha said one thing. {quote} Beta said another thing."
    start = old.index(quote)
    anchor = TextAnchor.from_text(old, start, start + len(quote))
    edited = f"{old}\n{old}"  # a second copy, with the very same context
    result = reanchor(edited, anchor, old_text=old)
    assert (result.status, result.start) == (AnchorStatus.ANCHORED, start)


# -- fuzzy -----------------------------------------------------------------------------


def test_slightly_reworded_claim_is_fuzzy_with_a_score() -> None:
    claims = claims_of(SEED_B)
    target = claims[5]
    anchor = TextAnchor.from_text(SEED_B, target.start, target.end)
    edited = SEED_B.replace("met Putin last week", "met Vladimir Putin last week")
    result = reanchor(edited, anchor, old_text=SEED_B)
    assert result.status is AnchorStatus.FUZZY
    assert MIN_FUZZY_SCORE <= result.score < 1.0
    new_text = placed(edited, result.start, result.end)
    assert new_text.startswith("Xi visited Moscow and met Vladimir Putin last week (pictured")
    assert new_text == target.text.replace("met Putin", "met Vladimir Putin")


def test_reworded_claim_with_a_changed_number_stays_on_its_own_place() -> None:
    anchor = anchor_on(STORY, FIRST)
    edited = STORY.replace("123 countries", "125 countries")
    result = reanchor(edited, anchor, old_text=STORY)
    assert result.status is AnchorStatus.FUZZY
    assert placed(edited, result.start, result.end).startswith("Officials said 125")


# -- orphaned: never moved onto a lookalike ---------------------------------------------


def test_deleted_claim_with_a_near_twin_next_to_it_is_orphaned() -> None:
    anchor = anchor_on(STORY, FIRST)
    edited = STORY.replace(FIRST + "\n", "")
    for old_text in (STORY, None):
        result = reanchor(edited, anchor, old_text=old_text)
        assert result.status is AnchorStatus.ORPHANED, result
        assert (result.start, result.end, result.score) == (-1, -1, 0.0)
        assert result.reason


def test_deleted_claim_with_a_near_twin_elsewhere_in_the_seed_is_orphaned() -> None:
    claims = claims_of(SEED_B)
    for gone, twin in ((claims[5], claims[2]), (claims[2], claims[5])):
        assert gone.text[:25] == twin.text[:25]  # "Xi visited Moscow and met..."
        anchor = TextAnchor.from_text(SEED_B, gone.start, gone.end)
        edited = SEED_B[: gone.start] + SEED_B[gone.end + 1 :]
        result = reanchor(edited, anchor, old_text=SEED_B)
        assert result.status is AnchorStatus.ORPHANED, (gone.id, result)


def test_claim_deleted_outright_is_orphaned() -> None:
    claims = claims_of(SEED_A)
    target = next(c for c in claims if "demographic catastrophe" in c.text)
    anchor = TextAnchor.from_text(SEED_A, target.start, target.end)
    edited = SEED_A[: target.start] + SEED_A[target.end :]
    result = reanchor(edited, anchor, old_text=SEED_A)
    assert result.status is AnchorStatus.ORPHANED
    assert "no longer" in result.reason or "gone" in result.reason


def test_claim_replaced_by_different_numbers_in_place_with_other_neighbours_is_orphaned() -> None:
    # The sentence and both its neighbours changed: nothing says it is the same claim.
    old = "Intro one.\nOfficials said 123 countries joined in 2002.\nOutro one."
    anchor = anchor_on(old, "Officials said 123 countries joined in 2002.")
    edited = (
        "A completely different opening now stands here.\n"
        "Officials said 987 countries joined in 1999.\n"
        "And the ending was rewritten from scratch too."
    )
    assert reanchor(edited, anchor, old_text=old).status is AnchorStatus.ORPHANED


def test_empty_quote_is_orphaned() -> None:
    result = reanchor(STORY, TextAnchor(0, 0, ""))
    assert result.status is AnchorStatus.ORPHANED
    assert "empty" in result.reason


def test_stale_offsets_past_the_end_do_not_break_anything() -> None:
    anchor = TextAnchor(10_000, 10_050, FIRST, "", "")
    result = reanchor(STORY, anchor)
    assert result.status is AnchorStatus.MOVED
    assert placed(STORY, result.start, result.end) == FIRST


# -- property: an unchanged claim always re-anchors exactly -------------------------------

SEED_CLAIMS = [
    c
    for c in claims_of(SEED_A)
    if len(c.text) >= 20 and SEED_A.count(c.text) == 1 and c.text.strip() == c.text
]
# Filler that can never spell a 20-character claim of the seed.
_filler = st.text(alphabet="xyzq XYZQ.,\n", min_size=1, max_size=80)


@st.composite
def edits_around(draw: st.DrawFn) -> tuple[str, Claim, int]:
    """The seed with random inserts and deletions that never touch ``claim``."""
    claim = draw(st.sampled_from(SEED_CLAIMS))
    before, after = SEED_A[: claim.start], SEED_A[claim.end :]
    for _ in range(draw(st.integers(0, 4))):
        side = draw(st.sampled_from(["before", "after"]))
        text = before if side == "before" else after
        at = draw(st.integers(0, len(text)))
        if draw(st.booleans()):
            text = text[:at] + draw(_filler) + text[at:]
        else:
            text = text[:at] + text[at + draw(st.integers(0, 400)) :]
        before, after = (text, after) if side == "before" else (before, text)
    return before + claim.text + after, claim, len(before)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(edits_around())
def test_unchanged_claim_always_reanchors_exactly(case: tuple[str, Claim, int]) -> None:
    edited, claim, new_start = case
    anchor = TextAnchor.from_text(SEED_A, claim.start, claim.end)
    result = reanchor(edited, anchor, old_text=SEED_A)
    assert result.status in (AnchorStatus.ANCHORED, AnchorStatus.MOVED)
    assert (result.start, result.end) == (new_start, new_start + len(claim.text))
    assert result.score == 1.0
    assert (result.status is AnchorStatus.ANCHORED) == (new_start == claim.start)
