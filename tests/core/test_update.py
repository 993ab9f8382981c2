"""Taking a new version of an article: every note and link is carried over or kept as an orphan."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from factcheck.models import AnchorStatus, Article, LinkState, Project, Verdict
from factcheck.projectfile import load_project, save_project
from factcheck.segmentation import segment_claims
from factcheck.store import ProjectStore
from factcheck.update import claim_at, reattach_orphan, update_article

from .helpers import index_matcher

SEEDS = Path(__file__).resolve().parents[2] / "seeds"
NOW = "2030-01-01T00:00:00Z"
EDITOR_NOTE = "Editor’s note: this story was updated on Tuesday."
REWORDED = ("tweeted Monday (pictured)", "said on Monday (pictured)")


def seed_project() -> Project:
    """The seed pair with notes on A and B, including both of B's near-twin sentences."""
    a_text, b_text = (p.read_text("utf-8") for p in sorted(SEEDS.glob("*.txt"))[:2])
    store = ProjectStore(
        Project(
            article_a=Article(id="a", title="A", source="a.txt", text=a_text),
            article_b=Article(id="b", title="B", source="b.txt", text=b_text),
            name="seeds",
        ),
        matcher=index_matcher,
        clock=lambda: "2024-01-01T00:00:00Z",
    )
    store.set_verdict("a:3", Verdict.SUPPORTED)
    store.set_note("a:20", "Gaddafi comparison")
    store.set_verdict("b:0", Verdict.CONTESTED)
    store.set_note("b:2", "first of the twins")
    store.set_note("b:5", "second of the twins: deleted in the new version")
    store.set_verdict("b:5", Verdict.CONTESTED)
    store.set_note("b:6", "Gerashchenko tweet")
    store.set_link("a:3", "b:0", LinkState.CONFIRMED)
    store.set_link("a:20", "b:5", LinkState.MANUAL)
    return store.project()


def edited_b(project: Project) -> Article:
    """B with a paragraph inserted on top, claim b:5 deleted and claim b:6 reworded."""
    text = project.article_b.text
    gone = segment_claims(project.article_b)[5]
    text = text[: gone.start] + text[gone.end + 1 :]
    assert REWORDED[0] in text
    text = EDITOR_NOTE + "\n" + text.replace(*REWORDED)
    return Article(id="new", title="B, updated", source="b-v2.txt", text=text)


def quote_of(project: Project, claim_id: str) -> str:
    article = project.article_a if claim_id.startswith("a:") else project.article_b
    return next(c.text for c in segment_claims(article) if c.id == claim_id)


def test_update_on_the_seed_pair_counts_each_class() -> None:
    project = seed_project()
    result = update_article(project, "b", edited_b(project), now=NOW)
    report, updated = result.report, result.project
    # Four notes on B and two link ends on B.
    assert len(report.items) == 6
    assert report.counts == {
        AnchorStatus.ANCHORED: 0,
        AnchorStatus.MOVED: 3,  # b:0's note, b:0's link end, b:2's note
        AnchorStatus.FUZZY: 1,  # b:6's note, reworded
        AnchorStatus.ORPHANED: 2,  # b:5's note and link: never onto its twin b:2
    }
    assert report.summary() == "0 anchored, 3 moved, 1 fuzzy, 2 orphaned"
    fuzzy = next(i for i in report.items if i.status is AnchorStatus.FUZZY)
    assert 0.75 <= fuzzy.score < 1

    notes = {a.claim_id: a for a in updated.annotations if a.article_id == "b"}
    # Every B claim moved down by one: the editor's note is the new b:0.
    assert set(notes) == {"b:1", "b:3", "b:6"}
    assert notes["b:1"].verdict is Verdict.CONTESTED
    assert notes["b:3"].note == "first of the twins"
    assert notes["b:6"].note == "Gerashchenko tweet"
    assert REWORDED[1] in notes["b:6"].anchor.exact
    for claim_id, note in notes.items():
        assert note.anchor.exact == quote_of(updated, claim_id)
    # A's notes are not touched at all.
    assert [a for a in updated.annotations if a.article_id == "a"] == [
        a for a in project.annotations if a.article_id == "a"
    ]
    assert [(link.a_claim_id, link.b_claim_id) for link in updated.links] == [("a:3", "b:1")]

    assert updated.article_b.id == "b"
    assert updated.article_b.text.startswith(EDITOR_NOTE)


