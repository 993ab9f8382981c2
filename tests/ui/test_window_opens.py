"""The window opens on the bundled seed pair, segmented and matched."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from factcheck.models import Verdict


def test_opens_on_the_seed_pair(make_window: Callable[..., Any]) -> None:
    window = make_window()
    store = window.store
    total = len(store.claims("a")) + len(store.claims("b"))
    assert total > 50
    assert window.match_controls.counts.text() == (
        f"0 of {total} claims reviewed · 0 supported · 0 contested · 0 opinion"
    )
    assert store.matches, "the seed pair has matching claims"
    assert window.panes["a"].title.full_text().startswith("A · Putin’s rule is crumbling")
    assert f"{len(store.claims('b'))} claims" in window.panes["b"].source.full_text()
    assert window.windowTitle().endswith("[*] — factcheck")
    # Every claim near the top is tinted; the first claim is selected.
    assert window.current_claim == "a:0"
    view = window.panes["a"].view
    assert len(view.visible_claims()) >= 5
    assert all(view.claim_tints(span.claim_id) for span in view.visible_claims())
    assert store.verdict_counts()[Verdict.UNREVIEWED] == total
