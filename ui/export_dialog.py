"""File ▸ Export…: choose a format and a file, and write the project in that format.

The formats are :data:`factcheck.export.EXPORT_FORMATS`. ClaimReview names the
reviewer (``ProjectSettings.reviewer``): when that format is chosen the dialog shows the
reviewer's name and page URL, and a change to them is one undo step saved with the
project (:class:`ui.commands.SetReviewerCommand`). Errors stay in the dialog, in red, naming the
file and the problem; nothing is written then.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QGuiApplication, QUndoStack
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QWidget,
)

from factcheck.atomicwrite import export_target_problem, write_atomic
from factcheck.errors import FactcheckError
from factcheck.export import EXPORT_FORMATS, export_summarised
from factcheck.export.reviewer import reviewer_name_problem, reviewer_url_problem
from factcheck.models import ReviewerSettings
from factcheck.store import ProjectStore

from .commands import SetReviewerCommand
from .mnemonics import dialog_mnemonics

#: The format that needs the reviewer's name and URL.
CLAIMREVIEW = "claimreview"


class ExportDialog(QDialog):
    """Format, file and (for ClaimReview) reviewer of ``store``'s project; Export writes
    the file and closes (``exported_path`` says where). A changed reviewer is pushed on
    ``undo_stack``. ``suggested`` is the file first offered (its suffix follows the format;
    never ``project_path``, the open project, which an export must not replace);
    ``format_name`` the format first chosen (the last one used).

    Signals: ``exported(str path, str summary)`` after the file is written."""

    exported = Signal(str, str)

    def __init__(
        self,
        store: ProjectStore,
        undo_stack: QUndoStack,
        suggested: Path,
        parent: QWidget | None = None,
        project_path: Path | None = None,
        *,
        format_name: str = "",
    ) -> None:
        super().__init__(parent)
        #: The project's own file, which (with its backup) an export must not replace.
        self._project_path = project_path
        self.setObjectName("exportDialog")
        self.setWindowTitle("Export")
        self._store = store
        self._undo_stack = undo_stack
        self.exported_path: Path | None = None
        #: What the last export held and left out, as shown in the status bar.
        self.summary = ""
        self.format = QComboBox(self)
        self.format.setObjectName("exportFormat")
        for name, (_exporter, suffix, description) in EXPORT_FORMATS.items():
            self.format.addItem(f"{description} ({suffix})", name)
        self.path = QLineEdit(self)
        self.path.setObjectName("exportPath")
        self.path.setPlaceholderText("File to write")
        self.browse = QPushButton("Choose…", self)
        self.browse.setObjectName("exportBrowse")
        path_row = QHBoxLayout()
        path_row.addWidget(self.path, 1)
        path_row.addWidget(self.browse)
        self.reviewer_name = QLineEdit(self)
        self.reviewer_name.setObjectName("reviewerName")
        self.reviewer_name.setPlaceholderText("e.g. Example Fact Check")
        self.reviewer_url = QLineEdit(self)
        self.reviewer_url.setObjectName("reviewerUrl")
        self.reviewer_url.setPlaceholderText("https://… (the page where your reviews appear)")
        self.reviewer_note = QLabel(
            "ClaimReview names who reviewed the claims; this is saved with the project.", self
        )
        self.reviewer_note.setWordWrap(True)
        self.error = QLabel(self)
        self.error.setObjectName("exportError")
        self.error.setWordWrap(True)
        self.error.setStyleSheet("color: #cf222e;")
        self.error.hide()
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.export_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.export_button.setText("Export")
        self.form = QFormLayout(self)
        self.form.addRow("&Format", self.format)
        file_label = QLabel("F&ile", self)
        file_label.setBuddy(self.path)  # a row of two: the label needs its field named
        self.form.addRow(file_label, path_row)
        self.form.addRow("&Reviewer", self.reviewer_name)
        self.form.addRow("Reviewer &URL", self.reviewer_url)
        self.form.addRow(self.reviewer_note)
        self.form.addRow(self.error)
        self.form.addRow(self.buttons)
        self.resize(620, 0)
        dialog_mnemonics(self)

        self.reviewer_name.setText(store.settings.reviewer.name)
        self.reviewer_url.setText(store.settings.reviewer.url)
        if self.format.findData(format_name) >= 0:
            self.set_format(format_name)
        self._suggested = suggested
        self.path.setText(str(self._offered(suggested.name)))
        self.format.currentIndexChanged.connect(lambda _i: self._on_format_changed())
        self.browse.clicked.connect(self.choose_file)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self._on_format_changed()
        self.format.setFocus()

    def format_name(self) -> str:
        return str(self.format.currentData())

    def set_format(self, name: str) -> None:
        self.format.setCurrentIndex(self.format.findData(name))

    def suffix(self) -> str:
        return EXPORT_FORMATS[self.format_name()][1]

    def choose_file(self) -> None:
        path, _ = QFileDialog.getSaveFileName(
            self, "Export to", self.path.text(), f"{self.format.currentText()};;All files (*)"
        )
        if path:
            self.path.setText(path)

    def _on_format_changed(self) -> None:
        claimreview = self.format_name() == CLAIMREVIEW
        for widget in (self.reviewer_name, self.reviewer_url, self.reviewer_note):
            widget.setVisible(claimreview)
            label = self.form.labelForField(widget)
            if label is not None:
                label.setVisible(claimreview)
        # Keep the file name, with the new format's suffix.
        text = self.path.text().strip()
        if text:
            path = Path(text)
            name = path.name
            for _exporter, suffix, _d in sorted(EXPORT_FORMATS.values(), key=lambda f: -len(f[1])):
                if name.endswith(suffix):
                    name = name[: -len(suffix)]
                    break
            self.path.setText(str(self._offered(name, path)))
        self.error.hide()
        self.adjustSize()

    def _offered(self, stem: str, where: Path | None = None) -> Path:
        """``stem`` with this format's suffix, in ``where``'s folder; never the open
        project's file (the native JSON format's name would be just that)."""
        folder = (where or self._suggested).parent
        path = folder / (stem + self.suffix())
        if self._is_project(path):
            path = folder / (stem + " export" + self.suffix())
        return path

    def _is_project(self, path: Path) -> bool:
        return export_target_problem(path.expanduser(), self._project_path) is not None

    def _show_error(self, message: str) -> None:
        self.error.setText(message)
        self.error.show()

    def accept(self) -> None:
        """Export, then close; on an error, say so here and stay open."""
        store = self._store
        text = self.path.text().strip()
        if not text:
            self._show_error("Choose a file to export to.")
            return
        path = Path(text).expanduser()
        problem = export_target_problem(path, self._project_path)
        if problem is not None:
            self._show_error(f"Cannot export to {path}: it {problem}")
            return
        fmt = self.format_name()
        project = store.project()
        reviewer = None
        if fmt == CLAIMREVIEW:
            reviewer = self._reviewer()
            if reviewer is None:
                return
            project = replace(project, settings=replace(project.settings, reviewer=reviewer))
        # A report of thousands of claims takes a moment: show that it is working.
        QGuiApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            outcome = export_summarised(project, fmt)
            write_atomic(path, outcome.text.encode("utf-8"))
        except (FactcheckError, OSError) as error:
            self._show_error(f"Cannot export to {path}: {error}")
            return
        finally:
            QGuiApplication.restoreOverrideCursor()
        # Only a reviewer that worked is kept (with the project, undoably).
        if reviewer is not None and reviewer != store.settings.reviewer:
            self._undo_stack.push(SetReviewerCommand(store, reviewer))
        self.exported_path = path
        self.summary = outcome.summary
        self.exported.emit(str(path), outcome.summary)
        super().accept()

    def _reviewer(self) -> ReviewerSettings | None:
        name, url = self.reviewer_name.text().strip(), self.reviewer_url.text().strip()
        if not name or not url:
            self._show_error(
                "ClaimReview needs the reviewer's name and the URL of the page where "
                "the reviews are published."
            )
            (self.reviewer_url if name else self.reviewer_name).setFocus()
            return None
        for label, field, problem in (
            ("Reviewer", self.reviewer_name, reviewer_name_problem(name)),
            ("Reviewer URL", self.reviewer_url, reviewer_url_problem(url)),
        ):
            if problem is not None:
                self._show_error(f"{label}: {problem}")
                field.setFocus()
                return None
        return ReviewerSettings(name=name, url=url)
