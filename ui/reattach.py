"""Re-attaching an orphan to a claim: one undo command.

An orphaned link lost its place on one article; its other end still points at the
claim it joined on the other article when it became an orphan. That article may have
been updated since (update only moves the links that are still in place), so the
claim id can name another sentence now, or none. Before the link is put back, its
other end is looked up again by its quote (:mod:`ui.placement`); when the quote is
gone, re-attaching is refused with that reason.
"""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtGui import QUndoCommand

from factcheck.models import Annotation, Link, Orphan, TextAnchor
from factcheck.store import ProjectStore
from factcheck.update import reattach_orphan

from .claim_style import claim_label
from .placement import place_quote

#: Quotes longer than this are cut in refusal reasons.
REASON_QUOTE = 60


class ReattachOrphanCommand(QUndoCommand):
    """Put orphan ``index`` back on ``claim_id``. The constructor raises ``ValueError``
    (with a reason written for the user) when that is not possible."""

    def __init__(self, store: ProjectStore, index: int, claim_id: str) -> None:
        orphan = store.orphans[index]
        what = "note" if orphan.annotation is not None else "link"
        super().__init__(f"Re-attach orphaned {what} to {claim_label(claim_id)}")
        self._store = store
        self.claim_id = claim_id
        updated = reattach_orphan(store.project(), index, claim_id)
        self._orphans = updated.orphans
        self._annotation: Annotation | None = None
        self._link: Link | None = None
        if orphan.annotation is not None:
            self._annotation = next(a for a in updated.annotations if a.claim_id == claim_id)
        else:
            old_keys = {link.key for link in store.links()}
            new_link = next(lk for lk in updated.links if lk.key not in old_keys)
            self._link = with_far_end_placed(store, new_link, orphan)
        self._before: tuple[tuple[Orphan, ...], Annotation | Link | None] | None = None

    def redo(self) -> None:
        if self._annotation is not None:
            previous: Annotation | Link | None = self._store.set_annotation(
                self.claim_id, self._annotation
            )
        else:
            assert self._link is not None
            previous = self._store.put_link(self._link.key, self._link)
        self._before = (self._store.set_orphans(self._orphans), previous)

    def undo(self) -> None:
        assert self._before is not None
        orphans, previous = self._before
        if self._annotation is not None:
            assert previous is None or isinstance(previous, Annotation)
            self._store.set_annotation(self.claim_id, previous)
        else:
            assert self._link is not None and (previous is None or isinstance(previous, Link))
            self._store.put_link(self._link.key, previous)
        self._store.set_orphans(orphans)


def with_far_end_placed(store: ProjectStore, link: Link, orphan: Orphan) -> Link:
    """``link`` (just re-attached at ``orphan``'s end) with its other end on the claim
    that holds that end's quote in the current text. Raises ``ValueError``."""
    far = "b" if orphan.article_id == "a" else "a"
    claim_id, anchor = (
        (link.b_claim_id, link.b_anchor) if far == "b" else (link.a_claim_id, link.a_anchor)
    )
    text = store.article(far).text
    claim = place_quote(text, store.claims(far), anchor)
    if claim is None:
        quote = " ".join(anchor.exact.split())
        if len(quote) > REASON_QUOTE:
            quote = quote[: REASON_QUOTE - 1] + "…"
        raise ValueError(f"the link's other end, “{quote}”, is no longer in article {far.upper()}")
    if claim.id == claim_id and text[claim.start : claim.end] == anchor.exact:
        return link  # the other end is where it was
    placed = TextAnchor.from_text(text, claim.start, claim.end)
    if far == "b":
        link = replace(link, b_claim_id=claim.id, b_anchor=placed)
    else:
        link = replace(link, a_claim_id=claim.id, a_anchor=placed)
    if store.link(*link.key) is not None:
        a, b = (claim_label(cid) for cid in link.key)
        raise ValueError(f"the link {a} ↔ {b} exists already")
    return link
