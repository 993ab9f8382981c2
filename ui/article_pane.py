"""An article view under a header naming the article (title, source, claim count)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QLabel, QSizePolicy, QVBoxLayout, QWidget

from factcheck.models import Article, Claim

from .article_view import ArticleView


class ElidedLabel(QLabel):
    """A one-line label that ends in "…" when too narrow; the full text is its tooltip."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._full = ""
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

    def set_full_text(self, text: str) -> None:
        self._full = text
        self.setToolTip(text)
        self._elide()

    def full_text(self) -> str:
        return self._full

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._elide()

    def _elide(self) -> None:
        width = max(10, self.width() - 4)
        self.setText(self.fontMetrics().elidedText(self._full, Qt.TextElideMode.ElideRight, width))


class ArticlePane(QWidget):
    def __init__(self, side: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.side = side
        self.setObjectName(f"pane_{side}")
        self.title = ElidedLabel(self)
        self.title.setObjectName("paneTitle")
        font = self.title.font()
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.1)
        self.title.setFont(font)
        self.source = ElidedLabel(self)
        self.source.setObjectName("paneSource")
        self.view = ArticleView(self)
        self.view.setObjectName(f"view_{side}")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        header = QVBoxLayout()
        header.setContentsMargins(8, 6, 8, 4)
        header.setSpacing(0)
        header.addWidget(self.title)
        header.addWidget(self.source)
        layout.addLayout(header)
        layout.addWidget(self.view, 1)

    def set_article(self, article: Article, claims: tuple[Claim, ...]) -> None:
        self.show_details(article, len(claims))
        self.view.set_claims(article.text, claims)

    def show_text(self, article: Article, claim_count: int) -> None:
        """The header and the article's text, its claims not yet marked (the app's
        first paint: :meth:`set_article` follows)."""
        self.show_details(article, claim_count)
        self.view.show_text(article.text)

    def show_details(self, article: Article, claim_count: int) -> None:
        """The header: title, then URL (or source), author, outlet, date, claim count."""
        letter = article.id.upper()
        self.title.set_full_text(f"{letter} · {article.title or '(untitled)'}")
        where = article.metadata.url or article.source
        details = [where] if where else []
        if article.metadata.author:
            details.append(article.metadata.author)
        if article.metadata.site_name:
            details.append(article.metadata.site_name)
        if article.metadata.date:
            details.append(article.metadata.date)
        details.append(f"{claim_count} claims")
        self.source.set_full_text(" · ".join(details))
