"""Dropping a file on a pane: an article replaces that pane's article, a project
opens, and a file that cannot be read shows an error and changes nothing."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QApplication, QMessageBox

from factcheck.projectfile import save_project

ARTICLE = "Local paper\n\nThe bridge reopened on Tuesday. Repairs took 14 months.\n"


def _drop(view: Any, path: Path) -> bool:
    """Drag ``path`` over ``view`` and drop it; True when the drag was accepted."""
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(path))])
    target = view.viewport()
    point = target.rect().center()
    enter = QDragEnterEvent(
        point,
        Qt.DropAction.CopyAction,
        mime,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    QApplication.sendEvent(target, enter)
    drop = QDropEvent(
        QPointF(point),
        Qt.DropAction.CopyAction,
        mime,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    QApplication.sendEvent(target, drop)
    return enter.isAccepted() and drop.isAccepted()


@pytest.fixture
def errors(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "critical", lambda _p, _title, text: shown.append(text))
    return shown


def test_dropped_article_replaces_that_pane(
    make_window: Callable[..., Any], tmp_path: Path, errors: list[str]
) -> None:
    window = make_window()
    a_text = window.store.article("a").text
    path = tmp_path / "local.txt"
    path.write_text(ARTICLE, encoding="utf-8")
    assert _drop(window.panes["b"].view, path)
    assert errors == []
    assert window.store.article("a").text == a_text
    assert [c.text for c in window.store.claims("b")][-1] == "Repairs took 14 months."
    assert "Repairs took 14 months." in window.panes["b"].view.toPlainText()
    assert window.isWindowModified()


def test_dropped_article_with_a_stray_byte_shows_a_warning_without_blocking(
    make_window: Callable[..., Any], tmp_path: Path, errors: list[str]
) -> None:
    window = make_window()
    path = tmp_path / "damaged.txt"
    data = ARTICLE.replace("Tuesday", "“Tuesday”").encode("utf-8")
    path.write_bytes(data.replace(b"Repairs", b"Rep\xa0airs"))
    assert _drop(window.panes["b"].view, path)
    assert errors == []
    assert "Rep\ufffdairs took 14 months." in window.store.article("b").text
    box = window.findChild(QMessageBox, "loadWarnings")
    assert box is not None and box.isVisible() and not box.isModal()
    assert f"Article B ({path}): the text is UTF-8 except for 1 invalid byte" in box.text()
    box.close()


def test_dropped_project_opens(
    make_window: Callable[..., Any], tmp_path: Path, errors: list[str]
) -> None:
    from ui.project_io import project_from_texts

    project = project_from_texts("Alpha claim one. Alpha claim two.", "Beta claim one.")
    path = tmp_path / "dropped.factcheck.json"
    save_project(project, path)
    window = make_window()
    assert _drop(window.panes["a"].view, path)
    assert errors == []
    assert window.path == path
    assert window.store.article("b").text == "Beta claim one."
    assert not window.isWindowModified()


@pytest.mark.parametrize(
    ("name", "content", "problem"),
    [
        ("empty.txt", b"", "empty"),
        ("binary.txt", b"\x00\x01\x02", "binary"),
        ("broken.factcheck.json", b'{"bad": 1}', "not a factcheck project"),
    ],
)
def test_unreadable_drop_shows_an_error_and_changes_nothing(
    make_window: Callable[..., Any],
    tmp_path: Path,
    errors: list[str],
    name: str,
    content: bytes,
    problem: str,
) -> None:
    window = make_window()
    window.store.set_note("a:0", "work in progress")
    before = window.store.project()
    path = tmp_path / name
    path.write_bytes(content)
    _drop(window.panes["a"].view, path)
    assert len(errors) == 1
    assert problem in errors[0] and name in errors[0]
    assert window.store.project() == before
    assert window.path is None
