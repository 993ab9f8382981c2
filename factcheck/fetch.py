"""Fetch an article from an http or https address and extract it, offline afterwards.

Only the page itself is downloaded: no scripts, images or frames (the HTML is
parsed by :mod:`factcheck.loading`, which never fetches). The download is bounded
in size (:data:`MAX_FETCH_BYTES`, checked while streaming, so a huge or endless
body is never held in memory) and in time: the whole response, from connecting
through redirects and headers to the last byte of the body, must arrive within
``timeout`` seconds (:data:`FETCH_DEADLINE_S`, 20 by default), however the server
dribbles it out. Redirects are followed up to :data:`MAX_REDIRECTS` times, only to
http or https addresses that name a server. A body shorter than its
``Content-Length`` is refused, and so is a charset that is not a text encoding.
Every failure raises :class:`ArticleLoadError` naming the address.
"""

from __future__ import annotations

import codecs
import contextlib
import http.client
import re
import socket
import ssl
import threading
import time
import urllib.error
import urllib.request
from dataclasses import replace
from email.message import Message
from typing import IO, Any
from urllib.parse import urljoin, urlsplit

from factcheck.errors import ArticleLoadError
from factcheck.loading import article_from_html, article_from_text, with_load_warnings
from factcheck.models import Article
from factcheck.textdecoding import DecodedText, decode_text, normalise_newlines

__all__ = ["FETCH_DEADLINE_S", "MAX_FETCH_BYTES", "MAX_REDIRECTS", "fetch_article"]

#: Larger downloads are refused; the same limit as for an article file.
MAX_FETCH_BYTES = 20 * 1024 * 1024
MAX_REDIRECTS = 10
#: Seconds for the whole response (connection, redirects, headers and body).
FETCH_DEADLINE_S = 20.0
#: How often a running download looks at its ``cancel`` event.
_CANCEL_POLL_S = 0.05
_WEB_SCHEMES = ("http", "https")
_CHUNK_BYTES = 64 * 1024
_HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})
# Text, but never an article.
_NOT_ARTICLE_TEXT = frozenset({"text/css", "text/javascript", "text/ecmascript"})
_USER_AGENT = "factcheck/0.1 (article comparison; +https://github.com/)"
_BOMS = (codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)
#: Codecs that decode bytes to str but are no text encoding of a page: they turn
#: backslash escapes, ``+…-`` runs or labels into characters, lone surrogates included
#: (text that can never be saved). Browsers know none of them.
_NOT_PAGE_ENCODINGS = frozenset(
    {"raw-unicode-escape", "unicode-escape", "utf-7", "punycode", "idna", "undefined"}
)
_SURROGATE = re.compile("[\ud800-\udfff]")


def fetch_article(
    url: str,
    *,
    article_id: str,
    timeout: float = FETCH_DEADLINE_S,
    cancel: threading.Event | None = None,
) -> Article:
    """Download ``url`` and make an article of its main text and stated metadata.

    The whole response must arrive within ``timeout`` seconds; setting ``cancel``
    (from another thread) stops the download at once. Both raise ArticleLoadError.
    ``Article.source`` is ``url`` as given; ``metadata.url`` is the page's stated
    address, else the address the redirects ended at.
    """
    url = url.strip()
    _check_web_address(url, url)
    with _Watchdog(timeout, cancel) as watchdog:
        opener = urllib.request.OpenerDirector()
        for handler in (
            urllib.request.ProxyHandler(),
            _WatchedHTTPHandler(watchdog),
            _WatchedHTTPSHandler(watchdog),
            _WebOnlyRedirects(url),
            urllib.request.HTTPDefaultErrorHandler(),
            urllib.request.HTTPErrorProcessor(),
        ):
            opener.add_handler(handler)
        request = urllib.request.Request(url, headers={"User-Agent": _USER_AGENT, "Accept": "*/*"})
        try:
            with opener.open(request, timeout=timeout) as response:
                final_url = response.geturl()
                headers: Message = response.headers
                kind = headers.get_content_type() if headers.get("Content-Type") else None
                _check_content_type(url, kind)
                body = _read_capped(url, response, headers, watchdog)
        except Exception as error:
            # A socket shut at the deadline fails in whatever way it happens to.
            watchdog.raise_if_stopped(url)
            raise _load_error(url, error, timeout) from None
        watchdog.raise_if_stopped(url)  # a close-delimited body cut off looks whole

    charset = _charset(headers, url)
    if kind in _HTML_TYPES or (kind is None and _looks_like_html(body)):
        if charset is None:  # decoded, with any warnings, by article_from_html
            article = article_from_html(body, article_id=article_id, source=url)
        else:
            decoded = _decode(body, charset, url)
            article = article_from_html(decoded.text, article_id=article_id, source=url)
            article = with_load_warnings(article, decoded.warnings)
    else:
        decoded = _decode(body, charset, url)
        article = article_from_text(decoded.text, article_id=article_id, source=url)
        article = with_load_warnings(article, decoded.warnings)
    if article.metadata.url:
        return article
    return replace(article, metadata=replace(article.metadata, url=final_url))


