"""Where a passage of one version of an article stands in another (no Qt).

Used when the window swaps one version of a project for another (updating an
article, and its undo and redo) to keep the selected claims selected, and when an
orphaned link is re-attached to find its other end again. Both place a quote the way
:mod:`factcheck.update` places notes: :func:`factcheck.anchoring.reanchor`, then the
claim of the new text that overlaps the placed span most.
"""

from __future__ import annotations

from collections.abc import Sequence

from factcheck.anchoring import reanchor
from factcheck.models import AnchorStatus, Claim, TextAnchor
from factcheck.store import ProjectStore

SIDES = ("a", "b")


def claim_at(claims: Sequence[Claim], start: int, end: int) -> Claim | None:
    """The claim overlapping ``start``–``end`` most (ties: the earliest)."""
    best, best_overlap = None, 0
    for claim in claims:
        overlap = min(claim.end, end) - max(claim.start, start)
        if overlap > best_overlap:
            best, best_overlap = claim, overlap
    return best


def place_quote(
    text: str, claims: Sequence[Claim], anchor: TextAnchor, *, old_text: str | None = None
) -> Claim | None:
    """The claim of ``text`` that holds ``anchor``'s quote now (None: it is gone)."""
    result = reanchor(text, anchor, old_text=old_text)
    if result.status is AnchorStatus.ORPHANED:
        return None
    return claim_at(claims, result.start, result.end)


def carry_claim(old: ProjectStore, new: ProjectStore, claim_id: str | None) -> str | None:
    """``claim_id`` of ``old`` as a claim of ``new``: the same id when its article did
    not change, else the claim its sentence was re-anchored to (None: it is gone)."""
    if claim_id is None:
        return None
    try:
        claim = old.claim(claim_id)
    except KeyError:
        return None
    side = claim.article_id
    old_text, new_text = old.article(side).text, new.article(side).text
    if old_text == new_text:
        return claim_id
    anchor = TextAnchor.from_text(old_text, claim.start, claim.end)
    placed = place_quote(new_text, new.claims(side), anchor, old_text=old_text)
    return placed.id if placed is not None else None


def carry_selection(
    old: ProjectStore, new: ProjectStore, current: str | None, selected: dict[str, str | None]
) -> tuple[str | None, dict[str, str | None]]:
    """The current claim and each pane's selection of ``old``, carried to ``new``.
    When the current claim is gone, nothing stays selected."""
    carried = carry_claim(old, new, current)
    if carried is None:
        return None, dict.fromkeys(SIDES)
    return carried, {side: carry_claim(old, new, selected.get(side)) for side in SIDES}
