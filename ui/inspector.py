"""The inspector dock: the selected claim, its candidate matches, the word diff with
the chosen match, verdict buttons, note, evidence and link buttons.

The candidate list holds the claim's links ("likely the same claim": the ribbons and
the table show those) and, after them, the matcher's *related* candidates below the
threshold, labelled ``[related]`` with their confidence: same story, maybe not the
same claim. Choosing one shows the word diff; linking it makes it a link.

It never changes the store: it emits what the user asked for and the window turns
that into undo commands. Signals: ``matchChosen(str claim_id)``,
``noteEdited(str note)``, ``evidenceEdited(str claim_id, list urls)``,
``tagsEdited(str claim_id, list tags)``, ``summaryEdited(str claim_id, str text)``
(the claim's ClaimReview ``claimReviewed``), ``noteEscaped()`` (Esc in the note,
evidence, tags or summary: back to the pane). Evidence, tags and summary are sent
when their field is left (or another claim is shown), named with the claim they
were typed for.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

from PySide6.QtCore import QEvent, QSize, Qt, Signal
from PySide6.QtGui import QAction, QKeyEvent, QKeySequence
from PySide6.QtWidgets import (
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QTextBrowser,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from factcheck.claim_summary import claim_summary
from factcheck.models import Annotation, ChangedText, Claim
from factcheck.worddiff import WordDiff, word_diff

from .claim_style import LINK_LABELS, VERDICT_STYLES, claim_label
from .diff_html import differences_html, styled_diff_html
from .field_keys import leave_on_escape
from .link_index import Partner

_URL_SPLIT = re.compile(r"[\s,]+")
_TAG_SPLIT = re.compile(r"\s*,\s*")


@dataclass(frozen=True)
class _Candidate:
    """A row of the candidate list: its label, claim, tooltip, and whether it is a
    related candidate (below the threshold: greyed)."""

    label: str
    claim_id: str
    tooltip: str
    related: bool


class NoteEdit(QPlainTextEdit):
    """A note editor whose undo is the window's (one step per note edit), not its own."""

    escaped = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setUndoRedoEnabled(False)
        self.setTabChangesFocus(True)

    def event(self, event: QEvent) -> bool:
        # Let Ctrl+Z / Ctrl+Shift+Z reach the window's undo stack.
        if (
            event.type() == QEvent.Type.ShortcutOverride
            and isinstance(event, QKeyEvent)
            and (
                event.matches(QKeySequence.StandardKey.Undo)
                or event.matches(QKeySequence.StandardKey.Redo)
            )
        ):
            event.ignore()
            return False
        return super().event(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Escape:
            self.escaped.emit()
            return
        super().keyPressEvent(event)


class Inspector(QWidget):
    matchChosen = Signal(str)
    noteEdited = Signal(str)
    evidenceEdited = Signal(str, list)
    tagsEdited = Signal(str, list)
    summaryEdited = Signal(str, str)
    noteEscaped = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._claim: Claim | None = None
        self._updating = False
        self.heading = QLabel("No claim selected", self)
        self.heading.setObjectName("inspectorHeading")
        self.claim_text = QLabel(self)
        self.claim_text.setWordWrap(True)
        self.claim_text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        # "Changed since reviewed": the text as reviewed → the text now, with flags.
        self.changed_caption = QLabel(self)
        self.changed_caption.setObjectName("changedCaption")
        self.changed_caption.setWordWrap(True)
        self.changed_diff = QTextBrowser(self)
        self.changed_diff.setObjectName("changedDiff")
        self.changed_diff.setOpenLinks(False)
        self.changed_diff.setMaximumHeight(120)
        self.verdict_row = QHBoxLayout()
        self.candidates = QListWidget(self)
        self.candidates.setObjectName("candidates")
        self.candidates.setMaximumHeight(90)  # the word diff needs the room on small screens
        self.candidates.setWordWrap(False)
        # Long claims end in "…" (the tooltip has all of it) rather than scroll sideways.
        self.candidates.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.candidates.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.diff = QTextBrowser(self)
        self.diff.setObjectName("diff")
        self.diff.setOpenLinks(False)
        self.diff.setMinimumHeight(80)
        self.link_row = QHBoxLayout()
        self.note = NoteEdit(self)
        self.note.setObjectName("note")
        self.note.setPlaceholderText("Note (N to focus, Esc to return)")
        self.note.setMaximumHeight(80)
        self.evidence = QLineEdit(self)
        self.evidence.setObjectName("evidence")
        self.evidence.setPlaceholderText("Evidence URLs, separated by commas or spaces")
        self.tags = QLineEdit(self)
        self.tags.setObjectName("tags")
        self.tags.setPlaceholderText("Tags, separated by commas")
        self.summary = QLineEdit(self)
        self.summary.setObjectName("summary")
        self.summary.setToolTip(
            "ClaimReview summary (claimReviewed): what the claim says, in a short neutral "
            "sentence; empty: a cut of the sentence"
        )

        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addWidget(self.heading)
        layout.addWidget(self.claim_text)
        layout.addWidget(self.changed_caption)
        layout.addWidget(self.changed_diff)
        layout.addLayout(self.verdict_row)
        layout.addWidget(_caption("Candidate matches (best first)"))
        layout.addWidget(self.candidates)
        layout.addWidget(_caption("Word diff: A → B"))
        layout.addWidget(self.diff, 1)
        layout.addLayout(self.link_row)
        layout.addWidget(_caption("Note"))
        layout.addWidget(self.note)
        # One line each, label beside the field: the inspector must fit small screens.
        fields = QFormLayout()
        fields.setContentsMargins(0, 0, 0, 0)
        fields.addRow(_caption("Evidence"), self.evidence)
        fields.addRow(_caption("Tags"), self.tags)
        fields.addRow(_caption("Summary"), self.summary)
        layout.addLayout(fields)

        self.candidates.currentItemChanged.connect(self._on_candidates_current_changed)
        self.note.textChanged.connect(self._on_note_changed)
        self.note.escaped.connect(self.noteEscaped)
        self.evidence.editingFinished.connect(self._on_evidence_finished)
        self.tags.editingFinished.connect(self._on_tags_finished)
        self.summary.editingFinished.connect(self._on_summary_finished)
        for field in (self.evidence, self.tags, self.summary):
            leave_on_escape(field, self.noteEscaped.emit)
        self.setEnabled(False)
        self.show_changed(None, "")

    def sizeHint(self) -> QSize:
        return QSize(360, 560)

    def attach_actions(self, verdicts: Sequence[QAction], links: Sequence[QAction]) -> None:
        """Buttons for the window's actions (so shortcuts, state and tooltips agree)."""
        for row, actions in ((self.verdict_row, verdicts), (self.link_row, links)):
            for action in actions:
                button = QToolButton(self)
                button.setDefaultAction(action)
                button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
                row.addWidget(button)
            row.addStretch(1)

    # -- showing -------------------------------------------------------------------

    def show_claim(
        self,
        claim: Claim | None,
        annotation: Annotation | None,
        partners: Sequence[tuple[Partner, Claim]],
        chosen: str | None,
        diff: WordDiff | None,
        related: Sequence[tuple[float, Claim]] = (),
    ) -> None:
        if self._claim is not None and (claim is None or claim.id != self._claim.id):
            # Typing not yet sent belongs to the claim it was typed for.
            self._on_evidence_finished()
            self._on_tags_finished()
            self._on_summary_finished()
        self._claim = claim
        self.setEnabled(claim is not None)
        self._updating = True
        try:
            if claim is None or annotation is None:
                self._set_candidates([], None)
                self.heading.setText("No claim selected")
                self.claim_text.clear()
                self.diff.clear()
                self.note.setPlainText("")
                self.evidence.clear()
                self.tags.clear()
                self.summary.clear()
                return
            self.summary.setPlaceholderText(claim_summary(claim.text) or "ClaimReview summary")
            self.heading.setText(f"<b>Claim {claim_label(claim.id)}</b> · {claim.kind.value}")
            self.claim_text.setText(claim.text)
            rows: list[_Candidate] = []
            for partner, other in partners:
                score = "  —" if partner.score is None else f"{partner.score:3.0f}"
                label = f"{score}  {claim_label(other.id)}  "
                if partner.state.value != "suggested":  # before the text, which is elided
                    label += f"[{LINK_LABELS[partner.state]}]  "
                rows.append(_Candidate(label + other.text, other.id, other.text, False))
            for weak, other in related:
                label = f"{weak:3.0f}  {other.article_id.upper()}{other.index + 1}  [related]  "
                tip = f"Related, below the threshold ({weak:.0f}): {other.text}"
                rows.append(_Candidate(label + other.text, other.id, tip, True))
            self._set_candidates(rows, chosen)
            if not partners and not related:
                self.diff.setHtml(
                    "<i>No candidate match above the threshold. Lower the threshold in the "
                    "toolbar, or select a claim in the other pane and link them (Ctrl+L).</i>"
                )
            elif diff is None:
                self.diff.setHtml("<i>No match chosen: nothing to compare.</i>")
            else:
                self.diff.setHtml(
                    f"<p>{styled_diff_html(diff)}</p>{differences_html(diff.differences)}"
                )
            self._show_annotation(annotation)
        finally:
            self._updating = False

    def _set_candidates(self, rows: Sequence[_Candidate], chosen: str | None) -> None:
        """Show ``rows``, the one for ``chosen`` current (none: no current row). The
        list's items are reused: clearing and refilling the list on every click cost
        as much again as the rest of the inspector."""
        candidates = self.candidates
        while candidates.count() > len(rows):
            candidates.takeItem(candidates.count() - 1)
        current = -1
        for n, row in enumerate(rows):
            item = candidates.item(n)
            if item is None:
                item = QListWidgetItem()
                candidates.addItem(item)
            item.setText(row.label)
            item.setData(Qt.ItemDataRole.UserRole, row.claim_id)
            item.setToolTip(row.tooltip)
            # Related candidates are greyed; a reused item loses that look otherwise.
            item.setData(
                Qt.ItemDataRole.ForegroundRole,
                self.palette().placeholderText() if row.related else None,
            )
            if row.claim_id == chosen and current < 0:
                current = n
        candidates.setCurrentRow(current)

    def show_changed(self, changed: ChangedText | None, text: str) -> None:
        """The claim's "changed since reviewed" state: the word diff from the text as
        reviewed (``changed.old_quote``) to the text now, with the fact flags; hidden
        when it has not changed."""
        self.changed_caption.setVisible(changed is not None)
        self.changed_diff.setVisible(changed is not None)
        if changed is None:
            if not self.changed_diff.document().isEmpty():  # a click shows most claims
                self.changed_diff.clear()
            return
        self.changed_caption.setText(
            f"<b>Δ Changed since reviewed</b> ({escape(changed.status.value)} after an "
            "update): reviewed text → text now. V re-confirms it; a new verdict clears it."
        )
        diff = word_diff(changed.old_quote, text)
        self.changed_diff.setHtml(
            f"<p>{styled_diff_html(diff)}</p>{differences_html(diff.differences)}"
        )

    def update_annotation(self, annotation: Annotation) -> None:
        """The store changed this claim's annotation (an edit, undo or redo)."""
        self._updating = True
        try:
            self._show_annotation(annotation)
        finally:
            self._updating = False

    def _show_annotation(self, annotation: Annotation) -> None:
        style = VERDICT_STYLES[annotation.verdict]
        self.heading.setText(
            self.heading.text().split(" — ")[0] + f" — {escape(style.symbol)} {style.label}"
        )
        # Leave the editor alone when it already shows this note: resetting it would
        # move the cursor under the user's fingers while they type.
        if self.note.toPlainText() != annotation.note:
            self.note.setPlainText(annotation.note)
            cursor = self.note.textCursor()
            cursor.movePosition(cursor.MoveOperation.End)
            self.note.setTextCursor(cursor)
        # A field being typed in keeps the typing (it is sent when the field is left).
        for field, values in (
            (self.evidence, annotation.evidence),
            (self.tags, annotation.tags),
        ):
            if field.text() != ", ".join(values) and not field.isModified():
                field.setText(", ".join(values))
        if self.summary.text() != annotation.summary and not self.summary.isModified():
            self.summary.setText(annotation.summary)

    # -- user input ----------------------------------------------------------------

    def _on_candidates_current_changed(
        self, current: QListWidgetItem | None, _previous: QListWidgetItem | None
    ) -> None:
        if not self._updating and current is not None:
            self.matchChosen.emit(current.data(Qt.ItemDataRole.UserRole))

    def _on_note_changed(self) -> None:
        if not self._updating and self._claim is not None:
            self.noteEdited.emit(self.note.toPlainText())

    def _on_evidence_finished(self) -> None:
        if not self._updating and self._claim is not None and self.evidence.isModified():
            self.evidence.setModified(False)
            urls = [u for u in _URL_SPLIT.split(self.evidence.text()) if u]
            self.evidenceEdited.emit(self._claim.id, urls)

    def _on_tags_finished(self) -> None:
        if not self._updating and self._claim is not None and self.tags.isModified():
            self.tags.setModified(False)
            tags = [t for t in _TAG_SPLIT.split(self.tags.text().strip()) if t]
            self.tagsEdited.emit(self._claim.id, tags)

    def _on_summary_finished(self) -> None:
        if not self._updating and self._claim is not None and self.summary.isModified():
            self.summary.setModified(False)
            self.summaryEdited.emit(self._claim.id, " ".join(self.summary.text().split()))


def _caption(text: str) -> QLabel:
    # Set apart by size and weight, in the text colour: a grey caption read at 1.7:1.
    label = QLabel(text)
    label.setObjectName("caption")
    label.setStyleSheet("font-size: 90%; font-weight: 600;")
    return label
