"""The inspector's word diff: a flagged value's old and new forms read apart."""

from __future__ import annotations

import re

from PySide6.QtGui import QTextDocument

from factcheck.worddiff import word_diff
from ui.diff_html import styled_diff_html

OLD = "It is ignored that in 2014 and 2022 Xi Jinping gave his approval."
NEW = "It is ignored that in 2014 and 2021 Xi Jinping gave his tacit approval."


def _fragments(html: str) -> list[tuple[str, bool, bool, bool, str]]:
    """(text, bold, struck, underlined, colour) of each run, as Qt renders the HTML."""
    doc = QTextDocument()
    doc.setHtml(html)
    runs = []
    block = doc.begin()
    while block.isValid():
        it = block.begin()
        while not it.atEnd():
            frag = it.fragment()
            fmt = frag.charFormat()
            runs.append(
                (
                    frag.text(),
                    fmt.fontWeight() >= 600,
                    fmt.fontStrikeOut(),
                    fmt.fontUnderline(),
                    fmt.foreground().color().name(),
                )
            )
            it += 1
        block = block.next()
    return runs


def test_a_changed_date_reads_as_old_struck_and_new_underlined(qapp: object) -> None:
    diff = word_diff(OLD, NEW)
    assert [(d.a_text, d.b_text) for d in diff.differences] == [("2022", "2021")]
    runs = _fragments(styled_diff_html(diff))
    old = next(r for r in runs if r[0] == "2022")
    new = next(r for r in runs if r[0] == "2021")
    assert old[1] and old[2] and not old[3]  # bold, struck through
    assert new[1] and new[3] and not new[2]  # bold, underlined
    assert old[4] != new[4]  # and in different colours
    doc = QTextDocument()
    doc.setHtml(styled_diff_html(diff))
    text = doc.toPlainText()
    assert "20222021" not in text
    assert re.search(r"2022\s2021", text)  # a space apart
