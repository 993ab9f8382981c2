"""The claim library in the app: "Checked before" lookups and adding claims.

:class:`LibraryPanel` is the "Checked before" dock: after each matching (a project
opened, re-matched) it looks every claim up in the claim library off the GUI thread;
the claims found get a mark in the panes and the claims table (``checkedChanged``).
The lookup runs in a child process (:mod:`factcheck.library.checks_process`): in a
thread of the app it shared the GIL with the GUI thread, and clicks waited. A lookup
of the same claims still running is not started again (its answer is as fresh);
another one cancels it.

For the current claim it lists the prior checks, best first (score, verdict, date,
reviewer, note, source), and "Apply verdict and note" puts the chosen one's on the
claim (one undo step). "Add claim to library" and "Add all reviewed claims" are undo
commands too (undo takes the entries out again).

The library is the one the CLI uses: ``$FACTCHECK_LIBRARY`` or the user data folder's.

Signals: ``checkedChanged(dict claim_id → number of prior checks)``;
``statusMessage(str text, int timeout_ms)``.
"""

from __future__ import annotations

import getpass
import threading
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import (
    QAbstractItemView,
    QLabel,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from factcheck.matching.encoder import encoder_available
from factcheck.store import ProjectStore
from factcheck.textutil import excerpt

from .claim_style import claim_label
from .commands import AddToLibraryCommand, ApplyPriorCheckCommand
from .tasks import FunctionTask

if TYPE_CHECKING:
    # The library (and, through its lookup, numpy and the matcher) is imported by the
    # lookup's worker thread or when a claim is added: not before the window shows.
    from factcheck.library import ClaimLibrary, LibraryEntry, PriorCheck
    from factcheck.models import Claim, Project

COLUMNS = ("Score", "Verdict", "Date", "Reviewer", "Note", "Source")
#: Entries without an embedding that a lookup embeds first (~10 s in the background).
INDEX_PER_LOOKUP = 5_000
Checks = dict[str, tuple["PriorCheck", ...]]


def _open_library() -> ClaimLibrary:
    from factcheck.library import open_library

    return open_library()


def _library_exists() -> bool:
    from factcheck.library import library_exists

    return library_exists()


def _user() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return ""


class LibraryPanel(QWidget):
    checkedChanged = Signal(object)
    statusMessage = Signal(str, int)
    #: A background lookup ended (found or failed): for tests and the status bar.
    lookupDone = Signal()

    def __init__(
        self,
        store: Callable[[], ProjectStore | None],
        undo_stack: QUndoStack,
        parent: QWidget | None = None,
        *,
        library: Callable[[], ClaimLibrary] = _open_library,
        exists: Callable[[], bool] = _library_exists,
    ) -> None:
        super().__init__(parent)
        self._store = store
        self._undo_stack = undo_stack
        self._library = library
        self._exists = exists
        self._checks: Checks = {}
        self._claim_id: str | None = None
        #: What the lookup started last was asked (see look_up), and its cancel.
        self._request: tuple[object, ...] | None = None
        self._cancel = threading.Event()
        self._task = FunctionTask(self)
        self._task.finished.connect(self._on_task_finished)
        self._task.failed.connect(self._on_task_failed)
        self.status = QLabel("Not looked up yet", self)
        self.status.setWordWrap(True)
        self.list = QTreeWidget(self)
        self.list.setObjectName("priorChecks")
        self.list.setHeaderLabels(COLUMNS)
        self.list.setRootIsDecorated(False)
        self.list.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.apply_button = QPushButton("Apply verdict and note", self)
        self.apply_button.setEnabled(False)
        self.apply_button.clicked.connect(self.apply_chosen)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.status)
        layout.addWidget(self.list)
        layout.addWidget(self.apply_button)

    # -- lookup ------------------------------------------------------------------

    def look_up(self) -> None:
        """Look every claim of the project up, in the background (a running lookup of
        other claims is cancelled; one of the same claims goes on)."""
        store = self._store()
        if store is None:
            return
        claims = store.all_claims()
        project = store.project()
        texts = tuple(c.text for c in claims)
        sides = tuple(c.article_id for c in claims)
        # What the answer depends on: the claims, and their articles' source (own entries).
        request = (texts, sides, tuple((a.title, a.metadata) for a in project.articles))
        if self._task.is_running() and request == self._request:
            return
        self.cancel_lookup()
        self._request = request
        self._cancel = cancel = threading.Event()
        ids = [c.id for c in claims]
        exists = self._exists

        def work() -> tuple[Checks, str] | None:
            if not exists():
                return None
            from factcheck.library import default_library_url
            from factcheck.library.checks_process import ChecksRequest, look_up_in_child

            # Here, not in the GUI thread: the library's modules import numpy and the matcher.
            sources = _sources(project, claims)
            request = ChecksRequest(
                default_library_url(),
                texts,
                tuple(sources[side] for side in sides),
                INDEX_PER_LOOKUP if encoder_available() else 0,
            )
            found = look_up_in_child(request, cancel)
            return {ids[n]: checks for n, checks in found.checks.items()}, found.note

        self._checks = {}
        self.status.setText("Looking claims up in the library…")
        self.checkedChanged.emit({})
        self._task.start(work)

    def is_looking_up(self) -> bool:
        """True from :meth:`look_up` until its answer (``lookupDone``)."""
        return self._task.is_running()

    def cancel_lookup(self) -> None:
        """Stop the lookup running, if any (its child process ends; no answer follows)."""
        self._cancel.set()
        self._task.abandon()

    def _on_task_finished(self, result: tuple[Checks, str] | None) -> None:
        if result is None:
            self._checks = {}
            self.status.setText("No claim library yet: add claims to it with Library ▸ Add (B).")
            self.checkedChanged.emit({})
            self._fill()
            self.lookupDone.emit()
            return
        checks, note = result
        self._checks = checks
        self.status.setText(
            f"{len(checks)} claim{'s' if len(checks) != 1 else ''} of this project "
            "checked before (marked ◆ in the table)" + (f"; {note}" if note else "")
        )
        self.checkedChanged.emit({cid: len(found) for cid, found in checks.items()})
        self._fill()
        self.lookupDone.emit()

    def _on_task_failed(self, error: object) -> None:
        self.status.setText(f"Claim library not available: {error}")
        self.lookupDone.emit()

    # -- the current claim -------------------------------------------------------

    def checks_of(self, claim_id: str) -> tuple[PriorCheck, ...]:
        return self._checks.get(claim_id, ())

    def show_claim(self, claim_id: str) -> None:
        self._claim_id = claim_id or None
        self._fill()

    def _fill(self) -> None:
        self.list.clear()
        checks = self.checks_of(self._claim_id) if self._claim_id else ()
        first: QTreeWidgetItem | None = None
        for check in checks:
            e = check.entry
            source = " — ".join(x for x in (e.source_title, e.source_outlet) if x)
            cells = (
                f"{check.score:.0f}",
                e.verdict_label,
                e.review_date,
                e.reviewer,
                excerpt(e.note, 80),
                source or e.source_url,
            )
            item = QTreeWidgetItem(list(cells))
            item.setToolTip(0, e.text)
            item.setToolTip(4, e.note)
            item.setToolTip(5, " ".join(x for x in (source, e.source_url, e.source_date) if x))
            item.setTextAlignment(0, Qt.AlignmentFlag.AlignRight)
            self.list.addTopLevelItem(item)
            first = first or item
        if first is not None:
            self.list.setCurrentItem(first)
        self.apply_button.setEnabled(bool(checks))

    def apply_chosen(self) -> None:
        """The chosen prior check's verdict and note onto the current claim (one undo step)."""
        store, claim_id = self._store(), self._claim_id
        checks = self.checks_of(claim_id) if claim_id else ()
        if store is None or claim_id is None or not checks:
            self.statusMessage.emit("The current claim has no prior check to apply.", 4000)
            return
        current = self.list.currentItem()
        row = max(0, self.list.indexOfTopLevelItem(current)) if current is not None else 0
        entry = checks[min(row, len(checks) - 1)].entry
        command = ApplyPriorCheckCommand(store, claim_id, entry.verdict, _note_of(entry))
        self._undo_stack.push(command)
        self.statusMessage.emit(command.text() + ".", 4000)

    # -- adding ------------------------------------------------------------------

    def add_current(self) -> None:
        store, claim_id = self._store(), self._claim_id
        if store is None or claim_id is None:
            return
        from factcheck.library.projects import entry_for_claim

        claim = store.claim(claim_id)
        entry = entry_for_claim(
            store.project(), claim, store.annotation(claim_id), added_by=_user()
        )
        self._add([entry], f"{claim_label(claim_id)} added to the claim library")

    def add_reviewed(self) -> None:
        store = self._store()
        if store is None:
            return
        from factcheck.library.projects import reviewed_entries

        entries = reviewed_entries(store.project(), added_by=_user())
        if not entries:
            self.statusMessage.emit("No reviewed claims to add: give claims a verdict first.", 4000)
            return
        self._add(entries, f"{len(entries)} reviewed claims added to the claim library")

    def _add(self, entries: list[LibraryEntry], done: str) -> None:
        from factcheck.errors import FactcheckError

        command = AddToLibraryCommand(self._library, entries)
        try:
            result = command.run()
        except FactcheckError as exc:
            self.statusMessage.emit(f"Not added: {exc}", 8000)
            return
        self._undo_stack.push(command)
        self.statusMessage.emit(f"{done} ({result.added} new, {result.updated} updated).", 4000)


def _sources(project: Project, claims: Sequence[Claim]) -> dict[str, str]:
    """Each article's source identity, as the key of its claims' own entries has it."""
    from factcheck.library.entry import source_identity
    from factcheck.library.projects import entry_for_claim

    first = {c.article_id: c for c in reversed(claims)}
    return {side: source_identity(entry_for_claim(project, c, None)) for side, c in first.items()}


def _note_of(entry: LibraryEntry) -> str:
    """What a prior check says, as a note: its own note, else its rating and who gave it."""
    if entry.note:
        return entry.note
    said = " ".join(x for x in (entry.rating, f"({entry.reviewer})" if entry.reviewer else "") if x)
    return f"Checked before: {said}" if said else ""
