"""The window's file commands: new comparison, open, open URL, save, export, update
an article, recent files, dropped files.

Every failure shows a dialog naming the file and the problem, and changes nothing.
"""

from __future__ import annotations

import importlib
import importlib.util
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QLineEdit,
    QMenu,
    QMessageBox,
)

from factcheck.errors import FactcheckError
from factcheck.loading import load_article
from factcheck.models import Article, Project
from factcheck.projectfile import SUFFIX, save_project

from .new_comparison import ARTICLE_FILTER, NewComparisonDialog
from .project_io import is_project_path, new_project, open_project_file
from .tasks import FunctionTask

if TYPE_CHECKING:
    from .main_window import MainWindow

PROJECT_FILTER = f"factcheck projects (*{SUFFIX} *.json);;All files (*)"


def _optional(module: str) -> Any | None:
    """A core module another part of the project may not have yet."""
    if importlib.util.find_spec(module) is None:
        return None
    return importlib.import_module(module)


class FileOps(QObject):
    """Signals: ``articleFetched(str side)`` after an Open URL download is shown,
    ``fetchFailed(str message)``."""

    articleFetched = Signal(str)
    fetchFailed = Signal(str)

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.fetch_task = FunctionTask(self)
        self.fetch_task.finished.connect(self._on_fetch_finished)
        self.fetch_task.failed.connect(self._on_fetch_failed)
        self._fetch_side = "a"
        a = window.actions_by_name
        a["new"].triggered.connect(self.new_comparison)
        a["open"].triggered.connect(self.open_dialog)
        a["open_url"].triggered.connect(self.open_url)
        a["save"].triggered.connect(self.save)
        a["save_as"].triggered.connect(self.save_as)
        a["quit"].triggered.connect(window.close)
        recent = cast(QMenu, a["recent"].menu())
        recent.aboutToShow.connect(lambda: self._fill_recent_menu(recent))
        self.update_module = _optional("factcheck.update")
        for side in ("a", "b"):
            a[f"update_{side}"].setVisible(self.update_module is not None)
            a[f"update_{side}"].triggered.connect(lambda _c=False, s=side: self.update_article(s))
        self.export_module = _optional("factcheck.export")
        a["export"].setVisible(self.export_module is not None)
        a["export"].triggered.connect(self.export)

    # -- opening -------------------------------------------------------------------

    def _error(self, title: str, error: Exception) -> None:
        QMessageBox.critical(self.window, title, str(error))

    def _settings_config(self) -> Any:
        settings = self.window.settings
        return settings.match_config() if settings is not None else None

    def new_comparison(self) -> None:
        dialog = NewComparisonDialog(self.window)
        if dialog.exec() != QDialog.DialogCode.Accepted or dialog.articles is None:
            return
        if self.window.maybe_save("starting a new comparison"):
            self.show_new(new_project(*dialog.articles, self._settings_config()))

    def show_new(self, project: Project) -> None:
        self.window.load_project(project, path=None, modified=True)

    def open_dialog(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self.window, "Open project", "", PROJECT_FILTER)
        if path:
            self.open_path(Path(path))

    def open_path(self, path: Path) -> bool:
        """Open a project file (True when it is shown)."""
        try:
            project = open_project_file(path)
        except FactcheckError as error:
            self._error("Cannot open project", error)
            return False
        if not self.window.maybe_save("opening another project"):
            return False
        self.window.load_project(project, path=path)
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
        store = self.window.store
        assert store is not None
        if not self.window.maybe_save(f"replacing article {side.upper()}"):
            return False
        a = article if side == "a" else store.article("a")
        b = article if side == "b" else store.article("b")
        self.show_new(new_project(a, b, store.settings.match))
        return True

    def open_url(self) -> None:
        dialog = QDialog(self.window)
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
        form.addRow("Address", url)
        form.addRow("Replace", side)
        form.addRow(buttons)
        dialog.resize(520, 0)
        if dialog.exec() == QDialog.DialogCode.Accepted and url.text().strip():
            self.fetch(url.text().strip(), side.currentData())

    def fetch(self, url: str, side: str) -> None:
        """Download and extract ``url`` off the GUI thread, then show it as ``side``."""
        from factcheck.fetch import fetch_article

        self._fetch_side = side
        self.window.statusBar().showMessage(f"Fetching {url}…")
        self.fetch_task.start(lambda: fetch_article(url, article_id=side))

    def _on_fetch_finished(self, article: Article) -> None:
        self.window.statusBar().clearMessage()
        if self._replace_with(self._fetch_side, article):
            self.articleFetched.emit(self._fetch_side)

    def _on_fetch_failed(self, error: Exception) -> None:
        self.window.statusBar().clearMessage()
        message = str(error) if isinstance(error, FactcheckError) else repr(error)
        self.fetchFailed.emit(message)
        QMessageBox.critical(self.window, "Cannot open URL", message)

    # -- saving --------------------------------------------------------------------

    def save(self) -> bool:
        if self.window.path is None:
            return self.save_as()
        return self._save_to(self.window.path)

    def save_as(self) -> bool:
        suggested = self.window.project_title() + SUFFIX
        path, _ = QFileDialog.getSaveFileName(
            self.window, "Save project", suggested, PROJECT_FILTER
        )
        if not path:
            return False
        target = Path(path)
        if not target.name.endswith(SUFFIX) and target.suffix != ".json":
            target = target.with_name(target.name + SUFFIX)
        return self._save_to(target)

    def _save_to(self, path: Path) -> bool:
        store = self.window.store
        assert store is not None
        try:
            save_project(store.project(), path)
        except (FactcheckError, OSError) as error:
            self._error("Cannot save project", error)
            return False
        self.window.mark_saved(path)
        self._remember(path)
        if self.window.recovery is not None:
            self.window.recovery.clear()
        self.window.statusBar().showMessage(f"Saved {path}", 4000)
        return True

    def _remember(self, path: Path) -> None:
        if self.window.settings is not None:
            self.window.settings.add_recent(str(path))

    def _fill_recent_menu(self, menu: Any) -> None:
        menu.clear()
        settings = self.window.settings
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
        if self.export_module is None or self.window.store is None:
            return
        from .export_dialog import ExportDialog

        ExportDialog(self.window).exec()

    def update_article(self, side: str, path: Path | None = None) -> bool:
        """Take a new version of article ``side`` (asking for the file unless given) and
        carry the notes and links over: one undo step. True when the article changed."""
        module = self.update_module
        store = self.window.store
        if module is None or store is None:
            return False
        if path is None:
            chosen, _ = QFileDialog.getOpenFileName(
                self.window, f"New version of article {side.upper()}", "", ARTICLE_FILTER
            )
            if not chosen:
                return False
            path = Path(chosen)
        try:
            article = load_article(path, article_id=side)
            result = module.update_article(store.project(), side, article)
        except FactcheckError as error:
            self._error("Cannot update the article", error)
            return False
        from .orphans_panel import replace_project_command

        before = len(store.orphans)
        command = replace_project_command(
            self.window, result.project, f"Update article {side.upper()}"
        )
        self.window.undo_stack.push(command)
        new_orphans = len(result.project.orphans) - before
        if new_orphans > 0:
            self.window.orphans.show_dock()
        summary = _update_summary(result)
        for warning in article.load_warnings:  # invalid bytes replaced...
            summary += f"\n\nRead with a problem ({article.source}): {warning}"
        QMessageBox.information(self.window, f"Article {side.upper()} updated", summary)
        return True


def _update_summary(result: Any) -> str:
    """How the notes and links fared: a count per anchor class, and where orphans went."""
    report = getattr(result, "report", result)
    counts = getattr(report, "counts", None)
    if not isinstance(counts, dict) or not sum(counts.values()):
        return "The article was replaced. There were no notes or links on it to carry over."
    labels = {
        "anchored": "in place",
        "moved": "moved with their text",
        "fuzzy": "placed on changed text: worth a check",
        "orphaned": "kept in “Orphaned notes” with their old quote",
    }
    lines = ["Notes and link ends on the old text:"]
    for status, count in counts.items():
        name = str(getattr(status, "value", status))
        lines.append(f"  {count} {name}: {labels.get(name, '')}".rstrip(": "))
    return "\n".join(lines)
