"""The main window: two article panes with ribbons between them, the claims table and
the inspector in docks, a matching toolbar and the review status.

The window talks to the core only through the :class:`ProjectStore` and pure
functions. Every change the user makes is one undo command on ``undo_stack``; the
window listens to the store and refreshes the views from it, so undo and redo need
no special handling. File commands live in :mod:`ui.file_ops`.

This module builds the window and wires its helpers' signals in ``_connect``; what the
window does lives in its bases: the claim selection and navigation
(:mod:`ui.window_selection`), the review changes (:mod:`ui.window_review`) and the
project shown, its title, saved state and closing (:mod:`ui.window_project`).

Signals: ``matchesApplied()`` after new matches reach the store (initial matching or
a settings change); ``storeShown()`` after a project (store) is shown;
``selectionChanged(str claim_id)`` (empty when nothing is selected).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, cast

from PySide6.QtCore import QTimer
from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import QSplitter, QWidget

from factcheck.models import LinkState, Project

from .article_pane import ArticlePane
from .first_paint import BeforeInput, FirstPaint
from .link_view import LinkView
from .project_io import make_store
from .window_project import ProjectWindow
from .window_selection import SIDES
from .window_size import SMALL_SCREEN, available, fit_to_screen, keep_on_screen

if TYPE_CHECKING:
    from PySide6.QtWidgets import QDockWidget, QMenu

    from factcheck.projectfile import FileStamp
    from factcheck.store import ProjectStore

    from .app_settings import AppSettings
    from .link_index import LinkIndex
    from .recovery import RecoveryManager


#: What the app's window builds right after its first paint (see MainWindow.__init__).
_BUILT_AFTER_PAINT = frozenset(
    (
        "actions_by_name",
        "changed",
        "claim_panel",
        "claims_dock",
        "files",
        "inspector",
        "inspector_dock",
        "library_panel",
        "match_controls",
        "orphans",
        "sync",
        "versions",
        "zoom",
    )
)


class MainWindow(ProjectWindow):
    def __init__(
        self,
        project: Project,
        *,
        path: Path | None = None,
        stamp: FileStamp | None = None,
        settings: AppSettings | None = None,
        recovery: RecoveryManager | None = None,
        parent: QWidget | None = None,
        match_after_paint: bool = False,
    ) -> None:
        """``match_after_paint`` (the app's start): only the frame, the two panes with
        their articles' text and the (empty) ribbon view are built here; the window
        paints them first, then marks the claims, draws the ribbons, builds the rest
        (docks, menus and toolbar with their modules, imported then) and starts
        matching and the library lookup. Input aimed at the window before that,
        or asking for one of those parts (:data:`_BUILT_AFTER_PAINT`), builds it at
        once. Without it, all of it is built here."""
        super().__init__(parent)
        self.settings = settings  # ui.app_settings.AppSettings, when available
        self.recovery = recovery  # ui.recovery.RecoveryManager, when available
        self.undo_stack = QUndoStack(self)
        self.path: Path | None = None
        # The project file as it was read or last saved (None: unknown, Save overwrites).
        self.stamp: FileStamp | None = None
        self._forced_modified = False
        self._unsubscribe: Callable[[], None] | None = None
        self._current: str | None = None
        self._selected: dict[str, str | None] = dict.fromkeys(SIDES)
        self._chosen: str | None = None
        self._index: LinkIndex | None = None
        self.store: ProjectStore | None = None

        self.panes = {side: ArticlePane(side, self) for side in SIDES}
        viewport = self.panes["a"].view.viewport()
        self._first_paint = FirstPaint(viewport) if match_after_paint else None
        self.link_view = LinkView(self.panes["a"].view, self.panes["b"].view, self)
        # Horizontal, the default. (Neither here nor in the rest of the first paint is
        # PySide's ``Qt`` namespace used: its 93 enum classes are built on first use, and
        # that takes a sixth as long as a bare window's start. ``QSplitter(self)`` would
        # build them too, to try ``self`` as a Qt.Orientation.)
        splitter = QSplitter(parent=self)
        splitter.setObjectName("paneSplitter")
        splitter.addWidget(self.panes["a"])
        splitter.addWidget(self.link_view)
        splitter.addWidget(self.panes["b"])
        splitter.setCollapsible(1, False)
        splitter.setStretchFactor(0, 1)
        splitter.setStretchFactor(2, 1)
        splitter.setChildrenCollapsible(False)
        self.setCentralWidget(splitter)
        fit_to_screen(self)
        restored = self.settings is not None and self.settings.restore_geometry(self)
        if restored:
            keep_on_screen(self)
        store, needs_matching = make_store(project, match_now=self._first_paint is None)
        self.path, self.stamp, self.store = path, stamp, store
        self._unbuilt: Callable[[], None] | None = lambda: self._build(
            splitter, restored, store, needs_matching
        )
        if self._first_paint is None:
            self.finish_building()
        else:  # the articles' text paints first; the rest is built right after that
            for side, pane in self.panes.items():
                pane.show_text(store.article(side), len(store.claims(side)))
            self._update_title()
            self._first_paint.later(self.finish_building)
            self._before_input = BeforeInput(self, self.finish_building)

    if not TYPE_CHECKING:  # (mypy keeps checking attribute names)

        def __getattr__(self, name: str) -> object:
            """A part built after the first paint, asked for before it: built now."""
            if name in _BUILT_AFTER_PAINT and vars(self).get("_unbuilt") is not None:
                self.finish_building()
                return getattr(self, name)
            raise AttributeError(f"{type(self).__name__!r} object has no attribute {name!r}")

    def finish_building(self) -> None:
        """Build what the first paint does without (docks, menus, toolbar, status bar)
        and show the project in all of it; nothing when that is done already."""
        build, self._unbuilt = self._unbuilt, None
        if build is not None:
            if self._first_paint is not None:
                self._before_input.done()
            build()

    def _build(
        self, splitter: QSplitter, restored: bool, store: ProjectStore, needs_matching: bool
    ) -> None:
        from PySide6.QtCore import Qt
        from PySide6.QtWidgets import QDockWidget, QMenu

        from .actions import build_actions
        from .changed_review import ChangedReview
        from .claim_panel import ClaimPanel
        from .column_scroll import ColumnScroll
        from .file_ops import FileOps
        from .inspector import Inspector
        from .link_view import ScrollSync
        from .match_controls import MatchControls
        from .orphans_panel import OrphansPanel
        from .versions_mode import VersionsMode
        from .zoom import PaneZoom

        self.claim_panel = ClaimPanel(self)
        self.claims_dock = self._dock("Claims", "claimsDock", self.claim_panel)
        self.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, self.claims_dock)
        self.inspector = Inspector(self)
        # Scrolled, so that its many fields never make the window taller than a screen.
        self.inspector_dock = self._dock(
            "Inspector", "inspectorDock", ColumnScroll(self.inspector, "inspectorScroll")
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
            stamp=lambda: self.stamp,
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
        self.versions = VersionsMode(splitter, self.link_view, self.views(), self)
        self.changed = ChangedReview(
            lambda: self.store, lambda: self._current, self.undo_stack, self
        )
        self.zoom = PaneZoom(self.views(), self)
        self._connect()
        if available(self).height() < SMALL_SCREEN:  # the right-hand docks as tabs
            library = self.findChild(QDockWidget, "libraryDock")
            if library is not None:
                self.tabifyDockWidget(self.inspector_dock, library)
                self.inspector_dock.raise_()
        if self.settings is not None:
            self.settings.restore_state(self)
            self.zoom.set_steps(self.settings.zoom())
            self.zoom.zoomed.connect(self.settings.set_zoom)
        if not restored:  # room for several rows of the claims table, once laid out
            QTimer.singleShot(0, self, self._size_claims_dock)
        self.show_loaded(store, needs_matching, self.path, self.stamp)
        if self.recovery is not None:
            self.recovery.start(
                self._snapshot, self.is_modified, lambda: self.path, lambda: self.stamp
            )
        if self.isVisible():
            self._show_parts_at_once()

    def _show_parts_at_once(self) -> None:
        """Qt shows what is added to a shown window one part per event-loop turn, laying
        the window out after each (its docks then split differently from a window built
        whole before it showed): shown now, for one layout as at a first show."""
        from PySide6.QtCore import Qt

        layout = self.layout()
        assert layout is not None
        layout.setEnabled(False)
        for part in self.findChildren(QWidget, options=Qt.FindChildOption.FindDirectChildrenOnly):
            explicitly_hidden = part.testAttribute(Qt.WidgetAttribute.WA_WState_ExplicitShowHide)
            if not part.isWindow() and not (part.isHidden() and explicitly_hidden):
                part.setVisible(True)
        layout.setEnabled(True)

    def _size_claims_dock(self) -> None:
        from PySide6.QtCore import Qt

        rows = max(180, self.height() * 3 // 10)
        self.resizeDocks([self.claims_dock], [rows], Qt.Orientation.Vertical)

    def _dock(self, title: str, name: str, widget: QWidget) -> QDockWidget:
        from PySide6.QtWidgets import QDockWidget

        dock = QDockWidget(title, self)
        dock.setObjectName(name)
        dock.setWidget(widget)
        return dock

    def _connect(self) -> None:
        from .actions import VERDICT_ACTIONS
        from .help_dialog import ShortcutsDialog, show_about
        from .mnemonics import critical

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
        self.versions.failed.connect(lambda t, m: critical(self, t, m))
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
        from PySide6.QtCore import Qt

        from .library_panel import LibraryPanel

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
        from .claim_table import ClaimTableModel

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
        recent = cast("QMenu", a["recent"].menu())
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

    def _on_compare_versions(self) -> None:
        settings = self.settings
        files = self.versions.ask(self, settings.last_folder() if settings else "")
        if files is not None and self.maybe_save("comparing versions"):
            if settings is not None:
                settings.remember_folder(str(files[1]))
            self.versions.open_files(*files)

    def _on_versions_store_ready(self, store: ProjectStore) -> None:
        if store is self.store:  # a saved comparison, opened: now aligned
            self._enable_match_settings()
            return
        self.path, self.stamp, self._forced_modified = None, None, False
        self.show_store(store, clear_history=True)

    def _on_versions_claim_requested(self, claim_id: str) -> None:
        self.select_claim(claim_id)
        self.focus_pane(claim_id[0])

    def _on_sync_toggled(self, on: bool) -> None:
        self.sync.enabled = on
        if on:
            self.sync.follow(self.panes["a"].view, self.panes["b"].view)
