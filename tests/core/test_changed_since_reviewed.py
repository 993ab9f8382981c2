"""A verdict never sits silently on changed text (issue 14, point 1).

The issue's reproduction on the bundled seed pair: A18 ("… in 2014 and 2022 — Chinese
leader Xi Jinping gave his approval …") marked supported with a note; a new version of
article A says 2021 and "gave his tacit approval". After the update A18 is "changed
since reviewed" with its old quote kept, in the project file, in ``factcheck show``
and in ``factcheck update``'s report, until the reviewer re-confirms it or gives a
new verdict.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from factcheck.cli import main
from factcheck.models import AnchorStatus, Article, DifferenceKind, LinkState, Project, Verdict
from factcheck.projectfile import dumps_project, load_project, loads_project, save_project
from factcheck.seeds import seed_pair
from factcheck.store import ProjectStore
from factcheck.update import reattach_orphan, update_article

A18 = "a:17"
NOTE = "Both invasions followed the Games: checked against the timeline."


def reviewed_seed() -> Project:
    """The seed pair with A18 supported and noted, A19 contested, and A18 linked to B1."""
    a, b = seed_pair()
    store = ProjectStore(Project(a, b), matches=(), clock=lambda: "2026-12-01T10:00:00Z")
    store.set_verdict(A18, Verdict.SUPPORTED)
    store.set_note(A18, NOTE)
    store.set_verdict("a:18", Verdict.CONTESTED)
    store.set_link(A18, "b:0", LinkState.CONFIRMED)
    return store.project()


def stealth_edit(text: str) -> str:
    return text.replace("in 2014 and 2022", "in 2014 and 2021").replace(
        "gave his approval", "gave his tacit approval"
    )


def updated(project: Project, text: str | None = None) -> Project:
    new = Article(
        "a",
        "copy.txt",
        "/home/reviewer/private/copy.txt",
        text or stealth_edit(project.article_a.text),
    )
    return update_article(project, "a", new, now="2026-12-02T09:00:00Z").project


def test_a18_is_marked_changed_with_its_old_quote_and_a_date_flag() -> None:
    before = reviewed_seed()
    old_text = next(a for a in before.annotations if a.claim_id == A18).anchor.exact
    assert "2022" in old_text

    after = updated(before)
    a18 = next(a for a in after.annotations if a.claim_id == A18)
    assert a18.verdict is Verdict.SUPPORTED and a18.note == NOTE
    assert a18.changed is not None
    assert a18.changed.old_quote == old_text
    assert a18.changed.status is AnchorStatus.FUZZY
    assert a18.changed.since == "2026-12-02T09:00:00Z"
    assert "tacit approval" in a18.anchor.exact and "2021" in a18.anchor.exact
    # The link's A end sits on the same changed sentence.
    (link,) = after.links
    assert link.a_changed is not None and link.a_changed.old_quote == old_text
    assert link.b_changed is None
    # Text that did not change (A19 only moved with it) is not marked.
    assert next(a for a in after.annotations if a.claim_id == "a:18").changed is None

    store = ProjectStore(after, matches=())
    assert store.changed_claims() == (A18,)
    from factcheck.export.changes import changed_claims
    from factcheck.export.common import index_project

    items = changed_claims(index_project(after))
    assert [(i.label, i.what) for i in items] == [
        ("A18", "verdict supported"),
        ("A18", "link to B1 (confirmed)"),
    ]
    flags = [(d.kind, d.a_text, d.b_text) for d in items[0].diff.differences]
    assert (DifferenceKind.DATE, "2022", "2021") in flags


def test_the_state_survives_saving_and_a_second_update_keeps_the_first_quote(
    tmp_path: Path,
) -> None:
    before = reviewed_seed()
    first = updated(before)
    path = tmp_path / "p.factcheck.json"
    save_project(first, path)
    loaded = load_project(path)
    assert loaded == first
    # A further edit: the quote kept is still the one the verdict was given on.
    second = updated(loaded, loaded.article_a.text.replace("tacit approval", "quiet approval"))
    a18 = next(a for a in second.annotations if a.claim_id == A18)
    assert a18.changed is not None
    assert a18.changed.old_quote == first_changed_quote(first)
    assert "2022" in a18.changed.old_quote
    # Back to the text as reviewed: nothing left to check.
    reverted = updated(second, before.article_a.text)
    assert next(a for a in reverted.annotations if a.claim_id == A18).changed is None
    assert all(link.a_changed is None for link in reverted.links)


def first_changed_quote(project: Project) -> str:
    changed = next(a for a in project.annotations if a.claim_id == A18).changed
    assert changed is not None
    return changed.old_quote


def test_reconfirming_or_a_new_verdict_clears_it_and_undo_puts_it_back() -> None:
    store = ProjectStore(updated(reviewed_seed()), matches=())
    before, links = store.reconfirm(A18)
    assert store.changed_claims() == ()
    assert store.annotation(A18).verdict is Verdict.SUPPORTED  # the verdict stays
    assert store.annotation(A18).note == NOTE
    # Undo, as the GUI's command does it.
    store.set_annotation(A18, before)
    for link in links:
        store.put_link(link.key, link)
    assert store.changed_claims() == (A18,)
    assert store.changed_of(A18) is not None
    # A new verdict is given on the text as it is now.
    store.set_verdict(A18, Verdict.CONTESTED)
    assert store.annotation(A18).changed is None
    # The link end stays changed until the link is re-confirmed or decided again.
    assert store.changed_claims() == (A18,)
    store.set_link(A18, "b:0", LinkState.CONFIRMED)
    assert store.changed_claims() == ()


def test_a_note_edit_does_not_clear_it() -> None:
    store = ProjectStore(updated(reviewed_seed()), matches=())
    store.set_note(A18, NOTE + " More.")
    assert store.annotation(A18).changed is not None


def test_projects_saved_before_open_and_save_unchanged(tmp_path: Path) -> None:
    project = reviewed_seed()
    text = dumps_project(project)
    assert '"changed"' not in text and '"summary"' not in text
    assert '"a_changed"' not in text
    assert dumps_project(loads_project(text)) == text


def test_a_file_with_a_malformed_changed_field_is_refused_naming_it() -> None:
    text = dumps_project(updated(reviewed_seed())).replace('"old_quote"', '"old_text"')
    from factcheck.errors import ProjectFileError

    with pytest.raises(ProjectFileError, match="annotations/0/changed"):
        loads_project(text, source="p.factcheck.json")


def test_an_orphan_put_back_by_hand_on_other_text_is_marked_changed() -> None:
    before = reviewed_seed()
    # Remove A18's sentence entirely: its annotation and link end become orphans.
    a18_text = next(a for a in before.annotations if a.claim_id == A18).anchor.exact
    gone = updated(before, before.article_a.text.replace(a18_text, ""))
    number = next(i for i, o in enumerate(gone.orphans) if o.annotation is not None)
    back = reattach_orphan(gone, number, "a:16", now="2026-12-03T00:00:00Z")
    placed = next(a for a in back.annotations if a.claim_id == "a:16")
    assert placed.changed is not None and placed.changed.old_quote == a18_text


def test_show_and_update_name_the_changed_claim_with_its_diff(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "p.factcheck.json"
    save_project(reviewed_seed(), path)
    new_a = tmp_path / "a-v2.txt"
    new_a.write_text(stealth_edit(reviewed_seed().article_a.text), "utf-8")
    assert main(["update", str(path), "--a", str(new_a)]) == 0
    out = capsys.readouterr().out
    assert "fuzzy (0.99) annotation A18 → A18, changed since reviewed" in out
    assert "! date: 2022 → 2021" in out
    assert main(["show", str(path)]) == 0
    out = capsys.readouterr().out
    assert "Changed since reviewed (2)" in out
    assert "A18 [verdict supported, fuzzy]" in out
    assert "A18 [link to B1 (confirmed), fuzzy]" in out
    assert "[-2022-]{+2021+}" in out and "{+tacit +}" in out
    assert str(tmp_path) not in out  # file names, not the reviewer's folders
    assert main(["show", str(path), "--json"]) == 0
    import json

    data = json.loads(capsys.readouterr().out)
    assert data["changed"][0]["claim"] == "A18"
    assert "2022" in data["changed"][0]["old_quote"]


def test_unchanged_update_marks_nothing() -> None:
    before = reviewed_seed()
    after = updated(before, before.article_a.text + "\nA new closing line.")
    assert ProjectStore(after, matches=()).changed_claims() == ()
    assert all(a.changed is None for a in after.annotations)
    assert all(link.a_changed is None and link.b_changed is None for link in after.links)


def test_a_quote_found_inside_a_sentence_that_grew_is_changed_too() -> None:
    """Found exactly where it was ("anchored"), but the claim now says more."""
    a = Article("a", "A", "a.txt", "First line.\nThe minister resigned on Monday.\nLast line.")
    b = Article("b", "B", "b.txt", "Other text.")
    store = ProjectStore(Project(a, b), matches=())
    store.set_verdict("a:1", Verdict.SUPPORTED)
    grown = a.text.replace("Monday.", "Monday. but only after the vote.")
    result = update_article(store.project(), "a", Article("a", "A", "a2.txt", grown))
    (item,) = result.report.items
    assert item.status is AnchorStatus.ANCHORED and item.changed
    (annotation,) = result.project.annotations
    assert annotation.changed is not None
    assert annotation.changed.old_quote == "The minister resigned on Monday."
    assert annotation.changed.status is AnchorStatus.ANCHORED
