"""A click paints the panes and ribbons first; the inspector and the claims table,
whose content changes at once, paint right after (ui.window_selection)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtWidgets import QApplication, QToolButton
from pytestqt.qtbot import QtBot

from ui.claim_style import claim_label


class _PaintOrder(QObject):
    """Records the names of the watched widgets in the order they paint."""

    def __init__(self, widgets: dict[str, Any]) -> None:
        super().__init__()
        self.order: list[str] = []
        self._names = {id(w): name for name, w in widgets.items()}
        for widget in widgets.values():
            widget.installEventFilter(self)

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint:
            self.order.append(self._names[id(obj)])
        return False


def test_j_shows_the_claim_everywhere_and_paints_the_docks_after_the_ribbons(
    window: Any, qtbot: QtBot
) -> None:
    QApplication.processEvents()  # nothing left to paint from opening
    inspector, table = window.inspector, window.claim_panel.table
    watch = _PaintOrder(
        {
            "ribbons": window.link_view,
            "pane": window.panes["a"].view.viewport(),
            "inspector": inspector.heading,
            "table": table.viewport(),
        }
    )
    qtbot.keyClick(window.panes["a"].view, Qt.Key.Key_J)
    current = window.current_claim
    assert current is not None
    # What the docks show changes at once (only their pixels follow).
    assert claim_label(current) in inspector.heading.text()
    assert table.currentIndex().data(Qt.ItemDataRole.DisplayRole) is not None
    qtbot.waitUntil(lambda: {"ribbons", "pane", "inspector", "table"} <= set(watch.order))
    order = watch.order
    assert order.index("ribbons") < order.index("inspector"), order
    assert order.index("pane") < order.index("table"), order
    assert window.inspector_dock.widget().updatesEnabled() and table.updatesEnabled()
    # The inspector is laid out for its new texts: every button in its row, below them.
    heading = inspector.heading
    assert heading.width() >= heading.minimumSizeHint().width()
    buttons = inspector.findChildren(QToolButton)
    assert buttons
    below = inspector.claim_text.geometry().bottom()
    assert all(b.isHidden() or b.geometry().top() > below for b in buttons)
