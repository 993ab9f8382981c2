"""Where a passage of one version of an article stands in another (no Qt).

Used when the window swaps one version of a project for another (updating an
article, and its undo and redo) to keep the selected claims selected. A quote is
placed the way :mod:`factcheck.update` places notes
(:func:`factcheck.update.place_quote`).
"""

from __future__ import annotations

from factcheck.models import TextAnchor
from factcheck.store import ProjectStore

SIDES = ("a", "b")


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
    from factcheck.update import place_quote  # with rapidfuzz: after an update only

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
