"""File ▸ Open URL fetches an article from a web server (one this test runs on
127.0.0.1) off the GUI thread and shows it; a failed download changes nothing."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler
from typing import Any

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QComboBox, QDialog, QLineEdit, QMessageBox
from pytestqt.qtbot import QtBot

from tests.web_server import serving

PAGE = """<!doctype html><html><head><title>Harbour bridge reopens</title>
<meta name="author" content="R. Reporter"></head><body><article>
<h1>Harbour bridge reopens</h1>
<p>The harbour bridge reopened on Tuesday after 14 months of repairs.</p>
<p>The city council said the work cost 32 million euros.</p>
<p>Traffic is expected to return to normal by the summer.</p>
</article></body></html>"""


class _Handler(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        if self.path != "/article.html":
            self.send_error(404, "Not Found")
            return
        body = PAGE.encode("utf-8")
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture
def server(monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    with serving(_Handler, monkeypatch) as url:
        yield url


def _fill_open_url_dialog(qtbot: QtBot, url: str, side_label: str) -> list[bool]:
    """Once the modal dialog is up: type ``url``, choose the side, press Enter."""
    done: list[bool] = []

    def fill() -> None:
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, QDialog):
            QTimer.singleShot(10, fill)
            return
        address = dialog.findChild(QLineEdit)
        side = dialog.findChild(QComboBox)
        side.setCurrentIndex(side.findText(side_label))
        qtbot.keyClicks(address, url)
        qtbot.keyClick(address, Qt.Key.Key_Return)
        done.append(True)

    QTimer.singleShot(0, fill)
    return done


def test_open_url_fetches_and_shows_the_article(
    make_window: Callable[..., Any], qtbot: QtBot, server: str
) -> None:
    window = make_window()
    article_a = window.store.article("a")
    url = f"{server}/article.html"
    done = _fill_open_url_dialog(qtbot, url, "Article B (right)")
    with qtbot.waitSignal(window.files.articleFetched, timeout=20000) as blocker:
        window.actions_by_name["open_url"].trigger()
    assert done == [True]
    assert blocker.args == ["b"]
    b = window.store.article("b")
    assert b.title == "Harbour bridge reopens"
    assert b.source == url
    assert window.store.article("a").text == article_a.text
    texts = [c.text for c in window.store.claims("b")]
    assert any("32 million euros" in t for t in texts)
    assert window.panes["b"].title.full_text() == "B · Harbour bridge reopens"
    assert window.isWindowModified(), "a new comparison is unsaved"


def test_a_failed_download_shows_an_error_and_changes_nothing(
    make_window: Callable[..., Any], qtbot: QtBot, server: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    window = make_window()
    before = window.store.project()
    errors: list[str] = []
    monkeypatch.setattr(QMessageBox, "critical", lambda _p, title, text: errors.append(text))
    with qtbot.waitSignal(window.files.fetchFailed, timeout=20000) as blocker:
        window.files.fetch(f"{server}/missing.html", "a")
    assert "404" in blocker.args[0]
    assert errors == [blocker.args[0]]
    assert window.store.project() == before
    assert not window.isWindowModified()


class _SlowHandler(BaseHTTPRequestHandler):
    """Sends the headers, then a byte of body every 0.1 s until the client hangs up."""

    requested: threading.Event
    client_gone: threading.Event

    def do_GET(self) -> None:
        self.requested.set()
        try:
            self.wfile.write(
                b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 100000\r\n\r\n"
            )
            for _ in range(600):  # gives up after about a minute by itself
                self.wfile.write(b" ")
                self.wfile.flush()
                time.sleep(0.1)
        except OSError:
            self.client_gone.set()

    def log_message(self, format: str, *args: Any) -> None:
        pass


def test_cancel_stops_a_slow_download_and_changes_nothing(
    make_window: Callable[..., Any], qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    handler = type(
        "Handler",
        (_SlowHandler,),
        {"requested": threading.Event(), "client_gone": threading.Event()},
    )
    window = make_window()
    before = window.store.project()
    errors: list[str] = []
    monkeypatch.setattr(QMessageBox, "critical", lambda _p, title, text: errors.append(text))
    fetch = window.files.url_fetch
    with serving(handler, monkeypatch) as url:
        window.files.fetch(f"{url}/slow.html", "b")
        assert handler.requested.wait(15)
        qtbot.waitUntil(
            lambda: fetch.dialog is not None and fetch.dialog.isVisible(), timeout=15000
        )
        with qtbot.waitSignal(fetch.cancelled, timeout=15000):
            qtbot.keyClick(fetch.dialog, Qt.Key.Key_Escape)
        # The connection is really closed, not just forgotten.
        assert handler.client_gone.wait(15)
    assert not fetch.is_running()
    assert fetch.dialog is None
    assert errors == []
    assert window.store.project() == before
    assert not window.isWindowModified()
