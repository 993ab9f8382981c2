"""Claims "changed since reviewed": walking them and clearing them.

An article update that puts a verdict or a link on text that differs from the text it
was made on marks the claim (:mod:`factcheck.update`). The window shows the mark in
the panes, the claims table and the inspector; this helper does the rest:
Review ▸ Next / Previous changed claim (D, Shift+D), Review ▸ Re-confirm on changed
text (V: one undo step), the status-bar count and, after an update, the summary that
names every item that moved, changed or was orphaned and offers to walk them.

It takes what it reads — a store getter, the current claim's getter, the undo stack —
and emits ``claimRequested(str claim_id)`` for the window to select and focus a claim,
and ``message(str text)`` for the status bar.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import QMessageBox, QWidget

from factcheck.models import AnchorStatus
from factcheck.store import ProjectStore

from .commands import ReconfirmCommand
from .mnemonics import information, question

if TYPE_CHECKING:
    # factcheck.update (with rapidfuzz, for re-anchoring) runs only when an article is
    # updated: not needed to show the window.
    from factcheck.update import PlacedItem

#: Items named in the update summary (the rest are counted).
SUMMARY_ITEMS = 15
_STATUS_LABELS = {
    "anchored": "in place",
    "moved": "moved with their text",
    "fuzzy": "placed on changed text: worth a check",
    "orphaned": "kept in “Orphaned notes” with their old quote",
}


class ChangedReview(QObject):
    claimRequested = Signal(str)
    message = Signal(str)

    def __init__(
        self,
        store: Callable[[], ProjectStore | None],
        current: Callable[[], str | None],
        undo_stack: QUndoStack,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._store = store
        self._current = current
        self._undo = undo_stack

    def count(self) -> int:
        store = self._store()
        return len(store.changed_claims()) if store is not None else 0

    def step(self, step: int = 1) -> str | None:
        """Ask for the next (``step=1``) or previous changed claim after the current one,
        in text order (A, then B) and round again; None (and a message) when none."""
        store = self._store()
        changed = store.changed_claims() if store is not None else ()
        if store is None or not changed:
            self.message.emit("No claim has changed since it was reviewed.")
            return None
        current = self._current()
        if current is None:
            target = changed[0] if step > 0 else changed[-1]
        else:
            here = _place(store, current)
            placed = [(_place(store, cid), cid) for cid in changed]
            if step > 0:
                target = next((cid for at, cid in placed if at > here), changed[0])
            else:
                target = next((cid for at, cid in reversed(placed) if at < here), changed[-1])
        self.claimRequested.emit(target)
        return target

    def reconfirm(self) -> bool:
        """Clear the current claim's "changed since reviewed" mark (one undo step)."""
        store, current = self._store(), self._current()
        if store is None or current is None or store.changed_of(current) is None:
            self.message.emit("This claim has not changed since it was reviewed.")
            return False
        command = ReconfirmCommand(store, current)
        self._undo.push(command)
        left = len(store.changed_claims())
        self.message.emit(f"{command.text()}. {left} changed claims left.")
        return True

    def offer_walk(self, parent: QWidget, title: str, summary: str) -> bool:
        """Show the update summary; when claims changed, offer to go to the first one
        (True when the user accepts and there is one to go to)."""
        if not self.count():
            information(parent, title, summary)
            return False
        answer = question(
            parent,
            title,
            summary + "\n\nGo to the first changed claim now? (D goes to the next one; "
            "V re-confirms a claim on its new text.)",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.Yes,
        )
        if answer != QMessageBox.StandardButton.Yes:
            return False
        store = self._store()
        first = store.changed_claims()[0] if store is not None else None
        if first is None:
            return False
        self.claimRequested.emit(first)
        return True


def _place(store: ProjectStore, claim_id: str) -> tuple[str, int]:
    claim = store.claim(claim_id)
    return (claim.article_id, claim.index)


def update_summary(counts: dict[AnchorStatus, int], items: Sequence[PlacedItem]) -> str:
    """How the notes and links fared: a count per class, then each one that is not
    simply in place, named as people number claims (A18)."""
    if not sum(counts.values()):
        return "The article was replaced. There were no notes or links on it to carry over."
    lines = ["Notes and link ends on the old text:"]
    for status, count in counts.items():
        lines.append(f"  {count} {status.value}: {_STATUS_LABELS.get(status.value, '')}")
    named = [i for i in items if i.status is not AnchorStatus.ANCHORED or i.changed]
    changed = sum(1 for i in items if i.changed)
    if changed:
        lines += ["", f"{changed} changed since reviewed: marked Δ until re-confirmed (V)."]
    if named:
        lines += ["", "Each one that did not stay in place:"]
        lines += [f"  {item.describe(60)}" for item in named[:SUMMARY_ITEMS]]
        if len(named) > SUMMARY_ITEMS:
            lines.append(f"  … and {len(named) - SUMMARY_ITEMS} more")
    return "\n".join(lines)
