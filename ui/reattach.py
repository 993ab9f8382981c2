"""Re-attaching an orphan to a claim: one undo command.

The core (:func:`factcheck.update.reattach_orphan`) decides: an orphaned link's other
end is looked up again by its quote, in case that article was updated since, and
re-attaching is refused with a reason when it cannot be done.
"""

from __future__ import annotations

from PySide6.QtGui import QUndoCommand

from factcheck.models import Annotation, Link, Orphan
from factcheck.store import ProjectStore
from factcheck.update import reattach_orphan

from .claim_style import claim_label


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
            self._link = next(lk for lk in updated.links if lk.key not in old_keys)
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
