"""A scroll area for a column of fields (the inspector)."""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt
from PySide6.QtWidgets import QFrame, QScrollArea, QWidget


class ColumnScroll(QScrollArea):
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