class _Watchdog:
    """Ends a download at its deadline or when ``cancel`` is set, whatever the server does.

    A socket timeout bounds each wait for data, so a server sending a byte a second, or
    ``100 Continue`` responses without end, never trips it. This thread shuts down the
    connections' sockets instead: the blocked read returns at once, and
    :meth:`raise_if_stopped` tells the fetch why it ended. It holds a duplicate of each
    socket's descriptor, the same connection under a descriptor of its own: it works
    the same before, during and after a TLS handshake (which detaches the plain socket
    object), and is never some other file's descriptor reused.
    """

    def __init__(self, seconds: float, cancel: threading.Event | None) -> None:
        self.seconds = seconds
        self._deadline = time.monotonic() + seconds
        self._cancel = cancel
        self._finished = threading.Event()
        self._lock = threading.Lock()
        self._sockets: list[socket.socket] = []  # duplicates, closed at the end
        self._stopped: str | None = None
        self._thread = threading.Thread(target=self._run, name="factcheck-fetch", daemon=True)

    def __enter__(self) -> _Watchdog:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._finished.set()
        self._thread.join()
        for sock in self._sockets:
            sock.close()

    def remaining(self) -> float:
        return self._deadline - time.monotonic()

    def create_connection(
        self, address: tuple[str, int], *args: Any, **kwargs: Any
    ) -> socket.socket:
        """``socket.create_connection``, within the time left, with the socket watched."""
        self.raise_if_stopped(f"http://{address[0]}")
        if args:
            args = (min(args[0], max(self.remaining(), 0.001)), *args[1:])
        sock = socket.create_connection(address, *args, **kwargs)
        watched = sock.dup()
        with self._lock:
            self._sockets.append(watched)
            stopped = self._stopped is not None
        if stopped:
            _shut_down(watched)
        return sock

    def raise_if_stopped(self, url: str) -> None:
        if self._stopped == "cancelled":
            raise ArticleLoadError(url, "the download was cancelled")
        if self._stopped == "deadline":
            raise ArticleLoadError(url, _too_slow(self.seconds))

    def _run(self) -> None:
        while True:
            remaining = self.remaining()
            if remaining <= 0:
                reason = "deadline"
                break
            if self._cancel is not None and self._cancel.is_set():
                reason = "cancelled"
                break
            wait = remaining if self._cancel is None else min(remaining, _CANCEL_POLL_S)
            if self._finished.wait(wait):
                return
        with self._lock:
            self._stopped = reason
            sockets = list(self._sockets)
        for sock in sockets:
            _shut_down(sock)


def _shut_down(sock: socket.socket) -> None:
    # Ends the connection for every descriptor of it: the reading thread's next read
    # (plain or TLS) returns at once.
    with contextlib.suppress(OSError):  # already closed by the server
        sock.shutdown(socket.SHUT_RDWR)


def _watched(base: type[http.client.HTTPConnection], watchdog: _Watchdog) -> Any:
    """A connection class for urllib's ``do_open`` whose sockets ``watchdog`` can end."""

    def connection(host: str, **kwargs: Any) -> http.client.HTTPConnection:
        made = base(host, **kwargs)
        made._create_connection = watchdog.create_connection  # type: ignore[attr-defined]
        return made

    return connection


class _WatchedHTTPHandler(urllib.request.HTTPHandler):
    def __init__(self, watchdog: _Watchdog) -> None:
        super().__init__()
        self._connection = _watched(http.client.HTTPConnection, watchdog)

    def http_open(self, req: urllib.request.Request) -> http.client.HTTPResponse:
        return self.do_open(self._connection, req)


