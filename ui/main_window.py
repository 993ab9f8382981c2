"""The main window: two article panes with ribbons between them, the claims table and
the inspector in docks, a matching toolbar and the review status.

The window talks to the core only through the :class:`ProjectStore` and pure
functions. Every change the user makes is one undo command on ``undo_stack``; the
window listens to the store and refreshes the views from it, so undo and redo need
no special handling. File commands live in :mod:`ui.file_ops`.

Signals: ``matchesApplied()`` after new matches reach the store (initial matching or
a settings change); ``storeShown()`` after a project (store) is shown;
``selectionChanged(str claim_id)`` (empty when nothing is selected).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, cast

import shiboken6
from PySide6.QtCore import QSize, Qt, QTimer, Signal
from PySide6.QtGui import QCloseEvent, QUndoStack
from PySide6.QtWidgets import (
    QDialog,
    QDockWidget,
    QFrame,
    QMainWindow,
    QMenu,
    QMessageBox,
    QScrollArea,
    QSplitter,
    QWidget,
)

from factcheck.models import LinkState, MatchConfig, Project, Verdict
from factcheck.store import ChangeKind, ProjectStore, StoreChange
from factcheck.worddiff import word_diff

from .actions import VERDICT_ACTIONS, build_actions
from .article_details_dialog import ArticleDetailsDialog
from .article_pane import ArticlePane
from .article_view import ArticleView
from .changed_review import ChangedReview
from .claim_panel import ClaimPanel
from .claim_style import claim_label
from .claim_table import ClaimTableModel
from .commands import (
    ReplaceStoreCommand,
    SetArticleDetailsCommand,
    SetEvidenceCommand,
    SetLinkCommand,
    SetMatchConfigCommand,
    SetNoteCommand,
    SetSummaryCommand,
    SetTagsCommand,
    SetVerdictCommand,
)
from .file_ops import FileOps
from .help_dialog import ShortcutsDialog, show_about
from .inspector import Inspector
from .library_panel import LibraryPanel
from .link_index import LinkIndex
from .link_view import LinkView, ScrollSync
from .load_warnings import show_load_warnings
from .match_controls import MatchControls
from .mnemonics import question
from .orphans_panel import OrphansPanel
from .placement import carry_selection
from .project_io import make_store
from .versions_mode import VersionsMode
from .window_size import SMALL_SCREEN, available, fit_to_screen, keep_on_screen
from .zoom import PaneZoom

if TYPE_CHECKING:
    from factcheck.models import Match

    from .app_settings import AppSettings
    from .recovery import RecoveryManager

SIDES = ("a", "b")


class _ColumnScroll(QScrollArea):
    """Scrolls its widget up and down only: as wide as the widget needs, any height."""

    def __init__(self, widget: QWidget, name: str) -> None:
        super().__init__()
        self._inner = widget
        self.setObjectName(name)
        self.setWidget(widget)
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)

    def _width(self, size: QSize) -> int:
        return size.width() + self.verticalScrollBar().sizeHint().width()

    def minimumSizeHint(self) -> QSize:
        return QSize(self._width(self._inner.minimumSizeHint()), 120)

    def sizeHint(self) -> QSize:
        return QSize(self._width(self._inner.sizeHint()), self._inner.sizeHint().height())


def other_side(side: str) -> str:
    return "b" if side == "a" else "a"


class MainWindow(QMainWindow):
    matchesApplied = Signal()
    storeShown = Signal()
    selectionChanged = Signal(str)

    def __init__(
        self,
        project: Project,
        *,
        path: Path | None = None,
        settings: AppSettings | None = None,
        recovery: RecoveryManager | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.settings = settings  # ui.app_settings.AppSettings, when available
        self.recovery = recovery  # ui.recovery.RecoveryManager, when available
        self.undo_stack = QUndoStack(self)
        self.path: Path | None = None
        self._forced_modified = False
        self._unsubscribe: Callable[[], None] | None = None
        self._current: str | None = None
        self._selected: dict[str, str | None] = dict.fromkeys(SIDES)
        self._chosen: str | None = None

        self.panes = {side: ArticlePane(side, self) for side in SIDES}
        self.link_view = LinkView(self.panes["a"].view, self.panes["b"].view, self)
        splitter = QSplitter(Qt.Orientation.Horizontal, self)
        splitter.setObjectName("paneSplitter")
        splitter.addWidget(self.panes["a"])
        splitter.addWidget(self.link_view)
        splitter.addWidget(self.panes["b"])
        splitter.setCollapsible(1, False)
        splitter.setStretchFactor(0, 1)
        splitter.setStretchFactor(2, 1)
        splitter.setChildrenCollapsible(False)
        self.setCentralWidget(splitter)

        self.claim_panel = ClaimPanel(self)
        self.claims_dock = self._dock("Claims", "claimsDock", self.claim_panel)
        self.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, self.claims_dock)
        self.inspector = Inspector(self)
        # Scrolled, so that its many fields never make the window taller than a screen.
        self.inspector_dock = self._dock(
            "Inspector", "inspectorDock", _ColumnScroll(self.inspector, "inspectorScroll")
        )
        self.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, self.inspector_dock)

        self.actions_by_name = build_actions(
            self, {"show_claims": self.claims_dock, "show_inspector": self.inspector_dock}
        )
        self.match_controls = MatchControls(
            self, self.statusBar(), lambda: self.store, self.settings
        )
        self.addToolBar(self.match_controls.toolbar)
        self.files = FileOps(
            self,
            store=lambda: self.store,
            path=lambda: self.path,
            title=self.project_title,
            maybe_save=self.maybe_save,
            undo_stack=self.undo_stack,
            status=self.statusBar().showMessage,
            settings=self.settings,
        )
        a = self.actions_by_name
        self.orphans = OrphansPanel(a["reattach"], lambda: self._current, self.undo_stack, self)
        # Tabbed with the claims table, with a toggle in the View menu.
        orphans_dock = self.orphans.in_dock(self)
        self.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, orphans_dock)
        self.tabifyDockWidget(self.claims_dock, orphans_dock)
        view = next(m for m in self.menuBar().actions() if m.text().replace("&", "") == "View")
        cast(QMenu, view.menu()).addAction(orphans_dock.toggleViewAction())
        self.sync = ScrollSync(
            self.panes["a"].view, self.panes["b"].view, lambda: self._index, self
        )
        self._index: LinkIndex | None = None
        self.store: ProjectStore | None = None
        self.versions = VersionsMode(splitter, self.link_view, self.views(), self)
        self.changed = ChangedReview(
            lambda: self.store, lambda: self._current, self.undo_stack, self
        )
        self.zoom = PaneZoom(self.views(), self)
        self._connect()
        fit_to_screen(self)
        if available(self).height() < SMALL_SCREEN:  # the right-hand docks as tabs
            library = self.findChild(QDockWidget, "libraryDock")
            if library is not None:
                self.tabifyDockWidget(self.inspector_dock, library)
                self.inspector_dock.raise_()
        restored = False
        if self.settings is not None:
            restored = self.settings.restore_window(self)
            keep_on_screen(self)
            self.zoom.set_steps(self.settings.zoom())
            self.zoom.zoomed.connect(self.settings.set_zoom)
        if not restored:  # room for several rows of the claims table, once laid out
            QTimer.singleShot(0, self, self._size_claims_dock)
        self.load_project(project, path=path)
        if self.recovery is not None:
            self.recovery.start(self._snapshot, self.is_modified, lambda: self.path)

    def _size_claims_dock(self) -> None:
        rows = max(180, self.height() * 3 // 10)
        self.resizeDocks([self.claims_dock], [rows], Qt.Orientation.Vertical)

    def _dock(self, title: str, name: str, widget: QWidget) -> QDockWidget:
        dock = QDockWidget(title, self)
        dock.setObjectName(name)
        dock.setWidget(widget)
        return dock

    def _connect(self) -> None:
        a = self.actions_by_name
        a["undo"].triggered.connect(self.undo_stack.undo)
        a["redo"].triggered.connect(self.undo_stack.redo)
        self.undo_stack.canUndoChanged.connect(a["undo"].setEnabled)
        self.undo_stack.canRedoChanged.connect(a["redo"].setEnabled)
        self.undo_stack.undoTextChanged.connect(lambda t: a["undo"].setText(f"&Undo {t}"))
        self.undo_stack.redoTextChanged.connect(lambda t: a["redo"].setText(f"&Redo {t}"))
        self.undo_stack.cleanChanged.connect(self._on_undo_stack_clean_changed)
        a["find"].triggered.connect(self._on_find)
        a["next"].triggered.connect(lambda: self.step_claim(1))
        a["previous"].triggered.connect(lambda: self.step_claim(-1))
        a["next_keep"].triggered.connect(lambda: self.step_claim(1, follow=False))
        a["previous_keep"].triggered.connect(lambda: self.step_claim(-1, follow=False))
        a["next_unreviewed"].triggered.connect(lambda: self.next_unreviewed(1))
        a["previous_unreviewed"].triggered.connect(lambda: self.next_unreviewed(-1))
        a["switch_pane"].triggered.connect(self.switch_pane)
        a["pane_a"].triggered.connect(lambda: self.go_to_pane("a"))
        a["pane_b"].triggered.connect(lambda: self.go_to_pane("b"))
        for name, verdict in VERDICT_ACTIONS.items():
            a[name].triggered.connect(lambda _c=False, v=verdict: self.set_verdict(v))
        a["note"].triggered.connect(self.focus_note)
        a["confirm"].triggered.connect(lambda: self.decide_link(LinkState.CONFIRMED))
        a["reject"].triggered.connect(lambda: self.decide_link(LinkState.REJECTED))
        a["link"].triggered.connect(self.link_selected)
        a["next_match"].triggered.connect(self.next_match)
        a["sync"].toggled.connect(self._on_sync_toggled)
        a["compare_versions"].triggered.connect(self._on_compare_versions)
        a["next_change"].triggered.connect(lambda: self.versions.step(1))
        a["previous_change"].triggered.connect(lambda: self.versions.step(-1))
        self.versions.storeReady.connect(self._on_versions_store_ready)
        self.versions.claimRequested.connect(self._on_versions_claim_requested)
        self.versions.failed.connect(lambda t, m: QMessageBox.critical(self, t, m))
        self.selectionChanged.connect(self.versions.follow)
        self.versions.described.connect(self.inspector.diff.setHtml)
        self.versions.message.connect(lambda text: self.statusBar().showMessage(text))
        a["next_changed"].triggered.connect(lambda: self.changed.step(1))
        a["previous_changed"].triggered.connect(lambda: self.changed.step(-1))
        a["reconfirm"].triggered.connect(self.changed.reconfirm)
        a["article_details"].triggered.connect(self.edit_article_details)
        self.changed.claimRequested.connect(self._on_versions_claim_requested)
        self.changed.message.connect(lambda text: self.statusBar().showMessage(text, 5000))
        a["zoom_in"].triggered.connect(lambda: self.zoom.zoom(1))
        a["zoom_out"].triggered.connect(lambda: self.zoom.zoom(-1))
        a["zoom_reset"].triggered.connect(lambda: self.zoom.set_steps(0))
        a["shortcuts"].triggered.connect(lambda: ShortcutsDialog(self).exec())
        a["about"].triggered.connect(lambda: show_about(self))
        self.inspector.attach_actions(
            [a[n] for n in VERDICT_ACTIONS], [a["confirm"], a["reject"], a["link"]]
        )
        self.inspector.noteEdited.connect(self._on_inspector_note_edited)
        self.inspector.evidenceEdited.connect(self._on_inspector_evidence_edited)
        self.inspector.tagsEdited.connect(self._on_inspector_tags_edited)
        self.inspector.summaryEdited.connect(self._on_inspector_summary_edited)
        self.inspector.matchChosen.connect(self._on_inspector_match_chosen)
        self.inspector.noteEscaped.connect(self.focus_current_pane)
        self.claim_panel.escaped.connect(self.focus_current_pane)
        self.claim_panel.claimActivated.connect(lambda cid: self.select_claim(cid))
        for side, pane in self.panes.items():
            pane.view.claimClicked.connect(self._on_view_claim_clicked)
            pane.view.fileDropped.connect(
                lambda path, s=side: self.files.replace_article(s, Path(path))
            )
        self._connect_helpers()
        self._connect_library()

    def _connect_library(self) -> None:
        """The claim library: the "Checked before" dock under the inspector, its menu."""
        a, panel = self.actions_by_name, LibraryPanel(lambda: self.store, self.undo_stack, self)
        self.library_panel = panel
        dock = self._dock("Checked before", "libraryDock", panel)
        self.splitDockWidget(self.inspector_dock, dock, Qt.Orientation.Vertical)
        a["library_add"].triggered.connect(panel.add_current)
        a["library_add_all"].triggered.connect(panel.add_reviewed)
        a["library_apply"].triggered.connect(panel.apply_chosen)
        self.storeShown.connect(panel.look_up)
        self.matchesApplied.connect(panel.look_up)
        self.selectionChanged.connect(panel.show_claim)
        panel.statusMessage.connect(self.statusBar().showMessage)
        panel.checkedChanged.connect(self._on_library_checked_changed)

    def _on_library_checked_changed(self, counts: dict[str, int]) -> None:
        for pane in self.panes.values():
            pane.view.set_marked(frozenset(counts))
        model = self.claim_panel.proxy.sourceModel()
        if isinstance(model, ClaimTableModel):
            model.set_checked(counts)

    def _connect_helpers(self) -> None:
        a, files, orphans = self.actions_by_name, self.files, self.orphans
        a["new"].triggered.connect(files.new_comparison)
        a["open"].triggered.connect(files.open_dialog)
        a["open_url"].triggered.connect(files.open_url)
        a["save"].triggered.connect(files.save)
        a["save_as"].triggered.connect(files.save_as)
        a["export"].triggered.connect(files.export)
        a["quit"].triggered.connect(self.close)
        for side in SIDES:
            a[f"update_{side}"].triggered.connect(lambda _c=False, s=side: files.update_article(s))
        recent = cast(QMenu, a["recent"].menu())
        recent.aboutToShow.connect(lambda: files.fill_recent_menu(recent))
        files.projectOpened.connect(self._on_files_project_opened)
        files.projectUpdated.connect(self._on_files_project_updated)
        files.orphansAdded.connect(orphans.show_dock)
        files.articleUpdated.connect(lambda t, s: self.changed.offer_walk(self, t, s))
        files.saved.connect(self._on_files_saved)
        self.match_controls.matchesReady.connect(self.apply_matches)
        self.match_controls.relatedChanged.connect(lambda: self._refresh_selection(scroll=False))
        a["reattach"].triggered.connect(orphans.reattach_current)
        orphans.statusMessage.connect(self.statusBar().showMessage)
        self.selectionChanged.connect(lambda _cid: orphans.update_state())

    # -- the project -------------------------------------------------------------

    def load_project(
        self, project: Project, *, path: Path | None = None, modified: bool = False
    ) -> None:
        """Show ``project`` (replacing the current one, with a fresh undo history)."""
        store, needs_matching = make_store(project)
        self.path = path
        self._forced_modified = modified
        self.show_store(store, needs_matching=needs_matching, clear_history=True)
        show_load_warnings(self, project.article_a, project.article_b)

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
        for widget in (self.match_controls.threshold, self.match_controls.scorer):
            widget.setEnabled(not self.versions.active)
        if self._unsubscribe is not None:
            self._unsubscribe()
        self.store = store
        self._unsubscribe = store.subscribe(self._on_store_changed)
        if clear_history:
            self.undo_stack.clear()
        self.orphans.set_store(store)
        self._index = LinkIndex(store)
        for side, pane in self.panes.items():
            pane.view.set_verdict_source(lambda cid: store.annotation(cid).verdict)
            pane.set_article(store.article(side), store.claims(side))
        self._show_changed()
        self.link_view.set_index(self._index)
        model = ClaimTableModel(store, self)
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
        if needs_matching:
            self.match_controls.start(store.settings.match, initial=True)
        else:
            self.match_controls.find_related()
        self.storeShown.emit()

    def apply_matches(
        self, config: MatchConfig, matches: tuple[Match, ...], undoable: bool
    ) -> None:
        assert self.store is not None
        if undoable:
            self.undo_stack.push(SetMatchConfigCommand(self.store, config, matches))
        else:
            self.store.set_matches(config, matches)
        self.matchesApplied.emit()

    def _on_files_project_opened(self, project: Project, path: Path | None, modified: bool) -> None:
        self.load_project(project, path=path, modified=modified)

    def _on_files_project_updated(self, project: Project, text: str) -> None:
        """One undo step that shows ``project`` (matched as a newly opened one would be)."""
        store, needs_matching = make_store(project)
        command = ReplaceStoreCommand(
            store,
            text,
            needs_matching=needs_matching,
            current=lambda: self.store,
            matching=self.match_controls.is_running,
            show=lambda s, needs: self.show_store(s, needs_matching=needs, keep_selection=True),
        )
        self.undo_stack.push(command)

    def _on_files_saved(self, path: Path) -> None:
        self.mark_saved(path)
        if self.recovery is not None:
            self.recovery.clear()

    def is_modified(self) -> bool:
        return self._forced_modified or not self.undo_stack.isClean()

    def mark_saved(self, path: Path) -> None:
        self.path = path
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

    # -- selection and navigation -----------------------------------------------

    @property
    def current_claim(self) -> str | None:
        return self._current

    @property
    def chosen_match(self) -> str | None:
        return self._chosen

    def selected_in(self, side: str) -> str | None:
        return self._selected[side]

    def select_claim(self, claim_id: str, *, follow: bool = True) -> None:
        """Make ``claim_id`` current. With ``follow``, the other pane's selection moves to
        its best match (if it has one); either way the other pane shows the match."""
        assert self.store is not None and self._index is not None
        side = self.store.claim(claim_id).article_id
        self._current = claim_id
        self._selected[side] = claim_id
        best = self._index.best(claim_id)
        if follow and best is not None:
            self._selected[other_side(side)] = best.claim_id
        self._choose_partner()
        self._refresh_selection(scroll=True)
        self.selectionChanged.emit(claim_id)

    def clear_selection(self) -> None:
        """Select nothing (``selectionChanged`` gives an empty id)."""
        self._current, self._chosen = None, None
        self._selected = dict.fromkeys(SIDES)
        self._refresh_selection(scroll=False)
        self.selectionChanged.emit("")

    def _choose_partner(self) -> None:
        assert self._index is not None
        if self._current is None:
            self._chosen = None
            return
        partners = [p.claim_id for p in self._index.partners(self._current)]
        if self.store is not None:  # a related candidate can be chosen too
            config = self.store.settings.match
            partners += [c for _, c in self.match_controls.related_of(self._current, config)]
        side = self.store.claim(self._current).article_id if self.store else "a"
        other = self._selected[other_side(side)]
        best = self._index.best(self._current)
        self._chosen = other if other in partners else (best.claim_id if best else None)

    def _refresh_selection(self, *, scroll: bool) -> None:
        store, index, current = self.store, self._index, self._current
        if store is None or index is None:
            return
        if current is None:
            for view in self.views():
                view.set_selection(None, frozenset(), active=False)
            self.link_view.set_selection(None, None, None)
            self.claim_panel.select_claim(None)
            self.inspector.show_claim(None, None, [], None, None)
            self._update_action_state()
            return
        side = store.claim(current).article_id
        other = other_side(side)
        related = frozenset(p.claim_id for p in index.partners(current, include_rejected=False))
        self.panes[side].view.set_selection(current, frozenset(), active=True)
        self.panes[other].view.set_selection(self._selected[other], related, active=False)
        if scroll:
            self.panes[side].view.scroll_to_claim(current)
            target = self._chosen or self._selected[other]
            if target is not None:
                self.panes[other].view.scroll_to_claim(target)
        pair = self._pair()
        self.link_view.set_selection(current, *(pair or (None, None)))
        self.claim_panel.select_claim(current)
        partners = [(p, store.claim(p.claim_id)) for p in index.partners(current)]
        linked = {p.claim_id for p, _ in partners}
        weaker = [
            (score, store.claim(cid))
            for score, cid in self.match_controls.related_of(current, store.settings.match)
            if cid not in linked
        ]
        diff = None
        if pair is not None:
            diff = word_diff(store.claim(pair[0]).text, store.claim(pair[1]).text)
        self.inspector.show_claim(
            store.claim(current), store.annotation(current), partners, self._chosen, diff, weaker
        )
        self.inspector.show_changed(store.changed_of(current), store.claim(current).text)
        self._update_action_state()

    def _pair(self) -> tuple[str, str] | None:
        """The (A claim, B claim) pair in focus: the current claim and its chosen match."""
        if self._current is None or self._chosen is None:
            return None
        if self._current.startswith("a:"):
            return (self._current, self._chosen)
        return (self._chosen, self._current)

    def _update_action_state(self) -> None:
        a = self.actions_by_name
        has_claim = self._current is not None and self.store is not None
        for name, verdict in VERDICT_ACTIONS.items():
            a[name].setEnabled(has_claim)
            if has_claim:
                assert self.store is not None and self._current is not None
                a[name].setChecked(self.store.annotation(self._current).verdict is verdict)
        pair = self._pair()
        state = self._index.state(*pair) if pair and self._index else None
        a["confirm"].setEnabled(pair is not None and state is not LinkState.CONFIRMED)
        a["reject"].setEnabled(pair is not None and state is not LinkState.REJECTED)
        a["link"].setEnabled(all(self._selected.values()))
        a["note"].setEnabled(has_claim)

    def current_side(self) -> str:
        if self._current is not None:
            return self._current.split(":", 1)[0]
        return "a"

    def step_claim(self, step: int, *, follow: bool = True) -> None:
        """Select the next (``step=1``) or previous claim of the current pane."""
        assert self.store is not None
        claims = self.store.claims(self.current_side())
        if not claims:
            return
        if self._current is None:
            target = 0
        else:
            i = self.store.claim(self._current).index
            target = max(0, min(len(claims) - 1, i + step))
        self.select_claim(claims[target].id, follow=follow)

    def next_unreviewed(self, step: int = 1) -> None:
        """The next claim without a verdict, in this pane and then the other one."""
        assert self.store is not None
        side = self.current_side()
        order = list(self.store.claims(side)) + list(self.store.claims(other_side(side)))
        if step < 0:
            order.reverse()
        start = next((i for i, c in enumerate(order) if c.id == self._current), -1)
        for claim in order[start + 1 :] + order[: start + 1]:
            if claim.id != self._current and (
                self.store.annotation(claim.id).verdict is Verdict.UNREVIEWED
            ):
                self.select_claim(claim.id)
                self.focus_pane(claim.article_id)
                return
        self.statusBar().showMessage("Every claim has a verdict.", 4000)

    def switch_pane(self) -> None:
        self.go_to_pane(other_side(self.current_side()))

    def go_to_pane(self, side: str) -> None:
        assert self.store is not None
        if self._current is not None and self.current_side() == side:
            self.focus_pane(side)
            return
        target = self._selected[side] or self._chosen
        if target is None or not target.startswith(f"{side}:"):
            visible = self.panes[side].view.visible_claims()
            claims = self.store.claims(side)
            target = visible[0].claim_id if visible else (claims[0].id if claims else None)
        if target is not None:
            self.select_claim(target, follow=False)
        self.focus_pane(side)

    def focus_pane(self, side: str) -> None:
        self.panes[side].view.setFocus(Qt.FocusReason.ShortcutFocusReason)

    def focus_current_pane(self) -> None:
        self.focus_pane(self.current_side())

    def next_match(self) -> None:
        """Compare the current claim with its next candidate match."""
        if self._current is None or self._index is None:
            return
        partners = [p.claim_id for p in self._index.partners(self._current)]
        if not partners:
            return
        i = partners.index(self._chosen) if self._chosen in partners else -1
        self._selected[other_side(self.current_side())] = partners[(i + 1) % len(partners)]
        self._choose_partner()
        self._refresh_selection(scroll=True)

    def _on_view_claim_clicked(self, claim_id: str, keep_other: bool) -> None:
        self.select_claim(claim_id, follow=not keep_other)

    def _on_inspector_match_chosen(self, claim_id: str) -> None:
        self._selected[claim_id.split(":", 1)[0]] = claim_id
        self._choose_partner()
        self._refresh_selection(scroll=True)

    def _on_find(self) -> None:
        self.claims_dock.show()
        self.claims_dock.raise_()  # in front of a dock tabbed with it
        self.claim_panel.search.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.claim_panel.search.selectAll()

    def _on_compare_versions(self) -> None:
        settings = self.settings
        files = self.versions.ask(self, settings.last_folder() if settings else "")
        if files is not None and self.maybe_save("comparing versions"):
            if settings is not None:
                settings.remember_folder(str(files[1]))
            self.versions.open_files(*files)

    def _on_versions_store_ready(self, store: ProjectStore) -> None:
        self.path, self._forced_modified = None, False
        self.show_store(store, clear_history=True)

    def _on_versions_claim_requested(self, claim_id: str) -> None:
        self.select_claim(claim_id)
        self.focus_pane(claim_id[0])

    def edit_article_details(self) -> None:
        """Article ▸ Details…: one undo step when the user changed something."""
        if self.store is None:
            return
        articles = {side: self.store.article(side) for side in SIDES}
        dialog = ArticleDetailsDialog(articles, self.current_side(), self)
        if dialog.exec() == QDialog.DialogCode.Accepted and dialog.result_article is not None:
            self.undo_stack.push(SetArticleDetailsCommand(self.store, dialog.result_article))

    def _on_sync_toggled(self, on: bool) -> None:
        self.sync.enabled = on
        if on:
            self.sync.follow(self.panes["a"].view, self.panes["b"].view)

    # -- changes (each one an undo command) --------------------------------------

    def set_verdict(self, verdict: Verdict) -> None:
        if self.store is None or self._current is None:
            return
        if self.store.annotation(self._current).verdict is not verdict:
            self.undo_stack.push(SetVerdictCommand(self.store, self._current, verdict))
        elif self.store.changed_of(self._current) is not None:
            self.changed.reconfirm()  # the same verdict again, on the new text
        self._update_action_state()

    def focus_note(self) -> None:
        if self._current is None:
            return
        self.inspector_dock.show()
        self.inspector.note.setFocus(Qt.FocusReason.ShortcutFocusReason)

    def _on_inspector_note_edited(self, note: str) -> None:
        if self.store is not None and self._current is not None:
            self.undo_stack.push(SetNoteCommand(self.store, self._current, note))

    def _on_inspector_evidence_edited(self, claim_id: str, urls: list[str]) -> None:
        if self.store is not None and tuple(urls) != self.store.annotation(claim_id).evidence:
            self.undo_stack.push(SetEvidenceCommand(self.store, claim_id, urls))

    def _on_inspector_tags_edited(self, claim_id: str, tags: list[str]) -> None:
        if self.store is not None and tuple(tags) != self.store.annotation(claim_id).tags:
            self.undo_stack.push(SetTagsCommand(self.store, claim_id, tags))

    def _on_inspector_summary_edited(self, claim_id: str, text: str) -> None:
        if self.store is not None and text != self.store.annotation(claim_id).summary:
            self.undo_stack.push(SetSummaryCommand(self.store, claim_id, text))

    def decide_link(self, state: LinkState) -> None:
        pair = self._pair()
        if self.store is None or pair is None:
            return
        link = self.store.link(*pair)
        changed = link is not None and (link.a_changed or link.b_changed) is not None
        if self.store.link_state(*pair) is not state or changed:  # again: on the new text
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
        self.undo_stack.push(SetLinkCommand(self.store, a, b, LinkState.MANUAL))
        self._chosen = b if self._current == a else a

    # -- following the store ----------------------------------------------------

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
            model = self.claim_panel.proxy.sourceModel()
            if isinstance(model, ClaimTableModel):
                model.set_link_index(self._index)
            if change.kind is not ChangeKind.LINK:
                self.match_controls.show_config(self.store.settings.match)
            self._choose_partner()
            self._refresh_selection(scroll=False)
        self._update_title()

    def views(self) -> tuple[ArticleView, ArticleView]:
        return (self.panes["a"].view, self.panes["b"].view)

    # -- closing -------------------------------------------------------------------

    def maybe_save(self, action: str = "closing") -> bool:
        """Ask about unsaved changes; False means the user cancelled."""
        if not self.is_modified():
            return True
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
        if not self.maybe_save():
            event.ignore()
            return
        self.match_controls.cancel()
        if self.settings is not None:
            self.settings.save_window(self)
        if self.recovery is not None:
            self.recovery.stop()
            self.recovery.clear()
        if self._unsubscribe is not None:
            self._unsubscribe()
            self._unsubscribe = None
        event.accept()
