"""fetch_article against a real HTTP server on 127.0.0.1 that the tests start."""

from __future__ import annotations

import contextlib
import socket
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler

import pytest

from factcheck import fetch
from factcheck.errors import ArticleLoadError
from factcheck.fetch import MAX_FETCH_BYTES, fetch_article
from tests.web_server import serving

ARTICLE_HTML = """<!DOCTYPE html>
<html><head>
<title>Harbour bridge reopens after repairs | Coast Times</title>
<meta name="author" content="Jane Reporter">
<meta property="og:title" content="Harbour bridge reopens after repairs">
<meta property="og:site_name" content="Coast Times">
<script>var secret = "tracking code must not be text";</script>
<style>p { color: red; }</style>
</head><body>
<nav><a href="/">Home</a> <a href="/news">Navigation menu entry</a></nav>
<article>
<h1>Harbour bridge reopens after repairs</h1>
<p>The harbour bridge reopened on Monday after eight months of repairs that cost
the city 42 million dollars, officials said at a morning ceremony.</p>
<p>Traffic was light during the first hours, but the mayor expects 30,000 vehicles
a day to cross again by the end of the month, as before the closure.</p>
<p>Engineers replaced all the cables and resurfaced the deck, which had shown
cracks since a storm damaged it during the winter two years ago.</p>
<script>document.write("injected by a script");</script>
</article>
<footer>Copyright Coast Times</footer>
</body></html>
"""

CP1252_HTML = (
    "<html><head><title>Café story</title></head><body><article>"
    "<p>The café owner said the naïve plan “would never work” — and he was right, "
    "according to the minutes of the council meeting held last Thursday evening.</p>"
    "<p>Neighbours agreed that the façade needed repairs long before the storm came.</p>"
    "</article></body></html>"
).encode("cp1252")

# Short legacy-encoded texts that guessing alone decodes wrongly.
KOI8_TEXT = "Привет мир, это статья."
GREEK_TEXT = "Γειά σου κόσμε, άρθρο."

BIG_CHUNK = b"x" * (256 * 1024)


class _Handler(BaseHTTPRequestHandler):
    release: threading.Event  # set by the fixture: slow handlers stop waiting

    def log_message(self, format: str, *args: object) -> None:  # quiet test output
        pass

    def do_GET(self) -> None:
        route = getattr(self, "_route_" + self.path.strip("/").replace("-", "_"), None)
        if route is None:
            self.send_error(404, "Not Found")
            return
        # The client gives up on refused downloads, as it should.
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):
            route()

    def _send(self, body: bytes, content_type: str, status: int = 200) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def _redirect(self, location: str) -> None:
        self.send_response(302)
        self.send_header("Location", location)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def _route_article(self) -> None:
        self._send(ARTICLE_HTML.encode("utf-8"), "text/html; charset=utf-8")

    def _route_moved(self) -> None:
        self._redirect("/article")

    def _route_to_file(self) -> None:
        self._redirect("file:///etc/passwd")

    def _route_loop(self) -> None:
        self._redirect("/loop-again")

    def _route_loop_again(self) -> None:
        self._redirect("/loop")

    def _route_cp1252(self) -> None:
        # No <meta charset>: only the header says how to read the bytes.
        self._send(CP1252_HTML, "text/html; charset=windows-1252")

    def _route_latin1_text(self) -> None:
        text = "Quotes “like these” are cp1252 bytes 0x93 and 0x94.\nSecond line: 5 €."
        self._send(text.encode("cp1252"), "text/plain; charset=ISO-8859-1")

    def _route_koi8_text(self) -> None:
        self._send(KOI8_TEXT.encode("koi8-r"), "text/plain; charset=koi8-r")

    def _route_greek(self) -> None:
        page = f"<html><body><article><p>{GREEK_TEXT}</p></article></body></html>"
        self._send(page.encode("iso8859-7"), "text/html; charset=ISO-8859-7")

    def _route_mislabelled_utf8(self) -> None:
        self._send("Ünïcödé text, labelled Latin-1.".encode(), "text/plain; charset=iso-8859-1")

    def _route_image(self) -> None:
        self._send(b"\x89PNG\r\n\x1a\n" + b"\x00" * 64, "image/png")

    def _route_pdf(self) -> None:
        self._send(b"%PDF-1.7\n" + b"\x00" * 64, "application/pdf")

    def _route_huge(self) -> None:
        # Close-delimited and produced on the fly: no length, no body in memory.
        self.send_response(200)
        self.send_header("Content-Type", "text/plain")
        self.end_headers()
        for chunk in _endless_chunks():
            self.wfile.write(chunk)

    def _route_huge_declared(self) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "text/html")
        self.send_header("Content-Length", str(50 * MAX_FETCH_BYTES))
        self.end_headers()
        self.wfile.write(BIG_CHUNK)

    def _route_slow(self) -> None:
        self.release.wait(10)
        self._send(b"too late", "text/plain")


def _endless_chunks() -> Iterator[bytes]:
    sent = 0
    while sent < 4 * MAX_FETCH_BYTES:  # bounded anyway, should the client not stop
        sent += len(BIG_CHUNK)
        yield BIG_CHUNK


