"""Orphaned notes: the dock's list of them and its "Re-attach" button.

Updating an article (File ▸ Update article A/B…) re-anchors every note and link on
the new text; what cannot be placed is kept in the project as an orphan with its old
quote (:mod:`factcheck.update`). The dock lists the orphans, and "Re-attach to selected
claim" (Review ▸ Re-attach orphan to claim, R) puts one back on the claim the user
picked: one undo step (:class:`ui.commands.ReattachOrphanCommand`).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QAbstractListModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QAction, QUndoStack
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDockWidget,
    QLabel,
    QListView,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from factcheck.models import Orphan
from factcheck.store import ChangeKind, ProjectStore, StoreChange
from factcheck.textutil import excerpt

from .claim_style import LINK_LABELS, VERDICT_STYLES, claim_label
from .commands import ReattachOrphanCommand
from .own_keys import keep_own_keys

_Index = QModelIndex | QPersistentModelIndex

#: Quotes longer than this are cut in the list (the tooltip has all of it).
QUOTE_EXCERPT = 110


class OrphanListModel(QAbstractListModel):
    """The store's orphans, one row each: the old quote, what it carried and why it
    could not be placed."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._orphans: tuple[Orphan, ...] = ()

    def set_orphans(self, orphans: tuple[Orphan, ...]) -> None:
        self.beginResetModel()
        self._orphans = orphans
        self.endResetModel()

    def orphan(self, row: int) -> Orphan:
        return self._orphans[row]

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._orphans)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._orphans):
            return None
        orphan = self._orphans[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            quote = excerpt(orphan.anchor.exact, QUOTE_EXCERPT)
            return f"{orphan.article_id.upper()} · “{quote}”\n{describe(orphan)}"
        if role == Qt.ItemDataRole.ToolTipRole:
            return f"“{orphan.anchor.exact}”\n\n{describe(orphan)}"
        return None


def describe(orphan: Orphan) -> str:
    """What an orphan carries, and why it is an orphan, in one line."""
    if orphan.annotation is not None:
        ann = orphan.annotation
        parts = [VERDICT_STYLES[ann.verdict].label.lower()]
        if ann.note:
            note = " ".join(ann.note.split())
            parts.append(f"note: {note[:60]}{'…' if len(note) > 60 else ''}")
        if ann.evidence:
            parts.append(f"{len(ann.evidence)} evidence link(s)")
        what = "Note (" + "; ".join(parts) + ")"
    else:
        assert orphan.link is not None
        a, b = (claim_label(cid) for cid in orphan.link.key)
        what = f"Link {a} ↔ {b} ({LINK_LABELS[orphan.link.state]})"
    return f"{what} — {orphan.reason or 'no place found in the new text'}"


class OrphansPanel(QWidget):
    """The "Orphaned notes" dock's contents. It reads the current claim through
    ``current_claim()``, pushes re-attachments on ``undo_stack`` and enables ``action``
    (Review ▸ Re-attach orphan to claim); the window wires the action and the selection
    to :meth:`reattach_current` and :meth:`update_state`.

    Signals: ``reattached(str claim_id)`` after an orphan is put back on a claim;
    ``statusMessage(str text, int timeout_ms)``."""

    reattached = Signal(str)
    statusMessage = Signal(str, int)

    def __init__(
        self,
        action: QAction,
        current_claim: Callable[[], str | None],
        undo_stack: QUndoStack,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._current_claim = current_claim
        self._undo_stack = undo_stack
        self._store: ProjectStore | None = None
        self._unsubscribe: Callable[[], None] | None = None
        self.dock: QDockWidget | None = None
        self.model = OrphanListModel(self)
        self.list = QListView(self)
        self.list.setObjectName("orphanList")
        self.list.setModel(self.model)
        self.list.setWordWrap(True)
        self.list.setAlternatingRowColors(True)
        self.list.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        # Up/Down choose an orphan here, not the previous/next claim.
        keep_own_keys(self.list)
        self.action = action
        self.reattach_button = QPushButton("Re-attach to selected claim", self)
        self.reattach_button.setObjectName("reattachOrphan")
        self.reattach_button.setToolTip(f"{self.action.toolTip()}; undoable")
        self.hint = QLabel(self)
        self.hint.setObjectName("orphanHint")
        self.hint.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.list, 1)
        layout.addWidget(self.reattach_button)
        layout.addWidget(self.hint)
        self.list.selectionModel().currentChanged.connect(lambda *_a: self.update_state())
        self.reattach_button.clicked.connect(self.reattach_current)
        self.update_state()

    def in_dock(self, parent: QWidget) -> QDockWidget:
        """The panel in a dock (hidden until there are orphans: it would squeeze the
        other docks); its title counts the orphans."""
        dock = QDockWidget("Orphaned notes", parent)
        dock.setObjectName("orphansDock")
        dock.setWidget(self)
        dock.hide()
        self.dock = dock
        toggle = dock.toggleViewAction()
        toggle.setText("&Orphaned notes")
        toggle.setObjectName("show_orphans")
        return dock

    def set_store(self, store: ProjectStore) -> None:
        if self._unsubscribe is not None:
            self._unsubscribe()
        self._store = store
        self._unsubscribe = store.subscribe(self._on_store_changed)
        self._show_orphans()

    def show_dock(self) -> None:
        if self.dock is not None:
            self.dock.show()
            self.dock.raise_()

    def current_row(self) -> int | None:
        index = self.list.currentIndex()
        return index.row() if index.isValid() else None

    def reattach_current(self) -> bool:
        """Re-attach the chosen orphan to the window's current claim (True when done)."""
        row, claim_id, store = self.current_row(), self._current_claim(), self._store
        if row is None or claim_id is None or store is None:
            return False
        try:
            command = ReattachOrphanCommand(store, row, claim_id)
        except ValueError as error:
            self.hint.setText(f"Cannot re-attach: {error}.")
            return False
        self._undo_stack.push(command)
        self.hint.setText(f"Re-attached to {claim_label(claim_id)}.")
        self.statusMessage.emit(command.text() + ".", 4000)
        self.reattached.emit(claim_id)
        return True

    def _on_store_changed(self, change: StoreChange) -> None:
        if change.kind is ChangeKind.ORPHANS:
            self._show_orphans()

    def _show_orphans(self) -> None:
        orphans = self._store.orphans if self._store is not None else ()
        row = self.current_row()
        self.model.set_orphans(orphans)
        if orphans:
            self.list.setCurrentIndex(self.model.index(min(row or 0, len(orphans) - 1)))
        if self.dock is not None:
            self.dock.setWindowTitle(
                f"Orphaned notes ({len(orphans)})" if orphans else "Orphaned notes"
            )
        self.update_state()

    def update_state(self) -> None:
        row, claim_id = self.current_row(), self._current_claim()
        orphan = self.model.orphan(row) if row is not None else None
        fits = (
            orphan is not None
            and claim_id is not None
            and claim_id.split(":", 1)[0] == orphan.article_id
        )
        self.reattach_button.setEnabled(fits)
        self.action.setEnabled(fits)
        if not self.model.rowCount():
            self.hint.setText("No orphaned notes: every note has its place.")
        elif orphan is None:
            self.hint.setText("Choose an orphan, then select a claim in its article.")
        elif not fits:
            self.hint.setText(f"Select a claim of article {orphan.article_id.upper()}.")
        else:
            assert claim_id is not None
            self.hint.setText(f"Selected claim: {claim_label(claim_id)}.")
