"""Two versions of one article aligned in order: changed, inserted, deleted, moved."""

from __future__ import annotations

from dataclasses import replace

import pytest

from factcheck.models import Article, DifferenceKind
from factcheck.seeds import seed_pair
from factcheck.versions import ChangeKind, SentenceChange, VersionComparison, compare_versions

INTRO = "The council met on Monday. It approved the budget of 12 million euros."
MIDDLE = "Critics said the plan was rushed. The mayor denied that. A vote follows in May."
MOVABLE = "Residents will be consulted first. Their views will be published online."
END = "The next meeting is on 3 June. Minutes are available at the town hall."


def _versions(old: str, new: str) -> VersionComparison:
    return compare_versions(
        Article("a", "Old", "old.txt", old), Article("b", "New", "new.txt", new)
    )


def _kinds(cmp: VersionComparison) -> list[tuple[str, str | None, str | None]]:
    return [
        (r.kind.value, r.old.text if r.old else None, r.new.text if r.new else None)
        for r in cmp.changes()
    ]


def _every_sentence_once(cmp: VersionComparison) -> None:
    olds = [r.old.index for r in cmp.rows if r.old is not None]
    news = sorted(r.new.index for r in cmp.rows if r.new is not None)
    assert olds == list(range(len(cmp.old_claims)))  # the rows follow the old order
    assert news == list(range(len(cmp.new_claims)))


def test_identical_versions_have_no_change() -> None:
    text = f"{INTRO}\n\n{MIDDLE}"
    cmp = _versions(text, text)
    assert cmp.is_identical and cmp.chunks() == ()
    assert cmp.counts()[ChangeKind.UNCHANGED] == 5


def test_white_space_alone_is_no_change() -> None:
    cmp = _versions(f"{INTRO}\n\n{MIDDLE}", f"{INTRO.replace(' ', '  ')}\n{MIDDLE}")
    assert cmp.is_identical


def test_inserted_paragraph_is_one_chunk_where_it_goes() -> None:
    cmp = _versions(f"{INTRO}\n\n{END}", f"{INTRO}\n\n{MIDDLE}\n\n{END}")
    assert [k for k, _o, _n in _kinds(cmp)] == ["inserted"] * 3
    (chunk,) = cmp.chunks()
    assert chunk.kind is ChangeKind.INSERTED
    assert chunk.old_range == (2, 2)  # between the intro's two sentences and the end
    assert chunk.new_range == (2, 5)
    _every_sentence_once(cmp)


def test_deleted_paragraph_is_one_chunk() -> None:
    cmp = _versions(f"{INTRO}\n\n{MIDDLE}\n\n{END}", f"{INTRO}\n\n{END}")
    (chunk,) = cmp.chunks()
    assert chunk.kind is ChangeKind.DELETED
    assert [r.old.text for r in chunk.rows if r.old] == [
        "Critics said the plan was rushed.",
        "The mayor denied that.",
        "A vote follows in May.",
    ]
    assert chunk.old_range == (2, 5) and chunk.new_range == (2, 2)
    _every_sentence_once(cmp)


def test_moved_paragraph_is_one_moved_chunk() -> None:
    old = f"{INTRO}\n\n{MOVABLE}\n\n{MIDDLE}\n\n{END}"
    new = f"{INTRO}\n\n{MIDDLE}\n\n{END}\n\n{MOVABLE}"
    cmp = _versions(old, new)
    (chunk,) = cmp.chunks()
    assert chunk.kind is ChangeKind.MOVED
    assert chunk.old_range == (2, 4) and chunk.new_range == (7, 9)
    assert all(r.similarity == 100.0 for r in chunk.rows)
    assert all(r.old.text == r.new.text for r in chunk.rows if r.old and r.new)
    _every_sentence_once(cmp)


def test_moved_and_edited_sentence_keeps_its_word_diff() -> None:
    old = f"{INTRO}\n\n{MIDDLE}\n\n{END}\n\nResidents of the old town will be consulted first."
    new = f"Residents of the old town will be consulted last.\n\n{INTRO}\n\n{MIDDLE}\n\n{END}"
    (row,) = _versions(old, new).changes()
    assert row.kind is ChangeKind.MOVED and 85 <= row.similarity < 100
    diff = row.diff()
    assert diff is not None
    assert [op.text for op in diff.ops if op.kind.value != "equal"] == ["first", "last"]


