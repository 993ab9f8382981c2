"""The window's file commands: new comparison, open, open URL, save, export, update
an article, recent files, dropped files.

Every failure shows a dialog naming the file and the problem, and changes nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QLineEdit,
    QMessageBox,
    QWidget,
)

from factcheck.errors import FactcheckError, ProjectChangedError
from factcheck.loading import load_article
from factcheck.models import Article, Project
from factcheck.projectfile import SUFFIX, FileStamp, save_project, stamp_of_file

from .changed_review import update_summary
from .file_names import file_stem, start_folder
from .mnemonics import critical, dialog_mnemonics
from .new_comparison import ARTICLE_FILTER, NewComparisonDialog
from .project_io import is_project_path, new_project, open_project_file
from .url_fetch import UrlFetch

if TYPE_CHECKING:
    from factcheck.store import ProjectStore

    from .app_settings import AppSettings

PROJECT_FILTER = f"factcheck projects (*{SUFFIX} *.json);;All files (*)"


class FileOps(QObject):
    """File commands on the document the window shows. It reads ``store()``, the file
    ``path()``, that file's ``stamp()`` as it was read or last saved (None: unknown) and
    the project's ``title()``; ``maybe_save(action)`` asks about unsaved
    changes (False: the user cancelled); ``status(text, timeout_ms)`` shows a message;
    recent files go to ``settings``. Dialogs are parented to ``parent``.

    Signals: ``projectOpened(Project project, object path, bool modified, object stamp)``
    to show a project (path and stamp None for a new comparison); ``saved(Path path,
    FileStamp stamp)`` after a save;
    ``projectUpdated(Project project, str text)``: an article update to show as one
    undo step named ``text``; ``orphansAdded()`` when an update left notes without
    a place; ``articleUpdated(str title, str summary)`` after it, with the summary that
    names each note and link end that moved, changed or was orphaned;
    ``articleFetched(str side)`` after an Open URL download is shown;
    ``fetchFailed(str message)``."""

    projectOpened = Signal(object, object, bool, object)
    saved = Signal(object, object)
    projectUpdated = Signal(object, str)
    orphansAdded = Signal()
    articleUpdated = Signal(str, str)
    articleFetched = Signal(str)
    fetchFailed = Signal(str)

    def __init__(
        self,
        parent: QWidget,
        *,
        store: Callable[[], ProjectStore | None],
        path: Callable[[], Path | None],
        title: Callable[[], str],
        stamp: Callable[[], FileStamp | None] = lambda: None,
        maybe_save: Callable[[str], bool],
        undo_stack: QUndoStack,
        status: Callable[[str, int], None],
        settings: AppSettings | None = None,
    ) -> None:
        super().__init__(parent)
        self._parent = parent
        self._store, self._path, self._title = store, path, title
        self._stamp = stamp
        self._maybe_save = maybe_save
        self._undo_stack = undo_stack
        self._status = status
        self._settings = settings
        self.url_fetch = UrlFetch(parent)
        self.url_fetch.fetched.connect(self._on_fetch_finished)
        self.url_fetch.failed.connect(self._on_fetch_failed)
        self.url_fetch.cancelled.connect(lambda: self._status("", 0))
        self._fetch_side = "a"

    # -- opening -------------------------------------------------------------------

    def _error(self, title: str, error: Exception) -> None:
        critical(self._parent, title, str(error))

    def _settings_config(self) -> Any:
        settings = self._settings
        return settings.match_config() if settings is not None else None

    def new_comparison(self) -> None:
        dialog = NewComparisonDialog(self._parent, str(self._folder()))
        if dialog.exec() != QDialog.DialogCode.Accepted or dialog.articles is None:
            return
        chosen = next((i.path.text().strip() for i in dialog.inputs if i.path.text().strip()), "")
        if chosen and self._settings is not None:
            self._settings.remember_folder(chosen)
        if self._maybe_save("starting a new comparison"):
            self.show_new(new_project(*dialog.articles, self._settings_config()))

    def show_new(self, project: Project) -> None:
        self.projectOpened.emit(project, None, True, None)

    def open_dialog(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self._parent, "Open project", str(self._folder()), PROJECT_FILTER
        )
        if path:
            self.open_path(Path(path))

    def open_path(self, path: Path) -> bool:
        """Open a project file (True when it is shown)."""
        try:
            project, stamp = open_project_file(path)
        except FactcheckError as error:
            self._error("Cannot open project", error)
            return False
        if not self._maybe_save("opening another project"):
            return False
        self.projectOpened.emit(project, path, False, stamp)
        self._remember(path)
        return True

    def replace_article(self, side: str, path: Path) -> bool:
        """A file dropped on a pane: a project opens; an article starts a new
        comparison with it in place of that pane's article."""
        if is_project_path(path):
            return self.open_path(path)
        try:
            article = load_article(path, article_id=side)
        except FactcheckError as error:
            self._error("Cannot open article", error)
            return False
        return self._replace_with(side, article)

    def _replace_with(self, side: str, article: Article) -> bool:
        store = self._store()
        assert store is not None
        if not self._maybe_save(f"replacing article {side.upper()}"):
            return False
        a = article if side == "a" else store.article("a")
        b = article if side == "b" else store.article("b")
        self.show_new(new_project(a, b, store.settings.match))
        return True

    def open_url(self) -> None:
        dialog = QDialog(self._parent)
        dialog.setWindowTitle("Open URL")
        url = QLineEdit(dialog)
        url.setPlaceholderText("https://…")
        side = QComboBox(dialog)
        side.addItem("Article A (left)", "a")
        side.addItem("Article B (right)", "b")
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, dialog
        )
        buttons.accepted.connect(dialog.accept)
        buttons.rejected.connect(dialog.reject)
        form = QFormLayout(dialog)
        form.addRow("&Address", url)
        form.addRow("&Replace", side)
        form.addRow(buttons)
        dialog.resize(520, 0)
        dialog_mnemonics(dialog)
        if dialog.exec() == QDialog.DialogCode.Accepted and url.text().strip():
            self.fetch(url.text().strip(), side.currentData())

    def fetch(self, url: str, side: str) -> None:
        """Download and extract ``url`` off the GUI thread, then show it as ``side``
        (a progress dialog with Cancel shows while it runs)."""
        self._fetch_side = side
        self._status(f"Fetching {url}…", 0)
        self.url_fetch.start(url, side)

    def _on_fetch_finished(self, article: Article) -> None:
        self._status("", 0)
        if self._replace_with(self._fetch_side, article):
            self.articleFetched.emit(self._fetch_side)

    def _on_fetch_failed(self, error: Exception) -> None:
        self._status("", 0)
        message = str(error) if isinstance(error, FactcheckError) else repr(error)
        self.fetchFailed.emit(message)
        critical(self._parent, "Cannot open URL", message)

    # -- saving --------------------------------------------------------------------

    def save(self) -> bool:
        """Save to the project's file. When another program changed that file since it
        was opened or last saved, ask: overwrite it, save under another name, or cancel."""
        path = self._path()
        if path is None:
            return self.save_as()
        return self._save_to(path, self._stamp())

    def save_as(self) -> bool:
        suggested = self._folder() / (file_stem(self._title()) + SUFFIX)
        path, _ = QFileDialog.getSaveFileName(
            self._parent, "Save project", str(suggested), PROJECT_FILTER
        )
        if not path:
            return False
        target = Path(path)
        if not target.name.endswith(SUFFIX) and target.suffix != ".json":
            target = target.with_name(target.name + SUFFIX)
        return self._save_to(target)

    def _save_to(self, path: Path, expected: FileStamp | None = None) -> bool:
        """Write the project to ``path``; with ``expected``, only over that file."""
        store = self._store()
        assert store is not None
        try:
            stamp = save_project(store.project(), path, expected=expected)
        except ProjectChangedError as error:
            return self._on_changed_on_disk(path, error)
        except (FactcheckError, OSError) as error:
            self._error("Cannot save project", error)
            return False
        self.saved.emit(path, stamp)
        self._remember(path)
        self._status(f"Saved {path}", 4000)
        return True

    def _on_changed_on_disk(self, path: Path, error: ProjectChangedError) -> bool:
        try:
            # What "Overwrite" replaces: a file changed again while the box is open is
            # not overwritten unseen (the save asks again).
            now = stamp_of_file(path)
        except FactcheckError as cannot_read:
            self._error("Cannot save project", cannot_read)
            return False
        box = QMessageBox(
            QMessageBox.Icon.Warning,
            "Project changed on disk",
            f"“{path.name}” was changed by another program since it was opened or last "
            "saved. Overwrite it with this version, save this version under another name, "
            "or cancel?",
            QMessageBox.StandardButton.NoButton,
            self._parent,
        )
        box.setInformativeText(str(error))
        overwrite = box.addButton("&Overwrite", QMessageBox.ButtonRole.DestructiveRole)
        save_as = box.addButton("Save &As…", QMessageBox.ButtonRole.AcceptRole)
        box.addButton(QMessageBox.StandardButton.Cancel)
        box.setDefaultButton(save_as)
        dialog_mnemonics(box)
        box.exec()
        clicked = box.clickedButton()
        if clicked is overwrite:
            return self._save_to(path, now)
        if clicked is save_as:
            return self.save_as()
        return False

    def _remember(self, path: Path) -> None:
        if self._settings is not None:
            self._settings.add_recent(str(path))
            self._settings.remember_folder(str(path))

    def _folder(self) -> Path:
        """Where a file dialog starts (see :func:`ui.file_names.start_folder`)."""
        last = self._settings.last_folder() if self._settings is not None else ""
        return start_folder(self._path(), last)

    def fill_recent_menu(self, menu: Any) -> None:
        """File ▸ Recent files, as it is about to show."""
        menu.clear()
        settings = self._settings
        files = settings.recent_files() if settings is not None else []
        for n, name in enumerate(files, 1):
            action = menu.addAction(f"&{n} {Path(name).name}" if n < 10 else Path(name).name)
            action.setToolTip(name)
            action.triggered.connect(lambda _c=False, p=name: self.open_path(Path(p)))
        if not files:
            menu.addAction("(none)").setEnabled(False)

    # -- export and update -------------------------------------------------------

    def export(self) -> None:
        """File ▸ Export…: a dialog to choose the format and the file; it writes the
        file itself and shows any error in place."""
        store = self._store()
        if store is None:
            return
        from .export_dialog import ExportDialog

        settings = self._settings
        dialog = ExportDialog(
            store,
            self._undo_stack,
            self._folder() / file_stem(self._title()),
            self._parent,
            project_path=self._path(),
            format_name=settings.export_format() if settings is not None else "",
        )
        dialog.exported.connect(
            lambda where, summary: self._status(f"Exported to {where}: {summary}", 10000)
        )
        if settings is not None:
            dialog.exported.connect(lambda where, _s: settings.remember_folder(where))
            dialog.exported.connect(lambda _w, _s: settings.set_export_format(dialog.format_name()))
        dialog.exec()

    def update_article(self, side: str, path: Path | None = None) -> bool:
        """Take a new version of article ``side`` (asking for the file unless given) and
        carry the notes and links over: one undo step. True when the article changed."""
        from factcheck.update import update_article

        store = self._store()
        if store is None:
            return False
        if path is None:
            chosen, _ = QFileDialog.getOpenFileName(
                self._parent,
                f"New version of article {side.upper()}",
                str(self._folder()),
                ARTICLE_FILTER,
            )
            if not chosen:
                return False
            path = Path(chosen)
            if self._settings is not None:
                self._settings.remember_folder(chosen)
        try:
            article = load_article(path, article_id=side)
            result = update_article(store.project(), side, article)
        except FactcheckError as error:
            self._error("Cannot update the article", error)
            return False
        before = len(store.orphans)
        self.projectUpdated.emit(result.project, f"Update article {side.upper()}")
        if len(result.project.orphans) > before:
            self.orphansAdded.emit()
        summary = update_summary(result.report.counts, result.report.items)
        for warning in article.load_warnings:  # invalid bytes replaced...
            summary += f"\n\nRead with a problem ({article.source}): {warning}"
        self.articleUpdated.emit(f"Article {side.upper()} updated", summary)
        return True
