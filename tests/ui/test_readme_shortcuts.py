"""The README's keyboard table is the menus' table: a shortcut added, changed or
removed in ``ui/actions.py`` without updating the README fails here."""

from __future__ import annotations

import re
from pathlib import Path

from pytestqt.qtbot import QtBot

from ui.actions import shortcut_table

README = Path(__file__).resolve().parents[2] / "README.md"


def _readme_rows() -> list[tuple[str, str, str]]:
    text = README.read_text(encoding="utf-8")
    section = text.split("### Keyboard", 1)[1].split("\n## ", 1)[0]
    rows = []
    for line in section.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) == 3 and cells[0] not in ("menu", "") and not re.fullmatch(r"-+", cells[0]):
            rows.append((cells[0], cells[1], cells[2].replace("`", "")))
    return rows


def test_readme_lists_every_shortcut_as_the_menus_do(qtbot: QtBot) -> None:
    expected = shortcut_table()
    assert len(expected) > 20
    assert _readme_rows() == expected