class _WatchedHTTPSHandler(urllib.request.HTTPSHandler):
    def __init__(self, watchdog: _Watchdog) -> None:
        super().__init__()
        self._connection = _watched(http.client.HTTPSConnection, watchdog)

    def https_open(self, req: urllib.request.Request) -> http.client.HTTPResponse:
        return self.do_open(self._connection, req)


class _WebOnlyRedirects(urllib.request.HTTPRedirectHandler):
    """urllib's redirect handling, bounded and restricted to http and https."""

    max_redirections = MAX_REDIRECTS
    max_repeats = 2

    def __init__(self, original_url: str) -> None:
        self._original_url = original_url

    def http_error_302(
        self,
        req: urllib.request.Request,
        fp: IO[bytes],
        code: int,
        msg: str,
        headers: http.client.HTTPMessage,
    ) -> IO[bytes] | None:
        # Checked here, before urllib's own check, which lets ftp through and words
        # its refusals as HTTP errors.
        location = (headers.get("Location") or headers.get("URI") or "").strip()
        if location:
            try:
                _check_redirect(self._original_url, req.full_url, location)
            except ArticleLoadError:
                fp.close()
                raise
        return super().http_error_302(req, fp, code, msg, headers)

    http_error_301 = http_error_303 = http_error_307 = http_error_308 = http_error_302


def _check_web_address(source: str, url: str, *, redirected: bool = False) -> None:
    try:
        parts = urlsplit(url)
    except ValueError:
        raise ArticleLoadError(source, "not a valid web address") from None
    if parts.scheme.lower() not in _WEB_SCHEMES:
        if redirected:
            problem = f"the page redirects to {url!r}, which is not an http or https address"
        else:
            problem = "only http and https addresses can be opened"
        raise ArticleLoadError(source, problem)
    if not parts.hostname:
        raise ArticleLoadError(source, "not a valid web address (no server name)")


def _check_redirect(source: str, base: str, location: str) -> None:
    """Refuse a redirect to another scheme, or to an absolute address without a server.

    ``http:///etc/passwd`` would otherwise be joined to the current server's address;
    browsers and urllib disagree on such addresses, so none is followed. Backslashes
    count as slashes here, as browsers read them in http(s) addresses.
    """
    spelled = location.replace("\\", "/")
    try:
        parts = urlsplit(spelled)
    except ValueError:
        parts = None
    if parts is None or (parts.scheme and parts.scheme.lower() not in _WEB_SCHEMES):
        _check_web_address(source, location, redirected=True)
    elif (parts.scheme or spelled.startswith("//")) and not parts.hostname:
        problem = f"the page redirects to {location!r}, which names no server"
        raise ArticleLoadError(source, problem)
    _check_web_address(source, urljoin(base, location), redirected=True)


def _check_content_type(url: str, kind: str | None) -> None:
    if kind is None or kind in _HTML_TYPES:
        return
    if kind.startswith("text/") and kind not in _NOT_ARTICLE_TEXT:
        return
    raise ArticleLoadError(url, f"the address gives {kind} content, not a web page or text")


def _read_capped(url: str, response: IO[bytes], headers: Message, watchdog: _Watchdog) -> bytes:
    """The body, refused as soon as it is known to exceed the limit, or found short."""
    declared = headers.get("Content-Length")
    if declared is not None and declared.strip().isdigit() and int(declared) > MAX_FETCH_BYTES:
        raise ArticleLoadError(url, _too_large(f"{int(declared) / 2**20:.1f} MB"))
    chunks: list[bytes] = []
    size = 0
    while chunk := response.read(_CHUNK_BYTES):
        size += len(chunk)
        if size > MAX_FETCH_BYTES:
            raise ArticleLoadError(url, _too_large("more"))
        chunks.append(chunk)
    watchdog.raise_if_stopped(url)
    # http.client counts down the bytes a Content-Length promised and, at a closed
    # connection, just stops reading: what is left is what never came.
    missing = getattr(response, "length", None)
    if missing:
        raise ArticleLoadError(
            url,
            f"the connection broke off after {size:,} of {size + missing:,} bytes: "
            "the page is incomplete",
        )
    body = b"".join(chunks)
    if not body.strip():
        raise ArticleLoadError(url, "the page is empty")
    return body


