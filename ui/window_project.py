"""The project shown in the main window: loading and showing a project (store),
applying matches, following the store's changes, the title, the status counts, the
saved state and closing.

A base of :class:`ui.main_window.MainWindow`.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import shiboken6
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import QMessageBox

from factcheck.models import MatchConfig, Project, Verdict
from factcheck.store import ChangeKind, ProjectStore, StoreChange

from .link_index import LinkIndex
from .placement import carry_selection
from .project_io import make_store
from .window_review import ReviewWindow
from .window_selection import SIDES, other_side

if TYPE_CHECKING:
    from factcheck.models import Match
    from factcheck.projectfile import FileStamp

    from .app_settings import AppSettings
    from .file_ops import FileOps
    from .first_paint import FirstPaint
    from .library_panel import LibraryPanel
    from .orphans_panel import OrphansPanel
    from .recovery import RecoveryManager
    from .versions_mode import VersionsMode


class ProjectWindow(ReviewWindow):
    # Built by MainWindow.__init__.
    settings: AppSettings | None
    recovery: RecoveryManager | None
    path: Path | None
    stamp: FileStamp | None
    _forced_modified: bool
    _unsubscribe: Callable[[], None] | None
    files: FileOps
    orphans: OrphansPanel
    versions: VersionsMode
    library_panel: LibraryPanel
    #: Set while the app's window has not painted yet: matching and the library lookup
    #: wait for it (None: they start at once).
    _first_paint: FirstPaint | None

    def load_project(
        self,
        project: Project,
        *,
        path: Path | None = None,
        stamp: FileStamp | None = None,
        modified: bool = False,
    ) -> None:
        """Show ``project`` (replacing the current one, with a fresh undo history).
        ``stamp`` is the stamp of the file at ``path`` as ``project`` was read from it:
        Save then notices a file another program changed since."""
        self.finish_building()
        waiting = self._first_paint is not None and not self._first_paint.painted
        store, needs_matching = make_store(project, match_now=not waiting)
        self.show_loaded(store, needs_matching, path, stamp, modified=modified)

    def show_loaded(
        self,
        store: ProjectStore,
        needs_matching: bool,
        path: Path | None,
        stamp: FileStamp | None,
        *,
        modified: bool = False,
    ) -> None:
        """Show a store just made for a project read from ``path`` (see load_project)."""
        self.path, self.stamp = path, stamp
        self._forced_modified = modified
        self.show_store(store, needs_matching=needs_matching, clear_history=True)
        from .load_warnings import show_load_warnings

        show_load_warnings(self, store.article("a"), store.article("b"))

    def finish_building(self) -> None:
        """Overridden by MainWindow: builds what it left for after the first paint."""

    def _show_articles(self, store: ProjectStore) -> None:
        """The articles, their claims and the ribbons."""
        self._index = LinkIndex(store)
        for side, pane in self.panes.items():
            pane.view.set_verdict_source(store.verdict)
            pane.set_article(store.article(side), store.claims(side))
        self._show_changed()
        self.link_view.set_index(self._index)

    def show_store(
        self,
        store: ProjectStore,
        *,
        needs_matching: bool = False,
        clear_history: bool = False,
        keep_selection: bool = False,
    ) -> None:
        """Show ``store`` in every view. Without ``clear_history`` the undo history stays:
        an undo command that swaps whole projects (updating an article) calls this, with
        ``keep_selection``: the selected claims stay selected where they still are."""
        kept = None
        if keep_selection and self.store is not None:
            kept = carry_selection(self.store, store, self._current, self._selected)
        self.match_controls.cancel()
        self.versions.showing(store)  # the aligned pairs are the matches: no re-matching
        self._enable_match_settings()
        if self._unsubscribe is not None:
            self._unsubscribe()
        self.store = store
        self._unsubscribe = store.subscribe(self._on_store_changed)
        if clear_history:
            self.undo_stack.clear()
        self.orphans.set_store(store)
        self._show_articles(store)
        from .claim_table import ClaimTableModel

        model = ClaimTableModel(store, self)
        assert self._index is not None
        model.set_link_index(self._index)
        self.claim_panel.set_model(model)
        self.match_controls.show_config(store.settings.match)
        self._current, self._chosen = None, None
        self._selected = dict.fromkeys(SIDES)
        first = store.claims("a")[:1] or store.claims("b")[:1]
        if kept is not None and kept[0] is not None:
            self._selected = kept[1]
            side = store.claim(kept[0]).article_id
            self.select_claim(kept[0], follow=self._selected[other_side(side)] is None)
        elif kept is not None or not first:
            self.clear_selection()
        else:
            self.select_claim(first[0].id)
        self._update_title()
        self._update_status()

        def start() -> None:
            if self.store is not store:  # replaced before the window painted
                return
            if needs_matching:
                self.match_controls.start(store.settings.match, initial=True)
            else:
                self.match_controls.find_related()
            self.storeShown.emit()

        if self._first_paint is None:
            start()
        else:
            self._first_paint.later(start)

    def _enable_match_settings(self) -> None:
        """The threshold and scorer, except in a version compare (aligned, not matched)."""
        for widget in (self.match_controls.threshold, self.match_controls.scorer):
            widget.setEnabled(not self.versions.active)

    def apply_matches(
        self, config: MatchConfig, matches: tuple[Match, ...], undoable: bool
    ) -> None:
        assert self.store is not None
        if undoable:
            from .commands import SetMatchConfigCommand  # (after the first paint)

            self.undo_stack.push(SetMatchConfigCommand(self.store, config, matches))
        else:
            self.store.set_matches(config, matches)
        self.matchesApplied.emit()

    def _on_files_project_opened(
        self, project: Project, path: Path | None, modified: bool, stamp: FileStamp | None
    ) -> None:
        self.load_project(project, path=path, stamp=stamp, modified=modified)

    def _on_files_project_updated(self, project: Project, text: str) -> None:
        """One undo step that shows ``project`` (matched as a newly opened one would be)."""
        store, needs_matching = make_store(project)
        from .commands import ReplaceStoreCommand  # (after the first paint)

        command = ReplaceStoreCommand(
            store,
            text,
            needs_matching=needs_matching,
            current=lambda: self.store,
            matching=self.match_controls.is_running,
            show=lambda s, needs: self.show_store(s, needs_matching=needs, keep_selection=True),
        )
        self.undo_stack.push(command)

    def _on_files_saved(self, path: Path, stamp: FileStamp) -> None:
        self.mark_saved(path, stamp)
        if self.recovery is not None:
            self.recovery.clear()

    def is_modified(self) -> bool:
        return self._forced_modified or not self.undo_stack.isClean()

    def mark_saved(self, path: Path, stamp: FileStamp | None = None) -> None:
        self.path, self.stamp = path, stamp
        self._forced_modified = False
        self.undo_stack.setClean()
        self._update_title()

    def project_title(self) -> str:
        if self.path is not None:
            return self.path.name.removesuffix(".factcheck.json").removesuffix(".json")
        assert self.store is not None
        return self.store.project().name or "Untitled comparison"

    def _snapshot(self) -> Project | None:
        return self.store.project() if self.store is not None else None

    def _on_undo_stack_clean_changed(self, _clean: bool) -> None:
        # The stack, a child of the window, clears itself when destroyed: by then the
        # window's C++ half is gone and has no title to update.
        if shiboken6.isValid(self):
            self._update_title()

    def _update_title(self) -> None:
        self.setWindowTitle(f"{self.project_title()}[*] — factcheck")
        self.setWindowModified(self.is_modified())

    def _update_status(self) -> None:
        assert self.store is not None
        counts = self.store.verdict_counts()
        total = sum(counts.values())
        reviewed = total - counts[Verdict.UNREVIEWED]
        changed = len(self.panes["a"].view.changed) + len(self.panes["b"].view.changed)
        self.match_controls.counts.setText(
            f"{reviewed} of {total} claims reviewed · {counts[Verdict.SUPPORTED]} supported · "
            f"{counts[Verdict.CONTESTED]} contested · {counts[Verdict.OPINION]} opinion"
            + (f" · Δ {changed} changed since reviewed" if changed else "")
        )

    def _show_changed(self) -> None:
        """The claims changed since reviewed, marked in the panes."""
        assert self.store is not None
        changed = frozenset(self.store.changed_claims())
        for side, pane in self.panes.items():
            pane.view.set_changed(frozenset(c for c in changed if c.startswith(f"{side}:")))

    def _on_store_changed(self, change: StoreChange) -> None:
        assert self.store is not None
        if change.kind in (ChangeKind.ANNOTATION, ChangeKind.LINK):
            self._show_changed()
            self._update_status()
            if self._current is not None:
                current = self.store.claim(self._current)
                self.inspector.show_changed(self.store.changed_of(current.id), current.text)
        if change.kind is ChangeKind.DETAILS:
            for side in change.ids:
                self.panes[side].show_details(
                    self.store.article(side), len(self.store.claims(side))
                )
        if change.kind is ChangeKind.ANNOTATION:
            for side in {cid.split(":", 1)[0] for cid in change.ids}:
                self.panes[side].view.refresh()
            if self._current in change.ids:
                self.inspector.update_annotation(self.store.annotation(self._current))
                self._update_action_state()
            self._update_status()
        elif change.kind in (ChangeKind.LINK, ChangeKind.MATCHES, ChangeKind.SETTINGS):
            self._index = LinkIndex(self.store)
            self.link_view.set_index(self._index)
            from .claim_table import ClaimTableModel

            model = self.claim_panel.proxy.sourceModel()
            if isinstance(model, ClaimTableModel):
                model.set_link_index(self._index)
            if change.kind is not ChangeKind.LINK:
                self.match_controls.show_config(self.store.settings.match)
            self._choose_partner()
            self._refresh_selection(scroll=False)
        self._update_title()

    # -- closing -------------------------------------------------------------------

    def maybe_save(self, action: str = "closing") -> bool:
        """Ask about unsaved changes; False means the user cancelled."""
        if not self.is_modified():
            return True
        from .mnemonics import question

        answer = question(
            self,
            "Unsaved changes",
            f"“{self.project_title()}” has unsaved changes. Save them before {action}?",
            QMessageBox.StandardButton.Save
            | QMessageBox.StandardButton.Discard
            | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Save,
        )
        if answer == QMessageBox.StandardButton.Save:
            return self.files.save()
        return answer == QMessageBox.StandardButton.Discard

    def closeEvent(self, event: QCloseEvent) -> None:
        self.finish_building()  # closed before it painted: its saved layout stays whole
        if not self.maybe_save():
            event.ignore()
            return
        self.match_controls.cancel()
        self.library_panel.cancel_lookup()  # its child process ends with the window
        if self.settings is not None:
            self.settings.save_window(self)
        if self.recovery is not None:
            self.recovery.stop()
            self.recovery.clear()
        if self._unsubscribe is not None:
            self._unsubscribe()
            self._unsubscribe = None
        event.accept()
