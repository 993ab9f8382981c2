"""The review changes of the main window, each one undo command: verdicts, notes,
evidence, tags, summaries, link decisions and article details.

A base of :class:`ui.main_window.MainWindow`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import QDialog, QDockWidget

from factcheck.models import LinkState, Verdict

from .claim_style import claim_label
from .window_selection import SIDES, SelectionWindow

if TYPE_CHECKING:
    from PySide6.QtGui import QUndoStack

    from .changed_review import ChangedReview


class ReviewWindow(SelectionWindow):
    # Built by MainWindow.__init__.
    undo_stack: QUndoStack
    changed: ChangedReview
    inspector_dock: QDockWidget

    def edit_article_details(self) -> None:
        """Article ▸ Details…: one undo step when the user changed something."""
        if self.store is None:
            return
        articles = {side: self.store.article(side) for side in SIDES}
        from .article_details_dialog import ArticleDetailsDialog

        dialog = ArticleDetailsDialog(articles, self.current_side(), self)
        if dialog.exec() == QDialog.DialogCode.Accepted and dialog.result_article is not None:
            from .commands import SetArticleDetailsCommand  # (after the first paint)

            self.undo_stack.push(SetArticleDetailsCommand(self.store, dialog.result_article))

    def set_verdict(self, verdict: Verdict) -> None:
        if self.store is None or self._current is None:
            return
        if self.store.annotation(self._current).verdict is not verdict:
            from .commands import SetVerdictCommand  # (after the first paint)

            self.undo_stack.push(SetVerdictCommand(self.store, self._current, verdict))
        elif self.store.changed_of(self._current) is not None:
            self.changed.reconfirm()  # the same verdict again, on the new text
        self._update_action_state()

    def focus_note(self) -> None:
        if self._current is None:
            return
        self.inspector_dock.show()
        from PySide6.QtCore import Qt  # (not at the first paint: see MainWindow)

        self.inspector.note.setFocus(Qt.FocusReason.ShortcutFocusReason)

    def _on_inspector_note_edited(self, note: str) -> None:
        if self.store is not None and self._current is not None:
            from .commands import SetNoteCommand  # (after the first paint)

            self.undo_stack.push(SetNoteCommand(self.store, self._current, note))

    def _on_inspector_evidence_edited(self, claim_id: str, urls: list[str]) -> None:
        if self.store is not None and tuple(urls) != self.store.annotation(claim_id).evidence:
            from .commands import SetEvidenceCommand  # (after the first paint)

            self.undo_stack.push(SetEvidenceCommand(self.store, claim_id, urls))

    def _on_inspector_tags_edited(self, claim_id: str, tags: list[str]) -> None:
        if self.store is not None and tuple(tags) != self.store.annotation(claim_id).tags:
            from .commands import SetTagsCommand  # (after the first paint)

            self.undo_stack.push(SetTagsCommand(self.store, claim_id, tags))

    def _on_inspector_summary_edited(self, claim_id: str, text: str) -> None:
        if self.store is not None and text != self.store.annotation(claim_id).summary:
            from .commands import SetSummaryCommand  # (after the first paint)

            self.undo_stack.push(SetSummaryCommand(self.store, claim_id, text))

    def decide_link(self, state: LinkState) -> None:
        pair = self._pair()
        if self.store is None or pair is None:
            return
        link = self.store.link(*pair)
        changed = link is not None and (link.a_changed or link.b_changed) is not None
        if self.store.link_state(*pair) is not state or changed:  # again: on the new text
            from .commands import SetLinkCommand  # (after the first paint)

            self.undo_stack.push(SetLinkCommand(self.store, *pair, state))

    def link_selected(self) -> None:
        a, b = self._selected["a"], self._selected["b"]
        if self.store is None or a is None or b is None:
            return
        if self.store.link_state(a, b) in (LinkState.CONFIRMED, LinkState.MANUAL):
            self.statusBar().showMessage(
                f"{claim_label(a)} and {claim_label(b)} are already linked.", 4000
            )
            return
        from .commands import SetLinkCommand  # (after the first paint)

        self.undo_stack.push(SetLinkCommand(self.store, a, b, LinkState.MANUAL))
        self._chosen = b if self._current == a else a
