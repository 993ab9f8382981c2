"""Two annotations (or links) whose anchors resolve to one sentence: neither is
dropped. The one stored with that claim's id stays on it, the other is an orphan that
says why, in the store, ``factcheck show`` and the next save alike."""

from __future__ import annotations

from pathlib import Path

import pytest

from factcheck.cli import main
from factcheck.models import Annotation, Link, LinkState, Project, TextAnchor, Verdict
from factcheck.projectfile import load_project, save_project
from factcheck.store import ProjectStore
from tests.core.helpers import TEXT_A, TEXT_B, index_matcher, tiny_project


def _note(claim_id: str, start: int, end: int, note: str) -> Annotation:
    return Annotation(
        claim_id=claim_id,
        article_id="a",
        anchor=TextAnchor.from_text(TEXT_A, start, end),
        verdict=Verdict.CONTESTED,
        note=note,
    )


def _two_on_one_sentence(exact_first: bool) -> Project:
    sentence = "Xi visited Moscow last week."
    start = TEXT_A.index(sentence)
    exact = _note("a:1", start, start + len(sentence), "the first note")
    # Made on another segmentation: stored under another id, starting inside a:1.
    inner = _note("a:7", start + 3, start + 17, "the second note")
    pair = (exact, inner) if exact_first else (inner, exact)
    return tiny_project(annotations=pair)


@pytest.mark.parametrize("exact_first", [True, False])
def test_the_store_keeps_the_second_as_an_orphan(exact_first: bool) -> None:
    store = ProjectStore(_two_on_one_sentence(exact_first), matcher=index_matcher)
    assert store.annotation("a:1").note == "the first note"
    (orphan,) = store.orphans
    assert orphan.annotation is not None and orphan.annotation.note == "the second note"
    assert orphan.annotation.claim_id == "a:7"  # as it was stored
    assert orphan.reason.startswith("a second annotation on claim a:1")
    saved = store.project()
    notes = {a.note for a in saved.annotations} | {
        o.annotation.note for o in saved.orphans if o.annotation is not None
    }
    assert notes == {"the first note", "the second note"}


def test_show_counts_both_and_a_save_keeps_both(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "p.factcheck.json"
    save_project(_two_on_one_sentence(False), path)
    assert main(["show", str(path)]) == 0
    out = capsys.readouterr().out
    assert "Orphans (1)" in out and "the second note" in out
    assert "a second annotation on claim a:1" in out
    assert main(["set-reviewer", str(path), "--name", "Desk"]) == 0  # load, then save
    assert {a.note for a in load_project(path).annotations} == {
        "the first note",
        "the second note",
    }
    # The app's save (of its store) writes the second as the orphan it showed.
    store = ProjectStore(load_project(path), matcher=index_matcher)
    save_project(store.project(), path)
    again = load_project(path)
    assert [a.note for a in again.annotations] == ["the first note"]
    assert [o.annotation.note for o in again.orphans if o.annotation] == ["the second note"]


def test_a_second_link_between_the_same_sentences_is_kept_as_an_orphan() -> None:
    a_start, b_start = TEXT_A.index("Xi visited"), TEXT_B.index("Xi visited")

    def link(a_id: str, b_id: str, a_from: int, b_from: int) -> Link:
        return Link(
            a_claim_id=a_id,
            b_claim_id=b_id,
            state=LinkState.CONFIRMED,
            a_anchor=TextAnchor.from_text(TEXT_A, a_from, a_from + 10),
            b_anchor=TextAnchor.from_text(TEXT_B, b_from, b_from + 10),
        )

    first = link("a:1", "b:0", a_start, b_start)
    second = link("a:5", "b:6", a_start + 2, b_start + 2)
    store = ProjectStore(tiny_project(links=(second, first)), matcher=index_matcher)
    assert [(k, v.key) for k, v in store._links.items()] == [(("a:1", "b:0"), ("a:1", "b:0"))]
    (orphan,) = store.orphans
    assert orphan.link == second
    assert orphan.reason.startswith("a second link between a:1 and b:0")