def test_orphans_keep_the_annotation_and_link_unchanged_with_the_old_quote() -> None:
    project = seed_project()
    updated = update_article(project, "b", edited_b(project), now=NOW).project
    old_b5 = quote_of(project, "b:5")
    assert len(updated.orphans) == 2
    ann_orphan, link_orphan = updated.orphans
    assert ann_orphan.annotation == next(a for a in project.annotations if a.claim_id == "b:5")
    assert ann_orphan.anchor.exact == old_b5
    assert ann_orphan.article_id == "b" and ann_orphan.reason
    assert link_orphan.link == next(link for link in project.links if link.b_claim_id == "b:5")
    assert link_orphan.anchor.exact == old_b5


def test_orphans_survive_saving_and_a_second_update(tmp_path: Path) -> None:
    project = seed_project()
    updated = update_article(project, "b", edited_b(project), now=NOW).project
    path = tmp_path / "p.factcheck.json"
    save_project(updated, path)
    loaded = load_project(path)
    assert loaded == updated
    again = update_article(loaded, "b", replace(loaded.article_b, id="x"), now=NOW)
    assert again.project.orphans == updated.orphans
    assert again.report.counts[AnchorStatus.ANCHORED] == len(again.report.items)
    assert again.project.annotations == loaded.annotations  # nothing changed, not even times


def test_unchanged_article_anchors_everything_in_place() -> None:
    project = seed_project()
    result = update_article(project, "a", project.article_a, now=NOW)
    assert result.report.counts[AnchorStatus.ANCHORED] == 4  # two notes, two link ends
    assert result.project.annotations == project.annotations
    assert result.project.links == project.links
    assert result.project.orphans == ()


def test_reattach_puts_an_orphan_back() -> None:
    project = seed_project()
    updated = update_article(project, "b", edited_b(project), now=NOW).project
    ann_orphan = updated.orphans[0]
    assert ann_orphan.annotation is not None

    back = reattach_orphan(updated, 0, "b:4", now=NOW)
    note = next(a for a in back.annotations if a.claim_id == "b:4")
    assert note.note == ann_orphan.annotation.note
    assert note.verdict is Verdict.CONTESTED
    assert note.anchor.exact == quote_of(back, "b:4")
    assert back.orphans == updated.orphans[1:]

    linked = reattach_orphan(back, 0, "b:4", now=NOW)
    assert ("a:20", "b:4") in {link.key for link in linked.links}
    assert linked.orphans == ()
    # Reattached items survive the round trip and a store.
    ProjectStore(linked, matcher=index_matcher)


@pytest.mark.parametrize(
    ("index", "claim_id", "message"),
    [
        (5, "b:1", "no orphan number 6"),
        (-1, "b:1", "no orphan number 0"),
        (0, "b:999", "has no claim B1000"),
        (0, "a:1", "has no claim A2"),
        (0, "b:1", "already has an annotation"),
    ],
)
def test_reattach_refuses_with_a_reason(index: int, claim_id: str, message: str) -> None:
    project = seed_project()
    updated = update_article(project, "b", edited_b(project), now=NOW).project
    with pytest.raises(ValueError, match=message):
        reattach_orphan(updated, index, claim_id)


def test_reattach_refuses_a_link_that_exists_already() -> None:
    project = seed_project()
    updated = update_article(project, "b", edited_b(project), now=NOW).project
    link = updated.orphans[1].link
    assert link is not None
    with_link = replace(updated, links=(*updated.links, replace(link, b_claim_id="b:4")))
    with pytest.raises(ValueError, match="exists already"):
        reattach_orphan(with_link, 1, "b:4")


