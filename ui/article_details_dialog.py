"""Article ▸ Details…: an article's title, URL, date, author and outlet.

ClaimReview needs them (``appearance.url``, ``datePublished``, ``firstAppearance``)
and reports show them. The dialog checks every value with the core
(:func:`factcheck.article_details.with_details`, as ``factcheck set-article`` does) and
says which one is wrong, in place; it stays open until the values are fine or the
user cancels. ``result_article`` is the article with the new details (the window
turns it into one undo command), None when nothing changed.
"""

from __future__ import annotations

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QWidget,
)

from factcheck.article_details import FIELDS, ArticleDetails, with_details
from factcheck.models import Article

from .mnemonics import dialog_mnemonics

_LABELS = {
    "title": "&Title",
    "url": "&URL",
    "date": "&Date",
    "author": "Aut&hor",
    "outlet": "Outl&et",
}


class ArticleDetailsDialog(QDialog):
    def __init__(
        self, articles: dict[str, Article], side: str, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Article details")
        self.setObjectName("articleDetails")
        self._articles = articles
        self.result_article: Article | None = None
        self.side = QComboBox(self)
        self.side.setObjectName("detailsSide")
        for key in ("a", "b"):
            self.side.addItem(f"Article {key.upper()}", key)
        self.fields: dict[str, QLineEdit] = {}
        form = QFormLayout(self)
        form.addRow("&Article", self.side)
        for name, meaning in FIELDS.items():
            field = QLineEdit(self)
            field.setObjectName(f"details_{name}")
            field.setToolTip(meaning[0].upper() + meaning[1:])
            field.setPlaceholderText("not stated")
            self.fields[name] = field
            form.addRow(_LABELS[name], field)
        self.fields["date"].setPlaceholderText("YYYY-MM-DD (not stated)")
        self.fields["url"].setPlaceholderText("https://… (not stated)")
        self.error = QLabel(self)
        self.error.setObjectName("detailsError")
        self.error.setWordWrap(True)
        form.addRow(self.error)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        buttons.accepted.connect(self._on_accepted)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)
        self.resize(560, 0)
        self.side.currentIndexChanged.connect(lambda _i: self._show(self.side.currentData()))
        self.side.setCurrentIndex(0 if side == "a" else 1)
        self._show(side)
        dialog_mnemonics(self)
        self.fields["title"].setFocus()

    def _show(self, side: str) -> None:
        details = ArticleDetails.of(self._articles[side])
        for name, field in self.fields.items():
            field.setText(getattr(details, name) or "")
        self.error.clear()

    def _on_accepted(self) -> None:
        article = self._articles[self.side.currentData()]
        details = ArticleDetails(**{n: f.text() for n, f in self.fields.items()})
        try:
            updated = with_details(article, details)
        except ValueError as error:
            name = str(error).split(":", 1)[0]
            self.error.setText(
                f"<b>{_LABELS[name].replace('&', '')}</b>: {str(error).split(': ', 1)[1]}"
            )
            self.fields[name].setFocus()
            self.fields[name].selectAll()
            return
        self.result_article = None if updated == article else updated
        self.accept()
