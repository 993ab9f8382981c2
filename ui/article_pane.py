"""An article view under a header naming the article (title, source, claim count)."""

from __future__ import annotations

from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QLabel, QSizePolicy, QVBoxLayout, QWidget

from factcheck.models import Article, Claim

from .article_view import ArticleView


class ElidedLabel(QLabel):
    """A one-line label that ends in "…" when too narrow; the full text is its tooltip.

    :meth:`show_clipped` shows a text cut off at the edge instead, until
    :meth:`set_full_text`: eliding needs PySide's ``Qt`` namespace, which the app's
    first paint does without (see MainWindow)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._full = ""
        self._eliding = False
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)

    def show_clipped(self, text: str) -> None:
        self._full, self._eliding = text, False
        self.setToolTip(text)
        self.setText(text)

    def set_full_text(self, text: str) -> None:
        from PySide6.QtCore import Qt

        self._full, self._eliding = text, True
        self.setToolTip(text)
        self.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self._elide()

    def full_text(self) -> str:
        return self._full

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        if self._eliding:
            self._elide()

    def _elide(self) -> None:
        from PySide6.QtCore import Qt

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
        """The header (not elided) and the article's text, its claims not yet marked
        (the app's first paint: :meth:`set_article` follows)."""
        title, details = _header(article, claim_count)
        self.title.show_clipped(title)
        self.source.show_clipped(details)
        self.view.show_text(article.text)

    def show_details(self, article: Article, claim_count: int) -> None:
        title, details = _header(article, claim_count)
        self.title.set_full_text(title)
        self.source.set_full_text(details)


def _header(article: Article, claim_count: int) -> tuple[str, str]:
    """The header's lines: the title, then URL (or source), author, outlet, date and
    claim count."""
    title = f"{article.id.upper()} · {article.title or '(untitled)'}"
    where = article.metadata.url or article.source
    details = [where] if where else []
    if article.metadata.author:
        details.append(article.metadata.author)
    if article.metadata.site_name:
        details.append(article.metadata.site_name)
    if article.metadata.date:
        details.append(article.metadata.date)
    details.append(f"{claim_count} claims")
    return title, " · ".join(details)
