from __future__ import annotations

import itertools

import pytest

from factcheck.models import LinkState, MatchConfig, Verdict
from factcheck.store import ChangeKind, ProjectStore, StoreChange

from .helpers import index_matcher, tiny_project


@pytest.fixture
def store() -> ProjectStore:
    ticks = (f"2026-01-01T00:00:{i:02d}Z" for i in itertools.count())
    return ProjectStore(tiny_project(), matcher=index_matcher, clock=lambda: next(ticks))


def test_claims_come_from_both_articles(store: ProjectStore) -> None:
    assert [c.id for c in store.claims("a")] == ["a:0", "a:1", "a:2", "a:3"]
    assert store.claim("b:1").text == "The ICC called for the arrest of Putin."
    with pytest.raises(KeyError, match="no claim 'z:9'"):
        store.claim("z:9")


def test_every_change_returns_the_previous_value_and_notifies(store: ProjectStore) -> None:
    seen: list[StoreChange] = []
    store.subscribe(seen.append)
    assert store.set_verdict("a:1", Verdict.SUPPORTED) is Verdict.UNREVIEWED
    assert store.set_verdict("a:1", Verdict.CONTESTED) is Verdict.SUPPORTED
    assert store.set_note("a:1", "check the date") == ""
    assert store.set_note("a:1", "check the dates") == "check the date"
    assert store.set_evidence("a:1", [" https://example.org/x ", ""]) == ()
    assert store.annotation("a:1").evidence == ("https://example.org/x",)
    assert store.set_tags("a:1", ["icc"]) == ()
    assert [c.kind for c in seen] == [ChangeKind.ANNOTATION] * 6
    assert seen[0].ids == ("a:1",)


def test_annotation_keeps_created_and_updates_modified(store: ProjectStore) -> None:
    store.set_verdict("b:0", Verdict.OPINION)
    first = store.annotation("b:0")
    store.set_note("b:0", "x")
    second = store.annotation("b:0")
    assert second.created == first.created
    assert second.modified > first.modified
    assert second.anchor.exact == store.claim("b:0").text


def test_clearing_everything_removes_the_annotation(store: ProjectStore) -> None:
    store.set_verdict("a:2", Verdict.SUPPORTED)
    previous = store.set_annotation("a:2", None)
    assert previous is not None and previous.verdict is Verdict.SUPPORTED
    assert store.project().annotations == ()
    assert store.set_annotation("a:2", previous) is None
    assert store.annotation("a:2") == previous


def test_verdict_counts_cover_every_claim(store: ProjectStore) -> None:
    store.set_verdict("a:1", Verdict.SUPPORTED)
    store.set_verdict("b:2", Verdict.CONTESTED)
    counts = store.verdict_counts()
    assert counts[Verdict.SUPPORTED] == 1 and counts[Verdict.CONTESTED] == 1
    assert sum(counts.values()) == len(store.all_claims())


def test_links_suggested_confirmed_rejected_and_by_hand(store: ProjectStore) -> None:
    assert store.link_state("a:1", "b:1") is LinkState.SUGGESTED
    assert store.set_link("a:1", "b:1", LinkState.CONFIRMED) is None
    link = store.link("a:1", "b:1")
    assert link is not None and link.score == 80.0 and link.b_anchor.exact.startswith("The ICC")
    assert store.set_link("a:1", "b:1", LinkState.REJECTED) is LinkState.CONFIRMED
    assert store.set_link("a:3", "b:0", LinkState.MANUAL) is None
    assert store.link_state("a:3", "b:0") is LinkState.MANUAL
    assert store.set_link("a:1", "b:1", None) is LinkState.REJECTED
    assert store.link_state("a:1", "b:1") is LinkState.SUGGESTED
    with pytest.raises(ValueError, match="article A to one of article B"):
        store.set_link("b:1", "a:1", LinkState.CONFIRMED)


def test_put_link_restores_exactly(store: ProjectStore) -> None:
    store.set_link("a:2", "b:2", LinkState.CONFIRMED)
    before = store.link("a:2", "b:2")
    old = store.put_link(("a:2", "b:2"), None)
    assert old == before and store.link("a:2", "b:2") is None
    store.put_link(("a:2", "b:2"), old)
    assert store.link("a:2", "b:2") == before


def test_new_match_settings_rematch_and_return_the_old_ones(store: ProjectStore) -> None:
    old_config, old_matches = store.set_matches(MatchConfig(threshold=90))
    assert old_config == MatchConfig()
    assert store.settings.match.threshold == 90
    assert old_matches == store.matches  # the fake matcher ignores the threshold


def test_unsubscribe_stops_notifications(store: ProjectStore) -> None:
    seen: list[StoreChange] = []
    unsubscribe = store.subscribe(seen.append)
    unsubscribe()
    store.set_verdict("a:1", Verdict.SUPPORTED)
    assert seen == []


def test_snapshot_round_trips_into_a_new_store(store: ProjectStore) -> None:
    store.set_verdict("a:1", Verdict.SUPPORTED)
    store.set_note("b:2", "124, not 123")
    store.set_link("a:1", "b:1", LinkState.CONFIRMED)
    again = ProjectStore(store.project(), matcher=index_matcher)
    assert again.project().annotations == store.project().annotations
    assert again.project().links == store.project().links


def test_annotations_follow_their_anchor_when_claim_ids_shift() -> None:
    base = ProjectStore(tiny_project(), matcher=index_matcher)
    base.set_verdict("a:2", Verdict.CONTESTED)
    ann = base.annotation("a:2")
    moved = tiny_project(annotations=(ann.__class__(**{**ann.__dict__, "claim_id": "a:9"}),))
    again = ProjectStore(moved, matcher=index_matcher)
    assert again.annotation("a:2").verdict is Verdict.CONTESTED
