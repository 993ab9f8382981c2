"""The "New comparison" dialog: for each article, a file or pasted text."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from factcheck.errors import FactcheckError
from factcheck.loading import article_from_text, load_article
from factcheck.models import Article

from .field_keys import paste_box_keys
from .mnemonics import dialog_mnemonics, warning

ARTICLE_FILTER = "Articles (*.txt *.md *.html *.htm);;All files (*)"


class _ArticleInput(QGroupBox):
    def __init__(self, side: str, parent: QWidget | None = None, folder: str = "") -> None:
        super().__init__(f"Article &{side.upper()}", parent)
        self.side = side
        self.folder = folder
        self.path = QLineEdit(self)
        self.path.setObjectName(f"path_{side}")
        self.path.setPlaceholderText("A .txt, .md or .html file")
        browse = QPushButton("Choose file…", self)
        browse.clicked.connect(self._on_browse_clicked)
        self.text = QPlainTextEdit(self)
        self.text.setObjectName(f"text_{side}")
        self.text.setPlaceholderText("…or paste the article's text here")
        row = QHBoxLayout()
        row.addWidget(self.path, 1)
        row.addWidget(browse)
        layout = QVBoxLayout(self)
        layout.addLayout(row)
        layout.addWidget(self.text, 1)

    def _on_browse_clicked(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self, f"Article {self.side.upper()}", self.folder, ARTICLE_FILTER
        )
        if path:
            self.path.setText(path)
            self.folder = str(Path(path).parent)

    def article(self) -> Article:
        """Raises FactcheckError (no file and no text, or the file cannot be read)."""
        if self.path.text().strip():
            return load_article(self.path.text().strip(), article_id=self.side)
        return article_from_text(
            self.text.toPlainText(), article_id=self.side, source=f"pasted text {self.side.upper()}"
        )


class NewComparisonDialog(QDialog):
    """``folder``: where the file choosers start (the last folder used)."""

    def __init__(self, parent: QWidget | None = None, folder: str = "") -> None:
        super().__init__(parent)
        self.setWindowTitle("New comparison")
        self.inputs = (_ArticleInput("a", self, folder), _ArticleInput("b", self, folder))
        grid = QGridLayout()
        for column, box in enumerate(self.inputs):
            grid.addWidget(box, 0, column)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        buttons.accepted.connect(self.accept)
        ok = buttons.button(QDialogButtonBox.StandardButton.Ok)
        for box in self.inputs:
            # Tab moves on, Ctrl+Tab types a tab; Esc leaves the text, keeping it.
            paste_box_keys(box.text, ok.setFocus)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("Choose a file or paste a text for each article."))
        layout.addLayout(grid, 1)
        layout.addWidget(buttons)
        self.resize(900, 520)
        dialog_mnemonics(self)
        self.articles: tuple[Article, Article] | None = None

    def accept(self) -> None:
        try:
            self.articles = (self.inputs[0].article(), self.inputs[1].article())
        except FactcheckError as error:
            warning(self, "Cannot use this article", str(error))
            return
        super().accept()