@pytest.fixture
def server(monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    release = threading.Event()
    handler = type("Handler", (_Handler,), {"release": release})
    with serving(handler, monkeypatch) as url:
        try:
            yield url
        finally:
            release.set()  # slow handlers stop waiting before the server stops


def test_article_page_gives_main_text_and_metadata(server: str) -> None:
    article = fetch_article(server + "/article", article_id="b")
    assert article.id == "b"
    assert article.source == server + "/article"
    assert "reopened on Monday after eight months of repairs" in article.text
    assert "Engineers replaced all the cables" in article.text
    for never in ("tracking code", "injected by a script", "Navigation menu", "color: red"):
        assert never not in article.text
    assert article.title == "Harbour bridge reopens after repairs"
    assert article.metadata.author == "Jane Reporter"
    assert article.metadata.site_name == "Coast Times"
    assert article.metadata.url == server + "/article"  # the page states none


def test_redirect_is_followed_and_final_address_kept(server: str) -> None:
    article = fetch_article(server + "/moved", article_id="a")
    assert "harbour bridge reopened" in article.text.lower()
    assert article.source == server + "/moved"
    assert article.metadata.url == server + "/article"


def test_redirect_to_a_file_address_is_refused(server: str) -> None:
    with pytest.raises(ArticleLoadError, match="not an http or https address") as caught:
        fetch_article(server + "/to-file", article_id="a")
    assert caught.value.source == server + "/to-file"


def test_redirect_loop_stops(server: str) -> None:
    with pytest.raises(ArticleLoadError, match="too many redirects"):
        fetch_article(server + "/loop", article_id="a")


def test_http_error_is_named(server: str) -> None:
    with pytest.raises(ArticleLoadError) as caught:
        fetch_article(server + "/nothing-here", article_id="a")
    assert str(caught.value) == f"{server}/nothing-here: HTTP 404 Not Found"


def test_huge_streamed_body_is_refused_while_streaming(server: str) -> None:
    with pytest.raises(ArticleLoadError, match="too large"):
        fetch_article(server + "/huge", article_id="a")


def test_huge_declared_length_is_refused_before_reading(server: str) -> None:
    with pytest.raises(ArticleLoadError, match=r"1000\.0 MB; the limit is 20 MB"):
        fetch_article(server + "/huge-declared", article_id="a")


def test_slow_server_times_out(server: str) -> None:
    with pytest.raises(ArticleLoadError, match=r"did not arrive within 0\.2 seconds"):
        fetch_article(server + "/slow", article_id="a", timeout=0.2)


@pytest.mark.parametrize(("route", "kind"), [("/image", "image/png"), ("/pdf", "application/pdf")])
def test_non_text_content_is_refused(server: str, route: str, kind: str) -> None:
    with pytest.raises(ArticleLoadError, match=f"gives {kind} content, not a web page"):
        fetch_article(server + route, article_id="a")


def test_charset_from_header_decodes_cp1252_page(server: str) -> None:
    article = fetch_article(server + "/cp1252", article_id="a")
    assert "The café owner said the naïve plan “would never work” — and" in article.text
    assert "façade" in article.text


def test_latin1_header_is_read_as_cp1252_plain_text(server: str) -> None:
    article = fetch_article(server + "/latin1-text", article_id="a")
    assert article.text == "Quotes “like these” are cp1252 bytes 0x93 and 0x94.\nSecond line: 5 €."


def test_header_charset_beats_guessing(server: str) -> None:
    assert fetch_article(server + "/koi8-text", article_id="a").text == KOI8_TEXT
    assert GREEK_TEXT in fetch_article(server + "/greek", article_id="a").text


def test_valid_utf8_beats_a_latin1_label(server: str) -> None:
    article = fetch_article(server + "/mislabelled-utf8", article_id="a")
    assert article.text == "Ünïcödé text, labelled Latin-1."


@pytest.mark.parametrize(
    "url", ["file:///etc/passwd", "ftp://127.0.0.1/article.txt", "javascript:alert(1)", "x"]
)
def test_only_web_addresses_are_opened(url: str) -> None:
    with pytest.raises(ArticleLoadError) as caught:
        fetch_article(url, article_id="a")
    assert str(caught.value) == f"{url}: only http and https addresses can be opened"


def test_address_without_server_name_is_refused() -> None:
    with pytest.raises(ArticleLoadError, match="no server name"):
        fetch_article("http:///just-a-path", article_id="a")


def test_unknown_server_name_is_reported(monkeypatch: pytest.MonkeyPatch) -> None:
    def no_such_name(*args: object, **kwargs: object) -> object:
        raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")

    # No network in tests: the resolver itself answers "no such name".
    monkeypatch.setattr(socket, "getaddrinfo", no_such_name)
    with pytest.raises(ArticleLoadError, match="server name could not be found"):
        fetch_article("https://news.example.invalid/story", article_id="a")


def test_closed_port_is_reported() -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with pytest.raises(ArticleLoadError, match="refused the connection"):
        fetch_article(f"http://127.0.0.1:{port}/", article_id="a", timeout=2)


def test_limit_matches_the_article_file_limit() -> None:
    from factcheck.loading import MAX_ARTICLE_BYTES

    assert fetch.MAX_FETCH_BYTES == MAX_ARTICLE_BYTES == 20 * 1024 * 1024