def _too_large(size: str) -> str:
    return f"the page is too large ({size}; the limit is {MAX_FETCH_BYTES // 2**20} MB)"


def _charset(headers: Message, url: str) -> str | None:
    """The charset the server states, if Python knows it (Latin-1 read as cp1252).

    An unknown name is ignored, as browsers do; a name Python knows as something other
    than a text encoding (``rot13``, ``base64``, ``zlib``, ``raw-unicode-escape``…) is
    refused: the server says the bytes are not text.
    """
    name = headers.get_content_charset()
    if not name:
        return None
    try:
        codec = codecs.lookup(name).name
    except (LookupError, ValueError):
        return None
    try:
        b"x".decode(codec)
    except LookupError:  # a bytes-to-bytes or str-to-str codec ("not a text encoding")
        codec = "undefined"
    except UnicodeError:
        pass  # a text encoding that cannot decode this one byte (utf-16…)
    if codec in _NOT_PAGE_ENCODINGS:
        raise ArticleLoadError(
            url, f"the server says the page is in {name!r}, which is not a text encoding"
        )
    # Browsers read Latin-1 and ASCII labels as windows-1252 (WHATWG Encoding).
    return "cp1252" if codec in ("latin-1", "iso8859-1", "ascii") else codec


def _decode(body: bytes, charset: str | None, url: str) -> DecodedText:
    """A byte-order mark or valid UTF-8 wins, then the server's charset, then a guess.

    UTF-8 before the header because servers often label UTF-8 pages Latin-1, while
    legacy-encoded text with accents is practically never valid UTF-8.
    """
    if charset is not None and not body.startswith(_BOMS) and not _is_utf8(body):
        try:
            text = body.decode(charset)
        except UnicodeDecodeError:
            pass  # the header is wrong too; let detection find the encoding
        else:
            if "\x00" not in text and not _SURROGATE.search(text):
                return DecodedText(normalise_newlines(text), charset)
    return decode_text(body, source=url)


def _is_utf8(body: bytes) -> bool:
    try:
        body.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _looks_like_html(body: bytes) -> bool:
    head = body[:1024].lstrip().lower()
    return head.startswith((b"<!doctype html", b"<html", b"<head", b"<body", b"<!--"))


def _load_error(url: str, error: Exception, timeout: float) -> ArticleLoadError:
    if isinstance(error, ArticleLoadError):
        return error
    if isinstance(error, urllib.error.HTTPError):
        error.close()
        return ArticleLoadError(url, _http_problem(error.code, error.reason))
    if isinstance(error, urllib.error.URLError):
        return ArticleLoadError(url, _network_problem(error.reason, timeout))
    if isinstance(error, OSError | http.client.HTTPException):
        return ArticleLoadError(url, _network_problem(error, timeout))
    if isinstance(error, ValueError):  # urllib's answer to an unusable address
        return ArticleLoadError(url, f"not a usable web address ({error})")
    return ArticleLoadError(url, f"the page could not be fetched ({error!r})")


def _too_slow(seconds: float) -> str:
    return f"the page did not arrive within {seconds:g} seconds; the download was stopped"


def _http_problem(code: int, reason: str) -> str:
    if 300 <= code < 400:
        return f"too many redirects (HTTP {code} {reason})"
    return f"HTTP {code} {reason or http.client.responses.get(code, '')}".rstrip()


def _network_problem(reason: object, timeout: float) -> str:
    if isinstance(reason, TimeoutError):
        return _too_slow(timeout)
    if isinstance(reason, socket.gaierror):
        return f"the server name could not be found ({reason.strerror or reason})"
    if isinstance(reason, ConnectionRefusedError):
        return "the server refused the connection"
    if isinstance(reason, ssl.SSLCertVerificationError):
        return f"the server's certificate is not valid ({reason.verify_message})"
    if isinstance(reason, ssl.SSLError):
        return f"the secure connection failed ({reason.reason or reason})"
    if isinstance(reason, http.client.HTTPException | ConnectionError):
        return f"the connection broke off ({type(reason).__name__})"
    if isinstance(reason, OSError):
        return f"the page could not be fetched ({reason.strerror or reason})"
    return f"the page could not be fetched ({reason})"
