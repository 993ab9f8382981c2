"""The window's size: a comfortable default that never exceeds the screen.

A fixed 1400×860 window overflows a 1280×720 screen (the inspector's word diff ends
under the screen's edge). The default is that size at most, and at most the screen's
available area less a margin; a restored geometry from a larger screen is shrunk
and moved back onto this one.
"""

from __future__ import annotations

from PySide6.QtCore import QRect, QSize
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QWidget

PREFERRED = QSize(1400, 860)
#: Below this available height, docks stacked in one column are tabbed instead.
SMALL_SCREEN = 900


def available(window: QWidget) -> QRect:
    screen = window.screen() or QGuiApplication.primaryScreen()
    return screen.availableGeometry()


def fit_to_screen(window: QWidget, preferred: QSize = PREFERRED) -> None:
    """Size ``window`` to ``preferred``, or less where the screen is smaller."""
    area = available(window)
    window.resize(
        min(preferred.width(), area.width() - 16), min(preferred.height(), area.height() - 16)
    )


def keep_on_screen(window: QWidget) -> None:
    """Shrink and move ``window`` (its frame) so it lies within the available area."""
    area = available(window)
    frame = window.frameGeometry()
    extra = frame.size() - window.size()
    width = min(window.width(), area.width() - extra.width())
    height = min(window.height(), area.height() - extra.height())
    if (width, height) != (window.width(), window.height()):
        window.resize(width, height)
    frame = window.frameGeometry()
    x = min(max(frame.x(), area.x()), area.right() + 1 - frame.width())
    y = min(max(frame.y(), area.y()), area.bottom() + 1 - frame.height())
    if (x, y) != (frame.x(), frame.y()):
        window.move(x, y)
