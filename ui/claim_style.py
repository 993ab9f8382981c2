"""How verdicts and link states look: one place for colours and non-colour cues.

Every verdict has a tint *and* an underline style, so the two still read apart for
colour-blind users (solid = supported, wave = contested, dotted = opinion).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from functools import cache
from typing import TYPE_CHECKING

from PySide6.QtGui import QBrush, QColor

from factcheck.claimref import claim_label
from factcheck.models import LinkState, Verdict
from factcheck.values import Value

if TYPE_CHECKING:
    from PySide6.QtGui import QTextCharFormat

__all__ = ["claim_label"]  # claims as people see them (A18): one function, in the core


@dataclass(frozen=True, eq=False, repr=False)
class VerdictStyle(Value):
    label: str
    tint: QColor
    mark: QColor
    #: The name of its ``QTextCharFormat.UnderlineStyle`` (see :attr:`underline`).
    underline_style: str
    symbol: str

    @property
    def underline(self) -> QTextCharFormat.UnderlineStyle | None:
        """None: not underlined."""
        return None if self.underline_style == "NoUnderline" else _underline(self.underline_style)


@cache
def _underline(name: str) -> QTextCharFormat.UnderlineStyle:
    """(Built on first use: see ui.decorations.new_format.)"""
    from PySide6.QtGui import QTextCharFormat

    return QTextCharFormat.UnderlineStyle[name]


VERDICT_STYLES: dict[Verdict, VerdictStyle] = {
    Verdict.UNREVIEWED: VerdictStyle(
        "Unreviewed", QColor(0, 0, 0, 0), QColor("#59636e"), "NoUnderline", "·"
    ),
    Verdict.SUPPORTED: VerdictStyle(
        "Supported", QColor(46, 160, 67, 60), QColor("#1a7f37"), "SingleUnderline", "✓"
    ),
    Verdict.CONTESTED: VerdictStyle(
        "Contested", QColor(215, 58, 73, 60), QColor("#cf222e"), "WaveUnderline", "✗"
    ),
    Verdict.OPINION: VerdictStyle(
        "Opinion", QColor(130, 80, 223, 55), QColor("#8250df"), "DotLine", "≈"
    ),
}


@cache
def changed_hatch() -> QBrush:
    """Claims changed since reviewed: diagonal hatching over the verdict tint, plus an
    overline (the verdict keeps its underline), so the mark is a shape, not a colour.
    (Made when first needed: not at the app's first paint, see MainWindow.)"""
    from PySide6.QtCore import Qt

    return QBrush(QColor(154, 103, 0, 200), Qt.BrushStyle.BDiagPattern)


#: The mark in lists and tables.
CHANGED_MARK = "changed since reviewed"

#: Unreviewed claims alternate between two faint greys so neighbours stay apart.
UNREVIEWED_TINTS = (QColor(120, 130, 150, 22), QColor(120, 130, 150, 46))
#: Claims of the other pane matched to the selected claim.
RELATED_TINT = QColor(255, 196, 0, 90)
SELECTED_TINT = QColor(9, 105, 218, 70)
SELECTED_OUTLINE = QColor("#0969da")
PARTNER_OUTLINE = QColor("#bf8700")
#: A claim kept selected in the other pane that is not a match of the current one.
KEPT_OUTLINE = QColor("#6e7781")


class SelectionLook(StrEnum):
    """How a pane draws its selected claim."""

    CURRENT = "current"  # the claim being reviewed (this pane is the active one)
    MATCH = "match"  # in the other pane: a match of the current claim
    KEPT = "kept"  # in the other pane: kept for "Link selected claims", not a match


LINK_COLOURS: dict[LinkState, QColor] = {
    LinkState.SUGGESTED: QColor("#6e7781"),
    LinkState.CONFIRMED: QColor("#1a7f37"),
    LinkState.MANUAL: QColor("#0969da"),
    LinkState.REJECTED: QColor("#cf222e"),
}
LINK_LABELS: dict[LinkState, str] = {
    LinkState.SUGGESTED: "suggested",
    LinkState.CONFIRMED: "confirmed",
    LinkState.MANUAL: "linked by hand",
    LinkState.REJECTED: "rejected",
}