def test_changed_sentence_has_word_diff_and_fact_flags_with_offsets() -> None:
    old = f"{INTRO}\n\n{END}"
    new = old.replace("12 million", "15 million").replace("3 June", "4 June")
    cmp = _versions(old, new)
    changed = cmp.changes()
    assert [r.kind for r in changed] == [ChangeKind.CHANGED, ChangeKind.CHANGED]
    first = changed[0]
    assert first.old is not None and first.new is not None
    assert old[first.old.start : first.old.end] == first.old.text
    assert new[first.new.start : first.new.end] == first.new.text
    diff = first.diff()
    assert diff is not None
    (flag,) = diff.differences
    assert (flag.kind, flag.a_text, flag.b_text) == (
        DifferenceKind.NUMBER,
        "12 million euros",
        "15 million euros",
    )
    assert first.old.text[slice(*flag.a_span)] == "12 million euros"
    # Each changed sentence is a chunk of its own, visited one by one.
    assert [c.kind for c in cmp.chunks()] == [ChangeKind.CHANGED, ChangeKind.CHANGED]


def test_replaced_stretch_pairs_similar_sentences_in_order() -> None:
    old = "Alpha starts here. The tax rises by 2 percent next year. Omega ends here."
    new = (
        "Alpha starts here. A new levy was announced. The tax rises by 3 percent next year. "
        "Officials gave no details. Omega ends here."
    )
    kinds = _kinds(_versions(old, new))
    assert kinds == [
        ("inserted", None, "A new levy was announced."),
        (
            "changed",
            "The tax rises by 2 percent next year.",
            "The tax rises by 3 percent next year.",
        ),
        ("inserted", None, "Officials gave no details."),
    ]


def test_rewritten_sentence_is_a_deletion_and_an_insertion() -> None:
    cmp = _versions(
        "One. The minister resigned on Friday. Two.",
        "One. Nobody expected what the panel decided. Two.",
    )
    assert [k for k, _o, _n in _kinds(cmp)] == ["deleted", "inserted"]
    deleted, inserted = cmp.changes()
    assert deleted.new_gap == 1 and inserted.old_gap == 2  # where each would stand


def _seed_with_hand_edits() -> tuple[Article, Article]:
    old, _b = seed_pair()
    moved = "As is well known, Putin is deeply afraid of sharing Muammar Gaddafi’s fate. "
    text = old.text
    for before, after in (
        (
            "in 2014 and 2022 — Chinese leader Xi Jinping gave his approval",
            "in 2014 and 2021 — Chinese leader Xi Jinping gave his tacit approval",
        ),
        (moved, ""),
        ("A bifurcation point is approaching. ", "A bifurcation point is approaching. " + moved),
        ("Putin cannot defeat Ukraine. ", ""),
        ("SourceAbout", "Editor’s note: this article was updated.SourceAbout"),
    ):
        assert before in text
        text = text.replace(before, after, 1)
    return old, replace(old, id="b", text=text, hash="")


def test_seed_article_with_hand_edits() -> None:
    old, new = _seed_with_hand_edits()
    cmp = compare_versions(old, new)
    changes = cmp.changes()
    assert [r.kind for r in changes] == [
        ChangeKind.DELETED,
        ChangeKind.CHANGED,
        ChangeKind.MOVED,
        ChangeKind.INSERTED,
    ]
    deleted, changed, moved, inserted = changes
    assert deleted.old is not None and deleted.old.text == "Putin cannot defeat Ukraine."
    assert moved.old is not None and moved.new is not None
    assert moved.new.index > moved.old.index + 20
    assert inserted.new is not None and inserted.new.text.startswith("Editor’s note")
    diff = changed.diff()
    assert diff is not None
    assert [(d.kind, d.a_text, d.b_text) for d in diff.differences] == [
        (DifferenceKind.DATE, "2022", "2021")
    ]
    assert "tacit " in [op.text for op in diff.ops]
    assert cmp.counts()[ChangeKind.UNCHANGED] == len(cmp.old_claims) - 3
    _every_sentence_once(cmp)


@pytest.mark.parametrize("kind", list(ChangeKind))
def test_rows_name_their_sides(kind: ChangeKind) -> None:
    old, new = _seed_with_hand_edits()
    for row in compare_versions(old, new).rows:
        if row.kind is kind:
            assert (row.old is None) == (kind is ChangeKind.INSERTED)
            assert (row.new is None) == (kind is ChangeKind.DELETED)
            assert isinstance(row, SentenceChange)
