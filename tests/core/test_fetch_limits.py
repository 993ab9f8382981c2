"""Open URL against servers that misbehave on purpose (run by the test on 127.0.0.1):
a total deadline however slowly the bytes come, cancel from another thread, bodies
shorter than their Content-Length, charsets that are no text encoding, redirects to
addresses without a server.

Deadlines here are 1 second; the assertions on time are only hang guards, many times
longer than the deadline.
"""

from __future__ import annotations

import inspect
import shutil
import ssl
import subprocess
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler
from pathlib import Path

import pytest

from factcheck.errors import ArticleLoadError
from factcheck.fetch import FETCH_DEADLINE_S, fetch_article
from factcheck.models import Article, Project
from factcheck.projectfile import dumps_project
from tests.web_server import serving

#: Far longer than any deadline used here: only a hung fetch takes this long.
HANG_GUARD_S = 15.0
#: A misbehaving handler gives up by itself after this long, should the client not.
SERVER_GIVES_UP_S = 40.0
PAGE = b"<html><body><p>The bridge reopened on Monday after eight months.</p></body></html>"


class _Hostile(BaseHTTPRequestHandler):
    requested: threading.Event  # set once a request has arrived
    client_gone: threading.Event  # set when writing to the client fails
    paths: list[str]

    def log_message(self, format: str, *args: object) -> None:
        pass

    def do_GET(self) -> None:
        self.paths.append(self.path)
        self.requested.set()
        route = getattr(self, "_route_" + self.path.strip("/").replace("-", "_"), None)
        if route is None:
            self._send(PAGE, "text/html; charset=utf-8")
            return
        try:
            route()
        except OSError:  # broken pipe, reset: the client hung up
            self.client_gone.set()

    def _raw(self, data: bytes) -> None:
        self.wfile.write(data)
        self.wfile.flush()

    def _trickle(self, data: bytes, every: float = 0.1) -> None:
        """``data`` a byte at a time, then nothing, until the client hangs up."""
        until = time.monotonic() + SERVER_GIVES_UP_S
        for n in range(len(data)):
            if time.monotonic() > until:
                return
            self._raw(data[n : n + 1])
            time.sleep(every)

    def _send(self, body: bytes, content_type: str) -> None:
        self._raw(
            b"HTTP/1.1 200 OK\r\nContent-Type: " + content_type.encode() + b"\r\n"
            b"Content-Length: " + str(len(body)).encode() + b"\r\n\r\n" + body
        )

    def _route_slow_headers(self) -> None:
        head = b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nX-Padding: " + b"x" * 4000
        self._trickle(head)

    def _route_slow_body(self) -> None:
        self._raw(b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 4000\r\n\r\n")
        self._trickle(PAGE + b" " * 4000)

    def _route_endless_continue(self) -> None:
        until = time.monotonic() + SERVER_GIVES_UP_S
        while time.monotonic() < until:
            self._raw(b"HTTP/1.1 100 Continue\r\n\r\n")
            time.sleep(0.02)

    def _route_short(self) -> None:
        self._raw(
            b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 5000\r\n\r\n" + PAGE
        )
        self.close_connection = True

    def _route_no_host_redirect(self) -> None:
        self._raw(
            b"HTTP/1.1 302 Found\r\nLocation: http:///etc/passwd\r\nContent-Length: 0\r\n\r\n"
        )


def _charset_route(name: str) -> None:
    def route(self: _Hostile) -> None:
        body = "<p>Caf\u00e9 \\ud800 +2AA- story text</p>".encode("latin-1", "replace")
        self._send(body, f"text/html; charset={name}")

    setattr(_Hostile, "_route_charset_" + name.replace("-", "_"), route)


NOT_TEXT = [
    "rot13",
    "base64",
    "zlib",
    "hex",
    "bz2",
    "raw-unicode-escape",
    "unicode-escape",
    "utf-7",
]
for _name in [*NOT_TEXT, "x-no-such-charset"]:
    _charset_route(_name)


@pytest.fixture
def hostile(monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[str, type[_Hostile]]]:
    handler = type(
        "Handler",
        (_Hostile,),
        {"requested": threading.Event(), "client_gone": threading.Event(), "paths": []},
    )
    with serving(handler, monkeypatch) as url:
        yield url, handler


def _fetch_guarded(url: str, **kwargs: object) -> tuple[ArticleLoadError, float]:
    started = time.monotonic()
    with pytest.raises(ArticleLoadError) as caught:
        fetch_article(url, article_id="a", **kwargs)  # type: ignore[arg-type]
    elapsed = time.monotonic() - started
    assert elapsed < HANG_GUARD_S, f"the fetch ran {elapsed:.1f} s"
    return caught.value, elapsed


def test_default_deadline_is_the_documented_20_seconds() -> None:
    default = inspect.signature(fetch_article).parameters["timeout"].default
    assert default == FETCH_DEADLINE_S == 20.0


@pytest.mark.parametrize("route", ["slow-headers", "slow-body", "endless-continue"])
def test_whole_response_has_one_deadline(hostile: tuple[str, type[_Hostile]], route: str) -> None:
    url, handler = hostile
    error, elapsed = _fetch_guarded(f"{url}/{route}", timeout=1.0)
    assert str(error) == (
        f"{url}/{route}: the page did not arrive within 1 seconds; the download was stopped"
    )
    assert elapsed >= 0.9  # not an early failure of another kind
    # The download was ended, not left running: the server sees the client hang up.
    assert handler.client_gone.wait(HANG_GUARD_S)


def test_cancel_stops_a_running_download(hostile: tuple[str, type[_Hostile]]) -> None:
    url, handler = hostile
    cancel = threading.Event()
    outcome: list[BaseException] = []

    def run() -> None:
        try:
            fetch_article(f"{url}/slow-body", article_id="a", timeout=60, cancel=cancel)
        except BaseException as error:
            outcome.append(error)

    worker = threading.Thread(target=run)
    worker.start()
    assert handler.requested.wait(HANG_GUARD_S)
    cancel.set()
    worker.join(HANG_GUARD_S)
    assert not worker.is_alive()
    assert [str(e) for e in outcome] == [f"{url}/slow-body: the download was cancelled"]
    assert handler.client_gone.wait(HANG_GUARD_S)


def test_cancel_before_start_fetches_nothing(hostile: tuple[str, type[_Hostile]]) -> None:
    url, handler = hostile
    cancel = threading.Event()
    cancel.set()
    error, _ = _fetch_guarded(f"{url}/page", cancel=cancel)
    assert "cancelled" in str(error)
    assert handler.paths == []


def test_body_shorter_than_its_content_length_is_refused(
    hostile: tuple[str, type[_Hostile]],
) -> None:
    url, _ = hostile
    error, _ = _fetch_guarded(f"{url}/short", timeout=10)
    assert str(error) == (
        f"{url}/short: the connection broke off after {len(PAGE)} of 5,000 bytes: "
        "the page is incomplete"
    )


@pytest.mark.parametrize("name", NOT_TEXT)
def test_charset_that_is_no_text_encoding_is_refused(
    hostile: tuple[str, type[_Hostile]], name: str
) -> None:
    url, _ = hostile
    route = f"{url}/charset-{name}"
    error, _ = _fetch_guarded(route, timeout=10)
    assert (
        str(error)
        == f"{route}: the server says the page is in {name!r}, which is not a text encoding"
    )


def test_unknown_charset_name_is_ignored_and_the_page_saves(
    hostile: tuple[str, type[_Hostile]],
) -> None:
    url, _ = hostile
    article = fetch_article(f"{url}/charset-x-no-such-charset", article_id="a", timeout=10)
    assert "story text" in article.text
    other = Article("b", "B", "b.txt", "Another text.")
    dumps_project(Project(article, other)).encode("utf-8")  # saveable: no lone surrogate


def test_redirect_to_an_address_without_a_server_is_refused(
    hostile: tuple[str, type[_Hostile]],
) -> None:
    url, handler = hostile
    error, _ = _fetch_guarded(f"{url}/no-host-redirect", timeout=10)
    assert str(error) == (
        f"{url}/no-host-redirect: the page redirects to 'http:///etc/passwd', which names no server"
    )
    assert handler.paths == ["/no-host-redirect"]  # nothing else was requested


@pytest.fixture
def tls_hostile(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[tuple[str, type[_Hostile]]]:
    """The same server over TLS, with a certificate the client is made to trust."""
    openssl = shutil.which("openssl")
    if openssl is None:
        pytest.skip("the openssl command is needed to make a test certificate")
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run(
        [
            *(openssl, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1"),
            *("-keyout", str(key), "-out", str(cert), "-subj", "/CN=localhost"),
            *("-addext", "subjectAltName=DNS:localhost"),
        ],
        check=True,
        capture_output=True,
    )
    monkeypatch.setenv("SSL_CERT_FILE", str(cert))  # read by the default context
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    handler = type(
        "Handler",
        (_Hostile,),
        {"requested": threading.Event(), "client_gone": threading.Event(), "paths": []},
    )
    with serving(handler, monkeypatch, tls=context) as url:
        yield url, handler


def test_deadline_holds_over_tls(tls_hostile: tuple[str, type[_Hostile]]) -> None:
    url, handler = tls_hostile
    article = fetch_article(f"{url}/page", article_id="a", timeout=10)
    assert "bridge reopened" in article.text
    error, _ = _fetch_guarded(f"{url}/slow-body", timeout=1.0)
    assert "did not arrive within 1 seconds" in str(error)
    assert handler.client_gone.wait(HANG_GUARD_S)