def test_two_notes_landing_on_one_claim_keep_the_second_as_orphan() -> None:
    text = "First claim stands here. Second claim follows it.\nThird line."
    project = Project(
        article_a=Article(id="a", title="", source="a", text=text),
        article_b=Article(id="b", title="", source="b", text="Other text."),
    )
    store = ProjectStore(project, matcher=index_matcher)
    store.set_note("a:0", "one")
    store.set_note("a:1", "two")
    # Segmentation joins the two sentences now (no capital after the period).
    merged = "First claim stands here. second claim follows it.\nThird line."
    result = update_article(store.project(), "a", replace(project.article_a, text=merged))
    assert [a.note for a in result.project.annotations] == ["one"]
    assert [o.annotation.note for o in result.project.orphans if o.annotation] == ["two"]
    assert "already" in result.project.orphans[0].reason


def test_side_must_be_a_or_b() -> None:
    project = seed_project()
    with pytest.raises(ValueError, match="side"):
        update_article(project, "c", project.article_a)


def _a_changed_after_the_link_was_orphaned(delete_linked: bool) -> tuple[Project, str]:
    """B updated (orphaning the link a:20 ↔ b:5), then A updated: a paragraph on top
    (every claim id of A shifts) and, if asked, a:20's sentence deleted."""
    project = seed_project()
    orphaned = update_article(project, "b", edited_b(project), now=NOW).project
    quote = quote_of(orphaned, "a:20")
    text = orphaned.article_a.text
    if delete_linked:
        text = text.replace(quote, "")
    new_a = Article(id="new", title="A, updated", source="a-v2.txt", text="Update.\n" + text)
    return update_article(orphaned, "a", new_a, now=NOW).project, quote


def test_reattaching_a_link_finds_its_other_end_after_that_article_changed() -> None:
    project, quote = _a_changed_after_the_link_was_orphaned(delete_linked=False)
    index = next(i for i, o in enumerate(project.orphans) if o.link is not None)
    assert quote_of(project, "a:20") != quote  # the stored id names another sentence now
    linked = reattach_orphan(project, index, "b:4", now=NOW)
    [link] = [lk for lk in linked.links if lk.b_claim_id == "b:4"]
    assert quote_of(linked, link.a_claim_id) == quote
    assert link.a_anchor.exact == quote
    assert linked.article_a.text[link.a_anchor.start : link.a_anchor.end] == quote


def test_reattaching_a_link_whose_other_end_is_gone_is_refused() -> None:
    project, _ = _a_changed_after_the_link_was_orphaned(delete_linked=True)
    index = next(i for i, o in enumerate(project.orphans) if o.link is not None)
    with pytest.raises(ValueError, match="no longer in article A"):
        reattach_orphan(project, index, "b:4", now=NOW)


_SEED_B_CLAIMS = segment_claims(
    Article(
        id="b", title="B", source="b.txt", text=sorted(SEEDS.glob("*.txt"))[1].read_text("utf-8")
    )
)


@given(st.integers(0, 9000), st.integers(0, 400))
def test_claim_at_is_the_claim_overlapping_most(start: int, length: int) -> None:
    end = start + length
    overlaps = [min(c.end, end) - max(c.start, start) for c in _SEED_B_CLAIMS]
    best = max(overlaps, default=0)
    expected = _SEED_B_CLAIMS[overlaps.index(best)] if best > 0 else None
    assert claim_at(_SEED_B_CLAIMS, start, end) == expected
    # With ``nearest``, a range overlapping no claim gets the claim at or before it.
    before = [c for c in _SEED_B_CLAIMS if c.start <= start] or [_SEED_B_CLAIMS[0]]
    assert claim_at(_SEED_B_CLAIMS, start, end, nearest=True) == (expected or before[-1])
