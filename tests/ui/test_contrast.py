"""Text is readable: every label of the window, the claims table's verdict colours, the
word diff's colours and the export dialog's error text reach WCAG AA (4.5:1)."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QLabel
from pytestqt.qtbot import QtBot

AA = 4.5


def luminance(colour: QColor) -> float:
    """WCAG 2 relative luminance."""

    def channel(c: float) -> float:
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    return (
        0.2126 * channel(colour.redF())
        + 0.7152 * channel(colour.greenF())
        + 0.0722 * channel(colour.blueF())
    )


def contrast(a: QColor, b: QColor) -> float:
    la, lb = sorted((luminance(a), luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def test_contrast_formula_matches_known_values() -> None:
    assert round(contrast(QColor("#000000"), QColor("#ffffff")), 1) == 21.0
    assert round(contrast(QColor("#777777"), QColor("#ffffff")), 2) == 4.48


def test_every_label_of_the_window_is_readable(make_window: Callable[..., Any]) -> None:
    window = make_window()
    labels = [w for w in window.findChildren(QLabel) if w.isVisible() and w.text()]
    assert len(labels) >= 8  # pane headers, inspector captions and texts, counts
    captions = [w for w in labels if w.objectName() == "caption"]
    assert captions
    for label in labels:
        palette = label.palette()
        fg = palette.color(label.foregroundRole())
        bg = palette.color(QPalette.ColorRole.Window)
        ratio = contrast(fg, bg)
        assert ratio >= AA, f"{label.text()!r}: {ratio:.2f}:1"


def test_verdict_colours_in_the_claims_table_are_readable(make_window: Callable[..., Any]) -> None:
    from ui.claim_style import VERDICT_STYLES

    window = make_window()
    table = window.claim_panel.table
    base = table.palette().color(QPalette.ColorRole.Base)
    alternate = table.palette().color(QPalette.ColorRole.AlternateBase)
    for verdict, style in VERDICT_STYLES.items():
        for bg in (base, alternate):
            assert contrast(style.mark, bg) >= AA, verdict


def test_word_diff_and_error_colours_are_readable(qtbot: QtBot) -> None:
    from ui import diff_html

    styles = [
        diff_html.DELETE_STYLE,
        diff_html.INSERT_STYLE,
        diff_html.FACT_STYLE,
        diff_html.DELETED_FACT_STYLE,
        diff_html.INSERTED_FACT_STYLE,
    ]
    for style in styles:
        fg = re.search(r"(?<![-\w])color:(#\w+)", style)
        bg = re.search(r"background:(#\w+)", style)
        assert fg and bg, style
        assert contrast(QColor(fg.group(1)), QColor(bg.group(1))) >= AA, style
